#!/usr/bin/python3
"""The expected values of the good decks' expect lines, computed without neurospice:
closed forms, or numpy/scipy solves of the circuit's own equations written out here.
Run it to print every value; each expect line names the function it comes from.

Usage: tests/good/expected.py
"""
import math

import numpy as np
from scipy.integrate import quad, solve_ivp
from scipy.optimize import brentq, minimize_scalar

# Our diodes use the exact 2019 SI k and q (src/circuit/constants.hpp) at 27 degC.
K_BOLTZMANN, Q_CHARGE = 1.380649e-23, 1.602176634e-19
VT = K_BOLTZMANN * (27 + 273.15) / Q_CHARGE
GMIN = 1e-12  # .options gmin default, across every junction, as in ngspice


def rc_charging(t, tau=1e-3, tr=1e-6):
    """R-C driven by a 0 -> 1 V ramp of rise tr: after the ramp, closed form."""
    return 1 - tau / tr * math.expm1(tr / tau) * math.exp(-t / tau)


def rc_crossing(level, tau=1e-3, tr=1e-6):
    """When rc_charging reaches `level` (after the ramp)."""
    return tau * math.log(tau / tr * math.expm1(tr / tau) / (1 - level))


def startup_rc(t, tau=10e-6, ramp=20e-6):
    """R-C driven by LTspice's startup ramp of a 1 V source: t/ramp, then 1 V."""
    if t <= ramp:
        return (t - tau * -math.expm1(-t / tau)) / ramp
    return 1 - tau / ramp * math.expm1(ramp / tau) * math.exp(-t / tau)


def delayed_sine(t, delay, f=1e3):
    """sin(2 pi f (t - delay)) after the delay, the operating point's 0 before."""
    return math.sin(2 * math.pi * f * (t - delay)) if t >= delay else 0.0


def sffm(t, vo, va, fc, mdi, fs, phasec=0.0, phases=0.0):
    """SFFM(vo va fc mdi fs phasec phases), the phases in degrees."""
    return vo + va * math.sin(2 * math.pi * fc * t + math.radians(phasec)
                              + mdi * math.sin(2 * math.pi * fs * t + math.radians(phases)))


def am(t, vo, vmo, vma, fm, fc, td=0.0, phasem=0.0, phasec=0.0):
    """AM(vo vmo vma fm fc td phasem phasec): held at its td value before td."""
    s = max(t - td, 0.0)
    return vo + (vmo + vma * math.sin(2 * math.pi * fm * s + math.radians(phasem))) \
        * math.sin(2 * math.pi * fc * s + math.radians(phasec))


def ladder():
    """tests/good/ladder_op.cir: nodal equations solved with numpy (dense)."""
    series = [1e3, 2.2e3, 470, 10e3, 3.3e3, 1e3, 68e3, 150]
    shunt = [4.7e3, 1e3, 22e3, 2.2e3, 100e3, 470, 10e3, 1e6]
    n, vin = len(series), 10.0
    g = np.zeros((n, n))
    rhs = np.zeros(n)
    for k in range(n):
        g[k, k] += 1 / series[k] + 1 / shunt[k]
        if k + 1 < n:
            g[k, k] += 1 / series[k + 1]
            g[k, k + 1] -= 1 / series[k + 1]
            g[k + 1, k] -= 1 / series[k + 1]
    rhs[0] = vin / series[0]
    v = np.linalg.solve(g, rhs)
    return {f"v(n{k + 1})": v[k] for k in range(n)} | {"i(v1)": -(vin - v[0]) / series[0]}


def controlled():
    """tests/good/controlled_op.cir: MNA written out by hand, unknowns
    v1..v7, i(v1), i(vsense), i(e1), i(h1)."""
    names = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "iv1", "ivs", "ie1", "ih1"]
    ix = {n: k for k, n in enumerate(names)}
    a = np.zeros((11, 11))
    b = np.zeros(11)

    def res(p, q, r):  # resistor between nodes p, q (None: ground)
        for x, y, s in ((p, p, 1), (q, q, 1), (p, q, -1), (q, p, -1)):
            if x and y:
                a[ix[x], ix[y]] += s / r

    res("v1", "v2", 2e3)
    res("v2", None, 1e3)
    res("v3", "v5", 1e3)
    res("v4", None, 500)
    res("v6", None, 1e3)
    res("v7", None, 1e3)
    # V1 1 0 3: branch current iv1 into the + terminal
    a[ix["v1"], ix["iv1"]] += 1
    a[ix["iv1"], ix["v1"]] = 1
    b[ix["iv1"]] = 3
    # Vsense 5 0 0
    a[ix["v5"], ix["ivs"]] += 1
    a[ix["ivs"], ix["v5"]] = 1
    # E1 3 0 2 0 -2: v3 = -2 v2
    a[ix["v3"], ix["ie1"]] += 1
    a[ix["ie1"], ix["v3"]] = 1
    a[ix["ie1"], ix["v2"]] = 2
    # G1 4 0 2 0 2m: 2m*v2 flows out of node 4, through G1, into ground
    a[ix["v4"], ix["v2"]] += 2e-3
    # F1 6 0 vsense 3: 3*i(vsense) flows out of node 6 into ground
    a[ix["v6"], ix["ivs"]] += 3
    # H1 7 0 vsense 250: v7 = 250 i(vsense)
    a[ix["v7"], ix["ih1"]] += 1
    a[ix["ih1"], ix["v7"]] = 1
    a[ix["ih1"], ix["ivs"]] = -250
    x = np.linalg.solve(a, b)
    out = {f"v({k})": x[ix[f"v{k}"]] for k in range(1, 8)}
    return out | {"i(v1)": x[ix["iv1"]], "i(vsense)": x[ix["ivs"]]}


def diode_current(v, i_s, n, rs):
    """Shockley with series resistance: v = vd + rs I(vd), solved for vd by bracketing."""
    def i_of(vd):
        return i_s * math.expm1(vd / (n * VT)) + GMIN * vd
    if rs == 0:
        return i_of(v)
    vd = brentq(lambda vd: vd + rs * i_of(vd) - v, min(v, 0) - 1, max(v, 0) + 1e-12, xtol=1e-18, rtol=1e-15)
    return i_of(vd)


def square_law(vgs, vds, vto, kp, lam, w, l):
    """Level-1 NMOS drain current, no body effect (vbs = 0), vds >= 0."""
    vov, beta = vgs - vto, kp * w / l
    if vov <= 0:
        return 0.0
    if vds < vov:
        return beta * (vov - vds / 2) * vds * (1 + lam * vds)
    return beta / 2 * vov * vov * (1 + lam * vds)


def rlc(times, r=4.0, l=1e-3, c=1e-6, tr=1e-9):
    """Series R-L-C from PULSE(0 1 0 tr ...): the ODE integrated by scipy at rtol 1e-12."""
    def vin(t):
        return min(max(t / tr, 0.0), 1.0)

    def f(t, y):  # y = (inductor current, capacitor voltage)
        return [(vin(t) - r * y[0] - y[1]) / l, y[0] / c]
    first = solve_ivp(f, (0, tr), [0, 0], method="DOP853", rtol=1e-12, atol=1e-15)
    rest = solve_ivp(f, (tr, max(times)), first.y[:, -1], method="DOP853", rtol=1e-12, atol=1e-15,
                     dense_output=True)
    return [rest.sol(t)[1] for t in times]


