package dev.atrium.webos.loadbalancing;

import dev.atrium.webos.gateway.Upstream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * A service's replicas for Spring Cloud LoadBalancer. With a headless Service ({@code ATRIUM_GATEWAY_PODS_*}):
 * its A records, which are the ready pods, looked up again on every {@link #refresh()} (none: an empty list, so
 * requests get a 503 problem; a failed lookup keeps the last list). Without: the one Service URL, which
 * kube-proxy spreads per connection. Each instance's id is {@link Upstream#instanceId}, as the sticky cookie names it.
 */
public final class DnsInstances implements ServiceInstanceListSupplier {

  private static final Logger LOG = LoggerFactory.getLogger(DnsInstances.class);

  /** Resolves a host name to its addresses (InetAddress in production, a fixed table in tests). */
  public interface Resolver {
    List<String> addresses(String host) throws UnknownHostException;
  }

  static final Resolver SYSTEM = host -> Arrays.stream(InetAddress.getAllByName(host))
      .map(InetAddress::getHostAddress).sorted().toList();

  private final String serviceId;
  private final Upstream upstream;
  private final Resolver resolver;
  private volatile List<ServiceInstance> instances;

  public DnsInstances(String serviceId, Upstream upstream, Resolver resolver) {
    this.serviceId = serviceId;
    this.upstream = upstream;
    this.resolver = resolver;
    URI url = upstream.serviceUrl();
    boolean secure = "https".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
    this.instances = List.of(instance(url.getHost(), port, secure));
    refresh();
  }

  /** Looks the pods up again (nothing to do without a headless Service). */
  public void refresh() {
    if (upstream.pods().isEmpty()) {
      return;
    }
    Upstream.Pods pods = upstream.pods().get();
    boolean secure = "https".equals(upstream.serviceUrl().getScheme());
    try {
      instances = resolver.addresses(pods.host()).stream().map(address -> instance(address, pods.port(), secure))
          .toList();
    } catch (UnknownHostException e) {
      if (!instances.isEmpty()) {
        LOG.info("{}: no ready pod behind {}", serviceId, pods.host());
      }
      instances = List.of();
    } catch (RuntimeException e) {
      LOG.warn("{}: looking up {} failed, the last {} replicas stay: {}", serviceId, pods.host(), instances.size(),
          e.toString());
    }
  }

  public List<ServiceInstance> instances() {
    return instances;
  }

  private ServiceInstance instance(String host, int port, boolean secure) {
    return new DefaultServiceInstance(Upstream.instanceId(host, port), serviceId, host, port, secure);
  }

  @Override
  public String getServiceId() {
    return serviceId;
  }

  @Override
  public Flux<List<ServiceInstance>> get() {
    return Flux.just(instances);
  }
}
