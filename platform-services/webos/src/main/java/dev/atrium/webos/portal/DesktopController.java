package dev.atrium.webos.portal;

import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.market.Market;
import dev.atrium.webos.security.Admins;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The desktop ({@code /}): the person's apps, messages, to-dos, files and announcements, each panel from its service
 * on the person's token; the page's script keeps them live over the message center's push socket, for which it
 * asks {@code POST /portal/token} (this session's access token, as JSON, never cached), re-reads a panel from
 * {@code GET /portal/panels/{panel}} and uploads a file to the person's personal space through
 * {@code POST /portal/upload?name=}, streamed on to netdisk.
 */
@Controller
public class DesktopController {

  static final List<String> PANELS = List.of("apps", "messages", "todos", "files", "announcements");

  private final Services services;
  private final PersonTokens tokens;
  private final PortalProperties portal;
  private final Admins admins;
  private final Market market;

  public DesktopController(Services services, PersonTokens tokens, PortalProperties portal, Admins admins,
      Market market) {
    this.services = services;
    this.tokens = tokens;
    this.portal = portal;
    this.admins = admins;
    this.market = market;
  }

  @GetMapping("/")
  String desktop(Authentication person, HttpServletRequest request, HttpServletResponse response, Locale locale,
      Model model) {
    OAuth2AccessToken token = tokens.token(person, request, response);
    String me = person.getName();
    try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, Future<Panel<?>>> panels = new LinkedHashMap<>();
      for (String panel : PANELS) {
        panels.put(panel, calls.submit(() -> panel(panel, token.getTokenValue(), me, locale)));
      }
      Future<Boolean> admin = calls.submit(() -> isAdmin(token));
      for (Map.Entry<String, Future<Panel<?>>> panel : panels.entrySet()) {
        model.addAttribute(panel.getKey(), panel.getValue().get());
      }
      model.addAttribute("admin", admin.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    model.addAttribute("person", displayName(person));
    model.addAttribute("streamUrl", portal.streamUrl() == null ? "" : portal.streamUrl());
    model.addAttribute("uploads", services.on(PlatformRoute.NETDISK));
    model.addAttribute("appsRefresh", portal.appsRefresh().toSeconds());
    return "portal/desktop";
  }

  /** One panel, re-read by the page when the push socket says something changed. */
  @GetMapping("/portal/panels/{panel}")
  String panel(@PathVariable String panel, Authentication person, HttpServletRequest request,
      HttpServletResponse response, Locale locale, Model model) {
    if (!PANELS.contains(panel)) {
      throw new org.springframework.web.server.ResponseStatusException(HttpStatus.NOT_FOUND);
    }
    model.addAttribute(panel, panel(panel, tokens.value(person, request, response), person.getName(), locale));
    model.addAttribute("uploads", services.on(PlatformRoute.NETDISK));
    return "portal/desktop :: " + panel;
  }

  /** The session's access token for the page's socket: JSON, never stored by a cache, to this session only. */
  @PostMapping(value = "/portal/token", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseBody
  ResponseEntity<Map<String, Object>> token(Authentication person, HttpServletRequest request,
      HttpServletResponse response) {
    OAuth2AccessToken token = tokens.token(person, request, response);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accessToken", token.getTokenValue());
    body.put("expiresAt", token.getExpiresAt() == null ? null : token.getExpiresAt().toString());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(body);
  }

  /**
   * A file into the person's personal space: the request's body goes on to netdisk as it arrives (never held
   * whole here), under {@code name} at the space's top.
   */
  @PostMapping(value = "/portal/upload", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseBody
  ResponseEntity<Map<String, Object>> upload(@RequestParam String name, Authentication person,
      HttpServletRequest request, HttpServletResponse response) throws IOException {
    String problem = Uploads.problemWithName(name);
    long length = request.getContentLengthLong();
    if (problem == null && length < 0) {
      problem = "length-required";
    }
    if (problem != null) {
      return ResponseEntity.badRequest().body(Map.of("error", problem));
    }
    String token = tokens.value(person, request, response);
    Services.Answer spaces = services.get(PlatformRoute.NETDISK, "/netdisk/api/v1/spaces", token);
    String space = spaces.ok() ? Desk.personalSpace(spaces.body(), person.getName()) : null;
    if (space == null) {
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "netdisk-unavailable"));
    }
    Services.Answer stored = services.stream(PlatformRoute.NETDISK, "/netdisk/api/v1/spaces/" + space
        + "/content?path=" + URLEncoder.encode(Uploads.path(name), StandardCharsets.UTF_8), token,
        request.getInputStream(), length, MediaType.APPLICATION_OCTET_STREAM_VALUE);
    if (!stored.ok()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", stored.state() == Services.State.OK ? "refused" : "netdisk-unavailable");
      if (stored.body().path("detail").isString()) {
        body.put("detail", stored.body().path("detail").asString());
      }
      return ResponseEntity.status(stored.state() == Services.State.OK ? stored.status() : 503).body(body);
    }
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("name", name));
  }

  private Panel<?> panel(String panel, String token, String me, Locale locale) {
    return switch (panel) {
      // identity says which apps the person may use, the market where each opens (its live version's address)
      case "apps" -> Panel.of(services.get(PlatformRoute.IDENTITY, "/api/me/apps", token),
          answer -> Desk.apps(answer.body(), market.catalogue(Desk.clientIds(answer.body())), market.clientIds(),
              portal.appUrlMap(), portal.clientId(), PortalPages.CHINESE.getLanguage().equals(locale.getLanguage()),
              isAdmin(token)));
      case "messages" -> {
        Panel<Desk.Chat> chats = Panel.of(services.get(PlatformRoute.MESSAGE_CENTER, "/api/v1/conversations",
            token), answer -> Desk.chats(answer.body(), me).stream().map(chat -> chat.title() != null ? chat
                : chat.titled(orElse(title(chat.id(), token, me), "…"))).toList());
        Services.Answer unread = chats.ok() ? services.get(PlatformRoute.MESSAGE_CENTER, "/api/v1/unread", token)
            : null;
        yield unread != null && unread.ok() ? chats.withTotal(unread.body().path("total").asLong(0)) : chats;
      }
      case "todos" -> Panel.of(services.get(PlatformRoute.MESSAGE_CENTER, "/api/v1/todos?status=OPEN", token),
          answer -> Desk.todos(answer.body()));
      case "files" -> Panel.of(services.get(PlatformRoute.NETDISK, "/netdisk/api/v1/recent?limit=" + Desk.LIMIT,
          token), answer -> Desk.files(answer.body()));
      case "announcements" -> Panel.of(services.get(PlatformRoute.MESSAGE_CENTER, "/api/v1/announcements", token),
          answer -> Desk.notices(answer.body()));
      default -> throw new IllegalArgumentException(panel);
    };
  }

  /** The members of a conversation the list does not name them in (its own record has them). */
  private String title(String conversation, String token, String me) {
    Services.Answer answer = services.get(PlatformRoute.MESSAGE_CENTER, "/api/v1/conversations/" + conversation,
        token);
    return answer.ok() ? Desk.title(answer.body(), me) : null;
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private boolean isAdmin(OAuth2AccessToken token) {
    return isAdmin(token.getTokenValue(), token.getExpiresAt());
  }

  /** Whether identity says the token's person is an administrator (cached per token by {@link Admins}). */
  private boolean isAdmin(String token) {
    return isAdmin(token, null);
  }

  private boolean isAdmin(String token, java.time.Instant expiresAt) {
    try {
      return admins.isAdmin(token, expiresAt);
    } catch (RuntimeException identityDown) {
      return false; // the admin link comes back when identity answers again
    }
  }

  static String displayName(Authentication person) {
    if (person.getPrincipal() instanceof OidcUser user) {
      for (String name : new String[] {user.getFullName(), user.getPreferredUsername()}) {
        if (name != null && !name.isBlank()) {
          return name;
        }
      }
    }
    return person.getName();
  }
}
