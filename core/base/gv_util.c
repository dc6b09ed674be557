/*
** gv_util.c -- helpers shared by every layer (see gv_base.h).
*/
#define _GNU_SOURCE /* dladdr */
#include "gv_base.h"

#include <dlfcn.h>
#include <pthread.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Allocations left before the injected failure; -1: none is injected. */
static _Thread_local long gvU_allocations_left = -1;

/* The innermost place a failed allocation unwinds to, in this thread. */
static _Thread_local gvU_oom_catch *gvU_catcher;

static void gvU_oom(void);

void gvU_catch_oom(gvU_oom_catch *c) {
    c->outer = gvU_catcher;
    c->undo = NULL;
    c->nundo = c->cap = 0;
    gvU_catcher = c;
}

void gvU_undo_on_unwind(void (*fn)(void *), void *arg) {
    gvU_oom_catch *c = gvU_catcher;
    if (!c) return; /* no call to unwind */
    if (c->nundo == c->cap) {
        int cap = c->cap ? 2 * c->cap : 16;
        gvU_undo *more = realloc(c->undo, (size_t)cap * sizeof *more);
        if (!more) { /* no memory even to note it: undo it now, and unwind */
            fn(arg);
            gvU_oom();
        }
        c->undo = more;
        c->cap = cap;
    }
    c->undo[c->nundo++] = (gvU_undo){fn, arg};
}

void gvU_undone(void *arg) {
    for (gvU_oom_catch *c = gvU_catcher; c; c = c->outer)
        for (int i = 0; i < c->nundo; i++)
            if (c->undo[i].arg == arg) {
                c->undo[i] = c->undo[--c->nundo];
                return;
            }
}

void gvU_end_catch(gvU_oom_catch *c) {
    gvU_catcher = c->outer;
    free(c->undo);
    c->undo = NULL;
}

void gvU_forget_catches(void) {
    gvU_catcher = NULL;
    gvU_allocations_left = -1; /* nor is a failure injected into them */
}

static void gvU_oom(void) {
    gvU_oom_catch *c = gvU_catcher;
    if (c) {
        gvU_catcher = c->outer;
        while (c->nundo > 0) { /* newest first */
            c->nundo--;
            c->undo[c->nundo].fn(c->undo[c->nundo].arg);
        }
        free(c->undo);
        c->undo = NULL;
        longjmp(c->to, 1);
    }
    fputs("gevinst: out of memory\n", stderr);
    abort();
}

double gvU_clock(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void gvU_fail_allocations_after(long n) {
    gvU_allocations_left = n;
}

/* Is this allocation the one a test wants to fail? */
static int gvU_injected_failure(void) {
    if (gvU_allocations_left < 0) return 0;
    if (gvU_allocations_left == 0) return 1;
    gvU_allocations_left--;
    return 0;
}

void *gvU_malloc(size_t n) {
    void *p = gvU_injected_failure() ? NULL : malloc(n ? n : 1);
    if (!p) gvU_oom();
    return p;
}

void *gvU_realloc(void *p, size_t n) {
    void *q = gvU_injected_failure() ? NULL : realloc(p, n ? n : 1);
    if (!q) gvU_oom();
    return q;
}

char *gvU_strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(gvU_malloc(n), s, n);
}

