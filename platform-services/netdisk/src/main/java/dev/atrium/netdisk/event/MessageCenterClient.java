package dev.atrium.netdisk.event;

import dev.atrium.netdisk.config.NetdiskProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * The message center's app API, called as identity's client netdisk: a client-credentials token from identity's
 * token endpoint (Spring Security's OAuth2 client fetches and renews it) on every call.
 */
@Component
public class MessageCenterClient {

  static final String REGISTRATION = "netdisk";
  static final String SERVICE_ACCOUNT_HANDLE = "netdisk";
  private static final String SERVICE_ACCOUNT_SETTING = "message-center.service-account";

  private final RestClient http;
  private final JdbcClient jdbc;

  public MessageCenterClient(NetdiskProperties properties, JdbcClient jdbc) {
    this.jdbc = jdbc;
    NetdiskProperties.Events events = properties.events();
    if (!events.enabled()) {
      this.http = null;
      return;
    }
    ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
        .clientId(events.clientId())
        .clientSecret(events.clientSecret())
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .tokenUri(events.tokenUri())
        .build();
    var registrations = new InMemoryClientRegistrationRepository(registration);
    var manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations,
        new InMemoryOAuth2AuthorizedClientService(registrations));
    manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
    OAuth2ClientHttpRequestInterceptor tokens = new OAuth2ClientHttpRequestInterceptor(manager);
    tokens.setClientRegistrationIdResolver(request -> REGISTRATION);
    SimpleClientHttpRequestFactory timeouts = new SimpleClientHttpRequestFactory();
    timeouts.setConnectTimeout(3000);
    timeouts.setReadTimeout(10000);
    this.http = RestClient.builder().baseUrl(events.messageCenterUrl()).requestFactory(timeouts)
        .requestInterceptor(tokens).build();
  }

  public void createTodo(Map<String, Object> todo) {
    http.post().uri("/api/v1/todos").contentType(MediaType.APPLICATION_JSON).body(todo).retrieve().toBodilessEntity();
  }

  public void announce(Map<String, Object> announcement) {
    http.post().uri("/api/v1/service-accounts/{id}/announcements", serviceAccount())
        .contentType(MediaType.APPLICATION_JSON).body(announcement).retrieve().toBodilessEntity();
  }

  /** Netdisk's service account in the message center, made (and owned by netdisk) on first use. */
  private String serviceAccount() {
    Optional<String> known = jdbc.sql("select value from setting where name = ?").param(SERVICE_ACCOUNT_SETTING)
        .query(String.class).optional();
    if (known.isPresent()) {
      return known.get();
    }
    String id;
    try {
      id = http.post().uri("/api/v1/service-accounts").contentType(MediaType.APPLICATION_JSON)
          .body(Map.of("handle", SERVICE_ACCOUNT_HANDLE, "name", "Netdisk",
              "description", "Files arriving in your department's space"))
          .retrieve().body(JsonNode.class).get("id").asString();
    } catch (HttpClientErrorException.Conflict taken) {
      // made before (by another replica, or before this database knew it): find it among ours
      List<?> accounts = http.get().uri("/api/v1/service-accounts").retrieve().body(List.class);
      id = accounts.stream().map(Map.class::cast).filter(a -> SERVICE_ACCOUNT_HANDLE.equals(a.get("handle")))
          .map(a -> String.valueOf(a.get("id"))).findFirst()
          .orElseThrow(() -> new IllegalStateException("the message center has a service account '"
              + SERVICE_ACCOUNT_HANDLE + "' that does not list as netdisk's"));
    }
    jdbc.sql("insert into setting (name, value) values (?, ?) on conflict do nothing").params(SERVICE_ACCOUNT_SETTING, id)
        .update();
    return id;
  }
}
