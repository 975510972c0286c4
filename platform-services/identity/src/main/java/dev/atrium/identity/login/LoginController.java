package dev.atrium.identity.login;

import dev.atrium.identity.hybrid.TrustedProviders;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Renders the login page; Spring Security handles the form's POST. */
@Controller
class LoginController {

  static final String LAST_USERNAME = "atrium.login.username";

  private final TrustedProviders providers;

  LoginController(TrustedProviders providers) {
    this.providers = providers;
  }

  @GetMapping("/login")
  String login(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
      HttpSession session, Model model) {
    Object username = session.getAttribute(LAST_USERNAME);
    model.addAttribute("username", username == null ? "" : username);
    // one of bad, locked, code; anything else shows as bad
    model.addAttribute("error", error == null ? null
        : switch (error) {
          case "locked", "code", "sso", "unavailable" -> error;
          default -> "bad";
        });
    model.addAttribute("askCode", "code".equals(error));
    model.addAttribute("loggedOut", logout != null);
    model.addAttribute("providers", providers.all());
    return "login";
  }
}
