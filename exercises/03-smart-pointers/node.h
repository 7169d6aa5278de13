/**
 * @file node.h
 * @brief A tree of reference-counted nodes: parents own their children,
 *        children only point back.
 *
 * Each node is reference-counted (rc.h's rules: the count starts at 1,
 * node_ref() returns its argument, node_unref() returns NULL and frees at
 * 0). A parent holds one counted reference to each of its children. A
 * child's `parent` pointer is **not** counted: it is a back pointer,
 * borrowed from the tree. Counting it too would make every parent-child
 * pair a cycle that never reaches 0.
 *
 * ~~~{.txt}
 *              root (refs 1: the caller's)
 *              children[0]   children[1]
 *                 |  ^          |  ^
 *       counted   v  | parent   v  | parent: not counted
 *              node "a"      node "b"   (refs 1 each: the root's)
 * ~~~
 *
 * How a node keeps its name and its children (one block or several,
 * children's array grown on demand or reserved ahead) is the
 * implementation's choice: the tests count blocks only to see that none is
 * left.
 *
 * Ownership, function by function:
 * - node_new() returns a node with one reference, owned by the caller.
 * - node_add_child() borrows both nodes: the parent takes a reference of
 *   its own to the child; the caller keeps the one it had.
 * - node_detach() gives the caller the reference the parent held.
 * - node_unref() gives one reference back. The last one frees the node,
 *   its name and its array, gives back the node's reference to each child,
 *   and first sets each child's `parent` to NULL: a child that someone
 *   else still holds must not keep a pointer to a freed parent.
 */
#ifndef NODE_H
#define NODE_H

#include <stddef.h>

/** A node of the tree. Read the fields; change them only through the
 *  functions below. */
struct node {
    size_t refs;            /**< References held to this node. */
    char *name;             /**< The node's name; owned by the node. */
    struct node *parent;    /**< The parent, not counted (borrowed); NULL
                                 for a root or once the parent is gone. */
    struct node **children; /**< Counted references to the children, in
                                 the order they were added; owned. */
    size_t n_children;      /**< Children in use. */
    size_t cap;             /**< Room in children, in elements. */
};

/**
 * @brief Creates a node with no parent and no children.
 *
 * @param[in] name The name, borrowed: the node stores its own copy.
 * @return A new node holding one reference, owned by the caller (give it
 *         back with node_unref()); NULL if out of memory, and then nothing
 *         is left allocated.
 */
struct node *node_new(const char *name);

/**
 * @brief Adds a reference.
 *
 * @param[in] n A node, borrowed; NULL is allowed.
 * @return @p n, with one more reference, owned by the caller; NULL if
 *         @p n is NULL.
 */
struct node *node_ref(struct node *n);

/**
 * @brief Gives a reference back; the last one frees the node.
 *
 * The last reference sets each child's `parent` to NULL, gives back the
 * node's reference to each child, then frees the children array, the name
 * and the node.
 *
 * @param[in] n One reference, taken; NULL is allowed.
 * @return NULL, so that `n = node_unref(n);` forgets the reference.
 */
struct node *node_unref(struct node *n);

/**
 * @brief Appends @p child to @p parent's children.
 *
 * @param[in,out] parent The parent, borrowed; it takes a counted reference
 *                       to @p child.
 * @param[in,out] child  The child, borrowed: the caller keeps its own
 *                       reference. Its `parent` becomes @p parent.
 * @return 0 on success; -EINVAL if either is NULL, if @p child already has
 *         a parent, or if @p child is @p parent or one of its ancestors
 *         (the parent's parent, and so on up to the root: the tree would
 *         then own itself, a cycle that is never freed); -ENOMEM if out
 *         of memory. On failure nothing changes: no count, no pointer, no
 *         block.
 */
int node_add_child(struct node *parent, struct node *child);

/**
 * @brief Removes a node from its parent's children.
 *
 * The other children keep their order.
 *
 * @param[in,out] child The node, borrowed; NULL is allowed.
 * @return @p child, with the reference its parent held now owned by the
 *         caller (give it back with node_unref()), and its `parent` set to
 *         NULL. NULL if @p child is NULL or has no parent.
 */
struct node *node_detach(struct node *child);

#endif /* NODE_H */
