package dev.atrium.webos.portal;

import dev.atrium.webos.security.Admins;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The admin area's door: the signed-in person's access token when identity says they are an administrator
 * ({@link Admins}), with their name and the admin link in the page's model; anyone else gets the 403 page.
 */
@Component
class AdminGate {

  private final PersonTokens tokens;
  private final Admins admins;

  AdminGate(PersonTokens tokens, Admins admins) {
    this.tokens = tokens;
    this.admins = admins;
  }

  /** The admin area refuses this person (403 page). */
  static final class NotAdmin extends RuntimeException {
    NotAdmin() {
      super("administrators only");
    }
  }

  OAuth2AccessToken enter(Authentication person, HttpServletRequest request, HttpServletResponse response,
      Model model) {
    OAuth2AccessToken token = tokens.token(person, request, response);
    if (!admins.isAdmin(token.getTokenValue(), token.getExpiresAt())) {
      throw new NotAdmin();
    }
    model.addAttribute("person", DesktopController.displayName(person));
    model.addAttribute("admin", true);
    return token;
  }
}
