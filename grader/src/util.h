/**
 * @file util.h
 * @brief Small helpers shared by the grader's modules.
 */
#ifndef GRADER_UTIL_H
#define GRADER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>

/** A NULL-terminated, owned array of owned strings. */
typedef char **strv;

/**
 * @brief Counts the strings of @p v.
 * @param[in] v a NULL-terminated array, or NULL; borrowed.
 * @return the number of strings before the terminating NULL; 0 for NULL.
 */
size_t strv_len(const strv v);

/**
 * @brief Frees @p v and its strings.
 * @param[in] v an owned array, or NULL; ownership passes to this function.
 * @return NULL, so that `v = strv_free(v);` leaves no dangling pointer.
 */
strv strv_free(strv v);

/**
 * @brief Runs @p func on a variable's address when the variable goes out of
 *        scope, as lesson 04 (exercises/04-raii/cleanup.h) teaches it.
 *
 * A GNU extension (GCC and Clang), the one the grader allows itself. A
 * variable with a cleanup is always initialised where it is declared, and
 * hands its value out of the scope through take_ptr().
 */
#define _cleanup_(func) __attribute__((cleanup(func)))

/**
 * @brief The cleanup function of a pointer that owns a malloc() block.
 * @param[in] p the address of the pointer variable (a `T **` as `void *`);
 *              the block is freed; a NULL pointer is allowed.
 */
static inline void freep(void *p)
{
    free(*(void **)p);
}

/** A pointer variable whose block is freed when it goes out of scope. */
#define _cleanup_free_ _cleanup_(freep)

/**
 * @brief Takes the value out of a pointer variable and leaves it NULL, so
 *        that its cleanup frees nothing (systemd's TAKE_PTR).
 * @param[in,out] p the address of the pointer variable (a `T **` as `void *`).
 * @return the pointer it held; now the caller's.
 */
static inline void *take_ptr(void *p)
{
    void **slot = p;
    void *value = *slot;
    *slot = NULL;
    return value;
}

/**
 * @brief printf into a new string.
 * @param[in] fmt  a printf format; borrowed.
 * @param[in] ...  the values @p fmt converts.
 * @return the string, owned by the caller (free() it), or NULL when memory
 *         runs out.
 */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Opens, for reading, a file that learner code could have touched.
 *
 * No symbolic link is followed anywhere in @p path (openat2() with
 * RESOLVE_NO_SYMLINKS), the open never blocks (a FIFO cannot stall the
 * grader), and only a regular file is accepted.
 *
 * @param[in]  path  the file; borrowed.
 * @param[out] size  its size in bytes when opened; may be NULL.
 * @return an open file descriptor owned by the caller (close() it), or a
 *         negative errno: -EINVAL when @p path is not a regular file.
 */
int file_open_untrusted(const char *path, off_t *size);

/**
 * @brief Reads a whole file that learner code could have touched, if it is
 *        no larger than @p max_bytes.
 * @param[in]  path       the file, opened with file_open_untrusted(); borrowed.
 * @param[in]  max_bytes  the largest size accepted.
 * @param[out] len        the number of bytes read; may be NULL.
 * @return the bytes plus a terminating '\0', owned by the caller (free()
 *         it); NULL when the file is unreadable, not regular or too large.
 */
char *file_read_capped(const char *path, size_t max_bytes, size_t *len);

/**
 * @brief Replaces every occurrence of @p from in @p text with @p to.
 * @param[in] text  the text; borrowed.
 * @param[in] from  what to replace, non-empty; borrowed.
 * @param[in] to    what to put instead; borrowed.
 * @return a new string owned by the caller (free() it), or NULL when memory
 *         runs out.
 */
char *str_replace_all(const char *text, const char *from, const char *to);

/**
 * @brief Reads a whole course file (trusted: links are followed, as a course
 *        tree may use them), if it is regular and no larger than @p max_bytes.
 * @param[in]  path       the file; borrowed.
 * @param[in]  max_bytes  the largest size accepted.
 * @param[out] len        the number of bytes read; may be NULL.
 * @return the bytes plus a terminating '\0', owned by the caller (free()
 *         it); NULL when the file is unreadable, not regular or too large.
 */
char *file_read_course(const char *path, size_t max_bytes, size_t *len);

/**
 * @brief Reads at most @p max_bytes of the file at @p path, as text.
 *
 * The file is opened with file_open_untrusted(): links, FIFOs and devices
 * are refused.
 *
 * When the file is longer, its last @p max_bytes are read, after a "[...]"
 * line. Control bytes (except newline and tab) and non-ASCII bytes become
 * '?', so that the text is always valid UTF-8 for the reports.
 *
 * @param[in] path       the file; borrowed.
 * @param[in] max_bytes  the most bytes of the file to keep.
 * @return a new string owned by the caller (free() it); NULL when the file
 *         cannot be read or memory runs out.
 */
char *file_read_tail(const char *path, size_t max_bytes);

/**
 * @brief Writes @p text to the file at @p path, created or truncated.
 * @param[in] path  the file; borrowed.
 * @param[in] text  '\0'-terminated text to write; borrowed.
 * @return 0 or a negative errno.
 */
int file_write(const char *path, const char *text);

/**
 * @brief Creates @p path and its missing parents with mode 0755.
 * @param[in] path  the directory; borrowed. Existing directories are fine.
 * @return 0 or a negative errno.
 */
int dir_make(const char *path);

/**
 * @brief Creates @p path and its missing parents with mode @p mode.
 * @param[in] path  the directory; borrowed. Existing directories are fine.
 * @param[in] mode  permission bits of the directories created (before umask).
 * @return 0 or a negative errno.
 */
int dir_make_mode(const char *path, mode_t mode);

/**
 * @brief Removes @p path and everything under it, without following
 *        symbolic links.
 * @param[in] path  the file or directory; borrowed. A missing path is not an
 *                  error.
 * @return 0 or a negative errno.
 */
int dir_remove(const char *path);

/**
 * @brief Tells whether @p path exists (a dangling symbolic link counts).
 * @param[in] path  the path to look at; borrowed.
 * @return true when @p path names an existing file, directory or link.
 */
bool path_exists(const char *path);

/**
 * @brief Tells whether @p text ends with @p suffix.
 * @param[in] text   a NUL-terminated string; borrowed.
 * @param[in] suffix the ending to look for; borrowed.
 * @return true when the last strlen(@p suffix) characters of @p text are
 *         @p suffix (always for an empty suffix).
 */
bool str_ends_with(const char *text, const char *suffix);

/**
 * @brief Reads the monotonic clock.
 * @return seconds since an arbitrary fixed point (CLOCK_MONOTONIC): only
 *         differences between two calls mean something.
 */
double clock_seconds(void);

/**
 * @brief @p text, or "" when it is NULL: for messages built from optional
 *        fields.
 * @param[in] text a string or NULL; borrowed.
 * @return @p text or a static empty string.
 */
static inline const char *str_or_empty(const char *text)
{
    return text ? text : "";
}

#endif /* GRADER_UTIL_H */
