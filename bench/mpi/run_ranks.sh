#!/usr/bin/env bash
# .step/.mc points on 1 and 2 MPI ranks (src/analysis/distributed.cpp): the 1000-run
# crossbar Monte Carlo and the 50-point NbOx f-I curve. For each: one process, then
# mpirun -np 1 and -np 2 (-j 1 per rank); wall and CPU seconds (user+sys of the whole
# job, /usr/bin/time), and rank 0's --stats note (bytes received per point, its CPU
# time per point handling the other ranks' messages and writing the files). The files
# of every run are compared with the single process's, byte for byte.
#
# Usage: bench/mpi/run_ranks.sh            NEUROSPICE=path overrides build/neurospice
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
neurospice=${NEUROSPICE:-$root/build/neurospice}
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root"/netlists/rram/crossbar_mc_read.cir "$root"/netlists/rram/hfox_card.lib \
   "$root"/netlists/nbox/fi_curve_step.cir "$work"/
cd "$work"

timed() {  # label command... -> "label wall cpu" and the --stats note
  local label=$1; shift
  /usr/bin/time -f "%e %U %S" -o time.txt "$@" > log.txt 2>&1 || { cat log.txt >&2; exit 1; }
  read -r wall user sys < time.txt
  printf '  %-22s wall %7.2f s  cpu %7.2f s' "$label" "$wall" "$(echo "$user + $sys" | bc)"
  grep -o 'received.*' log.txt | sed 's/^/  | /' || echo
}

for deck in crossbar_mc_read fi_curve_step; do
  echo "$deck.cir"
  timed "1 process" "$neurospice" -j 1 -o ref.csv "$deck.cir"
  for np in 1 2; do
    timed "mpirun -np $np" "${mpirun[@]}" -np "$np" "$neurospice" -j 1 --stats -o np$np.csv "$deck.cir"
    for f in ref*.csv; do cmp -s "$f" "${f/ref/np$np}" || echo "  DIFFERENT: ${f/ref/np$np}"; done
  done
  rm -f ref*.csv np*.csv
done
