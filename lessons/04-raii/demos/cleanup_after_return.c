/*
 * cleanup_after_return.c: a return value is computed before the cleanups
 * of the scope run.
 *
 * 1. `return -errno;` with a cleanup that changes errno: the caller still
 *    gets the error of the call before the return.
 * 2. `return TAKE_PTR(p);`: the value is taken before p's cleanup runs,
 *    which then finds NULL.
 * 3. The POSIX style, return -1 and leave the error in errno: the caller
 *    reads errno after the cleanups ran, so a cleanup that does not keep
 *    errno replaces the error. This is why closep() saves and restores it.
 *
 * Exits 1 if what is observed differs from what the lesson says.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* A cleanup that clobbers errno, as close() can when it fails. */
static void clobber_errno(int *unused)
{
    (void)unused;
    errno = EBADF;
}

static int freed; /* how many blocks freep freed */

static void freep(void *p)
{
    void **slot = p;
    if (*slot)
        freed++;
    free(*slot);
}

static void *take_ptr(void *p)
{
    void **slot = p;
    void *taken = *slot;
    *slot = NULL;
    return taken;
}

static int negative_errno_style(void)
{
    _cleanup_(clobber_errno) int guard = 0;
    errno = ENOENT; /* the error being reported */
    return -errno;  /* computed now, before clobber_errno runs */
}

static char *take_style(void)
{
    _cleanup_(freep) char *p = malloc(16);
    return take_ptr(&p); /* p is NULL when freep runs */
}

static int posix_style(void)
{
    _cleanup_(clobber_errno) int guard = 0;
    errno = ENOENT;
    return -1; /* the caller reads errno after clobber_errno ran */
}

int main(void)
{
    int err = negative_errno_style();
    char *taken = take_style();
    int blocks_freed = freed;
    int result = posix_style();
    int seen = errno;

    printf("return -errno:        caller gets %s\n", err == -ENOENT ? "-ENOENT (kept)" : "another error");
    printf("return TAKE_PTR(p):   %s, %d block freed by the cleanup\n",
           taken ? "pointer returned" : "NULL returned", blocks_freed);
    printf("return -1 and errno:  caller reads %s\n",
           seen == ENOENT ? "ENOENT (kept)" : "EBADF (the cleanup's)");
    free(taken);
    if (err != -ENOENT || !taken || blocks_freed != 0 || result != -1 || seen != EBADF) {
        puts("unexpected: see the lesson's section on TAKE_PTR and TAKE_FD");
        return 1;
    }
    return 0;
}
