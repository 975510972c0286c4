package dev.atrium.webos.market;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The market in webos's database (tables market_apps, market_versions, market_audit; V2__market.sql). */
@Repository
class MarketStore {

  private static final String APP_COLUMNS = "a.app, a.kind, a.client_id, a.status, a.live_version, a.gray_version,"
      + " a.gray_percent, a.icon_etag, a.created_at, a.created_by, a.updated_at";
  private static final String VERSION_COLUMNS = "v.app, v.version, v.state, v.name_zh, v.name_en, v.description_zh,"
      + " v.description_en, v.open_url, v.backend_url, v.client_type, v.redirect_uris, v.submitted_at,"
      + " v.submitted_by, v.reviewed_at, v.reviewed_by, v.reason, v.live_from";

  private final JdbcClient jdbc;

  MarketStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** An icon as stored: its bytes, content type and entity tag. */
  record Icon(byte[] bytes, String contentType, String etag) {
  }

  /** Creates the app unlisted; false if an app of that id exists. */
  boolean insertApp(String app, AppKind kind, String clientId, String actor) {
    return jdbc.sql("INSERT INTO market_apps (app, kind, client_id, status, created_by) VALUES (?, ?, ?, 'unlisted',"
        + " ?) ON CONFLICT (app) DO NOTHING").params(app, lower(kind), clientId, actor).update() > 0;
  }

  void insertVersion(String app, Submission s, VersionState state, String actor) {
    jdbc.sql("INSERT INTO market_versions (app, version, state, name_zh, name_en, description_zh, description_en,"
            + " open_url, backend_url, client_type, redirect_uris, submitted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?)")
        .params(app, s.version(), lower(state), s.nameZh().strip(), s.nameEn().strip(), s.descriptionZh(),
            s.descriptionEn(), s.openUrl(), s.backendUrl() == null ? null : Validation.origin(s.backendUrl())
                .toString(), s.clientType().name(), s.redirectUris().toArray(String[]::new), actor)
        .update();
  }

  /** The app, its row locked until the transaction ends (every change of an app starts here). */
  Optional<MarketApp> lock(String app) {
    return jdbc.sql("SELECT " + APP_COLUMNS + " FROM market_apps a WHERE a.app = ? FOR UPDATE").param(app)
        .query(this::appRow).optional();
  }

  Optional<MarketApp> app(String app) {
    return jdbc.sql("SELECT " + APP_COLUMNS + " FROM market_apps a WHERE a.app = ?").param(app).query(this::appRow)
        .optional();
  }

  List<MarketApp> apps() {
    return jdbc.sql("SELECT " + APP_COLUMNS + " FROM market_apps a ORDER BY a.kind, a.app").query(this::appRow).list();
  }

  List<MarketApp> listed() {
    return jdbc.sql("SELECT " + APP_COLUMNS + " FROM market_apps a WHERE a.status = 'listed' ORDER BY a.kind, a.app")
        .query(this::appRow).list();
  }

  Set<String> clientIds() {
    return Set.copyOf(jdbc.sql("SELECT DISTINCT client_id FROM market_apps").query(String.class).list());
  }

  Optional<AppVersion> version(String app, String version) {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM market_versions v WHERE v.app = ? AND v.version = ?")
        .params(app, version).query(MarketStore::versionRow).optional();
  }

