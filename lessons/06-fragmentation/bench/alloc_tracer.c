/*
 * alloc_tracer: records a program's heap calls as a malloc-lab trace.
 *
 * Built as a shared object and loaded with LD_PRELOAD (bench/record.sh does
 * both), it stands in for malloc, calloc, realloc, free and the aligned
 * allocators, calls glibc's own (__libc_malloc and friends) and writes one
 * line per call to ALLOC_TRACE_DIR/PID.ops:
 *
 *   a ID SIZE   malloc, calloc, memalign... (and realloc(NULL, SIZE))
 *   r ID SIZE   realloc of block ID
 *   f ID        free of block ID
 *   f -1        free(NULL): a no-op, kept because real programs do it
 *
 * The rules:
 *  1. Every block gets a new ID when it is allocated; realloc keeps it. A
 *     hash table maps live addresses to IDs.
 *  2. A free or realloc of an address the table does not know (allocated
 *     before the tracer started, or in the parent before a fork) is not
 *     recorded: the trace must only free what it allocated.
 *  3. One lock serialises the calls and their lines, so that an address
 *     freed by one thread and reused by another appears in that order.
 *  4. A forked child starts a file of its own with an empty table; a child
 *     that execs loads the tracer afresh. fork() takes the lock first, so
 *     that a child never starts with it held by a thread it does not have.
 *  5. Nothing here calls malloc: numbers are formatted by hand, lines
 *     go out with write(2) from a static buffer.
 * record.sh adds the 4-line header (ID count, line count) afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void __libc_free(void *ptr);

enum {
    TABLE_BITS = 22,       /* The table holds 2^22 addresses. */
    BUFFER_BYTES = 1 << 16 /* Lines buffered before a write(2). */
};

/** One table slot: a live address and its block's ID. */
struct slot {
    uintptr_t addr; /**< 0 when the slot is empty. */
    uint64_t id;    /**< The block's number in the trace. */
};

/* The tracer's state, one per process. */
static struct {
    atomic_flag lock;          /* Held during a call and its line. */
    pid_t pid;                 /* Process the file and table belong to. */
    int fd;                    /* The .ops file; -1 if tracing is off. */
    struct slot *table;        /* 2^TABLE_BITS slots, mmap()ed. */
    size_t live;               /* Occupied slots. */
    uint64_t next_id;          /* ID of the next new block. */
    size_t used;               /* Bytes in buffer. */
    char buffer[BUFFER_BYTES]; /* Lines not yet written. */
} tr = { .lock = ATOMIC_FLAG_INIT, .fd = -1 };

static void lock(void)
{
    while (atomic_flag_test_and_set_explicit(&tr.lock, memory_order_acquire))
        ;
}

static void unlock(void)
{
    atomic_flag_clear_explicit(&tr.lock, memory_order_release);
}

