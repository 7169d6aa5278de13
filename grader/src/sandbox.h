/**
 * @file sandbox.h
 * @brief Starting learner-facing processes with limits, and stopping them all.
 *
 * Everything that touches a submission (the compiler reading its source, the
 * test binary running its code) runs through here:
 *  - a clean environment and its own process group;
 *  - caps on processes, file size, open files, core dumps and address space;
 *  - when the grader is root: an unprivileged uid of its own, so that
 *    RLIMIT_NPROC holds (it is not enforced for root) and every leftover
 *    process can be killed by uid; and where the machine allows namespaces,
 *    no network, its own IPC objects, and a file system that is an
 *    allowlist of the host (sandbox_root.c): system code read-only, a
 *    private /tmp and /dev/shm, the work directory, nothing else.
 *
 * Every step of the set-up is checked: a process whose sandbox could not be
 * built in full exits with status 126 before it runs anything.
 */
#ifndef GRADER_SANDBOX_H
#define GRADER_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "sandbox_root.h"

/** Who runs sandboxed processes, and their limits. */
struct sandbox {
    bool privileged;          /**< The grader is root: drop to @ref uid and unshare the network. */
    uid_t uid;                /**< Unprivileged uid (and gid) of this sandbox when privileged. */
    unsigned long max_procs;  /**< RLIMIT_NPROC. */
    unsigned long max_file;   /**< RLIMIT_FSIZE in bytes: the largest file a test may write. */
    unsigned long max_memory; /**< RLIMIT_AS in bytes; 0 for none (AddressSanitizer needs
                                   to reserve terabytes of address space). */
    bool namespaces;          /**< When privileged: a private mount and network namespace. */
    const char *keep_dir;     /**< With namespaces: the one directory under /tmp that stays
                                   visible (the exercise's work directory); borrowed. */
    const char *hide_dirs[SANDBOX_HIDE_MAX]; /**< With namespaces: directories covered by
                                   an empty tmpfs if the file system's allowlist still reaches
                                   them (the course, the hidden tests), or NULL; borrowed. */
};

/** How to start one process. */
struct spawn {
    const char *const *argv; /**< Program and arguments; argv[0] is looked up in PATH. */
    const char *cwd;         /**< Working directory. */
    const char *output_path; /**< File that receives stdout and stderr (truncated). */
    int result_fd;           /**< Becomes fd 3 in the process; -1 for none. */
    const char *const *env_extra; /**< NULL-terminated "NAME=value" additions, or NULL. */
};

/**
 * @brief Prepares a sandbox for this grading process.
 * @param[out] box    filled with defaults suited to Valgrind runs
 *                    (privileged when the grader is root; no namespaces
 *                    until the caller sets them); the struct is the
 *                    caller's and owns nothing.
 * @param[in]  index  which sandbox of this grading (0 to 255): each gets its
 *                    own uid, derived from the grader's pid and @p index.
 */
void sandbox_init(struct sandbox *box, unsigned index);

/**
 * @brief Whether the resource limits this grader inherited are enough to
 *        grade: it never raises a hard limit, and works within what it got.
 *        Soft limits are raised to their hard ones, for the grader too.
 * @param[in] fast AddressSanitizer mode, which needs unlimited address space.
 * @return NULL when they are enough; otherwise one line naming the limit,
 *         its value and what grading needs, owned by the caller (free()).
 */
char *sandbox_limits_check(bool fast);

/**
 * @brief Finds out what isolation this machine allows, for the banner.
 * @param[out] namespaces  true when root may create mount and network
 *                         namespaces here.
 * @return a sentence for the learner or instructor, owned by this module.
 */
const char *sandbox_probe(bool *namespaces);

/**
 * @brief The sandbox for course code (tests, harness, the linker): it runs
 *        as the grader, with only generous limits against runaway tools.
 * @return a sandbox owned by this module.
 */
const struct sandbox *sandbox_trusted(void);

/**
 * @brief Starts @p spawn in @p box and returns at once.
 *
 * The process gets its own process group, a clean environment, stdin from
 * /dev/null, stdout and stderr in spawn->output_path, and the limits of
 * @p box. It is killed if the grader dies.
 *
 * @param[in] box    the limits and identity to run under; borrowed.
 * @param[in] spawn  what to run; borrowed, with everything it points to.
 * @return the pid (also its process group id), or a negative errno. The
 *         caller must reap the process (waitpid()) and should end with
 *         sandbox_kill().
 */
pid_t sandbox_start(const struct sandbox *box, const struct spawn *spawn);

/**
 * @brief Runs @p spawn to completion, killing it once it has used @p cpu_s
 *        seconds of CPU (it and everything it started).
 *
 * Whatever the process left running (its group and, when privileged, every
 * process of the sandbox's uid) is killed before this returns. Wall-clock
 * time is only a backstop, #PROTO_WALL_FACTOR times @p cpu_s: reaching it
 * means that the machine did not give the process the CPU.
 *
 * @param[in]  box     the limits and identity to run under; borrowed.
 * @param[in]  spawn   what to run; borrowed, with everything it points to.
 * @param[in]  cpu_s   CPU seconds the process and its descendants may use.
 * @param[out] status  the wait status, as waitpid() gives it; also set
 *                     when the process was killed.
 * @return 0; -ETIMEDOUT when it used its CPU time; -EBUSY when it reached
 *         the wall-clock backstop first (the host's problem, not the
 *         code's); or another negative errno.
 */
int sandbox_run(const struct sandbox *box, const struct spawn *spawn, double cpu_s,
                int *status);

/**
 * @brief How many sandbox_run() steps of this process reached the
 *        wall-clock backstop (returned -EBUSY): a step that ran while the
 *        count grew was starved by the machine, and its failure is the
 *        host's, not the code's.
 * @return the count since the process started.
 */
unsigned sandbox_busy_count(void);

/**
 * @brief CPU seconds used by @p root and every live process descended from
 *        it, the children each of them reaped included.
 * @param[in]  root        the process at the top of the tree.
 * @param[out] root_state  when not NULL, @p root's state letter as
 *                         /proc/PID/stat gives it (R, S, D, T, Z...), or
 *                         '?' when it is gone.
 * @return the seconds; 0 when /proc cannot be read.
 */
double sandbox_tree_cpu(pid_t root, char *root_state);

/**
 * @brief Kills process group @p pgid, then every process left under the
 *        sandbox's uid.
 * @param[in] box   the sandbox the processes ran in; borrowed. Only a
 *                  privileged sandbox has a uid of its own to clean up.
 * @param[in] pgid  the process group to kill with SIGKILL; 0 or less kills
 *                  no group, only the uid's processes.
 */
void sandbox_kill(const struct sandbox *box, pid_t pgid);

/**
 * @brief Makes @p path writable by the sandbox's uid (no-op when
 *        unprivileged).
 * @param[in] box   the sandbox whose uid gets @p path; borrowed.
 * @param[in] path  the file or directory to hand over; borrowed.
 * @return 0 or a negative errno from chown().
 */
int sandbox_give(const struct sandbox *box, const char *path);

#endif /* GRADER_SANDBOX_H */
