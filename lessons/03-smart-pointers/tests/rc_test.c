/*
 * Tests of rc.h, the reference-counted buffer.
 *
 * The destroy function below records every call. Buffers whose data owns
 * a string free it in their destroy function through the learner's
 * counted allocator, so a destroy that never runs leaves a block that
 * alloc_live_blocks() counts, and one that runs twice is a double free.
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "rc.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every call of the destroy functions, in this test's process. */
static struct {
    int calls;       /* how many times one ran */
    void *last_data; /* the data it was given last */
} destroys;

/* The data of a buffer that owns a string. */
struct label {
    char *text; /* owned: label_destroy frees it */
};

static void record_destroy(void *data)
{
    destroys.calls++;
    destroys.last_data = data;
}

static void label_destroy(void *data)
{
    struct label *l = data;

    record_destroy(data);
    course_free(l->text);
    l->text = NULL;
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

/* Returns a new buffer whose data is a label owning a copy of text. */
static struct rc *label_new(const char *text)
{
    struct rc *rc = rc_new(sizeof(struct label), label_destroy);

    cr_assert(ne(ptr, rc, NULL), "rc_new returned NULL");
    struct label *l = rc_data(rc);
    cr_assert(ne(ptr, l, NULL), "rc_data returned NULL for a live buffer");
    l->text = course_strdup(text);
    return rc;
}

GRADED_TEST(rc, new_holds_one_reference_to_zeroed_data, 2,
            .description = "rc_new returns a count of 1 and zero-filled, "
                           "aligned data; the one rc_unref frees it")
{
    unsigned char zeros[40] = { 0 };

    dirty_heap();
    struct rc *rc = rc_new(sizeof zeros, NULL);
    cr_assert(ne(ptr, rc, NULL), "rc_new(40, NULL) returned NULL");
    cr_assert(eq(sz, rc_count(rc), 1), "a new buffer has count %zu: the "
              "count starts at 1, the caller's reference", rc_count(rc));
    cr_assert(eq(sz, rc_size(rc), sizeof zeros), "rc_size should be 40");
    void *data = rc_data(rc);
    cr_assert(ne(ptr, data, NULL), "rc_data returned NULL");
    cr_assert(eq(u64, (uintptr_t)data % alignof(max_align_t), 0),
              "the data is not aligned like a malloc block");
    cr_assert(eq(int, memcmp(data, zeros, sizeof zeros), 0), "the data is "
              "not all zero: rc_new must clear it");
    cr_assert(eq(ptr, rc_unref(rc), NULL), "rc_unref returns NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the only reference was "
              "given back, but %zu block(s) are left", alloc_live_blocks());

    rc = rc_new(0, NULL);
    cr_assert(ne(ptr, rc, NULL), "rc_new(0, NULL) is allowed");
    cr_assert(ne(ptr, rc_data(rc), NULL), "rc_data of a 0-byte buffer is "
              "not NULL");
    rc_unref(rc);
    cr_assert(eq(sz, rc_count(NULL), 0), "rc_count(NULL) is 0");
    cr_assert(eq(ptr, rc_data(NULL), NULL), "rc_data(NULL) is NULL");
    cr_assert(eq(sz, rc_size(NULL), 0), "rc_size(NULL) is 0");
}

GRADED_TEST(rc, ref_returns_its_argument, 1,
            .description = "rc_ref returns the same buffer with one more "
                           "reference; rc_ref(NULL) and rc_unref(NULL) are "
                           "NULL")
{
    struct rc *rc = rc_new(8, record_destroy);

    cr_assert(ne(ptr, rc, NULL), "rc_new returned NULL");
    struct rc *other = rc_ref(rc);
    cr_assert(eq(ptr, other, rc), "rc_ref must return its argument");
    cr_assert(eq(sz, rc_count(rc), 2), "after one rc_ref the count is 2, "
              "not %zu", rc_count(rc));
    cr_assert(eq(ptr, rc_unref(other), NULL), "rc_unref returns NULL");
    cr_assert(eq(sz, rc_count(rc), 1), "after rc_unref the count is 1");
    cr_assert(eq(int, destroys.calls, 0), "destroy ran while a reference "
              "was still held");
    cr_assert(eq(ptr, rc_ref(NULL), NULL), "rc_ref(NULL) is NULL");
    cr_assert(eq(ptr, rc_unref(NULL), NULL), "rc_unref(NULL) is NULL");
    rc_unref(rc);
    cr_assert(eq(int, destroys.calls, 1), "destroy should have run once");
}

GRADED_TEST(rc, destroy_runs_once_at_the_last_unref, 2,
            .description = "with three owners, destroy runs exactly once, "
                           "on the data, when the last one gives its "
                           "reference back")
{
    struct rc *a = label_new("shared");
    struct rc *b = rc_ref(a);
    struct rc *c = rc_ref(a);
    void *data = rc_data(a);

    cr_assert(eq(sz, rc_count(a), 3), "three owners: count 3, not %zu",
              rc_count(a));
    a = rc_unref(a);
    c = rc_unref(c);
    cr_assert(eq(int, destroys.calls, 0), "destroy ran at count %zu: it "
              "runs only when the count reaches 0", rc_count(b));
    cr_assert(eq(str, ((struct label *)rc_data(b))->text, "shared"),
              "the last owner's data changed");
    b = rc_unref(b);
    cr_assert(eq(int, destroys.calls, 1), "destroy ran %d times, expected "
              "exactly once", destroys.calls);
    cr_assert(eq(ptr, destroys.last_data, data), "destroy was given %p, "
              "not the data %p", destroys.last_data, data);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left after the "
              "last unref: free the buffer after destroy",
              alloc_live_blocks());
}

