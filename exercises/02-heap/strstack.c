/*
 * A stack of strings: the program to repair.
 *
 * This file compiles, and on a quick try it seems to work. It has four
 * memory bugs, each in a different function: a leak, a double free, a use
 * after free and a read of uninitialised memory. The contract in
 * strstack.h is right; the code is wrong.
 *
 * Run the tests under Valgrind, read each report from its first line,
 * fix the bug it points at, and run again. Change as little as you can:
 * each bug is fixed by changing a few lines.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "strstack.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct strstack *strstack_new(void)
{
    struct strstack *s = malloc(sizeof *s);

    if (s) {
        s->top = NULL;
        s->len = 0;
    }
    return s;
}

struct strstack *strstack_free(struct strstack *s)
{
    if (!s)
        return NULL;

    struct strstack_node *node = s->top;
    while (node) {
        struct strstack_node *below = node->below; /* read before free */

        free(node->text);
        free(node);
        node = below;
    }
    return NULL;
}

/* Returns a new node holding a copy of text, or NULL if out of memory. */
static struct strstack_node *strstack_node_new(const char *text,
                                               struct strstack_node *below)
{
    struct strstack_node *node = malloc(sizeof *node);

    if (!node)
        return NULL;
    node->text = strdup(text);
    if (!node->text) {
        free(node);
        return NULL;
    }
    node->below = below;
    return node;
}

int strstack_push(struct strstack *s, const char *text)
{
    struct strstack_node *node = strstack_node_new(text, s->top);

    if (!node)
        return -ENOMEM;
    s->top = node;
    s->len++;
    s->chars += strlen(text);
    return 0;
}

char *strstack_pop(struct strstack *s)
{
    struct strstack_node *top = s->top;

    if (!top)
        return NULL;

    char *text = top->text;
    s->len--;
    s->chars -= strlen(text);
    free(s->top);
    s->top = s->top->below;
    return text;
}

char *strstack_join(const struct strstack *s)
{
    char *joined = malloc(s->chars + 1);

    if (!joined)
        return NULL;

    char *end = joined;
    for (const struct strstack_node *node = s->top; node; node = node->below) {
        size_t len = strlen(node->text);

        memcpy(end, node->text, len);
        end += len;
    }
    *end = '\0';
    return joined;
}

struct strstack *strstack_copy(const struct strstack *s)
{
    struct strstack *copy = strstack_new();

    if (!copy)
        return NULL;

    /* Append each copied node at the bottom of the copy, through the link
     * that ends it, so that the order stays the same. The copy is a valid
     * stack after each step, so strstack_free() can undo a partial copy. */
    struct strstack_node **bottom = &copy->top;
    for (const struct strstack_node *node = s->top; node; node = node->below) {
        struct strstack_node *twin = malloc(sizeof *twin);

        if (!twin)
            return strstack_free(copy);
        *twin = *node;
        twin->below = NULL;
        *bottom = twin;
        bottom = &twin->below;
        copy->len++;
        copy->chars += strlen(twin->text);
    }
    return copy;
}
