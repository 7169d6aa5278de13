/**
 * @file weak.h
 * @brief Strong and weak references: shared ownership without cycles.
 *
 * Reference counting cannot free a cycle: if a parent holds a reference to
 * its child and the child one to its parent, each keeps the other's count
 * above 0 after everyone else let go, and both leak. A *weak* reference
 * breaks the cycle: it points to the object without keeping it alive, and
 * must be *upgraded* to a strong one, which fails once the object is gone.
 * This is Rust's `Rc<T>` / `Weak<T>` (`Rc::downgrade`, `Weak::upgrade`)
 * and C++'s `shared_ptr` / `weak_ptr`. (GTK's widgets point to their
 * parent with a plain, uncounted pointer instead, the pattern of node.h.)
 *
 * **Single-threaded**: the counts are plain `size_t`, and no two threads
 * may call these functions on the same object at the same time. A
 * thread-safe version needs atomic counts (arc.h), an upgrade that is a
 * compare-and-swap refusing at strong 0 (the kernel's
 * `kref_get_unless_zero`), and one weak reference held by all the strong
 * ones together for the whole strong lifetime, as Rust's `Arc` and
 * libstdc++'s `shared_ptr` do.
 *
 * One block holds two counts and the data:
 *
 * ~~~{.txt}
 *   struct shared * --+  +-------------------------------------------+
 *   struct shared * --+->| strong = 2 | weak = 1 | destroy | data... |
 *   struct weak *   --+  +-------------------------------------------+
 * ~~~
 *
 * Two lifetimes, two counts:
 * 1. The **data** lives while strong > 0. The call that takes strong to 0
 *    runs the destroy function on the data, once; the data must not be
 *    used after that.
 * 2. The **block** (the counts) lives while strong > 0 or weak > 0, so
 *    that a weak reference can still read "strong = 0" and refuse to
 *    upgrade. The call that takes the last count to 0 frees the block.
 *
 * Each count starts as rc.h's does (strong 1, weak 0 from shared_new())
 * and never passes SHARED_COUNT_MAX: the call that would pass it refuses.
 * `struct shared *` and `struct weak *` are different types so that the
 * compiler stops you from reading data through a weak reference.
 */
#ifndef WEAK_H
#define WEAK_H

#include <stddef.h>
#include <stdint.h>

/** The most strong references, and the most weak references, one object
 *  can have. */
#define SHARED_COUNT_MAX 4096

/** The largest data size, in bytes, that shared_new() accepts. */
#define SHARED_MAX_SIZE ((size_t)PTRDIFF_MAX / 2)

/**
 * @brief What the last strong reference runs on the data.
 *
 * It releases what the data owns, including references the data holds to
 * other objects, never the data's own bytes.
 *
 * @param[in,out] data The object's data, borrowed for the call.
 */
typedef void shared_destroy_fn(void *data);

/** A strong reference: the data lives while one exists. Opaque. */
struct shared;

/** A weak reference: the data may be gone; upgrade to use it. Opaque. */
struct weak;

/**
 * @brief Allocates an object with @p size zero bytes of data: strong 1,
 *        weak 0.
 *
 * @param[in] size    Bytes of data, 0 to SHARED_MAX_SIZE.
 * @param[in] destroy Run once on the data when the last strong reference
 *                    goes; NULL for none.
 * @return A new strong reference owned by the caller; its data is
 *         zero-filled and aligned for any type. NULL if @p size is above
 *         SHARED_MAX_SIZE (the allocator is not called) or if out of
 *         memory (nothing is then left allocated).
 */
struct shared *shared_new(size_t size, shared_destroy_fn *destroy);

/**
 * @brief Adds a strong reference.
 *
 * @param[in] s A strong reference, borrowed; NULL is allowed.
 * @return @p s, with strong one higher, now also owned by the caller; NULL
 *         if @p s is NULL or strong is already SHARED_COUNT_MAX (nothing
 *         changes).
 */
struct shared *shared_ref(struct shared *s);

/**
 * @brief Gives a strong reference back.
 *
 * The last one takes strong to 0, then runs the destroy function on the
 * data; if no weak reference is left either, it also frees the block. The
 * destroy function may itself give back weak references to this object
 * (data that points to itself weakly): the block must survive until
 * destroy returns. While destroy runs, strong is already 0, so
 * weak_upgrade() fails: a dying object is never resurrected.
 *
 * @param[in] s A strong reference, taken; NULL is allowed.
 * @return NULL, so that `s = shared_unref(s);` forgets the reference.
 */
struct shared *shared_unref(struct shared *s);

/**
 * @brief Lends the data.
 *
 * @param[in] s A strong reference, borrowed; NULL is allowed.
 * @return The data, owned by the object, valid while the caller holds a
 *         strong reference; NULL if @p s is NULL.
 */
void *shared_data(struct shared *s);

/**
 * @brief Makes a weak reference to the object of a strong one.
 *
 * @param[in] s A strong reference, borrowed (the caller keeps it).
 * @return A new weak reference owned by the caller, given back with
 *         weak_unref(); NULL if @p s is NULL or weak is already
 *         SHARED_COUNT_MAX (nothing changes).
 */
struct weak *shared_downgrade(struct shared *s);

/**
 * @brief Adds a weak reference; works even after the data is gone.
 *
 * @param[in] w A weak reference, borrowed; NULL is allowed.
 * @return @p w, with weak one higher, now also owned by the caller; NULL
 *         if @p w is NULL or weak is already SHARED_COUNT_MAX.
 */
struct weak *weak_ref(struct weak *w);

/**
 * @brief Gives a weak reference back; frees the block if it was the last
 *        reference of either kind.
 *
 * @param[in] w A weak reference, taken; NULL is allowed.
 * @return NULL, so that `w = weak_unref(w);` forgets the reference.
 */
struct weak *weak_unref(struct weak *w);

/**
 * @brief Tries to get a strong reference from a weak one.
 *
 * @param[in] w A weak reference, borrowed (the caller keeps it).
 * @return A new strong reference owned by the caller, given back with
 *         shared_unref(); NULL if @p w is NULL, if the data is gone
 *         (strong is 0), or if strong is already SHARED_COUNT_MAX.
 */
struct shared *weak_upgrade(struct weak *w);

/**
 * @brief The number of strong references.
 *
 * @param[in] w A weak reference, borrowed; NULL is allowed.
 * @return strong (0 once the data is gone); 0 if @p w is NULL.
 */
size_t weak_strong_count(const struct weak *w);

/**
 * @brief The number of weak references.
 *
 * @param[in] w A weak reference, borrowed; NULL is allowed.
 * @return weak, including @p w itself; 0 if @p w is NULL.
 */
size_t weak_weak_count(const struct weak *w);

#endif /* WEAK_H */
