package dev.atrium.webos.apps;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The app routes every request is routed by, in memory: read from the database at start, every route-reload
 * interval (so every replica sees a change within it) and at once on the replica that made a change. A failed
 * read keeps the routes already known.
 */
@Component
public class AppRouteTable {

  private static final Logger LOG = LoggerFactory.getLogger(AppRouteTable.class);

  private final AppRouteStore store;
  private volatile Map<String, Entry> routes = Map.of();

  /** A route with its choice of backend made ready. */
  public record Entry(AppRoute route, WeightedChoice<AppRoute.Backend> choice) {
  }

  public AppRouteTable(AppRouteStore store) {
    this.store = store;
  }

  public Optional<Entry> get(String app) {
    return Optional.ofNullable(routes.get(app));
  }

  public List<AppRoute> all() {
    return routes.values().stream().map(Entry::route).toList();
  }

  @Scheduled(fixedDelayString = "${atrium.webos.gateway.route-reload}")
  public void reload() {
    try {
      Map<String, Entry> fresh = new HashMap<>();
      store.all().forEach((app, route) -> fresh.put(app, new Entry(route,
          WeightedChoice.of(route.backends(), AppRoute.Backend::weight))));
      routes = Map.copyOf(fresh);
    } catch (RuntimeException e) {
      LOG.warn("app routes not reloaded (the ones known stay): {}", e.toString());
    }
  }
}
