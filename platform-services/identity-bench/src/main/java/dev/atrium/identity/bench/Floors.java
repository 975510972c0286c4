package dev.atrium.identity.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.lang.management.ManagementFactory;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The floors, run by {@link IdentityBench} as a JVM of their own pinned to the service's core, before the service
 * starts and after it stopped (so nothing of it competes): what one core does with nothing around the cryptography a
 * login or a grant cannot avoid. One thread (and for Argon2 also as many at once as the benchmark's concurrent
 * logins), warmed up first, then timed for a fixed time; both the wall-clock rate and the rate per CPU second of this
 * process (JIT and GC included, as the service pays them) are reported.
 *
 * <ul>
 *   <li>Argon2id verifications with the encoder identity uses ({@code
 *       Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()}: 16 MiB, 2 passes, 1 lane, BouncyCastle): a password
 *       login verifies exactly one.
 *   <li>Argon2id verifications with Keycloak's default parameters (7 MiB, 5 passes, 1 lane), by the same
 *       implementation: the hash Keycloak's sizing guide was measured with.
 *   <li>RS256 signatures of an access token's claims with the platform's RSA 3072 key by Nimbus (what Spring
 *       Authorization Server's encoder calls): a client credentials grant signs one, a login's token exchange two
 *       (access and ID token). The same with an RSA 2048 key, Keycloak's default, for comparison only.
 * </ul>
 *
 * <p>Usage: {@code Floors --warmup-seconds 3 --seconds 5 --concurrent 4}; the signing key (PKCS#8, base64) in the
 * environment variable {@code BENCH_SIGNING_KEY}. Prints one JSON object on standard output.
 */
public final class Floors {

  static final String PASSWORD = IdentityBench.PASSWORD;

  private Floors() {
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = IdentityBench.arguments(argv);
    double warmup = Double.parseDouble(args.getOrDefault("warmup-seconds", "3"));
    double seconds = Double.parseDouble(args.getOrDefault("seconds", "5"));
    int concurrent = Integer.parseInt(args.getOrDefault("concurrent", "4"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("processorsVisible", Runtime.getRuntime().availableProcessors());
    out.put("affinity", CpuTimes.status(ProcessHandle.current().pid(), "Cpus_allowed_list"));
    out.put("jvm", ManagementFactory.getRuntimeMXBean().getInputArguments());
    PasswordEncoder identity = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    out.put("argon2Identity", argon2(identity,
        "Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8() (identity's PasswordConfiguration)", 1, warmup,
        seconds));
    out.put("argon2IdentityConcurrent", argon2(identity, "the same, " + concurrent + " verifications at once on the"
        + " one core (as many as the benchmark's concurrent logins)", concurrent, warmup / 2, seconds));
    out.put("argon2KeycloakDefault", argon2(new Argon2PasswordEncoder(16, 32, 1, 7168, 5),
        "Keycloak's default argon2 provider: type id, version 1.3, memory 7168 KiB, 5 iterations, parallelism 1,"
            + " hash length 32", 1, warmup, seconds));
    out.put("rs256", rs256(System.getenv("BENCH_SIGNING_KEY"), "the service's signing key", warmup, seconds));
    // for comparison only: Keycloak's default realm key (rsa-generated) is RSA 2048
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    out.put("rs256Rsa2048", rs256(Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate()
        .getEncoded()), "a key of Keycloak's default size (its rsa-generated realm key), not identity's", warmup / 2,
        seconds / 2));
    System.out.println(JsonMapper.builder().build().writeValueAsString(out));
  }

  private static Map<String, Object> argon2(PasswordEncoder encoder, String what, int threads, double warmup,
      double seconds) throws InterruptedException {
    String hash = encoder.encode(PASSWORD);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("encoder", what);
    // the parameters as stored: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    out.put("parameters", hash.substring(0, hash.indexOf('$', hash.indexOf("m=")) + 1));
    out.putAll(timed(threads, warmup, seconds, () -> {
      if (!encoder.matches(PASSWORD, hash)) {
        throw new IllegalStateException("the password does not match its own hash");
      }
    }));
    return out;
  }

  private static Map<String, Object> rs256(String pkcs8, String which, double warmup, double seconds)
      throws Exception {
    RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
    RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
    RSAKey key = new RSAKey.Builder(publicKey).privateKey(privateKey).keyID("rsa-bench").keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256).build();
    // made once and reused, as Spring Security's NimbusJwtEncoder caches its signer per key
    JWSSigner signer = new RSASSASigner(key);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
        .build();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", "RSA " + privateKey.getModulus().bitLength() + ", " + which);
    out.put("library", "Nimbus JOSE+JWT " + SignedJWT.class.getPackage().getImplementationVersion()
        + " RSASSASigner, JDK provider " + java.security.Signature.getInstance("SHA256withRSA").getProvider());
    out.put("claims", "an access token of a client credentials grant: iss, sub, aud, nbf, iat, exp, jti, scope,"
        + " principal_type");
    out.putAll(timed(1, warmup, seconds, () -> {
      Instant now = Instant.now();
      JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://127.0.0.1:18490").subject("netdisk")
          .audience("netdisk").notBeforeTime(Date.from(now)).issueTime(Date.from(now))
          .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
          .claim("scope", List.of()).claim("principal_type", "app").build();
      SignedJWT jwt = new SignedJWT(header, claims);
      try {
        jwt.sign(signer);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      if (jwt.serialize().isEmpty()) {
        throw new IllegalStateException("empty token");
      }
    }));
    return out;
  }

  /**
   * Runs {@code op} in {@code threads} loops for the warm-up, then for {@code seconds}; the count, rates and time
   * per operation (wall-clock over the count, CPU of the whole process over the count).
   */
  private static Map<String, Object> timed(int threads, double warmup, double seconds, Runnable op)
      throws InterruptedException {
    loops(threads, warmup, op);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long start = System.nanoTime();
    long ops = loops(threads, seconds, op);
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threads", threads);
    out.put("operations", ops);
    out.put("seconds", Latencies.round3(wall));
    out.put("perSecond", Latencies.round(ops / wall));
    out.put("processCpuSeconds", Latencies.round3(cpu));
    out.put("perCpuSecond", Latencies.round(ops / cpu));
    out.put("cpuMsEach", Latencies.round3(1000 * cpu / ops));
    return out;
  }

  /** {@code threads} loops running {@code op} until {@code seconds} have passed; the operations done. */
  private static long loops(int threads, double seconds, Runnable op) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong ops = new AtomicLong();
    List<Thread> loops = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      loops.add(Thread.ofPlatform().name("floor-" + t).start(() -> {
        long n = 0;
        do {
          op.run();
          n++;
        } while (System.nanoTime() < end && n < 10_000_000);
        ops.addAndGet(n);
      }));
    }
    for (Thread loop : loops) {
      loop.join();
    }
    return ops.get();
  }
}
