/*
 * migrations.c: the SQL of every schema version (docs/STORE.md describes the tables).
 *
 * Conventions: dates are ISO 8601 text with the precision the source gives ('1996-02'); codes are
 * upper case text; missing values are NULL, never 0; every record loaded from a curated dataset
 * carries the dataset name (`dataset`) so that reloading can update and prune it.
 */
#include "store/migrations.h"

/*
 * The columns of `event` from id to locator, as version 1 made them and version 50 made them
 * again when it rebuilt the table: written once so that the two cannot differ. Both versions
 * have shipped, so this text never changes (a new column is a new migration).
 */
#define EVENT_COLUMNS_V1                                                                           \
    "  id INTEGER PRIMARY KEY,\n"                                                                  \
    "  ref TEXT,\n"                                                                                \
    "  date_from TEXT NOT NULL,\n"                                                                 \
    "  date_to TEXT,\n"                                                                            \
    "  precision TEXT NOT NULL CHECK (precision IN ('day','month','year','range')),\n"             \
    "  src_actor_id INTEGER REFERENCES actor(id),\n"                                               \
    "  tgt_actor_id INTEGER REFERENCES actor(id),\n"                                               \
    "  cameo TEXT,\n"                                                                              \
    "  goldstein REAL,\n"                                                                          \
    "  quad INTEGER CHECK (quad BETWEEN 1 AND 4),\n"                                               \
    "  channel TEXT,\n"                                                                            \
    "  mode TEXT,\n"                                                                               \
    "  level TEXT,\n"                                                                              \
    "  quantity REAL,\n"                                                                           \
    "  unit TEXT,\n"                                                                               \
    "  place TEXT,\n"                                                                              \
    "  note TEXT,\n"                                                                               \
    "  source_id TEXT REFERENCES source(id),\n"                                                    \
    "  locator TEXT,\n"

/*
 * The last columns of `ingest_file`, from first_date to ingested_at, as version 2 made them and
 * version 60 made them again when it rebuilt the table; shipped, so never changed.
 */
#define INGEST_FILE_LAST_COLUMNS_V2                                                                \
    "  first_date TEXT,\n"                                                                         \
    "  last_date TEXT,\n"                                                                          \
    "  first_added TEXT,\n"                                                                        \
    "  last_added TEXT,\n"                                                                         \
    "  status TEXT NOT NULL CHECK (status IN ('done','partial','empty')),\n"                       \
    "  note TEXT,\n"                                                                               \
    "  dedup TEXT NOT NULL CHECK (dedup IN ('none','daily','url')),\n"                             \
    "  ingested_at TEXT NOT NULL\n"

