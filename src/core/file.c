/*
 * file.c: reading and writing whole files with errors that name the file and the reason.
 */
#include "core/file.h"

#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bilat_file_read(const char *path, size_t limit, struct bilat_buf *out, struct bilat_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return bilat_fail_at(err, e == ENOENT ? BILAT_ENOTFOUND : BILAT_EIO, path, 0,
                             "cannot open '%s': %s", path, strerror(e));
    }
    int rc = 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot stat '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = bilat_fail_at(err, BILAT_EIO, path, 0, "'%s' is a directory", path);
        goto out;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > limit) {
        rc = bilat_fail_at(err, BILAT_ELIMIT, path, 0, "'%s' is larger than %zu bytes", path,
                           limit);
        goto out;
    }
    size_t start = out->len;
    for (;;) {
        if (out->len - start > limit) {
            rc = bilat_fail_at(err, BILAT_ELIMIT, path, 0, "'%s' is larger than %zu bytes",
                               path, limit);
            goto out;
        }
        if (bilat_buf_grow(out, 64 * 1024) < 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory reading '%s'", path);
            goto out;
        }
        ssize_t n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot read '%s': %s", path,
                               strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        out->buf[out->len] = '\0';
    }
out:
    close(fd);
    return rc;
}

int bilat_file_write_atomic(const char *path, const void *data, size_t len,
                            struct bilat_err *err)
{
    struct bilat_buf tmp = BILAT_BUF_INIT;
    int rc = 0, fd = -1;
    if (bilat_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot write '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot write '%s': %s", path,
                               n < 0 ? strerror(errno) : "short write");
            goto out;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 && errno != EINVAL) {
        rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot write '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot write '%s': %s", path,
                           strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp.buf, path) != 0)
        rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot rename to '%s': %s", path,
                           strerror(errno));
out:
    if (fd >= 0)
        close(fd);
    if (rc < 0)
        unlink(tmp.buf);
    bilat_buf_release(&tmp);
    return rc;
}

int bilat_file_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int bilat_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *bilat_file_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}