def rlc_peak(r=4.0, l=1e-3, c=1e-6):
    """First maximum of the ideal step response: 1 + exp(-alpha pi / wd)."""
    alpha = r / (2 * l)
    wd = math.sqrt(1 / (l * c) - alpha * alpha)
    return 1 + math.exp(-alpha * math.pi / wd)


def nbox_steady(current):
    """NbOx device (thesis eqs. 2.1-2.2, Table 2.1) driven by a DC current: the steady
    state V = I R(V, T) with T = Tamb + Rth V I, R = R0 exp((Ea - q sqrt(q V / (pi eps
    d))) / kT), solved for V by brentq. SI 2019 constants. Returns (V, T)."""
    q, k, eps = 1.602176634e-19, 1.380649e-23, 8.8541878128e-12 * 45
    r0, ea, d, tamb, rth = 190, 0.215, 31e-9, 300, 2040816

    def resistance(v, t):
        return r0 * math.exp((ea * q - q * math.sqrt(q * abs(v) / (math.pi * eps * d))) / (k * t))
    v = brentq(lambda v: v - current * resistance(v, tamb + rth * v * current), 0, 3, xtol=1e-15, rtol=1e-14)
    return v, tamb + rth * v * current


def inverter_vm(vdd=3.3, vtn=0.7, kn=110e-6 * 2, ln=0.04, vtp=0.7, kp=45e-6 * 5, lp=0.05):
    """CMOS inverter switching point: v(out) = v(in) = V with both level-1 devices
    saturated (no body effect: sources on their bulks), kn, kp = KP W/L."""
    def balance(v):
        return kn / 2 * (v - vtn) ** 2 * (1 + ln * v) - kp / 2 * (vdd - v - vtp) ** 2 * (1 + lp * (vdd - v))
    return brentq(balance, vtn, vdd - vtp, xtol=1e-15, rtol=1e-14)


def joglekar(t, ron=100.0, roff=16e3, k=1e4, x0=0.1, amp=1.2, f=1.0):
    """netlists/behavioural/joglekar_memristor.cir: x and the current at t. With the p = 1
    window dx/dq = 4 k x (1 - x), so x is a logistic function of the charge q; the flux
    of M dq equals the drive's flux amp (1 - cos 2 pi f t) / (2 pi f), which gives q."""
    l0 = math.log(x0 / (1 - x0))

    def flux_of_q(q):  # the integral of M(x(q)) dq from 0
        integral_x = (math.log1p(math.exp(4 * k * q + l0)) - math.log1p(math.exp(l0))) / (4 * k)
        return roff * q - (roff - ron) * integral_x

    phi = amp / (2 * math.pi * f) * (1 - math.cos(2 * math.pi * f * t))
    q = brentq(lambda q: flux_of_q(q) - phi, -0.01, 0.01, xtol=1e-15, rtol=1e-15)
    x = 1 / (1 + math.exp(-(4 * k * q + l0)))
    return x, amp * math.sin(2 * math.pi * f * t) / (ron * x + roff * (1 - x))


def state_ode(rate, y0, times):
    """A behavioural deck's state(s) at `times`: dy/dt = rate(t, y) solved by scipy at
    tolerances far below the decks' (the memristors sit behind 0 V ammeters on ideal
    sources, so their drive is a known function of time)."""
    s = solve_ivp(rate, (0, max(times)), y0, t_eval=sorted(times), rtol=1e-11, atol=1e-13,
                  max_step=max(times) / 2000, method="LSODA")
    return {t: s.y[:, k] for k, t in enumerate(sorted(times))}


def u(x):
    return 1.0 if x > 0 else 0.0


def vteam(times):
    """netlists/behavioural/vteam_memristor.cir: x."""
    koff, kon, voff, von, a, p = 50, -50, 0.4, -0.4, 3, 2

    def rate(t, y):
        v = math.sin(2 * math.pi * 100 * t)
        g = koff * max(v / voff - 1, 0) ** a + kon * max(v / von - 1, 0) ** a
        return [g * (1 - (2 * y[0] - 1) ** (2 * p))]
    return {t: y[0] for t, y in state_ode(rate, [0.5], times).items()}


def yakopcic(times):
    """netlists/behavioural/yakopcic_memristor.cir: x."""
    vp, vn, ap, an, xp, xn, alphap, alphan = 0.16, 0.15, 4000, 4000, 0.3, 0.5, 1, 5

    def rate(t, y):
        v, x = 0.45 * math.sin(2 * math.pi * 100 * t), y[0]
        g = ap * (math.exp(v) - math.exp(vp)) if v > vp else (
            -an * (math.exp(-v) - math.exp(vn)) if v < -vn else 0)
        fp = math.exp(-alphap * (x - xp)) * ((xp - x) / (1 - xp) + 1) if x >= xp else 1
        fn = math.exp(alphan * (x + xn - 1)) * x / (1 - xn) if x <= 1 - xn else 1
        return [g * (u(v) * fp + u(-v) * fn)]
    return {t: y[0] for t, y in state_ode(rate, [0.11], times).items()}


def prodromakis(times):
    """netlists/behavioural/prodromakis_memristor.cir: x."""
    ron, roff, k, p = 100, 16e3, 10e-15 * 100 / (10e-9) ** 2, 7

    def rate(t, y):
        x = y[0]
        i = 1.2 * math.sin(2 * math.pi * t) / (ron * x + roff * (1 - x))
        return [k * i * (1 - ((x - 0.5) ** 2 + 0.75) ** p)]
    return {t: y[0] for t, y in state_ode(rate, [0.1], times).items()}


def pershin(times):
    """netlists/behavioural/pershin_memristor.cir: the resistance v(r)."""
    ron, roff, vt, alpha, beta = 1e3, 10e3, 1, 0, 2e5

    def rate(t, y):
        v = 1.5 * math.sin(2 * math.pi * 10 * t)
        f = -beta * v + 0.5 * (beta - alpha) * (abs(v + vt) - abs(v - vt))
        return [f * (u(v) * u(roff - y[0]) + u(-v) * u(y[0] - ron))]
    return {t: y[0] for t, y in state_ode(rate, [5e3], times).items()}


def probabilistic(times):
    """netlists/behavioural/probabilistic_memristor.cir: the on-probability v(p)."""
    tau, v0, von, voff = 1, 0.1, 1, 1

    def rate(t, y):
        v = 1.5 * math.sin(2 * math.pi * 10 * t)
        return [u(v) * math.exp((v - von) / v0) / tau * (1 - y[0])
                - u(-v) * math.exp((-v - voff) / v0) / tau * y[0]]
    return {t: y[0] for t, y in state_ode(rate, [0.0], times).items()}


