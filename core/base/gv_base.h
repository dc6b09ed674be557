/*
** gv_base.h -- the base layer: what every other layer uses and nothing
** below it.  Allocation, strings, paths, hashes and numbers (gv_util.c),
** reporting periods and the one rule of which observation counts in which
** period (gv_period.c), the words and numbers of reports in bokmål, Danish
** and English (gv_i18n.c).  Depends on nothing of gevinst's.
*/
#ifndef GV_BASE_H
#define GV_BASE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__)
#define GV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GV_PRINTF(a, b)
#endif

/* What a call came to, as every layer says it; the library's public
** gevinst_status has the same values (gevinst.h). */
typedef enum gv_status {
    GV_OK = 0,    /* everything computed */
    GV_PARTIAL,   /* some indicators or gains failed; the rest are stored */
    GV_USAGE,     /* a bad argument, config or module */
    GV_NOT_FOUND, /* no such database, run, indicator or gain */
    GV_BAD_DATA,  /* an input file is wrong; the database is unchanged */
    GV_DATABASE,  /* the database could not be read or written */
    GV_IO,        /* a file could not be read or written */
    GV_NO_MEMORY  /* an allocation failed */
} gv_status;

/* Allocation that never returns NULL.  Rather than thread NULL checks
** through every caller, a failed allocation unwinds (longjmp, as Lua's
** errors do) to the innermost gvU_catch_oom() of this thread, which the
** library sets around every public call; with none set it aborts.  What
** the unwound call held is not freed: out of memory, that is the price of
** not crashing. */
void *gvU_malloc(size_t n);
void *gvU_realloc(void *p, size_t n);
char *gvU_strdup(const char *s);
char *gvU_mprintf(const char *fmt, ...) GV_PRINTF(1, 2);
char *gvU_vmprintf(const char *fmt, va_list ap);

typedef struct gvU_undo {
    void (*fn)(void *);
    void *arg;
} gvU_undo;
typedef struct gvU_oom_catch {
    jmp_buf to;
    struct gvU_oom_catch *outer;
    /* what the unwinding undoes first: open databases, child processes */
    gvU_undo *undo;
    int nundo, cap;
} gvU_oom_catch;
/* Make c the place a failed allocation unwinds to: use as
** `if (setjmp(c.to)) ...out of memory...; gvU_catch_oom(&c); ...;
** gvU_end_catch(&c);`.  After the jump, c has been ended. */
void gvU_catch_oom(gvU_oom_catch *c);
void gvU_end_catch(gvU_oom_catch *c);
/* A forked child unwinds nowhere: its parent's calls are not its own. */
void gvU_forget_catches(void);
/* If a failed allocation unwinds the call in progress, fn(arg) first
** (close a database, so no transaction or lock outlives the call; stop a
** child process); gvU_undone(arg) when arg is released the usual way. */
void gvU_undo_on_unwind(void (*fn)(void *), void *arg);
void gvU_undone(void *arg);
/* For tests, as SQLite's fault injection: in this thread, the allocation
** after the next n through gvU_ fails, and every one after it; -1 never. */
void gvU_fail_allocations_after(long n);

/* Problems found, each one line ("file:line: message"), for a person. */
typedef struct gv_diag {
    char **msg;
    int n, cap;
} gv_diag;
void gvU_diag_add(gv_diag *d, const char *fmt, ...) GV_PRINTF(2, 3);
void gvU_diag_free(gv_diag *d);

/* A record of named text values from an operator's file, each with the
** line it was written on: a config's gain, read as a CSV row would be. */
typedef struct gv_record {
    const char *file;
    int line;
    int n;
    char **names;
    char **values;
    int *lines; /* each value's line */
} gv_record;

/* Seconds on a monotonic clock. */
double gvU_clock(void);

/* Growable string. */
typedef struct gvU_buf {
    char *s;
    size_t len, cap;
} gvU_buf;
void gvU_buf_add(gvU_buf *b, const char *s, size_t n);
void gvU_buf_puts(gvU_buf *b, const char *s);
void gvU_buf_printf(gvU_buf *b, const char *fmt, ...) GV_PRINTF(2, 3);
char *gvU_buf_take(gvU_buf *b); /* the string, owned by the caller */
/* s as a JSON string, quoted and escaped; NULL as null. */
void gvU_buf_json(gvU_buf *b, const char *s);

/* Path helpers: dirname of a file, and a path resolved against a folder
** (absolute paths are kept as they are). */
char *gvU_dirname(const char *path);
char *gvU_path_join(const char *dir, const char *path);
int gvU_file_exists(const char *path);
const char *gvU_basename(const char *path);

/* SHA-256 of a file's bytes as 64 hex digits; 0 on success. */
int gvU_sha256_file(const char *path, char hex[65]);
/* ... of several files' bytes one after the other. */
int gvU_sha256_files(const char *const *paths, int n, char hex[65]);
/* ... of a text. */
void gvU_sha256_text(const char *text, char hex[65]);

