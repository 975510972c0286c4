package dev.atrium.webos.apps;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The app routes in webos's database (tables app_routes and app_route_backends). */
@Repository
public class AppRouteStore {

  private final JdbcClient jdbc;

  public AppRouteStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  private record Row(String app, boolean sticky, Long rateRequests, Integer ratePeriodSeconds, Long ratePerCaller,
      Timestamp updatedAt, String updatedBy) {
  }

  private record BackendRow(String app, String version, String url, int weight) {
  }

  /** Every route, by app. */
  public Map<String, AppRoute> all() {
    Map<String, List<AppRoute.Backend>> backends = new LinkedHashMap<>();
    jdbc.sql("SELECT app, version, url, weight FROM app_route_backends ORDER BY app, version")
        .query((rs, n) -> new BackendRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)))
        .list()
        .forEach(b -> backends.computeIfAbsent(b.app(), a -> new ArrayList<>())
            .add(new AppRoute.Backend(b.version(), URI.create(b.url()), b.weight())));
    Map<String, AppRoute> routes = new LinkedHashMap<>();
    for (Row row : rows("")) {
      routes.put(row.app(), route(row, backends.getOrDefault(row.app(), List.of())));
    }
    return routes;
  }

  public Optional<AppRoute> find(String app) {
    return rows(app).stream().findFirst().map(row -> route(row, jdbc
        .sql("SELECT version, url, weight FROM app_route_backends WHERE app = ? ORDER BY version").param(app)
        .query((rs, n) -> new AppRoute.Backend(rs.getString(1), URI.create(rs.getString(2)), rs.getInt(3)))
        .list()));
  }

  /** Creates or replaces the route of {@code route.app()}, its backends all at once. */
  @Transactional
  public void put(AppRoute route) {
    AppRoute.RateLimit limit = route.rateLimit();
    jdbc.sql("INSERT INTO app_routes (app, sticky, rate_requests, rate_period_seconds, rate_per_caller, updated_at,"
        + " updated_by) VALUES (?, ?, ?, ?, ?, now(), ?) ON CONFLICT (app) DO UPDATE SET sticky = excluded.sticky,"
        + " rate_requests = excluded.rate_requests, rate_period_seconds = excluded.rate_period_seconds,"
        + " rate_per_caller = excluded.rate_per_caller, updated_at = now(), updated_by = excluded.updated_by")
        .params(route.app(), route.sticky(), limit == null ? null : limit.requests(),
            limit == null ? null : (int) limit.period().toSeconds(), limit == null ? null : limit.perCaller(),
            route.updatedBy())
        .update();
    jdbc.sql("DELETE FROM app_route_backends WHERE app = ?").param(route.app()).update();
    for (AppRoute.Backend backend : route.backends()) {
      jdbc.sql("INSERT INTO app_route_backends (app, version, url, weight) VALUES (?, ?, ?, ?)")
          .params(route.app(), backend.version(), backend.url().toString(), backend.weight())
          .update();
    }
  }

  /** Removes the route; false if there was none. */
  public boolean delete(String app) {
    return jdbc.sql("DELETE FROM app_routes WHERE app = ?").param(app).update() > 0;
  }

  private List<Row> rows(String app) {
    return jdbc.sql("SELECT app, sticky, rate_requests, rate_period_seconds, rate_per_caller, updated_at, updated_by"
        + " FROM app_routes WHERE ? = '' OR app = ? ORDER BY app").params(app, app)
        .query((rs, n) -> new Row(rs.getString(1), rs.getBoolean(2), (Long) rs.getObject(3),
            (Integer) rs.getObject(4), (Long) rs.getObject(5), rs.getTimestamp(6), rs.getString(7)))
        .list();
  }

  private static AppRoute route(Row row, List<AppRoute.Backend> backends) {
    AppRoute.RateLimit limit = row.rateRequests() == null ? null : new AppRoute.RateLimit(row.rateRequests(),
        Duration.ofSeconds(row.ratePeriodSeconds()), row.ratePerCaller());
    return new AppRoute(row.app(), backends, row.sticky(), limit, row.updatedAt().toInstant(), row.updatedBy());
  }
}
