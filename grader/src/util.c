/**
 * @file util.c
 * @brief Strings, files and clocks for the grader.
 */
#define _XOPEN_SOURCE 700
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

char *file_read_tail(const char *path, size_t max_bytes)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    const char *cut = "";
    if (fseek(in, 0, SEEK_END) == 0) {
        long size = ftell(in);
        if (size > 0 && (size_t)size > max_bytes) {
            fseek(in, size - (long)max_bytes, SEEK_SET);
            cut = "[...]\n";
        } else {
            rewind(in);
        }
    }
    size_t prefix = strlen(cut);
    char *text = malloc(prefix + max_bytes + 1);
    if (!text) {
        fclose(in);
        return NULL;
    }
    memcpy(text, cut, prefix);
    size_t got = fread(text + prefix, 1, max_bytes, in);
    text[prefix + got] = '\0';
    fclose(in);
    /* Learner output may hold any byte; reports must stay valid UTF-8 text. */
    for (size_t i = prefix; i < prefix + got; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
            text[i] = '?';
    }
    return text;
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
    char *copy = str_printf("%s", path);
    if (!copy)
        return -ENOMEM;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            int err = -errno;
            free(copy);
            return err;
        }
        *p = '/';
    }
    int err = (mkdir(copy, 0755) != 0 && errno != EEXIST) ? -errno : 0;
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
