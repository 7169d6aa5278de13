/*
 * growth.c: what a growth policy costs.
 *
 * Pushes 200,000 ints into a growable array under two policies: doubling
 * the capacity when it is full, or adding a fixed 1024 elements. Each
 * policy runs twice: with realloc, and with "malloc a new block, copy,
 * free the old one", which is what realloc must do when it cannot grow a
 * block where it is.
 *
 * For each policy it prints how many times the array grew, how many
 * elements a growth may have to copy per push (the length at each
 * growth, summed, divided by the pushes), how many times realloc really
 * moved the block, and the CPU time of both runs.
 *
 * Then it times the "always copying" runs of both policies ROUNDS more
 * times and prints the range of the ratio: timings vary from run to run,
 * so the lesson quotes a range, not one number.
 *
 * Exits 1 if doubling copies 2 or more elements per push in the worst
 * case (the amortised bound the lesson states), if the fixed step does
 * not copy at least ten times more, or if, over all the rounds, it is not
 * at least 1.5 times slower. (All rounds together, CPU time: one round of
 * doubling lasts milliseconds, and on a busy machine a single round can
 * lose its cache to another process; the sum cannot be fooled that way.)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PUSHES 200000
#define ROUNDS 7

struct cost {
    size_t grows;   /* times the array grew */
    size_t copies;  /* sum of the lengths at each growth: worst case */
    size_t moves;   /* growths whose block changed address */
    double seconds; /* CPU time for all the pushes */
};

/* Returns a block of new_cap ints holding the len ints of items, which it
 * frees; NULL if out of memory (items is then still valid). */
static int *grow(int *items, size_t len, size_t new_cap, bool use_realloc)
{
    if (use_realloc)
        return realloc(items, new_cap * sizeof *items);

    int *grown = malloc(new_cap * sizeof *grown);
    if (grown) {
        if (len > 0)
            memcpy(grown, items, len * sizeof *items);
        free(items);
    }
    return grown;
}

/* Pushes PUSHES ints; returns the cost, with grows == 0 if out of memory. */
static struct cost push_all(bool doubling, bool use_realloc)
{
    struct cost cost = { 0, 0, 0, 0.0 };
    int *items = NULL;
    size_t len = 0;
    size_t cap = 0;
    clock_t start = clock();

    for (int i = 0; i < PUSHES; i++) {
        if (len == cap) {
            size_t new_cap = doubling ? (cap ? 2 * cap : 8) : cap + 1024;
            int *grown = grow(items, len, new_cap, use_realloc);

            if (!grown) {
                free(items);
                return (struct cost){ 0, 0, 0, 0.0 };
            }
            cost.grows++;
            cost.copies += len;
            cost.moves += items != NULL && grown != items;
            items = grown;
            cap = new_cap;
        }
        items[len++] = i;
    }
    cost.seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    free(items);
    return cost;
}

int main(void)
{
    static const struct {
        const char *name;
        bool doubling;
    } policies[] = { { "doubling", true }, { "+1024", false } };
    double copies_per_push[2];

    printf("%d pushes  grows  copies/push  realloc moved  "
           "time: realloc  always copying\n", PUSHES);
    for (int p = 0; p < 2; p++) {
        struct cost with_realloc = push_all(policies[p].doubling, true);
        struct cost copying = push_all(policies[p].doubling, false);

        if (with_realloc.grows == 0 || copying.grows == 0)
            return 1;
        copies_per_push[p] = (double)with_realloc.copies / PUSHES;
        printf("%-14s %5zu  %11.2f  %13zu  %12.4fs  %13.4fs\n",
               policies[p].name, with_realloc.grows, copies_per_push[p],
               with_realloc.moves, with_realloc.seconds, copying.seconds);
    }
    if (copies_per_push[0] >= 2.0
        || copies_per_push[1] < 10 * copies_per_push[0]) {
        puts("CONTRADICTS THE LESSON: the copy counts");
        return 1;
    }

    double low = 0.0, high = 0.0, fixed_total = 0.0, doubling_total = 0.0;
    for (int round = 0; round < ROUNDS; round++) {
        struct cost doubling = push_all(true, false);
        struct cost fixed = push_all(false, false);

        if (doubling.grows == 0 || fixed.grows == 0 || doubling.seconds <= 0.0)
            return 1;
        double ratio = fixed.seconds / doubling.seconds;
        fixed_total += fixed.seconds;
        doubling_total += doubling.seconds;
        low = round == 0 || ratio < low ? ratio : low;
        high = round == 0 || ratio > high ? ratio : high;
    }
    printf("always copying, +1024 against doubling, %d rounds: %.1f to %.1f times slower, "
           "%.1f in all\n", ROUNDS, low, high, fixed_total / doubling_total);
    if (fixed_total < 1.5 * doubling_total) {
        puts("CONTRADICTS THE LESSON: the fixed step is not clearly slower");
        return 1;
    }
    return 0;
}