char *gvU_vmprintf(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = gvU_malloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *gvU_mprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = gvU_vmprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* ---------------------------------------------------------------- buffers */

void gvU_buf_add(gvU_buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = gvU_realloc(b->s, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void gvU_buf_puts(gvU_buf *b, const char *s) {
    gvU_buf_add(b, s, strlen(s));
}

void gvU_buf_printf(gvU_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = gvU_vmprintf(fmt, ap);
    va_end(ap);
    gvU_buf_puts(b, s);
    free(s);
}

char *gvU_buf_take(gvU_buf *b) {
    char *s = b->s ? b->s : gvU_strdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void gvU_buf_json(gvU_buf *b, const char *s) {
    if (!s) {
        gvU_buf_puts(b, "null");
        return;
    }
    gvU_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\')
            snprintf(esc, sizeof esc, "\\%c", *p);
        else if (*p == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (*p == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else if (*p < 0x20)
            snprintf(esc, sizeof esc, "\\u%04x", *p);
        else
            esc[0] = (char)*p, esc[1] = '\0';
        gvU_buf_puts(b, esc);
    }
    gvU_buf_puts(b, "\"");
}

/* ------------------------------------------------------------ diagnostics */

void gvU_diag_add(gv_diag *d, const char *fmt, ...) {
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->msg = gvU_realloc(d->msg, (size_t)d->cap * sizeof *d->msg);
    }
    va_list ap;
    va_start(ap, fmt);
    d->msg[d->n++] = gvU_vmprintf(fmt, ap);
    va_end(ap);
}

void gvU_diag_free(gv_diag *d) {
    for (int i = 0; i < d->n; i++)
        free(d->msg[i]);
    free(d->msg);
    d->msg = NULL;
    d->n = d->cap = 0;
}

/* ------------------------------------------------------------------ paths */

char *gvU_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return gvU_strdup(".");
    if (slash == path) return gvU_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = gvU_malloc(n + 1);
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

char *gvU_path_join(const char *dir, const char *path) {
    if (path[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0) return gvU_strdup(path);
    return gvU_mprintf("%s/%s", dir, path);
}

int gvU_file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *gvU_basename(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ----------------------------------------------------------------- hashes */

static void gvU_hex(struct sha256_ctx *ctx, char hex[65]) {
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", digest[i]);
    hex[64] = '\0';
}

int gvU_sha256_stream(FILE *in, FILE *copy, long long max, long long *n, char hex[65]) {
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[65536];
    size_t got;
    *n = 0;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        *n += (long long)got;
        if (*n > max) return 1;
        sha256_update(&ctx, got, buf);
        if (copy && fwrite(buf, 1, got, copy) != got) return -1;
    }
    if (ferror(in) || (copy && fflush(copy) != 0)) return -1;
    gvU_hex(&ctx, hex);
    return 0;
}

int gvU_sha256_file(const char *path, char hex[65]) {
    return gvU_sha256_files(&path, 1, hex);
}

void gvU_sha256_text(const char *text, char hex[65]) {
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(text), (const uint8_t *)text);
    gvU_hex(&ctx, hex);
}

int gvU_sha256_files(const char *const *paths, int n, char hex[65]) {
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(paths[i], "rb");
        if (!f) return -1;
        unsigned char buf[16384];
        size_t got;
        while ((got = fread(buf, 1, sizeof buf, f)) > 0)
            sha256_update(&ctx, got, buf);
        int bad = ferror(f);
        fclose(f);
        if (bad) return -1;
    }
    gvU_hex(&ctx, hex);
    return 0;
}

/* ------------------------------------------------------------------ names */

/* Levenshtein's distance between a and b, in bytes. */
static size_t gvU_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = gvU_malloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

const char *gvU_nearest(const char *s, const char *const *names, int n) {
    const char *best = NULL;
    size_t limit = strlen(s) / 3 > 2 ? strlen(s) / 3 : 2, least = limit + 1;
    for (int i = 0; i < n; i++) {
        size_t d = gvU_distance(s, names[i]);
        if (d < least) best = names[i], least = d;
    }
    return best;
}

/* ---------------------------------------------------------------- numbers */

void gvU_format_number(double v, char out[32]) {
    gvU_format_number_digits(v, 17, out);
}

void gvU_format_number_digits(double v, int digits, char out[32]) {
    if (v == 0) v = 0; /* no "-0" */
    /* whole numbers, most of what indicators give, need no search */
    if (v == floor(v) && fabs(v) < 1e15) {
        long long n = (long long)v;
        char digits_rev[24];
        int k = 0, neg = n < 0;
        unsigned long long u = neg ? 0ULL - (unsigned long long)n : (unsigned long long)n;
        do
            digits_rev[k++] = (char)('0' + u % 10), u /= 10;
        while (u);
        int j = 0;
        if (neg) out[j++] = '-';
        while (k)
            out[j++] = digits_rev[--k];
        out[j] = '\0';
        return;
    }
    /* never fewer digits than the integer part has: 5281066, not 5.28107e+06 */
    if (fabs(v) >= 1 && fabs(v) < 1e15) {
        int whole = (int)floor(log10(fabs(v))) + 1;
        if (whole > digits) digits = whole;
    }
    /* plain notation where people expect it: 150, not 1.5e+02 */
    int plain_range = fabs(v) < 1e15 && (v == 0 || fabs(v) >= 1e-5);
    /* the fewest digits that read back exactly; reading back only gets
       better with more digits, so a binary search finds them */
    char text[400]; /* %f of a large number is long; what is kept fits 32 */
    int lo = 1, hi = digits;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(text, sizeof text, "%.*g", mid, v);
        if (strtod(text, NULL) == v)
            hi = mid;
        else
            lo = mid + 1;
    }
    snprintf(text, sizeof text, "%.*g", lo, v);
    if (plain_range && strchr(text, 'e')) {
        for (int prec = lo + 1; prec <= 17 && strchr(text, 'e'); prec++)
            snprintf(text, sizeof text, "%.*g", prec, v);
        if (strchr(text, 'e')) snprintf(text, sizeof text, "%.*f", digits, v);
    }
    snprintf(out, 32, "%.31s", text);
}

int gvU_parse_number(const char *s, double *v) {
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(d) || end == s) return -1;
    /* strtod accepts "0x1p3", "  5" and "inf"; a data file should not */
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E'))
            return -1;
    *v = d;
    return 0;
}

long gvU_utf8_invalid(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, min = 0x10000, c &= 0x07;
        } else {
            return (long)i;
        }
        if (i + len > n) return (long)i;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return (long)i;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return (long)i;
        i += len;
    }
    return -1;
}

