#!/usr/bin/python3
"""Amplitude and frequency against DC current, for both models.

Writes current_stno.csv, current_mtj.csv and current.png here. Each point is one
transient (netlists/mtj/stno_free_running.cir and mtj_free_running.cir with the current
replaced); frequency by tools/freq's zero-crossing method on @N[cr] (stno) or @N[my]
(mtj) over the second half of the run, amplitude = (max - min)/2 of the same probe, and
for the stno the final power p against (zeta-1)/(zeta+Q).
"""
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import mtjbench as mb

STNO = """stno vs current
.model so stno
I1 0 a dc {i}
N1 a 0 so
.options reltol=1e-5
.probe v(a) @n1[cr] @n1[p]
.tran 0.1n 1.5u
.end
"""
MTJ = """mtj vs current
.model mj mtj (hx=4e4)
I1 0 a dc {i}
N1 a 0 mj
.options reltol=1e-5
.probe v(a) @n1[my] @n1[mx]
.tran 5p 100n uic
.end
"""


def main():
    rows = []
    for i in np.arange(2e-3, 12.01e-3, 0.25e-3):
        t = mb.run(STNO.format(i=i))
        p = t["@n1[p]"][-1]
        f = mb.frequency(t, "@n1[cr]", 0.75e-6) if p > 1e-4 else float("nan")
        zeta = i / 4e-3
        rows.append((i, p, max(zeta - 1, 0) / (zeta + 1), f, 250e6 + 150e6 * max(zeta - 1, 0) / (zeta + 1)))
    mb.write_csv("current_stno.csv", ["i_dc", "p", "p_theory", "f", "f_theory"], rows)
    stno = np.array(rows)

    rows = []
    for i in np.arange(10e-6, 130.1e-6, 5e-6):
        t = mb.run(MTJ.format(i=i))
        tt, my = mb.freq.window(t["time"], t["@n1[my]"], 50e-9)
        amp = mb.freq.amplitude(my)
        f = mb.freq.zero_crossing_frequency(tt, my) if amp > 1e-3 else float("nan")
        rows.append((i, amp, f, float(np.mean(mb.freq.window(t["time"], t["@n1[mx]"], 50e-9)[1]))))
    mb.write_csv("current_mtj.csv", ["i_dc", "my_amplitude", "f", "mx_mean"], rows)
    mtj = np.array(rows)

    fig, ax = plt.subplots(2, 2, figsize=(10, 7))
    ax[0, 0].plot(stno[:, 0] * 1e3, stno[:, 1], "o", label="simulated p")
    ax[0, 0].plot(stno[:, 0] * 1e3, stno[:, 2], "-", label="(zeta-1)/(zeta+Q)")
    ax[0, 0].set(xlabel="I_dc (mA)", ylabel="power p", title="stno: amplitude")
    ax[0, 0].legend()
    ax[1, 0].plot(stno[:, 0] * 1e3, stno[:, 3] / 1e6, "o", label="simulated")
    ax[1, 0].plot(stno[:, 0] * 1e3, stno[:, 4] / 1e6, "-", label="f0 + nf p0")
    ax[1, 0].set(xlabel="I_dc (mA)", ylabel="frequency (MHz)", title="stno: frequency")
    ax[1, 0].legend()
    ax[0, 1].plot(mtj[:, 0] * 1e6, mtj[:, 1], "o")
    ax[0, 1].set(xlabel="I_dc (uA)", ylabel="my amplitude", title="mtj macrospin (hx = 4e4 A/m): amplitude")
    ax[1, 1].plot(mtj[:, 0] * 1e6, mtj[:, 2] / 1e9, "o")
    ax[1, 1].set(xlabel="I_dc (uA)", ylabel="frequency (GHz)", title="mtj macrospin: frequency")
    fig.tight_layout()
    fig.savefig("current.png", dpi=110)


if __name__ == "__main__":
    main()
