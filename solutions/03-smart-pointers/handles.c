/*
 * A handle table: a growable array of slots and a free list.
 *
 *   slots:  [0: gen 2, obj]  [1: gen 5, free, next 3]  [2: gen 1, obj]
 *           [3: gen 1, free, next NONE] ...
 *   free = 1 -> 3 -> NONE
 *
 * - An occupied slot holds its object; an empty one holds the index of the
 *   next empty slot, so the free list costs no memory of its own.
 * - A handle is valid when its index is below len_slots, the slot is
 *   occupied, and the generations match. Every check is an array index, so
 *   a stale or forged handle costs O(1) and reads only live memory.
 * - Removing bumps the generation and pushes the slot on the free list,
 *   unless the generation was HANDLES_GEN_MAX: the slot is then retired.
 * - Inserting pops the free list (last emptied, first reused) and grows
 *   the array, doubling it, only when the list is empty.
 */
#include "handles.h"

#include <errno.h>
#include <stdlib.h>

#define NO_SLOT UINT32_MAX /* ends the free list */
#define FIRST_CAP 8        /* slots in the first array */

struct slot {
    void *object;        /* the object; NULL when the slot is empty */
    uint32_t next_free;  /* when empty: the next empty slot, or NO_SLOT */
    uint16_t generation; /* current generation; >= 1 once used */
};

struct handles {
    struct slot *slots; /* cap slots, of which len_slots are in use */
    size_t cap;         /* slots allocated */
    size_t len_slots;   /* slots ever used: occupied, free or retired */
    size_t len;         /* occupied slots */
    uint32_t free;      /* first empty reusable slot, or NO_SLOT */
};

struct handles *handles_new(void)
{
    struct handles *t = malloc(sizeof *t);

    if (t)
        *t = (struct handles){ .slots = NULL, .free = NO_SLOT };
    return t;
}

struct handles *handles_free(struct handles *t)
{
    if (t) {
        free(t->slots);
        free(t);
    }
    return NULL;
}

/* Makes room for one more slot; 0, or -ENOMEM with the table unchanged. */
static int handles_grow(struct handles *t)
{
    if (t->len_slots < t->cap)
        return 0;
    if (t->cap >= HANDLES_MAX_SLOTS)
        return -ENOMEM;

    size_t cap = t->cap ? 2 * t->cap : FIRST_CAP;
    if (cap > HANDLES_MAX_SLOTS)
        cap = HANDLES_MAX_SLOTS;
    if (cap > SIZE_MAX / sizeof *t->slots)
        return -ENOMEM; /* only where size_t is 32 bits */
    struct slot *slots = realloc(t->slots, cap * sizeof *slots);
    if (!slots)
        return -ENOMEM;
    t->slots = slots;
    t->cap = cap;
    return 0;
}

int handles_insert(struct handles *t, void *object, struct handle *out)
{
    if (!t || !object || !out)
        return -EINVAL;

    uint32_t index = t->free;
    if (index != NO_SLOT) {
        t->free = t->slots[index].next_free;
    } else {
        int err = handles_grow(t);
        if (err)
            return err;
        index = (uint32_t)t->len_slots++;
        t->slots[index].generation = 1;
    }
    t->slots[index].object = object;
    t->len++;
    *out = (struct handle){ .index = index,
                            .generation = t->slots[index].generation };
    return 0;
}

/* Returns the occupied slot that h names, or NULL if h names nothing. */
static struct slot *handles_slot(const struct handles *t, struct handle h)
{
    if (!t || h.index >= t->len_slots)
        return NULL;

    struct slot *slot = &t->slots[h.index];
    if (!slot->object || slot->generation != h.generation)
        return NULL;
    return slot;
}

void *handles_get(const struct handles *t, struct handle h)
{
    struct slot *slot = handles_slot(t, h);

    return slot ? slot->object : NULL;
}

void *handles_remove(struct handles *t, struct handle h)
{
    struct slot *slot = handles_slot(t, h);

    if (!slot)
        return NULL;

    void *object = slot->object;
    slot->object = NULL;
    t->len--;
    if (slot->generation == HANDLES_GEN_MAX)
        return object; /* retired: off the free list for good */
    slot->generation++;
    slot->next_free = t->free;
    t->free = h.index;
    return object;
}

size_t handles_len(const struct handles *t)
{
    return t ? t->len : 0;
}
