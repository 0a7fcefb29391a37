/*
 * fuzz_coder.c: the whole coder (tokens, dictionary matches, verbs, events, dates, the trace
 * and the unknown-names count) on arbitrary input lines, with the small PETRARCH validation
 * dictionaries and bilat's own Cambodia-China and Southeast Asian actors, diplomacy and news
 * verbs and event nouns (read once, from the project root). The first byte picks the entry point: a line, or text with an id and a date.
 */
#include "bilat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bilat_coder *coder;

static int on_sentence(void *ctx, const struct bilat_coded_sentence *s)
{
    size_t *n = ctx;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        /* every text span lies inside the sentence's line; codes are NUL-terminated */
        if (!e->source[0] || !e->cameo[0] || strlen(e->date) > 10)
            abort();
        *n += e->source_len + e->target_len + e->verb_len;
    }
    if (!s->nevents && !s->uncoded)
        abort();
    return 0;
}

static int on_name(void *ctx, const char *name, uint64_t count)
{
    (void)ctx;
    if (!name[0] || !count)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!coder) {
        const char *dicts[] = {"tests/data/coder/petr-validate",
                               "data/dictionaries/50-khm-chn.actors",
                               "data/dictionaries/50-bilat.roles",
                               "data/dictionaries/50-diplomacy.verbs",
                               "data/dictionaries/50-bilat.rules",
                               "data/dictionaries/52-southeast-asia.actors",
                               "data/dictionaries/52-news.verbs",
                               "data/dictionaries/53-world-news.verbs"};
        struct bilat_coder_opts o = {dicts, 8, "data/reference/cameo.tsv",
                                     BILAT_CODER_EXPLAIN | BILAT_CODER_NAMES |
                                         BILAT_CODER_MONADIC,
                                     {NULL, NULL}};
        if (bilat_coder_new(&o, &coder, NULL) < 0)
            abort();
    }
    if (size == 0)
        return 0;
    size_t n = 0;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    if (data[0] & 1) {
        bilat_coder_line(coder, s, len, "fuzz", 1, on_sentence, &n, NULL);
    } else {
        char date[11] = "2022-08-04";
        bilat_coder_text(coder, "id", (data[0] & 2) ? date : "junk", s, len, "fuzz", 1,
                         on_sentence, &n, NULL);
    }
    bilat_coder_unknown_names(coder, on_name, NULL, NULL);
    return 0;
}
