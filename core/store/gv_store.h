/*
** gv_store.h -- the store layer: the case database (gv_db.c: opening,
** schema migrations) and what goes into it from files (gv_import.c:
** all-or-nothing CSV import, and a config's gains checked the same way).
** Depends on base.  docs/data-model.md describes the schema.
*/
#ifndef GV_STORE_H
#define GV_STORE_H

#include <sqlite3.h>
#include <stdio.h>

#include "base/gv_base.h"

/* The schema version this engine writes (PRAGMA user_version): the number
** of migrations in gv_db.c, which checks that the two agree. */
#define GV_SCHEMA_VERSION 11
int gvD_schema_version(void);

/* Open an existing database read-write and bring it to the current schema
** (create != 0 also creates a missing file).  Foreign keys on, WAL.  A
** missing file is GV_NOT_FOUND, one that is no gevinst database or cannot
** be opened GV_USAGE, a failed migration GV_DATABASE. */
gv_status gvD_open(const char *path, int create, sqlite3 **db, char **err);

/* Open an existing database to read it only (report, explain, runs,
** sources): nothing is written to it, so a file the user may only read,
** or one on a read-only medium, is read too.  One of an older schema is
** opened with gvD_open instead, to be brought up to date.  Statuses as
** gvD_open's. */
gv_status gvD_open_reading(const char *path, sqlite3 **db, char **err);

/* GV_DATABASE when the last failure on db was the file's (a full disk, a
** read-only medium, a file that is no database), else otherwise. */
gv_status gvD_status(sqlite3 *db, gv_status otherwise);

/* Open a read-only connection for modules: it reads one snapshot of the
** data, the one committed when it was opened, for as long as it is open;
** an authorizer allows reading only, so a module cannot write, ATTACH,
** change pragmas or end that snapshot. */
int gvD_open_readonly(const char *path, sqlite3 **db, char **err);
/* While set, statements prepared on such a connection set *observations
** to 1 when they read the observations table (NULL stops watching). */
void gvD_watch_reads(sqlite3 *db, int *observations);

/* Close a connection from gvD_open or gvD_open_readonly (an open
** transaction is rolled back).  Those that a failed allocation unwinds past
** are closed the same way. */
void gvD_close(sqlite3 *db);

/* Run SQL with no result rows; 0 on success, else *err is set. */
int gvD_exec(sqlite3 *db, const char *sql, char **err);

/* The message for a failed call on db, as a malloc'd string. */
char *gvD_errmsg(sqlite3 *db, const char *what);

/* The latest finished run, 0 when there is none, -1 when the database
** cannot be read. */
long long gvD_latest_run(sqlite3 *db);

/* How long a writer waits for another run or import to finish. */
#define GVD_WAIT_MS 60000

/* Begin the write transaction (BEGIN IMMEDIATE), waiting up to GVD_WAIT_MS
** for a run or import in progress; 0, or -1 with *err naming db_path. */
int gvD_begin_write(sqlite3 *db, const char *db_path, char **err);

/* Roll back the transaction that is open, if one is; 0, or -1 with the
** failure added to *err (which may hold why it was rolled back). */
int gvD_rollback(sqlite3 *db, char **err);

/* The files imported and the sources removed after run started (kind,
** file, imported, 1 for a removal, source), oldest first: what a report
** lists from the tables may not be what the run read.  NULL if the
** database cannot be read. */
sqlite3_stmt *gvD_imports_since(sqlite3 *db, long long run);

/* The kinds of file import reads, NULL-terminated: municipalities, cases,
** partners, observations, inputs, gains, gain_shares. */
extern const char *const gvI_kinds[];

/* The names of a kind's sheet in a workbook: the kind, then bokmål,
** nynorsk and Danish ("observations", "observasjoner", ...); NULL when
** there is no such kind.  NULL-terminated. */
const char *const *gvI_sheet_names(const char *kind);

/* A column of a kind of file, for those who write one (a template). */
typedef struct gv_column_info {
    const char *name;
    int required;
    const char *type; /* text, number, fraction (0..1), year, count, period, date, choice */
    const char *const *choices; /* a choice's values, NULL-terminated */
} gv_column_info;
/* The columns of a kind, in the order a file usually has them: at most
** max in out; how many. */
int gvI_columns(const char *kind, gv_column_info *out, int max);

