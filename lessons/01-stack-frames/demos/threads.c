/*
 * threads.c: one stack per thread, one heap for all of them.
 *
 * main starts two threads. Each thread (main included) finds its own stack's
 * bounds with pthread_getattr_np and prints them with the address of one of
 * its locals. Thread 1 writes into a block that main allocated; thread 2
 * allocates a block that main reads and frees.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. each thread's local lies inside its own stack and inside no other;
 *   2. the three stacks do not overlap;
 *   3. a heap block written by one thread is read by another, and a block
 *      allocated by one thread is freed by another.
 *
 * Run: make demo LESSON=01 DEMO=threads
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* What one thread saw of its own stack. */
struct stack_view {
    uintptr_t low;   /* lowest address of the stack */
    uintptr_t high;  /* one past its highest address */
    size_t guard;    /* bytes of guard area below low */
    uintptr_t local; /* address of a local variable of the thread */
};

struct worker {
    struct stack_view view; /* filled by the thread */
    int *shared;            /* thread 1: a block main allocated */
    int *made;              /* thread 2: a block the thread allocated */
};

/* Fills *view with the calling thread's stack bounds. Returns 0 or an error. */
static int view_own_stack(struct stack_view *view, const void *local)
{
    pthread_attr_t attr;
    void *low;
    size_t size;
    int err = pthread_getattr_np(pthread_self(), &attr);

    if (err != 0)
        return err;
    err = pthread_attr_getstack(&attr, &low, &size);
    if (err == 0)
        err = pthread_attr_getguardsize(&attr, &view->guard);
    pthread_attr_destroy(&attr);
    view->low = (uintptr_t)low;
    view->high = (uintptr_t)low + size;
    view->local = (uintptr_t)local;
    return err;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    int local = 0;

    if (view_own_stack(&w->view, &local) != 0)
        return NULL;
    if (w->shared) {
        *w->shared = 42;
    } else {
        w->made = malloc(sizeof *w->made);
        if (w->made)
            *w->made = 7;
    }
    return w;
}

static bool inside(uintptr_t addr, const struct stack_view *v)
{
    return v->low <= addr && addr < v->high;
}

static bool overlap(const struct stack_view *a, const struct stack_view *b)
{
    return a->low < b->high && b->low < a->high;
}

static void print_view(const char *who, const struct stack_view *v)
{
    printf("%-9s stack %#14jx..%#14jx (%5ju KiB, guard %ju bytes)  local %#14jx\n",
           who, (uintmax_t)v->low, (uintmax_t)v->high,
           (uintmax_t)(v->high - v->low) / 1024, (uintmax_t)v->guard,
           (uintmax_t)v->local);
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
    struct stack_view main_view;
    int *shared = malloc(sizeof *shared);
    struct worker w[2] = { { .shared = shared }, { .shared = NULL } };
    pthread_t tid[2];

    if (!shared || view_own_stack(&main_view, &local) != 0)
        return EXIT_FAILURE;
    *shared = 0;
    for (int i = 0; i < 2; i++)
        if (pthread_create(&tid[i], NULL, work, &w[i]) != 0)
            return EXIT_FAILURE;
    for (int i = 0; i < 2; i++)
        if (pthread_join(tid[i], NULL) != 0)
            return EXIT_FAILURE;

    print_view("main", &main_view);
    print_view("thread 1", &w[0].view);
    print_view("thread 2", &w[1].view);
    printf("heap block allocated by main     at %p: thread 1 stored %d in it\n",
           (void *)shared, *shared);
    printf("heap block allocated by thread 2 at %p: main reads %d from it\n",
           (void *)w[1].made, w[1].made ? *w[1].made : -1);

    bool ok = true;
    const struct stack_view *views[] = { &main_view, &w[0].view, &w[1].view };
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            ok &= check(inside(views[i]->local, views[j]) == (i == j),
                        "a thread's locals live on its own stack only");
            if (i < j)
                ok &= check(!overlap(views[i], views[j]),
                            "thread stacks are separate memory");
        }
    }
    ok &= check(*shared == 42, "all threads share one heap");
    ok &= check(w[1].made && *w[1].made == 7, "all threads share one heap");
    free(w[1].made); /* allocated by thread 2, freed by main: one heap */
    free(shared);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
