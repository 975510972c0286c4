#!/usr/bin/python3
# atrium-backup (/usr/local/bin/atrium-backup in Atrium's PostgreSQL image): continuous backups of the database
# with barman-cloud (decision 0015), and the one command the operator runs in the leader's pod, exec-style.
# docs/images/postgresql.md has the contract; this is its summary.
#
# For the operator. Each prints ONE JSON object on stdout; errors: a message on stderr and a non-zero exit.
#   atrium-backup base --name NAME    a base backup named NAME (barman-cloud-backup --name), then retention
#                                     (barman-cloud-backup-delete, RECOVERY WINDOW OF N DAYS); on the leader only
#   atrium-backup list                every backup of this platform's server name, oldest first
#   atrium-backup verify ID_OR_NAME   restores the backup into a scratch directory beside PGDATA, recovers it to
#                                     its end with a private PostgreSQL (Unix socket only), counts every user
#                                     table's rows, stops it and deletes the directory
# Exit codes: 0 done; 1 failed; 2 refused: bad arguments, bad environment, no room; 3 not the leader (base).
# NAME is a Kubernetes name, [a-z0-9][a-z0-9.-]{0,252} (not barman's reserved latest, last, oldest, first,
# last-failed); an ID is barman's, YYYYMMDDTHHMMSS. Anything else is refused before any tool runs.
#
# For PostgreSQL and Patroni (atrium-patroni-config writes them into Patroni's configuration):
#   atrium-backup wal-archive PATH                  archive_command: barman-cloud-wal-archive --gzip
#   atrium-backup wal-restore --from backup|restore WAL PATH
#                                                   restore_command: barman-cloud-wal-restore from this platform's
#                                                   store (verify) or from the one restored from (bootstrap)
#   atrium-backup restore-bootstrap --scope=S --datadir=D
#                                                   Patroni's custom bootstrap method: a new cluster's first leader
#                                                   from a backup (barman-cloud-restore), not from initdb
#   atrium-backup check-env                         checks the variables below; prints the restore target time
#                                                   as PostgreSQL reads it (or nothing)
#
# Environment. This platform's backups (the DatabaseModel sets them; all unset: no archiving, no backups):
#   ATRIUM_BACKUP_DESTINATION     s3://bucket/prefix
#   ATRIUM_BACKUP_SERVER_NAME     barman's server name: the platform's name (objects go under prefix/server/)
#   ATRIUM_BACKUP_ENDPOINT        http(s)://host:port of the S3 API (boto3's endpoint); unset: AWS
#   ATRIUM_BACKUP_RETENTION_DAYS  the recovery window base kept, in days (default 7; 0 keeps the newest backup)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the store's credentials (from a Secret; never printed or logged)
#   AWS_DEFAULT_REGION            the region boto3 signs for (default us-east-1, which any S3 gateway accepts)
# A new cluster made from a backup (patroni-config makes Patroni's bootstrap call restore-bootstrap):
#   ATRIUM_RESTORE_DESTINATION, ATRIUM_RESTORE_SERVER_NAME, ATRIUM_RESTORE_ENDPOINT   where the backups are
#   ATRIUM_RESTORE_ACCESS_KEY_ID, ATRIUM_RESTORE_SECRET_ACCESS_KEY                    its credentials
#   ATRIUM_RESTORE_REGION         default AWS_DEFAULT_REGION, then us-east-1
#   ATRIUM_RESTORE_BACKUP_ID      the backup (ID or name); default: the latest that ends before the target time
#   ATRIUM_RESTORE_TARGET_TIME    RFC 3339; unset: the end of the archived WAL
# The pod's (defaults are the image's):
#   PGDATA, PGPORT (5432), ATRIUM_RUN_DIR (/var/run/postgresql: the socket), ATRIUM_PATRONI_PORT (8008),
#   ATRIUM_PG_BIN (/usr/lib/postgresql/15/bin)
#   ATRIUM_VERIFY_DIR             where verify restores (default: PGDATA's parent, the volume)
#   ATRIUM_VERIFY_RESERVE_PERCENT the share of that volume verify leaves free for the live database (default 10): of
#                                 the claim's size when verify is given --volume-bytes (the operator passes the
#                                 platform's spec.database.storage.size) and the file system is larger, as on a
#                                 node's shared disk; of the file system's size otherwise
#   ATRIUM_VERIFY_TIMEOUT_SECONDS how long verify waits for the restored server (default 7200)
#   ATRIUM_ARCHIVING_RECHECK_SECONDS how long base waits for failing WAL archiving to recover before it refuses (20)
#
# Only the standard library at the top: archive_command runs this for every WAL segment, and importing boto3 and
# barman (compiled from source at every start: the image ships no bytecode) costs about a second of CPU.
import datetime
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PROG = "atrium-backup"
NAME_RE = re.compile(r"[a-z0-9][a-z0-9.-]{0,252}")
ID_RE = re.compile(r"[0-9]{8}T[0-9]{6}")
RESERVED = ("latest", "last", "oldest", "first", "last-failed")
DESTINATION_RE = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._-]+)*/?")
SERVER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,252}")
ENDPOINT_RE = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?")
# RFC 3339, with a zone
TIME_RE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?)([Zz]|[+-][0-9]{2}:[0-9]{2})")
WAL_RE = re.compile(r"[0-9A-F]{24}(\.partial|\.[0-9A-F]{8}\.backup)?|[0-9A-F]{8}\.history")
FIRST_SEGMENT = "000000010000000000000001"
# a WAL segment's first page starts with XLogLongPageHeaderData: the short header (magic, info, timeline, page
# address, remaining length: 24 bytes with padding), then the system identifier (8 bytes, the host's byte order)
WAL_HEADER = 40
# how long a base backup waits for failing WAL archiving to come back before it refuses
ARCHIVING_RECHECK_SECONDS = int(os.environ.get("ATRIUM_ARCHIVING_RECHECK_SECONDS", "20"))
WAL_SYSID_OFFSET = 24
WAL_SEGMENT_BYTES = 16 * 1024 * 1024
EXIT_FAILED, EXIT_REFUSED, EXIT_NOT_LEADER = 1, 2, 3


