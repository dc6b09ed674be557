/*
** gv_isolate.c -- modules in child processes.
**
** An isolated module is loaded, initialised and evaluated in a child, so
** the host never maps a plugin's code and a crash, an exit or a hang costs
** that module's results only.  Two processes per module, forked once per
** module per command:
**
**   the keeper  forked by the host before the run opens the database; it
**               never runs module code.  It forks the worker, hands the
**               worker's messages on to the host, watches its progress (the
**               watchdog), tells the host how it died, kills everything it
**               left behind (it is their subreaper), and starts a new worker
**               at the next case;
**   the worker  loads and evaluates the module, behind a seccomp filter
**               (no file or database can be opened for writing, no process
**               started, no signal sent to the keeper or the host) and
**               resource limits.
**
** The worker writes whole messages into memory shared with the keeper and
** hands a batch over (16 KiB, or what 50 ms gave) with one byte on a pipe.
** Whatever way the worker dies -- a signal the module set to SIG_DFL, a
** SIGKILL, _exit() -- what it committed is in that memory, and the keeper
** sends it before the news of the death: finished values are never lost,
** and the case the host asked for next is the one that was in progress.
**
** Messages, keeper to host: one type byte, a u32 length, the payload.  The
** host trusts none of it: every length, count and type is checked before
** use, and a message it cannot read fails that module alone.
**   'H' header: what the module is    'E' it cannot be loaded: why
**   'R' one value: status, number, error text, case and period
**   'Q' what the module read, as it reads it (before the value): whether
**       reads were left out (u8), then the five texts of a gv_read
**   'S' the worker died of a signal   'X' it exited: the status
**   'T' the watchdog stopped it      'D' done
*/
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/gv_host.h"

#define GVX_BATCH_BYTES 16384
#define GVX_BATCH_SECONDS 0.05
#define GVX_GRACE_MS 2000 /* the host waits this much more than the keeper's watchdog */
#define GVX_OUT_BYTES (256 * 1024)
#define GVX_TEXT_MAX (16 * 1024) /* longer texts (error messages) are cut */
#define GVX_MAX_PARAMS 1000      /* in a header: more is a forgery */
#define GVX_MAX_CHOICES 1000
#define GVX_RESTARTS 16  /* new workers after deaths, per module per run */
#define GVX_NOFILE 64    /* open files in a worker */
#define GVX_AS_MB 1024   /* address space of a worker, plus memory_mb */
#define GVX_STDERR_MB 64 /* what a worker may add to a standard error that is a file */
#define GVX_STOP_WAIT_MS 2000

typedef struct gv_child {
    pid_t pid; /* the keeper */
    int fd;
    unsigned char *buf; /* read buffer */
    size_t len, pos, cap;
    char *dead; /* why no more values will come: every later value is this error */
    char *last; /* the last death, for the message when the keeper gives up */
    int deaths;
    int reaped;
    size_t end;  /* where the message being read ends */
    int garbled; /* a read went past it */
    int go;      /* the pipe on which the host lets the child read, or -1 */
} gv_child;

/* ---------------------------------------------------------- shared memory */

/* Written by the worker, read by the keeper; the keeper clamps what it
** reads, since the module can write here as well. */
typedef struct gvX_shared {
    volatile size_t committed; /* bytes of whole messages not yet handed on */
    volatile long values;      /* evaluations finished: progress, for the watchdog */
    volatile int waiting;      /* waiting for the host or the keeper: no fault */
    volatile int started;      /* past the host's go: a death is a case's */
    volatile int finished;     /* ended as it should ('D', 'E', a probe) */
    unsigned char buf[GVX_OUT_BYTES];
} gvX_shared;

static gvX_shared *gvX_sh;

/* ------------------------------------------------------------ worker side */

static struct {
    int tick, ack; /* hand a batch over; wait until it is taken */
    size_t len;    /* bytes in gvX_sh->buf, the message being built included */
    double flushed_at;
} gvX_out;

static void gvX_flush(void) {
    size_t n = gvX_sh->committed;
    if (n == 0) return;
    gvX_sh->waiting = 1;
    char b = 't';
    ssize_t r;
    while ((r = write(gvX_out.tick, &b, 1)) < 0 && errno == EINTR) {
    }
    if (r != 1) _exit(1); /* the keeper is gone */
    while ((r = read(gvX_out.ack, &b, 1)) < 0 && errno == EINTR) {
    }
    if (r != 1) _exit(1);
    gvX_sh->waiting = 0;
    /* the keeper took [0, n) and set committed to 0; keep the rest */
    memmove(gvX_sh->buf, gvX_sh->buf + n, gvX_out.len - n);
    gvX_out.len -= n;
}

