package dev.atrium.identity.hybrid;

/**
 * A company's own OpenID Connect provider that identity trusts (hybrid mode): people may sign in there and land
 * in Atrium as the person of the directory whose id the provider's {@code usernameClaim} names.
 *
 * @param name a short id: the login button's and the callback path's ({@code /login/oauth2/code/<name>})
 * @param displayName what the login page's button says
 * @param issuer the provider's issuer; its discovery document is read on first use
 * @param clientId identity's client id at the provider
 * @param usernameClaim the ID token claim that holds the person's id in Atrium's directory
 */
public record TrustedProvider(String name, String displayName, String issuer, String clientId, String usernameClaim) {
}
