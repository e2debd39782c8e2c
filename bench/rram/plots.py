#!/usr/bin/python3
"""Plots of bench/rram/: g_vs_pulse.png, stdp_window.png (and hysteresis.png from a
hysteresis.cir CSV given as argument). Run from anywhere after the CSVs exist."""
import csv
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

here = os.path.dirname(os.path.abspath(__file__))

r = [x for x in csv.DictReader(open(os.path.join(here, "g_vs_pulse.csv"))) if int(x["pulse"]) > 0]
p = [int(x["pulse"]) for x in r]
plt.figure(figsize=(6, 4))
plt.plot(p, [float(x["g_cell"]) * 1e6 for x in r], ".", ms=3, label="cell read (0.2 V, transistor included)")
plt.plot(p, [float(x["g_rram"]) * 1e6 for x in r], ".", ms=3, label="RRAM alone (@n1[g])")
plt.xlabel("weak-reset pulse number")
plt.ylabel("conductance (µS)")
plt.title("1T1R weak reset: 0.9 V, V_g 4.5 V, 0.6 µs")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(here, "g_vs_pulse.png"), dpi=120)

r = list(csv.DictReader(open(os.path.join(here, "stdp_window.csv"))))
plt.figure(figsize=(6, 4))
plt.plot([float(x["dt"]) * 1e6 for x in r], [float(x["dg"]) * 1e6 for x in r], "o-")
plt.axhline(0, color="k", lw=0.5)
plt.xlabel("Δt = t_post − t_pre (µs)")
plt.ylabel("ΔG (µS)")
plt.title("Overlap STDP on a 1T1R synapse")
plt.tight_layout()
plt.savefig(os.path.join(here, "stdp_window.png"), dpi=120)

if len(sys.argv) > 1:
    r = list(csv.DictReader(open(sys.argv[1])))
    plt.figure(figsize=(6, 4))
    plt.plot([float(x["@n1[v]"]) for x in r], [float(x["@n1[i]"]) * 1e6 for x in r])
    plt.xlabel("V across the RRAM (V)")
    plt.ylabel("I (µA)")
    plt.title("netlists/rram/hysteresis.cir: pinched loop")
    plt.tight_layout()
    plt.savefig(os.path.join(here, "hysteresis.png"), dpi=120)
