#!/usr/bin/env python3
"""A .step/.mc run across MPI ranks, and --resume, give the files of a single process.

usage: distributed_test.py NEUROSPICE CASE [MPIRUN]
  CASE np1, np2, np3  every deck below under mpirun -np N (-j 1 and -j 2) against a plain
                      -j 1 run: the same files, byte for byte, and no journal left
       resume         a run SIGKILLed mid-way and --resume'd, without MPI; and one on -j 2
                      whose points finish ahead of a slow first one (kept in out.pending)
       kill_rank      under mpirun -np 3, rank 1 SIGKILLed mid-way: rank 0 names it and its
                      point at the time; --resume on 2 ranks
Every killed run's journal must stay small (a few % of the output per point).
Exit 77 (skipped) without mpirun for the MPI cases.
"""
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time

RC = """rc step: a low-pass filter charging, its time constant stepped
V1 in 0 pulse(0 1 0 1n 1n 1 2)
R1 in out {r}
C1 out 0 1n
.param r=1k
.probe v(out)
.tran 20n 4u
.step param r 500 2k 500
.meas tran t50 WHEN v(out)=0.5 RISE=1
.meas tran vend FIND v(out) AT=4u
.end
"""
NESTED = """nested step: a divider at every r1, r2 and temp
V1 a 0 2
R1 a b {r1}
R2 b 0 {r2}
.param r1=1k r2=1k
.op
.step param r1 list 1k 2k 3k
.step param r2 100 400 100
.end
"""
MC = """mc: two resistors drawn per device and per run
I1 0 a 1m
R1 a b {agauss(1k, 100, 1)}
R2 b 0 {agauss(2k, 100, 1)}
C1 b 0 1n
.probe v(a) v(b)
.tran 0.2u 10u
.meas tran vb FIND v(b) AT=10u
.mc 24
.end
"""
# Each point ~tens of ms, so a run can be cut in the middle.
SLOW = """slow study: a ladder of RC sections, .mc on its resistors
V1 in 0 sin(0 1 1meg)
R1 in n1 {agauss(1k, 50, 1)}
C1 n1 0 100p
R2 n1 n2 {agauss(1k, 50, 1)}
C2 n2 0 100p
R3 n2 out {agauss(1k, 50, 1)}
C3 out 0 100p
.probe v(out)
.tran 2u 0.5m
.meas tran vmax MAX v(out)
.mc 40
.end
"""
# The first point costs ~30 times each other's, so on -j 2 the others finish ahead of it.
AHEAD = """ahead: the first point is the slowest by far
V1 in 0 sin(0 1 {f})
R1 in out 1k
C1 out 0 100p
.param f=1meg
.probe v(out)
.tran 2u 0.5m
.step param f list 50meg 1meg 1meg 1meg 1meg 1meg 1meg 1meg 1meg 1meg 1meg 1meg
.end
"""
DECKS = {"rc": (RC, "out.csv"), "rcraw": (RC, "out.raw"), "nested": (NESTED, "out.csv"), "mc": (MC, "out.csv")}

binary = sys.argv[1]
case = sys.argv[2]
mpirun = sys.argv[3] if len(sys.argv) > 3 else ""
launch = [mpirun, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none"] if mpirun else []
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def files(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".cir"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            data = f.read()
        if name.endswith(".raw"):  # a raw file's header carries the time it was written
            data = re.sub(rb"\nDate: [^\n]*\n", b"\nDate:\n", data)
        out[name] = data
    return out


def run(folder, deck, output, extra=(), np=0, jobs=1):
    command = ([*launch, "-np", str(np)] if np else []) + [binary, "-j", str(jobs), "-o", output, *extra, deck]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


def reference(text, output, extra=()):
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "deck.cir"), "w") as f:
        f.write(text)
    r = run(folder, "deck.cir", output, extra)
    check(r.returncode == 0, f"reference run of {output}: {r.stderr.strip()}")
    return folder, files(folder), r


