// LD_PRELOAD shim for profiling under valgrind only (bench/profile.sh); never linked into adoperm.
//
// Valgrind 3.19 (Debian bookworm) dies with an internal SIGSEGV as soon as a Swift `async` main reaches
// libdispatch's dispatch_main(), which parks the main thread with pthread_exit and sigsuspend. This replacement
// drains the main queue from the main thread instead, the way CoreFoundation's run loop does: wait on the main
// queue's eventfd, then run what is queued. Same program, same work; the process still ends with exit().
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

extern int _dispatch_get_main_queue_handle_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *message);

void dispatch_main(void) {
    int handle = _dispatch_get_main_queue_handle_4CF();
    for (;;) {
        struct pollfd wanted = {handle, POLLIN, 0};
        poll(&wanted, 1, -1);
        uint64_t count;
        (void)read(handle, &count, sizeof count);
        _dispatch_main_queue_callback_4CF(0);
    }
}
