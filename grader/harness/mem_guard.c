/**
 * @file mem_guard.c
 * @brief What learner code gets when it maps or protects memory.
 *
 * Rules (learner.syms renames the learner's calls to these):
 *  1. Learner memory is never executable: a mapping or protection change
 *     that asks for PROT_EXEC fails with EACCES. Code copied into a page
 *     and made executable could make any system call, past every allowlist.
 *  2. The harness's sealed page (the test's token, harness.c) cannot be
 *     reopened: an mprotect() that touches it fails with EACCES.
 * Everything else goes to the C library unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "course_protocol.h"

/* Whether [addr, addr + len) touches the harness's sealed page. */
static bool touches_guarded_page(const void *addr, size_t len)
{
    size_t size = 0;
    uintptr_t page = (uintptr_t)course_guarded_page(&size);
    uintptr_t start = (uintptr_t)addr;
    if (!page || !size)
        return false;
    /* Compared as integers: the pointers belong to different objects. */
    return start < page + size && (len == 0 || start + len > page || start + len < start);
}

/**
 * @brief mmap() as learner code sees it: never executable.
 * @param[in] addr   as for mmap().
 * @param[in] length as for mmap().
 * @param[in] prot   as for mmap(); PROT_EXEC is refused.
 * @param[in] flags  as for mmap().
 * @param[in] fd     as for mmap().
 * @param[in] offset as for mmap().
 * @return what mmap() returns, or MAP_FAILED with errno EACCES.
 */
void *course_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    if (prot & PROT_EXEC) {
        errno = EACCES;
        return MAP_FAILED;
    }
    return mmap(addr, length, prot, flags, fd, offset);
}

/**
 * @brief mprotect() as learner code sees it: never executable, and never
 *        the harness's sealed page.
 * @param[in] addr as for mprotect().
 * @param[in] len  as for mprotect().
 * @param[in] prot as for mprotect(); PROT_EXEC is refused.
 * @return what mprotect() returns, or -1 with errno EACCES.
 */
int course_mprotect(void *addr, size_t len, int prot)
{
    if ((prot & PROT_EXEC) || touches_guarded_page(addr, len)) {
        errno = EACCES;
        return -1;
    }
    return mprotect(addr, len, prot);
}
