package dev.atrium.webos.web;

import dev.atrium.service.web.Problems;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's own answers as RFC 9457 problems: what went wrong reaching a backend (502 it answered badly or
 * the connection broke, 503 nobody to send to or the connection was refused, 504 no answer in time), never a
 * stack trace.
 */
public final class GatewayProblems {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayProblems.class);

  private GatewayProblems() {
  }

  public static ServerResponse of(HttpStatus status, String type, String title, String detail,
      Map<String, String> headers) {
    ProblemDetail problem = Problems.of(status, type, title, detail);
    ServerResponse.BodyBuilder response = ServerResponse.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.forEach((name, value) -> response.header(name, value));
    return response.body(problem);
  }

  /**
   * A route's filter answering every failure of what it wraps (the load balancer's, the proxy's) as the problem
   * {@link #backendFailed} gives. (The route builder's own onError sees only the handler's exceptions, not the
   * filters'.)
   */
  public static HandlerFilterFunction<ServerResponse, ServerResponse> answeringFailures(String backend) {
    return (request, next) -> {
      try {
        return next.handle(request);
      } catch (Exception e) {
        return backendFailed(e, request, backend);
      }
    };
  }

  /** The problem for a failure to get an answer from {@code backend}. */
  public static ServerResponse backendFailed(Throwable error, ServerRequest request, String backend) {
    if (error instanceof HttpStatusCodeException status && status.getStatusCode().value() == 503) {
      return unavailable(backend, "no replica of it is ready");
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
          || cause instanceof UnknownHostException) {
        return unavailable(backend, "it cannot be reached");
      }
      if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException) {
        return of(HttpStatus.GATEWAY_TIMEOUT, "backend-timeout", "Backend did not answer in time",
            backend + " did not answer in time. Try again; if it keeps happening, the service is overloaded.",
            Map.of());
      }
    }
    LOG.warn("{} {}: {} failed: {}", request.method(), request.path(), backend, error.toString());
    return of(HttpStatus.BAD_GATEWAY, "backend-failed", "Backend failed",
        "The connection to " + backend + " failed before it answered in full. Try again.", Map.of());
  }

  private static ServerResponse unavailable(String backend, String why) {
    return of(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable", "Backend unavailable",
        backend + " is unavailable: " + why + ". Try again shortly.", Map.of("Retry-After", "5"));
  }
}
