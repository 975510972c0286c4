package dev.atrium.webos.apps;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.stripPrefix;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

import dev.atrium.webos.usage.Usage;
import dev.atrium.webos.web.GatewayProblems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/** The published apps' route: {@code /apps/{app}/**} to a version of the app's backend, without the prefix. */
@Configuration
public class AppGatewayConfiguration {

  @Bean
  RouterFunction<ServerResponse> appRoutes(AppRouting routing, Usage usage) {
    return route("apps")
        .route(RequestPredicates.path("/apps/{app}/**"), http())
        .filter(usage.filter("apps"))
        .filter(GatewayProblems.answeringFailures("the app's backend"))
        .filter(routing)
        .before(stripPrefix(2))
        .build();
  }
}
