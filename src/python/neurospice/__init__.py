"""neurospice from Python: run a SPICE deck, read its results as pandas DataFrames.

    import neurospice
    r = neurospice.run("netlists/basic/rc.cir", params={"r": 2e3})
    r.tran            # DataFrame: time, v(in), v(out), ...
    r.meas            # {"name": value}; a DataFrame, one row per point, for .step/.mc
    neurospice.describe("nbox")   # the model's parameter table

The simulation runs with the GIL released; Ctrl-C stops it (KeyboardInterrupt).
"""
import os
import re
import sys
import time as _time
import warnings

import pandas as pd

from . import _neurospice

__version__ = _neurospice.version
__all__ = ["run", "describe", "types", "Result", "NetlistError", "SimulationError", "NetlistWarning"]


class NetlistError(ValueError):
    """Bad input: nothing was simulated. `file`, `line`, `column` locate it (None when
    the error is not in the deck, e.g. an override naming no .param)."""

    def __init__(self, message, file=None, line=None, column=None, notes=()):
        super().__init__(message, file, line, column)
        self.message, self.file, self.line, self.column = message, file, line, column
        self.notes = list(notes)

    def __str__(self):
        if self.file and self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}" if self.file else self.message


class SimulationError(RuntimeError):
    """The simulation could not go on. `time`: when a transient failed (None outside a
    transient); `culprit`: the unknown that the message names as the cause (or None);
    `notes`: what the solvers tried, and where the rows before the failure are."""

    def __init__(self, message, time=None, culprit=None, notes=()):
        super().__init__(message, time, culprit)
        self.message, self.time, self.culprit = message, time, culprit
        self.notes = list(notes)

    def __str__(self):
        return self.message


class NetlistWarning(UserWarning):
    """A warning about the deck (an ignored option, a card read differently than ngspice)."""


class Result:
    """One run. `tables`: a DataFrame per analysis, named by kind ("op", "dc", "tran",
    "ac"; "tran1", "tran2" ... when a kind occurs twice), also reachable as attributes
    (`result.tran` is the first transient). A stepped run's tables have the step values
    (and "run" for .mc) in their first columns. `meas`, `stats`, `notes` as run() says.

    `result.ac` is complex, as a raw file is: "frequency" (float64), then each node
    voltage and branch current as a complex128 phasor (np.abs, np.angle in radians,
    20 * np.log10(np.abs(...)): the command line's CSV columns vm, vp, vdb). `result.pz`
    holds the poles and zeros as complex128. `frame.attrs["units"]` names the units."""

    def __init__(self, tables, meas, stats, notes):
        self.tables, self.meas, self.stats, self.notes = tables, meas, stats, notes

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        first = [k for k in tables if re.fullmatch(re.escape(name) + r"\d+", k)]
        if first:
            return tables[first[0]]
        raise AttributeError(f"no '{name}' table in this run (it has: {', '.join(tables) or 'none'})")

    def __dir__(self):
        return list(super().__dir__()) + list(self.tables)

    def __repr__(self):
        shapes = ", ".join(f"{k}: {len(t)}x{t.shape[1]}" for k, t in self.tables.items())
        return f"<neurospice.Result {shapes}; {len(self.meas)} meas>"


def _frame(names, arrays):
    # copy=False: each numpy column stays the vector the simulation filled (no copy).
    return pd.DataFrame(dict(zip(names, arrays)), columns=names, copy=False)


_STATS = re.compile(r"(\d+) ([a-zA-Z -]+?)(?:,|$)")


def _stats(messages, elapsed):
    """The integrator's counters (summed over .step points) and the run's wall time."""
    stats = {"wall_time": elapsed}
    notes = []
    for line in messages:
        m = re.search(r"transient: (\d+ steps.*)$", line)
        if not m:
            notes.append(line)
            continue
        for count, what in _STATS.findall(m.group(1)):
            key = what.strip().replace(" ", "_").replace("-", "_").lower()
            stats[key] = stats.get(key, 0) + int(count)
    return stats, notes


