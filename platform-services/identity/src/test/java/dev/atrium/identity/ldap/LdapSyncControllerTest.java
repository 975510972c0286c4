package dev.atrium.identity.ldap;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.atrium.identity.directory.DirectorySync;
import dev.atrium.service.web.ApiExceptionHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.security.web.method.annotation.AuthenticationPrincipalArgumentResolver;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** The admin API's answers for each way a run can end, and with the sync off. */
class LdapSyncControllerTest {

  private final LdapSync sync = mock(LdapSync.class);
  private final DirectorySync runs = mock(DirectorySync.class);

  @Test
  void withTheSyncOffRunningItIsNotFoundAndThePastRunsCanBeRead() throws Exception {
    MockMvc mvc = mvc(false);
    when(runs.runs(20)).thenReturn(List.of(run(7)));

    mvc.perform(post("/api/admin/ldap/sync")).andExpect(status().isNotFound())
        .andExpect(jsonPath("$.type").value("urn:atrium:problem:ldap-not-configured"));
    mvc.perform(get("/api/admin/ldap/sync")).andExpect(status().isOk())
        .andExpect(jsonPath("$.enabled").value(false)).andExpect(jsonPath("$.runs[0].id").value(7));
  }

  @Test
  void aRunThatSucceededIsAnsweredWithItsRecord() throws Exception {
    when(sync.run(anyString())).thenReturn(new LdapSync.Result(LdapSync.Outcome.SUCCEEDED, 7L,
        DirectorySync.Counts.NONE, List.of(), null, Duration.ofMillis(5)));
    when(runs.run(7)).thenReturn(java.util.Optional.of(run(7)));

    mvc(true).perform(post("/api/admin/ldap/sync")).andExpect(status().isOk())
        .andExpect(jsonPath("$.outcome").value("succeeded")).andExpect(jsonPath("$.counts.peopleCreated").value(2));
  }

  @Test
  void aRunUnderWayIsAConflict() throws Exception {
    when(sync.run(anyString())).thenReturn(new LdapSync.Result(LdapSync.Outcome.SKIPPED, null,
        DirectorySync.Counts.NONE, List.of(), "a sync is running on another replica", Duration.ZERO));

    mvc(true).perform(post("/api/admin/ldap/sync")).andExpect(status().isConflict())
        .andExpect(jsonPath("$.type").value("urn:atrium:problem:ldap-sync-running"))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("another replica")));
  }

  @Test
  void aFailedRunIsABadGatewayWithTheReason() throws Exception {
    when(sync.run(anyString())).thenReturn(new LdapSync.Result(LdapSync.Outcome.FAILED, 8L,
        DirectorySync.Counts.NONE, List.of(), "the directory at ldap://x: Communication: x:389", Duration.ZERO));

    mvc(true).perform(post("/api/admin/ldap/sync")).andExpect(status().isBadGateway())
        .andExpect(jsonPath("$.type").value("urn:atrium:problem:ldap-sync-failed"))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("ldap://x")))
        .andExpect(jsonPath("$.run").value(8));
  }

  private MockMvc mvc(boolean enabled) {
    LdapProperties properties = new LdapProperties(enabled, "ldap://x", "dc=x", "cn=y,dc=x", "pw", "15m",
        "(objectClass=inetOrgPerson)", "(objectClass=organizationalUnit)", LdapProperties.Login.BIND,
        new LdapProperties.Attributes("entryUUID", "uid", "cn", "mail", "telephoneNumber", "ou"));
    StaticListableBeanFactory beans = new StaticListableBeanFactory(enabled ? Map.of("ldapSync", sync) : Map.of());
    return MockMvcBuilders.standaloneSetup(new LdapSyncController(properties, beans.getBeanProvider(LdapSync.class),
            runs))
        .setControllerAdvice(new ApiExceptionHandler())
        .setCustomArgumentResolvers(new AuthenticationPrincipalArgumentResolver()).build();
  }

  private static DirectorySync.Run run(long id) {
    return new DirectorySync.Run(id, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
        "admin", "succeeded", new DirectorySync.Counts(2, 0, 0, 0, 1, 0, 0, 0, 0, 0), null, List.of());
  }
}
