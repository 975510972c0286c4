package dev.atrium.netdisk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Netdisk's API as a client uses it, over plain HTTP/1.1 on kept-alive connections (HttpURLConnection: blocking, the
 * body written straight from the content block, the response read into one reused buffer and dropped). The client's
 * own work is kept small so that what is measured is netdisk: chunk hashes are computed before the clock starts.
 */
final class NetdiskApi {

  static final String API = "/netdisk/api/v1";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int TIMEOUT_MS = 300_000;
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1024 * 1024]);

  private final URI base;
  private final Supplier<String> token;

  NetdiskApi(URI base, Supplier<String> token) {
    this.base = base;
    this.token = token;
  }

  /** An upload started: its id, whether the content is stored already (then the challenge), its chunk size. */
  record Started(String id, boolean instant, long challengeOffset, int challengeLength, int chunkSize, int chunks) {
  }

  String personalSpace() throws IOException {
    for (JsonNode space : json(request("GET", API + "/spaces", null, Map.of(), null, 0), 200)) {
      if ("PERSONAL".equals(space.get("kind").asString())) {
        return space.get("id").asString();
      }
    }
    throw new IllegalStateException("no personal space");
  }

  /**
   * POST .../folders: makes a folder (and the missing ones above it) before files are uploaded into it at once: two
   * concurrent uploads whose path names the same missing folder may both try to make it, and one is then refused (409
   * name-taken), so the benchmark makes its folders first.
   */
  void folder(String space, String path) throws IOException {
    post(API + "/spaces/" + space + "/folders", Map.of("path", path), 201);
  }

  /** PUT .../content: the whole file in one request; the new file's id. */
  String putWhole(String space, String path, Content.File file, String sha256) throws IOException {
    HttpURLConnection c = request("PUT", API + "/spaces/" + space + "/content?path=" + encode(path),
        "application/octet-stream", sha256 == null ? Map.of() : Map.of("X-Content-SHA256", sha256), file, file.size());
    return json(c, 201).get("id").asString();
  }

  /** POST .../uploads: an upload declared with its size and (when given) its SHA-256. */
  Started start(String space, String path, long size, String sha256) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    body.put("size", size);
    if (sha256 != null) {
      body.put("sha256", sha256);
    }
    JsonNode upload = post(API + "/spaces/" + space + "/uploads", body, 201);
    boolean instant = upload.get("instant").asBoolean();
    JsonNode challenge = upload.get("challenge");
    return new Started(upload.get("id").asString(), instant,
        instant ? challenge.get("offset").asLong() : -1, instant ? challenge.get("length").asInt() : 0,
        upload.get("chunkSize").asInt(), upload.get("chunks").asInt());
  }

  /** PUT .../chunks/{n}: bytes {@code [offset, offset + length)} of the file, with their SHA-256. */
  void chunk(String upload, int number, Content.File file, long offset, int length, String sha256)
      throws IOException {
    HttpURLConnection c = request("PUT", API + "/uploads/" + upload + "/chunks/" + number, "application/octet-stream",
        Map.of("X-Chunk-SHA256", sha256), new Slice(file, offset), length);
    json(c, 200);
  }

  /** POST .../complete, with the proof for an instant send (null otherwise); the file's id. */
  String complete(String upload, String proof) throws IOException {
    return post(API + "/uploads/" + upload + "/complete", proof == null ? Map.of() : Map.of("proof", proof), 200)
        .get("id").asString();
  }

  /** GET .../content: the whole file, read and dropped; fails unless its length and ETag are the ones expected. */
  long download(String fileId, long size, String sha256) throws IOException {
    HttpURLConnection c = request("GET", API + "/files/" + fileId + "/content", null, Map.of(), null, 0);
    if (c.getResponseCode() != 200) {
      throw failure(c, 200);
    }
    String etag = c.getHeaderField("ETag");
    if (!("\"" + sha256 + "\"").equals(etag)) {
      throw new IOException("file " + fileId + " has the ETag " + etag + ", not the SHA-256 " + sha256);
    }
    long read = 0;
    byte[] buffer = BUFFER.get();
    try (InputStream in = c.getInputStream()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        read += n;
      }
    }
    if (read != size) {
      throw new IOException("file " + fileId + " gave " + read + " bytes, not " + size);
    }
    return read;
  }

  /** GET on any path (the readiness probe); the status. */
  int status(String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return status;
  }

  // --- plumbing

  /** Part of a file from an offset, for a chunk's body. */
  private record Slice(Content.File file, long offset) {
  }

  private JsonNode post(String path, Object body, int expected) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    return json(request("POST", path, "application/json", Map.of(), bytes, bytes.length), expected);
  }

  private HttpURLConnection request(String method, String path, String contentType, Map<String, String> headers,
      Object body, long length) throws IOException {
    HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(5000);
    c.setReadTimeout(TIMEOUT_MS);
    c.setUseCaches(false);
    c.setRequestProperty("Authorization", "Bearer " + token.get());
    headers.forEach(c::setRequestProperty);
    if (body != null) {
      c.setRequestProperty("Content-Type", contentType);
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(length);
      try (OutputStream out = c.getOutputStream()) {
        switch (body) {
          case byte[] bytes -> out.write(bytes);
          case Content.File file -> file.writeTo(out, 0, length);
          case Slice slice -> slice.file().writeTo(out, slice.offset(), length);
          default -> throw new IllegalArgumentException(body.getClass().getName());
        }
      }
    }
    return c;
  }

  private static JsonNode json(HttpURLConnection c, int expected) throws IOException {
    int status = c.getResponseCode();
    if (status != expected) {
      throw failure(c, expected);
    }
    try (InputStream in = c.getInputStream()) {
      return JSON.readTree(in.readAllBytes());
    }
  }

  private static IOException failure(HttpURLConnection c, int expected) throws IOException {
    int status = c.getResponseCode();
    String body;
    try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
      body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return new IOException(c.getRequestMethod() + " " + c.getURL() + ": " + status + " (expected " + expected + ") "
        + body);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
