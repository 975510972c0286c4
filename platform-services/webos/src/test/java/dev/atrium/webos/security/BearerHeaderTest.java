package dev.atrium.webos.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

class BearerHeaderTest {

  private final DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();
  private final BearerHeader ours = new BearerHeader();

  @Test
  void aBearerTokenIsItsText() {
    assertThat(BearerHeader.token("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJoYW5hIn0.c2ln-_~+/==")).isEqualTo(
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJoYW5hIn0.c2ln-_~+/==");
    assertThat(BearerHeader.token("bEARER abc")).isEqualTo("abc");
  }

  @Test
  void noHeaderOrAnotherSchemeIsNoToken() {
    assertThat(BearerHeader.token(null)).isNull();
    assertThat(BearerHeader.token("Basic aGFuYTpzZWNyZXQ=")).isNull();
    assertThat(BearerHeader.token("Bear abc")).isNull();
  }

  @Test
  void aMalformedBearerHeaderIsRefused() {
    for (String header : List.of("Bearer", "Bearer ", "Bearer  abc", "Bearer abc def", "Bearer ==", "Bearer a=b",
        "Bearer abc\n", "Bearer\tabc", "Bearerabc", "Bearer abc!", "Bearer äbc")) {
      assertThatThrownBy(() -> BearerHeader.token(header)).as(header)
          .isInstanceOf(OAuth2AuthenticationException.class)
          .satisfies(e -> assertThat(((OAuth2AuthenticationException) e).getError().getErrorCode())
              .isEqualTo("invalid_token"));
    }
  }

  @Test
  void readsEveryHeaderAsSpringSecuritysResolverDoes() {
    Random random = new Random(14);
    String alphabet = "aZz09-._~+/= \t\n!äſKıBEARbearer";
    List<String> headers = new ArrayList<>(List.of("Bearer", "bearer x", "BEARER x=", "Bearer x==y", "bearerx"));
    for (int i = 0; i < 20_000; i++) {
      StringBuilder header = new StringBuilder(random.nextInt(3) == 0 ? "" : random.nextBoolean() ? "Bearer " : "bEaReR");
      int extra = random.nextInt(12);
      for (int j = 0; j < extra; j++) {
        header.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      headers.add(header.toString());
    }
    for (String header : headers) {
      assertThat(outcome(ours, header)).as("[%s]", header).isEqualTo(outcome(spring, header));
    }
  }

  private static String outcome(org.springframework.security.oauth2.server.resource.web.BearerTokenResolver resolver,
      String header) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/apps/crm/x");
    request.addHeader("Authorization", header);
    try {
      return "token:" + resolver.resolve(request);
    } catch (OAuth2AuthenticationException e) {
      return "refused:" + e.getError().getErrorCode() + ":" + e.getError().getDescription();
    }
  }
}
