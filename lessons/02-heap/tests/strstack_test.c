/*
 * Tests of strstack.h, the program to repair.
 *
 * Every test ends by freeing what it made and checking that no block of
 * the learner's code is left: alloc_live_blocks() sees a leak even when
 * Valgrind does not run.
 *
 * Uninitialised memory often happens to be zero in a short test, so
 * dirty_next_block() first leaves a freed block full of 0xA5 bytes where
 * the next malloc of that size will find it, as a long-running program
 * would.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "alloc_faults.h"
#include "strstack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


/* Leaves a freed block of size bytes full of 0xA5 at the head of the
 * allocator's free list, so that the next malloc(size) returns garbage. */
static void dirty_next_block(size_t size)
{
    unsigned char *block = malloc(size);

    cr_assert(ne(ptr, block, NULL), "test setup: malloc failed");
    memset(block, 0xA5, size);
    free(block);
}

/* Returns a new stack with the count strings of words pushed in order. */
static struct strstack *strstack_of(const char *const *words, size_t count)
{
    dirty_next_block(sizeof(struct strstack));
    struct strstack *s = strstack_new();

    cr_assert(ne(ptr, s, NULL), "strstack_new() returned NULL");
    for (size_t i = 0; i < count; i++)
        cr_assert(eq(int, strstack_push(s, words[i]), 0),
                  "strstack_push(s, '%s') failed", words[i]);
    return s;
}

/* Frees s and asserts that the learner's code has no block left. */
static void free_and_check(struct strstack *s)
{
    cr_assert(eq(ptr, strstack_free(s), NULL), "strstack_free should "
              "return NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) still "
              "allocated after strstack_free: what does it forget to "
              "free?", alloc_live_blocks());
}

static const char *const words[] = { "heap", "the ", "on " };

GRADED_TEST(strstack, new_starts_empty, 1,
            .description = "strstack_new sets every field, even when malloc "
                           "returns recycled memory")
{
    struct strstack *s = strstack_of(NULL, 0);

    cr_assert(eq(ptr, s->top, NULL), "a new stack has top NULL");
    cr_assert(eq(sz, s->len, 0), "a new stack has len 0");
    cr_assert(eq(sz, s->chars, 0), "chars is 0x%zx: malloc does not clear "
              "memory, so strstack_new must set every field", s->chars);
    free_and_check(s);
}

GRADED_TEST(strstack, push_counts_strings_and_chars, 1,
            .description = "strstack_push updates top, len and chars")
{
    struct strstack *s = strstack_of(words, 3);

    cr_assert(eq(sz, s->len, 3), "three pushes make len 3");
    cr_assert(eq(sz, s->chars, 11), "chars should be 4 + 4 + 3 = 11, not "
              "%zu: where does chars start?", s->chars);
    cr_assert(eq(str, s->top->text, "on "), "the last string pushed is on "
              "top");
    free_and_check(s);
}

GRADED_TEST(strstack, pop_returns_strings_last_first, 2,
            .description = "strstack_pop returns the strings in reverse "
                           "order and gives them to the caller")
{
    struct strstack *s = strstack_of(words, 3);

    for (size_t i = 3; i-- > 0;) {
        char *text = strstack_pop(s);

        cr_assert(ne(ptr, text, NULL), "strstack_pop returned NULL with %zu "
                  "strings left", i + 1);
        cr_assert(eq(str, text, (char *)words[i]), "pop returned the wrong "
                  "string");
        cr_assert(eq(sz, s->len, i), "len should drop by one");
        course_free(text);
    }
    cr_assert(eq(ptr, s->top, NULL), "the stack should be empty: does pop "
              "read the node after freeing it?");
    cr_assert(eq(sz, s->chars, 0), "chars should be back to 0");
    cr_assert(eq(ptr, strstack_pop(s), NULL), "popping an empty stack "
              "returns NULL");
    free_and_check(s);
}

GRADED_TEST(strstack, join_concatenates_top_down, 2,
            .description = "strstack_join returns the strings from top to "
                           "bottom in a block of exactly chars + 1 bytes")
{
    static const char *const motto[] = { "you own", "block ", "every ",
                                         "free " };
    struct strstack *s = strstack_of(motto, 4);
    char *joined = strstack_join(s);

    cr_assert(ne(ptr, joined, NULL), "strstack_join returned NULL: is "
              "chars right? (it sizes the block)");
    cr_assert(eq(str, joined, "free every block you own"), "wrong text");
    cr_assert(eq(sz, alloc_block_size(joined), 25), "the block has %zu bytes "
              "for 24 characters: the header promises exactly chars + 1 = "
              "25 (one for the NUL)", alloc_block_size(joined));
    course_free(joined);
    free_and_check(s);
}

