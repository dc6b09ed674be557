/*
** gv_store.h -- the store layer: the case database (gv_db.c: opening,
** schema migrations) and what goes into it from files (gv_import.c:
** all-or-nothing CSV import, and a config's gains checked the same way).
** Depends on base.  docs/data-model.md describes the schema.
*/
#ifndef GV_STORE_H
#define GV_STORE_H

#include <sqlite3.h>

#include "base/gv_base.h"

/* The schema version this engine writes (PRAGMA user_version): the number
** of migrations in gv_db.c, which checks that the two agree. */
#define GV_SCHEMA_VERSION 9
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

/* What an import did. */
typedef struct gv_import_result {
    char *source; /* the source's name (the file's, or the one given); the caller frees */
    long rows;    /* rows the source holds now */
    int replaced; /* the source was there, and its rows were replaced */
    int same;     /* the source held this content already: nothing was done */
    char *since;  /* then: since when; the caller frees */
    long added, changed, removed, unchanged; /* against what it held */
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

#endif
