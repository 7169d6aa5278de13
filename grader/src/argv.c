/**
 * @file argv.c
 * @brief A command line built piece by piece (argv.h gives the rules).
 *
 * The vector doubles when full, so that n arguments cost O(n) copies, and
 * always keeps a NULL after the last argument.
 */
#define _GNU_SOURCE
#include "argv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for one more argument and the NULL after it; false when memory runs
 * out (the builder is then marked). */
static bool argv_reserve(struct argv_builder *args)
{
    if (args->oom)
        return false;
    if (args->n + 2 <= args->cap)
        return true;
    size_t cap = args->cap ? args->cap * 2 : 16;
    if (cap > SIZE_MAX / sizeof(*args->v)) {
        args->oom = true;
        return false;
    }
    char **grown = realloc(args->v, cap * sizeof(*grown));
    if (!grown) {
        args->oom = true;
        return false;
    }
    args->v = grown;
    args->cap = cap;
    return true;
}

/* Appends @p arg, which the builder takes (NULL: out of memory). */
static void argv_take(struct argv_builder *args, char *arg)
{
    if (!arg)
        args->oom = true;
    if (!argv_reserve(args)) {
        free(arg);
        return;
    }
    args->v[args->n++] = arg;
    args->v[args->n] = NULL;
}

void argv_add(struct argv_builder *args, const char *arg)
{
    argv_take(args, arg ? strdup(arg) : NULL);
}

void argv_addf(struct argv_builder *args, const char *fmt, ...)
{
    char *arg = NULL;
    va_list values;
    va_start(values, fmt);
    if (vasprintf(&arg, fmt, values) < 0)
        arg = NULL;
    va_end(values);
    argv_take(args, arg);
}

void argv_add_all(struct argv_builder *args, const char *const *more)
{
    for (size_t i = 0; more && more[i]; i++)
        argv_add(args, more[i]);
}

const char *const *argv_get(struct argv_builder *args)
{
    if (!args->v && !argv_reserve(args))
        return NULL;
    if (args->oom)
        return NULL;
    args->v[args->n] = NULL;
    return (const char *const *)args->v;
}

void argv_done(struct argv_builder *args)
{
    if (!args)
        return;
    for (size_t i = 0; i < args->n; i++)
        free(args->v[i]);
    free(args->v);
    *args = (struct argv_builder){ 0 };
}
