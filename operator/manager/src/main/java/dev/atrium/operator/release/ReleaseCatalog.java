package dev.atrium.operator.release;

import dev.atrium.operator.model.Component;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The releases this operator knows, built in. The images are those the project builds from its
 * own sources and Debian packages; a PlatformRelease resource replaces this table later.
 */
public final class ReleaseCatalog {

  private final Map<String, Release> releases;

  public ReleaseCatalog(Map<String, Release> releases) {
    this.releases = Map.copyOf(releases);
  }

  public static ReleaseCatalog builtIn() {
    return new ReleaseCatalog(Map.of(
        "1.0.0", release("1.0.0", "15", "7.0"),
        "1.1.0", release("1.1.0", "15", "7.0")));
  }

  private static Release release(String version, String postgresql, String redis) {
    return new Release(version, Map.of(
        Component.DATABASE, new ImageRef("atrium/postgresql", postgresql + "-" + version, null),
        Component.CACHE, new ImageRef("atrium/redis", redis + "-" + version, null),
        Component.OBJECT_STORE, new ImageRef("atrium/object-store", version, null),
        Component.IDENTITY, new ImageRef("atrium/identity", version, null),
        Component.MESSAGE_CENTER, new ImageRef("atrium/message-center", version, null),
        Component.NETDISK, new ImageRef("atrium/netdisk", version, null),
        Component.WEBOS, new ImageRef("atrium/webos", version, null)));
  }

  public Optional<Release> find(String version) {
    return Optional.ofNullable(releases.get(version));
  }

  public SortedSet<String> versions() {
    return new TreeSet<>(releases.keySet());
  }
}
