#!/usr/bin/env bash
# Live test tier: end-to-end scenarios against the real Fabric network.
#   basic        submit, evaluate, commit status, chaincode events, endorsement by a majority,
#                an MVCC conflict (VALID + MVCC_READ_CONFLICT), contract errors (Node Gateway client),
#                on the Node probe chaincode and on the same contract served by our .NET shim
#   roles        role users' certificates carry cashtransfer.role; both shims read it
#   cashtransfer the CashTransfer contract's whole scenario (Node client, then Fabric.Client), and its
#                redemptions/s next to plain writes (printed, not asserted)
#   add-agency   the next agency of agencies.conf joins the running channel and endorses
#   upgrade      each probe chaincode moves to the next sequence, approved by a majority
#   restart      an orderer, a peer, then the whole network restart without losing data
#   verify       cashtransfer verify-ledger: the whole chain from the first member's peer, compared with the others
# Usage: network-test.sh [--fresh] [--skip-if-missing]
#   --fresh            own data folder (.data/fabric-test), new network, removed afterwards
#   --skip-if-missing  without Fabric commands, print why the tier is skipped and exit 0
# Ends with "fabric tier: N passed, N failed, N skipped"; exit status 1 if anything failed.
set -uo pipefail

FRESH=0 SKIP_IF_MISSING=0
for arg in "$@"; do
    case "$arg" in
        --fresh) FRESH=1 ;;
        --skip-if-missing) SKIP_IF_MISSING=1 ;;
        *) echo "usage: network-test.sh [--fresh] [--skip-if-missing]" >&2; exit 2 ;;
    esac
done
SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
if [ "$FRESH" = 1 ]; then
    export FABRIC_DATA="$(cd "$SCRIPTS/../../.." && pwd)/.data/fabric-test"
fi
source "$SCRIPTS/lib/all.sh"

if ! reason="$( (require_fabric) 2>&1 >/dev/null)"; then
    if [ "$SKIP_IF_MISSING" = 1 ]; then
        echo "fabric tier SKIPPED: ${reason#error: }"
        echo "fabric tier: 0 passed, 0 failed, 1 skipped"
        exit 0
    fi
    echo "$reason" >&2
    exit 2
fi
FABRIC_QUIET=1 require_fabric
[ -d "$NODE_INTEROP/node_modules/@hyperledger/fabric-gateway" ] ||
    die "Node packages missing: cd tests/interop/node && npm ci --ignore-scripts"

PASSED=0 FAILED=0 SKIPPED=0
tier_started=$(date +%s)

