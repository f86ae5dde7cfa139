#!/usr/bin/env bash
# Restarts one node of the running network, keeping its data, and waits until the network is
# ready again: for an orderer, until the channel has a Raft leader; for a peer, until gossip
# sees every other peer and the agency's gateway can submit.
# Usage: restart-node.sh orderer1|orderer2|orderer3|AGENCY
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

NODE="${1:-}"
[ -n "$NODE" ] || die "usage: restart-node.sh orderer1|orderer2|orderer3|AGENCY"
require_fabric
started=$(date +%s.%N)
case "$NODE" in
    orderer*)
        orderer_index "$NODE" >/dev/null
        before="$(orderer_height "$NODE")"
        stop_process "$NODE"
        start_orderer "$NODE"
        wait_orderer_up "$NODE"
        # Its ledger must come back as it was: the channel is there, no block lost.
        after="$(orderer_height "$NODE")"
        [ "$after" -ge "$before" ] && [ "$after" -gt 0 ] ||
            die "$NODE came back with $CHANNEL at height $after (was $before): data lost"
        log "$NODE has $CHANNEL at height $after (was $before)"
        wait_for 120 "Raft leader of $CHANNEL" raft_leader_exists
        ;;
    *)
        members | grep -qx "$NODE" || die "$NODE is neither an orderer nor a channel member ($(members | tr '\n' ' '))"
        before="$(peer_height "$NODE")"
        stop_process "$(peer_name "$NODE")"
        start_peer "$NODE"
        wait_peer_up "$NODE"
        after="$(peer_height "$NODE")"
        [ "$after" -ge "$before" ] && [ "$after" -gt 0 ] ||
            die "$(peer_name "$NODE") came back with $CHANNEL at height $after (was $before): data lost"
        log "$(peer_name "$NODE") has $CHANNEL at height $after (was $before)"
        wait_gossip
        ;;
esac
wait_ready probe
log "$NODE restarted; network ready after $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')s"
