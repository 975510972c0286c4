package dev.atrium.identity.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TotpTest {

  // RFC 6238, appendix B: the SHA-1 seed and its 8-digit codes; ours are their last 6 digits
  private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void codesAreTheRfcTestVectors() {
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(1234567890))).isEqualTo("005924");
    assertThat(Totp.code(RFC_SEED, Instant.ofEpochSecond(2000000000))).isEqualTo("279037");
  }

  @Test
  void oneStepOfDriftEitherWayIsAcceptedAndNoMore() {
    Instant now = Instant.ofEpochSecond(1234567890);
    assertThat(Totp.verify(RFC_SEED, Totp.code(RFC_SEED, now.minusSeconds(30)), now)).isTrue();
    assertThat(Totp.verify(RFC_SEED, Totp.code(RFC_SEED, now.plusSeconds(30)), now)).isTrue();
    assertThat(Totp.verify(RFC_SEED, Totp.code(RFC_SEED, now.minusSeconds(90)), now)).isFalse();
    assertThat(Totp.verify(RFC_SEED, "12345", now)).isFalse();
    assertThat(Totp.verify(RFC_SEED, null, now)).isFalse();
  }

  @Test
  void theOtpauthUriCarriesTheSecretInBase32() {
    // RFC 4648's test vector: "foobar" is MZXW6YTBOI
    assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(Totp.uri("corp.example", "alice", RFC_SEED))
        .startsWith("otpauth://totp/corp.example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=corp.example");
  }
}
