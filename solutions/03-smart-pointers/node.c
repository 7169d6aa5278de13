/*
 * A tree of reference-counted nodes.
 *
 * Ownership runs one way, down: a parent holds a counted reference to each
 * child, and a child's parent pointer is borrowed. So no parent-child pair
 * is a cycle, and giving back the last reference to the root frees the
 * whole tree (every node that nobody else holds).
 *
 * A borrowed pointer needs someone to clear it: when a parent dies, it sets
 * the parent pointer of each child to NULL before giving the child back,
 * because the child may outlive it (someone else may hold the child).
 *
 * Counted references still make a cycle if a node is added below itself:
 * node_add_child() walks up from the parent and refuses a child that is
 * the parent or one of its ancestors.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "node.h"

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_CAP 4 /* children in the first array */

struct node *node_new(const char *name)
{
    struct node *n = malloc(sizeof *n);

    if (!n)
        return NULL;
    *n = (struct node){ .refs = 1, .parent = NULL, .children = NULL };
    n->name = strdup(name);
    if (!n->name) {
        free(n);
        return NULL;
    }
    return n;
}

struct node *node_ref(struct node *n)
{
    if (n) {
        assert(n->refs > 0);
        n->refs++;
    }
    return n;
}

struct node *node_unref(struct node *n)
{
    if (!n)
        return NULL;
    assert(n->refs > 0);
    if (--n->refs > 0)
        return NULL;

    for (size_t i = 0; i < n->n_children; i++) {
        n->children[i]->parent = NULL; /* would dangle once n is freed */
        node_unref(n->children[i]);
    }
    free(n->children);
    free(n->name);
    free(n);
    return NULL;
}

/* Makes room for one more child; 0, or -ENOMEM with nothing changed. */
static int node_reserve_child(struct node *parent)
{
    if (parent->n_children < parent->cap)
        return 0;

    size_t cap = parent->cap ? 2 * parent->cap : FIRST_CAP;
    if (cap > SIZE_MAX / sizeof *parent->children)
        return -ENOMEM;
    struct node **children = realloc(parent->children, cap * sizeof *children);
    if (!children)
        return -ENOMEM;
    parent->children = children;
    parent->cap = cap;
    return 0;
}

/* Whether n is of itself or one of of's ancestors: walks up the parent
 * pointers from of to its root. */
static bool is_self_or_ancestor(const struct node *n, const struct node *of)
{
    for (const struct node *up = of; up; up = up->parent)
        if (up == n)
            return true;
    return false;
}

int node_add_child(struct node *parent, struct node *child)
{
    if (!parent || !child || child->parent)
        return -EINVAL;
    /* A child that is the parent or one of its ancestors would own its own
     * owner: a strong cycle that no unref can free. */
    if (is_self_or_ancestor(child, parent))
        return -EINVAL;

    int err = node_reserve_child(parent); /* first, so failing changes nothing */
    if (err)
        return err;
    parent->children[parent->n_children++] = node_ref(child);
    child->parent = parent; /* borrowed: counting it would make a cycle */
    return 0;
}

struct node *node_detach(struct node *child)
{
    if (!child || !child->parent)
        return NULL;

    struct node *parent = child->parent;
    for (size_t i = 0; i < parent->n_children; i++) {
        if (parent->children[i] == child) {
            memmove(&parent->children[i], &parent->children[i + 1],
                    (parent->n_children - i - 1) * sizeof *parent->children);
            parent->n_children--;
            break;
        }
    }
    child->parent = NULL;
    return child; /* the parent's reference, now the caller's */
}
