/*
 * Tests of weak.h, strong and weak references.
 *
 * Two things are checked separately: when the data dies (the destroy
 * function records it) and when the block dies (alloc_live_blocks() drops
 * to 0; and Valgrind reports any read of the counts after the block was
 * freed).
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "weak.h"

#include <stdbool.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int destroy_calls; /* calls of count_destroy in this process */

static void count_destroy(void *data)
{
    (void)data;
    destroy_calls++;
}

/* Returns a new object of 16 bytes whose destroy is count_destroy. */
static struct shared *object_new(void)
{
    struct shared *s = shared_new(16, count_destroy);

    cr_assert(ne(ptr, s, NULL), "shared_new returned NULL");
    return s;
}

/* Returns a weak reference to s, asserting that shared_downgrade worked. */
static struct weak *downgrade(struct shared *s)
{
    struct weak *w = shared_downgrade(s);

    cr_assert(ne(ptr, w, NULL), "shared_downgrade returned NULL");
    return w;
}

GRADED_TEST(weak, new_and_downgrade_count_references, 1,
            .description = "shared_new starts at strong 1, weak 0 with zeroed "
                           "data; shared_downgrade adds a weak reference")
{
    unsigned char zeros[16] = { 0 };
    struct shared *s = object_new();

    cr_assert(eq(int, memcmp(shared_data(s), zeros, 16), 0), "the data is "
              "not zero-filled");
    struct weak *w = downgrade(s);
    cr_assert(eq(sz, weak_strong_count(w), 1), "strong should be 1");
    cr_assert(eq(sz, weak_weak_count(w), 1), "weak should be 1 after one "
              "shared_downgrade (it starts at 0)");
    cr_assert(eq(ptr, shared_ref(s), s), "shared_ref returns its argument");
    cr_assert(eq(sz, weak_strong_count(w), 2), "strong should be 2 after "
              "shared_ref");
    shared_unref(s);
    shared_unref(s);
    weak_unref(w);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "every reference was given "
              "back, but %zu block(s) are left", alloc_live_blocks());
}

GRADED_TEST(weak, upgrade_while_alive_gives_a_strong_reference, 2,
            .description = "weak_upgrade of a live object returns it with "
                           "one more strong reference")
{
    struct shared *s = object_new();
    struct weak *w = downgrade(s);
    struct shared *again = weak_upgrade(w);

    cr_assert(eq(ptr, again, s), "weak_upgrade should return the object");
    cr_assert(eq(sz, weak_strong_count(w), 2), "an upgrade adds a strong "
              "reference: strong should be 2");
    cr_assert(eq(sz, weak_weak_count(w), 1), "an upgrade does not give the "
              "weak reference back: weak should stay 1");
    shared_unref(again);
    shared_unref(s);
    cr_assert(eq(int, destroy_calls, 1), "destroy should run at the last "
              "strong unref");
    weak_unref(w);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the block was not freed");
}

GRADED_TEST(weak, upgrade_fails_after_the_last_strong_unref, 3,
            .description = "after the last strong unref the data is "
                           "destroyed, the block stays for the weak "
                           "reference, and weak_upgrade returns NULL")
{
    struct shared *s = object_new();
    struct weak *w = downgrade(s);

    s = shared_unref(s);
    cr_assert(eq(int, destroy_calls, 1), "the last strong unref must run "
              "destroy, even with weak references left");
    cr_assert(ne(sz, alloc_live_blocks(), 0), "the block must live while "
              "a weak reference needs its counts");
    cr_assert(eq(sz, weak_strong_count(w), 0), "strong should read 0");
    cr_assert(eq(ptr, weak_upgrade(w), NULL), "weak_upgrade must fail once "
              "strong is 0: the data was destroyed");
    cr_assert(eq(sz, weak_strong_count(w), 0), "a failed upgrade must not "
              "change strong");
    cr_assert(eq(int, destroy_calls, 1), "destroy ran again");
    weak_unref(w);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the last weak unref, with "
              "strong 0, must free the block");
}

GRADED_TEST(weak, block_lives_until_the_last_weak_reference, 2,
            .description = "with two weak references and no strong one, "
                           "the block is freed by the second weak_unref, "
                           "not the first")
{
    struct shared *s = object_new();
    struct weak *w1 = downgrade(s);
    struct weak *w2 = weak_ref(w1);

    cr_assert(eq(ptr, w2, w1), "weak_ref returns its argument");
    cr_assert(eq(sz, weak_weak_count(w1), 2), "weak should be 2");
    shared_unref(s);
    weak_unref(w1);
    cr_assert(eq(sz, weak_weak_count(w2), 1), "one weak reference is left: "
              "weak should be 1");
    cr_assert(eq(ptr, weak_upgrade(w2), NULL), "the data is gone");
    weak_unref(w2);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the block was not freed");
    cr_assert(eq(int, destroy_calls, 1), "destroy should run exactly once");
}

