#!/usr/bin/env bash
# The publish command: builds the Azure Functions app folder (an isolated worker) and a zip of it for zip deploy.
#   bash scripts/publish.sh [OUTPUT_DIR]          (default: publish/)
# OUTPUT_DIR/functionapp/      what `func start` and the Functions host run: host.json, functions.metadata (every
#                              function with its bindings), extensions.json and .azurefunctions/ (the host's Durable
#                              and blob extensions), worker.config.json, and the app (framework-dependent, .NET 10)
# OUTPUT_DIR/functionapp.zip   the same folder zipped
set -euo pipefail
cd "$(dirname "$0")/.."

out=$(mkdir -p "${1:-publish}" && cd "${1:-publish}" && pwd)
app="$out/functionapp"
build=${PUBLISH_BUILD_DIR:-"$out/.build"}   # bin/obj of the publish, apart from the working tree's own builds
rm -rf "$app" "$out/functionapp.zip"

dotnet publish src/Broadcast.Functions -c Release -nologo -v quiet --artifacts-path "$build" -o "$app"
rm -f "$app/local.settings.json"

(cd "$app" && zip -q -r -X "$out/functionapp.zip" .)
echo "Function app: $app"
echo "Zip:          $out/functionapp.zip"
