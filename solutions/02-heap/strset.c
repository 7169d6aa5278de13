/*
 * A set of strings in an unbalanced binary search tree.
 *
 * Every search walks down from the root through links (the root pointer
 * or a child pointer), so that adding or removing a node is one store
 * through the link that leads to it, with no special case for the root.
 *
 * Ownership: each node owns its text. strset_add() copies then hands the
 * copy to strset_add_take(), which owns it from then on, so the one place
 * that frees a refused string is strset_add_take().
 *
 * Worst case: the tree is not balanced, so n strings added in sorted order
 * make a chain n nodes deep. A search then takes n steps, and the
 * recursive walks (strset_node_free, strset_collect) nest n calls deep.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "strset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct strset *strset_new(void)
{
    struct strset *set = malloc(sizeof *set);

    if (set)
        *set = (struct strset){ .root = NULL, .len = 0 };
    return set;
}

/* Frees node, its subtrees and their strings. */
static void strset_node_free(struct strset_node *node)
{
    if (!node)
        return;
    strset_node_free(node->left);
    strset_node_free(node->right);
    free(node->text);
    free(node);
}

struct strset *strset_free(struct strset *set)
{
    if (set) {
        strset_node_free(set->root);
        free(set);
    }
    return NULL;
}

/* Returns the link that points to the node holding text, or the empty
 * link where such a node belongs. */
static struct strset_node **strset_link(struct strset *set, const char *text)
{
    struct strset_node **link = &set->root;

    while (*link) {
        int order = strcmp(text, (*link)->text);

        if (order == 0)
            break;
        link = order < 0 ? &(*link)->left : &(*link)->right;
    }
    return link;
}

int strset_add_take(struct strset *set, char *text)
{
    struct strset_node **link = strset_link(set, text);

    if (*link) {
        free(text);
        return -EEXIST;
    }
    struct strset_node *node = malloc(sizeof *node);
    if (!node) {
        free(text);
        return -ENOMEM;
    }
    *node = (struct strset_node){ .text = text, .left = NULL, .right = NULL };
    *link = node;
    set->len++;
    return 0;
}

int strset_add(struct strset *set, const char *text)
{
    if (strset_contains(set, text))
        return -EEXIST; /* no copy to make and throw away */

    char *copy = strdup(text);
    if (!copy)
        return -ENOMEM;
    return strset_add_take(set, copy);
}

bool strset_contains(const struct strset *set, const char *text)
{
    const struct strset_node *node = set->root;

    while (node) {
        int order = strcmp(text, node->text);

        if (order == 0)
            return true;
        node = order < 0 ? node->left : node->right;
    }
    return false;
}

/* Stores the strings of the subtree at node, in order, from *next on,
 * and advances *next past them. */
static void strset_collect(const struct strset_node *node, const char ***next)
{
    if (!node)
        return;
    strset_collect(node->left, next);
    **next = node->text;
    (*next)++;
    strset_collect(node->right, next);
}

const char **strset_sorted(const struct strset *set)
{
    /* calloc checks (len + 1) * sizeof(char *) for overflow. */
    const char **sorted = calloc(set->len + 1, sizeof *sorted);

    if (!sorted)
        return NULL;
    const char **next = sorted;
    strset_collect(set->root, &next);
    *next = NULL;
    return sorted;
}

char *strset_take_min(struct strset *set)
{
    struct strset_node **link = &set->root;

    if (!*link)
        return NULL;
    while ((*link)->left)
        link = &(*link)->left;

    struct strset_node *min = *link;
    char *text = min->text;

    *link = min->right; /* the larger strings below min move up */
    free(min);
    set->len--;
    return text;
}
