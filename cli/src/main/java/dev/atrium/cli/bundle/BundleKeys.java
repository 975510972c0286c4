package dev.atrium.cli.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The bundle's Ed25519 keys, with the JDK's own provider: PEM files as OpenSSL writes them (PKCS#8
 * {@code PRIVATE KEY}, SubjectPublicKeyInfo {@code PUBLIC KEY}), and the signature over the index's exact
 * bytes (64 raw bytes, what {@code openssl pkeyutl -verify -rawin} takes as its signature file).
 */
public final class BundleKeys {

  static final String ALGORITHM = "Ed25519";
  public static final String PRIVATE_FILE = "bundle.key";
  public static final String PUBLIC_FILE = "bundle.pub";

  private BundleKeys() {
  }

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
    }
  }

  /** Writes {@code bundle.key} (mode 0600, written so from the start) and {@code bundle.pub}; never overwrites. */
  public static void write(KeyPair pair, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path privateFile = dir.resolve(PRIVATE_FILE);
    Path publicFile = dir.resolve(PUBLIC_FILE);
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a key");
      }
    }
    try {
      Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      // a file system without POSIX modes (e.g. Windows): its ACLs, inherited from the directory, protect the key
      Files.createFile(privateFile);
    }
    Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardOpenOption.WRITE);
    Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardOpenOption.CREATE_NEW);
  }

  public static PrivateKey readPrivate(Path file) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(unpem(file, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 private key (PKCS#8 PEM): " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublic(Path file) throws IOException {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(unpem(file, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not an Ed25519 public key (SubjectPublicKeyInfo PEM): " + e.getMessage(), e);
    }
  }

  public static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + key.getAlgorithm() + ": " + e.getMessage(), e);
    }
  }

  /** True when {@code signature} is the key's Ed25519 signature of exactly {@code data}. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The SHA-256 of the public key's encoding, to name a key in messages without printing it. */
  public static String fingerprint(PublicKey key) {
    return Digests.of(key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IOException(file + " has no " + begin + " block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the " + type + " block is not base64", e);
    }
  }

  /** Permissions a private key file should not have: group or others may read it. */
  static boolean readableByOthers(Path file) throws IOException {
    try {
      Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      return perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
    } catch (UnsupportedOperationException notPosix) {
      // no POSIX modes to judge by: nothing to warn about
      return false;
    }
  }
}
