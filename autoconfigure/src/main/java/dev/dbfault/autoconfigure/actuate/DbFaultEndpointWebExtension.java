package dev.dbfault.autoconfigure.actuate;

import java.util.NoSuchElementException;
import java.util.function.Supplier;

import dev.dbfault.autoconfigure.actuate.DbFaultEndpoint.HealDescriptor;
import dev.dbfault.core.FaultNotSupportedException;
import dev.dbfault.core.TlsHandling;
import dev.dbfault.core.fault.FaultConflictException;
import dev.dbfault.core.fault.FaultParameterException;
import dev.dbfault.core.fault.UnknownFaultTypeException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP face of {@link DbFaultEndpoint}: 404 for an unknown proxy, fault type or fault id,
 * 400 with a message (and the parameter's name) for unusable input, 409 for an id taken by a
 * fault with other parameters. Nothing is applied when a request is refused.
 */
// An operation's optional parameters carry Spring's @Nullable beside JSpecify's: Spring Boot 4
// takes either as "optional", Spring Boot 3 only Spring's (it would answer 400 "missing
// parameters" to a request without them).
@SuppressWarnings("deprecation")
@EndpointWebExtension(endpoint = DbFaultEndpoint.class)
public class DbFaultEndpointWebExtension {

	private final DbFaultEndpoint delegate;

	public DbFaultEndpointWebExtension(DbFaultEndpoint delegate) {
		this.delegate = delegate;
	}

	@ReadOperation
	public WebEndpointResponse<Object> dbFault(@org.springframework.lang.Nullable @Nullable String include) {
		return respond(() -> this.delegate.dbFault(include));
	}

	@ReadOperation
	public WebEndpointResponse<Object> proxy(@Selector String proxy) {
		return respond(() -> this.delegate.proxy(proxy));
	}

	@ReadOperation
	public WebEndpointResponse<Object> journal(@Selector String proxy, @Selector String journal, @org.springframework.lang.Nullable @Nullable String fault,
			@org.springframework.lang.Nullable @Nullable String since, @org.springframework.lang.Nullable @Nullable String limit) {
		return respond(() -> this.delegate.journal(proxy, journal, fault, since, limit));
	}

	@WriteOperation
	public WebEndpointResponse<Object> inject(@Selector String proxy, @Selector String fault, @org.springframework.lang.Nullable @Nullable String id,
			@org.springframework.lang.Nullable @Nullable String parameters) {
		return respond(() -> this.delegate.inject(proxy, fault, id, parameters));
	}

	@DeleteOperation
	public WebEndpointResponse<HealDescriptor> heal() {
		return new WebEndpointResponse<>(this.delegate.heal());
	}

	@DeleteOperation
	public WebEndpointResponse<Object> healProxy(@Selector String proxy) {
		return respond(() -> this.delegate.healProxy(proxy));
	}

	@DeleteOperation
	public WebEndpointResponse<Object> remove(@Selector String proxy, @Selector String id) {
		return respond(() -> this.delegate.remove(proxy, id));
	}

	private static WebEndpointResponse<Object> respond(Supplier<Object> operation) {
		try {
			return new WebEndpointResponse<>(operation.get());
		}
		catch (NoSuchElementException | UnknownFaultTypeException ex) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, ex.getMessage(), null);
		}
		catch (FaultParameterException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getMessage(), ex.getParameter());
		}
		catch (FaultNotSupportedException ex) {
			String message = ex.getMessage();
			if (ex.getRemedy() == TlsHandling.DECLINE) {
				message += ". In this application: dbfault.postgresql.tls=decline";
			}
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, message, null);
		}
		catch (FaultConflictException ex) {
			return error(409, ex.getMessage(), "id");
		}
	}

	static WebEndpointResponse<Object> error(int status, String message, @Nullable String parameter) {
		return new WebEndpointResponse<>(new ErrorDescriptor(status, message, parameter), status);
	}

	/**
	 * Why a request was refused.
	 *
	 * @param status the HTTP status
	 * @param message what was wrong
	 * @param parameter the parameter at fault, if one was
	 */
	public record ErrorDescriptor(int status, String message, @Nullable String parameter) {

	}

}
