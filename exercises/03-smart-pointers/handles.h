/**
 * @file handles.h
 * @brief A handle table: indexes with generations instead of pointers.
 *
 * A pointer to a freed object dangles, and nothing can tell: using it is
 * undefined behaviour. A *handle* names an object by the slot that holds
 * it and by the slot's *generation*, a number that changes every time the
 * slot is emptied. A handle kept after its object was removed has an old
 * generation, and the table recognises it: handles_get() returns NULL
 * instead of a dangling pointer. Entity ids in game engines (EnTT's, for
 * one) and Rust's `slotmap` and `generational-arena` crates work this way.
 *
 * ~~~{.txt}
 *   handle {index 1, generation 3}
 *                   |
 *   slots:          v
 *   +---------------+---------------+---------------+
 *   | gen 1  obj *  | gen 3  obj *  | gen 2  (free) |
 *   +---------------+---------------+---------------+
 *     index 0         index 1         index 2
 *
 *   {index 1, generation 3} -> the object in slot 1
 *   {index 1, generation 2} -> NULL: that object was removed
 *   {index 2, generation 2} -> NULL: slot 2 is empty
 * ~~~
 *
 * Rules:
 * 1. A slot's generation starts at 1 when the table first uses it, and
 *    goes up by 1 each time its object is removed. Generation 0 is never
 *    valid, so a zeroed `struct handle` (HANDLE_NONE) names nothing.
 * 2. handles_insert() reuses an empty slot, if there is one, before it
 *    grows the table; which empty slot is the table's choice.
 * 3. A slot whose object is removed at generation HANDLES_GEN_MAX is
 *    retired: it is never used again, so a generation never wraps back
 *    to one that an old handle may still hold.
 * 4. The table stores pointers and never owns the objects: the caller
 *    frees an object, typically right after handles_remove() gave it
 *    back.
 */
#ifndef HANDLES_H
#define HANDLES_H

#include <stddef.h>
#include <stdint.h>

/** The last generation a slot can have; see rule 3. */
#define HANDLES_GEN_MAX UINT16_MAX

/** The most slots a table can have (every index fits in a uint32_t). */
#define HANDLES_MAX_SLOTS ((size_t)UINT32_MAX)

/** Names one object of one table. A small value: copy it freely. */
struct handle {
    uint32_t index;      /**< The slot. */
    uint16_t generation; /**< The slot's generation when the handle was
                              made; never 0 in a handle from the table. */
};

/** A handle that names nothing, in any table. */
#define HANDLE_NONE ((struct handle){ .index = 0, .generation = 0 })

/** A handle table. Opaque: use it only through the functions below. */
struct handles;

/**
 * @brief Creates an empty table.
 *
 * @return A new table owned by the caller, released with handles_free();
 *         NULL if out of memory.
 */
struct handles *handles_new(void);

/**
 * @brief Frees the table, not the objects it still holds.
 *
 * @param[in] t The table, taken; NULL is allowed.
 * @return NULL, so that `t = handles_free(t);` leaves no dangling pointer.
 */
struct handles *handles_free(struct handles *t);

/**
 * @brief Stores a pointer to an object and makes a handle for it.
 *
 * @param[in,out] t      The table, borrowed.
 * @param[in]     object The object, borrowed: the table keeps the pointer
 *                       but never frees it.
 * @param[out]    out    Receives the new handle, on success only.
 * @return 0 on success; -EINVAL if any argument is NULL; -ENOMEM if the
 *         table could not grow (it is then unchanged, and every handle it
 *         gave out is still valid).
 */
int handles_insert(struct handles *t, void *object, struct handle *out);

/**
 * @brief Looks an object up.
 *
 * @param[in] t The table, borrowed; NULL is allowed.
 * @param[in] h Any handle: from this table, stale, HANDLE_NONE or made up.
 * @return The object, still owned by the caller of handles_insert(), if
 *         @p h names an object in the table; NULL otherwise (never a
 *         pointer to a removed object).
 */
void *handles_get(const struct handles *t, struct handle h);

/**
 * @brief Removes an object from the table; every handle to it goes stale.
 *
 * @param[in,out] t The table, borrowed; NULL is allowed.
 * @param[in]     h The object's handle.
 * @return The object, which the table no longer holds; NULL if @p h names
 *         nothing (so removing twice returns NULL the second time, where
 *         freeing a pointer twice would corrupt the heap).
 */
void *handles_remove(struct handles *t, struct handle h);

/**
 * @brief Counts the objects in the table.
 *
 * @param[in] t The table, borrowed; NULL is allowed.
 * @return The number of objects; 0 if @p t is NULL.
 */
size_t handles_len(const struct handles *t);

#endif /* HANDLES_H */
