/*
 * mm: segregated fits with boundary tags, over memlib's simulated sbrk().
 *
 * The rules:
 *  1. A request of n bytes takes a block of max(32, round_up(n + 8, 16))
 *     bytes: an 8-byte header, then the payload, 16-aligned.
 *  2. A header holds the block's size ORed with two flags: ALLOC (this
 *     block is in use) and PREV_ALLOC (the block before it is). Only free
 *     blocks carry a footer, a copy of the header: a block needs to find
 *     the start of the block before it only when that block is free, and
 *     PREV_ALLOC says when. Allocated blocks lose no bytes to footers.
 *  3. Free blocks sit on one of NCLASSES doubly linked lists, by size:
 *     one list per 16 bytes up to 256, then one per power of two. A free
 *     block keeps its two links at the start of its payload, so the
 *     smallest block is header + 2 links + footer = 32 bytes. A bitmap
 *     says which lists are not empty.
 *  4. Coalescing is immediate: no two free blocks are ever adjacent.
 *  5. A request takes the smallest fitting block among the first FIT_LOOK
 *     of its own class, else the first block of the next non-empty class
 *     (all of whose blocks fit). If none fits, the heap grows by what is
 *     missing (the last block, if free, counts towards it); for a small
 *     request by at least CHUNK bytes, a fresh run for small blocks to
 *     share (rule 6).
 *  6. A split puts small blocks (up to EXACT_MAX bytes: those with a list
 *     of their own size) at the low end of a free block, and larger ones
 *     at the high end. Blocks of different sizes then tend to sit in
 *     different runs, so when all blocks of one size die they leave one big
 *     free run rather than holes between survivors.
 *  7. realloc stays in place when it can: a shrink splits off the tail; a
 *     growth absorbs a free next block, or grows the heap when the block is
 *     the last one.
 *
 * The heap:
 *
 *   lo                                                      brk
 *   +-----+--------+---------------+--------+-----//-----+-----+
 *   | pad | hdr    | payload       | hdr    |            | epi |
 *   |  8  | sz|f   | 16-aligned    | sz|f   |    ...     |  8  |
 *   +-----+--------+---------------+--------+-----//-----+-----+
 *
 *   a free block:
 *   +--------+--------+--------+----- ... -----+--------+
 *   | sz|f   | next   | prev   |   (unused)    | sz|f   |
 *   +--------+--------+--------+----- ... -----+--------+
 *   header    links (payload's first 16 bytes)   footer
 *
 * The epilogue is a header of size 0 marked ALLOC: walks and coalescing
 * stop there without a bounds check. The pad makes every payload 16-aligned
 * (lo is 4096-aligned, headers sit at 8 mod 16).
 *
 * Worst case: malloc looks at FIT_LOOK blocks at most, plus one bit scan;
 * free touches a block and its two neighbours: both O(1). realloc adds one
 * copy. Memory: 8 bytes of header per block, up to 15 of rounding, and
 * whatever external fragmentation the trace causes: this is a good-fit
 * allocator, with no bound like a buddy system's.
 */
#include "mm.h"
#include "memlib.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t word_t;

enum {
    WSIZE = 8,        /* Header, footer and link size in bytes. */
    MIN_BLOCK = 32,   /* Header + two links + footer, in bytes. */
    NCLASSES = 32,    /* Size classes of free lists. */
    EXACT_MAX = 256,  /* Largest size with a list of its own, in bytes;
                         also the largest "small" block (rules 5, 6). */
    FIT_LOOK = 8,     /* Blocks of a request's own class looked at, at most. */
    CHUNK = 4096,     /* Least the heap grows by for a smaller block, bytes. */
};

enum { ALLOC = 1, PREV_ALLOC = 2, FLAGS = 7 };

/* The allocator's state. */
static struct {
    char *lists[NCLASSES]; /* First block header of each class, or NULL. */
    uint32_t nonempty;     /* Bit c set when lists[c] is not empty. */
} mm;

/* --- Block fields. A block is named by the address of its header. ------ */

static word_t get(const char *at)
{
    return *(const word_t *)at;
}

static void put(char *at, word_t value)
{
    *(word_t *)at = value;
}

static size_t block_size(const char *block)
{
    return get(block) & ~(word_t)FLAGS;
}

