#!/usr/bin/env bash
# Upgrades a chaincode to the next sequence on the running channel:
#   every agency packages and installs its new CCaaS package and starts the new server (on the
#   chaincode's other port, so the old one keeps serving until the commit);
#   a majority of agencies approve; the definition is committed (the channel's
#   LifecycleEndorsement is a majority, so that is enough); then the remaining agencies approve so
#   their peers run the new package too; the old servers stop.
# Usage: upgrade-chaincode.sh [NAME]   (default probe). Safe to re-run after a failure.
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

NAME="${1:-probe}"
require_fabric
mapfile -t MEMBERS < <(members)
started=$(date +%s)
old="$(committed_sequence "$NAME")"
[ "$old" -ge 1 ] || die "$NAME is not committed on $CHANNEL; deploy it first (network-up)"
# A re-run after a partial upgrade continues the sequence that was started.
new=$((old + 1))
log "upgrading $NAME from sequence $old to $new"

for a in "${MEMBERS[@]}"; do
    install_chaincode "$NAME" "$a" "$new"
    start_chaincode_server "$NAME" "$a" "$new"
done
for a in "${MEMBERS[@]}"; do wait_chaincode_server "$NAME" "$a" "$new"; done

needed=$((${#MEMBERS[@]} / 2 + 1))
approvers=("${MEMBERS[@]:0:$needed}")
for a in "${approvers[@]}"; do approve_chaincode "$NAME" "$a" "$new"; done
commit_chaincode "$NAME" "$new" "${approvers[@]}"
log "$NAME sequence $new committed with the approval of ${approvers[*]} ($needed of ${#MEMBERS[@]} agencies)"

for a in "${MEMBERS[@]:$needed}"; do approve_chaincode "$NAME" "$a" "$new"; done
for a in "${MEMBERS[@]}"; do stop_chaincode_server "$NAME" "$a" "$old"; done
wait_ready "$NAME"
log "$NAME upgraded to sequence $new in $(($(date +%s) - started))s"
