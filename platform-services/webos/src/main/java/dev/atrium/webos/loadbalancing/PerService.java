package dev.atrium.webos.loadbalancing;

import dev.atrium.webos.gateway.PlatformRoute;
import org.springframework.cloud.loadbalancer.core.RequestBasedStickySessionServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The load balancer's configuration of one service (in its own child context, so deliberately not a scanned
 * {@code @Configuration}): its instances from {@link LoadBalancingConfiguration.Replicas}, identity's following the
 * sticky-session cookie ({@code spring.cloud.loadbalancer.sticky-session.instance-id-cookie-name}).
 */
class PerService {

  @Bean
  ServiceInstanceListSupplier instances(Environment environment, LoadBalancingConfiguration.Replicas replicas,
      LoadBalancerClientFactory factory) {
    String serviceId = environment.getRequiredProperty(LoadBalancerClientFactory.PROPERTY_NAME);
    DnsInstances instances = replicas.of(serviceId);
    return PlatformRoute.IDENTITY.serviceId().equals(serviceId)
        ? new RequestBasedStickySessionServiceInstanceListSupplier(instances, factory) : instances;
  }
}
