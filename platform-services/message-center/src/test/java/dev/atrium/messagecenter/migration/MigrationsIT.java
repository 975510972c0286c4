package dev.atrium.messagecenter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.servicetesting.PostgresServer;
import dev.atrium.messagecenter.testing.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migrations on a real PostgreSQL: from nothing, and step by step from every earlier version. */
@ExtendWith(TestServers.class)
class MigrationsIT {

  @Test
  void migrateAnEmptyDatabaseAndAgainIsANoOp(TestServers.Servers servers) throws Exception {
    String url = servers.postgres().jdbcUrl(servers.newDatabase());

    var first = flyway(url, MigrationVersion.LATEST).migrate();
    var second = flyway(url, MigrationVersion.LATEST).migrate();

    assertThat(first.success).isTrue();
    assertThat(first.migrationsExecuted).isEqualTo(MigrationRulesTest.migrations().size());
    assertThat(second.migrationsExecuted).isZero();
    assertThat(tables(url)).contains("conversation", "conversation_member", "message", "user_stream", "user_event");
  }

  @Test
  void everyVersionUpgradesFromThePreviousOne(TestServers.Servers servers) throws Exception {
    String url = servers.postgres().jdbcUrl(servers.newDatabase());
    int count = MigrationRulesTest.migrations().size();
    for (int version = 1; version <= count; version++) {
      var result = flyway(url, MigrationVersion.fromVersion(Integer.toString(version))).migrate();
      assertThat(result.success).as("to V" + version).isTrue();
      assertThat(result.targetSchemaVersion).isEqualTo(Integer.toString(version));
    }
  }

  private static Flyway flyway(String url, MigrationVersion target) {
    return Flyway.configure().dataSource(url, PostgresServer.SUPERUSER, "").locations("classpath:db/migration")
        .target(target).load();
  }

  private static List<String> tables(String url) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, PostgresServer.SUPERUSER, "");
         ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    return tables;
  }
}
