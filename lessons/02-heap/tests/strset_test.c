/*
 * Tests of strset.h: a binary search tree that owns its strings.
 *
 * The harness gives learner code its own strdup and free (see
 * learner.syms). Strings that a test hands over to the set, and strings
 * it receives from the set, go through those same functions, so that
 * alloc_live_blocks() counts every block on both sides of the ownership
 * transfer.
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "strset.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns a new set holding the count strings of words. */
static struct strset *strset_of(const char *const *words, size_t count)
{
    struct strset *set = strset_new();

    cr_assert(ne(ptr, set, NULL), "strset_new() returned NULL");
    for (size_t i = 0; i < count; i++)
        cr_assert(eq(int, strset_add(set, words[i]), 0),
                  "strset_add(set, '%s') failed", words[i]);
    return set;
}

static const char *const fruit[] = { "kiwi", "fig", "pear", "apple", "lime" };
#define FRUIT_COUNT (sizeof fruit / sizeof fruit[0])

GRADED_TEST(strset, new_is_empty, 1,
            .description = "strset_new returns an empty set")
{
    struct strset *set = strset_new();

    cr_assert(ne(ptr, set, NULL), "strset_new() returned NULL");
    cr_assert(eq(ptr, set->root, NULL), "a new set has no root node");
    cr_assert(eq(sz, set->len, 0), "a new set has len 0");
    strset_free(set);
}

GRADED_TEST(strset, new_returns_null_when_out_of_memory, 1,
            .description = "strset_new returns NULL when malloc fails")
{
    strset_free(strset_of(NULL, 0));

    alloc_fail_after(0);
    cr_assert(eq(ptr, strset_new(), NULL),
              "malloc failed: strset_new must return NULL");
}

GRADED_TEST(strset, add_then_contains, 2,
            .description = "strset_contains finds every added string and "
                           "nothing else")
{
    struct strset *set = strset_of(fruit, FRUIT_COUNT);

    cr_assert(eq(sz, set->len, FRUIT_COUNT), "len should count the strings");
    for (size_t i = 0; i < FRUIT_COUNT; i++)
        cr_assert(strset_contains(set, fruit[i]), "%s was added but "
                  "strset_contains does not find it: smaller strings go "
                  "left, larger ones right", fruit[i]);
    cr_assert(not(strset_contains(set, "banana")), "banana was never added");
    cr_assert(not(strset_contains(set, "")), "the empty string was never "
              "added");
    strset_free(set);
}

GRADED_TEST(strset, add_copies_the_text, 1,
            .description = "strset_add stores its own copy of the string")
{
    char word[] = "fig";
    struct strset *set = strset_of(NULL, 0);

    cr_assert(eq(int, strset_add(set, word), 0), "strset_add failed");
    cr_assert(ne(ptr, set->root->text, word), "the node points at the "
              "caller's array: strset_add borrows text, so store a copy");
    word[0] = 'p';
    cr_assert(strset_contains(set, "fig"), "changing the caller's string "
              "changed the set: store a copy");
    cr_assert(eq(sz, alloc_live_blocks(), 3), "one string should use "
              "three blocks: the set, a node and the copy");
    strset_free(set);
}

GRADED_TEST(strset, add_duplicate_is_eexist, 1,
            .description = "adding a string already present returns "
                           "-EEXIST and allocates nothing")
{
    struct strset *set = strset_of(fruit, 1);
    char again[] = "kiwi";
    size_t live = alloc_live_blocks();
    size_t allocs = alloc_stats().allocs;

    cr_assert(eq(int, strset_add(set, again), -EEXIST),
              "kiwi is already in the set: expected -EEXIST");
    cr_assert(eq(sz, set->len, 1), "a refused string must not change len");
    cr_assert(eq(sz, alloc_live_blocks(), live), "a refused string must "
              "leave no new block: free the copy, or better, look before "
              "you copy");
    cr_assert(eq(sz, alloc_stats().allocs, allocs), "strset_add allocated "
              "%zu block(s) for a string already in the set (and freed "
              "them): the header promises that -EEXIST allocates nothing. "
              "Look for the string before you copy it",
              alloc_stats().allocs - allocs);
    strset_free(set);
}

