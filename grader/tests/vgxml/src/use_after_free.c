/* BUG: reads a field of a record after freeing it. */
#include <stdio.h>
#include <stdlib.h>

struct record {
    long id;
    long len;
    long spare[3];
};

static struct record *record_new(void)
{
    struct record *r = calloc(1, sizeof *r);
    return r;
}

static void record_free(struct record *r)
{
    free(r);
}

int main(void)
{
    struct record *r = record_new();
    record_free(r);
    printf("%ld\n", r->len);
    return 0;
}