/* A column's heading in a language (1 bokmål, 2 nynorsk, 3 Danish; else
** the column's own name), as import reads it back. */
const char *gvI_heading(const char *column, int lang);

/* What an import did. */
typedef struct gv_import_result {
    char *source; /* the source's name (the file's, or the one given); the caller frees */
    long rows;    /* rows the source holds now */
    int replaced; /* the source was there, and its rows were replaced */
    int same;     /* the source held this content already: nothing was done */
    char *since;  /* then: since when; the caller frees */
    long added, changed, removed, unchanged; /* against what it held */
    const char *encoding; /* "Windows-1252" when the file was read as such; NULL: UTF-8 */
    int wide;             /* read as a wide sheet: one column per metric */
} gv_import_result;

/* The largest file import reads, 4 GiB: a regular file, or standard input
** ("-", with a source's name); the whole file is read and hashed before
** the write lock is taken.  gvI_set_max_bytes changes it, for tests (0:
** back to this). */
#define GVI_MAX_BYTES (4LL << 30)
void gvI_set_max_bytes(long long n);

/* Import a CSV file of `kind` all-or-nothing as a source (NULL: the file's
** name): its rows replace what the source held.  GV_BAD_DATA with *err
** "FILE:ROW:COL: ..." when the file is wrong; the database is as it was. */
gv_status gvI_import(const char *db_path, const char *kind, const char *csv_path,
                     const char *source, gv_import_result *res, char **err);
/* The same with options: the sheet of a workbook to read (NULL: the one
** named for the kind, else the only one); a key (GV_KEY_SIZE bytes; NULL:
** none) that replaces subjects by their pseudonyms, so identity numbers
** never reach the database (docs/privacy.md). */
typedef struct gv_import_options {
    const char *source; /* NULL: the file's name (a workbook's: "FILE:SHEET") */
    const char *sheet;
    const unsigned char *key;
} gv_import_options;
gv_status gvI_import_with(const char *db_path, const char *kind, const char *path,
                          const gv_import_options *opt, gv_import_result *res, char **err);
/* Take a source's rows out (res->removed counts them); refused, and
** nothing changed, when other rows still refer to them. */
gv_status gvI_remove(const char *db_path, const char *source, gv_import_result *res, char **err);

/* A source as the database holds it now. */
typedef struct gv_source_row {
    const char *source, *kind, *file, *sha256, *imported;
    long rows;
} gv_source_row;
typedef int (*gvI_source_fn)(void *ud, const gv_source_row *row);
/* Every source a database holds, in the order they were first imported. */
gv_status gvI_sources(const char *db_path, gvI_source_fn fn, void *ud, char **err);

/* The gains written in a config (`file`), checked as an imported gains
** file is, into the connection's temp.config_gains; returns the number
** refused (each reported to diag as FILE:LINE: message), or -1. */
int gvI_config_gains(sqlite3 *db, const char *file, const gv_record *gains, int n, gv_diag *diag);

/* ------------------------------------------------------------ workbooks */

/* One sheet of an .xlsx workbook as rows of text (gv_workbook.c): field
** for each cell up to the row's last that holds something, row at the end
** of each row, also for the empty rows Excel leaves out, so rows count as
** Excel numbers them.  A callback's non-zero return stops the reading. */
typedef int (*gvB_field_fn)(const char *text, size_t len, void *ud);
typedef int (*gvB_row_fn)(void *ud);
/* Which sheet gvB_read would read, without reading it; 0, or -1 with *err. */
int gvB_sheet(const char *path, const char *sheet, const char *const *names, char **chosen,
              char **err);
/* Is the open file a zip, as a workbook is?  (It is rewound.) */
int gvB_is_workbook(FILE *f);
/* Read sheet `sheet` of the workbook at path; NULL: the one whose name is
** one of `names` (any case), else the only one.  0, or -1 with *err; the
** sheet read goes in *chosen (malloc'd). */
int gvB_read(const char *path, const char *sheet, const char *const *names, gvB_field_fn field,
             gvB_row_fn row, void *ud, char **chosen, char **err);

#endif
