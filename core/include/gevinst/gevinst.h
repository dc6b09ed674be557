/*
** gevinst/gevinst.h -- libgevinst, the gevinst engine as a C library.
**
**   cc my.c $(pkg-config --cflags --libs gevinst)
**
** Every call that can fail returns a gevinst_status and, through `char
** **err`, a malloc'd message the caller frees (NULL when there is none).
** The library never prints (only a Lua indicator script's own print()
** goes to stderr, named by the script), never exits, and reports a failed
** allocation as GEVINST_STATUS_NO_MEMORY instead of aborting: the call's
** databases are closed and its child processes stopped, but the rest of
** what it held is not freed.  It keeps no state between calls: two
** configs on two databases work side by side in one process, one thread
** each.
**
** Calls that fork: gevinst_check, gevinst_list and gevinst_run start a
** child process for each indicator that runs isolated (the default), and
** wait for it; they flush stdio first.  Nothing else forks.
*/
#ifndef GEVINST_H
#define GEVINST_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a call came to.  The gevinst command maps these to its exit codes. */
typedef enum gevinst_status {
    GEVINST_STATUS_OK = 0,    /* everything computed */
    GEVINST_STATUS_PARTIAL,   /* some indicators or gains failed; the rest are stored */
    GEVINST_STATUS_USAGE,     /* a bad argument, config or module */
    GEVINST_STATUS_NOT_FOUND, /* no such database, run, indicator or gain */
    GEVINST_STATUS_BAD_DATA,  /* an input file is wrong; the database is unchanged */
    GEVINST_STATUS_DATABASE,  /* the database could not be read or written */
    GEVINST_STATUS_IO,        /* a file could not be read or written */
    GEVINST_STATUS_NO_MEMORY  /* an allocation failed */
} gevinst_status;

/* "ok", "partial", "usage", "not found", "bad data", "database", "io",
** "no memory". */
const char *gevinst_status_name(gevinst_status status);

const char *gevinst_version(void);
/* The plugin ABI this library hands to C plugins (gevinst/plugin.h). */
void gevinst_plugin_abi(unsigned *major, unsigned *minor);
/* The version of the database schema it writes (docs/data-model.md). */
int gevinst_schema_version(void);
/* Folder of the bundled sample data and config (demo.cfg, demo/). */
const char *gevinst_data_dir(void);
/* Folder holding gevinst/plugin.h for this gevinst. */
const char *gevinst_include_dir(void);

/* ---------------------------------------------------------- diagnostics */

/* Problems found, each one line ("file:line: message"). */
typedef struct gevinst_diag {
    char **msg;
    int n, cap;
} gevinst_diag;
void gevinst_diag_free(gevinst_diag *d);

/* ------------------------------------------------------------- database */

/* Create the database at path, or bring an existing one to the current
** schema. */
gevinst_status gevinst_db_init(const char *path, char **err);

/* The kinds import accepts, NULL-terminated: municipalities, cases,
** partners, observations, inputs, gains, gain_shares. */
extern const char *const *const gevinst_import_kinds;

/* Import a CSV file of `kind` all or nothing, as the source named by the
** file's name; the rows stored in *nrows (may be NULL).  See
** gevinst_import_source. */
gevinst_status gevinst_import(const char *db_path, const char *kind, const char *csv_path,
                              long *nrows, char **err);

/* What an import did to its source. */
typedef struct gevinst_import_result {
    char *source; /* the source's name */
    long rows;    /* rows the source holds now */
    int replaced; /* the source was there: its rows were replaced by the file's */
    int same;     /* it held this very content: nothing was done */
    char *since;  /* then: when that content was imported */
    long added, changed, removed, unchanged; /* against what it held, by identity */
    const char *encoding; /* "Windows-1252" when the file was not UTF-8 but read as
                             Excel's "CSV (semikolondelt)" saves it; NULL: UTF-8 */
    int wide;             /* observations read from a wide sheet: one column per metric */
} gevinst_import_result;
void gevinst_import_result_free(gevinst_import_result *res);

