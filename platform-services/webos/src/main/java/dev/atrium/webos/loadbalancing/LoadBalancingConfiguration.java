package dev.atrium.webos.loadbalancing;

import dev.atrium.webos.gateway.PlatformRoutes;
import dev.atrium.webos.gateway.Upstream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Spring Cloud LoadBalancer over the platform's services: one {@link DnsInstances} per route, refreshed every
 * dns-refresh interval, round robin per request (the load balancer's default), identity's with the
 * sticky-session cookie ({@link PerService}).
 */
@Configuration
@LoadBalancerClients(defaultConfiguration = PerService.class)
public class LoadBalancingConfiguration {

  /** Every route's instances, by service id. */
  public static final class Replicas {
    private final Map<String, DnsInstances> byService = new LinkedHashMap<>();

    Replicas(PlatformRoutes routes, DnsInstances.Resolver resolver) {
      for (Upstream upstream : routes.all()) {
        String id = upstream.route().serviceId();
        byService.put(id, new DnsInstances(id, upstream, resolver));
      }
    }

    public DnsInstances of(String serviceId) {
      DnsInstances instances = byService.get(serviceId);
      if (instances == null) {
        throw new IllegalStateException("no platform route " + serviceId);
      }
      return instances;
    }

    @Scheduled(fixedDelayString = "${atrium.webos.gateway.dns-refresh}")
    public void refresh() {
      byService.values().forEach(DnsInstances::refresh);
    }
  }

  /** The replicas, looked up with the system's resolver unless a {@link DnsInstances.Resolver} bean is given. */
  @Bean
  Replicas replicas(PlatformRoutes routes, ObjectProvider<DnsInstances.Resolver> resolver) {
    return new Replicas(routes, resolver.getIfAvailable(() -> DnsInstances.SYSTEM));
  }
}
