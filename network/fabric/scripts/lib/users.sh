# Role users: client identities whose certificates carry the CashTransfer role as a Fabric
# attribute ("cashtransfer.role" in the attribute extension that Fabric CA writes, OID
# 1.2.3.4.5.6.7.8.1, JSON {"attrs":{...}}). cryptogen cannot write attributes, so we issue these
# certificates with openssl, signed by the agency's own CA, in the MSP folder layout.
# Sourced after common.sh and clients.sh.

ROLES=(operator auditor gateway)
ATTRIBUTE_OID=1.2.3.4.5.6.7.8.1

role_user_msp() { echo "$(org_dir "$1")/users/$2@$(org_domain "$1")/msp"; }

# issue_role_user AGENCY ROLE: MSP folder users/<role>@<domain>/msp (once) and a client profile
# clients/roles/<agency>-<role>.json.
issue_role_user() {
    local a="$1" role="$2" msp ca work name hex
    msp="$(role_user_msp "$a" "$role")"
    name="$role@$(org_domain "$a")"
    if [ ! -f "$msp/signcerts/$name-cert.pem" ]; then
        command -v openssl >/dev/null 2>&1 || die "openssl not found (needed to issue role certificates)"
        ca="$(org_dir "$a")/ca"
        work="$(mktemp -d)"
        mkdir -p "$msp/signcerts" "$msp/keystore" "$msp/cacerts" "$msp/tlscacerts"
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$msp/keystore/priv_sk" 2>/dev/null
        # The attribute value is the JSON itself, as raw extension bytes.
        hex="$(printf '{"attrs":{"cashtransfer.role":"%s","hf.EnrollmentID":"%s","hf.Type":"client"}}' "$role" "$name" |
            od -An -tx1 | tr -d ' \n')"
        cat >"$work/ext.cnf" <<EOF
[client]
keyUsage = critical, digitalSignature
basicConstraints = critical, CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
$ATTRIBUTE_OID = DER:$hex
EOF
        # OU=client: the organisation's NodeOUs make this a client, so it may submit (Writers).
        openssl req -new -key "$msp/keystore/priv_sk" -subj "/C=US/O=$(org_domain "$a")/OU=client/CN=$name" \
            -out "$work/req.csr" 2>/dev/null
        openssl x509 -req -in "$work/req.csr" -CA "$ca/ca.$(org_domain "$a")-cert.pem" -CAkey "$ca/priv_sk" \
            -CAcreateserial -CAserial "$work/serial" -days 3650 -sha256 -extfile "$work/ext.cnf" -extensions client \
            -out "$msp/signcerts/$name-cert.pem" 2>/dev/null
        rm -rf "$work"
        cp "$ca/ca.$(org_domain "$a")-cert.pem" "$msp/cacerts/"
        cp "$(org_tls_ca "$a")" "$msp/tlscacerts/"
        cp "$(org_dir "$a")/msp/config.yaml" "$msp/config.yaml"
        log "issued $name (cashtransfer.role=$role)"
    fi
    mkdir -p "$CLIENTS_DIR/roles"
    cat >"$CLIENTS_DIR/roles/$a-$role.json" <<JSON
{
  "peerEndpoint": "https://$HOST:$(peer_port "$a")",
  "serverNameOverride": "localhost",
  "tlsCaCertPath": "$(org_tls_ca "$a")",
  "mspId": "$(msp_id "$a")",
  "certificatePath": "$msp/signcerts/$name-cert.pem",
  "privateKeyPath": "$msp/keystore/priv_sk",
  "channel": "$CHANNEL"
}
JSON
}

issue_role_users() {
    local role
    for role in "${ROLES[@]}"; do issue_role_user "$1" "$role"; done
}
