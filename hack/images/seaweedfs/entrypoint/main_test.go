package main

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// the environment ObjectStoreModel writes for pod 1 of a platform acme with four servers
func modelEnv(host string) map[string]string {
	return map[string]string{
		"ATRIUM_OBJECT_STORE_HOST":                 host,
		"ATRIUM_OBJECT_STORE_MASTERS":              "acme-object-store-0.acme-object-store-hl.ns.svc,acme-object-store-1.acme-object-store-hl.ns.svc,acme-object-store-2.acme-object-store-hl.ns.svc",
		"ATRIUM_OBJECT_STORE_REPLICATION":          "001",
		"ATRIUM_OBJECT_STORE_DATA":                 "/data",
		"ATRIUM_OBJECT_STORE_VOLUME_SIZE_LIMIT_MB": "1024",
		"ATRIUM_OBJECT_STORE_MEMORY_LIMIT":         "1073741824",
		"ATRIUM_S3_ACCESS_KEY":                     "AK-access_key",
		"ATRIUM_S3_SECRET_KEY":                     "SK-secret_key",
		"ATRIUM_OBJECT_STORE_DB_HOST":              "acme-database.ns.svc",
		"ATRIUM_OBJECT_STORE_DB_PORT":              "5432",
		"ATRIUM_OBJECT_STORE_DB_NAME":              "objectstore",
		"ATRIUM_OBJECT_STORE_DB_USER":              "atrium",
		"ATRIUM_OBJECT_STORE_DB_PASSWORD":          "DB-password",
	}
}

func load(t *testing.T, env map[string]string) Config {
	t.Helper()
	c, err := Load(func(name string) string { return env[name] })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func flag(args []string, name string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "-"+name+"="); ok {
			return v
		}
	}
	return "<absent>"
}

func TestAMasterOfThree(t *testing.T) {
	c := load(t, modelEnv("acme-object-store-1.acme-object-store-hl.ns.svc"))
	args := c.Args()
	want := map[string]string{
		"master":                    "true",
		"master.peers":              "acme-object-store-0.acme-object-store-hl.ns.svc:9333,acme-object-store-1.acme-object-store-hl.ns.svc:9333,acme-object-store-2.acme-object-store-hl.ns.svc:9333",
		"ip":                        "acme-object-store-1.acme-object-store-hl.ns.svc",
		"ip.bind":                   "0.0.0.0",
		"master.defaultReplication": "001",
		"master.dir":                "/data/master",
		"dir":                       "/data/volume",
		"master.telemetry":          "false",
		"s3.config":                 "/tmp/atrium-s3.json",
		"logtostderr":               "true",
		"master.port.grpc":          "19333",
		"volume.port.grpc":          "18080",
		"filer.port.grpc":           "18888",
		"s3.iam":                    "false",
		"s3.port.iceberg":           "0",
		"master.raftHashicorp":      "true",
	}
	for name, value := range want {
		if got := flag(args, name); got != value {
			t.Errorf("-%s=%s, want %s", name, got, value)
		}
	}
	if args[0] != "/usr/local/bin/weed" || !slices.Contains(args, "server") {
		t.Errorf("not weed server: %v", args)
	}
	if !strings.Contains(c.Describe(), "master 2 of 3") {
		t.Errorf("describe: %s", c.Describe())
	}
}

func TestAServerBeyondTheMastersFollowsThem(t *testing.T) {
	c := load(t, modelEnv("acme-object-store-3.acme-object-store-hl.ns.svc"))
	if c.IsMaster() {
		t.Fatal("pod 3 is no master")
	}
	args := c.Args()
	if flag(args, "master") != "false" || !strings.HasPrefix(flag(args, "master.peers"), "acme-object-store-0.") {
		t.Errorf("args %v", args)
	}
	for _, kv := range c.Env(nil) {
		if strings.HasPrefix(kv, "WEED_MASTER_") {
			t.Errorf("maintenance and volume growth are the masters' only: %s", kv)
		}
	}
}

func TestOneMasterNeedsNoQuorum(t *testing.T) {
	env := modelEnv("acme-object-store-0.acme-object-store-hl.ns.svc")
	env["ATRIUM_OBJECT_STORE_MASTERS"] = "acme-object-store-0.acme-object-store-hl.ns.svc"
	env["ATRIUM_OBJECT_STORE_REPLICATION"] = "000"
	if got := flag(load(t, env).Args(), "master.peers"); got != "none" {
		t.Errorf("single master peers %s", got)
	}
	// its follower names it
	env["ATRIUM_OBJECT_STORE_HOST"] = "acme-object-store-1.acme-object-store-hl.ns.svc"
	env["ATRIUM_OBJECT_STORE_REPLICATION"] = "001"
	if got := flag(load(t, env).Args(), "master.peers"); got != "acme-object-store-0.acme-object-store-hl.ns.svc:9333" {
		t.Errorf("follower peers %s", got)
	}
}