def memcapacitor(times):
    """netlists/behavioural/memcapacitor.cir: x and the current d(C(x) v)/dt."""
    cmin, cmax, k, p, w = 1e-9, 10e-9, 1.0, 2, 2 * math.pi * 1e3

    def rate(t, y):
        return [k * 1e3 * math.sin(w * t) * (1 - (2 * y[0] - 1) ** (2 * p))]
    out = {}
    for t, y in state_ode(rate, [0.3], times).items():
        x, v, dv = y[0], math.sin(w * t), w * math.cos(w * t)
        out[t] = (x, (cmin + (cmax - cmin) * x) * dv + (cmax - cmin) * rate(t, y)[0] * v)
    return out


def izhikevich_crossings(level=0.0, t_end=200.0):
    """netlists/behavioural/izhikevich_neuron.cir: the times (ms) v rises through `level`
    in Izhikevich's hybrid model itself (v reset to c and u += d at v = 30 exactly)."""
    a, b, c, d, iin = 0.02, 0.2, -65, 8, 10

    def rate(t, y):
        return [0.04 * y[0] ** 2 + 5 * y[0] + 140 - y[1] + iin, a * (b * y[0] - y[1])]

    def peak(t, y):
        return y[0] - 30
    peak.terminal, peak.direction = True, 1

    def crossing(t, y):
        return y[0] - level
    crossing.direction = 1
    t, y, times = 0.0, [-65.0, -13.0], []
    while t < t_end:
        s = solve_ivp(rate, (t, t_end), y, events=[peak, crossing], rtol=1e-12, atol=1e-12, max_step=0.5)
        times += list(s.t_events[1])
        if s.status != 1:
            break
        t, y = s.t_events[0][0], [c, s.y_events[0][0][1] + d]
    return times


def ac_filters():
    """netlists/ac/filters.cir: H of the RC low-pass at 1 kHz, v(b) of the RLC (across C2)."""
    def rc(f):
        return 1 / (1 + 2j * math.pi * f * 1e3 * 159.15494309e-9)

    def rlc(f):
        w = 2 * math.pi * f
        zc = 1 / (1j * w * 25.330295911e-9)
        return zc / (100 + 1j * w * 10e-3 + zc)
    # The .meas ac results: over the deck's grid (.ac dec 40 10 1meg), linear between points.
    grid = [10 * 10 ** (k / 40) for k in range(201)]
    db = [20 * math.log10(abs(rc(f))) for f in grid]
    k = next(k for k in range(200) if db[k] >= -3 > db[k + 1])
    corner = grid[k] + (grid[k + 1] - grid[k]) * (-3 - db[k]) / (db[k + 1] - db[k])
    return {"vm(lp) at 1k": abs(rc(1e3)), "vp(lp) at 1k": np.angle(rc(1e3)),
            "vm(b) at 10k": abs(rlc(1e4)), "vp(b) at 10k": np.angle(rlc(1e4)),
            "vm(b) at 100k": abs(rlc(1e5)), "meas gain_1k": 20 * math.log10(abs(rc(1e3))),
            "meas re_1k": rc(1e3).real, "meas corner (grid)": corner,
            "meas peak (grid)": max(abs(rlc(f)) for f in grid)}


def cancellation(t, k=2e12, vt=1.6, amp=3.0, f=100e6):
    """tests/good/behavioural_cancellation.cir: v(s), the integral of the threshold rate
    k (v - vt) while v = amp sin(w t) > vt (k (v + vt) below -vt), and that rate, i(vm)."""
    w = 2 * math.pi * f
    th = math.asin(vt / amp)
    t1, t2 = th / w, (math.pi - th) / w  # the first half period's window above vt

    def charge(t):  # from 0 to t <= half a period
        t = min(max(t, t1), t2)
        return k * ((amp / w) * (math.cos(th) - math.cos(w * t)) - vt * (t - t1))

    half = 0.5 / f
    v = amp * math.sin(w * t)
    rate = k * (v - vt) if v > vt else k * (v + vt) if v < -vt else 0.0
    return (charge(t) if t <= half else charge(half) - charge(t - half)), rate


def threshold_memristor(t, r0=5e3, amp=3.0, f=100e6):
    """tests/good/threshold_memristor_default_tolerances.cir: the state v(x1.s), r0 plus the
    cancellation deck's integral at k = 1e12 (periodic in 1/f), and i(v1) = -v(in)/state."""
    state = r0 + cancellation(math.fmod(t, 1 / f), k=1e12)[0]
    return state, -amp * math.sin(2 * math.pi * f * t) / state


def hspice_memristor_charge(t_end=10e-3):
    """tests/good/users_hspice_forms.cir: q' = v(t)/R(q) - q/100meg on its 1 F, v the
    0 -> 1 V pulse (0.1 ms edges, 1 ms top), R(q) the deck's R= expression; classical RK4
    at 0.1 us, which resolves the pulse corners (they fall on steps)."""
    ron, roff, rini = 100.0, 10e3, 5e3
    kk, aa = 10e-15 * ron / 10e-9 ** 2, (rini - ron) / (roff - rini)

    def r(q):
        return roff + (ron - roff) / (1 + aa * math.exp(-4 * kk * q))

    def v(t):
        if t < 0.1e-3:
            return t / 0.1e-3
        if t < 1.1e-3:
            return 1.0
        return max(0.0, 1 - (t - 1.1e-3) / 0.1e-3)

    def f(t, q):
        return v(t) / r(q) - q / 100e6

    h, q, n = 1e-7, 0.0, round(t_end / 1e-7)
    for k in range(n):
        t = k * h
        k1 = f(t, q)
        k2 = f(t + h / 2, q + h / 2 * k1)
        k3 = f(t + h / 2, q + h / 2 * k2)
        k4 = f(t + h, q + h * k3)
        q += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return q


def users_prodromakis():
    """tests/good/users_prodromakis_window.cir: dx/dt = k v/R(x) f(x), so the integral of
    R(x)/f(x) from 0.5 to x is k times the flux of v. Returns (x at the flux peak 0.15 V s,
    the current 0.6 V / R(x) at flux 0.075 V s, where |v| peaks)."""
    ron, roff, k = 100, 10e3, 1e4

    def r(x):
        return ron * x + roff * (1 - x)

    def x_at(flux):
        def lhs(x):
            return quad(lambda y: r(y) / (1 - ((y - 0.5) ** 2 + 0.75) ** 7), 0.5, x, epsabs=0, epsrel=1e-12)[0]
        return brentq(lambda x: lhs(x) - k * flux, 0.5, 0.999, xtol=1e-14)

    return x_at(0.15), 0.6 / r(x_at(0.075))


def users_switch_iaf(i=10e-6, c=100e-9, roff=1e9, ron=10, von=1.0, voff=0.2):
    """tests/good/users_switch_iaf.cir: i into c || roff, the switch closes at von and
    discharges through ron || roff until voff. Times of the rises through 0.9 V."""
    tau, vmax = roff * c, i * roff
    rp = ron * roff / (ron + roff)
    discharge = rp * c * math.log((von - i * rp) / (voff - i * rp))
    t1 = -tau * math.log(1 - 0.9 / vmax)
    t2 = -tau * math.log(1 - von / vmax) + discharge + tau * math.log((vmax - voff) / (vmax - 0.9))
    period = discharge + tau * math.log((vmax - voff) / (vmax - von))
    return t1, t2, t2 + period


