package dev.atrium.servicetesting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrium.servicetesting.SlapdServer.LdifRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LDIF {@link SlapdServer#ldif(String)} applies: records, change types, base64 and folded lines. */
class SlapdLdifTest {

  @Test
  void recordsWithoutAChangetypeAreAdds() {
    List<LdifRecord> records = LdifRecord.parse("""
        version: 1
        # people
        dn: uid=alice,ou=people,dc=example,dc=com
        objectClass: inetOrgPerson
        cn: Alice
         Liddell
        sn: Liddell

        dn: ou=people,dc=example,dc=com
        changetype: delete
        """);

    assertThat(records).hasSize(2);
    assertThat(records.get(0).dn()).isEqualTo("uid=alice,ou=people,dc=example,dc=com");
    assertThat(records.get(0).changeType()).isEqualTo("add");
    assertThat(records.get(0).lines()).extracting(LdifRecord.Line::name).containsExactly("objectClass", "cn", "sn");
    assertThat(records.get(0).lines().get(1).value()).isEqualTo("AliceLiddell");
    assertThat(records.get(1).changeType()).isEqualTo("delete");
  }

  @Test
  void base64ValuesAreBytesAndBase64DnsText() {
    List<LdifRecord> records = LdifRecord.parse("""
        dn:: b3U95bel56iL6YOoLGRjPWV4YW1wbGUsZGM9Y29t
        objectClass: organizationalUnit
        objectGUID:: 4AQlP4lP0xGaDAMF6CwzAQ==
        """);

    assertThat(records.getFirst().dn()).isEqualTo("ou=工程部,dc=example,dc=com");
    assertThat((byte[]) records.getFirst().lines().get(1).value()).hasSize(16).startsWith((byte) 0xE0, (byte) 0x04);
  }

  @Test
  void modifyAndModrdnKeepTheirLinesInOrder() {
    List<LdifRecord> records = LdifRecord.parse("""
        dn: uid=bob,ou=people,dc=example,dc=com
        changetype: modify
        replace: mail
        mail: bob@example.com
        -
        delete: telephoneNumber
        -

        dn: uid=bob,ou=people,dc=example,dc=com
        changetype: modrdn
        newrdn: uid=robert
        deleteoldrdn: 1
        newsuperior: ou=sales,dc=example,dc=com
        """);

    assertThat(records.get(0).lines()).extracting(LdifRecord.Line::name)
        .containsExactly("replace", "mail", "-", "delete", "-");
    assertThat(records.get(1).single("newsuperior")).contains("ou=sales,dc=example,dc=com");
    assertThat(records.get(1).single("NewRDN")).contains("uid=robert");
  }

  @Test
  void aRecordMustStartWithItsDn() {
    assertThatThrownBy(() -> LdifRecord.parse("cn: nobody\n")).hasMessageContaining("starts with dn:");
    assertThatThrownBy(() -> LdifRecord.parse("dn: cn=x\njpegPhoto:< file:///x\n")).hasMessageContaining("not supported");
  }

  @Test
  void text() {
    assertThat(new LdifRecord.Line("cn", "é".getBytes(StandardCharsets.UTF_8)).text()).isEqualTo("é");
  }
}
