/*
 * First fit, next fit and best fit on the same trace: how much heap each
 * needs for the same live data.
 *
 * The heap is simulated in 16-byte units, like heapsim but larger: a
 * block takes the low end of the hole the policy picks, freed units join
 * their free neighbours at once, and the heap grows at its end by just
 * what is missing. The trace is random but fixed (same seed each run):
 * 20000 operations, sizes from 1 to 64 units, at most 500 blocks live.
 *
 * Claim checked (Johnstone and Wilson, ISMM 1998, found the same on real
 * program traces): best fit and first fit waste little, next fit wastes
 * clearly more. Exits 1 unless next fit's heap is at least 10% larger
 * than first fit's and best fit's is no larger than first fit's.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { MAX_UNITS = 1 << 20, MAX_LIVE = 500, OPS = 20000 };
enum policy { FIRST_FIT, NEXT_FIT, BEST_FIT };

static unsigned char used[MAX_UNITS]; /* 1 where a unit is allocated */

struct heap {
    size_t size;  /* units in the heap */
    size_t rover; /* where next fit resumes */
};

/* Returns the start of the hole the policy picks, or heap->size if none. */
static size_t find(const struct heap *h, enum policy policy, size_t n)
{
    size_t best = h->size, best_len = SIZE_MAX;
    size_t from = policy == NEXT_FIT ? h->rover : 0;
    for (size_t pass = 0; pass < (policy == NEXT_FIT ? 2u : 1u); pass++) {
        size_t at = pass == 0 ? from : 0, stop = pass == 0 ? h->size : from;
        while (at < stop) {
            if (used[at]) {
                at++;
                continue;
            }
            size_t start = at;
            while (at < h->size && !used[at])
                at++;
            size_t len = at - start;
            if (len < n)
                continue;
            if (policy != BEST_FIT)
                return start;
            if (len < best_len)
                best = start, best_len = len;
        }
    }
    return best;
}

static size_t place(struct heap *h, enum policy policy, size_t n)
{
    size_t at = find(h, policy, n);
    if (at == h->size) { /* grow: the free run at the end counts */
        while (at > 0 && !used[at - 1])
            at--;
        h->size = at + n;
    }
    memset(used + at, 1, n);
    h->rover = at + n;
    return at;
}

static uint32_t next_random(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

/* Replays the trace with one policy; returns the peak heap in units. */
static size_t replay(enum policy policy, size_t *peak_live)
{
    static size_t start[MAX_LIVE], len[MAX_LIVE];
    struct heap h = { 0, 0 };
    uint32_t rng = 2463534242u;
    size_t live = 0, n_live = 0;
    memset(used, 0, sizeof(used));
    *peak_live = 0;
    for (int op = 0; op < OPS; op++) {
        bool alloc = n_live == 0 || (n_live < MAX_LIVE && next_random(&rng) % 2);
        if (alloc) {
            size_t n = next_random(&rng) % 4 ? 1 + next_random(&rng) % 8
                                             : 16 + next_random(&rng) % 49;
            start[n_live] = place(&h, policy, n);
            len[n_live++] = n;
            live += n;
            if (live > *peak_live)
                *peak_live = live;
        } else {
            size_t victim = next_random(&rng) % n_live;
            memset(used + start[victim], 0, len[victim]);
            live -= len[victim];
            start[victim] = start[--n_live];
            len[victim] = len[n_live];
        }
    }
    return h.size;
}

int main(void)
{
    static const char *const names[] = { "first fit", "next fit", "best fit" };
    size_t heap[3];
    for (int p = 0; p < 3; p++) {
        size_t peak_live;
        heap[p] = replay((enum policy)p, &peak_live);
        printf("%-9s  peak live %6zu units  heap %6zu units  utilization %5.1f%%\n",
               names[p], peak_live, heap[p], 100.0 * (double)peak_live / (double)heap[p]);
    }
    bool ok = heap[NEXT_FIT] * 10 >= heap[FIRST_FIT] * 11 && heap[BEST_FIT] <= heap[FIRST_FIT];
    return ok ? 0 : 1;
}
