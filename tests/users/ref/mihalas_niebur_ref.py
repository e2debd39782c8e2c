"""Reference for mihalas_niebur_filesource.cir: RK4 of the two linear state equations.

    cm dv/dt = -gl (v - el) + i(t)      dth/dt = a (v - el) - b (th - thinf)

i(t) is the file's piecewise-linear stimulus (stim/mn_step.txt, scaled by -1 into node v
by the filesource's amplscale and %i direction: +2 nA into v). Fixed 0.1 us steps with the
stimulus corners on the grid; the peak of v is searched on the same grid.
"""
CM, GL, EL, THINF, A, B = 1e-9, 50e-9, -70e-3, -50e-3, 5.0, 10.0
KNOTS = [(0.0, 0.0), (1e-3, 0.0), (1.001e-3, 2e-9), (6e-3, 2e-9), (6.001e-3, 0.0)]


def stim(t):
    if t >= KNOTS[-1][0]:
        return KNOTS[-1][1]
    for (t0, i0), (t1, i1) in zip(KNOTS, KNOTS[1:]):
        if t0 <= t <= t1:
            return i0 + (i1 - i0) * (t - t0) / (t1 - t0)
    return 0.0


def rates(t, v, th):
    return (-GL * (v - EL) + stim(t)) / CM, A * (v - EL) - B * (th - THINF)


def main():
    h = 1e-7
    n = int(round(8e-3 / h))
    v, th, t = EL, THINF, 0.0
    vpk, thmin, v5 = v, th, None
    for k in range(1, n + 1):
        a1, b1 = rates(t, v, th)
        a2, b2 = rates(t + h / 2, v + h / 2 * a1, th + h / 2 * b1)
        a3, b3 = rates(t + h / 2, v + h / 2 * a2, th + h / 2 * b2)
        a4, b4 = rates(t + h, v + h * a3, th + h * b3)
        v += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4)
        th += h / 6 * (b1 + 2 * b2 + 2 * b3 + b4)
        t = k * h
        vpk, thmin = max(vpk, v), min(thmin, th)
        if k == int(round(5e-3 / h)):
            v5 = v
    print(f"v5 = {v5:.8e}\nvpk = {vpk:.8e}\nthmin = {thmin:.8e}\nth8 = {th:.8e}")


if __name__ == "__main__":
    main()
