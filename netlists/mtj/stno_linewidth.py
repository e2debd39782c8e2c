#!/usr/bin/python3
"""Linewidth of stno_linewidth.cir's oscillator at each temperature, two ways, against the
Kim-Tiberkevich-Slavin theory (full width at half maximum, see the deck):
  - the line: the averaged periodogram of c = cr + i ci (Hann segments of 2^15 samples,
    half overlapping) fitted by a Lorentzian seen through the same window (the expected
    periodogram of a process with correlation A exp(-pi W |tau| + i 2 pi f0 tau), so the
    window's own width is not mistaken for the line's);
  - the phase diffusion: Var[phi(t + tau) - phi(t)] = 2 pi W tau for tau >> 1/(2 Geff).
Usage: stno_linewidth.py stno_linewidth.csv [plot.png]"""
import sys
import numpy as np
from scipy.optimize import curve_fit

KB = 1.380649e-23
GG, SIGMA, Q, NF, EOSC, I = np.pi * 1e7, 7.85398163e9, 1.0, 150e6, 1e-17, 8e-3


def theory(kelvin):
    zeta = I * SIGMA / GG
    p0 = (zeta - 1) / (zeta + Q)
    gplus = GG * (1 + Q * p0)
    geff = p0 * (GG * Q + SIGMA * I)
    nu = 2 * np.pi * NF * p0 / geff
    return gplus * KB * kelvin / (EOSC * p0) * (1 + nu ** 2) / (2 * np.pi)  # Hz


def read(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return {n: data[:, k] for k, n in enumerate(names)}


def line_fit(z, dt, seg=1 << 15):
    w = np.hanning(seg)
    starts = range(0, len(z) - seg + 1, seg // 2)
    psd = np.mean([np.abs(np.fft.fft(w * (z[s:s + seg] - np.mean(z[s:s + seg])))) ** 2 for s in starts], axis=0)
    freq = np.fft.fftfreq(seg, dt)
    rw = np.correlate(w, w, mode="full")  # lags -(seg-1) .. seg-1
    lags = np.arange(-(seg - 1), seg) * dt

    def expected(f0, width, amp):
        r = amp * np.exp(-np.pi * width * np.abs(lags) + 2j * np.pi * f0 * lags) * rw
        folded = r[seg - 1:].copy()
        folded[1:] += r[:seg - 1]
        return np.real(np.fft.fft(folded))

    k = np.argmax(psd)
    f0, guess = freq[k], 1e6
    # Within 3 MHz of the centre: well inside 2 Geff / 2 pi = 10 MHz, beyond which the
    # frequency noise (correlated over 1/(2 Geff)) is no longer white and the wings fall
    # faster than a Lorentzian's. Fitted in log, so each bin counts by its relative error.
    near = np.abs(freq - f0) < 3e6
    fit = lambda f, f0, width, amp: np.log(np.abs(expected(f0, width, amp)[near]))
    amp0 = psd[k] * np.pi * guess / (np.sum(w ** 2) / dt) / 2
    (f0, width, amp), cov = curve_fit(fit, freq, np.log(psd[near]), p0=(f0, guess, amp0))
    return f0, abs(width), np.sqrt(cov[1, 1]), freq, psd, expected(f0, width, amp)


def diffusion(z, dt):
    phi = np.unwrap(np.angle(z))
    taus, variances = [], []
    for tau in np.arange(100e-9, 1.001e-6, 100e-9):  # well past 1/(2 Geff) = 16 ns
        lag = int(round(tau / dt))
        d = phi[lag:] - phi[:-lag]
        taus.append(lag * dt)
        variances.append(np.var(d))
    slope = np.polyfit(taus, variances, 1)[0]
    return slope / (2 * np.pi)


if __name__ == "__main__":
    d = read(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else "plots/stno_linewidth.png"
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for celsius in sorted(set(d["temp"])):
        rows = (d["temp"] == celsius) & (d["time"] > 2e-6)
        t, z = d["time"][rows], d["@n1[cr]"][rows] + 1j * d["@n1[ci]"][rows]
        dt = t[1] - t[0]
        kelvin = celsius + 273.15
        f0, width, err, freq, psd, model = line_fit(z, dt)
        w_phase = diffusion(z, dt)
        w_th = theory(kelvin)
        print(f"T = {kelvin:.2f} K: line at {abs(f0) / 1e6:.2f} MHz, Lorentzian FWHM {width / 1e6:.4f} +- {err / 1e6:.4f} MHz, "
              f"phase diffusion {w_phase / 1e6:.4f} MHz, KTS theory {w_th / 1e6:.4f} MHz; "
              f"ratio {width / w_th:.3f} (line), {w_phase / w_th:.3f} (diffusion)")
        order = np.argsort(freq)
        x = (freq[order] - f0) / 1e6
        keep = np.abs(x) < 8
        ax.semilogy(x[keep], psd[order][keep] / psd.max(), ".", ms=3, label=f"{kelvin:.0f} K simulated")
        ax.semilogy(x[keep], model[order][keep] / psd.max(), "-", label=f"{kelvin:.0f} K Lorentzian fit: {width / 1e6:.3f} MHz "
                    f"(theory {w_th / 1e6:.3f})")
    ax.set_xlabel("frequency - line centre (MHz)")
    ax.set_ylabel("power spectral density of c (normalised)")
    ax.set_title("STNO thermal linewidth vs Kim-Tiberkevich-Slavin")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
