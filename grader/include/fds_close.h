/**
 * @file fds_close.h
 * @brief Closing every descriptor from one number up: the one way the grader
 *        (sandbox.c, before it execs a step) and the harness (harness.c, in
 *        each test child) keep their descriptors from learner code; and the
 *        one reading of /proc/self/fd, which the harness also counts the
 *        descriptors a test left open with.
 *
 * Rules:
 *  1. close_range(2) first: one call, whatever the limit.
 *  2. Where it fails (before Linux 5.9 it is ENOSYS; a seccomp filter may
 *     answer EPERM), each descriptor that /proc/self/fd lists is closed.
 *  3. Where /proc cannot be read either, each descriptor up to the soft
 *     RLIMIT_NOFILE (2^20 when unlimited) is closed, one by one.
 *  4. It fails (-1, errno set) only when none of the three could run: the
 *     caller decides what a failure costs (both make it fatal in the child).
 *
 * Both callers run it in a child just after fork(). The /proc walk
 * allocates (opendir), which is safe there because neither the grader nor
 * the harness's zygote starts threads. Define _GNU_SOURCE before any
 * include (close_range); static inline, so that two programs that share no
 * C file share this one.
 */
#ifndef FDS_CLOSE_H
#define FDS_CLOSE_H

#ifndef _GNU_SOURCE
#error "fds_close.h needs _GNU_SOURCE (close_range), defined before any include"
#endif

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

/** The last descriptor rule 3 closes when RLIMIT_NOFILE is unlimited. */
#define FDS_CLOSE_UNLIMITED_LAST (1u << 20)

/**
 * @brief The next open descriptor that a listing of /proc/self/fd names,
 *        the listing's own descriptor skipped.
 * @param[in,out] dir opendir("/proc/self/fd"); read on.
 * @return the descriptor, or -1 when the listing is over.
 */
static inline int fds_listed_next(DIR *dir)
{
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        char *end = NULL;
        long fd = strtol(entry->d_name, &end, 10);
        if (end != entry->d_name && *end == '\0' && fd >= 0 && fd <= INT_MAX
            && fd != dirfd(dir))
            return (int)fd;
    }
    return -1;
}

/**
 * @brief Closes every descriptor from @p first up (rules 1 to 3 above).
 * @param[in] first the lowest descriptor to close, at least 0.
 * @return 0 when every such descriptor is closed, or -1 with errno set
 *         (EINVAL for a negative @p first).
 */
static inline int fds_close_from(int first)
{
    if (first < 0) {
        errno = EINVAL;
        return -1;
    }
    if (close_range((unsigned)first, ~0U, 0) == 0)
        return 0;
    DIR *dir = opendir("/proc/self/fd");
    if (dir) {
        for (int fd; (fd = fds_listed_next(dir)) >= 0;) {
            if (fd >= first)
                close(fd);
        }
        closedir(dir);
        return 0;
    }
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    rlim_t last = limit.rlim_cur == RLIM_INFINITY ? FDS_CLOSE_UNLIMITED_LAST : limit.rlim_cur;
    for (rlim_t fd = (rlim_t)first; fd < last; fd++)
        close((int)fd);
    return 0;
}

#endif /* FDS_CLOSE_H */
