package dev.atrium.identity.login;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** What the login form sends beyond name and password: the one-time code, when the person has TOTP. */
public class LoginDetails extends WebAuthenticationDetails {

  private final String code;

  public LoginDetails(HttpServletRequest request) {
    super(request);
    String value = request.getParameter("code");
    this.code = value == null || value.length() > 16 ? null : value;
  }

  public String code() {
    return code;
  }
}
