package dev.atrium.identity.keys;

import dev.atrium.identity.audit.AuditLog;
import dev.atrium.identity.security.Caller;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The signing keys, for administrators: which signs, which are still published, and rotation. */
@RestController
class KeyController {

  private final KeyRing keys;
  private final AuditLog audit;

  KeyController(KeyRing keys, AuditLog audit) {
    this.keys = keys;
    this.audit = audit;
  }

  @GetMapping("/api/admin/keys")
  List<KeyRing.KeyInfo> keys() {
    return keys.describe();
  }

  @PostMapping("/api/admin/keys/rotate")
  Map<String, String> rotate(@AuthenticationPrincipal Caller caller) {
    String kid = keys.rotate();
    audit.record(caller.id(), "keys.rotate", kid, AuditLog.Outcome.SUCCESS);
    return Map.of("activeKeyId", kid);
  }
}
