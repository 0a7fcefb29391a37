/*
 * evresult.c: what a scan's result says (events_int.h): its totals and bad rows, the views the
 * store writer and the drill-down read, the groups and cluster members as CSV, and the result
 * packed for MPI and merged back.
 */
#include "ingest/events_int.h"

#include "core/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------
 * Results
 * ---------------------------------------------------------------------------------------- */

void bilat_scan_stats(const bilat_scan *s, struct bilat_scan_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct evfile *f = &s->files[i];
        out->files += f->scanned;
        out->rows += f->rows;
        out->rejected += f->rejected;
        out->used += f->used;
        out->failed_files += f->failure != NULL;
        out->unopened_files += f->unopened;
    }
    out->bytes = s->bytes;
    out->groups = s->groups.n;
}

void bilat_scan_report(const bilat_scan *s, const struct bilat_diag *d)
{
    if (!d || !d->fn)
        return;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct evfile *f = &s->files[i];
        for (size_t k = 0; k < f->nerrs; k++)
            d->fn(d->ctx, BILAT_LOG_ERROR, f->path, f->errs[k].line, f->errs[k].msg);
        if (f->rejected > f->nerrs) {
            char msg[128];
            snprintf(msg, sizeof(msg), "%llu more bad rows not shown (%llu in all)",
                     (unsigned long long)(f->rejected - f->nerrs),
                     (unsigned long long)f->rejected);
            d->fn(d->ctx, BILAT_LOG_ERROR, f->path, 0, msg);
        }
        if (f->warning)
            d->fn(d->ctx, BILAT_LOG_WARNING, NULL, 0, f->warning);
        if (f->failure)
            d->fn(d->ctx, BILAT_LOG_ERROR, NULL, 0, f->failure);
        else if (f->empty)
            d->fn(d->ctx, BILAT_LOG_WARNING, f->path, 0, "no data rows (empty file)");
    }
}

size_t ev_scan_nfiles(const bilat_scan *s)
{
    return s->nfiles;
}

void ev_scan_file(const bilat_scan *s, size_t i, struct evfile_view *out)
{
    const struct evfile *f = &s->files[i];
    out->path = f->path;
    out->format = f->format;
    out->size = f->size;
    out->rows = f->rows;
    out->rejected = f->rejected;
    out->dmin = f->dmin;
    out->dmax = f->dmax;
    out->amin = f->amin;
    out->amax = f->amax;
    out->sha256 = f->sha256;
    out->content_sha256 = f->content_sha256;
    out->container = f->container;
    out->duplicates = f->dup;
    out->warning = f->warning;
    out->changed = f->changed;
    out->failure = f->failure;
    out->empty = f->empty;
    out->scanned = f->scanned;
}

void ev_scan_view(const bilat_scan *s, struct evresult_view *out)
{
    out->groups = &s->groups;
    out->keys = s->conf->keys;
    out->coverage = &s->cov;
    out->spill_runs = evspill_runs(s->spill);
}

/*
 * The groups in the order of their keys, the key words compared in turn as unsigned integers:
 * an LSD radix sort, a byte at a time from the last word's lowest byte, over a copy of the keys
 * laid out together. A byte equal in every key (packed codes leave their low bytes zero, years
 * their high ones) is skipped: the 11,900 groups of a quad query take 8 passes of 32 and 4.2 M
 * instructions, half of what qsort() took (8.1 M), on the one thread that writes the result
 * after the scan. Keys are distinct, so the order is the one any sort gives.
 */
