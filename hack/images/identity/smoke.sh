#!/usr/bin/env bash
# Smoke test of identity's image on a real container runtime: builds the image
# (hack/images/identity/build.sh), starts a private containerd, imports the archive, and runs the
# service from it the way the operator's pod runs it, against a real PostgreSQL and a real OpenLDAP
# (slapd) this script starts on loopback. See docs/images/identity.md.
#
#   hack/images/identity/smoke.sh [--no-build] [--tar FILE.tar]
#
#   --no-build  use the archive already built (platform-services/identity/target/...)
#   --tar       the archive to test (implies --no-build)
#
# The container runs as the pod does (workload/PodSecurity, StatelessService): uid and gid 10001,
# read-only root filesystem, a tmpfs on /tmp for the pod's emptyDir, every capability dropped, no new
# privileges, the default seccomp profile, the smallest size preset's memory limit (768 MiB), and the
# environment the operator writes (Wiring.common, Wiring.commonSecrets, IdentityModel): the database
# by JDBC URL with user and password, the issuer, the generated keys (an RSA 3072 signing key in
# PKCS#8 with its key id, the encryption key, the first administrator's password), the platform's
# clients webos and netdisk with their secrets, grant types and redirect URIs, and LDAP with its
# filters, login and attribute map. Host networking stands in for the pod network: everything
# listens on 127.0.0.1.
#
# Needs root (containerd, runc) and Debian's containerd, runc, postgresql-15, slapd, ldap-utils, curl,
# openssl and jq (installed with apt-get when missing), and a JDK 21+. Nothing of the machine's is used
# or changed: containerd runs with its own root, state and socket in a temporary directory, and
# everything started here is stopped and deleted on exit (hack/lib/service-smoke.sh). Logs are kept in
# target/images-smoke/identity/. Ends with "smoke: N passed, M failed".
set -euo pipefail
# shellcheck source=../../lib/service-smoke.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/service-smoke.sh"
smoke_init identity "$(sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//')" "$@"
[[ -n $tar_file ]] || tar_file=$repo/platform-services/identity/target/atrium-identity-image.tar

say "0/7 prerequisites"
smoke_prerequisites slapd ldap-utils

say "1/7 image"
smoke_image hack/images/identity/build.sh
smoke_workdir

# --- 2. the database and the directory ----------------------------------------------------------------
say "2/7 PostgreSQL and OpenLDAP on 127.0.0.1"
smoke_postgres identity

# slapd as service-testing's SlapdServer starts it: slapd.conf, the stock schemas, one mdb database
ldap_port=$(free_port) ldap_root_password=$(secret) carol_password=$(secret)
suffix=dc=smoke,dc=test
mkdir -p "$tmp/ldap/data"
schemas=/etc/ldap/schema
{
  for s in core cosine inetorgperson nis; do echo "include $schemas/$s.schema"; done
  echo "pidfile $tmp/ldap/slapd.pid"
  echo "argsfile $tmp/ldap/slapd.args"
  for d in /usr/lib/ldap /usr/lib64/openldap /usr/lib/openldap; do
    if [[ -e $d/back_mdb.la || -e $d/back_mdb.so ]]; then echo "modulepath $d"; echo "moduleload back_mdb"; break; fi
  done
  echo "database mdb"
  echo "suffix \"$suffix\""
  echo "rootdn \"cn=admin,$suffix\""
  echo "rootpw $ldap_root_password"
  echo "directory $tmp/ldap/data"
  echo "maxsize 104857600"
} > "$tmp/ldap/slapd.conf"
/usr/sbin/slapd -f "$tmp/ldap/slapd.conf" -h "ldap://127.0.0.1:$ldap_port/" -d 0 > "$tmp/ldap/slapd.log" 2>&1 &
smoke_keep $!
smoke_log "$tmp/ldap/slapd.log"
ldap_() { "$@" -x -H "ldap://127.0.0.1:$ldap_port" -D "cn=admin,$suffix" -w "$ldap_root_password"; }
wait_for 30 "slapd answering" ldap_ ldapwhoami
# a company: a department with one person in it, who signs in with her directory password
ldap_ ldapadd > "$tmp/ldap/ldapadd.log" <<EOF
dn: $suffix
objectClass: dcObject
objectClass: organization
dc: smoke
o: Smoke Test Inc

dn: ou=engineering,$suffix
objectClass: organizationalUnit
ou: engineering

