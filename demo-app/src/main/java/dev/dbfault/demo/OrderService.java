package dev.dbfault.demo;

import java.time.Instant;
import java.util.List;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders and their payments. Each order is one transaction; each carries an
 * idempotency key, so that a retry after an unknown outcome (the connection died around the
 * COMMIT) returns the order already written instead of charging twice. Only failures that
 * are safe to retry with that key are retried: transient ones (serialization failures,
 * deadlocks, timeouts) and lost connections.
 */
@Service
public class OrderService {

	private final JdbcTemplate jdbc;

	public OrderService(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Places an order once per idempotency key.
	 * @param idempotencyKey the client's key for this order
	 * @param customer who orders
	 * @param amountCents how much
	 * @return the order, new or already placed with this key
	 */
	@Retryable(includes = { TransientDataAccessException.class, DataAccessResourceFailureException.class,
			TransactionSystemException.class }, maxRetries = 3, delay = 50, multiplier = 2)
	@Transactional
	public Order place(String idempotencyKey, String customer, long amountCents) {
		List<Long> inserted = this.jdbc.queryForList("insert into orders (idempotency_key, customer, amount_cents)"
				+ " values (?, ?, ?) on conflict (idempotency_key) do nothing returning id", Long.class, idempotencyKey,
				customer, amountCents);
		if (inserted.isEmpty()) {
			return find(idempotencyKey);
		}
		this.jdbc.update("insert into payments (order_id, amount_cents) values (?, ?)", inserted.get(0), amountCents);
		return find(idempotencyKey);
	}

	public Order find(String idempotencyKey) {
		return this.jdbc.queryForObject("select id, idempotency_key, customer, amount_cents, created_at from orders"
				+ " where idempotency_key = ?", this::order, idempotencyKey);
	}

	public Order find(long id) {
		return this.jdbc.queryForObject(
				"select id, idempotency_key, customer, amount_cents, created_at from orders where id = ?", this::order, id);
	}

	public List<Order> latest(int limit) {
		return this.jdbc.query("select id, idempotency_key, customer, amount_cents, created_at from orders"
				+ " order by id desc limit ?", this::order, limit);
	}

	private Order order(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
				rs.getTimestamp(5).toInstant());
	}

	/**
	 * An order as stored.
	 *
	 * @param id its id
	 * @param idempotencyKey the key it was placed with
	 * @param customer who ordered
	 * @param amountCents how much
	 * @param createdAt when it was written
	 */
	public record Order(long id, String idempotencyKey, String customer, long amountCents, Instant createdAt) {

	}

}
