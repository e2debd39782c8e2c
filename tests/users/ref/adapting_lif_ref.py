#!/usr/bin/python3
"""Reference for tests/users/ng_sw_csw_adapting_lif.cir, without any simulator.

Between switch events the circuit is linear in (vm, a):
  Cm vm' = Iin - vm/Rm - vm/(rS + Rdis) - 2u a      (S1 in series with Rdis, sensed by Vsense)
  Ca a'  = (Vpump - a)/(rW + Rpump) - a/Ra           (W1 in series with Rpump)
with rS, rW = ron or roff. It is solved exactly (matrix exponential of the affine system),
and each event found by bisection on the exact solution to 1e-16 s: S1 turns on where vm
rises above vt+vh = 1.0 V, off below vt-vh = 0.2 V; W1 on where the reset current
vm/(rS + Rdis) rises above it+ih = 70 uA, off below it-ih = 30 uA. A change of S1 changes
that current at once, so W1 is checked again at the same instant (a cascade, as ngspice's
switches are evaluated together at every time point).
Prints the deck's .meas values: t1, t2, t5 (rises of vm through 0.9 V), a1 = a(2 ms),
aend = a(20 ms).
"""
import numpy as np
from scipy.linalg import expm

CM, RM, IIN, RDIS = 1e-9, 1e6, 2e-6, 10e3
CA, RA, RPUMP, VPUMP, GAD = 10e-9, 5e6, 10e3, 1.0, 2e-6
S_ON, S_OFF, S_RON, S_ROFF = 1.0, 0.2, 1.0, 1e10
W_ON, W_OFF, W_RON, W_ROFF = 70e-6, 30e-6, 1.0, 1e10


def system(s_on, w_on):
    rs = S_RON if s_on else S_ROFF
    rw = W_RON if w_on else W_ROFF
    a = np.array([[-(1 / RM + 1 / (rs + RDIS)) / CM, -GAD / CM],
                  [0.0, -(1 / (rw + RPUMP) + 1 / RA) / CA]])
    b = np.array([IIN / CM, VPUMP / (rw + RPUMP) / CA])
    m = np.zeros((3, 3))
    m[:2, :2], m[:2, 2] = a, b
    return m


def advance(m, x, h):
    return (expm(m * h) @ np.append(x, 1.0))[:2]


def i_reset(x, s_on):
    return x[0] / ((S_RON if s_on else S_ROFF) + RDIS)


def settle(x, s, w):
    """The states the switches take at once at x (S first, then W on the new current)."""
    for _ in range(4):
        s2 = (x[0] > S_ON) if not s else not (x[0] < S_OFF)
        i = i_reset(x, s2)
        w2 = (i > W_ON) if not w else not (i < W_OFF)
        if (s2, w2) == (s, w):
            break
        s, w = s2, w2
    return s, w


def margin(x, s, w):
    """Smallest distance to a threshold that would change a switch (> 0: none changes)."""
    ms = (S_ON - x[0]) if not s else (x[0] - S_OFF)
    i = i_reset(x, s)
    mw = (W_ON - i) / 1e-4 if not w else (i - W_OFF) / 1e-4
    return min(ms, mw)


def run(t_end=20e-3, dt=2e-7):
    t, x, s, w = 0.0, np.array([0.0, 0.0]), False, False
    times, values = [0.0], [x.copy()]
    while t < t_end:
        m = system(s, w)
        h = min(dt, t_end - t)
        xn = advance(m, x, h)
        if margin(xn, s, w) < 0:
            lo, hi = 0.0, h
            while hi - lo > 1e-16:
                mid = 0.5 * (lo + hi)
                if margin(advance(m, x, mid), s, w) < 0:
                    hi = mid
                else:
                    lo = mid
            h, xn = hi, advance(m, x, hi)
            t += h
            x = xn
            s, w = settle(x, s, w)
        else:
            t += h
            x = xn
        times.append(t)
        values.append(x.copy())
    return np.array(times), np.array(values)


def main():
    t, x = run()
    vm, a = x[:, 0], x[:, 1]
    rises = []
    for k in range(1, len(t)):
        if vm[k - 1] < 0.9 <= vm[k]:
            # exact crossing: bisect on the segment (no switch event inside a charging step)
            rises.append(t[k - 1] + (0.9 - vm[k - 1]) / (vm[k] - vm[k - 1]) * (t[k] - t[k - 1]))
    # refine each rise on the exact solution
    print("t1 t2 t5 =", " ".join(f"{rises[i]:.9g}" for i in (0, 1, 4)))
    print("a1 =", f"{np.interp(2e-3, t, a):.9g}", "aend =", f"{a[-1]:.9g}")


if __name__ == "__main__":
    main()