def switch_cascade(cm=1e-9, iin=2e-6, r=10e3 + 1, rpump=10e3 + 1, ca=10e-9, von=1.0, ioff=30e-6):
    """tests/good/switch_cascade_reset_current.cir: S1 closes at von (t1 = cm von / iin) and
    discharges cm through r towards iin r; W1 closes at once on that current and opens below
    ioff; while closed Ca charges from 1 V through rpump. Returns t1, W1's on time, a after."""
    t1 = cm * von / iin
    vinf = iin * r
    tw = cm * r * math.log((von - vinf) / (ioff * r - vinf))
    return t1, tw, 1 - math.exp(-tw / (rpump * ca))


def users_altermod_sw_isi(c, vt, vh=0.1, iin=5e-6, rm=200e3, ron=100.0):
    """tests/good/users_ng_ctl_altermod_sw_fi.cir: the inter-spike interval of iin into c || rm
    reset by a switch (on above vt + vh, off below vt - vh, ron): the charge from vt - vh to
    vt + vh towards iin rm, and the discharge through ron || rm towards iin (ron || rm)."""
    hi, lo = vt + vh, vt - vh
    charge = rm * c * math.log((iin * rm - lo) / (iin * rm - hi))
    rp = ron * rm / (ron + rm)
    discharge = rp * c * math.log((hi - iin * rp) / (lo - iin * rp))
    return charge + discharge


def switch_ring(n=5, c=1e-12, vdd=3.0, ron=2e3, roff=1e12, vt=1.2, vh=0.3, level=1.5,
                stop=80e-9, h=1e-11):
    """tests/good/switch_ring.cir: n inverters of two ideal hysteretic switches (pull-up on
    where vdd - in > vt + vh, off below vt - vh; pull-down on where in > vt + vh, off below
    vt - vh) into c, in a ring; .tran uic from the ICs, every switch off at t = 0 and at once
    on where its control is above vt + vh. Between events every node is an exact exponential;
    each event is bisected on those to 1e-21 s. Times of v(n0)'s rises through `level`."""
    v = [0.0 if k % 2 == 0 else vdd for k in range(n)]
    up, down = [False] * n, [False] * n  # stage k drives node k from node k - 1

    def update(vals):
        for k in range(n):
            x = vals[(k - 1) % n]
            if not up[k] and vdd - x > vt + vh: up[k] = True
            elif up[k] and vdd - x < vt - vh: up[k] = False
            if not down[k] and x > vt + vh: down[k] = True
            elif down[k] and x < vt - vh: down[k] = False

    def at(vals, dt):
        out = []
        for k in range(n):
            gp = 1 / ron if up[k] else 1 / roff
            gn = 1 / ron if down[k] else 1 / roff
            vinf = vdd * gp / (gp + gn)
            out.append(vinf + (vals[k] - vinf) * math.exp(-dt * (gp + gn) / c))
        return out

    def margin(vals):
        m = math.inf
        for k in range(n):
            x = vals[(k - 1) % n]
            m = min(m, (vdd - x) - (vt - vh) if up[k] else (vt + vh) - (vdd - x),
                    x - (vt - vh) if down[k] else (vt + vh) - x)
        return m

    def bisect(f, lo, hi):
        while hi - lo > 1e-21:
            mid = (lo + hi) / 2
            if f(mid): hi = mid
            else: lo = mid
        return hi

    update(v)
    t, rises = 0.0, []
    while t < stop:
        dt = h
        if margin(at(v, h)) < 0:
            dt = bisect(lambda d: margin(at(v, d)) < 0, 0.0, h)
        new = at(v, dt)
        if v[0] < level <= new[0]:
            rises.append(t + bisect(lambda d: at(v, d)[0] >= level, 0.0, dt))
        v, t = new, t + dt
        update(v)
    return rises


def e_latch_relax(vcc=5.0, r1=10e3, c=100e-9, r2=1e3, ron=1.0, vh=10 / 3, vl=5 / 3):
    """tests/good/e_latch_relax.cir: c charges through r1 from 0 to vh, then discharges through
    (r2 + ron) || r1 to vl, and so on; the latch's own delays (ns) are left out. Times of the
    rises of v(q) (start of each discharge) and of its second fall."""
    rd = r2 + ron
    vinf = vcc * rd / (r1 + rd)
    charge = r1 * c * math.log((vcc - vl) / (vcc - vh))
    discharge = c * r1 * rd / (r1 + rd) * math.log((vh - vinf) / (vl - vinf))
    t1 = r1 * c * math.log(vcc / (vcc - vh))
    period = charge + discharge
    return t1, t1 + period, t1 + 2 * period, t1 + period + discharge


def users_csw_relax(i=100e-6, c=10e-9, rsh=10e3, ron=100, roff=1e9, von=0.9, voff=0.7, level=0.8):
    """tests/good/users_csw_relax.cir: i into c || rsh (|| roff); the ideal W switch closes
    at v = von and discharges through ron until voff. Times of the rises through `level`."""
    r = 1 / (1 / rsh + 1 / roff)
    tau, vinf = r * c, i * r
    rp = 1 / (1 / rsh + 1 / ron + 1 / roff)
    discharge = rp * c * math.log((von - i * rp) / (voff - i * rp))
    t1 = tau * math.log(vinf / (vinf - level))
    t2 = tau * math.log(vinf / (vinf - von)) + discharge + tau * math.log((vinf - voff) / (vinf - level))
    period = discharge + tau * math.log((vinf - voff) / (vinf - von))
    return t1, t2, t2 + period


def users_joglekar_swing(f, ron=100, roff=16e3, k=1e4):
    """tests/good/users_joglekar_freq_sweep.cir: with f(x) = 4x(1-x) the integral of
    R(x)/f(x) is roff/4 ln(x/(1-x)) + (roff-ron)/4 ln(1-x); it equals k times the flux of
    sin(2 pi f t), largest (1/(pi f)) at half a period. x starts and ends at 0.5: the swing
    is x at that flux less 0.5."""
    def integral(x):
        return roff / 4 * math.log(x / (1 - x)) + (roff - ron) / 4 * math.log1p(-x)
    target = k / (math.pi * f) + integral(0.5)
    return brentq(lambda x: integral(x) - target, 0.5, 1 - 1e-12, xtol=1e-15) - 0.5


def users_charge_memristor(ron=100.0, roff=10e3, rini=5e3, k=2e4, v=2.0, rise=1e-6):
    """tests/good/users_hspice_charge_memristor.cir: dq/dt = v/R(q) with R(q) = roff +
    (ron-roff)/(1 + a exp(-4kq)), so F(q), the integral of R from 0 to q, is the flux of v:
    F(q) = roff q + (ron-roff) (q + ln((1 + a e^(-4kq))/(1 + a))/(4k)). The 100meg leak on
    the 1 F state changes q by 1e-10 of itself over the run: left out. Returns q at 10 ms
    and 19.9 ms, the current at 19.9 ms, and q after the pulse (flux v (20 ms + rise))."""
    a = (rini - ron) / (roff - rini)

    def integral(q):
        return roff * q + (ron - roff) * (q + math.log((1 + a * math.exp(-4 * k * q)) / (1 + a)) / (4 * k))

    def q_at(flux):
        return brentq(lambda q: integral(q) - flux, 0, 1, xtol=1e-22)

    def r(q):
        return roff + (ron - roff) / (1 + a * math.exp(-4 * k * q))

    q10, q20 = (q_at(v * (t - rise / 2)) for t in (10e-3, 19.9e-3))
    return q10, q20, v / r(q20), q_at(v * (20e-3 + rise))


