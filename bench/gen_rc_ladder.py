#!/usr/bin/env python3
"""Write an N-node RC ladder deck that both neurospice and ngspice run unchanged.

Usage: bench/gen_rc_ladder.py N > ladder.cir

Each section is 1 kOhm in series and 1 pF to ground (RC = 1 ns); a 1 V pulse drives
node 1. The transient covers 1 us (ten pulses, twenty edges) with 1 ns output steps. Only a few nodes are
saved, so the time measured is simulation, not writing files.
"""
import sys


def ladder(n):
    lines = [
        f"RC ladder, {n} nodes (bench/gen_rc_ladder.py {n})",
        "V1 n0 0 PULSE(0 1 1n 1n 1n 50n 100n)",
    ]
    for k in range(1, n + 1):
        lines.append(f"R{k} n{k - 1} n{k} 1k")
        lines.append(f"C{k} n{k} 0 1p")
    probes = sorted({1, 2, 5, 10, 20, 50, min(100, n), n})
    lines.append(".save " + " ".join(f"v(n{k})" for k in probes if k <= n))
    lines.append(".tran 1n 1u")
    lines.append(".end")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: gen_rc_ladder.py N   (N >= 1 nodes)")
    sys.stdout.write(ladder(int(sys.argv[1])))


if __name__ == "__main__":
    main()
