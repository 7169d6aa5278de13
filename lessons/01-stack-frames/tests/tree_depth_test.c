/*
 * tree_depth_test.c: tree depth with an explicit stack. The trees are built
 * by the tests in one calloc'd array of nodes (the tests' allocations are
 * neither counted nor failed: only tree_depth's are).
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "tree_depth.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>

#define STACK_CAP (8u * 1024 * 1024) /* bytes of main-thread stack in the deep tests */
#define DEEP_SPINE 1000000           /* nodes: 1,000,000 frames of any recursive version */
#define DEEP_CATERPILLAR 250000      /* levels: a wide explicit stack */
#define UNTOUCHED ((size_t)0xdeadbeef)

/*
 * Caps the stack of the test process at 8 MiB, the usual `ulimit -s`, so
 * that the deep tests mean the same on every machine: under `ulimit -s
 * unlimited` a recursive tree_depth would survive them. The kernel checks
 * the limit each time the main stack grows, so lowering it now takes effect.
 */
static void cap_stack(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur > STACK_CAP) {
        rl.rlim_cur = STACK_CAP;
        setrlimit(RLIMIT_STACK, &rl);
    }
}

/* Allocates n zeroed nodes for a test tree; the test frees them. */
static struct tree_node *nodes_new(size_t n)
{
    struct tree_node *nodes = calloc(n, sizeof *nodes);

    cr_assert(ne(ptr, nodes, NULL), "the test could not allocate its tree");
    return nodes;
}

/* A left spine of n nodes, shaped like a list: depth n. */
static struct tree_node *spine_new(size_t n)
{
    struct tree_node *nodes = nodes_new(n);

    for (size_t i = 0; i + 1 < n; i++)
        nodes[i].left = &nodes[i + 1];
    return nodes;
}

/* Which side of a caterpillar the spine runs down. */
enum side { SPINE_LEFT, SPINE_RIGHT };

/*
 * A spine of n levels down one side whose every node also has a leaf on the
 * other side: 2n nodes, depth n + 1. A depth-first visit that pushes the
 * spine child last pops it first and leaves up to n leaves waiting; one
 * that pushes it first never holds more than two entries. Each test that
 * needs a big stack therefore uses both mirror images: whichever order the
 * code pushes children in, one of them makes its stack grow.
 */
static struct tree_node *caterpillar_new(size_t n, enum side spine)
{
    struct tree_node *nodes = nodes_new(2 * n); /* spine in [0, n), leaves in [n, 2n) */

    for (size_t i = 0; i < n; i++) {
        struct tree_node *next = i + 1 < n ? &nodes[i + 1] : NULL;

        nodes[i].left = spine == SPINE_LEFT ? next : &nodes[n + i];
        nodes[i].right = spine == SPINE_LEFT ? &nodes[n + i] : next;
    }
    return nodes;
}

/* A complete tree of 2^levels - 1 nodes: a level-order (queue) visit holds
 * its whole last level at once. */
static struct tree_node *complete_new(unsigned levels)
{
    const size_t count = ((size_t)1 << levels) - 1;
    struct tree_node *nodes = nodes_new(count);

    for (size_t i = 0; 2 * i + 2 < count; i++) { /* children of i: 2i+1, 2i+2 */
        nodes[i].left = &nodes[2 * i + 1];
        nodes[i].right = &nodes[2 * i + 2];
    }
    return nodes;
}

GRADED_TEST(tree_depth, empty_tree_has_depth_0, 1,
            .description = "the empty tree (NULL) has depth 0")
{
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(NULL, &depth), 0),
              "a NULL root is the empty tree, not an error: return 0");
    cr_assert(eq(sz, depth, 0), "the empty tree has depth 0");
}

GRADED_TEST(tree_depth, single_node_has_depth_1, 1,
            .description = "a single node has depth 1")
{
    struct tree_node leaf = { .left = NULL, .right = NULL };
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&leaf, &depth), 0), "tree_depth should return 0");
    cr_assert(eq(sz, depth, 1),
              "one node has depth 1 (depth counts nodes, not edges): push the "
              "root at depth 1");
}

