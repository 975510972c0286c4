package dev.atrium.identity.login;

import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.config.IdentityProperties;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.directory.ExternalPasswordCheck;
import dev.atrium.identity.directory.Person;
import dev.atrium.identity.keys.SecretBox;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Signs a person in with their password (Argon2id here, or a bind against the company's directory for people
 * synced from it) and, when they set one up, a TOTP code. Failures count towards a lockout; every outcome is an
 * audit event; the error never tells an unknown person from a wrong password.
 */
@Component
public class PasswordLogin {

  // compared against when the person is unknown, so that the answer takes as long either way
  private final String decoyHash;
  private final DirectoryStore directory;
  private final PasswordEncoder passwords;
  private final List<ExternalPasswordCheck> externalChecks;
  private final SecretBox box;
  private final AuditLog audit;
  private final IdentityProperties properties;
  private final Clock clock;

  PasswordLogin(DirectoryStore directory, PasswordEncoder passwords, List<ExternalPasswordCheck> externalChecks,
      SecretBox box, AuditLog audit, IdentityProperties properties, Clock clock) {
    this.directory = directory;
    this.passwords = passwords;
    this.externalChecks = externalChecks;
    this.box = box;
    this.audit = audit;
    this.properties = properties;
    this.clock = clock;
    this.decoyHash = passwords.encode("decoy-password-for-timing");
  }

  /** Refused because a second factor is needed or was wrong (the login page then asks for it). */
  public static final class CodeRequiredException extends AuthenticationException {
    public CodeRequiredException(String message) {
      super(message);
    }
  }

  /**
   * The login page's provider. Not a bean itself: a bean would also land in the global authentication manager,
   * which the page's chain falls back to, and every failure would be counted (and audited) twice.
   */
  public AuthenticationProvider provider() {
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication authentication) {
        return PasswordLogin.this.authenticate(authentication);
      }

      @Override
      public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
      }
    };
  }

  Authentication authenticate(Authentication authentication) {
    String username = authentication.getName() == null ? "" : authentication.getName().trim().toLowerCase(Locale.ROOT);
    String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
    String code = authentication.getDetails() instanceof LoginDetails details ? details.code() : null;
    Instant now = clock.instant();
    Optional<DirectoryStore.LoginRecord> found = username.isEmpty() || username.length() > 64 ? Optional.empty()
        : directory.loginRecord(username);
    if (found.isEmpty()) {
      passwords.matches(password, decoyHash);
      audit.record(username.isEmpty() ? "-" : truncate(username), "login", null, AuditLog.Outcome.FAILURE,
          Map.of("reason", "unknown"));
      throw new BadCredentialsException("bad credentials");
    }
    DirectoryStore.LoginRecord record = found.get();
    if (record.lockedUntil() != null && record.lockedUntil().isAfter(now)) {
      audit.record(username, "login", username, AuditLog.Outcome.DENIED, Map.of("reason", "locked"));
      throw new LockedException("locked until " + record.lockedUntil());
    }
    if (record.status() != Person.Status.ACTIVE) {
      // the same answer and cost as a wrong password; not counted towards a lockout, and no directory is asked
      passwords.matches(password, decoyHash);
      audit.record(username, "login", username, AuditLog.Outcome.DENIED, Map.of("reason", "disabled"));
      throw new BadCredentialsException("bad credentials");
    }
    boolean matches;
    try {
      matches = passwordMatches(record, password);
    } catch (AuthenticationServiceException e) {
      // the company's directory did not answer: not the person's fault, not counted
      audit.record(username, "login", username, AuditLog.Outcome.FAILURE, Map.of("reason", "directory unavailable"));
      throw e;
    }
    if (!matches) {
      fail(username, now, "password");
    }
    if (record.totpEnabled()) {
      byte[] secret = Base64.getDecoder().decode(box.open(record.totpSecret()));
      if (code == null || code.isBlank()) {
        throw new CodeRequiredException("a one-time code is needed");
      }
      if (!Totp.verify(secret, code.trim(), now)) {
        fail(username, now, "code");
      }
    }
    directory.recordSuccess(username);
    audit.record(username, "login", username, AuditLog.Outcome.SUCCESS, Map.of("factors", record.totpEnabled() ? 2 : 1));
    // the password factor with its time: the ID token's auth_time comes from it
    UsernamePasswordAuthenticationToken signedIn = UsernamePasswordAuthenticationToken.authenticated(username, null,
        List.of(new SimpleGrantedAuthority("ROLE_PERSON"),
            FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY).issuedAt(now).build()));
    // the authorization server stores the principal as JSON with an allow-list of types: keep Spring's own
    if (authentication.getDetails() instanceof WebAuthenticationDetails details) {
      signedIn.setDetails(new WebAuthenticationDetails(details.getRemoteAddress(), details.getSessionId()));
    }
    return signedIn;
  }

  private boolean passwordMatches(DirectoryStore.LoginRecord record, String password) {
    if (password.isEmpty() || password.length() > 256) {
      passwords.matches("x", decoyHash);
      return false;
    }
    Person person = directory.person(record.id()).orElseThrow();
    for (ExternalPasswordCheck check : externalChecks) {
      if (check.decides(person)) {
        return check.matches(person, password);
      }
    }
    if (record.passwordHash() == null) {
      passwords.matches(password, decoyHash);
      return false;
    }
    return passwords.matches(password, record.passwordHash());
  }

  private void fail(String username, Instant now, String what) {
    Optional<Instant> lockedUntil = directory.recordFailure(username, properties.lockoutThreshold(),
        now.plus(properties.lockoutDuration()));
    audit.record(username, "login", username, AuditLog.Outcome.FAILURE, Map.of("reason", what));
    if (lockedUntil.isPresent()) {
      audit.record(username, "lockout", username, AuditLog.Outcome.SUCCESS,
          Map.of("until", lockedUntil.get().toString(), "failures", properties.lockoutThreshold()));
      throw new LockedException("locked until " + lockedUntil.get());
    }
    throw new BadCredentialsException("bad credentials");
  }

  private static String truncate(String value) {
    return value.length() > 64 ? value.substring(0, 64) : value;
  }

}
