// Command atrium-object-store is the object store image's entrypoint. It turns the environment the
// operator's ObjectStoreModel writes into one `weed server` process (SeaweedFS) and execs it, so weed
// runs as the container's first process and gets its signals:
//
//   - a master, when this server's address is one of ATRIUM_OBJECT_STORE_MASTERS (the first one or
//     three pods; raft between them), else none (it follows the masters);
//   - a volume server on the data volume, new volumes replicated as ATRIUM_OBJECT_STORE_REPLICATION says;
//   - a filer whose metadata is in PostgreSQL (SeaweedFS's postgres2 store), shared by every pod's filer;
//   - the S3 gateway, with one identity: the generated access and secret key.
//
// The S3 identity is written to a file in /tmp (mode 0600) that weed reads, never to the log; the keys
// and the database password are removed from the environment weed gets, except the password in the one
// WEED_ variable its filer store reads. docs/images/seaweedfs.md describes the contract;
// docs/decisions/0007-object-store-on-seaweedfs.md why the topology is this one.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The ports are the image's: the same on every pod, so the operator only needs their names.
const (
	MasterPort = 9333
	VolumePort = 8080
	FilerPort  = 8888
	S3Port     = 8333
	// weed serves gRPC on each HTTP port + 10000; the flags below say so explicitly
	GrpcOffset = 10000
)

const (
	weedBinary = "/usr/local/bin/weed"
	// the S3 identity file: in the pod's /tmp emptyDir, never on the data volume
	s3ConfigPath = "/tmp/atrium-s3.json"
	// what the masters run every ATRIUM_OBJECT_STORE_MAINTENANCE_MINUTES (as `weed shell` would): bring every volume to the
	// replication this size wants (after growing from one server), re-replicate what lost a copy, spread
	// volumes over the servers (after growing), drop volumes empty for a day, purge the filer's
	// metadata log after a week and abandoned multipart uploads after a day. No ec.* commands: erasure
	// coding a volume spreads its 14 shards over however few servers there are, which on 2-8 servers
	// is less safe than two copies. SeaweedFS's own default interval is 17 minutes.
	defaultMaintenanceMinutes = "17"
)

func maintenanceScript(replication string) string {
	return strings.Join([]string{
		"lock",
		"volume.configure.replication -replication=" + replication,
		"volume.fix.replication -apply",
		"volume.balance -apply",
		"volume.deleteEmpty -quietFor=24h -apply",
		"fs.log.purge -daysAgo=7",
		"s3.clean.uploads -timeAgo=24h",
		"unlock",
	}, "\n")
}

// Config is what the environment says.
type Config struct {
	Host          string   // this server's address as the others reach it (the pod's DNS name)
	Bind          string   // the address to listen on
	Masters       []string // the masters' addresses, without ports
	Replication   string   // SeaweedFS replica placement of new volumes: 000, 001, ...
	DataDir       string   // the data volume
	VolumeLimitMB int      // a volume is full at this size
	MemoryLimit   int64    // the container's memory limit in bytes, 0 if unknown
	Maintenance   float64  // minutes between the masters' maintenance runs
	AccessKey     string
	SecretKey     string
	DB            Database
}

// Database is where the filers keep the metadata: one PostgreSQL database shared by all of them.
type Database struct {
	Host, Name, User, Password string
	Port                       int
}

// IsMaster says whether this server is one of the masters.
func (c Config) IsMaster() bool {
	return slices.Contains(c.Masters, c.Host)
}

var (
	replicationPattern = regexp.MustCompile(`^[0-9]{3}$`)
	hostPattern        = regexp.MustCompile(`^[A-Za-z0-9]([-.A-Za-z0-9]*[A-Za-z0-9])?$`)
)

