#!/usr/bin/python3
"""Synchronization map of four coupled stnos under two RF inputs (Romera et al., Nature
563, 230 (2018), Fig. 2 in spirit): netlists/mtj/stno_four_coupled.cir with the two
input frequencies fA, fB swept. For each oscillator: locked to A, to B, or to neither
(zero-crossing frequency over the last 1.5 us within 5 kHz of the input). Writes
sync_map.csv and sync_map.png (one panel per oscillator, and the number locked).
"""
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap

import mtjbench as mb

with open(mb.ROOT + "/netlists/mtj/stno_four_coupled.cir") as f:
    TEMPLATE = f.read()


def deck(fa, fb):
    lines = []
    for line in TEMPLATE.splitlines():
        if line.lower().startswith("ia "):
            line = f"IA 0 line sin(0 3m {fa})"
        elif line.lower().startswith("ib "):
            line = f"IB 0 line sin(0 3m {fb})"
        lines.append(line)
    return "\n".join(lines) + "\n"


def main():
    fas = np.arange(266e6, 300.1e6, 2e6)
    fbs = np.arange(280e6, 316.1e6, 2e6)
    rows = []
    state = np.zeros((4, len(fbs), len(fas)))
    for j, fb in enumerate(fbs):
        for i, fa in enumerate(fas):
            t = mb.run(deck(fa, fb))
            code = []
            for k in range(4):
                f = mb.frequency(t, f"@n{k+1}[cr]", 1.5e-6)
                c = 1 if abs(f - fa) < 5e3 else 2 if abs(f - fb) < 5e3 else 0
                state[k, j, i] = c
                code += [f, c]
            rows.append([fa, fb] + code)
        print(f"fB {fb/1e6:.0f} MHz done")
    header = ["fa", "fb"] + [x for k in range(1, 5) for x in (f"f{k}", f"lock{k}")]
    mb.write_csv("sync_map.csv", header, rows)
    cmap = ListedColormap(["white", "tab:blue", "tab:orange"])
    ext = [fas[0] / 1e6 - 1, fas[-1] / 1e6 + 1, fbs[0] / 1e6 - 1, fbs[-1] / 1e6 + 1]
    fig, ax = plt.subplots(1, 5, figsize=(20, 4.2))
    for k in range(4):
        ax[k].imshow(state[k], origin="lower", extent=ext, cmap=cmap, vmin=0, vmax=2, aspect="auto")
        ax[k].set(title=f"oscillator {k+1}: blue = locked to A, orange = to B", xlabel="fA (MHz)", ylabel="fB (MHz)")
    im = ax[4].imshow((state > 0).sum(axis=0), origin="lower", extent=ext, cmap="viridis", vmin=0, vmax=4, aspect="auto")
    ax[4].set(title="number of locked oscillators", xlabel="fA (MHz)", ylabel="fB (MHz)")
    fig.colorbar(im, ax=ax[4])
    fig.tight_layout()
    fig.savefig("sync_map.png", dpi=100)


if __name__ == "__main__":
    main()