def users_diode_switch_memristor(v, vcut=2.5, ga=1e-3, gb=3e-3, isat=1e-16, n=0.001):
    """tests/good/users_pspice_diode_switch_memristor.cir: i(v1) at v1 = v. GA from the
    node to ground, and two branches (switch diode, VCUT source, 1/(GB-GA) resistor), one
    per polarity; each branch's diode current (SPICE's law, gmin across it) equals its
    resistor's, solved for the diode voltage."""
    vte = n * VT
    r = 1 / (gb - ga)

    def diode(vd):
        if vd >= -3 * vte:
            return isat * math.expm1(vd / vte) + GMIN * vd
        return -isat * (1 + (3 * vte / (vd * math.e)) ** 3) + GMIN * vd

    forward = diode(brentq(lambda vd: diode(vd) - (v - vcut - vd) / r, -40, 0.01, xtol=1e-18))
    backward = diode(brentq(lambda vd: diode(vd) - (-vd - vcut - v) / r, -40, 0.01, xtol=1e-18))
    return -(ga * v + forward - backward)


def users_threshold_memristor(rinit=7e3, vmax=3.0, vt=1.6, beta=2e12, period=10e-9):
    """tests/good/users_pershin_threshold_rexpr.cir: dx/dt = beta (|v| - vt) sign(v) where
    |v| > vt, v = -vmax sin(2 pi t / T); over the first half x falls by beta T/(2 pi) times
    the integral of (vmax sin - vt) between asin(vt/vmax) and pi - asin(vt/vmax)."""
    th0 = math.asin(vt / vmax)
    return rinit - beta * period / (2 * math.pi) * (2 * vmax * math.cos(th0) - vt * (math.pi - 2 * th0))


def diode_series_current(n, v=8.0, r=1e3, isat=1e-16):
    """tests/good/diode_small_n_op.cir: a diode (emission coefficient n, gmin across it)
    in series with r across v: its current equals the resistor's."""
    vte = n * VT
    top = vte * math.log(v / r / isat + 1)  # the diode alone would pass v/r there
    vd = brentq(lambda x: isat * math.expm1(x / vte) + GMIN * x - (v - x) / r, 0, top, xtol=1e-18)
    return (v - vd) / r


def bjt_diode_series_current(nf, bf=100.0, v=8.0, r=1e3, isat=1e-16):
    """tests/good/bjt_small_nf_op.cir: a Gummel-Poon NPN with its collector on its base,
    emitter at -v, base through r to ground, substrate at ground (gmin to the collector).
    Emitter current cbe (1 + 1/bf) + gmin vbe, cbe = isat (exp(vbe / (nf VT)) - 1)."""
    def cbe(x):
        return isat * math.expm1(x / (nf * VT))
    vbe = brentq(lambda x: cbe(x) * (1 + 1 / bf) + GMIN * x - (v - x) / r - GMIN * (v - x), 0, 1, xtol=1e-18)
    return cbe(vbe) * (1 + 1 / bf) + GMIN * vbe


def two_junctions_series_current(v=800.0, r=1e5, isat=1e-16):
    """tests/good/jfet_high_common_mode_op.cir and mos_bulk_high_common_mode_op.cir: two
    equal junctions (a JFET's gate diodes, a MOSFET's bulk diodes; gmin across each) in
    parallel, from a node fed through r from ground to -v: their current equals r's."""
    vj = brentq(lambda x: 2 * (isat * math.expm1(x / VT) + GMIN * x) - (v - x) / r, 0, 1, xtol=1e-18)
    return (v - vj) / r


def users_bare_r_expr():
    """tests/good/users_lt_bare_r_expr.cir: i = sin(2 pi 1k t) / (1k v(x) + 100 + 1), v(x)
    the 0.5 -> 1.5 V ramp over 2 ms. Returns i at 0.25 ms and 1.75 ms, its average over
    2 ms and its maximum (first half period)."""
    def i(t):
        return math.sin(2 * math.pi * 1e3 * t) / (1e3 * (0.5 + t / 2e-3) + 101)
    avg = quad(i, 0, 2e-3, epsabs=0, epsrel=1e-13, limit=200)[0] / 2e-3
    peak = -minimize_scalar(lambda t: -i(t), bounds=(0, 0.5e-3), method="bounded", options={"xatol": 1e-12}).fun
    return i(0.25e-3), i(1.75e-3), avg, peak


def users_memdiode(vset=0.6, edge=1e-6, t0=1e-2, v0=0.1, imin=1e-6, imax=1e-3, alpha=3.0, beta=0.5):
    """tests/good/users_hspice_memdiode.cir: dH/dt = (1-H)/RH - H/RD on the 1 F state, RH =
    t0 exp(-v/v0), RD = t0 exp(v/v0), v the 0 -> vset ramp over `edge`, then flat; H(0) = 0.
    Returns H at 100 and 200 us and the diode current at 200 us."""
    def v(t):
        return vset * min(t / edge, 1.0)

    def rate(t, h):
        return [(1 - h[0]) * math.exp(v(t) / v0) / t0 - h[0] * math.exp(-v(t) / v0) / t0]

    ramp = solve_ivp(rate, (0, edge), [0.0], method="LSODA", rtol=1e-12, atol=1e-15)
    flat = solve_ivp(rate, (edge, 200e-6), ramp.y[:, -1], method="LSODA", rtol=1e-12, atol=1e-15,
                     dense_output=True)
    h100, h200 = flat.sol(100e-6)[0], flat.sol(200e-6)[0]
    i0 = imax * h200 + imin * (1 - h200)
    return h100, h200, i0 * (math.exp(beta * alpha * vset) - math.exp(-(1 - beta) * alpha * vset))


def ltspice_ideal_diode(v, ron=1.0, roff=1e12, vfwd=0.0, vrev=math.inf, rrev=None, ilimit=math.inf,
                        revilimit=math.inf, epsilon=0.0, revepsilon=0.0, area=1.0):
    """LTspice's idealised diode (tests/good/ltspice_ideal_diode.cir), its law as LTspice's
    documentation and SpiceSharpParser's LTspice-checked description give it: off line
    v/roff; above vfwd the slope ramps linearly to 1/ron over epsilon, then the on line;
    below -vrev the same towards 1/rrev over revepsilon; then ilimit tanh(i/ilimit)."""
    rrev = rrev or ron
    goff, gon, grev = 1 / roff, 1 / ron, 1 / rrev
    i = goff * v
    if v > vfwd:
        d = v - vfwd
        if d >= epsilon:
            i = goff * vfwd + goff * epsilon + (gon - goff) * epsilon / 2 + gon * (d - epsilon)
        else:
            i = goff * vfwd + goff * d + (gon - goff) * d * d / (2 * epsilon)
    elif v < -vrev:
        d = -v - vrev
        if d >= revepsilon:
            i = -(goff * vrev + goff * revepsilon + (grev - goff) * revepsilon / 2 + grev * (d - revepsilon))
        else:
            i = -(goff * vrev + goff * d + (grev - goff) * d * d / (2 * revepsilon))
    limit = ilimit if i > 0 else revilimit
    if math.isfinite(limit):
        i = limit * math.tanh(i / limit)
    return area * i


