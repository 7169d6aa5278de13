/*
 * str_append.c: bounded copy and append.
 * The contract is in str_append.h; the lesson's "Bounded string functions"
 * section shows what strncpy, strncat and snprintf do at the boundary.
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "str_append.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int str_copy(char *dst, size_t size, const char *src)
{
    (void)dst;
    (void)size;
    (void)src;
    /* TODO: copy at most size - 1 bytes, then the NUL; -E2BIG if cut. */
    return -ENOSYS;
}

int str_append(char *dst, size_t size, const char *src)
{
    (void)dst;
    (void)size;
    (void)src;
    /* TODO: find the NUL within the first size bytes (memchr), then copy
     * src into what is left of the buffer. */
    return -ENOSYS;
}

int str_appendf(char *dst, size_t size, const char *fmt, ...)
{
    (void)dst;
    (void)size;
    (void)fmt;
    /* TODO: va_start, vsnprintf into what is left, va_end; compare what
     * vsnprintf returns with the room it had. */
    return -ENOSYS;
}
