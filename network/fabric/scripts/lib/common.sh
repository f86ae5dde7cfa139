# Shared definitions for the network scripts: paths, agencies, ports, Fabric commands, processes.
# Sourced, never run. Everything binds to 127.0.0.1.

FABRIC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPO_ROOT="$(cd "$FABRIC_DIR/../.." && pwd)"
DATA_DIR="${FABRIC_DATA:-$REPO_ROOT/.data/fabric}"
CRYPTO_DIR="$DATA_DIR/crypto"
CONFIG_DIR="$DATA_DIR/config"
NODES_DIR="$DATA_DIR/nodes"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
CHAINCODE_DIR="$DATA_DIR/chaincode"
# Channel members, one agency name a line: written by network-up, extended by add-agency.
MEMBERS_FILE="$DATA_DIR/members"

CHANNEL="${FABRIC_CHANNEL:-cashtransfer}"
DOMAIN="cashtransfer.local"
ORDERER_ORG="Orderer"
ORDERER_MSP="OrdererMSP"
ORDERER_DOMAIN="orderer.$DOMAIN"
ORDERERS=(orderer1 orderer2 orderer3)
HOST=127.0.0.1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# --- Fabric commands -------------------------------------------------------------------------

# Puts FABRIC_BIN (if set) first on PATH and checks that every command we need is there.
require_fabric() {
    if [ -n "${FABRIC_BIN:-}" ]; then
        [ -d "$FABRIC_BIN" ] || die "FABRIC_BIN=$FABRIC_BIN is not a folder: set it to the bin/ folder of a Fabric 2.5 release"
        FABRIC_BIN="$(cd "$FABRIC_BIN" && pwd)"
        export PATH="$FABRIC_BIN:$PATH"
    fi
    local cmd missing=()
    for cmd in peer orderer configtxgen cryptogen osnadmin configtxlator; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        die "Fabric 2.5 commands not found (${missing[*]}): set FABRIC_BIN to the bin/ folder of a Fabric 2.5 release"
    fi
    local version
    version="$(peer version 2>/dev/null | sed -n 's/^ *Version: *//p')" || version=""
    version="${version%%$'\n'*}"
    case "$version" in
        2.5.*) ;;
        # A build from source without release flags reports "latest"; trust the caller.
        latest) [ -n "${FABRIC_QUIET:-}" ] || log "peer is a development build (version 'latest'); assuming Fabric 2.5" ;;
        *) die "peer reports version '$version'; these scripts target Fabric 2.5" ;;
    esac
    command -v node >/dev/null 2>&1 || die "node not found (the chaincode package and test client use it)"
}

# --- agencies ----------------------------------------------------------------------------------

# All agencies of agencies.conf in file order, "name joins" per line.
agency_lines() { grep -Ev '^\s*(#|$)' "$FABRIC_DIR/agencies.conf" | awk '{print $1, $2}'; }
all_agencies() { agency_lines | awk '{print $1}'; }

# Agencies that form the channel at network-up (FABRIC_AGENCIES limits how many).
genesis_agencies() {
    local n="${FABRIC_AGENCIES:-0}"
    agency_lines | awk -v n="$n" '$2 == "genesis" { c++; if (n == 0 || c <= n) print $1 }'
}

# Current channel members (after network-up).
members() {
    [ -f "$MEMBERS_FILE" ] || die "no network here ($MEMBERS_FILE missing): run network-up first"
    cat "$MEMBERS_FILE"
}

agency_index() {
    local i
    i="$(all_agencies | awk -v a="$1" '$1 == a { print NR }')"
    [ -n "$i" ] || die "agency '$1' is not in $FABRIC_DIR/agencies.conf"
    [ "$i" -le 8 ] || die "agency '$1' is on line $i of the agencies; at most 8 fit the port plan"
    echo "$i"
}
msp_id() { echo "${1}MSP"; }
org_domain() { echo "$(echo "$1" | tr '[:upper:]' '[:lower:]').$DOMAIN"; }
peer_name() { echo "peer0.$(org_domain "$1")"; }
port_base() { echo $((17000 + 100 * ($(agency_index "$1") + 1))); }
peer_port() { echo $(($(port_base "$1") + 51)); }
peer_cc_port() { echo $(($(port_base "$1") + 52)); }
peer_ops_port() { echo $(($(port_base "$1") + 53)); }
# Chaincode servers: slot 0 = the probe chaincode, slot 1 = the CashTransfer chaincode.
chaincode_port() { echo $(($(port_base "$1") + 54 + $2)); }

