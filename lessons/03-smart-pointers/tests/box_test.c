/*
 * Tests of box.h, the owned box.
 *
 * The drop function below records every call, so the tests see whether
 * box_free() runs it exactly once and on the right value. Values that own
 * a string free it in their drop function, through the learner's counted
 * allocator, so a box that never runs its drop leaves a block that
 * alloc_live_blocks() counts.
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "box.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every call of record_drop(), in this test's process. */
static struct {
    int calls;        /* how many times it ran */
    void *last_value; /* the value it was given last */
} drops;

/* A value that owns a string, as a Rust struct with a String field. */
struct named {
    int id;
    char *name; /* owned: the drop function frees it */
};

static void record_drop(void *value)
{
    drops.calls++;
    drops.last_value = value;
}

static void named_drop(void *value)
{
    struct named *n = value;

    record_drop(value);
    course_free(n->name);
    n->name = NULL;
}

/* Leaves freed blocks full of 0xA5 in every small size class, so that a
 * new block is not zero by luck. */
static void dirty_heap(void)
{
    void *blocks[32];

    for (size_t i = 0; i < 32; i++) {
        blocks[i] = malloc(16 + 16 * i);
        cr_assert(ne(ptr, blocks[i], NULL), "test setup: malloc failed");
        memset(blocks[i], 0xA5, 16 + 16 * i);
    }
    for (size_t i = 0; i < 32; i++)
        free(blocks[i]);
}

GRADED_TEST(box, new_copies_the_value, 2,
            .description = "box_new copies the value into an aligned block "
                           "that box_get and box_size describe")
{
    double pi = 3.14159;
    struct box *b = box_new(&pi, sizeof pi, NULL);

    cr_assert(ne(ptr, b, NULL), "box_new(&pi, 8, NULL) returned NULL");
    double *value = box_get(b);
    cr_assert(ne(ptr, value, NULL), "box_get returned NULL for a live box");
    cr_assert(ne(ptr, (void *)value, (void *)&pi), "box_get returned the "
              "caller's variable: the box must hold its own copy");
    pi = 0;
    cr_assert(eq(dbl, *value, 3.14159), "the box's value changed with the "
              "original: copy the bytes in box_new");
    cr_assert(eq(sz, box_size(b), sizeof pi), "box_size should be the size "
              "given to box_new");
    cr_assert(eq(u64, (uintptr_t)value % alignof(max_align_t), 0),
              "the value at %p is not aligned like a malloc block: put it "
              "after the fields as a max_align_t flexible array member",
              (void *)value);
    cr_assert(eq(ptr, box_free(b), NULL), "box_free returns NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "box_free left %zu block(s)",
              alloc_live_blocks());
    cr_assert(eq(ptr, box_get(NULL), NULL), "box_get(NULL) is NULL");
    cr_assert(eq(sz, box_size(NULL), 0), "box_size(NULL) is 0");
}

GRADED_TEST(box, null_value_is_zero_filled, 1,
            .description = "box_new(NULL, size, drop) gives a value of zero "
                           "bytes, even in recycled memory")
{
    unsigned char zeros[200] = { 0 };

    dirty_heap();
    struct box *b = box_new(NULL, sizeof zeros, NULL);
    cr_assert(ne(ptr, b, NULL), "box_new(NULL, 200, NULL) returned NULL");
    cr_assert(eq(int, memcmp(box_get(b), zeros, sizeof zeros), 0),
              "the value is not all zero: malloc does not clear memory, so "
              "box_new must when value is NULL");
    box_free(b);
}

GRADED_TEST(box, refuses_bad_sizes_before_allocating, 2,
            .description = "box_new refuses size 0 and sizes above "
                           "BOX_MAX_SIZE without calling the allocator, and "
                           "tries BOX_MAX_SIZE itself")
{
    int one = 1;
    struct box *b = box_new(&one, sizeof one, NULL);

    cr_assert(ne(ptr, b, NULL), "box_new(&one, 4, NULL) returned NULL");
    box_free(b);

    alloc_fail_after(0); /* any allocation from here on fails, and counts */
    size_t failed = alloc_stats().failed;
    cr_assert(eq(ptr, box_new(&one, 0, NULL), NULL), "size 0 is refused");
    cr_assert(eq(ptr, box_new(NULL, BOX_MAX_SIZE + 1, NULL), NULL),
              "BOX_MAX_SIZE + 1 is refused");
    cr_assert(eq(ptr, box_new(NULL, SIZE_MAX, NULL), NULL),
              "SIZE_MAX is refused");
    cr_assert(eq(sz, alloc_stats().failed, failed), "box_new called the "
              "allocator for size 0 or a size above BOX_MAX_SIZE: check the "
              "size first (sizeof + SIZE_MAX wraps to a tiny block)");
    cr_assert(eq(ptr, box_new(NULL, BOX_MAX_SIZE, NULL), NULL),
              "the allocator refused, so box_new must return NULL");
    cr_assert(ne(sz, alloc_stats().failed, failed), "box_new refused "
              "BOX_MAX_SIZE without asking the allocator: the limit is "
              "inclusive (size > BOX_MAX_SIZE is too large, not >=)");
}

