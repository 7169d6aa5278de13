/*
 * copy_file: the goto cleanup ladder.
 *
 * Resources are acquired in this order and released in the reverse order,
 * each by the label named for what it undoes:
 *
 *   1. src     the source descriptor        out_close_src
 *   2. dst     the destination descriptor   out_close_dst, which also
 *              and the file it created      removes the file on failure
 *   3. buffer  the copy buffer              freed as soon as the copy ends
 *
 * A jump goes forward only, to the label that undoes exactly what has been
 * acquired so far. The destination's close is the one release whose
 * failure matters (it may report lost data), so the success path checks it.
 */
#include "copy_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes all len bytes of data to fd, looping over short writes.
 * Returns 0 or -errno. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t done = write(fd, data, len);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        data += done;
        len -= (size_t)done;
    }
    return 0;
}

/* Copies everything from src to dst through buffer. Returns 0 or -errno. */
static int copy_fd(int src, int dst, char *buffer)
{
    for (;;) {
        ssize_t got = read(src, buffer, COPY_FILE_BUFFER_SIZE);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (got == 0)
            return 0;
        int err = write_all(dst, buffer, (size_t)got);
        if (err < 0)
            return err;
    }
}

int copy_file(const char *from, const char *to)
{
    int err;

    int src = open(from, O_RDONLY | O_CLOEXEC);
    if (src < 0)
        return -errno;

    int dst = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (dst < 0) {
        err = -errno; /* EEXIST: not ours, so not ours to remove */
        goto out_close_src;
    }

    char *buffer = malloc(COPY_FILE_BUFFER_SIZE);
    if (!buffer) {
        err = -ENOMEM;
        goto out_close_dst;
    }

    err = copy_fd(src, dst, buffer);

    free(buffer);
out_close_dst:
    if (close(dst) < 0 && err == 0)
        err = -errno; /* the data may not have reached the disk */
    if (err < 0)
        unlink(to);
out_close_src:
    close(src); /* read-only: a failure here loses nothing */
    return err;
}
