package dev.atrium.identity.devices;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The devices and device_authorizations tables. */
@Repository
class DeviceStore {

  private static final String COLUMNS = "id, person_id, name, platform, status, wipe_requested, registered_at,"
      + " activated_at, last_seen_at, status_changed_at, status_changed_by";

  private final JdbcClient jdbc;

  DeviceStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(UUID id, String personId, String name, String platform, String activationCodeHash, Instant expires,
      String by) {
    jdbc.sql("INSERT INTO devices (id, person_id, name, platform, activation_code_hash, activation_expires_at,"
        + " registered_by, status_changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(id, personId, name, platform, activationCodeHash, Timestamp.from(expires), by, by).update();
  }

  Optional<Device> device(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE id = ?").param(id).query(DeviceStore::device)
        .optional();
  }

  List<Device> ofPerson(String personId) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM devices WHERE person_id = ? ORDER BY registered_at")
        .param(personId).query(DeviceStore::device).list();
  }

  /** Activates a pending device whose code matches and has not expired; true when it did. */
  boolean activate(UUID id, String activationCodeHash, String secretHash, Instant now) {
    return jdbc.sql("UPDATE devices SET status = 'active', secret_hash = ?, activation_code_hash = NULL,"
            + " activated_at = ?, last_seen_at = ?, status_changed_at = ?, status_changed_by = person_id"
            + " WHERE id = ? AND status = 'pending' AND activation_code_hash = ? AND activation_expires_at > ?")
        .params(secretHash, Timestamp.from(now), Timestamp.from(now), Timestamp.from(now), id, activationCodeHash,
            Timestamp.from(now)).update() == 1;
  }

  Optional<String> secretHash(UUID id) {
    return jdbc.sql("SELECT secret_hash FROM devices WHERE id = ?").param(id).query(String.class).optional();
  }

  void seen(UUID id, Instant now) {
    jdbc.sql("UPDATE devices SET last_seen_at = ? WHERE id = ?").params(Timestamp.from(now), id).update();
  }

  void setStatus(UUID id, Device.Status status, String by, Instant now) {
    jdbc.sql("UPDATE devices SET status = ?, status_changed_at = ?, status_changed_by = ? WHERE id = ?")
        .params(status.column(), Timestamp.from(now), by, id).update();
  }

  void requestWipe(UUID id) {
    jdbc.sql("UPDATE devices SET wipe_requested = true WHERE id = ?").param(id).update();
  }

  boolean active(UUID id, String personId) {
    return jdbc.sql("SELECT EXISTS (SELECT 1 FROM devices d JOIN people p ON p.id = d.person_id WHERE d.id = ?"
        + " AND d.person_id = ? AND d.status = 'active' AND p.status = 'active')").params(id, personId)
        .query(Boolean.class).single();
  }

  void bind(String authorizationId, UUID deviceId) {
    jdbc.sql("INSERT INTO device_authorizations (authorization_id, device_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .params(authorizationId, deviceId).update();
  }

  List<String> authorizations(UUID deviceId) {
    return jdbc.sql("SELECT authorization_id FROM device_authorizations WHERE device_id = ?").param(deviceId)
        .query(String.class).list();
  }

  private static Device device(ResultSet rs, int row) throws SQLException {
    return new Device(rs.getObject("id", UUID.class), rs.getString("person_id"), rs.getString("name"),
        rs.getString("platform"), Device.Status.of(rs.getString("status")), rs.getBoolean("wipe_requested"),
        instant(rs.getTimestamp("registered_at")), instant(rs.getTimestamp("activated_at")),
        instant(rs.getTimestamp("last_seen_at")), instant(rs.getTimestamp("status_changed_at")),
        rs.getString("status_changed_by"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
