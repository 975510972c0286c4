package dev.atrium.netdisk.file;

import dev.atrium.netdisk.storage.Blobs;
import dev.atrium.netdisk.storage.ObjectStore;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;

/**
 * Sends a file's content from the object store, whole or one range, streamed (never held in memory), with its
 * SHA-256 as the strong ETag.
 */
@Service
public class Content {

  static final int COPY_BUFFER = 256 * 1024;

  private final Blobs blobs;
  private final ObjectStore store;

  public Content(Blobs blobs, ObjectStore store) {
    this.blobs = blobs;
    this.store = store;
  }

  /** What to send, decided before a byte is: the blob and the range (416 is thrown here, nothing sent). */
  public record Plan(String name, String sha256, long size, String objectKey, Optional<ByteRange> range) {
  }

  public Plan plan(String name, String sha256, long size, String rangeHeader) {
    String objectKey = blobs.find(sha256).map(Blobs.Blob::objectKey)
        .orElseThrow(() -> new IllegalStateException("the content " + sha256 + " is not stored"));
    return new Plan(name, sha256, size, objectKey, ByteRange.parse(rangeHeader, size));
  }

  public void send(Plan plan, HttpServletResponse response) {
    response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    response.setHeader(HttpHeaders.ETAG, "\"" + plan.sha256() + "\"");
    response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment().filename(plan.name(), java.nio.charset.StandardCharsets.UTF_8).build().toString());
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentType("application/octet-stream");
    if (plan.size() == 0) {
      response.setContentLengthLong(0);
      return;
    }
    ByteRange range = plan.range().orElse(null);
    if (range != null) {
      response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
      response.setHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(plan.size()));
      response.setContentLengthLong(range.length());
    } else {
      response.setContentLengthLong(plan.size());
    }
    try (InputStream in = range == null ? store.get(plan.objectKey(), null, null)
        : store.get(plan.objectKey(), range.first(), range.last())) {
      OutputStream out = response.getOutputStream();
      // larger than InputStream.transferTo's 16 KiB: fewer writes through Tomcat's buffer to the socket
      byte[] buffer = new byte[COPY_BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("sending " + plan.name() + " stopped: " + e.getMessage(), e);
    }
  }
}
