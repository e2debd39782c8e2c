#!/usr/bin/env python3
"""A single-layer perceptron on 1T1R RRAM synapses, trained only with weak-reset pulses
(M. Drouhin's thesis, chapter 4), on scikit-learn's 8x8 handwritten digits.

Each weight is the difference of two cells' conductances, w = G_BLb - G_BL, on a crossbar
of 65 rows (64 pixels and a bias) by 20 columns (BL and BLb for each of the 10 digits).
All cells start formed (low resistance); a weak reset (Table 4.1: 0.9 V on the source line,
4.5 V on the gate, 0.6 us) only lowers a cell's conductance, so raising w resets the BL
cell and lowering it resets the BLb cell.

1. The conductance-vs-pulse curves come from neurospice's own programming transients:
   forming, then a train of weak resets, with device-to-device variability (.mc: the
   filament's growth speed vel0 and the barrier ea drawn per run); every cell of the array
   is given one of the simulated devices.
2. Training (in numpy, per mini-batch, the sign-only "Manhattan" perceptron rule): where
   the batch's errors ask for a weight change, that weight's cell receives one pulse, and
   its conductance moves along its device's curve.
3. Every epoch, inference runs the programmed array as a crossbar .op through the module
   (the read: 0.2 V x pixel on each row, gates at 3 V, wire resistance between cells); the
   predicted digit is the column pair with the largest current difference. A .step over
   the test images runs them all in one deck.
The same training with ideal weights (each pulse a fixed, symmetric, unbounded step)
gives the reference accuracy.

    PYTHONPATH=build/python netlists/python/perceptron_1t1r.py [--quick] [--epochs N] [--figure F.png]

It prints the accuracies per epoch and the CPU time of each part, and writes the figure
(the devices' conductance-vs-pulse curves; accuracy per epoch).

Measured with the defaults (32 simulated devices, 150 pulses, 360 test images, 8 epochs,
rwire 1 ohm, seed 1): 248 s CPU in all (212 s user, 36 s system; 21 min wall on 2 cores
shared with 5 other jobs), of which the programming transients 4 s (817,396 steps) and
the 9 crossbar reads 240 s: 3,240 .op points of the 1,300-cell array, 74 ms each.
After forming G = 27.6 +- 4.6 uS; after 10 / 50 / 100 / 150 weak resets 25.3 / 16.3 /
8.3 / 4.6 uS (min..max 17.1..35.7, 12.3..17.0, 2.5..10.3, 1.4..7.6). Test accuracy per
epoch 0..8:
    ideal weights          0.089 0.631 0.867 0.942 0.917 0.903 0.908 0.922 0.894
    1T1R, numpy read-out   0.136 0.614 0.797 0.844 0.831 0.872 0.900 0.881 0.911
    1T1R, crossbar .op     0.139 0.625 0.786 0.839 0.833 0.875 0.900 0.897 0.906
    pulses per cell          0   4.8   7.7   9.6  11.1  12.3  13.3  14.5  15.7
360 images leave each accuracy uncertain by about +-0.016 (binomial): the 1T1R perceptron
trails the ideal one by 0.07-0.10 in epochs 2-4 and reaches it by epoch 6; the crossbar's
wire resistance and non-linear read change at most 0.016 (6 images) against the numpy
read-out of the same conductances. No cell reached the end of its 150-pulse curve.

With --quick (8 devices, 120 test images, 3 epochs; 5.3 min wall on the loaded machine):
    ideal weights            0.075  0.925  0.892  0.858
    1T1R, numpy read-out     0.108  0.717  0.842  0.908
    1T1R, crossbar .op       0.108  0.717  0.850  0.908   (5.4, 7.9, 9.7 pulses per cell)
"""
import argparse
import pathlib
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

import neurospice

here = pathlib.Path(__file__).resolve().parent
card = (here.parent / "rram" / "hfox_card.lib").resolve()

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=8)
ap.add_argument("--devices", type=int, default=32, help="Monte Carlo devices simulated")
ap.add_argument("--pulses", type=int, default=150, help="weak resets per device")
ap.add_argument("--test", type=int, default=360, help="test images (at most 500)")
ap.add_argument("--rwire", type=float, default=1.0, help="wire resistance per cell pitch [ohm]")
ap.add_argument("--quick", action="store_true", help="3 epochs, 8 devices, 120 test images")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--figure", default="perceptron_1t1r.png")
args = ap.parse_args()
if args.quick:
    args.epochs, args.devices, args.test = 3, 8, 120
rng = np.random.default_rng(args.seed)

