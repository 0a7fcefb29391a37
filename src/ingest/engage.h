/*
 * engage.h: readers for datasets of Chinese leaders' engagements abroad and at home
 * (docs/EVENTS.md, "Leaders' engagements"):
 *
 *   ChinaVitae   date, year, country, leader, text: one English sentence per engagement of one of
 *                seven Chinese leaders with a country ("Xi Jinping was in Beijing Municipality
 *                and met with the following: Hun Sen (Cambodian Prime Minister)")
 *   CEIAS        Year, Name, Level, Country [, Continent, flags]: one visit abroad of a Chinese
 *                president or premier (CEIAS "Who, Where, When", 1949-2020)
 *
 * The readers know nothing of SQL, of the event coder or of country codes: they check every value
 * they can check on their own (dates, years, required fields), hand each good row to the sink and
 * each bad row to sink->reject with its line and the reason, and go on. A missing value is passed
 * as missing (NULL), never as a default.
 *
 * The ChinaVitae sentence is split here into what the coder needs: the place, whether the leader
 * travelled, and the named counterparts of a "met with the following:" list, each with its title
 * in parentheses (titles may nest parentheses). Titles are read for the channel (a party or
 * military office) and the rank of the counterpart (docs/EVENTS.md gives the word lists).
 */
#ifndef BILAT_INGEST_ENGAGE_H
#define BILAT_INGEST_ENGAGE_H

#include "bilat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ranks, in the order of the vocabulary's levels (0 = not known). */
enum engage_rank {
    ENGAGE_RANK_NONE = 0,
    ENGAGE_RANK_WORKING = 1,
    ENGAGE_RANK_SENIOR = 2,
    ENGAGE_RANK_MINISTERIAL = 3,
    ENGAGE_RANK_LEADER = 4,
};

/* The vocabulary's level for a rank ("leader"), or NULL for ENGAGE_RANK_NONE. */
const char *engage_rank_level(enum engage_rank r);

/* One ChinaVitae row. Strings are NUL-terminated and valid during the sink call only. */
struct cv_row {
    uint64_t line;       /* line the record starts on */
    const char *date;    /* YYYY-MM-DD, checked */
    int year;            /* equals the date's year (checked) */
    const char *country; /* as written, not empty */
    const char *leader;  /* as written, not empty */
    const char *text;    /* the sentence, or NULL when the file gives none */
};

/* One CEIAS row. */
struct ceias_row {
    uint64_t line;
    int year;            /* 1900..2100 */
    const char *name;    /* the leader, as written, not empty */
    const char *level;   /* "President", "Premier", "Leader CCP", ...; NULL when missing */
    const char *country; /* as written, not empty */
    const char *continent; /* or NULL */
};

struct engage_sink {
    void *ctx;
    /* Each returns 0 to go on or a negative status to stop. */
    int (*chinavitae)(void *ctx, const struct cv_row *r);
    int (*ceias)(void *ctx, const struct ceias_row *r);
    void (*reject)(void *ctx, uint64_t line, const char *msg);
};

/*
 * Read a ChinaVitae or CEIAS file. Errors: those of reading the file, BILAT_EPARSE (the header
 * lacks a column the format needs: err has path and line), or a negative status from the sink.
 * Bad rows are not errors: they go to sink->reject.
 */
int engage_read_chinavitae(const char *path, struct engage_sink *sink, struct bilat_err *err);
int engage_read_ceias(const char *path, struct engage_sink *sink, struct bilat_err *err);

/* The same over bytes in memory (copied), named `name` in messages: for tests and fuzzing. */
int engage_parse_chinavitae(const char *name, const char *data, size_t len,
                            struct engage_sink *sink, struct bilat_err *err);
int engage_parse_ceias(const char *name, const char *data, size_t len, struct engage_sink *sink,
                       struct bilat_err *err);

enum { CV_MAX_COUNTERPARTS = 32 };

/* A counterpart of a "met with the following:" list (pointers into the split text). */
struct cv_counterpart {
    const char *name;  /* "Hun Sen" */
    size_t name_len;
    const char *title; /* "Cambodian Prime Minister" (without the outer parentheses), or NULL */
    size_t title_len;
};

/* What a ChinaVitae sentence says, as far as its fixed phrasing tells. */
struct cv_split {
    bool list;            /* "met with the following:" */
    bool travelled;       /* "<leader> travelled to ..." */
    char place[128];      /* "Beijing Municipality", "Indonesia, Jakarta", or "" */
    size_t n;             /* counterparts */
    size_t dropped;       /* counterparts beyond CV_MAX_COUNTERPARTS */
    struct cv_counterpart items[CV_MAX_COUNTERPARTS];
};

/* Split a sentence (not modified; the items point into it). */
void cv_split_text(const char *text, size_t len, struct cv_split *out);

/* The channel a title names: "party" (a party office), "military", or NULL (neither). */
const char *engage_title_channel(const char *title, size_t len);

/* The rank of a title (docs/EVENTS.md): leader, ministerial or senior; ENGAGE_RANK_NONE for an
 * empty title. */
enum engage_rank engage_title_rank(const char *title, size_t len);

/* A Chinese leader of the ChinaVitae file (matched by name, case-insensitive). */
struct cv_leader {
    const char *name;  /* as the file writes it */
    const char *code;  /* actor code */
};

/* The leader of that name, or NULL when the file's seven do not include it. */
const struct cv_leader *cv_leader_find(const char *name);

/* The rank of a ChinaVitae leader on a date (YYYY-MM-DD): leader while head of the party,
 * state or government, ministerial otherwise. */
enum engage_rank cv_leader_rank(const struct cv_leader *l, const char *date);

/* The actor code of a Chinese leader's name: "CHN" and the name's letters in upper case
 * ("Zhou Enlai" -> CHNZHOUENLAI); out holds at least 32 bytes. false when the name gives no
 * letters or is too long. */
bool engage_person_code(const char *name, char *out, size_t outlen);

/* CEIAS: the channel of a Level value ("Leader CCP" -> "party", others "government"). */
const char *ceias_level_channel(const char *level);

#endif
