#!/usr/bin/env bash
# Stops every process the network scripts started (by the pids they recorded), keeping all data:
# chaincode servers first, then peers, then orderers. Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

[ -d "$RUN_DIR" ] || { log "nothing running"; exit 0; }
stop_matching() {
    local f
    for f in "$RUN_DIR"/$1.pid; do
        [ -e "$f" ] && stop_process "$(basename "$f" .pid)"
    done
    return 0
}
stop_matching 'cc-*'
stop_matching 'peer*'
stop_matching 'orderer*'
log "network down (data kept in $DATA_DIR)"
