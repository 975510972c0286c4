package dev.atrium.identity.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.naming.ldap.LdapName;
import org.junit.jupiter.api.Test;

class LdapIdsTest {

  /** Microsoft's example GUID and the bytes Active Directory stores for it (the first three groups reversed). */
  private static final String GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  private static final byte[] GUID_BYTES = HexFormat.of().parseHex("e004253f894fd3119a0c0305e82c3301");

  @Test
  void personIdsAreLowerCasedUsernames() {
    assertThat(LdapIds.personId("Alice")).contains("alice");
    assertThat(LdapIds.personId(" John.Smith ")).contains("john.smith");
    assertThat(LdapIds.personId("a_b-c.9")).contains("a_b-c.9");
    assertThat(LdapIds.personId("x".repeat(64))).isPresent();
  }

  @Test
  void usernamesThatAreNoIdAreRefused() {
    assertThat(LdapIds.personId(null)).isEmpty();
    assertThat(LdapIds.personId("")).isEmpty();
    assertThat(LdapIds.personId("x".repeat(65))).isEmpty();
    assertThat(LdapIds.personId("john smith")).isEmpty();
    assertThat(LdapIds.personId("alice@example.com")).isEmpty();
    assertThat(LdapIds.personId("-alice")).isEmpty();
    assertThat(LdapIds.personId(".alice")).isEmpty();
    assertThat(LdapIds.personId("张三")).isEmpty();
    assertThat(LdapIds.personId("ali\u0307ce")).isEmpty();
  }

  @Test
  void objectGuidBytesBecomeTheGuidWindowsShows() {
    assertThat(LdapIds.guidToString(GUID_BYTES)).isEqualTo(GUID);
    assertThat(LdapIds.guidToBytes(GUID)).isEqualTo(GUID_BYTES);
    assertThat(LdapIds.guidToBytes(GUID.toUpperCase())).isEqualTo(GUID_BYTES);
    assertThat(LdapIds.externalId(GUID_BYTES, true)).isEqualTo(GUID);
    assertThatThrownBy(() -> LdapIds.guidToString(new byte[15])).hasMessageContaining("16 bytes");
  }

  @Test
  void otherExternalIdsAreTextOrHex() {
    assertThat(LdapIds.externalId("28e7e0ac-7fec-1041-8faf-2f1dc0adba14", false))
        .isEqualTo("28e7e0ac-7fec-1041-8faf-2f1dc0adba14");
    assertThat(LdapIds.externalId(" 42 ", false)).isEqualTo("42");
    assertThat(LdapIds.externalId(GUID_BYTES, false)).isEqualTo("e004253f894fd3119a0c0305e82c3301");
    assertThat(LdapIds.externalId(new byte[] {1, 2, 3}, true)).isEqualTo("010203");
    assertThat(LdapIds.externalId(null, false)).isNull();
    assertThat(LdapIds.externalId(" ", false)).isNull();
    assertThat(LdapIds.externalId(new byte[0], true)).isNull();
  }

  @Test
  void filterValuesAreEscaped() {
    assertThat(LdapIds.filterValue("28e7e0ac-7fec-1041-8faf-2f1dc0adba14", false))
        .isEqualTo("28e7e0ac-7fec-1041-8faf-2f1dc0adba14");
    assertThat(LdapIds.filterValue("a*b(c)\\", false)).isEqualTo("a\\2ab\\28c\\29\\5c");
    assertThat(LdapIds.filterValue(GUID, true)).isEqualTo("\\e0\\04\\25\\3f\\89\\4f\\d3\\11\\9a\\0c\\03\\05\\e8\\2c\\33\\01");
    assertThat(LdapIds.filterValue("010203", true)).isEqualTo("\\01\\02\\03");
  }

  @Test
  void departmentIdsComeFromTheNameAndStayUnique() {
    String uuid = "5f2c1a2b-7fec-1041-8faf-2f1dc0adba14";
    assertThat(LdapIds.departmentId("Engineering", uuid, Set.of())).isEqualTo("engineering");
    assertThat(LdapIds.departmentId("Research & Development", uuid, Set.of())).isEqualTo("research-development");
    assertThat(LdapIds.departmentId("Ventes Île-de-France", uuid, Set.of())).isEqualTo("ventes-ile-de-france");
    assertThat(LdapIds.departmentId("Engineering", uuid, Set.of("engineering"))).isEqualTo("engineering-5f2c1a2b");
    assertThat(LdapIds.departmentId("Engineering", uuid, Set.of("engineering", "engineering-5f2c1a2b")))
        .isEqualTo("engineering-5f2c1a2b7fec10418faf2f1dc0adba14");
    assertThat(LdapIds.departmentId("研发部", uuid, Set.of())).isEqualTo("ldap-5f2c1a2b");
    assertThat(LdapIds.departmentId("A very long department name that goes on and on", uuid, Set.of()))
        .isEqualTo("a-very-long-department-name-th").hasSizeLessThanOrEqualTo(30);
    assertThat(LdapIds.departmentId("x".repeat(40), uuid, Set.of("x".repeat(30), "x".repeat(30) + "-5f2c1a2b")))
        .hasSizeLessThanOrEqualTo(64);
  }

  @Test
  void theNearestAncestorThatIsKnownIsTheParent() {
    Map<LdapName, String> departments = Map.of(
        LdapIds.dn("ou=corp,dc=example,dc=com"), "corp",
        LdapIds.dn("ou=Engineering,ou=corp,dc=example,dc=com"), "engineering");

    assertThat(LdapIds.nearestAncestor(LdapIds.dn("ou=backend,ou=engineering,ou=Corp,dc=example,dc=com"),
        departments)).contains("engineering");
    assertThat(LdapIds.nearestAncestor(LdapIds.dn("uid=alice,OU=Engineering, ou=corp,dc=example,dc=com"),
        departments)).contains("engineering");
    // a plain container between them is passed over
    assertThat(LdapIds.nearestAncestor(LdapIds.dn("uid=bob,cn=users,ou=corp,dc=example,dc=com"), departments))
        .contains("corp");
    // a department is not its own parent
    assertThat(LdapIds.nearestAncestor(LdapIds.dn("ou=corp,dc=example,dc=com"), departments)).isEmpty();
    assertThat(LdapIds.nearestAncestor(LdapIds.dn("uid=carol,dc=example,dc=com"), departments)).isEmpty();
  }

  @Test
  void aDepartmentWithoutANameIsCalledByItsRdn() {
    assertThat(LdapIds.rdnValue(LdapIds.dn("ou=Sales\\, EMEA,dc=example,dc=com"))).isEqualTo("Sales, EMEA");
    assertThatThrownBy(() -> LdapIds.dn("not a dn")).isInstanceOf(IllegalArgumentException.class);
  }
}
