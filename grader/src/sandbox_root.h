/**
 * @file sandbox_root.h
 * @brief The file system of a sandbox: an allowlist of the host, built
 *        from nothing (sandbox_root.c states its rules).
 */
#ifndef GRADER_SANDBOX_ROOT_H
#define GRADER_SANDBOX_ROOT_H

/** Most directories a sandbox hides beyond what its allowlist leaves out
 *  (the course, the hidden tests). */
#define SANDBOX_HIDE_MAX 2

/**
 * @brief Makes the calling process's root a new tree that holds only
 *        system code (read-only), /dev's harmless nodes, a /proc showing
 *        the caller's own uid, a fresh /tmp and /dev/shm, and @p keep.
 *
 * Call as root, in a child that has its own mount namespace
 * (unshare(CLONE_NEWNS)), before it drops privileges.
 *
 * @param[in] keep  the one host directory that stays visible, writable, at
 *                  its own path (the exercise's work directory, under
 *                  /tmp), or NULL; borrowed.
 * @param[in] hide  directories covered by an empty tmpfs if the allowlist
 *                  still reaches them, each NULL or a path; borrowed.
 * @return 0, or -1 with errno set when a step failed (the root is then
 *         half built: the caller must exit).
 */
int sandbox_root_enter(const char *keep, const char *const hide[SANDBOX_HIDE_MAX]);

#endif /* GRADER_SANDBOX_ROOT_H */
