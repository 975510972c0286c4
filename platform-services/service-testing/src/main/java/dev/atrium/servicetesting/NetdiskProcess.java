package dev.atrium.servicetesting;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Netdisk as its own process (its runnable jar, as the image runs it) on the test PostgreSQL and object store
 * (SeaweedFS's S3 gateway), trusting the issuer and JWKS it is given, with {@code settings} added (e.g. its
 * message center and client). The jar's path is the system property {@code atrium.netdisk.jar}: a service's pom
 * copies it there before its ITs.
 */
public final class NetdiskProcess implements AutoCloseable {

  private final JarProcess process;

  private NetdiskProcess(JarProcess process) {
    this.process = process;
  }

  public static NetdiskProcess start(PostgresServer postgres, String database, SeaweedServer store, String bucket,
      String issuer, String jwksUri, String publicUrl, Map<String, String> settings) {
    int port = FreePort.pick();
    Map<String, String> arguments = new LinkedHashMap<>();
    arguments.put("spring.datasource.url", postgres.jdbcUrl(database));
    arguments.put("spring.datasource.username", PostgresServer.SUPERUSER);
    arguments.put("spring.datasource.password", "");
    arguments.put("ATRIUM_IDENTITY_ISSUER", issuer);
    arguments.put("ATRIUM_IDENTITY_JWKS_URI", jwksUri);
    arguments.put("ATRIUM_NETDISK_PUBLIC_URL", publicUrl);
    arguments.put("ATRIUM_S3_ENDPOINT", store.endpoint());
    arguments.put("ATRIUM_S3_BUCKET", bucket);
    arguments.put("ATRIUM_S3_ACCESS_KEY", store.accessKey());
    arguments.put("ATRIUM_S3_SECRET_KEY", store.secretKey());
    arguments.put("ATRIUM_PLATFORM", "it");
    arguments.put("ATRIUM_DB_POOL_SIZE", "5");
    arguments.put("logging.level.root", "WARN");
    arguments.putAll(settings);
    return new NetdiskProcess(JarProcess.start("netdisk", "atrium.netdisk.jar", "target/it-services/netdisk.jar",
        port, arguments));
  }

  public URI uri(String path) {
    return process.uri(path);
  }

  @Override
  public void close() {
    process.close();
  }
}
