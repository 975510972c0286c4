package dev.atrium.identity.hybrid;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trusted providers, from {@code ATRIUM_IDENTITY_TRUSTED_PROVIDERS} (a JSON list of {@link TrustedProvider},
 * written by the operator from {@code spec.identity.trustedProviders}) and each one's client secret from
 * {@code ATRIUM_IDENTITY_PROVIDER_<NAME>_CLIENT_SECRET}. A provider's endpoints come from its discovery document,
 * read when someone first signs in through it (so identity starts while the company's SSO is down) and kept.
 */
@Component
public class TrustedProviders implements ClientRegistrationRepository {

  private static final Logger LOG = LoggerFactory.getLogger(TrustedProviders.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<TrustedProvider> providers;
  private final Map<String, String> secrets;
  private final String callbackBase;
  private final Map<String, ClientRegistration> resolved = new ConcurrentHashMap<>();

  TrustedProviders(Environment environment, dev.atrium.identity.config.IdentityProperties properties) {
    this.providers = parse(environment.getProperty("ATRIUM_IDENTITY_TRUSTED_PROVIDERS", "[]"));
    this.secrets = new ConcurrentHashMap<>();
    for (TrustedProvider provider : providers) {
      String variable = "ATRIUM_IDENTITY_PROVIDER_" + provider.name().toUpperCase(Locale.ROOT).replace('-', '_')
          + "_CLIENT_SECRET";
      String secret = environment.getProperty(variable);
      if (secret == null || secret.isBlank()) {
        throw new IllegalStateException(variable + " is not set: the trusted provider " + provider.name()
            + " needs identity's client secret there");
      }
      secrets.put(provider.name(), secret);
    }
    // the callback the company's provider must have registered for identity: under the issuer
    this.callbackBase = properties.issuer().replaceAll("/+$", "");
  }

  public List<TrustedProvider> all() {
    return providers;
  }

  public Optional<TrustedProvider> provider(String name) {
    return providers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    Optional<TrustedProvider> provider = provider(registrationId);
    if (provider.isEmpty()) {
      return null;
    }
    return resolved.computeIfAbsent(registrationId, id -> {
      TrustedProvider p = provider.get();
      LOG.info("reading the discovery document of trusted provider {} at {}", p.name(), p.issuer());
      return ClientRegistrations.fromIssuerLocation(p.issuer()).registrationId(p.name())
          .clientId(p.clientId()).clientSecret(secrets.get(p.name()))
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .scope("openid", "profile")
          .redirectUri(callbackBase + "/login/oauth2/code/{registrationId}")
          .clientName(p.displayName()).build();
    });
  }

  static List<TrustedProvider> parse(String json) {
    try {
      List<TrustedProvider> list = JSON.readValue(json, new TypeReference<List<TrustedProvider>>() { });
      for (TrustedProvider p : list) {
        if (p.name() == null || !p.name().matches("[a-z0-9][a-z0-9-]{0,30}") || p.issuer() == null
            || p.clientId() == null || p.usernameClaim() == null) {
          throw new IllegalStateException("ATRIUM_IDENTITY_TRUSTED_PROVIDERS: every provider needs name (lower-case"
              + " letters, digits, '-'), issuer, clientId and usernameClaim; got " + p);
        }
      }
      return List.copyOf(list);
    } catch (JacksonException e) {
      throw new IllegalStateException("ATRIUM_IDENTITY_TRUSTED_PROVIDERS is not a JSON list of providers: "
          + e.getOriginalMessage());
    }
  }
}
