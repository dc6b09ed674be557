/*
** gv_isolate.c -- modules in child processes.
**
** An isolated module is loaded, initialised and evaluated in a child
** forked once per module per run, so the host never maps a plugin's code
** and a crash, an exit or a hang costs that module's results only.  The
** child evaluates every case and period in the host's order and streams
** the values back through a pipe in batches; the host reads one value per
** gvX_evaluate().  What the child has computed is never lost: a signal
** handler sends the finished part of the batch before the child dies.
**
** Messages, child to host: one type byte, a u32 length, the payload.
**   'H' header: what the module is    'E' it cannot be loaded: why
**   'R' one value: status, number, error text
**   'S' signal number the child died of   'T' time limit passed
**   'F' the child cannot go on: why     'D' done
*/
#include <math.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/gv_host.h"

#define GVX_BATCH_BYTES 16384
#define GVX_BATCH_SECONDS 0.05
#define GVX_GRACE_MS 2000 /* the host waits this much more than the child's own watchdog */

typedef struct gv_child {
    pid_t pid;
    int fd;
    unsigned char *buf; /* read buffer */
    size_t len, pos, cap;
    char *dead; /* why no more values will come: every later value is this error */
    int reaped;
    size_t end;  /* where the message being read ends */
    int garbled; /* a read went past it */
    int go;      /* the pipe on which the host lets the child read, or -1 */
} gv_child;

/* ------------------------------------------------------------ child side */

/* The child's outgoing batch.  `committed` counts whole messages, so the
** signal handler sends nothing half-written. */
#define GVX_OUT_BYTES (256 * 1024)
#define GVX_TEXT_MAX (16 * 1024) /* longer texts (error messages) are cut */

/* A fixed buffer: the signal handler may read it at any moment, so it is
** never moved by a realloc. */
static unsigned char gvX_out_buf[GVX_OUT_BYTES];

static struct {
    int fd;
    unsigned char *buf;
    size_t cap;
    volatile size_t committed;
    size_t len;
    volatile sig_atomic_t values; /* evaluations finished, for the watchdog */
    sig_atomic_t seen;            /* ... as the watchdog saw it last time */
    double flushed_at;
} gvX_out;

static void gvX_flush(void);

static void gvX_put(const void *p, size_t n) {
    /* full: send the whole messages so far; the one being built stays */
    if (gvX_out.len + n > gvX_out.cap) gvX_flush();
    if (gvX_out.len + n > gvX_out.cap) _exit(1); /* one message larger than the buffer */
    memcpy(gvX_out.buf + gvX_out.len, p, n);
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
    memcpy(gvX_out.buf + at, &n, sizeof n);
    gvX_out.committed = gvX_out.len;
}

/* Write what is committed; async-signal-safe. */
static void gvX_write(void) {
    size_t off = 0, n = gvX_out.committed;
    while (off < n) {
        ssize_t w = write(gvX_out.fd, gvX_out.buf + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) _exit(1); /* the host is gone */
        off += (size_t)w;
    }
    /* keep an uncommitted tail (there is none between messages) */
    if (gvX_out.len > n) memmove(gvX_out.buf, gvX_out.buf + n, gvX_out.len - n);
    gvX_out.len -= n;
    gvX_out.committed = 0;
}

/* A fatal signal or the watchdog: send the finished values, say why, go. */
static void gvX_on_signal(int sig) {
    unsigned char msg[1 + 2 * sizeof(uint32_t)];
    uint32_t four = sizeof(uint32_t), s = (uint32_t)sig;
    if (sig == SIGALRM) {
        if (gvX_out.values != gvX_out.seen) { /* progress since the last tick */
            gvX_out.seen = gvX_out.values;
            return;
        }
        msg[0] = 'T';
    } else {
        msg[0] = 'S';
    }
    memcpy(msg + 1, &four, sizeof four);
    memcpy(msg + 1 + sizeof four, &s, sizeof s);
    gvX_write();
    if (write(gvX_out.fd, msg, sizeof msg) < 0) _exit(1);
    _exit(sig == SIGALRM ? 3 : 2);
}

/* Send the batch.  While the host is busy elsewhere the write blocks; that
** is no fault of the module, so the watchdog pauses meanwhile. */
static struct itimerval gvX_tick;

