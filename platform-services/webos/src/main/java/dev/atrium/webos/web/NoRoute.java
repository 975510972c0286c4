package dev.atrium.webos.web;

import dev.atrium.service.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A path nothing answers (a service switched off on this platform, so not in the gateway's routes, or a path no
 * route knows) is the gateway's {@code no-route} problem, as an unknown app is, rather than the framework's "no
 * static resource".
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class NoRoute {

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ProblemDetail> noRoute(NoResourceFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.of(HttpStatus.NOT_FOUND, "no-route", "Nothing here",
            "Nothing is routed at /" + e.getResourcePath() + ": the service behind it is not on this platform, or "
                + "the path is not one the gateway knows."));
  }
}