char *gvU_utf8_repair(char *s) {
    long bad;
    if (!s || (bad = gvU_utf8_invalid(s, strlen(s))) < 0) return s;
    gvU_buf b = {0};
    const char *rest = s;
    do {
        gvU_buf_add(&b, rest, (size_t)bad);
        gvU_buf_puts(&b, "\xEF\xBF\xBD"); /* U+FFFD, the replacement character */
        rest += bad + 1;
    } while ((bad = gvU_utf8_invalid(rest, strlen(rest))) >= 0);
    gvU_buf_puts(&b, rest);
    free(s);
    return gvU_buf_take(&b);
}

void gvU_now_iso(char out[32]) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
}

/* ---------------------------------------------------- bundled directories */

/* Where this code is: the build tree, an install prefix (the folder above
** the bin/ of the gevinst command or the lib/ of libgevinst.so that holds
** it), or unknown.  Asked of the code, not the program, so a program that
** links the installed library finds the library's own bundled files. */
/* dir without its trailing `tail` folder(s) ("/opt/x/lib" less "lib" is
** "/opt/x"), into out; 0, or -1 when dir does not end so. */
static int gvU_strip(const char *dir, const char *tail, char *out, size_t n) {
    size_t d = strlen(dir), t = strlen(tail);
    if (d <= t || strcmp(dir + d - t, tail) != 0 || dir[d - t - 1] != '/') return -1;
    snprintf(out, n, "%.*s", (int)(d - t - 1), dir);
    return 0;
}

/* The bundled folders, found once: where the code is does not change. */
static struct { char plugin[4200], script[4200], data[4200], include[4200]; } gvU_dirs;
static pthread_once_t gvU_dirs_once = PTHREAD_ONCE_INIT;

/* Where this code is: the build tree, an install prefix (the folder above
** the bin/ of the gevinst command or the lib/ of libgevinst.so that holds
** it), or unknown.  Asked of the code, not the program, so a program that
** links the installed library finds the library's own bundled files. */
static int gvU_prefix(char *prefix, size_t n) {
    Dl_info info;
    char here[4096];
    int found = dladdr((void *)gvU_prefix, &info) && info.dli_fname && info.dli_fname[0] == '/' &&
                realpath(info.dli_fname, here);
    if (!found && !realpath("/proc/self/exe", here)) here[0] = '\0';
    size_t bl = strlen(GEVINST_BUILD_DIR);
    int build = strncmp(here, GEVINST_BUILD_DIR, bl) == 0 && here[bl] == '/';
    char *slash = strrchr(here, '/');
    if (slash) *slash = '\0';
    if (gvU_strip(here, "bin", prefix, n) < 0 &&
        gvU_strip(here, GEVINST_LIB_DIR_REL, prefix, n) < 0)
        prefix[0] = '\0';
    return build;
}

/* An installed folder: under this code's prefix when it is there (so an
** install can move), else where it was installed. */
static void gvU_installed(char *out, size_t n, const char *prefix, const char *relative,
                          const char *absolute) {
    struct stat st;
    if (prefix[0]) {
        snprintf(out, n, "%s/%s", prefix, relative);
        if (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) return;
    }
    snprintf(out, n, "%s", absolute);
}

