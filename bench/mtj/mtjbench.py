"""Shared helpers for the bench/mtj sweep scripts: run a deck through neurospice and
read the CSV back; frequency extraction comes from tools/freq (the same functions a
user calls from the command line)."""
import importlib.machinery
import importlib.util
import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NEUROSPICE = os.environ.get("NEUROSPICE", os.path.join(ROOT, "build", "neurospice"))

_loader = importlib.machinery.SourceFileLoader("freq", os.path.join(ROOT, "tools", "freq"))
_spec = importlib.util.spec_from_loader("freq", _loader)
freq = importlib.util.module_from_spec(_spec)
_loader.exec_module(freq)


def run(deck):
    """Runs a deck (text); returns {column name: numpy array}."""
    with tempfile.TemporaryDirectory() as d:
        cir, out = os.path.join(d, "deck.cir"), os.path.join(d, "out.csv")
        with open(cir, "w") as f:
            f.write(deck)
        subprocess.run([NEUROSPICE, "-o", out, cir], check=True, capture_output=True, text=True)
        names, data = freq.read_csv(out)
    return {n: data[:, k] for k, n in enumerate(names)}


def frequency(table, column, t0, t1=None):
    t, y = freq.window(table["time"], table[column], t0, t1)
    return freq.zero_crossing_frequency(t, y)


def mean(table, column, t0, t1=None):
    t, y = freq.window(table["time"], table[column], t0, t1)
    return float(np.mean(y))


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(f"{v:.9g}" for v in r) + "\n")