/* Import a CSV file of `kind` all or nothing as a source: `source` (NULL:
** the file's name).  A source imported again with new content has its
** rows replaced in one transaction; with the same content nothing
** happens.  Another file of the source's name, with other content and
** `source` NULL, is refused while the source's own file is still where it
** was (GEVINST_STATUS_USAGE: name the source to replace it); so is an
** empty `source`.  An
** observation is one value of (case, metric, period,
** subject): two, in this file or across sources, are refused with both
** places named.  GEVINST_STATUS_BAD_DATA with *err "FILE:ROW:COL: ..."
** when the file is wrong; the database is then as it was. */
gevinst_status gevinst_import_source(const char *db_path, const char *kind, const char *csv_path,
                                     const char *source, gevinst_import_result *res, char **err);
/* How to import: zero it, then set what applies. */
typedef struct gevinst_import_options {
    const char *source; /* NULL: the file's name; a workbook's: "FILE:SHEET" */
    const char *sheet;  /* a workbook's (.xlsx) sheet to read; NULL: the one named
                           for the kind (in English, bokmål, nynorsk or Danish),
                           else the only one */
    /* a key file (gevinst_keygen): every observation's subject is replaced
       by its pseudonym ("ps-" and 32 hex digits, an HMAC-SHA-256 under the
       key), the same for the same subject and key in every file; a subject
       that is a pseudonym already is kept.  NULL: a national identity
       number in any text field is refused (docs/privacy.md) */
    const char *key_file;
} gevinst_import_options;
/* gevinst_import_source with options; the file may be CSV or an Excel
** workbook (a zip, whatever its name), whose cells are read by their
** types: dates as dates, numbers as numbers. */
gevinst_status gevinst_import_with(const char *db_path, const char *kind, const char *path,
                                   const gevinst_import_options *options,
                                   gevinst_import_result *res, char **err);
/* gevinst_import_source with subjects pseudonymised under the key in
** key_file (see gevinst_import_options). */
gevinst_status gevinst_import_pseudonymised(const char *db_path, const char *kind,
                                            const char *csv_path, const char *source,
                                            const char *key_file, gevinst_import_result *res,
                                            char **err);
/* Write a new key for pseudonyms to path, readable only by its owner;
** never over an existing file. */
gevinst_status gevinst_keygen(const char *path, char **err);
/* Take a source's rows out of the database (res->removed counts them);
** refused, with nothing changed, while other rows refer to them. */
gevinst_status gevinst_remove_source(const char *db_path, const char *source,
                                     gevinst_import_result *res, char **err);

/* A source the database holds: its kind, the file it came from last, that
** file's SHA-256, its rows and when. */
typedef struct gevinst_source_info {
    const char *source, *kind, *file, *sha256, *imported;
    long rows;
} gevinst_source_info;
typedef int (*gevinst_source_fn)(void *ud, const gevinst_source_info *source);
gevinst_status gevinst_sources(const char *db_path, gevinst_source_fn fn, void *ud, char **err);

/* --------------------------------------------------------------- config */

typedef struct gevinst_config gevinst_config;

/* Load and validate a config file; problems go to diag (file:line:
** message), and so does running out of memory.  NULL when there were any. */
gevinst_config *gevinst_config_load(const char *path, gevinst_diag *diag);
void gevinst_config_free(gevinst_config *cfg);
/* The database path, resolved against the config's folder. */
const char *gevinst_config_database(const gevinst_config *cfg);
/* Use another database than the config names (the config keeps it). */
gevinst_status gevinst_config_set_database(gevinst_config *cfg, const char *path);

/* -------------------------------------------------------------- modules */

