package dev.atrium.webos.market;

import dev.atrium.service.web.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lifecycle of an app's rollout, as a pure state machine: its status, its live version and the version on a
 * gray release with its share in percent. Each transition returns the next rollout or throws a 409 problem
 * ({@code wrong-state}) naming what is wrong; the caller (Market) makes the change and the gateway's route in one
 * transaction.
 *
 * @param live the version everyone gets (but the gray share), or null while unlisted
 * @param gray the version on a gray release, or null
 * @param grayPercent the gray version's share, 1-99, or null
 */
public record Rollout(AppStatus status, String live, String gray, Integer grayPercent) {

  public Rollout {
    if ((gray == null) != (grayPercent == null)) {
      throw new IllegalArgumentException("a gray version comes with its share, and only then");
    }
    if (grayPercent != null && (grayPercent < 1 || grayPercent > 99)) {
      throw new IllegalArgumentException("a gray share is 1-99 %, not " + grayPercent);
    }
  }

  /** A new app, its first version waiting for review. */
  public static Rollout unlisted() {
    return new Rollout(AppStatus.UNLISTED, null, null, null);
  }

  /**
   * An approved version goes out: the first one of an app whole (it becomes listed); a later one whole (without a
   * gray share) or as a gray release at {@code grayPercent} beside the live one. Not while withdrawn, and not while
   * another version is on gray.
   */
  public Rollout approve(String version, Integer grayPercent) {
    if (status == AppStatus.WITHDRAWN) {
      throw wrong("it is withdrawn; publish it again first");
    }
    if (status == AppStatus.UNLISTED) {
      if (grayPercent != null) {
        throw wrong("its first version goes live whole: there is no live version to share with");
      }
      return new Rollout(AppStatus.LISTED, version, null, null);
    }
    if (gray != null) {
      throw wrong("version " + gray + " is on a gray release; promote it or roll it back first");
    }
    return grayPercent == null ? new Rollout(status, version, null, null)
        : new Rollout(status, live, version, grayPercent);
  }

  /** The gray version's share changes (still below 100: promote to give it everyone). */
  public Rollout regray(int percent) {
    requireGray();
    return new Rollout(status, live, gray, percent);
  }

  /** The gray version becomes the live one, for everyone. */
  public Rollout promote() {
    requireGray();
    return new Rollout(status, gray, null, null);
  }

  /**
   * Back one step: a gray release is ended (everyone on the live version again); without one, the live version
   * gives way to {@code previous}, the one live before it (null when there is none: 409).
   */
  public Rollout rollBack(String previous) {
    requireListed("rolled back");
    if (gray != null) {
      return new Rollout(status, live, null, null);
    }
    if (previous == null) {
      throw wrong("no version was live before " + live);
    }
    return new Rollout(status, previous, null, null);
  }

  /** Out of the catalogue and off the gateway; a gray release ends. */
  public Rollout withdraw() {
    requireListed("withdrawn");
    return new Rollout(AppStatus.WITHDRAWN, live, null, null);
  }

  /** Back in the catalogue with the version live when it was withdrawn. */
  public Rollout republish() {
    if (status != AppStatus.WITHDRAWN) {
      throw wrong("only a withdrawn app is published again; it is " + status.name().toLowerCase());
    }
    return new Rollout(AppStatus.LISTED, live, null, null);
  }

  /** The versions on the gateway and their weights (percent): none unless listed. */
  public Map<String, Integer> weights() {
    Map<String, Integer> weights = new LinkedHashMap<>();
    if (status == AppStatus.LISTED) {
      weights.put(live, gray == null ? 100 : 100 - grayPercent);
      if (gray != null) {
        weights.put(gray, grayPercent);
      }
    }
    return weights;
  }

  /** The version being taken back by {@link #rollBack}: the gray one if any, else the live one. */
  public String rolledBackVersion() {
    return gray != null ? gray : live;
  }

  private void requireGray() {
    requireListed("changed");
    if (gray == null) {
      throw wrong("no version is on a gray release");
    }
  }

  private void requireListed(String what) {
    if (status != AppStatus.LISTED) {
      throw wrong("only a listed app is " + what + "; it is " + status.name().toLowerCase());
    }
  }

  static ApiException wrong(String why) {
    return ApiException.conflict("wrong-state", "Not now: " + why + ".");
  }
}
