#!/usr/bin/python3
"""Arnold tongue of the stno: locked or not, over RF amplitude x drive frequency.

netlists/mtj/stno_injection_locking.cir with the SIN amplitude and frequency replaced:
8 mA DC plus irf sin(2 pi fe t). Locked when the zero-crossing frequency of @n1[cr] over
the last 1.5 us equals fe within 5 kHz (one phase slip in that window would be 0.67
MHz). Writes tongue.csv (every point), tongue_range.csv (locking range per amplitude,
with the weak-drive theory) and tongue.png.
"""
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import mtjbench as mb

DECK = """stno injection locking
.model so stno
I1 0 a dc 8m sin(8m {irf} {fe})
N1 a 0 so
.options reltol=1e-5
.probe @n1[cr]
.tran 0.1n 3u
.end
"""


def main():
    amps = np.array([0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4]) * 1e-3
    freqs = np.arange(280e6, 320.1e6, 1e6)
    rows, ranges = [], []
    for irf in amps:
        locked = []
        for fe in freqs:
            f = mb.frequency(mb.run(DECK.format(irf=irf, fe=fe)), "@n1[cr]", 1.5e-6)
            lk = abs(f - fe) < 5e3
            locked.append(lk)
            rows.append((irf, fe, f, int(lk)))
        lf = freqs[np.array(locked)]
        width = (lf.max() - lf.min() + 1e6) if len(lf) else 0.0  # +1 grid step: edges fall between points
        p0, nu = 1 / 3, 2 * np.pi * 150e6 / (3.14159265e7 + 7.85398163e9 * 8e-3)
        theory = 2 * (3e10 * irf / 2) * np.sqrt(1 + nu**2) / np.sqrt(p0) / (2 * np.pi)
        ranges.append((irf, lf.min() if len(lf) else np.nan, lf.max() if len(lf) else np.nan, width, theory))
        print(f"irf {irf*1e3:.3f} mA: locked {len(lf)} of {len(freqs)} points, range ~{width/1e6:.1f} MHz (theory {theory/1e6:.1f})")
    mb.write_csv("tongue.csv", ["irf", "fe", "f_osc", "locked"], rows)
    mb.write_csv("tongue_range.csv", ["irf", "f_lo", "f_hi", "width", "width_theory"], ranges)
    r = np.array(rows)
    fig, ax = plt.subplots(1, 2, figsize=(11, 4.5))
    ax[0].scatter(r[:, 1] / 1e6, r[:, 0] * 1e3, c=r[:, 3], cmap="coolwarm", marker="s", s=40)
    ax[0].set(xlabel="drive frequency (MHz)", ylabel="RF amplitude (mA)", title="Arnold tongue (red: locked)")
    g = np.array(ranges)
    ax[1].plot(g[:, 0] * 1e3, g[:, 3] / 1e6, "o", label="simulated (1 MHz grid)")
    ax[1].plot(g[:, 0] * 1e3, g[:, 4] / 1e6, "-", label="weak-drive theory")
    ax[1].set(xlabel="RF amplitude (mA)", ylabel="locking range (MHz)")
    ax[1].legend()
    fig.tight_layout()
    fig.savefig("tongue.png", dpi=110)


if __name__ == "__main__":
    main()