dn: uid=carol,ou=engineering,$suffix
objectClass: inetOrgPerson
uid: carol
cn: Carol Smoke
sn: Smoke
mail: carol@smoke.test
telephoneNumber: +1 555 0100
userPassword: $carol_password
EOF
say "  slapd $(/usr/sbin/slapd -VV 2>&1 | sed -n 's/.*slapd \([0-9.]*\).*/\1/p' | head -1) on 127.0.0.1:$ldap_port, $suffix: ou=engineering, uid=carol"

# --- 3. what the operator generates -------------------------------------------------------------------
say "3/7 keys and secrets, as the operator generates them (CredentialsWriter)"
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$tmp/signing.pem" 2>/dev/null
signing_key=$(openssl pkcs8 -topk8 -nocrypt -in "$tmp/signing.pem" -outform DER | base64 -w0)
openssl pkey -in "$tmp/signing.pem" -pubout -out "$tmp/signing.pub.pem"
key_id=rsa-$(openssl pkey -in "$tmp/signing.pem" -pubout -outform DER | sha256sum | cut -c1-16)
random_value() { openssl rand 24 | b64url; }   # 24 random bytes, base64url: the operator's RANDOM keys
encryption_key=$(random_value) admin_password=$(random_value)
webos_secret=$(random_value) netdisk_secret=$(random_value)
say "  signing key RSA 3072, key id $key_id"

# --- 4. a private containerd --------------------------------------------------------------------------
say "4/7 containerd (private instance) and the import"
smoke_containerd

# --- 5. the service, as the pod runs it -----------------------------------------------------------------
say "5/7 identity from the image"
http_port=$(free_port)
domain=smoke.atrium.test
issuer=http://$domain/auth
env_file=$tmp/env
# Wiring.common + Wiring.commonSecrets + IdentityModel, with loopback addresses for the Services (identity has
# no use for the cache; the operator gives every service its address, so the test does too)
cat > "$env_file" <<EOF
ATRIUM_PLATFORM=smoke
ATRIUM_DOMAIN=$domain
ATRIUM_MODE=Private
ATRIUM_VERSION=smoke
SERVER_PORT=$http_port
SERVER_SHUTDOWN=graceful
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$pg_port/identity
SPRING_DATASOURCE_USERNAME=atrium
SPRING_DATASOURCE_PASSWORD=$db_password
SPRING_DATASOURCE_HIKARI_INITIALIZATIONFAILTIMEOUT=90000
SPRING_DATA_REDIS_SENTINEL_MASTER=atrium
SPRING_DATA_REDIS_SENTINEL_NODES=127.0.0.1:$(free_port)
SPRING_DATA_REDIS_PASSWORD=$(secret)
SPRING_DATA_REDIS_SENTINEL_PASSWORD=$(secret)
ATRIUM_IDENTITY_ISSUER=$issuer
ATRIUM_IDENTITY_JWKS_URI=http://127.0.0.1:$http_port/oauth2/jwks
ATRIUM_IDENTITY_SIGNING_KEY=$signing_key
ATRIUM_IDENTITY_SIGNING_KEY_ID=$key_id
ATRIUM_IDENTITY_ENCRYPTION_KEY=$encryption_key
ATRIUM_IDENTITY_ADMIN_PASSWORD=$admin_password
ATRIUM_IDENTITY_ACCESS_TOKEN_TTL=5m
ATRIUM_IDENTITY_CLIENTS=netdisk,webos
ATRIUM_IDENTITY_CLIENT_NETDISK_SECRET=$netdisk_secret
ATRIUM_IDENTITY_CLIENT_NETDISK_GRANT_TYPES=client_credentials
ATRIUM_IDENTITY_CLIENT_NETDISK_REDIRECT_URIS=
ATRIUM_IDENTITY_CLIENT_NETDISK_POST_LOGOUT_REDIRECT_URIS=
ATRIUM_IDENTITY_CLIENT_WEBOS_SECRET=$webos_secret
ATRIUM_IDENTITY_CLIENT_WEBOS_GRANT_TYPES=authorization_code,refresh_token
ATRIUM_IDENTITY_CLIENT_WEBOS_REDIRECT_URIS=http://$domain/login/oauth2/code/atrium
ATRIUM_IDENTITY_CLIENT_WEBOS_POST_LOGOUT_REDIRECT_URIS=http://$domain/
ATRIUM_LDAP_ENABLED=true
ATRIUM_LDAP_URL=ldap://127.0.0.1:$ldap_port
ATRIUM_LDAP_BASE_DN=$suffix
ATRIUM_LDAP_SYNC_INTERVAL=15m
ATRIUM_LDAP_USER_FILTER=(objectClass=inetOrgPerson)
ATRIUM_LDAP_DEPARTMENT_FILTER=(objectClass=organizationalUnit)
ATRIUM_LDAP_LOGIN=bind
ATRIUM_LDAP_ATTRIBUTE_ID=entryUUID
ATRIUM_LDAP_ATTRIBUTE_USERNAME=uid
ATRIUM_LDAP_ATTRIBUTE_DISPLAY_NAME=cn
ATRIUM_LDAP_ATTRIBUTE_EMAIL=mail
ATRIUM_LDAP_ATTRIBUTE_PHONE=telephoneNumber
ATRIUM_LDAP_ATTRIBUTE_DEPARTMENT_NAME=ou
ATRIUM_LDAP_BIND_DN=cn=admin,$suffix
ATRIUM_LDAP_BIND_PASSWORD=$ldap_root_password
EOF
smoke_run "$env_file" 768