static int sorted_order(const struct evgroups *g, size_t **order_out)
{
    const size_t n = g->n, nk = g->nk;
    size_t *ord = bilat_alloc_array(n ? n : 1, sizeof(*ord));
    size_t *tmp = bilat_alloc_array(n ? n : 1, sizeof(*tmp));
    uint64_t *keys = bilat_alloc_array(n && nk ? n * nk : 1, sizeof(*keys));
    uint32_t(*count)[256] = bilat_calloc(nk ? nk * 8 : 1, sizeof(*count));
    if (!ord || !tmp || !keys || !count) {
        bilat_free(ord);
        bilat_free(tmp);
        bilat_free(keys);
        bilat_free(count);
        return BILAT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        ord[i] = i;
        const uint64_t *k = evg_key(g, i);
        for (size_t w = 0; w < nk; w++) {
            uint64_t v = keys[i * nk + w] = k[w];
            for (size_t b = 0; b < 8; b++, v >>= 8)
                count[w * 8 + b][v & 0xff]++;
        }
    }
    for (size_t p = 0; n && p < nk * 8; p++) {
        const size_t w = nk - 1 - p / 8, d = w * 8 + p % 8, shift = 8 * (p % 8);
        uint32_t *c = count[d];
        if (c[keys[w] >> shift & 0xff] == n)
            continue; /* the same byte in every key */
        uint32_t sum = 0;
        for (size_t k = 0; k < 256; k++) {
            uint32_t t = c[k];
            c[k] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            tmp[c[keys[ord[i] * nk + w] >> shift & 0xff]++] = ord[i];
        size_t *t = ord;
        ord = tmp;
        tmp = t;
    }
    bilat_free(tmp);
    bilat_free(keys);
    bilat_free(count);
    *order_out = ord;
    return 0;
}

/*
 * Numbers of the group lines are written by hand rather than by snprintf() (ev_u64_digits() and
 * text_width()): a scan writes its groups on one thread after the scanning threads are done, and
 * printf's format parsing was most of that time (about 10,000 instructions a line;
 * bench/RESULTS.md).
 */
static size_t text_i64(char *o, int64_t v)
{
    if (v >= 0)
        return ev_u64_digits((uint64_t)v, o);
    o[0] = '-';
    return 1 + ev_u64_digits((uint64_t)0 - (uint64_t)v, o + 1);
}

/* v as exactly `width` digits (v < 10^width) */
static size_t text_width(char *o, unsigned v, size_t width)
{
    for (size_t i = width; i-- > 0; v /= 10)
        o[i] = (char)('0' + v % 10);
    return width;
}

/* A key's text (at most 31 bytes): a year, YYYY-MM, YYYY-MM-DD, a quad (none when 0), a code. */
static size_t put_key(char *o, enum evkey k, uint64_t v)
{
    size_t n = 0;
    switch (k) {
    case K_YEAR: return ev_u64_digits((uint32_t)v, o);
    case K_MONTH:
    case K_DAY: {
        unsigned d = (unsigned)v;
        unsigned ym = k == K_DAY ? d / 100 : d;
        /* "%04u" of the year: at least four digits */
        unsigned y = ym / 100;
        n = y >= 10000 ? ev_u64_digits(y, o) : text_width(o, y, 4);
        o[n++] = '-';
        n += text_width(o + n, ym % 100, 2);
        if (k == K_DAY) {
            o[n++] = '-';
            n += text_width(o + n, d % 100, 2);
        }
        return n;
    }
    case K_QUAD: return v ? ev_u64_digits((uint32_t)v, o) : 0;
    default: return ev_code_unpack(v, o);
    }
}

int bilat_scan_write(const bilat_scan *s, enum bilat_format format, FILE *out,
                     struct bilat_err *err)
{
    if (format != BILAT_FORMAT_CSV)
        return bilat_fail(err, BILAT_EINVAL, "a scan's groups are written as CSV only");
    const struct conf *c = s->conf;
    size_t *ord = NULL;
    if (sorted_order(&s->groups, &ord) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->nk; i++)
        fprintf(out, "%s,", ev_key_name(c->keys[i]));
    /* The dedup column names its rule, so that a CSV file says how it was made. */
    fprintf(out, "events,%s%sroot_events,goldstein_sum,mentions,sources,articles,tone_sum\n",
            c->dedup == BILAT_DEDUP_DAILY ? "events_dedup_daily,"
            : c->dedup == BILAT_DEDUP_URL ? "events_dedup_url,"
                                          : "",
            "");
    char line[1024];
    for (size_t r = 0; r < s->groups.n; r++) {
        size_t g = ord[r];
        const uint64_t *k = evg_key(&s->groups, g);
        const struct evmeas *m = evg_meas(&s->groups, g);
        size_t n = 0;
        for (size_t i = 0; i < c->nk; i++) {
            n += put_key(line + n, c->keys[i], k[i]);
            line[n++] = ',';
        }
        n += text_i64(line + n, m->events);
        line[n++] = ',';
        if (c->dedup != BILAT_DEDUP_NONE) {
            n += text_i64(line + n, m->dedup);
            line[n++] = ',';
        }
        bool g1 = m->flags & EVM_GDELT;
        if (g1)
            n += text_i64(line + n, m->root_events);
        line[n++] = ',';
        if (m->flags & EVM_GOLD)
            n += (size_t)ev_fixed_format(m->gold, line + n, 64);
        line[n++] = ',';
        const int64_t counts[3] = {m->mentions, m->sources, m->articles};
        for (int i = 0; i < 3; i++) {
            if (g1)
                n += text_i64(line + n, counts[i]);
            line[n++] = ',';
        }
        if (g1)
            n += (size_t)ev_fixed_format(m->tone, line + n, 64);
        line[n++] = '\n';
        fwrite(line, 1, n, out);
    }
    bilat_free(ord);
    if (fflush(out) != 0 || ferror(out))
        return bilat_fail(err, BILAT_EIO, "cannot write the results");
    return 0;
}

static int cmp_member(const void *pa, const void *pb)
{
    const struct member *a = pa, *b = pb;
    if (a->fp != b->fp)
        return a->fp < b->fp ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Write a CSV field (core/csv.h); a failed write shows in ferror(out). */
static void put_csv(FILE *out, const char *p, size_t n)
{
    csv_write_field(p, n, csv_sink_file, out);
}

int bilat_scan_write_members(const bilat_scan *s, enum bilat_format format, FILE *out,
                             struct bilat_err *err)
{
    if (format != BILAT_FORMAT_CSV)
        return bilat_fail(err, BILAT_EINVAL, "cluster members are written as CSV only");
    if (s->members.n)
        qsort(s->members.v, s->members.n, sizeof(*s->members.v), cmp_member);
    fprintf(out, "cluster,event_id,date,actor1,actor2,event_code,url,file,line\n");
    for (size_t i = 0; i < s->members.n; i++) {
        struct evmember_view m;
        ev_member(s, i, &m);
        fprintf(out, "%016llx,", (unsigned long long)m.fp);
        for (int k = 0; k < MF_URL + 1; k++) {
            put_csv(out, m.f[k], m.len[k]);
            fputc(',', out);
        }
        const char *path = s->files[m.file].path;
        put_csv(out, path, strlen(path));
        fprintf(out, ",%llu\n", (unsigned long long)m.line);
    }
    if (fflush(out) != 0 || ferror(out))
        return bilat_fail(err, BILAT_EIO, "cannot write the cluster members");
    return 0;
}

size_t ev_members_count(const bilat_scan *s)
{
    return s->members.n;
}

void ev_member(const bilat_scan *s, size_t i, struct evmember_view *out)
{
    const struct member *m = &s->members.v[i];
    out->fp = m->fp;
    out->file = m->file;
    out->line = m->line;
    out->key = s->members.keys ? s->members.keys + m->koff : NULL;
    const char *p = s->members.text.buf + m->off, *end = p + m->len;
    for (int k = 0; k < MF_N; k++) {
        const char *t = k < MF_N - 1 ? memchr(p, '\t', (size_t)(end - p)) : NULL;
        out->f[k] = p;
        out->len[k] = (size_t)((t ? t : end) - p);
        p = t ? t + 1 : end;
    }
}


/* ------------------------------------------------------------------------------------------
 * Packing (MPI)
 * ---------------------------------------------------------------------------------------- */

static int put(struct bilat_buf *b, const void *p, size_t n)
{
    return bilat_buf_add(b, p, n);
}

static int put_u64(struct bilat_buf *b, uint64_t v)
{
    return put(b, &v, sizeof(v));
}

static int put_str(struct bilat_buf *b, const char *s)
{
    uint64_t n = s ? strlen(s) + 1 : 0;
    BILAT_TRY(put_u64(b, n));
    return n ? put(b, s, (size_t)n) : 0;
}

static int put_groups(struct bilat_buf *b, const struct evgroups *g)
{
    BILAT_TRY(put_u64(b, g->nk));
    BILAT_TRY(put_u64(b, g->n));
    for (size_t i = 0; i < g->n; i++)
        BILAT_TRY(put(b, evg_key(g, i), g->nk * sizeof(uint64_t)));
    for (size_t i = 0; i < g->n; i++)
        BILAT_TRY(put(b, evg_meas(g, i), sizeof(struct evmeas)));
    return 0;
}

int bilat_scan_pack(const bilat_scan *s, void **buf_out, size_t *len_out, struct bilat_err *err)
{
    if (s->spill)
        return bilat_fail(err, BILAT_EINVAL, "cannot send a result spilled to disk");
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = put(&b, "BLSCAN02", 8);
    if (rc == 0)
        rc = put_u64(&b, s->nfiles);
    for (size_t i = 0; rc == 0 && i < s->nfiles; i++) {
        const struct evfile *f = &s->files[i];
        rc = put_u64(&b, f->scanned);
        if (rc || !f->scanned)
            continue;
        uint64_t v[14] = {(uint64_t)f->format,
                          f->empty | (uint64_t)f->unopened << 1 | (uint64_t)f->changed << 2,
                          f->size, f->bytes, f->rows, f->rejected, f->used, f->dmin, f->dmax,
                          f->amin, f->amax, f->nerrs, f->dup, (uint64_t)f->container};
        rc = put(&b, v, sizeof(v));
        if (rc == 0)
            rc = put(&b, f->sha256, sizeof(f->sha256));
        if (rc == 0)
            rc = put(&b, f->content_sha256, sizeof(f->content_sha256));
        if (rc == 0)
            rc = put_str(&b, f->failure);
        if (rc == 0)
            rc = put_str(&b, f->warning);
        if (rc == 0 && f->nerrs)
            rc = put(&b, f->errs, f->nerrs * sizeof(*f->errs));
    }
    if (rc == 0)
        rc = put_groups(&b, &s->groups);
    if (rc == 0)
        rc = put_groups(&b, &s->cov);
    if (rc == 0)
        rc = put_u64(&b, s->fps.n);
    for (size_t i = 0; rc == 0 && i < s->fps.n; i++) {
        rc = put_u64(&b, s->fps.e[i].fp);
        if (rc == 0)
            rc = put_u64(&b, s->fps.e[i].group);
    }
    if (rc == 0)
        rc = put_u64(&b, s->ids.n);
    if (rc == 0 && s->ids.n)
        rc = put(&b, s->ids.v, s->ids.n * sizeof(*s->ids.v));
    if (rc < 0) {
        bilat_buf_release(&b);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    *buf_out = bilat_buf_detach(&b, len_out);
    return 0;
}

struct rd {
    const unsigned char *p, *end;
};

static bool get(struct rd *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static bool get_u64(struct rd *r, uint64_t *v)
{
    return get(r, v, sizeof(*v));
}

static int get_groups(struct rd *r, struct evgroups *g)
{
    uint64_t nk, n;
    if (!get_u64(r, &nk) || !get_u64(r, &n) || nk > EV_MAXK || n > (size_t)(r->end - r->p))
        return BILAT_EPARSE;
    BILAT_TRY(evgroups_init(g, (size_t)nk));
    for (uint64_t i = 0; i < n; i++) {
        uint64_t key[EV_MAXK];
        size_t j;
        if (!get(r, key, (size_t)nk * sizeof(uint64_t)))
            return BILAT_EPARSE;
        BILAT_TRY(evgroups_get(g, key, evgroups_hash(key, (size_t)nk), &j));
        if (j != i)
            return BILAT_EPARSE; /* duplicate key */
    }
    for (uint64_t i = 0; i < n; i++)
        if (!get(r, evg_meas(g, (size_t)i), sizeof(struct evmeas)))
            return BILAT_EPARSE;
    return 0;
}

int bilat_scan_merge_packed(bilat_scan *s, const void *buf, size_t len, struct bilat_err *err)
{
    struct rd r = {buf, (const unsigned char *)buf + len};
    char magic[8];
    uint64_t nf;
    struct evgroups g, cov;
    struct fpset fps = {0};
    memset(&g, 0, sizeof(g));
    memset(&cov, 0, sizeof(cov));
    int rc = 0;
    if (!get(&r, magic, 8) || memcmp(magic, "BLSCAN02", 8) != 0 || !get_u64(&r, &nf) ||
        nf != s->nfiles) {
        rc = BILAT_EPARSE;
        goto out;
    }
    for (size_t i = 0; i < s->nfiles; i++) {
        uint64_t scanned;
        if (!get_u64(&r, &scanned)) {
            rc = BILAT_EPARSE;
            goto out;
        }
        if (!scanned)
            continue;
        struct evfile *f = &s->files[i];
        uint64_t v[14], slen;
        if (!get(&r, v, sizeof(v)) || !get(&r, f->sha256, sizeof(f->sha256)) ||
            !get(&r, f->content_sha256, sizeof(f->content_sha256)) || !get_u64(&r, &slen) ||
            slen > (size_t)(r.end - r.p) || v[11] > 1000000) {
            rc = BILAT_EPARSE;
            goto out;
        }
        f->sha256[64] = '\0';
        f->content_sha256[64] = '\0';
        f->scanned = true;
        f->format = (int)v[0];
        f->empty = (v[1] & 1) != 0;
        f->unopened = (v[1] & 2) != 0;
        f->changed = (v[1] & 4) != 0;
        f->dup = v[12];
        f->container = (int)v[13];
        f->size = v[2];
        f->bytes = v[3];
        f->rows = v[4];
        f->rejected = v[5];
        f->used = v[6];
        f->dmin = (uint32_t)v[7];
        f->dmax = (uint32_t)v[8];
        f->amin = (uint32_t)v[9];
        f->amax = (uint32_t)v[10];
        s->bytes += f->bytes;
        bilat_free(f->failure);
        f->failure = NULL;
        if (slen) {
            f->failure = bilat_strndup((const char *)r.p, (size_t)slen - 1);
            r.p += slen;
            if (!f->failure) {
                rc = BILAT_ENOMEM;
                goto out;
            }
        }
        bilat_free(f->warning);
        f->warning = NULL;
        if (!get_u64(&r, &slen) || slen > (size_t)(r.end - r.p)) {
            rc = BILAT_EPARSE;
            goto out;
        }
        if (slen) {
            f->warning = bilat_strndup((const char *)r.p, (size_t)slen - 1);
            r.p += slen;
            if (!f->warning) {
                rc = BILAT_ENOMEM;
                goto out;
            }
        }
        bilat_free(f->errs);
        f->errs = NULL;
        f->nerrs = (size_t)v[11];
        if (f->nerrs) {
            f->errs = bilat_calloc(f->nerrs, sizeof(*f->errs));
            if (!f->errs) {
                f->nerrs = 0;
                rc = BILAT_ENOMEM;
                goto out;
            }
            if (!get(&r, f->errs, f->nerrs * sizeof(*f->errs))) {
                rc = BILAT_EPARSE;
                goto out;
            }
        }
    }
    if ((rc = get_groups(&r, &g)) < 0 || (rc = get_groups(&r, &cov)) < 0)
        goto out;
    if (g.nk != s->groups.nk) {
        rc = BILAT_EPARSE;
        goto out;
    }
    uint64_t nfp;
    if (!get_u64(&r, &nfp)) {
        rc = BILAT_EPARSE;
        goto out;
    }
    if (s->conf->dedup != BILAT_DEDUP_NONE) {
        if ((rc = fpset_init(&fps)) < 0)
            goto out;
        for (uint64_t i = 0; i < nfp; i++) {
            uint64_t fp, group;
            if (!get_u64(&r, &fp) || !get_u64(&r, &group) || group >= g.n) {
                rc = BILAT_EPARSE;
                goto out;
            }
            if ((rc = fpset_add(&fps, fp, (uint32_t)group)) < 0)
                goto out;
        }
    }
    rc = ev_merge_groups(&s->groups, s->conf->dedup != BILAT_DEDUP_NONE ? &s->fps : NULL, &g,
                      s->conf->dedup != BILAT_DEDUP_NONE ? &fps : NULL, NULL);
    if (rc == 0)
        rc = ev_merge_groups(&s->cov, NULL, &cov, NULL, NULL);
    uint64_t nids;
    if (rc == 0 && (!get_u64(&r, &nids) || nids > (size_t)(r.end - r.p) / sizeof(struct evidrun)))
        rc = BILAT_EPARSE;
    for (uint64_t i = 0; rc == 0 && i < nids; i++) {
        struct evidrun run;
        if (!get(&r, &run, sizeof(run)) || run.lo > run.hi)
            rc = BILAT_EPARSE;
        else
            rc = evids_add_run(&s->ids, run.lo, run.hi);
    }
    if (rc == 0)
        evids_normalise(&s->ids);
out:
    evgroups_release(&g);
    evgroups_release(&cov);
    fpset_release(&fps);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    if (rc < 0)
        return bilat_fail(err, BILAT_EPARSE, "corrupt partial result");
    return 0;
}

