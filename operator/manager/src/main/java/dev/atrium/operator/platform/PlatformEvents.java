package dev.atrium.operator.platform;

import dev.atrium.api.v1alpha1.CollaborationPlatform;
import dev.atrium.api.v1alpha1.CollaborationPlatformStatus;
import dev.atrium.operator.model.ConditionReason;
import dev.atrium.operator.upgrade.UpgradeEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a platform when it becomes Ready, Degraded (with the problem's reason) or
 * recovers, so that `kubectl describe collab` tells the story. Messages come from the status
 * aggregator and never contain a Secret's value.
 */
final class PlatformEvents {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformEvents.class);
  static final String SOURCE = "atrium-operator";

  /** Ready's reasons while a platform goes to sleep, sleeps or wakes: each change of them is told once. */
  private static final java.util.Set<String> SLEEP_REASONS = java.util.Set.of(ConditionReason.HIBERNATING.token(),
      ConditionReason.HIBERNATED.token(), ConditionReason.WAKING.token());

  private PlatformEvents() {
  }

  /** An event's type, as Kubernetes spells it. */
  enum Type { Normal, Warning }

  /** One event: its type, CamelCase reason and message. */
  record Event(Type type, String reason, String message) {

    /** One the upgrade planner decided on. */
    static Event of(UpgradeEvent event) {
      return new Event(Type.valueOf(event.type().token()), event.reason().token(), event.message());
    }
  }

  /**
   * The events a status change deserves. They are told apart by reason, never by message text: a Degraded
   * condition whose reason stays gets no second event however its message changes.
   */
  static List<Event> between(CollaborationPlatformStatus previous, CollaborationPlatformStatus current) {
    List<Event> events = new ArrayList<>();
    Condition ready = find(current, StatusAggregator.READY);
    Condition degraded = find(current, StatusAggregator.DEGRADED);
    Condition wasReady = find(previous, StatusAggregator.READY);
    Condition wasDegraded = find(previous, StatusAggregator.DEGRADED);
    if (degraded != null && "True".equals(degraded.getStatus())
        && (wasDegraded == null || !"True".equals(wasDegraded.getStatus())
            || !Objects.equals(wasDegraded.getReason(), degraded.getReason()))) {
      events.add(new Event(Type.Warning, degraded.getReason(), degraded.getMessage()));
    }
    if (degraded != null && "False".equals(degraded.getStatus()) && wasDegraded != null
        && "True".equals(wasDegraded.getStatus())) {
      events.add(new Event(Type.Normal, ConditionReason.RECOVERED.token(),
          "The problem (" + wasDegraded.getReason() + ") is gone"));
    }
    if (ready != null && SLEEP_REASONS.contains(ready.getReason())
        && (wasReady == null || !ready.getReason().equals(wasReady.getReason()))) {
      events.add(new Event(Type.Normal, ready.getReason(), ready.getMessage()));
    }
    if (ready != null && "True".equals(ready.getStatus()) && (wasReady == null || !"True".equals(wasReady.getStatus()))) {
      events.add(new Event(Type.Normal, ConditionReason.READY.token(), ready.getMessage()));
    }
    return events;
  }

  /**
   * The events with one per reason: the status change and the upgrade planner may both tell of the same Degraded
   * reason (a halted upgrade), and one event says it.
   */
  static List<Event> distinctReasons(List<Event> events) {
    java.util.Map<String, Event> byReason = new java.util.LinkedHashMap<>();
    events.forEach(e -> byReason.putIfAbsent(e.reason(), e));
    return List.copyOf(byReason.values());
  }

  static void record(KubernetesClient client, CollaborationPlatform platform, List<Event> events) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    for (Event event : events) {
      try {
        client.v1().events().inNamespace(platform.getMetadata().getNamespace()).resource(new EventBuilder()
            .withNewMetadata()
              .withName(platform.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()))
              .withNamespace(platform.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
              .withApiVersion(platform.getApiVersion()).withKind(platform.getKind())
              .withName(platform.getMetadata().getName()).withNamespace(platform.getMetadata().getNamespace())
              .withUid(platform.getMetadata().getUid())
            .endInvolvedObject()
            .withType(event.type().name()).withReason(event.reason()).withMessage(event.message())
            .withNewSource().withComponent(SOURCE).endSource()
            .withReportingComponent(SOURCE)
            .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
            .build()).create();
      } catch (KubernetesClientException e) {
        // an event is a courtesy; failing to write one must not fail the reconciliation
        LOG.warn("Could not record event {} on {}/{}: HTTP {}", event.reason(), platform.getMetadata().getNamespace(),
            platform.getMetadata().getName(), e.getCode());
      }
    }
  }

  private static Condition find(CollaborationPlatformStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