func TestSecretsReachWeedOnlyWhereItReadsThem(t *testing.T) {
	c := load(t, modelEnv("acme-object-store-0.acme-object-store-hl.ns.svc"))
	environ := []string{"PATH=/usr/local/bin", "ATRIUM_S3_ACCESS_KEY=AK-access_key", "ATRIUM_S3_SECRET_KEY=SK-secret_key",
		"ATRIUM_OBJECT_STORE_DB_PASSWORD=DB-password", "GOMEMLIMIT=", "WEED_POSTGRES2_PASSWORD=stale"}
	env := c.Env(environ)
	joined := strings.Join(env, "\n")
	if strings.Contains(joined, "AK-access_key") || strings.Contains(joined, "SK-secret_key") {
		t.Errorf("an S3 key is in weed's environment:\n%s", joined)
	}
	if strings.Count(joined, "DB-password") != 1 || !slices.Contains(env, "WEED_POSTGRES2_PASSWORD=DB-password") {
		t.Errorf("the password should be in WEED_POSTGRES2_PASSWORD only:\n%s", joined)
	}
	for _, want := range []string{"PATH=/usr/local/bin", "WEED_LEVELDB2_ENABLED=false", "WEED_POSTGRES2_ENABLED=true",
		"WEED_POSTGRES2_HOSTNAME=acme-database.ns.svc", "WEED_POSTGRES2_DATABASE=objectstore", "WEED_POSTGRES2_USERNAME=atrium",
		"GOMEMLIMIT=858993456", "WEED_MASTER_MAINTENANCE_SLEEP_MINUTES=17", "WEED_MASTER_VOLUME_GROWTH_COPY_1=1",
		"WEED_MASTER_VOLUME_GROWTH_COPY_2=1", "WEED_MASTER_VOLUME_GROWTH_COPY_3=1", "WEED_MASTER_VOLUME_GROWTH_COPY_OTHER=1"} {
		if !slices.Contains(env, want) {
			t.Errorf("missing %s in\n%s", want, joined)
		}
	}
	for _, s := range []string{strings.Join(c.Args(), " "), c.Describe()} {
		for _, secret := range []string{"AK-access_key", "SK-secret_key", "DB-password"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s shows a secret: %s", s, secret)
			}
		}
	}
	if !strings.Contains(joined, "volume.configure.replication -replication=001\nvolume.fix.replication -apply") ||
		strings.Contains(joined, "ec.encode") {
		t.Errorf("maintenance script:\n%s", joined)
	}
}

func TestTheIdentityFileHoldsTheKeys(t *testing.T) {
	raw, err := load(t, modelEnv("h")).S3Config()
	if err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Identities []struct {
			Name        string
			Credentials []struct{ AccessKey, SecretKey string }
			Actions     []string
		}
	}
	if err := json.Unmarshal(raw, &parsed); err != nil {
		t.Fatal(err)
	}
	id := parsed.Identities[0]
	if len(parsed.Identities) != 1 || id.Credentials[0].AccessKey != "AK-access_key" || id.Credentials[0].SecretKey != "SK-secret_key" ||
		!slices.Contains(id.Actions, "Admin") {
		t.Errorf("identity file %s", raw)
	}
}

func TestEveryProblemIsNamedAndNoSecretIsEchoed(t *testing.T) {
	env := modelEnv("not a host")
	env["ATRIUM_OBJECT_STORE_MASTERS"] = "a,b"
	env["ATRIUM_OBJECT_STORE_REPLICATION"] = "1"
	env["ATRIUM_S3_SECRET_KEY"] = "${HOME}"
	delete(env, "ATRIUM_OBJECT_STORE_DB_HOST")
	env["ATRIUM_OBJECT_STORE_DB_PASSWORD"] = ""
	env["ATRIUM_OBJECT_STORE_MAINTENANCE_MINUTES"] = "0"
	_, err := Load(func(name string) string { return env[name] })
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"ATRIUM_OBJECT_STORE_HOST", "2 masters", "three digits", "must not contain ${",
		"ATRIUM_OBJECT_STORE_DB_HOST is not set", "ATRIUM_OBJECT_STORE_DB_PASSWORD is not set",
		"ATRIUM_OBJECT_STORE_MAINTENANCE_MINUTES must be"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "AK-access_key") || strings.Contains(err.Error(), "HOME}") {
		t.Errorf("a key is echoed: %s", err)
	}
}

func TestTheEntrypointWaitsForTheFilersDatabase(t *testing.T) {
	db := Database{Host: "acme-database.ns.svc", Port: 5432}
	calls := 0
	var dialed string
	err := awaitDatabase(db, time.Minute, func(address string) error {
		dialed = address
		calls++
		if calls < 3 {
			return errors.New("connection refused")
		}
		return nil
	}, func(string) {})
	if err != nil || calls != 3 || dialed != "acme-database.ns.svc:5432" {
		t.Fatalf("awaitDatabase: err %v after %d calls to %s", err, calls, dialed)
	}
}

func TestTheEntrypointGivesUpOnADatabaseThatNeverAnswers(t *testing.T) {
	err := awaitDatabase(Database{Host: "db", Port: 5432}, 0, func(string) error {
		return errors.New("connection refused")
	}, func(string) {})
	if err == nil || !strings.Contains(err.Error(), "db:5432") || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("want an error naming the address and the cause, got %v", err)
	}
}
