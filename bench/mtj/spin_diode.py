#!/usr/bin/python3
"""Spin diode: the macrospin MTJ below threshold (no DC current) driven by an RF current
irf sin(2 pi f t); the mean voltage over the last 10 ns against f
(netlists/mtj/mtj_spin_diode.cir with the frequency replaced). Writes spin_diode.csv and
spin_diode.png, with Kittel's frequency marked.
"""
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import mtjbench as mb

with open(mb.ROOT + "/netlists/mtj/mtj_spin_diode.cir") as f:
    TEMPLATE = f.read()


def main():
    rows = []
    for f in np.arange(2e9, 10.01e9, 0.1e9):
        deck = "\n".join(f"I1 0 a sin(0 10u {f})" if l.lower().startswith("i1 ") else l
                         for l in TEMPLATE.splitlines()) + "\n"
        t = mb.run(deck)
        rows.append((f, mb.mean(t, "v(a)", 20e-9, 30e-9)))
    mb.write_csv("spin_diode.csv", ["f", "v_dc"], rows)
    r = np.array(rows)
    g0 = 1.76085963e11 * 1.25663706212e-6 / (2 * np.pi)
    h, hk, meff = 4e4, 2e4, 4e5
    fk = g0 * np.sqrt((h + hk) * (h + hk + meff))
    print(f"peak |V_dc| at {r[np.argmax(np.abs(r[:, 1])), 0]/1e9:.2f} GHz; Kittel {fk/1e9:.3f} GHz")
    plt.figure(figsize=(6, 4))
    plt.plot(r[:, 0] / 1e9, r[:, 1] * 1e6, "o-")
    plt.axvline(fk / 1e9, color="k", ls="--", label="Kittel")
    plt.xlabel("RF frequency (GHz)")
    plt.ylabel("rectified DC voltage (uV)")
    plt.legend()
    plt.tight_layout()
    plt.savefig("spin_diode.png", dpi=110)


if __name__ == "__main__":
    main()
