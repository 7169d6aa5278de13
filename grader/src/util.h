/**
 * @file util.h
 * @brief Small helpers shared by the grader's modules.
 */
#ifndef GRADER_UTIL_H
#define GRADER_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/** printf into a new string. @return the string (caller frees), or NULL on ENOMEM. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * Reads at most @p max_bytes of the file at @p path (the end of it when the
 * file is longer, after a "[...]" line), as text.
 * @return a new string (caller frees); NULL when the file cannot be read.
 */
char *file_read_tail(const char *path, size_t max_bytes);

/** Writes @p text to a new file at @p path. @return 0 or a negative errno. */
int file_write(const char *path, const char *text);

/** Creates @p path and its missing parents with mode 0755. @return 0 or a negative errno. */
int dir_make(const char *path);

/** Removes @p path and everything under it. @return 0 or a negative errno. */
int dir_remove(const char *path);

/** @return true when @p path names an existing file or directory. */
bool path_exists(const char *path);

/** Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double clock_seconds(void);

#endif /* GRADER_UTIL_H */