static const char schema_v1[] =
    "CREATE TABLE dataset(\n"
    "  name TEXT PRIMARY KEY,\n"
    "  path TEXT NOT NULL,\n"
    "  loaded_at TEXT NOT NULL,\n"
    "  files INTEGER NOT NULL,\n"
    "  records INTEGER NOT NULL\n"
    ");\n"
    /* reference tables */
    "CREATE TABLE vocabulary(\n"
    "  field TEXT NOT NULL CHECK (field IN ('channel','mode','level')),\n"
    "  value TEXT NOT NULL,\n"
    "  description TEXT,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (field, value)\n"
    ");\n"
    "CREATE TABLE cameo_code(\n"
    "  code TEXT PRIMARY KEY,\n"
    "  label TEXT NOT NULL,\n"
    "  goldstein REAL,\n"
    "  quad INTEGER CHECK (quad BETWEEN 1 AND 4),\n"
    "  root TEXT NOT NULL,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE TABLE country(\n"
    "  iso3 TEXT PRIMARY KEY,\n"
    "  iso2 TEXT,\n"
    "  fips TEXT,\n"
    "  cow INTEGER,\n"
    "  name TEXT NOT NULL,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE INDEX country_iso2 ON country(iso2);\n"
    "CREATE INDEX country_fips ON country(fips);\n"
    "CREATE INDEX country_cow ON country(cow);\n"
    "CREATE TABLE country_alias(\n"
    "  alias TEXT PRIMARY KEY COLLATE NOCASE,\n"
    "  iso3 TEXT REFERENCES country(iso3),\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE TABLE bloc(\n"
    "  bloc TEXT NOT NULL,\n"
    "  iso3 TEXT NOT NULL REFERENCES country(iso3),\n"
    "  date_from TEXT,\n"
    "  date_to TEXT,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (bloc, iso3)\n"
    ");\n"
    /* sources and actors */
    "CREATE TABLE source(\n"
    "  id TEXT PRIMARY KEY,\n"
    "  title TEXT NOT NULL,\n"
    "  author TEXT,\n"
    "  publisher TEXT,\n"
    "  date TEXT,\n"
    "  url TEXT,\n"
    "  license TEXT,\n"
    "  sha256 TEXT,\n"
    "  note TEXT,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE TABLE actor(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('state','party','person','organisation')),\n"
    "  country TEXT,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE INDEX actor_country ON actor(country);\n"
    "CREATE TABLE actor_alias(\n"
    "  actor_id INTEGER NOT NULL REFERENCES actor(id),\n"
    "  alias TEXT NOT NULL,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (actor_id, alias)\n"
    ");\n"
    "CREATE TABLE affiliation(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  person_id INTEGER NOT NULL REFERENCES actor(id),\n"
    "  org_id INTEGER NOT NULL REFERENCES actor(id),\n"
    "  role TEXT NOT NULL,\n"
    "  date_from TEXT NOT NULL DEFAULT '',\n"
    "  date_to TEXT,\n"
    "  source_id TEXT REFERENCES source(id),\n"
    "  locator TEXT,\n"
    "  dataset TEXT,\n"
    "  UNIQUE (person_id, org_id, role, date_from)\n"
    ");\n"
    /* events: curated, coded, and event-file records */
    "CREATE TABLE event(\n" EVENT_COLUMNS_V1
    "  origin TEXT NOT NULL CHECK (origin IN ('curated','coded','gdelt','icews')),\n"
    "  dataset TEXT,\n"
    "  UNIQUE (origin, ref)\n"
    ");\n"
    "CREATE INDEX event_date ON event(date_from);\n"
    "CREATE INDEX event_src ON event(src_actor_id);\n"
    "CREATE INDEX event_tgt ON event(tgt_actor_id);\n"
    /* indicators: partner '' means a country total */
    "CREATE TABLE indicator(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  country TEXT NOT NULL,\n"
    "  partner TEXT NOT NULL DEFAULT '',\n"
    "  name TEXT NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  value REAL,\n"
    "  qualifier TEXT CHECK (qualifier IN ('>','<','~')),\n"
    "  unit TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT,\n"
    "  note TEXT,\n"
    "  dataset TEXT,\n"
    "  UNIQUE (country, partner, name, period, source_id)\n"
    ");\n"
    "CREATE INDEX indicator_partner ON indicator(partner, country);\n"
    /* UN General Assembly roll calls and votes */
    "CREATE TABLE un_call(\n"
    "  rcid INTEGER PRIMARY KEY,\n"
    "  session INTEGER,\n"
    "  date TEXT,\n"
    "  resolution TEXT,\n"
    "  title TEXT,\n"
    "  important INTEGER NOT NULL DEFAULT 0 CHECK (important IN (0,1)),\n"
    "  source_id TEXT REFERENCES source(id),\n"
    "  locator TEXT,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE TABLE un_vote(\n"
    "  rcid INTEGER NOT NULL REFERENCES un_call(rcid),\n"
    "  country TEXT NOT NULL,\n"
    "  vote TEXT NOT NULL CHECK (vote IN ('yes','no','abstain','absent')),\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (rcid, country)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX un_vote_country ON un_vote(country, rcid);\n";

/*
 * Version 2: event files (GDELT, ICEWS). Each ingested file has one ingest_file row (its
 * content hash makes re-ingesting idempotent); its aggregates are event_cube rows and its
 * per-day row counts ingest_coverage rows, both tied to the file so that a file can be replaced
 * as a whole. Empty codes are NULL. Queries sum the cube over files.
 */
static const char schema_v2[] =
    "CREATE TABLE ingest_file(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  path TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  size INTEGER NOT NULL,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  origin TEXT NOT NULL CHECK (origin IN ('gdelt','icews')),\n"
    "  format TEXT NOT NULL,\n"
    "  rows_read INTEGER NOT NULL,\n"
    "  rows_rejected INTEGER NOT NULL,\n" INGEST_FILE_LAST_COLUMNS_V2 ");\n"
    "CREATE INDEX ingest_file_path ON ingest_file(path);\n"
    "CREATE TABLE event_cube(\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_file(id),\n"
    "  day TEXT NOT NULL,\n"
    "  actor1_country TEXT,\n"
    "  actor2_country TEXT,\n"
    "  actor1_type TEXT,\n"
    "  actor2_type TEXT,\n"
    "  event_code TEXT,\n"
    "  root_code TEXT,\n"
    "  quad INTEGER CHECK (quad BETWEEN 1 AND 4),\n"
    "  events INTEGER NOT NULL,\n"
    "  events_dedup INTEGER NOT NULL,\n"
    "  root_events INTEGER,\n"
    "  goldstein_sum REAL,\n"
    "  mentions INTEGER,\n"
    "  sources INTEGER,\n"
    "  articles INTEGER,\n"
    "  tone_sum REAL,\n"
    "  lag_days_sum INTEGER\n"
    ");\n"
    "CREATE INDEX event_cube_dyad ON event_cube(actor1_country, actor2_country, day);\n"
    "CREATE TABLE ingest_coverage(\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_file(id),\n"
    "  day TEXT NOT NULL,\n"
    "  rows INTEGER NOT NULL,\n"
    "  first_date TEXT,\n"
    "  last_date TEXT,\n"
    "  PRIMARY KEY (file_id, day)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX ingest_coverage_day ON ingest_coverage(day);\n"
    /* denominators: all events per day, and per day and actor country */
    "CREATE VIEW event_volume_day AS\n"
    "  SELECT day, sum(events) AS events, sum(events_dedup) AS events_dedup\n"
    "  FROM event_cube GROUP BY day;\n"
    "CREATE VIEW event_volume_country AS\n"
    "  SELECT day, country, sum(events) AS events, sum(events_dedup) AS events_dedup FROM (\n"
    "    SELECT day, actor1_country AS country, events, events_dedup FROM event_cube\n"
    "    WHERE actor1_country IS NOT NULL\n"
    "    UNION ALL\n"
    "    SELECT day, actor2_country, events, events_dedup FROM event_cube\n"
    "    WHERE actor2_country IS NOT NULL AND actor2_country IS NOT actor1_country)\n"
    "  GROUP BY day, country;\n";

