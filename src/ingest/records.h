/*
 * records.h: readers for two record datasets (docs/EVENTS.md, "Speeches and finance projects"):
 *
 *   UNGDC        JSON lines, one UN General Debate statement a line: {"file", "iso3",
 *                "session", "year", "sha1", "text"} (UN General Debate Corpus; the shipped file
 *                holds Cambodia's and China's statements 1946-2024)
 *   AidData FD   CSV, one Chinese financial diplomacy project a row (AidData's China Public
 *                Diplomacy dataset v2.0, project details): project_id, year, donor,
 *                recipient_iso3, title, description, flow_class, amount, currency, usd_current,
 *                usd_defl [, type, category, flow, intent, status, crs_sector_name,
 *                funding_agencies]
 *
 * As in the other readers, a bad row goes to sink->reject with its line and the reason and
 * reading goes on; missing values are passed as missing. Country codes are passed as written:
 * the writer checks them against the store.
 */
#ifndef BILAT_INGEST_RECORDS_H
#define BILAT_INGEST_RECORDS_H

#include "bilat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One speech; strings valid during the sink call only. */
struct ungdc_row {
    uint64_t line;
    const char *file;  /* the corpus file name ("KHM_77_2022.txt"), or NULL */
    const char *iso3;  /* three upper-case letters (checked) */
    int session;       /* General Assembly session, 1.. */
    int year;          /* session + 1945 (checked) */
    const char *sha1;  /* 40 lower-case hex digits, checked against the text; or NULL */
    const char *text;  /* UTF-8, not empty */
    size_t text_len;
};

struct ungdc_sink {
    void *ctx;
    int (*speech)(void *ctx, const struct ungdc_row *r); /* 0 goes on, <0 stops */
    void (*reject)(void *ctx, uint64_t line, const char *msg);
};

/* Read a UNGDC JSON-lines file. Errors: those of reading the file, or the sink's. */
int ungdc_read(const char *path, struct ungdc_sink *sink, struct bilat_err *err);

/* The same over data[0..len) (not modified); returns 0 or the sink's status. */
int ungdc_parse(const char *data, size_t len, struct ungdc_sink *sink);

/* One financial diplomacy project. Text fields are NULL when empty. */
struct finproj_row {
    uint64_t line;
    const char *project_id, *donor, *recipient; /* recipient: ISO3 as written */
    int year;
    const char *type, *category, *flow, *flow_class, *intent, *status, *sector;
    const char *title, *description, *currency, *funding;
    double amount, usd_current, usd_2017; /* valid when the has_ flag is set */
    bool has_amount, has_current, has_2017;
};

struct finproj_sink {
    void *ctx;
    int (*project)(void *ctx, const struct finproj_row *r);
    void (*reject)(void *ctx, uint64_t line, const char *msg);
};

/* Read an AidData financial diplomacy file. Errors: reading the file, BILAT_EPARSE (a column
 * the format needs is missing from the header), or the sink's. */
int finproj_read(const char *path, struct finproj_sink *sink, struct bilat_err *err);

/* The same over bytes in memory (copied), named `name` in messages: for tests and fuzzing. */
int finproj_parse(const char *name, const char *data, size_t len, struct finproj_sink *sink,
                  struct bilat_err *err);

#endif
