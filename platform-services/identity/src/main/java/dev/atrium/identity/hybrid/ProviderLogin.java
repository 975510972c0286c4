package dev.atrium.identity.hybrid;

import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.directory.DirectoryStore;
import dev.atrium.identity.directory.Person;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Lands a person who signed in at a trusted provider in Atrium: the provider's username claim must name an
 * active person of the directory (synced from the company's LDAP, or created by an admin); the session then
 * holds that person, exactly as after a password login, and the authorization request they came with goes on.
 * Anyone else is sent back to the login page; nobody is created on the fly.
 */
@Component
public class ProviderLogin implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

  private final TrustedProviders providers;
  private final DirectoryStore directory;
  private final AuditLog audit;
  private final Clock clock;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
  private final AuthenticationSuccessHandler next = new SavedRequestAwareAuthenticationSuccessHandler();

  ProviderLogin(TrustedProviders providers, DirectoryStore directory, AuditLog audit, Clock clock) {
    this.providers = providers;
    this.directory = directory;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
      Authentication authentication) throws IOException, jakarta.servlet.ServletException {
    OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
    String providerName = token.getAuthorizedClientRegistrationId();
    TrustedProvider provider = providers.provider(providerName).orElseThrow();
    OAuth2User user = token.getPrincipal();
    Object claim = user.getAttributes().get(provider.usernameClaim());
    String personId = claim == null ? null : claim.toString().trim().toLowerCase(Locale.ROOT);
    boolean known = personId != null && directory.person(personId).map(Person::active).orElse(false);
    if (!known) {
      SecurityContextHolder.clearContext();
      contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
      audit.record(personId == null ? "-" : personId, "login", personId, AuditLog.Outcome.DENIED,
          Map.of("provider", providerName, "reason", personId == null ? "no " + provider.usernameClaim() + " claim"
              : "not an active person of the directory"));
      response.sendRedirect(request.getContextPath() + "/login?error=sso");
      return;
    }
    UsernamePasswordAuthenticationToken signedIn = UsernamePasswordAuthenticationToken.authenticated(personId, null,
        List.of(new SimpleGrantedAuthority("ROLE_PERSON"),
            FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY)
                .issuedAt(clock.instant()).build()));
    signedIn.setDetails(new WebAuthenticationDetails(request.getRemoteAddr(),
        request.getSession(true).getId()));
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(signedIn);
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    directory.recordSuccess(personId);
    audit.record(personId, "login", personId, AuditLog.Outcome.SUCCESS, Map.of("provider", providerName));
    next.onAuthenticationSuccess(request, response, signedIn);
  }

  @Override
  public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
      AuthenticationException exception) throws IOException {
    String reason = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
        : exception.getClass().getSimpleName();
    audit.record("-", "login", null, AuditLog.Outcome.FAILURE, Map.of("reason", "provider: " + reason));
    response.sendRedirect(request.getContextPath() + "/login?error=sso");
  }
}