GRADED_TEST(strset, add_failure_leaves_set_unchanged, 2,
            .description = "when an allocation fails, strset_add returns "
                           "-ENOMEM and leaves no block behind")
{
    struct strset *set = strset_of(fruit, 1);
    size_t live = alloc_live_blocks();

    /* Adding needs two blocks: fail the first, then the second. */
    for (size_t successes = 0; successes < 2; successes++) {
        alloc_fail_after(successes);
        cr_assert(eq(int, strset_add(set, "fig"), -ENOMEM),
                  "allocation %zu failed: expected -ENOMEM", successes + 1);
        alloc_fail_never();
        cr_assert(eq(sz, alloc_live_blocks(), live), "allocation %zu "
                  "failed and a block was left allocated: free what the "
                  "call had already allocated", successes + 1);
        cr_assert(eq(sz, set->len, 1), "a failed add must not change len");
        cr_assert(not(strset_contains(set, "fig")), "a failed add must not "
                  "add the string");
    }
    strset_free(set);
}

GRADED_TEST(strset, add_take_keeps_the_string, 1,
            .description = "strset_add_take stores the caller's block "
                           "itself, without a copy")
{
    struct strset *set = strset_of(NULL, 0);
    char *word = course_strdup("plum");

    cr_assert(eq(int, strset_add_take(set, word), 0),
              "strset_add_take failed");
    cr_assert(eq(ptr, set->root->text, word), "the set must keep the very "
              "block it was given, not a copy");
    set = strset_free(set);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "after strset_free, %zu "
              "block(s) are left: the set owns the string it took, so it "
              "must free it", alloc_live_blocks());
}

GRADED_TEST(strset, add_take_frees_a_duplicate, 1,
            .description = "strset_add_take frees its string when the set "
                           "already holds an equal one")
{
    struct strset *set = strset_of(fruit, 1);
    size_t live = alloc_live_blocks();
    char *again = course_strdup("kiwi");

    cr_assert(eq(int, strset_add_take(set, again), -EEXIST),
              "kiwi is already in the set: expected -EEXIST");
    cr_assert(eq(sz, alloc_live_blocks(), live), "the refused string was "
              "not freed: strset_add_take owns it even when it fails");
    cr_assert(eq(sz, set->len, 1), "a refused string must not change len");
    strset_free(set);
}

GRADED_TEST(strset, add_take_frees_the_string_on_failure, 1,
            .description = "strset_add_take frees its string when it runs "
                           "out of memory")
{
    struct strset *set = strset_of(fruit, 1);
    size_t live = alloc_live_blocks();
    char *word = course_strdup("fig");

    alloc_fail_after(0);
    cr_assert(eq(int, strset_add_take(set, word), -ENOMEM),
              "malloc failed: expected -ENOMEM");
    cr_assert(eq(sz, alloc_live_blocks(), live), "the string was not "
              "freed: strset_add_take owns it even when it fails");
    cr_assert(eq(sz, set->len, 1), "a failed add must not change len");
    strset_free(set);
}

GRADED_TEST(strset, sorted_lists_in_order, 2,
            .description = "strset_sorted returns the set's strings in "
                           "order, ending with NULL, without copying them")
{
    static const char *const expected[] = { "apple", "fig", "kiwi", "lime",
                                            "pear" };
    struct strset *set = strset_of(fruit, FRUIT_COUNT);
    size_t live = alloc_live_blocks();
    const char **sorted = strset_sorted(set);

    cr_assert(ne(ptr, sorted, NULL), "strset_sorted returned NULL");
    for (size_t i = 0; i < FRUIT_COUNT; i++)
        cr_assert(eq(str, (char *)sorted[i], (char *)expected[i]),
                  "sorted[%zu] is wrong: visit the left subtree, then the "
                  "node, then the right subtree", i);
    cr_assert(eq(ptr, (void *)sorted[FRUIT_COUNT], NULL), "the array must "
              "end with a NULL pointer: allocate len + 1 pointers");
    cr_assert(eq(sz, alloc_live_blocks(), live + 1), "strset_sorted should "
              "allocate one block, the array: the strings stay the set's");
    course_free(sorted);
    strset_free(set);
}

