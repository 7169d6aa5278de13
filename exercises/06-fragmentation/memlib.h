/**
 * @file memlib.h
 * @brief The simulated heap under mm.c: a fixed region and an sbrk() over it.
 *
 * mm.c gets its memory only from mem_sbrk(), exactly as the CS:APP malloc
 * lab's allocator does. The region is one fixed mapping of MEM_MAX_HEAP
 * bytes; the break starts at its first byte and only moves up:
 *
 * ~~~{.txt}
 *   mem_heap_lo()                mem_heap_hi()    (not yet given out)
 *   v                            v
 *   +----------------------------+---------------------------------+
 *   | bytes given by mem_sbrk()  |  ........ up to MEM_MAX_HEAP   |
 *   +----------------------------+---------------------------------+
 *   <------ mem_heapsize() ------>
 * ~~~
 *
 * Bytes past the break are off limits: under Valgrind any access to them
 * is reported, and natively a page the break has never reached is not
 * mapped for use, so touching it stops the program with SIGSEGV.
 *
 * This file is the course's, not yours: the tests reset the region before
 * every test (mem_reset_brk()) and may lower its limit (mem_set_limit()) to
 * make mem_sbrk() fail. mm.c may call only the first four functions.
 */
#ifndef MEMLIB_H
#define MEMLIB_H

#include <stddef.h>
#include <stdint.h>

/** The most bytes the simulated heap can ever hold: 20 MiB. */
#define MEM_MAX_HEAP ((size_t)20 << 20)

/**
 * @brief Moves the break up by @p incr bytes, as sbrk(2) does.
 *
 * The first byte of the region is aligned to 4096 bytes. New bytes hold
 * whatever was there before: never rely on their value.
 *
 * @param[in] incr Bytes to add; 0 returns the current break.
 * @return The old break: the first new byte. `(void *)-1` with errno
 *         EINVAL if @p incr is negative, or with errno ENOMEM if the heap
 *         would exceed its limit (MEM_MAX_HEAP unless the course lowered
 *         it); the break does not move then.
 */
void *mem_sbrk(intptr_t incr);

/**
 * @brief The first byte of the heap.
 * @return The region's first byte (borrowed: the course owns the region).
 */
void *mem_heap_lo(void);

/**
 * @brief The last byte of the heap.
 * @return The byte just before the break, `mem_heap_lo() - 1` while the heap
 *         is empty (borrowed).
 */
void *mem_heap_hi(void);

/**
 * @brief The heap's size.
 * @return Bytes between mem_heap_lo() and the break.
 */
size_t mem_heapsize(void);

/**
 * @brief Maps the region if needed and empties the heap (course only).
 * @return 0, or -ENOMEM if the region cannot be mapped.
 */
int mem_init(void);

/** @brief Moves the break back to the region's start (course only). */
void mem_reset_brk(void);

/**
 * @brief Caps the heap at @p bytes (course only): mem_sbrk() fails with
 *        ENOMEM beyond it.
 * @param[in] bytes The new limit; values above MEM_MAX_HEAP mean
 *                  MEM_MAX_HEAP.
 */
void mem_set_limit(size_t bytes);

#endif /* MEMLIB_H */
