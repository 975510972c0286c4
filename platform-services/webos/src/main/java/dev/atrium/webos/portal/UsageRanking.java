package dev.atrium.webos.portal;

import dev.atrium.webos.admin.UsageController;
import java.util.Comparator;
import java.util.List;

/** The gateway's usage as the admin page shows it: the busiest route first, each with its share of all requests. */
final class UsageRanking {

  /** A route (and app, version) is "hot" when it carries at least this share of all requests. */
  static final double HOT_SHARE = 0.25;

  private UsageRanking() {
  }

  /**
   * @param share of all requests, 0 to 1
   * @param errors the requests answered 5xx
   */
  record Row(String route, String app, String version, long requests, long errors, double share, boolean hot) {
    public int percent() {
      return (int) Math.round(share * 100);
    }
  }

  static List<Row> hottestFirst(List<UsageController.Line> lines) {
    long all = lines.stream().mapToLong(UsageController.Line::requests).sum();
    return lines.stream()
        .sorted(Comparator.comparingLong(UsageController.Line::requests).reversed()
            .thenComparing(UsageController.Line::route).thenComparing(UsageController.Line::app))
        .map(line -> {
          double share = all == 0 ? 0 : (double) line.requests() / all;
          return new Row(line.route(), line.app(), line.version(), line.requests(),
              line.byStatus().getOrDefault("5xx", 0L), share, share >= HOT_SHARE);
        })
        .toList();
  }
}
