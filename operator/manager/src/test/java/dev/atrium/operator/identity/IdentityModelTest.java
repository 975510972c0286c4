package dev.atrium.operator.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.LdapAttributes;
import dev.atrium.api.v1alpha1.LdapLogin;
import dev.atrium.api.v1alpha1.LdapSpec;
import dev.atrium.api.v1alpha1.SecretKeyRef;
import dev.atrium.api.v1alpha1.TrustedProviderSpec;
import dev.atrium.operator.TestPlatforms;
import dev.atrium.operator.model.Component;
import dev.atrium.operator.model.DesiredState;
import dev.atrium.operator.model.GeneratedSecret;
import dev.atrium.operator.model.Labels;
import dev.atrium.operator.platform.PlatformModel;
import dev.atrium.operator.workload.ConfigHash;
import dev.atrium.operator.workload.PlatformContext;
import dev.atrium.operator.workload.Wiring;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Identity's objects: the environment the service reads (its contract with the operator), the Secrets generated for
 * it, the platform's own OAuth clients, LDAP, the trusted providers of hybrid mode, and that a change to spec.identity
 * rolls identity alone.
 */
class IdentityModelTest {

  private static final String DOMAIN = TestPlatforms.DOMAIN;
  private static final String SIGNING_KEY = "acme-identity-signing-key";
  private static final String KEYS = "acme-identity-keys";
  private static final String ADMIN = "acme-identity-admin";
  private static final String WEBOS_CLIENT = "acme-webos-oauth-client";
  private static final String NETDISK_CLIENT = "acme-netdisk-oauth-client";
  private static final String BIND_SECRET = "acme-ldap-bind";
  private static final String SSO_SECRET = "acme-sso-client";

  /** The settings every service gets from Wiring.common: identity gets them too. */
  private static final Set<String> COMMON = Wiring.common(context(TestPlatforms.example()), Component.IDENTITY)
      .keySet();

  // --- the contract

  @Test
  void theConfigMapHoldsExactlyTheContractsSettings() {
    Map<String, String> config = config(TestPlatforms.example());

    Set<String> own = Set.of("ATRIUM_IDENTITY_ACCESS_TOKEN_TTL", "ATRIUM_IDENTITY_CLIENTS",
        "ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES", "ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS",
        "ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", "ATRIUM_IDENTITY_CLIENT_NETDISK_GRANT_TYPES",
        "ATRIUM_IDENTITY_CLIENT_NETDISK_REDIRECT_URIS", "ATRIUM_IDENTITY_CLIENT_NETDISK_POST_LOGOUT_REDIRECT_URIS",
        "ATRIUM_LDAP_ENABLED", "ATRIUM_IDENTITY_TRUSTED_PROVIDERS");
    assertThat(config.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.concat(COMMON.stream(), own.stream()).toList());
    // identity signs as the issuer every service checks, and serves the JWKS they fetch
    assertThat(config).containsEntry("ATRIUM_IDENTITY_ISSUER", "http://" + DOMAIN + "/auth")
        .containsEntry("ATRIUM_IDENTITY_ISSUER", Wiring.issuer(context(TestPlatforms.example())))
        .containsEntry("ATRIUM_IDENTITY_JWKS_URI", "http://acme-identity.acme.svc:8080/oauth2/jwks")
        .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://acme-database.acme.svc:5432/identity")
        .containsEntry("ATRIUM_IDENTITY_ACCESS_TOKEN_TTL", "5m")
        .containsEntry("ATRIUM_LDAP_ENABLED", "false")
        .containsEntry("ATRIUM_IDENTITY_TRUSTED_PROVIDERS", "[]");
  }