org_dir() { echo "$CRYPTO_DIR/peerOrganizations/$(org_domain "$1")"; }
peer_dir() { echo "$(org_dir "$1")/peers/$(peer_name "$1")"; }
admin_msp() { echo "$(org_dir "$1")/users/Admin@$(org_domain "$1")/msp"; }
org_tls_ca() { echo "$(org_dir "$1")/tlsca/tlsca.$(org_domain "$1")-cert.pem"; }

# --- orderers ----------------------------------------------------------------------------------

orderer_index() { case "$1" in orderer1) echo 1 ;; orderer2) echo 2 ;; orderer3) echo 3 ;; *) die "unknown orderer $1" ;; esac; }
orderer_port() { echo $((17040 + 10 * $(orderer_index "$1"))); }
orderer_admin_port() { echo $(($(orderer_port "$1") + 3)); }
orderer_ops_port() { echo $(($(orderer_port "$1") + 4)); }
orderer_org_dir() { echo "$CRYPTO_DIR/ordererOrganizations/$ORDERER_DOMAIN"; }
orderer_dir() { echo "$(orderer_org_dir)/orderers/$1.$ORDERER_DOMAIN"; }
orderer_tls_ca() { echo "$(orderer_org_dir)/tlsca/tlsca.$ORDERER_DOMAIN-cert.pem"; }
orderer_admin_tls() { echo "$(orderer_org_dir)/users/Admin@$ORDERER_DOMAIN/tls"; }

# --- acting as an agency's admin through the peer CLI ----------------------------------------

# Sets the environment the peer CLI needs to act as the admin of agency $1 against its peer.
as_admin() {
    local a="$1"
    export FABRIC_CFG_PATH="$NODES_DIR/$(peer_name "$a")"
    export CORE_PEER_LOCALMSPID="$(msp_id "$a")"
    export CORE_PEER_MSPCONFIGPATH="$(admin_msp "$a")"
    export CORE_PEER_ADDRESS="$HOST:$(peer_port "$a")"
    export CORE_PEER_TLS_ENABLED=true
    export CORE_PEER_TLS_ROOTCERT_FILE="$(org_tls_ca "$a")"
}

# Flags that reach the orderer with TLS from the peer CLI.
orderer_flags() {
    echo "-o $HOST:$(orderer_port orderer1) --tls --cafile $(orderer_tls_ca)"
}

# --- processes ---------------------------------------------------------------------------------

pid_file() { echo "$RUN_DIR/$1.pid"; }
# The command a recorded pid was started with (argv[0]), so that a pid the system has since given to another
# process is never signalled.
command_file() { echo "$RUN_DIR/$1.cmd"; }
# is_ours NAME PID: PID is alive and still runs the command NAME was started with (/proc/PID/cmdline).
is_ours() {
    local expected actual
    kill -0 "$2" 2>/dev/null || return 1
    [ -f "$(command_file "$1")" ] || return 1
    expected="$(cat "$(command_file "$1")")"
    actual="$(tr '\0' '\n' <"/proc/$2/cmdline" 2>/dev/null | head -n 1)"
    [ -n "$actual" ] && [ "$actual" = "$expected" ]
}
is_running() {
    local f
    f="$(pid_file "$1")"
    [ -f "$f" ] || return 1
    is_ours "$1" "$(cat "$f")"
}

# start_process NAME DIR COMMAND...: runs COMMAND in DIR in its own session, output to logs/NAME.log.
start_process() {
    local name="$1" dir="$2"
    shift 2
    mkdir -p "$LOG_DIR" "$RUN_DIR"
    if is_running "$name"; then
        log "$name already running (pid $(cat "$(pid_file "$name")"))"
        return 0
    fi
    (cd "$dir" && exec setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null) &
    echo $! >"$(pid_file "$name")"
    printf '%s\n' "$1" >"$(command_file "$name")"
    log "started $name (pid $!, log $LOG_DIR/$name.log)"
}

# stop_process NAME: TERM, then KILL after 10 s; only the pid we recorded, and only while it still runs our command.
stop_process() {
    local name="$1" f pid i
    f="$(pid_file "$name")"
    [ -f "$f" ] || return 0
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null && ! is_ours "$name" "$pid"; then
        log "pid $pid of $name now belongs to another process; not stopping it"
    elif kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name did not stop on TERM; killing"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        log "stopped $name"
    fi
    rm -f "$f" "$(command_file "$name")"
}

# wait_for TIMEOUT_SECONDS DESCRIPTION COMMAND...: retries COMMAND each second until it succeeds.
wait_for() {
    local timeout="$1" what="$2" start
    shift 2
    start=$(date +%s)
    until "$@" >/dev/null 2>&1; do
        if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
            log "gave up waiting for $what after ${timeout}s"
            return 1
        fi
        sleep 1
    done
    log "$what after $(($(date +%s) - start))s"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
