/* BUG: three leaks: a lost buffer (definite), a lost list whose second node
 * is then lost through it (indirect), and a block only reachable through a
 * pointer into its middle (possible). */
#include <stdlib.h>

struct node {
    struct node *next;
    int value;
};

static char *interior; /* points 8 bytes into a block: "possibly lost" */

static char *buffer_new(void)
{
    return malloc(40);
}

static struct node *list_new(void)
{
    struct node *head = malloc(sizeof *head);
    head->next = malloc(sizeof *head->next);
    head->next->next = NULL;
    return head;
}

int main(void)
{
    char *buf = buffer_new();
    buf[0] = 'x';
    buf = NULL;
    struct node *list = list_new();
    list = NULL;
    interior = (char *)malloc(24) + 8;
    return buf == NULL && list == NULL ? 0 : 1;
}
