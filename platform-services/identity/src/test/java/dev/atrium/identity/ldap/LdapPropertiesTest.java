package dev.atrium.identity.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The settings as Spring binds and validates them when the service starts. */
class LdapPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(LdapProperties.class)
  static class Bind {
  }

  private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Bind.class);

  private static final String[] COMPLETE = {"atrium.ldap.enabled=true", "atrium.ldap.url=ldap://ldap.example.com",
      "atrium.ldap.base-dn=dc=example,dc=com", "atrium.ldap.bind-dn=cn=sync,dc=example,dc=com",
      "atrium.ldap.bind-password=s3cret-Pa55"};

  @Test
  void offByDefaultAndNeedsNothingThen() {
    context.run(started -> {
      assertThat(started).hasNotFailed();
      LdapProperties properties = started.getBean(LdapProperties.class);
      assertThat(properties.enabled()).isFalse();
      assertThat(properties.interval()).isEqualTo(Duration.ofMinutes(15));
      assertThat(properties.userFilter()).isEqualTo("(objectClass=inetOrgPerson)");
      assertThat(properties.departmentFilter()).isEqualTo("(objectClass=organizationalUnit)");
      assertThat(properties.login()).isEqualTo(LdapProperties.Login.BIND);
      assertThat(properties.attribute()).isEqualTo(new LdapProperties.Attributes("entryUUID", "uid", "cn", "mail",
          "telephoneNumber", "ou"));
    });
  }

  @Test
  void whenOnTheServiceRefusesToStartNamingEachMissingSetting() {
    context.withPropertyValues("atrium.ldap.enabled=true", "atrium.ldap.url=ldap://ldap.example.com")
        .run(started -> assertThat(started).hasFailed().getFailure().rootCause().message()
            .contains("ATRIUM_LDAP_BASE_DN (atrium.ldap.base-dn) must be set")
            .contains("ATRIUM_LDAP_BIND_DN (atrium.ldap.bind-dn) must be set")
            .contains("ATRIUM_LDAP_BIND_PASSWORD (atrium.ldap.bind-password) must be set")
            .doesNotContain("ATRIUM_LDAP_URL"));
    context.withPropertyValues("atrium.ldap.enabled=true")
        .run(started -> assertThat(started).hasFailed().getFailure().rootCause().message()
            .contains("ATRIUM_LDAP_URL (atrium.ldap.url) must be set"));
  }

  @Test
  void completeSettingsStart() {
    context.withPropertyValues(COMPLETE).withPropertyValues("atrium.ldap.sync-interval=1h30m",
        "atrium.ldap.login=local", "atrium.ldap.attribute.id=objectGUID",
        "atrium.ldap.attribute.username=sAMAccountName", "atrium.ldap.attribute.display-name=displayName")
        .run(started -> {
          assertThat(started).hasNotFailed();
          LdapProperties properties = started.getBean(LdapProperties.class);
          assertThat(properties.interval()).isEqualTo(Duration.ofMinutes(90));
          assertThat(properties.login()).isEqualTo(LdapProperties.Login.LOCAL);
          assertThat(properties.attribute().idIsObjectGuid()).isTrue();
          assertThat(properties.attribute().username()).isEqualTo("sAMAccountName");
          assertThat(properties.attribute().displayName()).isEqualTo("displayName");
          assertThat(properties.attribute().email()).isEqualTo("mail");
        });
  }

  @Test
  void malformedSettingsAreRefused() {
    context.withPropertyValues(COMPLETE).withPropertyValues("atrium.ldap.url=http://ldap.example.com",
        "atrium.ldap.base-dn=example.com", "atrium.ldap.sync-interval=15 minutes",
        "atrium.ldap.user-filter=objectClass=person", "atrium.ldap.attribute.email=e mail")
        .run(started -> assertThat(started).hasFailed().getFailure().rootCause().message()
            .contains("ATRIUM_LDAP_URL must be ldap://host[:port] or ldaps://host[:port]")
            .contains("ATRIUM_LDAP_BASE_DN must be a distinguished name")
            .contains("ATRIUM_LDAP_SYNC_INTERVAL must be a duration")
            .contains("ATRIUM_LDAP_USER_FILTER must be an LDAP filter in parentheses")
            .contains("ATRIUM_LDAP_ATTRIBUTE_EMAIL must be an attribute name"));
    context.withPropertyValues(COMPLETE).withPropertyValues("atrium.ldap.sync-interval=0m")
        .run(started -> assertThat(started).hasFailed().getFailure().rootCause().message()
            .contains("ATRIUM_LDAP_SYNC_INTERVAL must be longer than zero"));
  }

  @Test
  void intervals() {
    assertThat(interval("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(interval("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(interval("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(interval("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(interval("1h0m5s")).isEqualTo(Duration.ofSeconds(3605));
  }

  @Test
  void theBindPasswordIsNeverPrinted() {
    context.withPropertyValues(COMPLETE).run(started -> {
      LdapProperties properties = started.getBean(LdapProperties.class);
      assertThat(properties.bindPassword()).isEqualTo("s3cret-Pa55");
      assertThat(properties.toString()).doesNotContain("s3cret-Pa55").contains("bindPassword=(set)")
          .contains("bindDn=cn=sync,dc=example,dc=com");
    });
    context.withPropertyValues("atrium.ldap.enabled=true", "atrium.ldap.bind-password=s3cret-Pa55")
        .run(started -> assertThat(started).hasFailed().getFailure().hasStackTraceContaining("must be set")
            .satisfies(failure -> assertThat(stackTrace(failure)).doesNotContain("s3cret-Pa55")));
  }

  private static Duration interval(String text) {
    return new LdapProperties(true, null, null, null, null, text, "(x=y)", "(x=y)", LdapProperties.Login.BIND,
        new LdapProperties.Attributes("entryUUID", "uid", "cn", "mail", "telephoneNumber", "ou")).interval();
  }

  private static String stackTrace(Throwable failure) {
    java.io.StringWriter out = new java.io.StringWriter();
    failure.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