class Failure(Exception):
    def __init__(self, message, code=EXIT_FAILED):
        super().__init__(message)
        self.code = code


def log(message):
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def refuse(message):
    raise Failure(message, EXIT_REFUSED)


def env(name, default=None):
    value = os.environ.get(name, "")
    return value if value != "" else default


# ---- the object stores

class Store:
    """Where backups and WAL are: this platform's (backup) or the one a new cluster is restored from (restore)."""

    def __init__(self, kind, destination, server, endpoint, key_id, secret, region):
        self.kind, self.destination, self.server, self.endpoint = kind, destination, server, endpoint
        self._key_id, self._secret, self.region = key_id, secret, region

    @staticmethod
    def backup(required=True):
        return Store._from_env("backup", "ATRIUM_BACKUP_", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                               env("AWS_DEFAULT_REGION", "us-east-1"), required)

    @staticmethod
    def restore(required=True):
        return Store._from_env("restore", "ATRIUM_RESTORE_", "ATRIUM_RESTORE_ACCESS_KEY_ID",
                               "ATRIUM_RESTORE_SECRET_ACCESS_KEY",
                               env("ATRIUM_RESTORE_REGION", env("AWS_DEFAULT_REGION", "us-east-1")), required)

    @staticmethod
    def _from_env(kind, prefix, key_var, secret_var, region, required):
        destination = env(prefix + "DESTINATION")
        if destination is None:
            if required:
                refuse(f"{prefix}DESTINATION is not set: this platform has no {kind} store")
            return None
        if not DESTINATION_RE.fullmatch(destination):
            refuse(f"{prefix}DESTINATION '{destination}' is not s3://bucket[/prefix]")
        server = env(prefix + "SERVER_NAME")
        if server is None or not SERVER_RE.fullmatch(server):
            refuse(f"{prefix}SERVER_NAME is {'not set' if server is None else repr(server) + ', not a name'}")
        endpoint = env(prefix + "ENDPOINT")
        if endpoint is not None and not ENDPOINT_RE.fullmatch(endpoint):
            refuse(f"{prefix}ENDPOINT '{endpoint}' is not http(s)://host[:port]")
        key_id, secret = env(key_var), env(secret_var)
        if (key_id is None) != (secret is None):
            refuse(f"{key_var} and {secret_var} must be set together")
        if not re.fullmatch(r"[a-z]{2}(-[a-z0-9]+)+", region):
            refuse(f"the region '{region}' is not a region name")
        return Store(kind, destination, server, endpoint, key_id, secret, region)

    def same_place(self, other):
        return (self.destination.rstrip("/"), self.server, self.endpoint) == \
            (other.destination.rstrip("/"), other.server, other.endpoint)

    def where(self):
        return f"{self.destination.rstrip('/')} (server {self.server})"

    def child_env(self):
        """The environment of a barman-cloud tool: this store's credentials as boto3 reads them, and no other's."""
        child = {k: v for k, v in os.environ.items()
                 if not k.startswith("ATRIUM_RESTORE_") and k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
        if self._key_id is not None:
            child["AWS_ACCESS_KEY_ID"], child["AWS_SECRET_ACCESS_KEY"] = self._key_id, self._secret
        child["AWS_DEFAULT_REGION"] = self.region
        return child

    def tool(self, name, *args):
        return [name, *(["--endpoint-url", self.endpoint] if self.endpoint else []), *args]

    def catalog(self):
        """barman's catalog of this store's server, in this process (what barman-cloud-backup-list reads)."""
        # boto3 takes credentials from the environment; this process talks to one store at a time
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
            os.environ.pop(k, None)
        os.environ.update({k: v for k, v in self.child_env().items() if k.startswith("AWS_")})
        from barman.cloud import CloudBackupCatalog
        from barman.cloud_providers.aws_s3 import S3CloudInterface
        cloud = S3CloudInterface(url=self.destination, endpoint_url=self.endpoint)
        try:
            if not cloud.test_connectivity():
                raise Failure(f"cannot reach the {self.kind} store at {self.endpoint or 'AWS S3'}")
        except Failure:
            raise
        except Exception as e:  # botocore's errors name the endpoint and the S3 error, never the secret
            raise Failure(f"cannot reach the {self.kind} store at {self.endpoint or 'AWS S3'}: {e}")
        return Catalog(self, cloud, CloudBackupCatalog(cloud, self.server) if cloud.bucket_exists else None)


class Catalog:
    def __init__(self, store, cloud, catalog):
        self.store, self.cloud, self._catalog = store, cloud, catalog

    def backups(self):
        """Every backup, oldest first."""
        if self._catalog is None:
            return []
        found = self._catalog.get_backup_list()
        return [found[i] for i in sorted(found)]

    def find(self, id_or_name):
        matches = [b for b in self.backups() if id_or_name in (b.backup_id, b.backup_name)]
        if not matches:
            raise Failure(f"no backup '{id_or_name}' in {self.store.where()}")
        if len(matches) > 1:
            raise Failure(f"{len(matches)} backups are named '{id_or_name}' in {self.store.where()}: give an ID "
                          f"({', '.join(b.backup_id for b in matches)})")
        return matches[0]

    def wal_names(self):
        return list(self.wal_paths())

    def wal_paths(self):
        """Every archived WAL file's name and its key in the bucket."""
        return {} if self._catalog is None else dict(self._catalog.get_wal_paths())

    def wal_system_identifier(self, key):
        """The system identifier in an archived WAL file's first page (gzip, as wal-archive writes it, or plain)."""
        import gzip
        body = self.cloud.s3.meta.client.get_object(Bucket=self.cloud.bucket_name, Key=key)["Body"]
        head = gzip.GzipFile(fileobj=body).read(WAL_HEADER) if key.endswith(".gz") else body.read(WAL_HEADER)
        return system_identifier(head)

    def stored_bytes(self, backup):
        """What the backup takes in the store (compressed), without its WAL."""
        paginator = self.cloud.s3.meta.client.get_paginator("list_objects_v2")
        prefix = f"{self._catalog.prefix}/{backup.backup_id}/"
        return sum(o["Size"] for page in paginator.paginate(Bucket=self.cloud.bucket_name, Prefix=prefix)
                   for o in page.get("Contents", []))

    def ensure_bucket(self):
        """A fresh object store has no bucket: make it (barman's archiver would too, racing this)."""
        if self._catalog is None:
            from barman.cloud import CloudBackupCatalog
            log(f"creating the bucket {self.cloud.bucket_name}")
            try:
                self.cloud.s3.meta.client.create_bucket(Bucket=self.cloud.bucket_name)
            except self.cloud.s3.meta.client.exceptions.BucketAlreadyOwnedByYou:
                pass
            self._catalog = CloudBackupCatalog(self.cloud, self.store.server)


def describe(catalog, backup):
    def when(t):
        return None if t is None else t.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    return {
        "backupId": backup.backup_id,
        "name": backup.backup_name,
        "beginTime": when(backup.begin_time),
        "endTime": when(backup.end_time),
        "beginWal": backup.begin_wal,
        "endWal": backup.end_wal,
        "beginLsn": backup.begin_xlog,
        "endLsn": backup.end_xlog,
        "timeline": backup.timeline,
        "sizeBytes": catalog.stored_bytes(backup),
        "status": backup.status,
    }


def run(command, store=None, **kwargs):
    """A tool, its output on stderr (stdout is this command's JSON); its exit code."""
    log("running " + " ".join(command))
    return subprocess.run(command, env=store.child_env() if store else None, stdout=sys.stderr, **kwargs).returncode


# ---- arguments

def checked_name(name):
    if not NAME_RE.fullmatch(name):
        refuse(f"the name '{name}' is not a Kubernetes name ([a-z0-9][a-z0-9.-]{{0,252}})")
    if name in RESERVED:
        refuse(f"the name '{name}' is one barman reserves ({', '.join(RESERVED)})")
    return name


def checked_id_or_name(value):
    return value if ID_RE.fullmatch(value) else checked_name(value)


def target_time():
    value = env("ATRIUM_RESTORE_TARGET_TIME")
    if value is None:
        return None
    m = TIME_RE.fullmatch(value)
    if not m:
        refuse(f"ATRIUM_RESTORE_TARGET_TIME '{value}' is not an RFC 3339 time with a zone (2026-11-29T17:00:00Z)")
    try:
        return datetime.datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{m.group(4).upper()}".replace("Z", "+00:00"))
    except ValueError as e:
        refuse(f"ATRIUM_RESTORE_TARGET_TIME '{value}': {e}")


def postgres_time(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f+00")


# ---- base, list

def require_leader():
    """Patroni's word: GET /primary answers 200 on the member holding the leader lock, 503 elsewhere."""
    url = f"http://127.0.0.1:{env('ATRIUM_PATRONI_PORT', '8008')}/primary"
    try:
        with urllib.request.urlopen(url, timeout=10):
            return
    except urllib.error.HTTPError as e:
        if e.code == 503:
            try:
                role = json.load(e).get("role", "unknown")
            except ValueError:
                role = "unknown"
            raise Failure(f"this member is not the leader (Patroni: role {role}): run base on the leader's pod",
                          EXIT_NOT_LEADER)
        raise Failure(f"Patroni's REST API at {url} answered {e.code}")
    except OSError as e:
        raise Failure(f"cannot ask Patroni's REST API at {url} whether this member leads: {e}")


def patroni_state():
    """This member's role, PostgreSQL's start time and timeline, as Patroni's GET /patroni tells them; None when it
    does not answer."""
    url = f"http://127.0.0.1:{env('ATRIUM_PATRONI_PORT', '8008')}/patroni"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            state = json.load(answer)
    except urllib.error.HTTPError as e:
        try:
            state = json.load(e)
        except ValueError:
            return None
    except (OSError, ValueError):
        return None
    return {k: state.get(k) for k in ("role", "state", "postmaster_start_time", "timeline")}


def server_change(before):
    """Why a backup's connection may have been lost, for its failure's message: the server restarted or this member
    stopped leading while it ran (Patroni demotes a leader that cannot renew its lock), or nothing of that."""
    after = patroni_state()
    if before is None or after is None:
        return ""
    if after["role"] != before["role"] or after["timeline"] != before["timeline"]:
        return (f"; this member's role changed while it ran: {before['role']} on timeline {before['timeline']}, "
                f"now {after['role']} ({after['state']}) on timeline {after['timeline']}")
    if after["postmaster_start_time"] != before["postmaster_start_time"]:
        return (f"; PostgreSQL restarted while it ran (started {before['postmaster_start_time']}, now "
                f"{after['postmaster_start_time']})")
    return f"; PostgreSQL ran throughout as {after['role']} (started {after['postmaster_start_time']})"


def retention_days():
    days = env("ATRIUM_BACKUP_RETENTION_DAYS", "7")
    if not re.fullmatch(r"[0-9]{1,5}", days):
        refuse(f"ATRIUM_BACKUP_RETENTION_DAYS '{days}' is not a number of days")
    return int(days)


def cmd_base(args):
    name = checked_name(args.name)
    require_leader()
    store = Store.backup()
    days = retention_days()
    catalog = store.catalog()
    catalog.ensure_bucket()
    before = catalog.backups()
    taken = [b.backup_id for b in before if b.backup_name == name]
    if taken:
        raise Failure(f"a backup named '{name}' exists already in {store.where()}: {taken[0]}")
    check_archiving()
    log(f"base backup '{name}' of this leader to {store.where()}")
    server = patroni_state()
    # an immediate checkpoint: the backup starts now, not after a spread checkpoint (minutes); gzip as the WAL
    rc = run(store.tool("barman-cloud-backup", "--immediate-checkpoint", "--gzip",
                        "--host", env("ATRIUM_RUN_DIR", "/var/run/postgresql"), "--port", env("PGPORT", "5432"),
                        "--user", "postgres", "--name", name, store.destination, store.server), store)
    if rc != 0:
        raise Failure(f"barman-cloud-backup failed (exit {rc}); its messages are above{server_change(server)}")
    catalog = store.catalog()
    backup = catalog.find(name)
    if backup.status != "DONE":
        raise Failure(f"backup {backup.backup_id} '{name}' is {backup.status}: {backup.error}")
    result = describe(catalog, backup)
    result["retention"] = retention(store, days, [b.backup_id for b in before] + [backup.backup_id])
    print(json.dumps(result))


def check_archiving():
    """A base backup ends only once its last WAL segment is archived: with archiving failing, it would wait for ever.
    Refuses, with the archiver's last failure, when the last attempt failed and the next ones (the archiver retries
    within seconds) fail too."""
    failing = archiving_failure()
    if failing is not None:
        time.sleep(ARCHIVING_RECHECK_SECONDS)
        failing = archiving_failure()
    if failing is not None:
        raise Failure(failing)


def archiving_failure():
    """What is wrong with WAL archiving when its last attempt failed, else None."""
    import psycopg2
    try:
        with psycopg2.connect(host=env("ATRIUM_RUN_DIR", "/var/run/postgresql"), port=env("PGPORT", "5432"),
                              user="postgres", dbname="postgres", connect_timeout=5) as conn, conn.cursor() as cur:
            cur.execute("SELECT last_failed_wal, last_failed_time, last_archived_time, "
                        "coalesce(last_failed_time > last_archived_time OR last_archived_time IS NULL, false) "
                        "FROM pg_stat_archiver WHERE last_failed_time IS NOT NULL")
            row = cur.fetchone()
    except psycopg2.Error as e:
        raise Failure(f"cannot ask this server how its WAL archiving goes: {e}".strip())
    if row is None or not row[3]:
        return None
    return (f"WAL archiving is failing: {row[0]} failed at {row[1].isoformat()}"
            + (f", the last archived at {row[2].isoformat()}" if row[2] else ", none archived yet")
            + "; a base backup would wait for its WAL for ever. PostgreSQL's log says why")


def retention(store, days, ids):
    """Backups (and their WAL) outside the recovery window deleted; the backup just taken always stays."""
    policy = f"RECOVERY WINDOW OF {days} DAYS"
    rc = run(store.tool("barman-cloud-backup-delete", "--retention-policy", policy, store.destination,
                        store.server), store)
    if rc != 0:
        log(f"warning: retention ({policy}) failed (exit {rc}); the backup itself is done")
        return {"policy": policy, "error": f"barman-cloud-backup-delete exit {rc}"}
    left = {b.backup_id for b in store.catalog().backups()}
    deleted = [i for i in ids if i not in left]
    if deleted:
        log(f"retention ({policy}) deleted {', '.join(deleted)}")
    return {"policy": policy, "deleted": deleted}


def cmd_list(args):
    catalog = Store.backup().catalog()
    print(json.dumps({"backups": [describe(catalog, b) for b in catalog.backups()]}))


# ---- verify

class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted(f"stopped by signal {signum}")


def cmd_verify(args):
    wanted = checked_id_or_name(args.backup)
    store = Store.backup()
    if os.geteuid() == 0:
        refuse("run verify as the database's user, not root (PostgreSQL refuses root)")
    pgdata = env("PGDATA")
    base = env("ATRIUM_VERIFY_DIR", os.path.dirname(pgdata.rstrip("/")) if pgdata else None)
    if base is None or not os.path.isdir(base):
        refuse(f"no directory to verify in (ATRIUM_VERIFY_DIR or PGDATA's parent): {base}")
    reserve_percent = env("ATRIUM_VERIFY_RESERVE_PERCENT", "10")
    timeout = env("ATRIUM_VERIFY_TIMEOUT_SECONDS", "7200")
    if not re.fullmatch(r"[0-9]{1,3}", reserve_percent) or int(reserve_percent) > 100:
        refuse(f"ATRIUM_VERIFY_RESERVE_PERCENT '{reserve_percent}' is not a percentage")
    if not re.fullmatch(r"[0-9]{1,6}", timeout):
        refuse(f"ATRIUM_VERIFY_TIMEOUT_SECONDS '{timeout}' is not a number of seconds")
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)  # the scratch directory goes, also when the exec is cut off

    catalog = store.catalog()
    backup = catalog.find(wanted)
    if backup.status != "DONE":
        raise Failure(f"backup {backup.backup_id} is {backup.status}, not DONE: nothing to verify")
    with open(os.path.join(base, ".atrium-verify.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            refuse(f"another verify is running in {base}")
        for leftover in sorted(os.listdir(base)):
            if leftover.startswith("atrium-verify-"):
                log(f"removing {leftover}, left by a verify that was killed")
                remove_scratch(os.path.join(base, leftover))
        space = Space(base, int(reserve_percent), args.volume_bytes)
        # the lower bound of what the restore writes: the backup's compressed bytes, and its own WAL
        needed = catalog.stored_bytes(backup) + WAL_SEGMENT_BYTES * (wal_span(backup.begin_wal, backup.end_wal))
        space.require(needed, f"backup {backup.backup_id}")
        scratch = tempfile.mkdtemp(prefix="atrium-verify-", dir=base)
        sockets = tempfile.mkdtemp(prefix="atrium-verify-")
        server = None
        try:
            started = time.monotonic()
            pgdata = os.path.join(scratch, "pgdata")
            watch(subprocess.Popen(store.tool("barman-cloud-restore", store.destination, store.server,
                                              backup.backup_id, pgdata), env=store.child_env(), stdout=sys.stderr),
                  space, "barman-cloud-restore")
            log(f"restored {backup.backup_id} in {time.monotonic() - started:.1f} s; recovering it to its end")
            server = PrivateServer(scratch, pgdata, sockets)
            server.start()
            server.wait_promoted(space, int(timeout))
            databases = server.count_rows()
            server.stop()
            print(json.dumps({"backupId": backup.backup_id, "name": backup.backup_name, "verified": True,
                              "databases": databases}))
        finally:
            if server is not None:
                server.stop()
            remove_scratch(scratch)
            shutil.rmtree(sockets, ignore_errors=True)


def volume_bytes(text):
    """--volume-bytes: a positive number of bytes."""
    import argparse  # main's, already loaded
    if not re.fullmatch(r"[1-9][0-9]{0,18}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of bytes")
    return int(text)


def wal_span(begin, end):
    """How many segments from begin to end (same timeline), both counted."""
    if not begin or not end:
        return 1
    return max(1, int(end[8:16], 16) * 256 + int(end[16:24], 16) - int(begin[8:16], 16) * 256 - int(begin[16:24], 16) + 1)


class Space:
    """The volume's free space, of which reserve_percent of its size stays for the live database.

    Its size is the claim's when given and smaller than the file system: a claim on a node's shared disk
    (local-path, hostPath) sees the whole disk, and a share of that disk may be more than the disk has free,
    which refused every verify there while the claim itself was nearly empty."""

    def __init__(self, path, reserve_percent, volume_bytes=None):
        self.path = path
        st = os.statvfs(path)
        size = st.f_blocks * st.f_frsize
        if volume_bytes is not None and volume_bytes < size:
            size = volume_bytes
        self.size = size
        self.reserve = size * reserve_percent // 100

    def free(self):
        st = os.statvfs(self.path)
        return st.f_bavail * st.f_frsize

    def require(self, needed, what):
        room = self.free() - self.reserve
        if needed > room:
            refuse(f"not enough room to verify {what} in {self.path}: it needs at least {needed} bytes, the volume "
                   f"has {self.free()} free of which {self.reserve} stay for the live database "
                   f"(ATRIUM_VERIFY_RESERVE_PERCENT of {self.size} bytes)")

    def check(self, what):
        if self.free() < self.reserve:
            refuse(f"not enough room to verify here: {what} brought the free space of {self.path} under the "
                   f"{self.reserve} bytes kept for the live database; stopped and removed")


def watch(process, space, what):
    """Waits for a tool, stopping it if the volume fills."""
    try:
        while process.poll() is None:
            space.check(what)
            time.sleep(1)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode != 0:
        raise Failure(f"{what} failed (exit {process.returncode}); its messages are above")


def remove_scratch(path):
    """A scratch directory, with any server a killed verify left running in it."""
    pid = scratch_server(os.path.join(path, "pgdata"))
    if pid is not None:
        log(f"stopping the server (pid {pid}) a killed verify left running in {os.path.basename(path)}")
        try:
            os.kill(pid, signal.SIGQUIT)  # immediate: nothing of the copy is kept
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
        except ProcessLookupError:
            pass
    shutil.rmtree(path, ignore_errors=True)


def scratch_server(pgdata):
    """The pid of a PostgreSQL running on this scratch copy, or None.

    A copy's postmaster.pid does not say that: a verify killed with its container (a pod deleted, a platform put
    to sleep) leaves the pid of a process in a PID namespace that is gone, and in the new container that number
    may be the live database's postmaster or one of its backends. pg_ctl would signal whatever it is now. Only a
    process whose command line runs postgres on this very directory is the copy's server."""
    try:
        with open(os.path.join(pgdata, "postmaster.pid")) as f:
            pid = int(f.readline().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = [a.decode(errors="replace") for a in f.read().split(b"\0")]
    except (OSError, ValueError):
        return None
    runs_postgres = bool(argv) and os.path.basename(argv[0]) == "postgres"
    on_this_copy = any(os.path.realpath(a) == os.path.realpath(pgdata) for a in argv[1:] if a.startswith("/"))
    return pid if runs_postgres and on_this_copy else None


class PrivateServer:
    """The restored copy's own PostgreSQL: a Unix socket in a private directory, no TCP, no archiving, no
    replication, small memory; the restored configuration's settings overridden on its command line."""

    def __init__(self, scratch, pgdata, sockets):
        self.scratch, self.pgdata, self.sockets = scratch, pgdata, sockets
        self.port = str(int(env("PGPORT", "5432")) % 65535 + 1)
        self.log = os.path.join(scratch, "postgresql.log")
        self.process = None

    def start(self):
        hba = os.path.join(self.scratch, "pg_hba.conf")
        with open(hba, "w") as f:
            f.write("local all all trust\n")  # the socket's directory is this user's alone (0700)
        open(os.path.join(self.pgdata, "recovery.signal"), "w").close()
        me = os.path.realpath(__file__)
        settings = {
            "listen_addresses": "", "port": self.port, "unix_socket_directories": self.sockets,
            "hba_file": hba, "cluster_name": "atrium-verify",
            "archive_mode": "off", "archive_command": "", "hot_standby": "off",
            "restore_command": f"{me} wal-restore --from backup %f %p",
            # A promoted replica's configuration, as Patroni wrote it, sets every other recovery target to ''.
            # PostgreSQL 15 refuses any of them after recovery_target is set, even an empty one ("multiple
            # recovery targets specified"); from the command line they replace the file's, and in this order
            # (the empty ones first) each is accepted.
            "recovery_target_lsn": "", "recovery_target_name": "", "recovery_target_time": "",
            "recovery_target_xid": "",
            "recovery_target": "immediate", "recovery_target_action": "promote", "recovery_target_timeline": "current",
            "primary_conninfo": "", "primary_slot_name": "", "synchronous_standby_names": "",
            "archive_cleanup_command": "", "recovery_end_command": "",
            "max_wal_senders": "0", "shared_buffers": "16MB", "jit": "off",
            "logging_collector": "off", "log_destination": "stderr", "shared_preload_libraries": "",
        }
        command = [os.path.join(env("ATRIUM_PG_BIN", "/usr/lib/postgresql/15/bin"), "postgres"), "-D", self.pgdata]
        for k, v in settings.items():
            command += ["-c", f"{k}={v}"]
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_promoted(self, space, timeout):
        import psycopg2
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise Failure(f"the restored server stopped (exit {self.process.returncode}) before it was "
                              f"consistent:\n{self.tail()}")
            space.check("recovering the restored copy")
            try:
                if self.query("postgres", "SELECT pg_is_in_recovery()") == [(False,)]:
                    return
            except psycopg2.OperationalError:
                pass  # still starting: it takes connections once recovered and promoted (hot_standby off)
            if time.monotonic() > deadline:
                raise Failure(f"the restored server was not recovered within {timeout} s:\n{self.tail()}")
            time.sleep(1)

    def query(self, database, sql, params=None):
        import psycopg2
        with psycopg2.connect(host=self.sockets, port=self.port, user="postgres", dbname=database,
                              connect_timeout=5) as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def count_rows(self):
        from psycopg2 import sql
        databases = {}
        for (db,) in self.query("postgres", "SELECT datname FROM pg_database WHERE datallowconn AND NOT "
                                            "datistemplate ORDER BY datname"):
            tables = self.query(db, "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON "
                                    "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                                    "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
                                    "ORDER BY 1, 2")
            counts = {}
            for schema, table in tables:
                q = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
                counts[f"{schema}.{table}"] = self.query(db, q)[0][0]
            databases[db] = counts
        return databases

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # fast shutdown
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGQUIT)  # immediate: nothing of it is kept anyway
            self.process.wait()

    def tail(self):
        try:
            with open(self.log, errors="replace") as f:
                return "".join(f.readlines()[-20:])
        except OSError:
            return "(no log)"


# ---- for PostgreSQL and Patroni

def system_identifier(page):
    """The cluster's system identifier in a WAL segment's first page."""
    import struct
    if len(page) < WAL_SYSID_OFFSET + 8:
        raise Failure(f"a WAL file's first page is {len(page)} bytes, too short to name its cluster")
    return struct.unpack_from("<Q", page, WAL_SYSID_OFFSET)[0]


def cmd_wal_archive(args):
    store = Store.backup()
    wal = os.path.basename(args.path)
    if not WAL_RE.fullmatch(wal):
        refuse(f"'{args.path}' is not a WAL file")
    if wal == FIRST_SEGMENT:
        # a new cluster's first segment: its archive must be its own, or its WAL would overwrite another cluster's.
        # The same cluster archives it again after a member was cloned or rewound (the segment came back into pg_wal
        # with no archive status): told apart by the system identifier in the WAL's first page
        catalog = store.catalog()
        others = {w: p for w, p in catalog.wal_paths().items() if w != wal}
        segments = sorted(w for w in others if re.fullmatch(r"[0-9A-F]{24}", w))
        if segments:
            ours = system_identifier(open(args.path, "rb").read(WAL_HEADER))
            theirs = catalog.wal_system_identifier(others[segments[-1]])
            if ours != theirs:
                raise Failure(f"not archiving: {store.where()} already holds {len(others)} WAL files of another "
                              f"cluster (system {theirs}, this one is {ours}; a platform made again under the same "
                              f"name?); give this one an empty place (another prefix or server name), or remove "
                              f"the old archive")
            log(f"archiving {wal} again: the archive is this cluster's (system {ours})")
    # gzip, not snappy: barman's snappy is python3-snappy's stream_compress, which Debian 12's 0.5.3 cannot run
    # under Python 3.11 (SystemError: PY_SSIZE_T_CLEAN macro must be defined)
    os.execvpe("barman-cloud-wal-archive",
               store.tool("barman-cloud-wal-archive", "--gzip", store.destination, store.server, args.path),
               store.child_env())


def cmd_wal_restore(args):
    store = Store.backup() if args.source == "backup" else Store.restore()
    if not WAL_RE.fullmatch(args.wal):
        refuse(f"'{args.wal}' is not a WAL file name")
    os.execvpe("barman-cloud-wal-restore",
               store.tool("barman-cloud-wal-restore", store.destination, store.server, args.wal, args.path),
               store.child_env())


def cmd_check_env(args):
    check_env()
    target = target_time()
    if target is not None:
        print(postgres_time(target))


def check_env():
    backup = Store.backup(required=False)
    if backup is not None:
        retention_days()
    restore = Store.restore(required=False)
    if restore is not None and backup is not None and restore.same_place(backup):
        refuse(f"the restored cluster would archive into the place it is restored from, {restore.where()}: "
               f"give it its own ATRIUM_BACKUP_DESTINATION or ATRIUM_BACKUP_SERVER_NAME")
    if restore is not None and env("ATRIUM_RESTORE_BACKUP_ID") is not None:
        checked_id_or_name(env("ATRIUM_RESTORE_BACKUP_ID"))
    return backup, restore


def cmd_restore_bootstrap(args):
    """Patroni's custom bootstrap: the data directory from a backup; Patroni then recovers it with recovery_conf
    (restore_command, recovery_target_time) and promotes it, and runs post_bootstrap. Refuses, with nothing
    written, when the target is before the backup ends or there is no backup."""
    datadir = args.datadir
    restoring = False
    try:
        backup_store, source = check_env()
        if source is None:
            refuse("ATRIUM_RESTORE_DESTINATION is not set")
        target = target_time()
        wanted = env("ATRIUM_RESTORE_BACKUP_ID")
        catalog = source.catalog()
        done = [b for b in catalog.backups() if b.status == "DONE"]
        if wanted is not None:
            backup = catalog.find(wanted)
            if backup.status != "DONE":
                raise Failure(f"backup {backup.backup_id} is {backup.status}, not DONE")
            if target is not None and target < backup.end_time:
                refuse(f"the target time {target.isoformat()} is before backup {backup.backup_id} ends "
                       f"({backup.end_time.isoformat()}): a backup restores to its end or later")
        elif not done:
            refuse(f"no backup in {source.where()} to restore from")
        elif target is None:
            backup = done[-1]
        else:
            before = [b for b in done if b.end_time <= target]
            if not before:
                refuse(f"no backup in {source.where()} ends before the target time {target.isoformat()}: the "
                       f"earliest ends at {min(b.end_time for b in done).isoformat()}")
            backup = max(before, key=lambda b: b.end_time)
        if backup_store is not None:
            own = backup_store.catalog()
            if own.backups() or own.wal_names():
                refuse(f"{backup_store.where()} already holds backups or WAL: the restored cluster archives into "
                       f"its own, empty place")
        if os.path.isdir(datadir) and os.listdir(datadir):
            refuse(f"the data directory {datadir} is not empty")
        log(f"restoring backup {backup.backup_id} ({backup.backup_name or 'no name'}, ended "
            f"{backup.end_time.isoformat()}) from {source.where()} into {datadir}, then recovering "
            f"{'to ' + target.isoformat() if target else 'to the end of the archived WAL'}")
        started = time.monotonic()
        restoring = True
        rc = run(source.tool("barman-cloud-restore", source.destination, source.server, backup.backup_id, datadir),
                 source)
        if rc != 0:
            raise Failure(f"barman-cloud-restore failed (exit {rc}); its messages are above")
        log(f"restored in {time.monotonic() - started:.1f} s; Patroni recovers and promotes it")
    except BaseException:
        if restoring:
            shutil.rmtree(datadir, ignore_errors=True)  # nothing half-restored is left for Patroni to move aside
        raise


# ---- main

def main(argv):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            refuse(message)

    parser = Parser(prog=PROG, description="Backups of Atrium's PostgreSQL with barman-cloud")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("base")
    p.add_argument("--name", required=True)
    p.set_defaults(run=cmd_base)
    sub.add_parser("list").set_defaults(run=cmd_list)
    p = sub.add_parser("verify")
    p.add_argument("backup", metavar="ID_OR_NAME")
    p.add_argument("--volume-bytes", type=volume_bytes, metavar="BYTES",
                   help="the claim's size, when the file system the volume is on is larger")
    p.set_defaults(run=cmd_verify)
    p = sub.add_parser("wal-archive")
    p.add_argument("path")
    p.set_defaults(run=cmd_wal_archive)
    p = sub.add_parser("wal-restore")
    p.add_argument("--from", dest="source", choices=("backup", "restore"), required=True)
    p.add_argument("wal")
    p.add_argument("path")
    p.set_defaults(run=cmd_wal_restore)
    p = sub.add_parser("restore-bootstrap")
    p.add_argument("--scope")
    p.add_argument("--datadir", required=True)
    p.set_defaults(run=cmd_restore_bootstrap)
    sub.add_parser("check-env").set_defaults(run=cmd_check_env)
    try:
        args = parser.parse_args(argv)
        args.run(args)
        return 0
    except Failure as e:
        log(("refused: " if e.code == EXIT_REFUSED else "error: ") + str(e))
        return e.code
    except Interrupted as e:
        log(f"error: {e}")
        return EXIT_FAILED
    except Exception as e:  # boto3's, barman's, psycopg2's: their message, not a traceback
        log(f"error: {type(e).__name__}: {e}")
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
