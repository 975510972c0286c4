package dev.atrium.webos.gateway;

import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.TrustedProxies;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * {@code X-Forwarded-For} as the backends need it: from a trusted proxy (the front door) the chain it sent, with
 * that proxy's address added; from anyone else only the peer's address (a client cannot forge the chain).
 * Spring Cloud Gateway's own X-Forwarded-For (switched off in application.yaml) keeps only the trusted
 * addresses of the chain, which would drop the client's own address that the front door put there.
 */
class ForwardedFor implements HttpHeadersFilter.RequestHttpHeadersFilter, Ordered {

  static final String HEADER = "X-Forwarded-For";

  private final TrustedProxies trusted;

  ForwardedFor(String trustedProxies) {
    this.trusted = TrustedProxies.from(trustedProxies);
  }

  @Override
  public HttpHeaders apply(HttpHeaders input, ServerRequest request) {
    String peer = request.servletRequest().getRemoteAddr();
    if (peer == null) {
      return input;
    }
    HttpHeaders updated = new HttpHeaders();
    updated.putAll(input);
    String chain = request.servletRequest().getHeader(HEADER);
    updated.set(HEADER, trusted.isTrusted(peer) && chain != null && !chain.isBlank() ? chain.strip() + "," + peer
        : peer);
    return updated;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
