/*
 * skip_cleanup.c: what does not run a cleanup: longjmp(), exit(), a
 * cancelled thread and pthread_exit() (both in C compiled without
 * -fexceptions), while pthread_cleanup_push() handlers do run on
 * cancellation.
 *
 * Each case declares a _cleanup_ variable whose cleanup counts itself,
 * then leaves the scope in its own way.
 *
 * Exits 1 if what is observed differs from what the lesson says.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static volatile int cleanups; /* how many cleanup functions ran */
static volatile int handlers; /* how many pthread cleanup handlers ran */
static jmp_buf escape;

static void count_cleanup(int *unused)
{
    (void)unused;
    cleanups++;
}

static void count_handler(void *unused)
{
    (void)unused;
    handlers++;
}

/* atexit handler of the child: reports the count as the exit status. */
static void report(void)
{
    _exit(10 + cleanups);
}

static void jumps_out(void)
{
    _cleanup_(count_cleanup) int guard = 0;
    longjmp(escape, 1); /* leaves the scope without running its cleanups */
}

static void *cancelled(void *unused)
{
    _cleanup_(count_cleanup) int guard = 0;

    (void)unused;
    pthread_cleanup_push(count_handler, NULL);
    for (;;)
        pause(); /* a cancellation point: the thread is cancelled here */
    pthread_cleanup_pop(0);
    return NULL;
}

static void *exits_thread(void *unused)
{
    _cleanup_(count_cleanup) int guard = 0;

    (void)unused;
    pthread_exit(NULL); /* unwinds like a cancellation */
}

int main(void)
{
    int ok = 1;

    /* 1. longjmp */
    cleanups = 0;
    if (setjmp(escape) == 0)
        jumps_out();
    printf("longjmp out of the scope:   %d cleanup ran\n", cleanups);
    ok = ok && cleanups == 0;

    /* 2. exit, in a child process: its atexit handler, which exit() runs
     * last, reports the count in the exit status */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        cleanups = 0;
        atexit(report);
        _cleanup_(count_cleanup) int guard = 0;
        exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("exit() inside the scope:    %d cleanup ran before the process "
           "ended\n", WEXITSTATUS(status) - 10);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 10;

    /* 3. a cancelled thread */
    pthread_t thread;
    cleanups = 0;
    if (pthread_create(&thread, NULL, cancelled, NULL) != 0)
        return 1;
    usleep(100 * 1000); /* let it reach pause() */
    pthread_cancel(thread);
    pthread_join(thread, NULL);
    printf("cancelled thread:           %d cleanup ran, %d pthread_cleanup_push "
           "handler ran\n", cleanups, handlers);
    ok = ok && cleanups == 0 && handlers == 1;

    /* 4. pthread_exit */
    cleanups = 0;
    if (pthread_create(&thread, NULL, exits_thread, NULL) != 0)
        return 1;
    pthread_join(thread, NULL);
    printf("pthread_exit():             %d cleanup ran\n", cleanups);
    ok = ok && cleanups == 0;

    if (!ok) {
        puts("unexpected: see the lesson's section on what skips cleanup");
        return 1;
    }
    return 0;
}
