#!/usr/bin/env bash
# Installs the npm tools (Azurite) from the committed lock file, only when package-lock.json differs from the one
# last installed: `npm ci` wipes and refills node_modules (about 35 s), which a second run does not need.
# The stamp lives inside node_modules, so a clean clone (CI) or a deleted node_modules always installs.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.package-lock.sha256
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && [ -x node_modules/.bin/azurite ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$lock_hash" > "$stamp"
