/* MUTANT: tree_depth recurses, so a deep tree overflows the call stack */
#include "tree_depth.h"

#include <errno.h>

static size_t depth_of(const struct tree_node *node)
{
    if (!node)
        return 0;
    size_t left = depth_of(node->left), right = depth_of(node->right);
    return 1 + (left > right ? left : right);
}

int tree_depth(const struct tree_node *root, size_t *depth)
{
    if (!depth)
        return -EINVAL;
    *depth = depth_of(root);
    return 0;
}
