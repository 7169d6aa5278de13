/*
 * memcheck sees inside a custom allocator only if the allocator tells it
 * where its blocks are. This one hands out blocks from a static buffer
 * (as an embedded system's fixed heap would) and writes one byte past a
 * 24-byte block.
 *
 *   valgrind ./annotated_overrun_bug          annotated: the overrun is
 *                                             reported, with the line of
 *                                             the allocation
 *   valgrind ./annotated_overrun_bug plain    not annotated: to memcheck
 *                                             the buffer is one big static
 *                                             array, and it reports nothing
 *
 * The annotations are client requests from <valgrind/memcheck.h>: cheap
 * no-op instructions when the program runs without Valgrind.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

static _Alignas(16) unsigned char heap[4096];
static size_t heap_used = 16; /* a redzone before the first block too */
static bool annotate = true;

static void heap_init(void)
{
    if (annotate) /* nothing in the buffer is a block yet */
        VALGRIND_MAKE_MEM_NOACCESS(heap, sizeof(heap));
}

/* A bump allocator with a 16-byte gap around every block: the gaps are
 * the redzones where an overrun lands. */
static void *heap_alloc(size_t size)
{
    size_t rounded = (size + 15) / 16 * 16;
    if (rounded + 16 > sizeof(heap) - heap_used)
        return NULL;
    void *block = heap + heap_used;
    heap_used += rounded + 16;
    if (annotate)
        VALGRIND_MALLOCLIKE_BLOCK(block, size, 16, 0);
    return block;
}

static void heap_free(void *block)
{
    if (annotate)
        VALGRIND_FREELIKE_BLOCK(block, 16);
}

int main(int argc, char **argv)
{
    annotate = !(argc > 1 && strcmp(argv[1], "plain") == 0);
    heap_init();
    char *name = heap_alloc(24);
    if (!name)
        return 1;
    memset(name, 'x', 24);
    name[24] = '\0'; /* BUG: one byte past the 24-byte block */
    printf("%s annotations: wrote name[24]\n", annotate ? "with" : "without");
    heap_free(name);
    return 0;
}