/* Load every module the config names and check its params, and the
** config's gains against the database; each problem to diag.
** GEVINST_STATUS_USAGE when there is any.  Forks (see above). */
gevinst_status gevinst_check(gevinst_config *cfg, gevinst_diag *diag);
/* Load the config at path and check it and every module it names, saying
** every problem in one pass: a setting's problem does not stop the
** modules of the other indicators from being loaded and checked. */
gevinst_status gevinst_check_file(const char *path, gevinst_diag *diag);

/* A param of an indicator, with the value a run would use.  Its types
** are those of plugin.h's GEVINST_PARAM_NUMBER and GEVINST_PARAM_STRING. */
#define GEVINST_TYPE_NUMBER 1
#define GEVINST_TYPE_STRING 2
typedef struct gevinst_param_info {
    char *name;
    int type;          /* GEVINST_TYPE_NUMBER or GEVINST_TYPE_STRING */
    double number;     /* NaN: a number the config must give */
    char *number_text; /* number as the shortest text that reads back exactly ("0.1") */
    char *string;      /* NULL: a string the config must give */
    char *help;        /* one line, or NULL */
    char **choices;    /* the allowed strings, NULL-terminated; NULL: any */
} gevinst_param_info;

/* An indicator the config provides. */
typedef struct gevinst_indicator_info {
    char *id;
    char *kind;        /* "C", "Lua"; NULL when its module was not found */
    char *unit;        /* NULL: none */
    char *description; /* "" when none */
    char *from;        /* the module's file, or the name looked for */
    char *error;       /* why it cannot be run, or NULL */
    gevinst_param_info *params;
    int nparams;
} gevinst_indicator_info;

/* The indicators the config provides, in its order; problems also go to
** diag.  GEVINST_STATUS_USAGE when any cannot be loaded.  Forks (see
** above).  Free *list with gevinst_list_free. */
gevinst_status gevinst_list(gevinst_config *cfg, gevinst_indicator_info **list, int *n,
                            gevinst_diag *diag);
void gevinst_list_free(gevinst_indicator_info *list, int n);

/* Write a skeleton module NAME.c or NAME.lua (lang "c" or "lua") into dir;
** *path is the file written.  Never overwrites. */
gevinst_status gevinst_new_indicator(const char *name, const char *lang, const char *dir,
                                     char **path, char **err);

/* Write the import workbook an analyst fills in into dir (made if
** missing): one sheet per kind, headed in lang ("en", "nb", "nn", "da";
** NULL: English), an example row on each; *path is the file written.
** Never overwrites. */
gevinst_status gevinst_template(const char *dir, const char *lang, char **path, char **err);

/* ----------------------------------------------------------------- runs */

/* Where a run is, for a progress display. */
typedef struct gevinst_progress {
    int indicator, nindicators; /* indicator 2 of 5 */
    long done, total;           /* values computed, of total (0: not known) */
    double elapsed;             /* seconds since the run began */
    int finished;               /* the last call, once every value is done */
} gevinst_progress;
typedef void (*gevinst_progress_fn)(void *ud, const gevinst_progress *progress);

/* Evaluate every indicator for every case and period, and the realisation
** plan and its value on them; store it all as one run (all or nothing),
** whose number goes to *run_id (may be NULL).  progress (may be NULL) is
** called as values are made.  Problems with single indicators and gains
** go to diag (may be NULL) and their rows: GEVINST_STATUS_PARTIAL.
** Prints nothing: gevinst_report shows the run.  Forks (see above). */
gevinst_status gevinst_run(gevinst_config *cfg, gevinst_progress_fn progress, void *ud,
                           long long *run_id, gevinst_diag *diag, char **err);

/* Can gevinst_report write this format: "text", "json", "csv", "html"? */
int gevinst_report_has_format(const char *format);