static void gvX_put(const void *p, size_t n) {
    /* full: hand over the whole messages so far; the one being built stays */
    if (gvX_out.len + n > GVX_OUT_BYTES) gvX_flush();
    if (gvX_out.len + n > GVX_OUT_BYTES) _exit(1); /* one message larger than the buffer */
    memcpy(gvX_sh->buf + gvX_out.len, p, n);
    gvX_out.len += n;
}

static void gvX_put_u32(uint32_t v) {
    gvX_put(&v, sizeof v);
}

static void gvX_put_str(const char *s) {
    uint32_t n = s ? (uint32_t)strnlen(s, GVX_TEXT_MAX) : UINT32_MAX;
    gvX_put_u32(n);
    if (s) gvX_put(s, n);
}

/* Begin a message; returns where its length goes. */
static size_t gvX_begin(char type) {
    gvX_put(&type, 1);
    size_t at = gvX_out.len;
    gvX_put_u32(0);
    return at;
}

static void gvX_end(size_t at) {
    uint32_t n = (uint32_t)(gvX_out.len - at - sizeof(uint32_t));
    memcpy(gvX_sh->buf + at, &n, sizeof n);
    __atomic_store_n(&gvX_sh->committed, gvX_out.len, __ATOMIC_RELEASE);
}

static void gvX_put_params(const gv_param_value *p, int n) {
    gvX_put_u32((uint32_t)n);
    for (int i = 0; i < n; i++) {
        gvX_put_str(p[i].name);
        gvX_put_u32((uint32_t)p[i].type);
        gvX_put(&p[i].number, sizeof p[i].number);
        gvX_put_str(p[i].string);
        gvX_put_str(p[i].help);
        uint32_t nc = 0;
        for (char **c = p[i].choices; c && *c; c++)
            nc++;
        gvX_put_u32(p[i].choices ? nc : UINT32_MAX);
        for (uint32_t k = 0; k < nc; k++)
            gvX_put_str(p[i].choices[k]);
    }
}

/* A new worker starts after the values its predecessors finished or died on. */
static long gvX_skip;

/* What the module read: each read kept goes to the host at once, as a
** 'Q', so the reads of a value the worker dies on are not lost. */
static gv_reads gvX_reads;

static void gvX_send_read(const gv_read *r) {
    size_t at = gvX_begin('Q');
    unsigned char more = r == NULL; /* NULL: more reads than are kept */
    gvX_put(&more, 1);
    for (int i = 0; i < GV_READ_TEXTS; i++)
        gvX_put_str(r ? r->text[i] : NULL);
    gvX_end(at);
}

static int gvX_child_value(void *ud, gevinst_ctx *ctx) {
    if (gvX_skip > 0) {
        gvX_skip--;
        return 0;
    }
    gv_module *m = ud;
    double v = 0;
    char *err = NULL;
    int status = gvM_evaluate(m, ctx, &v, &err);
    size_t at = gvX_begin('R');
    unsigned char st = (unsigned char)status;
    gvX_put(&st, 1);
    gvX_put(&ctx->fewest_persons, sizeof ctx->fewest_persons);
    gvX_put(&ctx->coverage, sizeof ctx->coverage);
    gvX_put(&v, sizeof v);
    gvX_put_str(err);
    /* which case and period, so the host can tell that both sides agree */
    gvX_put_str(ctx->case_fields[0]);
    gvX_put_str(ctx->period->text);
    gvX_end(at);
    free(err);
    gvX_sh->values++;
    /* a slow module's values go out as they come: the host waits for each */
    if (gvX_out.len >= GVX_BATCH_BYTES || gvU_clock() - gvX_out.flushed_at >= GVX_BATCH_SECONDS) {
        gvX_flush();
        gvX_out.flushed_at = gvU_clock();
    }
    return 0;
}

/* The worker's last message, and its end as it should be. */
static void gvX_finish(char type, const char *text) {
    size_t at = gvX_begin(type);
    if (type == 'E' || type == 'F') gvX_put_str(text);
    gvX_end(at);
    gvX_sh->finished = 1;
    gvX_flush();
    _exit(0);
}

/* Wait for the host's word that the run has taken its snapshot: reading
** before it could see an import the run does not. */
static void gvX_wait_for_go(int go) {
    char word;
    gvX_sh->waiting = 1;
    ssize_t r;
    while ((r = read(go, &word, 1)) < 0 && errno == EINTR) {
    }
    if (r != 1) {
        gvX_sh->finished = 1;
        _exit(0); /* the host went on without us */
    }
    close(go);
    gvX_sh->waiting = 0;
}

