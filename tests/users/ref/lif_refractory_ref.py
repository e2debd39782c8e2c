#!/usr/bin/python3
"""Exact event-driven solution of tests/users/lt_lif_sw_refractory.cir with ideal switches.

Each phase is linear with constant sources, so every node is an exponential between
events; events (vm = 0.5 fires, ref = 0.45 closes S1, ref = 0.35 opens it) are solved
in closed form. The comparator and the S2 switch follow vm instantly: when S1 closes,
vm falls below 0.5 at once, so S2 opens at the moment ref reaches 0.45 (its peak).
Prints the deck's .meas values; AVG/RMS/PP from the closed forms on a 1 ns grid.
"""
import math
import numpy as np

I, Cm, Rl, Ron, Roff = 2e-6, 1e-9, 10e6, 10.0, 1e9
Vdd, Rser, Cr, Rr = 1.0, 1.0, 10e-9, 10e3
par = lambda *r: 1 / sum(1 / x for x in r)


def rc(v0, vinf, tau):
    return lambda t: vinf + (v0 - vinf) * math.exp(-t / tau)


def t_to(v0, vinf, tau, level):
    return tau * math.log((v0 - vinf) / (level - vinf))


# node equations per phase: (vinf, tau) for vm and ref
def vm_phase(s1_closed):
    R = par(Rl, Roff, Ron) if s1_closed else par(Rl, Roff)
    return I * R, R * Cm


def ref_phase(s2_closed):
    Rs = (Ron + Rser) if s2_closed else (Roff + Rser)
    R = par(Rs, Rr)
    return Vdd * R / Rs, R * Cr


segments = []  # (t0, t1, vm0, vm_phase, ref0, ref_phase)
t, vm, ref = 0.0, 0.0, 0.0
tend = 2e-3
while t < tend:
    # A: both open, until vm = 0.5
    a, b = vm_phase(False), ref_phase(False)
    dt = t_to(vm, a[0], a[1], 0.5)
    segments.append((t, t + dt, vm, a, ref, b))
    ref = rc(ref, *b)(dt); vm = 0.5; t += dt
    if t >= tend: break
    # B: S2 closed, S1 open, until ref = 0.45
    a, b = vm_phase(False), ref_phase(True)
    dt = t_to(ref, b[0], b[1], 0.45)
    segments.append((t, t + dt, vm, a, ref, b))
    vm = rc(vm, *a)(dt); ref = 0.45; t += dt
    # D: S1 closed, S2 open, until ref = 0.35
    a, b = vm_phase(True), ref_phase(False)
    dt = t_to(ref, b[0], b[1], 0.35)
    segments.append((t, t + dt, vm, a, ref, b))
    vm = rc(vm, *a)(dt); ref = 0.35; t += dt


def value(t, which):
    for (t0, t1, vm0, a, r0, b) in segments:
        if t0 <= t <= t1:
            return rc(vm0, *a)(t - t0) if which == 'vm' else rc(r0, *b)(t - t0)
    raise ValueError(t)


def rises(level, td=0.0):
    out = []
    for (t0, t1, vm0, a, r0, b) in segments:
        if vm0 < level and a[0] > level:
            tc = t0 + t_to(vm0, a[0], a[1], level)
            if t0 <= tc <= t1 and tc >= td:
                out.append(tc)
    return out


def ref_falls(level):
    out = []
    for (t0, t1, vm0, a, r0, b) in segments:
        if r0 > level and b[0] < level:
            tc = t0 + t_to(r0, b[0], b[1], level)
            if tc <= t1 + 1e-15:
                out.append(tc)
    return out


t1 = rises(0.4)[0]
t2 = rises(0.4, 0.5e-3)[0]
rfall = ref_falls(0.35)[1]
ts = np.linspace(0.5e-3, 2e-3, 1500001)
vmv = np.array([value(x, 'vm') for x in ts])
refv = np.array([value(x, 'ref') for x in ts])
span = ts[-1] - ts[0]
print(f"t1    = {t1:.9e}")
print(f"t2    = {t2:.9e}")
print(f"vavg  = {np.trapz(vmv, ts) / span:.9e}")
print(f"vrms  = {math.sqrt(np.trapz(vmv**2, ts) / span):.9e}")
print(f"vpp   = {refv.max() - refv.min():.9e}")
print(f"rfall = {rfall:.9e}")
print(f"vmt   = {value(rfall, 'vm'):.9e}")
