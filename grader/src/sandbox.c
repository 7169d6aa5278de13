/**
 * @file sandbox.c
 * @brief Process limits, privilege drop and clean-up for learner code.
 */
#define _GNU_SOURCE
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/** First uid handed to sandboxes; each grading process takes its own. */
#define SANDBOX_UID_BASE 3000000u

/** The environment learner code sees, whoever runs the grader. */
static const char *const clean_env[] = {
    "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
    "HOME=/nonexistent", "TMPDIR=/tmp", NULL,
};

/** Processes a test may add to the user's own when the grader is not root. */
#define UNPRIVILEGED_SPARE_PROCS 256

/* RLIMIT_NPROC counts every process of the user, the learner's desktop
 * included, so an unprivileged cap must start from what already runs. */
static unsigned long user_process_count(void)
{
    DIR *proc = opendir("/proc");
    if (!proc)
        return 4096;
    unsigned long count = 0;
    uid_t me = getuid();
    struct dirent *entry;
    while ((entry = readdir(proc)) != NULL) {
        struct stat st;
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
            continue;
        if (fstatat(dirfd(proc), entry->d_name, &st, 0) == 0 && st.st_uid == me)
            count++;
    }
    closedir(proc);
    return count;
}

void sandbox_init(struct sandbox *box)
{
    *box = (struct sandbox){
        .privileged = geteuid() == 0,
        .uid = SANDBOX_UID_BASE + (uid_t)getpid(),
        .max_procs = 64,
        .max_file = 64ul << 20,
        .max_memory = 8ul << 30, /* Valgrind reserves much address space */
    };
    if (!box->privileged)
        box->max_procs = user_process_count() + UNPRIVILEGED_SPARE_PROCS;
}

const struct sandbox *sandbox_trusted(void)
{
    static const struct sandbox trusted = { .privileged = false, .max_procs = 4096,
                                            .max_file = 1ul << 30, .max_memory = 16ul << 30 };
    return &trusted;
}

static void set_limit(int resource, rlim_t value)
{
    struct rlimit limit = { value, value };
    setrlimit(resource, &limit);
}

/* In the child: everything between fork and exec. Never returns. */
_Noreturn static void child_exec(const struct sandbox *box, const struct spawn *spawn)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the grader dying takes us along */
    int out = open(spawn->output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0 || dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0
        || dup2(out, STDERR_FILENO) < 0)
        _exit(126);
    if (spawn->result_fd == 3)
        fcntl(3, F_SETFD, 0); /* dup2 onto itself would keep close-on-exec */
    else if (spawn->result_fd >= 0 && dup2(spawn->result_fd, 3) < 0)
        _exit(126);
    /* Close everything else the grader had open (logs, other pipes). */
    for (int fd = spawn->result_fd >= 0 ? 4 : 3; fd < 1024; fd++)
        close(fd);
    if (chdir(spawn->cwd) != 0)
        _exit(126);

    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_FSIZE, box->max_file);
    set_limit(RLIMIT_NOFILE, 256);
    if (box->max_memory)
        set_limit(RLIMIT_AS, box->max_memory);
    if (box->privileged) {
        unshare(CLONE_NEWNET);
        if (setgroups(0, NULL) != 0 || setgid(box->uid) != 0 || setuid(box->uid) != 0)
            _exit(126);
    }
    set_limit(RLIMIT_NPROC, box->max_procs);

    size_t n_extra = 0;
    while (spawn->env_extra && spawn->env_extra[n_extra])
        n_extra++;
    size_t n_clean = sizeof(clean_env) / sizeof(*clean_env) - 1;
    char **env = calloc(n_clean + n_extra + 1, sizeof(*env));
    if (!env)
        _exit(126);
    for (size_t i = 0; i < n_clean; i++)
        env[i] = (char *)clean_env[i];
    for (size_t i = 0; i < n_extra; i++)
        env[n_clean + i] = (char *)spawn->env_extra[i];
    execvpe(spawn->argv[0], (char *const *)spawn->argv, env);
    _exit(127);
}

pid_t sandbox_start(const struct sandbox *box, const struct spawn *spawn)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0)
        child_exec(box, spawn);
    setpgid(pid, pid); /* also here, so the group exists before we signal it */
    return pid;
}

int sandbox_run(const struct sandbox *box, const struct spawn *spawn,
                double timeout_s, int *status)
{
    pid_t pid = sandbox_start(box, spawn);
    if (pid < 0)
        return (int)pid;
    double deadline = clock_seconds() + timeout_s;
    for (;;) {
        pid_t done = waitpid(pid, status, WNOHANG);
        if (done == pid)
            break;
        if (done < 0 && errno != EINTR)
            return -errno;
        if (clock_seconds() > deadline) {
            sandbox_kill(box, pid);
            waitpid(pid, status, 0);
            return -ETIMEDOUT;
        }
        nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
    }
    sandbox_kill(box, pid);
    return 0;
}

void sandbox_kill(const struct sandbox *box, pid_t pgid)
{
    if (pgid > 0)
        kill(-pgid, SIGKILL);
    if (!box->privileged)
        return;
    /* Processes that left the group (setsid) still carry the uid: a process
     * running as that uid sends SIGKILL to all of them, itself last. */
    pid_t killer = fork();
    if (killer == 0) {
        if (setgid(box->uid) == 0 && setuid(box->uid) == 0)
            kill(-1, SIGKILL);
        _exit(0);
    }
    if (killer > 0)
        waitpid(killer, NULL, 0);
}

int sandbox_give(const struct sandbox *box, const char *path)
{
    if (!box->privileged)
        return 0;
    return chown(path, box->uid, box->uid) == 0 ? 0 : -errno;
}
