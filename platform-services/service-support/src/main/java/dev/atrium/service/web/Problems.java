package dev.atrium.service.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem details with a type URI per kind of problem, so clients can branch on it. */
public final class Problems {

  public static final String TYPE_PREFIX = "urn:atrium:problem:";

  private Problems() {
  }

  public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(TYPE_PREFIX + type));
    problem.setTitle(title);
    return problem;
  }
}
