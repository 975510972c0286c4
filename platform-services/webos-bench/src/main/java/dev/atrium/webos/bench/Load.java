package dev.atrium.webos.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A closed loop: {@code connections} keep-alive connections, each sending its next request as soon as the answer to
 * the last one is read, for a fixed time. Connections are opened (and one request sent on each) before the clock
 * starts. Every request's latency is kept.
 */
final class Load {

  private Load() {
  }

  /** What one phase measured. */
  record Result(int connections, double seconds, long requests, long errors, long reconnects, long[] sortedNanos,
      String firstError) {

    double perSecond() {
      return requests / seconds;
    }

    double percentileMillis(double quantile) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
      return sortedNanos[Math.max(0, index)] / 1e6;
    }

    Map<String, Object> describe() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("requests", requests);
      out.put("errors", errors);
      out.put("newConnectionsAfterServerClose", reconnects);
      if (firstError != null) {
        out.put("firstError", firstError);
      }
      out.put("seconds", WebosBench.round3(seconds));
      out.put("requestsPerSecond", WebosBench.round(perSecond()));
      out.put("p50Millis", WebosBench.round3(percentileMillis(0.50)));
      out.put("p90Millis", WebosBench.round3(percentileMillis(0.90)));
      out.put("p99Millis", WebosBench.round3(percentileMillis(0.99)));
      out.put("maxMillis", sortedNanos.length == 0 ? null : WebosBench.round3(sortedNanos[sortedNanos.length - 1] / 1e6));
      out.put("meanMillis", WebosBench.round3(Arrays.stream(sortedNanos).average().orElse(Double.NaN) / 1e6));
      return out;
    }
  }

  static Result run(int port, String path, String token, int connections, double seconds) throws Exception {
    List<Connection> open = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        Connection connection = new Connection(port, path, token);
        open.add(connection);
        int status = connection.exchange();
        if (status != 200) {
          throw new IllegalStateException("GET " + path + " on port " + port + " answered " + status);
        }
      }
      long[][] samples = new long[connections][];
      int[] counts = new int[connections];
      long[] errors = new long[connections];
      String[] firstErrors = new String[connections];
      CountDownLatch ready = new CountDownLatch(connections);
      CountDownLatch go = new CountDownLatch(1);
      long[] window = new long[2];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        int index = i;
        Connection connection = open.get(i);
        threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
          long[] mine = new long[1 << 14];
          int n = 0;
          ready.countDown();
          try {
            go.await();
            long end = window[1];
            while (true) {
              long start = System.nanoTime();
              if (start >= end) {
                break;
              }
              int status = connection.exchange();
              long took = System.nanoTime() - start;
              if (status != 200) {
                errors[index]++;
                if (firstErrors[index] == null) {
                  firstErrors[index] = "status " + status;
                }
              }
              if (n == mine.length) {
                mine = Arrays.copyOf(mine, n * 2);
              }
              mine[n++] = took;
            }
          } catch (Exception e) {
            errors[index]++;
            firstErrors[index] = e.toString();
          }
          samples[index] = mine;
          counts[index] = n;
        }));
      }
      ready.await();
      window[0] = System.nanoTime();
      window[1] = window[0] + (long) (seconds * 1e9);
      go.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      double took = (Math.max(System.nanoTime(), window[1]) - window[0]) / 1e9;
      // the requests started inside the window; the window is its nominal length (the last answers end a little
      // after it: at most one request per connection)
      int total = Arrays.stream(counts).sum();
      long[] all = new long[total];
      int at = 0;
      for (int i = 0; i < connections; i++) {
        System.arraycopy(samples[i], 0, all, at, counts[i]);
        at += counts[i];
      }
      Arrays.sort(all);
      String firstError = Arrays.stream(firstErrors).filter(e -> e != null).findFirst().orElse(null);
      long reconnects = open.stream().mapToLong(Connection::reconnects).sum();
      return new Result(connections, Math.min(took, seconds + 5), total, Arrays.stream(errors).sum(), reconnects,
          all, firstError);
    } finally {
      for (Connection connection : open) {
        connection.close();
      }
    }
  }
}
