package dev.atrium.netdisk.bench;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one exception costs in this JVM when it is made deep in a stack, as netdisk's row mapping makes them (the
 * PostgreSQL driver's PSQLException for a column name it does not find, filled with the whole stack of a request on a
 * virtual thread: Tomcat, Spring Security's filters, MVC, the transaction, JdbcClient). A JFR execution sample never
 * lands in the VM's stack walk that fills an exception in, so the recordings cannot show this cost; this measures it
 * beside them. Microseconds per exception, the best of a few runs, at two depths.
 */
final class ExceptionProbe {

  private static volatile Object sink;

  private ExceptionProbe() {
  }

  static Map<String, Object> measure() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int depth : new int[] {64, 160}) {
      double best = Double.MAX_VALUE;
      for (int run = 0; run < 5; run++) {
        best = Math.min(best, at(depth, 5_000));
      }
      out.put("microsPerSqlExceptionAtDepth" + depth, Stats.round(best));
    }
    return out;
  }

  private static double at(int depth, int count) {
    if (depth > 0) {
      return at(depth - 1, count);
    }
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      sink = new SQLException("The column name chunkSize was not found in this ResultSet.", "42703");
    }
    return (System.nanoTime() - start) / 1e3 / count;
  }
}
