/**
 * @file proc_tree.h
 * @brief Reading a process and everything it started from /proc: the one
 *        walk that the grader (sandbox.c, charging a step's or a harness's
 *        CPU) and the harness (harness.c, timing one test) both need.
 *
 * Rules:
 *  1. The tree is walked from its root down, breadth first, through each
 *     thread's /proc/PID/task/TID/children: a reading costs a few files per
 *     process of the tree, never one per process of the machine.
 *  2. At most the caller's bound of processes is read (#PROC_TREE_MAX at
 *     most): a fork bomb is stopped by its process limit and its CPU clock,
 *     not by reading it all.
 *  3. A process's CPU is what /proc/PID/stat says: its own time (utime,
 *     stime) and that of the children it reaped (cutime, cstime), so that
 *     the work of a process that is gone still counts once reaped.
 *  4. Its command name, in parentheses, may hold any byte: fields are read
 *     after its last ')'.
 *  5. Asked for threads' states, anything unreadable counts as wanting the
 *     CPU: a host problem is never blamed on the code being timed.
 *
 * Static inline, so that two programs that share no C file share this one.
 * Define _GNU_SOURCE before any include (openat, fdopendir).
 */
#ifndef PROC_TREE_H
#define PROC_TREE_H

#ifndef _GNU_SOURCE
#error "proc_tree.h needs _GNU_SOURCE, defined before any include"
#endif

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/** The most processes that proc_tree_read() reads of one tree. */
#define PROC_TREE_MAX 256

/** What the processes of a tree used and are doing. */
struct proc_tree {
    double root_cpu;   /**< CPU seconds of the root process itself */
    double others_cpu; /**< CPU seconds of every other process read, and of
                            every process that the tree reaped (the root's
                            reaped children included) */
    char root_state;   /**< the root's state as /proc shows it (R, S, D, T,
                            Z...), '?' when it could not be read */
    bool wants_cpu;    /**< with threads asked for: some thread is running,
                            waiting for a CPU or in an uninterruptible wait,
                            or something could not be read (rule 5) */
};

/* Reads @p path under @p dir_fd into @p text (NUL-terminated, at most
 * @p size - 1 bytes); false when nothing could be read. */
static inline bool proc_text_read(int dir_fd, const char *path, char *text, size_t size)
{
    int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, text, size - 1) : -1;
    if (fd >= 0)
        close(fd);
    text[got > 0 ? got : 0] = '\0';
    return got > 0;
}

/* The state letter of a /proc stat text, and with @p ticks its four CPU
 * counters (utime, stime, cutime, cstime); false when it is not one. */
static inline bool proc_stat_parse(const char *text, char *state, unsigned long long ticks[4])
{
    const char *after = strrchr(text, ')'); /* rule 4 */
    if (!after)
        return false;
    if (!ticks)
        return sscanf(after + 1, " %c", state) == 1;
    return sscanf(after + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
                  state, &ticks[0], &ticks[1], &ticks[2], &ticks[3]) == 5;
}

/* Whether thread @p tid (in the task folder @p task_fd) is running, waiting
 * for a CPU, or in an uninterruptible wait; unreadable counts as wanting. */
static inline bool proc_thread_wants_cpu(int task_fd, const char *tid)
{
    char path[300], text[512], state = '?';
    snprintf(path, sizeof(path), "%s/stat", tid);
    if (!proc_text_read(task_fd, path, text, sizeof(text))
        || !proc_stat_parse(text, &state, NULL))
        return true;
    return state == 'R' || state == 'D';
}

/* Adds the children of thread @p tid (in the task folder @p task_fd) to
 * @p queue, up to @p max. */
