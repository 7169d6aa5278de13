/**
 * @file strstack.h
 * @brief A stack of strings that owns its strings.
 *
 * The stack is a singly linked list from the top down. Each node owns two
 * blocks: itself and the copy of its string.
 *
 * ~~~{.txt}
 *   struct strstack       node                     node
 *   +-----------+         +----------+             +----------+
 *   | top *-------------> | text *------> "on "    | text *------> "heap"
 *   | len   = 2 |         | below *--------------> | below = NULL
 *   | chars = 7 |         +----------+             +----------+
 *   +-----------+
 * ~~~
 *
 * Ownership, function by function:
 * - strstack_push() borrows its string and stores a copy.
 * - strstack_pop() gives the top string to the caller, who frees it.
 * - strstack_join() and strstack_copy() return new objects owned by the
 *   caller; the stack they read keeps everything it owns.
 * - strstack_free() frees every node and every string still on the stack.
 */
#ifndef STRSTACK_H
#define STRSTACK_H

#include <stddef.h>

/** One string on the stack. */
struct strstack_node {
    char *text;                 /**< The string; owned by the node. */
    struct strstack_node *below; /**< The next node down; NULL at the bottom. */
};

/** A stack of strings. Read the fields; change them only through the
 *  functions below. */
struct strstack {
    struct strstack_node *top; /**< The top node; NULL when empty. */
    size_t len;                /**< Number of strings on the stack. */
    size_t chars;              /**< Sum of strlen() of all the strings. */
};

/**
 * @brief Creates an empty stack.
 *
 * @return A new stack with top NULL, len 0 and chars 0, owned by the
 *         caller (release it with strstack_free()); NULL if out of memory.
 */
struct strstack *strstack_new(void);

/**
 * @brief Frees a stack, its nodes and the strings it still holds.
 *
 * @param[in] s The stack, taken by this call; NULL is allowed.
 * @return NULL, so that `s = strstack_free(s);` leaves no dangling pointer.
 */
struct strstack *strstack_free(struct strstack *s);

/**
 * @brief Pushes a copy of @p text on top of the stack.
 *
 * @param[in,out] s    The stack, borrowed.
 * @param[in]     text The string, borrowed; the stack stores its own copy.
 * @return 0 on success; -ENOMEM if out of memory, and then the stack is
 *         unchanged and no block is left allocated.
 */
int strstack_push(struct strstack *s, const char *text);

/**
 * @brief Removes the top string and returns it.
 *
 * @param[in,out] s The stack, borrowed.
 * @return The top string, now owned by the caller, who frees it with
 *         free(); NULL if the stack is empty.
 */
char *strstack_pop(struct strstack *s);

/**
 * @brief Concatenates the strings from the top of the stack down.
 *
 * @param[in] s The stack, borrowed.
 * @return A new string of exactly @c chars characters (a block of chars + 1
 *         bytes), owned by the caller; "" for an empty stack; NULL if out
 *         of memory.
 */
char *strstack_join(const struct strstack *s);

/**
 * @brief Copies a stack, strings included.
 *
 * The copy shares nothing with @p s: freeing one leaves the other intact.
 *
 * @param[in] s The stack to copy, borrowed.
 * @return A new stack holding copies of the same strings in the same
 *         order, owned by the caller; NULL if out of memory, and then no
 *         block is left allocated.
 */
struct strstack *strstack_copy(const struct strstack *s);

#endif /* STRSTACK_H */