/*
 * Version 3: the event volume per file and event day (events and deduplicated events of every
 * cell of the day), written by the ingest next to the cube. The denominators of the profile and
 * of event_volume_day read it instead of summing the whole cube: a 28-year file holds 1.9
 * million cube rows but 10,000 days. Stores ingested before are filled from their cube.
 */
static const char schema_v3[] =
    "CREATE TABLE event_volume(\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_file(id),\n"
    "  day TEXT NOT NULL,\n"
    "  events INTEGER NOT NULL,\n"
    "  events_dedup INTEGER NOT NULL,\n"
    "  PRIMARY KEY (file_id, day)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO event_volume(file_id, day, events, events_dedup)\n"
    "  SELECT file_id, day, sum(events), sum(events_dedup) FROM event_cube GROUP BY file_id, day;\n"
    "DROP VIEW event_volume_day;\n"
    "CREATE VIEW event_volume_day AS\n"
    "  SELECT day, sum(events) AS events, sum(events_dedup) AS events_dedup\n"
    "  FROM event_volume GROUP BY day;\n";

/*
 * Version 10: UN votes and alignment measures. un_call gains the roll-call description, the
 * amendment / paragraph flags of the Voeten data and whether the important-vote flag is known
 * (the source marks it NA for 605 roll calls: `important` is then 0 and `important_known` 0).
 * The index of votes by country becomes a covering index (country, rcid, vote), so that one
 * country's votes are read without a table lookup per row (the single-dyad query).
 * Issue tags get their own table (a roll call can carry several); Bailey-Strezhnev-Voeten ideal
 * points are stored per country and year with the three estimates the file gives. Ingested rows
 * carry dataset 'ingest:unvotes' or 'ingest:idealpoints' (never a curated directory name), so
 * that `bilat load` never prunes them.
 */
static const char schema_v10[] =
    "ALTER TABLE un_call ADD COLUMN description TEXT;\n"
    "ALTER TABLE un_call ADD COLUMN amend INTEGER CHECK (amend IN (0,1));\n"
    "ALTER TABLE un_call ADD COLUMN para INTEGER CHECK (para IN (0,1));\n"
    "ALTER TABLE un_call ADD COLUMN important_known INTEGER NOT NULL DEFAULT 1 "
    "CHECK (important_known IN (0,1));\n"
    /* covering: a country's votes are read from the index alone, without a lookup per row */
    "DROP INDEX un_vote_country;\n"
    "CREATE INDEX un_vote_country ON un_vote(country, rcid, vote);\n"
    "CREATE INDEX un_call_date ON un_call(date);\n"
    "CREATE INDEX un_call_session ON un_call(session);\n"
    "CREATE TABLE un_issue(\n"
    "  rcid INTEGER NOT NULL REFERENCES un_call(rcid),\n"
    "  code TEXT NOT NULL,\n"
    "  issue TEXT NOT NULL,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (rcid, code)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX un_issue_code ON un_issue(code, rcid);\n"
    "CREATE TABLE ideal_point(\n"
    "  country TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  session INTEGER NOT NULL,\n"
    "  cow INTEGER,\n"
    "  value REAL,\n"
    "  value_fp REAL,\n"
    "  value_legacy REAL,\n"
    "  nvotes INTEGER,\n"
    "  nvotes_fp INTEGER,\n"
    "  nvotes_legacy INTEGER,\n"
    "  source_id TEXT REFERENCES source(id),\n"
    "  locator TEXT,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (country, year)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX ideal_point_year ON ideal_point(year, country);\n";

/* Version 20: how each machine-coded event was coded (bilat code --store, docs/CODER.md). */
static const char schema_v20[] =
    "CREATE TABLE coded_event(\n"
    "  event_id INTEGER PRIMARY KEY REFERENCES event(id) ON DELETE CASCADE,\n"
    "  sentence_id TEXT NOT NULL,\n"
    "  input TEXT NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  src_code TEXT NOT NULL,\n"
    "  tgt_code TEXT,\n"
    "  src_entity TEXT,\n"
    "  tgt_entity TEXT,\n"
    "  src_text TEXT NOT NULL,\n"
    "  tgt_text TEXT,\n"
    "  verb_text TEXT NOT NULL,\n"
    "  src_entry TEXT,\n"
    "  tgt_entry TEXT,\n"
    "  pattern TEXT,\n"
    "  flags TEXT\n"
    ");\n";