/* The kernel's word that nothing this process does can write: a seccomp
** filter (docs/modules.md, "What a module cannot do").  Opening a file for
** writing fails with EACCES, so SQLite falls back to reading; writing
** system calls, new processes and signals to others fail with EPERM. */
static int gvX_filter(pid_t keeper) {
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);
    if (!f) return -1;
    int rc = 0;
    static const int wflags[] = {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND};
    for (size_t i = 0; i < sizeof wflags / sizeof *wflags; i++) {
        scmp_datum_t fl = (scmp_datum_t)wflags[i];
        if (SCMP_SYS(open) >= 0)
            rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 1,
                                   SCMP_A1(SCMP_CMP_MASKED_EQ, fl, fl));
        rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
                               SCMP_A2(SCMP_CMP_MASKED_EQ, fl, fl));
    }
    static const int denied[] = {
        SCMP_SYS(creat),          SCMP_SYS(pwrite64),     SCMP_SYS(pwritev),
        SCMP_SYS(pwritev2),       SCMP_SYS(truncate),     SCMP_SYS(ftruncate),
        SCMP_SYS(fallocate),      SCMP_SYS(rename),       SCMP_SYS(renameat),
        SCMP_SYS(renameat2),      SCMP_SYS(unlink),       SCMP_SYS(unlinkat),
        SCMP_SYS(mkdir),          SCMP_SYS(mkdirat),      SCMP_SYS(rmdir),
        SCMP_SYS(link),           SCMP_SYS(linkat),       SCMP_SYS(symlink),
        SCMP_SYS(symlinkat),      SCMP_SYS(chmod),        SCMP_SYS(fchmod),
        SCMP_SYS(fchmodat),       SCMP_SYS(chown),        SCMP_SYS(fchown),
        SCMP_SYS(lchown),         SCMP_SYS(fchownat),     SCMP_SYS(mknod),
        SCMP_SYS(mknodat),        SCMP_SYS(utimensat),    SCMP_SYS(utimes),
        SCMP_SYS(utime),          SCMP_SYS(futimesat),    SCMP_SYS(setxattr),
        SCMP_SYS(lsetxattr),      SCMP_SYS(fsetxattr),    SCMP_SYS(removexattr),
        SCMP_SYS(lremovexattr),   SCMP_SYS(fremovexattr), SCMP_SYS(copy_file_range),
        SCMP_SYS(io_uring_setup), SCMP_SYS(fork),         SCMP_SYS(vfork),
        SCMP_SYS(execve),         SCMP_SYS(execveat),     SCMP_SYS(setsid),
        SCMP_SYS(setpgid),        SCMP_SYS(ptrace),       SCMP_SYS(process_vm_writev),
        SCMP_SYS(setrlimit)};
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        if (denied[i] >= 0) /* what this machine has */
            rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), denied[i], 0);
    /* openat2 hides its flags; clone3 too (glibc then uses clone) */
    rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0);
    rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    /* threads, but no processes */
    rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                           SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(prlimit64), 1,
                           SCMP_A2(SCMP_CMP_NE, 0, 0));
    /* no signal to the keeper, its group, or everyone */
    scmp_datum_t others[] = {(uint32_t)keeper, (uint32_t)-keeper, 0, (uint32_t)-1};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(kill), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, others[i]));
        rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tgkill), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, others[i]));
        rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(tkill), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffu, others[i]));
    }
    if (rc == 0) rc = seccomp_load(f);
    seccomp_release(f);
    return rc;
}

/* Limits of the worker's resources.  RLIMIT_AS is left alone under
** AddressSanitizer, whose shadow memory needs terabytes of address space. */
static void gvX_limit(const gv_limits *lim) {
    struct rlimit r;
#if !defined(__SANITIZE_ADDRESS__) && !defined(GEVINST_ASAN)
    r.rlim_cur = r.rlim_max = ((rlim_t)GVX_AS_MB + (rlim_t)ceil(lim->memory_mb)) << 20;
    setrlimit(RLIMIT_AS, &r);
#endif
    r.rlim_cur = r.rlim_max = GVX_NOFILE;
    setrlimit(RLIMIT_NOFILE, &r);
    /* no file to grow but the standard error the host gave */
    struct stat st;
    rlim_t grow = fstat(2, &st) == 0 && S_ISREG(st.st_mode)
                      ? (rlim_t)st.st_size + ((rlim_t)GVX_STDERR_MB << 20)
                      : 0;
    r.rlim_cur = r.rlim_max = grow;
    setrlimit(RLIMIT_FSIZE, &r);
    /* CPU: the soft limit, raised by the keeper as values come (see
       gvX_raise_cpu); the hard one open so that it can */
    r.rlim_cur = (rlim_t)(2 * lim->time_ms / 1000 + 1);
    r.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_CPU, &r);
}

/* A module that calls exit() ends the worker at once: the keeper sends
** what it committed and says it exited.  No later exit handler runs (a
** leak checker's would need to start a process, which the filter denies). */
static void gvX_on_exit(int status, void *ud) {
    (void)ud;
    fflush(stdout);
    _exit(status);
}

/* Keep fds 0, 1, 2 and ours (as 3, 4, 5); close whatever else the host had
** open, so no file of its is within the module's reach. */
static void gvX_own_fds(int *fds, int n) {
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0) fds[i] = fcntl(fds[i], F_DUPFD, 100);
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0) fds[i] = dup2(fds[i], 3 + i);
    close_range(3 + (unsigned)n, ~0U, 0);
}

