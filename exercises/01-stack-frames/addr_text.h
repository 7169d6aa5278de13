/**
 * @file addr_text.h
 * @brief Three correct ways to hand text built inside a function back to its
 *        caller.
 *
 * Each function here replaces this broken one, whose array dies with its
 * frame while the caller still holds a pointer to it:
 *
 * @code
 * char *addr_text_broken(uintptr_t addr)
 * {
 *     char text[ADDR_TEXT_SIZE];
 *     snprintf(text, sizeof text, "0x%" PRIxPTR, addr);
 *     return text;                 // dangling as soon as we return
 * }
 * @endcode
 *
 * The text of an address is "0x" followed by its value in lowercase
 * hexadecimal without leading zeros: "0x7ffc5a3c1e40", "0x0",
 * "0xffffffffffffffff".
 */
#ifndef ADDR_TEXT_H
#define ADDR_TEXT_H

#include <stddef.h>
#include <stdint.h>

/** Bytes the longest text needs: "0x", two hex digits a byte, and '\0'. */
#define ADDR_TEXT_SIZE (2 + 2 * sizeof(uintptr_t) + 1)

/** The text of an address, held by value: copying the struct copies the text. */
struct addr_text {
    char text[ADDR_TEXT_SIZE]; /**< the text, '\0'-terminated */
};

/**
 * @brief Returns the text of @p addr by value.
 *
 * Repair 1: the array travels inside the returned struct, which is copied
 * into storage the caller chose; nothing points into the dead frame.
 *
 * @param[in] addr the address to write out.
 * @return the text, a value the caller owns like any other; cannot fail.
 */
struct addr_text addr_text_make(uintptr_t addr);

/**
 * @brief Writes the text of @p addr into a buffer the caller provides.
 *
 * Repair 2: the caller owns the storage and says how big it is.
 *
 * @param[in]  addr the address to write out.
 * @param[out] buf  borrowed: receives the text and its '\0'. Must not be NULL.
 * @param[in]  size bytes available at @p buf; any value, SIZE_MAX included.
 * @return 0 on success. -ERANGE if the text and its '\0' need more than
 *         @p size bytes: then buf[0] is '\0' when @p size > 0 (never a cut-off
 *         address, which would look valid) and nothing is written when
 *         @p size is 0. -EINVAL if @p buf is NULL.
 */
int addr_text_format(uintptr_t addr, char *buf, size_t size);

/**
 * @brief Returns the text of @p addr in a new heap block.
 *
 * Repair 3: a heap block outlives every frame until someone frees it.
 *
 * @param[in] addr the address to write out.
 * @return the text in a block of strlen(text) + 1 bytes, owned by the caller,
 *         who releases it with free(); NULL if memory runs out.
 */
char *addr_text_new(uintptr_t addr);

#endif /* ADDR_TEXT_H */
