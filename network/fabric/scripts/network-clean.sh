#!/usr/bin/env bash
# Stops the network and deletes its data folder (crypto material, ledgers, logs). Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

"$(dirname "$0")/network-down.sh"
[ -d "$DATA_DIR" ] || { log "nothing to remove: $DATA_DIR does not exist"; exit 0; }
data="$(cd "$DATA_DIR" && pwd -P)"
case "$data" in
    /|"$(cd "$HOME" && pwd -P)"|"$(cd "$REPO_ROOT" && pwd -P)") die "refusing to delete $DATA_DIR (FABRIC_DATA names a folder that is not the network's own)" ;;
esac
# Any FABRIC_DATA folder will do, as long as it holds only what the network scripts write there.
for entry in "$data"/* "$data"/.[!.]*; do
    [ -e "$entry" ] || continue
    case "$(basename "$entry")" in
        crypto|config|nodes|logs|run|chaincode|clients|members|builders) ;;
        *) die "refusing to delete $DATA_DIR: it holds $(basename "$entry"), which the network scripts never write" ;;
    esac
done
rm -rf "$data"
log "removed $DATA_DIR"
