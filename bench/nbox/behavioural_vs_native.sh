#!/usr/bin/env bash
# The Fig. 2.7 NbOx neuron (335 uA, 100 us, default tolerances) twice in neurospice: with
# the nbox compact model, and written as ngspice users write it (fig27_neuron_ngspice.inc:
# B sources and a thermal capacitor node). Prints each one's spike period (v(a) falling
# through 0.7 V, from the 2nd spike on) and the median wall time of 5 runs (issue 14: the
# behavioural deck within 0.1 % of the native period and within 2x of its time).
#
# Usage: bench/nbox/behavioural_vs_native.sh     NEUROSPICE=path overrides build/neurospice.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
neurospice=${NEUROSPICE:-$here/../../build/neurospice}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tail_lines=$'.probe v(a)\n.tran 1n 100u uic\n.end'
{ echo "Fig. 2.7 neuron, nbox model"; echo ".model nb nbox"; echo "Is 0 a dc 335u"
  echo "Cext a 0 200p"; echo "N1 a b nb"; echo "Lext b c 700n"; echo "Rout c 0 25"; echo "$tail_lines"
} > "$work/native.cir"
{ echo "Fig. 2.7 neuron, behavioural"; cat "$here/fig27_neuron_ngspice.inc"; echo "$tail_lines"; } > "$work/behavioural.cir"
for deck in native behavioural; do
  times=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f %e -o "$work/t" "$neurospice" "$work/$deck.cir" -o "$work/$deck.csv" >/dev/null 2>&1
    times+=("$(cat "$work/t")")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p)
  /usr/bin/python3 - "$work/$deck.csv" "$deck" "$median" <<'EOP'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = [float(r["time"]) for r in rows]
v = [float(r["v(a)"]) for r in rows]
s = [t[i - 1] + (0.7 - v[i - 1]) / (v[i] - v[i - 1]) * (t[i] - t[i - 1])
     for i in range(1, len(v)) if v[i - 1] > 0.7 >= v[i]]
print(f"{sys.argv[2]:12s} {len(s)} spikes, period {(s[-1] - s[1]) / (len(s) - 2):.9g} s, median wall {sys.argv[3]} s")
EOP
done
