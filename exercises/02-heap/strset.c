/*
 * A set of strings in a binary search tree: your implementation.
 *
 * Read strset.h first: it says, function by function, who owns each
 * string. Every string the set owns must be freed exactly once.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct strset *strset_new(void)
{
    /* TODO: allocate the struct and set root to NULL and len to 0. */
    return NULL;
}

struct strset *strset_free(struct strset *set)
{
    /* TODO: free every node, each node's text, then the struct. Accept
     * NULL. */
    (void)set;
    return NULL;
}

int strset_add_take(struct strset *set, char *text)
{
    /* TODO: find where text belongs (smaller: left, larger: right). If an
     * equal string is there, free text and return -EEXIST. Otherwise
     * allocate a node holding text itself; if that fails, free text and
     * return -ENOMEM. */
    (void)set;
    (void)text;
    return -ENOSYS;
}

int strset_add(struct strset *set, const char *text)
{
    /* TODO: return -EEXIST without allocating if text is already there;
     * otherwise add a copy (strdup), and free the copy on failure. */
    (void)set;
    (void)text;
    return -ENOSYS;
}

bool strset_contains(const struct strset *set, const char *text)
{
    /* TODO: walk down from the root, comparing with strcmp. */
    (void)set;
    (void)text;
    return false;
}

const char **strset_sorted(const struct strset *set)
{
    /* TODO: allocate len + 1 pointers, fill them with an in-order walk
     * (left subtree, node, right subtree), end with NULL. Do not copy the
     * strings. */
    (void)set;
    return NULL;
}

char *strset_take_min(struct strset *set)
{
    /* TODO: the smallest string is in the leftmost node. Unlink that node
     * (its right subtree takes its place), free the node but not its
     * text, and return the text. NULL if the set is empty. */
    (void)set;
    return NULL;
}
