/*
 * powercut.so: an LD_PRELOAD library that records what a process writes to one file and when
 * it is made durable, so that a test can rebuild the file as a power cut would have left it
 * (the way SQLite's crash tests and ALICE do). It can also inject failures.
 *
 * Environment:
 *   POWERCUT_FILE      absolute path of the file to watch (for kvstore: DATA_DIR/data.mdb)
 *   POWERCUT_JOURNAL   file the records are appended to (O_APPEND, one write per record)
 *   POWERCUT_SYNC_DELAY_US    sleep this long inside each fsync/fdatasync (a slower disk)
 *   POWERCUT_KILL_AT_BARRIER  N: the Nth barrier (1-based) never completes: the process sleeps
 *                             POWERCUT_SYNC_DELAY_US, then kills itself with SIGKILL, mid-fsync
 *   POWERCUT_FAIL_FSYNC_IF   PATH: while PATH exists, every fsync/fdatasync of the file fails with EIO
 *   POWERCUT_FAIL_MMAP_IF    PATH: while PATH exists, every mmap of the file fails with ENOMEM
 *   POWERCUT_MMAP_DELAY_US   each mmap of the file sleeps this long first (a map resize has
 *                            then unmapped the old map for that long: a wide race window)
 *
 * Journal records: a header {uint32 magic, uint32 type, uint64 offset, uint64 length} and, for
 * writes, `length` bytes of data. Types: 1 write (volatile until the next barrier), 2 barrier
 * (an fsync/fdatasync of the file returned 0: every earlier write is durable), 3 write through an
 * O_SYNC/O_DSYNC descriptor (durable by itself once it returned). A record cut short by SIGKILL
 * is incomplete and is ignored by the reader (scripts/power_cut_test.py).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAGIC 0x50435554u /* "PCUT" */
#define MAX_FDS 4096
enum { RECORD_WRITE = 1, RECORD_BARRIER = 2, RECORD_SYNC_WRITE = 3 };

struct record_header {
    uint32_t magic;
    uint32_t type;
    uint64_t offset;
    uint64_t length;
};

