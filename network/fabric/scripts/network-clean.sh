#!/usr/bin/env bash
# Stops the network and deletes its data folder (crypto material, ledgers, logs). Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

"$(dirname "$0")/network-down.sh"
case "$DATA_DIR" in
    */.data/fabric|*/.data/fabric-test) rm -rf "$DATA_DIR" ;;
    *) die "refusing to delete $DATA_DIR (expected a folder named .data/fabric)" ;;
esac
log "removed $DATA_DIR"
