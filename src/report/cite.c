/*
 * cite.c: BibTeX for bilat and its data sources (bilat_cite_render()).
 *
 * Every source becomes a @misc entry keyed by its id (BibTeX keys allow letters, digits and
 * - _ . :); authors separated by ';' in the store are joined with ' and '; the date gives year
 * (and month); the licence and the source's note go to `note`. Special characters of (La)TeX
 * are escaped, and titles are brace-protected so that styles keep their capitals.
 */
#include "analytics/profile.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Escape (La)TeX's special characters. */
static int tex(struct bilat_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            BILAT_TRY(bilat_buf_addch(b, '\\'));
            BILAT_TRY(bilat_buf_addch(b, *s));
            break;
        case '\\':
            BILAT_TRY(bilat_buf_adds(b, "\\textbackslash{}"));
            break;
        case '~':
            BILAT_TRY(bilat_buf_adds(b, "\\textasciitilde{}"));
            break;
        case '^':
            BILAT_TRY(bilat_buf_adds(b, "\\textasciicircum{}"));
            break;
        default:
            BILAT_TRY(bilat_buf_addch(b, *s));
        }
    }
    return 0;
}

/* One `name = {value},` line; `protect` adds braces that keep capitals in titles. */
static int field(struct bilat_buf *b, const char *name, const char *v, int protect)
{
    if (!v || !*v)
        return 0;
    BILAT_TRY(bilat_buf_addf(b, "  %-12s = {%s", name, protect ? "{" : ""));
    BILAT_TRY(tex(b, v));
    return bilat_buf_addf(b, "%s},\n", protect ? "}" : "");
}

/*
 * One @misc entry from a source's fields (id, title, author, publisher, date, url, licence,
 * note).
 */
static int entry(struct bilat_buf *b, const char *const *v)
{
    enum { ID, TITLE, AUTHOR, PUBLISHER, DATE, URL, LICENSE, NOTE };
    BILAT_TRY(bilat_buf_adds(b, "@misc{"));
    for (const char *p = v[ID]; p && *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == ':';
        BILAT_TRY(bilat_buf_addch(b, ok ? c : '-'));
    }
    BILAT_TRY(bilat_buf_adds(b, ",\n"));
    BILAT_TRY(field(b, "title", v[TITLE], 1));
    if (v[AUTHOR] && *v[AUTHOR]) {
        struct bilat_buf au = BILAT_BUF_INIT;
        int rc = 0;
        for (const char *p = v[AUTHOR]; rc == 0 && *p;) {
            const char *semi = strchr(p, ';');
            size_t l = semi ? (size_t)(semi - p) : strlen(p);
            while (l && *p == ' ')
                p++, l--;
            while (l && p[l - 1] == ' ')
                l--;
            if (l) {
                if (au.len)
                    rc = bilat_buf_adds(&au, " and ");
                /* an organisation or a name without a comma stays one unit */
                if (rc == 0)
                    rc = bilat_buf_addf(&au, "%.*s", (int)l, p);
            }
            p = semi ? semi + 1 : p + strlen(p);
        }
        if (rc == 0)
            rc = field(b, "author", au.buf, strchr(au.buf, ',') == NULL && !strstr(au.buf, " and "));
        bilat_buf_release(&au);
        BILAT_TRY(rc);
    }
    BILAT_TRY(field(b, "howpublished", v[PUBLISHER], 0));
    if (v[DATE] && strlen(v[DATE]) >= 4) {
        BILAT_TRY(bilat_buf_addf(b, "  %-12s = {%.4s},\n", "year", v[DATE]));
        if (strlen(v[DATE]) >= 7)
            BILAT_TRY(bilat_buf_addf(b, "  %-12s = {%.2s},\n", "month", v[DATE] + 5));
        BILAT_TRY(bilat_buf_addf(b, "  %-12s = {%s},\n", "date", v[DATE]));
    }
    if (v[URL] && *v[URL])
        BILAT_TRY(bilat_buf_addf(b, "  %-12s = {%s},\n", "url", v[URL]));
    struct bilat_buf note = BILAT_BUF_INIT;
    int rc = 0;
    if (v[LICENSE] && *v[LICENSE])
        rc = bilat_buf_addf(&note, "Licence: %s.", v[LICENSE]);
    if (rc == 0 && v[NOTE] && *v[NOTE])
        rc = bilat_buf_addf(&note, "%s%s", note.len ? " " : "", v[NOTE]);
    if (rc == 0)
        rc = field(b, "note", note.buf, 0);
    bilat_buf_release(&note);
    BILAT_TRY(rc);
    return bilat_buf_adds(b, "}\n\n");
}

int bilat_cite_render(bilat_db *db, const char *a, const char *b, enum bilat_format format,
                      char **out, struct bilat_err *err)
{
    *out = NULL;
    if (format != BILAT_FORMAT_BIBTEX)
        return bilat_fail(err, BILAT_EINVAL, "citations cannot be written as %s",
                          bilat_format_name(format));
    struct bilat_buf buf = BILAT_BUF_INIT;
    json_t *doc = NULL;
    int rc = bilat_buf_addf(&buf,
                            "@software{bilat,\n"
                            "  title        = {{bilat: relations between states and political "
                            "parties over time}},\n"
                            "  author       = {{The bilat authors}},\n"
                            "  version      = {%s},\n"
                            "  note         = {Measures, claims checks, reports and a web "
                            "server over one SQLite store},\n"
                            "}\n\n",
                            BILAT_VERSION);
    if (rc < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (a && b) {
        struct bilat_profile_opts po = {.a = a, .b = b};
        rc = profile_build(db, &po, &doc, err);
        size_t i;
        json_t *src;
        json_array_foreach(json_object_get(doc, "sources"), i, src)
        {
            static const char *const keys[] = {"id",   "title", "author",  "publisher",
                                                "date", "url",   "license", "note"};
            const char *v[8];
            for (int k = 0; k < 8; k++)
                v[k] = json_string_value(json_object_get(src, keys[k]));
            if (rc == 0 && entry(&buf, v) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
        json_decref(doc);
    } else {
        sqlite3_stmt *st = NULL;
        rc = store_prepare(db,
                           "SELECT id, title, author, publisher, date, url, license, note "
                           "FROM source ORDER BY id",
                           &st, err);
        int s = SQLITE_DONE;
        while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *v[8];
            for (int k = 0; k < 8; k++)
                v[k] = (const char *)sqlite3_column_text(st, k);
            if (entry(&buf, v) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
        if (rc == 0 && s != SQLITE_DONE)
            rc = store_fail(db, err, s, "cannot read sources");
        sqlite3_finalize(st);
    }
    if (rc < 0) {
        bilat_buf_release(&buf);
        return rc;
    }
    *out = bilat_buf_detach(&buf, NULL);
    return *out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}
