"""Reference for lif_evalue_etable.cir: exact event-driven solution.

Between events every state obeys a linear first-order ODE with constant input, so each
phase is an exponential and each event time a logarithm:
  membrane  C dm/dt = I - m/Rm - m g_sw        (g_sw = 1/ron on, 1/roff off)
  filter    tc dmid/dt = comp - mid            (comp = 5 while m > 1, else 0)
  out = 2.5 (mid - 0.5) between mid = 0.5 and 2.5 (the E TABLE), so the switch turns on
  at out = vt + vh = 2.7 (mid = 1.58), off at out = 2.3 (mid = 1.42), and out = 2.5 at
  mid = 1.5 (the measured crossing).
"""
import math

I, RM, C, RON, ROFF, TC = 0.2e-6, 10e6, 1e-9, 100.0, 1e10, 1e-6


def crossing(x0, target, tau, level):
    if x0 == target:
        return math.inf
    r = (level - target) / (x0 - target)
    return -tau * math.log(r) if 0 < r <= 1 else math.inf


def main():
    t, m, mid, comp, on = 0.0, 0.0, 0.0, 0.0, False
    rises = []
    while len(rises) < 2:
        g = 1 / RM + 1 / (RON if on else ROFF)
        mt, mtau = I / g, C / g
        events = [(crossing(m, mt, mtau, 1.0), "comp"),
                  (crossing(mid, comp, TC, 1.42 if on else 1.58), "switch")]
        if comp > mid and mid < 1.5:
            events.append((crossing(mid, comp, TC, 1.5), "measure"))
        dt, kind = min(events)
        m = mt + (m - mt) * math.exp(-dt / mtau)
        mid = comp + (mid - comp) * math.exp(-dt / TC)
        t += dt
        eps = 1e-15  # step past the level just reached
        if kind == "comp":
            comp = 5.0 - comp
            m = 1.0 + (eps if comp else -eps)
        elif kind == "switch":
            on = not on
            mid = 1.58 + eps if on else 1.42 - eps
        else:
            rises.append(t)
            mid = 1.5 + eps
    print(f"t1 = {rises[0]:.9e}\nt2 = {rises[1]:.9e}")


if __name__ == "__main__":
    main()
