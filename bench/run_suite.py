#!/usr/bin/python3
"""The neurospice-vs-ngspice benchmark suite (issue 7). Writes bench/RESULTS.md and
bench/scaling.png.

    bench/run_suite.py [--quick] [--only NAME[,NAME...]] [--sizes S[,S...]] [--reps R] [--timeout S]
                       [--neurospice PATH] [--out FILE.md]

Circuits (NAME): rc (RC ladder), neuron (one NbOx neuron), network (NbOx neurons with
resistive synapses), xbar_read and xbar_pulse (1T1R crossbar), stno (coupled
auto-oscillators). Each exists as a neurospice deck and as an ngspice deck of the same
equations (behavioural sources and state nodes); the generators are bench/gen_rc_ladder.py,
tools/gen_neuron_network, tools/gen_crossbar and tools/gen_stno_network.

For every circuit and size: a reference run (neurospice at reltol 1e-7, finer output
grid); then each simulator at its default reltol (1e-3) and at tighter reltol until its
error against the reference meets the circuit's accuracy target. Every run is timed
(median wall time of R repetitions, peak RSS from /usr/bin/time) with its accepted steps
(neurospice --stats; ngspice .options acct). On the smallest size of each circuit the
reference itself is checked against a run at reltol 1e-8.

Each run's --stats counts (steps, Newton iterations, Jacobians, linear iterations and the
linear solver) are in the "All runs" table.

--quick: the two smallest sizes, 1 repetition. The full run takes about 25 minutes on a
quiet 2-core machine; single ngspice runs are cut at --timeout seconds (default 600) and
reported as "> 600 s".
"""
import argparse
import datetime
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile

import numpy as np
from scipy.interpolate import CubicSpline

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TOOLS = os.path.join(ROOT, "tools")
TIME = "/usr/bin/time"
REF_RELTOL = "1e-7"


# ---------------------------------------------------------------- decks

def tool(*args):
    """A generator's output (its deck)."""
    cmd = [sys.executable, *args] if args[0].endswith(".py") else list(args)
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def with_options(deck, options):
    """The deck with an .options line before .end."""
    lines = deck.rstrip("\n").split("\n")
    end = max(k for k, l in enumerate(lines) if l.strip().lower() == ".end")
    return "\n".join(lines[:end] + [f".options {options}"] + lines[end:]) + "\n"


def finer_output(deck, step):
    """The deck with its .tran output step replaced (neurospice's steps do not depend on
    it: the reference only needs a finer grid to interpolate from)."""
    return re.sub(r"(?im)^\.tran\s+\S+", f".tran {step}", deck, count=1)


def replace_saves(deck, line):
    return re.sub(r"(?im)^\.(save|probe)\s.*$", line, deck, count=1)


class Case:
    """One circuit at one size: decks, what to compare, how to measure the error."""

    def __init__(self, family, size, label, ns_deck, ng_deck, error, norm, target, unit,
                 ref_step=None, ref_options="", transient=True):
        self.family, self.size, self.label = family, size, label
        self.ns_deck, self.ng_deck = ns_deck, ng_deck
        self.error, self.norm, self.target, self.unit = error, norm, target, unit
        self.ref_step, self.ref_options, self.transient = ref_step, ref_options, transient


def rc_case(n):
    deck = tool(os.path.join(HERE, "gen_rc_ladder.py"), str(n))
    return Case("rc", n, f"RC ladder {n} nodes", deck, deck, waveform_error,
                "relative L2 (time-weighted, all saved nodes) on the 1 us waveform", 1e-3, "",
                ref_step="0.1n")


NEURON_NS = """Fig. 2.7 neuron, 100 us at 335 uA
.model nb nbox
Is 0 a dc 335u
Cext a 0 200p
N1 a b nb
Lext b c 700n
Rout c 0 25
.probe v(a)
.tran 1n 100u uic
.end
"""
NEURON_NG = ("Fig. 2.7 neuron, behavioural NbOx, 100 us at 335 uA\n"
             + open(os.path.join(HERE, "nbox", "fig27_neuron_ngspice.inc")).read()
             + ".save v(a)\n.tran 1n 100u uic\n.end\n")
SPIKE_NORM = ("max spike-time error (symmetric: every spike to the nearest spike of the other "
              "run; spike = v(a) falling through 0.7 V) over the saved neurons")