# %% 1. Programming transients: forming, then weak resets every 2 us; a row every 2 us, so
# row j after the forming is the cell after j pulses. vel0 and ea vary from run to run.
model = next(l for l in card.read_text().split("\n.model") if l.startswith(" hfox1t1r_card"))
model = ".model" + model.replace("hfox1t1r_card", "cell", 1)
model = model.replace("vel0=10", "vel0={agauss(10, 1.5, 1)}").replace("ea=0.6", "ea={agauss(0.6, 0.01, 1)}")
program = f"""weak-reset train on one 1T1R cell after forming
{model}
vbl bl 0 pwl(0 0 1u 0 1.05u 2.4 11u 2.4 11.05u 0)
vwlf wlf 0 pwl(0 0 1u 0 1.05u 2.8 11u 2.8 11.05u 0)
vwl wl wlf pulse(0 4.5 21u 20n 20n 0.6u 2u)
vsl sl 0 pulse(0 0.9 21u 20n 20n 0.6u 2u)
n1 wl bl sl cell
.probe @n1[g] @n1[gap]
.tran 2u {20 + 2 * args.pulses}u uic
.mc {args.devices}
.end
"""
cpu = time.process_time()  # CPU seconds of every thread of this process
programmed = neurospice.run(program, seed=args.seed, progress=True, name="program_train.cir")
print(f"programming transients: {time.process_time() - cpu:.0f} s CPU, {programmed.stats.get('steps')} steps, "
      f"{programmed.stats.get('newton_iterations')} Newton iterations")
prog = programmed.tran
prog = prog[prog["time"] > 19e-6]
curves_g = np.stack([g["@n1[g]"].to_numpy() for _, g in prog.groupby("run")])   # devices x (pulses+1)
curves_gap = np.stack([g["@n1[gap]"].to_numpy() for _, g in prog.groupby("run")])
print(f"{len(curves_g)} devices; G after forming {curves_g[:, 0].mean() * 1e6:.1f} "
      f"+- {curves_g[:, 0].std() * 1e6:.1f} uS, after {args.pulses} pulses "
      f"{curves_g[:, -1].mean() * 1e6:.2f} +- {curves_g[:, -1].std() * 1e6:.2f} uS")
for j in sorted({j for j in (1, 10, 50, 100, args.pulses) if j <= args.pulses}):
    print(f"  pulse {j:3d}: G = {curves_g[:, j].mean() * 1e6:6.2f} uS (min {curves_g[:, j].min() * 1e6:6.2f}, "
          f"max {curves_g[:, j].max() * 1e6:6.2f})")
# The ideal perceptron's step: the mean conductance change per pulse over the first 50.
step = float((curves_g[:, 0] - curves_g[:, 50]).mean() / 50)

# %% The data: pixels 0..16 scaled to 0..1, a bias input of 1; a fixed shuffle.
digits = load_digits()
x = np.hstack([digits.data / 16.0, np.ones((len(digits.data), 1))])
y = digits.target
order = rng.permutation(len(x))
test, train = order[: args.test], order[args.test:]
rows, classes = x.shape[1], 10

# Every cell (row, column) is one of the simulated devices, and has received n pulses.
device = rng.integers(len(curves_g), size=(rows, 2 * classes))
pulses = np.zeros((rows, 2 * classes), dtype=int)


def conductance():
    return curves_g[device, np.minimum(pulses, args.pulses)]


def device_weights():
    g = conductance()
    return g[:, 1::2] - g[:, 0::2]  # G_BLb - G_BL per digit


ideal = np.zeros((rows, classes))


def manhattan_updates(w, images, labels, threshold=1.0):
    """The batch's perceptron corrections: +1 where a weight should rise, -1 where it
    should fall (the summed correction above `threshold`), 0 elsewhere."""
    predicted = np.argmax(images @ w, axis=1)
    wrong = predicted != labels
    delta = np.zeros_like(w)
    np.add.at(delta.T, labels[wrong], images[wrong])
    np.add.at(delta.T, predicted[wrong], -images[wrong])
    return np.where(delta > threshold, 1, np.where(delta < -threshold, -1, 0))


