#!/usr/bin/env python3
"""Build the reference dataset (data/reference/) from the raw files in data/raw/.

Run from the data/ directory:

    python3 scripts/make_reference.py [--external DIR]

Python 3 standard library only. The script documents how each table was made; the build does
not run it. It writes, in data/reference/:

  vocabulary.tsv       channel, mode and level values (table kept in this script)
  cameo.tsv            CAMEO event codes from raw/cameo/icews_cameo-codes.csv
  countries.tsv        GeoNames countryInfo + COW codes from the ideal points file + historical states
  country_aliases.tsv  country names as spelled in the data sets, where they differ from countries.tsv
  blocs.tsv            ASEAN membership (table kept in this script)
  un_seats.tsv         who held a UN seat when (table kept in this script)
  sources.tsv          citations for the tables above (table kept in this script)

--external DIR names a directory holding econ/HRT_ChinaDebtStockDatabase.csv,
econ/ti_cpi_2023_global_results.csv, diplomacy/chinavitae_leader_engagements_2003_2018.csv and
diplomacy/ceias_who_where_when_chinese_leader_travel_1949_2020.csv (files that are not shipped,
see data/SOURCES.md). Their country names are added to country_aliases.tsv. Without it the script looks in ../../shared/data;
if the files are not found it says so on stderr and leaves their names out.

Checks (printed to stderr as "note:" lines; the script exits 1 if a hard check fails):
  - every code in raw/cameo/cameoEvent.txt is in cameo.tsv;
  - the quad rule agrees with quad_category in raw/cameo/icews_cameo_codes_quad.csv;
  - every ISO2 code in raw/un_votes/unvotes_country_codes.csv and in the all-countries vote file
    maps to exactly one countries.tsv row;
  - every COW code in the ideal points and GCDF files maps to a row;
  - no alias points to two countries.
"""

import csv
import gzip
import os
import sys

RAW = "raw"
OUT = "reference"
failures = []


def note(msg):
    print("note: " + msg, file=sys.stderr)


def fail(msg):
    print("error: " + msg, file=sys.stderr)
    failures.append(msg)


def clean(value):
    """Make a value safe for a TSV field: no tab, CR or LF, no surrounding spaces."""
    value = "" if value is None else str(value)
    value = value.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return value.strip()


def write_tsv(name, header, rows, comments=()):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in comments:
            f.write(("# " + c).rstrip() + "\n")
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(clean(v) for v in r) + "\n")
    note("wrote %s (%d rows)" % (path, len(rows)))


# --------------------------------------------------------------------------------------------
# vocabulary.tsv
# --------------------------------------------------------------------------------------------
VOCABULARY = [
    ("channel", "party", "between political parties or their organs (e.g. the CPP and the CPC and its International Department)"),
    ("channel", "government", "between states: heads of state or government, ministries, diplomats"),
    ("channel", "legislature", "between parliaments, their members or committees"),
    ("channel", "military", "between armed forces or defence ministries"),
    ("channel", "business", "involving companies, investors or business associations"),
    ("channel", "people", "people-to-people ties: students, youth, media, culture, the public"),
    ("mode", "visit", "one side travels to the other (the source actor is the visitor)"),
    ("mode", "meeting", "talks or a meeting, where who hosted whom is not the point"),
    ("mode", "agreement", "a memorandum, treaty or other formal agreement is signed"),
    ("mode", "partnership", "a formal relationship is established or upgraded (official ties, strategic partnership)"),
    ("mode", "training", "courses, seminars or other capacity building given by one side to the other"),
    ("mode", "scholarship", "study places or scholarships given by one side to the other"),
    ("mode", "award", "a state or party honour given to a person"),
    ("mode", "statement", "a public statement, joint statement or pledge"),
    ("mode", "speech", "a speech or address, including one given at a conference"),
    ("mode", "forum", "a multilateral party or policy forum, dialogue or summit"),
    ("mode", "aid", "grants, loans or donations in kind"),
    ("mode", "vote", "a vote or co-sponsorship in an international body"),
    ("mode", "proposal", "a concept, initiative, doctrine or strategy is put forward"),
    ("mode", "endorsement", "public support for the other side's policy or initiative"),
    ("mode", "launch", "a joint project or institution is opened or inaugurated"),
    ("mode", "congress", "a party congress or other party-wide meeting"),
    ("level", "leader", "head of a party, state or government"),
    ("level", "ministerial", "minister, Politburo member, head of the CPC International Department"),
    ("level", "senior", "vice-minister, central committee member, general"),
    ("level", "working", "officials, staff, delegations"),
    ("level", "people", "students, youth, the public"),
]


def make_vocabulary():
    write_tsv("vocabulary.tsv", ["field", "value", "description"], VOCABULARY, [
        "Allowed channel, mode and level values for events.tsv.",
        "level is the rank of the most senior participant of the event.",
        "Generated by scripts/make_reference.py (table kept in the script).",
    ])