GRADED_TEST(weak, weak_references_do_not_keep_data_or_free_it, 1,
            .description = "giving back every weak reference while a strong "
                           "one lives frees nothing; the strong unref then "
                           "frees everything")
{
    struct shared *s = object_new();
    struct weak *w = downgrade(s);

    memcpy(shared_data(s), "still here", 11);
    weak_unref(w);
    cr_assert(eq(int, destroy_calls, 0), "a weak unref destroyed the data");
    cr_assert(ne(sz, alloc_live_blocks(), 0), "a weak unref freed the "
              "block while a strong reference lives");
    cr_assert(eq(str, (char *)shared_data(s), "still here"), "the data "
              "changed");
    shared_unref(s);
    cr_assert(eq(int, destroy_calls, 1), "destroy should run once");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "strong 0 and weak 0: the "
              "block must be freed");
}

/* A tree node: a parent owns its child strongly, the child points back
 * weakly, as in a GTK widget tree or a DOM. */
struct node {
    struct shared *child; /* owned strong reference, or NULL */
    struct weak *parent;  /* owned weak reference, or NULL */
};

static void node_destroy(void *data)
{
    struct node *n = data;

    destroy_calls++;
    n->child = shared_unref(n->child);
    n->parent = weak_unref(n->parent);
}

GRADED_TEST(weak, weak_back_pointer_breaks_the_cycle, 2,
            .description = "a parent holding its child strongly and a child "
                           "holding its parent weakly are both freed when "
                           "the last outside reference goes")
{
    struct shared *parent = shared_new(sizeof(struct node), node_destroy);
    struct shared *child = shared_new(sizeof(struct node), node_destroy);

    cr_assert(ne(ptr, parent, NULL), "shared_new returned NULL");
    cr_assert(ne(ptr, child, NULL), "shared_new returned NULL");
    struct node *p = shared_data(parent), *c = shared_data(child);
    p->child = shared_ref(child);
    c->parent = shared_downgrade(parent);
    cr_assert(ne(ptr, c->parent, NULL), "shared_downgrade returned NULL");

    struct shared *up = weak_upgrade(c->parent); /* the child finds its parent */
    cr_assert(eq(ptr, up, parent), "weak_upgrade should find the parent");
    shared_unref(up);

    child = shared_unref(child);   /* the parent still owns the child */
    cr_assert(eq(int, destroy_calls, 0), "the child died while its parent "
              "owns it");
    parent = shared_unref(parent); /* destroys the parent, then the child */
    cr_assert(eq(int, destroy_calls, 2), "both nodes should be destroyed, "
              "not %d", destroy_calls);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) leaked",
              alloc_live_blocks());
}

/* Data that holds a weak reference to its own object. */
static void self_destroy(void *data)
{
    struct weak **self = data;

    destroy_calls++;
    *self = weak_unref(*self);
}

GRADED_TEST(weak, destroy_may_give_back_a_weak_reference_to_itself, 1,
            .description = "the block survives a destroy function that "
                           "gives back the last weak reference to its own "
                           "object, and is freed once, after it")
{
    struct shared *s = shared_new(sizeof(struct weak *), self_destroy);

    cr_assert(ne(ptr, s, NULL), "shared_new returned NULL");
    struct weak **self = shared_data(s);
    *self = downgrade(s);
    shared_unref(s); /* Valgrind sees any use of the block after its free */
    cr_assert(eq(int, destroy_calls, 1), "destroy should run once");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the block was not freed");
}

/* What upgrade_during_destroy saw while its destroy function ran. */
static struct {
    bool resurrected; /* weak_upgrade gave a strong reference */
    size_t strong;    /* weak_strong_count() */
} during_destroy;

/* Data that holds a weak reference to its own object and tries to
 * upgrade it while being destroyed (a callback that runs during the
 * teardown, say). */
static void upgrading_destroy(void *data)
{
    struct weak **self = data;

    destroy_calls++;
    during_destroy.strong = weak_strong_count(*self);
    struct shared *again = weak_upgrade(*self);
    during_destroy.resurrected = again != NULL;
    shared_unref(again); /* given back at once, or it would leak */
    *self = weak_unref(*self);
}

GRADED_TEST(weak, no_upgrade_during_destroy, 2,
            .description = "while the destroy function runs, strong is "
                           "already 0 and weak_upgrade fails: an object "
                           "being destroyed is never resurrected")
{
    struct shared *s = shared_new(sizeof(struct weak *), upgrading_destroy);

    cr_assert(ne(ptr, s, NULL), "shared_new returned NULL");
    struct weak **self = shared_data(s);
    *self = downgrade(s);
    shared_unref(s);
    cr_assert(eq(int, destroy_calls, 1), "destroy should run once");
    cr_assert(eq(sz, during_destroy.strong, 0), "during destroy, strong was "
              "%zu: take it to 0 before calling the destroy function",
              during_destroy.strong);
    cr_assert(not(during_destroy.resurrected), "weak_upgrade "
              "succeeded during destroy: it handed out a strong reference "
              "to data being destroyed. Take strong to 0 before calling "
              "destroy, so that every upgrade fails from then on");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the block was not freed");
}

