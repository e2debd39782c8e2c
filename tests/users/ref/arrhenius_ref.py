# Reference for arrhenius_rram_temp.cir: the deck's state equation (one ODE; the cell's
# node te from Rs and the cell's conductance) solved by scipy's Radau; the source's 10 us
# rise as written in PULSE.
import math
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq
ea, k0, v0, kb = 0.6, 1e12, 0.25, 8.617e-5
for vset in (1.0, 1.2):
    for tc in (25, 50, 75):
        kT = kb * (tc + 273.15)
        src = lambda t: vset * min(t / 10e-6, 1.0)
        def vte(t, x):
            g = 1e-6 + 99e-6 * x  # the cell (Rx hangs on x, not te)
            return src(t) / (1 + 1e3 * g)
        def f(t, y):
            x = y[0]
            r = k0 * math.exp(-ea / kT) * math.sinh(vte(t, x) / v0)
            return [r * (1 - x if x < 1 else 0.0) - x / 1e12]
        sol = solve_ivp(f, (0, 1e-3), [0.0], method="Radau", rtol=1e-11, atol=1e-14, dense_output=True,
                        max_step=1e-6)
        xe = sol.y[0][-1]
        th = brentq(lambda t: sol.sol(t)[0] - 0.5, 1e-9, 1e-3)
        print(f"vset={vset} T={tc} xend={xe:.8e} thalf={th:.8e}")
