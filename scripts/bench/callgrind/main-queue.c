/*
 * LD_PRELOAD shim for running a Swift program with an async main under valgrind (benchmarks only).
 *
 * Swift's async main ends in libdispatch's dispatch_main(), which parks the main thread in
 * pthread_exit and then sigsuspend; Debian 12's valgrind 3.19 dies there ("VALGRIND INTERNAL
 * ERROR: Valgrind received a signal 11"). This dispatch_main serves the main queue the way
 * CoreFoundation's run loop does instead: wait on the queue's event fd, drain, repeat. The
 * program's own code runs unchanged.
 */
#include <poll.h>
#include <sys/eventfd.h>

extern int _dispatch_get_main_queue_handle_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *message);

void dispatch_main(void) {
    int fd = _dispatch_get_main_queue_handle_4CF();
    struct pollfd wait = { .fd = fd, .events = POLLIN };
    for (;;) {
        eventfd_t ignored;
        poll(&wait, 1, -1);
        eventfd_read(fd, &ignored);
        _dispatch_main_queue_callback_4CF(0);
    }
}