GRADED_TEST(strset, sorted_empty_set_is_just_null, 1,
            .description = "strset_sorted of an empty set returns an array "
                           "holding only NULL")
{
    struct strset *set = strset_of(NULL, 0);
    const char **sorted = strset_sorted(set);

    cr_assert(ne(ptr, sorted, NULL), "an empty set gives an array of one "
              "NULL pointer, not NULL: NULL means out of memory");
    cr_assert(eq(ptr, (void *)sorted[0], NULL), "the array must end with "
              "NULL");
    course_free(sorted);
    strset_free(set);
}

GRADED_TEST(strset, sorted_returns_null_when_out_of_memory, 1,
            .description = "strset_sorted returns NULL when the allocator "
                           "fails")
{
    enum { MAX_ALLOCATIONS = 8 };
    struct strset *set = strset_of(fruit, FRUIT_COUNT);
    const char **sorted = strset_sorted(set);
    size_t failures = 0;

    cr_assert(ne(ptr, sorted, NULL), "strset_sorted returned NULL");
    course_free(sorted);
    const size_t live = alloc_live_blocks();
    /* Fail its first allocation, then its second... until it needs no more. */
    for (size_t allowed = 0; allowed <= MAX_ALLOCATIONS; allowed++) {
        alloc_fail_after(allowed);
        sorted = strset_sorted(set);
        alloc_fail_never();
        if (sorted)
            break;
        failures++;
        cr_assert(eq(sz, alloc_live_blocks(), live), "allocation %zu failed "
                  "and strset_sorted left %zu block(s) allocated: free what "
                  "it had allocated before returning NULL", allowed + 1,
                  alloc_live_blocks() - live);
    }
    cr_assert(ne(sz, failures, 0), "the allocator failed: strset_sorted "
              "must return NULL");
    cr_assert(ne(ptr, sorted, NULL), "strset_sorted kept failing with %d "
              "allocations allowed", MAX_ALLOCATIONS);
    course_free(sorted);
    strset_free(set);
}

GRADED_TEST(strset, take_min_gives_strings_in_order, 2,
            .description = "strset_take_min returns the smallest string, "
                           "now owned by the caller, until the set is empty")
{
    static const char *const expected[] = { "apple", "fig", "kiwi", "lime",
                                            "pear" };
    struct strset *set = strset_of(fruit, FRUIT_COUNT);

    for (size_t i = 0; i < FRUIT_COUNT; i++) {
        char *min = strset_take_min(set);

        cr_assert(ne(ptr, min, NULL), "strset_take_min returned NULL with "
                  "%zu strings left", FRUIT_COUNT - i);
        cr_assert(eq(str, min, (char *)expected[i]), "take %zu should return "
                  "%s: did you free the string you return?", i + 1,
                  expected[i]);
        cr_assert(eq(sz, set->len, FRUIT_COUNT - i - 1), "len should drop "
                  "by one");
        course_free(min);
    }
    cr_assert(eq(ptr, strset_take_min(set), NULL), "an empty set has no "
              "smallest string: expected NULL");
    set = strset_free(set);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left: free "
              "each node you unlink (but not its string)",
              alloc_live_blocks());
}

GRADED_TEST(strset, take_min_keeps_the_rest, 1,
            .description = "strset_take_min keeps the strings below the "
                           "smallest one")
{
    /* The smallest, c, has a right subtree: e, with d on its left. */
    static const char *const words[] = { "m", "c", "x", "e", "d" };
    struct strset *set = strset_of(words, 5);
    char *min = strset_take_min(set);

    cr_assert(ne(ptr, min, NULL), "strset_take_min returned NULL");
    cr_assert(eq(str, min, "c"), "the smallest string is c");
    course_free(min);
    for (size_t i = 2; i < 5; i++)
        cr_assert(strset_contains(set, words[i]), "%s was lost: the right "
                  "subtree of the removed node takes its place", words[i]);
    cr_assert(eq(sz, set->len, 4), "four strings should be left");
    set = strset_free(set);
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left after "
              "strset_free", alloc_live_blocks());
}