GRADED_TEST(tree_depth, follows_both_children, 1,
            .description = "the deepest path may turn left and right")
{
    /* root -> left -> right -> left: depth 4; root's right child is a leaf. */
    struct tree_node c = { .left = NULL, .right = NULL };
    struct tree_node b = { .left = &c, .right = NULL };
    struct tree_node a = { .left = NULL, .right = &b };
    struct tree_node d = { .left = NULL, .right = NULL };
    struct tree_node root = { .left = &a, .right = &d };
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&root, &depth), 0), "tree_depth should return 0");
    cr_assert(eq(sz, depth, 4),
              "the path root, left, right, left has 4 nodes: push both "
              "children of every node you pop");
}

GRADED_TEST(tree_depth, measures_a_complete_tree, 1,
            .description = "a complete tree of 1023 nodes has depth 10")
{
    struct tree_node *nodes = complete_new(10);
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&nodes[0], &depth), 0), "tree_depth should return 0");
    cr_assert(eq(sz, depth, 10),
              "1023 nodes in 10 full levels: depth 10. Is each child pushed "
              "at its parent's depth + 1?");
    free(nodes);
}

GRADED_TEST(tree_depth, survives_a_million_deep_spine, 3,
            .description = "a tree shaped like a list of 1,000,000 nodes does not overflow the stack",
            .init = cap_stack, .timeout = 15)
{
    struct tree_node *nodes = spine_new(DEEP_SPINE);
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&nodes[0], &depth), 0),
              "tree_depth should return 0 (if the test crashed instead, "
              "tree_depth recursed: a million frames overflow the 8 MiB stack)");
    cr_assert(eq(sz, depth, DEEP_SPINE), "a spine of %d nodes has depth %d",
              DEEP_SPINE, DEEP_SPINE);
    free(nodes);
}

GRADED_TEST(tree_depth, grows_its_stack_for_a_wide_tree, 2,
            .description = "trees that leave 250,000 nodes waiting at once are measured right",
            .init = cap_stack, .timeout = 15)
{
    for (enum side spine = SPINE_LEFT; spine <= SPINE_RIGHT; spine++) {
        struct tree_node *nodes = caterpillar_new(DEEP_CATERPILLAR, spine);
        size_t depth = UNTOUCHED;

        cr_assert(eq(int, tree_depth(&nodes[0], &depth), 0),
                  "tree_depth should return 0 on a spine down the %s with a "
                  "leaf on every level: does the explicit stack grow (realloc "
                  "to a larger size) when it is full?",
                  spine == SPINE_LEFT ? "left" : "right");
        cr_assert(eq(sz, depth, DEEP_CATERPILLAR + 1),
                  "a spine of %d nodes down the %s with a leaf hanging off its "
                  "last one has depth %d", DEEP_CATERPILLAR,
                  spine == SPINE_LEFT ? "left" : "right", DEEP_CATERPILLAR + 1);
        free(nodes);
    }
}

GRADED_TEST(tree_depth, frees_its_stack, 1,
            .description = "the explicit stack is freed before tree_depth returns")
{
    struct tree_node *nodes = caterpillar_new(1000, SPINE_LEFT);
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&nodes[0], &depth), 0), "tree_depth should return 0");
    cr_assert(ne(sz, alloc_stats().allocs, 0),
              "tree_depth allocated nothing: the nodes waiting to be visited "
              "belong in a heap array");
    cr_assert(eq(sz, alloc_live_blocks(), 0),
              "%zu block(s) still allocated after tree_depth returned: free "
              "the stack's array before returning", alloc_live_blocks());
    free(nodes);
}

