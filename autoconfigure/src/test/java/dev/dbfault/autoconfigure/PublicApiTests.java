package dev.dbfault.autoconfigure;

import dev.dbfault.testdb.PublicApi;
import org.junit.jupiter.api.Test;

/**
 * The public API is the one recorded in {@code src/test/resources/public-api.txt}: a change
 * to it is deliberate, made with {@code -Ddbfault.api.update=true} and reviewed in that file.
 */
class PublicApiTests {

	@Test
	void thePublicApiIsTheRecordedOne() {
		PublicApi.assertUnchanged();
	}

}
