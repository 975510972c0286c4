package dev.atrium.messagecenter.serviceaccount;

import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.Announcement;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.ReceivedAnnouncement;
import dev.atrium.messagecenter.serviceaccount.ServiceAccountApi.ServiceAccount;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of service accounts, followers and announcements. */
@Repository
class ServiceAccountStore {

  private static final String ACCOUNT = "SELECT s.id, s.handle, s.name, s.description, s.owner_kind, s.owner_id,"
      + " s.created_at, (SELECT count(*) FROM service_account_follower f WHERE f.service_account_id = s.id)"
      + " AS followers, EXISTS (SELECT 1 FROM service_account_follower f WHERE f.service_account_id = s.id"
      + " AND f.user_id = :viewer) AS following FROM service_account s";
  private static final String ANNOUNCEMENT = "SELECT a.id, a.service_account_id, s.handle, a.title, a.body,"
      + " a.to_followers, a.departments, a.created_at, (SELECT count(*) FROM announcement_delivery d"
      + " WHERE d.announcement_id = a.id) AS recipients FROM announcement a JOIN service_account s"
      + " ON s.id = a.service_account_id";

  private final JdbcClient jdbc;

  ServiceAccountStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  boolean insert(UUID id, String handle, String name, String description, String ownerKind, String ownerId) {
    return jdbc.sql("INSERT INTO service_account (id, handle, name, description, owner_kind, owner_id)"
            + " VALUES (:id, :handle, :name, :description, :kind, :owner) ON CONFLICT (handle) DO NOTHING")
        .param("id", id).param("handle", handle).param("name", name).param("description", description)
        .param("kind", ownerKind).param("owner", ownerId).update() == 1;
  }

  Optional<ServiceAccount> find(UUID id, String viewer) {
    return jdbc.sql(ACCOUNT + " WHERE s.id = :id").param("id", id).param("viewer", viewer)
        .query(ServiceAccountStore::account).optional();
  }

  List<ServiceAccount> all(String viewer) {
    return jdbc.sql(ACCOUNT + " ORDER BY s.handle").param("viewer", viewer).query(ServiceAccountStore::account).list();
  }

  void follow(UUID account, String user) {
    jdbc.sql("INSERT INTO service_account_follower (service_account_id, user_id) VALUES (:id, :user)"
        + " ON CONFLICT DO NOTHING").param("id", account).param("user", user).update();
  }

  void unfollow(UUID account, String user) {
    jdbc.sql("DELETE FROM service_account_follower WHERE service_account_id = :id AND user_id = :user")
        .param("id", account).param("user", user).update();
  }

  List<String> followers(UUID account) {
    return jdbc.sql("SELECT user_id FROM service_account_follower WHERE service_account_id = :id")
        .param("id", account).query(String.class).list();
  }

  /** Inserts an announcement; false (and nothing stored) when its client id was used before. */
  boolean insertAnnouncement(UUID id, UUID account, String clientId, String title, String body, boolean followers,
      List<String> departments, String publisher) {
    return jdbc.sql("INSERT INTO announcement (id, service_account_id, client_announcement_id, title, body,"
            + " to_followers, departments, published_by) VALUES (:id, :account, :client, :title, :body, :followers,"
            + " :departments::text[], :by) ON CONFLICT (service_account_id, client_announcement_id) DO NOTHING")
        .param("id", id).param("account", account).param("client", clientId).param("title", title)
        .param("body", body).param("followers", followers).param("departments", departments.toArray(String[]::new))
        .param("by", publisher).update() == 1;
  }

  Optional<Announcement> announcementByClientId(UUID account, String clientId) {
    return jdbc.sql(ANNOUNCEMENT + " WHERE a.service_account_id = :account AND a.client_announcement_id = :client")
        .param("account", account).param("client", clientId).query(ServiceAccountStore::announcement).optional();
  }

  Announcement announcement(UUID id) {
    return jdbc.sql(ANNOUNCEMENT + " WHERE a.id = :id").param("id", id).query(ServiceAccountStore::announcement)
        .single();
  }

  List<Announcement> announcements(Collection<UUID> ids) {
    return jdbc.sql(ANNOUNCEMENT + " WHERE a.id = ANY(:ids::uuid[])").param("ids", ids.toArray(UUID[]::new))
        .query(ServiceAccountStore::announcement).list();
  }

  void deliver(UUID announcement, Collection<String> users) {
    jdbc.sql("INSERT INTO announcement_delivery (user_id, announcement_id) SELECT unnest(:users::text[]), :id"
            + " ON CONFLICT DO NOTHING")
        .param("users", users.toArray(String[]::new)).param("id", announcement).update();
  }

  List<ReceivedAnnouncement> received(String user, int limit) {
    return jdbc.sql("SELECT a.id, a.service_account_id, s.handle, a.title, a.body, a.created_at,"
            + " d.read_at IS NOT NULL AS read FROM announcement_delivery d JOIN announcement a"
            + " ON a.id = d.announcement_id JOIN service_account s ON s.id = a.service_account_id"
            + " WHERE d.user_id = :user ORDER BY a.created_at DESC, a.id LIMIT :limit")
        .param("user", user).param("limit", limit)
        .query((rs, n) -> new ReceivedAnnouncement(rs.getObject("id", UUID.class),
            rs.getObject("service_account_id", UUID.class), rs.getString("handle"), rs.getString("title"),
            rs.getString("body"), rs.getObject("created_at", OffsetDateTime.class), rs.getBoolean("read")))
        .list();
  }

  /** Marks an announcement read; false when the user never received it. */
  boolean markRead(String user, UUID announcement) {
    return jdbc.sql("UPDATE announcement_delivery SET read_at = coalesce(read_at, now())"
            + " WHERE user_id = :user AND announcement_id = :id")
        .param("user", user).param("id", announcement).update() == 1;
  }

  long unread(String user) {
    return jdbc.sql("SELECT count(*) FROM announcement_delivery WHERE user_id = :user AND read_at IS NULL")
        .param("user", user).query(Long.class).single();
  }

  private static ServiceAccount account(ResultSet rs, int row) throws SQLException {
    return new ServiceAccount(rs.getObject("id", UUID.class), rs.getString("handle"), rs.getString("name"),
        rs.getString("description"), rs.getString("owner_kind"), rs.getString("owner_id"), rs.getLong("followers"),
        rs.getBoolean("following"), rs.getObject("created_at", OffsetDateTime.class));
  }

  private static Announcement announcement(ResultSet rs, int row) throws SQLException {
    Array departments = rs.getArray("departments");
    return new Announcement(rs.getObject("id", UUID.class), rs.getObject("service_account_id", UUID.class),
        rs.getString("handle"), rs.getString("title"), rs.getString("body"), rs.getBoolean("to_followers"),
        List.of((String[]) departments.getArray()), rs.getLong("recipients"),
        rs.getObject("created_at", OffsetDateTime.class));
  }
}