GRADED_TEST(tree_depth, rejects_null_depth, 1,
            .description = "a NULL depth pointer gives -EINVAL")
{
    struct tree_node leaf = { .left = NULL, .right = NULL };
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&leaf, &depth), 0), "tree_depth must succeed first");
    cr_assert(eq(int, tree_depth(&leaf, NULL), -EINVAL),
              "depth == NULL leaves nowhere to put the answer: return -EINVAL");
}

GRADED_TEST(tree_depth, reports_enomem_when_the_stack_cannot_start, 1,
            .description = "-ENOMEM when the first allocation of the stack fails")
{
    struct tree_node *nodes = caterpillar_new(1000, SPINE_LEFT);
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, tree_depth(&nodes[0], &depth), 0), "tree_depth must succeed first");
    depth = UNTOUCHED;
    alloc_fail_after(0);
    cr_assert(eq(int, tree_depth(&nodes[0], &depth), -ENOMEM),
              "with malloc failing, tree_depth should return -ENOMEM");
    cr_assert(eq(sz, depth, UNTOUCHED), "depth must stay untouched on failure");
    free(nodes);
}

/*
 * Fails allocation number 1, 2, 3... of tree_depth(root) until it needs no
 * more, checking each failure. Returns how many of the injected failures
 * hit a growth of the stack (every one after the first).
 */
static size_t fail_each_allocation(const struct tree_node *root, size_t expected,
                                   const char *shape)
{
    enum { MAX_ALLOCATIONS = 64 }; /* growing by 1.5 from 1 entry reaches 10,000 in 23 */
    size_t depth = UNTOUCHED;
    size_t failures = 0;
    int err = 0;

    cr_assert(eq(int, tree_depth(root, &depth), 0), "tree_depth must succeed first");
    for (size_t allowed = 0; allowed <= MAX_ALLOCATIONS; allowed++) {
        depth = UNTOUCHED;
        alloc_fail_after(allowed);
        err = tree_depth(root, &depth);
        alloc_fail_never();
        if (err == 0)
            break;
        failures++;
        cr_assert(eq(int, err, -ENOMEM),
                  "on %s, allocation number %zu failed: tree_depth should "
                  "return -ENOMEM", shape, allowed + 1);
        cr_assert(eq(sz, depth, UNTOUCHED), "depth must stay untouched on failure");
        cr_assert(eq(sz, alloc_live_blocks(), 0),
                  "on %s, allocation number %zu failed and %zu block(s) "
                  "leaked: when realloc returns NULL the old block is still "
                  "yours to free (p = realloc(p, n) loses it)", shape,
                  allowed + 1, alloc_live_blocks());
    }
    cr_assert(eq(int, err, 0),
              "on %s, tree_depth still failed with %d allocations allowed: "
              "does it grow the stack by a factor, or one entry at a time?",
              shape, MAX_ALLOCATIONS);
    cr_assert(eq(sz, depth, expected), "on %s, once memory suffices the depth is %zu",
              shape, expected);
    return failures > 0 ? failures - 1 : 0;
}

GRADED_TEST(tree_depth, reports_enomem_when_the_stack_cannot_grow, 2, .timeout = 4,
            .description = "-ENOMEM, nothing leaked, when the stack fails to grow at any point")
{
    struct tree_node *left = caterpillar_new(10000, SPINE_LEFT);
    struct tree_node *right = caterpillar_new(10000, SPINE_RIGHT);
    struct tree_node *complete = complete_new(14);
    size_t growth_failures = 0;

    /* Whatever order the children are visited in, one shape makes the
     * stack grow. */
    growth_failures += fail_each_allocation(left, 10001, "a spine down the left");
    growth_failures += fail_each_allocation(right, 10001, "a spine down the right");
    growth_failures += fail_each_allocation(complete, 14, "a complete tree of 14 levels");
    cr_assert(ne(sz, growth_failures, 0),
              "the stack never needed to grow for 10,000 waiting nodes: start "
              "small and grow it when it is full");
    free(left);
    free(right);
    free(complete);
}
