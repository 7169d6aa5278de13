/*
 * Tests of checked_alloc.h: overflow-checked array allocation.
 *
 * To see whether the code under test called the allocator at all, a test
 * arms alloc_fail_after(0): any call is then refused and counted in
 * alloc_stats().failed, so `failed == 0` proves no call was made.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "checked_alloc.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Leaves a freed block of @p size bytes full of 0xA5 at the head of the
 * allocator's free list, so that the next malloc(size) hands out garbage,
 * as it would in a program that has been running for a while. */
static void dirty_next_block(size_t size)
{
    unsigned char *block = malloc(size);

    cr_assert(ne(ptr, block, NULL), "test setup: malloc failed");
    memset(block, 0xA5, size);
    free(block);
}

GRADED_TEST(checked_alloc, overflows_past_the_limit, 2,
            .description = "array_size_overflows is true when count * size "
                           "exceeds ARRAY_ALLOC_MAX, wrapped or not")
{
    cr_assert(array_size_overflows(SIZE_MAX, 2),
              "SIZE_MAX * 2 does not fit in a size_t: expected true");
    cr_assert(array_size_overflows(2, SIZE_MAX),
              "2 * SIZE_MAX does not fit in a size_t: expected true");
    cr_assert(array_size_overflows(SIZE_MAX / 2 + 1, 2),
              "(SIZE_MAX / 2 + 1) * 2 wraps around to 0: a check that "
              "multiplies first misses it; divide instead");
    cr_assert(array_size_overflows(ARRAY_ALLOC_MAX / 2 + 1, 2),
              "(ARRAY_ALLOC_MAX / 2 + 1) * 2 fits in a size_t but exceeds "
              "ARRAY_ALLOC_MAX: compare with ARRAY_ALLOC_MAX, not SIZE_MAX");
}

GRADED_TEST(checked_alloc, fits_up_to_the_limit, 1,
            .description = "array_size_overflows is false for products up "
                           "to ARRAY_ALLOC_MAX, and for zero factors")
{
    cr_assert(array_size_overflows(ARRAY_ALLOC_MAX / 4 + 1, 4),
              "(ARRAY_ALLOC_MAX / 4 + 1) * 4 is too large: expected true");
    cr_assert(not(array_size_overflows(ARRAY_ALLOC_MAX, 1)),
              "ARRAY_ALLOC_MAX * 1 is exactly the limit, which is allowed: "
              "is your comparison > or >=?");
    cr_assert(not(array_size_overflows(1, ARRAY_ALLOC_MAX)),
              "1 * ARRAY_ALLOC_MAX is exactly the limit, which is allowed");
    cr_assert(not(array_size_overflows(ARRAY_ALLOC_MAX / 8, 8)),
              "(ARRAY_ALLOC_MAX / 8) * 8 is below the limit");
    cr_assert(not(array_size_overflows(SIZE_MAX, 0)),
              "SIZE_MAX * 0 is 0, which fits (and size 0 must not be a "
              "division by zero)");
    cr_assert(not(array_size_overflows(0, SIZE_MAX)),
              "0 * SIZE_MAX is 0, which fits");
}

GRADED_TEST(checked_alloc, alloc_returns_usable_block, 2,
            .description = "array_alloc returns a block large enough for "
                           "count elements")
{
    int *numbers = array_alloc(10, sizeof *numbers);

    cr_assert(ne(ptr, numbers, NULL), "array_alloc(10, sizeof(int)) "
              "returned NULL");
    cr_assert(ge(sz, malloc_usable_size(numbers), 10 * sizeof *numbers),
              "the block is smaller than 10 ints: is the size count * size?");
    for (int i = 0; i < 10; i++)
        numbers[i] = i;
    cr_assert(eq(int, numbers[9], 9), "the last element did not keep its "
              "value");
    cr_assert(eq(sz, alloc_live_blocks(), 1),
              "array_alloc should allocate exactly one block");
    free(numbers);
}

