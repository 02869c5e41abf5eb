#!/usr/bin/env bash
# imagegate benchmark: generates a large OCI image once (default ~1.5 GB uncompressed, ~100k
# files, 10 gzip layers), then in one invocation measures, against baselines run right here:
#   cold   `imagegate check` (empty cache)      vs  `gzip -dc` of every layer blob, one after another
#   warm   `imagegate check` (cache filled)     vs  cold
#   layers the same with other rules (only the layer indexes cached) vs cold
#   registry source (docker://, local registry) vs  OCI layout       (when the registry source and
#                                                                     docker-registry + skopeo exist)
# and peak RSS of each run (/usr/bin/time -v). Prints medians of RUNS runs and the ratios.
# imagegate runs through bin/imagegate, the launcher users run (IMAGEGATE_JAVA_OPTS applies).
#
#   bench/run.sh                     # full size
#   LAYERS=4 FILES=2000 LARGE_MB=40 RUNS=1 bench/run.sh     # a quick, small run
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${BENCH_DIR:-$root/bench/out}"
layers="${LAYERS:-10}"; files="${FILES:-10000}"; large="${LARGE_MB:-110}"; runs="${RUNS:-3}"
jar="$root/gate-cli/target/imagegate.jar"

[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
image="$out/image-$layers-$files-$large"
if [ ! -f "$image/index.json" ]; then
  echo "generating $image ..." >&2
  rm -rf "$image"
  java -cp "$jar" io.imagegate.build.BenchImage "$image" "$layers" "$files" "$large" >/dev/null
fi
manifest="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"].split(":")[1])' "$image/index.json")"
mapfile -t blobs < <(python3 -c 'import json,sys
m=json.load(open(sys.argv[1]))
for l in m["layers"]: print(l["digest"].split(":")[1])' "$image/blobs/sha256/$manifest")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }

# one timed run of a command: prints "seconds rss_kb"
timed() {
  local log; log="$(mktemp)"
  local t0 t1; t0=$(now)
  local rc=0
  /usr/bin/time -v -o "$log" "$@" >/dev/null 2>/tmp/imagegate-bench.err || rc=$?
  # exit 1 is a verdict (the bench image is over the minimal pack's size budget), not a failure
  if [ "$rc" -gt 1 ]; then echo "failed ($rc): $*" >&2; cat /tmp/imagegate-bench.err >&2; fi
  t1=$(now)
  echo "$(echo "$t1 - $t0" | bc -l) $(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$log")"
  rm -f "$log"
}

gunzip_all() { for b in "${blobs[@]}"; do gzip -dc "$image/blobs/sha256/$b" >/dev/null; done; }
export -f gunzip_all 2>/dev/null || true

declare -A secs rss
measure() { # name, command...
  local name="$1"; shift
  local s=() r=()
  for _ in $(seq "$runs"); do
    [ "$name" = cold ] && rm -rf "$out/cache"
    [ "$name" = layers ] && rm -rf "$out/cache/results"
    read -r t m < <(timed "$@")
    s+=("$t"); r+=("$m")
  done
  secs[$name]=$(printf '%s\n' "${s[@]}" | median)
  rss[$name]=$(printf '%s\n' "${r[@]}" | sort -n | tail -1)
}

# the shipped launcher, with its JVM settings; one unmeasured run first makes its class-data archive
check=("$root/bin/imagegate" check -q --format json)
cached=(--cache-dir "$out/cache")
rm -rf "$out/cache-warmup"
"${check[@]}" --cache-dir "$out/cache-warmup" "oci:$image" >/dev/null 2>&1 || true
echo "image: $image ($(du -sh "$image" | cut -f1) on disk, ${#blobs[@]} layers); $runs run(s) each; $(nproc) cores" >&2
measure gzip bash -c "$(declare -p blobs image); $(declare -f gunzip_all); gunzip_all"
measure cold "${check[@]}" "${cached[@]}" "oci:$image"
measure warm "${check[@]}" "${cached[@]}" "oci:$image"
# other rules over the same layers (a policy edited, or another image on the same base): the
# results are computed again, from the cached layer indexes
cat > "$out/other-rules.yaml" <<'YML'
apiVersion: imagegate/v1
kind: Policy
extends: [minimal]
rules:
  - id: non-root-user
    severity: warning
YML
measure layers "${check[@]}" "${cached[@]}" --policy "$out/other-rules.yaml" "oci:$image"

registry=""
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null \
   && java -jar "$jar" check --help | grep -q -- --insecure-registry; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  regdir="$(mktemp -d)"
  cat > "$regdir/config.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $regdir/data
http:
  addr: 127.0.0.1:$port
YML
  docker-registry serve "$regdir/config.yml" >"$regdir/log" 2>&1 &
  regpid=$!
  trap 'kill $regpid 2>/dev/null || true; rm -rf "$regdir"' EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  skopeo copy -q --dest-tls-verify=false "oci:$image" "docker://127.0.0.1:$port/bench:latest"
  measure registry "${check[@]}" --no-cache "docker://127.0.0.1:$port/bench:latest"
  measure layout "${check[@]}" --no-cache "oci:$image"
  registry=yes
fi

ratio() { echo "scale=3; $1 / $2" | bc -l; }
printf '\n%-34s %10s %12s\n' "measurement" "seconds" "peak RSS MB"
for n in gzip cold warm layers ${registry:+registry layout}; do
  printf '%-34s %10.2f %12s\n' "$n" "${secs[$n]}" "$(( ${rss[$n]:-0} / 1024 ))"
done
echo
printf 'cold / sequential gzip -dc   = %s   (target <= 0.6)\n' "$(ratio "${secs[cold]}" "${secs[gzip]}")"
printf 'warm / cold                  = %s   (target <= 0.1)\n' "$(ratio "${secs[warm]}" "${secs[cold]}")"
printf 'other rules, cached layers / cold = %s\n' "$(ratio "${secs[layers]}" "${secs[cold]}")"
[ -n "$registry" ] && printf 'registry / oci layout        = %s\n' "$(ratio "${secs[registry]}" "${secs[layout]}")"
printf 'peak RSS, cold               = %s MB (target <= 256)\n' "$(( ${rss[cold]} / 1024 ))"
