#!/usr/bin/env python3
"""Conductance vs weak-reset pulse number from the transient CSV of
netlists/rram/program_1t1r.cir (or any deck probing v(bl), v(wl), v(sl), @n1[i], @n1[g]).

    python3 bench/rram/pulse_conductance.py prog.csv [--cell n1] > g_vs_pulse.csv

A read is a run of rows with v(bl) = 0.2 V, v(wl) = 3 V, v(sl) = 0; its value is its last
row (the read has settled). Reads that end after the train starts (--train, default
700 us, as in the deck) are numbered 1, 2, ...: read k follows weak-reset pulse k. The
reads before the train get negative numbers -1, -2, ... in order; the last of them is
the state before the first pulse. Columns: pulse, time, g_cell (read
current / 0.2 V, transistor included), g_rram (@n1[g], the RRAM alone at 0.2 V)."""
import argparse
import csv
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--cell", default="n1")
    ap.add_argument("--train", type=float, default=700e-6, help="start of the weak-reset train, s")
    a = ap.parse_args()
    rows = list(csv.DictReader(open(a.csv)))
    i_col, g_col = f"@{a.cell}[i]", f"@{a.cell}[g]"
    out = csv.writer(sys.stdout)
    out.writerow(["pulse", "time", "g_cell", "g_rram"])
    pulses, in_read, last = 0, False, None
    before = 0
    for row in rows:
        bl, wl, sl = float(row["v(bl)"]), float(row["v(wl)"]), float(row["v(sl)"])
        reading = abs(bl - 0.2) < 1e-6 and abs(wl - 3) < 1e-6 and abs(sl) < 1e-9
        if reading:
            last = row
        elif in_read and last is not None:
            if float(last["time"]) > a.train:
                pulses += 1
                label = pulses
            else:
                before += 1
                label = -before
            out.writerow([label, last["time"], float(last[i_col]) / 0.2, last[g_col]])
        in_read = reading
    if in_read and last is not None and float(last["time"]) > a.train:
        out.writerow([pulses + 1, last["time"], float(last[i_col]) / 0.2, last[g_col]])


if __name__ == "__main__":
    main()
