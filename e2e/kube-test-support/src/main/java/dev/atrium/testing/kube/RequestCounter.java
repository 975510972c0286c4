package dev.atrium.testing.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the HTTP requests a Fabric8 client sends to the API server, by method (and by method and
 * resource), at the HTTP
 * client: every request the client makes is seen, whatever API built it (informers' lists and
 * watches, server-side applies, status patches, retries). Optionally it also records each write
 * (any method but GET) as {@code "METHOD path"}, so that a test can say which ones happened.
 *
 * <p>Get a counted client with {@link #client(Config)}; it is a client of its own (closing it
 * leaves other clients alone). One counter may serve several clients; counts add up.
 */
public final class RequestCounter {

  /** Name under which the interceptor is registered on the client's HTTP client. */
  public static final String INTERCEPTOR_NAME = "atrium-request-counter";

  private final boolean recordWrites;
  private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byResource = new ConcurrentHashMap<>();
  private final List<String> writes = new CopyOnWriteArrayList<>();

  private RequestCounter(boolean recordWrites) {
    this.recordWrites = recordWrites;
  }

  /** Counts requests by method and records every write's method and path. */
  public static RequestCounter recordingWrites() {
    return new RequestCounter(true);
  }

  /**
   * Counts requests by method only. For long or large runs (benchmarks) where a list of every
   * write would grow without bound and be measured as part of the heap.
   */
  public static RequestCounter countingOnly() {
    return new RequestCounter(false);
  }

  /** A new client for the cluster {@code config} describes, whose every request this counter counts. */
  public KubernetesClient client(Config config) {
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(INTERCEPTOR_NAME, interceptor()))
        .build();
  }

  /** The interceptor itself, for clients built elsewhere. */
  public Interceptor interceptor() {
    return new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        count(request.method(), request.uri().getPath());
      }
    };
  }

  void count(String method, String path) {
    byMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
    byResource.computeIfAbsent(method + " " + resourceOf(path), m -> new LongAdder()).increment();
    if (recordWrites && !"GET".equals(method)) {
      writes.add(method + " " + path);
    }
  }

  /** Requests since the last {@link #reset()}, by HTTP method, sorted by method. */
  public Map<String, Long> byMethod() {
    Map<String, Long> counts = new TreeMap<>();
    byMethod.forEach((method, count) -> counts.put(method, count.sum()));
    return counts;
  }

  /**
   * Requests since the last {@link #reset()}, by method and resource, e.g. {@code "PATCH deployments"}
   * or {@code "PATCH collaborationplatforms/status"}; names and namespaces are left out, so the keys
   * stay few however many objects there are. GET counts reads, lists and watches alike.
   */
  public Map<String, Long> byResource() {
    Map<String, Long> counts = new TreeMap<>();
    byResource.forEach((key, count) -> counts.put(key, count.sum()));
    return counts;
  }

  /**
   * The resource (and subresource) an API path names: {@code /apis/apps/v1/namespaces/ns/deployments/d/status}
   * is {@code deployments/status}; {@code /api/v1/namespaces/ns} is {@code namespaces}; paths outside
   * the resource APIs ({@code /version}, {@code /openapi/v3}) are themselves.
   */
  static String resourceOf(String path) {
    String[] parts = path.replaceAll("^/+|/+$", "").split("/+");
    int start;
    if (parts.length >= 2 && parts[0].equals("api")) {
      start = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      start = 3;
    } else {
      return path;
    }
    if (parts.length <= start) {
      return path; // discovery
    }
    int resource = start;
    if (parts[start].equals("namespaces") && parts.length > start + 2) {
      resource = start + 2; // a namespaced resource: namespaces/<ns>/<resource>
    }
    String name = parts[resource];
    return parts.length > resource + 2 ? name + "/" + parts[resource + 2] : name;
  }

  /** All requests since the last {@link #reset()}. */
  public long total() {
    return byMethod.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Writes (any method but GET) since the last {@link #reset()}, as "METHOD path", in the order
   * they were sent; always empty for a {@link #countingOnly()} counter.
   */
  public List<String> writes() {
    return List.copyOf(writes);
  }

  /** Starts counting from zero. */
  public void reset() {
    byMethod.clear();
    byResource.clear();
    writes.clear();
  }
}
