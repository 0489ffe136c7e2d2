#!/usr/bin/env bash
# Builds the image and checks what a user of it relies on: it turns healthy, the vendor example
# returns 200 from the container, and `docker stop` exits it with code 0 in under 2 s; with a
# `-p 8080:3000`-style mapping its download URLs name the mapped port; compose with PORT changed
# turns healthy; the testcontainers module starts it (test/docker/testcontainers.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

# The one tag the README, compose and the testcontainers module use.
image=koodrive-mock:local
name=koodrive-mock-ci-$$
port=${KDM_CI_PORT:-38080}
fail() { echo "docker-check: FAIL: $*" >&2; docker logs "$name" 2>&1 | tail -20 >&2 || true; exit 1; }
network=koodrive-mock-ci-net-$$
compose_project=koodrive-mock-ci-$$
cleanup() {
  docker rm -f "$name" "$name-mapped" >/dev/null 2>&1 || true
  [ -z "${compose:-}" ] || $compose -p "$compose_project" down -t 2 >/dev/null 2>&1 || true
  docker network rm "$network" >/dev/null 2>&1 || true
}
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

# A port mapping, as `docker run -p 8080:3000` gives a user: download URLs must name the mapped
# port, not the container's 3000. (The engine here has no default bridge: a network made for it.)
mapped_port=${KDM_CI_MAPPED_PORT:-38088}
docker network create "$network" >/dev/null
docker run -d --name "$name-mapped" --network "$network" -p "$mapped_port:3000" -e MOCK_TASK_DURATION_MS=0 "$image" >/dev/null
for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$mapped_port/__admin/ready" && break; sleep 0.1; done
kd_headers=(-H 'Authorization: Bearer ci-token' -H 'X-User-Id: ci-user' -H "X-Date: $(date -u +%Y%m%dT%H%M%SZ)" -H 'X-Hw-Agentname: ci-carrier' -H 'Content-Type: application/json')
task=$(curl -fsS "http://localhost:$mapped_port/koodrive/ose/v1/share/tasks" "${kd_headers[@]}" \
  -d '{"taskType":1,"containerId":"IAABh_RdhS8bOg0cA1684711052660690818","fileIds":["Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI"],"shareId":"1689765568237837824","zipName":"ci.zip"}' \
  | sed -n 's/.*"taskId":"\([0-9]*\)".*/\1/p')
url=$(curl -fsS "http://localhost:$mapped_port/koodrive/ose/v1/share/taskDetail" "${kd_headers[@]}" \
  -d "{\"taskId\":\"$task\",\"shareId\":\"1689765568237837824\"}" | sed -n 's/.*"downloadUrl":"\([^"]*\)".*/\1/p')
echo "-p $mapped_port:3000: downloadUrl ${url%%\?*}"
case "$url" in "http://localhost:$mapped_port/obs/koodrive-share/packages/$task/ci.zip?"*) ;; *) fail "download URL does not name the mapped port: $url" ;; esac
zip_status=$(curl -s -o /dev/null -w '%{http_code}' "$url")
[ "$zip_status" = 200 ] || fail "the download URL answered HTTP $zip_status"
# Docker's probe runs once a second; it is logged at debug, so an info log holds no health lines.
for _ in $(seq 1 50); do [ "$(docker inspect -f '{{len .State.Health.Log}}' "$name-mapped")" -ge 2 ] && break; sleep 0.1; done
! docker logs "$name-mapped" 2>&1 | grep -q '"url":"/__admin/health"' || fail "health probes are logged at info"
echo "the zip downloads from the mapped port; health probes stay out of the info log"
docker rm -f "$name-mapped" >/dev/null

# Compose with PORT changed: one variable moves the mapping, the server and the healthcheck.
if docker compose version >/dev/null 2>&1; then compose="docker compose"; elif command -v docker-compose >/dev/null 2>&1; then compose=docker-compose; fi
[ -n "${compose:-}" ] || fail "no docker compose or docker-compose"
compose_port=${KDM_CI_COMPOSE_PORT:-38091}
started=$(date +%s%N)
PORT=$compose_port $compose -p "$compose_project" up -d --no-build >/tmp/koodrive-mock-compose.log 2>&1 || { cat /tmp/koodrive-mock-compose.log >&2; fail "compose up"; }
container=$($compose -p "$compose_project" ps -q koodrive-mock)
status=starting
for _ in $(seq 1 150); do
  status=$(docker inspect -f '{{.State.Health.Status}}' "$container")
  [ "$status" = healthy ] && break
  sleep 0.1
done
[ "$status" = healthy ] || fail "compose with PORT=$compose_port: $status after 15 s"
echo "compose ($($compose version --short 2>/dev/null || $compose version | head -1)) with PORT=$compose_port: healthy after $(( ($(date +%s%N) - started) / 1000000 )) ms"
curl -fsS -o /dev/null "http://127.0.0.1:$compose_port/__admin/health" || fail "compose: nothing on port $compose_port"
$compose -p "$compose_project" down -t 2 >/dev/null 2>&1

# The testcontainers module on this engine: no Ryuk (no registry to pull it from), the host as seen from here.
TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 KDM_IMAGE="$image" \
  npx tap --disable-coverage --timeout=300 test/docker/testcontainers.ts || fail "testcontainers test"
echo "docker-check: OK"
