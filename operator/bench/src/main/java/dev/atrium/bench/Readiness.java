package dev.atrium.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Watches objects through informers of a client that is not being measured and notes, for each
 * one, when it last became Ready. The moment everything was Ready is then the latest of those
 * instants, taken when the watch event arrived rather than when a poll happened to look.
 *
 * <p>Close it before measuring the heap: its caches hold a copy of every object it watches.
 */
final class Readiness implements AutoCloseable {

  private final Map<String, Long> readySince = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  /** Starts watching with an informer that is built but not yet started. */
  <T extends HasMetadata> Readiness watch(SharedIndexInformer<T> informer, Predicate<T> ready) {
    informer.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        update(obj, ready);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        update(newObj, ready);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        readySince.remove(key(obj));
      }
    });
    informers.add(informer);
    informer.start().toCompletableFuture().join();
    return this;
  }

  private <T extends HasMetadata> void update(T obj, Predicate<T> ready) {
    long now = System.nanoTime();
    if (ready.test(obj)) {
      readySince.putIfAbsent(key(obj), now);
    } else {
      readySince.remove(key(obj));
    }
  }

  private static String key(HasMetadata obj) {
    return obj.getKind() + "/" + obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
  }

  int ready() {
    return readySince.size();
  }

  /**
   * Waits until {@code expected} objects are Ready at once and returns the {@link System#nanoTime()}
   * at which the last of them became Ready.
   *
   * @param progress called about every 10 seconds with the number Ready so far
   */
  long awaitAllReady(int expected, Duration timeout, IntConsumer progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      // a snapshot: the count and the instants must describe the same moment
      List<Long> since = List.copyOf(readySince.values());
      if (since.size() >= expected) {
        return since.stream().mapToLong(Long::longValue).max().orElseThrow();
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException("only " + since.size() + " of " + expected + " Ready after " + timeout);
      }
      if (now > nextReport) {
        progress.accept(since.size());
        nextReport = now + Duration.ofSeconds(10).toNanos();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for readiness", e);
      }
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    informers.clear();
    readySince.clear();
  }
}
