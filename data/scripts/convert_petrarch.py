#!/usr/bin/env python3
"""Convert the PETRARCH-2 dictionaries (MIT, Open Event Data Alliance) to bilat's dictionary format.

Run from the project root:

    python3 data/scripts/convert_petrarch.py [SHARED_CODER_DIR]

SHARED_CODER_DIR holds the staged copies of openeventdata/petrarch2 (default ../shared/coder):
  petrarch2/dictionaries/{CAMEO.2.0.txt, Phoenix.*.actors.txt, Phoenix.agents.txt,
                          Phoenix.discards.txt}
  petrarch2/validation/{PETR.Validate.*.txt}         (toy "Lord of the Rings" dictionaries)
  universal-petrarch/validate/PETR_Validate_*_2_02.txt  (UD-PETRARCH's, toy too)
  derived/petr2_unittest_expected.tsv                (the unit-test records, flattened)

Python 3 standard library only; the build does not run it. It writes:
  data/dictionaries/10-petrarch-countries.actors, 11-petrarch-international.actors,
      12-petrarch-milnonstate.actors, 10-petrarch.roles, 10-petrarch-cameo.verbs,
      10-petrarch.discards
  tests/data/coder/petr-validate/{validate.actors, validate.roles, validate.verbs,
      validate.discards}
  tests/data/coder/petr-unittest.gold.tsv
  tests/data/coder/udpetr-validate/{validate.actors, validate.roles, validate.verbs,
      validate.discards}  (from universal-petrarch/validate/PETR_Validate_*_2_02.txt, MIT)

The format is described in docs/CODER.md. What the conversion does:
  - names: '_' becomes a space, the text is lower-cased (matching ignores case anyway);
    names that are common English function words ("us", "it") are dropped because they would
    match ordinary words;
  - surnames: a person of the countries file who held a national office (a code XXXGOV...)
    also gets the last word of the name as a `surname` line (matched only when written with a
    capital letter: "Modi"), when it has four letters or more, no other person of the file has
    it, and it is no name of another entry nor a word of the role or verb dictionaries;
  - actor codes with dates: YYMMDD (years below 30 are 20xx) or YYYYMMDD, 'a-b', '<b', '>a'
    become ISO ranges (inclusive); codes that are not CAMEO-like (letters and digits) and
    malformed dates are dropped and counted;
  - role words (PETRARCH's "agents" file): regular plurals are generated unless the entry
    lists its plurals in {}; the !PERSON!-style substitution sets are expanded;
  - verbs: every inflected form is written out (irregular forms from {} as given, regular ones
    generated, with both single and doubled final consonants where English is ambiguous);
    synsets are flattened (a synset member may name another synset); in patterns, noun words
    get their regular plural as an alternative, '{a b}' becomes the contiguous element 'a_b',
    '(prep x)' loses its brackets, '^' and '%' markers are dropped (an element is written as
    alternatives, '|', of contiguous word sequences, '_'); transformations ('~' lines)
    are not converted;
  - codes that are not CAMEO-like ('080!', typos) are reported and the pattern is dropped;
  - discards that refer to the past (years, "years ago", the world wars) or to politics
    ("presidential debate") are dropped: PETRARCH skips such sentences in live news, bilat
    codes dated historical text.
Every output file starts with the source, the commit read and the MIT notice of the source.
"""

import os
import re
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared/coder"
OUT_DICT = "data/dictionaries"
OUT_TEST = "tests/data/coder"
COMMIT = "openeventdata/petrarch2@676801cd9cb2"

MIT = """The MIT License (MIT)

Copyright (c) {year} Open Event Data Alliance

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."""

# Names that are ordinary English words: as actor names they would match running text.
STOP_NAMES = set("""a an and are as at be by do for from go he her him his i if in is it its me
my no not of on or our she so than that the their them they this to up us we who you
may will can""".split())

# Words that never get a plural in patterns.
FUNCTION_WORDS = set("""a about above across after against along among an and around as at
before behind below beneath beside between beyond but by despite down during except for from in
inside into like near of off on onto out outside over past since than that the their these this
those through throughout to toward towards under until up upon via with within without its his
her our your my they them it he she we you who whom which what when where why how not no all any
each every more most less least many much some such own same other another both either neither
so too very just also only even back again new""".split())

