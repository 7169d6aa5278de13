/*
 * bench-alloc: replays malloc-lab traces against the course's reference mm
 * and against glibc malloc, in the same run.
 *
 * Usage: replay [--title TEXT] [--map] TRACE...
 *        replay --only mm|glibc --repeat N TRACE...
 *
 * A trace is the malloc lab's format: 4 header numbers (suggested heap,
 * ids, operations, weight), then "a ID SIZE", "r ID SIZE", "f ID" lines.
 * "f -1" is free(NULL), which recorded programs do: a no-op.
 *
 * With --map, each trace's heap is also drawn (by the reference heapmap) at
 * its peak of live bytes: one letter per size of request (a up to 64
 * bytes, b up to 256, c up to 1 KiB, d up to 4 KiB, e above), '-' free.
 *
 * For each trace:
 *  1. A checked replay through mm: every payload is filled with a pattern
 *     and verified before it is freed or resized, and must lie inside the
 *     heap, 16-aligned. It measures utilization: peak live payload (bytes
 *     requested and not yet freed) over the final heap size (the break
 *     never moves down, so that is the peak heap).
 *  2. Timed replays through mm and through malloc()/realloc()/free(), with
 *     no data written, as the malloc lab's driver times them: after one
 *     untimed warm-up each, ROUNDS alternating batches of each allocator,
 *     each batch at least MIN_SECONDS of CPU time; each allocator's best
 *     batch counts, so that a busy machine disturbs the ratio less.
 *
 * Like with like: neither allocator gives memory back to the kernel while
 * it is timed. mm's simulated heap keeps its pages when it is emptied
 * between replays; glibc is told the same (mallopt: no trimming of the top
 * of the heap, no mmap for large blocks), or every replay that frees
 * everything would hand its heap back and fault it in again on the next,
 * and that kernel time would be charged to glibc alone.
 *
 * The last line is exactly "mean utilization U%, throughput T.TTx glibc",
 * for scripts: U is the mean of the traces' utilizations, T the ratio of
 * mm's to glibc's operations per second over all traces.
 *
 * --only replays every trace N times through one allocator, the same way
 * but untimed, so that the two can be timed as whole processes by an
 * outside tool (/usr/bin/time, perf stat).
 */
#define _GNU_SOURCE
#include "heapmap.h"
#include "memlib.h"
#include "mm.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_SECONDS 0.01 /* CPU seconds a timed batch lasts at least */
#define MAP_WIDTH 96       /* characters in a --map drawing */
#define ROUNDS 5          /* timed batches of each allocator per trace */

/** The id of "f -1": free(NULL). */
#define NULL_ID SIZE_MAX

/** What one trace line does. */
enum op_kind { OP_ALLOC, OP_REALLOC, OP_FREE };

/** One trace line. */
struct op {
    enum op_kind kind; /**< a, r or f. */
    size_t id;         /**< The block's number in the trace. */
    size_t size;       /**< Bytes asked for (not for OP_FREE). */
};

/** A whole trace, in memory. */
struct trace {
    struct op *ops; /**< n_ops operations, owned. */
    size_t n_ops;   /**< Operations in the trace. */
    size_t n_ids;   /**< Block slots: the trace's ids, plus one that no
                         operation fills, which "f -1" frees (NULL). */
};

/** The functions a timed replay calls: mm's or glibc's. */
struct allocator {
    const char *name;                 /**< For messages. */
    int (*init)(void);                /**< Starts an empty heap; 0 on success. */
    void *(*malloc)(size_t);          /**< malloc() or mm_malloc(). */
    void *(*realloc)(void *, size_t); /**< realloc() or mm_realloc(). */
    void (*free)(void *);             /**< free() or mm_free(). */
};

static int mm_reset(void)
{
    if (mem_init() != 0)
        return -ENOMEM;
    return mm_init();
}

static int glibc_init(void)
{
    return 0;
}

static const struct allocator use_mm = { "mm", mm_reset, mm_malloc, mm_realloc, mm_free };
static const struct allocator use_glibc = { "glibc", glibc_init, malloc, realloc, free };

static void trace_done(struct trace *t)
{
    free(t->ops);
    *t = (struct trace){ 0 };
}

