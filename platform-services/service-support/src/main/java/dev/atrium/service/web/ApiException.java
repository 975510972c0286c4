package dev.atrium.service.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A request the service refuses, with the problem detail the client gets. */
public class ApiException extends RuntimeException {

  private final transient ProblemDetail problem;
  private final transient Map<String, String> headers = new LinkedHashMap<>();

  public ApiException(HttpStatus status, String type, String title, String detail) {
    super(detail);
    this.problem = Problems.of(status, type, title, detail);
  }

  public ProblemDetail problem() {
    return problem;
  }

  /** A header the refusal carries (e.g. Retry-After with 429, Content-Range with 416). */
  public ApiException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  public static ApiException notFound(String what, Object id) {
    return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " not found",
        "No " + what + " " + id + " that you can see: check the id, and that you are a member or its owner.");
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", detail);
  }

  public static ApiException badRequest(String type, String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, type, "Invalid request", detail);
  }

  public static ApiException conflict(String type, String detail) {
    return new ApiException(HttpStatus.CONFLICT, type, "Conflict", detail);
  }
}
