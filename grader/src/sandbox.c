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

#include "course_protocol.h"
#include "fds_close.h"
#include "proc_tree.h"
#include "sandbox_root.h"
#include "util.h"

/** First uid handed to sandboxes. A grading process with pid P owns the
 *  256 uids from BASE + P * 256: pids are unique among live processes, so
 *  concurrent gradings never share a uid, and killing by uid stays local. */
#define SANDBOX_UID_BASE 3000000u
/** Most sandboxes (exercises) of one grading process. */
#define SANDBOX_UIDS_PER_GRADING 256u

/** The environment learner code sees, whoever runs the grader. */
static const char *const clean_env[] = {
    "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C",
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

void sandbox_init(struct sandbox *box, unsigned index)
{
    *box = (struct sandbox){
        .privileged = geteuid() == 0,
        .uid = SANDBOX_UID_BASE + (uid_t)getpid() * SANDBOX_UIDS_PER_GRADING
               + index % SANDBOX_UIDS_PER_GRADING,
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

/* Every failed step is fatal in the child: a sandbox is whole or absent. */
_Noreturn static void die(void)
{
    _exit(126);
}

/* Lowers a limit to @p value, never above the hard limit inherited: the
 * grader works within the limits it was given (sandbox_limits_check() has
 * already said whether they are enough). */
static void set_limit(int resource, rlim_t value)
{
    struct rlimit limit;
    if (getrlimit(resource, &limit) != 0)
        die();
    if (limit.rlim_max != RLIM_INFINITY && value > limit.rlim_max)
        value = limit.rlim_max;
    limit = (struct rlimit){ value, value };
    if (setrlimit(resource, &limit) != 0)
        die();
}

/** What grading needs of one inherited limit. */
struct limit_need {
    int resource;       /**< RLIMIT_... */
    const char *name;   /**< as ulimit(1) names it */
    const char *flag;   /**< ulimit's option */
    rlim_t least;       /**< the least that works, in the resource's unit */
    rlim_t shown_unit;  /**< bytes per unit that ulimit shows */
    bool fast_only;     /**< only the --fast (AddressSanitizer) mode needs it */
    const char *why;    /**< what needs it, for the message */
};

/** Measured: a test binary of the course is 2 to 5 MiB, a Valgrind XML
 *  report up to a few MiB; Valgrind reserves its own heap beside the
 *  test's; AddressSanitizer reserves about 20 TiB of address space. */
static const struct limit_need needs[] = {
    { RLIMIT_FSIZE, "file size", "-f", 64ul << 20, 1024, false,
      "test binaries, logs and Valgrind's reports" },
    { RLIMIT_AS, "virtual memory", "-v", 2ul << 30, 1024, false,
      "Valgrind and the tests under it" },
    { RLIMIT_AS, "virtual memory", "-v", RLIM_INFINITY, 1024, true,
      "AddressSanitizer (--fast, and lesson passes that use it) reserves terabytes of "
      "address space" },
    { RLIMIT_CPU, "CPU time", "-t", (rlim_t)PROTO_LESSON_CPU_S * 2, 1, false,
      "one lesson's tests under Valgrind, in one process" },
    { RLIMIT_NOFILE, "open files", "-n", 256, 1, false, "the compiler and the harness" },
};

char *sandbox_limits_check(bool fast)
{
    for (size_t i = 0; i < sizeof(needs) / sizeof(*needs); i++) {
        const struct limit_need *need = &needs[i];
        struct rlimit have;
        if (getrlimit(need->resource, &have) != 0)
            continue;
        /* A soft limit may rise to its hard one: only that is inherited. */
        setrlimit(need->resource, &(struct rlimit){ have.rlim_max, have.rlim_max });
        if ((need->fast_only && !fast) || have.rlim_max == RLIM_INFINITY
            || (need->least != RLIM_INFINITY && have.rlim_max >= need->least))
            continue;
        if (need->least == RLIM_INFINITY)
            return str_printf("the inherited %s limit (ulimit -H %s %llu) is too small: %s, "
                              "so it must be unlimited; grade where `ulimit -H %s` says "
                              "unlimited", need->name, need->flag,
                              (unsigned long long)(have.rlim_max / need->shown_unit),
                              need->why, need->flag);
        return str_printf("the inherited %s limit (ulimit -H %s %llu) is too small: %s need "
                          "at least %llu; grade where it is larger", need->name, need->flag,
                          (unsigned long long)(have.rlim_max / need->shown_unit), need->why,
                          (unsigned long long)(need->least / need->shown_unit));
    }
    return NULL;
}

/* Own mount, network and IPC namespaces, and a root that is an allowlist
 * of the host (sandbox_root.c). Runs as root in the child, before the uid
 * change. */
static void namespaces_enter(const char *keep, const char *const hide[SANDBOX_HIDE_MAX])
{
    if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC) != 0
        || sandbox_root_enter(keep, hide) != 0)
        die();
}

static void signals_reset(void)
{
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL); /* fails only for SIGKILL, SIGSTOP and invalid numbers */
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
        die();
}

/* In the child: everything between fork and exec, in systemd's safe_fork()
 * order. Never returns. */