  /** The app's versions, the latest submitted first. */
  List<AppVersion> versions(String app) {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM market_versions v WHERE v.app = ?"
        + " ORDER BY v.submitted_at DESC, v.version DESC").param(app).query(MarketStore::versionRow).list();
  }

  /** Every version waiting for review, the longest waiting first. */
  List<AppVersion> submitted() {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM market_versions v WHERE v.state = 'submitted'"
        + " ORDER BY v.submitted_at, v.app").query(MarketStore::versionRow).list();
  }

  /** The approved version that was live most recently before {@code current}, if any. */
  Optional<String> previousLive(String app, String current) {
    return jdbc.sql("SELECT version FROM market_versions WHERE app = ? AND state = 'approved' AND live_from IS NOT"
            + " NULL AND version <> ? ORDER BY live_from DESC LIMIT 1").params(app, current)
        .query(String.class).optional();
  }

  void review(String app, String version, VersionState state, String actor, String reason) {
    jdbc.sql("UPDATE market_versions SET state = ?, reviewed_at = now(), reviewed_by = ?, reason = ? WHERE app = ?"
        + " AND version = ?").params(lower(state), actor, reason, app, version).update();
  }

  void setState(String app, String version, VersionState state) {
    jdbc.sql("UPDATE market_versions SET state = ? WHERE app = ? AND version = ?")
        .params(lower(state), app, version).update();
  }

  void markLive(String app, String version) {
    jdbc.sql("UPDATE market_versions SET live_from = now() WHERE app = ? AND version = ?").params(app, version)
        .update();
  }

  void setRollout(String app, Rollout rollout) {
    jdbc.sql("UPDATE market_apps SET status = ?, live_version = ?, gray_version = ?, gray_percent = ?,"
            + " updated_at = now() WHERE app = ?")
        .params(lower(rollout.status()), rollout.live(), rollout.gray(), rollout.grayPercent(), app).update();
  }

  void setIcon(String app, Icon icon) {
    jdbc.sql("UPDATE market_apps SET icon = ?, icon_type = ?, icon_etag = ?, updated_at = now() WHERE app = ?")
        .params(icon.bytes(), icon.contentType(), icon.etag(), app).update();
  }

  Optional<Icon> icon(String app) {
    return jdbc.sql("SELECT icon, icon_type, icon_etag FROM market_apps WHERE app = ? AND icon IS NOT NULL")
        .param(app).query((rs, n) -> new Icon(rs.getBytes(1), rs.getString(2), rs.getString(3))).optional();
  }

  void audit(String actor, String action, String app, String version, String detail) {
    jdbc.sql("INSERT INTO market_audit (actor, action, app, version, detail) VALUES (?, ?, ?, ?, ?)")
        .params(actor, action, app, version, detail == null ? "" : detail).update();
  }

  /** The app's audit trail (every app's when {@code app} is null), the latest first. */
  List<AuditEntry> audit(String app, int limit) {
    return jdbc.sql("SELECT id, at, actor, action, app, version, detail FROM market_audit WHERE ?::text IS NULL OR"
            + " app = ? ORDER BY id DESC LIMIT ?").params(app, app, limit)
        .query((rs, n) -> new AuditEntry(rs.getLong(1), instant(rs.getTimestamp(2)), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))).list();
  }

  private MarketApp appRow(ResultSet rs, int row) throws SQLException {
    String app = rs.getString("app");
    String live = rs.getString("live_version");
    String etag = rs.getString("icon_etag");
    return new MarketApp(app, AppKind.valueOf(upper(rs.getString("kind"))), rs.getString("client_id"),
        new Rollout(AppStatus.valueOf(upper(rs.getString("status"))), live, rs.getString("gray_version"),
            (Integer) rs.getObject("gray_percent")),
        etag == null ? null : Market.iconPath(app) + "?v=" + etag.substring(0, Math.min(12, etag.length())),
        instant(rs.getTimestamp("created_at")), rs.getString("created_by"), instant(rs.getTimestamp("updated_at")),
        live == null ? null : version(app, live).orElse(null));
  }

  private static AppVersion versionRow(ResultSet rs, int row) throws SQLException {
    Array uris = rs.getArray("redirect_uris");
    return new AppVersion(rs.getString("app"), rs.getString("version"),
        VersionState.valueOf(upper(rs.getString("state"))), rs.getString("name_zh"), rs.getString("name_en"),
        rs.getString("description_zh"), rs.getString("description_en"), rs.getString("open_url"),
        rs.getString("backend_url"), ClientType.valueOf(rs.getString("client_type")),
        uris == null ? List.of() : Arrays.asList((String[]) uris.getArray()), instant(rs.getTimestamp("submitted_at")),
        rs.getString("submitted_by"), instant(rs.getTimestamp("reviewed_at")), rs.getString("reviewed_by"),
        rs.getString("reason"), instant(rs.getTimestamp("live_from")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String upper(String value) {
    return value.toUpperCase(Locale.ROOT);
  }
}
