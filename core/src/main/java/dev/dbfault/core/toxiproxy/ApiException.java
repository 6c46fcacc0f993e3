package dev.dbfault.core.toxiproxy;

/**
 * An answer other than success, with Toxiproxy's status and message.
 */
final class ApiException extends RuntimeException {

	static final String PROXY_NOT_FOUND = "proxy not found";

	static final String TOXIC_NOT_FOUND = "toxic not found";

	static final String PROXY_EXISTS = "proxy already exists";

	static final String TOXIC_EXISTS = "toxic already exists";

	private final int status;

	/** The methods a route takes, for a 405's {@code Allow} header; {@code null} otherwise. */
	private final String allowed;

	ApiException(int status, String message) {
		this(status, message, null);
	}

	ApiException(int status, String message, String allowed) {
		super(message, null, false, false);
		this.status = status;
		this.allowed = allowed;
	}

	static ApiException badRequest(String message) {
		return new ApiException(400, message);
	}

	static ApiException notFound(String message) {
		return new ApiException(404, message);
	}

	static ApiException conflict(String message) {
		return new ApiException(409, message);
	}

	int status() {
		return this.status;
	}

	String allowed() {
		return this.allowed;
	}

}