GRADED_TEST(strstack, join_of_empty_stack_is_empty_string, 1,
            .description = "strstack_join of an empty stack returns a new "
                           "empty string")
{
    struct strstack *s = strstack_of(NULL, 0);
    char *joined = strstack_join(s);

    cr_assert(ne(ptr, joined, NULL), "strstack_join returned NULL for an "
              "empty stack: is chars 0?");
    cr_assert(eq(str, joined, ""), "an empty stack joins to an empty "
              "string");
    course_free(joined);
    free_and_check(s);
}

GRADED_TEST(strstack, copy_has_its_own_strings, 2,
            .description = "strstack_copy copies the strings, so freeing "
                           "the original leaves the copy intact")
{
    struct strstack *s = strstack_of(words, 3);
    struct strstack *copy = strstack_copy(s);

    cr_assert(ne(ptr, copy, NULL), "strstack_copy returned NULL");
    for (const struct strstack_node *a = s->top, *b = copy->top; a && b;
         a = a->below, b = b->below)
        cr_assert(ne(ptr, a->text, b->text), "the copy shares the string '%s' "
                  "with the original: both would free it (a double "
                  "free). Copy each string.", a->text);
    strstack_free(s);
    cr_assert(eq(str, copy->top->text, "on "), "the copy changed when the "
              "original was freed");
    free_and_check(copy);
}

GRADED_TEST(strstack, copy_keeps_order, 1,
            .description = "strstack_copy keeps the strings in the same "
                           "order, with the same len and chars")
{
    struct strstack *s = strstack_of(words, 3);
    struct strstack *copy = strstack_copy(s);

    cr_assert(ne(ptr, copy, NULL), "strstack_copy returned NULL");
    cr_assert(eq(sz, copy->len, 3), "the copy should have len 3");
    cr_assert(eq(sz, copy->chars, 11), "the copy should have chars 11");
    const struct strstack_node *node = copy->top;
    for (size_t i = 3; i-- > 0; node = node->below) {
        cr_assert(ne(ptr, (void *)node, NULL), "the copy is too short");
        cr_assert(eq(str, node->text, (char *)words[i]), "the copy is in "
                  "the wrong order");
    }
    cr_assert(eq(ptr, (void *)node, NULL), "the copy is too long");
    strstack_free(copy);
    free_and_check(s);
}

GRADED_TEST(strstack, copy_failure_leaves_no_block, 1,
            .description = "when an allocation fails, strstack_copy returns "
                           "NULL and frees its partial copy")
{
    struct strstack *s = strstack_of(words, 3);
    size_t live = alloc_live_blocks();

    /* A copy of 3 strings takes 7 blocks: fail each one in turn. */
    for (size_t successes = 0; successes < 7; successes++) {
        alloc_fail_after(successes);
        cr_assert(eq(ptr, strstack_copy(s), NULL), "allocation %zu failed: "
                  "strstack_copy must return NULL", successes + 1);
        alloc_fail_never();
        cr_assert(eq(sz, alloc_live_blocks(), live), "allocation %zu "
                  "failed and the partial copy was not freed",
                  successes + 1);
    }
    cr_assert(eq(str, s->top->text, "on "), "a failed copy must leave the "
              "original intact");
    free_and_check(s);
}

GRADED_TEST(strstack, push_failure_leaves_stack_unchanged, 1,
            .description = "when an allocation fails, strstack_push returns "
                           "-ENOMEM and changes nothing")
{
    struct strstack *s = strstack_of(words, 1);
    size_t live = alloc_live_blocks();

    for (size_t successes = 0; successes < 2; successes++) {
        alloc_fail_after(successes);
        cr_assert(eq(int, strstack_push(s, "x"), -ENOMEM), "allocation %zu "
                  "failed: expected -ENOMEM", successes + 1);
        alloc_fail_never();
        cr_assert(eq(sz, alloc_live_blocks(), live), "a failed push left a "
                  "block allocated");
        cr_assert(eq(sz, s->len, 1), "a failed push must not change len");
    }
    free_and_check(s);
}

GRADED_TEST(strstack, free_releases_every_block, 2,
            .description = "strstack_free frees every node, every string "
                           "and the stack itself, and accepts NULL")
{
    static const char *const many[] = { "a", "b", "c", "d", "e", "f", "g" };
    struct strstack *s = strstack_of(many, 7);

    free_and_check(s);
    cr_assert(eq(ptr, strstack_free(NULL), NULL),
              "strstack_free(NULL) does nothing and returns NULL");
}
