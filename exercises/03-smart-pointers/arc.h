/**
 * @file arc.h
 * @brief An atomically reference-counted buffer: shared ownership across
 *        threads.
 *
 * The same contract as rc.h (read it first), except that threads may call
 * arc_ref() and arc_unref() on the same buffer at the same time, as with
 * Rust's `Arc<T>`, GLib's `g_atomic_rc_box` and the Linux kernel's `kref`.
 *
 * `count++` is three steps, load, add, store, and two threads that
 * interleave them both store the same value: one update is lost. A lost
 * increment frees the buffer while an owner still uses it; a lost decrement
 * leaks it. So the count is a C11 atomic (`<stdatomic.h>`) and every change
 * to it is one indivisible read-modify-write:
 *
 * - arc_ref() adds 1 with relaxed ordering: the caller already holds a
 *   reference, so the buffer cannot vanish meanwhile, and nothing else is
 *   published by the increment.
 * - arc_unref() subtracts 1 with release ordering, so that everything this
 *   thread did with the data, reads as well as writes, happens before the
 *   count can be seen to drop; the thread that takes the count to 0 then
 *   issues an acquire fence before it destroys the data. Every decrement
 *   is a read-modify-write of the count, so each continues the release
 *   sequence of the ones before it (C11 5.1.2.4): that one fence
 *   synchronizes with every earlier owner's release, not only the last.
 *
 * Only the data's lifetime is thread-safe: two threads writing the data
 * itself still need a lock.
 *
 * The tests call these functions from threads of their own, whose stacks
 * are 1 MiB, and the destroy function may run on one of them.
 */
#ifndef ARC_H
#define ARC_H

#include <stddef.h>
#include <stdint.h>

/** The most references one buffer can have; arc_ref() refuses more. */
#define ARC_COUNT_MAX 4096

/** The largest data size, in bytes, that arc_new() accepts. */
#define ARC_MAX_SIZE ((size_t)PTRDIFF_MAX / 2)

/**
 * @brief What the last arc_unref() runs on the data before freeing it.
 *
 * It runs on whichever thread gives back the last reference.
 *
 * @param[in,out] data The buffer's data, borrowed for the call.
 */
typedef void arc_destroy_fn(void *data);

/** An atomically reference-counted buffer. Opaque: use it only through
 *  the functions below. */
struct arc;

/**
 * @brief Allocates a buffer of @p size zero bytes, with a count of 1.
 *
 * @param[in] size    Bytes of data, 0 to ARC_MAX_SIZE.
 * @param[in] destroy Run once on the data by the last arc_unref(); NULL
 *                    for none.
 * @return A new buffer holding one reference, owned by the caller; its
 *         data is zero-filled and aligned for any type. NULL if @p size is
 *         above ARC_MAX_SIZE (the allocator is not called) or if out of
 *         memory (nothing is then left allocated).
 */
struct arc *arc_new(size_t size, arc_destroy_fn *destroy);

/**
 * @brief Adds a reference; safe to call from several threads at once.
 *
 * @param[in] arc A buffer the calling thread holds a reference to,
 *                borrowed; NULL is allowed.
 * @return @p arc, with one more reference, now owned by the caller. NULL
 *         if @p arc is NULL, or if the count is already ARC_COUNT_MAX (the
 *         count is then unchanged, even with other threads racing: of two
 *         calls racing for the last reference below the maximum, exactly
 *         one succeeds, in every interleaving of their instructions).
 */
struct arc *arc_ref(struct arc *arc);

/**
 * @brief Gives one reference back; safe to call from several threads at
 *        once. The call that takes the count to 0 destroys and frees the
 *        buffer.
 *
 * Exactly one call destroys: the one whose own decrement took the count
 * from 1 to 0, whatever other calls do in between (the tests run another
 * thread's arc_unref at every instruction of yours).
 *
 * @param[in] arc One reference, taken by this call; NULL is allowed and
 *                does nothing.
 * @return NULL, so that `arc = arc_unref(arc);` forgets the reference.
 */
struct arc *arc_unref(struct arc *arc);

/**
 * @brief How many references the buffer has (for tests and debugging).
 *
 * Another thread may change it at any moment: never decide anything from
 * it in concurrent code.
 *
 * @param[in] arc The buffer, borrowed; NULL is allowed.
 * @return The count when it was read; 0 if @p arc is NULL.
 */
size_t arc_count(const struct arc *arc);

/**
 * @brief Lends the buffer's data.
 *
 * @param[in] arc The buffer, borrowed; NULL is allowed.
 * @return The data, owned by the buffer, valid while the caller holds a
 *         reference; NULL if @p arc is NULL.
 */
void *arc_data(struct arc *arc);

#endif /* ARC_H */
