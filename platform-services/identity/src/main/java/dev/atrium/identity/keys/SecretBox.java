package dev.atrium.identity.keys;

import dev.atrium.identity.config.IdentityProperties;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.encrypt.TextEncryptor;
import org.springframework.stereotype.Component;

/**
 * Encrypts what identity keeps secret in its database (rotated signing keys, TOTP secrets) with the platform's
 * encryption key: Spring Security's AES-256-GCM text encryptor (random IV per value, key from PBKDF2).
 */
@Component
public class SecretBox {

  // fixed: the key's randomness is in the encryption key itself, which is per platform
  private static final String SALT = "61747269756d2d6964656e74697479";

  private final TextEncryptor encryptor;

  public SecretBox(IdentityProperties properties) {
    this.encryptor = Encryptors.delux(properties.encryptionKey(), SALT);
  }

  public String seal(String plain) {
    return encryptor.encrypt(plain);
  }

  /** The plain value; fails when the value was sealed with another encryption key. */
  public String open(String sealed) {
    try {
      return encryptor.decrypt(sealed);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("a value in identity's database cannot be decrypted with"
          + " ATRIUM_IDENTITY_ENCRYPTION_KEY: the key was changed since it was written", e);
    }
  }
}
