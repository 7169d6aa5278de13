/* BUG: writes a buffer whose bytes were never set. */
#include <unistd.h>

static void send(int fd)
{
    char message[8];
    message[0] = 'h';
    (void)write(fd, message, sizeof message);
}

int main(void)
{
    send(1);
    return 0;
}
