#!/usr/bin/python3
"""Compare two all-pairs CSVs (a,b,period,n,value): same rows, same n, values within 1e-6
(an empty value must be empty in both). Prints a one-line verdict; exit 1 on any difference."""
import sys

import numpy as np
import pandas as pd


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: compare.py A.csv B.csv")
    x = pd.read_csv(sys.argv[1], dtype={"a": str, "b": str}, keep_default_na=False,
                    na_values=[""])
    y = pd.read_csv(sys.argv[2], dtype={"a": str, "b": str}, keep_default_na=False,
                    na_values=[""])
    m = x.merge(y, on=["a", "b", "period"], how="outer", suffixes=("_x", "_y"), indicator=True)
    only = (m["_merge"] != "both").sum()
    both = m[m["_merge"] == "both"]
    n_diff = (both["n_x"] != both["n_y"]).sum()
    vx, vy = both["value_x"].to_numpy(), both["value_y"].to_numpy()
    empty_diff = (np.isnan(vx) != np.isnan(vy)).sum()
    ok = ~np.isnan(vx) & ~np.isnan(vy)
    dmax = float(np.max(np.abs(vx[ok] - vy[ok]))) if ok.any() else 0.0
    bad = only or n_diff or empty_diff or dmax > 1e-6
    print(f"{'DIFFER' if bad else 'same'}: {len(x)} vs {len(y)} rows, {only} rows in one only, "
          f"{n_diff} differ in n, {empty_diff} empty in one only, max |value difference| "
          f"{dmax:.2e}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
