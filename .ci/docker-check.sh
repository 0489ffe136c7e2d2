#!/usr/bin/env bash
# Builds the image and checks what a user of it relies on: it turns healthy, the vendor example
# returns 200 from the container, and `docker stop` exits it with code 0 in under 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."

image=koodrive-mock:ci
name=koodrive-mock-ci-$$
port=${KDM_CI_PORT:-38080}
fail() { echo "docker-check: FAIL: $*" >&2; docker logs "$name" 2>&1 | tail -20 >&2 || true; exit 1; }
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# No registry is reachable here: local stand-ins for node:24-slim, and a Docker engine, come from this.
shared_tools=../shared/tools/local-docker.sh
if ! docker info >/dev/null 2>&1 || ! docker image inspect node:24-slim >/dev/null 2>&1; then
  [ -f "$shared_tools" ] || fail "no Docker engine and no $shared_tools to provision one"
  bash "$shared_tools"
fi

docker build --network host -t "$image" . >/tmp/koodrive-mock-docker-build.log 2>&1 \
  || { tail -30 /tmp/koodrive-mock-docker-build.log >&2; fail "docker build"; }
echo "built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"

started=$(date +%s%N)
docker run -d --name "$name" --network host -e PORT="$port" "$image" >/dev/null
status=starting
for _ in $(seq 1 150); do
  status=$(docker inspect -f '{{.State.Health.Status}}' "$name")
  [ "$status" = healthy ] && break
  [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || fail "container exited"
  sleep 0.1
done
[ "$status" = healthy ] || fail "not healthy after 15 s (status: $status)"
echo "healthy after $(( ($(date +%s%N) - started) / 1000000 )) ms"

x_date=$(date -u +%Y%m%dT%H%M%SZ)
response=$(curl -sS -w '\n%{http_code}' "http://127.0.0.1:$port/koodrive/ose/v1/share/tasks" \
  -H 'Authorization: Bearer ci-token' -H 'X-User-Id: ci-user' -H "X-Date: $x_date" \
  -H 'X-Hw-Agentname: ci-carrier' -H 'Content-Type: application/json' \
  -d '{ "taskType": 2, "containerId": "IAABh_RdhS8bOg0cA1684711052660690818",
        "fileIds": ["Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI"], "shareId": "1689765568237837824",
        "kdstoken": "aea2968ec8cfac338cd4647f071c44644c491d0a2039cd6c",
        "targetFileId": { "fileId": "FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob",
                          "containerId": "IAABh_RdhS8bOg0cA1684711052660690818" } }')
code=${response##*$'\n'}
body=${response%$'\n'*}
echo "vendor example: HTTP $code $body"
[ "$code" = 200 ] || fail "vendor example returned HTTP $code"
echo "$body" | grep -Eq '^\{"code":0,"msg":"Success","taskId":"[1-9][0-9]{18}"\}$' || fail "unexpected body"

for path in /__admin/ready /__admin/openapi.json /__admin/docs/static/swagger-ui.css /__admin/ /__admin/dashboard/main.js; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
  [ "$status" = 200 ] || fail "GET $path returned HTTP $status"
done
echo "ready, OpenAPI document, Swagger UI assets and the dashboard served"

[ "$(docker inspect -f '{{.Config.User}}' "$name")" = node ] || fail "image does not run as the node user"

stop_started=$(date +%s%N)
docker stop -t 10 "$name" >/dev/null
stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
exit_code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
echo "docker stop: exit code $exit_code after $stop_ms ms"
[ "$exit_code" = 0 ] || fail "exit code $exit_code after SIGTERM"
[ "$stop_ms" -lt 2000 ] || fail "docker stop took $stop_ms ms"
echo "docker-check: OK"
