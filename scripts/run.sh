#!/usr/bin/env bash
# The run command: installs Azurite from the committed lock file, builds, starts Azurite (data in .azurite/),
# the vendor sandbox on http://127.0.0.1:7080 and the app on http://localhost:7071 with every vendor pointed at
# the sandbox. Ctrl-C stops all three. Point the app at real vendors with the Vendors__* settings (README).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
dotnet build Functions.sln -c Release -nologo -v quiet

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_open 10000; then
  echo "Azurite (or another storage emulator) already listens on 10000: using it."
else
  mkdir -p .azurite
  node_modules/.bin/azurite --silent --location "$root/.azurite" --skipApiVersionCheck --disableProductStyleUrl \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
  pids+=($!)
fi

SANDBOX_URL=${SANDBOX_URL:-http://127.0.0.1:7080}
dotnet src/Broadcast.Sandbox/bin/Release/net10.0/Broadcast.Sandbox.dll --urls "$SANDBOX_URL" &
pids+=($!)

for i in $(seq 1 100); do port_open 10001 && port_open "${SANDBOX_URL##*:}" && break; sleep 0.1; done

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

echo "Sandbox: $SANDBOX_URL   App: http://localhost:7071/api   (Ctrl-C stops everything)"
dotnet src/Broadcast.Functions/bin/Release/net10.0/Broadcast.Functions.dll &
pids+=($!)
wait -n
