# Reference for lt_biolek_step_hyst.cir: the deck's state equation solved by scipy's Radau
# (the circuit reduces to one ODE: i = v/(Rser + R(x)), dx/dt = k i (1 - (x - u(-i))^(2p)).
import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

ron, roff, k, rser = 100.0, 16e3, 1e4, 10.0
def src(t): return 1.2 * np.sin(2 * np.pi * t)
def cur(t, x): return src(t) / (rser + ron * x + roff * (1 - x))
def run(p):
    def f(t, y):
        i = cur(t, y[0]); s = 1.0 if i < 0 else 0.0
        return [k * i * (1 - (y[0] - s) ** (2 * p))]
    sol = solve_ivp(f, (0, 2), [0.1], method="Radau", rtol=1e-11, atol=1e-14, dense_output=True,
                    max_step=1e-3)
    x = lambda t: sol.sol(t)[0]
    vin = lambda t: src(t) - rser * cur(t, x(t))
    tu = brentq(lambda t: vin(t) - 0.6, 0.0, 0.25)
    td = brentq(lambda t: vin(t) - 0.6, 0.25, 0.5)
    iup, idn = -cur(tu, x(tu)), -cur(td, x(td))
    ts = np.linspace(0, 2, 200001)
    xmax = max(x(ts))
    tt = np.linspace(0, 0.5, 200001)
    pw = [vin(t) * cur(t, x(t)) for t in tt]
    ein = np.trapz(pw, tt)
    print(f"p={p} xmax={xmax:.7e} iup={iup:.7e} idn={idn:.7e} lobe={idn/iup:.7e} ein={ein:.7e}")
for p in (1, 2, 4): run(p)
