/*
 * cleanup: RAII in C with __attribute__((cleanup)), in systemd's style.
 *
 * A variable declared _cleanup_(f) has f(&variable) called whenever it goes
 * out of scope: at a return, a break, or the end of its block. So each
 * resource is released exactly once, in reverse order of declaration, on
 * every path, with no labels. The rules that make it safe:
 *
 *   - every _cleanup_ variable is initialised where it is declared, to a
 *     resource or to its empty value (NULL, -1): the cleanup runs on paths
 *     that return before any assignment;
 *   - ownership leaves the scope through TAKE_PTR()/TAKE_FD(), which empty
 *     the variable so that its cleanup does nothing.
 *
 * This is a GNU extension (GCC, Clang). C2y's proposed `defer` would be
 * the standard way.
 */
#define _GNU_SOURCE /* getline, reallocarray */
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* Defines funcp(type *), the cleanup function that calls func on a
 * variable of that type unless it holds NULL. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) \
    void func##p(type *p)                       \
    {                                           \
        if (*p)                                 \
            func(*p);                           \
    }

/* Returns *ptr and sets it to NULL: Rust's Option::take, GLib's
 * g_steal_pointer. ptr is a T ** passed as void *. */
static inline void *take_ptr(void *ptr)
{
    void **slot = ptr;
    void *taken = *slot;
    *slot = NULL;
    return taken;
}
#define TAKE_PTR(p) take_ptr(&(p))

/* Returns *fd and sets it to -1. */
static inline int take_fd(int *fd)
{
    int taken = *fd;
    *fd = -1;
    return taken;
}
#define TAKE_FD(fd) take_fd(&(fd))

void freep(void *p)
{
    free(*(void **)p);
}

void closep(int *fd)
{
    if (*fd < 0)
        return;
    int saved = errno;
    close(*fd);
    errno = saved;
}

char **lines_free(char **lines)
{
    if (!lines)
        return NULL;
    for (char **line = lines; *line; line++)
        free(*line);
    free(lines);
    return NULL;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(FILE *, fclose)
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, lines_free)

int open_regular(const char *path)
{
    _cleanup_(closep) int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;

    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno; /* read before closep runs: cleanups run after the
                          * return value has been computed */
    if (S_ISDIR(st.st_mode))
        return -EISDIR;
    if (!S_ISREG(st.st_mode))
        return -EINVAL;
    return TAKE_FD(fd);
}

int read_lines(const char *path, char ***out, size_t *count)
{
    _cleanup_(fclosep) FILE *file = fopen(path, "re");
    if (!file)
        return -errno;

    _cleanup_(lines_freep) char **lines = calloc(1, sizeof *lines);
    if (!lines)
        return -ENOMEM;
    size_t len = 0;

    _cleanup_(freep) char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, file)) >= 0) {
        if (n > 0 && line[n - 1] == '\n')
            line[n - 1] = '\0';
        char **grown = reallocarray(lines, len + 2, sizeof *grown);
        if (!grown)
            return -ENOMEM; /* lines is untouched, and freed on return */
        lines = grown;
        lines[len++] = TAKE_PTR(line); /* getline allocates the next one */
        lines[len] = NULL;
        cap = 0;
    }
    if (ferror(file))
        return -EIO;
    if (!feof(file))
        return -ENOMEM; /* getline stopped before the end: out of memory */

    *out = TAKE_PTR(lines);
    *count = len;
    return 0;
}
