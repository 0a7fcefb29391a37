/*
 * loader.c: what the file importers share (loader.h): their first checks, and the reporting of
 * a file's bad rows.
 */
#include "store/loader.h"

#include "core/file.h"
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>

int loader_check(const bilat_db *db, size_t nfiles, struct bilat_err *err)
{
    if (err)
        err->code = 0;
    if (db->readonly)
        return bilat_fail(err, BILAT_EINVAL, "the store is open read-only");
    if (nfiles == 0)
        return bilat_fail(err, BILAT_EINVAL, "no input files");
    return 0;
}

int loader_check_rejected(uint64_t rejected, struct bilat_err *err)
{
    if (rejected == 0)
        return 0;
    return bilat_fail(err, BILAT_EPARSE, "%llu bad row%s; nothing was ingested",
                      (unsigned long long)rejected, rejected == 1 ? "" : "s");
}

int loader_end(bilat_db *db, int rc, int *in_tx, bool votes, struct bilat_err *err)
{
    if (rc == 0 && *in_tx && votes)
        rc = store_votes_changed(db, err);
    if (rc == 0 && *in_tx)
        rc = store_commit(db, in_tx, "cannot save the ingest (nothing was ingested)", err);
    if (*in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    *in_tx = 0;
    return rc;
}

void loader_file_start(struct loader_file *f, const char *path)
{
    f->path = path;
    f->base = bilat_file_base(path);
    f->file_rejected = 0;
}

void loader_diag(const struct loader_file *f, enum bilat_level lv, uint64_t line, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(f->diag, lv, f->path, line, fmt, ap);
    va_end(ap);
}

void loader_reject(struct loader_file *f, uint64_t line, const char *fmt, ...)
{
    (*f->rejected)++;
    if (f->rows)
        (*f->rows)++;
    if (++f->file_rejected > LOADER_MAX_REPORTED)
        return;
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(f->diag, BILAT_LOG_ERROR, f->path, line, fmt, ap);
    va_end(ap);
}

void loader_file_done(const struct loader_file *f, enum bilat_level lv)
{
    if (f->file_rejected > LOADER_MAX_REPORTED)
        loader_diag(f, lv, 0, "%llu more bad rows not shown",
                    (unsigned long long)(f->file_rejected - LOADER_MAX_REPORTED));
}

const char *loader_locate(struct loader_file *f, uint64_t line)
{
    snprintf(f->locator, sizeof(f->locator), "%s:%llu", f->base, (unsigned long long)line);
    return f->locator;
}
