package dev.atrium.webos.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.stereotype.Component;

/**
 * The signed-in person's access token from their session's authorized client, refreshed through identity when it is
 * about to expire. When it cannot be had (the refresh token expired or was revoked: the person was disabled, or
 * signed out elsewhere) the session is over: {@link SignedOut}.
 */
@Component
public class PersonTokens {

  private final OAuth2AuthorizedClientManager clients;

  public PersonTokens(OAuth2AuthorizedClientManager clients) {
    this.clients = clients;
  }

  /** The session is no longer backed by identity: sign in again. */
  public static final class SignedOut extends RuntimeException {
    SignedOut(Throwable cause) {
      super("The sign-in has ended; sign in again.", cause);
    }
  }

  public OAuth2AccessToken token(Authentication person, HttpServletRequest request, HttpServletResponse response) {
    OAuth2AuthorizedClient client;
    try {
      client = clients.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(PortalProperties.REGISTRATION)
          .principal(person)
          .attribute(HttpServletRequest.class.getName(), request)
          .attribute(HttpServletResponse.class.getName(), response)
          .build());
    } catch (OAuth2AuthorizationException e) {
      throw new SignedOut(e);
    }
    if (client == null || client.getAccessToken() == null) {
      throw new SignedOut(null);
    }
    return client.getAccessToken();
  }

  public String value(Authentication person, HttpServletRequest request, HttpServletResponse response) {
    return token(person, request, response).getTokenValue();
  }

  static Instant expiry(OAuth2AccessToken token) {
    return token.getExpiresAt();
  }
}
