/**
 * @file strbuild.h
 * @brief Building new strings in blocks of exactly the right size.
 *
 * A C string of n characters occupies n + 1 bytes: the characters, then
 * the NUL byte ('\0') that marks its end. Every function here returns a
 * new string in a block of exactly strlen(result) + 1 bytes:
 *
 * ~~~{.txt}
 *   str_concat("heap", "!")  ->  +---+---+---+---+---+----+
 *                                | h | e | a | p | ! | \0 |   6 bytes
 *                                +---+---+---+---+---+----+
 * ~~~
 *
 * Ownership: the arguments are borrowed (read, never kept, never freed);
 * the result belongs to the caller, who releases it with free().
 *
 * Failure: NULL with errno ENOMEM when the allocator fails or when the
 * result would not fit in PTRDIFF_MAX bytes (GCC and glibc support no
 * larger object: an implementation limit, not an ISO C rule);
 * in the second case the allocator is not called.
 */
#ifndef STRBUILD_H
#define STRBUILD_H

#include <stddef.h>

/**
 * @brief Returns @p a followed by @p b, as a new string.
 *
 * @param[in] a First string, borrowed; not NULL.
 * @param[in] b Second string, borrowed; not NULL.
 * @return A new string of strlen(a) + strlen(b) characters, owned by the
 *         caller; NULL on failure.
 */
char *str_concat(const char *a, const char *b);

/**
 * @brief Joins @p n strings with @p sep between each two of them.
 *
 * `str_join((const char *[]){"a", "b", "c"}, 3, ", ")` is "a, b, c". One
 * part gives a copy of it; zero parts give the empty string "" (a new
 * one-byte block, not NULL).
 *
 * @param[in] parts Array of @p n strings, all borrowed; may be NULL when
 *                  @p n is 0.
 * @param[in] n     Number of strings in @p parts.
 * @param[in] sep   Separator, borrowed; not NULL, may be "".
 * @return A new string owned by the caller; NULL on failure.
 */
char *str_join(const char *const *parts, size_t n, const char *sep);

/**
 * @brief Returns @p s repeated @p times times, as a new string.
 *
 * `str_repeat("ab", 3)` is "ababab"; zero times, or an empty @p s, gives
 * "" (a new one-byte block, not NULL).
 *
 * @param[in] s     String to repeat, borrowed; not NULL.
 * @param[in] times Number of copies; any value, so check
 *                  `strlen(s) * times + 1` for overflow before you
 *                  compute it.
 * @return A new string of strlen(s) * times characters, owned by the
 *         caller; NULL on failure (including a result too large to
 *         represent).
 */
char *str_repeat(const char *s, size_t times);

#endif /* STRBUILD_H */
