package dev.atrium.webos.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokensTest {

  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  private final List<String> checked = new ArrayList<>();
  private Instant expiry = NOW.plus(Duration.ofMinutes(5));

  private final JwtDecoder delegate = token -> {
    checked.add(token);
    if (token.startsWith("bad")) {
      throw new BadJwtException("refused");
    }
    return Jwt.withTokenValue(token).header("alg", "RS256").subject("hana").issuedAt(NOW.minusSeconds(1))
        .expiresAt(expiry).build();
  };

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void anAcceptedTokenIsCheckedOnceUntilItExpires() {
    VerifiedTokens tokens = new VerifiedTokens(delegate, 10, at(NOW));
    Jwt first = tokens.decode("a");
    assertThat(tokens.decode("a")).isSameAs(first);
    assertThat(checked).containsExactly("a");

    VerifiedTokens later = new VerifiedTokens(delegate, 10, at(NOW.plus(Duration.ofMinutes(5))));
    later.decode("a");
    later.decode("a");
    assertThat(checked).containsExactly("a", "a", "a");
  }

  @Test
  void aRefusedTokenIsCheckedEveryTime() {
    VerifiedTokens tokens = new VerifiedTokens(delegate, 10, at(NOW));
    assertThatThrownBy(() -> tokens.decode("bad")).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> tokens.decode("bad")).isInstanceOf(BadJwtException.class);
    assertThat(checked).containsExactly("bad", "bad");
  }

  @Test
  void anExpiredOneIsCheckedAgainAndAFullCacheStartsOver() {
    VerifiedTokens tokens = new VerifiedTokens(delegate, 2, at(NOW));
    tokens.decode("a");
    tokens.decode("b");
    tokens.decode("c"); // full: forgets a and b
    tokens.decode("c");
    tokens.decode("a");
    assertThat(checked).containsExactly("a", "b", "c", "a");

    expiry = NOW; // expires now: not remembered
    VerifiedTokens expiring = new VerifiedTokens(delegate, 10, at(NOW));
    expiring.decode("x");
    expiring.decode("x");
    assertThat(checked).endsWith("x", "x");
  }
}
