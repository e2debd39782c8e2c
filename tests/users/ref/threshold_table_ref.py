# Reference for lt_threshold_table_lib.cir: the deck's state equation (the cell's voltage
# from the source, its Rser = 100 and the cell's resistance) solved by scipy's Radau, with
# the PWL breakpoints as integration limits.
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq
ron, roff, koff, kon, voff, von = 1e3, 100e3, 1000.0, -1000.0, 0.4, -0.3
src = lambda t: np.interp(t, [0, 1e-3, 2e-3, 3e-3, 4e-3], [0, 1, 0, -1, 0])
window = lambda x: np.interp(x, [0, 0.02, 0.98, 1], [0, 1, 1, 0])
clamp = lambda x: min(max(x, 0.0), 1.0)
res = lambda x: roff + (ron - roff) * clamp(x)
uramp = lambda v: max(v, 0.0)
def f(t, y):
    x = y[0]
    v = src(t) * res(x) / (res(x) + 100)
    return [(koff * uramp(v - voff) + kon * uramp(von - v)) * window(x) - x / 1e9]
ts, xs, y = [], [], [0.2]
segs = []
for a, b in zip([0, 1e-3, 2e-3, 3e-3], [1e-3, 2e-3, 3e-3, 4e-3]):
    s = solve_ivp(f, (a, b), y, method="Radau", rtol=1e-11, atol=1e-14, dense_output=True, max_step=1e-6)
    segs.append(s); y = [s.y[0][-1]]
x = lambda t: next(s for s in segs if s.t[0] <= t <= s.t[-1]).sol(t)[0]
tt = np.linspace(0, 4e-3, 400001)
xv = np.array([x(t) for t in tt])
print(f"xmax={xv.max():.8e} at {tt[xv.argmax()]:.6e}  xend={xv[-1]:.8e}")
th = brentq(lambda t: x(t) - 0.5, 1e-3, 2e-3)
i = np.array([src(t) / (res(xx) + 100) for t, xx in zip(tt, xv)])
print(f"tup={th:.8e} imax={i.max():.8e} at {tt[i.argmax()]:.6e}")
