package dev.atrium.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The API server's audit log (JSON lines), as requests: who asked for what, and the answer. */
final class AuditLog {

  /**
   * One answered request.
   *
   * @param resource the resource, with "/subresource" when there is one (e.g. collaborationplatforms/status)
   */
  record Request(String user, String verb, String apiGroup, String resource, String namespace, String name, int code,
      String uri) {

    /** The RBAC triple the request's own verb needed: group, resource, verb. */
    String permission() {
      return permission(verb);
    }

    /**
     * Every RBAC triple the request needed. A server-side apply is a patch, and when it creates the
     * object (201) the API server authorizes a create as well, which the log records only this way.
     */
    List<String> permissionsNeeded() {
      return "patch".equals(verb) && code == 201 ? List.of(permission(), permission("create")) : List.of(permission());
    }

    private String permission(String verb) {
      return (apiGroup.isEmpty() ? "core" : apiGroup) + " " + resource + " " + verb;
    }
  }

  private AuditLog() {
  }

  static List<Request> requestsBy(Path log, String user) {
    ObjectMapper json = new ObjectMapper();
    List<Request> requests = new ArrayList<>();
    try (var lines = Files.lines(log)) {
      lines.filter(l -> l.contains(user)).forEach(line -> {
        try {
          JsonNode event = json.readTree(line);
          if (!user.equals(event.path("user").path("username").asText())
              || !"ResponseComplete".equals(event.path("stage").asText())) {
            return;
          }
          JsonNode ref = event.path("objectRef");
          String resource = ref.path("resource").asText("");
          if (ref.hasNonNull("subresource")) {
            resource += "/" + ref.path("subresource").asText();
          }
          requests.add(new Request(user, event.path("verb").asText(), ref.path("apiGroup").asText(""), resource,
              ref.path("namespace").asText(""), ref.path("name").asText(""),
              event.path("responseStatus").path("code").asInt(), event.path("requestURI").asText()));
        } catch (IOException e) {
          throw new UncheckedIOException("unreadable audit line: " + line, e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requests;
  }
}