  @Test
  void theSecretsComeBySecretKeyRefFromTheGeneratedSecrets() {
    Map<String, SecretKeySelector> refs = secretRefs(TestPlatforms.example());

    assertThat(refs.keySet()).containsExactlyInAnyOrder(
        "SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_PASSWORD", "SPRING_DATA_REDIS_SENTINEL_PASSWORD",
        "ATRIUM_IDENTITY_SIGNING_KEY", "ATRIUM_IDENTITY_SIGNING_KEY_ID", "ATRIUM_IDENTITY_ENCRYPTION_KEY",
        "ATRIUM_IDENTITY_ADMIN_PASSWORD", "ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET",
        "ATRIUM_IDENTITY_CLIENT_NETDISK_SECRET");
    assertRef(refs, "ATRIUM_IDENTITY_SIGNING_KEY", SIGNING_KEY, "private-key");
    assertRef(refs, "ATRIUM_IDENTITY_SIGNING_KEY_ID", SIGNING_KEY, "key-id");
    assertRef(refs, "ATRIUM_IDENTITY_ENCRYPTION_KEY", KEYS, "encryption-key");
    assertRef(refs, "ATRIUM_IDENTITY_ADMIN_PASSWORD", ADMIN, "password");
    assertRef(refs, "ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET", WEBOS_CLIENT, "client-secret");
    assertRef(refs, "ATRIUM_IDENTITY_CLIENT_NETDISK_SECRET", NETDISK_CLIENT, "client-secret");
    assertRef(refs, "SPRING_DATASOURCE_PASSWORD", "acme-database-credentials", "app-password");
  }

