package dev.atrium.webos.loadbalancing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.webos.gateway.PlatformRoute;
import dev.atrium.webos.gateway.Upstream;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

class DnsInstancesTest {

  private static final Upstream WITH_PODS = new Upstream(PlatformRoute.NETDISK, URI.create("http://nd:8080"),
      Optional.of(new Upstream.Pods("nd-pods", 8080)));

  @Test
  void withoutPodsTheServiceUrlIsTheOneInstance() {
    DnsInstances instances = new DnsInstances("netdisk", new Upstream(PlatformRoute.NETDISK,
        URI.create("http://nd.ns.svc:8080"), Optional.empty()), host -> {
          throw new AssertionError("no lookup without pods");
        });
    assertThat(instances.instances()).extracting(ServiceInstance::getHost, ServiceInstance::getPort,
        ServiceInstance::getInstanceId).containsExactly(org.assertj.core.groups.Tuple.tuple("nd.ns.svc", 8080,
            Upstream.instanceId("nd.ns.svc", 8080)));
    assertThat(Upstream.instanceId("nd.ns.svc", 8080)).hasSize(24).doesNotContain("nd")
        .isNotEqualTo(Upstream.instanceId("nd.ns.svc", 8081));
  }

  @Test
  void thePodsAreTheARecordsOfEachLookup() {
    AtomicReference<List<String>> records = new AtomicReference<>(List.of("10.0.0.1", "10.0.0.2"));
    DnsInstances instances = new DnsInstances("netdisk", WITH_PODS, host -> {
      if (records.get() == null) {
        throw new UnknownHostException(host);
      }
      return records.get();
    });
    assertThat(instances.instances()).extracting(ServiceInstance::getInstanceId)
        .containsExactly(Upstream.instanceId("10.0.0.1", 8080), Upstream.instanceId("10.0.0.2", 8080));
    records.set(List.of("10.0.0.2", "10.0.0.3", "10.0.0.4"));
    instances.refresh();
    assertThat(instances.instances()).extracting(ServiceInstance::getHost)
        .containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.4");
    records.set(null); // no ready pod: the headless Service has no record
    instances.refresh();
    assertThat(instances.instances()).isEmpty();
  }

  @Test
  void aFailedLookupKeepsTheLastReplicas() {
    AtomicReference<Boolean> fail = new AtomicReference<>(false);
    DnsInstances instances = new DnsInstances("netdisk", WITH_PODS, host -> {
      if (fail.get()) {
        throw new IllegalStateException("resolver down");
      }
      return List.of("10.0.0.1");
    });
    fail.set(true);
    instances.refresh();
    assertThat(instances.instances()).extracting(ServiceInstance::getHost).containsExactly("10.0.0.1");
  }

  @Test
  void theLoadBalancerTakesTheReplicasInTurnRequestByRequest() {
    DnsInstances instances = new DnsInstances("netdisk", WITH_PODS, host -> List.of("10.0.0.1", "10.0.0.2",
        "10.0.0.3"));
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("instances", instances);
    ObjectProvider<ServiceInstanceListSupplier> provider = beans.getBeanProvider(ServiceInstanceListSupplier.class);
    RoundRobinLoadBalancer balancer = new RoundRobinLoadBalancer(provider, "netdisk");
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chosen.add(balancer.choose(new DefaultRequest<>()).block().getServer().getHost());
    }
    assertThat(chosen.subList(0, 3)).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "10.0.0.3");
    assertThat(chosen.subList(3, 6)).isEqualTo(chosen.subList(0, 3));
  }
}