GRADED_TEST(checked_alloc, alloc_zero_returns_freeable_block, 1,
            .description = "array_alloc with count 0 or size 0 returns a "
                           "block, never NULL")
{
    void *no_elements = array_alloc(0, 8);
    void *no_bytes = array_alloc(8, 0);

    cr_assert(ne(ptr, no_elements, NULL), "array_alloc(0, 8) must not "
              "return NULL: NULL means failure (rule 2 in checked_alloc.h)");
    cr_assert(ne(ptr, no_bytes, NULL), "array_alloc(8, 0) must not "
              "return NULL: NULL means failure (rule 2 in checked_alloc.h)");
    cr_assert(eq(sz, alloc_live_blocks(), 2),
              "each call should return its own block");
    free(no_elements);
    free(no_bytes);
}

GRADED_TEST(checked_alloc, alloc_refuses_overflow_without_calling_malloc, 2,
            .description = "array_alloc returns NULL with errno ENOMEM, "
                           "without calling malloc, when the size overflows")
{
    void *fits = array_alloc(4, 4);

    cr_assert(ne(ptr, fits, NULL), "array_alloc(4, 4) returned NULL");
    free(fits);

    alloc_fail_after(0);
    errno = 0;
    cr_assert(eq(ptr, array_alloc(SIZE_MAX / 2 + 1, 2), NULL),
              "(SIZE_MAX / 2 + 1) * 2 wraps to 0: array_alloc must refuse it");
    cr_assert(eq(int, errno, ENOMEM), "set errno to ENOMEM on overflow");
    cr_assert(eq(ptr, array_alloc(ARRAY_ALLOC_MAX, 2), NULL),
              "ARRAY_ALLOC_MAX * 2 exceeds the limit: array_alloc must "
              "refuse it");
    cr_assert(eq(sz, alloc_stats().failed, 0),
              "array_alloc called malloc with a size that overflowed: "
              "check with array_size_overflows() before calling malloc");
}

GRADED_TEST(checked_alloc, alloc_returns_null_when_malloc_fails, 1,
            .description = "array_alloc returns NULL when malloc fails")
{
    void *fits = array_alloc(4, 4);

    cr_assert(ne(ptr, fits, NULL), "array_alloc(4, 4) returned NULL");
    free(fits);

    alloc_fail_after(0);
    cr_assert(eq(ptr, array_alloc(4, 4), NULL),
              "malloc failed, so array_alloc must return NULL");
    cr_assert(eq(sz, alloc_stats().failed, 1),
              "array_alloc should call malloc exactly once");
}

GRADED_TEST(checked_alloc, zalloc_returns_zeroed_block, 2,
            .description = "array_zalloc returns a block whose every byte "
                           "is zero, even where malloc would give garbage")
{
    dirty_next_block(64 * sizeof(int));
    unsigned char *bytes = array_zalloc(64, sizeof(int));

    cr_assert(ne(ptr, bytes, NULL), "array_zalloc(64, sizeof(int)) "
              "returned NULL");
    for (size_t i = 0; i < 64 * sizeof(int); i++)
        cr_assert(eq(u8, bytes[i], 0), "byte %zu is not zero: malloc does "
                  "not clear memory; use calloc", i);
    free(bytes);
}

GRADED_TEST(checked_alloc, zalloc_refuses_overflow, 1,
            .description = "array_zalloc returns NULL with errno ENOMEM "
                           "when the size overflows")
{
    void *fits = array_zalloc(0, 4);

    cr_assert(ne(ptr, fits, NULL), "array_zalloc(0, 4) must return a "
              "block (rule 2), not NULL");
    free(fits);

    alloc_fail_after(0);
    errno = 0;
    cr_assert(eq(ptr, array_zalloc(ARRAY_ALLOC_MAX / 2 + 1, 2), NULL),
              "(ARRAY_ALLOC_MAX / 2 + 1) * 2 is over the limit");
    cr_assert(eq(int, errno, ENOMEM), "set errno to ENOMEM on overflow");
    cr_assert(eq(sz, alloc_stats().failed, 0),
              "array_zalloc called the allocator with a size that is over "
              "the limit: check it first");
}

