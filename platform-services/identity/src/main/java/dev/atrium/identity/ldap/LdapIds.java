package dev.atrium.identity.ldap;

import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import org.springframework.ldap.support.LdapEncoder;

/**
 * How directory entries map to identity's ids: a person's id from their username, the stable external id from
 * entryUUID or Active Directory's binary objectGUID, a department's id from its name, and a DN's place in the
 * department tree.
 */
final class LdapIds {

  static final String OBJECT_GUID = "objectGUID";
  /** People's ids: the tokens' subject, as the directory table's check constraint has it. */
  static final Pattern PERSON_ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
  private static final int DEPARTMENT_SLUG_MAX = 30;

  private LdapIds() {
  }

  /** The person id for a username: lower-cased; empty when it does not fit {@link #PERSON_ID}. */
  static Optional<String> personId(String username) {
    if (username == null) {
      return Optional.empty();
    }
    String id = username.strip().toLowerCase(Locale.ROOT);
    return PERSON_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
  }

  /**
   * The external id as stored: text attributes (entryUUID) as they are; a 16-byte objectGUID in its usual text
   * form (the first three groups little-endian, as Windows shows it); other binary values in hex. Null when
   * there is no value.
   */
  static String externalId(Object value, boolean objectGuid) {
    if (value instanceof byte[] bytes) {
      if (bytes.length == 0) {
        return null;
      }
      return objectGuid && bytes.length == 16 ? guidToString(bytes) : HexFormat.of().formatHex(bytes);
    }
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    return value.toString().strip();
  }

  /** An objectGUID's 16 bytes as Windows writes the GUID, e.g. {@code 3f2504e0-4f89-11d3-9a0c-0305e82c3301}. */
  static String guidToString(byte[] b) {
    if (b.length != 16) {
      throw new IllegalArgumentException("an objectGUID has 16 bytes, not " + b.length);
    }
    HexFormat hex = HexFormat.of();
    return hex.formatHex(new byte[] {b[3], b[2], b[1], b[0]}) + "-" + hex.formatHex(new byte[] {b[5], b[4]}) + "-"
        + hex.formatHex(new byte[] {b[7], b[6]}) + "-" + hex.formatHex(b, 8, 10) + "-" + hex.formatHex(b, 10, 16);
  }

  /** The inverse of {@link #guidToString}: the bytes the directory stores. */
  static byte[] guidToBytes(String guid) {
    byte[] t = HexFormat.of().parseHex(guid.replace("-", ""));
    if (t.length != 16) {
      throw new IllegalArgumentException("not a GUID: " + guid);
    }
    return new byte[] {t[3], t[2], t[1], t[0], t[5], t[4], t[7], t[6], t[8], t[9], t[10], t[11], t[12], t[13], t[14],
        t[15]};
  }

  /**
   * The assertion value that finds the entry with this external id in a search filter: escaped text, or for a
   * binary id every byte escaped ({@code \e0\04...}), as RFC 4515 has it.
   */
  static String filterValue(String externalId, boolean objectGuid) {
    if (!objectGuid) {
      return LdapEncoder.filterEncode(externalId);
    }
    byte[] bytes = externalId.contains("-") ? guidToBytes(externalId) : HexFormat.of().parseHex(externalId);
    StringBuilder escaped = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      escaped.append('\\').append(HexFormat.of().toHexDigits(b));
    }
    return escaped.toString();
  }

  /**
   * A new department's id: its name in lower-case ASCII with dashes ({@code Research & Development} →
   * {@code research-development}), made unique with the start of its external id when taken, or only that when
   * the name has no ASCII letters. Kept for good once given: renames and moves do not change it.
   */
  static String departmentId(String name, String externalId, Set<String> taken) {
    String slug = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > DEPARTMENT_SLUG_MAX) {
      slug = slug.substring(0, DEPARTMENT_SLUG_MAX).replaceAll("-+$", "");
    }
    String external = externalId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    String base = slug.isEmpty() ? "ldap" : slug;
    for (String candidate : new String[] {slug, base + "-" + external.substring(0, Math.min(8, external.length())),
        base + "-" + external}) {
      if (!candidate.isEmpty() && !taken.contains(candidate)) {
        return candidate;
      }
    }
    for (int n = 2; ; n++) {
      String candidate = base + "-" + external + "-" + n;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }

  static LdapName dn(String dn) {
    try {
      return new LdapName(dn);
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException("not a distinguished name: " + dn, e);
    }
  }

  /**
   * What {@code known} holds for the nearest proper ancestor of {@code dn} it has: a department's parent
   * department, a person's department. DNs compare as LDAP does (attribute types and values without regard to
   * case or escaping).
   */
  static <T> Optional<T> nearestAncestor(LdapName dn, Map<LdapName, T> known) {
    for (int size = dn.size() - 1; size > 0; size--) {
      T found = known.get((LdapName) dn.getPrefix(size));
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  /** The value of the DN's own (leftmost) RDN: a department's name when it has no name attribute. */
  static String rdnValue(LdapName dn) {
    return dn.isEmpty() ? "" : String.valueOf(dn.getRdn(dn.size() - 1).getValue());
  }
}
