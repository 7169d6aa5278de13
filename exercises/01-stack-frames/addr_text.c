/*
 * addr_text.c: text built in a frame, handed back three safe ways.
 * The contract is in addr_text.h; the lesson's "Dangling pointers to locals"
 * section shows the broken original and the three repairs.
 */
#include "addr_text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct addr_text addr_text_make(uintptr_t addr)
{
    struct addr_text t = { .text = "" };

    (void)addr;
    /* TODO: write "0x" and addr in lowercase hex into t.text (snprintf with
     * the PRIxPTR format), then return t: the struct is copied to the caller. */
    return t;
}

int addr_text_format(uintptr_t addr, char *buf, size_t size)
{
    (void)addr;
    (void)buf;
    (void)size;
    /* TODO: -EINVAL for a NULL buf; -ERANGE (and buf[0] = '\0' if size > 0)
     * when the text and its '\0' do not fit in size bytes; else copy it in. */
    return -ENOSYS;
}

char *addr_text_new(uintptr_t addr)
{
    (void)addr;
    /* TODO: malloc exactly strlen(text) + 1 bytes, copy the text in, return
     * the block (the caller frees it); NULL if malloc fails. */
    return NULL;
}