static bool is_alloc(const char *block)
{
    return get(block) & ALLOC;
}

static bool prev_is_alloc(const char *block)
{
    return get(block) & PREV_ALLOC;
}

static char *next_block(const char *block)
{
    return (char *)block + block_size(block);
}

/* Only valid when the previous block is free: its footer is just before. */
static char *prev_block(const char *block)
{
    return (char *)block - (get(block - WSIZE) & ~(word_t)FLAGS);
}

static char *payload(char *block)
{
    return block + WSIZE;
}

static char *block_of(void *ptr)
{
    return (char *)ptr - WSIZE;
}

static char *epilogue(void)
{
    return (char *)mem_heap_hi() + 1 - WSIZE;
}

static void set_prev_alloc(char *block, bool alloc)
{
    word_t h = get(block);
    put(block, alloc ? h | PREV_ALLOC : h & ~(word_t)PREV_ALLOC);
}

/* Writes a free block's header and footer. */
static void write_free(char *block, size_t size, bool prev_alloc)
{
    word_t tag = size | (prev_alloc ? PREV_ALLOC : 0);
    put(block, tag);
    put(block + size - WSIZE, tag);
}

/* --- Free lists. --------------------------------------------------------- */

static char **link_next(char *block)
{
    return (char **)(block + WSIZE);
}

static char **link_prev(char *block)
{
    return (char **)(block + 2 * WSIZE);
}

/* One class per 16 bytes up to EXACT_MAX, then one per power of two:
 * (256, 512] is class 15, (512, 1024] class 16, and so on. */
static int size_class(size_t size)
{
    if (size <= EXACT_MAX)
        return (int)(size / 16) - 2;
    int log2_below = 63 - __builtin_clzll((unsigned long long)(size - 1));
    int c = log2_below + 7;
    return c < NCLASSES ? c : NCLASSES - 1;
}

static void list_insert(char *block)
{
    int c = size_class(block_size(block));
    char **head = &mm.lists[c];
    *link_next(block) = *head;
    *link_prev(block) = NULL;
    if (*head)
        *link_prev(*head) = block;
    *head = block;
    mm.nonempty |= (uint32_t)1 << c;
}

static void list_remove(char *block)
{
    char *next = *link_next(block);
    char *prev = *link_prev(block);
    if (prev) {
        *link_next(prev) = next;
    } else {
        int c = size_class(block_size(block));
        mm.lists[c] = next;
        if (!next)
            mm.nonempty &= ~((uint32_t)1 << c);
    }
    if (next)
        *link_prev(next) = prev;
}

/* The free block @p old, on its list, becomes the free block @p block of
 * @p size bytes (the same block grown or shrunk, or one that replaces it)
 * and gets its tags. When the size class stays the same, @p block takes
 * @p old's place in the list: a split or a merge at the top of the heap,
 * the most common ones, then costs no unlinking and relinking. */
static void list_move(char *old, char *block, size_t size, bool prev_alloc)
{
    int c = size_class(block_size(old));
    if (size_class(size) != c) {
        list_remove(old);
        write_free(block, size, prev_alloc);
        list_insert(block);
        return;
    }
    if (block != old) {
        char *next = *link_next(old);
        char *prev = *link_prev(old);
        *link_next(block) = next;
        *link_prev(block) = prev;
        if (prev)
            *link_next(prev) = block;
        else
            mm.lists[c] = block;
        if (next)
            *link_prev(next) = block;
    }
    write_free(block, size, prev_alloc);
}

/* --- Core. --------------------------------------------------------------- */

/* Merges a free block (header and footer written, on no list) with its
 * free neighbours, puts the result on its list and returns it. */
static char *coalesce(char *block)
{
    char *next = next_block(block);
    bool next_free = !is_alloc(next);
    bool prev_free = !prev_is_alloc(block);
    char *start = prev_free ? prev_block(block) : block;
    size_t size = block_size(block) + (prev_free ? block_size(start) : 0)
                + (next_free ? block_size(next) : 0);

    /* The block before a free block is always allocated. */
    if (prev_free) {
        if (next_free)
            list_remove(next);
        list_move(start, start, size, true);
    } else if (next_free) {
        list_move(next, start, size, true);
    } else {
        write_free(start, size, true);
        list_insert(start);
    }
    set_prev_alloc(next_block(start), false);
    return start;
}

