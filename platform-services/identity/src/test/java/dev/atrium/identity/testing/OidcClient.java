package dev.atrium.identity.testing;

import dev.atrium.servicetesting.OidcBrowser;

/** service-testing's browser, pointed at an identity instance of the test. */
public final class OidcClient extends OidcBrowser {

  public OidcClient(IdentityInstance identity) {
    super(identity.uri("/"));
  }
}
