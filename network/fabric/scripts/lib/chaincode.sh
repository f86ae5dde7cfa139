# Chaincode as a service: each agency runs its own chaincode server (its own TLS certificate,
# mutual TLS with its peer) and installs its own CCaaS package pointing at it. The lifecycle
# (install, approve, commit) runs through the peer CLI. Sourced after common.sh and channel.sh.
#
# Chaincodes known here:
#   probe         Node contract (tests/interop/node/fabric-network/probe) that checks the network
#   probe-dotnet  the same contract on our .NET shim (network/fabric/probe-dotnet)
#   cashtransfer  the C# CashTransfer contract (chaincode/CashTransfer.Chaincode), when it exists

NODE_INTEROP="$REPO_ROOT/tests/interop/node"
DOTNET_PROBE="$FABRIC_DIR/probe-dotnet"
DOTNET_PROBE_DLL="$DOTNET_PROBE/bin/Release/net10.0/Fabric.Probe.Chaincode.dll"
CASHTRANSFER_CC="$REPO_ROOT/chaincode/CashTransfer.Chaincode"
CASHTRANSFER_CC_DLL="$CASHTRANSFER_CC/bin/Release/net10.0/CashTransfer.Chaincode.dll"

chaincode_slot() {
    case "$1" in
        probe) echo 0 ;;
        probe-dotnet) echo 2 ;;
        cashtransfer) echo 4 ;;
        *) die "unknown chaincode '$1' (known: probe, probe-dotnet, cashtransfer)" ;;
    esac
}

# ensure_dotnet_built PROJECT_DIR DLL: builds a .NET chaincode server when its DLL is missing or older
# than its sources, the shim's or the shared wire contract's (a minute or more on a busy machine).
ensure_dotnet_built() {
    local dir="$1" dll="$2" newer=""
    if [ -f "$dll" ]; then
        newer="$(find "$dir" "$REPO_ROOT/chaincode/Fabric.Shim" "$REPO_ROOT/chaincode/CashTransfer.Contracts" "$REPO_ROOT/network/Fabric.Grpc" \
            "$REPO_ROOT/network/Fabric.Protocol" \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) \
            -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/node_modules/*' -newer "$dll" -print -quit)"
        [ -z "$newer" ] && return 0
    fi
    command -v dotnet >/dev/null 2>&1 || die "dotnet not found (needed for $(basename "$dir"))"
    log "building $(basename "$dir") (log $LOG_DIR/dotnet-build.log)"
    dotnet build "$dir" -c Release >"$LOG_DIR/dotnet-build.log" 2>&1 ||
        die "$(basename "$dir") did not build: see $LOG_DIR/dotnet-build.log"
}
ensure_dotnet_probe() { ensure_dotnet_built "$DOTNET_PROBE" "$DOTNET_PROBE_DLL"; }

# The CashTransfer contract is deployed when its project is in the tree.
has_cashtransfer_chaincode() { [ -f "$CASHTRANSFER_CC/CashTransfer.Chaincode.csproj" ]; }
ensure_cashtransfer_chaincode() { ensure_dotnet_built "$CASHTRANSFER_CC" "$CASHTRANSFER_CC_DLL"; }

# A new sequence gets the other of the chaincode's two ports, so that the old server keeps
# serving until the new definition is committed.
chaincode_server_port() { chaincode_port "$2" $(($(chaincode_slot "$1") + $3 % 2)); }

cc_state_dir() { echo "$CHAINCODE_DIR/$1/$2/seq$3"; }
cc_server_name() { echo "cc-$1-$3.$(org_domain "$2")"; }

