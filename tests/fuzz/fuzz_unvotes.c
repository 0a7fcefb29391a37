/*
 * fuzz_unvotes.c: the UN votes reader (roll calls, issue tags, votes, ideal points): any bytes
 * must give rows, rejections or a header error, never a crash, hang or out-of-bounds access.
 */
#include "core/alloc.h"
#include "ingest/unvotes.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int rows;

static int on_call(void *ctx, const struct unv_call *c)
{
    (void)ctx;
    rows += c->date && c->date[0] ? 1 : 0;
    return 0;
}

static int on_issue(void *ctx, const struct unv_issue *i)
{
    (void)ctx;
    rows += (int)strlen(i->code) > 0;
    return 0;
}

static int on_vote(void *ctx, const struct unv_vote_row *v)
{
    (void)ctx;
    /* the country field must be readable for its whole length */
    for (size_t k = 0; k < v->country_len; k++)
        rows += v->country[k] == 'A';
    return 0;
}

static int on_ideal(void *ctx, const struct unv_ideal *p)
{
    (void)ctx;
    rows += p->iso3[0] != '\0';
    return 0;
}

static void on_reject(void *ctx, uint64_t line, const char *msg)
{
    (void)ctx;
    rows += line > 0 && msg[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)unv_classify((const char *)data, size);
    char *copy = bilat_malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    struct unv_sink s = {NULL, on_call, on_issue, on_vote, on_ideal, on_reject};
    struct bilat_err err;
    (void)unv_parse("fuzz", copy, size, &s, &err);
    bilat_free(copy);
    return 0;
}
