/**
 * @file parse_int.h
 * @brief A decimal int parsed from bytes that are not NUL-terminated.
 *
 * strtol() needs a NUL-terminated string, but a number inside a network
 * packet or a mapped file is only a range of bytes. parse_int() copies the
 * range into a small local buffer, terminates it, and lets strtol() do the
 * rest. The longest text it accepts is INT_TEXT_MAX characters:
 * "-2147483648", the lowest int. The buffer must hold that and its NUL.
 */
#ifndef PARSE_INT_H
#define PARSE_INT_H

#include <stddef.h>

/** Characters in the longest int: "-2147483648". */
#define INT_TEXT_MAX 11

/**
 * @brief Parses the decimal int in @p text[0..@p len).
 *
 * The whole range must be the number: an optional sign and at least one
 * digit, nothing before or after (no spaces).
 *
 * @param[in]  text  borrowed bytes, not necessarily NUL-terminated: only
 *                   text[0..len) is read.
 * @param[in]  len   bytes in @p text.
 * @param[out] value receives the number; untouched on failure.
 * @return 0; -E2BIG if @p len is above INT_TEXT_MAX; -EINVAL if the bytes
 *         are not a number, or @p text or @p value is NULL; -ERANGE if the
 *         number does not fit in an int.
 */
int parse_int(const char *text, size_t len, int *value);

#endif /* PARSE_INT_H */