/*
 * Version 30: claims, concepts (narratives). A claim is one check of a brief's statement: SQL
 * over the store or a named measure (analytics/claims.c), with the expectation its result must
 * meet; a claim of method 'all' holds no check and is the conjunction of its parts (part_of).
 * Concepts are doctrines and initiatives with their owner, date and listed principles
 * (principle keys are the curator's normalised names, so that two concepts can be compared);
 * adoptions record who else endorsed a concept, and when.
 */
static const char schema_v30[] =
    "CREATE TABLE claim(\n"
    "  id TEXT PRIMARY KEY,\n"
    "  part_of TEXT REFERENCES claim(id),\n"
    "  a TEXT,\n"
    "  b TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  method TEXT NOT NULL CHECK (method IN ('sql','measure','all')),\n"
    "  check_expr TEXT,\n"
    "  expect TEXT,\n"
    "  unavailable TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  position INTEGER NOT NULL,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE INDEX claim_part_of ON claim(part_of);\n"
    "CREATE TABLE concept(\n"
    "  id TEXT PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  owner_id INTEGER NOT NULL REFERENCES actor(id),\n"
    "  date TEXT,\n"
    "  kind TEXT,\n"
    "  description TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE TABLE concept_principle(\n"
    "  concept_id TEXT NOT NULL REFERENCES concept(id),\n"
    "  principle TEXT NOT NULL,\n"
    "  label TEXT NOT NULL,\n"
    "  position INTEGER NOT NULL,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (concept_id, principle)\n"
    ");\n"
    "CREATE INDEX concept_principle_key ON concept_principle(principle);\n"
    "CREATE TABLE concept_adoption(\n"
    "  concept_id TEXT NOT NULL REFERENCES concept(id),\n"
    "  actor_id INTEGER NOT NULL REFERENCES actor(id),\n"
    "  date_from TEXT NOT NULL DEFAULT '',\n"
    "  date_to TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (concept_id, actor_id, date_from)\n"
    ");\n";

/*
 * Version 40: verdicts a reviewer can accept (docs/CLAIMS.md) and recent UN votes.
 *   - claim.stated: whether the brief states the claim ('brief') or the claim is our reading of
 *     it ('inferred', e.g. "rising" for "intensified"), so that a verdict never refutes an author
 *     for words the author did not write;
 *   - source.via: the source a source takes its figure from ("as reported by"), so that a
 *     figure repeated from the claim's own source is not counted as independent evidence;
 *   - un_seat: who held a country's UN seat when (a seat is not a regime: Democratic Kampuchea
 *     cast "Cambodia's" votes until 1982), with sources;
 *   - record_coverage: a dataset's declaration that a source records every event of some kind
 *     over a period, the only ground on which a year without records may count as zero;
 *   - un_vote.vote gains 'nonvoting' (present and listed without a vote in UN Digital Library
 *     records, kept apart from 'absent'): the table is rebuilt, as SQLite cannot change a CHECK;
 *   - un_call.important_source names who flagged a roll call important (the State Department's
 *     reports for 2019 on); un_call.undl_id the UN Digital Library record of a roll call;
 *   - un_issue.excluded marks issue tags left out of their year's breakdown because they repeat
 *     another tag's roll calls exactly (a data error), with the reason.
 */
static const char schema_v40[] =
    "ALTER TABLE claim ADD COLUMN stated TEXT NOT NULL DEFAULT 'brief' "
    "CHECK (stated IN ('brief','inferred'));\n"
    "ALTER TABLE source ADD COLUMN via TEXT;\n"
    "CREATE TABLE un_seat(\n"
    "  iso3 TEXT NOT NULL,\n"
    "  date_from TEXT NOT NULL,\n"
    "  date_to TEXT,\n"
    "  holder TEXT NOT NULL,\n"
    "  current INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0,1)),\n"
    "  note TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (iso3, date_from)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE record_coverage(\n"
    "  id TEXT PRIMARY KEY,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  date_from TEXT NOT NULL,\n"
    "  date_to TEXT NOT NULL,\n"
    "  scope TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  locator TEXT NOT NULL,\n"
    "  dataset TEXT\n"
    ");\n"
    "CREATE INDEX record_coverage_source ON record_coverage(source_id);\n"
    /* the whole years a coverage record covers: the years a count may be zero */
    "CREATE VIEW record_coverage_year AS\n"
    "  WITH RECURSIVE y(id, year, last) AS (\n"
    "    SELECT id, CAST(substr(date_from, 1, 4) AS INTEGER), CAST(substr(date_to, 1, 4) AS INTEGER)\n"
    "    FROM record_coverage\n"
    "    UNION ALL SELECT id, year + 1, last FROM y WHERE year < last)\n"
    "  SELECT DISTINCT c.source_id, y.year FROM y JOIN record_coverage c ON c.id = y.id\n"
    "  WHERE c.date_from <= y.year || '-01-01'\n"
    "    AND (c.date_to >= y.year || '-12-31' OR c.date_to IN (y.year || '', y.year || '-12'));\n"
    "CREATE TABLE un_vote_new(\n"
    "  rcid INTEGER NOT NULL REFERENCES un_call(rcid),\n"
    "  country TEXT NOT NULL,\n"
    "  vote TEXT NOT NULL CHECK (vote IN ('yes','no','abstain','absent','nonvoting')),\n"
    "  dataset TEXT,\n"
    "  PRIMARY KEY (rcid, country)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO un_vote_new(rcid, country, vote, dataset)\n"
    "  SELECT rcid, country, vote, dataset FROM un_vote ORDER BY rcid, country;\n"
    "DROP TABLE un_vote;\n"
    "ALTER TABLE un_vote_new RENAME TO un_vote;\n"
    "CREATE INDEX un_vote_country ON un_vote(country, rcid, vote);\n"
    "ALTER TABLE un_call ADD COLUMN important_source TEXT;\n"
    "ALTER TABLE un_call ADD COLUMN undl_id INTEGER;\n"
    "CREATE INDEX un_call_resolution ON un_call(resolution);\n"
    "ALTER TABLE un_issue ADD COLUMN excluded TEXT;\n";

