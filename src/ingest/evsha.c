/*
 * evsha.c: SHA-256 through OpenSSL's EVP interface (evsha.h). The digest is fetched once per
 * object from the default provider; updates take whole blocks (4 MiB mapped, 1 MiB read), so
 * the per-call dispatch costs nothing measurable.
 */
#include "ingest/evsha.h"

#include "core/err.h"
#include "core/mapguard.h"

#include <openssl/evp.h>
#include <stdio.h>

int evsha_init(struct evsha *h)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(c);
        h->ctx = NULL;
        return BILAT_ENOMEM;
    }
    h->ctx = c;
    return 0;
}

void evsha_update(struct evsha *h, const void *p, size_t n)
{
    if (h->ctx && n)
        EVP_DigestUpdate(h->ctx, p, n);
}

struct mapped {
    struct evsha *h;
    const void *p;
    size_t n;
};

static void update_mapped(void *ctx)
{
    struct mapped *m = ctx;
    evsha_update(m->h, m->p, m->n);
}

int evsha_update_mapped(struct evsha *h, const void *p, size_t n)
{
    struct mapped m = {h, p, n};
    return mapguard_run(update_mapped, &m);
}

void evsha_final_hex(struct evsha *h, char hex[65])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    hex[0] = '\0';
    if (h->ctx && EVP_DigestFinal_ex(h->ctx, d, &n) == 1 && n == 32)
        for (unsigned i = 0; i < n; i++)
            snprintf(hex + 2 * i, 3, "%02x", d[i]);
    evsha_release(h);
}

void evsha_release(struct evsha *h)
{
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
}
