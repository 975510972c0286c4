package dev.atrium.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class CallerTokensTest {

  private final CallerTokens tokens = new CallerTokens("principal_type", "departments");

  @Test
  void aPersonWithDepartments() {
    Caller caller = tokens.caller(jwt("alice", Map.of("principal_type", "user", "departments", List.of("hr", "it"))));

    assertThat(caller).isEqualTo(new Caller("alice", Caller.Kind.USER, java.util.Set.of("hr", "it")));
    assertThat(tokens.validator().validate(jwt("alice", Map.of("principal_type", "user"))).hasErrors()).isFalse();
  }

  @Test
  void anAppNeverHasDepartments() {
    Caller caller = tokens.caller(jwt("crm", Map.of("principal_type", "app", "departments", List.of("hr"))));

    assertThat(caller.isApp()).isTrue();
    assertThat(caller.departments()).isEmpty();
  }

  @Test
  void aSubjectWithAnAtIsInvalidForItWouldNameAnotherPlatformsPerson() {
    assertThat(tokens.validator().validate(jwt("alice@globex", Map.of("principal_type", "user"))).getErrors())
        .singleElement().satisfies(e -> assertThat(e.getDescription()).contains("'@'"));
  }

  @Test
  void aMissingOrUnknownPrincipalTypeIsInvalid() {
    assertThat(tokens.validator().validate(jwt("alice", Map.of())).getErrors())
        .singleElement().satisfies(e -> assertThat(e.getDescription()).contains("principal_type").contains("missing"));
    assertThat(tokens.validator().validate(jwt("alice", Map.of("principal_type", "admin"))).getErrors())
        .singleElement().satisfies(e -> assertThat(e.getDescription()).contains("\"admin\""));
  }

  @Test
  void authenticationCarriesTheRole() {
    var authentication = tokens.authentication(jwt("crm", Map.of("principal_type", "app")));

    assertThat(authentication.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_APP");
    assertThat(authentication.getName()).isEqualTo("crm");
  }

  private static Jwt jwt(String subject, Map<String, Object> claims) {
    Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").subject(subject)
        .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
    claims.forEach(builder::claim);
    return builder.build();
  }
}
