package dev.atrium.identity.authserver;

import dev.atrium.identity.devices.DeviceBlockedEvent;
import dev.atrium.identity.directory.PersonDisabledEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.stereotype.Component;

/**
 * Ends authorizations (refresh tokens, and the access tokens introspection answers for) when a person is
 * disabled or a device blocked. Their JWT access tokens stop at once at identity's own API (checked per
 * request); services that check JWTs offline accept them until they expire (ATRIUM_IDENTITY_ACCESS_TOKEN_TTL).
 */
@Component
class SessionEnd {

  private static final Logger LOG = LoggerFactory.getLogger(SessionEnd.class);

  private final OAuth2AuthorizationService authorizations;
  private final JdbcClient jdbc;

  SessionEnd(OAuth2AuthorizationService authorizations, JdbcClient jdbc) {
    this.authorizations = authorizations;
    this.jdbc = jdbc;
  }

  @EventListener
  void personDisabled(PersonDisabledEvent event) {
    int ended = jdbc.sql("DELETE FROM oauth2_authorization WHERE principal_name = ? AND authorization_grant_type"
        + " = 'authorization_code'").param(event.personId()).update();
    LOG.info("ended {} authorizations of disabled person {}", ended, event.personId());
  }

  @EventListener
  void deviceBlocked(DeviceBlockedEvent event) {
    int ended = 0;
    for (String id : event.authorizationIds()) {
      OAuth2Authorization authorization = authorizations.findById(id);
      if (authorization != null) {
        authorizations.remove(authorization);
        ended++;
      }
    }
    LOG.info("ended {} authorizations of blocked device {}", ended, event.deviceId());
  }
}
