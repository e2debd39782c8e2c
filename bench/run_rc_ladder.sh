#!/usr/bin/env bash
# Times neurospice and ngspice on the same RC-ladder deck: median wall time of 5 runs
# each (hyperfine when installed, else /usr/bin/time), then the ratio.
#
# Usage: bench/run_rc_ladder.sh [DECK]        (default: bench/rc_ladder_10k.cir)
#   NEUROSPICE=path/to/neurospice overrides the binary (default: build/neurospice).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
deck=${1:-$root/bench/rc_ladder_10k.cir}
neurospice=${NEUROSPICE:-$root/build/neurospice}
runs=5

[[ -f $deck ]] || { echo "no deck: $deck" >&2; exit 2; }
[[ -x $neurospice ]] || { echo "no neurospice binary at $neurospice (build first, or set NEUROSPICE)" >&2; exit 2; }
command -v ngspice >/dev/null || { echo "ngspice is not on PATH (tools/install-deps installs it)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Both write their results to files in $work; ngspice needs -r to run the analysis
# in batch mode when the deck has no .print.
ns_cmd="'$neurospice' -o '$work/ns.csv' '$deck'"
ng_cmd="ngspice -b -r '$work/ng.raw' '$deck'"

median_seconds() {  # command string -> median wall seconds of $runs runs
  local cmd=$1
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$runs" --warmup 1 --style none --export-json "$work/h.json" "$cmd" >/dev/null
    python3 -c 'import json,sys; print(f"{json.load(open(sys.argv[1]))["results"][0]["median"]:.3f}")' "$work/h.json"
  else
    local times=()
    for _ in $(seq "$runs"); do
      /usr/bin/time -f %e -o "$work/t" bash -c "$cmd >'$work/out.log' 2>&1" ||
        { echo "failed: $cmd" >&2; cat "$work/out.log" >&2; exit 1; }
      times+=("$(cat "$work/t")")
    done
    printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p"
  fi
}

echo "deck: $deck ($(grep -c '^[Cc]' "$deck") capacitors)"
ns=$(median_seconds "$ns_cmd")
echo "neurospice: $ns s (median of $runs)"
ng=$(median_seconds "$ng_cmd")
echo "ngspice:    $ng s (median of $runs)"
python3 -c 'import sys; ns, ng = map(float, sys.argv[1:]); print(f"ratio neurospice/ngspice: {ns / ng:.2f}" if ng > 0 else "ratio: ngspice time is 0")' "$ns" "$ng"
