package dev.atrium.operator.release;

import dev.atrium.api.v1alpha1.PlatformRelease;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The releases the cluster offers: the PlatformRelease resources, by version. */
public final class ReleaseCatalog {

  private final Map<String, Release> releases;

  public ReleaseCatalog(Map<String, Release> releases) {
    this.releases = Map.copyOf(releases);
  }

  public static ReleaseCatalog of(Collection<PlatformRelease> resources) {
    Map<String, Release> releases = new HashMap<>();
    for (PlatformRelease resource : resources) {
      Release release = Release.of(resource);
      releases.put(release.version(), release);
    }
    return new ReleaseCatalog(releases);
  }

  public Optional<Release> find(String version) {
    return Optional.ofNullable(releases.get(version));
  }

  public SortedSet<String> versions() {
    return new TreeSet<>(releases.keySet());
  }
}
