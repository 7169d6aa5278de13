/*
 * A growable array of int.
 *
 * Invariants: len <= cap <= VECTOR_MAX_CAP, and items is NULL exactly when
 * cap is 0. Because cap never exceeds VECTOR_MAX_CAP, `cap * sizeof(int)`
 * can never overflow once a capacity has been checked against it.
 *
 * Every change of capacity goes through vector_resize(), which keeps
 * realloc's result in a temporary and commits the new pointer and capacity
 * only once realloc has succeeded. That one rule is the whole failure
 * policy: on failure realloc leaves the old block alone, and so do we.
 *
 * Cost: a push that grows may copy all len elements, but capacities double
 * (8, 16, 32...), so n pushes copy fewer than 2n elements in total.
 */
#include "vector.h"

#include <errno.h>
#include <stdlib.h>

struct vector *vector_new(void)
{
    struct vector *v = malloc(sizeof *v);

    if (v)
        *v = (struct vector){ .items = NULL, .len = 0, .cap = 0 };
    return v;
}

struct vector *vector_free(struct vector *v)
{
    if (v) {
        free(v->items);
        free(v);
    }
    return NULL;
}

/* Moves the elements to a block of exactly cap elements, 0 < cap <=
 * VECTOR_MAX_CAP. Returns 0, or -ENOMEM with the vector unchanged. */
static int vector_resize(struct vector *v, size_t cap)
{
    int *items = realloc(v->items, cap * sizeof *items);

    if (!items)
        return -ENOMEM;
    v->items = items;
    v->cap = cap;
    return 0;
}

int vector_reserve(struct vector *v, size_t capacity)
{
    if (capacity <= v->cap)
        return 0;
    if (capacity > VECTOR_MAX_CAP)
        return -EOVERFLOW;
    return vector_resize(v, capacity);
}

/* Returns the capacity after cap, for a vector below VECTOR_MAX_CAP:
 * doubling keeps the total cost of n pushes proportional to n. */
static size_t vector_next_cap(size_t cap)
{
    if (cap == 0)
        return VECTOR_MIN_CAP;
    if (cap > VECTOR_MAX_CAP / 2)
        return VECTOR_MAX_CAP;
    return 2 * cap;
}

int vector_push(struct vector *v, int value)
{
    if (v->len == v->cap) {
        if (v->cap == VECTOR_MAX_CAP)
            return -EOVERFLOW;
        int err = vector_resize(v, vector_next_cap(v->cap));
        if (err < 0)
            return err;
    }
    v->items[v->len++] = value;
    return 0;
}

int vector_pop(struct vector *v, int *out)
{
    if (v->len == 0)
        return -ENOENT;
    *out = v->items[--v->len];
    return 0;
}

int vector_shrink_to_fit(struct vector *v)
{
    if (v->len == v->cap)
        return 0;
    if (v->len == 0) {
        /* realloc(p, 0) would free p on glibc but is undefined in C23:
         * free explicitly. */
        free(v->items);
        v->items = NULL;
        v->cap = 0;
        return 0;
    }
    return vector_resize(v, v->len);
}
