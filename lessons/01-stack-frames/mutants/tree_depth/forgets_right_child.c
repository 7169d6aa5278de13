/* MUTANT: tree_depth only pushes the left child of each node */
/*
 * tree_depth.c: depth of a binary tree with an explicit stack on the heap.
 *
 * Algorithm: depth-first search. The call stack of the recursive version
 * becomes an array of pending visits, each a node and its depth:
 *   1. push (root, 1);
 *   2. pop a visit, note its depth if it is the deepest so far, push its
 *      children at depth + 1;
 *   3. repeat until the stack is empty.
 * Invariant: every entry holds a non-NULL node not yet visited.
 * The array doubles when full, so n pushes cost O(n) copying in total.
 * Worst case: n nodes take O(n) time and O(n) entries of heap (a left spine
 * whose nodes all have a right leaf leaves one leaf waiting per level), and
 * always O(1) call stack.
 */
#include "tree_depth.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* A node waiting to be visited. */
struct visit {
    const struct tree_node *node; /* never NULL */
    size_t depth;                 /* nodes from the root to node, both counted */
};

/* The explicit stack: a growable array used LIFO. */
struct visit_stack {
    struct visit *items; /* heap array of cap entries, or NULL while cap is 0 */
    size_t len;          /* entries in use */
    size_t cap;          /* entries allocated */
};

#define FIRST_CAP 64 /* entries allocated by the first push */

/* Makes room for one more entry. Returns 0 or -ENOMEM; on failure the stack
 * is unchanged and still owns its array. */
static int stack_grow(struct visit_stack *s)
{
    size_t cap = s->cap ? s->cap : FIRST_CAP / 2;

    if (cap > SIZE_MAX / 2 / sizeof *s->items)
        return -ENOMEM;
    cap *= 2;
    /* Keep the old pointer until realloc succeeds: on failure it is still ours. */
    struct visit *items = realloc(s->items, cap * sizeof *items);
    if (!items)
        return -ENOMEM;
    s->items = items;
    s->cap = cap;
    return 0;
}

/* Pushes a visit of node, which may be NULL (nothing to push). Returns 0 or
 * -ENOMEM. */
static int stack_push(struct visit_stack *s, const struct tree_node *node, size_t depth)
{
    if (!node)
        return 0;
    if (s->len == s->cap) {
        int err = stack_grow(s);
        if (err)
            return err;
    }
    s->items[s->len++] = (struct visit){ .node = node, .depth = depth };
    return 0;
}

int tree_depth(const struct tree_node *root, size_t *depth)
{
    if (!depth)
        return -EINVAL;

    struct visit_stack todo = { .items = NULL, .len = 0, .cap = 0 };
    size_t deepest = 0;
    int err = stack_push(&todo, root, 1);

    while (!err && todo.len > 0) {
        const struct visit v = todo.items[--todo.len];

        if (v.depth > deepest)
            deepest = v.depth;
        err = stack_push(&todo, v.node->left, v.depth + 1);
    }
    free(todo.items);
    if (!err)
        *depth = deepest;
    return err;
}
