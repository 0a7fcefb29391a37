#!/usr/bin/python3
"""All-pairs UN vote alignment per session with NumPy/pandas: the reference implementation that
`bilat votes --all-pairs` is checked and timed against (bench/votes/run.sh).

Reads the shipped files directly (no store): the roll calls, the compact all-countries vote file
(rcid, ISO2 code, y/a/n) and the reference country table for ISO2 -> ISO3. For each session it
builds one-hot matrices Y, A, N (countries x roll calls: voted yes / abstained / voted no) and
gets the 3x3 table of every pair at once from nine matrix products, e.g. Y @ A.T counts the roll
calls where the row country voted yes and the column country abstained. Pairs with no shared vote
are left out; rows are ordered by session, a, b (ISO3), as bilat writes them.

In the vote file the quoted code "NA" is Namibia and an unquoted NA a missing code (Yemen Arab
Republic, Zanzibar or the Federal Republic of Germany, which the file cannot tell apart); the
file is therefore read without CSV quoting, so that the two stay distinct, and missing codes are
dropped, as bilat's ingest does.

Usage: allpairs_numpy.py [--measure agree|exact|s|pi|kappa] [--data DIR] [--reference FILE] -o OUT
Run it with Debian's /usr/bin/python3 (python3-numpy, python3-pandas).
"""
import argparse
import csv
import os
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def load(data_dir, reference):
    countries = pd.read_csv(reference, sep="\t", comment="#", dtype=str,
                            keep_default_na=False)
    iso2 = {f'"{r.iso2}"': r.iso3 for r in countries.itertuples() if r.iso2}
    calls = pd.read_csv(os.path.join(data_dir, "unvotes_roll_calls_1946_2019.csv"),
                        usecols=["rcid", "session"])
    votes = pd.read_csv(os.path.join(data_dir, "unvotes_votes_all_1946_2019.csv.gz"),
                        quoting=csv.QUOTE_NONE, na_filter=False,
                        dtype={'"rcid"': np.int64, '"cc"': "category", '"vote"': "category"})
    votes.columns = ["rcid", "cc", "vote"]
    votes["iso3"] = votes["cc"].map(iso2)          # unquoted NA maps to nothing
    votes = votes.dropna(subset=["iso3"])
    code = {'"y"': 0, '"a"': 1, '"n"': 2}
    votes["k"] = votes["vote"].map(code).astype(np.int8)
    votes = votes.merge(calls, on="rcid", how="inner")
    return votes


def session_tables(v):
    """Nine pair matrices c[i][j] for one session's votes."""
    names, ci = np.unique(v["iso3"].to_numpy(), return_inverse=True)
    _, ri = np.unique(v["rcid"].to_numpy(), return_inverse=True)
    k = v["k"].to_numpy()
    nc, nr = len(names), ri.max() + 1
    onehot = np.zeros((3, nc, nr), dtype=np.float64)
    onehot[k, ci, ri] = 1.0
    c = [[onehot[i] @ onehot[j].T for j in range(3)] for i in range(3)]
    return names, c


def measure(c, m):
    n = sum(c[i][j] for i in range(3) for j in range(3))
    same = c[0][0] + c[1][1] + c[2][2]
    with np.errstate(divide="ignore", invalid="ignore"):
        if m == "agree":
            half = c[1][0] + c[1][2] + c[0][1] + c[2][1]
            return n, (same + 0.5 * half) / n
        if m == "exact":
            return n, same / n
        d = sum(c[i][j] * abs(i - j) for i in range(3) for j in range(3))
        if m == "s":
            return n, 1.0 - d / n
        r = [sum(c[i][j] for j in range(3)) for i in range(3)]
        s = [sum(c[i][j] for i in range(3)) for j in range(3)]
        if m == "kappa":
            e = sum(r[i] * s[j] * abs(i - j) for i in range(3) for j in range(3))
            return n, np.where(e > 0, (e - n * d) / e, np.nan)
        if m == "pi":
            e = sum((r[i] + s[i]) * (r[j] + s[j]) * abs(i - j)
                    for i in range(3) for j in range(3))
            return n, np.where(e > 0, (e - 4 * n * d) / e, np.nan)
    raise SystemExit(f"unknown measure {m}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-m", "--measure", default="agree")
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "raw", "un_votes"))
    ap.add_argument("--reference", default=os.path.join(ROOT, "data", "reference",
                                                        "countries.tsv"))
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    votes = load(a.data, a.reference)
    parts = []
    for session, v in votes.groupby("session", sort=True):
        names, c = session_tables(v)
        n, val = measure(c, a.measure)
        iu, ju = np.triu_indices(len(names), 1)
        keep = n[iu, ju] > 0
        iu, ju = iu[keep], ju[keep]
        parts.append(pd.DataFrame({"a": names[iu], "b": names[ju], "period": session,
                                   "n": n[iu, ju].astype(np.int64), "value": val[iu, ju]}))
    out = pd.concat(parts, ignore_index=True)
    out.to_csv(a.output, index=False, float_format="%.6f")
    print(f"{len(out)} pairs and sessions written", file=sys.stderr)


if __name__ == "__main__":
    main()
