package dev.atrium.netdisk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.Http;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/** Netdisk's API as a client uses it, for one replica and one person's token. */
public record Disk(NetdiskInstance netdisk, String token) {

  public static final String API = "/netdisk/api/v1";

  public Disk as(String otherToken) {
    return new Disk(netdisk, otherToken);
  }

  public Disk on(NetdiskInstance replica) {
    return new Disk(replica, token);
  }

  public URI uri(String path) {
    return netdisk.uri(path);
  }

  public Http.Response get(String path) {
    return Http.get(uri(path), token);
  }

  public Http.Response post(String path, Object body) {
    return Http.post(uri(path), token, body);
  }

  public Http.Response patch(String path, Object body) {
    return Http.send(Http.builder(uri(path), token).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body))));
  }

  public Http.Response put(String path, Object body) {
    return Http.put(uri(path), token, body);
  }

  public Http.Response delete(String path) {
    return Http.delete(uri(path), token);
  }

  /** The caller's personal space's id. */
  public String personalSpace() {
    Http.Response spaces = get(API + "/spaces");
    assertThat(spaces.status()).as(spaces.toString()).isEqualTo(200);
    for (JsonNode space : spaces.json()) {
      if (space.get("kind").asString().equals("PERSONAL")) {
        return space.get("id").asString();
      }
    }
    throw new AssertionError("no personal space in " + spaces);
  }

  /** A team space the caller makes (and owns). */
  public String teamSpace(String name) {
    Http.Response made = post(API + "/spaces", Map.of("kind", "TEAM", "name", name));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    return made.json().get("id").asString();
  }

  /** Puts a whole file in one request; the response. */
  public Http.Response putFile(String spaceId, String path, byte[] content) {
    return Http.send(Http.builder(uri(API + "/spaces/" + spaceId + "/content?path=" + encode(path)), token)
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
  }

  /** Puts a whole file and returns its id. */
  public String file(String spaceId, String path, byte[] content) {
    Http.Response put = putFile(spaceId, path, content);
    assertThat(put.status()).as(put.toString()).isEqualTo(201);
    return put.json().get("id").asString();
  }

  public Http.Response startUpload(String spaceId, String path, long size, String sha256) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    body.put("size", size);
    if (sha256 != null) {
      body.put("sha256", sha256);
    }
    return post(API + "/spaces/" + spaceId + "/uploads", body);
  }

  /** Sends chunk {@code number} of {@code content} with its hash. */
  public Http.Response chunk(String uploadId, int number, int chunkSize, byte[] content) {
    byte[] chunk = Arrays.copyOfRange(content, number * chunkSize, Math.min(content.length, (number + 1) * chunkSize));
    return chunkBytes(uploadId, number, chunk, sha256(chunk));
  }

  public Http.Response chunkBytes(String uploadId, int number, byte[] chunk, String sha256) {
    return Http.send(Http.builder(uri(API + "/uploads/" + uploadId + "/chunks/" + number), token)
        .header("X-Chunk-SHA256", sha256).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)));
  }

  public Http.Response complete(String uploadId) {
    return post(API + "/uploads/" + uploadId + "/complete", "{}");
  }

  public Http.Response download(String fileId, String range) {
    HttpRequest.Builder request = Http.builder(uri(API + "/files/" + fileId + "/content"), token);
    if (range != null) {
      request.header("Range", range);
    }
    return Http.send(request.GET());
  }

  /** The file's bytes (the whole body, as bytes). */
  public byte[] bytes(String fileId) {
    var response = Http.sendBytes(Http.builder(uri(API + "/files/" + fileId + "/content"), token).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  public static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