/*
 * Version 50: independent evidence (docs/STORE.md). Events gain the origin 'imported': a record
 * read from a structured dataset by a built-in importer (ChinaVitae engagements, CEIAS visits).
 * SQLite cannot change a CHECK constraint in place, so `event` is rebuilt: copied into a new
 * table, the old one dropped, the new one renamed. The coded_event rows that refer to it are
 * kept aside in a temporary table and put back once the new `event` has the same ids: with
 * foreign keys on, dropping `event` would delete them by cascade; with them off (the runner
 * turns them off and checks them before committing) they stay, and are replaced.
 *
 * event_import keeps how an imported event was made (coded by the event coder, or an engagement
 * record built from the row's fields because the coder's reading did not fit the row, with the
 * reason and what the coder gave); speech holds UN General Debate statements; finance_project
 * the projects of AidData's financial diplomacy data.
 */
static const char schema_v50[] =
    "CREATE TABLE event_v50(\n" EVENT_COLUMNS_V1
    "  origin TEXT NOT NULL CHECK (origin IN ('curated','coded','gdelt','icews','imported')),\n"
    "  dataset TEXT,\n"
    "  UNIQUE (origin, ref)\n"
    ");\n"
    "INSERT INTO event_v50(id, ref, date_from, date_to, precision, src_actor_id, tgt_actor_id,\n"
    "  cameo, goldstein, quad, channel, mode, level, quantity, unit, place, note, source_id,\n"
    "  locator, origin, dataset)\n"
    "  SELECT id, ref, date_from, date_to, precision, src_actor_id, tgt_actor_id, cameo,\n"
    "  goldstein, quad, channel, mode, level, quantity, unit, place, note, source_id, locator,\n"
    "  origin, dataset FROM event;\n"
    "CREATE TEMP TABLE coded_event_v50 AS SELECT * FROM coded_event;\n"
    "DROP TABLE event;\n"
    "ALTER TABLE event_v50 RENAME TO event;\n"
    "DELETE FROM coded_event;\n" /* (emptied already when foreign keys are on) */
    "INSERT INTO coded_event SELECT * FROM temp.coded_event_v50;\n"
    "DROP TABLE temp.coded_event_v50;\n"
    "CREATE INDEX event_date ON event(date_from);\n"
    "CREATE INDEX event_src ON event(src_actor_id);\n"
    "CREATE INDEX event_tgt ON event(tgt_actor_id);\n"
    "CREATE INDEX event_dataset ON event(dataset, locator);\n"
    "CREATE TABLE event_import(\n"
    "  event_id INTEGER PRIMARY KEY REFERENCES event(id) ON DELETE CASCADE,\n"
    "  input TEXT NOT NULL,\n"
    "  line INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('coded','uncoded','record')),\n"
    "  reason TEXT,\n"
    "  counterpart TEXT,\n"
    "  coder TEXT,\n"
    "  pattern TEXT\n"
    ");\n"
    "CREATE TABLE speech(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  actor TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  session INTEGER,\n"
    "  delegation TEXT,\n"
    "  words INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  sha1 TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  dataset TEXT,\n"
    "  UNIQUE (actor, year, source_id)\n"
    ");\n"
    "CREATE INDEX speech_year ON speech(year, actor);\n"
    "CREATE TABLE speech_term(\n"
    "  speech_id INTEGER NOT NULL REFERENCES speech(id) ON DELETE CASCADE,\n"
    "  term TEXT NOT NULL,\n"
    "  hits INTEGER NOT NULL CHECK (hits > 0),\n"
    "  variant TEXT NOT NULL,\n"
    "  PRIMARY KEY (speech_id, term)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX speech_term_term ON speech_term(term);\n"
    "CREATE TABLE finance_project(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  project_id TEXT NOT NULL,\n"
    "  donor TEXT NOT NULL,\n"
    "  recipient TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  type TEXT,\n"
    "  category TEXT,\n"
    "  flow TEXT,\n"
    "  flow_class TEXT,\n"
    "  intent TEXT,\n"
    "  status TEXT,\n"
    "  sector TEXT,\n"
    "  title TEXT,\n"
    "  description TEXT,\n"
    "  amount REAL,\n"
    "  currency TEXT,\n"
    "  usd_current REAL,\n"
    "  usd_2017 REAL,\n"
    "  funding_agencies TEXT,\n"
    "  source_id TEXT NOT NULL REFERENCES source(id),\n"
    "  locator TEXT NOT NULL,\n"
    "  dataset TEXT,\n"
    "  UNIQUE (project_id, source_id)\n"
    ");\n"
    "CREATE INDEX finance_project_dyad ON finance_project(recipient, donor, year);\n";

