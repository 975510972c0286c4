package dev.atrium.webos.portal;

import dev.atrium.webos.market.CatalogueEntry;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/**
 * What the desktop's panels show, read from the services' JSON (pure functions: {@code DeskTest} checks them).
 * Fields the services may add later are ignored; missing ones read as empty.
 */
final class Desk {

  /** How many entries a panel lists. */
  static final int LIMIT = 8;

  private Desk() {
  }

  /**
   * An app the person may open: its id (the market's app id, or identity's client id for an app the market does not
   * know), its name, where it opens ({@code url} null when webos knows no address for it) and its icon (or null).
   */
  record AppTile(String id, String name, URI url, String iconUrl) {
    /** Opens on another site (a new tab), not on this desktop's own origin. */
    public boolean external() {
      return url != null && url.getHost() != null;
    }
  }

  record Chat(String id, String title, long unread, OffsetDateTime at) {
    Chat titled(String name) {
      return new Chat(id, name, unread, at);
    }
  }

  record Todo(String title, String link, OffsetDateTime due) {
  }

  record FileItem(String name, boolean folder, long size, OffsetDateTime modifiedAt, String modifiedBy) {
  }

  record Notice(String from, String title, String body, OffsetDateTime at, boolean read) {
  }

  /** The client ids of identity's {@code /api/me/apps}: the apps the person may use. */
  static Set<String> clientIds(JsonNode apps) {
    return stream(apps).map(app -> text(app, "clientId")).filter(Objects::nonNull).collect(Collectors.toSet());
  }

  /**
   * The desktop's apps. First the market's catalogue for the person ({@code catalogue}: listed apps whose client
   * identity lets them use), each opening at its live version's address, named in the page's language. Then the apps
   * of identity's {@code /api/me/apps} the market does not know ({@code marketClients}: its apps' clients whatever
   * their status, so a withdrawn app stays hidden), opening at their {@code fallback} address: webos itself left
   * out (the person is on it), and so are the platform's own clients that have no address to open (the command
   * line, services); a tenant's app is shown even without one.
   */
  static List<AppTile> apps(JsonNode apps, List<CatalogueEntry> catalogue, Set<String> marketClients,
      Map<String, URI> fallback, String self, boolean chinese, boolean admin) {
    List<AppTile> tiles = new ArrayList<>();
    // the admin area's pages answer administrators only: a tile to them would be a door to the 403 page
    catalogue.stream().filter(entry -> admin || !inAdminArea(entry.openUrl()))
        .forEach(entry -> tiles.add(new AppTile(entry.app(), chinese ? entry.nameZh() : entry.nameEn(),
            URI.create(entry.openUrl()), entry.iconUrl())));
    stream(apps).filter(app -> !self.equals(text(app, "clientId")) && !marketClients.contains(text(app, "clientId")))
        .filter(app -> !"PLATFORM".equals(text(app, "managedBy")) || fallback.containsKey(text(app, "clientId")))
        .map(app -> new AppTile(text(app, "clientId"), orElse(text(app, "name"), text(app, "clientId")),
            fallback.get(text(app, "clientId")), null))
        .forEach(tiles::add);
    return tiles;
  }

  /** Whether an app's address is this portal's admin area ({@code /admin} on the page's own origin). */
  static boolean inAdminArea(String openUrl) {
    URI uri = URI.create(openUrl);
    String path = uri.getPath() == null ? "" : uri.getPath();
    return uri.getHost() == null && (path.equals("/admin") || path.startsWith("/admin/"));
  }

  /**
   * The message center's {@code /api/v1/conversations}: one without a title is named after its other members, or
   * has a null title when the list does not name them (then {@link #title} of the conversation itself does).
   */
  static List<Chat> chats(JsonNode conversations, String me) {
    return stream(conversations).limit(LIMIT).map(c -> new Chat(text(c, "id"), title(c, me), c.path("unread")
        .asLong(0), time(orElse(text(c, "lastMessageAt"), text(c, "createdAt"))))).toList();
  }

  /** A conversation's title, or its members but {@code me}; null when neither is known. */
  static String title(JsonNode conversation, String me) {
    String title = text(conversation, "title");
    if (title != null && !title.isBlank()) {
      return title;
    }
    List<String> others = new ArrayList<>();
    stream(conversation.path("members")).map(m -> text(m, "userId")).filter(id -> id != null && !id.equals(me))
        .forEach(others::add);
    return others.isEmpty() ? null : String.join(", ", others);
  }

  static List<Todo> todos(JsonNode todos) {
    return stream(todos).filter(t -> "OPEN".equals(text(t, "status"))).limit(LIMIT)
        .map(t -> new Todo(text(t, "title"), safeLink(text(t, "deepLink")), time(text(t, "dueAt")))).toList();
  }

  static List<FileItem> files(JsonNode nodes) {
    return stream(nodes).limit(LIMIT).map(n -> new FileItem(text(n, "name"), "FOLDER".equals(text(n, "kind")),
        n.path("size").asLong(0), time(text(n, "modifiedAt")), text(n, "modifiedBy"))).toList();
  }

  static List<Notice> notices(JsonNode announcements) {
    return stream(announcements).limit(LIMIT).map(a -> new Notice(text(a, "serviceAccountHandle"), text(a, "title"),
        text(a, "body"), time(text(a, "createdAt")), a.path("read").asBoolean(false))).toList();
  }

  /** The id of the person's personal space in netdisk's {@code /spaces}, or null. */
  static String personalSpace(JsonNode spaces, String me) {
    return stream(spaces).filter(s -> "PERSONAL".equals(text(s, "kind")) && me.equals(text(s, "ownerId")))
        .map(s -> text(s, "id")).findFirst().orElse(null);
  }

  /** A to-do's link only when it is http(s): an app's deep link is never a script. */
  static String safeLink(String link) {
    if (link == null) {
      return null;
    }
    String lower = link.trim().toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("/") && !lower.startsWith(
        "//") ? link.trim() : null;
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return array != null && array.isArray() ? StreamSupport.stream(array.spliterator(), false)
        : java.util.stream.Stream.empty();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asString() : null;
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static OffsetDateTime time(String value) {
    try {
      return value == null ? null : OffsetDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
