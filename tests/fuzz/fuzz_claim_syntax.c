/*
 * fuzz_claim_syntax.c: the claims file's small languages (store/claim_syntax.c). Any input is
 * either rejected with a reason or parsed; a parsed expectation formats to text that parses to
 * the same expectation; a parsed call names a known measure with its required arguments.
 */
#include "store/claim_syntax.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[1024];
    if (size >= sizeof(s))
        size = sizeof(s) - 1;
    memcpy(s, data, size);
    s[size] = '\0';
    char why[256];
    struct claim_expect e, e2;
    if (claim_expect_parse(s, &e, why, sizeof(why)) == 0) {
        char text[128];
        claim_expect_format(&e, text, sizeof(text));
        if (claim_expect_parse(text, &e2, why, sizeof(why)) != 0 || e2.kind != e.kind ||
            e2.cmp != e.cmp || e2.top != e.top || strcmp(e2.key, e.key) != 0)
            __builtin_trap();
        if ((e.kind == CE_CMP || e.kind == CE_BETWEEN) && (!isfinite(e.x) || !isfinite(e.y)))
            __builtin_trap();
        (void)claim_expect_holds(&e, 1.0);
    } else if (!why[0]) {
        __builtin_trap();
    }
    struct claim_call c;
    if (claim_call_parse(s, &c, why, sizeof(why)) == 0) {
        const struct claim_measure_desc *d = claim_measure_find(c.name);
        if (!d || c.nargs > CLAIM_MAX_ARGS)
            __builtin_trap();
        for (size_t a = 0; d->args[a].name; a++)
            if (d->args[a].required && !claim_call_arg(&c, d->args[a].name))
                __builtin_trap();
    } else if (!why[0]) {
        __builtin_trap();
    }
    return 0;
}
