package dev.atrium.identity.testing;

import dev.atrium.servicetesting.Http;
import java.util.List;
import java.util.Map;

/** Sets up people and departments through the admin API, as the first administrator. */
public final class Directory {

  public static final String WEBOS = "webos";
  public static final String WEBOS_SECRET = "webos-secret";
  public static final String PASSWORD = "correct horse battery";

  private final IdentityInstance identity;
  private final String adminToken;

  public Directory(IdentityInstance identity) {
    this.identity = identity;
    this.adminToken = new OidcClient(identity).signIn(WEBOS, WEBOS_SECRET, "admin", IdentityInstance.ADMIN_PASSWORD)
        .accessToken();
  }

  public String adminToken() {
    return adminToken;
  }

  public void department(String id, String parent) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("id", id, "name", "Department " + id));
    if (parent != null) {
      body.put("parentId", parent);
    }
    expect(201, Http.post(identity.uri("/api/admin/departments"), adminToken, body));
  }

  public void person(String id, String... departments) {
    expect(201, Http.post(identity.uri("/api/admin/people"), adminToken, Map.of("id", id, "displayName",
        "Person " + id, "email", id + "@example.test", "departments", List.of(departments), "password", PASSWORD)));
  }

  public Http.Response admin(String method, String path, Object body) {
    return switch (method) {
      case "GET" -> Http.get(identity.uri(path), adminToken);
      case "POST" -> Http.post(identity.uri(path), adminToken, body == null ? "{}" : body);
      case "PUT" -> Http.put(identity.uri(path), adminToken, body);
      default -> throw new IllegalArgumentException(method);
    };
  }

  public static Http.Response expect(int status, Http.Response response) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + ", got " + response);
    }
    return response;
  }
}