/* National identity numbers and pseudonyms (docs/privacy.md).  What s
** is, as a whole field: "a Norwegian fødselsnummer", "a Norwegian
** D-number", "a Danish CPR number", or NULL for none of these. */
const char *gvU_identity_number(const char *s);
/* The same for a number anywhere in s, its groups apart by up to three
** separators too (spaces, no-break spaces, . / _ - , : and dashes:
** "150790 10003", "Saken til 150790-1234", "FNR15079010003"), or stored
** without its leading zero (a spreadsheet's number cell); its digits go in
** `digits`. */
const char *gvU_identity_in(const char *s, char digits[24]);
/* A pseudonym: "ps-" and 32 hex digits, the first 128 bits of
** HMAC-SHA-256(key, subject).  Already one: left as it is. */
#define GV_PSEUDONYM_PREFIX "ps-"
#define GV_KEY_SIZE 32
int gvU_is_pseudonym(const char *s);
void gvU_pseudonym(const unsigned char key[GV_KEY_SIZE], const char *subject, char out[36]);
/* A new key file at path: 64 hex digits, readable only by its owner
** (0600); never over an existing file.  0, or -1 with *err. */
int gvU_keygen(const char *path, char **err);
/* Read a key file gvU_keygen wrote; refused when others may read it.
** 0, or -1 with *err. */
int gvU_read_key(const char *path, unsigned char key[GV_KEY_SIZE], char **err);
/* ... of what `in` holds from where it is to its end, copied to `copy`
** too when it is not NULL; *n counts the bytes.  0, 1 when there are more
** than max bytes (it stops there), -1 when reading or copying fails. */
int gvU_sha256_stream(FILE *in, FILE *copy, long long max, long long *n, char hex[65]);

/* The shortest decimal text that reads back as exactly v ("0.1", not
** "0.10000000000000001"), so printed figures are both exact and readable. */
void gvU_format_number(double v, char out[32]);
/* The same, rounded to at most `digits` significant digits (but never
** fewer than the integer part has), for tables people read. */
void gvU_format_number_digits(double v, int digits, char out[32]);
/* Parse a whole field as a finite number; 0 on success. */
int gvU_parse_number(const char *s, double *v);

/* The name among names[0..n) nearest to s by edit distance, for "did you
** mean"; NULL when none is near (more edits apart than 2 or a third of
** s's length, whichever is more). */
const char *gvU_nearest(const char *s, const char *const *names, int n);

/* Is s valid UTF-8?  Returns the byte offset of the first bad byte, or -1. */
long gvU_utf8_invalid(const char *s, size_t n);
/* s (malloc'd) as valid UTF-8: itself when it is, else a new string with
** each bad byte as U+FFFD, s freed.  For text from outside (a module's
** error) on its way to JSON and reports. */
char *gvU_utf8_repair(char *s);

/* UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void gvU_now_iso(char out[32]);

/* Where the bundled modules and data are: the build tree when the running
** binary is in it, else the install prefix. */
const char *gvU_bundled_plugin_dir(void);
const char *gvU_bundled_script_dir(void);
const char *gvU_bundled_data_dir(void);
/* Folder holding gevinst/plugin.h. */
const char *gvU_bundled_include_dir(void);

/* ================================================================ periods */
/*
** reporting periods: YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD.
**
** A period is a closed range of days.  An observation counts in a period
** when its own range lies inside it, so 2017-09-15 counts in 2017-09,
** 2017-Q3 and 2017, and a yearly figure never counts in a quarter.
*/
typedef enum { GV_YEAR, GV_QUARTER, GV_MONTH, GV_DAY } gv_period_kind;

typedef struct gv_period {
    gv_period_kind kind;
    int year;
    int index;      /* quarter 1..4 or month 1..12; 0 for a year */
    int day;        /* 1..31 for a day, else 0 */
    char text[12];  /* canonical spelling: "2017-Q3" */
    char start[11]; /* first day, "YYYY-MM-DD" */
    char end[11];   /* last day */
} gv_period;

/* Parse s strictly; 0 on success, -1 when it is no period. */
int gvP_parse(const char *s, gv_period *p);
/* The period `steps` periods of the same kind after p. */
void gvP_advance(const gv_period *p, int steps, gv_period *out);
/* Compare two periods of the same kind: <0, 0, >0. */
int gvP_compare(const gv_period *a, const gv_period *b);
/* Number of days in the period. */
int gvP_days(const gv_period *p);
/* Does outer contain inner (inner's range within outer's)? */
int gvP_contains(const gv_period *outer, const gv_period *inner);
/* Does p hold the range of days start..end ("YYYY-MM-DD"): the one rule
** of which observation counts in which period, used by the engine, the
** host functions modules call, and explain. */
int gvP_holds(const gv_period *p, const char *start, const char *end);
/* A day "YYYY-MM-DD" as a day number, for differences in days. */
long gvP_day_of(const char *ymd);
/* Days in a month of a year. */
int gvP_month_days(int year, int month);

#define GV_PERIOD_FORMS "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"

/* ============================================================== languages */

typedef enum { GV_LANG_EN, GV_LANG_NB, GV_LANG_DA } gv_lang;

/* "en", "nb", "da"; -1 when unknown. */
int gvT_lang(const char *name, gv_lang *out);
/* The text of key (an English phrase or status word) in lang; the key
** itself when there is no translation. */
const char *gvT(gv_lang lang, const char *key);
/* v with `decimals` decimals as the language writes it: 1 234 567,8 in
** nb and da (a no-break space when html), 1,234,567.8 in en. */
void gvT_number(gv_lang lang, double v, int decimals, int html, char *out, int size);

/* An ISO 8601 date or time ("2019-12-31", "2026-11-30T20:21:54.050Z"; a
** space for the T will do) written out as the language does: "31.
** desember 2019", "30. november 2026 kl. 20.21 UTC", "30 November 2026,
** 20:21 UTC"; anything else as it is. */
void gvT_date(gv_lang lang, const char *iso, char *out, int size);
/* A number already written plainly ("-1234.5") as the language writes it. */
void gvT_localize(gv_lang lang, const char *plain, int html, char *out, int size);

#endif
