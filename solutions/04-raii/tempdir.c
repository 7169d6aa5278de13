/*
 * tempdir: a directory and its files, removed on every exit path.
 *
 * tempdir_create() acquires, in order, and its ladder releases in reverse:
 *
 *   1. dir        the struct                 out_free_dir
 *   2. dir->path  the name, then mkdtemp()   out_free_path
 *   3. the directory on disk                 out_remove_dir
 *   4. dir_fd     a descriptor on it         out_remove_contents, which
 *                                            empties it and closes dir_fd
 *   5. each file  opened, written, closed at once (write_new_file)
 *
 * Removal never goes through a path longer than one name. Each directory
 * is opened once, with O_DIRECTORY | O_NOFOLLOW, and everything inside it
 * is removed relative to that descriptor (unlinkat). A path such as
 * "tempdir-k3Xz9q/a.txt" is looked up again at every call: if someone
 * replaced the directory by a symbolic link meanwhile, unlink() of that
 * path would delete a file wherever the link points (Rust's
 * CVE-2022-21658, in remove_dir_all). A descriptor keeps naming the
 * directory that was opened, and O_NOFOLLOW refuses to open a link.
 *
 * Removal is depth first, one descriptor per level of the tree.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, openat, fdopendir, unlinkat */
#include "tempdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Flags that open a directory, and never a symbolic link to one. */
#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* Whether name is a plain file name: not empty, no '/', not "." or "..". */
static bool name_is_valid(const char *name)
{
    return name[0] != '\0' && !strchr(name, '/') && strcmp(name, ".") != 0
           && strcmp(name, "..") != 0;
}

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

/* Creates file->name in the directory dir_fd with its content.
 * Returns 0 or -errno; the descriptor is closed either way, once: Linux
 * releases it even when close() fails (EINTR included), so a retry could
 * close a descriptor that another thread has just been given. */
static int write_new_file(int dir_fd, const struct tempdir_file *file)
{
    int fd = openat(dir_fd, file->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    int err = write_all(fd, file->content, strlen(file->content));
    if (close(fd) < 0 && err == 0)
        err = -errno; /* the content may not have been written */
    return err;
}

static int remove_contents(int dir_fd);

/* Removes the entry name of the directory dir_fd, whatever it is: a link
 * or a file is unlinked (never followed), a directory emptied and removed.
 * Returns 0 or -errno. */
static int remove_entry(int dir_fd, const char *name)
{
    if (unlinkat(dir_fd, name, 0) == 0)
        return 0;
    if (errno != EISDIR && errno != EPERM) /* Linux says EISDIR, POSIX EPERM */
        return -errno;
    int sub_fd = openat(dir_fd, name, DIR_OPEN_FLAGS);
    if (sub_fd < 0)
        return -errno;
    int err = remove_contents(sub_fd);
    if (unlinkat(dir_fd, name, AT_REMOVEDIR) < 0 && err == 0)
        err = -errno;
    return err;
}

/* Removes everything inside the directory open on dir_fd, which it takes
 * (it is closed on every path). Goes on after a failure, to remove as much
 * as it can; returns 0 or the first error as -errno. */
static int remove_contents(int dir_fd)
{
    DIR *dir = fdopendir(dir_fd);
    if (!dir) {
        int err = -errno;
        close(dir_fd); /* fdopendir takes the descriptor only on success */
        return err;
    }
    int err = 0;
    for (;;) {
        errno = 0; /* readdir's NULL means the end, or an error if errno is set */
        struct dirent *entry = readdir(dir);
        if (!entry) {
            if (errno != 0 && err == 0)
                err = -errno;
            break;
        }
        const char *name = entry->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        int failed = remove_entry(dirfd(dir), name);
        if (failed < 0 && err == 0)
            err = failed;
    }
    closedir(dir); /* closes dir_fd; read-only, nothing to lose */
    return err;
}

/* Removes the directory path and everything in it, best effort. */
static void remove_tree(const char *path)
{
    int dir_fd = openat(AT_FDCWD, path, DIR_OPEN_FLAGS);
    if (dir_fd >= 0)
        remove_contents(dir_fd);
    /* If path is no longer our directory (a link now), this fails, safely. */
    unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int tempdir_create(const struct tempdir_file *files, size_t count,
                   struct tempdir **out)
{
    int err;

    for (size_t i = 0; i < count; i++)
        if (!name_is_valid(files[i].name))
            return -EINVAL; /* before anything exists: nothing to undo */

    struct tempdir *dir = malloc(sizeof *dir);
    if (!dir)
        return -ENOMEM;

    dir->path = strdup(TEMPDIR_TEMPLATE);
    if (!dir->path) {
        err = -ENOMEM;
        goto out_free_dir;
    }
    if (!mkdtemp(dir->path)) {
        err = -errno;
        goto out_free_path;
    }

    int dir_fd = openat(AT_FDCWD, dir->path, DIR_OPEN_FLAGS);
    if (dir_fd < 0) {
        err = -errno;
        goto out_remove_dir;
    }
    for (size_t i = 0; i < count; i++) {
        err = write_new_file(dir_fd, &files[i]);
        if (err < 0)
            goto out_remove_contents;
    }
    close(dir_fd); /* read-only: a failure here loses nothing */

    *out = dir;
    return 0;

out_remove_contents:
    remove_contents(dir_fd); /* closes dir_fd */
out_remove_dir:
    unlinkat(AT_FDCWD, dir->path, AT_REMOVEDIR);
out_free_path:
    free(dir->path);
out_free_dir:
    free(dir);
    return err;
}

struct tempdir *tempdir_free(struct tempdir *dir)
{
    if (!dir)
        return NULL;
    remove_tree(dir->path);
    free(dir->path);
    free(dir);
    return NULL;
}