/*
 * Version 60: a file is known by its content, and every file of a batch is recorded.
 * ingest_file is rebuilt (SQLite cannot relax a column constraint in place): `sha256` (the
 * digest of the file as stored, the one `sha256sum` prints) may be NULL when the file could not
 * be read to its end, `content_sha256` is the digest of the decompressed content (the file's
 * identity: the same export as .CSV, .gz or .zip, under any name, is one file; NULL for a
 * damaged file and for files recorded before this version), `container` says how it was
 * compressed and `rows_duplicate` how many of its rows were left out because their
 * GLOBALEVENTID is held by another file. ingest_event_id keeps the GLOBALEVENTIDs a file
 * counted (counted = 1) and those it left out as other files' (0), as runs of consecutive ids
 * (an export's ids are one run), so that an event is counted once whatever file brings it,
 * and a file whose events another one left out can be found when it is replaced.
 * ingest_duplicate lists the files skipped because their content is that of a file in the store
 * (`bilat coverage --duplicates`). The digests are indexed, not unique: a new version of a file
 * may be byte for byte another recorded file.
 */
static const char schema_v60[] =
    "CREATE TABLE ingest_file_v60(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  path TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  size INTEGER NOT NULL,\n"
    "  sha256 TEXT,\n"
    "  content_sha256 TEXT,\n"
    "  container TEXT CHECK (container IN ('plain','gzip','zip')),\n"
    "  origin TEXT NOT NULL CHECK (origin IN ('gdelt','icews')),\n"
    "  format TEXT NOT NULL,\n"
    "  rows_read INTEGER NOT NULL,\n"
    "  rows_rejected INTEGER NOT NULL,\n"
    "  rows_duplicate INTEGER NOT NULL DEFAULT 0,\n" INGEST_FILE_LAST_COLUMNS_V2 ");\n"
    "INSERT INTO ingest_file_v60(id, path, name, size, sha256, origin, format, rows_read,\n"
    "  rows_rejected, first_date, last_date, first_added, last_added, status, note, dedup,\n"
    "  ingested_at)\n"
    "  SELECT id, path, name, size, nullif(sha256, ''), origin, format, rows_read,\n"
    "    rows_rejected, first_date, last_date, first_added, last_added, status, note, dedup,\n"
    "    ingested_at FROM ingest_file;\n"
    "DROP TABLE ingest_file;\n"
    "ALTER TABLE ingest_file_v60 RENAME TO ingest_file;\n"
    "CREATE INDEX ingest_file_path ON ingest_file(path);\n"
    "CREATE INDEX ingest_file_sha256 ON ingest_file(sha256);\n"
    "CREATE INDEX ingest_file_content ON ingest_file(content_sha256);\n"
    "CREATE TABLE ingest_event_id(\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_file(id),\n"
    "  counted INTEGER NOT NULL CHECK (counted IN (0,1)),\n"
    "  lo INTEGER NOT NULL,\n"
    "  hi INTEGER NOT NULL,\n"
    "  PRIMARY KEY (file_id, counted, lo)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE ingest_duplicate(\n"
    "  path TEXT NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  size INTEGER NOT NULL,\n"
    "  sha256 TEXT,\n"
    "  content_sha256 TEXT NOT NULL,\n"
    "  container TEXT,\n"
    "  duplicate_of INTEGER NOT NULL REFERENCES ingest_file(id),\n"
    "  seen_at TEXT NOT NULL,\n"
    "  PRIMARY KEY (path, content_sha256)\n"
    ");\n"
    "CREATE INDEX ingest_duplicate_of ON ingest_duplicate(duplicate_of);\n";

/*
 * Version 70: what `bilat update` fetched (src/net/update.c). fetch_file has one row per file a
 * GDELT file list named within a run's period, known by its name (GDELT's identity of a file:
 * the same name at another URL is the same file): the size and MD5 the list gives, where the
 * file stands (listed, fetched, ingested, failed, rejected) and why, where it is on disk, and
 * the ingest_file row it became. file_id is not a foreign key: an ingest replaces an earlier
 * version of a file by deleting its row, with foreign keys off (evstore.c), and the lookup is
 * by join. A listed file that is not ingested is a gap in the coverage. fetch_run records each
 * run (finished_at stays NULL when a run was stopped).
 */
