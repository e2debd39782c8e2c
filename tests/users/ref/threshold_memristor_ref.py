"""Reference for csparam_threshold_memristor.cir: RK4 on the state equation.

The device is R = s (ohms) in series with 2 kohm; u = vin * s / (s + 2000) is the voltage
across it, and ds/dt = kr (u - vt) while u > vt (the pulse is positive, s stays inside
[ron, roff]). A fixed 20 fs step resolves the kink where u crosses vt.
"""
KR, VT, RL = 1e11, 1.0, 2000.0


def vin(t):
    if t < 2e-9:
        return 2.5 * t / 2e-9
    if t < 10e-9:
        return 2.5
    if t < 12e-9:
        return 2.5 * (12e-9 - t) / 2e-9
    return 0.0


def rate(t, s):
    u = vin(t) * s / (s + RL)
    return KR * (u - VT) if u > VT else 0.0


def main():
    h, s, t = 2e-14, 4000.0, 0.0
    va_2n = None
    for _ in range(int(round(20e-9 / h))):
        k1 = rate(t, s)
        k2 = rate(t + h / 2, s + h / 2 * k1)
        k3 = rate(t + h / 2, s + h / 2 * k2)
        k4 = rate(t + h, s + h * k3)
        s += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
        if va_2n is None and t >= 2e-9 - h / 2:
            va_2n = vin(2e-9) * RL / (s + RL)
    print(f"rfinal = {s:.7e}  v(/a) at 2 ns (its maximum) = {va_2n:.7e}")


if __name__ == "__main__":
    main()
