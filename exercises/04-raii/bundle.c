/*
 * bundle: the program to repair.
 *
 * This file compiles and, on a quick try, seems to work. It has four
 * return statements that leak, each a different resource: a directory
 * stream, the heap blocks of the names (and the output file on disk), the
 * descriptor of an input file, and the output descriptor. The contract in
 * bundle.h is right; the code is wrong.
 *
 * Find each return, list what is held at that point, and release it. Then
 * ask whether the function would be easier to get right as one goto
 * ladder or with __attribute__((cleanup)) (lesson sections "Release in
 * reverse order" and "The cleanup attribute"); rewriting it is allowed.
 */
#define _GNU_SOURCE /* reallocarray */
#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Frees the first len names, then the array. */
static void names_free(char **names, size_t len)
{
    for (size_t i = 0; i < len; i++)
        free(names[i]);
    free(names);
}

/* qsort() comparison of two names. */
static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copies everything from in to out. Returns 0 or -errno. */
static int copy_fd(int in, int out)
{
    char buffer[4096];

    for (;;) {
        ssize_t got = read(in, buffer, sizeof buffer);
        if (got < 0)
            return -errno;
        if (got == 0)
            return 0;
        for (ssize_t done = 0; done < got;) {
            ssize_t wrote = write(out, buffer + done, (size_t)(got - done));
            if (wrote < 0)
                return -errno;
            done += wrote;
        }
    }
}

int bundle_dir(const char *dir_path, const char *out_path)
{
    DIR *dir = opendir(dir_path);
    if (!dir)
        return -errno;

    int out = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0)
        return -errno;

    char **names = NULL;
    size_t len = 0, cap = 0;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
        if (entry->d_name[0] == '.')
            continue;
        if (len == cap) {
            size_t grown_cap = cap ? 2 * cap : 8;
            char **grown = reallocarray(names, grown_cap, sizeof *grown);
            if (!grown) {
                names_free(names, len);
                close(out);
                unlink(out_path);
                closedir(dir);
                return -ENOMEM;
            }
            names = grown;
            cap = grown_cap;
        }
        names[len] = strdup(entry->d_name);
        if (!names[len]) {
            closedir(dir);
            return -ENOMEM;
        }
        len++;
    }
    if (len > 1)
        qsort(names, len, sizeof *names, compare_names);

    for (size_t i = 0; i < len; i++) {
        int in = openat(dirfd(dir), names[i], O_RDONLY | O_CLOEXEC);
        if (in < 0) {
            int err = -errno;
            names_free(names, len);
            close(out);
            unlink(out_path);
            closedir(dir);
            return err;
        }
        int err = copy_fd(in, out);
        if (err < 0) {
            names_free(names, len);
            close(out);
            unlink(out_path);
            closedir(dir);
            return err;
        }
        close(in);
    }

    names_free(names, len);
    closedir(dir);
    return 0;
}
