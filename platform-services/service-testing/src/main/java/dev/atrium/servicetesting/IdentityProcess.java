package dev.atrium.servicetesting;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Identity, the tenant's OpenID Connect provider and directory, as its own process (its runnable jar, as the image
 * runs it) on PostgreSQL, configured as the operator configures it: its issuer is its own address, a fresh RSA
 * signing key, the first administrator {@code admin} with {@link #ADMIN_PASSWORD}, and the platform client
 * {@link #WEBOS} (the desktop's: authorization code, redirected to {@link OidcBrowser#REDIRECT_URI}) with
 * {@link #WEBOS_SECRET}, which {@link OidcBrowser#signIn} signs people in with. The jar's path is the system
 * property {@code atrium.identity.jar}: a service's pom copies it there before its ITs.
 */
public final class IdentityProcess implements AutoCloseable {

  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";
  public static final String WEBOS = "webos";
  public static final String WEBOS_SECRET = "webos-secret-for-tests";

  private final JarProcess process;
  private final String host;
  private final int port;

  private IdentityProcess(JarProcess process, String host, int port) {
    this.process = process;
    this.host = host;
    this.port = port;
  }

  public static IdentityProcess start(PostgresServer postgres, String database) {
    return start(postgres, database, "127.0.0.1", Map.of());
  }

  /**
   * As above, under {@code host} (a name of this machine's loopback: browsers keep cookies per host, so a browser
   * test that also runs another site, e.g. webos's portal, gives identity a name of its own), with {@code settings}
   * added to the arguments or replacing them (e.g. the {@link #WEBOS} client's redirect URIs).
   */
  public static IdentityProcess start(PostgresServer postgres, String database, String host,
      Map<String, String> settings) {
    int port = FreePort.pick();
    Map<String, String> args = new LinkedHashMap<>();
    args.put("spring.datasource.url", postgres.jdbcUrl(database));
    args.put("spring.datasource.username", PostgresServer.SUPERUSER);
    args.put("spring.datasource.password", "");
    args.put("ATRIUM_IDENTITY_ISSUER", "http://" + host + ":" + port);
    // as arguments, settings bound to identity's properties take their property names; the clients' by name
    args.put("atrium.identity.signing-key", signingKey());
    args.put("atrium.identity.signing-key-id", "rsa-it0000");
    args.put("atrium.identity.encryption-key", "encryption-key-for-tests");
    args.put("atrium.identity.admin-password", ADMIN_PASSWORD);
    args.put("atrium.identity.clients", WEBOS);
    args.put("ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET", WEBOS_SECRET);
    args.put("ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES", "authorization_code,refresh_token");
    args.put("ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS", OidcBrowser.REDIRECT_URI);
    args.put("ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS", OidcBrowser.POST_LOGOUT_URI);
    args.put("ATRIUM_PLATFORM", "it");
    args.put("ATRIUM_DB_POOL_SIZE", "5");
    args.put("ATRIUM_SHUTDOWN_TIMEOUT", "5s");
    args.put("logging.level.root", "WARN");
    args.putAll(settings);
    return new IdentityProcess(JarProcess.start("identity", "atrium.identity.jar", "target/it-services/identity.jar",
        port, args), host, port);
  }

  /** The issuer its tokens name (its own address). */
  public String issuer() {
    return uri("").toString();
  }

  public String jwksUri() {
    return uri("/oauth2/jwks").toString();
  }

  public URI uri(String path) {
    return URI.create("http://" + host + ":" + port + path);
  }

  /** A browser signed in as {@code username}, and its tokens from the {@link #WEBOS} client. */
  public OidcBrowser.Tokens signIn(String username, String password) {
    return new OidcBrowser(uri("")).signIn(WEBOS, WEBOS_SECRET, username, password);
  }

  private static String signingKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
