/*
 * fuzz_coder_lex.c: the coder's tokenizer and sentence splitter on arbitrary bytes: tokens must
 * stay inside the input, in order and without overlap, keys must be non-empty, and sentence
 * ends must advance.
 */
#include "coder/lex.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lex lx = LEX_INIT;
    const char *s = (const char *)data;
    if (lex_line(&lx, s, size) == 0) {
        uint32_t prev_end = 0;
        for (size_t i = 0; i < lx.n; i++) {
            const struct lex_tok *t = &lx.tok[i];
            if (t->off < prev_end || (size_t)t->off + t->len > size || t->len == 0 ||
                t->nlen == 0 || (size_t)t->noff + t->nlen > lx.nlen)
                abort();
            prev_end = t->off + t->len;
        }
        for (size_t st = 0; st < lx.n;) {
            size_t e = lex_sentence_end(&lx, s, st);
            if (e <= st || e > lx.n)
                abort();
            st = e;
        }
    }
    lex_release(&lx);
    return 0;
}
