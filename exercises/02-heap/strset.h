/**
 * @file strset.h
 * @brief A set of strings in a binary search tree that owns its strings.
 *
 * Each node owns two blocks: itself and the copy of its string. Smaller
 * strings (by strcmp) go left, larger ones right:
 *
 * ~~~{.txt}
 *   struct strset         node                      string block
 *   +----------+          +-------------+
 *   | root *------------> | text *--------------->  "kiwi\0"
 *   | len = 3  |          | left  right |
 *   +----------+          +--|-------|--+
 *                            v       v
 *                      node "fig"   node "pear"
 * ~~~
 *
 * Ownership, function by function:
 * - strset_add() borrows its string and stores a copy of it.
 * - strset_add_take() takes its string: from the call on the set owns it,
 *   even if the call fails (the set then frees it at once).
 * - strset_contains() borrows.
 * - strset_sorted() returns an array that the caller owns, of strings that
 *   the set still owns: they stay valid until the set changes.
 * - strset_take_min() removes a string from the set and gives it to the
 *   caller, who must free it.
 * - strset_free() frees every node and every string still in the set.
 *
 * The tree is not balanced: strings added in sorted order make it a chain
 * of len nodes. The caller's input decides that depth, so no function here
 * may recurse over the tree: strset_free() and strset_sorted() use the same
 * small amount of call stack whatever the tree's shape (the tests run them
 * on a 4,000-node chain in a thread with a 64 KiB stack).
 */
#ifndef STRSET_H
#define STRSET_H

#include <stdbool.h>
#include <stddef.h>

/** One string of the set and its two subtrees. */
struct strset_node {
    char *text;                /**< The string; owned by the node. */
    struct strset_node *left;  /**< Strings before text; NULL if none. */
    struct strset_node *right; /**< Strings after text; NULL if none. */
};

/** A set of distinct strings. Read the fields; change them only through
 *  the functions below. */
struct strset {
    struct strset_node *root; /**< NULL when the set is empty. */
    size_t len;               /**< Number of strings in the set. */
};

/**
 * @brief Creates an empty set.
 *
 * @return A new set owned by the caller (release it with strset_free()),
 *         or NULL if out of memory.
 */
struct strset *strset_new(void);

/**
 * @brief Frees a set, its nodes and every string it owns.
 *
 * Arrays returned by strset_sorted() are the caller's and are not freed,
 * but the strings in them are: do not read them afterwards.
 *
 * @param[in] set The set, taken by this call; NULL is allowed.
 * @return NULL, so that `set = strset_free(set);` leaves no dangling
 *         pointer.
 */
struct strset *strset_free(struct strset *set);

/**
 * @brief Adds a copy of @p text to the set.
 *
 * @param[in,out] set  The set, borrowed.
 * @param[in]     text The string, borrowed: the set stores its own copy,
 *                     so the caller may change or free @p text afterwards.
 * @return 0 if added; -EEXIST if the set already holds an equal string
 *         (nothing is allocated); -ENOMEM if out of memory. On failure
 *         the set is unchanged and no block is left allocated.
 */
int strset_add(struct strset *set, const char *text);

/**
 * @brief Adds @p text itself to the set, without copying it.
 *
 * @param[in,out] set  The set, borrowed.
 * @param[in]     text A string allocated with malloc() (or strdup()...),
 *                     not NULL, taken by this call in every case: on
 *                     success the set keeps it, on failure the set frees
 *                     it. Either way the caller must not use it again.
 * @return 0 if added; -EEXIST if the set already holds an equal string;
 *         -ENOMEM if out of memory. On failure the set is unchanged.
 */
int strset_add_take(struct strset *set, char *text);

/**
 * @brief Tells whether the set holds a string equal to @p text.
 *
 * @param[in] set  The set, borrowed.
 * @param[in] text The string to look for, borrowed.
 * @return true if the set holds an equal string, false otherwise.
 */
bool strset_contains(const struct strset *set, const char *text);

/**
 * @brief Lists the strings of the set in increasing strcmp order.
 *
 * @param[in] set The set, borrowed.
 * @return A new array of len + 1 pointers, the last one NULL, owned by
 *         the caller, who frees it with free(). The strings it points to
 *         are borrowed from the set: do not free them, and do not use
 *         them after the set changes. NULL if out of memory.
 */
const char **strset_sorted(const struct strset *set);

/**
 * @brief Removes the smallest string from the set and returns it.
 *
 * @param[in,out] set The set, borrowed.
 * @return The smallest string, now owned by the caller, who frees it with
 *         free(); NULL if the set is empty.
 */
char *strset_take_min(struct strset *set);

#endif /* STRSET_H */
