/*
 * tempdir: a directory and its files, removed on every exit path.
 *
 * tempdir_create() acquires, in order, and its ladder releases in reverse:
 *
 *   1. dir        the struct                 out_free_dir
 *   2. dir->path  the name, then mkdtemp()   out_free_path
 *   3. the directory on disk                 out_remove_dir
 *   4. dir_fd     a descriptor on it         out_close_dir_fd
 *   5. each file  opened, written, closed at once (write_new_file)
 *
 * out_remove_dir removes whatever the directory holds, so files created
 * before a failure go with it. Falling through labels 3 to 1 is exactly
 * tempdir_free(): the destructor and the error path release the same way.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, openat, strdup */
#include "tempdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
 * Returns 0 or -errno; the descriptor is closed either way. */
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

/* Removes every entry of the directory path (made from TEMPDIR_TEMPLATE),
 * then the directory. */
static void remove_dir(const char *path)
{
    DIR *dir = opendir(path);
    if (dir) {
        char entry_path[sizeof TEMPDIR_TEMPLATE + 1 + NAME_MAX]; /* path/name */
        for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            int len = snprintf(entry_path, sizeof entry_path, "%s/%s", path, entry->d_name);
            if (len > 0 && (size_t)len < sizeof entry_path)
                unlink(entry_path);
        }
        closedir(dir);
    }
    rmdir(path);
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

    int dir_fd = open(dir->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        err = -errno;
        goto out_remove_dir;
    }
    for (size_t i = 0; i < count; i++) {
        err = write_new_file(dir_fd, &files[i]);
        if (err < 0)
            goto out_close_dir_fd;
    }
    close(dir_fd); /* read-only: a failure here loses nothing */

    *out = dir;
    return 0;

out_close_dir_fd:
    close(dir_fd);
out_remove_dir:
    remove_dir(dir->path);
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
    remove_dir(dir->path);
    free(dir->path);
    free(dir);
    return NULL;
}