# package_chaincode NAME AGENCY SEQUENCE: CCaaS package for the agency's chaincode server, written
# by the project's chaincode/package-ccaas.sh. connection.json says where the peer dials and the TLS
# material for that link: the peer checks the server against root_cert (the agency's TLS CA) and
# presents client_cert (its own TLS certificate), which the server checks against the same CA.
package_chaincode() {
    local name="$1" a="$2" seq="$3" dir peer_tls
    dir="$(cc_state_dir "$name" "$a" "$seq")"
    if [ -f "$dir/package.tar.gz" ]; then echo "$dir/package.tar.gz"; return 0; fi
    mkdir -p "$dir"
    peer_tls="$(peer_dir "$a")/tls"
    "$REPO_ROOT/chaincode/package-ccaas.sh" --label "${name}_$seq" \
        --address "$HOST:$(chaincode_server_port "$name" "$a" "$seq")" --dial-timeout 10s \
        --tls --root-cert "$(org_tls_ca "$a")" \
        --client-auth --client-cert "$peer_tls/server.crt" --client-key "$peer_tls/server.key" \
        --output "$dir" >/dev/null
    mv "$dir/${name}_$seq.tar.gz" "$dir/package.tar.gz"
    echo "$dir/package.tar.gz"
}

# install_chaincode NAME AGENCY SEQUENCE: installs on the agency's peer; records the package id.
install_chaincode() {
    local name="$1" a="$2" seq="$3" pkg id dir installed
    pkg="$(package_chaincode "$name" "$a" "$seq")"
    dir="$(dirname "$pkg")"
    (
        as_admin "$a"
        id="$(peer lifecycle chaincode calculatepackageid "$pkg")"
        # Read the whole answer first: with pipefail, grep -q stopping early would fail the pipe.
        installed="$(peer lifecycle chaincode queryinstalled 2>/dev/null)" || installed=""
        if ! grep -qF "$id" <<<"$installed"; then
            peer lifecycle chaincode install "$pkg" 2>>"$LOG_DIR/peer-cli.log"
            log "installed $id on $(peer_name "$a")"
        fi
        echo "$id" >"$dir/package-id"
    )
}

package_id() { cat "$(cc_state_dir "$1" "$2" "$3")/package-id"; }

# start_chaincode_server NAME AGENCY SEQUENCE: the agency's server for that sequence, mutual TLS.
start_chaincode_server() {
    local name="$1" a="$2" seq="$3" tls id port
    tls="$(org_dir "$a")/peers/chaincode.$(org_domain "$a")/tls"
    id="$(package_id "$name" "$a" "$seq")"
    port="$(chaincode_server_port "$name" "$a" "$seq")"
    case "$name" in
        probe)
            [ -d "$NODE_INTEROP/node_modules/fabric-shim" ] ||
                die "Node packages missing: cd tests/interop/node && npm ci --ignore-scripts"
            PROBE_RELEASE="${name}_$seq" start_process "$(cc_server_name "$name" "$a" "$seq")" \
                "$NODE_INTEROP/fabric-network/probe" \
                node "$NODE_INTEROP/node_modules/fabric-shim/cli.js" server \
                --chaincode-address "$HOST:$port" --chaincode-id "$id" \
                --chaincode-tls-cert-file "$tls/server.crt" --chaincode-tls-key-file "$tls/server.key" \
                --chaincode-tls-client-cacert-file "$(org_tls_ca "$a")" \
                --module-path "$NODE_INTEROP/fabric-network/probe"
            ;;
        probe-dotnet)
            # Fabric.Shim reads the same settings as Fabric's own shims (CHAINCODE_*).
            PROBE_RELEASE="${name}_$seq" CHAINCODE_SERVER_ADDRESS="$HOST:$port" CHAINCODE_ID="$id" \
            CHAINCODE_TLS_CERT="$tls/server.crt" CHAINCODE_TLS_KEY="$tls/server.key" \
            CHAINCODE_CLIENT_CA_CERT="$(org_tls_ca "$a")" \
                start_process "$(cc_server_name "$name" "$a" "$seq")" "$DOTNET_PROBE" dotnet "$DOTNET_PROBE_DLL"
            ;;
        cashtransfer)
            CHAINCODE_SERVER_ADDRESS="$HOST:$port" CHAINCODE_ID="$id" \
            CHAINCODE_TLS_CERT="$tls/server.crt" CHAINCODE_TLS_KEY="$tls/server.key" \
            CHAINCODE_CLIENT_CA_CERT="$(org_tls_ca "$a")" \
                start_process "$(cc_server_name "$name" "$a" "$seq")" "$CASHTRANSFER_CC" dotnet "$CASHTRANSFER_CC_DLL"
            ;;
        *) die "no server command for chaincode '$name' yet" ;;
    esac
}

