"""The neurospice Python module (issue 22), run by ctest (python.module) with PYTHONPATH
at the build tree's python/ folder, NS_BINARY the command line and NS_SOURCE_DIR the
sources."""
import math
import os
import pathlib
import re
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

import neurospice

SOURCE = pathlib.Path(os.environ.get("NS_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("NS_BINARY", "neurospice")


def cli_tables(deck, tmp_path):
    """The command line's CSV tables of `deck`, by kind, read back exactly."""
    out = tmp_path / "out.csv"
    done = subprocess.run([BINARY, "-j", "2", "-o", str(out), str(deck)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    files = ([out] if out.exists() else []) + sorted(tmp_path.glob("out.*.csv"))
    tables = {}
    for f in files:
        kind = f.name.split(".")[1] if f != out else None
        tables[kind] = pd.read_csv(f, float_precision="round_trip")
    return tables


# One deck per kind of table: transient, DC sweep, operating point, AC (complex, compared
# through the parts the CSV writes), a transient with a measure, and the NbOx f-I curve (a .step of
# transients, its measures a table too).
CLI_DECKS = ["netlists/basic/rc.cir", "netlists/basic/diode_iv.cir", "tests/good/temper_param.cir",
             "netlists/ac/filters.cir", "tests/good/rc_charging.cir", "netlists/nbox/fi_curve_step.cir"]


@pytest.mark.parametrize("deck", CLI_DECKS)
def test_tables_equal_the_command_lines_csv(deck, tmp_path):
    # The CSV holds each number in its shortest round-trip form: equal means bit for bit.
    expected = cli_tables(SOURCE / deck, tmp_path)
    result = neurospice.run(SOURCE / deck, jobs=2)
    if "meas" in expected:  # a stepped run's measures: a row per point
        frame, table = result.meas, expected.pop("meas")
        assert list(frame.columns) == list(table.columns)
        np.testing.assert_array_equal(frame.to_numpy(), table.to_numpy())
    assert len(result.tables) == len(expected)
    for (kind, table), frame in zip(expected.items(), result.tables.values()):
        if kind:
            frame = result.tables[kind]
        complex_table = any(frame.dtypes == np.complex128)
        frame = csv_parts(frame, table.columns)
        assert list(frame.columns) == list(table.columns)
        if complex_table:
            # The phasors equal the raw file's bit for bit (next test); numpy's abs and
            # angle differ from the C library's hypot and atan2 by up to 1 ulp (measured
            # on filters.cir: 623 of 2613 values differ, by at most 2.5e-16 relative).
            np.testing.assert_array_max_ulp(frame.to_numpy(), table.to_numpy(), maxulp=2)
        else:
            np.testing.assert_array_equal(frame.to_numpy(), table.to_numpy())


PARTS = {"m": np.abs, "p": np.angle, "db": lambda z: 20 * np.log10(np.abs(z)), "r": np.real, "i": np.imag}


def csv_parts(frame, columns):
    """A complex table (.ac) as the CSV writes it: vm(out) is |v(out)|, vp(out) its phase
    in radians, vdb(out) 20 log10 |v(out)|. A real table as it is."""
    parts = {}
    for name in columns:
        m = re.fullmatch(r"([vi])(m|p|db|r|i)\((.*)\)", name)
        if name in frame.columns or not m:
            parts[name] = frame[name]
        else:
            parts[name] = PARTS[m.group(2)](frame[f"{m.group(1)}({m.group(3)})"].to_numpy())
    return pd.DataFrame(parts)


def read_complex_raw(path):
    """A binary raw file of one complex plot (the command line's .ac): {name: complex128}."""
    data = path.read_bytes()
    at = data.index(b"Binary:\n") + len(b"Binary:\n")
    header = data[:at].decode()
    assert "Flags: complex" in header
    points = int(re.search(r"No. Points:\s*(\d+)", header).group(1))
    names = [line.split("\t")[2] for line in header.split("Variables:\n")[1].splitlines() if line.startswith("\t")]
    values = np.frombuffer(data, "<c16", count=points * len(names), offset=at).reshape(points, len(names))
    return {n: values[:, k] for k, n in enumerate(names)}


def test_ac_columns_are_the_raw_files_complex_vectors(tmp_path):
    # The raw file holds each phasor's two doubles as computed: equal means bit for bit.
    deck = SOURCE / "netlists/ac/filters.cir"
    raw = tmp_path / "filters.raw"
    subprocess.run([BINARY, "-o", str(raw), str(deck)], capture_output=True, check=True)
    vectors = read_complex_raw(raw)
    ac = neurospice.run(deck).ac
    assert list(ac.columns) == list(vectors)
    assert ac["frequency"].dtype == np.float64
    np.testing.assert_array_equal(ac["frequency"], vectors["frequency"].real)
    np.testing.assert_array_equal(vectors["frequency"].imag, 0)
    for name in list(ac.columns)[1:]:
        assert ac[name].dtype == np.complex128, name
        np.testing.assert_array_equal(ac[name].to_numpy(), vectors[name], err_msg=name)


RC_AC = """RC low-pass, R a .param
.param r=1k
V1 in 0 dc 0 ac 1
R1 in out {r}
C1 out 0 1u
.ac dec 10 1 100k
.step param r list 1k 10k
.end
"""


def test_ac_is_the_rc_low_pass_closed_form():
    # H = 1 / (1 + j w R C); the source's current is -(1 - H)/R (SPICE: into its + node).
    # One complex LU solve of a 3x3 system per frequency, exact to rounding: 1e-12.
    ac = neurospice.run(RC_AC).ac
    assert list(ac.columns[:2]) == ["r", "frequency"]
    assert ac.attrs["units"]["frequency"] == "Hz" and ac.attrs["units"]["v(out)"] == "V"
    assert len(ac) == 2 * 51
    r, f = ac["r"].to_numpy(), ac["frequency"].to_numpy()
    np.testing.assert_allclose(f[:51], np.logspace(0, 5, 51), rtol=1e-12)
    h = 1 / (1 + 2j * np.pi * f * r * 1e-6)
    out = ac["v(out)"].to_numpy()
    np.testing.assert_allclose(np.abs(out), 1 / np.sqrt(1 + (2 * np.pi * f * r * 1e-6) ** 2), rtol=1e-12)
    np.testing.assert_allclose(np.angle(out), -np.arctan(2 * np.pi * f * r * 1e-6), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out, h, rtol=1e-12)
    np.testing.assert_allclose(ac["v(in)"], 1, rtol=1e-15)
    np.testing.assert_allclose(ac["i(v1)"], -(1 - h) / r, rtol=1e-12)
    # The corner 1/(2 pi R C): 159.15 Hz at 1k, between the rows; -3 dB and -45 degrees there.
    at_corner = neurospice.run(RC_AC.replace(".ac dec 10 1 100k", ".ac lin 1 159.15494309189535 159.15494309189535")).ac
    np.testing.assert_allclose(20 * np.log10(np.abs(at_corner["v(out)"][at_corner["r"] == 1e3])),
                               -10 * np.log10(2), rtol=1e-12)
    np.testing.assert_allclose(np.degrees(np.angle(at_corner["v(out)"][at_corner["r"] == 1e3])), -45, rtol=1e-12)


def test_deck_text_and_parameter_override():
    deck = """RC from text, R a .param
.param r=1k
V1 in 0 PULSE(0 1 0 1u 1u 1 2)
R1 in out {r}
C1 out 0 1u
.options reltol=1e-6
.tran 20u 5m
.meas tran t50 WHEN v(out)=0.5
.end
"""
    # tau = r C; the 0.5 V crossing after the 1 us ramp is at tau ln 2 + tr/2 (to within
    # tr^2/tau); rc_charging.cir's 1e-7 s tolerance at tau = 1 ms, doubled with tau.
    for r in (1e3, 2e3):
        tau = r * 1e-6
        result = neurospice.run(deck, params={"r": r} if r != 1e3 else None)
        assert result.meas["t50"] == pytest.approx(tau * math.log(2) + 0.5e-6, abs=2e-7)


def test_an_override_of_no_param_is_a_netlist_error():
    with pytest.raises(neurospice.NetlistError) as e:
        neurospice.run(SOURCE / "netlists/basic/rc.cir", params={"nosuch": 1})
    assert "nosuch" in str(e.value)


def expectation(deck):
    """The `* expect: STAGE FILE:LINE:COL WORDS` line of a tests/bad deck."""
    for line in deck.read_text().splitlines():
        m = re.match(r"\*\s*expect:\s*(\w+)\s+([^:\s]+):(\d+):(\d+)\s*(.*)", line)
        if m:
            return m.group(2), int(m.group(3)), int(m.group(4)), m.group(5).split()
    return None


BAD_DECKS = ["b_syntax.cir", "bad_number.cir", "b_unknown_node.cir", "bjt_negative_is.cir",
             "ac_fstart_zero.cir", "cccs_unknown_control.cir"]


@pytest.mark.parametrize("name", BAD_DECKS)
def test_netlist_errors_carry_the_location(name, monkeypatch):
    deck = SOURCE / "tests/bad" / name
    file, line, column, words = expectation(deck)
    monkeypatch.chdir(deck.parent)  # a deck's .include is relative to the current folder
    with pytest.raises(neurospice.NetlistError) as e:
        neurospice.run(deck)
    err = e.value
    assert pathlib.Path(err.file).name == file
    assert (err.line, err.column) == (line, column)
    for word in words:
        assert word.lower() in err.message.lower()
    assert str(err).startswith(f"{err.file}:{line}:{column}: ")


def test_a_deck_texts_errors_name_it():
    with pytest.raises(neurospice.NetlistError) as e:
        neurospice.run("title\nV1 a 0 1\nR1 a 0 {nosuch}\n.op\n.end\n", name="mine.cir")
    assert (e.value.file, e.value.line) == ("mine.cir", 3)


def test_a_failed_transient_says_when_and_where():
    # The deck's own comment: KCL at k loses its solution just after t = 0.5 us.
    with pytest.raises(neurospice.SimulationError) as e:
        neurospice.run(SOURCE / "tests/sim/decks/no_transient_solution.cir")
    assert 0.4e-6 < e.value.time < 0.6e-6
    assert e.value.culprit == "v(k)"
    assert "transient failed" in e.value.message


STEPPED = """stepped RC
.param r=1k
V1 in 0 PULSE(0 1 0 1u 1u 1 2)
R1 in out {r}
.param c=1u
C1 out 0 {c}
.tran 50u 4m
.step param r list 1k 2k 4k
.step temp list 27 50
.meas tran t50 WHEN v(out)=0.5
.end
"""


def test_a_stepped_runs_tables_have_the_step_columns():
    result = neurospice.run(STEPPED, jobs=2)
    tran = result.tran
    assert list(tran.columns[:2]) == ["r", "temp"]
    points = tran[["r", "temp"]].drop_duplicates().to_numpy().tolist()
    assert points == [[1e3, 27], [1e3, 50], [2e3, 27], [2e3, 50], [4e3, 27], [4e3, 50]]
    meas = result.meas
    assert isinstance(meas, pd.DataFrame)
    assert list(meas.columns) == ["r", "temp", "t50"]
    assert len(meas) == 6
    # tau ln 2 + tr/2; 50 us rows but .meas reads every step: the default reltol 1e-3
    # bounds the error at 1e-3 tau.
    np.testing.assert_allclose(meas["t50"], meas["r"] * 1e-6 * math.log(2) + 0.5e-6, rtol=2e-3)
    # An override holds at every point (c halved: tau halved); a stepped .param stays stepped.
    halved = neurospice.run(STEPPED, params={"c": 0.5e-6, "r": 1.0}, jobs=2).meas
    np.testing.assert_allclose(halved["t50"], halved["r"] * 0.5e-6 * math.log(2) + 0.5e-6, rtol=2e-3)
    np.testing.assert_array_equal(halved["r"], meas["r"])


def rss_kib():
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])


def test_a_long_transients_memory_is_its_table():
    # 2,000,001 rows x 3 columns (time, v(in), v(out)) = 48 MB of doubles.
    deck = """long RC
V1 in 0 SIN(0 1 1k)
R1 in out 1k
C1 out 0 1u
.tran 1u 2
.end
"""
    before = rss_kib()
    result = neurospice.run(deck)
    table_kib = result.tran.memory_usage(index=False).sum() / 1024
    grown = rss_kib() - before
    assert len(result.tran) == 2_000_001
    print(f"table {table_kib / 1024:.1f} MiB, resident growth {grown / 1024:.1f} MiB")
    assert 0.9 * table_kib < grown < 1.25 * table_kib
    # The DataFrame's columns are the vectors the run filled, not copies.
    for column in result.tran.columns:
        owner = result.tran[column].to_numpy()
        while isinstance(owner, np.ndarray):
            owner = owner.base
        assert type(owner).__name__ == "PyCapsule"


def test_ctrl_c_stops_a_run():
    deck = """slow
V1 in 0 SIN(0 1 1k)
R1 in out 1k
C1 out 0 1u
.tran 10u 100
.end
"""
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        neurospice.run(deck)
    # 1e7 rows would take minutes; the run polls every 0.1 s.
    assert time.perf_counter() - started < 3


def test_the_gil_is_released_while_simulating():
    count = 0
    running = True

    def counter():
        nonlocal count
        while running:
            count += 1

    t = threading.Thread(target=counter)
    t.start()
    try:
        neurospice.run("rc\nV1 in 0 SIN(0 1 1k)\nR1 in out 1k\nC1 out 0 1u\n.tran 1u 0.5\n.end\n")
    finally:
        running = False
        t.join()
    assert count > 10000


def test_progress_is_reported_and_a_raising_callback_stops_the_run():
    seen = []
    # The callback comes from the run's poll, so the run must last: this one took 3.4 s and
    # gave 12 calls on an idle machine here (at .tran 50n, 0.6 s, it gave 2 to 5).
    neurospice.run(STEPPED.replace(".tran 50u 4m", ".tran 10n 4m"), jobs=1,
                   progress=lambda f, d: seen.append((f, d)))
    assert seen and all(0 <= f <= 1 for f, _ in seen)
    # Never backwards (it went from 83 % back to 67 % between a point's end and the next).
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    assert len(seen) >= 3 and max(f for f, _ in seen) > 0
    assert any(d.startswith("point ") for _, d in seen)

    def stop(f, d):
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        neurospice.run(STEPPED.replace(".tran 50u 4m", ".tran 50n 4m"), jobs=1, progress=stop)


# A stepped run of about 1 s (1e5 rows per point): the poll draws the bar every 0.1 s.
BAR_RUN = STEPPED.replace(".tran 50u 4m", ".tran 40n 4m")


def test_progress_true_draws_a_tqdm_bar(capsys):
    pytest.importorskip("tqdm")  # python3-tqdm; without it the next test's line is the bar
    neurospice.run(BAR_RUN, jobs=1, progress=True)
    err = capsys.readouterr().err
    drawn = re.findall(r"neurospice:\s*(\d+)%\|[^|]*\| [^ ]+<[^ ]+, point (\d)/6", err)
    assert drawn, err[-500:]
    percents = [int(p) for p, _ in drawn]
    assert percents == sorted(percents) and percents[-1] > 0
    assert err.endswith("\r")  # leave=False: the bar is erased


def test_progress_true_without_tqdm_writes_a_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    neurospice.run(BAR_RUN, jobs=1, progress=True)
    err = capsys.readouterr().err
    drawn = re.findall(r"\rneurospice:\s+([\d.]+)% point (\d)/6", err)
    assert drawn, err[-500:]
    assert all(0 <= float(p) <= 100 for p, _ in drawn)
    assert "|" not in err  # no tqdm bar


MC = """a resistor drawn per run
V1 a 0 1
R1 a 0 {agauss(1k, 100, 1)}
.op
.mc 5
.end
"""


def test_the_seed_chooses_the_draws_as_the_command_lines_does(tmp_path):
    deck = tmp_path / "mc.cir"
    deck.write_text(MC)
    first, again, other = (neurospice.run(deck, seed=s).op for s in (1, 1, 2))
    np.testing.assert_array_equal(first.to_numpy(), again.to_numpy())
    assert not np.array_equal(first["i(v1)"], other["i(v1)"])
    for seed, frame in ((1, first), (2, other)):
        out = tmp_path / f"mc{seed}.csv"
        subprocess.run([BINARY, "--seed", str(seed), "-o", str(out), str(deck)], capture_output=True, check=True)
        np.testing.assert_array_equal(frame.to_numpy(), pd.read_csv(out, float_precision="round_trip").to_numpy())


@pytest.mark.skipif("NS_BUILD_DIR" not in os.environ, reason="run through ctest (python.module)")
def test_cmake_install_gives_an_importable_package(tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", os.environ["NS_BUILD_DIR"], "--prefix", str(prefix)],
                   capture_output=True, check=True)
    (init,) = prefix.glob("lib/**/neurospice/__init__.py")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(init.parent.parent)
    done = subprocess.run([sys.executable, "-c", "import neurospice, sys; r = neurospice.run(sys.argv[1]); "
                           "print(neurospice.__file__, len(r.tran))", str(SOURCE / "netlists/basic/rc.cir")],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, rows = done.stdout.split()
    assert pathlib.Path(where) == init and int(rows) == len(neurospice.run(SOURCE / "netlists/basic/rc.cir").tran)


def test_describe_is_the_models_parameter_table():
    table = neurospice.describe("nbox")
    text = subprocess.run([BINARY, "--describe", "nbox"], capture_output=True, text=True, check=True).stdout
    assert table.attrs["text"] == text
    assert len(table) > 5
    for name, row in table.iterrows():
        assert re.search(rf"^\s*{re.escape(name)}\b", text, re.M), name
        assert row["doc"]
    with pytest.raises(KeyError):
        neurospice.describe("nosuchtype")


def test_stats_count_the_integrators_work():
    result = neurospice.run(SOURCE / "netlists/basic/rc.cir")
    assert result.stats["steps"] > 0 and result.stats["newton_iterations"] >= result.stats["steps"]
    assert result.stats["rows"]["tran"] == len(result.tran)
