/**
 * @file box.h
 * @brief An owned box: one heap value with exactly one owner.
 *
 * C's `struct box *` is the counterpart of Rust's `Box<T>`: the holder of
 * the pointer owns the value and must release it exactly once with
 * box_free(). C will not do that at the end of a scope for you, and will
 * not stop two variables from both believing they own the box. Moving the
 * box from one variable to another is therefore done with box_take(),
 * which empties the source, as Rust's `Option::take`, GLib's
 * `g_steal_pointer` and systemd's `TAKE_PTR` do.
 *
 * ~~~{.txt}
 *   struct box *b                  one heap block (or more: your choice)
 *   +---------+        +--------------------------------------+
 *   |    *---------->  | drop, size, ...  | value: size bytes |
 *   +---------+        +--------------------------------------+
 *                                          ^ box_get(b)
 * ~~~
 *
 * Ownership, function by function:
 * - box_new() returns a box owned by the caller; it borrows @p value and
 *   copies it.
 * - box_get() lends the value: it stays valid until the box is freed.
 * - box_take() moves a box out of a variable, which it sets to NULL.
 * - box_free() takes the box, runs its drop function, and frees it.
 * - box_freep() frees the box a variable holds and sets the variable to
 *   NULL: the function `__attribute__((cleanup(box_freep)))` calls at the
 *   end of a scope (a GNU extension; see the lesson's README).
 */
#ifndef BOX_H
#define BOX_H

#include <stddef.h>
#include <stdint.h>

/** The largest value, in bytes, that box_new() accepts. Larger sizes are
 *  refused before any allocation (room for the box's own fields stays
 *  below PTRDIFF_MAX). PTRDIFF_MAX is the implementation's limit, not the
 *  C standard's: past it, subtracting two pointers into one object would
 *  overflow ptrdiff_t, so GCC and glibc's malloc refuse such objects. */
#define BOX_MAX_SIZE ((size_t)PTRDIFF_MAX / 2)

/**
 * @brief What a box runs on its value just before freeing it.
 *
 * The counterpart of Rust's `Drop::drop`: it releases what the value owns
 * (a string the value points to, a file it holds open), never the value's
 * own bytes, which the box frees itself.
 *
 * @param[in,out] value The value, borrowed for the call; still readable.
 */
typedef void box_drop_fn(void *value);

/** An owned box. Opaque: use it only through the functions below. */
struct box;

/**
 * @brief Allocates a box holding a copy of @p size bytes.
 *
 * @param[in] value The bytes to copy, borrowed; NULL fills the value with
 *                  zero bytes instead.
 * @param[in] size  The value's size in bytes, 1 to BOX_MAX_SIZE.
 * @param[in] drop  Run once on the value by box_free(); NULL for none.
 * @return A new box owned by the caller, released with box_free(). Its
 *         value is aligned for any type (like a malloc() block). NULL if
 *         @p size is 0 or above BOX_MAX_SIZE (the allocator is then not
 *         called) or if out of memory (nothing is then left allocated).
 */
struct box *box_new(const void *value, size_t size, box_drop_fn *drop);

/**
 * @brief Lends the box's value.
 *
 * @param[in] b The box, borrowed; NULL is allowed.
 * @return The value, owned by the box: valid until the box is freed.
 *         NULL if @p b is NULL.
 */
void *box_get(const struct box *b);

/**
 * @brief The size of the box's value.
 *
 * @param[in] b The box, borrowed; NULL is allowed.
 * @return The size given to box_new(); 0 if @p b is NULL.
 */
size_t box_size(const struct box *b);

/**
 * @brief Moves the box out of a variable.
 *
 * After `struct box *mine = box_take(&theirs);` exactly one variable owns
 * the box: `mine`. `theirs` is NULL, so freeing it too is harmless.
 *
 * @param[in,out] slot The variable holding the box, borrowed; set to NULL.
 *                     NULL is allowed.
 * @return What @p slot held (a box or NULL), now owned by the caller; NULL
 *         if @p slot is NULL.
 */
struct box *box_take(struct box **slot);

/**
 * @brief Runs the box's drop function on its value, then frees the box.
 *
 * @param[in] b The box, taken by this call; NULL is allowed and does
 *              nothing.
 * @return NULL, so that `b = box_free(b);` leaves no dangling pointer.
 */
struct box *box_free(struct box *b);

/**
 * @brief Frees the box a variable holds, and sets the variable to NULL.
 *
 * Meant for `__attribute__((cleanup(box_freep))) struct box *b = NULL;`,
 * which calls box_freep(&b) when `b` goes out of scope.
 *
 * @param[in,out] slot The variable, borrowed; the box in it is taken and
 *                     freed. NULL, or a variable holding NULL, is allowed.
 */
void box_freep(struct box **slot);

#endif /* BOX_H */
