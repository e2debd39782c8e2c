#!/usr/bin/python3
"""The reduced NbOx neuron's input range of phasic bursting, without and with thermal noise,
from the measures of phasic_range.cir and phasic_range_noise.cir (is, [run,] spikes, late).
Class per run: tonic (spikes in the last 5 us), phasic (two or more spikes, none late),
single (one spike), none. The noiseless range is the span of phasic points widened by half
a grid step at each end; with noise, the span of currents where at least half of the runs
are phasic (and, looser, where any run is), widened the same way.
Usage: phasic_range.py noiseless.meas.csv noisy.meas.csv [plot.png]"""
import sys
import numpy as np


def read(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return {n: data[:, k] for k, n in enumerate(names)}


def classes(d):
    return np.where(d["late"] > 0, "tonic", np.where(d["spikes"] >= 2, "phasic", np.where(d["spikes"] == 1, "single", "none")))


def span(currents, inside):
    """Width of the set of grid currents where `inside`, plus one grid step (half at each end)."""
    if not inside.any():
        return 0.0, np.nan, np.nan
    step = np.min(np.diff(currents))
    lo, hi = currents[inside].min() - step / 2, currents[inside].max() + step / 2
    return hi - lo, lo, hi


def main():
    quiet, noisy = read(sys.argv[1]), read(sys.argv[2])
    out = sys.argv[3] if len(sys.argv) > 3 else "plots/phasic_range.png"
    cq = classes(quiet)
    iq = quiet["is"]
    w0, lo0, hi0 = span(iq, cq == "phasic")
    print(f"without noise: phasic from {lo0 * 1e3:.5f} to {hi0 * 1e3:.5f} mA: {w0 * 1e6:.2f} uA "
          f"(grid {np.min(np.diff(iq)) * 1e6:.2f} uA); tonic up to {iq[cq == 'tonic'].max() * 1e3:.5f} mA")
    cn = classes(noisy)
    currents = np.unique(noisy["is"])
    frac = {c: np.array([np.mean(cn[noisy["is"] == i] == c) for i in currents]) for c in ("tonic", "phasic", "single", "none")}
    runs = int(np.sum(noisy["is"] == currents[0]))
    for i, t, p, s in zip(currents, frac["tonic"], frac["phasic"], frac["single"]):
        spikes = noisy["spikes"][noisy["is"] == i]
        print(f"  {i * 1e3:.4f} mA: tonic {t:.3f} phasic {p:.3f} single {s:.3f}; spikes {np.sort(spikes).astype(int)}")
    w_half, lo_half, hi_half = span(currents, frac["phasic"] >= 0.5)
    w_any, lo_any, hi_any = span(currents, frac["phasic"] > 0)
    print(f"with noise ({runs} runs per current): phasic in at least half the runs from {lo_half * 1e3:.5f} to "
          f"{hi_half * 1e3:.5f} mA: {w_half * 1e6:.2f} uA; in any run from {lo_any * 1e3:.5f} to {hi_any * 1e3:.5f} mA: "
          f"{w_any * 1e6:.2f} uA")
    print(f"ratio with/without noise: {w_half / w0:.2f} (half the runs), {w_any / w0:.2f} (any run)")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(2, 1, figsize=(7.5, 6), sharex=True, gridspec_kw={"height_ratios": [1, 2.5]})
    colours = {"tonic": "tab:red", "phasic": "tab:green", "single": "tab:blue", "none": "tab:grey"}
    for c, col in colours.items():
        sel = cq == c
        if sel.any():
            ax[0].scatter(iq[sel] * 1e3, np.zeros(sel.sum()), color=col, marker="s", s=25, label=c)
    ax[0].axvspan(lo0 * 1e3, hi0 * 1e3, color="tab:green", alpha=0.2)
    ax[0].set_yticks([])
    ax[0].set_title(f"reduced NbOx neuron (Cext 200 pF), cold start, 20 us: phasic range {w0 * 1e6:.2f} uA "
                    f"without noise, {w_half * 1e6:.2f} uA with", fontsize=9)
    ax[0].legend(fontsize=7, ncol=4, loc="upper right")
    bottom = np.zeros(len(currents))
    for c, col in colours.items():
        ax[1].bar(currents * 1e3, frac[c], bottom=bottom, width=np.min(np.diff(currents)) * 1e3 * 0.9, color=col, label=c)
        bottom += frac[c]
    ax[1].axvspan(lo_half * 1e3, hi_half * 1e3, color="tab:green", alpha=0.15)
    ax[1].set(xlabel="input current Is (mA)", ylabel=f"fraction of {runs} noisy runs")
    ax[1].legend(fontsize=7, ncol=4)
    fig.tight_layout()
    fig.savefig(out, dpi=120)


if __name__ == "__main__":
    main()