static void gvU_find_dirs(void) {
    char prefix[4096];
    if (gvU_prefix(prefix, sizeof prefix)) {
        snprintf(gvU_dirs.plugin, sizeof gvU_dirs.plugin, "%s", GEVINST_BUILD_DIR "/plugins");
        snprintf(gvU_dirs.script, sizeof gvU_dirs.script, "%s", GEVINST_SOURCE_DIR "/scripts");
        snprintf(gvU_dirs.data, sizeof gvU_dirs.data, "%s", GEVINST_SOURCE_DIR "/config");
        snprintf(gvU_dirs.include, sizeof gvU_dirs.include, "%s",
                 GEVINST_SOURCE_DIR "/core/include");
        return;
    }
    gvU_installed(gvU_dirs.plugin, sizeof gvU_dirs.plugin, prefix, GEVINST_PLUGIN_DIR_REL,
                  GEVINST_INSTALL_PLUGIN_DIR);
    gvU_installed(gvU_dirs.script, sizeof gvU_dirs.script, prefix, GEVINST_DATA_DIR_REL "/scripts",
                  GEVINST_INSTALL_DATA_DIR "/scripts");
    gvU_installed(gvU_dirs.data, sizeof gvU_dirs.data, prefix, GEVINST_DATA_DIR_REL "/config",
                  GEVINST_INSTALL_DATA_DIR "/config");
    gvU_installed(gvU_dirs.include, sizeof gvU_dirs.include, prefix, GEVINST_INCLUDE_DIR_REL,
                  GEVINST_INSTALL_INCLUDE_DIR);
}

const char *gvU_bundled_plugin_dir(void) {
    pthread_once(&gvU_dirs_once, gvU_find_dirs);
    return gvU_dirs.plugin;
}

const char *gvU_bundled_script_dir(void) {
    pthread_once(&gvU_dirs_once, gvU_find_dirs);
    return gvU_dirs.script;
}

const char *gvU_bundled_data_dir(void) {
    pthread_once(&gvU_dirs_once, gvU_find_dirs);
    return gvU_dirs.data;
}

const char *gvU_bundled_include_dir(void) {
    pthread_once(&gvU_dirs_once, gvU_find_dirs);
    return gvU_dirs.include;
}

/* ------------------------------------------------- identity numbers */

static int gvU_digits_at(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* day d of month m (1..12) of a two-digit year yy: a real date?  The
** century is not in the number, so 29 February is taken in any year
** divisible by four. */
static int gvU_date_shaped(int d, int m, int yy) {
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return 0;
    return !(m == 2 && d == 29 && yy % 4 != 0);
}

/* Both mod-11 check digits of an 11-digit Norwegian number. */
static int gvU_mod11(const char *s) {
    static const int w1[] = {3, 7, 6, 1, 8, 9, 4, 5, 2}, w2[] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int sum1 = 0, sum2 = 0;
    for (int i = 0; i < 9; i++)
        sum1 += w1[i] * (s[i] - '0');
    for (int i = 0; i < 10; i++)
        sum2 += w2[i] * (s[i] - '0');
    int k1 = (11 - sum1 % 11) % 11, k2 = (11 - sum2 % 11) % 11;
    return k1 != 10 && k2 != 10 && k1 == s[9] - '0' && k2 == s[10] - '0';
}

const char *gvU_identity_number(const char *s) {
    size_t n = strlen(s), digits = strspn(s, "0123456789");
    if (n == 11 && digits == 11 && gvU_mod11(s)) {
        int d = gvU_digits_at(s, 2), m = gvU_digits_at(s + 2, 2), yy = gvU_digits_at(s + 4, 2);
        if (m > 40) m -= 40; /* an H-number: the month plus 40 */
        if (gvU_date_shaped(d, m, yy)) return "a Norwegian fødselsnummer";
        if (d > 40 && gvU_date_shaped(d - 40, m, yy)) return "a Norwegian D-number";
        return NULL;
    }
    /* CPR: ddmmyy-xxxx or ddmmyyxxxx; since 2007 not every CPR number
       keeps the mod-11 rule, so the date alone decides */
    int dashed = n == 11 && digits == 6 && s[6] == '-' && strspn(s + 7, "0123456789") == 4;
    if ((n == 10 && digits == 10) || dashed) {
        int d = gvU_digits_at(s, 2), m = gvU_digits_at(s + 2, 2), yy = gvU_digits_at(s + 4, 2);
        if (gvU_date_shaped(d, m, yy)) return "a Danish CPR number";
    }
    return NULL;
}

/* How many bytes of s are a separator a number may be written with
** between its groups: a space, . / _ - , : or a no-break space, narrow
** no-break space, en or em dash; 0 when none. */
static int gvU_separator(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    if (*u && strchr(" ./_-,:", *u)) return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0) return 2;
    if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x93 || u[2] == 0x94)) return 3;
    return 0;
}

