#!/usr/bin/env bash
# Adds an agency to the running channel:
#   1. crypto material for the agency (cryptogen, from agencies.conf)
#   2. channel config update adding its organisation (configtxlator compute_update), signed by the
#      admins of a majority of the current agencies (the channel's Admins policy), submitted
#   3. its peer starts, joins the channel from block 0 and catches up
#   4. it installs the committed chaincodes, starts its chaincode servers and approves them
# Usage: add-agency.sh NAME    (NAME must be a line of agencies.conf). Safe to re-run.
set -euo pipefail
source "$(dirname "$0")/lib/all.sh"

NEW="${1:-}"
[ -n "$NEW" ] || die "usage: add-agency.sh NAME (an agency listed in $FABRIC_DIR/agencies.conf)"
require_fabric
agency_index "$NEW" >/dev/null
mapfile -t CURRENT < <(members)
started=$(date +%s)

in_channel_config() {
    local cfg="$CONFIG_DIR/update-$NEW/current.block"
    mkdir -p "$(dirname "$cfg")"
    (as_admin "${CURRENT[0]}" && peer channel fetch config "$cfg" -c "$CHANNEL" $(orderer_flags) 2>>"$LOG_DIR/peer-cli.log")
    local decoded
    decoded="$(configtxlator proto_decode --input "$cfg" --type common.Block)"
    grep -q "\"$(msp_id "$NEW")\"" <<<"$decoded"
}

ensure_crypto "$NEW"

if printf '%s\n' "${CURRENT[@]}" | grep -qx "$NEW" || in_channel_config; then
    log "$NEW is already in channel $CHANNEL's configuration"
else
    work="$CONFIG_DIR/update-$NEW"
    write_configtx "${CURRENT[@]}" >/dev/null
    configtxgen -configPath "$CONFIG_DIR" -printOrg "$(msp_id "$NEW")" >"$work/org.json" 2>>"$LOG_DIR/configtxgen.log"
    configtxlator proto_decode --input "$work/current.block" --type common.Block --output "$work/current-block.json"
    node "$FABRIC_DIR/scripts/lib/config-json.js" extract-config "$work/current-block.json" "$work/current.json"
    node "$FABRIC_DIR/scripts/lib/config-json.js" add-org "$work/current.json" "$(msp_id "$NEW")" "$work/org.json" "$work/wanted.json"
    configtxlator proto_encode --input "$work/current.json" --type common.Config --output "$work/current.pb"
    configtxlator proto_encode --input "$work/wanted.json" --type common.Config --output "$work/wanted.pb"
    configtxlator compute_update --channel_id "$CHANNEL" --original "$work/current.pb" --updated "$work/wanted.pb" \
        --output "$work/update.pb"
    configtxlator proto_decode --input "$work/update.pb" --type common.ConfigUpdate --output "$work/update.json"
    node "$FABRIC_DIR/scripts/lib/config-json.js" wrap-update "$work/update.json" "$CHANNEL" "$work/envelope.json"
    configtxlator proto_encode --input "$work/envelope.json" --type common.Envelope --output "$work/envelope.pb"

    # A majority of the current agencies' admins sign; the last one's signature comes with the submit.
    needed=$((${#CURRENT[@]} / 2 + 1))
    signers=("${CURRENT[@]:0:$needed}")
    for a in "${signers[@]:0:$((needed - 1))}"; do
        (as_admin "$a" && peer channel signconfigtx -f "$work/envelope.pb" 2>>"$LOG_DIR/peer-cli.log")
        log "$a's admin signed the update adding $NEW"
    done
    submitter="${signers[$((needed - 1))]}"
    # shellcheck disable=SC2046
    (as_admin "$submitter" && peer channel update -f "$work/envelope.pb" -c "$CHANNEL" $(orderer_flags) 2>>"$LOG_DIR/peer-cli.log")
    log "$submitter's admin signed and submitted: $NEW is in channel $CHANNEL ($needed of ${#CURRENT[@]} agencies signed)"
fi

write_peer_config "$NEW"
start_peer "$NEW"
wait_peer_up "$NEW"
join_peer "$NEW"
write_client_profile "$NEW"
issue_role_users "$NEW"
grep -qx "$NEW" "$MEMBERS_FILE" || echo "$NEW" >>"$MEMBERS_FILE"

# The peer must have the committed chaincode definitions' blocks before it can approve them.
caught_up() { [ "$(peer_height "$NEW")" -ge "$(peer_height "${CURRENT[0]}")" ]; }
wait_for 120 "$(peer_name "$NEW") caught up" caught_up
for cc in probe probe-dotnet cashtransfer; do
    seq="$(committed_sequence "$cc")"
    [ "$seq" -ge 1 ] || continue
    install_chaincode "$cc" "$NEW" "$seq"
    start_chaincode_server "$cc" "$NEW" "$seq"
    wait_chaincode_server "$cc" "$NEW" "$seq"
    approve_chaincode "$cc" "$NEW" "$seq"
done

wait_gossip
wait_ready probe
log "$NEW joined in $(($(date +%s) - started))s; channel members: $(members | tr '\n' ' ')"
