#!/usr/bin/env python3
"""Overlap-STDP window of the 1T1R synapse: runs netlists/rram/stdp_1t1r.cir once per dt
(the .param dt replaced) and writes dt, g_before, g_after, dg (S) as CSV to stdout.

    python3 bench/rram/stdp_sweep.py [--neurospice build/neurospice] [--from -3u --to 3u --step 0.25u]
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--neurospice", default=os.path.join(ROOT, "build", "neurospice"))
    ap.add_argument("--start", type=float, default=-3e-6)
    ap.add_argument("--stop", type=float, default=3e-6)
    ap.add_argument("--step", type=float, default=0.25e-6)
    a = ap.parse_args()
    deck = open(os.path.join(ROOT, "netlists", "rram", "stdp_1t1r.cir")).read()
    deck = deck.replace("hfox_card.lib", os.path.join(ROOT, "netlists", "rram", "hfox_card.lib"))
    out = csv.writer(sys.stdout)
    out.writerow(["dt", "g_before", "g_after", "dg"])
    n = int(round((a.stop - a.start) / a.step))
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(n + 1):
            dt = a.start + k * a.step
            text = re.sub(r"\.param dt=\S+", f".param dt={dt:.6g}", deck)
            path = os.path.join(tmp, "stdp.cir")
            open(path, "w").write(text)
            result = os.path.join(tmp, "stdp.csv")
            subprocess.run([a.neurospice, "-o", result, path], check=True, capture_output=True)
            rows = list(csv.DictReader(open(result)))
            g0, g1 = float(rows[0]["@n1[g]"]), float(rows[-1]["@n1[g]"])
            out.writerow([f"{dt:.6g}", g0, g1, g1 - g0])


if __name__ == "__main__":
    main()
