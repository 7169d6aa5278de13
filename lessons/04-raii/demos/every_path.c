/*
 * every_path.c: failing the n-th allocation, for every n, finds the one
 * error path that leaks.
 *
 * person_new() makes three allocations. Its error paths were written by
 * hand at each return, and one of them forgets a block. A normal run never
 * takes an error path, so it never shows the leak. The demo wraps malloc
 * in a counter that fails the n-th call, runs person_new() once for each
 * n, and counts the blocks left after each failure.
 *
 * Exits 1 unless exactly one n leaks: the third allocation's failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    int fail_at; /* the number of the call to fail; 0: none */
    int calls;   /* malloc calls so far */
    int live;    /* blocks allocated and not yet freed */
} heap;

static void *test_malloc(size_t size)
{
    if (++heap.calls == heap.fail_at)
        return NULL;
    void *block = malloc(size);
    if (block)
        heap.live++;
    return block;
}

static void test_free(void *block)
{
    if (block)
        heap.live--;
    free(block);
}

struct person {
    char *name;
    char *email;
};

/* Copies text into a new block, or returns NULL. */
static char *copy(const char *text)
{
    char *block = test_malloc(strlen(text) + 1);
    return block ? strcpy(block, text) : NULL;
}

static struct person *person_new(const char *name, const char *email)
{
    struct person *p = test_malloc(sizeof *p);
    if (!p)
        return NULL;
    p->name = copy(name);
    if (!p->name) {
        test_free(p);
        return NULL;
    }
    p->email = copy(email);
    if (!p->email) {
        test_free(p); /* BUG: p->name is lost */
        return NULL;
    }
    return p;
}

int main(void)
{
    int leaking = 0, leaking_n = 0;

    for (int n = 1; n <= 4; n++) {
        heap = (typeof(heap)){ .fail_at = n };
        struct person *p = person_new("Ada", "ada@example.org");
        if (p) {
            test_free(p->name);
            test_free(p->email);
            test_free(p);
        }
        printf("fail allocation %d: %-8s blocks left: %d\n", n,
               p ? "success" : "NULL", heap.live);
        if (heap.live != 0) {
            leaking++;
            leaking_n = n;
        }
        if (p)
            break; /* no allocation failed: every path has been tried */
    }
    if (leaking != 1 || leaking_n != 3) {
        puts("unexpected: the leak was not found where the lesson says");
        return 1;
    }
    return 0;
}