# --- 6. checks ----------------------------------------------------------------------------------------
say "6/7 checks"
smoke_common_checks platform-services/identity/src/main/resources/db/migration people
readiness=$(curl -fsS "$url/actuator/health/readiness" || true)
check "readiness checks the database, UP" test "$(jq -r '.components.db.status' <<< "$readiness")" == UP

# OpenID Connect discovery and the JWKS: the operator's key, under the operator's key id
discovery=$(curl -fsS "$url/.well-known/openid-configuration" || true)
check "discovery names the issuer the operator set ($(jq -r .issuer <<< "$discovery" 2>/dev/null))" \
  test "$(jq -r .issuer <<< "$discovery" 2>/dev/null)" == "$issuer"
jwks=$(curl -fsS "$url/oauth2/jwks" || true)
modulus=$(openssl rsa -in "$tmp/signing.pem" -noout -modulus | cut -d= -f2)
n=$(printf '%b' "$(sed 's/../\\x&/g' <<< "$modulus")" | b64url)
check "the JWKS publishes the signing key under its key id ($key_id)" \
  test "$(jq -r --arg kid "$key_id" '.keys[] | select(.kid == $kid) | .kty + " " + .n' <<< "$jwks" 2>/dev/null)" == "RSA $n"

# a token: RS256 by the operator's key, its kid, the issuer; checked with openssl, not by identity
token_ok() { # token_ok JWT CLAIM VALUE: signature, kid and iss right, and the claim has the value
  local jwt=$1 claim=$2 value=$3 header payload signature
  IFS=. read -r header payload signature <<< "$jwt"
  [[ -n $signature ]] || return 1
  unb64() { local s=$1; s=${s//-/+}; s=${s//_//}; while (( ${#s} % 4 )); do s+="="; done; base64 -d <<< "$s"; }
  [[ $(unb64 "$header" | jq -r '.alg + " " + .kid') == "RS256 $key_id" ]] || return 1
  unb64 "$signature" > "$tmp/signature"
  printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -verify "$tmp/signing.pub.pem" \
    -signature "$tmp/signature" >/dev/null || return 1
  [[ $(unb64 "$payload" | jq -r .iss) == "$issuer" ]] || return 1
  [[ $(unb64 "$payload" | jq -r --arg c "$claim" '.[$c] | if type == "array" then join(",") else tostring end') == "$value" ]]
}
token_post() { # token_post CLIENT SECRET FORM...: the token endpoint's JSON
  local client=$1 secret=$2; shift 2
  local form=()
  for f in "$@"; do form+=(--data-urlencode "$f"); done
  curl -sS -u "$client:$secret" "${form[@]}" "$url/oauth2/token"
}
cc=$(token_post netdisk "$netdisk_secret" grant_type=client_credentials)
check "netdisk gets a client credentials token, RS256 by the operator's key, principal_type app" \
  token_ok "$(jq -r .access_token <<< "$cc")" principal_type app
code=$(curl -s -o /dev/null -w '%{http_code}' -u "netdisk:wrong-$netdisk_secret" -d grant_type=client_credentials \
  "$url/oauth2/token")
check "a wrong client secret is refused (401, got $code)" test "$code" == 401

# the authorization code flow with PKCE through the login page, as a browser: cookies, CSRF token, redirects
sign_in() { # sign_in USERNAME PASSWORD: the code webos's redirect URI receives, or nothing
  local jar=$tmp/cookies-$1 verifier challenge location page csrf
  rm -f "$jar"
  verifier=$(openssl rand 32 | b64url)
  challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | b64url)
  echo "$verifier" > "$tmp/verifier-$1"
  location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" -H 'Accept: text/html' -G \
    --data-urlencode response_type=code --data-urlencode client_id=webos \
    --data-urlencode "redirect_uri=http://$domain/login/oauth2/code/atrium" --data-urlencode 'scope=openid profile' \
    --data-urlencode state=smoke --data-urlencode "code_challenge=$challenge" \
    --data-urlencode code_challenge_method=S256 "$url/oauth2/authorize")
  [[ $location == */login ]] || return 1
  page=$(curl -sS -c "$jar" -b "$jar" "$location")
  csrf=$(grep -o 'name="_csrf"[^>]*value="[^"]*"' <<< "$page" | sed 's/.*value="\([^"]*\)"/\1/' | head -1)
  [[ -n $csrf ]] || return 1
  location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" --data-urlencode "username=$1" \
    --data-urlencode "password=$2" --data-urlencode "_csrf=$csrf" "$url/login")
  for _ in 1 2 3 4 5; do
    [[ -n $location ]] || return 1
    if [[ $location == "http://$domain/login/oauth2/code/atrium?"* ]]; then
      sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<< "$location"
      return 0
    fi
    location=$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" -H 'Accept: text/html' "$location")
  done
  return 1
}
exchange() { # exchange USERNAME CODE: webos's tokens
  token_post webos "$webos_secret" grant_type=authorization_code "code=$2" \
    "redirect_uri=http://$domain/login/oauth2/code/atrium" "code_verifier=$(<"$tmp/verifier-$1")"
}
admin_code=$(sign_in admin "$admin_password" || true)
check "the first administrator (admin, the generated password) signs in to webos through the login page" \
  test -n "$admin_code"
