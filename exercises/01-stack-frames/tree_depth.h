/**
 * @file tree_depth.h
 * @brief The depth of a binary tree, computed without recursion so that no
 *        tree is too deep for it.
 *
 * The recursive version is three lines, and each level of the tree costs it
 * one frame of the call stack:
 *
 * @code
 * size_t depth(const struct tree_node *node)
 * {
 *     if (!node)
 *         return 0;
 *     size_t left = depth(node->left), right = depth(node->right);
 *     return 1 + (left > right ? left : right);
 * }
 * @endcode
 *
 * A tree shaped like a list, a million nodes deep, needs a million frames:
 * tens of megabytes, more than the 8 MiB a main thread usually gets, so the
 * process dies with SIGSEGV. tree_depth() keeps its to-do list on the heap
 * instead, where it can grow as far as memory allows and where running out
 * is an error it can report.
 */
#ifndef TREE_DEPTH_H
#define TREE_DEPTH_H

#include <stddef.h>

/** A node of a binary tree; for depth, only the shape matters. */
struct tree_node {
    struct tree_node *left;  /**< left subtree, or NULL */
    struct tree_node *right; /**< right subtree, or NULL */
};

/**
 * @brief Computes the depth of a tree: the number of nodes on its longest
 *        path from the root down to a leaf.
 *
 * Uses a constant amount of call stack whatever the shape of the tree: the
 * nodes still to visit wait on an explicit LIFO stack in the heap, which
 * grows as needed and is freed before returning. The children may be
 * visited in any order.
 *
 * @param[in]  root  borrowed, read only; NULL is the empty tree.
 * @param[out] depth receives the depth: 0 for the empty tree, 1 for a single
 *                   node. Untouched on failure.
 * @return 0 on success; -EINVAL if @p depth is NULL; -ENOMEM if the explicit
 *         stack cannot grow, in which case nothing is leaked.
 */
int tree_depth(const struct tree_node *root, size_t *depth);

#endif /* TREE_DEPTH_H */