counts = {}

# Discards about history or politics, which bilat does not drop (see convert_discards).
HISTORY_DISCARDS = {"napoleonic wars", "attack on pearl harbor", "millennium", "presidential debate",
                    "presidential vote recount", "poll published", "british empire",
                    "landslide"}  # in news of politics mostly an election won by far


def count(key, n=1):
    counts[key] = counts.get(key, 0) + n


def shown(src):
    """The path of a source file inside its repository."""
    if "universal-petrarch/" in src:
        return "UniversalPetrarch/" + src.split("universal-petrarch/")[-1]
    return src.split("petrarch2/")[-1]


def header(f, title, source, year, extra=""):
    f.write("# " + title + "\n")
    f.write("# Converted by data/scripts/convert_petrarch.py from " + COMMIT + " : " + source + "\n")
    f.write("# Format: docs/CODER.md. Changes made by the conversion are listed in the script.\n")
    if extra:
        for line in extra.strip().split("\n"):
            f.write("# " + line + "\n")
    f.write("#\n")
    for line in MIT.format(year=year).split("\n"):
        f.write(("# " + line).rstrip() + "\n")
    f.write("\n")


def strip_comment(line):
    """PETRARCH comments start with '#'; XML-style comment lines are whole-line comments."""
    if line.lstrip().startswith("<!--"):
        return ""
    i = line.find("#")
    if i >= 0:
        line = line[:i]
    return line.rstrip("\r\n")