/* Grows the heap so that a free block of at least @p size bytes ends it;
 * returns that block (on its list), or NULL if mem_sbrk() refuses. */
static char *extend_heap(size_t size)
{
    char *old_epilogue = epilogue();
    size_t have = 0;
    if (!prev_is_alloc(old_epilogue))
        have = block_size(prev_block(old_epilogue));
    size_t grow = size - have;
    /* A small block needs a fresh run to share with other small ones
     * (rule 6); a large one takes the top of what it asks for, so the
     * heap grows by just that, or every 2 KiB request would leave a 2 KiB
     * hole below it. */
    if (size <= EXACT_MAX && grow < CHUNK)
        grow = CHUNK;

    if (mem_sbrk((intptr_t)grow) == (void *)-1)
        return NULL;
    /* The new block starts where the epilogue was. */
    write_free(old_epilogue, grow, prev_is_alloc(old_epilogue));
    put(next_block(old_epilogue), ALLOC);
    return coalesce(old_epilogue);
}

/* A free block of at least @p size bytes, or NULL. In the request's own
 * class: the smallest fitting block among the first FIT_LOOK (in a class
 * of one size, the first is exact). Else the first block of the next
 * non-empty class: every block there is larger than any request of this
 * class, and the bitmap finds that class in one instruction
 * (__builtin_ctz, GCC and Clang: the index of the lowest set bit). */
static char *find_fit(size_t size)
{
    int c = size_class(size);
    char *best = NULL;
    int looked = 0;
    for (char *b = mm.lists[c]; b && looked < FIT_LOOK; b = *link_next(b), looked++) {
        size_t have = block_size(b);
        if (have >= size && (!best || have < block_size(best)))
            best = b;
        if (have == size)
            break;
    }
    if (best || c == NCLASSES - 1)
        return best;
    uint32_t larger = mm.nonempty >> (c + 1) << (c + 1);
    return larger ? mm.lists[__builtin_ctz(larger)] : NULL;
}

/* Allocates @p size bytes of the free block @p block (on its list) and
 * returns the allocated block; the rest, if big enough, stays free. */
static char *place(char *block, size_t size)
{
    size_t total = block_size(block);
    size_t rest = total - size;
    bool prev_alloc = prev_is_alloc(block);
    word_t prev_flag = prev_alloc ? PREV_ALLOC : 0;

    if (rest < MIN_BLOCK) {
        list_remove(block);
        put(block, total | ALLOC | prev_flag);
        set_prev_alloc(next_block(block), true);
        return block;
    }
    if (size > EXACT_MAX) {
        /* The free rest stays below; the new block takes the top. */
        char *taken = block + rest;
        list_move(block, block, rest, prev_alloc);
        put(taken, size | ALLOC);
        set_prev_alloc(next_block(taken), true);
        return taken;
    }
    list_move(block, block + size, rest, true);
    put(block, size | ALLOC | prev_flag);
    return block;
}

