/*
 * cascade.c: reference counting has pauses too.
 *
 * A list of one million reference-counted nodes, each owning the next.
 * Giving back the one reference to the head frees every node, in that
 * single call: its cost grows with the size of what dies, as a garbage
 * collector's pause grows with what it scans. The unref walks the chain
 * with a loop; the recursive version would nest a million calls and
 * overflow the stack (lesson 01).
 * Claim checked: the one unref freed every node. Exits 1 if not. The
 * times are printed, not checked: they vary from machine to machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NODES 1000000

struct node {
    size_t count;      /* references */
    struct node *next; /* a strong reference, or NULL */
};

static size_t freed;

/* Gives back a reference; frees the chain of nodes that dies with it. */
static void node_unref(struct node *n)
{
    while (n && --n->count == 0) {
        struct node *next = n->next; /* read before free */

        free(n);
        freed++;
        n = next; /* the dead node's reference to next is given back */
    }
}

static double seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    struct node *head = NULL;
    double start = seconds();

    for (size_t i = 0; i < NODES; i++) {
        struct node *n = malloc(sizeof *n);

        if (!n)
            return 1;
        *n = (struct node){ .count = 1, .next = head }; /* takes head's ref */
        head = n;
    }
    double built = seconds();
    node_unref(head); /* the last reference to the head */
    double done = seconds();

    printf("built %d nodes in %.1f ms\n", NODES, (built - start) * 1e3);
    printf("one node_unref(head) freed %zu nodes in %.1f ms\n", freed,
           (done - built) * 1e3);
    return freed == NODES ? 0 : 1;
}