static void gvX_flush(void) {
    if (gvX_out.committed == 0) return;
    static const struct itimerval off;
    setitimer(ITIMER_REAL, &off, NULL);
    gvX_write();
    gvX_out.values++;
    setitimer(ITIMER_REAL, &gvX_tick, NULL);
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

static int gvX_child_value(void *ud, gevinst_ctx *ctx) {
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
    gvX_out.values++;
    /* a slow module's values go out as they come: the host waits for each */
    if (gvX_out.len >= GVX_BATCH_BYTES || gvU_clock() - gvX_out.flushed_at >= GVX_BATCH_SECONDS) {
        gvX_flush();
        gvX_out.flushed_at = gvU_clock();
    }
    return 0;
}

static void gvX_fatal(const char *msg) {
    size_t at = gvX_begin('F');
    gvX_put_str(msg);
    gvX_end(at);
    gvX_flush();
    _exit(0);
}

/* A module that calls exit() ends the child: send the finished values
** first, so only the value in progress is lost. */
static void gvX_at_exit(void) {
    static const struct itimerval off;
    setitimer(ITIMER_REAL, &off, NULL); /* the watchdog must not send it again */
    gvX_write();
}

/* The child: load, describe, and in a run evaluate everything.  Never
** returns; _exit skips the host's atexit work and stdio buffers. */
/* Wait for the host's word that the run has taken its snapshot: reading
** before it could see an import the run does not.  Waiting is no fault of
** the module: the watchdog pauses meanwhile. */
static void gvX_wait_for_go(int go) {
    static const struct itimerval off;
    char word;
    setitimer(ITIMER_REAL, &off, NULL);
    ssize_t r;
    while ((r = read(go, &word, 1)) < 0 && errno == EINTR) {
    }
    if (r != 1) _exit(0); /* the host went on without us */
    close(go);
    setitimer(ITIMER_REAL, &gvX_tick, NULL);
}

static void gvX_child(int fd, int go, const gv_indicator *ind, const gv_config *cfg,
                      gv_load_mode mode) {
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM};
    /* a stack overflow leaves no stack for the handler: give it its own */
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = gvX_on_signal;
    sigfillset(&sa.sa_mask); /* one handler at a time */
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        /* the watchdog's ticks must not make a plugin's system calls fail */
        sa.sa_flags = SA_ONSTACK | (fatal[i] == SIGALRM ? SA_RESTART : 0);
        sigaction(fatal[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_DFL);
    atexit(gvX_at_exit);
    gvU_forget_catches(); /* the parent's calls are not this process's to return to */
    gvX_out.fd = fd;
    gvX_out.buf = gvX_out_buf;
    gvX_out.cap = sizeof gvX_out_buf;
    gvX_out.flushed_at = gvU_clock();

    /* the watchdog ticks every time limit; a tick without progress ends us */
    gvX_tick.it_interval.tv_sec = ind->limits.time_ms / 1000;
    gvX_tick.it_interval.tv_usec = (ind->limits.time_ms % 1000) * 1000;
    gvX_tick.it_value = gvX_tick.it_interval;
    setitimer(ITIMER_REAL, &gvX_tick, NULL);

    gv_module *m = NULL;
    char *err = NULL;
    if (gvM_load_here(ind, cfg, &m, &err) < 0) {
        size_t at = gvX_begin('E');
        gvX_put_str(err);
        gvX_end(at);
        gvX_flush();
        _exit(0);
    }
    size_t at = gvX_begin('H');
    gvX_put_str(m->name);
    gvX_put_str(m->version);
    gvX_put_str(m->unit);
    gvX_put_str(m->description);
    gvX_put_params(m->defaults, m->ndefaults);
    gvX_end(at);
    gvX_out.values++;
    gvX_flush();
    if (mode == GV_LOAD_PROBE) _exit(0);

    gv_param_value *params;
    int nparams;
    gv_diag diag = {0};
    if (gvM_bind_params(m, ind, &params, &nparams, &diag) < 0) _exit(0); /* the host says why */
    gvX_wait_for_go(go);
    gv_source src;
    if (gvM_source_open(&src, cfg->database, &err) < 0) gvX_fatal(err);
    if (gvM_each(&src, cfg, params, nparams, gvX_child_value, m, &err) < 0) gvX_fatal(err);
    at = gvX_begin('D');
    gvX_end(at);
    gvX_flush();
    _exit(0);
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
        if (c->cap - c->len < 65536) {
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
    if (c->pos + n > c->end) {
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
    if (n == UINT32_MAX || c->garbled || !gvX_have(c, n)) return NULL;
    char *s = gvU_malloc(n + 1);
    memcpy(s, c->buf + c->pos, n);
    s[n] = '\0';
    c->pos += n;
    return s;
}

/* Why the child ended, after its stream did. */
static char *gvX_reap(gv_child *c, const char *while_doing) {
    int status = 0;
    if (!c->reaped && waitpid(c->pid, &status, 0) == c->pid) c->reaped = 1;
    if (WIFSIGNALED(status))
        return gvU_mprintf("crashed %s: signal %d (%s)", while_doing, WTERMSIG(status),
                           strsignal(WTERMSIG(status)));
    return gvU_mprintf("exited %s with status %d", while_doing,
                       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Read one message; its type, or 0 with *why set when there is none.
** What the child was doing is only spelled out when something went wrong. */
static char gvX_message(gv_child *c, long limit_ms, const gevinst_ctx *ctx, char **why) {
    /* the child's watchdog fires after one to two limits; wait longer */
    long timeout_ms = 2 * limit_ms + GVX_GRACE_MS;
    int rc = gvX_need(c, 1 + sizeof(uint32_t), timeout_ms);
    if (rc == 0) {
        uint32_t n;
        memcpy(&n, c->buf + c->pos + 1, sizeof n);
        rc = gvX_need(c, 1 + sizeof n + n, timeout_ms);
    }
    char type = rc == 0 ? (char)c->buf[c->pos] : 0;
    if (rc == 0) {
        uint32_t n;
        memcpy(&n, c->buf + c->pos + 1, sizeof n);
        c->end = c->pos + 1 + sizeof n + n;
        c->garbled = 0;
    }
    if (type != 0 && !strchr("STF", type)) {
        c->pos += 1 + sizeof(uint32_t);
        return type;
    }
    char while_doing[256] = "while loading";
    if (ctx)
        snprintf(while_doing, sizeof while_doing, "in case '%s', period %s", ctx->case_fields[0],
                 ctx->period->text);
    if (rc == -2) {
        kill(c->pid, SIGKILL);
        *why = gvU_mprintf("stopped %s: no answer within the time limit of %ld ms", while_doing,
                           limit_ms);
        return 0;
    }
    if (rc == -1) {
        *why = gvX_reap(c, while_doing);
        return 0;
    }
    c->pos += 1 + sizeof(uint32_t);
    if (type == 'S') {
        uint32_t sig = gvX_u32(c);
        *why = gvU_mprintf("crashed %s: signal %u (%s)", while_doing, sig, strsignal((int)sig));
        return 0;
    }
    if (type == 'T') {
        gvX_u32(c);
        *why = gvU_mprintf("stopped %s: time limit of %ld ms reached", while_doing, limit_ms);
        return 0;
    }
    *why = gvX_str(c); /* 'F' */
    return 0;
}

static void gvX_stop(gv_module *m);

/* A child that a failed allocation in the host unwound past: no one will
** read from it again. */
static void gvX_abandon(void *child) {
    gv_child *c = child;
    if (c->go >= 0) close(c->go);
    close(c->fd);
    kill(c->pid, SIGKILL);
    while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR) {
    }
}

/* Fork the child that loads the module; learn from it what the module is. */
static int gvX_start(gv_module *m, char **err) {
    int fds[2];
    gv_child *c = gvU_malloc(sizeof *c); /* before the fork: no child is left behind */
    memset(c, 0, sizeof *c);
    m->state = c;
    c->fd = c->go = -1;
    c->reaped = 1; /* no child yet */
    int gos[2];
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
        close(fds[0]), close(gos[1]);
        gvX_child(fds[1], gos[0], m->ind, m->cfg, m->mode);
    }
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
        return -1;
    }
    if (type != 'H') {
        *err =
            gvU_mprintf("%s: %s", m->path, why ? why : "sent something unexpected while loading");
        free(why);
        return -1;
    }
    m->name = gvX_str(c);
    if (!m->name) {
        *err = gvU_mprintf("%s: sent a description gevinst cannot read", m->path);
        return -1;
    }
    m->version = gvX_str(c);
    m->unit = gvX_str(c);
    m->description = gvX_str(c);
    m->ndefaults = (int)gvX_u32(c);
    m->defaults = gvU_malloc((size_t)(m->ndefaults + 1) * sizeof *m->defaults);
    memset(m->defaults, 0, (size_t)(m->ndefaults + 1) * sizeof *m->defaults);
    for (int i = 0; i < m->ndefaults; i++) {
        gv_param_value *p = &m->defaults[i];
        p->name = gvX_str(c);
        p->type = (int)gvX_u32(c);
        p->number = gvX_f64(c);
        p->string = gvX_str(c);
        p->help = gvX_str(c);
        uint32_t nc = gvX_u32(c);
        if (nc != UINT32_MAX) {
            p->choices = gvU_malloc((nc + 1) * sizeof(char *));
            for (uint32_t k = 0; k < nc; k++)
                p->choices[k] = gvX_str(c);
            p->choices[nc] = NULL;
        }
    }
    if (m->mode == GV_LOAD_PROBE) gvX_stop(m);
    return 0;
}

static int gvX_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    gv_child *c = m->state;
    if (!c->dead) {
        char *why = NULL;
        char type = gvX_message(c, m->limits.time_ms, ctx, &why);
        if (type == 'R') {
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
            if (same && !c->garbled && status >= GEVINST_OK && status <= GEVINST_ERROR)
                return status;
            free(*err);
            *err = NULL;
            why = gvU_strdup(same || c->garbled
                                 ? "sent a message gevinst cannot read"
                                 : "computed another case than asked: did the cases change "
                                   "during the run?");
        }
        if (c->dead == NULL) kill(c->pid, SIGKILL);
        c->dead = why ? why : gvU_strdup("the module's process ended early");
        *err = gvU_strdup(c->dead);
        return GEVINST_ERROR;
    }
    *err = gvU_mprintf("not evaluated: the module %s", c->dead);
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

static void gvX_stop(gv_module *m) {
    gv_child *c = m->state;
    if (!c) return;
    gvU_undone(c);
    if (c->go >= 0) close(c->go);
    if (c->fd >= 0) close(c->fd);
    if (!c->reaped) {
        /* a child still at work has nobody to talk to */
        kill(c->pid, SIGKILL);
        while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    free(c->buf);
    free(c->dead);
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
