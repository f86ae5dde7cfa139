#!/usr/bin/env bash
# Writes a Fabric chaincode-as-a-service package: <label>.tar.gz holding metadata.json ({"type":"ccaas","label"})
# and code.tar.gz, which holds connection.json, the file Fabric's ccaas builder reads to dial the chaincode:
# {address, dial_timeout, tls_required, client_auth_required, client_key, client_cert, root_cert} (PEM text inline).
# The archives are byte-reproducible (sorted, owner 0, mtime 0, gzip without a name or time), so the same
# inputs give the same package ID on every machine.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: $0 --label LABEL --address HOST:PORT [options]
  --label LABEL          package label, e.g. cashtransfer_1.0 (letters, digits, _ . + -)
  --address HOST:PORT    where peers dial the chaincode server
  --dial-timeout T       how long a peer waits to connect (default 10s)
  --tls                  peers connect with TLS (then --root-cert is required)
  --root-cert FILE       PEM of the CA that issued the chaincode server's TLS certificate
  --client-auth          mutual TLS: peers present --client-cert/--client-key
  --client-cert FILE     PEM certificate peers present to the chaincode server
  --client-key FILE      PEM private key of --client-cert
  --output DIR           where to write LABEL.tar.gz (default: current directory)
USAGE
  exit 2
}

fail() { echo "package-ccaas: $*" >&2; exit 1; }

label="" address="" dial_timeout="10s" tls=false client_auth=false root_cert="" client_cert="" client_key="" output="."
while [[ $# -gt 0 ]]; do
  case "$1" in
    --label) label="${2:-}"; shift 2 ;;
    --address) address="${2:-}"; shift 2 ;;
    --dial-timeout) dial_timeout="${2:-}"; shift 2 ;;
    --tls) tls=true; shift ;;
    --no-tls) tls=false; shift ;;
    --client-auth) client_auth=true; shift ;;
    --root-cert) root_cert="${2:-}"; shift 2 ;;
    --client-cert) client_cert="${2:-}"; shift 2 ;;
    --client-key) client_key="${2:-}"; shift 2 ;;
    --output) output="${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "package-ccaas: unknown option $1" >&2; usage ;;
  esac
done

[[ -n "$label" ]] || fail "--label is required"
[[ "$label" =~ ^[[:alnum:]][[:alnum:]_.+-]*$ ]] || fail "label '$label' may hold only letters, digits and _ . + - (and must start with a letter or digit), as Fabric requires"
[[ "$address" =~ ^[^:[:space:]]+:[0-9]+$ || "$address" =~ ^\[[0-9a-fA-F:]+\]:[0-9]+$ ]] || fail "--address must be host:port, got '$address'"
[[ "$dial_timeout" =~ ^[0-9]+(ms|s|m)$ ]] || fail "--dial-timeout must look like 10s, 500ms or 1m"

# PEM text as a JSON string: PEM holds only base64, dashes, spaces and newlines, so escaping newlines suffices.
pem_json() {
  local file="$1" what="$2"
  [[ -r "$file" ]] || fail "$what file '$file' cannot be read"
  grep -q -- "-----BEGIN " "$file" || fail "$what file '$file' is not PEM"
  grep -q '["\\]' "$file" && fail "$what file '$file' holds characters PEM never has"
  printf '"%s"' "$(awk '{ sub(/\r$/, ""); printf "%s\\n", $0 }' "$file")"
}

root_json='""' cert_json='""' key_json='""'
if [[ "$tls" == true ]]; then
  [[ -n "$root_cert" ]] || fail "--tls needs --root-cert (the CA of the chaincode server's TLS certificate)"
  root_json="$(pem_json "$root_cert" "root certificate")"
  if [[ "$client_auth" == true ]]; then
    [[ -n "$client_cert" && -n "$client_key" ]] || fail "--client-auth needs --client-cert and --client-key"
    cert_json="$(pem_json "$client_cert" "client certificate")"
    key_json="$(pem_json "$client_key" "client key")"
  fi
elif [[ "$client_auth" == true ]]; then
  fail "--client-auth needs --tls"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/code" "$work/pkg"

cat > "$work/code/connection.json" <<JSON
{
  "address": "$address",
  "dial_timeout": "$dial_timeout",
  "tls_required": $tls,
  "client_auth_required": $client_auth,
  "client_key": $key_json,
  "client_cert": $cert_json,
  "root_cert": $root_json
}
JSON
printf '{"type":"ccaas","label":"%s"}\n' "$label" > "$work/pkg/metadata.json"

reproducible_tar() { # archive NAME.tar.gz from the files in DIR
  local dir="$1" archive="$2"; shift 2
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=ustar -C "$dir" -cf - "$@" | gzip -n -9 > "$archive"
}
reproducible_tar "$work/code" "$work/pkg/code.tar.gz" connection.json
mkdir -p "$output"
reproducible_tar "$work/pkg" "$output/$label.tar.gz" code.tar.gz metadata.json
echo "$output/$label.tar.gz"
