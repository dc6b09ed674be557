/*
** gevinst/gevinst.h -- the gevinst engine (libgevinst), usable without the CLI.
**
** Every function that can fail returns a GEVINST_EXIT_* code and, through
** `char **err`, a malloc'd message the caller frees (NULL on success).
*/
#ifndef GEVINST_H
#define GEVINST_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes shared by the library's results and the command. */
#define GEVINST_EXIT_OK 0       /* everything computed */
#define GEVINST_EXIT_FAILED 1   /* some indicators failed; the others are stored */
#define GEVINST_EXIT_USAGE 2    /* bad command line, config or module */
#define GEVINST_EXIT_DATA 3     /* bad input data; the database is unchanged */
#define GEVINST_EXIT_INTERNAL 4 /* the database could not be read or written */

const char *gevinst_version(void);
/* Folder of the bundled sample data and config (demo.cfg, demo/). */
const char *gevinst_data_dir(void);

/* --- diagnostics: a list of messages ("file:line: message") --- */
typedef struct gevinst_diag {
    char **msg;
    int n, cap;
} gevinst_diag;

void gevinst_diag_add(gevinst_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void gevinst_diag_print(const gevinst_diag *d, FILE *f);
void gevinst_diag_free(gevinst_diag *d);

/* --- database --- */
/* Create DB, or bring an existing one to the current schema. */
int gevinst_db_init(const char *path, char **err);

/* Import a CSV file of KIND (municipalities, cases, partners, observations,
** inputs) all-or-nothing.  On GEVINST_EXIT_DATA, *err is "FILE:ROW:COL: ...". */
int gevinst_import(const char *db_path, const char *kind, const char *csv_path, long *nrows,
                   char **err);
/* The kinds import accepts, NULL-terminated. */
extern const char *const gevinst_import_kinds[];

/* --- config --- */
typedef struct gevinst_config gevinst_config;

/* Load and validate a config file; problems go to diag (file:line: message).
** Returns NULL when the file cannot be used at all. */
gevinst_config *gevinst_config_load(const char *path, gevinst_diag *diag);
void gevinst_config_free(gevinst_config *cfg);
/* Database path, resolved against the config's folder. */
const char *gevinst_config_database(const gevinst_config *cfg);
/* Replace the database path (as `gevinst demo` does). */
int gevinst_config_set_database(gevinst_config *cfg, const char *path);

/* --- modules --- */
/* Load every module the config names and check its params; report each
** problem to diag.  Returns the number of indicators that failed. */
int gevinst_check(gevinst_config *cfg, gevinst_diag *diag);
/* Print the indicators the config provides as a table; with_params adds
** each one's params (value, type, allowed values, help). */
int gevinst_list(gevinst_config *cfg, FILE *out, int with_params, gevinst_diag *diag);

/* Write a skeleton module NAME.c or NAME.lua (lang "c" or "lua") into dir;
** *path is the file written.  Never overwrites. */
int gevinst_new_indicator(const char *name, const char *lang, const char *dir, char **path,
                          char **err);
/* Folder holding gevinst/plugin.h for this gevinst. */
const char *gevinst_include_dir(void);

/* --- runs --- */
typedef enum {
    GEVINST_FORMAT_TEXT,
    GEVINST_FORMAT_JSON,
    GEVINST_FORMAT_CSV,
    GEVINST_FORMAT_HTML /* report only */
} gevinst_format;
int gevinst_format_parse(const char *s, gevinst_format *f);

/* Evaluate every indicator for every case and period, store the results as
** one run, print them to out; modules that cannot be loaded or whose params
** are wrong are also reported to diag (may be NULL).  With progress, a run
** longer than a second shows its progress on stderr when that is a terminal.  Returns
*GEVINST_EXIT_OK, _FAILED (some
** indicators failed), or _USAGE (no database) / _INTERNAL (the database
** cannot be read or written) with *err set. */
int gevinst_run(gevinst_config *cfg, gevinst_format fmt, FILE *out, gevinst_diag *diag,
                int progress, long long *run_id, char **err);

/* Print a stored run (run_id, or the latest when 0) as run prints it:
** results, gains against the plan, and their value.  For CSV, table is
** "results" (NULL), "gains" or "value", and excel writes the dialect Nordic
** Excel opens (BOM, ';', decimal comma).  lang ("nb", "da", "en"; NULL:
** the config's report.lang) is for HTML.  Counts of persons under the
** config's report.suppress_below are shown as "<5" unless no_suppress. */
int gevinst_report(gevinst_config *cfg, long long run_id, gevinst_format fmt, const char *table,
                   int excel, const char *lang, int no_suppress, FILE *out, char **err);

/* How one stored number was made (run, or the latest when 0): `what` is an
** indicator's id or a gain's name, for one case and period. */
int gevinst_explain(gevinst_config *cfg, long long run, const char *what, const char *case_id,
                    const char *period, int no_suppress, FILE *out, char **err);

#ifdef __cplusplus
}
#endif
#endif
