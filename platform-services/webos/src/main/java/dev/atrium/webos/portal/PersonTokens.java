package dev.atrium.webos.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;

/**
 * The signed-in person's access token from their session's authorized client, refreshed through identity when it is
 * about to expire. When it cannot be had (the refresh token expired or was revoked: the person was disabled, or
 * signed out elsewhere) the session is over: {@link SignedOut}.
 *
 * <p>Identity rotates the refresh token at every use, and each request reads its own copy of the session; so two
 * requests of one session that both found the token about to expire would both refresh, and the second, with the
 * refresh token the first used up, would end the session. Here the requests of one session take turns, and one that
 * finds a fresher client than its copy of the session has (a request before it refreshed) takes that one.
 */
@Component
public class PersonTokens {

  private final OAuth2AuthorizedClientManager clients;
  private final OAuth2AuthorizedClientRepository repository;
  /** Per session id: the latest client this replica saw, and the lock its requests take turns on. */
  private final Map<String, Latest> latest = new ConcurrentHashMap<>();
  private volatile Instant nextSweep = Instant.EPOCH;

  private static final class Latest {
    private OAuth2AuthorizedClient client;
  }

  public PersonTokens(OAuth2AuthorizedClientManager clients, OAuth2AuthorizedClientRepository repository) {
    this.clients = clients;
    this.repository = repository;
  }

  /** The session is no longer backed by identity: sign in again. */
  public static final class SignedOut extends RuntimeException {
    SignedOut(Throwable cause) {
      super("The sign-in has ended; sign in again.", cause);
    }
  }

  public OAuth2AccessToken token(Authentication person, HttpServletRequest request, HttpServletResponse response) {
    String session = request.getSession().getId();
    Latest seen = latest.computeIfAbsent(session, id -> new Latest());
    OAuth2AuthorizedClient client;
    synchronized (seen) {
      OAuth2AuthorizedClient mine = repository.loadAuthorizedClient(PortalProperties.REGISTRATION, person, request);
      if (seen.client != null && (mine == null || fresher(seen.client, mine))) {
        repository.saveAuthorizedClient(seen.client, person, request, response);
      }
      try {
        client = clients.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(PortalProperties.REGISTRATION)
            .principal(person)
            .attribute(HttpServletRequest.class.getName(), request)
            .attribute(HttpServletResponse.class.getName(), response)
            .build());
      } catch (OAuth2AuthorizationException e) {
        latest.remove(session);
        throw new SignedOut(e);
      }
      if (client == null || client.getAccessToken() == null) {
        latest.remove(session);
        throw new SignedOut(null);
      }
      seen.client = client;
    }
    forgetExpired();
    return client.getAccessToken();
  }

  public String value(Authentication person, HttpServletRequest request, HttpServletResponse response) {
    return token(person, request, response).getTokenValue();
  }

  static boolean fresher(OAuth2AuthorizedClient a, OAuth2AuthorizedClient b) {
    Instant ea = a.getAccessToken().getExpiresAt();
    Instant eb = b.getAccessToken().getExpiresAt();
    return ea != null && eb != null && ea.isAfter(eb);
  }

  /** Sessions whose refresh token has long expired need no entry (their next request signs in again anyway). */
  private void forgetExpired() {
    Instant now = Instant.now();
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plusSeconds(60);
    latest.values().removeIf(entry -> {
      synchronized (entry) {
        OAuth2AuthorizedClient client = entry.client;
        Instant until = client == null ? null : client.getRefreshToken() != null
            && client.getRefreshToken().getExpiresAt() != null ? client.getRefreshToken().getExpiresAt()
            : client.getAccessToken().getExpiresAt();
        return until != null && until.isBefore(now);
      }
    });
  }
}
