/*
 * A tree of reference-counted nodes: the program to repair.
 *
 * This file compiles, and a quick try seems to work. It has three
 * ownership bugs, the three classic ones of reference counting:
 * - a reference that an error path forgets to give back (a leak, seen
 *   only when an allocation fails);
 * - a reference given back twice (a use after free, then a double free);
 * - a cycle: two objects that own each other, so neither count ever
 *   reaches 0 (a leak of the whole tree).
 * It also misses a check that node.h asks for: node_add_child() must
 * refuse a child that is the parent's own ancestor (the root added below
 * its grandchild owns itself, a fourth way to leak the tree).
 * The contract in node.h is right; the code is wrong. Run the tests under
 * Valgrind, read each report from its first line, and fix the code. The
 * cycle takes more than one line: once a pointer stops being counted,
 * every place that counted it must stop, and someone must clear it when
 * what it points to dies (node.h says who).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "node.h"

#include <assert.h>
#include <errno.h>
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

    node_unref(n->parent); /* the node's reference to its parent */
    for (size_t i = 0; i < n->n_children; i++)
        node_unref(n->children[i]);
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

int node_add_child(struct node *parent, struct node *child)
{
    if (!parent || !child || child->parent || child == parent)
        return -EINVAL;

    struct node *ref = node_ref(child);
    int err = node_reserve_child(parent);
    if (err)
        return err;
    parent->children[parent->n_children++] = ref;
    child->parent = node_ref(parent);
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
    child->parent = node_unref(parent); /* drop the reference to the parent */
    node_unref(child);                  /* the parent's reference to child */
    return child;
}
