/*
 * mmap_threshold.c: glibc's threshold for giving a block a mapping of its
 * own moves (mallopt(3), M_MMAP_THRESHOLD: "dynamic" unless set).
 *
 * It starts at 128 KiB (a request of 128 KiB is mapped, one of 128 KiB - 32
 * is not). When a block that got its own mapping is freed,
 * glibc raises the threshold to that block's size (up to 32 MiB on 64-bit
 * systems), guessing that the program will ask for such sizes again. So the
 * first 1 MiB block is mapped on its own, and after it is freed, the next
 * 1 MiB block comes from the heap. A 2 MiB block, above the new threshold,
 * is mapped again.
 *
 * The size field just before each block says which: bit 0x2 (IS_MMAPPED)
 * is set for a block with its own mapping. Reading it is something only a
 * demo may do. Exits 1 if the three blocks are not placed as described.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024 * 1024)

/* Reads the chunk's size field, the 8 bytes before the block. */
static bool mapped_on_its_own(uintptr_t block)
{
    size_t size_field;

    memcpy(&size_field, (const void *)(block - sizeof size_field), sizeof size_field);
    return (size_field & 0x2) != 0;
}

static bool report(const char *what, uintptr_t block)
{
    bool mapped = mapped_on_its_own(block);

    printf("%-34s %#lx  %s\n", what, (unsigned long)block, mapped ? "mapped on its own" : "from the heap");
    return mapped;
}

int main(void)
{
    /* The starting threshold: a chunk (request + 8, rounded up to 16) of
     * 128 KiB or more is mapped. */
    void *below = malloc(128 * 1024 - 32);
    void *at = malloc(128 * 1024);
    if (!below || !at)
        return 1;
    bool below_mapped = report("malloc(128 KiB - 32)", (uintptr_t)below);
    bool at_mapped = report("malloc(128 KiB)", (uintptr_t)at);
    free(at);
    free(below);

    void *first = malloc(MIB);
    if (!first)
        return 1;
    bool first_mapped = report("malloc(1 MiB)", (uintptr_t)first);
    free(first);

    void *second = malloc(MIB);
    void *big = malloc(2 * MIB);
    if (!second || !big)
        return 1;
    bool second_mapped = report("free it, then malloc(1 MiB) again", (uintptr_t)second);
    bool big_mapped = report("malloc(2 MiB)", (uintptr_t)big);
    free(big);
    free(second);

    if (below_mapped || !at_mapped || !first_mapped || second_mapped || !big_mapped) {
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    return 0;
}
