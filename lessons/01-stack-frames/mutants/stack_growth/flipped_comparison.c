/* MUTANT: stack_grows_down compares the two addresses the wrong way round */
/*
 * stack_growth.c: measures the stack by comparing where one local lives in
 * activations nested at different depths.
 *
 * local_at_depth(0) called from F runs in the frame right below F's (or
 * above it, on a machine whose stack grows up). local_at_depth(n) called from
 * the same place recurses n more times, so its innermost activation runs n
 * frames further along. Both return the address of their innermost `local`;
 * the two addresses differ by exactly n frames of local_at_depth, and which
 * one is lower says which way the stack grows.
 */
#include "stack_growth.h"

#include <stdint.h>

/*
 * Returns the address of `local` in the activation calls_left calls deeper
 * than this one. noinline and noclone keep every activation a real call of
 * this one function; writing `local` after the recursive call returns keeps
 * that call from becoming a jump that would reuse this frame.
 */
static __attribute__((noinline, noclone)) uintptr_t local_at_depth(unsigned calls_left)
{
    volatile char local = 0;
    const uintptr_t innermost = calls_left == 0 ? (uintptr_t)&local
                                                : local_at_depth(calls_left - 1);

    local = 1;
    return innermost;
}

bool stack_grows_down(void)
{
    const uintptr_t outer = local_at_depth(0);
    const uintptr_t deeper = local_at_depth(1);

    return deeper > outer;
}

size_t stack_bytes_for_calls(unsigned calls)
{
    const uintptr_t outer = local_at_depth(0);
    const uintptr_t inner = local_at_depth(calls);

    return inner < outer ? outer - inner : inner - outer;
}
