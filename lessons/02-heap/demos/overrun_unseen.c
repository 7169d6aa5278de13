/*
 * overrun_unseen.c: memcheck catches an overrun that starts at a block's
 * end, not one that jumps into another block.
 *
 * Memcheck surrounds every block with a few bytes of "red zone" that no
 * one may touch, and reports any access there ("0 bytes after a block").
 * An index far enough past the end skips the red zone and lands inside the
 * next live block, whose bytes are addressable and defined: memcheck has
 * nothing to report. Under memcheck, a 16-byte block of 4 ints followed by
 * a second one puts a[20] exactly on b[0].
 *
 * Run natively, the demo starts itself under
 *   valgrind -q --error-exitcode=99 PROGRAM --overrun
 * which writes a[20] only if it lies inside b (natively it would land in
 * malloc's own bookkeeping, so the demo does not write it there). Exits 1
 * unless Valgrind ran it, reported no error, and b[0] changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int overrun(void)
{
    int *a = malloc(4 * sizeof *a); /* 16 bytes: a[0] .. a[3] */
    int *b = malloc(4 * sizeof *b);

    if (!a || !b)
        return 2;
    memset(b, 0, 4 * sizeof *b);
    uintptr_t target = (uintptr_t)a + 20 * sizeof *a; /* &a[20], computed without UB */
    printf("a at %p, b at %p: a[20] would be at a + %zu bytes, ", (void *)a, (void *)b,
           (size_t)(target - (uintptr_t)a));
    if (target < (uintptr_t)b || target >= (uintptr_t)(b + 4)) {
        puts("outside b: not written");
        return 2;
    }
    puts("inside b");
    a[20] = 42; /* BUG on purpose: 64 bytes past the end of a */
    printf("after a[20] = 42, b[0] = %d\n", b[0]);
    int changed = b[0] == 42;
    free(b);
    free(a);
    return changed ? 0 : 3;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--overrun") == 0)
        return overrun();

    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return 1;
    self[len] = '\0';
    printf("$ valgrind -q --error-exitcode=99 %s --overrun\n", argv[0]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("valgrind", "valgrind", "-q", "--error-exitcode=99", self, "--overrun",
               (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return 1;
    switch (WEXITSTATUS(status)) {
    case 0:
        puts("Valgrind reported no error, and b[0] was overwritten");
        return 0;
    case 99:
        puts("CONTRADICTS THE LESSON: Valgrind reported the overrun");
        return 1;
    case 127:
        puts("valgrind is not installed: cannot check");
        return 1;
    default:
        printf("CONTRADICTS THE LESSON: a[20] was not inside b (status %d)\n",
               WEXITSTATUS(status));
        return 1;
    }
}
