#!/usr/bin/env python3
"""compare.py A.csv B.csv: check two scan results for equality: same header, same keys in the
same order, counts exact, sums within 1e-9 relative. Prints one line; exit 1 on a difference."""
import csv
import sys

SUMS = {"goldstein_sum", "tone_sum"}


def main():
    a, b = (list(csv.reader(open(p, newline=""))) for p in sys.argv[1:3])
    if a[0] != b[0]:
        sys.exit(f"compare: headers differ: {a[0]} vs {b[0]}")
    if len(a) != len(b):
        sys.exit(f"compare: {len(a) - 1} vs {len(b) - 1} groups")
    worst = 0.0
    for i, (ra, rb) in enumerate(zip(a[1:], b[1:]), start=2):
        for name, x, y in zip(a[0], ra, rb):
            if name in SUMS and x and y:
                fx, fy = float(x), float(y)
                scale = max(abs(fx), abs(fy))
                rel = abs(fx - fy) / scale if scale else 0.0
                worst = max(worst, rel)
                if rel > 1e-9:
                    sys.exit(f"compare: line {i} {name}: {x} vs {y} (relative {rel:.3g})")
            elif x != y:
                sys.exit(f"compare: line {i} {name}: {x!r} vs {y!r}")
    print(f"compare: equal ({len(a) - 1} groups; counts exact, largest relative difference "
          f"of a sum {worst:.3g})")


main()
