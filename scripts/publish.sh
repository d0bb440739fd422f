#!/usr/bin/env bash
# The publish command: builds a ready Azure Functions app folder for Linux and a zip of it.
#   bash scripts/publish.sh [OUTPUT_DIR]          (default: publish/)
# OUTPUT_DIR/functionapp/      host.json, one folder per function with its function.json, and the app published
#                              self-contained for linux-x64 (the executable host.json names: Broadcast.Functions)
# OUTPUT_DIR/functionapp.zip   the same folder zipped (executable bit kept), for zip deploy
# The function.json files name the queues and containers the way the app will, so run it with the same
# Storage__NamePrefix and Drops__Container as the deployed app (normally both unset).
# PUBLISH_RUNTIME=osx-arm64 (or another runtime identifier) builds for `func start` on that machine instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

out=$(mkdir -p "${1:-publish}" && cd "${1:-publish}" && pwd)
app="$out/functionapp"
build=${PUBLISH_BUILD_DIR:-"$out/.build"}   # bin/obj of the publish, apart from the working tree's own builds
rm -rf "$app" "$out/functionapp.zip"

dotnet publish src/Broadcast.Functions -c Release -r "${PUBLISH_RUNTIME:-linux-x64}" --self-contained -nologo -v quiet \
  --artifacts-path "$build" -o "$app"

# The generator runs on any OS from a portable build, not the linux-x64 executable.
dotnet build src/Broadcast.Functions -c Release -nologo -v quiet --artifacts-path "$build"
dotnet "$build/bin/Broadcast.Functions/release/Broadcast.Functions.dll" --write-functions "$app"

cp "$root/host.json" "$app/host.json"
chmod +x "$app/Broadcast.Functions"
rm -f "$app/local.settings.json"

(cd "$app" && zip -q -r -X "$out/functionapp.zip" .)
echo "Function app: $app"
echo "Zip:          $out/functionapp.zip"
