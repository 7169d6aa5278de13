/* BUG: calls through a function pointer that was never set. */
#include <stddef.h>

typedef int (*handler_fn)(int);

static handler_fn handler;

static int dispatch(int event)
{
    return handler(event);
}

int main(void)
{
    return dispatch(1);
}