def journal_points(path):
    """Points written or pending in a journal (analysis/journal.cpp's layout: records of a
    kind byte, a body length, the body starting with the point, a checksum)."""
    try:
        data = open(path, "rb").read()
    except OSError:
        return 0
    at = len(b"neurospice journal 2\n") + 16
    done = set()
    while at + 9 <= len(data):
        kind, n = data[at:at + 1], struct.unpack_from("<Q", data, at + 1)[0]
        if at + 9 + n + 8 > len(data):
            break
        if kind in (b"W", b"P"):
            done.add(struct.unpack_from("<Q", data, at + 9)[0])
        at += 9 + n + 8
    return len(done)


def journal_held(path, rank):
    """Points handed to `rank` ('A' records) and not yet written or pending."""
    try:
        data = open(path, "rb").read()
    except OSError:
        return set()
    at, held, done = len(b"neurospice journal 2\n") + 16, set(), set()
    while at + 9 <= len(data):
        kind, n = data[at:at + 1], struct.unpack_from("<Q", data, at + 1)[0]
        if at + 9 + n + 8 > len(data):
            break
        point = struct.unpack_from("<Q", data, at + 9)[0]
        if kind == b"A" and struct.unpack_from("<Q", data, at + 17)[0] == rank:
            held.add(point)
        elif kind in (b"W", b"P"):
            done.add(point)
        at += 9 + n + 8
    return held - done


def journal_written(path):
    """Points recorded as written into the files ('W' records)."""
    data, at, written = open(path, "rb").read(), len(b"neurospice journal 2\n") + 16, 0
    while at + 9 <= len(data):
        n = struct.unpack_from("<Q", data, at + 1)[0]
        written += data[at:at + 1] == b"W" and at + 9 + n + 8 <= len(data)
        at += 9 + n + 8
    return written


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def rank_pid(ancestor, rank):
    """The pid of MPI rank `rank` among the descendants of `ancestor`."""
    def parent(pid):
        try:
            return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
        except OSError:
            continue
        if f"OMPI_COMM_WORLD_RANK={rank}".encode() not in env:
            continue
        p = int(pid)
        while p > 1 and p != ancestor:
            p = parent(p)
        if p == ancestor:
            return int(pid)
    return None


