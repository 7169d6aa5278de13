/*
 * cycle_bug.c: a reference cycle leaks under reference counting.
 *
 * A parent holds a strong reference to its child and the child one to
 * its parent. When main gives back its own two references, each node
 * still has count 1, held by the other: neither is ever freed. Valgrind
 * reports the two blocks lost. cycle_weak.c is the fix.
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
    size_t count;        /* strong references */
    const char *name;
    struct node *other;  /* a strong reference, or NULL */
};

static struct node *node_new(const char *name)
{
    struct node *n = malloc(sizeof *n);

    if (n)
        *n = (struct node){ .count = 1, .name = name, .other = NULL };
    return n;
}

static struct node *node_ref(struct node *n)
{
    n->count++;
    return n;
}

static struct node *node_unref(struct node *n)
{
    if (n && --n->count == 0) {
        printf("freeing %s\n", n->name);
        node_unref(n->other); /* a node owns its reference to the other */
        free(n);
    }
    return NULL;
}

int main(void)
{
    struct node *parent = node_new("parent");
    struct node *child = node_new("child");

    if (!parent || !child)
        return 1;
    parent->other = node_ref(child);
    child->other = node_ref(parent); /* BUG: the cycle */
    printf("parent count %zu, child count %zu\n", parent->count, child->count);

    parent = node_unref(parent); /* 2 -> 1: the child still holds it */
    child = node_unref(child);   /* 2 -> 1: the parent still holds it */
    printf("main let go of both; nothing was freed\n");
    return 0;
}
