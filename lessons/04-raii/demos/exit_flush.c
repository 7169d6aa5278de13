/*
 * exit_flush.c: what exit() does and does not do, next to _exit().
 *
 * C11 7.22.4.4: exit() flushes every open stream and closes it (after the
 * atexit handlers). _exit() (and _Exit(), and abort()) end the process at
 * once: data still in a stream's buffer never reaches the file. Neither
 * runs the cleanup attribute of the variables in scope, and neither
 * removes a temporary file that mkstemp() created.
 *
 * Each case runs in a child process, in a directory of its own: it writes
 * 32 bytes with fwrite() (they stay in the stream's buffer), creates a
 * temporary file with mkstemp(), declares a variable whose cleanup would
 * leave a mark, and ends the process. The parent then looks at the disk.
 *
 * Exits 1 if what is observed differs from what the lesson says.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* What a case left on disk. */
struct outcome {
    long size;        /* bytes in out, of 32; -1: missing */
    bool temp_left;   /* the mkstemp() file is still there */
    bool cleanup_ran; /* the cleanup attribute ran */
};

/* The cleanup of the child's variable: creates "cleanup-ran" if it runs. */
static void mark_cleanup(int *unused)
{
    (void)unused;
    FILE *mark = fopen("cleanup-ran", "w");
    if (mark)
        fclose(mark);
}

/* In a child, inside its directory: never returns. */
static void child(bool use_exit)
{
    FILE *out = fopen("out", "w");
    char temp[] = "tempXXXXXX";
    if (!out || mkstemp(temp) < 0)
        _exit(2);
    fwrite("0123456789abcdef0123456789abcdef", 1, 32, out); /* buffered */
    _cleanup_(mark_cleanup) int guard = 0;
    if (use_exit)
        exit(0);
    _exit(0);
}

/* Reads what the child left in dir, and removes it all. */
static struct outcome inspect(const char *dir)
{
    struct outcome seen = { .size = -1 };
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, "out") == 0 && stat(path, &st) == 0)
            seen.size = (long)st.st_size;
        else if (strncmp(e->d_name, "temp", 4) == 0)
            seen.temp_left = true;
        else if (strcmp(e->d_name, "cleanup-ran") == 0)
            seen.cleanup_ran = true;
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    return seen;
}

/* Runs one case in a fresh directory and prints what it left. */
static struct outcome run_case(const char *name, bool use_exit)
{
    char dir[] = "/tmp/exit_flush_XXXXXX";
    if (!mkdtemp(dir))
        return (struct outcome){ .size = -2 };
    fflush(stdout); /* the child must not print our buffer again */
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(2);
        child(use_exit);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    struct outcome seen = inspect(dir);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        seen.size = -2;
    printf("%-10s file holds %ld of 32 bytes; mkstemp file left: %s; "
           "cleanup ran: %s\n", name, seen.size, seen.temp_left ? "yes" : "no",
           seen.cleanup_ran ? "yes" : "no");
    return seen;
}

int main(void)
{
    struct outcome after_exit = run_case("exit(0):", true);
    struct outcome after__exit = run_case("_exit(0):", false);

    if (after_exit.size != 32 || after__exit.size != 0 || !after_exit.temp_left
        || !after__exit.temp_left || after_exit.cleanup_ran || after__exit.cleanup_ran) {
        puts("unexpected: see the lesson's section on what skips cleanup");
        return 1;
    }
    return 0;
}
