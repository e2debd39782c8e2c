#!/usr/bin/python3
"""Locking range of stno_locking_noise.cir's oscillator against noise (see the deck).

Per run, the beat phase psi = unwrap(arg(c exp(i 2 pi fe t))) over 2..12 us; the phase-slip
rate is |psi(end) - psi(start)| / (2 pi x 10 us) (one slip = 0.1 MHz). Locked: below 0.1 MHz.

Theory, Adler's equation with noise  dpsi/dt = -dw - eps sin psi + sqrt(2 D) xi:
  - eps and the centre fc of the tongue are fitted to the noiseless (0 K) runs' beat
    frequency sqrt((fe - fc)^2 - (eps / 2 pi)^2) outside the tongue, and eps is reported
    against the weak-drive value (force irf / 2) sqrt(1 + nu^2) / sqrt(p0);
  - at T > 0 the centre moves by the measured shift of the free-running frequency, and
    D = pi W(T), W the Kim-Tiberkevich-Slavin linewidth (FWHM, Hz), 0.837 MHz at 300 K;
  - the mean slip rate is Stratonovich's formula for the tilted washboard U = dw psi -
    eps cos psi: v = 2 pi D (1 - exp(-2 pi dw / D)) / int_0^2pi int_0^2pi exp((U(x) - U(x + y)) / D) dy dx
    (no free parameter beyond the 0 K fit).
Usage: stno_locking_noise.py stno_locking_noise.csv [plot.png]"""
import sys
import numpy as np
from scipy.optimize import brentq, curve_fit

KB = 1.380649e-23
GG, SIGMA, Q, NF, EOSC, I, FORCE, IRF = np.pi * 1e7, 7.85398163e9, 1.0, 150e6, 1e-17, 8e-3, 3e10, 25e-6
T0, T1, THRESHOLD = 2e-6, 12e-6, 0.1e6


def kts_linewidth(kelvin):  # Hz, full width at half maximum
    zeta = I * SIGMA / GG
    p0 = (zeta - 1) / (zeta + Q)
    gplus = GG * (1 + Q * p0)
    geff = p0 * (GG * Q + SIGMA * I)
    nu = 2 * np.pi * NF * p0 / geff
    return gplus * KB * kelvin / (EOSC * p0) * (1 + nu ** 2) / (2 * np.pi)


def weak_drive_eps():  # rad/s
    zeta = I * SIGMA / GG
    p0 = (zeta - 1) / (zeta + Q)
    nu = 2 * np.pi * NF * p0 / (p0 * (GG * Q + SIGMA * I))
    return FORCE * IRF / 2 * np.sqrt(1 + nu ** 2) / np.sqrt(p0)


def slip_rate(dw, eps, d, n=400):
    """Mean |dpsi/dt| / 2 pi (Hz) of Adler's equation with noise; dw, eps in rad/s, d in rad^2/s.
    The quadrature needs n well above sqrt(eps / d) x 100: n = 400 is within 0.1 % for
    d >= 0.4 eps (the 300 K case here), 1600 for d = 0.1 eps."""
    dw = abs(dw)
    if d == 0:
        return np.sqrt(max(dw * dw - eps * eps, 0.0)) / (2 * np.pi)
    x = np.linspace(0, 2 * np.pi, n, endpoint=False)
    y = np.linspace(0, 2 * np.pi, n + 1)
    # (U(x) - U(x + y)) / D with U = -dw psi - eps cos psi written for the downhill direction
    # (psi decreasing at rate dw); shifted by its maximum so that nothing overflows.
    e = (eps * np.cos(x[:, None] + y[None, :]) - eps * np.cos(x[:, None]) + dw * (-y[None, :])) / d
    big = e.max()
    inner = np.trapz(np.exp(e - big), y, axis=1)
    integral = np.mean(inner) * 2 * np.pi  # periodic in x
    # v = 2 pi D (1 - exp(-2 pi dw / D)) / (integral x exp(big))
    return d * (1 - np.exp(-2 * np.pi * dw / d)) / (integral * np.exp(big))


