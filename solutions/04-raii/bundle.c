/*
 * bundle: the repaired program, as one goto ladder.
 *
 * The buggy version released resources by hand at each of its returns,
 * and four of them forgot something. Here every failure jumps to the
 * label that releases what is held at that point, in reverse order of
 * acquisition:
 *
 *   1. dir     the directory stream          out_close_dir
 *   2. out     the output descriptor, and    out_close_output, which
 *              the file it created           removes the file on failure
 *   3. names   the array and every name      out_free_names
 *   4. in      one input descriptor          closed by append_file()
 *
 * The success path runs through the same labels, so it cannot forget one
 * either; it only skips the removal of the output.
 */
#define _GNU_SOURCE /* reallocarray */
#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A growable array of names; each name and the array are owned. */
struct names {
    char **items; /* len names, room for cap */
    size_t len;
    size_t cap;
};

/* Frees every name, then the array; leaves names empty. */
static void names_done(struct names *names)
{
    for (size_t i = 0; i < names->len; i++)
        free(names->items[i]);
    free(names->items);
    *names = (struct names){ 0 };
}

/* Appends a copy of name. Returns 0 or -ENOMEM (names unchanged). */
static int names_add(struct names *names, const char *name)
{
    if (names->len == names->cap) {
        size_t cap = names->cap ? 2 * names->cap : 8;
        char **grown = reallocarray(names->items, cap, sizeof *grown);
        if (!grown)
            return -ENOMEM;
        names->items = grown;
        names->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -ENOMEM;
    names->items[names->len++] = copy;
    return 0;
}

/* Adds the name of every entry of dir that does not start with '.'.
 * Returns 0 or -errno. readdir() returns NULL both at the end and on an
 * error; only errno tells them apart, so it is cleared before each call. */
static int names_read(DIR *dir, struct names *names)
{
    for (;;) {
        errno = 0;
        struct dirent *entry = readdir(dir);
        if (!entry)
            return errno ? -errno : 0;
        if (entry->d_name[0] == '.')
            continue;
        int err = names_add(names, entry->d_name);
        if (err < 0)
            return err;
    }
}

/* qsort() comparison of two names. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copies everything from in to out, retrying short writes and calls that
 * a signal interrupted (EINTR). Returns 0 or -errno. */
static int copy_fd(int in, int out)
{
    char buffer[4096];

    for (;;) {
        ssize_t got = read(in, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue; /* a signal came before any byte: nothing was lost */
        if (got < 0)
            return -errno;
        if (got == 0)
            return 0;
        for (ssize_t done = 0; done < got;) {
            ssize_t wrote = write(out, buffer + done, (size_t)(got - done));
            if (wrote < 0 && errno == EINTR)
                continue;
            if (wrote < 0)
                return -errno;
            done += wrote;
        }
    }
}

/* Appends the file name of the directory dir_fd to out.
 * Returns 0 or -errno; the input is closed either way. */
static int append_file(int dir_fd, const char *name, int out)
{
    int in = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -errno;
    int err = copy_fd(in, out);
    close(in); /* read-only: a failure here loses nothing */
    return err;
}

int bundle_dir(const char *dir_path, const char *out_path)
{
    int err = 0;

    DIR *dir = opendir(dir_path);
    if (!dir)
        return -errno;

    int out = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        err = -errno; /* EEXIST: not ours to remove */
        goto out_close_dir;
    }

    struct names names = { 0 };
    err = names_read(dir, &names);
    if (err < 0)
        goto out_free_names;
    if (names.len > 1) /* qsort() must not be given a NULL array */
        qsort(names.items, names.len, sizeof *names.items, compare_names);

    for (size_t i = 0; i < names.len; i++) {
        err = append_file(dirfd(dir), names.items[i], out);
        if (err < 0)
            goto out_free_names;
    }

out_free_names:
    names_done(&names);
    if (close(out) < 0 && err == 0)
        err = -errno; /* the data may not have reached the disk */
    if (err < 0)
        unlink(out_path);
out_close_dir:
    closedir(dir);
    return err;
}
