package dev.atrium.service.web;

import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the HTTP API as an RFC 9457 problem detail ({@code application/problem+json}) whose detail
 * says what to change. Spring MVC's own errors (wrong method, unsupported media type, ...) come through the
 * base class as problem details too. A service imports it ({@code @Import(ApiExceptionHandler.class)}).
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> refused(ApiException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.problem().getStatus());
    e.headers().forEach((name, value) -> response.header(name, value));
    return response.body(e.problem());
  }

  /**
   * Two requests made the same thing at the same moment and a unique index kept one: the other is told so, with
   * nothing of the SQL.
   */
  @ExceptionHandler(DuplicateKeyException.class)
  ResponseEntity<ProblemDetail> collided(DuplicateKeyException e) {
    ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "conflict", "Conflict", "Something with the same name"
        + " or key was made at the same moment; look again, then retry.");
    return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail = e.getBindingResult().getFieldErrors().stream()
        .map(error -> error.getField() + ": " + error.getDefaultMessage()
            + (error.getRejectedValue() instanceof String s && s.length() > 40 ? "" : " (was " + error.getRejectedValue() + ")"))
        .sorted()
        .collect(Collectors.joining("; "));
    if (detail.isEmpty()) {
      detail = e.getBindingResult().getAllErrors().stream().map(Object::toString).collect(Collectors.joining("; "));
    }
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-field", "Invalid request body", detail));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
      HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String detail = e.getParameterValidationResults().stream()
        .flatMap(result -> result.getResolvableErrors().stream()
            .map(error -> result.getMethodParameter().getParameterName() + ": " + error.getDefaultMessage()))
        .sorted()
        .collect(Collectors.joining("; "));
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid request parameter", detail));
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RequestSizeLimitFilter.PayloadTooLargeException tooLarge) {
        return problem(RequestSizeLimitFilter.tooLarge(tooLarge.limit(), tooLarge.setting()));
      }
    }
    String reason = e.getMostSpecificCause().getMessage();
    if (reason != null) {
      reason = reason.lines().findFirst().orElse(reason);
    }
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
        "The request body is not the JSON this endpoint expects (see /v3/api-docs): " + reason));
  }

  private static ResponseEntity<Object> problem(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }
}
