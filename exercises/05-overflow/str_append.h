/**
 * @file str_append.h
 * @brief Bounded string copy and append that always leave a NUL-terminated
 *        string and say when they had to cut.
 *
 * Each function writes into a buffer of @c size bytes that the caller owns
 * (@c size counts the NUL). None writes a byte at or past @c dst[size],
 * and after every call that returns 0 or -E2BIG, @c dst holds a
 * NUL-terminated string: on truncation, as much of the new text as fits.
 *
 * The C library's own bounded functions do not keep those promises:
 * `strncpy` leaves no NUL when the source fills the buffer, `strncat`'s
 * bound counts the bytes to append rather than the buffer's size, and
 * `snprintf` truncates silently unless you compare what it returns with
 * the size (the lesson's "Bounded string functions" shows all three).
 */
#ifndef STR_APPEND_H
#define STR_APPEND_H

#include <stddef.h>

/**
 * @brief Copies @p src into @p dst, cutting it to fit.
 * @param[out] dst  buffer of @p size bytes, owned by the caller.
 * @param[in]  size bytes in @p dst, the NUL included.
 * @param[in]  src  borrowed NUL-terminated string.
 * @return 0 if all of @p src fit; -E2BIG if it was cut (@p dst then holds
 *         its first size - 1 bytes and a NUL); -EINVAL, writing nothing, if
 *         @p dst or @p src is NULL or @p size is 0.
 */
int str_copy(char *dst, size_t size, const char *src);

/**
 * @brief Appends @p src to the string in @p dst, cutting it to fit.
 * @param[in,out] dst  buffer of @p size bytes holding a NUL-terminated
 *                     string, owned by the caller.
 * @param[in]     size bytes in @p dst, the NUL included.
 * @param[in]     src  borrowed NUL-terminated string.
 * @return 0 if all of @p src fit; -E2BIG if it was cut; -EINVAL, writing
 *         nothing, if @p dst or @p src is NULL, or if no NUL lies in the
 *         first @p size bytes of @p dst (so also when @p size is 0).
 */
int str_append(char *dst, size_t size, const char *src);

/**
 * @brief Appends printf-style formatted text to the string in @p dst,
 *        cutting it to fit.
 * @param[in,out] dst  buffer of @p size bytes holding a NUL-terminated
 *                     string, owned by the caller.
 * @param[in]     size bytes in @p dst, the NUL included.
 * @param[in]     fmt  borrowed printf format, followed by its arguments.
 * @return 0 if all of the formatted text fit; -E2BIG if it was cut;
 *         -EINVAL, writing nothing, if @p dst or @p fmt is NULL or no NUL
 *         lies in the first @p size bytes of @p dst; -EILSEQ (or another
 *         negative errno) if formatting itself fails, @p dst then still
 *         holding a NUL-terminated string.
 */
int str_appendf(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* STR_APPEND_H */
