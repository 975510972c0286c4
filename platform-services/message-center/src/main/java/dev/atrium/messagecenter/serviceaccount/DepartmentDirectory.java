package dev.atrium.messagecenter.serviceaccount;

import dev.atrium.service.security.Caller;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Department membership, as the identity service states it in people's tokens (the departments claim). Each
 * time a person calls, their departments are recorded when they differ from what was recorded; announcements
 * to a department reach its members as recorded when they are published. A cache of recent callers keeps
 * this to one write per change, not one per request.
 */
@Component
public class DepartmentDirectory {

  private static final int CACHE_SIZE = 10_000;

  private final JdbcClient jdbc;
  private final Map<String, Set<String>> recent = Collections.synchronizedMap(
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
          return size() > CACHE_SIZE;
        }
      });

  public DepartmentDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a person's departments from their token, when they changed. */
  @Transactional
  public void seen(Caller caller) {
    if (!caller.isUser() || caller.departments().equals(recent.get(caller.id()))) {
      return;
    }
    String[] departments = caller.departments().toArray(String[]::new);
    jdbc.sql("DELETE FROM department_member WHERE user_id = :user AND NOT (department = ANY(:departments::text[]))")
        .param("user", caller.id()).param("departments", departments).update();
    jdbc.sql("INSERT INTO department_member (department, user_id) SELECT unnest(:departments::text[]), :user"
            + " ON CONFLICT (department, user_id) DO UPDATE SET seen_at = now()")
        .param("user", caller.id()).param("departments", departments).update();
    recent.put(caller.id(), caller.departments());
  }

  /** The recorded members of the departments. */
  public List<String> members(List<String> departments) {
    if (departments.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT DISTINCT user_id FROM department_member WHERE department = ANY(:departments::text[])")
        .param("departments", departments.toArray(String[]::new)).query(String.class).list();
  }
}