tokens=$(exchange admin "$admin_code")
check "webos exchanges the code with PKCE: an access token for admin, principal_type user" \
  token_ok "$(jq -r .access_token <<< "$tokens")" principal_type user
check "and an ID token and a refresh token" test "$(jq -r '(.id_token != null) and (.refresh_token != null)' <<< "$tokens")" == true
refreshed=$(token_post webos "$webos_secret" grant_type=refresh_token "refresh_token=$(jq -r .refresh_token <<< "$tokens")")
check "the refresh token gives a new access token" \
  token_ok "$(jq -r .access_token <<< "$refreshed")" principal_type user
wrong=$(sign_in admin "wrong-$admin_password" || true)
check "a wrong password gets no code" test -z "$wrong"
zh=$(curl -sS -H 'Accept-Language: zh-CN' "$url/login" || true)
check "the login page speaks Chinese to a zh-CN browser (登录)" grep -q '登录' <<< "$zh"

# LDAP from the image's runtime (JNDI, java.naming): the sync's first run is 10 s after the start
synced() { [[ $(psql_ -d identity -c "SELECT count(*) FROM people WHERE id = 'carol' AND source = 'ldap'") == 1 ]]; }
deadline=$(( $(date +%s) + 60 ))
until synced || (( $(date +%s) > deadline )); do sleep 1; done
check "the LDAP sync brought carol from slapd into the directory" synced
department=$(psql_ -d identity -c "SELECT string_agg(d.id || ' ' || d.name, ',') FROM departments d \
  JOIN person_departments pd ON pd.department_id = d.id WHERE pd.person_id = 'carol'" 2>/dev/null || true)
check "in her department, engineering (got '$department')" test "${department#* }" == engineering
carol_code=$(sign_in carol "$carol_password" || true)
check "carol signs in with her directory password (login bind: checked by binding to slapd)" test -n "$carol_code"
carol_tokens=$(exchange carol "$carol_code")
check "her token names her department (${department%% *})" \
  token_ok "$(jq -r .access_token <<< "$carol_tokens")" departments "${department%% *}"

smoke_log_checks
smoke_memory_report

# --- 7. stop as the kubelet does ----------------------------------------------------------------------
say "7/7 SIGTERM"
smoke_sigterm
smoke_end