def kill_and_resume(np_before, np_after, kill_rank, deck=SLOW, points=40, jobs=1, output="out.csv", extra=(),
                    corrupt=False):
    folder, expect, ref = reference(deck, output, extra)
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "deck.cir"), "w") as f:
        f.write(deck)
    command = ([*launch, "-np", str(np_before)] if np_before else []) + [binary, "-j", str(jobs), "-o", output,
                                                                         *extra, "deck.cir"]
    p = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    journal = os.path.join(work, "out.journal")
    deadline = time.time() + 60
    while journal_points(journal) < 5 and time.time() < deadline and p.poll() is None:
        time.sleep(0.02)
    if np_before:
        # The rank is killed just after it is handed a point: while it computes it, not while
        # it sends a result back (rank 0 may still take that in).
        before = journal_held(journal, kill_rank)
        while not journal_held(journal, kill_rank) - before and time.time() < deadline and p.poll() is None:
            time.sleep(0.001)
    done_at_kill = journal_points(journal)
    # The journal says where the points' bytes are; they are in the output (and pending).
    journal_bytes, output_bytes = size(journal), size(os.path.join(work, output + ".partial"))
    if np_before:
        pid = rank_pid(p.pid, kill_rank)
        check(pid is not None, f"found rank {kill_rank}'s process")
        if pid:
            os.kill(pid, signal.SIGKILL)
    else:
        p.kill()
    try:
        _, killed_err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        killed_err = b""
        check(False, "the killed run ended")
    killed_err = killed_err.decode(errors="replace")
    if np_before:
        # At the time: rank 0 names the rank that does not answer and the point it held.
        named = re.search(rf"rank {kill_rank} does not answer: it died \(or hangs\) running point \d+", killed_err)
        check(named is not None, f"rank 0 named the dead rank and its point when it died: {killed_err.strip()[-600:]}")
        for line in killed_err.splitlines():
            if "rank" in line:
                print("     " + line)
    check(p.returncode != 0, f"the killed run failed (status {p.returncode})")
    check(0 < done_at_kill < points, f"killed mid-way ({done_at_kill} of {points} points journaled)")
    check(not os.path.exists(os.path.join(work, output)), "no final file after the kill")
    per_point = sum(len(data) for data in expect.values()) / points
    check(0 < journal_bytes < 0.05 * per_point * max(done_at_kill, 1),
          f"the journal is small: {journal_bytes} bytes for {done_at_kill} points "
          f"({per_point:.0f} bytes of output per point; {output}.partial {output_bytes} bytes)")
    partial = os.path.join(work, output + ".partial")
    written_at_kill = journal_written(journal)
    if corrupt:  # a byte of the written points changed: --resume keeps only the points before it
        with open(partial, "r+b") as f:
            f.seek(size(partial) // 2)
            byte = f.read(1)
            f.seek(-1, 1)
            f.write(bytes([byte[0] ^ 1]))
    r = run(work, "deck.cir", output, [*extra, "--resume"], np=np_after)
    check(r.returncode == 0, f"resumed run succeeded: {r.stderr.strip()[-400:]}")
    check("resuming from 'out.journal'" in r.stderr, "the resumed run says what it resumes")
    check(r.stdout == ref.stdout, "the same stdout (.meas summary, the written points' measures read back)")
    resumed = re.search(r"(\d+) in the files, (\d+) pending", r.stderr)
    check(resumed is not None, "the resumed run says how many points it takes from the files and pending")
    if corrupt and resumed:
        check(int(resumed[1]) < written_at_kill,
              f"the damaged file is cut back before the damage: {resumed[1]} of {written_at_kill} written points kept")
    if np_before:
        check(f"was running on rank {kill_rank}" in r.stderr or "was running on rank" in r.stderr,
              "the points the dead rank held are named with their rank")
    got = files(work)
    check(not any(n.endswith((".journal", ".pending", ".partial")) for n in got), f"no journal left: {sorted(got)}")
    check(got == expect, f"resumed files equal an uninterrupted run's: {sorted(got)} vs {sorted(expect)}")
    for line in r.stderr.splitlines():
        if line.startswith("note: resuming") or "was running" in line:
            print("     " + line)
    return resumed




if case in ("np1", "np2", "np3"):
    if not mpirun:
        print("no mpirun: skipped")
        sys.exit(77)
    np = int(case[2:])
    for name, (text, output) in DECKS.items():
        folder, expect, ref = reference(text, output)
        for jobs in (1, 2):
            r = run(folder, "deck.cir", output, np=np, jobs=jobs)
            got = files(folder)
            check(r.returncode == 0, f"{name}: mpirun -np {np} -j {jobs} ran: {r.stderr.strip()[-300:]}")
            check(got == expect, f"{name}: mpirun -np {np} -j {jobs} wrote the same files {sorted(got)}")
            check(r.stdout == ref.stdout, f"{name}: the same stdout (.meas summary)")
    # A bad deck: reported once, by rank 0.
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "bad.cir"), "w") as f:
        f.write("bad\nR1 a 0 {nosuch}\n.op\n.step param r 1 2 1\n.end\n")
    r = run(folder, "bad.cir", "out.csv", np=np)
    check(r.returncode == 2 and r.stderr.count("nosuch") == 1, f"a deck error is reported once: {r.stderr!r}")
elif case == "resume":
    kill_and_resume(0, 0, 0)
    # Points finished ahead of the first come back from out.pending.
    resumed = kill_and_resume(0, 0, 0, deck=AHEAD, points=12, jobs=2)
    check(resumed is not None and int(resumed[1]) == 0 and int(resumed[2]) > 0,
          "points finished ahead of the slow first one were kept pending and taken back")
    # The partial file damaged after the kill: cut back to the points before the damage.
    kill_and_resume(0, 0, 0, jobs=2, corrupt=True)
    # A raw file continued (its plots' point counts in place), and one file per point.
    kill_and_resume(0, 0, 0, jobs=2, output="out.raw")
    kill_and_resume(0, 0, 0, jobs=2, extra=["--step-files"])
elif case == "kill_rank":
    if not mpirun:
        print("no mpirun: skipped")
        sys.exit(77)
    kill_and_resume(3, 2, 1)
else:
    sys.exit(f"unknown case {case}")
sys.exit(1 if failures else 0)
