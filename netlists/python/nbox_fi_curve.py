#!/usr/bin/env python3
"""The NbOx neuron's f-I curve from Python: netlists/nbox/fi_curve_step.cir (thesis
Fig. 2.7 circuit) swept over its input current, then again with half the external
capacitance, read as pandas DataFrames and plotted.

Run from a build tree (or after `cmake --install`):
    PYTHONPATH=build/python netlists/python/nbox_fi_curve.py [figure.png]

Measured (2 min on 2 shared cores): with 200 pF the curve of the deck's own notes (0.53 MHz
at 60 uA, a maximum of 4.95 MHz at 860 uA, 0 from 920 uA); with 100 pF the rate is higher
at every current (0.93 MHz at 60 uA, 8.1 MHz at 900 uA) and stops at the same 920 uA.
"""
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import neurospice

here = pathlib.Path(__file__).resolve().parent
figure = sys.argv[1] if len(sys.argv) > 1 else "nbox_fi_curve.png"

# %% The device: NbOx's parameter table, as `neurospice --describe nbox` prints it.
params = neurospice.describe("nbox")
print(params[["unit", "default", "doc"]].to_string(max_colwidth=60))

# %% The deck as it is: .step param is 20u..1000u; the .meas cards give the spike rate
# over the second half of each 40 us run. result.meas has one row per .step point.
deck = here.parent / "nbox" / "fi_curve_step.cir"
nominal = neurospice.run(deck, progress=True)
print(nominal.meas[["is", "rate", "spikes", "isi_cv"]].to_string(index=False))
print("integrator:", {k: v for k, v in nominal.stats.items() if k != "rows"})

# %% The same sweep with Cext halved, without editing the file: the deck's text with
# Cext made a .param, overridden per run.
text = deck.read_text().replace("Cext a 0 200p", "Cext a 0 {cext}").replace(".param is=335u", ".param is=335u cext=200p")
halved = neurospice.run(text, params={"cext": 100e-12}, name="fi_curve_cext.cir")

# %% One spike train, at 340 uA, from the stepped transient table: its step column selects it.
train = nominal.tran[nominal.tran["is"] == 340e-6]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
for result, label in ((nominal, "Cext = 200 pF"), (halved, "Cext = 100 pF")):
    ax1.plot(result.meas["is"] * 1e6, result.meas["rate"] / 1e6, "o-", ms=3, label=label)
ax1.set(xlabel="input current [µA]", ylabel="spike rate [MHz]", title="NbOx neuron f-I curve")
ax1.legend()
ax2.plot(train["time"] * 1e6, train["@n1[t]"])
ax2.set(xlabel="time [µs]", ylabel="device temperature [K]", title="is = 340 µA")
fig.tight_layout()
fig.savefig(figure, dpi=120)
print("wrote", figure)
