/*
 * str_append.c: bounded copy and append.
 *
 * One rule everywhere: the text that fits in a buffer of size bytes is at
 * most size - 1 bytes, and the byte after it gets the NUL. Appending is
 * copying into the tail of the buffer: the tail starts at the current NUL
 * and has size - used bytes, NUL included. memchr, not strlen, finds that
 * NUL, so an unterminated buffer is refused instead of read past its end.
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "str_append.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int str_copy(char *dst, size_t size, const char *src)
{
    if (!dst || !src || size == 0)
        return -EINVAL;

    size_t len = strnlen(src, size); /* reads at most size bytes of src */
    int err = 0;
    if (len == size) { /* no room for all of src and its NUL */
        len = size - 1;
        err = -E2BIG;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
    return err;
}

int str_append(char *dst, size_t size, const char *src)
{
    if (!dst || !src)
        return -EINVAL;

    const char *end = memchr(dst, '\0', size);
    if (!end)
        return -EINVAL;
    const size_t used = (size_t)(end - dst);
    return str_copy(dst + used, size - used, src);
}

int str_appendf(char *dst, size_t size, const char *fmt, ...)
{
    if (!dst || !fmt)
        return -EINVAL;

    const char *end = memchr(dst, '\0', size);
    if (!end)
        return -EINVAL;
    const size_t used = (size_t)(end - dst);

    va_list args;
    va_start(args, fmt);
    /* vsnprintf writes at most size - used bytes, NUL included, and returns
     * the length the whole text would have had. C does not promise that it
     * sets errno when it fails: clear errno, so that a stale value is not
     * taken for its reason. */
    errno = 0;
    const int wanted = vsnprintf(dst + used, size - used, fmt, args);
    va_end(args);
    if (wanted < 0) {
        dst[used] = '\0'; /* whatever it wrote is not a result */
        return errno ? -errno : -EILSEQ;
    }
    return (size_t)wanted < size - used ? 0 : -E2BIG;
}
