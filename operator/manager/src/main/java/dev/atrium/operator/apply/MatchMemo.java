package dev.atrium.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live objects already seen to match what the operator wants, by uid: the resourceVersion seen and
 * the hash of the desired object. While neither changes, the comparison would give the same answer,
 * so it is skipped. A reconcile woken by one workload's status then compares that one object
 * instead of every object of the platform; any change to an object (a hand edit included) gives it
 * a new resourceVersion and so a fresh comparison.
 */
public final class MatchMemo {

  private final Map<String, String> seen;

  /** @param capacity most objects remembered; the least recently used are forgotten first */
  public MatchMemo(int capacity) {
    this.seen = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > capacity;
      }
    });
  }

  boolean matched(HasMetadata live, String desiredHash) {
    String uid = live.getMetadata().getUid();
    return uid != null && key(live, desiredHash).equals(seen.get(uid));
  }

  void remember(HasMetadata live, String desiredHash) {
    String uid = live.getMetadata().getUid();
    if (uid != null && live.getMetadata().getResourceVersion() != null) {
      seen.put(uid, key(live, desiredHash));
    }
  }

  int size() {
    return seen.size();
  }

  private static String key(HasMetadata live, String desiredHash) {
    return live.getMetadata().getResourceVersion() + "/" + desiredHash;
  }
}
