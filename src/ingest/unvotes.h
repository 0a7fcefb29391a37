/*
 * unvotes.h: readers for UN General Assembly voting data: roll calls, issue tags, votes and
 * ideal points (docs/STORE.md, docs/MEASURES.md).
 *
 * A file is recognised by its header (column names, case-insensitive, in any order):
 *   roll calls   rcid, session, date [, importantvote|important, unres|resolution,
 *                short|title, descr|description, amend, para]      (Voeten / unvotes layout)
 *   issue tags   rcid, short_name|code, issue
 *   votes        rcid, cc|country_code|country, vote               (the all-countries file of
 *                the unvotes package, its selected-countries file, or any CSV in that shape)
 *   ideal points ccode, year, idealpointall [, iso3c, idealpointfp, idealpointlegacy,
 *                nvotesall, nvotesfp, nvoteslegacy]                 (Bailey-Strezhnev-Voeten)
 * Files may be gzip-compressed (read through zlib, which passes plain files through).
 *
 * The reader knows nothing of SQL or of country codes: it checks every value it can check on
 * its own (integers, dates, vote words), hands each good row to the sink and each bad row to
 * sink->reject with its line, and goes on, so that every bad row of a file is reported. Country
 * fields are passed as written, with a flag telling whether they were quoted: in the unvotes
 * files the quoted code "NA" is Namibia while an unquoted NA is a missing code.
 */
#ifndef BILAT_INGEST_UNVOTES_H
#define BILAT_INGEST_UNVOTES_H

#include "bilat.h"
#include "core/buf.h"

#include <stdbool.h>
#include <stdint.h>

/* Roll-call ids are positive and below 2^31 (Voeten's run to about 9,000; curated ones start at
 * 900000). */
#define UNV_MAX_RCID 2147483647

enum unv_kind { UNV_UNKNOWN = 0, UNV_CALLS, UNV_ISSUES, UNV_VOTES, UNV_IDEAL };

/* The vote codes the store keeps; 'm' (non-member) is reported but never stored. */
enum unv_vote {
    UNV_YES = 'y',
    UNV_ABSTAIN = 'a',
    UNV_NO = 'n',
    UNV_ABSENT = 'x',
    UNV_NONMEMBER = 'm'
};

struct unv_call {
    int64_t rcid;
    int64_t session; /* valid when has_session */
    bool has_session;
    const char *date;        /* YYYY-MM-DD (checked) */
    int important;           /* 0/1; -1 when the file marks it missing (NA) */
    int amend, para;         /* 0/1; -1 when missing */
    const char *resolution;  /* or NULL */
    const char *title;       /* or NULL */
    const char *description; /* or NULL */
    uint64_t line;
};

struct unv_issue {
    int64_t rcid;
    const char *code;  /* short code, lower case as written (me, nu, di, hr, co, ec) */
    const char *issue; /* name */
    uint64_t line;
};

struct unv_vote_row {
    int64_t rcid;
    const char *country; /* as written (not NUL-terminated: use country_len) */
    size_t country_len;
    bool country_quoted; /* the field was in double quotes */
    char vote;           /* enum unv_vote */
    uint64_t line;
};

struct unv_ideal {
    int64_t cow;
    const char *iso3; /* as written, may be "" */
    int64_t year;
    double value, value_fp, value_legacy; /* valid when the has_ flag is set */
    bool has_value, has_fp, has_legacy;
    int64_t nvotes, nvotes_fp, nvotes_legacy; /* -1 when missing */
    uint64_t line;
};

struct unv_sink {
    void *ctx;
    /* Each returns 0 to go on or a negative status to stop. Pointers are valid during the
     * call only. */
    int (*call)(void *ctx, const struct unv_call *c);
    int (*issue)(void *ctx, const struct unv_issue *i);
    int (*vote)(void *ctx, const struct unv_vote_row *v);
    int (*ideal)(void *ctx, const struct unv_ideal *p);
    void (*reject)(void *ctx, uint64_t line, const char *msg);
};

/*
 * Read a whole file (gzip or plain) into `out`, refusing more than `limit` bytes once
 * decompressed. Errors: BILAT_ENOTFOUND, BILAT_EIO, BILAT_ELIMIT, BILAT_ENOMEM.
 */
int unv_read_file(const char *path, size_t limit, struct bilat_buf *out, struct bilat_err *err);

/* The kind of file whose contents start with this header line. */
enum unv_kind unv_classify(const char *data, size_t len);

/* Name of a kind for messages ("roll calls"). */
const char *unv_kind_name(enum unv_kind k);

/*
 * Parse `data[0..len)` (modified in place: quoted fields are unescaped) as a file of kind
 * unv_classify(data) and feed its rows to the sink. `path` names the file in messages.
 * Errors: BILAT_EPARSE (header not recognised: err has path and line 1), or a negative status
 * from the sink. Bad rows are not errors: they go to sink->reject.
 */
int unv_parse(const char *path, char *data, size_t len, struct unv_sink *sink,
              struct bilat_err *err);

/* Parse a vote word: yes/y/1, abstain/a/2, no/n/3, absent/x/8, nonmember/9 (any case).
 * Returns the enum unv_vote code, or 0 when not a vote. */
char unv_vote_code(const char *s, size_t len);

#endif
