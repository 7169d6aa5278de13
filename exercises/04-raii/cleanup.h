/**
 * @file cleanup.h
 * @brief Cleanup functions for `__attribute__((cleanup))`, and two
 *        functions rewritten with them.
 *
 * In cleanup.c you write, besides the functions below, the macros that
 * make them pleasant to use, in systemd's style:
 *
 * @code
 * #define _cleanup_(f) __attribute__((cleanup(f)))
 * #define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) ...  // defines funcp()
 * #define TAKE_PTR(p) ...  // yields p and sets it to NULL
 * #define TAKE_FD(fd) ...  // yields fd and sets it to -1
 * @endcode
 *
 * A cleanup function receives a pointer to the variable going out of
 * scope: `freep` gets a `char **` for a `char *` variable. Each one
 * accepts the variable's "empty" value (NULL, or -1 for a descriptor) and
 * then does nothing, so that a variable can be emptied by TAKE_PTR() or
 * TAKE_FD() to hand its resource out of the scope.
 *
 * These are GNU extensions (GCC and Clang): this lesson builds with
 * `-std=gnu11`.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

#include <stddef.h>
#include <stdio.h>

/**
 * @brief Frees the block a pointer variable points to.
 * @param[in] p the address of a pointer variable (a `T **` passed as
 *              `void *`); the block it points to is taken and freed; a
 *              NULL pointer is allowed.
 */
void freep(void *p);

/**
 * @brief Closes the descriptor a variable holds, keeping errno.
 *
 * errno is the same after the call as before. A `return -errno;` does not
 * need it (the return value is computed before any cleanup runs), but a
 * function that reports failure the POSIX way, returning -1 and leaving
 * the error in errno, does: its caller reads errno after every cleanup of
 * the function has run.
 *
 * @param[in] fd the address of a descriptor variable; a descriptor >= 0 is
 *               taken and closed; -1 (or any negative value) is allowed and
 *               does nothing.
 */
void closep(int *fd);

/**
 * @brief Closes the stream a `FILE *` variable points to.
 * @param[in] file the address of a `FILE *` variable; the stream is taken
 *                 and closed; NULL is allowed and does nothing.
 */
void fclosep(FILE **file);

/**
 * @brief Frees a NULL-terminated vector of strings: every string, then the
 *        array.
 * @param[in] lines the vector, taken; NULL is allowed.
 * @return NULL, so that `v = lines_free(v);` leaves no dangling pointer.
 */
char **lines_free(char **lines);

/**
 * @brief Cleanup function for a `char **` vector variable: calls
 *        lines_free(). Define it with DEFINE_TRIVIAL_CLEANUP_FUNC(char **,
 *        lines_free).
 * @param[in] lines the address of a vector variable; the vector is taken;
 *                 NULL is allowed.
 */
void lines_freep(char ***lines);

/**
 * @brief Opens a regular file for reading.
 *
 * Opens @p path read-only, checks with fstat() that it is a regular file,
 * and returns the descriptor. On every failure nothing stays open.
 *
 * @param[in] path the file, borrowed.
 * @return an open descriptor, owned by the caller (release it with
 *         close()); or a negative errno value: the one of a failed open()
 *         or fstat(), -EISDIR for a directory, -EINVAL for anything else
 *         that is not a regular file.
 */
int open_regular(const char *path);

/**
 * @brief Reads a text file as a vector of lines.
 *
 * Each line is stored without its newline; a last line without a newline
 * counts as a line; an empty file gives zero lines.
 *
 * @param[in]  path  the file, borrowed.
 * @param[out] out   on success receives a NULL-terminated vector of
 *                   @p count strings, owned by the caller (release it with
 *                   lines_free()); untouched on failure.
 * @param[out] count on success receives the number of lines; untouched on
 *                   failure.
 * @return 0 on success; on failure a negative errno value (that of a
 *         failed fopen(), -ENOMEM, -EIO for a read error), and then no
 *         block is left allocated and the file is closed.
 */
int read_lines(const char *path, char ***out, size_t *count);

#endif /* CLEANUP_H */
