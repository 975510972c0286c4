package dev.atrium.messagecenter.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Push metrics: entries delivered to sockets by kind ({@code messagecenter_messages_delivered_total} for
 * messages), and push latency from the sending replica's commit to the socket write (live entries only;
 * catch-up reads are not latency).
 */
@Component
public class PushMetrics {

  private final MeterRegistry meters;
  private final Timer latency;

  public PushMetrics(MeterRegistry meters) {
    this.meters = meters;
    this.latency = Timer.builder("messagecenter.push.latency")
        .description("From the sending replica's commit to the write on the receiving socket")
        .publishPercentileHistogram().register(meters);
  }

  void delivered(String kind, long publishedAtMillis) {
    Counter.builder("messagecenter." + kind + "s.delivered")
        .description("Stream entries written to sockets").register(meters).increment();
    if (publishedAtMillis > 0) {
      latency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - publishedAtMillis)));
    }
  }
}