/* The digits of a number from s on, its groups apart by up to three
** separators ("150790 10003", "15/07/90 - 10003", "15,079,010,003"); *end
** past it.  How many digits; 0 when more than a number holds. */
static size_t gvU_number_token(const char *s, char out[24], const char **end) {
    size_t n = 0;
    const char *p = s;
    for (;;) {
        while (isdigit((unsigned char)*p)) {
            if (n < 23) out[n] = *p;
            n++, p++;
        }
        const char *q = p;
        int seps = 0, k;
        while (seps < 3 && (k = gvU_separator(q)) > 0)
            q += k, seps++;
        if (!seps || !isdigit((unsigned char)*q)) break;
        p = q;
    }
    *end = p;
    out[n < 23 ? n : 23] = '\0';
    return n < 23 ? n : 0;
}

const char *gvU_identity_in(const char *s, char digits[24]) {
    const char *p = s;
    while (*p) {
        /* a run of digits starts here (a letter may touch it: FNR15079010003) */
        if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1]))) {
            p++;
            continue;
        }
        const char *end;
        size_t n = gvU_number_token(p, digits, &end);
        const char *what = NULL;
        if (!isdigit((unsigned char)*end) && (n == 10 || n == 11))
            what = gvU_identity_number(digits);
        /* a number cell lost its leading zero: 01019010046 read as 1019010046 */
        if (!what && !isdigit((unsigned char)*end) && (n == 9 || n == 10)) {
            memmove(digits + 1, digits, n + 1);
            digits[0] = '0';
            what = gvU_identity_number(digits);
        }
        if (what) return what;
        p = end > p ? end : p + 1;
    }
    return NULL;
}

/* ------------------------------------------------------------ pseudonyms */

int gvU_is_pseudonym(const char *s) {
    size_t p = strlen(GV_PSEUDONYM_PREFIX);
    return strncmp(s, GV_PSEUDONYM_PREFIX, p) == 0 && strlen(s + p) == 32 &&
           strspn(s + p, "0123456789abcdef") == 32;
}

void gvU_pseudonym(const unsigned char key[GV_KEY_SIZE], const char *subject, char out[36]) {
    struct hmac_sha256_ctx ctx;
    unsigned char digest[SHA256_DIGEST_SIZE];
    hmac_sha256_set_key(&ctx, GV_KEY_SIZE, key);
    hmac_sha256_update(&ctx, strlen(subject), (const uint8_t *)subject);
    hmac_sha256_digest(&ctx, sizeof digest, digest);
    strcpy(out, GV_PSEUDONYM_PREFIX);
    for (int i = 0; i < 16; i++)
        sprintf(out + 3 + 2 * i, "%02x", digest[i]);
}

int gvU_keygen(const char *path, char **err) {
    unsigned char key[GV_KEY_SIZE];
    if (getentropy(key, sizeof key) < 0) {
        *err = gvU_mprintf("cannot make a key: %s", strerror(errno));
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        *err = gvU_mprintf("%s: %s", path,
                           errno == EEXIST ? "exists; a key file is never overwritten (a new "
                                             "key gives every subject a new pseudonym)"
                                           : strerror(errno));
        return -1;
    }
    char hex[2 * GV_KEY_SIZE + 2];
    for (int i = 0; i < GV_KEY_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", key[i]);
    strcat(hex, "\n");
    int ok = write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex);
    ok = close(fd) == 0 && ok;
    if (!ok) {
        *err = gvU_mprintf("%s: cannot write: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

int gvU_read_key(const char *path, unsigned char key[GV_KEY_SIZE], char **err) {
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f || fstat(fileno(f), &st) < 0) {
        *err = gvU_mprintf("%s: cannot open key file: %s", path, strerror(errno));
        if (f) fclose(f);
        return -1;
    }
    char hex[2 * GV_KEY_SIZE + 2] = "";
    int got = fgets(hex, sizeof hex, f) != NULL;
    fclose(f);
    if (st.st_mode & 077) {
        *err = gvU_mprintf("%s: key file may be read by others; 'chmod 600 %s'", path, path);
        return -1;
    }
    hex[strcspn(hex, "\r\n")] = '\0';
    if (!got || strlen(hex) != 2 * GV_KEY_SIZE ||
        strspn(hex, "0123456789abcdef") != 2 * GV_KEY_SIZE) {
        *err = gvU_mprintf("%s: not a key file (make one with 'gevinst keygen FILE')", path);
        return -1;
    }
    for (int i = 0; i < GV_KEY_SIZE; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        key[i] = (unsigned char)v;
    }
    return 0;
}
