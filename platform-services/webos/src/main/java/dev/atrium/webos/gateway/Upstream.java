package dev.atrium.webos.gateway;

import java.net.URI;
import java.util.Optional;

/**
 * Where a platform route goes: the service's address in the cluster, and optionally its headless Service
 * ({@code host:port}), whose A records are the ready pods to spread requests over one by one.
 */
public record Upstream(PlatformRoute route, URI serviceUrl, Optional<Pods> pods) {

  /**
   * The id of the replica at {@code host:port} for the load balancer and the sticky cookie: a digest, so the cookie
   * does not tell a browser the pods' addresses.
   */
  public static String instanceId(String host, int port) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest((host + ":" + port).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A headless Service's host name and the pods' port. */
  public record Pods(String host, int port) {
  }
}
