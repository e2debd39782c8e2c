#!/usr/bin/python3
"""The macrospin's equilibrium under its thermal field against Boltzmann's distribution.
Theory: <m_i^2> over the sphere with weight exp(-E(m) / kB T),
E = -mu0 Ms V (Hk mx^2 / 2 - Meff mz^2 / 2) (easy axis x, no applied field, no current),
by quadrature; the equipartition values kB T / (mu0 Ms V Hk) for my and
kB T / (mu0 Ms V (Hk + Meff)) for mz are its small-angle limits.
Usage: mtj_boltzmann.py OUT.csv MS HK MEFF VOLUME T_KELVIN [SKIP_SECONDS]"""
import sys
import numpy as np

MU0, KB = 1.25663706212e-6, 1.380649e-23


def boltzmann(ms, hk, meff, volume, kelvin):
    th = np.linspace(0, np.pi, 2001)
    ph = np.linspace(0, 2 * np.pi, 4001)
    TH, PH = np.meshgrid(th, ph, indexing="ij")
    mx, my, mz = np.sin(TH) * np.cos(PH), np.sin(TH) * np.sin(PH), np.cos(TH)
    e = -MU0 * ms * volume * (hk * mx ** 2 / 2 - meff * mz ** 2 / 2)
    w = np.exp(-(e - e.min()) / (KB * kelvin)) * np.sin(TH)
    z = np.trapz(np.trapz(w, ph, axis=1), th)
    avg = lambda f: np.trapz(np.trapz(f * w, ph, axis=1), th) / z
    return avg(my ** 2), avg(mz ** 2)


def read(path):
    with open(path) as f:
        names = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return {n: data[:, k] for k, n in enumerate(names)}


if __name__ == "__main__":
    path = sys.argv[1]
    ms, hk, meff, volume, kelvin = map(float, sys.argv[2:7])
    skip = float(sys.argv[7]) if len(sys.argv) > 7 else 0
    d = read(path)
    keep = d["time"] > skip
    my2_th, mz2_th = boltzmann(ms, hk, meff, volume, kelvin)
    print(f"equipartition: <my^2> {KB * kelvin / (MU0 * ms * volume * hk):.4e}  <mz^2> {KB * kelvin / (MU0 * ms * volume * (hk + meff)):.4e}")
    for name, theory in (("@n1[my]", my2_th), ("@n1[mz]", mz2_th)):
        x = d[name][keep]
        batches = [np.mean(b ** 2) for b in np.array_split(x, 40)]
        m, e = np.mean(batches), np.std(batches, ddof=1) / np.sqrt(len(batches))
        print(f"{name}^2: simulated {m:.4e} +- {e:.1e}, Boltzmann {theory:.4e}, ratio {m / theory:.4f} +- {e / theory:.4f}")
