# CashTransfer: two commands on a fresh machine, `make run` and `make test`.
# Every target installs what it needs; nothing is expected to be on the machine but the .NET SDK,
# Node/npm and Debian's package manager.

SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
SOLUTION := CashTransfer.sln
NPM_CI := npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
# Node packages used as real counterparts in interop tests (official Fabric and gRPC packages).
INTEROP_NODE := tests/interop/node
# The gateway's web console: browser libraries (chart.js) restored from npm; Chromium for its browser tests.
WEB_CONSOLE := clients/CashTransfer.Gateway/WebConsole
CHROMIUM := /usr/bin/chromium

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all deps build test run demo reset bench chaincode-package clean network-up network-down network-clean network-test embedded-network embedded-network-reset postgres-test-up postgres-test-down gateway-test

all: build

## deps: restore NuGet and npm packages (lock files committed)
deps: network/Fabric.Protocol/node_modules/.package-lock.json $(INTEROP_NODE)/node_modules/.package-lock.json $(WEB_CONSOLE)/node_modules/.package-lock.json
	$(DOTNET) restore $(SOLUTION)

network/Fabric.Protocol/node_modules/.package-lock.json: network/Fabric.Protocol/package-lock.json
	cd network/Fabric.Protocol && $(NPM_CI)

$(INTEROP_NODE)/node_modules/.package-lock.json: $(INTEROP_NODE)/package-lock.json
	cd $(INTEROP_NODE) && $(NPM_CI)

$(WEB_CONSOLE)/node_modules/.package-lock.json: $(WEB_CONSOLE)/package-lock.json
	cd $(WEB_CONSOLE) && $(NPM_CI)

## chromium: Debian's Chromium for the web console's browser tests (Playwright drives it by its path; it cannot download browsers here)
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi

## build: compile everything
build: deps
	$(DOTNET) build $(SOLUTION) -c $(CONFIGURATION) --no-restore

## test: test projects one after another (-m:1: several end-to-end assemblies each start networks; on 2 cores they only
## slow each other down); storage tests also against a throwaway PostgreSQL; then the live Fabric tier when FABRIC_BIN is set; ends with one summary line
test: build $(CHROMIUM)
	@set -o pipefail; log=$$(mktemp); \
	if build/postgres-test.sh up; then export CASHTRANSFER_TEST_POSTGRES="$$(cat .data/postgres-test/connection-string)"; \
	else echo "PostgreSQL could not be started: its storage tests will say they skipped"; fi; \
	$(DOTNET) test $(SOLUTION) -c $(CONFIGURATION) --no-build -m:1 2>&1 | tee $$log; status=$$?; \
	build/postgres-test.sh down || true; \
	if [ -n "$${FABRIC_BIN:-}" ]; then $(FABRIC_SCRIPTS)/network-test.sh --fresh 2>&1 | tee -a $$log || status=1; \
	else echo "fabric tier SKIPPED: FABRIC_BIN is not set (the live tier needs the Fabric 2.5 commands; see network/fabric/README.md)"; fi; \
	build/test-summary.sh $$log; summary=$$?; rm -f $$log; \
	[ $$status -eq 0 ] && [ $$summary -eq 0 ]

## run: the main job on the embedded default: chaincode + three-agency embedded network + gateway service (seeded
## with the demo agency set, http://127.0.0.1:5080/) + demo scenario, then serve until Ctrl+C (RUN_ARGS=--once exits)
DATA ?= .data
run: build
	@echo "Running: the CashTransfer chaincode (chaincode-as-a-service), an embedded Fabric network of three agencies and the"
	@echo "gateway service, then the demo scenario through the Fabric Gateway client. Data in $(DATA)/; 'make reset' starts afresh."
	$(DOTNET) run --project clients/CashTransfer.Cli -c $(CONFIGURATION) --no-build -- up --data $(DATA) $(RUN_ARGS)

## demo: simulated POS terminals (online, offline then syncing) drive the gateway that `make run` serves, or a stack
## started for the run; ends with the ledger's invariants, PASS/FAIL each, and a non-zero exit if one fails
demo: build
	$(DOTNET) run --project clients/CashTransfer.Cli -c $(CONFIGURATION) --no-build -- demo --data $(DATA) $(DEMO_ARGS)

## reset: delete the local network's ledger and crypto material, the gateway's database and the demo agency set
reset: build
	$(DOTNET) run --project clients/CashTransfer.Cli -c $(CONFIGURATION) --no-build -- reset --data $(DATA)

## chaincode-package: the Fabric ccaas package for the chaincode server (label, address and TLS from the CC_* variables)
CC_LABEL ?= cashtransfer_1.0
CC_ADDRESS ?= 127.0.0.1:9999
CC_DIAL_TIMEOUT ?= 10s
CC_TLS ?= false
CC_CLIENT_AUTH ?= false
CC_ROOT_CERT ?=
CC_CLIENT_CERT ?=
CC_CLIENT_KEY ?=
CC_PACKAGE_DIR ?= artifacts/chaincode
chaincode-package:
	chaincode/package-ccaas.sh --label "$(CC_LABEL)" --address "$(CC_ADDRESS)" --dial-timeout "$(CC_DIAL_TIMEOUT)" \
	  $(if $(filter true,$(CC_TLS)),--tls --root-cert "$(CC_ROOT_CERT)") \
	  $(if $(filter true,$(CC_CLIENT_AUTH)),--client-auth --client-cert "$(CC_CLIENT_CERT)" --client-key "$(CC_CLIENT_KEY)") \
	  --output "$(CC_PACKAGE_DIR)"

