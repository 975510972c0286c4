package dev.atrium.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackupCommandTest {

  @Test
  void theCommandsAreTheImagesWithTheNameAsOneArgument() {
    assertThat(BackupCommand.base("acme-20261129-0200"))
        .containsExactly("atrium-backup", "base", "--name", "acme-20261129-0200");
    assertThat(BackupCommand.verify("20261129T020001")).containsExactly("atrium-backup", "verify", "20261129T020001");
    assertThat(BackupCommand.list()).containsExactly("atrium-backup", "list");
    assertThat(BackupCommand.verify("acme-20261129-0200", 10L << 30))
        .containsExactly("atrium-backup", "verify", "acme-20261129-0200", "--volume-bytes", "10737418240");
    assertThatThrownBy(() -> BackupCommand.verify("acme-20261129-0200", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNameTheImageWouldRefuseIsRefusedBeforeAnythingRuns() {
    assertThatThrownBy(() -> BackupCommand.base("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupCommand.base("--all")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupCommand.verify("$(reboot)")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupCommand.base(null)).isInstanceOf(IllegalArgumentException.class);
    // barman's own words for a backup
    assertThatThrownBy(() -> BackupCommand.base("latest")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackupCommand.verify("last-failed")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBaseBackupsAnswerIsRead() {
    BackupCommand.BaseBackup backup = BackupCommand.parseBase("""
        {"backupId":"20261129T020001","name":"acme-20261129-0200","beginTime":"2026-11-29T02:00:01Z",
         "endTime":"2026-11-29T02:00:09Z","beginWal":"000000010000000000000004","endWal":"000000010000000000000005",
         "beginLsn":"0/4000028","endLsn":"0/5000100","timeline":1,"sizeBytes":31457280}
        """);
    assertThat(backup.backupId()).isEqualTo("20261129T020001");
    assertThat(backup.endWal()).isEqualTo("000000010000000000000005");
    assertThat(backup.timeline()).isEqualTo(1L);
    assertThat(backup.sizeBytes()).isEqualTo(31_457_280L);
  }

  @Test
  void aVerificationsRowsAreKeyedByDatabaseSchemaAndTable() {
    BackupCommand.Verification v = BackupCommand.parseVerification("""
        {"backupId":"20261129T020001","verified":true,
         "databases":{"messages":{"public.messages":2401,"public.conversations":3},"identity":{"public.people":2}}}
        """);
    assertThat(v.verified()).isTrue();
    assertThat(v.rows()).containsEntry("messages.public.messages", 2401L).containsEntry("identity.public.people", 2L)
        .hasSize(3);
  }

  @Test
  void anAnswerThatIsNotWhatTheContractSaysIsAnErrorNotABackup() {
    assertThatThrownBy(() -> BackupCommand.parseBase("barman-cloud-backup: ERROR")).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> BackupCommand.parseBase("{\"name\":\"x\"}")).hasMessageContaining("backupId");
    assertThatThrownBy(() -> BackupCommand.parseList("{}")).hasMessageContaining("backups array");
    assertThat(BackupCommand.parseVerification("{\"backupId\":\"x\"}").verified()).isFalse();
  }
}
