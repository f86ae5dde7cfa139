#!/usr/bin/env bash
# Brings the CashTransfer Fabric network up natively on 127.0.0.1: three Raft orderers, one peer
# per agency, the channel, the chaincode servers. From nothing it generates everything; on existing
# data it restarts the nodes and keeps the ledgers. Safe to re-run.
# Env: FABRIC_BIN (Fabric 2.5 bin/), FABRIC_AGENCIES (e.g. 2: first two agencies only), FABRIC_DATA,
#      FABRIC_DOTNET_PROBE=0 (skip the .NET probe chaincode).
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

require_fabric
started=$(date +%s.%N)
mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" "$CONFIG_DIR" "$NODES_DIR"

if [ -f "$MEMBERS_FILE" ]; then
    log "existing network in $DATA_DIR: restarting members $(members | tr '\n' ' ')"
    if [ -n "${FABRIC_AGENCIES:-}" ]; then log "FABRIC_AGENCIES ignored: the channel already exists (network-clean to start over)"; fi
else
    genesis_agencies >"$MEMBERS_FILE.new"
    [ "$(wc -l <"$MEMBERS_FILE.new")" -ge 2 ] || die "need at least two agencies in the channel"
    mv "$MEMBERS_FILE.new" "$MEMBERS_FILE"
    log "new network in $DATA_DIR with agencies $(members | tr '\n' ' ')"
fi
mapfile -t MEMBERS < <(members)

ensure_crypto "${MEMBERS[@]}"

for o in "${ORDERERS[@]}"; do start_orderer "$o"; done
for o in "${ORDERERS[@]}"; do wait_orderer_up "$o"; done
create_channel "${MEMBERS[@]}"
wait_for 120 "Raft leader of $CHANNEL" raft_leader_exists

for a in "${MEMBERS[@]}"; do start_peer "$a"; done
for a in "${MEMBERS[@]}"; do
    wait_peer_up "$a"
    join_peer "$a" "$CONFIG_DIR/$CHANNEL.genesis.block"
    write_client_profile "$a"
    issue_role_users "$a"
done

deploy_chaincode probe "${MEMBERS[@]}"
if [ "${FABRIC_DOTNET_PROBE:-1}" = 1 ]; then
    ensure_dotnet_probe
    deploy_chaincode probe-dotnet "${MEMBERS[@]}"
fi
if has_cashtransfer_chaincode; then
    ensure_cashtransfer_chaincode
    deploy_chaincode cashtransfer "${MEMBERS[@]}"
else
    log "chaincode/CashTransfer.Chaincode is not in this tree: only the probe chaincodes are deployed"
fi
wait_gossip
wait_ready probe
elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
log "network ready in ${elapsed}s: channel $CHANNEL, agencies ${MEMBERS[*]}, orderers ${ORDERERS[*]}"
