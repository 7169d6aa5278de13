/* MUTANT: addr_text_format writes through buf without checking it for NULL */
/*
 * addr_text.c: text built in a frame, handed back three safe ways.
 *
 * addr_text_make formats into an array inside a struct returned by value;
 * the two others reuse it and copy the text out: into the caller's buffer
 * after checking it fits, or into a heap block sized to the text.
 */
#include "addr_text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct addr_text addr_text_make(uintptr_t addr)
{
    struct addr_text t;

    snprintf(t.text, sizeof t.text, "0x%" PRIxPTR, addr);
    return t;
}

int addr_text_format(uintptr_t addr, char *buf, size_t size)
{
    const struct addr_text t = addr_text_make(addr);
    const size_t len = strlen(t.text);

    if (len >= size) { /* the '\0' needs a byte too */
        if (size > 0)
            buf[0] = '\0';
        return -ERANGE;
    }
    memcpy(buf, t.text, len + 1);
    return 0;
}

char *addr_text_new(uintptr_t addr)
{
    const struct addr_text t = addr_text_make(addr);
    const size_t size = strlen(t.text) + 1;
    char *copy = malloc(size);

    if (!copy)
        return NULL;
    memcpy(copy, t.text, size);
    return copy;
}
