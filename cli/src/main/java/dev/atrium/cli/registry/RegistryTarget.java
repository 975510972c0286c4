package dev.atrium.cli.registry;

import java.util.regex.Pattern;

/**
 * The site's registry as the operator's chart names it ({@code global.imageRegistry}): {@code host[:port][/path]}.
 * An image's repository there is {@code path/} + its repository, e.g. {@code reg.site:5000/mirror/atrium/redis}.
 *
 * @param host {@code host[:port]}
 * @param path the path inside it, without slashes at either end; empty for none
 */
public record RegistryTarget(String host, String path) {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]+)?|\\[[0-9A-Fa-f:]+\\](:[0-9]+)?");
  private static final Pattern PATH = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");

  public static RegistryTarget parse(String value) {
    String trimmed = value.strip().replaceAll("/+$", "");
    if (trimmed.contains("://")) {
      throw new IllegalArgumentException("--registry takes host[:port][/path], not a URL: " + value
          + " (use --plain-http for a registry without TLS)");
    }
    int slash = trimmed.indexOf('/');
    String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
    String path = slash < 0 ? "" : trimmed.substring(slash + 1);
    if (!HOST.matcher(host).matches() || (!path.isEmpty() && !PATH.matcher(path).matches())) {
      throw new IllegalArgumentException("not a registry host[:port][/path]: " + value);
    }
    return new RegistryTarget(host, path);
  }

  /** The repository an image of {@code repository} (e.g. {@code atrium/redis}) is pushed to, without the host. */
  public String repository(String repository) {
    return path.isEmpty() ? repository : path + "/" + repository;
  }

  /** The value of the chart's {@code global.imageRegistry}. */
  public String imageRegistry() {
    return path.isEmpty() ? host : host + "/" + path;
  }

  @Override
  public String toString() {
    return imageRegistry();
  }
}
