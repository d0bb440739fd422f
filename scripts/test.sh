#!/usr/bin/env bash
# The test command: all set-up (Azurite from the committed lock file, restore, build), then every test.
# Tests start their own Azurite, vendor sandbox and app on free loopback ports. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/node-tools.sh || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
# The pinned dotnet tools (.config/dotnet-tools.json: Kiota, which the contract tests generate a client with).
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed"; echo "0 passed, 1 failed"; exit 1; }
# The dashboard's browser tests drive Debian's chromium (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >/dev/null \
    || { echo "installing chromium failed"; echo "0 passed, 1 failed"; exit 1; }
fi
dotnet build Functions.sln -c Release -nologo -v quiet || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
dotnet test Functions.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then exit "$status"; fi
[ "${failed:-0}" -eq 0 ]
