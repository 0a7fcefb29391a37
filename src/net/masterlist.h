/*
 * masterlist.h: GDELT's file lists (masterfilelist.txt, lastupdate.txt): one line per
 * published file, "SIZE MD5 URL" separated by spaces, where SIZE is the file's size in bytes
 * and MD5 the digest of the file as published (the .zip). The kind of a file and its
 * 15-minute slot are in its name: 20150218230000.export.CSV.zip, ...mentions.CSV.zip,
 * ...gkg.csv.zip; GDELT 1.0's daily files have 8 digits (20130401.export.CSV.zip).
 *
 * The kind is told by the name only to skip what is not an event table (mentions, gkg);
 * anything else is taken for an export, and the ingest then tells its format by its content,
 * as it does for any file.
 */
#ifndef BILAT_NET_MASTERLIST_H
#define BILAT_NET_MASTERLIST_H

#include "bilat.h"

#include <stddef.h>
#include <stdint.h>

enum ml_kind { ML_EXPORT = 0, ML_MENTIONS = 1, ML_GKG = 2 };

/* One line of a list. The strings point into the line given to ml_parse_line(). */
struct ml_entry {
    int64_t size;    /* bytes */
    char md5[33];    /* lowercase hex */
    const char *url; /* NUL-terminated */
    char name[256];  /* the last path segment of url (query and fragment cut off) */
    enum ml_kind kind;
    uint64_t slot; /* YYYYMMDDHHMMSS from the name, 0 when the name holds none */
};

/*
 * Parse one line (its newline removed; a CR at the end is dropped; the line is modified).
 * Returns 1 with *out filled, 0 for a blank line, -1 for a bad line with *why set to a static
 * reason.
 */
int ml_parse_line(char *line, size_t len, struct ml_entry *out, const char **why);

/* The slot of a file name: its leading 14 digits (YYYYMMDDHHMMSS) or 8 digits (YYYYMMDD, time
 * 000000) when they form a valid date and time; 0 otherwise. */
uint64_t ml_slot_of_name(const char *name);

/*
 * A time given on the command line as YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (or
 * with a space for the T), YYYYMMDD or YYYYMMDDHHMMSS, as YYYYMMDDHHMMSS: the first second of
 * the period it names, or with `end` its last second (2018-01 ends at 20180131235959).
 * Returns 0, or -1 when it is not a valid time.
 */
int ml_parse_time(const char *s, int end, uint64_t *out);

/* YYYYMMDDHHMMSS as "YYYY-MM-DD HH:MM:SS" (20 bytes with the NUL). */
void ml_slot_text(uint64_t slot, char out[20]);

/* Called for each entry of a list, with its line number; a negative return stops ml_read(). */
typedef int ml_entry_fn(void *ctx, const struct ml_entry *e, uint64_t line, struct bilat_err *err);

struct ml_stats {
    uint64_t lines;   /* lines read (blank ones too) */
    uint64_t entries; /* good lines */
    uint64_t bad;     /* bad lines */
};

/*
 * Read the list at `path`, calling `fn` for every good line. Bad lines are reported as
 * warnings through `diag` ("shown:line: reason", where `shown` names the list as the user gave
 * it: its URL when `path` is a downloaded copy; the first 20, then their number) and counted.
 * Errors: BILAT_ENOTFOUND, BILAT_EIO, BILAT_ENOMEM, or what `fn` returned.
 */
int ml_read(const char *path, const char *shown, ml_entry_fn *fn, void *ctx,
            const struct bilat_diag *diag, struct ml_stats *stats, struct bilat_err *err);

#endif
