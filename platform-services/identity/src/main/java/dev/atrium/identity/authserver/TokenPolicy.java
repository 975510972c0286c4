package dev.atrium.identity.authserver;

import dev.atrium.identity.apps.GrantPolicy;
import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.directory.Person;
import dev.atrium.identity.keys.KeyRing;
import dev.atrium.identity.security.DeviceBinding;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.stereotype.Component;

/**
 * What goes into every token identity signs, and when it refuses one. Apps get {@code principal_type=app};
 * people get {@code principal_type=user} and {@code departments} (their departments and every department above
 * them), as the message center expects, and only while they are active and granted the app. A token asked for
 * with {@code device_id} is bound to that device (it must be the person's and active) and carries the claim.
 * The checks run for every token, so a refresh after a person left or lost a grant is refused.
 */
@Component
public class TokenPolicy {

  /** The authorization request parameter that binds a person's tokens to one of their devices. */
  public static final String DEVICE_PARAMETER = "device_id";
  public static final String DEPARTMENTS = "departments";

  private final DirectoryStore directory;
  private final GrantPolicy grants;
  private final DeviceBinding devices;
  private final KeyRing keys;
  private final AuditLog audit;

  TokenPolicy(DirectoryStore directory, GrantPolicy grants, DeviceBinding devices, KeyRing keys, AuditLog audit) {
    this.directory = directory;
    this.grants = grants;
    this.devices = devices;
    this.keys = keys;
    this.audit = audit;
  }

  void customize(JwtEncodingContext context) {
    context.getJwsHeader().keyId(keys.activeKeyId());
    String clientId = context.getRegisteredClient().getClientId();
    if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
      if (!grants.mayActAsItself(clientId)) {
        audit.record(clientId, "token.refused", clientId, AuditLog.Outcome.DENIED, Map.of("reason", "suspended"));
        throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
            "No token: the app is suspended.", null));
      }
      context.getClaims().claim(ApiSecurityConfiguration.PRINCIPAL_TYPE, "app");
      return;
    }
    String personId = context.getPrincipal().getName();
    Person person = directory.person(personId).filter(Person::active).orElseThrow(() -> refused(personId, clientId,
        "the person is disabled or unknown"));
    List<String> departments = directory.departmentsWithAncestors(personId);
    if (!grants.mayUse(clientId, personId, departments)) {
      throw refused(personId, clientId, "the person is not granted this app");
    }
    String device = deviceOf(context.getAuthorization());
    if (device != null) {
      if (!devices.active(device, personId)) {
        throw refused(personId, clientId, "the device is not the person's, or is not active");
      }
      if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType()) && context.getAuthorization() != null) {
        devices.bind(context.getAuthorization().getId(), device);
      }
      context.getClaims().claim(ApiSecurityConfiguration.DEVICE_ID, device);
    }
    context.getClaims().claim(ApiSecurityConfiguration.PRINCIPAL_TYPE, "user");
    context.getClaims().claim(DEPARTMENTS, departments);
    if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
      context.getClaims().claim("name", person.displayName());
      context.getClaims().claim("preferred_username", person.id());
      if (person.email() != null) {
        context.getClaims().claim("email", person.email());
      }
    }
  }

  /** At the authorization endpoint: a signed-in person the app is not granted to is sent back with access_denied. */
  void checkAuthorizationRequest(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
    OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
    if (!(request.getPrincipal() instanceof Authentication principal) || !principal.isAuthenticated()
        || principal.getClass().getSimpleName().startsWith("Anonymous")) {
      return;
    }
    String personId = principal.getName();
    String clientId = context.getRegisteredClient().getClientId();
    boolean allowed = directory.person(personId).map(Person::active).orElse(false)
        && grants.mayUse(clientId, personId, directory.departmentsWithAncestors(personId));
    Object device = request.getAdditionalParameters().get(DEVICE_PARAMETER);
    if (allowed && device != null) {
      allowed = devices.active(device.toString(), personId);
    }
    if (!allowed) {
      audit.record(personId, "token.refused", clientId, AuditLog.Outcome.DENIED, Map.of("at", "authorize"));
      OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, device != null
          ? "You may not use this app from this device." : "You may not use this app: ask your administrator.", null);
      throw new OAuth2AuthorizationCodeRequestAuthenticationException(error, request);
    }
  }

  private OAuth2AuthenticationException refused(String personId, String clientId, String why) {
    audit.record(personId, "token.refused", clientId, AuditLog.Outcome.DENIED, Map.of("reason", why));
    return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
        "No token: " + why + ".", null));
  }

  private static String deviceOf(OAuth2Authorization authorization) {
    if (authorization == null) {
      return null;
    }
    OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
    Object device = request == null ? null : request.getAdditionalParameters().get(DEVICE_PARAMETER);
    return device == null ? null : device.toString();
  }
}
