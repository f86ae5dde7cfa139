# The application channel: created from a configtxgen block joined by every orderer through the
# admin API (no system channel), then joined by the peers. Readiness checks read the nodes'
# Prometheus metrics. Sourced after common.sh, configtx.sh and nodes.sh.

osnadmin_flags() {
    local tls
    tls="$(orderer_admin_tls)"
    echo "-o $HOST:$(orderer_admin_port "$1") --ca-file $(orderer_tls_ca) --client-cert $tls/client.crt --client-key $tls/client.key"
}

orderer_has_channel() {
    # shellcheck disable=SC2046
    local out
    out="$(osnadmin channel list --channelID "$CHANNEL" $(osnadmin_flags "$1") 2>/dev/null)" || return 1
    grep -q '"name": *"'"$CHANNEL"'"' <<<"$out"
}

# create_channel MEMBER...: genesis block (once) and join of every orderer that has not joined.
create_channel() {
    local block="$CONFIG_DIR/$CHANNEL.genesis.block" o
    if [ ! -f "$block" ]; then
        write_configtx "$@" >/dev/null
        configtxgen -configPath "$CONFIG_DIR" -profile CashTransferChannel -channelID "$CHANNEL" \
            -outputBlock "$block" 2>>"$LOG_DIR/configtxgen.log"
        log "genesis block of channel $CHANNEL for: $*"
    fi
    for o in "${ORDERERS[@]}"; do
        if ! orderer_has_channel "$o"; then
            local out
            # osnadmin exits 0 even when the orderer refuses; the HTTP status tells.
            # shellcheck disable=SC2046
            out="$(osnadmin channel join --channelID "$CHANNEL" --config-block "$block" $(osnadmin_flags "$o") 2>&1)" || true
            grep -q 'Status: 201' <<<"$out" || die "$o refused to join $CHANNEL: $out"
            log "$o joined $CHANNEL"
        fi
    done
}

# Height of the channel on an orderer (0 if it does not have the channel).
orderer_height() {
    local out h
    # shellcheck disable=SC2046
    out="$(osnadmin channel list --channelID "$CHANNEL" $(osnadmin_flags "$1") 2>/dev/null)" || true
    h="$(sed -n 's/.*"height": *\([0-9]*\).*/\1/p' <<<"$out" | head -1)"
    echo "${h:-0}"
}

# metric PORT SAMPLE: value of the Prometheus sample named exactly SAMPLE, labels included (empty if none).
metric() {
    local out
    out="$(curl -sf "http://$HOST:$1/metrics")" || return 0
    awk -v p="$2 " 'index($0, p) == 1 { print $2; exit }' <<<"$out"
}

# True when some orderer reports that it leads the channel's Raft.
raft_leader_exists() {
    local o v
    for o in "${ORDERERS[@]}"; do
        v="$(metric "$(orderer_ops_port "$o")" "consensus_etcdraft_is_leader{channel=\"$CHANNEL\"}")"
        [ "${v:-0}" = "1" ] && return 0
    done
    return 1
}

peer_joined() { (as_admin "$1" && peer channel getinfo -c "$CHANNEL" >/dev/null 2>&1); }

# join_peer AGENCY [BLOCK]: joins the agency's peer to the channel (from block 0 fetched if not given).
join_peer() {
    local a="$1" block="${2:-}"
    peer_joined "$a" && return 0
    (
        as_admin "$a"
        if [ -z "$block" ]; then
            block="$CONFIG_DIR/$CHANNEL.block0.$a"
            # shellcheck disable=SC2046
            peer channel fetch 0 "$block" -c "$CHANNEL" $(orderer_flags) 2>>"$LOG_DIR/peer-cli.log"
        fi
        peer channel join -b "$block" 2>>"$LOG_DIR/peer-cli.log"
    )
    log "$(peer_name "$a") joined $CHANNEL"
}

# True when the agency's peer knows, through gossip, at least $2 other peers of the channel.
gossip_sees() {
    local v
    v="$(metric "$(peer_ops_port "$1")" "gossip_membership_total_peers_known{channel=\"$CHANNEL\"}")"
    [ "${v:-0}" -ge "$2" ]
}

# Waits until every member's peer sees every other member's peer.
wait_gossip() {
    local n a
    n=$(($(members | wc -l) - 1))
    for a in $(members); do
        wait_for 120 "$(peer_name "$a") sees $n other peers" gossip_sees "$a" "$n" || return 1
    done
}

# Height of the channel on an agency's peer.
peer_height() {
    local h
    h="$(as_admin "$1" && peer channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/.*"height":\([0-9]*\).*/\1/p')" || true
    echo "${h:-0}"
}
