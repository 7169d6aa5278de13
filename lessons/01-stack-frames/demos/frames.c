/*
 * frames.c: where the frames of main -> outer -> inner sit, and what they hold.
 *
 * Every function prints its frame address (__builtin_frame_address(0), the
 * slot where the caller's frame pointer was saved), the addresses of its
 * argument and its local, the saved frame pointer and the return address.
 * Then main calls inner() directly, to show that a new call reuses the bytes
 * a returned call left behind.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. a deeper frame lies at a lower address (the stack grows down);
 *   2. the saved frame pointer in each frame is the caller's frame address;
 *   3. the slot above it holds the return address;
 *   4. inner() called from main lands where outer()'s frame used to be.
 *
 * Reading the saved slots through the frame address relies on gcc keeping a
 * frame pointer in every function, as it does at -O0.
 *
 * Run: make demo LESSON=01 DEMO=frames
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* What one activation saw of itself. */
struct frame_view {
    uintptr_t frame;       /* __builtin_frame_address(0) */
    uintptr_t saved_fp;    /* the caller's frame pointer, stored at frame */
    uintptr_t saved_ret;   /* the slot just above: where ret will jump */
    uintptr_t return_addr; /* __builtin_return_address(0), for comparison */
    uintptr_t arg;         /* address of the argument's copy in the frame */
    uintptr_t local;       /* address of a local variable */
};

static struct frame_view views[4]; /* [0] main, [1] outer, [2] inner, [3] inner again */

static void print_view(const char *who, const struct frame_view *v)
{
    printf("%-13s frame %#14jx  local %#14jx", who, (uintmax_t)v->frame,
           (uintmax_t)v->local);
    if (v->arg != 0)
        printf("  arg %#14jx", (uintmax_t)v->arg);
    putchar('\n');
    if (v->saved_fp != 0)
        printf("%-13s saved fp %#11jx  return address %#14jx\n", "",
               (uintmax_t)v->saved_fp, (uintmax_t)v->return_addr);
}

/* Fills views[slot]; fp and ret come from the caller's own builtins. */
static void record(int slot, void *const *fp, void *ret, const void *arg,
                   const void *local)
{
    struct frame_view *v = &views[slot];

    v->frame = (uintptr_t)fp;
    v->saved_fp = (uintptr_t)fp[0];
    v->saved_ret = (uintptr_t)fp[1];
    v->return_addr = (uintptr_t)ret;
    v->arg = (uintptr_t)arg;
    v->local = (uintptr_t)local;
}

static __attribute__((noinline)) void inner(int slot)
{
    int local = slot;

    record(slot, __builtin_frame_address(0), __builtin_return_address(0),
           &slot, &local);
}

static __attribute__((noinline)) void outer(int slot)
{
    long local = slot;

    record(slot, __builtin_frame_address(0), __builtin_return_address(0),
           &slot, &local);
    inner(slot + 1);
}

static bool check(bool ok, const char *claim)
{
    if (!ok)
        printf("CONTRADICTS THE LESSON: %s\n", claim);
    return ok;
}

int main(void)
{
    int local = 0;

    views[0].frame = (uintptr_t)__builtin_frame_address(0);
    views[0].local = (uintptr_t)&local;
    outer(1); /* main -> outer -> inner */
    inner(3); /* main -> inner, after outer has returned */

    print_view("main", &views[0]);
    print_view("  outer", &views[1]);
    print_view("    inner", &views[2]);
    print_view("inner again", &views[3]);
    printf("outer's frame address is %ju bytes below main's, "
           "inner's %ju bytes below outer's\n",
           (uintmax_t)(views[0].frame - views[1].frame),
           (uintmax_t)(views[1].frame - views[2].frame));

    bool ok = true;
    ok &= check(views[1].frame < views[0].frame && views[2].frame < views[1].frame,
                "a deeper frame lies at a lower address");
    ok &= check(views[1].saved_fp == views[0].frame && views[2].saved_fp == views[1].frame,
                "each frame stores its caller's frame pointer");
    for (int i = 1; i <= 3; i++)
        ok &= check(views[i].saved_ret == views[i].return_addr,
                    "the return address sits just above the saved frame pointer");
    ok &= check(views[3].frame == views[1].frame,
                "a new call from main reuses the frame outer() left behind");
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
