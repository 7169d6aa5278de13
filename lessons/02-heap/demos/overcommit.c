/*
 * overcommit.c: with Linux's default overcommit, malloc almost never says
 * no. It reserves address space; memory is found only when a page is first
 * touched. The demo asks for 64 blocks of 8 GiB (512 GiB in all), touches
 * none of them, and counts how many malloc granted, next to the machine's
 * RAM and the limits that could stop it: the overcommit mode, RLIMIT_AS
 * (`ulimit -v`) and a cgroup memory limit.
 *
 * Then it shows the two refusals that do happen: in mode 0 one request
 * larger than RAM plus swap, and any request past an RLIMIT_AS that the
 * demo sets (1 GiB) for itself.
 *
 * Exits 1 if, in overcommit mode 0 with no RLIMIT_AS, malloc refused one of
 * the 64 blocks although each is smaller than RAM plus swap, granted the
 * one larger than RAM plus swap, or if malloc(2 GiB) succeeded under a
 * 1 GiB RLIMIT_AS. In any other setting it prints what it saw and exits 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define GIB ((size_t)1 << 30)
#define BLOCKS 64

/* Reads the first number in a file, or -1. */
static long long read_number(const char *path)
{
    FILE *file = fopen(path, "r");
    long long value = -1;

    if (file) {
        if (fscanf(file, "%lld", &value) != 1)
            value = -1;
        fclose(file);
    }
    return value;
}

/* Reads "Key:   N kB" from /proc/meminfo, in bytes, or 0. */
static unsigned long long meminfo(const char *key)
{
    FILE *file = fopen("/proc/meminfo", "r");
    char line[256];
    unsigned long long kib = 0;

    while (file && fgets(line, sizeof line, file))
        if (strncmp(line, key, strlen(key)) == 0 && sscanf(line + strlen(key), " %llu", &kib) == 1)
            break;
    if (file)
        fclose(file);
    return kib * 1024;
}

int main(void)
{
    long long mode = read_number("/proc/sys/vm/overcommit_memory");
    unsigned long long ram = meminfo("MemTotal:"), swap = meminfo("SwapTotal:");
    struct rlimit as;
    getrlimit(RLIMIT_AS, &as);
    FILE *cgroup = fopen("/sys/fs/cgroup/memory.max", "r");
    char cgroup_max[64] = "(no cgroup v2 memory.max here)";
    if (cgroup) {
        if (!fgets(cgroup_max, sizeof cgroup_max, cgroup))
            strcpy(cgroup_max, "?");
        cgroup_max[strcspn(cgroup_max, "\n")] = '\0';
        fclose(cgroup);
    }

    printf("RAM %llu MiB, swap %llu MiB, overcommit_memory %lld, RLIMIT_AS %s, cgroup memory.max %s\n",
           ram >> 20, swap >> 20, mode, as.rlim_cur == RLIM_INFINITY ? "unlimited" : "set",
           cgroup_max);

    void *blocks[BLOCKS];
    int granted = 0;
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(8 * GIB);
        granted += blocks[i] != NULL;
    }
    printf("malloc(8 GiB) x %d: %d granted, %zu GiB of address space, none of it touched\n",
           BLOCKS, granted, (size_t)granted * 8);
    for (int i = 0; i < BLOCKS; i++)
        free(blocks[i]);

    size_t too_big = (size_t)(ram + swap) + 8 * GIB;
    void *huge = malloc(too_big);
    bool huge_granted = huge != NULL;
    printf("malloc(RAM + swap + 8 GiB = %zu GiB): %s\n", too_big / GIB, huge_granted ? "granted" : "NULL");
    free(huge);

    struct rlimit capped = { .rlim_cur = GIB, .rlim_max = as.rlim_max };
    bool capped_refused = false;
    if (setrlimit(RLIMIT_AS, &capped) == 0) {
        void *two = malloc(2 * GIB);
        capped_refused = two == NULL;
        printf("with RLIMIT_AS at 1 GiB, malloc(2 GiB): %s\n", two ? "granted" : "NULL");
        free(two);
    }

    bool default_setting = mode == 0 && as.rlim_cur == RLIM_INFINITY && 8 * GIB < ram + swap;
    if (default_setting && (granted != BLOCKS || huge_granted || !capped_refused)) {
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    return 0;
}