/* How to show a stored run. */
typedef struct gevinst_report_options {
    long long run;      /* 0: the latest finished run made with this config */
    const char *format; /* "text" (NULL), "json", "csv" or "html" */
    const char *table;  /* CSV: "results" (NULL), "gains" or "value" */
    int excel;          /* CSV: the dialect Excel opens (BOM, CR LF; Nordic ';' and ',') */
    const char *lang;   /* "nb", "da", "en"; NULL: the config's report.lang */
    int no_suppress;    /* show counts of persons under report.suppress_below */
    /* where to say what the reader should know of the run shown (made with
       another config, or with this one before it changed); may be NULL */
    gevinst_diag *notes;
    /* the cases shown, in every format: one case (its id), the cases of one
       municipality (its code), both, or (NULL) every case of the run;
       GEVINST_STATUS_NOT_FOUND when the run has none of them */
    const char *case_id, *municipality;
} gevinst_report_options;

/* Write a stored run to out: its results, each gain against its plan, and
** their value.  A run belongs to its config: without options->run, the
** latest run made with this config file (GEVINST_STATUS_NOT_FOUND when it
** has none, even if other configs have).  Counts of persons under the
** config's report.suppress_below, and what they could be computed from, are
** hidden (docs/privacy.md) unless no_suppress, which the output then
** records; with format "csv", which has no place to record it, no_suppress
** is GEVINST_STATUS_USAGE. */
gevinst_status gevinst_report(gevinst_config *cfg, const gevinst_report_options *options, FILE *out,
                              char **err);

/* How one stored number was made (run, or the config's latest when 0):
** `what` is an indicator's id or a gain's name, for one case and period. */
gevinst_status gevinst_explain(gevinst_config *cfg, long long run, const char *what,
                               const char *case_id, const char *period, int no_suppress, FILE *out,
                               char **err);
/* The same in lang: "nb", "da" or "en"; NULL: the config's report.lang
** (GEVINST_STATUS_USAGE for another). */
gevinst_status gevinst_explain_in(gevinst_config *cfg, long long run, const char *lang,
                                  const char *what, const char *case_id, const char *period,
                                  int no_suppress, FILE *out, char **err);

/* One stored value of a run. */
typedef struct gevinst_result {
    const char *indicator, *case_id, *period;
    int has_value; /* 0: no data, or an error */
    double value;
    const char *unit, *status, *error; /* status: "ok", "no_data" or "error" */
    const char *module, *module_version;
    int small; /* hidden by the report's rules: a small count of persons, made from one,
                  or one could be computed from it (docs/privacy.md) */
} gevinst_result;
/* Called for each value, in the order reports list them; the strings live
** until it returns.  Non-zero stops. */
typedef int (*gevinst_result_fn)(void *ud, const gevinst_result *result);

/* Every value of a run (0: the config's latest), through fn. */
gevinst_status gevinst_results(gevinst_config *cfg, long long run, gevinst_result_fn fn, void *ud,
                               char **err);

/* One run stored in a database. */
typedef struct gevinst_run_info {
    long long id;
    const char *started, *finished; /* UTC, ISO 8601 */
    const char *engine_version;
    const char *config_file, *config_hash; /* the config that made it */
    long values, no_data, errors;          /* its results, by status */
    long gains, gain_errors;               /* its gains' rows, and those in error */
    long partial;                          /* values whose data cover only part of their period */
    long incomplete; /* gains' rows with status "incomplete" (docs/methodology.md) */
} gevinst_run_info;
typedef int (*gevinst_run_info_fn)(void *ud, const gevinst_run_info *run);

/* Every run in the database at db_path, oldest first, through fn (the
** strings live until it returns; non-zero stops). */
gevinst_status gevinst_runs(const char *db_path, gevinst_run_info_fn fn, void *ud, char **err);

/* Write text (not NULL) as one CSV field (RFC 4180): as it is, or quoted
** with its quotes doubled when it holds sep, a quote or a line break. */
void gevinst_csv_text(FILE *out, const char *text, char sep);

#ifdef __cplusplus
}
#endif
#endif
