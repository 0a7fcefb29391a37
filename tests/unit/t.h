/*
 * t.h: the unit-test harness. A test is `T_TEST(name) { ... }` in tests/unit/t_<module>.c; the
 * table of tests is generated from those lines (gen_table.sh), and `build/t_unit [FILTER]` runs
 * every test whose name contains FILTER. A failed assertion prints file:line and the values,
 * marks the test failed and returns from it.
 */
#ifndef BILAT_T_H
#define BILAT_T_H

#include <stdio.h>
#include <string.h>

struct t_case {
    const char *name;
    void (*fn)(void);
};

extern const struct t_case t_cases[];
extern int t_failed;       /* assertions failed in the current test */
extern const char *t_tmpdir; /* a scratch directory for the run, removed afterwards */

#define T_TEST(name)                                                                               \
    void t_##name(void);                                                                           \
    void t_##name(void)

#define T_FAIL_(...)                                                                               \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                            \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        t_failed++;                                                                                \
        return;                                                                                    \
    } while (0)

#define T_ASSERT(cond)                                                                             \
    do {                                                                                           \
        if (!(cond))                                                                               \
            T_FAIL_("assertion failed: %s", #cond);                                                \
    } while (0)

#define T_ASSERT_EQ_INT(a, b)                                                                      \
    do {                                                                                           \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);                                    \
        if (t_a_ != t_b_)                                                                          \
            T_FAIL_("%s == %s: %lld != %lld", #a, #b, t_a_, t_b_);                                 \
    } while (0)

#define T_ASSERT_STR(a, b)                                                                         \
    do {                                                                                           \
        const char *t_a_ = (a), *t_b_ = (b);                                                       \
        if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0)                                             \
            T_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, t_a_ ? t_a_ : "(null)",                   \
                    t_b_ ? t_b_ : "(null)");                                                       \
    } while (0)

#define T_ASSERT_NEAR(a, b, eps)                                                                   \
    do {                                                                                           \
        double t_a_ = (a), t_b_ = (b);                                                             \
        if (!(t_a_ - t_b_ <= (eps) && t_b_ - t_a_ <= (eps)))                                       \
            T_FAIL_("%s ~= %s: %.17g != %.17g", #a, #b, t_a_, t_b_);                               \
    } while (0)

/* Write `data` to a file under t_tmpdir; returns its path (static buffer, valid until the next
 * call). */
const char *t_write_file(const char *name, const char *data);

#endif
