#!/usr/bin/env bash
# The test command: all set-up (Azurite from the committed lock file, Kiota, chromium, restore, build), then every
# test. Tests start their own Azurite, vendor sandbox and app on free loopback ports. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "$1"; echo "0 passed, 1 failed"; exit 1; }
started=$SECONDS

# The set-up steps wait on the network, not on each other: on a fresh machine chromium's apt install and npm ci
# run beside the .NET restore and build instead of adding their minutes to it.
setup=$(mktemp -d)
# The dashboard's browser tests drive Debian's chromium (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  ( { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } \
      >"$setup/chromium.log" 2>&1 ) &
  chromium_pid=$!
fi
( bash scripts/node-tools.sh >"$setup/npm.log" 2>&1 ) &
npm_pid=$!

# The pinned dotnet tools (.config/dotnet-tools.json: Kiota, which the contract tests generate a client with).
dotnet tool restore >/dev/null || fail "dotnet tool restore failed"
dotnet build Functions.sln -c Release -nologo -v quiet || fail "build failed"

wait "$npm_pid" || { cat "$setup/npm.log"; fail "npm ci failed"; }
if [ -n "${chromium_pid:-}" ]; then
  wait "$chromium_pid" || { tail -20 "$setup/chromium.log"; fail "installing chromium failed"; }
fi
rm -rf "$setup"
echo "set-up (tools, chromium, restore, build) took $((SECONDS - started)) s"
started=$SECONDS

log=$(mktemp)
dotnet test Functions.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests took $((SECONDS - started)) s"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then exit "$status"; fi
[ "${failed:-0}" -eq 0 ]
