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
 * make a chain n nodes deep, and a search takes n steps. That depth is
 * decided by the caller's input, so no walk here recurses (lesson 01,
 * "Stack overflow": a recursive walk would nest n calls deep and a long
 * enough chain would overflow the stack). strset_free() flattens the tree
 * by rotations as it frees it, in O(1) extra space; strset_sorted() keeps
 * the nodes it has still to list on an explicit stack in the heap.
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

/*
 * Frees the tree at node and its strings without recursion. While the
 * current node has a left child, a right rotation lifts that child above
 * it; a node with no left child is freed and its right subtree is next.
 * Each rotation moves one node off the left spine for good, so the loop
 * runs at most 2n times.
 */
static void strset_nodes_free(struct strset_node *node)
{
    while (node) {
        struct strset_node *next;

        if (node->left) {
            next = node->left; /* rotate right: next goes above node */
            node->left = next->right;
            next->right = node;
        } else {
            next = node->right;
            free(node->text);
            free(node);
        }
        node = next;
    }
}

struct strset *strset_free(struct strset *set)
{
    if (set) {
        strset_nodes_free(set->root);
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

/*
 * In-order walk with an explicit stack: go left as far as possible, pushing
 * each node passed; pop one, list it, and continue in its right subtree.
 * The stack holds nodes on one path from the root, so never more than len.
 */
const char **strset_sorted(const struct strset *set)
{
    /* calloc checks (len + 1) * sizeof(char *) for overflow. */
    const char **sorted = calloc(set->len + 1, sizeof *sorted);
    const struct strset_node **pending = calloc(set->len + 1, sizeof *pending);

    if (!sorted || !pending) {
        free(sorted);
        free(pending);
        return NULL;
    }
    const struct strset_node *node = set->root;
    size_t listed = 0;
    size_t waiting = 0;

    while (node || waiting > 0) {
        if (node) {
            pending[waiting++] = node;
            node = node->left;
        } else {
            node = pending[--waiting];
            sorted[listed++] = node->text;
            node = node->right;
        }
    }
    sorted[listed] = NULL;
    free(pending);
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
