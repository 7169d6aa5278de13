/*
 * Strong and weak references to one block:
 *
 *   +--------+------+---------+------+--------------------+
 *   | strong | weak | destroy | size | data (size bytes)  |
 *   +--------+------+---------+------+--------------------+
 *
 * struct shared is that block. struct weak is never defined: a weak
 * reference is the same address under another type, converted back with
 * shared_of() (C lets a pointer to one object type be converted to
 * another and back, unchanged).
 *
 * Invariants: the data is alive while strong > 0, and the block while
 * strong + weak > 0. Exactly one call sees the data die (strong 1 -> 0)
 * and exactly one sees the block die (the last count of either kind to
 * reach 0, with the other already 0).
 */
#include "weak.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct shared {
    size_t strong;              /* strong references; the data's life */
    size_t weak;                /* weak references */
    shared_destroy_fn *destroy; /* run on data at strong 0; may be NULL */
    size_t size;                /* bytes in data */
    max_align_t data[];         /* the data, aligned for any type */
};

static struct shared *shared_of(const struct weak *w)
{
    return (struct shared *)w;
}

static struct weak *weak_of(struct shared *s)
{
    return (struct weak *)s;
}

struct shared *shared_new(size_t size, shared_destroy_fn *destroy)
{
    if (size > SHARED_MAX_SIZE)
        return NULL;

    struct shared *s = malloc(sizeof *s + size);
    if (!s)
        return NULL;
    *s = (struct shared){ .strong = 1, .weak = 0, .destroy = destroy,
                          .size = size };
    memset(s->data, 0, size);
    return s;
}

struct shared *shared_ref(struct shared *s)
{
    if (!s)
        return NULL;
    assert(s->strong > 0);
    if (s->strong >= SHARED_COUNT_MAX)
        return NULL;
    s->strong++;
    return s;
}

struct shared *shared_unref(struct shared *s)
{
    if (!s)
        return NULL;
    assert(s->strong > 0);
    if (--s->strong > 0)
        return NULL;
    /* destroy may give back weak references to this very object (the
     * data's own pointer to itself, say). Hold one more weak reference
     * meanwhile, so that none of them frees the block under our feet, and
     * give it back last. */
    s->weak++;
    if (s->destroy)
        s->destroy(s->data);
    weak_unref(weak_of(s));
    return NULL;
}

void *shared_data(struct shared *s)
{
    return s ? s->data : NULL;
}

struct weak *shared_downgrade(struct shared *s)
{
    if (!s || s->weak >= SHARED_COUNT_MAX)
        return NULL;
    s->weak++;
    return weak_of(s);
}

struct weak *weak_ref(struct weak *w)
{
    struct shared *s = shared_of(w);

    if (!s || s->weak >= SHARED_COUNT_MAX)
        return NULL;
    assert(s->weak > 0);
    s->weak++;
    return w;
}

struct weak *weak_unref(struct weak *w)
{
    struct shared *s = shared_of(w);

    if (!s)
        return NULL;
    assert(s->weak > 0);
    if (--s->weak == 0 && s->strong == 0)
        free(s);
    return NULL;
}

struct shared *weak_upgrade(struct weak *w)
{
    struct shared *s = shared_of(w);

    if (!s || s->strong == 0)
        return NULL; /* the data is gone: never resurrect it */
    return shared_ref(s);
}

size_t weak_strong_count(const struct weak *w)
{
    return w ? shared_of(w)->strong : 0;
}

size_t weak_weak_count(const struct weak *w)
{
    return w ? shared_of(w)->weak : 0;
}