# %% 3. Inference on the crossbar: one .op per test image, as one .step over the images.
def crossbar_deck(images):
    """The programmed array: row i's input is 0.2 V x its pixel in image s (a table of
    s), BL/BLb of digit k are columns 2k and 2k+1, read through 0 V sources at the
    bottom; rwire between neighbouring cells on every row and column."""
    gap = curves_gap[device, np.minimum(pulses, args.pulses)]
    lines = ["1T1R perceptron crossbar read", f".include {card}", "vwl wl 0 dc 3"]
    index = range(len(images))
    for i in range(rows):
        table = ", ".join(f"{s}, {images[s, i]:.6g}" for s in index)
        lines.append(f"vrow_{i} r_{i}_in 0 dc {{0.2 * table(s, {table})}}")
        for j in range(2 * classes):
            left = f"r_{i}_in" if j == 0 else f"r_{i}_{j - 1}"
            lines.append(f"rr_{i}_{j} {left} r_{i}_{j} {args.rwire}")
            lines.append(f"n_{i}_{j} wl r_{i}_{j} c_{i}_{j} hfox1t1r_card gap={gap[i, j]:.6g}n")  # the probe is in nm
            below = f"col_{j}" if i == rows - 1 else f"c_{i + 1}_{j}"
            lines.append(f"rc_{i}_{j} c_{i}_{j} {below} {args.rwire}")
    for j in range(2 * classes):
        lines.append(f"vcol_{j} col_{j} 0 dc 0")
    lines.append(".probe " + " ".join(f"i(vcol_{j})" for j in range(2 * classes)))
    lines += [".param s=0", f".step param s 0 {len(images) - 1} 1", ".op", ".end"]
    return "\n".join(lines) + "\n"


crossbar_cpu = []  # per epoch: CPU seconds of the deck's text, of the run


def crossbar_accuracy(images, labels):
    cpu = time.process_time()
    deck = crossbar_deck(images)
    built = time.process_time()
    op = neurospice.run(deck, progress=True, name="crossbar.cir").op
    crossbar_cpu.append((built - cpu, time.process_time() - built))
    current = np.abs(op[[f"i(vcol_{j})" for j in range(2 * classes)]].to_numpy())
    predicted = np.argmax(current[:, 1::2] - current[:, 0::2], axis=1)
    return float(np.mean(predicted == labels))


def accuracy(w, images, labels):
    return float(np.mean(np.argmax(images @ w, axis=1) == labels))


print(f"\n{'epoch':>5} {'ideal':>7} {'1T1R (numpy)':>13} {'1T1R crossbar .op':>18} {'pulses/cell':>12} "
      f"{'saturated':>10} {'.op CPU s':>10}")
batch = 50
history = []
for epoch in range(args.epochs + 1):
    if epoch > 0:
        for start in range(0, len(train), batch):
            rows_in = train[start:start + batch]
            images, labels = x[rows_in], y[rows_in]
            ideal += step * manhattan_updates(ideal, images, labels)
            sign = manhattan_updates(device_weights(), images, labels)
            pulses[:, 0::2] += sign > 0   # raise w: reset the BL cell
            pulses[:, 1::2] += sign < 0   # lower w: reset the BLb cell
        train = train[rng.permutation(len(train))]
    history.append((accuracy(ideal, x[test], y[test]), accuracy(device_weights(), x[test], y[test]),
                    crossbar_accuracy(x[test], y[test])))
    print(f"{epoch:5d} {history[-1][0]:7.3f} {history[-1][1]:13.3f} {history[-1][2]:18.3f} {pulses.mean():12.1f} "
          f"{np.mean(pulses >= args.pulses):10.3f} {sum(crossbar_cpu[-1]):10.0f}", flush=True)
text_cpu, run_cpu = (sum(c) for c in zip(*crossbar_cpu))
print(f"crossbar reads: {len(crossbar_cpu)} x {len(test)} .op points, {text_cpu:.0f} s CPU writing the decks, "
      f"{run_cpu:.0f} s CPU in neurospice.run; total {time.process_time():.0f} s CPU")

# %% The figure: the devices' conductance-vs-pulse curves, and accuracy per epoch.
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.plot(np.arange(curves_g.shape[1]), curves_g.T * 1e6, lw=0.7, alpha=0.6)
ax1.set(xlabel="weak-reset pulses", ylabel="conductance [µS]",
        title=f"{len(curves_g)} simulated 1T1R cells (.mc)")
epochs = np.arange(len(history))
for k, label in enumerate(("ideal weights", "1T1R, numpy read-out", "1T1R, crossbar .op")):
    ax2.plot(epochs, [h[k] for h in history], "o-", label=label)
ax2.set(xlabel="epoch", ylabel="test accuracy", ylim=(0, 1), title=f"digits, {len(test)} test images")
ax2.legend()
fig.tight_layout()
fig.savefig(args.figure, dpi=120)
print("wrote", args.figure)
