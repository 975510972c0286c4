package dev.atrium.webos.gateway;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.stripPrefix;
import static org.springframework.cloud.gateway.server.mvc.filter.LoadBalancerFilterFunctions.lb;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

import dev.atrium.webos.config.WebosProperties;
import dev.atrium.webos.usage.Usage;
import dev.atrium.webos.web.GatewayProblems;
import jakarta.servlet.http.Cookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The platform's routes (Spring Cloud Gateway Server Web MVC): one per service named in the environment
 * ({@link PlatformRoutes}), each spread over the service's replicas by Spring Cloud LoadBalancer (package
 * loadbalancing), timed and counted ({@link Usage}), its failures answered as problems. Identity's route keeps a
 * sign-in on one identity replica: the replica chosen first is named in a cookie, which the load balancer's
 * sticky-session supplier follows.
 */
@Configuration
public class PlatformGatewayConfiguration {

  @Bean
  PlatformRoutes platformRoutes(ConfigurableEnvironment environment) {
    Map<String, String> variables = new HashMap<>();
    for (var source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith(PlatformRoutes.ROUTES) || name.startsWith(PlatformRoutes.PODS)) {
            variables.putIfAbsent(name, environment.getProperty(name));
          }
        }
      }
    }
    return PlatformRoutes.from(variables);
  }

  /**
   * The HTTP client the gateway forwards with: the JDK's, HTTP/1.1 (no h2c upgrade attempts towards the
   * backends), streaming request and response bodies; connect and read time-outs from the settings. Its
   * dependent tasks (handing a response's bytes on) run on virtual threads rather than on its default pool of
   * platform threads: one wake-up of a platform thread fewer per request (hack/bench-webos.sh).
   */
  @Bean
  ClientHttpRequestFactory gatewayHttpClient(@Value("${atrium.webos.gateway.connect-timeout}") Duration connect,
      @Value("${atrium.webos.gateway.read-timeout}") Duration read) {
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(connect)
        .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newVirtualThreadPerTaskExecutor()).build());
    factory.setReadTimeout(read);
    return factory;
  }

  @Bean
  ProxiedRequestsObservation proxiedRequestsObservation(PlatformRoutes routes) {
    return new ProxiedRequestsObservation(routes.all().stream().map(upstream -> upstream.route().prefix()).toList());
  }

  @Bean
  ForwardedFor forwardedFor(@Value("${spring.cloud.gateway.server.webmvc.trusted-proxies}") String trustedProxies) {
    return new ForwardedFor(trustedProxies);
  }

  @Bean
  RouterFunction<ServerResponse> platformRouteFunctions(PlatformRoutes routes, Usage usage,
      WebosProperties properties) {
    RouterFunction<ServerResponse> all = null;
    for (Upstream upstream : routes.all()) {
      RouterFunction<ServerResponse> one = platformRoute(upstream.route(), usage, properties.gateway().stickyCookie());
      all = all == null ? one : all.and(one);
    }
    return all != null ? all : request -> java.util.Optional.empty();
  }

  private static RouterFunction<ServerResponse> platformRoute(PlatformRoute platformRoute, Usage usage, String cookie) {
    String id = platformRoute.serviceId();
    String prefix = platformRoute.prefix();
    RouterFunctions.Builder builder = route(id)
        .route(RequestPredicates.path(prefix).or(RequestPredicates.path(prefix + "/**")), http())
        .filter(usage.filter(id))
        .filter(GatewayProblems.answeringFailures(id));
    if (platformRoute.stripPrefix()) {
      builder.before(stripPrefix(1));
    }
    builder.filter(lb(id));
    if (platformRoute == PlatformRoute.IDENTITY) {
      builder.after((request, response) -> stick(request, response, cookie, prefix));
    }
    return builder.build();
  }

  /** Names the identity replica this request went to in a cookie, unless the request already named it. */
  private static ServerResponse stick(ServerRequest request, ServerResponse response, String cookie,
      String path) {
    URI target = MvcUtils.getAttribute(request, MvcUtils.GATEWAY_REQUEST_URL_ATTR);
    if (target == null) {
      return response;
    }
    String instance = Upstream.instanceId(target.getHost(), target.getPort());
    boolean named = request.cookies().getOrDefault(cookie, java.util.List.of()).stream()
        .anyMatch(c -> instance.equals(c.getValue()));
    if (!named) {
      Cookie replica = new Cookie(cookie, instance);
      replica.setPath(path);
      replica.setHttpOnly(true);
      replica.setAttribute("SameSite", "Lax");
      response.cookies().add(cookie, replica);
    }
    return response;
  }
}
