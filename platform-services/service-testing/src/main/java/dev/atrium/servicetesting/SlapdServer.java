package dev.atrium.servicetesting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A real OpenLDAP server (slapd from the Debian package) in a fresh directory under java.io.tmpdir: a slapd.conf
 * with the core, cosine, inetorgperson and nis schemas, one mdb database for the suffix (default
 * {@value #DEFAULT_SUFFIX}) with a root DN and password, listening on ldap://127.0.0.1 on a random free port.
 * The suffix entry exists from the start; everything else is written over LDAP, as the root DN, with
 * {@link #ldif(String)} or the helpers ({@link #delete}, {@link #rename}, {@link #replace}).
 *
 * <p>Like a stock OpenLDAP, anonymous clients may only bind, bound clients read everything but passwords, and
 * searches by anyone but the root DN return at most 500 entries, paged or not, unless a {@code limits}
 * directive given to {@link #start(String, String...)} lifts that for an account. {@link #close()} stops the
 * server and deletes the directory; a run whose JVM died is cleaned up by the next {@link #start()}.
 */
public final class SlapdServer implements AutoCloseable {

  static final String PREFIX = "atrium-slapd-";
  public static final String DEFAULT_SUFFIX = "dc=example,dc=com";
  private static final List<String> SCHEMAS = List.of("core", "cosine", "inetorgperson", "nis");
  private static final List<Path> SCHEMA_DIRS = List.of(Path.of("/etc/ldap/schema"), Path.of("/etc/openldap/schema"));
  private static final List<Path> MODULE_DIRS = List.of(Path.of("/usr/lib/ldap"), Path.of("/usr/lib64/openldap"),
      Path.of("/usr/lib/openldap"), Path.of("/usr/libexec/openldap"));

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String suffix;
  private final String rootPassword;
  private final String host;
  private Process process;

  private SlapdServer(Path bin, Path dir, String host, int port, String suffix) {
    this.host = host;
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.suffix = suffix;
    this.rootPassword = "root-" + UUID.randomUUID();
  }

  /** A server for {@value #DEFAULT_SUFFIX}. */
  public static SlapdServer start() {
    return start(DEFAULT_SUFFIX);
  }

  /**
   * A server for {@code suffix} (its first RDN dc=, o= or ou=), with extra slapd.conf directives for the
   * database, e.g. {@code limits dn.exact="cn=sync,dc=example,dc=com" size.prtotal=unlimited}.
   */
  public static SlapdServer start(String suffix, String... databaseDirectives) {
    return startOn("127.0.0.1", suffix, databaseDirectives);
  }

  /**
   * As {@link #start(String, String...)}, listening on another of this machine's addresses: the real node's
   * e2e serves the company directory to the node's pods on the host end of its veth.
   */
  public static SlapdServer startOn(String host, String suffix, String... databaseDirectives) {
    Path bin = ServerBinaries.slapd().locate();
    ScratchDir.reapOrphans(PREFIX, SlapdServer::killRecorded);
    SlapdServer server = new SlapdServer(bin, ScratchDir.create(PREFIX), host, FreePort.pick(), suffix);
    try {
      server.writeConfig(List.of(databaseDirectives));
      server.startServer();
      server.addSuffixEntry();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Starts the (stopped) server again, on the port it had, with the entries it had. */
  public synchronized void startServer() {
    try {
      // -d 0: stay in the foreground (this JVM owns the process) and log nothing but errors
      process = new ProcessBuilder(bin.resolve("slapd").toString(), "-f", config().toString(), "-h", url() + "/",
          "-d", "0").redirectErrorStream(true).redirectOutput(log().toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start slapd in " + dir, e);
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    NamingException last = null;
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try {
        rootContext().close();
        return;
      } catch (NamingException e) {
        last = e;
        sleep(Duration.ofMillis(10));
      }
    }
    stopServer();
    throw new IllegalStateException("slapd did not come up on " + url() + (last == null ? "" : ": " + last)
        + Processes.tail(log()));
  }

  /** Stops the server and keeps its entries (a directory outage); {@link #startServer()} brings it back. */
  public synchronized void stopServer() {
    if (process == null) {
      return;
    }
    Processes.stop(process);
    process = null;
  }

  public int port() {
    return port;
  }

  /** {@code ldap://<host>:<port>}, the host 127.0.0.1 unless started on another address. */
  public String url() {
    return "ldap://" + host + ":" + port;
  }

  public String suffix() {
    return suffix;
  }

  /** The root DN, {@code cn=admin,<suffix>}: it may do everything, and no size limit applies to it. */
  public String rootDn() {
    return "cn=admin," + suffix;
  }

  public String rootPassword() {
    return rootPassword;
  }

  /**
   * Applies LDIF (RFC 2849) as the root DN: records without a changetype are added; {@code changetype} add,
   * delete, modify (add/replace/delete), modrdn/moddn (newrdn, deleteoldrdn, newsuperior) are applied in order.
   * Values may be base64 ({@code attr:: ...}); lines starting with a space continue the previous one.
   */
  public void ldif(String ldif) {
    List<LdifRecord> records = LdifRecord.parse(ldif);
    try {
      DirContext context = rootContext();
      try {
        for (LdifRecord record : records) {
          apply(context, record);
        }
      } finally {
        context.close();
      }
    } catch (NamingException e) {
      throw new IllegalStateException("slapd on " + url() + " refused the LDIF: " + e, e);
    }
  }

  /** Deletes the entry (it must have no children). */
  public void delete(String dn) {
    ldif("dn: " + dn + "\nchangetype: delete\n");
  }

  /**
   * Renames and/or moves the entry (modrdn, with newSuperior when the parent changes); when renamed, the old
   * RDN's value is removed from the entry. Its entryUUID stays.
   */
  public void rename(String dn, String newDn) {
    try {
      LdapName to = new LdapName(newDn);
      LdapName from = new LdapName(dn);
      // a pure move keeps the RDN's value as it was written (deleteoldrdn 1 would replace "Backend" by "backend")
      boolean renamed = !to.getRdn(to.size() - 1).equals(from.getRdn(from.size() - 1));
      StringBuilder change = new StringBuilder("dn: " + dn + "\nchangetype: modrdn\nnewrdn: "
          + to.getRdn(to.size() - 1) + "\ndeleteoldrdn: " + (renamed ? 1 : 0) + "\n");
      if (!to.getPrefix(to.size() - 1).equals(from.getPrefix(from.size() - 1))) {
        change.append("newsuperior: ").append(to.getPrefix(to.size() - 1)).append('\n');
      }
      ldif(change.toString());
    } catch (NamingException e) {
      throw new IllegalArgumentException("not a DN: " + dn + " / " + newDn, e);
    }
  }

  /** Replaces the attribute's values (none: removes the attribute). */
  public void replace(String dn, String attribute, String... values) {
    StringBuilder change = new StringBuilder("dn: " + dn + "\nchangetype: modify\nreplace: " + attribute + "\n");
    for (String value : values) {
      change.append(attribute).append(": ").append(value).append('\n');
    }
    ldif(change.append("-\n").toString());
  }

  /** The entry's values of the attributes (operational ones such as entryUUID included when named); empty when the entry does not exist. */
  public Optional<Map<String, List<String>>> read(String dn, String... attributes) {
    try {
      DirContext context = rootContext();
      try {
        Attributes found = context.getAttributes(new LdapName(dn), attributes);
        Map<String, List<String>> values = new LinkedHashMap<>();
        NamingEnumeration<? extends Attribute> all = found.getAll();
        while (all.hasMore()) {
          Attribute attribute = all.next();
          List<String> list = new ArrayList<>();
          for (int i = 0; i < attribute.size(); i++) {
            Object value = attribute.get(i);
            list.add(value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value.toString());
          }
          values.put(attribute.getID(), List.copyOf(list));
        }
        return Optional.of(values);
      } finally {
        context.close();
      }
    } catch (NameNotFoundException e) {
      return Optional.empty();
    } catch (NamingException e) {
      throw new IllegalStateException("cannot read " + dn + " from " + url() + ": " + e, e);
    }
  }

  /** The entry's entryUUID, which identifies it for good, through renames and moves. */
  public String entryUuid(String dn) {
    return read(dn, "entryUUID").map(values -> values.get("entryUUID").getFirst())
        .orElseThrow(() -> new IllegalStateException("no entry " + dn));
  }

  @Override
  public void close() {
    stopServer();
    ScratchDir.delete(dir);
  }

  private DirContext rootContext() throws NamingException {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, url());
    env.put(Context.SECURITY_AUTHENTICATION, "simple");
    env.put(Context.SECURITY_PRINCIPAL, rootDn());
    env.put(Context.SECURITY_CREDENTIALS, rootPassword);
    env.put("com.sun.jndi.ldap.connect.timeout", "2000");
    env.put("com.sun.jndi.ldap.read.timeout", "30000");
    return new InitialDirContext(env);
  }

  private void writeConfig(List<String> databaseDirectives) {
    Path schemas = SCHEMA_DIRS.stream().filter(d -> Files.isRegularFile(d.resolve("core.schema"))).findFirst()
        .orElseThrow(() -> new ServerBinaries.MissingServerBinariesException("OpenLDAP's schema files (core.schema)"
            + " not found in " + SCHEMA_DIRS + ": install them with `"
            + ServerBinaries.slapd().install() + "`"));
    List<String> lines = new ArrayList<>();
    for (String schema : SCHEMAS) {
      lines.add("include " + schemas.resolve(schema + ".schema"));
    }
    lines.add("pidfile " + dir.resolve("slapd.pid"));
    lines.add("argsfile " + dir.resolve("slapd.args"));
    // Debian builds the backends as modules; other builds may have mdb compiled in
    MODULE_DIRS.stream().filter(d -> Files.exists(d.resolve("back_mdb.la")) || Files.exists(d.resolve("back_mdb.so")))
        .findFirst().ifPresent(modules -> {
          lines.add("modulepath " + modules);
          lines.add("moduleload back_mdb");
        });
    lines.add("sizelimit size.soft=500 size.hard=500");
    lines.add("access to attrs=userPassword by self write by anonymous auth by * none");
    lines.add("access to * by users read by * none");
    lines.add("database mdb");
    // the map is sparse: a gigabyte of address space, not of disk
    lines.add("maxsize 1073741824");
    lines.add("suffix \"" + suffix + "\"");
    lines.add("rootdn \"" + rootDn() + "\"");
    lines.add("rootpw " + rootPassword);
    lines.add("directory " + data());
    lines.add("dbnosync");
    lines.add("index objectClass eq");
    lines.add("index entryUUID eq");
    lines.add("index uid eq");
    lines.addAll(databaseDirectives);
    try {
      Files.createDirectories(data());
      Files.write(config(), lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the slapd configuration in " + dir, e);
    }
  }

  private void addSuffixEntry() {
    try {
      Rdn first = new LdapName(suffix).getRdn(new LdapName(suffix).size() - 1);
      String type = first.getType().toLowerCase(Locale.ROOT);
      String value = first.getValue().toString();
      String entry = switch (type) {
        case "dc" -> "objectClass: dcObject\nobjectClass: organization\no: " + value + "\ndc: " + value;
        case "o" -> "objectClass: organization\no: " + value;
        case "ou" -> "objectClass: organizationalUnit\nou: " + value;
        default -> throw new IllegalArgumentException("the suffix's first RDN must be dc=, o= or ou=: " + suffix);
      };
      ldif("dn: " + suffix + "\n" + entry + "\n");
    } catch (NamingException e) {
      throw new IllegalArgumentException("not a DN: " + suffix, e);
    }
  }

  private static void apply(DirContext context, LdifRecord record) throws NamingException {
    LdapName dn = new LdapName(record.dn());
    switch (record.changeType()) {
      case "add" -> {
        Attributes attributes = new BasicAttributes(true);
        for (LdifRecord.Line line : record.lines()) {
          Attribute attribute = attributes.get(line.name());
          if (attribute == null) {
            attribute = new BasicAttribute(line.name());
            attributes.put(attribute);
          }
          attribute.add(line.value());
        }
        context.createSubcontext(dn, attributes).close();
      }
      case "delete" -> context.destroySubcontext(dn);
      case "modify" -> context.modifyAttributes(dn, modifications(record));
      case "modrdn", "moddn" -> {
        String newRdn = record.single("newrdn").orElseThrow(() -> new IllegalArgumentException(
            "modrdn of " + dn + " without newrdn"));
        LdapName parent = record.single("newsuperior").map(SlapdServer::name)
            .orElse((LdapName) dn.getPrefix(dn.size() - 1));
        LdapName target = (LdapName) ((LdapName) parent.clone()).add(newRdn);
        boolean deleteOld = !record.single("deleteoldrdn").orElse("1").equals("0");
        Object before = context.getEnvironment().get("java.naming.ldap.deleteRDN");
        context.addToEnvironment("java.naming.ldap.deleteRDN", Boolean.toString(deleteOld));
        try {
          context.rename(dn, target);
        } finally {
          if (before == null) {
            context.removeFromEnvironment("java.naming.ldap.deleteRDN");
          } else {
            context.addToEnvironment("java.naming.ldap.deleteRDN", before);
          }
        }
      }
      default -> throw new IllegalArgumentException("changetype " + record.changeType() + " of " + dn);
    }
  }

  private static ModificationItem[] modifications(LdifRecord record) {
    List<ModificationItem> items = new ArrayList<>();
    BasicAttribute current = null;
    int operation = 0;
    for (LdifRecord.Line line : record.lines()) {
      if (line.name().equals("-")) {
        if (current != null) {
          items.add(new ModificationItem(operation, current));
        }
        current = null;
      } else if (current == null) {
        operation = switch (line.name().toLowerCase(Locale.ROOT)) {
          case "add" -> DirContext.ADD_ATTRIBUTE;
          case "replace" -> DirContext.REPLACE_ATTRIBUTE;
          case "delete" -> DirContext.REMOVE_ATTRIBUTE;
          default -> throw new IllegalArgumentException("modify of " + record.dn() + ": expected add:, replace: or"
              + " delete:, found " + line.name() + ":");
        };
        current = new BasicAttribute(line.text());
      } else {
        current.add(line.value());
      }
    }
    if (current != null) {
      items.add(new ModificationItem(operation, current));
    }
    return items.toArray(ModificationItem[]::new);
  }

  private static LdapName name(String dn) {
    try {
      return new LdapName(dn);
    } catch (NamingException e) {
      throw new IllegalArgumentException("not a DN: " + dn, e);
    }
  }

  private Path config() {
    return dir.resolve("slapd.conf");
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Path log() {
    return dir.resolve("slapd.log");
  }

  private static void killRecorded(Path orphanDir) {
    Processes.killRecorded(orphanDir, "slapd.pid");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for slapd", e);
    }
  }

  /** One LDIF change record: its DN, its changetype (add when none) and its other lines in order. */
  record LdifRecord(String dn, String changeType, List<Line> lines) {

    /** An {@code name: value} line; the value is a byte[] when the LDIF gave it in base64, else a String. */
    record Line(String name, Object value) {
      String text() {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
      }
    }

    Optional<String> single(String name) {
      return lines.stream().filter(l -> l.name().equalsIgnoreCase(name)).map(Line::text).findFirst();
    }

    static List<LdifRecord> parse(String ldif) {
      List<LdifRecord> records = new ArrayList<>();
      List<String> logical = new ArrayList<>();
      for (String raw : ldif.replace("\r\n", "\n").split("\n", -1)) {
        if (raw.startsWith(" ") && !logical.isEmpty() && !logical.getLast().isEmpty()) {
          logical.set(logical.size() - 1, logical.getLast() + raw.substring(1));
        } else if (!raw.startsWith("#")) {
          logical.add(raw.strip().isEmpty() ? "" : raw);
        }
      }
      List<Line> current = new ArrayList<>();
      for (String line : logical) {
        if (line.isEmpty()) {
          addRecord(records, current);
          current = new ArrayList<>();
        } else if (line.equals("-")) {
          current.add(new Line("-", ""));
        } else {
          current.add(line(line));
        }
      }
      addRecord(records, current);
      return records;
    }

    private static void addRecord(List<LdifRecord> records, List<Line> lines) {
      List<Line> rest = new ArrayList<>(lines);
      rest.removeIf(l -> l.name().equalsIgnoreCase("version"));
      if (rest.isEmpty()) {
        return;
      }
      Line dn = rest.removeFirst();
      if (!dn.name().equalsIgnoreCase("dn")) {
        throw new IllegalArgumentException("an LDIF record starts with dn:, not " + dn.name() + ":");
      }
      String changeType = "add";
      if (!rest.isEmpty() && rest.getFirst().name().equalsIgnoreCase("changetype")) {
        changeType = rest.removeFirst().text().toLowerCase(Locale.ROOT);
      }
      records.add(new LdifRecord(dn.text(), changeType, List.copyOf(rest)));
    }

    private static Line line(String line) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("not an LDIF line (name: value): " + line);
      }
      String name = line.substring(0, colon).strip();
      String rest = line.substring(colon + 1);
      if (rest.startsWith(":")) {
        byte[] bytes = Base64.getMimeDecoder().decode(rest.substring(1).strip());
        // values stay bytes (objectGUID, photos; text goes over the wire as the same UTF-8 octets)
        return new Line(name, name.equalsIgnoreCase("dn") ? new String(bytes, StandardCharsets.UTF_8) : bytes);
      }
      if (rest.startsWith("<")) {
        throw new IllegalArgumentException("LDIF file references (" + name + ":<) are not supported");
      }
      return new Line(name, rest.stripLeading());
    }
  }
}
