package dev.atrium.operator.platformdata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The plain-text record beside a sealed manifest: when it was taken, to which key, and which blobs it needs. It holds
 * no value of the platform's (blob names are hashes), and lets the operator choose a backup to restore and delete
 * what retention no longer keeps without the private key. Written last: a backup without one is incomplete.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Index(String format, String platform, String backup, String backupId, String takenAt,
    String keyThumbprint, int secrets, long objects, long objectBytes, List<String> blobs) {
}