def read(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return {n: data[:, k] for k, n in enumerate(names)}


def beat(d, rows, fe):
    t = d["time"][rows]
    keep = (t >= T0 - 1e-12) & (t <= T1 + 1e-12)
    t = t[keep]
    c = d["@n1[cr]"][rows][keep] + 1j * d["@n1[ci]"][rows][keep]
    psi = np.unwrap(np.angle(c * np.exp(2j * np.pi * fe * t)))
    return (psi[-1] - psi[0]) / (2 * np.pi * (t[-1] - t[0]))  # fe - f_osc, Hz


def edges(x, rate):
    """Locking range from a rate curve on a grid: the span where rate < THRESHOLD around its
    minimum, each edge interpolated linearly between the grid points that straddle it."""
    k = int(np.argmin(rate))
    if rate[k] >= THRESHOLD:
        return np.nan, np.nan
    lo, hi = k, k
    while lo > 0 and rate[lo - 1] < THRESHOLD:
        lo -= 1
    while hi < len(x) - 1 and rate[hi + 1] < THRESHOLD:
        hi += 1
    cross = lambda a, b: x[a] + (THRESHOLD - rate[a]) * (x[b] - x[a]) / (rate[b] - rate[a])
    return (cross(lo, lo - 1) if lo > 0 else np.nan), (cross(hi, hi + 1) if hi < len(x) - 1 else np.nan)


def main():
    d = read(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else "plots/stno_locking_noise.png"
    temps = sorted(set(d["temp"]))
    result = {}
    for celsius in temps:
        at = d["temp"] == celsius
        fes = sorted(set(d["fe"][at]))
        free = 100e6 - beat(d, at & (d["fe"] == 0), 100e6)
        fe = np.array([f for f in fes if f > 0])
        b = np.array([beat(d, at & (d["fe"] == f), f) for f in fe])
        result[celsius] = (free, fe, b)
    # The noiseless tongue: fc and eps from the beat outside it.
    free0, fe0, b0 = result[temps[0]]
    outside = np.abs(b0) > THRESHOLD
    adler = lambda f, fc, e: np.sign(f - fc) * np.sqrt(np.maximum((f - fc) ** 2 - e ** 2, 0))
    (fc0, e0), cov = curve_fit(adler, fe0[outside], b0[outside], p0=(100e6, 1e6))
    eps = 2 * np.pi * abs(e0)
    print(f"0 K: free running {free0 / 1e6:.4f} MHz; tongue centre {fc0 / 1e6:.4f} MHz, "
          f"eps / 2 pi = {abs(e0) / 1e6:.4f} +- {np.sqrt(cov[1, 1]) / 1e6:.4f} MHz "
          f"(weak-drive theory {weak_drive_eps() / 2 / np.pi / 1e6:.4f})")
    # The formula against its noiseless limit sqrt(dw^2 - eps^2) at weak noise (checked
    # also against an Euler-Maruyama simulation of the Langevin equation at 600 K: 362
    # against 361 kHz at 0.6 MHz detuning, 1234 against 1230 kHz at 1.5 MHz).
    weak = slip_rate(2 * eps, eps, 0.1 * eps, n=1600)
    assert abs(weak - np.sqrt(3) * eps / (2 * np.pi)) < 0.01 * weak, weak

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(12, 4.6))
    summary = []
    for celsius in temps:
        free, fe, b = result[celsius]
        kelvin = max(celsius + 273.15, 0.0)
        dd = np.pi * kts_linewidth(kelvin)
        fc = fc0 + (free - free0)
        rate = np.abs(b)
        lo, hi = edges(fe - fc, rate)
        g = np.linspace(-2.2e6, 2.2e6, 221)
        th = np.array([slip_rate(2 * np.pi * x, eps, dd) for x in g])
        f_th = lambda x: slip_rate(2 * np.pi * x, eps, dd) - THRESHOLD
        th_range = 2 * brentq(f_th, 0, 3e6) if f_th(0) < 0 else 0.0
        # The theory on the same grid, edges interpolated the same way (linear interpolation
        # on a 0.25 MHz grid cuts the square-root edge of the noiseless tongue short).
        th_lo, th_hi = edges(fe - fc, np.array([slip_rate(2 * np.pi * x, eps, dd) for x in fe - fc]))
        th_grid = th_hi - th_lo if np.isfinite(th_hi - th_lo) else 0.0
        measured = hi - lo if np.isfinite(hi - lo) else 0.0
        summary.append((kelvin, measured, th_range, th_grid))
        centre_rate = slip_rate(0, eps, dd)
        print(f"T = {kelvin:7.2f} K: free running {free / 1e6:.4f} MHz (shift {(free - free0) / 1e3:+.1f} kHz), "
              f"D = {dd:.3g} rad^2/s (2 eps / D = {2 * eps / dd if dd else np.inf:.3g}); "
              f"locking range {measured / 1e6:.3f} MHz (edges {lo / 1e6:+.3f} {hi / 1e6:+.3f}), "
              f"theory {th_range / 1e6:.3f} MHz (on the grid {th_grid / 1e6:.3f}); slip rate at the centre theory {centre_rate / 1e3:.3g} kHz, "
              f"measured {rate[np.argmin(np.abs(fe - fc))] / 1e3:.3g} kHz")
        line, = ax[0].plot((fe - fc) / 1e6, rate / 1e6, "o", ms=4, label=f"{kelvin:.0f} K simulated")
        ax[0].plot(g / 1e6, th / 1e6, "-", color=line.get_color(), lw=1,
                   label=f"{kelvin:.0f} K Adler + noise (Stratonovich)")
    ax[0].axhline(THRESHOLD / 1e6, color="k", ls=":", lw=0.8)
    ax[0].set(xlabel="detuning fe - fc (MHz)", ylabel="phase-slip rate |<f_osc> - fe| (MHz)",
              title=f"STNO driven by {IRF * 1e6:.0f} uA RF: phase slips vs detuning")
    ax[0].legend(fontsize=7)
    s = np.array(summary)
    ax[1].plot(s[:, 0], s[:, 1] / 1e6, "o", label="simulated (slip rate < 0.1 MHz over 10 us)")
    ax[1].plot(s[:, 0], s[:, 2] / 1e6, "s", mfc="none", label="Adler + noise theory, same criterion")
    ax[1].plot(s[:, 0], s[:, 3] / 1e6, "x", label="theory on the same 0.25 MHz grid")
    ax[1].set(xlabel="temperature (K)", ylabel="locking range (MHz)", title="locking range shrinks as noise grows")
    ax[1].set_ylim(bottom=0)
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)


if __name__ == "__main__":
    main()
