package dev.atrium.webos.portal;

import dev.atrium.webos.admin.UsageController;
import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.gateway.PlatformRoutes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin area, for the tenant's administrators as identity says ({@link AdminGate}); anyone else gets the 403
 * page. People and departments, apps and who is granted them, a person's devices (revoke, wipe) from identity's
 * admin API on the administrator's own token, and the gateway's routes with their usage, the busiest first.
 */
@Controller
@RequestMapping("/admin")
public class AdminController {

  private final Services services;
  private final AdminGate gate;
  private final UsageController usage;
  private final PlatformRoutes routes;
  private final JsonMapper json;

  AdminController(Services services, AdminGate gate, UsageController usage, PlatformRoutes routes,
      JsonMapper json) {
    this.services = services;
    this.gate = gate;
    this.usage = usage;
    this.routes = routes;
    this.json = json;
  }

  @GetMapping({"", "/"})
  String home() {
    return "redirect:/admin/people";
  }

  @GetMapping("/people")
  String people(Authentication person, HttpServletRequest request, HttpServletResponse response, Model model) {
    String token = admin(person, request, response, model);
    model.addAttribute("people", list(services.get(PlatformRoute.IDENTITY, "/api/admin/people?limit=500", token)));
    model.addAttribute("departments", list(services.get(PlatformRoute.IDENTITY, "/api/admin/departments", token)));
    return "portal/admin-people";
  }

  @GetMapping("/apps")
  String apps(Authentication person, HttpServletRequest request, HttpServletResponse response, Model model) {
    String token = admin(person, request, response, model);
    Panel<Map<String, Object>> apps = list(services.get(PlatformRoute.IDENTITY, "/api/admin/apps", token));
    model.addAttribute("apps", apps);
    model.addAttribute("grants", apps.items().stream().filter(app -> Boolean.TRUE.equals(app.get("restricted")))
        .collect(java.util.stream.Collectors.toMap(app -> (String) app.get("clientId"), app -> Grants.summary(
            services.get(PlatformRoute.IDENTITY, "/api/admin/apps/" + enc((String) app.get("clientId"))
                + "/grants", token).body()), (a, b) -> a, java.util.LinkedHashMap::new)));
    return "portal/admin-apps";
  }

  /** Replaces who may use an app: people and departments, separated by commas or spaces. */
  @PostMapping("/apps/{clientId}/grants")
  String grant(@PathVariable String clientId, Authentication person, HttpServletRequest request,
      HttpServletResponse response, Model model, RedirectAttributes flash) throws java.io.IOException {
    String token = admin(person, request, response, model);
    Map<String, String> form = Forms.read(request);
    Services.Answer answer = services.send(PlatformRoute.IDENTITY, "PUT", "/api/admin/apps/" + enc(clientId)
        + "/grants", token, Map.of("people", Grants.split(form.getOrDefault("people", "")), "departments",
            Grants.split(form.getOrDefault("departments", ""))));
    flash(flash, answer, "admin.apps.saved");
    return "redirect:/admin/apps";
  }

  @GetMapping("/devices")
  String devices(@RequestParam(required = false) String person, Authentication admin, HttpServletRequest request,
      HttpServletResponse response, Model model) {
    String token = admin(admin, request, response, model);
    model.addAttribute("who", person == null ? "" : person);
    if (person != null && !person.isBlank()) {
      model.addAttribute("devices", list(services.get(PlatformRoute.IDENTITY, "/api/admin/people/"
          + enc(person.trim()) + "/devices", token)));
    }
    return "portal/admin-devices";
  }

  /** Revokes a device, or asks it to wipe itself. */
  @PostMapping("/devices/{id}/{action:revoke|wipe}")
  String device(@PathVariable String id, @PathVariable String action, @RequestParam String person,
      Authentication admin, HttpServletRequest request, HttpServletResponse response, Model model,
      RedirectAttributes flash) {
    String token = admin(admin, request, response, model);
    String path = "revoke".equals(action) ? "/api/devices/" + enc(id) + "/revoke"
        : "/api/admin/devices/" + enc(id) + "/wipe";
    flash(flash, services.send(PlatformRoute.IDENTITY, "POST", path, token, null), "admin.devices." + action
        + ".done");
    return "redirect:/admin/devices?person=" + enc(person);
  }

  @GetMapping("/usage")
  String usage(Authentication person, HttpServletRequest request, HttpServletResponse response, Model model) {
    admin(person, request, response, model);
    model.addAttribute("routes", routes.all());
    try {
      UsageController.Report report = usage.report();
      model.addAttribute("usage", UsageRanking.hottestFirst(report.lines()));
      model.addAttribute("requests", report.requests());
    } catch (RuntimeException redisDown) {
      model.addAttribute("usageDown", true);
    }
    return "portal/admin-usage";
  }

  private String admin(Authentication person, HttpServletRequest request, HttpServletResponse response,
      Model model) {
    return gate.enter(person, request, response, model).getTokenValue();
  }

  @SuppressWarnings("unchecked")
  private Panel<Map<String, Object>> list(Services.Answer answer) {
    return Panel.of(answer, ok -> ok.body().isArray() ? json.treeToValue(ok.body(), List.class) : List.of());
  }

  private static void flash(RedirectAttributes flash, Services.Answer answer, String done) {
    if (answer.ok()) {
      flash.addFlashAttribute("done", done);
    } else {
      JsonNode detail = answer.body().path("detail");
      flash.addFlashAttribute("failed", detail.isString() ? detail.asString() : answer.state() == Services.State.OK
          ? "HTTP " + answer.status() : "identity-unavailable");
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