def pspice_switch_current(control, on, off, ron, roff, v=1.0):
    """PSpice's VSWITCH/ISWITCH: ln R = ln sqrt(ron roff) + 1.5 Lr x - 2 Lr x^3, Lr =
    ln(ron/roff), x = (control - (on + off)/2)/(on - off) clamped to [-1/2, 1/2]; the
    current of v across it (tests/good/pspice_iswitch.cir)."""
    x = min(max((control - (on + off) / 2) / (on - off), -0.5), 0.5)
    lr = math.log(ron / roff)
    return v / math.exp(0.5 * math.log(ron * roff) + 1.5 * lr * x - 2 * lr * x ** 3)


def users_lif_diode_clamp(times, c=1e-9, r=1e6, i=2e-6, vcl=0.5, ron=2e5, roff=1e12, vfwd=0.3):
    """tests/good/users_lt_lif_diode_clamp.cir: C dv/dt = i - v/r - i_D(v - vcl), v(0) = 0, the
    ideal diode's off line below vcl + vfwd and its on line above: two linear pieces, each
    an exponential. Returns the times v crosses 0.5 and the knee, v at `times`, and the
    diode's current at the last of them."""
    g1 = 1 / r + 1 / roff
    vinf1, tau1 = (i + vcl / roff) / g1, c / g1
    knee = vcl + vfwd
    t05, tknee = tau1 * math.log(vinf1 / (vinf1 - 0.5)), tau1 * math.log(vinf1 / (vinf1 - knee))
    g2 = 1 / r + 1 / ron
    vinf2, tau2 = (i + knee / ron - vfwd / roff) / g2, c / g2
    v = [vinf2 + (knee - vinf2) * math.exp(-(t - tknee) / tau2) for t in times]
    return t05, tknee, v, (v[-1] - knee) / ron + vfwd / roff


def users_qc_memristor(i0=1e-3, f=1e3, q0=1e-7, k1=100.0, k3=3e15):
    """tests/good/users_pspice_qc_memristor_sdt.cir: a current i0 sin(w t) through a
    charge-controlled memristor, phi = k1 q + k3 q^3: q = q0 + i0 (1 - cos w t)/w and
    v = (k1 + 3 k3 q^2) i. Returns q at 0.5 ms, v at 0.25 ms and 0.75 ms, the maximum of v
    over the first half period, and q at 2 ms."""
    w = 2 * math.pi * f

    def q(t):
        return q0 + i0 * (1 - math.cos(w * t)) / w

    def v(t):
        return (k1 + 3 * k3 * q(t) ** 2) * i0 * math.sin(w * t)
    peak = -minimize_scalar(lambda t: -v(t), bounds=(0, 0.5e-3), method="bounded", options={"xatol": 1e-13}).fun
    return q(0.5e-3), v(0.25e-3), v(0.75e-3), peak, q(2e-3)


def users_iswitch_selector(v, rload, ion=100e-6, ioff=0.0, ron=100.0, roff=1e5):
    """tests/good/users_pspice_iswitch_selector.cir: a W ISWITCH driven by its own current in
    series with rload across v: the current solving i (rload + R(i)) = v, R PSpice's law
    (pspice_switch_current); single-valued for these loads (checked on a fine grid)."""
    def r(i):
        return 1 / pspice_switch_current(i, ion, ioff, ron, roff)
    return brentq(lambda i: i * (rload + r(i)) - v, 0, v / rload, xtol=1e-20, rtol=1e-15)


def users_stdp_diode_trace(dt, times=(), ap=1e3, tpre=1e-3, c=10e-9, r=1e6, ron=100.0, roff=1e12, vfwd=0.1):
    """tests/good/users_lt_stdp_diode_trace.cir: the pre pulse (1 ns edges, 1 us wide) charges
    the trace x through an idealised diode, C dx/dt = i_D(pre - x) - x/r; the weight
    integrates dw/dt = ap x post(t), post the same pulse dt later. Radau between the
    pulses' corners. Returns w at 10 ms and x at `times`."""
    def pulse(t, td, tr=1e-9, pw=1e-6):
        if t < td or t >= td + 2 * tr + pw:
            return 0.0
        if t < td + tr:
            return (t - td) / tr
        return 1.0 if t < td + tr + pw else 1.0 - (t - td - tr - pw) / tr

    def rate(t, y):
        i = ltspice_ideal_diode(pulse(t, tpre) - y[0], ron=ron, roff=roff, vfwd=vfwd)
        return [(i - y[0] / r) / c, ap * y[0] * pulse(t, tpre + dt)]
    corners = sorted({0.0, 10e-3, *times} | {t0 + d for t0 in (tpre, tpre + dt) for d in (0, 1e-9, 1e-9 + 1e-6, 2e-9 + 1e-6)})
    y, at = [0.0, 0.0], {}
    for a, b in zip(corners[:-1], corners[1:]):
        y = solve_ivp(rate, (a, b), y, method="Radau", rtol=1e-11, atol=1e-16).y[:, -1]
        at[b] = y[0]
    return y[1], [at[t] for t in times]


def users_capture_hp_memristor(t, ron=100.0, roff=16e3, k=2e7, x0=0.1, f=1e3):
    """tests/good/users_pspice_capture_hp_memristor.cir: HP linear drift without a window,
    dx/dt = k i, i = v/(ron x + roff (1 - x)), v = sin(w t): the integral of R(x) dx is k
    times the flux, roff x - (roff - ron) x^2/2 = F(x0) + k (1 - cos w t)/w, a quadratic
    in x. Returns x(t) and the source's current i(v_v1) = -i."""
    w = 2 * math.pi * f
    a = (roff - ron) / 2
    c = roff * x0 - a * x0 * x0 + k * (1 - math.cos(w * t)) / w
    x = (roff - math.sqrt(roff * roff - 4 * a * c)) / (2 * a)
    return x, -math.sin(w * t) / (ron * x + roff * (1 - x))


def two_port_s(abcd, z01, z02):
    """S of a two-port from its ABCD (chain) matrix, ports of reference impedances z01, z02
    (Frickey's conversion, real z0)."""
    (a, b), (c, d) = abcd
    den = a * z02 + b + c * z01 * z02 + d * z01
    s11 = (a * z02 + b - c * z01 * z02 - d * z01) / den
    s12 = 2 * (a * d - b * c) * math.sqrt(z01 * z02) / den
    s21 = 2 * math.sqrt(z01 * z02) / den
    s22 = (-a * z02 + b - c * z01 * z02 + d * z01) / den
    return s11, s12, s21, s22


