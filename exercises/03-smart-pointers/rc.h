/**
 * @file rc.h
 * @brief A reference-counted buffer: shared ownership, one thread.
 *
 * Several owners share one buffer. Each owner holds one *reference*; the
 * buffer counts them and frees itself when the last one is given back,
 * as systemd's `DEFINE_TRIVIAL_REF_UNREF_FUNC`, the Linux kernel's `kref`
 * and GLib's `g_rc_box` do, and as Rust's `Rc<T>` does at the end of each
 * owner's scope.
 *
 * ~~~{.txt}
 *   owner a ----+
 *               v
 *   owner b --> +-------------------------------------+
 *               | count = 2 | destroy | size | data... |
 *   (2 refs)    +-------------------------------------+
 * ~~~
 *
 * Rules, as in systemd:
 * 1. The count starts at 1: rc_new() returns the caller's reference.
 * 2. rc_ref() adds a reference and returns its argument, so that
 *    `other->buf = rc_ref(buf);` reads as what it does.
 * 3. rc_unref() gives one reference back and returns NULL, so that
 *    `buf = rc_unref(buf);` leaves no dangling pointer. The call that
 *    drops the count to 0 runs the destroy function, once, then frees the
 *    buffer.
 * 4. The count never passes RC_COUNT_MAX: rc_ref() refuses instead of
 *    letting it wrap to 0, which would free a buffer still in use.
 *
 * Not thread-safe: for that, see arc.h.
 */
#ifndef RC_H
#define RC_H

#include <stddef.h>
#include <stdint.h>

/** The most references one buffer can have. A program that holds this
 *  many references to one object has almost surely leaked references;
 *  refusing the next one turns the leak into an error you can see. */
#define RC_COUNT_MAX 4096

/** The largest data size, in bytes, that rc_new() accepts. */
#define RC_MAX_SIZE ((size_t)PTRDIFF_MAX / 2)

/**
 * @brief What the last rc_unref() runs on the data before freeing it.
 *
 * It releases what the data owns, never the data's own bytes.
 *
 * @param[in,out] data The buffer's data, borrowed for the call.
 */
typedef void rc_destroy_fn(void *data);

/** A reference-counted buffer. Opaque: use it only through the functions
 *  below. */
struct rc;

/**
 * @brief Allocates a buffer of @p size zero bytes, with a count of 1.
 *
 * @param[in] size    Bytes of data, 0 to RC_MAX_SIZE. For 0, rc_data()
 *                    still returns a pointer (to no bytes), not NULL.
 * @param[in] destroy Run once on the data by the last rc_unref(); NULL for
 *                    none.
 * @return A new buffer holding one reference, owned by the caller. Its data
 *         is zero-filled and aligned for any type. NULL if @p size is above
 *         RC_MAX_SIZE (the allocator is not called) or if out of
 *         memory (nothing is then left allocated).
 */
struct rc *rc_new(size_t size, rc_destroy_fn *destroy);

/**
 * @brief Adds a reference.
 *
 * @param[in] rc A buffer the caller holds a reference to, borrowed; NULL
 *               is allowed.
 * @return @p rc, with one more reference, which the caller now owns and
 *         gives back with rc_unref(). NULL if @p rc is NULL, or if the
 *         count is already RC_COUNT_MAX (the count is then unchanged).
 */
struct rc *rc_ref(struct rc *rc);

/**
 * @brief Gives one reference back; frees the buffer with the last one.
 *
 * When the count drops to 0, runs the destroy function once on the data,
 * then frees the buffer. Giving back a reference you do not hold is a
 * bug: the count must be positive (checked with assert()).
 *
 * @param[in] rc One reference, taken by this call; NULL is allowed and
 *               does nothing.
 * @return NULL, so that `rc = rc_unref(rc);` forgets the reference.
 */
struct rc *rc_unref(struct rc *rc);

/**
 * @brief How many references the buffer has (for tests and debugging).
 *
 * @param[in] rc The buffer, borrowed; NULL is allowed.
 * @return The count; 0 if @p rc is NULL.
 */
size_t rc_count(const struct rc *rc);

/**
 * @brief Lends the buffer's data.
 *
 * @param[in] rc The buffer, borrowed; NULL is allowed.
 * @return The data, owned by the buffer, valid while the caller holds a
 *         reference; NULL if @p rc is NULL.
 */
void *rc_data(struct rc *rc);

/**
 * @brief The size of the buffer's data.
 *
 * @param[in] rc The buffer, borrowed; NULL is allowed.
 * @return The size given to rc_new(); 0 if @p rc is NULL.
 */
size_t rc_size(const struct rc *rc);

#endif /* RC_H */