GRADED_TEST(rc, ref_refuses_past_the_maximum, 2,
            .description = "rc_ref succeeds up to RC_COUNT_MAX references "
                           "and refuses the next one, leaving the count "
                           "unchanged")
{
    struct rc *rc = rc_new(8, record_destroy);

    cr_assert(ne(ptr, rc, NULL), "rc_new returned NULL");
    for (size_t count = 1; count < RC_COUNT_MAX; count++)
        cr_assert(eq(ptr, rc_ref(rc), rc), "rc_ref refused at count %zu, "
                  "below RC_COUNT_MAX (%d)", count, RC_COUNT_MAX);
    cr_assert(eq(sz, rc_count(rc), RC_COUNT_MAX), "count should be "
              "RC_COUNT_MAX");
    cr_assert(eq(ptr, rc_ref(rc), NULL), "rc_ref at RC_COUNT_MAX must "
              "refuse (NULL)");
    cr_assert(eq(sz, rc_count(rc), RC_COUNT_MAX), "a refused rc_ref "
              "changed the count to %zu", rc_count(rc));
    for (size_t count = RC_COUNT_MAX; count > 0; count--)
        rc_unref(rc);
    cr_assert(eq(int, destroys.calls, 1), "after RC_COUNT_MAX unrefs, "
              "destroy should have run once, not %d times", destroys.calls);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the buffer was not freed");
}

GRADED_TEST(rc, refuses_too_large_sizes_before_allocating, 1,
            .description = "rc_new refuses sizes above RC_MAX_SIZE without "
                           "calling the allocator, and tries RC_MAX_SIZE")
{
    struct rc *rc = rc_new(8, NULL);

    cr_assert(ne(ptr, rc, NULL), "rc_new(8, NULL) returned NULL");
    rc_unref(rc);
    alloc_fail_after(0);
    size_t failed = alloc_stats().failed;
    cr_assert(eq(ptr, rc_new(RC_MAX_SIZE + 1, NULL), NULL),
              "RC_MAX_SIZE + 1 is refused");
    cr_assert(eq(ptr, rc_new(SIZE_MAX, NULL), NULL), "SIZE_MAX is refused");
    cr_assert(eq(sz, alloc_stats().failed, failed), "rc_new called the "
              "allocator for a size above RC_MAX_SIZE: check it first "
              "(the header's size plus SIZE_MAX wraps)");
    cr_assert(eq(ptr, rc_new(RC_MAX_SIZE, NULL), NULL), "the allocator "
              "refused, so rc_new must return NULL");
    cr_assert(ne(sz, alloc_stats().failed, failed), "rc_new refused "
              "RC_MAX_SIZE itself: the limit is inclusive");
}

GRADED_TEST(rc, allocation_failure_leaves_nothing, 1,
            .description = "when an allocation fails, rc_new returns NULL "
                           "and leaves no block allocated")
{
    struct rc *rc = NULL;
    size_t successes = 0;

    for (; successes < 64 && !rc; successes++) {
        alloc_fail_after(successes);
        rc = rc_new(16, record_destroy);
        alloc_fail_never();
        if (!rc)
            cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu "
                      "failed and rc_new left a block allocated",
                      successes + 1);
    }
    cr_assert(ne(ptr, rc, NULL), "rc_new never succeeded");
    cr_assert(eq(int, destroys.calls, 0), "a failed rc_new ran destroy");
    rc_unref(rc);
}
