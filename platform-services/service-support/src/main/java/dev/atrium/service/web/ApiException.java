package dev.atrium.service.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A request the service refuses, with the problem detail the client gets. */
public class ApiException extends RuntimeException {

  private final transient ProblemDetail problem;

  public ApiException(HttpStatus status, String type, String title, String detail) {
    super(detail);
    this.problem = Problems.of(status, type, title, detail);
  }

  public ProblemDetail problem() {
    return problem;
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
