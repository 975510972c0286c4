#!/usr/bin/env bash
# Signs a person in at a platform's identity service and prints their access token, as a command-line
# tool does: the authorization code flow with PKCE through identity's login page, with the built-in
# public client atrium-cli (platform-services/identity/README.md). No browser, no secret of a client.
#
#   hack/sign-in.sh IDENTITY_URL PERSON          the password is read from standard input
#   e.g. kubectl -n acme get secret acme-identity-admin -o jsonpath='{.data.password}' | base64 -d \
#          | hack/sign-in.sh http://10.96.0.42:8080 admin
#
# IDENTITY_URL is where identity answers (its Service, or the front door's /auth). Needs curl, openssl, jq.
set -euo pipefail
if (( $# != 2 )) || [[ $1 == -h || $1 == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 2
fi
base=${1%/}
person=$2
IFS= read -r password || true
[[ -n $password ]] || { echo "error: no password on standard input" >&2; exit 2; }
for tool in curl openssl jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing" >&2; exit 1; }
done
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
redirect=http://127.0.0.1:8400/callback
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
verifier=$(openssl rand 32 | b64url)
challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | b64url)
state=$(openssl rand 12 | b64url)
http() { curl -sS --max-time 30 -b "$jar" -c "$jar" "$@"; }
location() { http -o /dev/null -w '%{redirect_url}' "$@"; }

next=$(location "$base/oauth2/authorize?response_type=code&client_id=atrium-cli&scope=openid%20profile&state=$state&code_challenge=$challenge&code_challenge_method=S256&redirect_uri=$redirect")
[[ $next == */login ]] || { echo "error: identity did not ask for a login (sent to '$next')" >&2; exit 1; }
csrf=$(http "$next" | sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
[[ -n $csrf ]] || { echo "error: the login page has no form token" >&2; exit 1; }
next=$(location --data-urlencode "username=$person" --data-urlencode "password=$password" \
  --data-urlencode "_csrf=$csrf" "$base/login")
if [[ $next == *"/login?error="* ]]; then
  echo "error: sign-in refused (${next##*error=}: bad = wrong account or password, locked, code = TOTP needed)" >&2
  exit 1
fi
next=$(location "$next")
[[ $next == "$redirect?"* ]] || { echo "error: no code (sent to '$next')" >&2; exit 1; }
query=${next#*\?}
code=$(sed -n 's/.*\(^\|&\)code=\([^&]*\).*/\2/p' <<<"$query")
[[ $query == *"state=$state"* ]] || { echo "error: the state came back changed" >&2; exit 1; }
http -X POST "$base/oauth2/token" -d grant_type=authorization_code -d client_id=atrium-cli \
  --data-urlencode "code=$code" --data-urlencode "redirect_uri=$redirect" -d "code_verifier=$verifier" \
  | jq -er '.access_token // error("no token: \(.error // "?") \(.error_description // "")")'