/* Reads a trace file. Returns 0, or -1 after printing why. */
static int trace_load(const char *path, struct trace *out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench-alloc: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t heap_hint, n_ids, n_ops, weight;
    struct trace t = { 0 };
    int err = -1;
    if (fscanf(f, "%zu %zu %zu %zu", &heap_hint, &n_ids, &n_ops, &weight) != 4
        || n_ops > SIZE_MAX / sizeof(*t.ops) || n_ids >= SIZE_MAX / sizeof(void *)) {
        fprintf(stderr, "bench-alloc: %s: not a malloc-lab trace (4 header "
                "numbers expected)\n", path);
        goto out_close;
    }
    t.ops = malloc((n_ops ? n_ops : 1) * sizeof(*t.ops));
    if (!t.ops)
        goto out_close;
    char kind[2];
    for (t.n_ops = 0; t.n_ops < n_ops && fscanf(f, "%1s", kind) == 1; t.n_ops++) {
        struct op *op = &t.ops[t.n_ops];
        long long id = -2;
        int got = 0;
        if (kind[0] == 'a' || kind[0] == 'r') {
            op->kind = kind[0] == 'a' ? OP_ALLOC : OP_REALLOC;
            got = fscanf(f, "%lld %zu", &id, &op->size) == 2 && id >= 0;
        } else if (kind[0] == 'f') {
            op->kind = OP_FREE;
            got = fscanf(f, "%lld", &id) == 1 && id >= -1;
        }
        if (!got || (id >= 0 && (unsigned long long)id >= n_ids)) {
            fprintf(stderr, "bench-alloc: %s: bad operation %zu\n", path, t.n_ops + 1);
            goto out_free;
        }
        /* free(NULL) frees the slot past the last id, which stays NULL. */
        op->id = id == -1 ? n_ids : (size_t)id;
    }
    if (t.n_ops != n_ops) {
        fprintf(stderr, "bench-alloc: %s: %zu operations announced, %zu found\n",
                path, n_ops, t.n_ops);
        goto out_free;
    }
    t.n_ids = n_ids + 1;
    *out = t;
    t.ops = NULL;
    err = 0;
out_free:
    free(t.ops);
out_close:
    fclose(f);
    return err;
}

static unsigned char pattern(size_t id, size_t i)
{
    return (unsigned char)(id * 131 + i * 7 + 1);
}

static bool payload_intact(const unsigned char *p, size_t id, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != pattern(id, i))
            return false;
    return true;
}

/* Checked replay through mm. Returns the utilization in [0, 1], or -1
 * after printing what went wrong; *peak_op is the operation after which
 * the live bytes peaked. */
static double replay_checked(const char *name, const struct trace *t, size_t *peak_op)
{
    unsigned char **blocks = calloc(t->n_ids, sizeof(*blocks));
    size_t *sizes = calloc(t->n_ids, sizeof(*sizes));
    double util = -1;
    if (!blocks || !sizes || mm_reset() != 0)
        goto out;

    size_t live = 0, peak = 0;
    for (size_t i = 0; i < t->n_ops; i++) {
        const struct op *op = &t->ops[i];
        unsigned char *old = blocks[op->id];
        if (op->kind != OP_ALLOC && old && !payload_intact(old, op->id, sizes[op->id])) {
            fprintf(stderr, "bench-alloc: %s: op %zu: block %zu was overwritten\n",
                    name, i + 1, op->id);
            goto out;
        }
        if (op->kind == OP_FREE) {
            mm_free(old);
            live -= sizes[op->id];
            blocks[op->id] = NULL;
            sizes[op->id] = 0;
            continue;
        }
        unsigned char *p = op->kind == OP_ALLOC ? mm_malloc(op->size)
                                                : mm_realloc(old, op->size);
        if (!p && op->size != 0) {
            fprintf(stderr, "bench-alloc: %s: op %zu: mm ran out of memory\n", name, i + 1);
            goto out;
        }
        char *lo = mem_heap_lo(), *hi = mem_heap_hi();
        if (p && ((char *)p < lo || (char *)p + op->size - 1 > hi
                  || (uintptr_t)p % MM_ALIGNMENT != 0)) {
            fprintf(stderr, "bench-alloc: %s: op %zu: block outside the heap or "
                    "misaligned\n", name, i + 1);
            goto out;
        }
        size_t kept = op->kind == OP_REALLOC && sizes[op->id] < op->size ? sizes[op->id]
                                                                         : op->size;
        if (op->kind == OP_REALLOC && p && !payload_intact(p, op->id, kept)) {
            fprintf(stderr, "bench-alloc: %s: op %zu: realloc lost data\n", name, i + 1);
            goto out;
        }
        for (size_t b = 0; p && b < op->size; b++)
            p[b] = pattern(op->id, b);
        live = live - sizes[op->id] + op->size;
        if (live > peak) {
            peak = live;
            *peak_op = i;
        }
        blocks[op->id] = p;
        sizes[op->id] = op->size;
    }
    for (size_t id = 0; id < t->n_ids; id++)
        mm_free(blocks[id]);
    util = mem_heapsize() ? (double)peak / (double)mem_heapsize() : 1.0;
out:
    free(blocks);
    free(sizes);
    return util;
}

