package dev.atrium.service.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CacheReconnectionTest {

  @Test
  void theWaitBetweenAttemptsGrowsFromATenthOfASecondAndNeverExceedsTwoSeconds() {
    Delay delay = CacheReconnection.delay();
    var waits = LongStream.rangeClosed(1, 40).mapToObj(delay::createDelay).toList();
    assertThat(waits.getFirst()).isEqualTo(Duration.ofMillis(100));
    assertThat(waits).isSortedAccordingTo(Duration::compareTo)
        .allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2)));
    assertThat(waits.getLast()).isEqualTo(Duration.ofSeconds(2));
  }
}
