/*
 * vla.c: a frame's size is fixed when the function is compiled, except for
 * variable-length arrays (and alloca), which move the stack pointer at run
 * time by an amount nobody checks.
 *
 * fixed_frame() has a 64-byte array; vla_frame(n) has an n-byte VLA. Each
 * returns how many bytes separate its frame address from its callee's:
 * that is its own frame, locals included.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. fixed_frame's frame has the same size whatever its argument;
 *   2. vla_frame(n)'s frame grows with n: by n bytes, give or take the
 *      16 that alignment rounds to;
 *   3. sizeof a VLA is computed at run time and equals n;
 *   4. this compiler supports VLAs: it does not define __STDC_NO_VLA__,
 *      the macro by which a C11 compiler says it leaves them out.
 *
 * Run: make demo LESSON=01 DEMO=vla
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns its own frame address; its caller's frame ends just above it. */
static __attribute__((noinline)) uintptr_t callee_frame(void)
{
    return (uintptr_t)__builtin_frame_address(0);
}

static __attribute__((noinline)) size_t fixed_frame(size_t n)
{
    char buf[64];

    memset(buf, (int)n, sizeof buf);
    return (uintptr_t)__builtin_frame_address(0) - callee_frame();
}

static size_t vla_sizeof; /* sizeof buf in the last call of vla_frame */

static __attribute__((noinline)) size_t vla_frame(size_t n)
{
    char buf[n]; /* n bytes of stack, whatever n is: no check, no error */

    memset(buf, 0, sizeof buf);
    vla_sizeof = sizeof buf;
    return (uintptr_t)__builtin_frame_address(0) - callee_frame();
}

static bool check(bool ok, const char *claim)
{
    if (!ok)
        printf("CONTRADICTS THE LESSON: %s\n", claim);
    return ok;
}

int main(void)
{
    const size_t sizes[] = { 1, 100, 1000, 100000 };
    const size_t fixed_base = fixed_frame(1);
    const size_t vla_base = vla_frame(1);
    bool ok = true;

    printf("%8s  %18s  %18s\n", "n", "fixed_frame(n)", "vla_frame(n)");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        size_t fixed = fixed_frame(n);
        size_t vla = vla_frame(n);

        printf("%8zu  %12zu bytes  %12zu bytes\n", n, fixed, vla);
        ok &= check(fixed == fixed_base, "a fixed frame does not depend on the arguments");
        ok &= check(vla - vla_base + 16 >= n && vla - vla_base <= n + 16,
                    "a VLA of n bytes grows its frame by n bytes");
        ok &= check(vla_sizeof == n, "sizeof a VLA is its length, computed at run time");
    }
#ifdef __STDC_NO_VLA__
    puts("__STDC_NO_VLA__ is defined: this compiler has no VLAs");
    ok = false;
#else
    puts("__STDC_NO_VLA__ is not defined: VLAs are supported here");
#endif
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