def sp_lc_filter(f, c1=1e-6, l=2.5e-3, c2=1e-6, z0=50.0):
    """tests/good/sp_lc_filter.cir: shunt C1, series L, shunt C2 between two z0 ports."""
    w = 2j * math.pi * f
    shunt = lambda y: np.array([[1, 0], [y, 1]])
    series = lambda z: np.array([[1, z], [0, 1]])
    return two_port_s(shunt(w * c1) @ series(w * l) @ shunt(w * c2), z0, z0)


def main():
    print("rc_charging (tau 1 ms, rise 1 us):")
    for t in (0.5e-3, 1e-3, 2e-3, 3e-3, 5e-3):
        print(f"  v(out) at {t:g} = {rc_charging(t):.9g}")
    print(f"  crossing 0.5 at {rc_crossing(0.5):.9g}")
    print("ltspice_tran_startup: v(out)")
    for t in (10e-6, 20e-6, 50e-6):
        print(f"  at {t:g} = {startup_rc(t):.9g}")
    print("ltspice_delay: v(b) = sine 0.1 ms late, v(d) = its square 0.25 ms late")
    for t in (0.3e-3, 0.75e-3, 1.9e-3):
        print(f"  v(b) at {t:g} = {delayed_sine(t, 0.1e-3):.9g}")
    for t in (0.4e-3, 1.3e-3):
        print(f"  v(d) at {t:g} = {delayed_sine(t, 0.25e-3) ** 2:.9g}")
    print("rc_discharge_uic: v(out) = exp(-t/1ms)")
    for t in (0.5e-3, 1e-3, 2e-3, 5e-3):
        print(f"  v(out) at {t:g} = {math.exp(-t / 1e-3):.9g}")
    print("ladder:")
    for k, v in ladder().items():
        print(f"  {k} = {v:.12g}")
    print("controlled:")
    for k, v in controlled().items():
        print(f"  {k} = {v:.12g}")
    print("diode (is=1e-14 n=1 rs=10), -i(v1):")
    for v in (0.3, 0.6, 0.7, 0.8, 1.0, 1.5):
        print(f"  at v1={v:g}: {diode_current(v, 1e-14, 1.0, 10):.12g}")
    print("netlists/basic/diode_iv.cir (is=1e-14 n=1.05 rs=5), -i(v1):")
    for v in (-0.05, 0.5, 0.7, 1.0):
        print(f"  at v1={v:g}: {diode_current(v, 1e-14, 1.05, 5):.12g}")
    print("mosfet (vto=0.8 kp=120u lambda=0.03 W=4u L=2u), id:")
    for vgs, vds in ((2, 0.5), (2, 3), (1.5, 0.2), (0.5, 2)):
        print(f"  vgs={vgs} vds={vds}: {square_law(vgs, vds, 0.8, 120e-6, 0.03, 4e-6, 2e-6):.12g}")
    print("netlists/basic/nmos_curves.cir (vto=0.7 kp=110u lambda=0.04 W=10u L=2u), id:")
    for vgs, vds in ((2, 4), (3, 0.5), (1.5, 5), (1, 0.1)):
        print(f"  vgs={vgs} vds={vds}: {square_law(vgs, vds, 0.7, 110e-6, 0.04, 10e-6, 2e-6):.12g}")
    times = [0.05e-3, 0.1e-3, 0.25e-3, 0.5e-3, 1e-3]
    print("rlc (R 4, L 1m, C 1u, rise 1 ns): v(b)")
    for t, v in zip(times, rlc(times)):
        print(f"  at {t:g} = {v:.9g}")
    print(f"  first peak (ideal step) = {rlc_peak():.9g}")
    print(f"cmos_switching_point: V_M = {inverter_vm():.9g}")
    print("netlists/nbox/iv_current_sweep.cir: steady v(a), @n1[t]")
    for i in (20e-6, 44e-6, 200e-6, 956e-6, 1.5e-3):
        v, t = nbox_steady(i)
        print(f"  at is={i:g}: v(a) = {v:.9g}, @n1[t] = {t:.9g}")
    print("netlists/behavioural/joglekar_memristor.cir: v(x), i(vm)")
    for t in (0.25, 0.5, 1.0):
        x, i = joglekar(t)
        print(f"  at time={t:g}: v(x) = {x:.9g}, i(vm) = {i:.9g}")
    print(f"netlists/behavioural/lif_neuron.cir: t1 = {10e-3 * math.log(2 / (2 - 0.9)):.9g}")

    print("netlists/behavioural/ (scipy on the decks' own state equations):")
    for name, f, times in (("vteam_memristor v(x)", vteam, (5e-3, 10e-3, 25e-3)),
                           ("yakopcic_memristor v(x)", yakopcic, (2.5e-3, 5e-3, 10e-3)),
                           ("prodromakis_memristor v(x)", prodromakis, (0.25, 0.5, 1.0)),
                           ("pershin_memristor v(r)", pershin, (0.05, 0.1, 0.15)),
                           ("probabilistic_memristor v(p)", probabilistic, (0.05, 0.1, 0.15))):
        for t, x in f(times).items():
            print(f"  {name} at time={t:g} = {x:.9g}")
    for t, (x, i) in memcapacitor((0.25e-3, 0.5e-3, 2.25e-3)).items():
        print(f"  memcapacitor at time={t:g}: v(x) = {x:.9g}, i(vm) = {i:.9g}")
    print("  izhikevich_neuron v(v) rises through 0 at (s):",
          ", ".join(f"{t * 1e-3:.9g}" for t in izhikevich_crossings()))

    print("behavioural_cancellation: v(s), i(vm)")
    for t in (0.5e-9, 2.5e-9, 5e-9, 7.5e-9, 10e-9):
        v, i = cancellation(t)
        print(f"  at time={t:g}: v(s) = {v:.9g}, i(vm) = {i:.9g}")

    print("threshold_memristor: v(x1.s), i(v1)")
    for t in (21e-9, 22.5e-9, 25e-9, 26e-9, 30e-9):
        v, i = threshold_memristor(t)
        print(f"  at time={t:g}: v(x1.s) = {v:.9g}, i(v1) = {i:.6g}")

    print(f"users_hspice_forms: v(xm.q) at 10 ms = {hspice_memristor_charge():.9g}")

    xhi, ipk = users_prodromakis()
    print(f"users_prodromakis_window: xhi = {xhi:.9g}, ipk = {ipk:.9g}")
    print("users_switch_iaf: t1 t2 t3 =", " ".join(f"{t:.9g}" for t in users_switch_iaf()))

    print("switch_cascade: t1 tw a1 =", " ".join(f"{x:.9g}" for x in switch_cascade()))

    isi0, isi5 = users_altermod_sw_isi(10e-9, 0.3), users_altermod_sw_isi(20e-9, 0.7)
    print("users_altermod_sw_isi: isi[0], isi[5] in ms, rate[5]/rate[0] =", f"{isi0 * 1e3:.9g} {isi5 * 1e3:.9g} {isi0 / isi5:.9g}")

    ring = switch_ring()
    print("switch_ring: t2 t4 period =", f"{ring[1]:.9g} {ring[3]:.9g} {(ring[3] - ring[1]) / 2:.9g}")

    print("e_latch_relax: t1 t2 t3 f2 =", " ".join(f"{t:.9g}" for t in e_latch_relax()))

    print("users_csw_relax: t1 t2 t3 =", " ".join(f"{t:.9g}" for t in users_csw_relax()))

    print("users_joglekar_freq_sweep: swing at 1, 2, 4 Hz =",
          " ".join(f"{users_joglekar_swing(f):.9g}" for f in (1, 2, 4)))

    print("users_hspice_charge_memristor: q10 q20 i20 q30 =",
          " ".join(f"{x:.9g}" for x in users_charge_memristor()))

    print("users_pspice_diode_switch_memristor: i(v1) at -6 -4 -1 1 3 6 V =",
          " ".join(f"{users_diode_switch_memristor(v):.9g}" for v in (-6, -4, -1, 1, 3, 6)))

    print(f"users_pershin_threshold_rexpr: x at T/2 = {users_threshold_memristor():.9g}")

    print("diode_small_n_op: i at n = 0.2, 0.3, 0.001 =",
          " ".join(f"{diode_series_current(n):.9g}" for n in (0.2, 0.3, 0.001)))

    print("bjt_small_nf_op: i at nf = 0.2, 0.3 =",
          " ".join(f"{bjt_diode_series_current(nf):.9g}" for nf in (0.2, 0.3)))

    print(f"jfet_high_common_mode_op, mos_bulk_high_common_mode_op: i = {two_junctions_series_current():.9g}")

    print("users_lt_bare_r_expr: i1 i2 iavg ipk =", " ".join(f"{x:.9g}" for x in users_bare_r_expr()))

    print("users_hspice_memdiode: h100 h200 iset =", " ".join(f"{x:.9g}" for x in users_memdiode()))

    print("source_sffm_am: v(1) v(2) v(3) v(4)")
    for t in (0.3e-3, 1.1e-3, 2.7e-3):
        print(f"  at time={t:g}: {sffm(t, 0.1, 2, 1e3, 2, 100, 30, 45):.9g} {sffm(t, 0, 1, 1e3, 2, 100):.9g} "
              f"{am(t, 0.5, 2, 1.8, 100, 1e3, 0.5e-3, 30, 60):.9g} {am(t, 0, 0, 1, 100, 1e3):.9g}")

    print("netlists/ac/filters.cir:")
    for k, v in ac_filters().items():
        print(f"  {k} = {v:.9g}")

    print("ltspice_ideal_diode: i(v1) = -(i(D1) + i(D2)), i(v2) = i(D2)")
    d1 = dict(ron=2, roff=1e9, vfwd=1, vrev=2, rrev=4)
    d2 = dict(ron=0.5, roff=1e6, vfwd=0.7, epsilon=0.2, vrev=3, revepsilon=0.4, ilimit=1, revilimit=0.5, area=2)
    for v in (-6, -3.2, -2.5, 0.5, 0.8, 1.0, 3.0):
        i1, i2 = ltspice_ideal_diode(v, **d1), ltspice_ideal_diode(v, **d2)
        print(f"  at v1={v:g}: i(v1) = {-(i1 + i2)!r}, i(v2) = {i2!r}")
    print("pspice_iswitch: i(v1), i(v2)")
    for ic in (0, 1.5e-3, 2.5e-3, 3e-3, 4.5e-3, 6e-3):
        print(f"  at ic={ic:g}: i(v1) = {-pspice_switch_current(ic, 5e-3, 1e-3, 1, 1e6):.12g}")
    for ic in (-1e-3, 0.5e-3, 1.5e-3, 3e-3):
        print(f"  at ic={ic:g}: i(v2) = {-pspice_switch_current(ic, 0, 2e-3, 10, 1e3):.12g}")
    t05, tknee, v, iclamp = users_lif_diode_clamp((0.6e-3, 0.8e-3, 3e-3))
    print(f"users_lt_lif_diode_clamp: t05 = {t05:.9g}, tknee = {tknee:.9g}, v(vm) at 0.6m, 0.8m, 3m = "
          + ", ".join(f"{x:.9g}" for x in v) + f", iclamp = {iclamp:.9g}")
    print("users_pspice_qc_memristor_sdt: qhalf, vq, vtq, vmax, qend = "
          + ", ".join(f"{x:.9g}" for x in users_qc_memristor()))
    print("users_pspice_iswitch_selector: i(vsense)")
    for rload in (50e3, 100e3):
        for v in (1, 2, 3, 5, 12):
            print(f"  at v1={v:g},rload={rload:g}: {users_iswitch_selector(v, rload):.12g}")
    for dt in (2e-3, 5e-3):
        w, x = users_stdp_diode_trace(dt, (2e-3, 8e-3))
        print(f"users_lt_stdp_diode_trace dt={dt:g}: v(w) at 10m = {w:.9g}, v(xpre) at 2m, 8m = "
              + ", ".join(f"{v:.9g}" for v in x))
    print("users_pspice_capture_hp_memristor: x at 0.5m, 0.25m, 1m; i(v_v1) at 0.25m = "
          + ", ".join(f"{v:.9g}" for v in (users_capture_hp_memristor(0.5e-3)[0], users_capture_hp_memristor(0.25e-3)[0],
                                            users_capture_hp_memristor(1e-3)[0], users_capture_hp_memristor(0.25e-3)[1])))
    print("sp_lc_filter: |s11| ph(s11) |s21| ph(s21) |s12| |s22|")
    for f in (100, 1e3, 3e3, 10e3):
        s11, s12, s21, s22 = sp_lc_filter(f)
        print(f"  at frequency={f:g}: {abs(s11):.9g} {np.angle(s11):.9g} {abs(s21):.9g} {np.angle(s21):.9g} "
              f"{abs(s12):.9g} {abs(s22):.9g}")
    w = 2j * math.pi * 1e3
    (a, b), (c, d) = np.array([[1, 0], [w * 1e-6, 1]]) @ np.array([[1, w * 2.5e-3], [0, 1]]) @ np.array([[1, 0], [w * 1e-6, 1]])
    print(f"sp_lc_filter at 1k: |z11| = |A/C| = {abs(a / c):.9g}, |z21| = |1/C| = {abs(1 / c):.9g}, "
          f"|y11| = |D/B| = {abs(d / b):.9g}, |y21| = |1/B| = {abs(1 / b):.9g}, ph(y21) = {np.angle(-1 / b):.9g}")
    s11, s12, s21, s22 = two_port_s(((1, 100), (0, 1)), 50, 75)
    print(f"sp_resistors series 100 between 50 and 75 Ohm: s11 s21 s12 s22 = {s11:.9g} {s21:.9g} {s12:.9g} {s22:.9g}")
    s11, s12, s21, s22 = two_port_s(((1, 0), (1 / 25, 1)), 50, 50)
    print(f"sp_resistors shunt 25 between 50 and 50 Ohm: s11 s21 = {s11:.9g} {s21:.9g}")


if __name__ == "__main__":
    main()