/* 0: not the watched file; 1: watched; 2: watched and opened O_SYNC/O_DSYNC. */
static unsigned char watched[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *target;
static int journal = -1;
static const char *fail_fsync_if, *fail_mmap_if;
static long sync_delay_us, mmap_delay_us, kill_at_barrier = -1;
static long barriers;

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static void *(*real_mmap64)(void *, size_t, int, int, int, off_t);

static long env_long(const char *name, long fallback) {
    const char *value = getenv(name);
    return value && *value ? strtol(value, NULL, 10) : fallback;
}

static void initialize(void) {
    real_open = dlsym(RTLD_NEXT, "open");
    real_open64 = dlsym(RTLD_NEXT, "open64");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_close = dlsym(RTLD_NEXT, "close");
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_pwritev = dlsym(RTLD_NEXT, "pwritev");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_mmap = dlsym(RTLD_NEXT, "mmap");
    real_mmap64 = dlsym(RTLD_NEXT, "mmap64");
    target = getenv("POWERCUT_FILE");
    const char *journal_path = getenv("POWERCUT_JOURNAL");
    if (journal_path && *journal_path)
        journal = real_open(journal_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    sync_delay_us = env_long("POWERCUT_SYNC_DELAY_US", 0);
    kill_at_barrier = env_long("POWERCUT_KILL_AT_BARRIER", -1);
    fail_fsync_if = getenv("POWERCUT_FAIL_FSYNC_IF");
    fail_mmap_if = getenv("POWERCUT_FAIL_MMAP_IF");
    mmap_delay_us = env_long("POWERCUT_MMAP_DELAY_US", 0);
}

static void init(void) { pthread_once(&once, initialize); }

static int is_watched(int fd) { return fd >= 0 && fd < MAX_FDS && watched[fd]; }

static int exists(const char *path) { return path && *path && access(path, F_OK) == 0; }

/* Marks `fd` if it names the watched file (resolved through /proc, so any spelling matches). */
static void note_open(int fd, int flags) {
    if (fd < 0 || fd >= MAX_FDS) return;
    watched[fd] = 0;
    if (!target) return;
    char link[64], resolved[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, resolved, sizeof resolved - 1);
    if (n <= 0) return;
    resolved[n] = 0;
    if (strcmp(resolved, target) == 0) watched[fd] = (flags & (O_SYNC | O_DSYNC)) ? 2 : 1;
}

static void append(uint32_t type, uint64_t offset, const struct iovec *data, int count, uint64_t length) {
    if (journal < 0) return;
    struct record_header header = { MAGIC, type, offset, length };
    struct iovec parts[1 + 64];
    parts[0].iov_base = &header;
    parts[0].iov_len = sizeof header;
    int n = 1;
    uint64_t left = length;
    for (int i = 0; i < count && n < 65 && left > 0; i++) {
        size_t take = data[i].iov_len < left ? data[i].iov_len : (size_t)left;
        parts[n].iov_base = data[i].iov_base;
        parts[n].iov_len = take;
        left -= take;
        n++;
    }
    pthread_mutex_lock(&lock);
    /* Regular-file writes of this size complete in one call unless SIGKILL cuts them short. */
    writev(journal, parts, n);
    pthread_mutex_unlock(&lock);
}

static void record_write(int fd, uint64_t offset, const struct iovec *data, int count, ssize_t written) {
    if (written <= 0) return;
    append(watched[fd] == 2 ? RECORD_SYNC_WRITE : RECORD_WRITE, offset, data, count, (uint64_t)written);
}

static int barrier(int fd, int (*real)(int)) {
    init();
    if (!is_watched(fd)) return real(fd);
    pthread_mutex_lock(&lock);
    long number = ++barriers;
    pthread_mutex_unlock(&lock);
    if (sync_delay_us > 0) usleep((useconds_t)sync_delay_us);
    if (kill_at_barrier > 0 && number == kill_at_barrier) raise(SIGKILL);
    if (exists(fail_fsync_if)) {
        errno = EIO;
        return -1;
    }
    int rc = real(fd);
    if (rc == 0) append(RECORD_BARRIER, 0, NULL, 0, 0);
    return rc;
}

static int open_common(int (*real)(const char *, int, ...), const char *path, int flags, va_list args) {
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(args, int) : 0;
    int fd = real(path, flags, mode);
    note_open(fd, flags);
    return fd;
}

int open(const char *path, int flags, ...) {
    init();
    va_list args;
    va_start(args, flags);
    int fd = open_common(real_open, path, flags, args);
    va_end(args);
    return fd;
}

int open64(const char *path, int flags, ...) {
    init();
    va_list args;
    va_start(args, flags);
    int fd = open_common(real_open64 ? real_open64 : real_open, path, flags, args);
    va_end(args);
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...) {
    init();
    va_list args;
    va_start(args, flags);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(args, int) : 0;
    va_end(args);
    int fd = real_openat(dirfd, path, flags, mode);
    note_open(fd, flags);
    return fd;
}

int close(int fd) {
    init();
    if (fd >= 0 && fd < MAX_FDS) watched[fd] = 0;
    return real_close(fd);
}

ssize_t write(int fd, const void *buffer, size_t count) {
    init();
    ssize_t written = real_write(fd, buffer, count);
    if (is_watched(fd) && written > 0) {
        off_t end = lseek(fd, 0, SEEK_CUR);
        struct iovec part = { (void *)buffer, count };
        record_write(fd, (uint64_t)(end - written), &part, 1, written);
    }
    return written;
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    init();
    ssize_t written = real_pwrite(fd, buffer, count, offset);
    if (is_watched(fd)) {
        struct iovec part = { (void *)buffer, count };
        record_write(fd, (uint64_t)offset, &part, 1, written);
    }
    return written;
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) {
    init();
    ssize_t written = (real_pwrite64 ? real_pwrite64 : real_pwrite)(fd, buffer, count, offset);
    if (is_watched(fd)) {
        struct iovec part = { (void *)buffer, count };
        record_write(fd, (uint64_t)offset, &part, 1, written);
    }
    return written;
}

ssize_t writev(int fd, const struct iovec *parts, int count) {
    init();
    ssize_t written = real_writev(fd, parts, count);
    if (is_watched(fd) && written > 0) {
        off_t end = lseek(fd, 0, SEEK_CUR);
        record_write(fd, (uint64_t)(end - written), parts, count, written);
    }
    return written;
}

ssize_t pwritev(int fd, const struct iovec *parts, int count, off_t offset) {
    init();
    ssize_t written = real_pwritev(fd, parts, count, offset);
    if (is_watched(fd)) record_write(fd, (uint64_t)offset, parts, count, written);
    return written;
}

int fsync(int fd) {
    init();
    return barrier(fd, real_fsync);
}

int fdatasync(int fd) {
    init();
    return barrier(fd, real_fdatasync);
}

static void *map_common(void *(*real)(void *, size_t, int, int, int, off_t),
                        void *address, size_t length, int protection, int flags, int fd, off_t offset) {
    if (is_watched(fd) && mmap_delay_us > 0) usleep((useconds_t)mmap_delay_us);
    if (is_watched(fd) && exists(fail_mmap_if)) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return real(address, length, protection, flags, fd, offset);
}

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset) {
    init();
    return map_common(real_mmap, address, length, protection, flags, fd, offset);
}

void *mmap64(void *address, size_t length, int protection, int flags, int fd, off_t offset) {
    init();
    return map_common(real_mmap64 ? real_mmap64 : real_mmap, address, length, protection, flags, fd, offset);
}
