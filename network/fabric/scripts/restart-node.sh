#!/usr/bin/env bash
# Restarts one node of the running network, keeping its data, and waits until the network is
# ready again: for an orderer, until the channel has a Raft leader; for a peer, until gossip
# sees every other peer and the agency's gateway can submit.
# Usage: restart-node.sh orderer1|orderer2|orderer3|AGENCY
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/nodes.sh"
source "$(dirname "$0")/lib/channel.sh"
source "$(dirname "$0")/lib/chaincode.sh"
source "$(dirname "$0")/lib/clients.sh"

NODE="${1:-}"
[ -n "$NODE" ] || die "usage: restart-node.sh orderer1|orderer2|orderer3|AGENCY"
require_fabric
started=$(date +%s.%N)
case "$NODE" in
    orderer*)
        orderer_index "$NODE" >/dev/null
        stop_process "$NODE"
        start_orderer "$NODE"
        wait_orderer_up "$NODE"
        wait_for 120 "Raft leader of $CHANNEL" raft_leader_exists
        ;;
    *)
        members | grep -qx "$NODE" || die "$NODE is neither an orderer nor a channel member ($(members | tr '\n' ' '))"
        stop_process "$(peer_name "$NODE")"
        start_peer "$NODE"
        wait_peer_up "$NODE"
        wait_gossip
        ;;
esac
wait_ready probe
log "$NODE restarted; network ready after $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')s"
