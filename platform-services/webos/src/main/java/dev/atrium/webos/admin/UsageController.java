package dev.atrium.webos.admin;

import dev.atrium.webos.security.Admins;
import dev.atrium.webos.usage.Usage;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /webos/api/v1/admin/usage}: requests through the gateway by route, app and backend version, with
 * counts by status class, over every replica (each adds its counts to Redis every usage-flush interval; the one
 * answering adds its own first). For the admin area: which app or route is hot.
 */
@RestController
@RequestMapping("/webos/api/v1/admin/usage")
public class UsageController {

  private final Usage usage;
  private final Admins admins;

  public UsageController(Usage usage, Admins admins) {
    this.usage = usage;
    this.admins = admins;
  }

  /** One route, app and version: its requests in all and by status class ("2xx", "4xx", ...). */
  public record Line(String route, String app, String version, long requests, Map<String, Long> byStatus) {
  }

  public record Report(List<Line> lines, long requests) {
  }

  @GetMapping
  Report usage(Authentication authentication) {
    admins.require(authentication);
    return report();
  }

  /** The report, for whoever has checked the caller is an administrator (the portal's admin area). */
  public Report report() {
    Map<List<String>, Map<String, Long>> grouped = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Map.Entry<Usage.Key, Long> entry : usage.shared()) {
      Usage.Key key = entry.getKey();
      grouped.computeIfAbsent(List.of(key.route(), key.app(), key.version()), k -> new TreeMap<>())
          .merge(key.status(), entry.getValue(), Long::sum);
    }
    List<Line> lines = grouped.entrySet().stream().map(e -> new Line(e.getKey().get(0), e.getKey().get(1),
        e.getKey().get(2), e.getValue().values().stream().mapToLong(Long::longValue).sum(),
        new LinkedHashMap<>(e.getValue()))).toList();
    return new Report(lines, lines.stream().mapToLong(Line::requests).sum());
  }
}