GRADED_TEST(box, allocation_failure_leaves_nothing, 1,
            .description = "when an allocation fails, box_new returns NULL "
                           "and leaves no block allocated")
{
    int x = 7;
    struct box *b = NULL;
    size_t successes = 0;

    /* Fail the first allocation, then the second... until box_new has
     * every allocation it needs. */
    for (; successes < 64 && !b; successes++) {
        alloc_fail_after(successes);
        b = box_new(&x, sizeof x, NULL);
        alloc_fail_never();
        if (!b)
            cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu "
                      "failed and box_new left a block allocated",
                      successes + 1);
    }
    cr_assert(ne(ptr, b, NULL), "box_new never succeeded, even with %zu "
              "allocations allowed", successes);
    cr_assert(eq(int, *(int *)box_get(b), 7), "wrong value");
    box_free(b);
}

GRADED_TEST(box, free_runs_drop_once_on_the_value, 2,
            .description = "box_free runs the drop function exactly once, "
                           "on the value, then frees the box")
{
    struct named n = { .id = 3, .name = course_strdup("seven") };
    struct box *b = box_new(&n, sizeof n, named_drop);

    cr_assert(ne(ptr, b, NULL), "box_new returned NULL");
    void *value = box_get(b);
    cr_assert(eq(int, drops.calls, 0), "the drop function ran before "
              "box_free");
    cr_assert(eq(ptr, box_free(b), NULL), "box_free returns NULL");
    cr_assert(eq(int, drops.calls, 1), "the drop function ran %d times, "
              "expected exactly once", drops.calls);
    cr_assert(eq(ptr, drops.last_value, value), "drop was given %p, not "
              "the value %p", drops.last_value, value);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left after "
              "box_free: does it run drop (which frees the name) and free "
              "the box?", alloc_live_blocks());
    cr_assert(eq(ptr, box_free(NULL), NULL), "box_free(NULL) does nothing");
    cr_assert(eq(int, drops.calls, 1), "box_free(NULL) ran a drop function");
}

GRADED_TEST(box, take_moves_ownership, 2,
            .description = "box_take returns the box and empties the "
                           "variable, so only one owner frees it")
{
    struct box *theirs = box_new(NULL, 16, record_drop);

    cr_assert(ne(ptr, theirs, NULL), "box_new returned NULL");
    struct box *const original = theirs;
    struct box *mine = box_take(&theirs);

    cr_assert(eq(ptr, mine, original), "box_take returns the box the "
              "variable held");
    cr_assert(eq(ptr, theirs, NULL), "box_take must set the source "
              "variable to NULL: otherwise two variables own the box");
    box_free(theirs); /* NULL: nothing happens */
    box_free(mine);
    cr_assert(eq(int, drops.calls, 1), "the box was dropped %d times",
              drops.calls);
    cr_assert(eq(ptr, box_take(NULL), NULL), "box_take(NULL) is NULL");
    cr_assert(eq(ptr, box_take(&theirs), NULL), "taking from an empty "
              "variable gives NULL");
}

GRADED_TEST(box, freep_frees_at_end_of_scope, 1,
            .description = "box_freep, as a cleanup function, frees the box "
                           "when its variable goes out of scope")
{
    {
        __attribute__((cleanup(box_freep))) struct box *b =
            box_new(NULL, 32, record_drop);

        cr_assert(ne(ptr, b, NULL), "box_new returned NULL");
    } /* box_freep(&b) runs here */
    cr_assert(eq(int, drops.calls, 1), "box_freep did not free the box "
              "(the drop function ran %d times)", drops.calls);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "box_freep left a block");

    struct box *b = box_new(NULL, 8, NULL);
    box_freep(&b);
    cr_assert(eq(ptr, b, NULL), "box_freep must set the variable to NULL");
    box_freep(&b); /* holds NULL: nothing happens */
    box_freep(NULL);
}