# --------------------------------------------------------------------------------------------
# cameo.tsv
# --------------------------------------------------------------------------------------------
def quad_of(code):
    """Textbook CAMEO quad class of a code, by its two-digit root."""
    root = int(code[:2])
    if 1 <= root <= 5:
        return 1   # verbal cooperation
    if 6 <= root <= 8:
        return 2   # material cooperation
    if 9 <= root <= 13:
        return 3   # verbal conflict
    if 14 <= root <= 20:
        return 4   # material conflict
    raise ValueError("bad CAMEO root in %r" % code)


def make_cameo():
    path = os.path.join(RAW, "cameo", "icews_cameo-codes.csv")
    with open(path, encoding="utf-8", newline="") as f:
        src = list(csv.DictReader(f))
    rows = []
    seen = set()
    for r in src:
        code = r["code"].strip()
        if not (code.isdigit() and 2 <= len(code) <= 4):
            fail("cameo: bad code %r" % code)
            continue
        if code in seen:
            fail("cameo: duplicate code %s" % code)
        seen.add(code)
        g = float(r["goldstein"])
        if not -10 <= g <= 10:
            fail("cameo: Goldstein value out of range for %s" % code)
        if r["root_code"] != code[:2]:
            fail("cameo: root_code %s does not match code %s" % (r["root_code"], code))
        rows.append((code, r["name"], r["goldstein"], quad_of(code), code[:2], int(r["order"])))
    rows.sort(key=lambda t: t[5])

    # every code of GDELT's CAMEO event list must be present
    with open(os.path.join(RAW, "cameo", "cameoEvent.txt"), encoding="utf-8") as f:
        gdelt = [line.rstrip("\n").split("\t")[0] for line in f][1:]
    gdelt = {c for c in gdelt if c}
    missing = sorted(gdelt - seen)
    extra = sorted(seen - gdelt)
    if missing:
        fail("cameo: codes in cameoEvent.txt but not in icews_cameo-codes.csv: %s" % " ".join(missing))
    note("cameo: %d codes; in icews_cameo-codes.csv but not in cameoEvent.txt: %s"
         % (len(rows), " ".join(extra) or "none"))

    # cross-check quad rule against the icews package's own quad_category
    qmap = {"verbal cooperation": 1, "material cooperation": 2,
            "verbal conflict": 3, "material conflict": 4}
    with open(os.path.join(RAW, "cameo", "icews_cameo_codes_quad.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            q = qmap.get(r["quad_category"].strip().lower())
            if q != quad_of(r["cameo_code"]):
                note("cameo: quad of %s is %s in icews_cameo_codes_quad.csv, %d by rule"
                     % (r["cameo_code"], r["quad_category"], quad_of(r["cameo_code"])))

    write_tsv("cameo.tsv", ["code", "label", "goldstein", "quad", "root"],
              [r[:5] for r in rows], [
                  "CAMEO event codes (CAMEO 1.1b3) with Goldstein values, from raw/cameo/icews_cameo-codes.csv",
                  "(icews R package, MIT). quad by the textbook rule: roots 01-05 -> 1 verbal cooperation,",
                  "06-08 -> 2 material cooperation, 09-13 -> 3 verbal conflict, 14-20 -> 4 material conflict.",
                  "GDELT itself emits roots 09 as quad 2 and 14 as quad 3; this table follows the textbook rule.",
                  "Generated by scripts/make_reference.py.",
              ])
    return {r[0] for r in rows}


# --------------------------------------------------------------------------------------------
# countries.tsv
# --------------------------------------------------------------------------------------------
# Historical states that appear in the UN votes, ideal points or COW-coded files but not in
# GeoNames. iso3 is the ISO 3166-3 alpha-3 code where one exists, otherwise the code the ideal
# points file (or COW) uses. FIPS is left empty: GDELT's geography does not need these.
HISTORICAL = [
    # iso3, iso2, fips, cow, name, why
    ("CSK", "CS", "", "315", "Czechoslovakia", "ISO 3166-3; UN votes CS, ideal points CSK/315"),
    ("DDR", "DD", "", "265", "East Germany", "ISO 3166-3; UN votes DD, ideal points DDR/265"),
    ("SUN", "SU", "", "", "Soviet Union", "ISO 3166-3; COW 365 and the UN seat continue as Russia (RUS), so no COW code here"),
    ("YUG", "YU", "", "345", "Yugoslavia", "ISO 3166-3; UN votes YU, ideal points YUG/345 (COW keeps 345 for Serbia)"),
    ("YAR", "", "", "678", "Yemen Arab Republic", "code from the ideal points file (North Yemen had no separate ISO code); COW 678"),
    ("YMD", "YD", "", "680", "South Yemen", "ISO 3166-3; UN votes YD; COW 680 (the ideal points file labels 680 as YAR)"),
    ("ZAN", "", "", "511", "Zanzibar", "COW abbreviation ZAN, COW 511; UN member 1963-64, no ISO code"),
]

# Where one ISO3 has two COW codes in the ideal points file, the one kept.
COW_PREFERRED = {"DEU": "255", "YAR": "678"}

# GeoNames rows whose ISO2 code is reused by a historical state above.
ISO2_DROP = {"SCG": "CS is Czechoslovakia in the UN votes; ISO reused CS for Serbia and Montenegro 2003-2006"}


def make_countries():
    rows = {}
    with open(os.path.join(RAW, "cameo", "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.rstrip("\n").split("\t")
            if p[0] == "ISO":           # column header (this copy has it without '#')
                continue
            iso2, iso3, fips, name = p[0], p[1], p[3], p[4]
            rows[iso3] = {"iso3": iso3, "iso2": iso2, "fips": fips, "cow": "", "name": name.strip()}
    for iso3, why in ISO2_DROP.items():
        note("countries: ISO2 %s removed from %s: %s" % (rows[iso3]["iso2"], iso3, why))
        rows[iso3]["iso2"] = ""

    # COW codes from the ideal points file (ccode, iso3c)
    pairs = {}
    with open(os.path.join(RAW, "un_votes", "idealpoints_july2025_1946_2024.csv"), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["iso3c"]:
                pairs.setdefault(r["iso3c"], set()).add(r["ccode"])
    hist = {h[0]: h for h in HISTORICAL}
    for h in HISTORICAL:
        if h[0] in rows:
            fail("countries: historical %s is already in GeoNames" % h[0])
        rows[h[0]] = {"iso3": h[0], "iso2": h[1], "fips": h[2], "cow": h[3], "name": h[4]}
        note("countries: added by hand %s %s (%s)" % (h[0], h[4], h[5]))
    for iso3, cows in sorted(pairs.items()):
        if iso3 not in rows:
            fail("countries: ideal points code %s has no row" % iso3)
            continue
        if iso3 in hist:
            continue
        if len(cows) > 1:
            keep = COW_PREFERRED.get(iso3)
            if keep not in cows:
                fail("countries: %s has COW codes %s and no preference" % (iso3, sorted(cows)))
                continue
            note("countries: %s has COW codes %s in the ideal points file; kept %s"
                 % (iso3, " ".join(sorted(cows, key=int)), keep))
            cows = {keep}
        rows[iso3]["cow"] = cows.pop()

    # checks: unique iso2 and cow; Cambodia and neighbours as expected
    for col in ("iso2", "cow", "fips"):
        seen = {}
        for r in rows.values():
            v = r[col]
            if v and v in seen:
                fail("countries: %s %s used by %s and %s" % (col, v, seen[v], r["iso3"]))
            seen[v] = r["iso3"]
    expect = {"KHM": ("KH", "CB", "811"), "CHN": ("CN", "CH", "710"),
              "LAO": ("LA", "LA", "812"), "VNM": ("VN", "VM", "816")}
    for iso3, (iso2, fips, cow) in expect.items():
        r = rows[iso3]
        if (r["iso2"], r["fips"], r["cow"]) != (iso2, fips, cow):
            fail("countries: %s is %s/%s/%s" % (iso3, r["iso2"], r["fips"], r["cow"]))

    by_cow = {r["cow"]: r["iso3"] for r in rows.values() if r["cow"]}

    # every UN votes ISO2 code maps to exactly one row
    codes = set()
    with open(os.path.join(RAW, "un_votes", "unvotes_country_codes.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            raw_code = line.split(",", 1)[0]
            if raw_code == "NA":      # unquoted NA is R's missing value, "NA" quoted is Namibia
                continue
            codes.add(raw_code.strip('"'))
    with gzip.open(os.path.join(RAW, "un_votes", "unvotes_votes_all_1946_2019.csv.gz"), "rt", encoding="utf-8") as f:
        next(f)
        for line in f:
            raw_code = line.split(",")[1]
            if raw_code != "NA":
                codes.add(raw_code.strip('"'))
    for c in sorted(codes):
        n = sum(1 for r in rows.values() if r["iso2"] == c)
        if n != 1:
            fail("countries: UN votes ISO2 %s maps to %d rows" % (c, n))
    note("countries: %d UN votes ISO2 codes checked; each maps to one row" % len(codes))

    # every COW code in the COW-coded files maps to a row
    cow_files = [("un_votes", "idealpoints_july2025_1946_2024.csv"), ("econ", "gcdf3_recipient_year_cow.csv")]
    for d, name in cow_files:
        with open(os.path.join(RAW, d, name), encoding="utf-8", newline="") as f:
            cows = {r["ccode"] for r in csv.DictReader(f)}
        unmapped = sorted((c for c in cows if c not in by_cow), key=int)
        note("countries: COW codes in %s without a row: %s" % (name, " ".join(unmapped) or "none"))

    out = sorted(rows.values(), key=lambda r: r["iso3"])
    write_tsv("countries.tsv", ["iso3", "iso2", "fips", "cow", "name"],
              [(r["iso3"], r["iso2"], r["fips"], r["cow"], r["name"]) for r in out], [
                  "Countries: iso3, iso2, fips and name from GeoNames countryInfo.txt (CC BY 4.0);",
                  "cow (Correlates of War code) joined on iso3 from the ideal points file (ccode, iso3c).",
                  "Historical states added by hand: " + ", ".join("%s %s" % (h[0], h[4]) for h in HISTORICAL) + ".",
                  "Serbia and Montenegro (SCG) has no iso2 here: CS is Czechoslovakia in the UN votes.",
                  "DEU carries COW 255; COW 260 (German Federal Republic 1955-1990) also means DEU.",
                  "Namibia's alpha-2 code is the text NA: it is a code, not a missing value.",
                  "Generated by scripts/make_reference.py.",
              ])
    return rows


# --------------------------------------------------------------------------------------------
# country_aliases.tsv
# --------------------------------------------------------------------------------------------
# Names that cannot be matched by a code column, mapped by hand (checked by eye against the
# data: e.g. TI's 'Congo' 2017 score 2.1 is the Republic of the Congo, since the DR Congo has
# its own row for 2017).
NAME_FIXES = {
    # unvotes names whose code is R's missing value NA
    "Yemen Arab Republic": "YAR",
    "Zanzibar": "ZAN",
    "Federal Republic of Germany": "DEU",
    # TI CPI 1995-2017 (names not harmonised in the source, typos kept as spelled)
    "Australias": "AUS",
    "Bosnia & Herzegovina": "BIH",
    "Brunei Darussalam": "BRN",
    "Cabo Verde": "CPV",
    "Congo": "COG",
    "Congo  Republic": "COG",
    "Congo Brazzaville": "COG",
    "Congo Republic": "COG",
    "Congo, Democratic Republic": "COD",
    "Congo, Republic": "COG",
    "Congo, Republic of": "COG",
    "Congo, Republic of the": "COG",
    "Congo-Brazzaville": "COG",
    "Congo. Democratic Republic": "COD",
    "Congo. Republic": "COG",
    "Congo. Republic of": "COG",
    "Cote d'Ivoire": "CIV",
    "Cote d´Ivoire": "CIV",
    "Czech Rep.": "CZE",
    "Czech Republic": "CZE",
    "Czech Republik": "CZE",
    "Côte D'Ivoire": "CIV",
    "Côte d´Ivoire": "CIV",
    "Côte d’Ivoire": "CIV",
    "Côte-d'Ivoire": "CIV",
    "Democratic Republic of Congo": "COD",
    "Dominican Rep": "DOM",
    "Dominican Rep.": "DOM",
    "FYR Macedonia": "MKD",
    "Guinea Bissau": "GNB",
    "Korea (North)": "PRK",
    "Korea (South)": "KOR",
    "Korea, North": "PRK",
    "Korea, South": "KOR",
    "Kuweit": "KWT",
    "Kyrgyz Republic": "KGZ",
    "Luxemburg": "LUX",
    "Macau": "MAC",
    "Macedonia (Former Yugoslav Republic of)": "MKD",
    "Moldovaa": "MDA",
    "Palestine": "PSE",
    "Palestinian Authority": "PSE",
    "Republic of Congo": "COG",
    "Sao Tome & Principe": "STP",
    "Serbia & Montenegro": "SCG",
    "Slovak Republic": "SVK",
    "Taijikistan": "TJK",
    "The Democratic Republic of Congo": "COD",
    "The FYR of Macedonia": "MKD",
    "The Netherlands": "NLD",
    "The United States Of America": "USA",
    "The United States of America": "USA",
    "Timor-Leste": "TLS",
    "Trinidad & Tobago": "TTO",
    "USA": "USA",
    "Unit.Kingd.": "GBR",
    "United States of America": "USA",
    "Viet Nam": "VNM",
    "Yugoslavia": "YUG",
    # ChinaVitae and CEIAS (external; names only): the United Kingdom's parts, short names
    "England": "GBR",
    "Wales": "GBR",
    "Antigua": "ATG",
    "Germany, East": "DDR",
}

# Names deliberately not mapped: aggregates, regions, combined entries.
NOT_COUNTRIES = {
    "GLOBAL AVARAGE": "TI CPI 1995-2017: world average (spelled so in the source)",
    "Belgium/Luxembourg": "TI CPI 1995-2017: one 1995 score for two countries",
    "Channel Islands": "WDI code CHI: Jersey and Guernsey together, not one ISO country",
}

# Non-standard country codes used in code columns of some files (not names; listed so that an
# importer that falls back to the alias table can resolve them).
CODE_FIXES = {
    "ROM": ("ROU", "HRT debt file: old code for Romania"),
    "KSV": ("XKX", "TI CPI 2023 file: code for Kosovo"),
}


def read_csv(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def make_aliases(countries, external):
    names = {r["name"].lower(): iso3 for iso3, r in countries.items()}
    aliases = {}          # alias (as spelled) -> (iso3, origin)
    unmapped = {}         # name -> origin
    agg = []              # WDI aggregates: (code, name)

    def add(alias, iso3, origin):
        alias = clean(alias)
        if not alias:
            return
        if iso3 not in countries:
            fail("aliases: %r maps to unknown %s (%s)" % (alias, iso3, origin))
            return
        if names.get(alias.lower()) == iso3:
            return                      # same as the name in countries.tsv
        key = alias.lower()
        if key in names and names[key] != iso3:
            fail("aliases: %r is the name of %s but maps to %s (%s)" % (alias, names[key], iso3, origin))
            return
        old = aliases.get(key)
        if old and old[1] != iso3:
            fail("aliases: %r maps to %s (%s) and %s (%s)" % (alias, old[1], old[2], iso3, origin))
            return
        if not old:
            aliases[key] = (alias, iso3, origin)

    def lookup(name):
        key = clean(name).lower()
        if key in names:
            return names[key]
        if key in aliases:
            return aliases[key][1]
        if name in NAME_FIXES:
            return NAME_FIXES[name]
        return None

    by_iso2 = {r["iso2"]: iso3 for iso3, r in countries.items() if r["iso2"]}

    # 1. unvotes country codes (ISO2 -> iso3); unquoted NA is a missing code
    with open(os.path.join(RAW, "un_votes", "unvotes_country_codes.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            code_raw, name = line.rstrip("\n").split(",", 1)
            name = name.strip('"')
            if code_raw == "NA":
                add(name, NAME_FIXES[name], "unvotes (code missing)")
            else:
                add(name, by_iso2[code_raw.strip('"')], "unvotes")

    # 2. WDI (Country Code is ISO3 for countries; other codes are aggregates)
    rows = read_csv(os.path.join(RAW, "econ", "wdi_fdi_net_bop_BN.KLT.DINV.CD.csv"))
    seen = set()
    for r in rows[1:]:
        name, code = r[1], r[2]
        if (name, code) in seen:
            continue
        seen.add((name, code))
        if code in countries:
            add(name, code, "WDI")
        elif name in NOT_COUNTRIES:
            unmapped[name] = NOT_COUNTRIES[name]
        else:
            agg.append((code, name))

    # 3. external files with code columns (HRT: ISO; TI CPI 2023: ISO3)
    ext_files = [
        ("HRT_ChinaDebtStockDatabase.csv", ",", 0, 2, "HRT debt (external)"),
        ("ti_cpi_2023_global_results.csv", "|", 0, 1, "TI CPI 2023 (external)"),
    ]
    for fname, delim, ncol, ccol, origin in ext_files:
        path = os.path.join(external, "econ", fname) if external else None
        if not path or not os.path.exists(path):
            note("aliases: %s not found; its names are left out" % fname)
            continue
        for r in read_csv(path, delim)[1:]:
            if len(r) <= ccol or not r[ncol].strip():
                continue
            code = r[ccol].strip()
            if code in CODE_FIXES:
                code = CODE_FIXES[code][0]
            if code not in countries:
                fail("aliases: %s code %s unknown" % (fname, code))
                continue
            add(r[ncol], code, origin)

    # 4. files with names only: AidData public diplomacy, TI CPI 1995-2017
    name_files = [
        (os.path.join(RAW, "diplomacy", "aiddata_china_public_diplomacy_v2_country_year.csv"), "receiving_country", "AidData PD"),
        (os.path.join(RAW, "econ", "ti_cpi_1995_2017_datahub.csv"), "country", "TI CPI 1995-2017"),
    ]
    for path, col, origin in name_files:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                name = r[col]
                if name in NOT_COUNTRIES:
                    unmapped[name] = NOT_COUNTRIES[name]
                    continue
                iso3 = lookup(name)
                if iso3 is None:
                    unmapped[name] = origin + ": no match"
                    fail("aliases: %s name %r not mapped" % (origin, name))
                    continue
                add(name, iso3, origin)

    # 5. external files with names only: ChinaVitae engagements, CEIAS leader travel
    ext_name_files = [
        (os.path.join("diplomacy", "chinavitae_leader_engagements_2003_2018.csv"), "country",
         "ChinaVitae (external)"),
        (os.path.join("diplomacy", "ceias_who_where_when_chinese_leader_travel_1949_2020.csv"),
         "Country", "CEIAS (external)"),
    ]
    for rel, col, origin in ext_name_files:
        path = os.path.join(external, rel) if external else None
        if not path or not os.path.exists(path):
            note("aliases: %s not found; its names are left out" % os.path.basename(rel))
            continue
        with open(path, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                name = r[col]
                iso3 = lookup(name)
                if iso3 is None:
                    unmapped[name] = origin + ": no match"
                    fail("aliases: %s name %r not mapped" % (origin, name))
                    continue
                add(name, iso3, origin)

    for code, (iso3, why) in CODE_FIXES.items():
        add(code, iso3, why)

    for n, why in sorted(unmapped.items()):
        note("aliases: not mapped: %r (%s)" % (n, why))
    out = sorted(aliases.values(), key=lambda t: (t[1], t[0].lower()))
    comments = [
        "Country names as spelled in the data sets, where they differ from the name in countries.tsv.",
        "Sources: unvotes country names, WDI Country Name (by Country Code), AidData public diplomacy",
        "receiving_country, TI CPI 1995-2017 country (spellings kept as in the source, typos included),",
        "HRT debt Country and TI CPI 2023 Country / Territory (by their ISO3 columns), ChinaVitae",
        "country and CEIAS Country (names; England and Wales are the United Kingdom).",
        "ROM and KSV are codes, not names: the HRT file codes Romania ROM, the CPI 2023 file codes Kosovo KSV.",
        "Generated by scripts/make_reference.py.",
        "",
        "Rows with an empty iso3 name things that are not countries: importers skip them.",
        "Not countries, listed as rows below:",
    ]
    for n, why in sorted(unmapped.items()):
        comments.append("  %s  (%s)" % (n, why))
    comments.append("WDI aggregates (skipped because their Country Code is not in countries.tsv):")
    for code, name in sorted(agg):
        comments.append("    %s  %s" % (code, name))
    rows = [(t[1], t[0]) for t in out] + [("", n) for n in sorted(unmapped)]
    write_tsv("country_aliases.tsv", ["iso3", "alias"], rows, comments)


# --------------------------------------------------------------------------------------------
# blocs.tsv
# --------------------------------------------------------------------------------------------
ASEAN = [
    ("IDN", "1967-08-08"), ("MYS", "1967-08-08"), ("PHL", "1967-08-08"),
    ("SGP", "1967-08-08"), ("THA", "1967-08-08"),
    ("BRN", "1984-01-07"), ("VNM", "1995-07-28"),
    ("LAO", "1997-07-23"), ("MMR", "1997-07-23"),
    ("KHM", "1999-04-30"),
]


def make_blocs(countries):
    for iso3, _ in ASEAN:
        if iso3 not in countries:
            fail("blocs: %s not in countries" % iso3)
    write_tsv("blocs.tsv", ["bloc", "iso3", "date_from", "date_to"],
              [("ASEAN", iso3, d, "") for iso3, d in ASEAN], [
                  "ASEAN membership with dates of admission (founders: Bangkok Declaration, 1967-08-08).",
                  "Timor-Leste's admission (2025) is left out until its date is checked against an ASEAN source.",
                  "Generated by scripts/make_reference.py (table kept in the script).",
              ])


# --------------------------------------------------------------------------------------------
# un_seats.tsv: who held a UN seat when (a seat is not a regime)
# --------------------------------------------------------------------------------------------
# (iso3, date_from, date_to, holder, current, note, source_id, locator). current = 1 when the
# state of today holds the seat. Dates of month precision where the sources give no day.
UN_SEATS = [
    ("KHM", "1955-12-14", "1970-10-08", "Kingdom of Cambodia (Sihanouk)", "0",
     "Admission by General Assembly resolution 995 (X) on the Security Council's recommendation "
     "(S/RES/109 (1955)).", "khmertimes-2017-un-membership", "admission, 14 December 1955"),
    ("KHM", "1970-10-09", "1975-04-16", "Khmer Republic", "0",
     "The seat passed with the change of regime; its credentials were contested at the "
     "twenty-ninth session (1974).", "peangmeth-1974-credentials", "item 3"),
    ("KHM", "1975-04-17", "1982-06-21", "Democratic Kampuchea", "0",
     "The Khmer Rouge government; after January 1979 a government in exile whose credentials the "
     "General Assembly kept accepting over those of the People's Republic of Kampuchea.",
     "csmonitor-1980-10-15", "credentials vote of 1980"),
    ("KHM", "1982-06-22", "1990-09-17", "Coalition Government of Democratic Kampuchea", "0",
     "The coalition of June 1982; its delegation, led by Democratic Kampuchea's envoys, held the "
     "seat.", "un-yearbook-1982", "chapter VI, credentials of Democratic Kampuchea"),
    ("KHM", "1990-09-18", "1991-09-16", "vacant", "0",
     "No delegation was seated while the Supreme National Council agreed on its own; no "
     "Cambodian votes are recorded in 1990.", "unvotes-pkg", "no KHM votes in 1990"),
    ("KHM", "1991-09-17", "1993-09-23", "Supreme National Council", "0",
     "The SNC represented Cambodia externally and occupied its UN seat during the transition.",
     "paris-agreements-1991", "Agreement on a Comprehensive Political Settlement, article 5"),
    ("KHM", "1993-09-24", "1997-09-18", "Kingdom of Cambodia", "1",
     "The constitution of 24 September 1993 restored the kingdom.", "khmertimes-2017-un-membership",
     "membership history"),
    ("KHM", "1997-09-19", "1998-11", "vacant", "0",
     "The Credentials Committee seated neither rival delegation after the fighting of July 1997; "
     "no Cambodian votes are recorded in 1998.", "ppp-1997-09-26", "Credentials Committee decision "
     "of 19 September 1997"),
    ("KHM", "1998-12", "", "Kingdom of Cambodia", "1",
     "The seat was given back to the coalition government formed in November 1998.",
     "cambodiadaily-1998-12", "UN seat"),
    ("CHN", "1945-10-24", "1971-10-24", "Republic of China", "0",
     "The Republic of China held China's seat until General Assembly resolution 2758 (XXVI).",
     "unga-res-2758", "operative paragraph"),
    ("CHN", "1971-10-25", "", "People's Republic of China", "1",
     "General Assembly resolution 2758 (XXVI) of 25 October 1971 restored the seat to the "
     "People's Republic of China.", "unga-res-2758", "operative paragraph"),
    ("LAO", "1955-12-14", "1975-12-01", "Kingdom of Laos", "0",
     "Admitted with Cambodia on 14 December 1955; the Lao People's Democratic Republic was "
     "proclaimed on 2 December 1975.", "khmertimes-2017-un-membership", "admissions of 14 December "
     "1955"),
    ("LAO", "1975-12-02", "", "Lao People's Democratic Republic", "1",
     "The state of today.", "khmertimes-2017-un-membership", "admissions of 14 December 1955"),
]


def make_seats(countries):
    for r in UN_SEATS:
        if r[0] not in countries:
            fail("un_seats: %s not in countries" % r[0])
    write_tsv("un_seats.tsv", ["iso3", "date_from", "date_to", "holder", "current", "note",
                               "source_id", "locator"], UN_SEATS, [
        "Who held a country's UN General Assembly seat when: vote data name a seat, not a regime.",
        "current = 1 when the state of today holds the seat; claims and profiles label other periods.",
        "A country not listed is held by the state of today throughout.",
        "Generated by scripts/make_reference.py (table kept in the script).",
    ])


# --------------------------------------------------------------------------------------------
# sources.tsv
# --------------------------------------------------------------------------------------------
SOURCES = [
    ("geonames-countryinfo",
     "GeoNames country information (countryInfo.txt)",
     "GeoNames", "GeoNames", "", "https://www.geonames.org/", "CC BY 4.0",
     "Columns ISO, ISO3, fips and Country used for countries.tsv. Copy taken from "
     "aamend/spark-gdelt@c3f4cc5 : src/main/resources/com/aamend/spark/gdelt/reference/countryInfo.txt "
     "(raw/cameo/countryInfo.txt)."),
    ("icews-cameo-codes",
     "CAMEO event codes with Goldstein values (data-raw/cameo-codes.csv of the icews R package)",
     "Andreas Beger", "GitHub (andybega/icews)", "", "https://github.com/andybega/icews", "MIT",
     "Codes, labels and Goldstein values for cameo.tsv (raw/cameo/icews_cameo-codes.csv, "
     "andybega/icews@3746c72). The codes are those of Schrodt, P. A. (2012), CAMEO Conflict and "
     "Mediation Event Observations Event and Actor Codebook, version 1.1b3. quad is derived by the "
     "textbook root rule."),
    ("voeten-idealpoints",
     "United Nations General Assembly Voting Data: state ideal points, July 2025 release (1946-2024)",
     "Michael A. Bailey; Anton Strezhnev; Erik Voeten", "Harvard Dataverse", "2025-07",
     "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379", "CC0 1.0",
     "COW codes (ccode) joined to ISO3 (iso3c) for countries.tsv. Method: Bailey, Strezhnev and "
     "Voeten (2017), Estimating Dynamic State Preferences from United Nations Voting Data, Journal "
     "of Conflict Resolution 61(2). Copy from lucasbuildsapps/Masterthesis@5298218 "
     "(IdealpointsJuly2025.dta converted to CSV). Licence as stated by the unvotes package for this "
     "Dataverse dataset."),
    ("unvotes-pkg",
     "unvotes: United Nations General Assembly Voting Data (R package), country codes",
     "David Robinson; data by Erik Voeten", "GitHub (dgrtwo/unvotes)", "",
     "https://github.com/dgrtwo/unvotes", "MIT (package); CC0 (data)",
     "ISO alpha-2 codes and country names used to check countries.tsv and to fill "
     "country_aliases.tsv. Data: Erik Voeten, Data and Analyses of Voting in the UN General "
     "Assembly, in Routledge Handbook of International Organization, ed. Bob Reinalda (2013)."),
    ("asean-membership",
     "ASEAN member states and dates of admission",
     "ASEAN Secretariat", "ASEAN", "", "", "",
     "Dates for blocs.tsv taken from general reference (founding by the Bangkok Declaration, then "
     "each admission); the exact days may need checking against ASEAN's own pages."),
    ("khmertimes-2017-un-membership",
     "Cambodia's 62 years of membership at the UN",
     "Yaung Chan Sophea", "Khmer Times", "2017",
     "https://www.khmertimeskh.com/106882/cambodias-62-years-membership-un/", "",
     "Admission of Cambodia (and Laos) on 14 December 1955 (S/RES/109 (1955), A/RES/995 (X)); "
     "used for un_seats.tsv."),
    ("peangmeth-1974-credentials",
     "The question of the credentials of the Khmer Republic at the twenty-ninth session of the "
     "General Assembly",
     "A. Gaffar Peang-Meth", "Embassy of the Khmer Republic, Washington", "1974",
     "http://archive.org/stream/TheQuestionOfTheCredentialsOfTheKhmerRepublicAtTheTwenty-ninth/"
     "UNcambodia_djvu.txt", "", "The Khmer Republic's delegation held the seat in 1974."),
    ("csmonitor-1980-10-15",
     "Pol Pot's delegation seated again by UN",
     "", "The Christian Science Monitor", "1980-10-15",
     "https://www.csmonitor.com/1980/1015/101524.html", "",
     "The General Assembly confirmed Democratic Kampuchea's credentials in 1979 and 1980."),
    ("un-yearbook-1982",
     "Yearbook of the United Nations 1982, chapter VI (Asia): Kampuchea situation, credentials of "
     "Democratic Kampuchea",
     "United Nations", "United Nations", "1982",
     "", "",
     "The coalition government of June 1982 and the seat (the yearbook's chapter PDF on "
     "cdn.un.org, part one, chapter VI)."),
    ("paris-agreements-1991",
     "Agreement on a Comprehensive Political Settlement of the Cambodia Conflict (Paris, 23 "
     "October 1991), UN document A/46/608-S/23177",
     "", "United Nations", "1991-10-23", "", "",
     "The Supreme National Council represents Cambodia externally and occupies its UN seat during "
     "the transitional period. The date of the SNC's first seating (the 46th session, opened 17 "
     "September 1991) is taken from the session calendar."),
    ("ppp-1997-09-26",
     "Hun Sen left seatless at UN",
     "Huw Watkin; Jason Barber", "Phnom Penh Post", "1997-09-26",
     "https://www.phnompenhpost.com/national/hun-sen-left-seatless-un", "",
     "The Credentials Committee decided on 19 September 1997 to seat neither delegation."),
    ("cambodiadaily-1998-12",
     "Gov't gets support from US, boost from King Sihanouk: UN Assembly seat virtually secured",
     "", "The Cambodia Daily", "1998-12",
     "https://english.cambodiadaily.com/news/govt-gets-support-from-us-boost-from-king-sihanouk-12150/",
     "", "Cambodia had not been represented since September 1997; the seat was to be reclaimed in "
     "December 1998. The exact day is to be checked against the Credentials Committee's report."),
    ("undl-voting",
     "United Nations Digital Library: General Assembly voting records (2019-2025)",
     "United Nations", "United Nations Digital Library", "2025",
     "https://digitallibrary.un.org/", "Copyright United Nations; non-commercial use with "
     "attribution",
     "Roll calls and the votes of every member state, one record per resolution, read with bilat "
     "ingest undl from files that are not shipped (../shared/data/un_votes/undl_rudakov_*, a "
     "parse of the library's records by lefthand67/un_votes@38cae07; see data/SOURCES.md)."),
    ("usdos-voting-practices",
     "Report to Congress on Voting Practices in the United Nations (2019-2023), listing of "
     "important actions",
     "United States Department of State", "United States Department of State", "2023",
     "https://www.state.gov/voting-practices-in-the-united-nations/",
     "US federal government work (public domain)",
     "The General Assembly votes the Department lists as important each year; symbols parsed "
     "from the reports (markschaver/UN@cf5e937) into data/raw/un_votes/"
     "usdos_important_votes_2019_2023.csv."),
    ("unga-res-2758",
     "General Assembly resolution 2758 (XXVI): Restoration of the lawful rights of the People's "
     "Republic of China in the United Nations",
     "United Nations General Assembly", "United Nations", "1971-10-25",
     "", "", "Adopted on 25 October 1971 (twenty-sixth session)."),
]


def make_sources():
    write_tsv("sources.tsv", ["id", "title", "author", "publisher", "date", "url", "license", "note"],
              SOURCES, ["Sources of the reference tables. Generated by scripts/make_reference.py."])


def main():
    args = sys.argv[1:]
    external = None
    if args[:1] == ["--external"] and len(args) == 2:
        external = args[1]
    elif args:
        print("usage: python3 scripts/make_reference.py [--external DIR]", file=sys.stderr)
        return 2
    elif os.path.isdir(os.path.join("..", "..", "shared", "data")):
        external = os.path.join("..", "..", "shared", "data")
    if not os.path.isdir(RAW):
        print("error: run from the data/ directory (raw/ not found)", file=sys.stderr)
        return 2
    os.makedirs(OUT, exist_ok=True)
    make_vocabulary()
    make_cameo()
    countries = make_countries()
    make_aliases(countries, external)
    make_blocs(countries)
    make_seats(countries)
    make_sources()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
