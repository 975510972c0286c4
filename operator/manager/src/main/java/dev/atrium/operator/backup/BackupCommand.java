package dev.atrium.operator.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The database image's {@code atrium-backup} (hack/images/postgresql/backup.py, docs/images/postgresql.md): the
 * commands the operator runs in the primary's container, and what their one JSON object on stdout says.
 */
public final class BackupCommand {

  public static final String EXECUTABLE = "atrium-backup";
  /** The database pod's container the command runs in. */
  public static final String CONTAINER = "postgresql";
  /** The exit status of a command run on a member that is not the leader. */
  public static final int NOT_THE_LEADER = 3;
  /** What the image accepts as a backup's name: a Kubernetes name, so a PlatformBackup's own. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,252}");
  /** Names barman keeps for itself (latest, oldest...): the image refuses them as a backup's name. */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("latest", "last", "oldest", "first",
      "last-failed");
  /** barman's id of a backup: when it started, 20261129T020001. */
  private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{6}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupCommand() {
  }

  /** A base backup named {@code name}, then retention. */
  public static List<String> base(String name) {
    return List.of(EXECUTABLE, "base", "--name", checked(name, false));
  }

  /** Restores the backup into a scratch directory, starts it, counts its rows, and removes it. */
  public static List<String> verify(String backupIdOrName) {
    return List.of(EXECUTABLE, "verify", checked(backupIdOrName, true));
  }

  /**
   * {@link #verify(String)} keeping its reserve of free space as a share of the claim's {@code volumeBytes} when the
   * file system is larger: a claim on a node's shared disk sees the whole disk.
   */
  public static List<String> verify(String backupIdOrName, long volumeBytes) {
    if (volumeBytes <= 0) {
      throw new IllegalArgumentException("a volume of " + volumeBytes + " bytes");
    }
    return List.of(EXECUTABLE, "verify", checked(backupIdOrName, true), "--volume-bytes", String.valueOf(volumeBytes));
  }

  /** The backups in the bucket. */
  public static List<String> list() {
    return List.of(EXECUTABLE, "list");
  }

  private static String checked(String name, boolean idToo) {
    if (name == null || RESERVED.contains(name)
        || !NAME.matcher(name).matches() && !(idToo && ID.matcher(name).matches())) {
      throw new IllegalArgumentException("'" + name + "' is not a backup name or id the image accepts");
    }
    return name;
  }

  /** One base backup as barman describes it. */
  public record BaseBackup(String backupId, String name, String beginTime, String endTime, String beginWal,
      String endWal, String beginLsn, String endLsn, Long timeline, Long sizeBytes, String status) {
  }

  /** What a verification found: whether the backup restored and started, and every table's rows. */
  public record Verification(String backupId, boolean verified, Map<String, Long> rows) {
  }

  /** The answer of {@link #base}. */
  public static BaseBackup parseBase(String stdout) {
    return backup(read(stdout));
  }

  /** The answer of {@link #list}. */
  public static List<BaseBackup> parseList(String stdout) {
    JsonNode backups = read(stdout).path("backups");
    if (!backups.isArray()) {
      throw new IllegalArgumentException("atrium-backup list answered without a backups array");
    }
    List<BaseBackup> list = new ArrayList<>();
    backups.forEach(b -> list.add(backup(b)));
    return list;
  }

  /** The answer of {@link #verify}; the rows keyed database.schema.table. */
  public static Verification parseVerification(String stdout) {
    JsonNode root = read(stdout);
    Map<String, Long> rows = new TreeMap<>();
    root.path("databases").fields().forEachRemaining(database -> database.getValue().fields().forEachRemaining(
        table -> rows.put(database.getKey() + "." + table.getKey(), table.getValue().asLong())));
    return new Verification(text(root, "backupId"), root.path("verified").asBoolean(false), rows);
  }

  private static BaseBackup backup(JsonNode b) {
    String id = text(b, "backupId");
    if (id == null) {
      throw new IllegalArgumentException("atrium-backup answered a backup without a backupId");
    }
    return new BaseBackup(id, text(b, "name"), text(b, "beginTime"), text(b, "endTime"), text(b, "beginWal"),
        text(b, "endWal"), text(b, "beginLsn"), text(b, "endLsn"), number(b, "timeline"), number(b, "sizeBytes"),
        text(b, "status"));
  }

  private static JsonNode read(String stdout) {
    try {
      JsonNode node = JSON.readTree(stdout == null ? "" : stdout.strip());
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("atrium-backup answered no JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("atrium-backup answered what is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || !value.canConvertToLong() ? null : value.asLong();
  }
}