/* The worker: load, describe, and in a run evaluate from the case its
** keeper says.  Never returns. */
static void gvX_worker(int tick, int ack, int go, long skip, const gv_indicator *ind,
                       const gv_config *cfg, gv_load_mode mode) {
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the keeper gone, nobody reads us */
    int fds[] = {tick, ack, go};
    gvX_own_fds(fds, 3);
    tick = fds[0], ack = fds[1], go = fds[2];
    on_exit(gvX_on_exit, NULL);
    gvM_guard_exits(0);
    /* a crash is the kernel's to report: no handler of the host's (a test
       runner's, a sanitizer's) runs in the worker */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    gvX_out.tick = tick;
    gvX_out.ack = ack;
    gvX_out.len = 0;
    gvX_out.flushed_at = gvU_clock();
    gvX_skip = skip;
    gvX_limit(&ind->limits);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (gvX_filter(getppid()) != 0)
        gvX_finish('E', gvU_mprintf("%s: cannot install the seccomp filter that keeps a module "
                                    "from writing (without it: isolate = false, trusted code)",
                                    ind->path));

    gv_module *m = NULL;
    char *err = NULL;
    if (gvM_load_here(ind, cfg, &m, &err) < 0) gvX_finish('E', err);
    if (go >= 0) { /* the first worker says what the module is */
        size_t at = gvX_begin('H');
        gvX_put_str(m->name);
        gvX_put_str(m->version);
        gvX_put_str(m->unit);
        gvX_put_str(m->description);
        gvX_put_params(m->defaults, m->ndefaults);
        gvX_end(at);
        gvX_sh->values++;
        if (mode == GV_LOAD_PROBE) gvX_finish('D', NULL);
        gvX_flush();
    }
    gv_param_value *params;
    int nparams;
    gv_diag diag = {0};
    if (gvM_bind_params(m, ind, &params, &nparams, &diag) < 0)
        gvX_finish('D', NULL); /* the host says why */
    if (go >= 0) gvX_wait_for_go(go);
    gvX_sh->started = 1;
    gv_source src;
    if (gvM_source_open(&src, cfg->database, &err) < 0) gvX_finish('F', err);
    src.reads = &gvX_reads;
    gvX_reads.added = gvX_send_read;
    if (gvM_each(&src, cfg, params, nparams, gvX_child_value, m, &err) < 0) gvX_finish('F', err);
    gvX_finish('D', NULL);
}

/* ------------------------------------------------------------ keeper side */

