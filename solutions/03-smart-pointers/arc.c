/*
 * An atomically reference-counted buffer: rc.c with an atomic count.
 *
 *   +---------------+---------+------+-------------------+
 *   | count (atomic)| destroy | size | data (size bytes) |
 *   +---------------+---------+------+-------------------+
 *
 * Orderings, as in Rust's Arc and the Linux kernel's refcount_t:
 * - ref: relaxed. The caller's own reference keeps the buffer alive, and
 *   the increment publishes nothing. A compare-and-swap loop, rather than
 *   fetch_add, so that a ref at ARC_COUNT_MAX is refused without ever
 *   storing a count above it.
 * - unref: release, so that this owner's every use of the data (reads
 *   too: it must have finished reading before anyone frees) happens
 *   before the decrement; the owner that reaches 0 then fences with
 *   acquire. The decrements form one release sequence (each is a
 *   read-modify-write of the count), so that single fence synchronizes
 *   with every earlier owner's release.
 */
#include "arc.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct arc {
    atomic_size_t count;     /* references held; >= 1 while alive */
    arc_destroy_fn *destroy; /* run on data at count 0; may be NULL */
    size_t size;             /* bytes in data */
    max_align_t data[];      /* the data, aligned for any type */
};

struct arc *arc_new(size_t size, arc_destroy_fn *destroy)
{
    if (size > ARC_MAX_SIZE)
        return NULL;

    struct arc *arc = malloc(sizeof *arc + size);
    if (!arc)
        return NULL;
    atomic_init(&arc->count, 1); /* no other thread can see it yet */
    arc->destroy = destroy;
    arc->size = size;
    memset(arc->data, 0, size);
    return arc;
}

struct arc *arc_ref(struct arc *arc)
{
    if (!arc)
        return NULL;

    size_t count = atomic_load_explicit(&arc->count, memory_order_relaxed);
    do {
        assert(count > 0);
        if (count >= ARC_COUNT_MAX)
            return NULL;
        /* On failure, count is reloaded with the current value: retry. */
    } while (!atomic_compare_exchange_weak_explicit(&arc->count, &count,
                                                    count + 1,
                                                    memory_order_relaxed,
                                                    memory_order_relaxed));
    return arc;
}

struct arc *arc_unref(struct arc *arc)
{
    if (!arc)
        return NULL;

    size_t before = atomic_fetch_sub_explicit(&arc->count, 1,
                                              memory_order_release);
    assert(before > 0); /* giving back a reference nobody holds */
    if (before != 1)
        return NULL;
    atomic_thread_fence(memory_order_acquire);
    if (arc->destroy)
        arc->destroy(arc->data);
    free(arc);
    return NULL;
}

size_t arc_count(const struct arc *arc)
{
    if (!arc)
        return 0;
    /* atomic_load takes a non-const pointer in C11 (fixed in C17 DR 459). */
    return atomic_load_explicit((atomic_size_t *)&arc->count,
                                memory_order_relaxed);
}

void *arc_data(struct arc *arc)
{
    return arc ? arc->data : NULL;
}
