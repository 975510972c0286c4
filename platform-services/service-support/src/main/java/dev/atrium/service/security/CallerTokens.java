package dev.atrium.service.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * How a validated JWT becomes a {@link Caller}: the principal-type claim must say {@code user} or {@code app}
 * (tokens without it are refused, so an app can never pass for a person), the subject is the id, and a
 * person's departments come from the departments claim.
 */
public final class CallerTokens {

  private final String principalTypeClaim;
  private final String departmentsClaim;

  /** The names of the claims saying who calls ({@code principal_type}) and a person's departments. */
  public CallerTokens(String principalTypeClaim, String departmentsClaim) {
    this.principalTypeClaim = principalTypeClaim;
    this.departmentsClaim = departmentsClaim;
  }

  /**
   * Refuses tokens whose principal type is missing or unknown, that have no subject, or whose subject has an
   * {@code @} (which marks people of other platforms).
   */
  public OAuth2TokenValidator<Jwt> validator() {
    return jwt -> {
      if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
        return failure("the token has no subject (sub claim)");
      }
      if (jwt.getSubject().indexOf('@') >= 0) {
        return failure("the token's subject must not contain '@', which marks people of other platforms");
      }
      Object type = jwt.getClaims().get(principalTypeClaim);
      if (kindOf(type) == null) {
        return failure("the token's " + principalTypeClaim + " claim must be \"user\" or \"app\", but is "
            + (type == null ? "missing" : "\"" + type + "\""));
      }
      return OAuth2TokenValidatorResult.success();
    };
  }

  public Caller caller(Jwt jwt) {
    Caller.Kind kind = kindOf(jwt.getClaims().get(principalTypeClaim));
    List<String> departments = kind == Caller.Kind.USER ? departments(jwt) : List.of();
    return new Caller(jwt.getSubject(), kind, Set.copyOf(departments));
  }

  /** The authentication Spring Security keeps: the caller as principal, ROLE_USER or ROLE_APP as authority. */
  public AbstractAuthenticationToken authentication(Jwt jwt) {
    Caller caller = caller(jwt);
    return new CallerAuthentication(caller, jwt, List.of(new SimpleGrantedAuthority("ROLE_" + caller.kind().name())));
  }

  private List<String> departments(Jwt jwt) {
    Object value = jwt.getClaims().get(departmentsClaim);
    if (value instanceof Collection<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).distinct().toList();
    }
    return value instanceof String single ? List.of(single) : List.of();
  }

  private static Caller.Kind kindOf(Object claim) {
    for (Caller.Kind kind : Caller.Kind.values()) {
      if (kind.claimValue().equals(claim)) {
        return kind;
      }
    }
    return null;
  }

  private static OAuth2TokenValidatorResult failure(String description) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
  }

  /** An authenticated caller, with the token it came with. */
  public static final class CallerAuthentication extends AbstractAuthenticationToken {
    private final Caller caller;
    private final Jwt jwt;

    CallerAuthentication(Caller caller, Jwt jwt, Collection<? extends GrantedAuthority> authorities) {
      super(authorities);
      this.caller = caller;
      this.jwt = jwt;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return jwt;
    }

    @Override
    public Caller getPrincipal() {
      return caller;
    }

    @Override
    public String getName() {
      return caller.id();
    }
  }
}