static int by_offset(const void *a, const void *b)
{
    size_t x = ((const struct heapmap_block *)a)->offset;
    size_t y = ((const struct heapmap_block *)b)->offset;
    return (x > y) - (x < y);
}

static char size_letter(size_t size)
{
    return size <= 64 ? 'a' : size <= 256 ? 'b' : size <= 1024 ? 'c' : size <= 4096 ? 'd' : 'e';
}

/* Replays @p t through mm up to operation @p last and draws the heap. */
static void draw_at(const struct trace *t, size_t last)
{
    char **blocks = calloc(t->n_ids, sizeof(*blocks));
    size_t *sizes = calloc(t->n_ids, sizeof(*sizes));
    struct heapmap_block *live = calloc(t->n_ids, sizeof(*live));
    char map[MAP_WIDTH + 64];
    if (!blocks || !sizes || !live || mm_reset() != 0)
        goto out;
    for (size_t i = 0; i <= last && i < t->n_ops; i++) {
        const struct op *op = &t->ops[i];
        if (op->kind == OP_FREE) {
            mm_free(blocks[op->id]);
            blocks[op->id] = NULL;
        } else {
            blocks[op->id] = op->kind == OP_ALLOC ? mm_malloc(op->size)
                                                  : mm_realloc(blocks[op->id], op->size);
            sizes[op->id] = op->size;
        }
    }
    size_t count = 0;
    char *lo = mem_heap_lo();
    for (size_t id = 0; id < t->n_ids; id++)
        if (blocks[id] && sizes[id])
            live[count++] = (struct heapmap_block){ (size_t)(blocks[id] - lo), sizes[id],
                                                    size_letter(sizes[id]) };
    qsort(live, count, sizeof(*live), by_offset);
    if (heapmap_draw(map, sizeof(map), mem_heapsize(), live, count, MAP_WIDTH) >= 0)
        printf("  %s\n", map);
out:
    free(blocks);
    free(sizes);
    free(live);
}

/* CPU time of this process: other programs running on the machine do not
 * count against either allocator. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One unchecked replay; returns false if the allocator failed. */
static bool replay_once(const struct allocator *a, const struct trace *t, void **blocks)
{
    if (a->init() != 0)
        return false;
    memset(blocks, 0, t->n_ids * sizeof(*blocks));
    bool ok = true;
    for (size_t i = 0; i < t->n_ops; i++) {
        const struct op *op = &t->ops[i];
        switch (op->kind) {
        case OP_ALLOC:
            ok &= (blocks[op->id] = a->malloc(op->size)) != NULL || op->size == 0;
            break;
        case OP_REALLOC: {
            void *p = a->realloc(blocks[op->id], op->size);
            ok &= p != NULL || op->size == 0;
            if (p || op->size == 0)
                blocks[op->id] = p;
            break;
        }
        case OP_FREE:
            a->free(blocks[op->id]);
            blocks[op->id] = NULL;
            break;
        }
    }
    for (size_t id = 0; id < t->n_ids; id++)
        a->free(blocks[id]);
    return ok;
}

/* Operations per second of @p a on @p t over one batch of replays that
 * lasts at least MIN_SECONDS; 0 if the allocator failed. */
static double batch_rate(const struct allocator *a, const struct trace *t, void **blocks)
{
    size_t runs = 0;
    double start = now(), elapsed;
    do {
        if (!replay_once(a, t, blocks))
            return 0;
        runs++;
    } while ((elapsed = now() - start) < MIN_SECONDS);
    return (double)(runs * t->n_ops) / elapsed;
}

/* Times both allocators on @p t in alternating batches, ROUNDS of each,
 * and keeps each one's best rate: the least disturbed measurement. */
static int time_both(const struct trace *t, double *mm_rate, double *glibc_rate)
{
    void **blocks = calloc(t->n_ids, sizeof(*blocks));
    int err = -1;
    *mm_rate = *glibc_rate = 0;
    if (!blocks || !replay_once(&use_mm, t, blocks) || !replay_once(&use_glibc, t, blocks))
        goto out;
    for (int round = 0; round < ROUNDS; round++) {
        double mm = batch_rate(&use_mm, t, blocks);
        double glibc = batch_rate(&use_glibc, t, blocks);
        if (mm == 0 || glibc == 0)
            goto out;
        *mm_rate = mm > *mm_rate ? mm : *mm_rate;
        *glibc_rate = glibc > *glibc_rate ? glibc : *glibc_rate;
    }
    err = 0;
out:
    free(blocks);
    return err;
}