static inline void proc_children_add(int task_fd, const char *tid, pid_t *queue, size_t *n,
                                     size_t max)
{
    char path[300], text[4096];
    snprintf(path, sizeof(path), "%s/children", tid);
    proc_text_read(task_fd, path, text, sizeof(text));
    /* A list that filled the buffer may end in a cut pid ("12345" read as
     * "123", another process): only whole numbers, those before the last
     * space, are taken. */
    char *last_space = strlen(text) == sizeof(text) - 1 ? strrchr(text, ' ') : NULL;
    if (last_space)
        *last_space = '\0';
    else if (strlen(text) == sizeof(text) - 1)
        text[0] = '\0';
    for (char *p = text, *end; *n < max; p = end) {
        long child = strtol(p, &end, 10);
        if (end == p)
            break;
        queue[(*n)++] = (pid_t)child;
    }
}

/** A reading of a tree under way. */
struct proc_walk {
    int proc_fd;                    /**< /proc, open */
    bool threads;                   /**< read each thread's state too */
    pid_t queue[PROC_TREE_MAX];     /**< the processes found, root first */
    size_t n;                       /**< number of @c queue entries */
    size_t max;                     /**< the most entries @c queue may take */
    unsigned long long root_ticks;  /**< clock ticks of the root itself */
    unsigned long long other_ticks; /**< clock ticks of all the rest (rule 3) */
    struct proc_tree tree;          /**< the reading so far */
};

/* Reads the process @p walk->queue[@p i] and queues its children. */
static inline void proc_walk_one(struct proc_walk *walk, size_t i)
{
    char path[64], text[1024], state = '?';
    unsigned long long ticks[4];
    snprintf(path, sizeof(path), "%d/stat", (int)walk->queue[i]);
    if (proc_text_read(walk->proc_fd, path, text, sizeof(text))
        && proc_stat_parse(text, &state, ticks)) {
        *(i == 0 ? &walk->root_ticks : &walk->other_ticks) += ticks[0] + ticks[1];
        walk->other_ticks += ticks[2] + ticks[3];
        if (i == 0)
            walk->tree.root_state = state;
    }
    snprintf(path, sizeof(path), "%d/task", (int)walk->queue[i]);
    int task_fd = openat(walk->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *tasks = task_fd >= 0 ? fdopendir(task_fd) : NULL;
    if (!tasks) {
        if (task_fd >= 0)
            close(task_fd);
        walk->tree.wants_cpu |= walk->threads; /* rule 5 */
        return;
    }
    struct dirent *task;
    while ((task = readdir(tasks)) != NULL) {
        if (task->d_name[0] < '0' || task->d_name[0] > '9')
            continue;
        if (walk->threads)
            walk->tree.wants_cpu |= proc_thread_wants_cpu(dirfd(tasks), task->d_name);
        proc_children_add(dirfd(tasks), task->d_name, walk->queue, &walk->n, walk->max);
    }
    closedir(tasks);
}

/**
 * @brief Reads the tree of @p root (rules 1 to 5 above).
 * @param[in] root      the process whose tree is read.
 * @param[in] max_procs the most processes read, the root included; at most
 *                      #PROC_TREE_MAX.
 * @param[in] threads   also read each thread's state (struct proc_tree's
 *                      @c wants_cpu): one more file a thread.
 * @return what the tree used and is doing; all zero, with @c root_state
 *         '?' (and @c wants_cpu with @p threads), when /proc cannot be read.
 */
static inline struct proc_tree proc_tree_read(pid_t root, size_t max_procs, bool threads)
{
    struct proc_walk walk = {
        .proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
        .threads = threads, .queue = { root }, .n = 1,
        .max = max_procs < PROC_TREE_MAX ? max_procs : PROC_TREE_MAX,
        .tree = { .root_state = '?', .wants_cpu = threads },
    };
    if (walk.proc_fd < 0)
        return walk.tree;
    walk.tree.wants_cpu = false;
    for (size_t i = 0; i < walk.n; i++)
        proc_walk_one(&walk, i);
    close(walk.proc_fd);
    long hz = sysconf(_SC_CLK_TCK);
    double per_second = (double)(hz > 0 ? hz : 100);
    walk.tree.root_cpu = (double)walk.root_ticks / per_second;
    walk.tree.others_cpu = (double)walk.other_ticks / per_second;
    return walk.tree;
}

#endif /* PROC_TREE_H */
