#!/usr/bin/python3
"""Spike-time error at default tolerances against network size (issue 16): one NbOx
neuron spiking (322.7 uA, the bench's neuron 0) beside N-1 quiet ones (100 uA, below
threshold), uncoupled, 10 us from rest. Each N runs once at reltol 1e-7 (abstol 1e-16,
vntol 1e-10) as the reference and once with the given options; printed: the largest
distance between the active neuron's spikes (v(a0) falling through 0.7 V) in the two.

    bench/errnorm_vs_n.py NEUROSPICE 1,10,100 ["errnorm=max"]
"""
import csv
import subprocess
import sys
import tempfile
import time

import numpy as np


def deck(n, options):
    lines = [f"* one active NbOx neuron and {n - 1} quiet ones", ".model nb nbox"]
    for k in range(n):
        lines += [f"Is{k} 0 a{k} dc {'322.6683u' if k == 0 else '100u'}", f"Cext{k} a{k} 0 200p",
                  f"N{k} a{k} b{k} nb", f"Lext{k} b{k} c{k} 700n", f"Rout{k} c{k} 0 25"]
    lines += [f".options {options}" if options else "", ".probe v(a0)", ".tran 1n 10u uic", ".end"]
    return "\n".join(lines) + "\n"


def run(binary, n, options, folder):
    path = f"{folder}/n{n}_{abs(hash(options))}.cir"
    with open(path, "w") as f:
        f.write(deck(n, options))
    start = time.time()
    r = subprocess.run([binary, path, "-o", path + ".csv", "--every-step", "--stats"], capture_output=True, text=True)
    seconds = time.time() - start
    steps = next((l.split("transient:")[1].split(",")[0] for l in r.stderr.splitlines() if "transient:" in l), "?")
    with open(path + ".csv") as f:
        a = np.array([[float(x) for x in row] for row in list(csv.reader(f))[1:]])
    return a[:, 0], a[:, 1], steps, seconds


def spikes(t, v, level=0.7):
    k = np.nonzero((v[:-1] > level) & (v[1:] <= level))[0]
    return t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])


def main():
    binary, sizes = sys.argv[1], [int(x) for x in sys.argv[2].split(",")]
    options = sys.argv[3] if len(sys.argv) > 3 else ""
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            tr, vr, _, _ = run(binary, n, "reltol=1e-7 abstol=1e-16 vntol=1e-10", folder)
            t, v, steps, seconds = run(binary, n, options, folder)
            a, b = spikes(tr, vr), spikes(t, v)
            error = max(np.max(np.min(np.abs(a[:, None] - b[None, :]), axis=1)),
                        np.max(np.min(np.abs(b[:, None] - a[None, :]), axis=1)))
            print(f"N = {n:5d}: {len(a)} spikes, max spike-time error {error * 1e9:.3f} ns; {steps}, {seconds:.2f} s",
                  flush=True)


if __name__ == "__main__":
    main()
