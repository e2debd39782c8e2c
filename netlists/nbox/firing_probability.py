#!/usr/bin/python3
"""Firing probability against pulse amplitude from noisy_threshold_mc.cir's measures
(amp, run, tmax per point): the fraction of runs whose device temperature passed 1000 K,
with binomial error bars, and a fitted logistic P = 1 / (1 + exp(-(I - I50) / s)).
Usage: firing_probability.py noisy.meas.csv [plot.png]"""
import sys
import numpy as np
from scipy.optimize import curve_fit


def read(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return {n: data[:, k] for k, n in enumerate(names)}


d = read(sys.argv[1])
out = sys.argv[2] if len(sys.argv) > 2 else "plots/firing_probability.png"
amps = np.unique(d["amp"])
prob = np.array([np.mean(d["tmax"][d["amp"] == a] > 1000) for a in amps])
runs = np.array([np.sum(d["amp"] == a) for a in amps])
err = np.sqrt(np.maximum(prob * (1 - prob), 0.25 / runs) / runs)
logistic = lambda i, i50, s: 1 / (1 + np.exp(-(i - i50) / s))
(i50, s), cov = curve_fit(logistic, amps, prob, p0=(np.median(amps), 1e-6), sigma=err)
for a, p, n in zip(amps, prob, runs):
    print(f"{a * 1e6:8.3f} uA: {p:.3f} of {n}")
print(f"logistic fit: I50 = {i50 * 1e6:.3f} uA, width s = {abs(s) * 1e6:.3f} uA "
      f"(10-90 % over {4.394 * abs(s) * 1e6:.3f} uA)")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(6, 4))
ax.errorbar(amps * 1e6, prob, yerr=err, fmt="o", label=f"simulated, {runs[0]} noisy runs per amplitude")
x = np.linspace(amps.min(), amps.max(), 400)
ax.plot(x * 1e6, logistic(x, i50, s), "-", label=f"logistic: I50 {i50 * 1e6:.2f} uA, s {abs(s) * 1e6:.2f} uA")
ax.set_xlabel("pulse amplitude (uA), 1 us pulse; noiseless threshold 191.81-191.82")
ax.set_ylabel("firing probability")
ax.set_title("NbOx neuron with thermal noise: a sigmoid, not a step")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(out, dpi=120)
