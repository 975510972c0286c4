package dev.atrium.webos.gateway;

import java.net.URI;
import java.util.Optional;

/**
 * Where a platform route goes: the service's address in the cluster, and optionally its headless Service
 * ({@code host:port}), whose A records are the ready pods to spread requests over one by one.
 */
public record Upstream(PlatformRoute route, URI serviceUrl, Optional<Pods> pods) {

  /** A headless Service's host name and the pods' port. */
  public record Pods(String host, int port) {
  }
}
