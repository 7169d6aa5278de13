/*
 * double_free_bug.c: two structs share one block, and both free it.
 *
 * Copying a struct copies its pointers, not the blocks they point to, so
 * after `b = a` both users think they own the same name.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct user {
    char *name; /* owned by the user */
};

/* Frees what a user owns. */
static void user_done(struct user *user)
{
    free(user->name);
    user->name = NULL;
}

int main(void)
{
    struct user a = { .name = strdup("ada") };

    if (!a.name)
        return 1;
    struct user b = a; /* BUG: b.name is the same block as a.name */
    printf("%s and %s\n", a.name, b.name);
    user_done(&a);
    user_done(&b); /* frees the block a second time */
    return 0;
}
