/*
 * stack_growth_test.c: the direction of growth and the size of frames, as
 * they are on x86-64 Linux with gcc, where these tests run.
 */
#include "course_test.h"
#include "stack_growth.h"

#include <stddef.h>

/* Smallest frame of a function that calls another: its return address and
 * the saved frame pointer, 8 bytes each. */
#define MIN_FRAME 16
/* A generous bound for the frame of a function with a few small locals. */
#define MAX_FRAME 4096

/* Calls stack_bytes_for_calls(calls) from depth extra frames further down. */
static __attribute__((noinline, noclone)) size_t bytes_from_depth(unsigned depth,
                                                                  unsigned calls)
{
    volatile unsigned char zero = 0; /* read after the call: not a tail call */
    const size_t bytes = depth == 0 ? stack_bytes_for_calls(calls)
                                    : bytes_from_depth(depth - 1, calls);

    return bytes + zero;
}

GRADED_TEST(stack_growth, grows_down_on_x86_64, 2,
            .description = "stack_grows_down() is true on x86-64")
{
    cr_assert(stack_grows_down(),
              "on x86-64 a deeper frame lies at a lower address: compare the "
              "local 1 call deep with the local 0 calls deep, as uintptr_t, "
              "the right way round");
}

GRADED_TEST(stack_growth, one_call_takes_one_frame, 1,
            .description = "one call takes one frame: at least 16 bytes, at most a few KiB")
{
    const size_t one = stack_bytes_for_calls(1);

    cr_assert(ge(sz, one, MIN_FRAME),
              "one call took %zu bytes, but a return address and a saved frame "
              "pointer alone take 16: is the helper really recursing, with "
              "noinline?", one);
    cr_assert(le(sz, one, MAX_FRAME),
              "one call took %zu bytes, far more than a frame with a few locals: "
              "is the subtraction the right way round (unsigned wrap-around)?",
              one);
}

GRADED_TEST(stack_growth, zero_calls_take_no_stack, 1,
            .description = "stack_bytes_for_calls(0) is 0")
{
    cr_assert(ne(sz, stack_bytes_for_calls(1), 0),
              "stack_bytes_for_calls(1) must be positive first");
    cr_assert(eq(sz, stack_bytes_for_calls(0), 0),
              "0 calls deep is the outermost activation itself: compare its "
              "local with itself (check for an extra call, or for measuring "
              "from another variable)");
}

GRADED_TEST(stack_growth, grows_by_one_frame_per_call, 2,
            .description = "100 calls take exactly 100 times the stack of one call")
{
    const size_t one = stack_bytes_for_calls(1);
    const size_t hundred = stack_bytes_for_calls(100);

    cr_assert(ne(sz, one, 0), "stack_bytes_for_calls(1) must be positive");
    cr_assert(eq(sz, hundred, 100 * one),
              "1 call took %zu bytes, so 100 calls of the same function should "
              "take %zu, not %zu: every frame of one function has the same "
              "size. Do you compare the same local at both depths, and recurse "
              "exactly `calls` times?", one, 100 * one, hundred);
}

GRADED_TEST(stack_growth, same_answer_from_any_depth, 1,
            .description = "the answer does not depend on how deep the caller is")
{
    const size_t here = stack_bytes_for_calls(10);
    const size_t deeper = bytes_from_depth(5, 10);

    cr_assert(ne(sz, here, 0), "stack_bytes_for_calls(10) must be positive");
    cr_assert(eq(sz, deeper, here),
              "called 5 frames deeper, stack_bytes_for_calls(10) gave %zu "
              "instead of %zu: measure both ends during this call, not "
              "against an address remembered from an earlier one",
              deeper, here);
}
