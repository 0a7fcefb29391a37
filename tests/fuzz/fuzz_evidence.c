/*
 * fuzz_evidence.c: the evidence readers (ChinaVitae and CEIAS rows, AidData financial diplomacy
 * projects, UNGDC JSON lines), the ChinaVitae sentence splitter and title classifier, and the
 * speech vocabulary's normaliser and matcher: any bytes must give rows, rejections or a header
 * error, never a crash, hang or out-of-bounds access.
 */
#include "core/buf.h"
#include "ingest/engage.h"
#include "ingest/records.h"
#include "ingest/speech_vocab.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t seen;

/* Touch every byte of a string the reader hands out, so that a bad pointer shows. */
static void touch(const char *s)
{
    for (; s && *s; s++)
        seen += (unsigned char)*s == 0xff;
}

static int on_cv(void *ctx, const struct cv_row *r)
{
    (void)ctx;
    touch(r->date);
    touch(r->country);
    touch(r->leader);
    touch(r->text);
    return 0;
}

static int on_ceias(void *ctx, const struct ceias_row *r)
{
    (void)ctx;
    touch(r->name);
    touch(r->level);
    touch(r->country);
    touch(r->continent);
    return 0;
}

static int on_project(void *ctx, const struct finproj_row *r)
{
    (void)ctx;
    touch(r->project_id);
    touch(r->description);
    touch(r->recipient);
    return 0;
}

static int on_speech(void *ctx, const struct ungdc_row *r)
{
    (void)ctx;
    for (size_t i = 0; i < r->text_len; i++)
        seen += (unsigned char)r->text[i] == 0xff;
    touch(r->iso3);
    return 0;
}

static void on_reject(void *ctx, uint64_t line, const char *msg)
{
    (void)ctx;
    seen += line == 0;
    touch(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct cv_split sp;
    cv_split_text(s, size, &sp);
    for (size_t i = 0; i < sp.n; i++) {
        seen += sp.items[i].name_len;
        seen += (size_t)engage_title_rank(sp.items[i].title, sp.items[i].title_len);
        seen += engage_title_channel(sp.items[i].title, sp.items[i].title_len) != NULL;
    }
    seen += (size_t)engage_title_rank(s, size);

    struct engage_sink es = {NULL, on_cv, on_ceias, on_reject};
    engage_parse_chinavitae("fuzz", s, size, &es, NULL);
    engage_parse_ceias("fuzz", s, size, &es, NULL);
    struct finproj_sink fs = {NULL, on_project, on_reject};
    finproj_parse("fuzz", s, size, &fs, NULL);
    struct ungdc_sink us = {NULL, on_speech, on_reject};
    ungdc_parse(s, size, &us);

    struct bilat_buf norm = BILAT_BUF_INIT;
    size_t words = 0;
    if (speech_normalise(s, size, &norm, &words) == 0) {
        size_t n;
        const struct vocab_term *v = speech_vocab(&n);
        for (size_t i = 0; i < n; i++) {
            const char *first = NULL;
            long k = speech_count(norm.buf, norm.len, v[i].variants, &first);
            seen += k > 0 ? (size_t)k : 0;
            touch(first);
        }
    }
    bilat_buf_release(&norm);
    return 0;
}
