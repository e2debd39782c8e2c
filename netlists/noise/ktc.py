#!/usr/bin/python3
"""<v^2> of rc_ktc.cir's capacitor against kB T / C, with the statistical error from
batch means (50 batches of 40 tau: each batch's variance is nearly independent)."""
import sys
import numpy as np

K_B, T, C = 1.380649e-23, 300.15, 1e-9
data = np.genfromtxt(sys.argv[1] if len(sys.argv) > 1 else "rc_ktc.csv", delimiter=",", names=True)
t, v = data["time"], data["va"]
keep = t > 10e-6  # past the start from the noiseless operating point
v = v[keep]
batches = np.array_split(v, 50)
var = np.mean([np.mean(b ** 2) for b in batches])
err = np.std([np.mean(b ** 2) for b in batches], ddof=1) / np.sqrt(len(batches))
print(f"<v^2> = {var:.4e} V^2 +- {err:.1e}; kT/C = {K_B * T / C:.4e}; ratio {var / (K_B * T / C):.4f} +- {err / (K_B * T / C):.4f}")
