/*
 * stack_growth.c: measures the stack by comparing where one local lives in
 * activations nested at different depths. The contract is in
 * stack_growth.h; the lesson's "Which way the stack grows" section shows the
 * idea.
 */
#include "stack_growth.h"

#include <stdint.h>

bool stack_grows_down(void)
{
    /* TODO: call a recursive helper (noinline, noclone) twice from here: once
     * 0 calls deep, once 1 call deep, each returning the address of its
     * innermost local as a uintptr_t. Which address is lower? */
    return false;
}

size_t stack_bytes_for_calls(unsigned calls)
{
    (void)calls;
    /* TODO: with the same helper, compare the local 0 calls deep with the
     * local `calls` calls deep, and return the distance in bytes. */
    return 0;
}