/* Write all of p to the host; -1 when it is gone. */
static int gvX_send(int out, const void *p, size_t n) {
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(out, (const char *)p + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Values handed on from the current worker: where a new one starts. */
static long gvX_values_sent;

/* Hand what the worker committed to the host, counting its values. */
static int gvX_pass(int out) {
    size_t n = __atomic_load_n(&gvX_sh->committed, __ATOMIC_ACQUIRE);
    if (n > GVX_OUT_BYTES) n = GVX_OUT_BYTES; /* the module wrote here: the host will see */
    const unsigned char *b = gvX_sh->buf;
    for (size_t at = 0; n - at > sizeof(uint32_t);) {
        uint32_t len;
        memcpy(&len, b + at + 1, sizeof len);
        gvX_values_sent += b[at] == 'R';
        if (len > n - at - 1 - sizeof len) break;
        at += 1 + sizeof len + len;
    }
    int rc = gvX_send(out, b, n);
    gvX_sh->committed = 0;
    return rc;
}

/* A message of one u32 from the keeper itself. */
static int gvX_send_u32(int out, char type, uint32_t v) {
    unsigned char msg[1 + 2 * sizeof(uint32_t)];
    uint32_t four = sizeof v;
    msg[0] = (unsigned char)type;
    memcpy(msg + 1, &four, sizeof four);
    memcpy(msg + 1 + sizeof four, &v, sizeof v);
    return gvX_send(out, msg, sizeof msg);
}

/* The worker's CPU limit, a little past what it has used: a value in a
** loop is stopped by the watchdog or, failing it, by the kernel. */
static void gvX_raise_cpu(pid_t w, long time_ms) {
    clockid_t clk;
    struct timespec used;
    if (clock_getcpuclockid(w, &clk) != 0 || clock_gettime(clk, &used) != 0) return;
    struct rlimit r = {(rlim_t)used.tv_sec + (rlim_t)(2 * time_ms / 1000 + 1), RLIM_INFINITY};
    prlimit(w, RLIMIT_CPU, &r, NULL);
}

/* Kill every process the worker left (orphans come to the keeper, their
** subreaper), until the keeper has no child. */
static void gvX_kill_rest(void) {
    for (;;) {
        char path[64], line[4096];
        snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
        if (f) fclose(f);
        line[n] = '\0';
        char *p = line, *end;
        for (long pid; (pid = strtol(p, &end, 10)) > 0; p = end)
            kill((pid_t)pid, SIGKILL);
        pid_t r;
        while ((r = waitpid(-1, NULL, WNOHANG)) > 0) {
        }
        if (r < 0 && errno == ECHILD) return;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
}

/* Watch one worker until it ends: hand its batches on, stop it when it
** makes no progress for a time limit.  Its wait status; *stopped when the
** watchdog ended it, *gone when the host is. */
static int gvX_watch(pid_t w, int tick, int ack, int out, long time_ms, int *stopped, int *gone) {
    long seen = -1;
    struct pollfd pfd[2] = {{tick, POLLIN, 0}, {out, 0, 0}};
    for (;;) {
        int ready = poll(pfd, 2, (int)time_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (pfd[1].revents & (POLLERR | POLLHUP)) {
            *gone = 1; /* the host closed its end: it wants nothing more */
            break;
        }
        if (ready > 0) {
            char b;
            if (read(tick, &b, 1) != 1) break; /* the worker ended */
            if (gvX_pass(out) < 0) {
                *gone = 1;
                break;
            }
            if (write(ack, "a", 1) != 1) break;
            gvX_raise_cpu(w, time_ms);
            continue;
        }
        long now = gvX_sh->values;
        if (gvX_sh->waiting || now != seen) {
            seen = now;
            gvX_raise_cpu(w, time_ms);
            continue;
        }
        if (waitpid(w, NULL, WNOHANG) == 0) *stopped = 1; /* alive, and stuck */
        break;
    }
    kill(w, SIGKILL);
    int status = 0;
    while (waitpid(w, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

/* Start a worker; its pid, with the pipes to it. */
static pid_t gvX_spawn(int *tick, int *ack, int out, int go, long skip, const gv_indicator *ind,
                       const gv_config *cfg, gv_load_mode mode) {
    int t[2], a[2];
    if (pipe(t) < 0) return -1;
    if (pipe(a) < 0) return close(t[0]), close(t[1]), -1;
    memset(gvX_sh, 0, offsetof(gvX_shared, buf));
    pid_t w = fork();
    if (w == 0) {
        close(out), close(t[0]), close(a[1]);
        gvX_worker(t[1], a[0], go, skip, ind, cfg, mode);
    }
    close(t[1]), close(a[0]);
    *tick = t[0];
    *ack = a[1];
    if (w < 0) close(t[0]), close(a[1]);
    return w;
}

/* Tell the host how the worker ended; 1 when it ended as it should. */
static int gvX_tell(int out, int status, int stopped) {
    if (gvX_sh->finished && !stopped && WIFEXITED(status) && WEXITSTATUS(status) == 0) return 1;
    if (stopped)
        gvX_send_u32(out, 'T', 0);
    else if (WIFSIGNALED(status))
        gvX_send_u32(out, 'S', (uint32_t)WTERMSIG(status));
    else
        gvX_send_u32(out, 'X', WIFEXITED(status) ? (uint32_t)WEXITSTATUS(status) : UINT32_MAX);
    return 0;
}

/* The keeper.  Never returns. */
static void gvX_keeper(int out, int go, const gv_indicator *ind, const gv_config *cfg,
                       gv_load_mode mode) {
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* the host gone, nobody reads us */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    dup2(2, 1);           /* what a module prints is no result: stdout goes to stderr */
    gvU_forget_catches(); /* the parent's calls are not this process's to return to */
    gvX_sh = mmap(NULL, sizeof *gvX_sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (gvX_sh == MAP_FAILED) _exit(1);
    long skip = 0;
    for (int restarts = 0;; restarts++) {
        int tick, ack, stopped = 0, gone = 0;
        gvX_values_sent = 0;
        pid_t w = gvX_spawn(&tick, &ack, out, restarts ? -1 : go, skip, ind, cfg, mode);
        if (w < 0) _exit(1);
        if (go >= 0) close(go), go = -1;
        int status = gvX_watch(w, tick, ack, out, ind->limits.time_ms, &stopped, &gone);
        close(tick), close(ack);
        gvX_kill_rest();
        if (gone) _exit(0);
        gvX_pass(out);
        if (gvX_tell(out, status, stopped) || !gvX_sh->started || restarts >= GVX_RESTARTS)
            _exit(0);
        skip += gvX_values_sent + 1; /* past the one it died on */
    }
}

/* ------------------------------------------------------------- host side */

/* Make n bytes readable within timeout_ms; 0, or -1 on end of stream,
** -2 on timeout. */
static int gvX_need(gv_child *c, size_t n, long timeout_ms) {
    if (c->len - c->pos >= n) return 0; /* the usual case: the batch is here */
    double deadline = gvU_clock() + (double)timeout_ms / 1000;
    while (c->len - c->pos < n) {
        if (c->pos > 0) {
            memmove(c->buf, c->buf + c->pos, c->len - c->pos);
            c->len -= c->pos;
            c->pos = 0;
        }
        while (c->cap - c->len < 65536 || c->cap < n) {
            c->cap = c->cap ? c->cap * 2 : 131072;
            c->buf = gvU_realloc(c->buf, c->cap);
        }
        double ms = (deadline - gvU_clock()) * 1000;
        int left = ms > 2e9 ? 2000000000 : (int)ms;
        struct pollfd pfd = {c->fd, POLLIN, 0};
        int ready = left > 0 ? poll(&pfd, 1, left) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) return -2;
        ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        c->len += (size_t)r;
    }
    return 0;
}

/* Reads within the current message; a child that writes what it should
** not is caught (garbled), never read past. */
static int gvX_have(gv_child *c, size_t n) {
    if (n > c->end - c->pos) {
        c->garbled = 1;
        return 0;
    }
    return 1;
}

static uint32_t gvX_u32(gv_child *c) {
    uint32_t v = 0;
    if (!gvX_have(c, sizeof v)) return 0;
    memcpy(&v, c->buf + c->pos, sizeof v);
    c->pos += sizeof v;
    return v;
}

static double gvX_f64(gv_child *c) {
    double v = 0;
    if (!gvX_have(c, sizeof v)) return 0;
    memcpy(&v, c->buf + c->pos, sizeof v);
    c->pos += sizeof v;
    return v;
}

static char *gvX_str(gv_child *c) {
    uint32_t n = gvX_u32(c);
    if (n == UINT32_MAX || c->garbled || n > GVX_TEXT_MAX || !gvX_have(c, n)) return NULL;
    char *s = gvU_malloc((size_t)n + 1);
    memcpy(s, c->buf + c->pos, n);
    s[n] = '\0';
    c->pos += n;
    return s;
}

/* Kill the keeper's group and collect it. */
static void gvX_kill(gv_child *c) {
    if (c->reaped) return;
    kill(-c->pid, SIGKILL);
    kill(c->pid, SIGKILL);
    while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR) {
    }
    c->reaped = 1;
}

/* Why a worker ended, from the keeper's message. */
static char *gvX_death(gv_child *c, char type, long limit_ms, const char *while_doing) {
    uint32_t v = gvX_u32(c);
    if (c->garbled) return gvU_strdup("sent a message gevinst cannot read");
    if (type == 'S')
        return gvU_mprintf("crashed %s: signal %u (%s)", while_doing, v, strsignal((int)v));
    if (type == 'T')
        return gvU_mprintf("stopped %s: time limit of %ld ms reached", while_doing, limit_ms);
    if (v == UINT32_MAX) return gvU_mprintf("ended %s", while_doing);
    return gvU_mprintf("exited %s with status %u", while_doing, v);
}

/* Read one message; its type, or 0 with *why set when there is none.
** 'S', 'T', 'X' (a death) and 'F' come back as their type with *why set. */
static char gvX_message(gv_child *c, long limit_ms, const gevinst_ctx *ctx, char **why) {
    /* the keeper's watchdog fires after one to two limits, and a new worker
       may have to load first: wait longer */
    long timeout_ms = 5 * limit_ms + GVX_GRACE_MS;
    int rc = gvX_need(c, 1 + sizeof(uint32_t), timeout_ms);
    uint32_t n = 0;
    if (rc == 0) {
        memcpy(&n, c->buf + c->pos + 1, sizeof n);
        if (n > GVX_OUT_BYTES) {
            gvX_kill(c);
            *why = gvU_mprintf("sent a message of %u bytes; gevinst reads at most %d", n,
                               GVX_OUT_BYTES);
            return 0;
        }
        rc = gvX_need(c, 1 + sizeof n + n, timeout_ms);
    }
    char while_doing[256] = "while loading";
    if (ctx)
        snprintf(while_doing, sizeof while_doing, "in case '%s', period %s", ctx->case_fields[0],
                 ctx->period->text);
    if (rc == -2) {
        gvX_kill(c);
        *why = gvU_mprintf("stopped %s: no answer within %ld ms", while_doing, timeout_ms);
        return 0;
    }
    if (rc == -1) {
        gvX_kill(c);
        *why = c->last ? gvU_mprintf("stopped after %d failures; the last: %s", c->deaths, c->last)
                       : gvU_mprintf("ended %s without a word", while_doing);
        return 0;
    }
    char type = (char)c->buf[c->pos];
    c->end = c->pos + 1 + sizeof n + n;
    c->garbled = 0;
    c->pos += 1 + sizeof n;
    if (type == 'S' || type == 'T' || type == 'X') *why = gvX_death(c, type, limit_ms, while_doing);
    if (type == 'F') *why = gvX_str(c);
    return type;
}

static void gvX_stop(gv_module *m);

/* A child that a failed allocation in the host unwound past: no one will
** read from it again. */
static void gvX_abandon(void *child) {
    gv_child *c = child;
    if (c->go >= 0) close(c->go);
    close(c->fd);
    gvX_kill(c);
}

/* One param of a header, checked: a name, a known type, a bounded list. */
static int gvX_param(gv_child *c, gv_param_value *p) {
    p->name = gvX_str(c);
    p->type = (int)gvX_u32(c);
    p->number = gvX_f64(c);
    p->string = gvX_str(c);
    p->help = gvX_str(c);
    uint32_t nc = gvX_u32(c);
    if (!p->name || c->garbled ||
        (p->type != GEVINST_PARAM_NUMBER && p->type != GEVINST_PARAM_STRING))
        return -1;
    if (nc == UINT32_MAX) return 0;
    /* each choice takes at least its length's four bytes */
    if (nc > GVX_MAX_CHOICES || nc > (c->end - c->pos) / sizeof(uint32_t)) return -1;
    p->choices = gvU_malloc(((size_t)nc + 1) * sizeof(char *));
    memset(p->choices, 0, ((size_t)nc + 1) * sizeof(char *));
    for (uint32_t k = 0; k < nc; k++)
        if (!(p->choices[k] = gvX_str(c))) return -1;
    return 0;
}

/* The header: what the module is.  Checked before anything uses it. */
static int gvX_header(gv_child *c, gv_module *m, char **err) {
    m->name = gvX_str(c);
    m->version = gvX_str(c);
    m->unit = gvX_str(c);
    m->description = gvX_str(c);
    uint32_t n = gvX_u32(c);
    /* a param takes at least 29 bytes: a forged count is found here */
    int ok = m->name && !c->garbled && n <= GVX_MAX_PARAMS && n <= (c->end - c->pos) / 29;
    if (ok) {
        m->defaults = gvU_malloc(((size_t)n + 1) * sizeof *m->defaults);
        memset(m->defaults, 0, ((size_t)n + 1) * sizeof *m->defaults);
        for (uint32_t i = 0; i < n && ok; i++, m->ndefaults++)
            ok = gvX_param(c, &m->defaults[i]) == 0;
    }
    if (ok) return 0;
    *err = gvU_mprintf("%s: sent a description gevinst cannot read", m->path);
    return -1;
}

/* Fork the keeper; learn from it what the module is. */
static int gvX_start(gv_module *m, char **err) {
    int fds[2], gos[2];
    gv_child *c = gvU_malloc(sizeof *c); /* before the fork: no child is left behind */
    memset(c, 0, sizeof *c);
    m->state = c;
    c->fd = c->go = -1;
    c->reaped = 1; /* no child yet */
    if (pipe(gos) < 0) {
        *err = gvU_mprintf("%s: cannot start a child process: %s", m->path, strerror(errno));
        return -1;
    }
    if (pipe(fds) < 0) {
        close(gos[0]), close(gos[1]);
        *err = gvU_mprintf("%s: cannot start a child process: %s", m->path, strerror(errno));
        return -1;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        *err = gvU_mprintf("%s: cannot start a child process: %s", m->path, strerror(errno));
        close(fds[0]), close(fds[1]), close(gos[0]), close(gos[1]);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0); /* a group of its own, killed as one */
        close(fds[0]), close(gos[1]);
        gvX_keeper(fds[1], gos[0], m->ind, m->cfg, m->mode);
    }
    setpgid(pid, pid); /* either side may come first */
    close(fds[1]), close(gos[0]);
    c->pid = pid;
    c->fd = fds[0];
    c->go = gos[1];
    c->reaped = 0;
    gvU_undo_on_unwind(gvX_abandon, c);

    char *why = NULL;
    char type = gvX_message(c, m->limits.time_ms, NULL, &why);
    if (type == 'E') {
        *err = gvX_str(c);
        if (!*err) *err = gvU_mprintf("%s: cannot be loaded", m->path);
        return -1;
    }
    if (type != 'H') {
        *err =
            gvU_mprintf("%s: %s", m->path, why ? why : "sent something unexpected while loading");
        free(why);
        return -1;
    }
    if (gvX_header(c, m, err) < 0) return -1;
    if (m->mode == GV_LOAD_PROBE) gvX_stop(m);
    return 0;
}

/* One 'R' message for ctx: its status, or -1 with *why. */
static int gvX_value(gv_child *c, gevinst_ctx *ctx, double *value, char **err, char **why) {
    int status = gvX_have(c, 1) ? c->buf[c->pos++] : -1;
    ctx->fewest_persons = gvX_f64(c);
    ctx->coverage = gvX_f64(c);
    if (!(ctx->coverage >= 0 && ctx->coverage <= 1)) ctx->coverage = NAN;
    *value = gvX_f64(c);
    *err = gvX_str(c);
    char *case_id = gvX_str(c), *period = gvX_str(c);
    int same = case_id && period && strcmp(case_id, ctx->case_fields[0]) == 0 &&
               strcmp(period, ctx->period->text) == 0;
    free(case_id), free(period);
    c->pos = c->end; /* whatever it held, the message is read */
    if (same && !c->garbled && status >= GEVINST_OK && status <= GEVINST_ERROR) return status;
    free(*err);
    *err = NULL;
    *why = gvU_strdup(same || c->garbled ? "sent a message gevinst cannot read"
                                         : "computed another case than asked: did the cases "
                                           "change during the run?");
    return -1;
}

/* One 'Q' message: a read, recorded where ctx's reads are; -1 when it
** cannot be read. */
static int gvX_read(gv_child *c, gevinst_ctx *ctx) {
    int more = gvX_have(c, 1) ? c->buf[c->pos++] : -1;
    char *text[GV_READ_TEXTS];
    for (int i = 0; i < GV_READ_TEXTS; i++)
        text[i] = gvX_str(c);
    int ok = !c->garbled && (more == 0 || more == 1);
    c->pos = c->end;
    gv_reads *reads = ctx->src->reads;
    if (ok && reads && more)
        reads->more = 1;
    else if (ok && reads)
        gvM_reads_add(reads, (const char *const *)text);
    for (int i = 0; i < GV_READ_TEXTS; i++)
        free(text[i]);
    return ok ? 0 : -1;
}

static int gvX_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    gv_child *c = m->state;
    if (c->dead) {
        *err = gvU_mprintf("not evaluated: the module %s", c->dead);
        return GEVINST_ERROR;
    }
    char *why = NULL;
    char type = gvX_message(c, m->limits.time_ms, ctx, &why);
    /* a value's reads come before it: as many as a module keeps, and one
       saying more were left out */
    for (int reads = 0; type == 'Q'; reads++) {
        if (reads > GV_READS_MAX || gvX_read(c, ctx) < 0) {
            type = 0, why = gvU_strdup("sent a read gevinst cannot take");
            break;
        }
        type = gvX_message(c, m->limits.time_ms, ctx, &why);
    }
    if (type == 'R') {
        int status = gvX_value(c, ctx, value, err, &why);
        if (status >= 0) return status;
    } else if (type == 'S' || type == 'T' || type == 'X') {
        /* the worker died on this value; the keeper starts another at the next */
        c->pos = c->end;
        c->deaths++;
        free(c->last);
        c->last = why;
        *err = gvU_strdup(why);
        return GEVINST_ERROR;
    } else if (type != 0 && type != 'F') {
        free(why);
        why = gvU_mprintf("sent a message gevinst cannot read (type %d)", (unsigned char)type);
    }
    gvX_kill(c);
    c->dead = why ? why : gvU_strdup("ended early");
    /* the keeper gave up: this value was not tried either */
    *err = type == 0 && c->deaths ? gvU_mprintf("not evaluated: the module %s", c->dead)
                                  : gvU_strdup(c->dead);
    return GEVINST_ERROR;
}

/* The run has its snapshot: the child may read. */
static void gvX_go(gv_module *m) {
    gv_child *c = m->state;
    if (!c || c->go < 0) return;
    /* a child that died already is found out at its first value; writing
       to it must not raise SIGPIPE in a process that is not ours to
       signal: blocked for the write, and one it raised is taken back */
    sigset_t pipe_only, before;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &before);
    ssize_t w;
    while ((w = write(c->go, "g", 1)) < 0 && errno == EINTR) {
    }
    if (w < 0 && errno == EPIPE) {
        static const struct timespec now = {0, 0};
        sigtimedwait(&pipe_only, NULL, &now);
    }
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    close(c->go);
    c->go = -1;
}

/* Closing the pipe tells the keeper to end its worker and everything the
** worker started; it gets a moment for that, then its group is killed. */
static void gvX_stop(gv_module *m) {
    gv_child *c = m->state;
    if (!c) return;
    gvU_undone(c);
    if (c->go >= 0) close(c->go);
    if (c->fd >= 0) close(c->fd);
    for (int ms = 0; !c->reaped && ms < GVX_STOP_WAIT_MS; ms++) {
        pid_t r = waitpid(c->pid, NULL, WNOHANG);
        if (r == c->pid || (r < 0 && errno != EINTR)) c->reaped = 1;
        if (!c->reaped) nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    gvX_kill(c);
    free(c->buf);
    free(c->dead);
    free(c->last);
    free(c);
    m->state = NULL;
}

/* The runner of every isolated module: a child process running the
** module's own loader.  Its kind stays the module's (m->loader). */
const gv_loader gvX_isolated = {
    {"isolated", NULL, NULL, NULL},
    "isolated",
    "module in a child process",
    gvX_start,
    gvX_evaluate,
    gvX_stop,
    gvX_go,
    NULL,
};