// Load reads and checks the environment; every problem is named at once.
func Load(getenv func(string) string) (Config, error) {
	var problems []string
	required := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			problems = append(problems, name+" is not set")
		}
		return v
	}
	orDefault := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	number := func(name, def string, min, max int64) int64 {
		raw := orDefault(name, def)
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < min || n > max {
			problems = append(problems, fmt.Sprintf("%s must be a number from %d to %d, not %q", name, min, max, raw))
		}
		return n
	}
	minutes := func(name, def string) float64 {
		raw := orDefault(name, def)
		m, err := strconv.ParseFloat(raw, 64)
		if err != nil || !(m >= 0.1 && m <= 1440) {
			problems = append(problems, fmt.Sprintf("%s must be a number of minutes from 0.1 to 1440, not %q", name, raw))
		}
		return m
	}
	c := Config{
		Host:          required("ATRIUM_OBJECT_STORE_HOST"),
		Bind:          orDefault("ATRIUM_OBJECT_STORE_BIND", "0.0.0.0"),
		Replication:   required("ATRIUM_OBJECT_STORE_REPLICATION"),
		DataDir:       orDefault("ATRIUM_OBJECT_STORE_DATA", "/data"),
		VolumeLimitMB: int(number("ATRIUM_OBJECT_STORE_VOLUME_SIZE_LIMIT_MB", "1024", 8, 30000)),
		MemoryLimit:   number("ATRIUM_OBJECT_STORE_MEMORY_LIMIT", "0", 0, 1<<62),
		Maintenance:   minutes("ATRIUM_OBJECT_STORE_MAINTENANCE_MINUTES", defaultMaintenanceMinutes),
		// the keys are taken as they are: a key with spaces is the operator's to refuse, not ours to trim
		AccessKey: getenv("ATRIUM_S3_ACCESS_KEY"),
		SecretKey: getenv("ATRIUM_S3_SECRET_KEY"),
		DB: Database{
			Host:     required("ATRIUM_OBJECT_STORE_DB_HOST"),
			Port:     int(number("ATRIUM_OBJECT_STORE_DB_PORT", "5432", 1, 65535)),
			Name:     required("ATRIUM_OBJECT_STORE_DB_NAME"),
			User:     required("ATRIUM_OBJECT_STORE_DB_USER"),
			Password: getenv("ATRIUM_OBJECT_STORE_DB_PASSWORD"),
		},
	}
	for _, m := range strings.Split(required("ATRIUM_OBJECT_STORE_MASTERS"), ",") {
		if m = strings.TrimSpace(m); m != "" {
			if !hostPattern.MatchString(m) {
				problems = append(problems, fmt.Sprintf("ATRIUM_OBJECT_STORE_MASTERS: %q is not a host name or address (no port: the ports are the image's)", m))
			}
			c.Masters = append(c.Masters, m)
		}
	}
	if n := len(c.Masters); n > 0 && n%2 == 0 {
		problems = append(problems, fmt.Sprintf("ATRIUM_OBJECT_STORE_MASTERS names %d masters: raft needs an odd number (1 or 3)", n))
	}
	if c.Host != "" && !hostPattern.MatchString(c.Host) {
		problems = append(problems, fmt.Sprintf("ATRIUM_OBJECT_STORE_HOST %q is not a host name or address", c.Host))
	}
	if c.Replication != "" && !replicationPattern.MatchString(c.Replication) {
		problems = append(problems, fmt.Sprintf("ATRIUM_OBJECT_STORE_REPLICATION must be three digits (e.g. 000, 001), not %q", c.Replication))
	}
	if !filepath.IsAbs(c.DataDir) {
		problems = append(problems, "ATRIUM_OBJECT_STORE_DATA must be an absolute path")
	}
	// never echo a secret, not even a wrong one
	if c.AccessKey == "" {
		problems = append(problems, "ATRIUM_S3_ACCESS_KEY is not set")
	}
	if c.SecretKey == "" {
		problems = append(problems, "ATRIUM_S3_SECRET_KEY is not set")
	}
	// weed expands ${NAME} in the identity file's keys: a key holding one would not be the key given
	if strings.Contains(c.AccessKey, "${") || strings.Contains(c.SecretKey, "${") {
		problems = append(problems, "ATRIUM_S3_ACCESS_KEY and ATRIUM_S3_SECRET_KEY must not contain ${")
	}
	if c.DB.Password == "" {
		problems = append(problems, "ATRIUM_OBJECT_STORE_DB_PASSWORD is not set")
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}

