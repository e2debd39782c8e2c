# Reference for ng_ddt_pwl_synapse.cir: the membrane's one ODE,
#   Cm dv/dt = gsyn pwl(vpre - v) + cc(v) dvpre/dt - v/Rleak,
# vpre the deck's pwl of time (its slope constant on each piece), solved piece by piece by
# scipy's Radau.
import numpy as np
from scipy.integrate import solve_ivp
tk = [0, 0.1e-3, 0.2e-3, 0.6e-3, 0.7e-3, 1.1e-3, 1.2e-3, 1.6e-3, 1.7e-3, 3e-3]
vk = [0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
gx, gy = [-1, 0, 0.2, 1], [0, 0, 0.05, 1]
cc = lambda v: 100e-12 * (1 + 0.5 * np.tanh(v / 0.05))
segs, y = [], [0.0]
for a, b, va, vb in zip(tk, tk[1:], vk, vk[1:]):
    slope = (vb - va) / (b - a)
    def f(t, y, a=a, va=va, slope=slope):
        vpre = va + slope * (t - a)
        v = y[0]
        d = vpre - v
        isyn = 10e-6 * np.interp(d, gx, gy, left=gy[0] + (d - gx[0]) * (gy[1] - gy[0]) / (gx[1] - gx[0]),
                                 right=gy[-1] + (d - gx[-1]) * (gy[-1] - gy[-2]) / (gx[-1] - gx[-2]))
        return [(isyn + cc(v) * slope - v / 100e3) / 1e-9]
    s = solve_ivp(f, (a, b), y, method="Radau", rtol=1e-11, atol=1e-15, dense_output=True, max_step=1e-7)
    segs.append(s); y = [s.y[0][-1]]
v = lambda t: next(s for s in segs if s.t[0] <= t <= s.t[-1]).sol(t)[0]
tt = np.linspace(0, 3e-3, 300001); vv = np.array([v(t) for t in tt])
m1 = tt <= 1e-3
print(f"vpk1={vv[m1].max():.8e} at {tt[m1][vv[m1].argmax()]:.5e} vpk2={vv[~m1].max():.8e} v2m={v(2e-3):.8e}")
from scipy.optimize import brentq
print(f"t10={brentq(lambda t: v(t) - 0.1, 1.6e-3, 1.9e-3):.8e}")