/* Keeps glibc's heap as mm's is kept: see "Like with like" above. */
static int glibc_keep_memory(void)
{
    if (mallopt(M_TRIM_THRESHOLD, INT_MAX) != 1 || mallopt(M_MMAP_MAX, 0) != 1) {
        fprintf(stderr, "bench-alloc: mallopt refused\n");
        return -1;
    }
    return 0;
}

/* --only: every trace @p repeat times through one allocator. */
static int replay_only(const struct allocator *a, long repeat, char **paths, int n)
{
    int status = 0;
    for (int i = 0; i < n; i++) {
        struct trace t;
        void **blocks = NULL;
        if (trace_load(paths[i], &t) != 0 || !(blocks = calloc(t.n_ids, sizeof(*blocks)))) {
            status = 1;
            continue;
        }
        for (long r = 0; r < repeat; r++)
            if (!replay_once(a, &t, blocks)) {
                fprintf(stderr, "bench-alloc: %s: %s failed\n", paths[i], a->name);
                status = 1;
                break;
            }
        free(blocks);
        trace_done(&t);
    }
    return status;
}

/* Checks, measures and times every trace; prints one row each. */
static int replay_all(bool draw, char **paths, int n)
{
    printf("%-22s %8s %7s %12s %12s %7s\n", "trace", "ops", "util", "mm ops/s",
           "glibc ops/s", "ratio");
    double util_sum = 0, util_min = 1, mm_seconds = 0, glibc_seconds = 0;
    size_t total_ops = 0;
    int traces = 0, status = 0;
    for (int i = 0; i < n; i++) {
        const char *name = strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1 : paths[i];
        struct trace t;
        if (trace_load(paths[i], &t) != 0) {
            status = 1;
            continue;
        }
        size_t peak_op = 0;
        double util = replay_checked(name, &t, &peak_op);
        double mm_rate = 0, glibc_rate = 0;
        if (util < 0 || time_both(&t, &mm_rate, &glibc_rate) != 0) {
            fprintf(stderr, "bench-alloc: %s: replay failed\n", name);
            status = 1;
            trace_done(&t);
            continue;
        }
        printf("%-22s %8zu %6.1f%% %12.0f %12.0f %6.2fx\n", name, t.n_ops, 100 * util,
               mm_rate, glibc_rate, mm_rate / glibc_rate);
        if (draw)
            draw_at(&t, peak_op);
        util_sum += util;
        util_min = util < util_min ? util : util_min;
        mm_seconds += (double)t.n_ops / mm_rate;
        glibc_seconds += (double)t.n_ops / glibc_rate;
        total_ops += t.n_ops;
        traces++;
        trace_done(&t);
    }
    if (traces == 0) {
        fprintf(stderr, "bench-alloc: no trace could be replayed\n");
        return 1;
    }
    double mm_total = (double)total_ops / mm_seconds;
    double glibc_total = (double)total_ops / glibc_seconds;
    printf("%-22s %8zu %6.1f%% %12.0f %12.0f %6.2fx\n", "total", total_ops,
           100 * util_sum / traces, mm_total, glibc_total, mm_total / glibc_total);
    printf("lowest utilization %.1f%%\n", 100 * util_min);
    printf("mean utilization %.1f%%, throughput %.2fx glibc\n", 100 * util_sum / traces,
           mm_total / glibc_total);
    return status;
}

static int usage(const char *self)
{
    fprintf(stderr, "usage: %s [--title TEXT] [--map] TRACE...\n"
            "       %s --only mm|glibc --repeat N TRACE...\n", self, self);
    return 2;
}

int main(int argc, char **argv)
{
    const struct allocator *only = NULL;
    long repeat = 0;
    bool draw = false;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--map") == 0) {
            draw = true;
        } else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc) {
            printf("%s\n", argv[++i]);
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            i++;
            only = strcmp(argv[i], "mm") == 0 ? &use_mm
                 : strcmp(argv[i], "glibc") == 0 ? &use_glibc : NULL;
            if (!only)
                return usage(argv[0]);
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = strtol(argv[++i], NULL, 10);
        } else {
            return usage(argv[0]);
        }
    }
    if (i == argc || (only && repeat <= 0) || (!only && repeat))
        return usage(argv[0]);
    if (glibc_keep_memory() != 0)
        return 1;
    return only ? replay_only(only, repeat, argv + i, argc - i)
                : replay_all(draw, argv + i, argc - i);
}
