#!/usr/bin/env python3
"""Generate news-like input lines for the coder benchmark: `YYYY-MM-DD<TAB>sentence`.

    python3 bench/coder/gen_sentences.py ROWS SEED > sentences.tsv

The sentences are the English sentences of the shipped gold sets (the CAMEO manual's examples,
news leads; and bilat's own Cambodia-China sentences) of 20 to 40 words, with the actor names
of each line swapped at random for others of the dictionaries (so that the coder does not see
the same line twice) and a random date from 1990 to 2024. Deterministic for a given SEED.
Python 3 standard library only.
"""
import random
import re
import sys

GOLD = ["tests/data/coder/cameo-examples.gold.tsv", "tests/data/coder/own.gold.tsv",
        "tests/data/coder/petr-unittest.gold.tsv"]
NAMES = ["Cambodia", "China", "Vietnam", "Laos", "Thailand", "Japan", "the United States",
         "Russia", "Ukraine", "Myanmar", "Indonesia", "the Philippines", "Malaysia", "Singapore",
         "Hun Sen", "Hun Manet", "Xi Jinping", "Wang Yi", "Li Qiang", "Prak Sokhonn",
         "the Cambodian People's Party", "the Communist Party of China", "ASEAN", "the EU",
         "France", "Germany", "India", "Pakistan", "Israel", "Egypt", "Turkey", "Iran", "Iraq",
         "Syria", "Jordan", "Kenya", "Uganda", "Nigeria", "Brazil", "Argentina", "Peru"]


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    texts = []
    for path in GOLD:
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or line.startswith("id\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 4 and 20 <= len(cols[3].split()) <= 40:
                texts.append(cols[3])
    names = sorted(set(NAMES), key=len, reverse=True)
    pat = re.compile("|".join(re.escape(n) for n in names))
    out = sys.stdout
    for _ in range(rows):
        t = rng.choice(texts)
        t = pat.sub(lambda m: rng.choice(NAMES), t)
        d = "%04d-%02d-%02d" % (rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28))
        out.write(d + "\t" + t + "\n")


if __name__ == "__main__":
    main()
