/*
 * channels.h: exchange intensity of a dyad by channel and level, the party channel's share, its
 * continuity and a weighted visit index, from curated and coded events (docs/MEASURES.md).
 *
 * An exchange is a record with one actor on each side whose mode is a contact (visit, meeting,
 * agreement, partnership, training, scholarship, award, speech, forum, aid, launch); positions
 * (proposal, endorsement, statement, vote) and one-sided records are not exchanges. A record
 * counts its quantity (5 field visits count 5), 1 when it gives none.
 *
 * Records that cover a range of years ("more than 60 party visits 1996-2020") are never spread
 * silently: every yearly figure comes in two views, dated records only, and dated records plus
 * range records spread evenly over the years of their range (an assumption, named as such).
 */
#ifndef BILAT_ANALYTICS_CHANNELS_H
#define BILAT_ANALYTICS_CHANNELS_H

#include "analytics/dyad.h"
#include "bilat.h"

#include <jansson.h>

/* Level weights of the visit index and its yearly decay (docs/MEASURES.md). */
#define CHAN_W_LEADER 8.0
#define CHAN_W_MINISTERIAL 4.0
#define CHAN_W_SENIOR 2.0
#define CHAN_W_WORKING 1.0
#define CHAN_W_PEOPLE 0.5
#define CHAN_DECAY 0.8

struct chan_year {
    int year;
    double all, party;     /* exchange quantity, dated records */
    double all_r, party_r; /* the same with range records spread over their years */
    double records;        /* dated exchange records */
    double vi, vi_r;       /* visit index (visits and meetings), both views */
};

struct chan_series {
    int first, last;       /* years covered (first = 0: no exchange at all) */
    struct chan_year *y;   /* [last - first + 1] */
    int ranges;            /* number of range records among the exchanges */
    double range_quantity; /* their total quantity */
};

/* Yearly series of the dyad (all years of its exchange records). Caller releases the series. */
int channels_series(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                    struct chan_series *out, struct bilat_err *err);
void channels_series_release(struct chan_series *s);

/* Weight of a level name (unknown or missing level: the working weight). */
double channels_level_weight(const char *level);

/* The profile sections "channels" and "intensity" (appended to `sections`). */
int channels_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, json_t *sections, struct bilat_err *err);

#endif
