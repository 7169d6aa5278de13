/**
 * @file util.c
 * @brief Strings, files and clocks for the grader.
 */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

char *str_printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int len = vsnprintf(NULL, 0, fmt, args);
    va_end(args);
    if (len < 0)
        return NULL;
    char *text = malloc((size_t)len + 1);
    if (!text)
        return NULL;
    va_start(args, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, args);
    va_end(args);
    return text;
}

int file_open_untrusted(const char *path, off_t *size)
{
    /* The sandbox uid may have put a symbolic link, a FIFO or a device
     * anywhere it can write, in the file or in any directory on the way:
     * refuse links at every step, and never block on open. */
    struct open_how how = {
        .flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
        .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
    };
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
    if (fd < 0 && errno == ENOSYS) {
        /* A kernel before 5.6: O_NOFOLLOW refuses a link as the file
         * itself, not in a folder on the way. Said once a process. */
        static bool warned;
        if (!warned)
            fputs("grade: warning: this kernel has no openat2(): a symbolic link in a "
                  "folder on the way to a learner's file is not refused\n", stderr);
        warned = true;
        fd = open(path, (int)how.flags);
    }
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    if (size)
        *size = st.st_size;
    return fd;
}

char *file_read_tail(const char *path, size_t max_bytes)
{
    off_t size = 0;
    int fd = file_open_untrusted(path, &size);
    if (fd < 0)
        return NULL;
    const char *cut = "";
    off_t from = 0;
    if (size > 0 && (size_t)size > max_bytes) {
        from = size - (off_t)max_bytes;
        cut = "[... earlier output cut: the report keeps only the end ...]\n";
    }
    size_t prefix = strlen(cut);
    char *text = malloc(prefix + max_bytes + 1);
    if (!text) {
        close(fd);
        return NULL;
    }
    memcpy(text, cut, prefix);
    size_t got = 0;
    while (got < max_bytes) {
        ssize_t n = pread(fd, text + prefix + got, max_bytes - got, from + (off_t)got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    text[prefix + got] = '\0';
    close(fd);
    /* Learner output may hold any byte; reports must stay valid UTF-8 text. */
    for (size_t i = prefix; i < prefix + got; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
            text[i] = '?';
    }
    return text;
}

/* Reads all of @p fd (a regular file of @p size bytes); closes it. */
static char *fd_read_all(int fd, off_t size, size_t max_bytes, size_t *len)
{
    if (size < 0 || (size_t)size > max_bytes) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    char *data = malloc((size_t)size + 1);
    size_t got = 0;
    while (data && got < (size_t)size) {
        ssize_t n = read(fd, data + got, (size_t)size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (data) {
        data[got] = '\0';
        if (len)
            *len = got;
    }
    return data;
}

char *file_read_capped(const char *path, size_t max_bytes, size_t *len)
{
    off_t size = 0;
    int fd = file_open_untrusted(path, &size);
    return fd < 0 ? NULL : fd_read_all(fd, size, max_bytes, len);
}

char *file_read_course(const char *path, size_t max_bytes, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    return fd_read_all(fd, st.st_size, max_bytes, len);
}

int file_write(const char *path, const char *text)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -errno;
    int err = fputs(text, out) < 0 ? -EIO : 0;
    if (fclose(out) != 0 && err == 0)
        err = -errno;
    return err;
}

int dir_make(const char *path)
{
    return dir_make_mode(path, 0755);
}

int dir_make_mode(const char *path, mode_t mode)
{
    char *copy = str_printf("%s", path);
    if (!copy)
        return -ENOMEM;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, mode) != 0 && errno != EEXIST) {
            int err = -errno;
            free(copy);
            return err;
        }
        *p = '/';
    }
    int err = (mkdir(copy, mode) != 0 && errno != EEXIST) ? -errno : 0;
    free(copy);
    return err;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int dir_remove(const char *path)
{
    if (!path_exists(path))
        return 0;
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -errno;
}

bool path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

double clock_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

char *str_replace_all(const char *text, const char *from, const char *to)
{
    size_t from_len = strlen(from), to_len = strlen(to), count = 0;
    for (const char *p = text; from_len && (p = strstr(p, from)) != NULL; p += from_len)
        count++;
    char *result = malloc(strlen(text) + count * to_len + 1);
    if (!result)
        return NULL;
    char *w = result;
    for (const char *p = text;;) {
        const char *hit = from_len ? strstr(p, from) : NULL;
        size_t keep = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(w, p, keep);
        w += keep;
        if (!hit)
            break;
        memcpy(w, to, to_len);
        w += to_len;
        p = hit + from_len;
    }
    *w = '\0';
    return result;
}

size_t strv_len(const strv v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

strv strv_free(strv v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
    return NULL;
}

bool str_ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}
