/*
 * On a system without virtual memory the heap is a fixed buffer: it
 * cannot grow, so fragmentation makes allocation fail while half of the
 * memory is free.
 *
 * A 1024-byte first-fit heap (as heapsim, without growth) takes 16 blocks
 * of 64 bytes, frees every other one, then asks for 128 bytes.
 *
 * Claim checked: 512 bytes are free, the largest hole is 64 bytes, and
 * the 128-byte request fails. Exits 1 otherwise.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { HEAP = 1024, BLOCK = 64 };

static char heap[HEAP]; /* a letter per allocated byte, '-' per free byte */

/* First fit with no growth: returns the offset, or -1. */
static int alloc(char name, int n)
{
    for (int at = 0; at + n <= HEAP; at++) {
        int len = 0;
        while (len < n && heap[at + len] == '-')
            len++;
        if (len == n) {
            memset(heap + at, name, (size_t)n);
            return at;
        }
        at += len;
    }
    return -1;
}

static void draw(const char *when)
{
    printf("%-28s ", when);
    for (int at = 0; at < HEAP; at += 16) /* 1 char = 16 bytes */
        putchar(heap[at]);
    putchar('\n');
}

int main(void)
{
    memset(heap, '-', sizeof(heap));
    for (int i = 0; i < HEAP / BLOCK; i++)
        alloc((char)('a' + i), BLOCK);
    draw("16 blocks of 64 bytes");
    for (int i = 0; i < HEAP; i += 2 * BLOCK)
        memset(heap + i, '-', BLOCK);
    draw("every other block freed");

    int free_bytes = 0, largest = 0, run = 0;
    for (int at = 0; at < HEAP; at++) {
        run = heap[at] == '-' ? run + 1 : 0;
        free_bytes += heap[at] == '-';
        largest = run > largest ? run : largest;
    }
    int got = alloc('Z', 2 * BLOCK);
    printf("free: %d bytes, largest hole: %d bytes; alloc(128) = %d%s\n", free_bytes,
           largest, got, got < 0 ? " (failed)" : "");
    bool ok = free_bytes == HEAP / 2 && largest == BLOCK && got < 0;
    return ok ? 0 : 1;
}