  @Test
  void theGeneratedSecretsAreNamedAndOfTheirKinds() {
    DesiredState desired = identity(TestPlatforms.example());

    Map<String, GeneratedSecret> secrets = desired.secrets().stream()
        .collect(Collectors.toMap(s -> s.metadata().getName(), s -> s, (a, b) -> a, TreeMap::new));
    assertThat(desired.secrets()).hasSize(secrets.size());
    assertThat(secrets.keySet()).containsExactly(ADMIN, KEYS, SIGNING_KEY, NETDISK_CLIENT, WEBOS_CLIENT);
    assertThat(secrets.get(SIGNING_KEY).kind()).isEqualTo(GeneratedSecret.Kind.RSA_KEY_PAIR);
    assertThat(secrets.get(SIGNING_KEY).keys()).containsExactly("private-key", "public-key", "key-id");
    assertThat(secrets.get(KEYS).kind()).isEqualTo(GeneratedSecret.Kind.RANDOM);
    assertThat(secrets.get(KEYS).keys()).containsExactly("encryption-key");
    assertThat(secrets.get(ADMIN).kind()).isEqualTo(GeneratedSecret.Kind.RANDOM);
    assertThat(secrets.get(ADMIN).keys()).containsExactly("password");
    for (String client : List.of(WEBOS_CLIENT, NETDISK_CLIENT)) {
      assertThat(secrets.get(client).kind()).as(client).isEqualTo(GeneratedSecret.Kind.RANDOM);
      assertThat(secrets.get(client).keys()).as(client).containsExactly("client-secret");
    }
    // owned by the platform and labelled as the operator's, or the reconciler refuses them as someone else's
    assertThat(secrets.values()).allSatisfy(secret -> {
      assertThat(secret.metadata().getNamespace()).isEqualTo(TestPlatforms.NAMESPACE);
      assertThat(secret.metadata().getLabels()).containsEntry(Labels.INSTANCE, TestPlatforms.NAME)
          .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
      assertThat(secret.metadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getUid()).isEqualTo(TestPlatforms.UID);
        assertThat(o.getController()).isTrue();
      });
    });
    assertThat(secrets.get(WEBOS_CLIENT).metadata().getLabels()).containsEntry(Labels.NAME, "webos");
    assertThat(secrets.get(SIGNING_KEY).metadata().getLabels()).containsEntry(Labels.NAME, "identity");
  }

  @Test
  void noSecretValueNorSecretNameIsInTheConfigMap() {
    CollaborationPlatform platform = withLdap(ldap -> { });
    platform.getSpec().getIdentity().setTrustedProviders(List.of(
        provider("acme-sso", SSO_SECRET, "client-secret"), provider("partner", "acme-partner-sso", "secret")));
    DesiredState desired = identity(platform);
    Map<String, String> config = configOf(desired);
    Set<String> secretNames = desired.secrets().stream().map(s -> s.metadata().getName())
        .collect(Collectors.toCollection(HashSet::new));
    secretNames.add(BIND_SECRET);
    secretNames.add(SSO_SECRET);
    secretNames.add("acme-partner-sso");

    assertThat(config.keySet()).doesNotContainAnyElementsOf(secretRefs(desired).keySet());
    config.forEach((key, value) -> {
      assertThat(key).doesNotContain("PASSWORD").doesNotContain("SECRET").doesNotEndWith("_KEY")
          .doesNotContain("BIND_DN");
      secretNames.forEach(name -> assertThat(value).as(key).doesNotContain(name));
      assertThat(value).as(key).doesNotContain("clientSecret").doesNotContain("secretKeyRef");
    });
    // and every variable of the container that is not from the ConfigMap is a secretKeyRef, never a literal
    assertThat(container(desired).getEnv()).allSatisfy(e -> {
      assertThat(e.getValue()).as(e.getName()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef()).as(e.getName()).isNotNull();
    });
  }

  // --- the platform's own clients

  @Test
  void eachSwitchedOnClientIsRegisteredWithItsGrantsAndRedirects() {
    Map<String, String> config = config(TestPlatforms.example());

    assertThat(config).containsEntry("ATRIUM_IDENTITY_CLIENTS", "netdisk,webos")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES", "authorization_code,refresh_token")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS", "http://" + DOMAIN + "/login/oauth2/code/atrium")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", "http://" + DOMAIN + "/")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_NETDISK_GRANT_TYPES", "client_credentials")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_NETDISK_REDIRECT_URIS", "")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_NETDISK_POST_LOGOUT_REDIRECT_URIS", "");
  }

  @Test
  void withTlsAtTheFrontDoorTheRedirectsAreHttps() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIngress().setTlsSecretName("acme-tls");

    assertThat(config(platform))
        .containsEntry("ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS", "https://" + DOMAIN + "/login/oauth2/code/atrium")
        .containsEntry("ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", "https://" + DOMAIN + "/")
        .containsEntry("ATRIUM_IDENTITY_ISSUER", "https://" + DOMAIN + "/auth");
  }

  @Test
  void aSwitchedOffComponentIsNoClient() {
    CollaborationPlatform platform = TestPlatforms.without(Component.NETDISK);
    DesiredState desired = identity(platform);

    assertThat(configOf(desired)).containsEntry("ATRIUM_IDENTITY_CLIENTS", "webos")
        .doesNotContainKeys("ATRIUM_IDENTITY_CLIENT_NETDISK_GRANT_TYPES", "ATRIUM_IDENTITY_CLIENT_NETDISK_REDIRECT_URIS",
            "ATRIUM_IDENTITY_CLIENT_NETDISK_POST_LOGOUT_REDIRECT_URIS");
    assertThat(secretRefs(desired)).doesNotContainKey("ATRIUM_IDENTITY_CLIENT_NETDISK_SECRET");
    assertThat(desired.secrets()).extracting(s -> s.metadata().getName()).doesNotContain(NETDISK_CLIENT);

    DesiredState none = identity(TestPlatforms.without(Component.NETDISK, Component.WEBOS));
    assertThat(configOf(none)).containsEntry("ATRIUM_IDENTITY_CLIENTS", "")
        .doesNotContainKeys("ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES");
  }

  @Test
  void eachClientReadsTheSameSecretIdentityChecksItAgainst() {
    DesiredState desired = PlatformModel.from(context(TestPlatforms.example()));
    Map<String, SecretKeySelector> identity = secretRefs(named(desired, Deployment.class, "acme-identity"));

    for (String client : List.of("webos", "netdisk")) {
      Deployment deployment = named(desired, Deployment.class, "acme-" + client);
      assertThat(secretRefs(deployment).get("ATRIUM_OAUTH_CLIENT_SECRET")).as(client)
          .isEqualTo(identity.get("ATRIUM_IDENTITY_CLIENT_" + client.toUpperCase() + "_SECRET"));
      assertThat(named(desired, ConfigMap.class, "acme-" + client + "-config").getData()).as(client)
          .containsEntry("ATRIUM_OAUTH_CLIENT_ID", client);
    }
    // the message center only checks tokens: it is no client
    assertThat(named(desired, ConfigMap.class, "acme-message-center-config").getData())
        .doesNotContainKey("ATRIUM_OAUTH_CLIENT_ID");
    assertThat(secretRefs(named(desired, Deployment.class, "acme-message-center")))
        .doesNotContainKey("ATRIUM_OAUTH_CLIENT_SECRET");
    // and every client Secret is generated exactly once, by identity's model
    assertThat(desired.secrets()).extracting(s -> s.metadata().getName()).filteredOn(n -> n.endsWith("-oauth-client"))
        .containsExactlyInAnyOrder(WEBOS_CLIENT, NETDISK_CLIENT);
  }

  @Test
  void withIdentityOffNoServiceIsAClientOfIt() {
    // an external provider knows none of the platform's clients
    CollaborationPlatform platform = TestPlatforms.withExternalIdentity();

    DesiredState desired = PlatformModel.from(context(platform));

    assertThat(named(desired, ConfigMap.class, "acme-netdisk-config").getData())
        .doesNotContainKey("ATRIUM_OAUTH_CLIENT_ID");
    assertThat(secretRefs(named(desired, Deployment.class, "acme-netdisk")))
        .doesNotContainKey("ATRIUM_OAUTH_CLIENT_SECRET");
    assertThat(desired.secrets()).extracting(s -> s.metadata().getName())
        .noneMatch(n -> n.startsWith("acme-identity-") || n.endsWith("-oauth-client"));
  }

  // --- LDAP

  @Test
  void withoutLdapIdentityIsToldSoAndNothingMore() {
    DesiredState desired = identity(TestPlatforms.example());

    assertThat(configOf(desired)).containsEntry("ATRIUM_LDAP_ENABLED", "false")
        .satisfies(c -> assertThat(c.keySet()).filteredOn(k -> k.startsWith("ATRIUM_LDAP_"))
            .containsExactly("ATRIUM_LDAP_ENABLED"));
    assertThat(secretRefs(desired)).doesNotContainKeys("ATRIUM_LDAP_BIND_DN", "ATRIUM_LDAP_BIND_PASSWORD");
  }

  @Test
  void ldapAsTheSchemaDefaultsIt() {
    DesiredState desired = identity(withLdap(ldap -> { }));

    assertThat(configOf(desired))
        .containsEntry("ATRIUM_LDAP_ENABLED", "true")
        .containsEntry("ATRIUM_LDAP_URL", "ldaps://ldap.acme.example:636")
        .containsEntry("ATRIUM_LDAP_BASE_DN", "dc=acme,dc=example")
        .containsEntry("ATRIUM_LDAP_SYNC_INTERVAL", "15m")
        .containsEntry("ATRIUM_LDAP_USER_FILTER", "(objectClass=inetOrgPerson)")
        .containsEntry("ATRIUM_LDAP_DEPARTMENT_FILTER", "(objectClass=organizationalUnit)")
        .containsEntry("ATRIUM_LDAP_LOGIN", "bind")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_ID", "entryUUID")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_USERNAME", "uid")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_DISPLAY_NAME", "cn")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_EMAIL", "mail")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_PHONE", "telephoneNumber")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_DEPARTMENT_NAME", "ou");
    assertRef(secretRefs(desired), "ATRIUM_LDAP_BIND_DN", BIND_SECRET, "bindDN");
    assertRef(secretRefs(desired), "ATRIUM_LDAP_BIND_PASSWORD", BIND_SECRET, "password");
  }

  @Test
  void aPlatformStoredBeforeTheLdapFieldsExistedGetsTheSchemasDefaults() {
    // the API server fills the defaults in when it reads a stored object; should one lack them, the model does
    CollaborationPlatform bare = withLdap(ldap -> {
      ldap.setSyncInterval(null);
      ldap.setUserFilter(null);
      ldap.setDepartmentFilter(null);
      ldap.setLogin(null);
      ldap.setAttributes(null);
    });
    bare.getSpec().getIdentity().setAccessTokenTtl(null);

    assertThat(config(bare)).isEqualTo(config(withLdap(ldap -> { })));
  }

  @Test
  void anActiveDirectoryAsTheSpecSaysIt() {
    DesiredState desired = identity(withLdap(ldap -> {
      ldap.setUserFilter("(&(objectClass=user)(objectCategory=person))");
      ldap.setDepartmentFilter("(objectClass=organizationalUnit)");
      ldap.setLogin(LdapLogin.local);
      ldap.setSyncInterval("1h30m");
      LdapAttributes attributes = new LdapAttributes();
      attributes.setId("objectGUID");
      attributes.setUsername("sAMAccountName");
      attributes.setDisplayName("displayName");
      attributes.setEmail("userPrincipalName");
      attributes.setPhone("mobile");
      attributes.setDepartmentName("name");
      ldap.setAttributes(attributes);
    }));

    assertThat(configOf(desired))
        .containsEntry("ATRIUM_LDAP_USER_FILTER", "(&(objectClass=user)(objectCategory=person))")
        .containsEntry("ATRIUM_LDAP_LOGIN", "local")
        .containsEntry("ATRIUM_LDAP_SYNC_INTERVAL", "1h30m")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_ID", "objectGUID")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_USERNAME", "sAMAccountName")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_DISPLAY_NAME", "displayName")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_EMAIL", "userPrincipalName")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_PHONE", "mobile")
        .containsEntry("ATRIUM_LDAP_ATTRIBUTE_DEPARTMENT_NAME", "name");
  }

  @Test
  void theAccessTokenLifetimeIsTheSpecs() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIdentity().setAccessTokenTtl("15m");

    assertThat(config(platform)).containsEntry("ATRIUM_IDENTITY_ACCESS_TOKEN_TTL", "15m");
  }

  // --- hybrid mode: the company's own providers

  @Test
  void trustedProvidersAreTheJsonListIdentityReadsInTheSpecsOrder() {
    CollaborationPlatform platform = TestPlatforms.example();
    TrustedProviderSpec partner = provider("partner-idp", "acme-partner-sso", "secret");
    partner.setUsernameClaim("upn");
    platform.getSpec().getIdentity().setTrustedProviders(List.of(provider("acme-sso", SSO_SECRET, "client-secret"),
        partner));

    String json = config(platform).get("ATRIUM_IDENTITY_TRUSTED_PROVIDERS");

    // exactly the fields of identity's TrustedProvider record, in the spec's order, and no secret
    assertThat(Serialization.unmarshal(json, List.class)).isEqualTo(List.of(
        Map.of("name", "acme-sso", "displayName", "acme-sso SSO", "issuer", "https://sso.acme.example/realms/acme-sso",
            "clientId", "atrium-acme-sso", "usernameClaim", "preferred_username"),
        Map.of("name", "partner-idp", "displayName", "partner-idp SSO",
            "issuer", "https://sso.acme.example/realms/partner-idp", "clientId", "atrium-partner-idp",
            "usernameClaim", "upn")));
    assertThat(json).startsWith("[{\"name\":\"acme-sso\",\"displayName\":")
        .doesNotContain("acme-partner-sso").doesNotContain(SSO_SECRET);
  }

  @Test
  void eachProvidersClientSecretComesBySecretKeyRefUnderTheNameIdentityReads() {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIdentity().setTrustedProviders(List.of(provider("acme-sso", SSO_SECRET, "client-secret"),
        provider("partner-idp", "acme-partner-sso", "secret")));

    DesiredState desired = identity(platform);

    Map<String, SecretKeySelector> refs = secretRefs(desired);
    assertRef(refs, "ATRIUM_IDENTITY_PROVIDER_ACME_SSO_CLIENT_SECRET", SSO_SECRET, "client-secret");
    assertRef(refs, "ATRIUM_IDENTITY_PROVIDER_PARTNER_IDP_CLIENT_SECRET", "acme-partner-sso", "secret");
    assertThat(configOf(desired).keySet()).noneMatch(k -> k.startsWith("ATRIUM_IDENTITY_PROVIDER_"));
    // the tenant's Secrets: referenced, never generated (nor owned, nor pruned) by the operator
    assertThat(desired.secrets()).extracting(s -> s.metadata().getName())
        .doesNotContain(SSO_SECRET, "acme-partner-sso");
    assertThat(IdentityModel.providerSecretVariable("a-b-c")).isEqualTo("ATRIUM_IDENTITY_PROVIDER_A_B_C_CLIENT_SECRET");
  }

  @Test
  void withoutProvidersTheListIsEmptyAndNoProviderSecretIsRead() {
    CollaborationPlatform empty = TestPlatforms.example();
    empty.getSpec().getIdentity().setTrustedProviders(List.of());

    for (CollaborationPlatform platform : List.of(TestPlatforms.example(), empty)) {
      DesiredState desired = identity(platform);
      assertThat(configOf(desired)).containsEntry("ATRIUM_IDENTITY_TRUSTED_PROVIDERS", "[]");
      assertThat(secretRefs(desired).keySet()).noneMatch(k -> k.startsWith("ATRIUM_IDENTITY_PROVIDER_"));
    }
  }

  @Test
  void aProviderStoredBeforeUsernameClaimExistedGetsTheSchemasDefault() {
    CollaborationPlatform bare = TestPlatforms.example();
    TrustedProviderSpec provider = provider("acme-sso", SSO_SECRET, "client-secret");
    provider.setUsernameClaim(null);
    bare.getSpec().getIdentity().setTrustedProviders(List.of(provider));
    CollaborationPlatform defaulted = TestPlatforms.example();
    defaulted.getSpec().getIdentity().setTrustedProviders(List.of(provider("acme-sso", SSO_SECRET, "client-secret")));

    assertThat(config(bare)).isEqualTo(config(defaulted));
  }

  // --- rolling

  @Test
  void aChangeToSpecIdentityRollsIdentityOnly() {
    DesiredState before = PlatformModel.from(context(withLdap(ldap -> { })));
    DesiredState after = PlatformModel.from(context(withLdap(ldap -> ldap.setUserFilter(
        "(&(objectClass=inetOrgPerson)(memberOf=cn=staff,ou=groups,dc=acme,dc=example))"))));

    Map<String, PodTemplateSpec> was = templates(before);
    Map<String, PodTemplateSpec> is = templates(after);
    assertThat(hash(is.get("acme-identity"))).isNotEqualTo(hash(was.get("acme-identity")));
    assertThat(hash(is.get("acme-message-center"))).isEqualTo(hash(was.get("acme-message-center")));
    // nothing else in any other pod template moves either
    was.remove("acme-identity");
    is.remove("acme-identity");
    assertThat(is).isEqualTo(was);
  }

  @Test
  void addingChangingOrRemovingATrustedProviderRollsIdentityOnly() {
    CollaborationPlatform none = TestPlatforms.example();
    CollaborationPlatform one = withProviders(provider("acme-sso", SSO_SECRET, "client-secret"));
    CollaborationPlatform renamed = withProviders(provider("acme-sso", SSO_SECRET, "client-secret"));
    renamed.getSpec().getIdentity().getTrustedProviders().get(0).setDisplayName("Acme staff login");
    CollaborationPlatform otherSecret = withProviders(provider("acme-sso", SSO_SECRET, "rotated"));
    CollaborationPlatform emptied = TestPlatforms.example();
    emptied.getSpec().getIdentity().setTrustedProviders(List.of());

    // a change of the list changes identity's ConfigMap, whose hash is in its pod template
    assertRollsIdentityOnly(none, one, true);
    assertRollsIdentityOnly(one, renamed, true);
    // removing the last one: the list becomes [], so identity forgets the provider
    assertRollsIdentityOnly(one, emptied, true);
    // another key of the Secret: the ConfigMap stays, the template's secretKeyRef changes
    assertRollsIdentityOnly(one, otherSecret, false);
  }

  private static void assertRollsIdentityOnly(CollaborationPlatform before, CollaborationPlatform after,
      boolean configChanges) {
    Map<String, PodTemplateSpec> was = templates(PlatformModel.from(context(before)));
    Map<String, PodTemplateSpec> is = templates(PlatformModel.from(context(after)));
    assertThat(is.get("acme-identity")).isNotEqualTo(was.get("acme-identity"));
    assertThat(hash(is.get("acme-identity")).equals(hash(was.get("acme-identity")))).isEqualTo(!configChanges);
    assertThat(hash(is.get("acme-message-center"))).isEqualTo(hash(was.get("acme-message-center")));
    // nothing else in any other pod template moves either
    was.remove("acme-identity");
    is.remove("acme-identity");
    assertThat(is).isEqualTo(was);
  }

  @Test
  void theMessageCenterTrustsTheIssuerIdentitySignsAs() {
    DesiredState desired = PlatformModel.from(context(TestPlatforms.example()));
    Map<String, String> identity = named(desired, ConfigMap.class, "acme-identity-config").getData();

    for (String service : List.of("message-center", "netdisk", "webos")) {
      assertThat(named(desired, ConfigMap.class, "acme-" + service + "-config").getData()).as(service)
          .containsEntry("ATRIUM_IDENTITY_ISSUER", identity.get("ATRIUM_IDENTITY_ISSUER"))
          .containsEntry("ATRIUM_IDENTITY_JWKS_URI", identity.get("ATRIUM_IDENTITY_JWKS_URI"));
    }
  }

  // --- helpers

  private static PlatformContext context(CollaborationPlatform platform) {
    return TestPlatforms.context(platform);
  }

  private static DesiredState identity(CollaborationPlatform platform) {
    return IdentityModel.from(context(platform));
  }

  private static CollaborationPlatform withLdap(Consumer<LdapSpec> change) {
    CollaborationPlatform platform = TestPlatforms.withLdap(BIND_SECRET);
    change.accept(platform.getSpec().getIdentity().getLdap());
    return platform;
  }

  /** A provider as the API server stores it (usernameClaim defaulted), its client secret in the given Secret key. */
  private static TrustedProviderSpec provider(String name, String secret, String key) {
    TrustedProviderSpec provider = new TrustedProviderSpec();
    provider.setName(name);
    provider.setDisplayName(name + " SSO");
    provider.setIssuer("https://sso.acme.example/realms/" + name);
    provider.setClientId("atrium-" + name);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey(key);
    provider.setClientSecretRef(ref);
    provider.setUsernameClaim(TrustedProviderSpec.DEFAULT_USERNAME_CLAIM);
    return provider;
  }

  private static CollaborationPlatform withProviders(TrustedProviderSpec... providers) {
    CollaborationPlatform platform = TestPlatforms.example();
    platform.getSpec().getIdentity().setTrustedProviders(List.of(providers));
    return platform;
  }

  private static Map<String, String> config(CollaborationPlatform platform) {
    return configOf(identity(platform));
  }

  private static Map<String, String> configOf(DesiredState desired) {
    return named(desired, ConfigMap.class, "acme-identity-config").getData();
  }

  private static io.fabric8.kubernetes.api.model.Container container(DesiredState desired) {
    return named(desired, Deployment.class, "acme-identity").getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, SecretKeySelector> secretRefs(CollaborationPlatform platform) {
    return secretRefs(identity(platform));
  }

  private static Map<String, SecretKeySelector> secretRefs(DesiredState desired) {
    return secretRefs(named(desired, Deployment.class, "acme-identity"));
  }

  private static Map<String, SecretKeySelector> secretRefs(Deployment deployment) {
    Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
    for (EnvVar env : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        assertThat(refs.put(env.getName(), env.getValueFrom().getSecretKeyRef())).as(env.getName()).isNull();
      }
    }
    return refs;
  }

  private static void assertRef(Map<String, SecretKeySelector> refs, String env, String secret, String key) {
    assertThat(refs).containsKey(env);
    assertThat(refs.get(env).getName()).as(env).isEqualTo(secret);
    assertThat(refs.get(env).getKey()).as(env).isEqualTo(key);
  }

  private static Map<String, PodTemplateSpec> templates(DesiredState desired) {
    Map<String, PodTemplateSpec> templates = new TreeMap<>();
    desired.resources().forEach(r -> {
      if (r instanceof Deployment d) {
        templates.put(d.getMetadata().getName(), d.getSpec().getTemplate());
      } else if (r instanceof StatefulSet s) {
        templates.put(s.getMetadata().getName(), s.getSpec().getTemplate());
      }
    });
    return templates;
  }

  private static String hash(PodTemplateSpec template) {
    return template.getMetadata().getAnnotations().get(ConfigHash.ANNOTATION);
  }

  private static <T extends HasMetadata> T named(DesiredState desired, Class<T> kind, String name) {
    return desired.resources().stream().filter(kind::isInstance).map(kind::cast)
        .filter(r -> name.equals(r.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }
}
