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
  private final Map<String, String> unusable;

  public ReleaseCatalog(Map<String, Release> releases) {
    this(releases, Map.of());
  }

  private ReleaseCatalog(Map<String, Release> releases, Map<String, String> unusable) {
    this.releases = Map.copyOf(releases);
    this.unusable = Map.copyOf(unusable);
  }

  /** The releases this operator can run; one it cannot (e.g. it lacks a component's image) is kept aside with why. */
  public static ReleaseCatalog of(Collection<PlatformRelease> resources) {
    Map<String, Release> releases = new HashMap<>();
    Map<String, String> unusable = new HashMap<>();
    for (PlatformRelease resource : resources) {
      try {
        Release release = Release.of(resource);
        releases.put(release.version(), release);
      } catch (IllegalArgumentException e) {
        unusable.put(resource.getMetadata().getName(), e.getMessage());
      }
    }
    return new ReleaseCatalog(releases, unusable);
  }

  /** Why the release of this version cannot be used, when it exists but cannot. */
  public Optional<String> whyUnusable(String version) {
    return Optional.ofNullable(unusable.get(version));
  }

  public Optional<Release> find(String version) {
    return Optional.ofNullable(releases.get(version));
  }

  public SortedSet<String> versions() {
    return new TreeSet<>(releases.keySet());
  }
}
