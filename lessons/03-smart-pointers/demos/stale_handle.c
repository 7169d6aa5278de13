/*
 * stale_handle.c: why a dangling pointer is worse than it looks, and what
 * a generation buys.
 *
 * 1. Free a block and allocate another of the same size: glibc hands the
 *    same address back at once. The old pointer now reads someone else's
 *    object, and no check can tell, since the address is valid.
 * 2. A handle {index, generation} to a table slot goes stale instead: the
 *    slot's generation changed when its object was removed.
 * Claims checked: glibc reuses the address; the stale handle finds
 * nothing. Exits 1 if either is false here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct user {
    char name[16];
};

/* A one-slot handle table, enough to show the idea. */
static struct {
    struct user *object; /* NULL when empty */
    uint32_t generation; /* bumped at every removal */
} slot = { .generation = 1 };

struct handle {
    uint32_t index, generation;
};

static struct handle slot_insert(struct user *u)
{
    slot.object = u;
    return (struct handle){ 0, slot.generation };
}

static struct user *slot_get(struct handle h)
{
    return h.index == 0 && h.generation == slot.generation ? slot.object : NULL;
}

static struct user *slot_remove(struct handle h)
{
    struct user *u = slot_get(h);

    if (u) {
        slot.object = NULL;
        slot.generation++;
    }
    return u;
}

int main(void)
{
    struct user *ada = malloc(sizeof *ada);
    if (!ada)
        return 1;
    strcpy(ada->name, "ada");
    uintptr_t old_address = (uintptr_t)ada;
    struct handle h = slot_insert(ada);

    free(slot_remove(h));              /* ada is gone */
    struct user *bob = malloc(sizeof *bob);
    if (!bob)
        return 1;
    strcpy(bob->name, "bob");
    struct handle hb = slot_insert(bob);

    printf("ada was at %#lx, bob is at %#lx: %s\n", (unsigned long)old_address,
           (unsigned long)(uintptr_t)bob,
           old_address == (uintptr_t)bob ? "the same block" : "elsewhere");
    printf("ada's old pointer now names: \"%s\" (a dangling pointer; read "
           "through bob here, since reading it is undefined)\n",
           old_address == (uintptr_t)bob ? bob->name : "?");
    struct user *found = slot_get(h);
    printf("ada's handle {0, %u} finds: %s\n", h.generation,
           found ? found->name : "nothing (stale)");
    printf("bob's handle {0, %u} finds: %s\n", hb.generation,
           slot_get(hb) ? slot_get(hb)->name : "nothing");
    int ok = old_address == (uintptr_t)bob && !found;
    free(slot_remove(hb));
    return ok ? 0 : 1;
}
