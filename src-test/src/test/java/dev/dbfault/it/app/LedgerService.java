package dev.dbfault.it.app;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes money movements the way a careful service does: one transaction per business
 * operation, idempotency keys on writes a client may repeat, retries only for failures that
 * are safe to retry.
 */
@Service
public class LedgerService {

	private final JdbcTemplate jdbc;

	private final AtomicInteger attempts = new AtomicInteger();

	public LedgerService(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Moves money between two accounts and records both legs, all or nothing.
	 */
	@Transactional
	public void transfer(long from, long to, long amount) {
		this.jdbc.update("update accounts set balance = balance - ? where id = ?", amount, from);
		this.jdbc.update("insert into ledger (account_id, amount) values (?, ?)", from, -amount);
		this.jdbc.update("update accounts set balance = balance + ? where id = ?", amount, to);
		this.jdbc.update("insert into ledger (account_id, amount) values (?, ?)", to, amount);
	}

	/**
	 * Records an entry once per idempotency key: repeating the call with the same key returns
	 * the entry already written instead of writing another.
	 * @return the entry's id
	 */
	@Transactional
	public long record(long account, long amount, String idempotencyKey) {
		this.attempts.incrementAndGet();
		List<Long> inserted = this.jdbc.queryForList(
				"insert into ledger (account_id, amount, idempotency_key) values (?, ?, ?)"
						+ " on conflict (idempotency_key) do nothing returning id",
				Long.class, account, amount, idempotencyKey);
		if (!inserted.isEmpty()) {
			return inserted.get(0);
		}
		return this.jdbc.queryForObject("select id from ledger where idempotency_key = ?", Long.class, idempotencyKey);
	}

	/**
	 * {@link #record} retried on serialization failures and deadlocks, each attempt in a
	 * transaction of its own (see {@link TransientFailures}).
	 */
	@TransientFailures.Retried
	@Transactional
	public long recordWithRetry(long account, long amount, String idempotencyKey) {
		return record(account, amount, idempotencyKey);
	}

	/**
	 * Writes two rows in one transaction.
	 */
	@Transactional
	public void writeBoth(String first, String second) {
		this.jdbc.update("insert into writes (key) values (?)", first);
		this.jdbc.update("insert into writes (key) values (?)", second);
	}

	/**
	 * Writes one row, in its own transaction.
	 */
	@Transactional
	public void write(String key) {
		this.jdbc.update("insert into writes (key) values (?)", key);
	}

	public long balance(long account) {
		return this.jdbc.queryForObject("select balance from accounts where id = ?", Long.class, account);
	}

	/**
	 * Returns how many times {@link #record} ran since the last reset.
	 */
	public int attempts() {
		return this.attempts.get();
	}

	public void resetAttempts() {
		this.attempts.set(0);
	}

}
