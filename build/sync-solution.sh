#!/usr/bin/env bash
# Rebuilds CashTransfer.sln from the projects in the tree, so that merges never have to hand-edit it.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f CashTransfer.sln
dotnet new sln -n CashTransfer --format sln >/dev/null
find . -name "*.csproj" -not -path "*/node_modules/*" -not -path "*/bin/*" -not -path "*/obj/*" | sort |
  xargs dotnet sln CashTransfer.sln add >/dev/null
echo "CashTransfer.sln: $(grep -c '\.csproj' CashTransfer.sln) projects"
