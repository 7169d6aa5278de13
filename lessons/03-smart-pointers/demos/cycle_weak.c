/*
 * cycle_weak.c: the cycle of cycle_bug.c, broken by a weak back pointer.
 *
 * The parent holds its child strongly; the child holds its parent weakly:
 * a weak reference counts in a second count that keeps the node's block
 * (its counts) alive, not its contents. When main lets go, the parent's
 * strong count reaches 0, it is destroyed, and it releases the child.
 * Claims checked: every block is freed (counted here), and upgrading the
 * child's weak reference fails once the parent is gone. Exits 1 if not.
 */
#include <stdio.h>
#include <stdlib.h>

struct node {
    size_t strong, weak;  /* references of each kind */
    const char *name;
    struct node *child;   /* strong reference, or NULL */
    struct node *parent;  /* weak reference, or NULL */
};

static int live_blocks;

static struct node *node_new(const char *name)
{
    struct node *n = malloc(sizeof *n);

    if (n) {
        *n = (struct node){ .strong = 1, .name = name };
        live_blocks++;
    }
    return n;
}

static void block_free(struct node *n)
{
    printf("  block of %s freed\n", n->name);
    free(n);
    live_blocks--;
}

static void weak_unref(struct node *n)
{
    if (n && --n->weak == 0 && n->strong == 0)
        block_free(n);
}

static void strong_unref(struct node *n)
{
    if (!n || --n->strong > 0)
        return;
    printf("  %s destroyed\n", n->name);
    n->weak++; /* hold the block while its references are given back */
    strong_unref(n->child);
    weak_unref(n->parent);
    weak_unref(n);
}

/* Returns n with one more strong reference, or NULL if it is gone. */
static struct node *upgrade(struct node *n)
{
    if (!n || n->strong == 0)
        return NULL;
    n->strong++;
    return n;
}

int main(void)
{
    struct node *parent = node_new("parent");
    struct node *child = node_new("child");

    if (!parent || !child)
        return 1;
    child->strong++;
    parent->child = child;   /* strong: the parent owns the child */
    parent->weak++;
    child->parent = parent;  /* weak: the child only knows its parent */

    struct node *seen = upgrade(child->parent);
    printf("child upgrades its parent: %s\n", seen ? seen->name : "(gone)");
    strong_unref(seen);

    struct node *keep = child; /* main keeps the child a little longer */
    printf("main lets go of the parent:\n");
    strong_unref(parent);
    seen = upgrade(keep->parent);
    printf("child upgrades its parent: %s\n", seen ? seen->name : "(gone)");
    int ok = seen == NULL;
    printf("main lets go of the child:\n");
    strong_unref(keep);
    printf("blocks still allocated: %d\n", live_blocks);
    return ok && live_blocks == 0 ? 0 : 1;
}
