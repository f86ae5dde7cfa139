# Client connection profiles: one JSON file per agency ($DATA_DIR/clients/<agency>.json) naming
# the agency's Gateway peer and its client user's certificate and key. The fields are those of
# Fabric.Client's GatewaySettings, so the Node test client and our .NET client read the same file.
# Sourced after common.sh and chaincode.sh.

CLIENTS_DIR="$DATA_DIR/clients"

write_client_profile() {
    local a="$1" user
    user="$(org_dir "$a")/users/User1@$(org_domain "$a")/msp"
    mkdir -p "$CLIENTS_DIR"
    cat >"$CLIENTS_DIR/$a.json" <<JSON
{
  "peerEndpoint": "https://$HOST:$(peer_port "$a")",
  "serverNameOverride": "localhost",
  "tlsCaCertPath": "$(org_tls_ca "$a")",
  "mspId": "$(msp_id "$a")",
  "certificatePath": "$user/signcerts/User1@$(org_domain "$a")-cert.pem",
  "privateKeyPath": "$(ls "$user"/keystore/* | head -1)",
  "channel": "$CHANNEL"
}
JSON
}

NODE_CLIENT="$NODE_INTEROP/fabric-network/client.js"

# node_client AGENCY COMMAND ARGS...: runs the Node Gateway client as the agency's client user.
node_client() {
    local a="$1"
    shift
    node "$NODE_CLIENT" "$CLIENTS_DIR/$a.json" "$@"
}

# wait_ready CHAINCODE: every member's Gateway can evaluate and submit (a majority endorsement
# found through gossip and discovery). One Node process retries each agency in turn.
wait_ready() {
    local a start
    start=$(date +%s)
    a="$(members | head -1)"
    if node_client "$a" ready "$1" 180; then
        log "every agency's gateway submits to $1 after $(($(date +%s) - start))s"
    else
        log "the gateways did not become ready for $1"
        return 1
    fi
}
