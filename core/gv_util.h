/*
** gv_util.h -- small helpers shared by every layer of the engine:
** allocation that cannot return NULL, strings, paths, hashes, numbers.
*/
#ifndef GV_UTIL_H
#define GV_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "gevinst/gevinst.h"

#if defined(__GNUC__)
#define GV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GV_PRINTF(a, b)
#endif

/* Out of memory is not recoverable for a command-line engine: abort with a
** message rather than thread NULL checks through every caller. */
void *gvU_malloc(size_t n);
void *gvU_realloc(void *p, size_t n);
char *gvU_strdup(const char *s);
char *gvU_mprintf(const char *fmt, ...) GV_PRINTF(1, 2);
char *gvU_vmprintf(const char *fmt, va_list ap);

/* Growable string. */
typedef struct gvU_buf {
    char *s;
    size_t len, cap;
} gvU_buf;
void gvU_buf_add(gvU_buf *b, const char *s, size_t n);
void gvU_buf_puts(gvU_buf *b, const char *s);
void gvU_buf_printf(gvU_buf *b, const char *fmt, ...) GV_PRINTF(2, 3);
char *gvU_buf_take(gvU_buf *b); /* the string, owned by the caller */

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

/* The shortest decimal text that reads back as exactly v ("0.1", not
** "0.10000000000000001"), so printed figures are both exact and readable. */
void gvU_format_number(double v, char out[32]);
/* The same, rounded to at most `digits` significant digits (but never
** fewer than the integer part has), for tables people read. */
void gvU_format_number_digits(double v, int digits, char out[32]);
/* Parse a whole field as a finite number; 0 on success. */
int gvU_parse_number(const char *s, double *v);

/* Is s valid UTF-8?  Returns the byte offset of the first bad byte, or -1. */
long gvU_utf8_invalid(const char *s, size_t n);

/* UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void gvU_now_iso(char out[32]);

/* Where the bundled modules and data are: the build tree when the running
** binary is in it, else the install prefix. */
const char *gvU_bundled_plugin_dir(void);
const char *gvU_bundled_script_dir(void);
const char *gvU_bundled_data_dir(void);
/* Folder holding gevinst/plugin.h. */
const char *gvU_bundled_include_dir(void);

#endif