static const char schema_v70[] =
    "CREATE TABLE fetch_file(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  url TEXT NOT NULL,\n"
    "  origin TEXT NOT NULL CHECK (origin IN ('gdelt')),\n"
    "  kind TEXT NOT NULL,\n"
    "  slot TEXT,\n"
    "  size INTEGER NOT NULL,\n"
    "  md5 TEXT NOT NULL,\n"
    "  status TEXT NOT NULL\n"
    "    CHECK (status IN ('listed','fetched','ingested','failed','rejected')),\n"
    "  reason TEXT,\n"
    "  path TEXT,\n"
    "  kept INTEGER NOT NULL DEFAULT 0 CHECK (kept IN (0,1)),\n"
    "  file_id INTEGER,\n"
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"
    "  listed_at TEXT NOT NULL,\n"
    "  tried_at TEXT,\n"
    "  ingested_at TEXT\n"
    ");\n"
    "CREATE INDEX fetch_file_slot ON fetch_file(slot);\n"
    "CREATE INDEX fetch_file_status ON fetch_file(status);\n"
    "CREATE TABLE fetch_run(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  source TEXT NOT NULL,\n"
    "  since TEXT,\n"
    "  until TEXT,\n"
    "  started_at TEXT NOT NULL,\n"
    "  finished_at TEXT,\n"
    "  listed INTEGER NOT NULL,\n"
    "  wanted INTEGER NOT NULL,\n"
    "  ingested INTEGER,\n"
    "  known INTEGER,\n"
    "  failed INTEGER,\n"
    "  rejected INTEGER\n"
    ");\n";

/*
 * Version 90: summaries kept for speed (docs/STORE.md, "Summaries"). un_panel holds the UN vote
 * panel of one kind of period (by = 0: calendar years, 1: sessions): every roll call and every
 * country's votes as bit sets (analytics/votes.c), encoded, so that a vote measure reads one row
 * instead of the vote table. It is a copy, never a source: a writer of un_call, un_vote or
 * un_issue deletes it in its own transaction (store_votes_changed()), a load or an ingest builds
 * it again, and a reader that finds none builds the panel from the tables. `stamp` changes with
 * every build, so that a process that holds a decoded panel knows whether it is still current.
 *
 * store_state.generation counts the store's write transactions (store_begin()): a summary that
 * depends on everything, such as the judged claims of a dyad, records the generation it was
 * built at and is current while it has not moved. dyad_summary holds such summaries for the
 * dyads the store is about (the dyads of its claims): `kind` names the summary ('align': the
 * bootstrap intervals of the yearly agreement and of the ranks; 'claims': the profile's claims
 * section), `key` what it was built from, `data` the summary as JSON.
 */
static const char schema_v90[] =
    "CREATE TABLE un_panel(\n"
    "  by INTEGER PRIMARY KEY CHECK (by IN (0, 1)),\n"
    "  stamp INTEGER NOT NULL,\n"
    "  built_at TEXT NOT NULL,\n"
    "  calls INTEGER NOT NULL,\n"
    "  countries INTEGER NOT NULL,\n"
    "  data BLOB NOT NULL\n"
    ");\n"
    "CREATE TABLE store_state(\n"
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  generation INTEGER NOT NULL\n"
    ");\n"
    "INSERT INTO store_state(id, generation) VALUES (1, 1);\n"
    "CREATE TABLE dyad_summary(\n"
    "  a TEXT NOT NULL,\n"
    "  b TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  key TEXT NOT NULL,\n"
    "  built_at TEXT NOT NULL,\n"
    "  data TEXT NOT NULL,\n"
    "  PRIMARY KEY (a, b, kind)\n"
    ") WITHOUT ROWID;\n";

/*
 * Version 91: event_day, the event files summed by day, so that a profile reads one row a day
 * instead of one a file and day (ten files of events added over 28 years hold 100,000 coverage
 * rows, and three statements of a profile grouped them by day or month each time). `files` and
 * `daily_files` count the files whose events were added that day (ingest_coverage), all of them
 * and those that are not GDELT 2.0 exports (a daily file covers its day whole, an export a
 * 15-minute slice); `events` and `events_dedup` sum event_volume (by event day). The ingest
 * adds a file's rows and takes away those of a file it replaces, in the file's transaction
 * (store/evstore.c); `bilat sql --write` builds it again; filled here from the tables.
 */
static const char schema_v91[] =
    "CREATE TABLE event_day(\n"
    "  day TEXT PRIMARY KEY,\n"
    "  files INTEGER NOT NULL DEFAULT 0,\n"
    "  daily_files INTEGER NOT NULL DEFAULT 0,\n"
    "  events INTEGER NOT NULL DEFAULT 0,\n"
    "  events_dedup INTEGER NOT NULL DEFAULT 0\n"
    ") WITHOUT ROWID;\n" STORE_EVENT_DAY_FILL ";\n";

/*
 * Version 92: event_month, the event cube summed by dyad of countries, month, quad class and
 * file. Version 93 made it again, by origin instead of file, and fills it: this one is left
 * empty.
 */
static const char schema_v92[] =
    "CREATE TABLE event_month(\n"
    "  actor1_country TEXT NOT NULL,\n"
    "  actor2_country TEXT NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  quad INTEGER NOT NULL,\n"
    "  file_id INTEGER NOT NULL REFERENCES ingest_file(id),\n"
    "  events INTEGER NOT NULL,\n"
    "  events_dedup INTEGER NOT NULL,\n"
    "  goldstein_sum REAL,\n"
    "  PRIMARY KEY (actor1_country, actor2_country, month, quad, file_id)\n"
    ") WITHOUT ROWID;\n";

