#!/usr/bin/env python3
"""The CPU time of two builds of the verifier on one bundle, run in turns: what a change to the
verifier costs or saves, on a machine whose speed wanders (a lone timing on a shared machine moves
by a tenth or more; runs of the two builds in turn see the same moods).

Usage: scripts/cpu-ab.py BIN_A BIN_B ROUNDS BUNDLE ANCHOR [--skip-signatures]
  BIN_A, BIN_B  two agritrace-bench binaries (build each in the same directory, then copy it out:
                the path is compiled into the binary and changes its layout)
  ROUNDS        how many runs of each (14 to 20 tell a few percent apart)
  BUNDLE ANCHOR a bundle and its trust anchor (`agritrace-bench --records 20000 --keep` writes both)
  --skip-signatures  time the verification without its signature checks

Each run is `agritrace-bench --verify-only BUNDLE ANCHOR`, timed by the user and system CPU time
the child used (all its threads), A then B in one round and B then A in the next. Prints each
build's median, the change, and in how many rounds B was the cheaper: a change the rounds do not
agree on is within the machine's noise.
"""
import resource
import statistics
import subprocess
import sys


def cpu_seconds(binary, bundle, anchor, skip):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, "--verify-only", bundle, anchor] + skip,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    args = [a for a in sys.argv[1:] if a != "--skip-signatures"]
    if len(args) != 5:
        sys.exit(__doc__)
    a, b, rounds, bundle, anchor = args[0], args[1], int(args[2]), args[3], args[4]
    skip = ["--skip-signatures"] if "--skip-signatures" in sys.argv else []
    times_a, times_b, b_cheaper = [], [], 0
    for round_index in range(rounds):
        if round_index % 2 == 0:
            ta = cpu_seconds(a, bundle, anchor, skip)
            tb = cpu_seconds(b, bundle, anchor, skip)
        else:
            tb = cpu_seconds(b, bundle, anchor, skip)
            ta = cpu_seconds(a, bundle, anchor, skip)
        times_a.append(ta)
        times_b.append(tb)
        b_cheaper += tb < ta
    median_a, median_b = statistics.median(times_a), statistics.median(times_b)
    print(f"A median {median_a:.3f} s, B median {median_b:.3f} s, change {100 * (median_b - median_a) / median_a:+.1f} %, "
          f"B cheaper in {b_cheaper} of {rounds} rounds")


if __name__ == "__main__":
    main()
