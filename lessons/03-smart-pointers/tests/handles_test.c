/*
 * Tests of handles.h, the handle table.
 *
 * The objects are the test's own variables: the table only stores
 * pointers, and alloc_live_blocks() counts only the table's blocks.
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "handles.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* Returns a new table, asserting that handles_new worked. */
static struct handles *table_new(void)
{
    struct handles *t = handles_new();

    cr_assert(ne(ptr, t, NULL), "handles_new returned NULL");
    return t;
}

/* Inserts object and returns its handle, asserting success. */
static struct handle insert(struct handles *t, void *object)
{
    struct handle h = HANDLE_NONE;

    cr_assert(eq(int, handles_insert(t, object, &h), 0), "handles_insert "
              "failed");
    cr_assert(ne(int, h.generation, 0), "handles_insert gave generation 0, "
              "which is never valid (rule 1: generations start at 1)");
    return h;
}

/* Frees t and asserts that the table left no block. */
static void free_and_check(struct handles *t)
{
    cr_assert(eq(ptr, handles_free(t), NULL), "handles_free returns NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left after "
              "handles_free", alloc_live_blocks());
}

GRADED_TEST(handles, insert_then_get_finds_each_object, 2,
            .description = "handles_get returns the object each handle from "
                           "handles_insert names")
{
    int a = 1, b = 2, c = 3;
    struct handles *t = table_new();
    struct handle ha = insert(t, &a), hb = insert(t, &b), hc = insert(t, &c);

    cr_assert(eq(ptr, handles_get(t, ha), &a), "handles_get(a) is wrong");
    cr_assert(eq(ptr, handles_get(t, hb), &b), "handles_get(b) is wrong");
    cr_assert(eq(ptr, handles_get(t, hc), &c), "handles_get(c) is wrong");
    cr_assert(eq(sz, handles_len(t), 3), "three objects: len 3");
    free_and_check(t);
}

GRADED_TEST(handles, stale_handle_gives_null, 3,
            .description = "after handles_remove, the old handle gives NULL, "
                           "even once its slot holds a new object")
{
    int a = 1, b = 2;
    struct handles *t = table_new();
    struct handle ha = insert(t, &a);

    cr_assert(eq(ptr, handles_remove(t, ha), &a), "handles_remove returns "
              "the object");
    cr_assert(eq(sz, handles_len(t), 0), "len should be 0");
    cr_assert(eq(ptr, handles_get(t, ha), NULL), "a removed object's handle "
              "must give NULL");
    cr_assert(eq(ptr, handles_remove(t, ha), NULL), "removing twice must "
              "give NULL the second time");

    struct handle hb = insert(t, &b); /* reuses the only empty slot */
    cr_assert(eq(u32, hb.index, ha.index), "rule 2: the empty slot should "
              "be reused");
    cr_assert(ne(int, hb.generation, ha.generation), "the reused slot must "
              "have a new generation");
    cr_assert(eq(ptr, handles_get(t, ha), NULL), "the stale handle now "
              "gives the new object: compare generations in handles_get");
    cr_assert(eq(ptr, handles_remove(t, ha), NULL), "a stale handle removed "
              "the new object");
    cr_assert(eq(ptr, handles_get(t, hb), &b), "the new object is lost");
    free_and_check(t);
}

GRADED_TEST(handles, made_up_handles_give_null, 1,
            .description = "HANDLE_NONE, an index past the table and a wrong "
                           "generation all give NULL; NULL arguments are "
                           "refused")
{
    int a = 1;
    struct handles *t = table_new();
    struct handle h = insert(t, &a);

    cr_assert(eq(ptr, handles_get(t, HANDLE_NONE), NULL), "HANDLE_NONE "
              "names nothing");
    cr_assert(eq(ptr, handles_get(t, (struct handle){ .index = 1000000,
                                                      .generation = 1 }),
                 NULL), "an index past the table names nothing: check it "
              "before reading the slot");
    cr_assert(eq(ptr, handles_get(t, (struct handle){
                                      .index = h.index,
                                      .generation = (uint16_t)(h.generation + 1) }),
                 NULL), "a generation the slot never had names nothing");
    cr_assert(eq(ptr, handles_remove(t, HANDLE_NONE), NULL),
              "handles_remove(HANDLE_NONE) is NULL");
    cr_assert(eq(ptr, handles_get(t, h), &a), "the real object is lost");

    struct handle out = HANDLE_NONE;
    cr_assert(eq(int, handles_insert(t, NULL, &out), -EINVAL), "a NULL "
              "object is refused (NULL means 'nothing' in handles_get)");
    cr_assert(eq(int, handles_insert(t, &a, NULL), -EINVAL), "a NULL out "
              "is refused");
    cr_assert(eq(int, handles_insert(NULL, &a, &out), -EINVAL), "a NULL "
              "table is refused");
    cr_assert(eq(sz, handles_len(t), 1), "a refused insert changed len");
    cr_assert(eq(ptr, handles_get(NULL, h), NULL), "handles_get(NULL, h)");
    cr_assert(eq(ptr, handles_remove(NULL, h), NULL), "handles_remove(NULL)");
    cr_assert(eq(sz, handles_len(NULL), 0), "handles_len(NULL)");
    cr_assert(eq(ptr, handles_free(NULL), NULL), "handles_free(NULL)");
    free_and_check(t);
}

