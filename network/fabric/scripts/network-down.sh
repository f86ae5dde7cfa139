#!/usr/bin/env bash
# Stops every process the network scripts started (by the pids they recorded), keeping all data:
# chaincode servers first, then peers, then orderers. Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

[ -d "$RUN_DIR" ] || { log "nothing running"; exit 0; }
# Each group is asked to stop at once (TERM), then waited for: peers keep committing until their
# chaincode servers are gone, orderers keep serving until the peers are.
stop_group() {
    local f names=()
    for f in "$RUN_DIR"/$1.pid; do [ -e "$f" ] && names+=("$(basename "$f" .pid)"); done
    [ ${#names[@]} -gt 0 ] || return 0
    for f in "${names[@]}"; do stop_process "$f" & done
    wait
}
stop_group 'cc-*'
stop_group 'peer*'
stop_group 'orderer*'
log "network down (data kept in $DATA_DIR)"
