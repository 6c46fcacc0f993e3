package dev.dbfault.demo;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The service's own API: place an order (with an {@code Idempotency-Key} header, as a client
 * that retries should), read orders.
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

	private final OrderService orders;

	OrderController(OrderService orders) {
		this.orders = orders;
	}

	@PostMapping
	OrderService.Order place(@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
			@RequestBody NewOrder order) {
		String key = (idempotencyKey != null && !idempotencyKey.isBlank()) ? idempotencyKey : UUID.randomUUID().toString();
		return this.orders.place(key, order.customer(), order.amountCents());
	}

	@GetMapping("/{id}")
	OrderService.Order find(@PathVariable long id) {
		return this.orders.find(id);
	}

	@GetMapping
	List<OrderService.Order> latest(@RequestParam(defaultValue = "20") int limit) {
		return this.orders.latest(Math.min(Math.max(limit, 1), 500));
	}

	record NewOrder(String customer, long amountCents) {

	}

}
