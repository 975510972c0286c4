package dev.atrium.messagecenter.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one measured phase saw: for each message, how often its recipient got it and the send-to-receive latency of
 * the first copy; the time from the first send to the last first delivery.
 */
final class Recorder {

  final int phase;
  final int messages;
  private final AtomicInteger[] copies;
  private final AtomicLongArray latencyNanos;
  private final AtomicInteger firstCopies = new AtomicInteger();
  private final AtomicLong lastDelivery = new AtomicLong();
  private volatile long start;

  Recorder(int phase, int messages) {
    this.phase = phase;
    this.messages = messages;
    this.copies = new AtomicInteger[messages];
    for (int i = 0; i < messages; i++) {
      copies[i] = new AtomicInteger();
    }
    this.latencyNanos = new AtomicLongArray(messages);
  }

  void started() {
    start = System.nanoTime();
  }

  /** A body as the bench writes it: {@code p<phase>:<message>:<sender>:<nanoTime at send>}. */
  static String body(int phase, int message, int sender) {
    return "p" + phase + ":" + message + ":" + sender + ":" + System.nanoTime();
  }

  /** Records a received body; {@code receiver} is the user whose connection got it. */
  void received(String body, int receiver) {
    long now = System.nanoTime();
    String[] parts = body.split(":");
    if (parts.length != 4 || !parts[0].equals("p" + phase)) {
      return; // another phase's straggler
    }
    int message = Integer.parseInt(parts[1]);
    if (Integer.parseInt(parts[2]) == receiver) {
      return; // the sender's own copy: counted by the caller, not a send-to-receive sample
    }
    if (copies[message].incrementAndGet() == 1) {
      latencyNanos.set(message, now - Long.parseLong(parts[3]));
      lastDelivery.accumulateAndGet(now, Math::max);
      firstCopies.incrementAndGet();
    }
  }

  int delivered() {
    return firstCopies.get();
  }

  Map<String, Object> summary(long extraDeliveries) {
    long[] samples = new long[delivered()];
    int n = 0;
    int duplicates = 0;
    for (int i = 0; i < messages; i++) {
      int c = copies[i].get();
      if (c > 0 && n < samples.length) {
        samples[n++] = latencyNanos.get(i);
      }
      duplicates += Math.max(0, c - 1);
    }
    Arrays.sort(samples, 0, n);
    double seconds = (lastDelivery.get() - start) / 1e9;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("messages", messages);
    out.put("delivered", n);
    out.put("lost", messages - n);
    out.put("duplicates", duplicates);
    out.put("seconds", round(seconds));
    out.put("messagesPerSecond", round(n / seconds));
    if (extraDeliveries >= 0) {
      out.put("socketDeliveriesPerSecond", round((n + extraDeliveries) / seconds));
    }
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", millis(samples, n, 0.50));
    latency.put("p90", millis(samples, n, 0.90));
    latency.put("p99", millis(samples, n, 0.99));
    latency.put("max", n == 0 ? null : round(samples[n - 1] / 1e6));
    out.put("latencyMs", latency);
    return out;
  }

  private static Double millis(long[] sorted, int n, double quantile) {
    if (n == 0) {
      return null;
    }
    int index = (int) Math.min(n - 1, Math.ceil(quantile * n) - 1);
    return round(sorted[Math.max(0, index)] / 1e6);
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
