#!/usr/bin/env bash
# The run command: installs Azurite from the committed lock file, builds, starts Azurite (data in .azurite/),
# the vendor sandbox on http://127.0.0.1:7080 and the app on http://localhost:7071 with every vendor pointed at
# the sandbox. Ctrl-C stops all three. Point the app at real vendors with the Vendors__* settings (README).
# Ports: SANDBOX_URL (http://127.0.0.1:7080) and APP_PORT (7071) choose others; a taken port stops it before it starts anything.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

SANDBOX_URL=${SANDBOX_URL:-http://127.0.0.1:7080}
sandbox_port=${SANDBOX_URL##*:}
sandbox_port=${sandbox_port%%/*}
APP_PORT=${APP_PORT:-7071}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# What listens on a port, for the message: "dotnet (pid 1234)", or less when no tool can tell.
port_holder() {
  local line
  if command -v ss >/dev/null 2>&1; then
    line=$(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -n1)
    [ -n "$line" ] && { echo "$line" | sed -E 's/users:\(\("([^"]*)",pid=([0-9]*)/\1 (pid \2)/'; return; }
  fi
  if command -v lsof >/dev/null 2>&1; then
    line=$(lsof -nP -iTCP:"$1" -sTCP:LISTEN -Fpc 2>/dev/null | paste -sd' ' -)
    [ -n "$line" ] && { echo "$line" | sed -E 's/^p([0-9]+) c([^ ]*).*/\2 (pid \1)/'; return; }
  fi
  echo "another process"
}

# Every port is checked before anything starts, so a taken port never leaves half a stack running or, worse, the app
# sending to whatever holds the sandbox's port.
busy=()
azurite_running=false
if port_open 10000 && port_open 10001 && port_open 10002; then
  azurite_running=true
else
  for p in 10000 10001 10002; do port_open "$p" && busy+=("$p (Azurite's; held by $(port_holder "$p"))"); done
fi
port_open "$sandbox_port" && busy+=("$sandbox_port (the vendor sandbox's, SANDBOX_URL; held by $(port_holder "$sandbox_port"))")
port_open "$APP_PORT" && busy+=("$APP_PORT (the app's, APP_PORT; held by $(port_holder "$APP_PORT"))")
if [ ${#busy[@]} -gt 0 ]; then
  echo "Cannot start: port ${busy[0]} is taken." >&2
  for b in "${busy[@]:1}"; do echo "Also taken: port $b." >&2; done
  echo "Stop what holds it, or choose other ports (SANDBOX_URL=http://127.0.0.1:7081 APP_PORT=7072 bash scripts/run.sh). Nothing was started." >&2
  exit 1
fi

bash scripts/node-tools.sh
dotnet build Functions.sln -c Release -nologo -v quiet

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Waits for a port a child just opened; gives up (and the trap stops the rest) when it never does.
wait_open() {
  for _ in $(seq 1 300); do port_open "$1" && return 0; sleep 0.1; done
  echo "$2 did not open port $1 within 30 s: stopping everything." >&2
  exit 1
}

if $azurite_running; then
  echo "Azurite (or another storage emulator) already listens on 10000-10002: using it."
else
  mkdir -p .azurite
  node_modules/.bin/azurite --silent --location "$root/.azurite" --skipApiVersionCheck --disableProductStyleUrl \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
  pids+=($!)
fi

dotnet src/Broadcast.Sandbox/bin/Release/net10.0/Broadcast.Sandbox.dll --urls "$SANDBOX_URL" &
pids+=($!)

for p in 10000 10001 10002; do wait_open "$p" Azurite; done
wait_open "$sandbox_port" "The vendor sandbox"

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export AzureWebJobsStorage=${AzureWebJobsStorage:-UseDevelopmentStorage=true}
export Vendors__Qiscus__BaseUrl=${Vendors__Qiscus__BaseUrl:-$SANDBOX_URL}
export Vendors__Qiscus__AppId=${Vendors__Qiscus__AppId:-sandbox-qiscus-app}
export Vendors__Qiscus__SecretKey=${Vendors__Qiscus__SecretKey:-sandbox-qiscus-secret}
export Vendors__Qiscus__ChannelId=${Vendors__Qiscus__ChannelId:-534}
export Vendors__Khoros__BaseUrl=${Vendors__Khoros__BaseUrl:-$SANDBOX_URL}
export Vendors__Khoros__ApiKey=${Vendors__Khoros__ApiKey:-sandbox-khoros-key}
export Vendors__Khoros__ChannelName=${Vendors__Khoros__ChannelName:-whatsapp}
export Vendors__Khoros__ExternalId=${Vendors__Khoros__ExternalId:-+10987654321}
export Vendors__Omnichat__BaseUrl=${Vendors__Omnichat__BaseUrl:-$SANDBOX_URL}
export Vendors__Omnichat__ApiKey=${Vendors__Omnichat__ApiKey:-sandbox-omnichat-key}
export Vendors__Omnichat__DeviceKey=${Vendors__Omnichat__DeviceKey:-bc8bae5a-0997-40a2-a827-b95adc714dd3}

export Callbacks__Qiscus__Secret=${Callbacks__Qiscus__Secret:-dev-qiscus-callback-secret}
export Callbacks__Khoros__Secret=${Callbacks__Khoros__Secret:-dev-khoros-callback-secret}
export Callbacks__Omnichat__Secret=${Callbacks__Omnichat__Secret:-dev-omnichat-callback-secret}
# The local telemetry view: GET /api/telemetry (metrics and recent traces), /api/telemetry/traces/{trace_id}.
export Telemetry__LocalView=${Telemetry__LocalView:-true}

echo "Sandbox: $SANDBOX_URL   App: http://localhost:$APP_PORT/api   Dashboard: http://localhost:$APP_PORT/   (Ctrl-C stops everything)"
dotnet src/Broadcast.Functions/bin/Release/net10.0/Broadcast.Functions.dll --urls "http://localhost:$APP_PORT" &
pids+=($!)
# When any of them exits (the app failing to start included), the trap stops the others.
wait -n