static void flush(void)
{
    for (size_t done = 0; done < tr.used;) {
        ssize_t n = write(tr.fd, tr.buffer + done, tr.used - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    tr.used = 0;
}

/* Appends the decimal digits of @p v. */
static void put_number(uint64_t v)
{
    char digits[24];
    int n = 0;
    do
        digits[n++] = (char)('0' + v % 10);
    while (v /= 10);
    while (n > 0)
        tr.buffer[tr.used++] = digits[--n];
}

/* Writes one line: KIND, then ID (or -1), then SIZE when @p with_size. */
static void line(char kind, bool null, uint64_t id, bool with_size, size_t size)
{
    if (tr.used > BUFFER_BYTES - 64)
        flush();
    tr.buffer[tr.used++] = kind;
    tr.buffer[tr.used++] = ' ';
    if (null) {
        tr.buffer[tr.used++] = '-';
        tr.buffer[tr.used++] = '1';
    } else {
        put_number(id);
    }
    if (with_size) {
        tr.buffer[tr.used++] = ' ';
        put_number(size);
    }
    tr.buffer[tr.used++] = '\n';
}

/* Opens this process's file and table the first time it calls, and again
 * in a forked child. Returns false when tracing is off. */
static bool ready(void)
{
    pid_t pid = getpid();
    if (pid == tr.pid)
        return tr.fd >= 0;
    if (tr.fd >= 0)
        close(tr.fd); /* the parent's: its buffered lines are the parent's */
    tr.pid = pid;
    tr.fd = -1;
    tr.used = 0;
    tr.live = 0;
    tr.next_id = 0;
    const char *dir = getenv("ALLOC_TRACE_DIR");
    if (!dir || strlen(dir) > 4000)
        return false;
    size_t bytes = sizeof(struct slot) << TABLE_BITS;
    if (tr.table)
        munmap(tr.table, bytes);
    tr.table = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (tr.table == MAP_FAILED) {
        tr.table = NULL;
        return false;
    }
    char path[4096 + 32];
    size_t len = strlen(dir);
    memcpy(path, dir, len);
    memcpy(path + len, "/", 1);
    tr.used = 0;
    put_number((uint64_t)pid);
    memcpy(path + len + 1, tr.buffer, tr.used);
    memcpy(path + len + 1 + tr.used, ".ops", 5);
    tr.used = 0;
    tr.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return tr.fd >= 0;
}

static size_t slot_of(uintptr_t addr)
{
    return (size_t)((addr >> 4) * 0x9E3779B97F4A7C15ULL >> (64 - TABLE_BITS));
}

/* Remembers a new block; gives up tracing if the table fills. */
static void table_add(void *ptr, uint64_t id)
{
    if (tr.live >= ((size_t)3 << TABLE_BITS) / 4) {
        flush();
        close(tr.fd);
        tr.fd = -1;
        return;
    }
    size_t mask = ((size_t)1 << TABLE_BITS) - 1;
    size_t i = slot_of((uintptr_t)ptr);
    while (tr.table[i].addr)
        i = (i + 1) & mask;
    tr.table[i] = (struct slot){ (uintptr_t)ptr, id };
    tr.live++;
}

/* Forgets a block; returns false if @p ptr was not known. Linear probing
 * with backward-shift deletion: no tombstones. */
static bool table_take(void *ptr, uint64_t *id)
{
    size_t mask = ((size_t)1 << TABLE_BITS) - 1;
    size_t i = slot_of((uintptr_t)ptr);
    while (tr.table[i].addr != (uintptr_t)ptr) {
        if (!tr.table[i].addr)
            return false;
        i = (i + 1) & mask;
    }
    *id = tr.table[i].id;
    tr.live--;
    for (size_t j = (i + 1) & mask; tr.table[j].addr; j = (j + 1) & mask) {
        size_t home = slot_of(tr.table[j].addr);
        /* Slot j may move to the hole at i if its home is not in (i, j]. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            tr.table[i] = tr.table[j];
            i = j;
        }
    }
    tr.table[i].addr = 0;
    return true;
}

/* Records a new block of @p size bytes at @p ptr (NULL: nothing). */
static void record_alloc(void *ptr, size_t size)
{
    if (!ptr || !ready())
        return;
    uint64_t id = tr.next_id++;
    line('a', false, id, true, size);
    table_add(ptr, id);
}

void *malloc(size_t size)
{
    lock();
    void *p = __libc_malloc(size);
    record_alloc(p, size);
    unlock();
    return p;
}

void *calloc(size_t n, size_t size)
{
    lock();
    void *p = __libc_calloc(n, size);
    record_alloc(p, n * size); /* calloc checked the product */
    unlock();
    return p;
}

void free(void *ptr)
{
    lock();
    uint64_t id;
    if (ready()) {
        if (!ptr)
            line('f', true, 0, false, 0);
        else if (table_take(ptr, &id))
            line('f', false, id, false, 0);
    }
    __libc_free(ptr);
    unlock();
}

void *realloc(void *ptr, size_t size)
{
    lock();
    void *p = __libc_realloc(ptr, size);
    uint64_t id;
    if (!ptr) {
        record_alloc(p, size);
    } else if (ready() && (p || size == 0)) {
        /* Failed: ptr is still live and unchanged; nothing to record. */
        if (table_take(ptr, &id)) {
            if (p) {
                line('r', false, id, true, size);
                table_add(p, id);
            } else {
                line('f', false, id, false, 0); /* realloc(p, 0) freed p */
            }
        } else {
            record_alloc(p, size); /* an unknown block: new to the trace */
        }
    }
    unlock();
    return p;
}

void *memalign(size_t alignment, size_t size)
{
    lock();
    void *p = __libc_memalign(alignment, size);
    record_alloc(p, size);
    unlock();
    return p;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    return memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void *p = memalign(alignment, size);
    if (!p && size != 0)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t size)
{
    return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

__attribute__((constructor)) static void tracer_start(void)
{
    pthread_atfork(lock, unlock, unlock); /* parent and child both unlock */
}

/* Writes what is buffered when the process exits normally. */
__attribute__((destructor)) static void tracer_done(void)
{
    lock();
    if (tr.fd >= 0 && tr.pid == getpid())
        flush();
    unlock();
}