def phrase(text):
    """PETRARCH word string -> a natural phrase: '_' -> ' ', lower case, single spaces."""
    text = text.replace("_", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


# ------------------------------------------------------------------------------------------
# Actors
# ------------------------------------------------------------------------------------------

CODE_RE = re.compile(r"^[A-Z0-9]{3,}$")


def parse_date(s):
    """YYMMDD or YYYYMMDD -> ISO date, or None."""
    s = s.strip()
    if re.fullmatch(r"\d{6}", s):
        yy = int(s[:2])
        year = 2000 + yy if yy < 30 else 1900 + yy
        mm, dd = int(s[2:4]), int(s[4:6])
    elif re.fullmatch(r"\d{8}", s):
        year, mm, dd = int(s[:4]), int(s[4:6]), int(s[6:8])
    else:
        return None
    if not (1 <= mm <= 12 and 1 <= dd <= 31):
        return None
    return "%04d-%02d-%02d" % (year, mm, dd)


def parse_code(spec):
    """'KHMGOV 930921-981130' -> (code, from, to) or None."""
    spec = spec.strip()
    parts = spec.split(None, 1)
    if not parts:
        return None
    code = parts[0].upper()
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    if code == "---":
        count("actor codes '---' (no code) dropped")
        return None
    if not CODE_RE.match(code):
        count("actor codes malformed, dropped")
        return None
    dfrom = dto = ""
    if rest:
        if rest.startswith(">"):
            dfrom = parse_date(rest[1:])
            ok = dfrom is not None
        elif rest.startswith("<"):
            dto = parse_date(rest[1:])
            ok = dto is not None
        elif "-" in rest:
            a, b = rest.split("-", 1)
            dfrom, dto = parse_date(a), parse_date(b)
            ok = dfrom is not None and dto is not None
        else:
            ok = False
        if not ok:
            count("actor codes with malformed dates, dropped")
            return None
        if dfrom and dto and dfrom > dto:
            count("actor codes whose date range ends before it starts, dropped")
            return None
    return (code, dfrom or "", dto or "")


def surnames_of(entries, taken):
    """The surname of each person who held a national office, when no other person of the
    file has it and it names nothing else: {index of the entry: surname}."""
    def person(names, codes):
        words = names[0].split()
        return (len(words) >= 2 and all(re.fullmatch(r"[a-z]+", w) for w in words)
                and any(len(c[0]) > 3 and (c[1] or c[2]) for c in codes))
    last = {}  # last word of any name of several words -> the entries with such a name
    for i, (names, codes) in enumerate(entries):
        for n in names:
            if len(n.split()) >= 2:
                last.setdefault(n.split()[-1], set()).add(i)
    out = {}
    for i, (names, codes) in enumerate(entries):
        if not names or not person(names, codes):
            continue
        sur = names[0].split()[-1]
        if (len(last[sur]) != 1 or len(sur) < 4 or sur in taken or sur in STOP_NAMES
                or sur in names or not any(re.match(r"[A-Z]{3}GOV", c[0]) for c in codes)):
            count("persons without a surname line (shared, short, naming something else, "
                  "or no national office)")
            continue
        out[i] = sur
    return out


def read_entries(src):
    """The entries of a PETRARCH actor file: [[names], [(code, from, to)]]."""
    entries = []
    cur = None
    with open(src, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = strip_comment(raw)
            if not line.strip():
                continue
            s = line.strip()
            if s.startswith("["):
                # one or more dated code lines for the current entry
                if cur is None:
                    count("actor code lines without an entry, dropped")
                    continue
                for spec in re.findall(r"\[([^\]]*)\]", s):
                    c = parse_code(spec)
                    if c:
                        cur[1].append(c)
                continue
            if s.startswith("+"):
                if cur is None:
                    continue
                name = s[1:]
                m = re.search(r"\[([^\]]*)\]", name)
                if m:
                    name = name[: m.start()]
                cur[0].append(phrase(name))
                continue
            # a new entry: NAME [CODE]?
            m = re.search(r"\[([^\]]*)\]", s)
            name = s[: m.start()] if m else s
            cur = [[phrase(name)], []]
            entries.append(cur)
            if m:
                for spec in re.findall(r"\[([^\]]*)\]", s[m.start():]):
                    c = parse_code(spec)
                    if c:
                        cur[1].append(c)
    return entries


def convert_actors(src, dst, title, year, taken=None):
    """Convert an actor file. With `taken` (names and words used elsewhere), the surnames of
    persons who held a national office are added as `surname` lines (they match only when
    written with a capital letter): "Modi" for Narendra Modi."""
    entries = read_entries(src)
    for e in entries:
        e[0] = [n for n in dict.fromkeys(e[0]) if n and n not in STOP_NAMES
                and not re.fullmatch(r"[\d\W]+", n)]
    surnames = {}
    if taken is not None:
        names_here = {n for names, _ in entries for n in names}
        surnames = surnames_of(entries, taken | names_here)
    n_out = 0
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        header(out, title, shown(src), year)
        for i, (names, codes) in enumerate(entries):
            if not names or not codes:
                count("actor entries without a usable name or code, dropped")
                continue
            # undated codes are the fallback: keep dated ones first, in file order
            dated = [c for c in codes if c[1] or c[2]]
            undated = [c for c in codes if not (c[1] or c[2])]
            out.write("actor\t-\t-\t%s\n" % names[0])
            for n in names[1:]:
                out.write("name\t%s\n" % n)
            if i in surnames:
                out.write("surname\t%s\n" % surnames[i])
                count("person surnames added (match only with a capital letter)")
            for code, a, b in dated + undated[:1]:
                if a or b:
                    out.write("code\t%s\t%s\t%s\n" % (code, a, b))
                else:
                    out.write("code\t%s\n" % code)
            if len(undated) > 1:
                count("actor entries with several undated codes (first kept)")
            n_out += 1
    count("actor entries written", n_out)


# ------------------------------------------------------------------------------------------
# English inflection (regular forms)
# ------------------------------------------------------------------------------------------

VOWELS = "aeiou"


def cvc(w):
    return (len(w) >= 3 and w[-1] not in VOWELS + "wxy" and w[-2] in VOWELS
            and w[-3] not in VOWELS)


def plural(w):
    if w.endswith("man"):
        return w[:-3] + "men"
    if w.endswith("men"):
        return w
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    if len(w) > 1 and w.endswith("y") and w[-2] not in VOWELS:
        return w[:-1] + "ies"
    return w + "s"


def verb_forms(base):
    """Regular forms of a one-word verb (lower case)."""
    forms = [base]
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.append(base + "es")
    elif len(base) > 1 and base.endswith("y") and base[-2] not in VOWELS:
        forms.append(base[:-1] + "ies")
    else:
        forms.append(base + "s")
    if base.endswith("e"):
        forms.append(base + "d")
    elif len(base) > 1 and base.endswith("y") and base[-2] not in VOWELS:
        forms.append(base[:-1] + "ied")
    else:
        forms.append(base + "ed")
        if cvc(base):
            forms.append(base + base[-1] + "ed")
    if base.endswith("ie"):
        forms.append(base[:-2] + "ying")
    elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")) and len(base) > 2:
        forms.append(base[:-1] + "ing")
    else:
        forms.append(base + "ing")
        if cvc(base):
            forms.append(base + base[-1] + "ing")
    return forms


def multi_forms(words):
    """Forms of a multiword verb: the first word is inflected."""
    return [" ".join([f] + words[1:]) for f in verb_forms(words[0])]


# ------------------------------------------------------------------------------------------
# Role words (PETRARCH calls them agents)
# ------------------------------------------------------------------------------------------


def convert_roles(src, dst, title, year):
    subs = {}
    rows = []
    with open(src, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = strip_comment(raw).strip()
            if not line:
                continue
            m = re.match(r"^(![A-Z]+!)\s*=\s*(.*)$", line)
            if m:
                subs[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
                continue
            m = re.match(r"^(.*?)\s*(\{[^}]*\})?\s*\[\s*([^\]]*?)\s*\]\s*$", line)
            if not m:
                count("role lines not understood, dropped")
                continue
            name, plur, code = m.group(1).strip(), m.group(2), m.group(3).replace(" ", "")
            if not re.fullmatch(r"~[A-Z0-9]+|[A-Z0-9]+~", code):
                count("role codes malformed, dropped")
                continue
            names = [name]
            for k, vals in subs.items():
                if k in name:
                    names = [n.replace(k, v) for n in names for v in vals]
            for n in names:
                ph = phrase(n)
                if not ph:
                    continue
                forms = [ph]
                if plur is None:
                    words = ph.split(" ")
                    if re.fullmatch(r"[a-z]+", words[-1]) and not ph.endswith("s"):
                        forms.append(" ".join(words[:-1] + [plural(words[-1])]))
                else:
                    forms += [phrase(p) for p in plur[1:-1].split() if p.strip()]
                for fm in dict.fromkeys(forms):
                    if fm in STOP_NAMES:
                        continue
                    rows.append((code, fm))
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        header(out, title, shown(src), year)
        for code, ph in rows:
            out.write("%s\t%s\n" % (code, ph))
    count("role phrases written", len(rows))


# ------------------------------------------------------------------------------------------
# Verbs
# ------------------------------------------------------------------------------------------

PCODE_RE = re.compile(r"^(\d{2,4}|---)?(:(\d{2,4}|---)?)?$")


def norm_code(c):
    c = c.strip()
    if not c or not PCODE_RE.match(c) or c == ":":
        return None
    return c


def expand_synsets(synsets):
    """Flatten nested synsets: members that name another synset are replaced by its members."""
    flat = {}

    def members(name, depth=0):
        if name in flat:
            return flat[name]
        if depth > 8 or name not in synsets:
            return []
        out = []
        for m in synsets[name]:
            if m.startswith("&"):
                out += members(m.rstrip("_"), depth + 1)
            else:
                out.append(m)
        flat[name] = list(dict.fromkeys(out))
        return flat[name]

    for k in synsets:
        members(k)
    return flat


def pattern_word(w, synsets, head=True):
    """One pattern word (maybe 'a/b' alternatives or a synset) -> list of alternatives. Only a
    head word (the last of a contiguous group) gets its plural as an alternative."""
    stopped = w.endswith("_")
    w = w.strip("_")
    if not w:
        return []
    if w.startswith("&"):
        if w not in synsets:
            count("patterns naming an unknown synset, dropped")
            raise ValueError
        return [w]
    alts = []
    for a in w.split("/"):
        a = a.lower()
        if not a:
            continue
        alts.append(a)
        if (head and not stopped and re.fullmatch(r"[a-z]{3,}", a) and a not in FUNCTION_WORDS
                and not a.endswith("s")):
            alts.append(plural(a))
    return list(dict.fromkeys(alts))


def group_element(positions):
    """Contiguous positions, each a list of alternatives -> bilat element text: the
    alternatives (|) of contiguous sequences (_), as the cross product of the positions."""
    seqs = [[]]
    for alts in positions:
        seqs = [sq + [a] for sq in seqs for a in alts][:16]
    return "|".join("_".join(sq) for sq in seqs)


def convert_pattern(body, synsets):
    """PETRARCH pattern text (between '- ' and '[') -> bilat element list, or None."""
    body = body.replace("(", " ").replace(")", " ")
    # {a b c} -> a_b_c (contiguous)
    body = re.sub(r"\{([^}]*)\}", lambda m: "_".join(m.group(1).split()), body)
    elems = []
    for tok in body.split():
        if tok in ("^", "%"):
            continue
        # a token may join several words and markers with '_': split markers off
        parts = [p for p in re.split(r"(\*|\+|\$)", tok) if p not in ("", "_")]
        for p in parts:
            if p in ("*", "+", "$"):
                elems.append(p)
                continue
            words = [x for x in p.split("_") if x]
            words = [w for w in words if w not in ("^", "%")]
            positions = []
            for i, w in enumerate(words):
                e = pattern_word(w, synsets, i == len(words) - 1)
                if e:
                    positions.append(e)
            if positions:
                elems.append(group_element(positions))
    if elems.count("*") != 1:
        count("patterns without exactly one verb marker, dropped")
        return None
    return " ".join(elems)


def convert_verbs(src, dst, title, year, xml_comments=False):
    synsets = {}
    groups = []  # [name, code, forms[(forms, code)], patterns[(code, text, comment)]]
    cur_syn = None
    cur = None
    lines = open(src, encoding="utf-8", errors="replace").read().split("\n")
    # pass 1: synsets (they may be defined after their use)
    for raw in lines:
        line = strip_comment(raw)
        s = line.strip()
        if s.startswith("&"):
            cur_syn = s.split()[0].rstrip("_")
            synsets[cur_syn] = []
            continue
        if cur_syn and s.startswith("+"):
            synsets[cur_syn].append(s[1:].strip())
            continue
        if s:
            cur_syn = None
    flat = expand_synsets(synsets)
    syn_out = {}
    for k, members in flat.items():
        out = []
        for m in members:
            ph = phrase(m.replace(" ", "_"))
            out.append(ph)
            ws = ph.split(" ")
            if re.fullmatch(r"[a-z]{3,}", ws[-1]) and not ws[-1].endswith("s"):
                out.append(" ".join(ws[:-1] + [plural(ws[-1])]))
        syn_out[k] = list(dict.fromkeys(o for o in out if o))
    # pass 2: groups, verbs, patterns
    in_syn = False
    for raw in lines:
        comment = ""
        if "#" in raw and not raw.lstrip().startswith("<!--"):
            comment = raw[raw.find("#") + 1:].strip()
        line = strip_comment(raw)
        s = line.strip()
        if not s:
            in_syn = False
            continue
        if s.startswith("~"):
            count("transformation lines (not converted)")
            continue
        if s.startswith("&"):
            in_syn = True
            continue
        if in_syn and s.startswith("+"):
            continue
        in_syn = False
        m = re.match(r"^---\s*(\S+)\s*\[\s*([^\]]*)\]\s*---", s)
        if m:
            code = norm_code(m.group(2)) or "---"
            cur = [m.group(1).strip("_"), code, [], []]
            groups.append(cur)
            continue
        if cur is None:
            continue
        if s.startswith("-"):
            m = re.match(r"^-\s*(.*?)\s*\[\s*([^\]]*)\]\s*$", s)
            if not m:
                count("pattern lines not understood, dropped")
                continue
            code = norm_code(m.group(2))
            if code is None:
                count("patterns with a malformed code (e.g. '080!'), dropped")
                continue
            try:
                text = convert_pattern(m.group(1), synsets)
            except ValueError:
                continue
            if text is None:
                continue
            cur[3].append((code, text, comment))
            continue
        # a verb line: [+]WORD[_WORD..] {FORMS} [CODE]
        m = re.match(r"^(\+?)([^\s{\[]+)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?", s)
        if not m:
            count("verb lines not understood, dropped")
            continue
        multi, word, irr, code = m.group(1), m.group(2), m.group(3), m.group(4)
        vcode = norm_code(code[1:-1]) if code else None
        if code and vcode is None:
            count("verb codes malformed, dropped")
        words = [w.lower() for w in re.split(r"[_+]", word) if w]
        if not words or not all(re.fullmatch(r"[a-z'-]+", w) for w in words):
            count("verb lines with odd characters, dropped")
            continue
        if irr is not None:
            forms = [" ".join(words)] + [phrase(x.lstrip("+")) for x in irr[1:-1].split()]
        elif len(words) > 1:
            forms = multi_forms(words)
        else:
            forms = verb_forms(words[0])
        cur[2].append((list(dict.fromkeys(f for f in forms if re.match(r"^[a-z]", f))), vcode))
    n_pat = n_forms = 0
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        header(out, title, shown(src), year)
        for k in sorted(syn_out):
            for mbr in syn_out[k]:
                out.write("synset\t%s\t%s\n" % (k.lower(), mbr))
        out.write("\n")
        for name, code, forms, pats in groups:
            if not forms:
                count("verb groups without verbs (patterns unreachable), dropped")
                continue
            out.write("verb\t%s\t%s\n" % (name, code))
            for fl, vcode in forms:
                out.write("form\t%s%s\n" % ("|".join(fl), "\t" + vcode if vcode else ""))
                n_forms += 1
            for pcode, text, comment in pats:
                out.write("pattern\t%s\t%s\n" % (pcode, text.replace("&", "&").lower()))
                n_pat += 1
            out.write("\n")
    count("verb groups written", sum(1 for g in groups if g[2]))
    count("verbs written", n_forms)
    count("patterns written", n_pat)


def convert_discards(src, dst, title, year):
    rows = []
    with open(src, encoding="utf-8", errors="replace") as f:
        for raw in f:
            s = strip_comment(raw).strip()
            if not s:
                continue
            s = s.lstrip("+").strip()
            ph = phrase(s)
            if not ph or ph in STOP_NAMES:
                continue
            # PETRARCH drops sentences that refer to the past (years, "years ago", the world
            # wars) because it codes today's news; bilat codes dated historical text too, and
            # political phrases are not noise for it
            if (re.search(r"\b(19|20)\d\d\b", ph) or re.search(r"\b(ago|later)$", ph)
                    or "world war" in ph or ph in HISTORY_DISCARDS):
                count("discard phrases about the past or politics, dropped")
                continue
            rows.append(ph)
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        header(out, title, shown(src), year)
        for r in dict.fromkeys(rows):
            out.write(r + "\n")
    count("discard phrases written", len(rows))


def convert_gold(src, dst):
    n = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8", newline="\n") as out:
        out.write("# PETRARCH-2 unit-test records: id, date, expected events (SOURCE|TARGET|CODE;...,\n")
        out.write("# empty = no event), text. Flattened from " + COMMIT +
                  " : petrarch2/data/text/PETR.UnitTest.records.xml\n")
        out.write("# by data/scripts/convert_petrarch.py. The actors are fictional and the codes are those\n")
        out.write("# of the toy dictionaries in petr-validate/ (mostly WEIS, not CAMEO). MIT licence:\n")
        out.write("# Copyright (c) 2014 Open Event Data Alliance (full notice in petr-validate/validate.verbs).\n")
        out.write("# Error records: a discard or dateline record expects no event; ERROR-02 and ERROR-03 test\n")
        out.write("# a malformed parse tree (the same text as DEMO-00, which expects an event) and are left out.\n")
        out.write("id\tdate\tevents\ttext\n")
        header_seen = False
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if not header_seen:
                header_seen = True
                continue
            id_, cat, date, nexp, events, noev, text = cols[:7]
            iso = "%s-%s-%s" % (date[:4], date[4:6], date[6:8]) if len(date) == 8 else ""
            if id_ in ("ERROR-02", "ERROR-03"):
                count("unit-test records left out (parse-error tests)")
                continue
            if events == "||":
                events = ""
            out.write("%s\t%s\t%s\t%s\n" % (id_, iso, events, text))
            n += 1
    count("unit-test records written", n)


def main():
    d = os.path.join(SHARED, "petrarch2/dictionaries")
    v = os.path.join(SHARED, "petrarch2/validation")
    os.makedirs(OUT_DICT, exist_ok=True)
    os.makedirs(os.path.join(OUT_TEST, "petr-validate"), exist_ok=True)
    # names of the other actor files and the words of the role and verb dictionaries: a
    # surname that is one of them is not added
    taken = set()
    for f in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        for names, _ in read_entries(os.path.join(d, f)):
            taken.update(names)
    for f in ("Phoenix.agents.txt", "CAMEO.2.0.txt"):
        with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
            for raw in fh:
                taken.update(re.findall(r"[a-z]+", strip_comment(raw).lower()))
    convert_actors(os.path.join(d, "Phoenix.Countries.actors.txt"),
                   os.path.join(OUT_DICT, "10-petrarch-countries.actors"),
                   "Countries, their adjectives, cities and leaders (PETRARCH-2 Phoenix actors)",
                   2014, taken)
    convert_actors(os.path.join(d, "Phoenix.International.actors.txt"),
                   os.path.join(OUT_DICT, "11-petrarch-international.actors"),
                   "International organisations, NGOs, companies, media (PETRARCH-2 Phoenix)",
                   2014)
    convert_actors(os.path.join(d, "Phoenix.MilNonState.actors.txt"),
                   os.path.join(OUT_DICT, "12-petrarch-milnonstate.actors"),
                   "Armed non-state groups (PETRARCH-2 Phoenix)", 2014)
    convert_roles(os.path.join(d, "Phoenix.agents.txt"),
                   os.path.join(OUT_DICT, "10-petrarch.roles"),
                   "Role words that combine with a country (PETRARCH-2 Phoenix)", 2014)
    convert_verbs(os.path.join(d, "CAMEO.2.0.txt"), os.path.join(OUT_DICT, "10-petrarch-cameo.verbs"),
                  "CAMEO verb patterns (PETRARCH-2 CAMEO.2.0)", 2015)
    convert_discards(os.path.join(d, "Phoenix.discards.txt"),
                     os.path.join(OUT_DICT, "10-petrarch.discards"),
                     "Discard phrases: sentences about sport and the like are not coded", 2014)
    tv = os.path.join(OUT_TEST, "petr-validate")
    convert_actors(os.path.join(v, "PETR.Validate.actors.txt"), os.path.join(tv, "validate.actors"),
                   "PETRARCH validation actors (fictional; for the unit-test records only)", 2014)
    convert_roles(os.path.join(v, "PETR.Validate.agents.txt"), os.path.join(tv, "validate.roles"),
                   "PETRARCH validation role words (for the unit-test records only)", 2014)
    convert_verbs(os.path.join(v, "PETR.Validate.verbs.txt"), os.path.join(tv, "validate.verbs"),
                  "PETRARCH validation verbs (mostly WEIS codes; for the unit-test records only)",
                  2014)
    convert_discards(os.path.join(v, "PETR.Validate.discards.txt"),
                     os.path.join(tv, "validate.discards"),
                     "PETRARCH validation discards", 2014)
    convert_gold(os.path.join(SHARED, "derived/petr2_unittest_expected.tsv"),
                 os.path.join(OUT_TEST, "petr-unittest.gold.tsv"))
    # the UD-PETRARCH validation dictionaries (fictional; for its validation records, which
    # are read from SHARED_CODER_DIR/derived by the tests, not copied)
    global COMMIT
    COMMIT = "openeventdata/UniversalPetrarch@f2192ba320a3 (branch dev-validate)"
    u = os.path.join(SHARED, "universal-petrarch/validate")
    tu = os.path.join(OUT_TEST, "udpetr-validate")
    os.makedirs(tu, exist_ok=True)
    convert_actors(os.path.join(u, "PETR_Validate_actors_2_02.txt"),
                   os.path.join(tu, "validate.actors"),
                   "UD-PETRARCH validation actors 2.02 (fictional; for its validation records only)",
                   2016)
    convert_roles(os.path.join(u, "PETR_Validate_agents_2_02.txt"),
                  os.path.join(tu, "validate.roles"),
                  "UD-PETRARCH validation role words 2.02 (for its validation records only)", 2016)
    convert_verbs(os.path.join(u, "PETR_Validate_verbs_2_02.txt"),
                  os.path.join(tu, "validate.verbs"),
                  "UD-PETRARCH validation verbs 2.02 (for its validation records only)", 2016)
    convert_discards(os.path.join(u, "PETR_Validate_discards_2_02.txt"),
                     os.path.join(tu, "validate.discards"),
                     "UD-PETRARCH validation discards 2.02", 2016)
    for k in sorted(counts):
        print("%8d  %s" % (counts[k], k), file=sys.stderr)


if __name__ == "__main__":
    main()
