package dev.dbfault.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Turns dbfault on in a test: every DataSource of the context goes through a fault proxy,
 * and a {@link DbFault} bean drives the faults. Works on {@code @SpringBootTest} and on
 * slices such as {@code @JdbcTest} and {@code @DataJpaTest}. Faults are healed before and
 * after each test method, so one test cannot leak a fault into the next.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureDbFault
 * class CheckoutRecoveryTests {
 *     @Autowired DbFault dbFault;
 *
 *     @Test
 *     void aResetConnectionIsEvictedAndTheNextRequestSucceeds() {
 *         dbFault.proxy().resetConnections();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>A slice runs each test in a transaction that holds one connection for the whole test,
 * and replaces the DataSource with an embedded database unless told otherwise. A recovery
 * test needs its own transactions and the real database:
 *
 * <pre>{@code
 * @JdbcTest
 * @AutoConfigureDbFault
 * @AutoConfigureTestDatabase(replace = Replace.NONE)
 * @Transactional(propagation = Propagation.NOT_SUPPORTED)
 * class RepositoryRecoveryTests { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureDbFault {

	/**
	 * Whether dbfault routes the context's DataSources (sets {@code dbfault.enabled} for the
	 * test's context, above its other property sources).
	 * @return whether dbfault is on
	 */
	boolean enabled() default true;

}