class _Bar:
    """A tqdm bar when tqdm is importable (tqdm.auto: a widget in a notebook), else a
    line on stderr redrawn in place. Percent of the run, the .step point as postfix."""

    def __init__(self):
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        self._tqdm = tqdm and tqdm(total=100, desc="neurospice", leave=False,
                                   bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}")

    def __call__(self, fraction, detail):
        if self._tqdm is not None:
            self._tqdm.n = round(100 * fraction, 1)
            self._tqdm.set_postfix_str(detail, refresh=True)
        else:
            sys.stderr.write(f"\rneurospice: {100 * fraction:5.1f}% {detail}   ")
            sys.stderr.flush()

    def close(self):
        if self._tqdm is not None:
            self._tqdm.close()
        else:
            sys.stderr.write("\r" + " " * 40 + "\r")


def run(netlist, params=None, jobs=None, seed=None, every_step=False, progress=None, name="<deck>"):
    """Runs every analysis of a deck, once per point of its .step/.mc cards.

    netlist: a path (str or os.PathLike) or the deck's text (a str with a newline; `name`
    stands for its file in error locations, .include is relative to the current folder).
    params: {name: value} replacing top-level .param values for this run.
    jobs: threads for .step/.mc points (None: every core); seed: of the Monte Carlo draws and
    the transient noise (None: the deck's .options seed, else 1).
    every_step: a transient row at every accepted step, not only every tstep.
    progress: a callable(fraction, detail) called about every 0.1 s while the run lasts
    (fraction 0..1; detail "point k/n" in a stepped run), or True for a bar: tqdm's when
    tqdm is importable, else a line on stderr.

    Returns a Result; raises NetlistError, SimulationError, or KeyboardInterrupt on Ctrl-C.
    Deck warnings are issued as NetlistWarning."""
    if isinstance(netlist, os.PathLike) or "\n" not in netlist:
        path, text = os.fspath(netlist), None
    else:
        path, text = name, netlist
    overrides = {str(k).lower(): float(v) for k, v in (params or {}).items()}
    bar = _Bar() if progress is True else None
    started = _time.perf_counter()
    try:
        out = _neurospice.run(path, text, overrides, jobs or 0, seed, every_step, bar or progress or None)
    finally:
        if bar:
            bar.close()
    elapsed = _time.perf_counter() - started

    tables, count, seen = {}, {}, {}
    for kind, _, _, _ in out["tables"]:
        count[kind] = count.get(kind, 0) + 1
    for kind, names, units, arrays in out["tables"]:
        seen[kind] = seen.get(kind, 0) + 1
        key = kind if count[kind] == 1 else f"{kind}{seen[kind]}"
        frame = _frame(names, arrays)
        frame.attrs["units"] = dict(zip(names, units))
        tables[key] = frame
    if "measure_rows" in out:  # stepped: one row per point, NaN where a measure failed
        rows = out["measure_rows"]
        meas = _frame(list(rows), list(rows.values()))
    else:
        meas = out["measures"]
        failed = {k: v[1] for k, v in meas.items() if isinstance(v, tuple)}
        meas = {k: (None if isinstance(v, tuple) else v) for k, v in meas.items()}
        for k, why in failed.items():
            warnings.warn(f".meas {k} failed: {why}", NetlistWarning, stacklevel=2)
    stats, notes = _stats(out["messages"], elapsed)
    for line in notes:
        if not line.startswith("note:"):
            warnings.warn(line, NetlistWarning, stacklevel=2)
    stats["rows"] = {k: len(t) for k, t in tables.items()}
    return Result(tables, meas, stats, notes)


def describe(type):
    """A device type's parameters as a DataFrame indexed by name: unit, default, range
    (min, max; *_open when the bound itself is excluded), where it may be given (model,
    instance, both) and a line of documentation. attrs: summary, terminals, text (what
    `neurospice --describe TYPE` prints)."""
    d = _neurospice.describe(type.lower())
    frame = pd.DataFrame(d["params"]).set_index("name")
    frame.attrs.update(summary=d["summary"], terminals=d["terminals"], text=d["text"])
    return frame


def types():
    """Every device type describe() knows."""
    return _neurospice.types()
