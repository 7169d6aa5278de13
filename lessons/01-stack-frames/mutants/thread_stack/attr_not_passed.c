/* MUTANT: thread_run sets the size on an attr but passes NULL to pthread_create */
/*
 * thread_stack.c: runs work on a thread with a chosen stack size.
 *
 * The size reaches pthread_create through an attribute object. The new
 * thread gets its own stack of that size (glibc maps it, with a guard page
 * below it) and shares the heap with every other thread. thread_run joins
 * the thread, so the caller's arg outlives it and its result can be handed
 * back.
 */
#define _POSIX_C_SOURCE 200809L
#include "thread_stack.h"

#include <errno.h>
#include <pthread.h>

int thread_run(size_t stack_size, thread_work_fn *work, void *arg, void **result)
{
    if (!work)
        return -EINVAL;

    pthread_attr_t attr;
    int err = pthread_attr_init(&attr);
    if (err)
        return -err;

    pthread_t thread;
    /* POSIX: EINVAL for a size below PTHREAD_STACK_MIN. */
    err = pthread_attr_setstacksize(&attr, stack_size);
    if (!err)
        err = pthread_create(&thread, NULL, work, arg);
    pthread_attr_destroy(&attr); /* the new thread does not need it any more */
    if (err)
        return -err;

    void *returned;
    err = pthread_join(thread, &returned);
    if (err)
        return -err;
    if (result)
        *result = returned;
    return 0;
}

int thread_default_stack_size(size_t *size)
{
    if (!size)
        return -EINVAL;

    pthread_attr_t attr;
    int err = pthread_attr_init(&attr);
    if (err)
        return -err;

    size_t bytes;
    err = pthread_attr_getstacksize(&attr, &bytes);
    pthread_attr_destroy(&attr);
    if (err)
        return -err;
    *size = bytes;
    return 0;
}
