package dev.atrium.webos.portal;

import dev.atrium.service.web.ApiException;
import dev.atrium.service.web.Problems;
import dev.atrium.webos.market.Market;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The app market in the admin area ({@code /admin/market}): the versions waiting for review, approved or rejected
 * here, and the catalogue with each app's status and versions, withdrawn, rolled back or published again here. Every
 * action is {@link Market}'s, called in-process for the administrator of the session (identity is called on their
 * token, as through the market's API); the market's refusals, the four-eyes rule among them, show as a message.
 */
@Controller
@RequestMapping("/admin/market")
class MarketPages {

  private static final String PAGE = "redirect:/admin/market";

  private final Market market;
  private final AdminGate gate;
  private final MessageSource messages;

  MarketPages(Market market, AdminGate gate, MessageSource messages) {
    this.market = market;
    this.gate = gate;
    this.messages = messages;
  }

  @GetMapping({"", "/"})
  String market(Authentication person, HttpServletRequest request, HttpServletResponse response, Model model) {
    admin(person, request, response, model);
    return page(model);
  }

  /**
   * An action's address opened as a page (the language link on the page an approval answered with leads here):
   * the market's page.
   */
  @GetMapping({"/{app}/versions/{version}/{action:approve|reject}", "/{app}/{action:withdraw|rollback|republish}"})
  String back() {
    return PAGE;
  }

  /**
   * Approves a version; it goes live whole (a gray release is the API's). The OAuth client's secret identity shows
   * when it registers the client is in this answer only: rendered here, never cached, never put in the session as
   * a redirect's message would be, so it is shown once and never again.
   */
  @PostMapping("/{app}/versions/{version}/approve")
  String approve(@PathVariable String app, @PathVariable String version, Authentication person,
      HttpServletRequest request, HttpServletResponse response, Locale locale, Model model,
      RedirectAttributes flash) {
    Market.Admin admin = admin(person, request, response, model);
    Market.Approval approval;
    try {
      approval = market.approve(admin, app, version, null);
    } catch (ApiException refused) {
      return refused(flash, refused, locale);
    }
    if (approval.clientSecret() == null) {
      flash.addFlashAttribute("done", "admin.market.approved");
      return PAGE;
    }
    response.setHeader("Cache-Control", "no-store");
    model.addAttribute("approval", approval);
    return page(model);
  }

  @PostMapping("/{app}/versions/{version}/reject")
  String reject(@PathVariable String app, @PathVariable String version, Authentication person,
      HttpServletRequest request, HttpServletResponse response, Locale locale, Model model,
      RedirectAttributes flash) throws IOException {
    Market.Admin admin = admin(person, request, response, model);
    String reason = Forms.read(request).get("reason");
    return act(flash, locale, "admin.market.rejected", () -> market.reject(admin, app, version, reason));
  }

  /** Withdraws an app, rolls it back a step, or publishes it again. */
  @PostMapping("/{app}/{action:withdraw|rollback|republish}")
  String rollout(@PathVariable String app, @PathVariable String action, Authentication person,
      HttpServletRequest request, HttpServletResponse response, Locale locale, Model model,
      RedirectAttributes flash) {
    Market.Admin admin = admin(person, request, response, model);
    return act(flash, locale, "admin.market." + action + ".done", () -> {
      switch (action) {
        case "withdraw" -> market.withdraw(admin, app);
        case "rollback" -> market.rollBack(admin, app);
        default -> market.republish(admin, app);
      }
    });
  }

  /** Does {@code action}, then the market's page with its message: {@code done}, or the market's refusal. */
  private String act(RedirectAttributes flash, Locale locale, String done, Runnable action) {
    try {
      action.run();
    } catch (ApiException refused) {
      return refused(flash, refused, locale);
    }
    flash.addFlashAttribute("done", done);
    return PAGE;
  }

  private String page(Model model) {
    model.addAttribute("queue", market.reviewQueue());
    model.addAttribute("apps", market.apps());
    return "portal/admin-market";
  }

  private Market.Admin admin(Authentication person, HttpServletRequest request, HttpServletResponse response,
      Model model) {
    OAuth2AccessToken token = gate.enter(person, request, response, model);
    return market.requireAdmin(person.getName(), token.getTokenValue(), token.getExpiresAt());
  }

  /**
   * The market's refusal as the page's message: in the page's language for the problems an administrator meets
   * here (the four-eyes rule, identity not answering), else the problem's own detail, which names what is wrong.
   */
  private String refused(RedirectAttributes flash, ApiException refused, Locale locale) {
    String type = String.valueOf(refused.problem().getType()).replace(Problems.TYPE_PREFIX, "");
    flash.addFlashAttribute("failed", messages.getMessage("admin.market.problem." + type, null,
        refused.problem().getDetail(), locale));
    return PAGE;
  }
}