GRADED_TEST(checked_alloc, realloc_grows_keeping_contents, 2,
            .description = "array_realloc grows a block and keeps its "
                           "elements")
{
    int *numbers = malloc(4 * sizeof *numbers);

    cr_assert(ne(ptr, numbers, NULL), "test setup: malloc failed");
    for (int i = 0; i < 4; i++)
        numbers[i] = 10 * i;
    int *grown = array_realloc(numbers, 1000, sizeof *grown);

    cr_assert(ne(ptr, grown, NULL), "array_realloc(p, 1000, sizeof(int)) "
              "returned NULL");
    cr_assert(ge(sz, malloc_usable_size(grown), 1000 * sizeof *grown),
              "the block is smaller than 1000 ints");
    for (int i = 0; i < 4; i++)
        cr_assert(eq(int, grown[i], 10 * i), "element %d changed: "
                  "use realloc, which copies the old contents", i);
    grown[999] = 1;
    free(grown);
}

GRADED_TEST(checked_alloc, realloc_of_null_allocates, 1,
            .description = "array_realloc(NULL, count, size) allocates a "
                           "new block")
{
    void *block = array_realloc(NULL, 3, 8);

    cr_assert(ne(ptr, block, NULL), "array_realloc(NULL, 3, 8) must "
              "allocate, as realloc(NULL, n) does");
    cr_assert(eq(sz, alloc_live_blocks(), 1), "array_realloc(NULL, ...) "
              "should allocate exactly one block");
    free(block);
}

GRADED_TEST(checked_alloc, realloc_to_zero_keeps_a_block, 1,
            .description = "array_realloc to zero elements returns a block "
                           "instead of freeing")
{
    char *text = malloc(16);

    cr_assert(ne(ptr, text, NULL), "test setup: malloc failed");
    text[0] = 'x';
    char *shrunk = array_realloc(text, 0, 8);

    cr_assert(ne(ptr, shrunk, NULL), "array_realloc(p, 0, 8) returned "
              "NULL: did you pass 0 to realloc? glibc then frees the block; "
              "ask for one byte instead (rule 2)");
    cr_assert(eq(chr, shrunk[0], 'x'), "the first byte must survive");
    free(shrunk);
}

GRADED_TEST(checked_alloc, realloc_overflow_leaves_block_untouched, 2,
            .description = "array_realloc refuses an overflowing size and "
                           "leaves the old block valid")
{
    int *numbers = malloc(4 * sizeof *numbers);

    cr_assert(ne(ptr, numbers, NULL), "test setup: malloc failed");
    numbers[3] = 42;
    int *same = array_realloc(numbers, 8, sizeof *same);

    cr_assert(ne(ptr, same, NULL), "array_realloc(p, 8, sizeof(int)) "
              "returned NULL");
    numbers = same;

    alloc_fail_after(0);
    errno = 0;
    cr_assert(eq(ptr, array_realloc(numbers, SIZE_MAX / 4 + 2, 4), NULL),
              "(SIZE_MAX / 4 + 2) * 4 wraps to 4: array_realloc must "
              "refuse it");
    cr_assert(eq(int, errno, ENOMEM), "set errno to ENOMEM on overflow");
    cr_assert(eq(sz, alloc_stats().failed, 0),
              "array_realloc called realloc with an overflowing size");
    cr_assert(eq(int, numbers[3], 42),
              "the old block must stay valid and unchanged after a failure");
    free(numbers);
}

GRADED_TEST(checked_alloc, realloc_failure_leaves_block_untouched, 1,
            .description = "when realloc fails, array_realloc returns NULL "
                           "and the old block is still valid")
{
    int *numbers = malloc(4 * sizeof *numbers);

    cr_assert(ne(ptr, numbers, NULL), "test setup: malloc failed");
    numbers[0] = 7;
    int *grown = array_realloc(numbers, 8, sizeof *grown);

    cr_assert(ne(ptr, grown, NULL), "array_realloc(p, 8, sizeof(int)) "
              "returned NULL");
    numbers = grown;

    alloc_fail_after(0);
    cr_assert(eq(ptr, array_realloc(numbers, 1000, sizeof *numbers), NULL),
              "realloc failed, so array_realloc must return NULL");
    cr_assert(eq(int, numbers[0], 7),
              "after a failed realloc the old block is still the caller's, "
              "unchanged: do not free it");
    free(numbers);
}
