/*
** gv_db.h -- the case database: opening, schema migrations, runs and results.
*/
#ifndef GV_DB_H
#define GV_DB_H

#include <sqlite3.h>

/* Schema version this engine writes (PRAGMA user_version). */
#define GV_DB_SCHEMA_VERSION 1

/* Open an existing database read-write and bring it to the current schema
** (create != 0 also creates a missing file).  Foreign keys on, WAL. */
int gvD_open(const char *path, int create, sqlite3 **db, char **err);

/* Open a read-only connection for modules: an authorizer allows reading
** only, so a module cannot write, ATTACH or change pragmas. */
int gvD_open_readonly(const char *path, sqlite3 **db, char **err);

/* Run SQL with no result rows; 0 on success, else *err is set. */
int gvD_exec(sqlite3 *db, const char *sql, char **err);

/* The message for a failed call on db, as a malloc'd string. */
char *gvD_errmsg(sqlite3 *db, const char *what);
/* The files imported after run started (kind, file, imported), oldest
** first: what a report lists from the tables may not be what the run read.
** NULL if the database cannot be read. */
sqlite3_stmt *gvD_imports_since(sqlite3 *db, long long run);

#endif
