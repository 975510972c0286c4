package dev.atrium.webos.apps;

import dev.atrium.service.security.Caller;
import dev.atrium.webos.ratelimit.RateLimits;
import dev.atrium.webos.usage.Usage;
import dev.atrium.webos.web.GatewayProblems;
import java.util.Map;
import java.util.Optional;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Where a request to {@code /apps/{app}/**} goes: the app's route (404 problem without one), its rate limits
 * (429 problem with Retry-After over them: the app's, then the caller's), then one version of its backend by the
 * weights, sticky per person when the route says so. The chosen origin becomes the request's target for the
 * gateway's proxy.
 */
@Component
public class AppRouting implements HandlerFilterFunction<ServerResponse, ServerResponse> {

  private final AppRouteTable table;
  private final RateLimits limits;

  public AppRouting(AppRouteTable table, RateLimits limits) {
    this.table = table;
    this.limits = limits;
  }

  @Override
  public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
    String app = request.pathVariable("app");
    Optional<AppRouteTable.Entry> entry = table.get(app);
    if (entry.isEmpty()) {
      return GatewayProblems.of(HttpStatus.NOT_FOUND, "no-route", "No such app route",
          "No app " + app + " is published through the gateway.", Map.of());
    }
    request.attributes().put(Usage.APP_ATTRIBUTE, app);
    AppRoute route = entry.get().route();
    String caller = caller().map(Caller::id).orElse("");
    if (route.rateLimit() != null) {
      AppRoute.RateLimit limit = route.rateLimit();
      RateLimits.Decision decision = limits.take("app:" + app, limit.requests(), limit.period());
      if (decision.allowed() && limit.perCaller() != null) {
        decision = limits.take("caller:" + app + ":" + caller, limit.perCaller(), limit.period());
        if (!decision.allowed()) {
          return tooMany(app, decision, "your share of its limit (" + limit.perCaller() + " per "
              + limit.period().toSeconds() + " s for one caller)");
        }
      } else if (!decision.allowed()) {
        return tooMany(app, decision, "its limit (" + limit.requests() + " per " + limit.period().toSeconds()
            + " s)");
      }
    }
    WeightedChoice<AppRoute.Backend> choice = entry.get().choice();
    if (choice.isEmpty()) {
      return GatewayProblems.of(HttpStatus.SERVICE_UNAVAILABLE, "backend-unavailable", "Backend unavailable",
          "App " + app + " has no backend version with a weight above 0.", Map.of("Retry-After", "5"));
    }
    AppRoute.Backend backend = route.sticky() && !caller.isEmpty() ? choice.sticky(caller, app) : choice.random();
    request.attributes().put(Usage.VERSION_ATTRIBUTE, backend.version());
    MvcUtils.setRequestUrl(request, backend.url());
    return next.handle(request);
  }

  private static ServerResponse tooMany(String app, RateLimits.Decision decision, String what) {
    return GatewayProblems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
        "App " + app + " got more requests than " + what + ". Retry after " + decision.retryAfterSeconds() + " s.",
        Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
  }

  private static Optional<Caller> caller() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication != null && authentication.getPrincipal() instanceof Caller caller ? Optional.of(caller)
        : Optional.empty();
  }
}