# The reference of spiking circuits: tight absolute tolerances too (bench/nbox did the same).
SPIKE_REF_OPTIONS = "abstol=1e-16 vntol=1e-10"


def neuron_case(_):
    return Case("neuron", 1, "NbOx neuron, 100 us", NEURON_NS, NEURON_NG, spike_error, SPIKE_NORM,
                1.5e-9, "s", ref_step="0.1n", ref_options=SPIKE_REF_OPTIONS)


def network_case(n):
    gen = os.path.join(TOOLS, "gen_neuron_network")
    # From 3000 neurons on, 1 us (issue 20's must-show: 10,000 neurons, 1 us): the
    # weak-coupling solver takes these (--stats names it), ngspice runs to --timeout.
    tstop = "1u" if n >= 3000 else "10u"
    return Case("network", n, f"{n} NbOx neurons, {tstop[:-1]} us", tool(gen, str(n), "--tstop", tstop),
                tool(gen, str(n), "--ngspice", "--tstop", tstop),
                spike_error, SPIKE_NORM, 0.5e-9, "s", ref_step="0.1n", ref_options=SPIKE_REF_OPTIONS)


def xbar_cells(m, n):
    """The cells whose gap the pulse benchmark compares: a spread-out sample."""
    return sorted({(i * (m - 1) // 3, j * (n - 1) // 3) for i in range(4) for j in range(4)})


def xbar_read_case(mn):
    m, n = mn
    gen = os.path.join(TOOLS, "gen_crossbar")
    return Case("xbar_read", m * n, f"1T1R {m}x{n} read (.op)", tool(gen, str(m), str(n)),
                tool(gen, str(m), str(n), "--ngspice"), column_error,
                "max relative error of the column currents", 1e-6, "", transient=False)


def xbar_pulse_case(mn):
    m, n = mn
    gen = os.path.join(TOOLS, "gen_crossbar")
    cells = xbar_cells(m, n)
    ns = replace_saves(tool(gen, str(m), str(n), "--analysis", "pulse"),
                       ".probe i(vcol_0) " + " ".join(f"@n_{i}_{j}[gap]" for i, j in cells))
    ng = replace_saves(tool(gen, str(m), str(n), "--ngspice", "--analysis", "pulse"),
                       ".save i(vcol_0) " + " ".join(f"v(n_{i}_{j}_g)" for i, j in cells))
    return Case("xbar_pulse", m * n, f"1T1R {m}x{n} pulse (.tran)", ns, ng, gap_error,
                "max |gap(1 us) - ref| over 16 sampled cells / max |gap change| of the reference",
                5e-3, "")


def stno_case(n):
    gen = os.path.join(TOOLS, "gen_stno_network")
    return Case("stno", n, f"{n} STNOs on a line, 1 us", tool(gen, str(n)), tool(gen, str(n), "--ngspice"),
                waveform_error, "relative L2 (time-weighted) of v(line) and the saved v(a_k) over 1 us",
                # Above the reference's own floor: the model's fixed abstol 1e-6 on cr, ci
                # caps what tightening reltol buys (1e-7 vs 1e-9 differ by 8e-4 at N = 64).
                5e-3, "", ref_step="0.01n")


FAMILIES = {
    "rc": (rc_case, [1000, 10000]),
    "neuron": (neuron_case, [1]),
    "network": (network_case, [10, 100, 1000, 3000, 10000]),
    "xbar_read": (xbar_read_case, [(16, 16), (64, 64), (128, 64), (256, 256)]),
    "xbar_pulse": (xbar_pulse_case, [(16, 16), (64, 64), (128, 64), (256, 256)]),
    "stno": (stno_case, [4, 16, 64]),
}


# ---------------------------------------------------------------- results

def read_csv(path):
    with open(path) as f:
        names = [s.strip().lower() for s in f.readline().split(",")]
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return {name: data[:, k] for k, name in enumerate(names)}


def read_raw(path):
    """An ngspice binary (or ascii) raw file's first plot, {name: array}."""
    blob = open(path, "rb").read()
    names, nvars, npoints, k = [], 0, 0, 0
    lines = blob.split(b"\n")
    offset = 0
    while k < len(lines):
        line = lines[k].decode("latin-1")
        offset += len(lines[k]) + 1
        if line.startswith("No. Variables:"):
            nvars = int(line.split(":")[1])
        elif line.startswith("No. Points:"):
            npoints = int(line.split(":")[1])
        elif line.startswith("Variables:"):
            for j in range(nvars):
                names.append(lines[k + 1 + j].decode().split()[1].lower())
                offset += len(lines[k + 1 + j]) + 1
            k += nvars
        elif line.startswith("Binary:"):
            data = np.frombuffer(blob, dtype="<f8", count=nvars * npoints, offset=offset)
            data = data.reshape(npoints, nvars)
            return {name: data[:, j] for j, name in enumerate(names)}
        elif line.startswith("Values:"):
            vals = " ".join(l.decode() for l in lines[k + 1:]).split()
            data = np.array([float(v) for j, v in enumerate(vals) if j % (nvars + 1)][:nvars * npoints])
            data = data.reshape(npoints, nvars)
            return {name: data[:, j] for j, name in enumerate(names)}
        k += 1
    raise ValueError(f"{path}: no data in the raw file")


def signals(table):
    """Columns other than time, by a name both simulators share (ngspice's node vectors
    carry no v(...) in some versions; gaps are v(n_i_j_g) there, @n_i_j[gap] here)."""
    out = {}
    for name, col in table.items():
        if name == "time":
            continue
        m = re.fullmatch(r"@(n_\d+_\d+)\[gap\]", name) or re.fullmatch(r"v\((n_\d+_\d+)_g\)", name)
        key = f"gap:{m.group(1)}" if m else (name if "(" in name else f"v({name})")
        out[key] = col
    return out


def waveform_error(run, ref):
    """Time-weighted relative L2 over all signals, evaluated at the run's own points; the
    reference (finer grid) is interpolated there by a cubic spline."""
    t = run["time"]
    w = np.gradient(t)  # the trapezoidal weight of each point, up to a factor at the ends
    num = den = 0.0
    rs = signals(run)
    for name, yref in signals(ref).items():
        spline = CubicSpline(ref["time"], yref)
        num += float(np.sum(w * (rs[name] - spline(t)) ** 2))
        den += float(np.sum(w * spline(t) ** 2))
    return math.sqrt(num / den)


def spike_times(t, v, level=0.7):
    k = np.nonzero((v[:-1] > level) & (v[1:] <= level))[0]
    return t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])


def spike_error(run, ref):
    worst = 0.0
    rs = signals(run)
    for name, vref in signals(ref).items():
        a, b = spike_times(ref["time"], vref), spike_times(run["time"], rs[name])
        if len(a) == 0 and len(b) == 0:
            continue
        if len(a) == 0 or len(b) == 0:
            return math.inf
        worst = max(worst, np.max(np.min(np.abs(a[:, None] - b[None, :]), axis=1)),
                    np.max(np.min(np.abs(b[:, None] - a[None, :]), axis=1)))
    return float(worst)


def column_error(run, ref):
    rs = signals(run)
    return max(float(abs(rs[n][-1] - y[-1]) / abs(y[-1])) for n, y in signals(ref).items())


def gap_error(run, ref):
    rs, gaps = signals(run), {n: y for n, y in signals(ref).items() if n.startswith("gap:")}
    change = max(abs(y[-1] - y[0]) for y in gaps.values())
    return max(abs(rs[n][-1] - y[-1]) for n, y in gaps.items()) / change


# ---------------------------------------------------------------- running

class Runner:
    def __init__(self, neurospice, timeout, work):
        self.neurospice, self.timeout, self.work = neurospice, timeout, work

    def once(self, sim, deck):
        """Runs a deck once: (wall s, cpu s, peak RSS MiB, work counts (work()), result
        table), or wall = inf on timeout."""
        cir = os.path.join(self.work, f"{sim}.cir")
        out = os.path.join(self.work, f"{sim}.csv" if sim == "ns" else f"{sim}.raw")
        if os.path.exists(out):
            os.remove(out)
        if sim == "ns":
            cmd = [self.neurospice, "--stats", "-o", out, cir]
        else:
            deck = with_options(deck, "acct")
            cmd = ["ngspice", "-b", "-r", out, cir]
        with open(cir, "w") as f:
            f.write(deck)
        tfile = os.path.join(self.work, "time.txt")
        # A session of its own, so that a timeout kills the simulator too, not just `time`.
        p = subprocess.Popen([TIME, "-f", "%e %U %S %M", "-o", tfile, *cmd], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            stdout, stderr = p.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            return math.inf, math.inf, math.nan, {}, None
        log = stdout + stderr
        if p.returncode != 0 or not os.path.exists(out):
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{log[-2000:]}")
        wall, user, system, rss = open(tfile).read().split()[-4:]
        if sim == "ns":
            table = read_csv(out)
        else:
            if re.search(r"(?i)\berror\b", stdout) and "Accepted" not in log and "Operating" not in log:
                raise RuntimeError(f"ngspice reported an error:\n{log[-2000:]}")
            table = read_raw(out)
        return (float(wall), float(user) + float(system), float(rss) / 1024,
                work(sim, log, ".tran" in deck.lower()), table)

    def timed(self, sim, deck, reps):
        """Median wall and CPU time of reps runs; fewer once the runs so far took a minute."""
        walls, cpus, rss, counts, table = [], [], math.nan, {}, None
        for r in range(reps):
            wall, cpu, mem, n, t = self.once(sim, deck)
            walls.append(wall)
            cpus.append(cpu)
            if math.isinf(wall):
                break
            rss, counts, table = mem if math.isnan(rss) else max(rss, mem), n, t
            if sum(walls) > 60:
                break
        return statistics.median(walls), statistics.median(cpus), rss, counts, table


def work(sim, log, transient):
    """What the run did, from neurospice's --stats line (or ngspice's .options acct):
    accepted steps, Newton iterations, Jacobians (factorisations), linear iterations and
    the linear solver ("KLU", "GMRES" on blocks). Missing counts are left out. ngspice
    factors a fresh Jacobian at each iteration and solves directly."""
    def count(pattern):
        m = re.search(pattern, log)
        return int(m.group(1)) if m else None
    if sim == "ns":
        out = {"steps": count(r"transient: (\d+) steps,"), "newton": count(r"(\d+) Newton iterations"),
               "jacobians": count(r"(\d+) Jacobians"), "linear": count(r"(\d+) linear iterations")}
        m = re.search(r"linear solver: (\w+)", log)
        out["solver"] = m.group(1) if m else None
        if out["solver"] == "KLU":
            out["linear"] = None
    else:
        if not transient:
            return {}
        out = {"steps": count(r"Accepted timepoints\s*=\s*(\d+)"),
               "newton": count(r"Transient iterations\s*=\s*(\d+)")}
    return {k: v for k, v in out.items() if v is not None}


def fmt_work(counts):
    """The --stats columns: steps | Newton iterations | Jacobians | linear iterations."""
    linear = str(counts.get("linear", "")) + (f" ({counts['solver']})" if counts.get("solver") else "")
    return " | ".join(str(counts.get(k, "")) for k in ("steps", "newton", "jacobians")) + f" | {linear.strip()}"


def fmt_err(e):
    return "n/a" if e is None else ("inf" if math.isinf(e) else f"{e:.2e}")


def num(x, spec):
    return f"{x:{spec}}" if math.isfinite(x) else ""


def fmt_time(t, timeout):
    return f"> {timeout:.0f}" if math.isinf(t) else f"{t:.3g}"


def run_case(case, runner, reps, check_ref, tight_budget, log):
    row = {"case": case, "runs": [], "ref_check": None, "cut": {}}
    ref_deck = with_options(case.ns_deck, f"reltol={REF_RELTOL} {case.ref_options}".strip())
    if case.ref_step:
        ref_deck = finer_output(ref_deck, case.ref_step)
    rwall, _, _, rcounts, ref = runner.timed("ns", ref_deck, 1)
    if ref is None:
        # Every error of this case is then n/a; the timings still count.
        log(f"  reference reltol {REF_RELTOL}: over {runner.timeout:.0f} s, stopped: errors n/a (raise --timeout)")
    row["ref"] = (rwall, rcounts)
    log(f"  reference reltol {REF_RELTOL}: {fmt_time(rwall, runner.timeout)} s, {rcounts.get('steps', '-')} steps")
    if check_ref and ref is not None:
        tight = with_options(case.ns_deck, f"reltol=1e-8 {case.ref_options}".strip())
        if case.ref_step:
            tight = finer_output(tight, case.ref_step)
        _, _, _, _, ref8 = runner.timed("ns", tight, 1)
        row["ref_check"] = case.error(ref, ref8)
        log(f"  reference check: error of the 1e-7 reference against 1e-8: {fmt_err(row['ref_check'])}")
    for sim in ("ns", "ng"):
        deck = case.ns_deck if sim == "ns" else case.ng_deck
        for reltol in ("1e-3", "1e-4", "1e-5", "1e-6"):
            wall, cpu, rss, counts, table = runner.timed(sim, with_options(deck, f"reltol={reltol}"), reps)
            err = None if table is None or ref is None else case.error(table, ref)
            row["runs"].append({"sim": sim, "reltol": reltol, "wall": wall, "cpu": cpu, "rss": rss,
                                "steps": counts.get("steps"), "counts": counts, "err": err})
            log(f"  {'neurospice' if sim == 'ns' else 'ngspice':10s} reltol {reltol}: "
                f"{fmt_time(wall, runner.timeout)} s (cpu {num(cpu, '.3g')} s), {num(rss, '.0f')} MiB, "
                f"steps/Newton/Jacobians/linear {fmt_work(counts).replace(' | ', '/')}, error {fmt_err(err)}")
            if err is None or err <= case.target:
                break  # target met (tighter runs only cost more), or timed out
            if wall > tight_budget:
                row["cut"][sim] = reltol  # a tighter run would take longer still
                break
    return row


# ---------------------------------------------------------------- report

def best(row, sim):
    """(default run, fastest run meeting the target or None) of one simulator."""
    runs = [r for r in row["runs"] if r["sim"] == sim]
    ok = [r for r in runs if r["err"] is not None and r["err"] <= row["case"].target]
    return runs[0], (min(ok, key=lambda r: r["wall"]) if ok else None)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    ng = subprocess.run(["ngspice", "-v"], capture_output=True, text=True).stdout
    ngv = re.search(r"ngspice-\S+", ng)
    return cpu, ngv.group(0) if ngv else "ngspice ?"


def slope(points):
    """Least-squares exponent of y ~ x^k through (x, y) points with finite y."""
    pts = [(x, y) for x, y in points if y and math.isfinite(y) and y > 0]
    if len(pts) < 2:
        return None
    lx, ly = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
    return float(np.polyfit(lx, ly, 1)[0])


def tree_state():
    """The commit checked out (and whether the tree differs from it), for the results."""
    git = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %s"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--short", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return git + (" with uncommitted changes" if dirty else "")


def report(rows, args, loads, started, tree, path, plot):
    cpu, ngv = machine()
    nsv = subprocess.run([args.neurospice, "--version"], capture_output=True, text=True).stdout.strip()
    # The binary may predate the tree: say when it was built.
    built = datetime.datetime.utcfromtimestamp(os.path.getmtime(args.neurospice))
    to = args.timeout
    L = ["# neurospice vs ngspice: benchmark suite (issue 7)", "",
         f"Generated by `bench/run_suite.py {' '.join(sys.argv[1:])}` on "
         f"{started:%Y-%m-%d %H:%M} UTC, {(datetime.datetime.utcnow() - started).total_seconds() / 60:.0f} min.", "",
         f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
         f"load average (1 min) before / after: {loads[0]} / {loads[1]}.",
         f"- {nsv or 'neurospice'} (`{args.neurospice}`, built {built:%Y-%m-%d %H:%M} UTC); "
         f"tree at {tree} when the run started; {ngv}.",
         f"- Wall time: median of {args.reps} runs (fewer once the runs add up to 60 s), whole process "
         "(parse, solve, write a few saved columns); peak memory = max RSS (/usr/bin/time). "
         f"Runs over {to:.0f} s are killed and shown as > {to:.0f}.",
         "- Steps: accepted time steps (neurospice `--stats`, ngspice `.options acct`). "
         "Newton iterations, Jacobians (factorisations) and linear iterations (GMRES, with "
         "the linear solver `--stats` names) are neurospice's `--stats` counts; ngspice's "
         "Newton iterations are its transient iterations (it factors at each one). "
         "Both simulators cap the step at min(tstep, span/50) when the deck gives no tmax "
         "(SPICE3's rule; neurospice since 162a6b5, before it span/50 alone); "
         "neurospice's rows are interpolated onto the tstep grid.",
         f"- Reference: neurospice at reltol {REF_RELTOL} (spiking circuits also abstol 1e-16, "
         "vntol 1e-10), output on a finer grid (RC 0.1 ns, neurons 0.1 ns, STNO 0.01 ns). "
         "Each simulator runs at reltol 1e-3 (both defaults), then tighter (1e-4, 1e-5, 1e-6) "
         "until its error meets the circuit's target; 'equal accuracy' = the fastest run that "
         "meets the target.", ""]
    L += ["## Accuracy norms and targets", ""]
    seen = set()
    for row in rows:
        c = row["case"]
        if c.family not in seen:
            seen.add(c.family)
            tgt = f"{c.target * 1e9:g} ns" if c.unit == "s" else f"{c.target:g}"
            L.append(f"- **{c.family}**: {c.norm}; target {tgt}.")
    checks = [(r["case"].label, r["ref_check"]) for r in rows if r["ref_check"] is not None]
    if checks:
        L += ["", "Reference converged? Error of the reltol 1e-7 reference against one at 1e-8 "
              "(same norm): " + "; ".join(f"{lab}: {fmt_err(e)}" for lab, e in checks) + "."]
    L += ["", "## Summary", "",
          "ratio = ngspice time / neurospice time (> 1: neurospice faster), wall (and CPU: "
          "user + system, less sensitive to other jobs on a shared machine). 'At target': "
          "each simulator's fastest run meeting the accuracy target; when ngspice was "
          "stopped before meeting it (timeout, or a run over the tighten budget), its "
          "time at target is at least that of its last run, so the ratio is a lower bound (>=).", "",
          "| circuit | size | ns default: wall s (error) | ng default: wall s (error) "
          "| ratio default: wall (cpu) | ns at target: reltol, wall s | ng at target: reltol, wall s "
          "| ratio at target: wall (cpu) |",
          "|---|---|---|---|---|---|---|---|"]

    def cell(r):
        return f"{fmt_time(r['wall'], to)} ({fmt_err(r['err'])})"

    def ratio(a, b, bound=""):
        def one(key):
            if math.isinf(b[key]):
                return f">= {to / a[key]:.3g}" if key == "wall" else "n/a"
            return f"{bound}{b[key] / a[key]:.3g}" if a[key] > 0 else "n/a"
        return f"{one('wall')} ({one('cpu')})"

    for row in rows:
        c = row["case"]
        (nd, nb), (gd, gb) = best(row, "ns"), best(row, "ng")
        last_ng = [r for r in row["runs"] if r["sim"] == "ng"][-1]
        tgt_ns = f"{nb['reltol']}, {fmt_time(nb['wall'], to)}" if nb else "not reached"
        if gb:
            tgt_ng, ratio_tgt = f"{gb['reltol']}, {fmt_time(gb['wall'], to)}", ratio(nb, gb) if nb else "n/a"
        elif math.isinf(last_ng["wall"]) or "ng" in row["cut"]:
            why = "timed out" if math.isinf(last_ng["wall"]) else f"stopped after {last_ng['reltol']}"
            spent = fmt_time(last_ng["wall"], to).lstrip("> ")
            tgt_ng, ratio_tgt = f"{why} (> {spent})", ratio(nb, last_ng, ">= ") if nb else "n/a"
        else:
            tgt_ng, ratio_tgt = "not reached", "n/a"
        L.append(f"| {c.label} | {c.size} | {cell(nd)} | {cell(gd)} | {ratio(nd, gd)} | {tgt_ns} | {tgt_ng} | {ratio_tgt} |")
    L += ["", "## All runs", "",
          "| circuit | simulator | reltol | wall [s] | cpu [s] | peak RSS [MiB] | accepted steps "
          "| Newton iterations | Jacobians | linear iterations (solver) | wall/step [ms] | error |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        c = row["case"]
        L.append(f"| {c.label} | reference | {REF_RELTOL} | {fmt_time(row['ref'][0], to)} | | | "
                 f"{fmt_work(row['ref'][1])} | | |")
        for r in row["runs"]:
            per = f"{r['wall'] / r['steps'] * 1e3:.3g}" if r["steps"] and math.isfinite(r["wall"]) else ""
            L.append(f"| {c.label} | {'neurospice' if r['sim'] == 'ns' else 'ngspice'} | {r['reltol']} | "
                     f"{fmt_time(r['wall'], to)} | {num(r['cpu'], '.3g')} | {num(r['rss'], '.0f')} | "
                     f"{fmt_work(r['counts'])} | {per} | {fmt_err(r['err'])} |")
    # Scaling: time per accepted step at the default reltol against the circuit size.
    L += ["", "## Scaling", "",
          "CPU time (user + system; both programs are single-threaded, so on a quiet machine "
          "this is the wall time) per accepted step (default reltol) against circuit size (nodes, neurons, cells, "
          "oscillators); exponent = least-squares slope on log-log axes over the sizes run "
          "(and over the two largest). Whole-process time per step, so start-up costs flatten "
          "the small sizes. ![scaling](scaling.png)", "",
          "| circuit | neurospice exponent (all / two largest) | ngspice exponent (all / two largest) |",
          "|---|---|---|"]
    series = {}
    for row in rows:
        c = row["case"]
        if not c.transient:
            continue
        for sim in ("ns", "ng"):
            d, _ = best(row, sim)
            if d["steps"] and math.isfinite(d["cpu"]):
                series.setdefault((c.family, sim), []).append((c.size, d["cpu"] / d["steps"]))
    for fam in dict.fromkeys(f for f, _ in series):
        if len(series.get((fam, "ns"), [])) < 2:
            continue
        parts = []
        for sim in ("ns", "ng"):
            pts = sorted(series.get((fam, sim), []))
            a, b = slope(pts), slope(pts[-2:])
            parts.append("n/a" if a is None else f"{a:.2f} / {b:.2f}")
        L.append(f"| {fam} | {parts[0]} | {parts[1]} |")
    if plot and series:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(7, 5))
        for k, fam in enumerate(dict.fromkeys(f for f, _ in series)):
            for sim, style in (("ns", "-o"), ("ng", "--s")):
                pts = sorted(series.get((fam, sim), []))
                if pts:
                    ax.loglog(*zip(*pts), style, color=f"C{k}",
                              label=f"{fam} {'neurospice' if sim == 'ns' else 'ngspice'}")
        ax.set_xlabel("circuit size (nodes / neurons / cells / oscillators)")
        ax.set_ylabel("CPU time per accepted step [s]")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(os.path.dirname(path), "scaling.png"), dpi=120)
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="two smallest sizes, 1 repetition")
    ap.add_argument("--only", default="", help="comma-separated circuits: " + ",".join(FAMILIES))
    ap.add_argument("--sizes", default="", help="comma-separated sizes to run (e.g. 3000,10000 or 256x256); "
                    "default all (--quick: the two smallest)")
    ap.add_argument("--reps", type=int, default=None, help="repetitions per run (default 3, --quick 1)")
    ap.add_argument("--timeout", type=float, default=600, help="kill a single run after S seconds")
    ap.add_argument("--tighten-budget", type=float, default=120,
                    help="do not try a tighter reltol after a run that took longer than S seconds")
    ap.add_argument("--neurospice", default=os.environ.get("NEUROSPICE", os.path.join(ROOT, "build", "neurospice")))
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--no-plot", action="store_true")
    args = ap.parse_args()
    args.reps = args.reps or (1 if args.quick else 3)
    args.neurospice = os.path.abspath(args.neurospice)
    only = [s for s in args.only.split(",") if s]
    for s in only:
        if s not in FAMILIES:
            ap.error(f"unknown circuit '{s}' (one of {', '.join(FAMILIES)})")
    for need in (args.neurospice, TIME):
        if not os.access(need, os.X_OK):
            sys.exit(f"run_suite: {need} is missing (build neurospice; apt-get install time)")
    if not shutil.which("ngspice"):
        sys.exit("run_suite: ngspice is not on PATH")

    started = datetime.datetime.utcnow()
    tree = tree_state()
    loads = [f"{os.getloadavg()[0]:.2f}"]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        runner = Runner(args.neurospice, args.timeout, work)
        for fam, (make, sizes) in FAMILIES.items():
            if only and fam not in only:
                continue
            if args.sizes:
                picked = args.sizes.split(",")
                sizes = [s for s in sizes if (f"{s[0]}x{s[1]}" if isinstance(s, tuple) else str(s)) in picked]
            elif args.quick:
                sizes = sizes[:2]
            for size in sizes:
                case = make(size)
                print(f"{case.label}", flush=True)
                rows.append(run_case(case, runner, args.reps, size == FAMILIES[fam][1][0], args.tighten_budget,
                                     lambda s: print(s, flush=True)))
    loads.append(f"{os.getloadavg()[0]:.2f}")
    report(rows, args, loads, started, tree, args.out, not args.no_plot)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
