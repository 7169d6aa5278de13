/**
 * @file vector.h
 * @brief A growable array of int that never loses data when memory runs out.
 *
 * The elements live in one heap block of @c cap ints, of which the first
 * @c len are in use:
 *
 * ~~~{.txt}
 *   struct vector          heap block of cap = 8 ints
 *   +-------------+        +----+----+----+----+----+----+----+----+
 *   | items  *----------->  | 10 | 20 | 30 |  ?    ?    ?    ?    ?  |
 *   | len  = 3    |        +----+----+----+----+----+----+----+----+
 *   | cap  = 8    |          in use (len)    spare capacity
 *   +-------------+
 * ~~~
 *
 * Growth policy: when vector_push() finds the block full, and only then, it
 * grows it geometrically: an empty vector gets VECTOR_MIN_CAP elements, a
 * vector of @c cap elements gets between cap + cap / 2 and 2 * cap
 * elements (any factor from 1.5 to 2; doubling is the usual choice), but
 * never more than VECTOR_MAX_CAP: a growth that would pass it stops at
 * VECTOR_MAX_CAP exactly. So n pushes cost O(n) element copies in total.
 * vector_reserve() sets the capacity in advance and avoids regrowing
 * altogether.
 *
 * Failure policy: a function that fails returns a negative errno code and
 * leaves the vector exactly as it was (same items pointer, same len and
 * cap, same elements), still usable.
 *
 * Ownership: the vector owns its item block; vector_free() releases both.
 * @c items may move whenever the capacity changes, so do not keep pointers
 * to elements across a call that can grow or shrink the vector.
 */
#ifndef VECTOR_H
#define VECTOR_H

#include <stddef.h>
#include <stdint.h>

/** Capacity given to an empty vector on its first push. */
#define VECTOR_MIN_CAP 8

/** Largest capacity, in elements: a block of it is at most PTRDIFF_MAX
 *  bytes, the largest object GCC and glibc support (an implementation
 *  limit, not an ISO C rule). */
#define VECTOR_MAX_CAP ((size_t)PTRDIFF_MAX / sizeof(int))

/** A growable array of int. Read the fields; change them only through the
 *  functions below. */
struct vector {
    int *items; /**< Block of @c cap ints; NULL while @c cap is 0. */
    size_t len; /**< Number of elements in use, at most @c cap. */
    size_t cap; /**< Number of elements the block can hold. */
};

/**
 * @brief Creates an empty vector.
 *
 * Allocates only the struct: the item block is allocated by the first push
 * or reserve.
 *
 * @return A new vector with len 0, cap 0 and items NULL, owned by the
 *         caller (release it with vector_free()), or NULL if out of memory.
 */
struct vector *vector_new(void);

/**
 * @brief Frees a vector and its item block.
 *
 * @param[in] v The vector, taken by this call; NULL is allowed and does
 *              nothing.
 * @return NULL, so that `v = vector_free(v);` leaves no dangling pointer.
 */
struct vector *vector_free(struct vector *v);

/**
 * @brief Makes room for at least @p capacity elements.
 *
 * If @p capacity is larger than @c cap, resizes the block to exactly
 * @p capacity elements; otherwise does nothing (it never shrinks).
 *
 * @param[in,out] v        The vector, borrowed.
 * @param[in]     capacity Number of elements to make room for.
 * @return 0 on success; -EOVERFLOW if @p capacity is larger than
 *         VECTOR_MAX_CAP (the allocator is not called); -ENOMEM if the
 *         allocator fails. On failure the vector is unchanged.
 */
int vector_reserve(struct vector *v, size_t capacity);

/**
 * @brief Appends @p value, growing the block first if it is full.
 *
 * @param[in,out] v     The vector, borrowed.
 * @param[in]     value The element to append.
 * @return 0 on success; -EOVERFLOW if the vector already holds
 *         VECTOR_MAX_CAP elements; -ENOMEM if the allocator fails. On
 *         failure the vector is unchanged.
 */
int vector_push(struct vector *v, int value);

/**
 * @brief Removes the last element and stores it in @p *out.
 *
 * Never shrinks the block.
 *
 * @param[in,out] v   The vector, borrowed.
 * @param[out]    out Where to store the removed element; borrowed.
 * @return 0 on success; -ENOENT if the vector is empty (then @p *out is
 *         not written).
 */
int vector_pop(struct vector *v, int *out);

/**
 * @brief Shrinks the block to exactly @c len elements.
 *
 * An empty vector frees its block (items becomes NULL, cap 0).
 *
 * @param[in,out] v The vector, borrowed.
 * @return 0 on success; -ENOMEM if the allocator fails, and then the
 *         vector is unchanged.
 */
int vector_shrink_to_fit(struct vector *v);

#endif /* VECTOR_H */