/* The block size for a request; 0 if the request can never fit. */
static size_t adjusted_size(size_t request)
{
    if (request > MEM_MAX_HEAP)
        return 0; /* also keeps the rounding below from wrapping */
    size_t size = (request + WSIZE + 15) & ~(size_t)15;
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* Cuts an allocated block down to @p size bytes, freeing its tail. */
static void shrink(char *block, size_t size)
{
    size_t rest = block_size(block) - size;
    if (rest < MIN_BLOCK)
        return;
    put(block, size | (get(block) & FLAGS));
    char *tail = block + size;
    write_free(tail, rest, true);
    coalesce(tail);
}

int mm_init(void)
{
    char *start = mem_sbrk(2 * WSIZE);
    if (start == (void *)-1)
        return -ENOMEM;
    memset(&mm, 0, sizeof(mm));
    put(start, 0);                          /* pad */
    put(start + WSIZE, ALLOC | PREV_ALLOC); /* epilogue */
    return 0;
}

void *mm_malloc(size_t size)
{
    size_t asize = adjusted_size(size);
    if (size == 0 || asize == 0)
        return NULL;
    char *block = find_fit(asize);
    if (!block && !(block = extend_heap(asize)))
        return NULL;
    return payload(place(block, asize));
}

void mm_free(void *ptr)
{
    if (!ptr)
        return;
    char *block = block_of(ptr);
    write_free(block, block_size(block), prev_is_alloc(block));
    coalesce(block);
}

void *mm_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return mm_malloc(size);
    if (size == 0) {
        mm_free(ptr);
        return NULL;
    }
    size_t asize = adjusted_size(size);
    if (asize == 0)
        return NULL;

    char *block = block_of(ptr);
    size_t have = block_size(block);
    if (asize <= have) {
        shrink(block, asize);
        return ptr;
    }

    char *next = next_block(block);
    size_t next_free = is_alloc(next) ? 0 : block_size(next);
    char *after = next_free ? next_block(next) : next;
    if (have + next_free >= asize || block_size(after) == 0) {
        /* Grow in place: into the free next block, then past the break. */
        size_t missing = have + next_free >= asize ? 0 : asize - have - next_free;
        if (missing && mem_sbrk((intptr_t)missing) == (void *)-1)
            return NULL;
        if (next_free)
            list_remove(next);
        size_t total = have + next_free + missing;
        put(block, total | (get(block) & FLAGS));
        if (missing)
            put(block + total, ALLOC | PREV_ALLOC); /* new epilogue */
        else
            set_prev_alloc(block + total, true);
        shrink(block, asize);
        return ptr;
    }

    void *moved = mm_malloc(size);
    if (!moved)
        return NULL;
    memcpy(moved, ptr, have - WSIZE);
    mm_free(ptr);
    return moved;
}

/* --- The checker. -------------------------------------------------------- */

static bool complain(const char *what, const void *where)
{
    fprintf(stderr, "mm_check: %s (block %p)\n", what, where);
    return false;
}

/* Walks the heap block by block; counts free blocks into *free_count. */
static bool check_blocks(size_t *free_count)
{
    char *lo = mem_heap_lo();
    char *end = epilogue();
    char *block = lo + WSIZE;
    bool prev_alloc = true;

    *free_count = 0;
    while (block < end) {
        size_t size = block_size(block);
        if (size % MM_ALIGNMENT != 0 || size < MIN_BLOCK)
            return complain("size not a multiple of 16 or below 32", block);
        if (size > (size_t)(end - block))
            return complain("block runs past the end of the heap", block);
        if ((uintptr_t)payload(block) % MM_ALIGNMENT != 0)
            return complain("payload not aligned", block);
        if (prev_is_alloc(block) != prev_alloc)
            return complain("PREV_ALLOC bit disagrees with the block before",
                            block);
        if (!is_alloc(block)) {
            if (get(block) != get(block + size - WSIZE))
                return complain("footer differs from header", block);
            if (!prev_alloc)
                return complain("two adjacent free blocks", block);
            ++*free_count;
        }
        prev_alloc = is_alloc(block);
        block += size;
    }
    if (block != end || block_size(end) != 0 || !is_alloc(end))
        return complain("blocks do not end at the epilogue", block);
    if (prev_is_alloc(end) != prev_alloc)
        return complain("epilogue's PREV_ALLOC bit is wrong", end);
    return true;
}

/* Follows every free list; counts their blocks into *listed. */
static bool check_lists(size_t free_count, size_t *listed)
{
    char *lo = mem_heap_lo();
    char *end = epilogue();

    *listed = 0;
    for (int c = 0; c < NCLASSES; c++) {
        if (!(mm.nonempty >> c & 1) != !mm.lists[c])
            return complain("bitmap of non-empty lists is wrong", mm.lists[c]);
        char *prev = NULL;
        for (char *b = mm.lists[c]; b; prev = b, b = *link_next(b)) {
            if (b < lo + WSIZE || b >= end)
                return complain("free list points outside the heap", b);
            if (is_alloc(b))
                return complain("allocated block on a free list", b);
            if (size_class(block_size(b)) != c)
                return complain("free block on the wrong list", b);
            if (*link_prev(b) != prev)
                return complain("free list back link is wrong", b);
            if (++*listed > free_count)
                return complain("free lists hold more blocks than the heap "
                                "(a cycle?)", b);
        }
    }
    return true;
}

bool mm_check(void)
{
    size_t free_count = 0;
    size_t listed = 0;
    if (!check_blocks(&free_count) || !check_lists(free_count, &listed))
        return false;
    if (listed != free_count)
        return complain("a free block is on no list", NULL);
    return true;
}
