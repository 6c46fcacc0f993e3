package dev.dbfault.core.internal.pg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements an injected error is made of name dbfault and the SQLSTATE, so that the
 * server's log shows a DBA the error was injected on purpose.
 */
class PgMessagesTests {

	@Test
	void aPoisonedBindNamesDbfaultAndTheSqlState() {
		ByteBuffer bind = PgMessages.poisonBind("", "sql-error 40001");
		assertThat(bind.get(0)).isEqualTo((byte) 'B');
		assertThat(bind.getInt(1)).isEqualTo(bind.remaining() - 1);
		bind.position(5);
		assertThat(PgMessages.readString(bind)).isEmpty();
		assertThat(PgMessages.readString(bind)).isEqualTo("dbfault injected sql-error 40001");
	}

	@Test
	void aPoisonedQueryNamesDbfaultAndTheSqlState() {
		ByteBuffer query = PgMessages.poisonQuery("sql-error 40P01");
		assertThat(query.get(0)).isEqualTo((byte) 'Q');
		assertThat(query.getInt(1)).isEqualTo(query.remaining() - 1);
		byte[] text = new byte[query.remaining() - 6];
		query.position(5).get(text);
		assertThat(new String(text, StandardCharsets.UTF_8))
			.isEqualTo("/* dbfault: injected sql-error 40P01 */ dbfault_injected_sql_error_40p01");
	}

}
