/**
 * @file tempdir.h
 * @brief A scratch directory full of files that is removed, all of it, on
 *        every exit path.
 *
 * ~~~{.txt}
 *   struct tempdir          on disk, in the current directory
 *   +-----------+
 *   | path *-------------> "tempdir-k3Xz9q"/
 *   +-----------+              a.txt   "first file"
 *                              b.txt   "second file"
 * ~~~
 *
 * Acquired in order: the struct, its path, the directory, then each file
 * (a descriptor, opened, written and closed). A failure at any step
 * releases every earlier step, files and directory included.
 */
#ifndef TEMPDIR_H
#define TEMPDIR_H

#include <stddef.h>

/** The name pattern of a new directory, for mkdtemp(): relative to the
 *  current directory; mkdtemp() replaces the six X's. */
#define TEMPDIR_TEMPLATE "tempdir-XXXXXX"

/** One file to create: a name and its whole content. */
struct tempdir_file {
    const char *name;    /**< File name: not empty, no '/', not "." or "..". */
    const char *content; /**< NUL-terminated content, written without the NUL. */
};

/** A directory this program created and will remove. */
struct tempdir {
    char *path; /**< Its relative path, TEMPDIR_TEMPLATE with the X's
                     replaced; owned. */
};

/**
 * @brief Creates a new directory holding @p count files.
 *
 * Checks every name first, then creates the directory with mkdtemp() from
 * TEMPDIR_TEMPLATE (mode 0700), then each file in order with
 * `O_CREAT | O_EXCL` (mode 0600), writing its whole content (short writes
 * are retried) and closing it; a failing close is an error. close() is
 * called once per descriptor and never again on the same number, even
 * when it fails with EINTR: Linux has released the descriptor anyway.
 *
 * @param[in]  files the files to create, borrowed; may be NULL when
 *                   @p count is 0.
 * @param[in]  count how many files.
 * @param[out] out   on success receives the directory, owned by the caller
 *                   (release it with tempdir_free()); untouched on failure.
 * @return 0 on success; on failure a negative errno value (-EINVAL for an
 *         invalid name, and then nothing was created; -EEXIST for a name
 *         given twice; -ENOMEM; the error of a failing mkdtemp, open,
 *         write or close), and then no directory, no file, no descriptor
 *         and no block of this call remains.
 */
int tempdir_create(const struct tempdir_file *files, size_t count,
                   struct tempdir **out);

/**
 * @brief Removes the directory with every file in it, then frees @p dir.
 *
 * Removes every entry of the directory, including entries added after
 * tempdir_create(): files, hidden files (names that start with '.'),
 * symbolic links and directories with everything in them; then the
 * directory itself.
 *
 * It never follows a symbolic link: a link is removed, not what it points
 * to. And if the directory (or one below it) is replaced by a link while
 * it is being removed, nothing outside it is touched: open each directory
 * once, with `O_DIRECTORY | O_NOFOLLOW`, and remove relative to that
 * descriptor (fdopendir(), readdir(), unlinkat()), never through a path
 * like "tempdir-k3Xz9q/a.txt" that is looked up again at each call.
 *
 * Removal is best effort: a failure to remove is not reported, and the
 * memory is freed all the same.
 *
 * @param[in] dir the directory, taken; NULL is allowed.
 * @return NULL, so that `dir = tempdir_free(dir);` leaves no dangling
 *         pointer.
 */
struct tempdir *tempdir_free(struct tempdir *dir);

#endif /* TEMPDIR_H */