# scenario AGENCY NAME ARGS...: a Node client scenario; counts its checks.
scenario() {
    local out line
    out="$(node_client "$@" 2>&1)"
    echo "$out" | sed 's/^/    /'
    line="$(echo "$out" | grep -E '^# .*: [0-9]+ passed, [0-9]+ failed' | tail -1)"
    if [ -z "$line" ]; then
        FAILED=$((FAILED + 1))
        echo "not ok - scenario $2 did not run to the end"
        return
    fi
    PASSED=$((PASSED + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
    FAILED=$((FAILED + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
}

# operation DESCRIPTION SCRIPT ARGS...: a network operation is one check; its log goes to the tier's log.
operation() {
    local what="$1" started
    shift
    started=$(date +%s)
    if "$SCRIPTS/$@" >>"$LOG_DIR/network-test.log" 2>&1; then
        PASSED=$((PASSED + 1))
        echo "ok - $what ($(($(date +%s) - started))s)"
    else
        FAILED=$((FAILED + 1))
        echo "not ok - $what: see $LOG_DIR/network-test.log"
        tail -5 "$LOG_DIR/network-test.log" | sed 's/^/    /'
    fi
}

# The xunit live tests, pointed at this network's client profiles; dotnet test's counts join ours.
dotnet_live_tests() {
    local out line
    out="$(CASHTRANSFER_FABRIC_CLIENTS="$CLIENTS_DIR" dotnet test "$LIVE_TESTS" -c Release 2>&1)"
    echo "$out" >>"$LOG_DIR/network-test.log"
    echo "$out" | grep -E '^\s+(Failed|Skipped) |error' | sed 's/^/    /'
    line="$(echo "$out" | grep -E '(Passed|Failed|Skipped)! +- +Failed: ' | tail -1)"
    if [ -z "$line" ]; then
        FAILED=$((FAILED + 1))
        echo "not ok - Fabric.Client live tests did not run: see $LOG_DIR/network-test.log"
        return
    fi
    echo "    $line"
    PASSED=$((PASSED + $(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")))
    FAILED=$((FAILED + $(sed -E 's/.*Failed: *([0-9]+),.*/\1/' <<<"$line")))
    SKIPPED=$((SKIPPED + $(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")))
}

# The CashTransfer redemptions/s on this network, next to plain writes in the same run: printed, not asserted;
# one check that the benchmark ran to the end (every measured receipt committed VALID and accepted).
redemption_benchmark() {
    local out status
    out="$(dotnet run --project "$REPO_ROOT/benchmarks/CashTransfer.Chaincode.Benchmarks" -c Release -- fabric "$CLIENTS_DIR" 2>&1)"
    status=$?
    command_check "$status" "$out" "redemptions/s measured" 'network|/s|retried' "the redemption benchmark failed" 5
}

# command_check STATUS OUTPUT OK FIGURES NOT_OK TAIL: one check from a command's exit status; on success the lines of
# its output that match FIGURES are shown, on failure its last TAIL lines. The whole output goes to the tier's log.
command_check() {
    local status="$1" out="$2" ok="$3" figures="$4" not_ok="$5" tail_lines="$6"
    if [ "$status" -eq 0 ]; then
        PASSED=$((PASSED + 1))
        echo "ok - $ok"
        echo "$out" | grep -E "$figures" | sed 's/^/    /'
    else
        FAILED=$((FAILED + 1))
        echo "not ok - $not_ok: see $LOG_DIR/network-test.log"
        echo "$out" | tail -"$tail_lines" | sed 's/^/    /'
    fi
    echo "$out" >>"$LOG_DIR/network-test.log"
}

# The auditors' verify-ledger (CashTransfer.Cli) against the real peers: every block of the first member's peer
# verified from genesis (config updates, lifecycle approvals and commits, CashTransfer transactions), its rebuilt state
# compared with the contract's queries as that agency's auditor, and every other member's peer compared block by block.
# Exit 2 means it could not run (e.g. a first call past its deadline right after the restart on a busy machine):
# tried up to three times. Exit 1 (findings) fails at once.
verify_ledger() {
    local out members=() a attempt status
    mapfile -t members < <(members)
    local peer="$CLIENTS_DIR/roles/${members[0]}-auditor.json" others=()
    for a in "${members[@]:1}"; do others+=("$CLIENTS_DIR/$a.json"); done
    for attempt in 1 2 3; do
        out="$(NO_COLOR=1 dotnet run --project "$REPO_ROOT/clients/CashTransfer.Cli" -c Release -- verify-ledger --peer "$peer" --compare "${others[@]}" 2>&1)"
        status=$?
        [ "$status" -eq 2 ] && [ "$attempt" -lt 3 ] || break
        echo "    verify-ledger could not run (attempt $attempt): $(echo "$out" | tail -1); trying again in 10 s"
        echo "$out" >>"$LOG_DIR/network-test.log"
        sleep 10
    done
    command_check "$status" "$out" "verify-ledger: ${members[0]}'s peer verifies from its blocks and ${#others[@]} other peers hold the same blocks" \
        'height|blocks verified|transactions verified|state keys|findings|Compared with' "verify-ledger found problems or could not run" 20
}

finish() {
    if [ "$FRESH" = 1 ]; then "$SCRIPTS/network-clean.sh" >/dev/null 2>&1; fi
    echo "fabric tier: $PASSED passed, $FAILED failed, $SKIPPED skipped ($(($(date +%s) - tier_started))s)"
    [ "$FAILED" -eq 0 ]
}

if [ "$FRESH" = 1 ]; then
    "$SCRIPTS/network-clean.sh" >/dev/null 2>&1
    if port_open "$(orderer_port orderer1)"; then
        die "port $(orderer_port orderer1) is in use: another network is running (make network-down first)"
    fi
fi
mkdir -p "$LOG_DIR"

echo "# network up"
operation "network up and ready" network-up.sh
[ "$FAILED" -eq 0 ] || { finish; exit 1; }
mapfile -t MEMBERS < <(members)
FIRST="${MEMBERS[0]}"

echo "# basic scenarios through the Node Gateway client, Node chaincode"
scenario "$FIRST" scenario basic
scenario "${MEMBERS[-1]}" scenario basic
echo "# role users (certificates with a cashtransfer.role attribute)"
scenario "$FIRST" scenario roles
if [ "${FABRIC_DOTNET_PROBE:-1}" = 1 ]; then
    echo "# the same scenarios on our .NET shim (probe-dotnet chaincode)"
    PROBE_CHAINCODE=probe-dotnet scenario "$FIRST" scenario basic
    PROBE_CHAINCODE=probe-dotnet scenario "$FIRST" scenario roles
fi

echo "# the CashTransfer contract (C#) through the Node Gateway client"
if has_cashtransfer_chaincode; then
    scenario "$FIRST" scenario cashtransfer
else
    SKIPPED=$((SKIPPED + 1))
    echo "skip - CashTransfer scenarios: chaincode/CashTransfer.Chaincode is not in this tree"
fi

echo "# our .NET Gateway client (Fabric.Client) on both probes: tests/Fabric.Network.LiveTests"
LIVE_TESTS="$REPO_ROOT/tests/Fabric.Network.LiveTests/Fabric.Network.LiveTests.csproj"
if [ -f "$LIVE_TESTS" ]; then
    dotnet_live_tests
else
    SKIPPED=$((SKIPPED + 1))
    echo "skip - Fabric.Client live tests: $LIVE_TESTS is not in this tree"
fi

echo "# CashTransfer redemptions/s on the real network (benchmarks/CashTransfer.Chaincode.Benchmarks)"
if has_cashtransfer_chaincode && [ -f "$REPO_ROOT/benchmarks/CashTransfer.Chaincode.Benchmarks/CashTransfer.Chaincode.Benchmarks.csproj" ]; then
    redemption_benchmark
else
    SKIPPED=$((SKIPPED + 1))
    echo "skip - redemption benchmark: the chaincode or benchmarks/CashTransfer.Chaincode.Benchmarks is not in this tree"
fi

echo "# add an agency to the running channel"
NEXT="$(all_agencies | grep -vxF -f "$MEMBERS_FILE" | head -1)"
if [ -z "$NEXT" ]; then
    SKIPPED=$((SKIPPED + 1))
    echo "skip - add-agency: every agency of agencies.conf is already a member (use --fresh)"
else
    key="before-$NEXT-joined-$(date +%s)"
    scenario "$FIRST" scenario write "$key" "$key"
    operation "add agency $NEXT (config update signed by a majority)" add-agency.sh "$NEXT"
    scenario "$NEXT" scenario joined "$key" "$key"
fi

echo "# upgrade the chaincode"
probes=(probe)
if [ "${FABRIC_DOTNET_PROBE:-1}" = 1 ]; then probes+=(probe-dotnet); fi
for cc in "${probes[@]}"; do
    next_seq=$(($(committed_sequence "$cc") + 1))
    operation "upgrade $cc to sequence $next_seq (approved by a majority)" upgrade-chaincode.sh "$cc"
    PROBE_CHAINCODE="$cc" scenario "$FIRST" scenario release "${cc}_$next_seq"
done

echo "# restarts keep the data"
key="before-restart-$(date +%s)"
scenario "$FIRST" scenario write "$key" "$key"
operation "restart orderer2" restart-node.sh orderer2
operation "restart the peer of $FIRST" restart-node.sh "$FIRST"
scenario "$FIRST" scenario survived "$key" "$key"
operation "stop the whole network" network-down.sh
operation "start it again on its data" network-up.sh
scenario "$(members | tail -1)" scenario survived "$key" "$key"

echo "# the whole ledger verified by the auditors' tool (cashtransfer verify-ledger), after joins, upgrades and restarts"
if has_cashtransfer_chaincode && [ -f "$REPO_ROOT/clients/CashTransfer.Cli/CashTransfer.Cli.csproj" ]; then
    verify_ledger
else
    SKIPPED=$((SKIPPED + 1))
    echo "skip - verify-ledger: the chaincode or clients/CashTransfer.Cli is not in this tree"
fi

finish