GRADED_TEST(handles, slots_are_reused, 1,
            .description = "inserting after a removal reuses a slot: a table "
                           "that churns stops allocating")
{
    int objects[16];
    struct handle h[16];
    struct handles *t = table_new();

    for (size_t i = 0; i < 16; i++)
        h[i] = insert(t, &objects[i]);
    size_t allocs = alloc_stats().allocs;
    for (int round = 0; round < 1000; round++) {
        size_t i = (size_t)round % 16;

        cr_assert(eq(ptr, handles_remove(t, h[i]), &objects[i]),
                  "handles_remove returned the wrong object");
        h[i] = insert(t, &objects[i]);
    }
    cr_assert(eq(sz, alloc_stats().allocs, allocs), "1000 removes and "
              "inserts allocated %zu more blocks: reuse empty slots "
              "(rule 2)", alloc_stats().allocs - allocs);
    cr_assert(eq(sz, handles_len(t), 16), "len should still be 16");
    for (size_t i = 0; i < 16; i++)
        cr_assert(eq(ptr, handles_get(t, h[i]), &objects[i]), "object %zu "
                  "is lost", i);
    free_and_check(t);
}

GRADED_TEST(handles, slot_retires_at_the_last_generation, 2, .timeout = 5,
            .description = "a slot emptied at HANDLES_GEN_MAX is never "
                           "reused, so its generation never wraps to an "
                           "old handle's")
{
    int a = 1, b = 2;
    struct handles *t = table_new();
    struct handle first = insert(t, &a);
    struct handle h = first;

    /* The only empty slot is this one: every insert must reuse it until
     * its generation runs out. */
    for (;;) {
        cr_assert(eq(ptr, handles_remove(t, h), &a), "handles_remove "
                  "returned the wrong object");
        if (h.generation == HANDLES_GEN_MAX)
            break;
        h = insert(t, &a);
        cr_assert(eq(u32, h.index, first.index), "rule 2: the only empty "
                  "slot must be reused");
        cr_assert(ne(int, h.generation, first.generation), "generation %u "
                  "came back: an old handle is valid again", first.generation);
    }
    struct handle next = insert(t, &b);
    cr_assert(ne(u32, next.index, first.index), "the slot was emptied at "
              "HANDLES_GEN_MAX and must be retired (rule 3), but insert "
              "reused it");
    cr_assert(eq(ptr, handles_get(t, first), NULL), "the first handle "
              "must stay stale");
    cr_assert(eq(ptr, handles_get(t, h), NULL), "the last handle of the "
              "retired slot must stay stale");
    cr_assert(eq(ptr, handles_get(t, next), &b), "the new object is lost");
    free_and_check(t);
}

GRADED_TEST(handles, failed_growth_changes_nothing, 2,
            .description = "when the table cannot grow, handles_insert "
                           "returns -ENOMEM and every handle still works; "
                           "handles_new leaves nothing when it fails")
{
    int objects[1000];
    struct handle h[1000];
    struct handles *t = NULL;
    size_t successes = 0;

    for (; successes < 64 && !t; successes++) {
        alloc_fail_after(successes);
        t = handles_new();
        alloc_fail_never();
        if (!t)
            cr_assert(eq(sz, alloc_live_blocks(), 0), "allocation %zu "
                      "failed and handles_new left a block allocated",
                      successes + 1);
    }
    cr_assert(ne(ptr, t, NULL), "handles_new never succeeded");

    /* Insert 1000 objects; whenever the table needs memory, refuse it
     * once first. */
    for (size_t n = 0; n < 1000; n++) {
        alloc_fail_after(0);
        int err = handles_insert(t, &objects[n], &h[n]);
        alloc_fail_never();
        if (err == 0)
            continue;
        cr_assert(eq(int, err, -ENOMEM), "a failed growth must return "
                  "-ENOMEM, not %d", err);
        cr_assert(eq(sz, handles_len(t), n), "a failed insert changed len");
        for (size_t i = 0; i < n; i++)
            cr_assert(eq(ptr, handles_get(t, h[i]), &objects[i]), "after a "
                      "failed growth, object %zu is lost: keep realloc's "
                      "result in a temporary", i);
        h[n] = insert(t, &objects[n]);
    }
    for (size_t i = 0; i < 1000; i++)
        cr_assert(eq(ptr, handles_get(t, h[i]), &objects[i]), "object %zu "
                  "is lost after the table grew", i);
    free_and_check(t);
}
