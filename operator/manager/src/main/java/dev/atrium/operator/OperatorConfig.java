package dev.atrium.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from environment variables (the Helm chart sets them).
 *
 * @param watchNamespaces namespaces to watch; empty means all (ATRIUM_WATCH_NAMESPACES, comma-separated)
 * @param defaultRegistry registry and path that images come from when a platform names none (ATRIUM_DEFAULT_REGISTRY)
 * @param httpPort port of /metrics, /healthz and /readyz (ATRIUM_HTTP_PORT)
 * @param leaderElection whether to elect a leader, so that several replicas are safe (ATRIUM_LEADER_ELECTION)
 * @param leaseNamespace namespace of the leader Lease (ATRIUM_LEASE_NAMESPACE, else POD_NAMESPACE, else default)
 */
public record OperatorConfig(Set<String> watchNamespaces, String defaultRegistry, int httpPort, boolean leaderElection,
    String leaseNamespace) {

  public static final String DEFAULT_REGISTRY = "registry.atrium.dev";
  /** The slf4j-simple setting that ATRIUM_LOG_LEVEL sets. */
  public static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  /** The log level from ATRIUM_LOG_LEVEL (trace, debug, info, warn or error; info when unset). */
  public static String logLevel(Map<String, String> env) {
    String level = env.getOrDefault("ATRIUM_LOG_LEVEL", "info").trim().toLowerCase(java.util.Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("ATRIUM_LOG_LEVEL is '" + env.get("ATRIUM_LOG_LEVEL")
          + "'; it must be one of trace, debug, info, warn, error");
    }
    return level;
  }

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    Set<String> namespaces = Arrays.stream(env.getOrDefault("ATRIUM_WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    String registry = env.getOrDefault("ATRIUM_DEFAULT_REGISTRY", DEFAULT_REGISTRY).replaceAll("/+$", "");
    int port = Integer.parseInt(env.getOrDefault("ATRIUM_HTTP_PORT", "8080"));
    boolean leaderElection = Boolean.parseBoolean(env.getOrDefault("ATRIUM_LEADER_ELECTION", "true"));
    String leaseNamespace = env.getOrDefault("ATRIUM_LEASE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "default"));
    return new OperatorConfig(namespaces, registry, port, leaderElection, leaseNamespace);
  }
}
