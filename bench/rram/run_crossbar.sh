#!/usr/bin/env bash
# Wall time of a 128x64 1T1R crossbar in neurospice and in ngspice (the same cells, the
# RRAM written as behavioural B sources, the transistor as ngspice's level-1 NMOS):
#   read   .op: every row at 0.1/0.2 V, gates at 3 V, columns held at 0 V
#   pulse  .tran 10n 1u uic: one weak-reset pulse (0.9 V, 0.6 us) on every column at once
# Median of $RUNS runs each (default 5), then the column currents of the read compared.
#
# Usage: bench/rram/run_crossbar.sh [M N]      NEUROSPICE=path overrides build/neurospice
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
m=${1:-128} n=${2:-64}
neurospice=${NEUROSPICE:-$root/build/neurospice}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gen="$root/tools/gen_crossbar $m $n"
$gen > "$work/read.cir"
$gen --analysis pulse > "$work/pulse.cir"
$gen --ngspice > "$work/read_ng.cir"
$gen --ngspice --analysis pulse > "$work/pulse_ng.cir"

median() {  # command... -> median wall seconds of $runs runs
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > "$work/log" 2>&1 || { echo "failed: $*" >&2; tail "$work/log" >&2; exit 1; }
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p"
}

echo "${m}x${n} 1T1R crossbar, median of $runs runs (s)"
printf 'read  (.op)   neurospice %s  ngspice %s\n' \
  "$(median "$neurospice" -o "$work/read.csv" "$work/read.cir")" \
  "$(median env SPICE_ASCIIRAWFILE=1 ngspice -b -r "$work/read_ng.raw" "$work/read_ng.cir")"
printf 'pulse (.tran) neurospice %s  ngspice %s\n' \
  "$(median "$neurospice" -o "$work/pulse.csv" "$work/pulse.cir")" \
  "$(median env SPICE_ASCIIRAWFILE=1 ngspice -b -r "$work/pulse_ng.raw" "$work/pulse_ng.cir")"

python3 - "$work" "$n" <<'PY'
import csv, sys
work, n = sys.argv[1], int(sys.argv[2])
ns = next(csv.DictReader(open(f"{work}/read.csv")))
lines = open(f"{work}/read_ng.raw").read().splitlines()
k = lines.index("Variables:")
names = []
for line in lines[k + 1:]:
    if line.startswith("Values:"):
        break
    names.append(line.split()[1].lower())
values = []
for line in lines[lines.index("Values:") + 1:]:
    values += [float(x) for x in line.split()[-1:]]
ng = dict(zip(names, values))
worst = max(abs(float(ns[f"i(vcol_{j})"]) - ng[f"i(vcol_{j})"]) / abs(ng[f"i(vcol_{j})"]) for j in range(n))
print(f"read: column currents, max relative difference neurospice vs ngspice {worst:.3g}")
PY