## chaos: the fault suite: 20 terminals sync a 10,000-receipt offline backlog through the POS SDK while each of 20 rounds
## SIGKILLs the gateway service, the embedded network, the chaincode server or all of them (separate processes,
## restarted on the same data), with a key rotation and a suspension in the middle; ends with the ledger's invariants
## and every journal against the ledger (0 lost, 0 doubled, every acknowledged receipt decided). A short version runs
## in `make test` (tests/CashTransfer.Chaos.Tests). CHAOS_ARGS=--short, --terminals N, --receipts N, --rounds N, --keep-data
.PHONY: chaos fuzz
chaos: build
	$(DOTNET) run --project tests/CashTransfer.Chaos -c $(CONFIGURATION) --no-build -- chaos $(CHAOS_ARGS)

## fuzz: 10^6 mutated protobuf messages at an embedded peer's Gateway and Deliver services and at the chaincode server,
## 10^5 mutated REST requests (signed, unsigned, forged; JSON bodies, headers, CSV uploads) at the gateway service;
## counts, error log entries and memory printed; non-zero exit on a crash, an unhandled error or unbounded memory.
## FUZZ_ARGS=--short, --grpc N, --rest N, --seed N, --keep-data
fuzz: build
	$(DOTNET) run --project tests/CashTransfer.Chaos -c $(CONFIGURATION) --no-build -- fuzz $(FUZZ_ARGS)

## bench: each prints ratios against a reference measured in the same run: transport vs @grpc/grpc-js, client vs @hyperledger/fabric-gateway, shim vs fabric-shim, submits/s vs the crypto ceiling, redemptions/s vs plain writes, gateway receipts/s vs direct, entitlement upload rows/s vs plain writes (figures: each benchmark's README.md)
bench: deps
	$(DOTNET) run --project benchmarks/Fabric.Grpc.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/Fabric.Network.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/CashTransfer.Chaincode.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/CashTransfer.Gateway.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/Fabric.Client.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/Fabric.Shim.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/CashTransfer.Reconciliation.Benchmarks -c $(CONFIGURATION)
	$(DOTNET) run --project benchmarks/CashTransfer.Issuance.Benchmarks -c $(CONFIGURATION)

## bench-issuance: 10^6 entitlement rows uploaded to the gateway service and issued on the embedded network, with a progress
## line, the service's peak memory and the ratio to plain writes measured in the same run (`make bench` runs 20,000 rows)
.PHONY: bench-issuance
bench-issuance: deps
	$(DOTNET) run --project benchmarks/CashTransfer.Issuance.Benchmarks -c $(CONFIGURATION) -- 1000000

## network-*: a real Fabric 2.5 network on 127.0.0.1 (network/fabric/README.md); needs the Fabric
## commands on PATH or in FABRIC_BIN. network-test brings the network up if needed and runs the
## live tier against it.
FABRIC_SCRIPTS := network/fabric/scripts

network-up: $(INTEROP_NODE)/node_modules/.package-lock.json
	$(FABRIC_SCRIPTS)/network-up.sh

network-down:
	$(FABRIC_SCRIPTS)/network-down.sh

network-clean:
	$(FABRIC_SCRIPTS)/network-clean.sh

network-test: $(INTEROP_NODE)/node_modules/.package-lock.json
	$(FABRIC_SCRIPTS)/network-test.sh

## embedded-network: the embedded Fabric network alone (three agency peers on 7051/7151/7251, data in .data/network)
embedded-network: build
	$(DOTNET) run --project network/Fabric.Network.Host -c $(CONFIGURATION) --no-build -- --data .data/network

## embedded-network-reset: delete the embedded network's ledger and crypto material
embedded-network-reset: build
	$(DOTNET) run --project network/Fabric.Network.Host -c $(CONFIGURATION) --no-build -- reset --data .data/network

## postgres-test-up: a throwaway PostgreSQL on a free loopback port for the storage tests (installs Debian's postgresql if missing);
## the connection string is in .data/postgres-test/connection-string (CASHTRANSFER_TEST_POSTGRES)
postgres-test-up:
	@build/postgres-test.sh up

postgres-test-down:
	@build/postgres-test.sh down

## gateway-test: the gateway tests, with the PostgreSQL storage tests when postgres-test-up has run
gateway-test:
	@if [ -f .data/postgres-test/connection-string ]; then export CASHTRANSFER_TEST_POSTGRES="$$(cat .data/postgres-test/connection-string)"; fi; \
	$(DOTNET) test tests/CashTransfer.Gateway.Tests -c $(CONFIGURATION)

clean:
	$(DOTNET) clean $(SOLUTION) >/dev/null
	rm -rf .data artifacts
