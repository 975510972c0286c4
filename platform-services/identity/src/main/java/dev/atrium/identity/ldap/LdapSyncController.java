package dev.atrium.identity.ldap;

import dev.atrium.identity.directory.DirectorySync;
import dev.atrium.identity.security.Caller;
import dev.atrium.service.web.ApiException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The LDAP/AD sync for the tenant's administrators: run it now, and see how the last runs went. Without
 * {@code ATRIUM_LDAP_ENABLED=true}, running it is a 404 {@code ldap-not-configured} problem; the runs recorded
 * before (if any) can still be read.
 */
@RestController
@RequestMapping("/api/admin/ldap")
class LdapSyncController {

  static final int MAX_RUNS = 100;

  private final LdapProperties properties;
  private final ObjectProvider<LdapSync> sync;
  private final DirectorySync runs;

  LdapSyncController(LdapProperties properties, ObjectProvider<LdapSync> sync, DirectorySync runs) {
    this.properties = properties;
    this.sync = sync;
    this.runs = runs;
  }

  /**
   * Whether the sync is on, how often it runs, how synced people sign in, and the latest runs (newest first).
   *
   * @param interval e.g. {@code 15m}; null when the sync is off
   * @param login {@code bind} or {@code local}; null when the sync is off
   */
  record SyncStatus(boolean enabled, String interval, String login, List<DirectorySync.Run> runs) {
  }

  @GetMapping("/sync")
  SyncStatus status(@RequestParam(defaultValue = "20") int limit) {
    List<DirectorySync.Run> latest = runs.runs(Math.max(1, Math.min(limit, MAX_RUNS)));
    return properties.enabled()
        ? new SyncStatus(true, properties.syncInterval(), properties.login().name().toLowerCase(java.util.Locale.ROOT),
            latest)
        : new SyncStatus(false, null, null, latest);
  }

  /**
   * Runs the sync now and answers with the run (counts, and the entries it skipped or found in conflict); 409
   * {@code ldap-sync-running} when a run is under way (on any replica), 502 {@code ldap-sync-failed} with the
   * reason when the run failed (nothing it would have changed is changed).
   */
  @PostMapping("/sync")
  DirectorySync.Run run(@AuthenticationPrincipal Caller caller) {
    LdapSync ldap = sync.getIfAvailable();
    if (ldap == null) {
      throw new ApiException(HttpStatus.NOT_FOUND, "ldap-not-configured", "LDAP sync not configured",
          "This identity does not sync from a directory: set spec.identity.ldap in the platform"
              + " (ATRIUM_LDAP_ENABLED and the other ATRIUM_LDAP_* settings).");
    }
    LdapSync.Result result = ldap.run(caller == null ? "admin" : caller.id());
    switch (result.outcome()) {
      case SKIPPED -> throw ApiException.conflict("ldap-sync-running", "The sync cannot run now ("
          + result.error() + "); try again when it has finished.");
      case FAILED -> {
        ApiException failed = new ApiException(HttpStatus.BAD_GATEWAY, "ldap-sync-failed", "LDAP sync failed",
            "The sync failed and changed nothing: " + result.error());
        if (result.runId() != null) {
          failed.problem().setProperty("run", result.runId());
        }
        throw failed;
      }
      default -> {
        return runs.run(result.runId()).orElseThrow();
      }
    }
  }
}
