package dev.dbfault.demo;

import java.time.Duration;

import dev.dbfault.core.fault.Faults;
import dev.dbfault.test.AutoConfigureDbFault;
import dev.dbfault.test.DbFault;
import dev.dbfault.test.DbFaultExplore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The demo service's resilience, proven against the faults it is built for: transient
 * errors are retried, and the idempotency key makes a retry after an ambiguous commit safe.
 */
@SpringBootTest(properties = "server.port=0")
@AutoConfigureDbFault
class OrderServiceTests {

	@Autowired
	private OrderService orders;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private DbFault dbFault;

	@Autowired
	private LoadGenerator load;

	@AfterEach
	void heal() {
		this.dbFault.restore(Duration.ofSeconds(10));
	}

	private long count(String table, String key) {
		return this.jdbc.queryForObject("select count(*) from " + table + " t join orders o on "
				+ (table.equals("orders") ? "o.id = t.id" : "o.id = t.order_id") + " where o.idempotency_key = ?",
				Long.class, key);
	}

	@Test
	void placingTwiceWithTheSameKeyPlacesOneOrder() {
		OrderService.Order first = this.orders.place("same-key", "ada", 500);
		OrderService.Order second = this.orders.place("same-key", "ada", 500);
		assertThat(second.id()).isEqualTo(first.id());
		assertThat(count("orders", "same-key")).isEqualTo(1);
		assertThat(count("payments", "same-key")).isEqualTo(1);
	}

	@Test
	void aSerializationFailureIsRetriedUntilTheOrderIsPlaced() {
		this.dbFault.proxy().inject(Faults.sqlError("(?i)insert into payments", "40001").times(2));
		OrderService.Order order = this.orders.place("retried", "grace", 700);
		assertThat(order.amountCents()).isEqualTo(700);
		assertThat(count("payments", "retried")).isEqualTo(1);
	}

	@Test
	void anAmbiguousCommitIsRetriedWithoutChargingTwice() {
		this.dbFault.proxy().inject(Faults.dropOn("(?i)^\\s*commit").when("after").times(1));
		OrderService.Order order = this.orders.place("ambiguous", "linus", 900);
		assertThat(order.idempotencyKey()).isEqualTo("ambiguous");
		assertThat(count("orders", "ambiguous")).isEqualTo(1);
		assertThat(count("payments", "ambiguous")).isEqualTo(1);
	}

	@BeforeEach
	void forgetTheExploredOrder() {
		this.jdbc.update("delete from payments where order_id in (select id from orders where idempotency_key = 'explored')");
		this.jdbc.update("delete from orders where idempotency_key = 'explored'");
	}

	/**
	 * Every statement of placing an order, each failing in every way in a run of its own:
	 * the retries and the idempotency key keep every run at one order and one payment.
	 */
	@DbFaultExplore(skip = "count\\(\\*\\)")
	void placingAnOrderChargesOnceWhateverStatementFails() {
		OrderService.Order order = this.orders.place("explored", "ada", 500);
		assertThat(order.amountCents()).isEqualTo(500);
		assertThat(count("orders", "explored")).isEqualTo(1);
		assertThat(count("payments", "explored")).isEqualTo(1);
	}

	@Test
	void theLoadGeneratorRefusesImpossibleSettings() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.load.start(0, 4)).withMessageContaining("rate");
		assertThatIllegalArgumentException().isThrownBy(() -> this.load.start(10, 65))
			.withMessageContaining("concurrency");
		assertThat(this.load.isRunning()).isFalse();
	}

}