// Args is weed's command line.
func (c Config) Args() []string {
	masters := make([]string, len(c.Masters))
	for i, m := range c.Masters {
		masters[i] = fmt.Sprintf("%s:%d", m, MasterPort)
	}
	peers := strings.Join(masters, ",")
	if c.IsMaster() && len(c.Masters) == 1 {
		// one master: no quorum to wait for, and it resumes as leader at once after a restart
		peers = "none"
	}
	return []string{
		weedBinary,
		// logs to the container's stderr only: weed's default also writes files (to /tmp, up to 1.8 GB each)
		"-logtostderr=true",
		"server",
		"-ip=" + c.Host,
		"-ip.bind=" + c.Bind,
		"-master=" + strconv.FormatBool(c.IsMaster()),
		"-master.peers=" + peers,
		// hashicorp's raft: a master without raft state waits to be added by the leader, and the leader adds
		// and removes masters to match -master.peers, so one master can become three (and back)
		"-master.raftHashicorp=true",
		"-master.port=" + strconv.Itoa(MasterPort),
		"-master.port.grpc=" + strconv.Itoa(MasterPort+GrpcOffset),
		"-master.dir=" + filepath.Join(c.DataDir, "master"),
		"-master.defaultReplication=" + c.Replication,
		"-master.volumeSizeLimitMB=" + strconv.Itoa(c.VolumeLimitMB),
		// an air-gapped site: nothing is reported anywhere
		"-master.telemetry=false",
		"-dir=" + filepath.Join(c.DataDir, "volume"),
		// as many volumes as the disk holds at the size limit
		"-volume.max=0",
		"-volume.port=" + strconv.Itoa(VolumePort),
		"-volume.port.grpc=" + strconv.Itoa(VolumePort+GrpcOffset),
		"-filer=true",
		"-filer.port=" + strconv.Itoa(FilerPort),
		"-filer.port.grpc=" + strconv.Itoa(FilerPort+GrpcOffset),
		"-s3=true",
		"-s3.port=" + strconv.Itoa(S3Port),
		"-s3.port.grpc=" + strconv.Itoa(S3Port+GrpcOffset),
		"-s3.config=" + s3ConfigPath,
		// the Iceberg and Lance endpoints weed opens by default are not part of this store, nor is its IAM API
		// (users, policies, STS) on the S3 port: the one identity is the file's
		"-s3.port.iceberg=0",
		"-s3.port.lance=0",
		"-s3.iam=false",
	}
}

// Env is weed's environment: ours without the secrets, and the settings weed reads from WEED_ variables
// (the same keys as its TOML files): the filer store, the masters' maintenance and Go's memory limit.
func (c Config) Env(environ []string) []string {
	secret := map[string]bool{"ATRIUM_S3_ACCESS_KEY": true, "ATRIUM_S3_SECRET_KEY": true, "ATRIUM_OBJECT_STORE_DB_PASSWORD": true}
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !secret[name] {
			env = append(env, kv)
		}
	}
	set := map[string]string{
		// the filers' metadata: one PostgreSQL database (postgres2 keeps a table per bucket), not leveldb
		"WEED_LEVELDB2_ENABLED":                          "false",
		"WEED_POSTGRES2_ENABLED":                         "true",
		"WEED_POSTGRES2_HOSTNAME":                        c.DB.Host,
		"WEED_POSTGRES2_PORT":                            strconv.Itoa(c.DB.Port),
		"WEED_POSTGRES2_DATABASE":                        c.DB.Name,
		"WEED_POSTGRES2_USERNAME":                        c.DB.User,
		"WEED_POSTGRES2_PASSWORD":                        c.DB.Password,
		"WEED_POSTGRES2_SSLMODE":                         "prefer",
		"WEED_POSTGRES2_CONNECTION_MAX_IDLE":             "10",
		"WEED_POSTGRES2_CONNECTION_MAX_LIFETIME_SECONDS": "300",
	}
	if c.IsMaster() {
		set["WEED_MASTER_MAINTENANCE_SCRIPTS"] = maintenanceScript(c.Replication)
		set["WEED_MASTER_MAINTENANCE_SLEEP_MINUTES"] = strconv.FormatFloat(c.Maintenance, 'f', -1, 64)
		// one volume (of each copy) at a time when a bucket needs room: weed's default grows 6 or 7, and every
		// bucket is a collection of its own, whose empty volumes each hold back a volume's size of the disk
		// from new ones; a few buckets filled a disk that held almost nothing, and new buckets took no writes
		for _, copies := range []string{"1", "2", "3", "OTHER"} {
			set["WEED_MASTER_VOLUME_GROWTH_COPY_"+copies] = "1"
		}
	}
	if c.MemoryLimit > 0 && !slices.ContainsFunc(environ, func(kv string) bool {
		return strings.HasPrefix(kv, "GOMEMLIMIT=") && kv != "GOMEMLIMIT="
	}) {
		// the Go heap's soft limit at 80 % of the container's: garbage is collected before the kernel kills
		set["GOMEMLIMIT"] = strconv.FormatInt(c.MemoryLimit/10*8, 10)
	}
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
		env = append(env, name+"="+set[name])
	}
	return env
}