GRADED_TEST(strset, free_releases_every_block, 2,
            .description = "strset_free frees every node and string, "
                           "accepts NULL, and returns NULL")
{
    static const char *const words[] = {
        "stack", "heap", "malloc", "free", "calloc", "realloc", "arena",
        "chunk", "bin", "tcache", "mmap", "brk", "page", "block", "leak",
    };
    struct strset *set = strset_of(words, sizeof words / sizeof words[0]);

    set = strset_free(set);
    cr_assert(eq(ptr, set, NULL), "strset_free should return NULL");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left after "
              "strset_free: free both subtrees, each node's text, each node "
              "and the struct", alloc_live_blocks());
    cr_assert(eq(ptr, strset_free(NULL), NULL),
              "strset_free(NULL) does nothing and returns NULL");
}

/* ---- Input-driven depth: no walk may recurse ---- */

#define CHAIN 4000                /* nodes in a chain-shaped tree: 128 KB of frames of 32 bytes */
#define SMALL_STACK (64u * 1024)  /* a recursive walk of CHAIN nodes needs more */

/*
 * A set whose tree is one chain of CHAIN nodes, as strset_add makes from
 * sorted input: each node's right child is the next larger string (or,
 * with `down_left`, each left child the next smaller one). The test builds
 * it directly, with the C library's own allocator, because CHAIN sorted
 * strset_add calls would take CHAIN²/2 comparisons; strset_free may free
 * these blocks like its own (such frees are simply not counted).
 */
static struct strset *chain_new(bool down_left)
{
    struct strset *set = malloc(sizeof *set);
    struct strset_node *nodes[CHAIN];

    cr_assert(ne(ptr, set, NULL), "the test could not allocate its chain");
    for (size_t i = 0; i < CHAIN; i++) {
        char text[16];

        snprintf(text, sizeof text, "%06zu", down_left ? CHAIN - 1 - i : i);
        nodes[i] = malloc(sizeof *nodes[i]);
        cr_assert(ne(ptr, nodes[i], NULL), "the test could not allocate its chain");
        *nodes[i] = (struct strset_node){ .text = strdup(text) };
        cr_assert(ne(ptr, nodes[i]->text, NULL), "the test could not allocate its chain");
        if (i > 0) {
            if (down_left)
                nodes[i - 1]->left = nodes[i];
            else
                nodes[i - 1]->right = nodes[i];
        }
    }
    *set = (struct strset){ .root = nodes[0], .len = CHAIN };
    return set;
}

/* What a thread with a small stack does with a chain. */
struct chain_job {
    struct strset *set;  /* taken by strset_free, which sets it to NULL */
    const char **sorted; /* strset_sorted's result, listed before the free */
};

static void *sort_and_free(void *arg)
{
    struct chain_job *job = arg;

    job->sorted = strset_sorted(job->set);
    job->set = strset_free(job->set);
    return NULL;
}

/* Runs sort_and_free on a thread whose stack is SMALL_STACK bytes. */
static void run_with_small_stack(struct chain_job *job)
{
    pthread_attr_t attr;
    pthread_t thread;

    cr_assert(eq(int, pthread_attr_init(&attr), 0));
    cr_assert(eq(int, pthread_attr_setstacksize(&attr, SMALL_STACK), 0));
    cr_assert(eq(int, pthread_create(&thread, &attr, sort_and_free, job), 0),
              "the test could not start its thread");
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attr);
}

GRADED_TEST(strset, walks_a_chain_without_recursion, 2,
            .description = "strset_sorted and strset_free handle a 4,000-node "
                           "chain on a 64 KiB stack", .timeout = 10)
{
    for (int down_left = 0; down_left <= 1; down_left++) {
        struct chain_job job = { .set = chain_new(down_left) };

        run_with_small_stack(&job); /* a recursive walk crashes the test here */
        cr_assert(eq(ptr, job.set, NULL), "strset_free should return NULL");
        cr_assert(ne(ptr, job.sorted, NULL), "strset_sorted returned NULL");
        course_free(job.sorted);
        cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) left after "
                  "strset_sorted and strset_free", alloc_live_blocks());
    }
}
