package dev.atrium.messagecenter.testing;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration tests that call the shared replica's API: the replica, the servers, tokens, and a
 * fresh suffix per test so that each test's people and apps are its own.
 */
@ExtendWith(TestServers.class)
public abstract class ApiTestBase {

  protected final MessageCenterInstance mc;
  protected final TestServers.Servers servers;
  private String run;

  protected ApiTestBase(MessageCenterInstance mc, TestServers.Servers servers) {
    this.mc = mc;
    this.servers = servers;
  }

  @BeforeEach
  void newRun() {
    run = UUID.randomUUID().toString().substring(0, 8);
  }

  /** A name unique to this test, e.g. {@code alice-1a2b3c4d}. */
  protected String name(String prefix) {
    return prefix + "-" + run;
  }

  protected String user(String id, String... departments) {
    return servers.jwks().userToken(id, departments);
  }

  protected String app(String id) {
    return servers.jwks().appToken(id);
  }
}
