/*
 * fd_leak.c: a descriptor leaked on an error path stays open until the
 * process ends, and enough of them make open() fail.
 *
 * first_byte() opens a file and returns its first byte, but returns early
 * without closing when the byte is not a letter: a classic leak on one
 * error path. The demo calls it on a file starting with a digit, with the
 * descriptor limit lowered to 16, until open() fails.
 *
 * Exits 1 unless every failed call leaked exactly one descriptor and
 * open() finally failed with EMFILE.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Counts this process's open descriptors, the one used to count excepted. */
static int open_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    int count = 0;

    if (!dir)
        return -1;
    for (struct dirent *entry; (entry = readdir(dir)) != NULL;)
        if (entry->d_name[0] != '.')
            count++;
    closedir(dir);
    return count - 1;
}

/* Returns the first byte of path if it is a letter, else -EINVAL. */
static int first_byte(const char *path)
{
    char byte;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -errno;
    if (read(fd, &byte, 1) != 1 || !isalpha((unsigned char)byte))
        return -EINVAL; /* BUG: fd is still open */
    close(fd);
    return byte;
}

int main(void)
{
    char path[] = "/tmp/fd_leak_XXXXXX";
    int fd = mkstemp(path);

    if (fd < 0 || write(fd, "42", 2) != 2)
        return 1;
    close(fd);

    struct rlimit limit, low;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return 1;
    low = limit;
    low.rlim_cur = 16;

    int before = open_fds(), calls = 0, err;
    if (setrlimit(RLIMIT_NOFILE, &low) != 0)
        return 1;
    while ((err = first_byte(path)) == -EINVAL)
        calls++;
    setrlimit(RLIMIT_NOFILE, &limit); /* room to count them */
    int after = open_fds();
    unlink(path);

    printf("descriptors open before: %d\n", before);
    printf("failed calls: %d, descriptors open after: %d\n", calls, after);
    printf("then open() failed: %s\n", strerror(-err));
    if (after - before != calls || err != -EMFILE) {
        puts("unexpected: the leak did not behave as the lesson says");
        return 1;
    }
    return 0;
}