GRADED_TEST(weak, counts_stop_at_the_maximum, 2,
            .description = "shared_ref, weak_upgrade, shared_downgrade and "
                           "weak_ref succeed up to SHARED_COUNT_MAX and "
                           "refuse past it")
{
    struct shared *s = object_new();
    struct weak *w = downgrade(s);

    for (size_t n = 1; n < SHARED_COUNT_MAX - 1; n++)
        cr_assert(eq(ptr, shared_ref(s), s), "shared_ref refused at strong "
                  "%zu", n);
    cr_assert(eq(ptr, weak_upgrade(w), s), "weak_upgrade to strong "
              "SHARED_COUNT_MAX must succeed");
    cr_assert(eq(ptr, shared_ref(s), NULL), "shared_ref past "
              "SHARED_COUNT_MAX must refuse");
    cr_assert(eq(ptr, weak_upgrade(w), NULL), "weak_upgrade past "
              "SHARED_COUNT_MAX must refuse");
    cr_assert(eq(sz, weak_strong_count(w), SHARED_COUNT_MAX), "a refused "
              "call changed strong");

    for (size_t n = 1; n < SHARED_COUNT_MAX - 1; n++)
        cr_assert(eq(ptr, weak_ref(w), w), "weak_ref refused at weak %zu", n);
    cr_assert(eq(ptr, shared_downgrade(s), w), "shared_downgrade to weak "
              "SHARED_COUNT_MAX must succeed");
    cr_assert(eq(ptr, weak_ref(w), NULL), "weak_ref past SHARED_COUNT_MAX "
              "must refuse");
    cr_assert(eq(ptr, shared_downgrade(s), NULL), "shared_downgrade past "
              "SHARED_COUNT_MAX must refuse");
    cr_assert(eq(sz, weak_weak_count(w), SHARED_COUNT_MAX), "a refused "
              "call changed weak");

    for (size_t n = 0; n < SHARED_COUNT_MAX; n++) {
        shared_unref(s);
        weak_unref(w);
    }
    cr_assert(eq(int, destroy_calls, 1), "destroy should run once");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "the block was not freed");
}

GRADED_TEST(weak, null_sizes_and_allocation_failure, 1,
            .description = "every function accepts NULL; shared_new refuses "
                           "sizes above SHARED_MAX_SIZE before allocating "
                           "and leaves nothing when an allocation fails")
{
    struct shared *s = NULL;
    size_t successes = 0;

    for (; successes < 64 && !s; successes++) {
        alloc_fail_after(successes);
        s = shared_new(16, count_destroy);
        alloc_fail_never();
        if (!s)
            cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu "
                      "failed and shared_new left a block allocated",
                      successes + 1);
    }
    cr_assert(ne(ptr, s, NULL), "shared_new never succeeded");
    shared_unref(s);

    cr_assert(eq(ptr, shared_ref(NULL), NULL), "shared_ref(NULL)");
    cr_assert(eq(ptr, shared_unref(NULL), NULL), "shared_unref(NULL)");
    cr_assert(eq(ptr, shared_data(NULL), NULL), "shared_data(NULL)");
    cr_assert(eq(ptr, shared_downgrade(NULL), NULL), "shared_downgrade(NULL)");
    cr_assert(eq(ptr, weak_ref(NULL), NULL), "weak_ref(NULL)");
    cr_assert(eq(ptr, weak_unref(NULL), NULL), "weak_unref(NULL)");
    cr_assert(eq(ptr, weak_upgrade(NULL), NULL), "weak_upgrade(NULL)");
    cr_assert(eq(sz, weak_strong_count(NULL), 0), "weak_strong_count(NULL)");
    cr_assert(eq(sz, weak_weak_count(NULL), 0), "weak_weak_count(NULL)");

    alloc_fail_after(0);
    size_t failed = alloc_stats().failed;
    cr_assert(eq(ptr, shared_new(SHARED_MAX_SIZE + 1, NULL), NULL),
              "SHARED_MAX_SIZE + 1 is refused");
    cr_assert(eq(sz, alloc_stats().failed, failed), "shared_new called the "
              "allocator for a size above SHARED_MAX_SIZE");
    cr_assert(eq(ptr, shared_new(SHARED_MAX_SIZE, NULL), NULL), "the "
              "allocator refused, so shared_new must return NULL");
    cr_assert(ne(sz, alloc_stats().failed, failed), "shared_new refused "
              "SHARED_MAX_SIZE itself: the limit is inclusive");
}
