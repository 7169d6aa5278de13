/**
 * @file copy_file.h
 * @brief Copying a file with the descriptor API, leaving nothing behind on
 *        any failure.
 *
 * Three resources are acquired in order: the source descriptor, the
 * destination descriptor (and with it a new file on disk), and a buffer.
 * Every exit path releases what was acquired, in reverse order; a failed
 * copy also removes the destination it created.
 */
#ifndef COPY_FILE_H
#define COPY_FILE_H

/** Size in bytes of the one heap buffer copy_file() copies through. */
#define COPY_FILE_BUFFER_SIZE 4096

/**
 * @brief Copies the file @p from to a new file @p to.
 *
 * Opens @p from read-only, creates @p to (it must not exist yet: the
 * destination is created with `O_CREAT | O_EXCL`, mode 0644), allocates one
 * buffer of COPY_FILE_BUFFER_SIZE bytes with malloc(), then copies with
 * read() and write(), handling short reads and short writes, until the end
 * of @p from.
 *
 * Every failure is reported: failing to open, allocate, read, write, or to
 * close the destination (a close of a written file can report that the
 * data never reached the disk). On any failure after @p to was created, @p
 * to is removed, so that a failed copy never leaves a partial file.
 *
 * Each descriptor is closed exactly once: close() is never called again
 * on the same number, even when it failed with EINTR (Linux has released
 * the descriptor anyway; a second close() could close one that another
 * thread has just been given).
 *
 * On every path, success or failure, no descriptor is left open and no
 * block is left allocated.
 *
 * @param[in] from path of the file to copy, borrowed.
 * @param[in] to   path of the copy, borrowed; must not exist.
 * @return 0 when @p to holds a complete copy of @p from; otherwise a
 *         negative errno value: the one reported by the call that failed
 *         (-ENOENT for a missing @p from, -EEXIST when @p to exists, and
 *         then @p to is left untouched, -ENOMEM, -EIO...), and @p to does
 *         not exist.
 */
int copy_file(const char *from, const char *to);

#endif /* COPY_FILE_H */