// S3Config is the S3 gateway's identity file: one identity with every right, the generated keys.
func (c Config) S3Config() ([]byte, error) {
	type credential struct {
		AccessKey string `json:"accessKey"`
		SecretKey string `json:"secretKey"`
	}
	type identity struct {
		Name        string       `json:"name"`
		Credentials []credential `json:"credentials"`
		Actions     []string     `json:"actions"`
	}
	return json.Marshal(map[string][]identity{"identities": {{
		Name:        "atrium",
		Credentials: []credential{{AccessKey: c.AccessKey, SecretKey: c.SecretKey}},
		Actions:     []string{"Admin", "Read", "List", "Tagging", "Write"},
	}}})
}

// Describe is the one line the entrypoint logs: what runs here, no secret.
func (c Config) Describe() string {
	role := "follows masters " + strings.Join(c.Masters, ",")
	if c.IsMaster() {
		role = fmt.Sprintf("master %d of %d", slices.Index(c.Masters, c.Host)+1, len(c.Masters))
	}
	return fmt.Sprintf("%s: %s; volume server on %s (replication %s, volumes of %d MB); filer on postgres2 %s:%d/%s as %s; S3 on :%d",
		c.Host, role, c.DataDir, c.Replication, c.VolumeLimitMB, c.DB.Host, c.DB.Port, c.DB.Name, c.DB.User, S3Port)
}

// prepare makes the directories weed expects and writes the S3 identity file.
func prepare(c Config) error {
	for _, dir := range []string{filepath.Join(c.DataDir, "volume"), filepath.Join(c.DataDir, "master")} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	s3, err := c.S3Config()
	if err != nil {
		return err
	}
	// written anew on every start (the emptyDir outlives a container restart), readable by this user only
	f, err := os.OpenFile(s3ConfigPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(s3); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// awaitDatabase waits until the filers' PostgreSQL accepts connections: at a platform's first start the
// database's pod starts beside this one, and weed's filer exits when it cannot reach its store, which
// would put the pod into the kubelet's growing restart back-off. The pod's startup probe allows 300 s.
func awaitDatabase(db Database, timeout time.Duration, dial func(address string) error, log func(string)) error {
	address := net.JoinHostPort(db.Host, strconv.Itoa(db.Port))
	deadline := time.Now().Add(timeout)
	for attempt := 0; ; attempt++ {
		err := dial(address)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the filers' database at %s did not accept connections within %s: %v", address, timeout, err)
		}
		if attempt%10 == 0 {
			log(fmt.Sprintf("waiting for the filers' database at %s (%v)", address, err))
		}
		time.Sleep(time.Second)
	}
}

func main() {
	fail := func(err error) {
		fmt.Fprintf(os.Stderr, "atrium-object-store: %v\n", err)
		os.Exit(2)
	}
	c, err := Load(os.Getenv)
	if err != nil {
		fail(err)
	}
	if err := prepare(c); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "atrium-object-store: %s\n", c.Describe())
	tcp := func(address string) error {
		conn, err := net.DialTimeout("tcp", address, 2*time.Second)
		if err == nil {
			conn.Close()
		}
		return err
	}
	say := func(line string) { fmt.Fprintf(os.Stderr, "atrium-object-store: %s\n", line) }
	if err := awaitDatabase(c.DB, 240*time.Second, tcp, say); err != nil {
		fail(err)
	}
	args := c.Args()
	fail(syscall.Exec(args[0], args, c.Env(os.Environ())))
}