wait_chaincode_server() {
    wait_for 90 "$(cc_server_name "$1" "$2" "$3") listening" port_open "$(chaincode_server_port "$1" "$2" "$3")"
}

stop_chaincode_server() { stop_process "$(cc_server_name "$1" "$2" "$3")"; }

committed_sequence() {
    local out
    # Fails while nothing is committed: that is sequence 0.
    out="$(as_admin "$(members | head -1)" && peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$1" -O json 2>/dev/null)" || out=""
    node -e 'try { console.log(JSON.parse(process.argv[1]).sequence || 0) } catch { console.log(0) }' "$out"
}

approved() {
    (as_admin "$2" && peer lifecycle chaincode queryapproved -C "$CHANNEL" -n "$1" --sequence "$3" >/dev/null 2>&1)
}

# approve_chaincode NAME AGENCY SEQUENCE: the agency approves the definition with its own package.
# No --signature-policy: the channel's /Channel/Application/Endorsement (a majority) applies.
approve_chaincode() {
    local name="$1" a="$2" seq="$3"
    approved "$name" "$a" "$seq" && return 0
    (
        as_admin "$a"
        # shellcheck disable=SC2046
        peer lifecycle chaincode approveformyorg -C "$CHANNEL" -n "$name" --version "$seq" \
            --sequence "$seq" --package-id "$(package_id "$name" "$a" "$seq")" \
            $(orderer_flags) --waitForEvent 2>>"$LOG_DIR/peer-cli.log"
    )
    log "$a approved $name sequence $seq"
}

# commit_chaincode NAME SEQUENCE AGENCY...: commits, endorsed by the given agencies' peers.
commit_chaincode() {
    local name="$1" seq="$2" a flags=()
    shift 2
    [ "$(committed_sequence "$name")" -ge "$seq" ] && return 0
    for a in "$@"; do
        flags+=(--peerAddresses "$HOST:$(peer_port "$a")" --tlsRootCertFiles "$(org_tls_ca "$a")")
    done
    (
        as_admin "$1"
        # shellcheck disable=SC2046
        peer lifecycle chaincode commit -C "$CHANNEL" -n "$name" --version "$seq" --sequence "$seq" \
            $(orderer_flags) "${flags[@]}" --waitForEvent 2>>"$LOG_DIR/peer-cli.log"
    )
    log "committed $name sequence $seq"
}

# deploy_chaincode NAME AGENCY...: first deployment (sequence 1) approved by every given agency;
# on a network that already has it, (re)starts the servers of the committed sequence.
deploy_chaincode() {
    local name="$1" seq a
    shift
    seq="$(committed_sequence "$name")"
    [ "$seq" -ge 1 ] || seq=1
    for a in "$@"; do
        install_chaincode "$name" "$a" "$seq"
        start_chaincode_server "$name" "$a" "$seq"
    done
    for a in "$@"; do wait_chaincode_server "$name" "$a" "$seq"; done
    for a in "$@"; do approve_chaincode "$name" "$a" "$seq"; done
    commit_chaincode "$name" "$seq" "$@"
}

# Sequences of a chaincode whose servers this machine runs for an agency (from the state folder).
local_sequences() {
    local d
    for d in "$CHAINCODE_DIR/$1/$2"/seq*; do [ -f "$d/package-id" ] && basename "$d" | sed 's/^seq//'; done
}