/*
 * Version 93: event_month by origin instead of file, and event_month_total, event_day summed by
 * month. A profile read event_month's rows of its dyad three times: by file, ten files of
 * 200,000 events over 28 years held 17,646 rows of KHM-CHN; by origin, 2,686. It also grouped
 * event_day's 10,230 days five times for its monthly and yearly tables; event_month_total holds
 * 337 months. Cells without both countries are left out of event_month (no dyad asks for them);
 * a cell without a quad class counts under quad 0; `goldstein_e6`, the sum of the Goldstein
 * values in millionths, is an integer, so that its sums are exact in any order (the cells' REAL
 * sums, added in another order by another path, can fall on either side of a mean's rounding).
 * event_month_total: `days` the days a file covers, `covered` the coverage in 96ths of a day (a
 * daily file's day is whole, a GDELT 2.0 export a 15-minute slice), `events` and `events_dedup`
 * all events of the month. The ingest adds a file's months and, for a file it replaces, sums the
 * months it touched again from the other files, in the file's transaction (store/evstore.c,
 * store/event_month.c, store/event_day.c); `bilat sql --write` builds both again; filled here
 * from the tables.
 */
static const char schema_v93[] =
    "DROP TABLE event_month;\n"
    "CREATE TABLE event_month(\n"
    "  actor1_country TEXT NOT NULL,\n"
    "  actor2_country TEXT NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  quad INTEGER NOT NULL,\n"
    "  origin TEXT NOT NULL,\n"
    "  events INTEGER NOT NULL,\n"
    "  events_dedup INTEGER NOT NULL,\n"
    "  goldstein_e6 INTEGER,\n"
    "  PRIMARY KEY (actor1_country, actor2_country, month, quad, origin)\n"
    ") WITHOUT ROWID;\n" STORE_EVENT_MONTH_FILL ";\n"
    "CREATE TABLE event_month_total(\n"
    "  month TEXT PRIMARY KEY,\n"
    "  days INTEGER NOT NULL,\n"
    "  covered INTEGER NOT NULL,\n"
    "  events INTEGER NOT NULL,\n"
    "  events_dedup INTEGER NOT NULL\n"
    ") WITHOUT ROWID;\n" STORE_EVENT_MONTH_TOTAL_FILL("") ";\n";

/*
 * Version 94: the cube's index by file, then dyad and day (event_cube_file), instead of by dyad
 * and day (event_cube_dyad, version 2). A file's cells spread over many years and dyads went
 * into the dyad index among those of every earlier file, on every page of it: each such file
 * rewrote the whole index, so that a store's files took time in the square of their number; a
 * batch of files dropped the index and built it again at its end (11 s for the 18 million rows
 * of ten 2-million-row files). By file first, a file's rows are appended, and a replaced file's
 * rows are found without reading the whole cube. The queries of a dyad go through its files
 * (ingest_file, a search of the index each) or event_month; the profile reads event_month.
 */
static const char schema_v94[] =
    "DROP INDEX IF EXISTS event_cube_dyad;\n"
    "CREATE INDEX IF NOT EXISTS event_cube_file ON event_cube(file_id, actor1_country, "
    "actor2_country, day);\n";

static const struct store_migration migrations[] = {
    {1, "foundation: sources, actors, events, indicators, UN votes, reference tables", schema_v1},
    {2, "event files: ingest_file, event_cube, ingest_coverage, volume views", schema_v2},
    {3, "event files: event_volume (events per file and day)", schema_v3},
    {10, "UN votes: roll-call descriptions, issue tags, ideal points", schema_v10},
    {20, "event coder: coded_event (actor codes, texts, dictionary entries, verb pattern)",
     schema_v20},
    {30, "claims, concepts, concept principles and adoptions", schema_v30},
    {40, "verdicts: claim.stated, source.via, un_seat, record_coverage; UN votes: nonvoting, "
         "important_source, undl_id, excluded issue tags",
     schema_v40},
    {50, "evidence: imported events (event_import), speeches and their terms, finance projects",
     schema_v50},
    {60, "event files: content identity, every file of a batch recorded, event ids, duplicates",
     schema_v60},
    {70, "bilat update: fetch_file (files of GDELT's lists), fetch_run", schema_v70},
    {90, "summaries: un_panel (the UN vote panel, encoded), store_state (the write generation), "
         "dyad_summary",
     schema_v90},
    {91, "summaries: event_day (event files' coverage and volume by day)", schema_v91},
    {92, "summaries: event_month (the event cube by dyad, month, quad class and file)",
     schema_v92},
    {93, "summaries: event_month by origin, event_month_total (event_day by month)", schema_v93},
    {94, "event files: the cube's index by file, dyad and day", schema_v94},
};

const struct store_migration *store_migrations(size_t *n_out)
{
    *n_out = sizeof(migrations) / sizeof(migrations[0]);
    return migrations;
}