_Noreturn static void child_exec(const struct sandbox *box, const struct spawn *spawn,
                                 pid_t parent)
{
    if (setpgid(0, 0) != 0)
        die();
    signals_reset();
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || dup2(in, STDIN_FILENO) < 0)
        die();
    if (spawn->result_fd == PROTO_EVENT_FD) {
        /* dup2 onto itself would keep close-on-exec */
        if (fcntl(PROTO_EVENT_FD, F_SETFD, 0) != 0)
            die();
    } else if (spawn->result_fd >= 0 && dup2(spawn->result_fd, PROTO_EVENT_FD) < 0) {
        die();
    }
    /* The grader's logs and pipes never reach learner code. */
    if (fds_close_from(spawn->result_fd >= 0 ? PROTO_EVENT_FD + 1 : PROTO_EVENT_FD) != 0)
        die();

    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_FSIZE, box->max_file);
    set_limit(RLIMIT_NOFILE, 256);
    if (box->max_memory)
        set_limit(RLIMIT_AS, box->max_memory);
    if (box->privileged) {
        if (box->namespaces)
            namespaces_enter(box->keep_dir, box->hide_dirs);
        if (setgroups(0, NULL) != 0 || setgid(box->uid) != 0 || setuid(box->uid) != 0)
            die();
    }
    /* After the uid change, which clears it (prctl(2)); then make sure the
     * parent did not die before it was set. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        die();
    set_limit(RLIMIT_NPROC, box->max_procs);

    /* Opened as the final uid, without following links: a sandboxed
     * process's output never lands where it could not write itself. */
    int out = open(spawn->output_path,
                   O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
        die();
    if (chdir(spawn->cwd) != 0)
        die();

    size_t n_extra = 0;
    while (spawn->env_extra && spawn->env_extra[n_extra])
        n_extra++;
    size_t n_clean = sizeof(clean_env) / sizeof(*clean_env) - 1;
    char **env = calloc(n_clean + n_extra + 1, sizeof(*env));
    if (!env)
        die();
    for (size_t i = 0; i < n_clean; i++)
        env[i] = (char *)clean_env[i];
    for (size_t i = 0; i < n_extra; i++)
        env[n_clean + i] = (char *)spawn->env_extra[i];
    /* execvp() looks the program up in the PATH of `environ`: the clean
     * one, never the grader's own. */
    environ = env;
    execvp(spawn->argv[0], (char *const *)spawn->argv);
    _exit(127);
}

pid_t sandbox_start(const struct sandbox *box, const struct spawn *spawn)
{
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -errno;
    if (pid == 0)
        child_exec(box, spawn, parent);
    setpgid(pid, pid); /* also here, so the group exists before we signal it */
    return pid;
}

/** Most processes of one tree that sandbox_tree_cpu() reads: a fork bomb
 *  is stopped by its process limit and its test's CPU clock, not by this. */
#define TREE_PROCS_MAX 256

double sandbox_tree_cpu(pid_t root, char *root_state)
{
    struct proc_tree tree = proc_tree_read(root, TREE_PROCS_MAX, false);
    if (root_state)
        *root_state = tree.root_state;
    return tree.root_cpu + tree.others_cpu;
}

/** Steps of this process that reached the wall-clock backstop. */
static unsigned busy_steps;

unsigned sandbox_busy_count(void)
{
    return busy_steps;
}

int sandbox_run(const struct sandbox *box, const struct spawn *spawn, double cpu_s,
                int *status)
{
    pid_t pid = sandbox_start(box, spawn);
    if (pid < 0)
        return (int)pid;
    double started = clock_seconds();
    int err = 0;
    for (;;) {
        pid_t done = waitpid(pid, status, WNOHANG);
        if (done == pid)
            break;
        if (done < 0 && errno != EINTR)
            return -errno;
        nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
        /* A step cannot have used more CPU than the wall-clock time that
         * passed on two cores: no need to read /proc before that. */
        double wall = clock_seconds() - started;
        if (wall < cpu_s / 2)
            continue;
        err = sandbox_tree_cpu(pid, NULL) > cpu_s           ? -ETIMEDOUT
              : wall > cpu_s * PROTO_WALL_FACTOR            ? -EBUSY
                                                            : 0;
        if (err) {
            busy_steps += err == -EBUSY;
            sandbox_kill(box, pid);
            waitpid(pid, status, 0);
            return err;
        }
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

const char *sandbox_probe(bool *namespaces)
{
    *namespaces = false;
    if (geteuid() != 0)
        return "not root: learner code runs as you, with process, file and memory limits";
    /* The same namespaces and root as every sandbox, in a throw-away
     * child: a machine that refuses them is told here, once. */
    pid_t pid = fork();
    if (pid == 0) {
        if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC) != 0
            || sandbox_root_enter(NULL, (const char *const[SANDBOX_HIDE_MAX]){ NULL }) != 0)
            _exit(1);
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return "sandboxed (own uid, limits); namespaces could not be probed: network "
               "open, /tmp shared, course readable";
    *namespaces = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return *namespaces ? "sandboxed: own uid, limits, no network, own IPC, a file system of "
                         "system code read-only, a private /tmp and the work directory: "
                         "course hidden"
                       : "sandboxed (own uid, limits), but this machine refuses namespaces "
                         "(no CAP_SYS_ADMIN): network open, /tmp shared, course readable";
}

int sandbox_give(const struct sandbox *box, const char *path)
{
    if (!box->privileged)
        return 0;
    return chown(path, box->uid, box->uid) == 0 ? 0 : -errno;
}
