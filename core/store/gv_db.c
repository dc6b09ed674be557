/*
** gv_db.c -- the case database (see gv_store.h and docs/data-model.md).
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/gv_store.h"

/* Migrations, applied in order; migration i brings user_version to i + 1.
** Never edit one that has shipped: append a new one. */
static const char *const gvD_migrations[] = {
    /* 1: the foundation */
    "CREATE TABLE municipalities ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  country TEXT NOT NULL"
    ") STRICT;"
    "CREATE TABLE cases ("
    "  id TEXT PRIMARY KEY,"
    "  municipality TEXT NOT NULL REFERENCES municipalities(code),"
    "  title TEXT NOT NULL,"
    "  start_date TEXT,"
    "  end_date TEXT,"
    "  description TEXT"
    ") STRICT;"
    "CREATE INDEX cases_by_municipality ON cases(municipality);"
    "CREATE TABLE partners ("
    "  case_id TEXT NOT NULL REFERENCES cases(id),"
    "  name TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('municipality', 'civil_society',"
    "    'social_enterprise', 'citizens', 'business', 'research')),"
    "  role TEXT,"
    "  PRIMARY KEY (case_id, name)"
    ") STRICT;"
    "CREATE TABLE metrics ("
    "  name TEXT PRIMARY KEY,"
    "  unit TEXT"
    ") STRICT;"
    "CREATE TABLE observations ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id TEXT NOT NULL REFERENCES cases(id),"
    "  metric TEXT NOT NULL REFERENCES metrics(name),"
    "  period TEXT NOT NULL,"
    "  period_start TEXT NOT NULL,"
    "  period_end TEXT NOT NULL,"
    "  value REAL NOT NULL,"
    "  unit TEXT,"
    "  subject TEXT,"
    "  source TEXT,"
    "  note TEXT"
    ") STRICT;"
    /* covering index: an aggregate over one case, metric and period reads
       only the index */
    "CREATE INDEX observations_by_case ON observations"
    "  (case_id, metric, period_start, period_end, value);"
    "CREATE TABLE inputs ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id TEXT NOT NULL REFERENCES cases(id),"
    "  partner TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  period_start TEXT NOT NULL,"
    "  period_end TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('cash', 'in_kind', 'volunteer_hours')),"
    "  amount REAL NOT NULL,"
    "  currency TEXT,"
    "  FOREIGN KEY (case_id, partner) REFERENCES partners(case_id, name)"
    ") STRICT;"
    "CREATE INDEX inputs_by_case ON inputs(case_id, period_start, period_end);"
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  started TEXT NOT NULL,"
    "  finished TEXT,"
    "  engine_version TEXT NOT NULL,"
    "  config_file TEXT NOT NULL,"
    "  config_hash TEXT NOT NULL"
    ") STRICT;"
    /* what made each indicator's values in a run: stored once per
       indicator, not once per value */
    "CREATE TABLE run_indicators ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  indicator TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  unit TEXT,"
    "  module TEXT NOT NULL,"
    "  module_kind TEXT CHECK (module_kind IN ('c', 'lua')),"
    "  module_path TEXT,"
    "  module_version TEXT,"
    "  module_hash TEXT,"
    "  params TEXT,"
    "  isolated INTEGER NOT NULL,"
    "  error TEXT,"
    "  PRIMARY KEY (run, indicator)"
    ") STRICT;"
    "CREATE TABLE results ("
    "  run INTEGER NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  case_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  value REAL,"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'no_data', 'error')),"
    "  error TEXT,"
    "  PRIMARY KEY (run, indicator, case_id, period),"
    "  FOREIGN KEY (run, indicator) REFERENCES run_indicators(run, indicator)"
    ") STRICT;"
    /* each value with what made it, for queries by hand */
    "CREATE VIEW results_with_provenance AS"
    "  SELECT r.run, r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,"
    "         i.module, i.module_kind, i.module_version, i.module_hash, i.params,"
    "         u.started, u.engine_version, u.config_file, u.config_hash"
    "  FROM results r JOIN run_indicators i USING (run, indicator)"
    "  JOIN runs u ON u.id = r.run;",
    /* 2: every file imported, so the same file is not imported twice */
    "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  rows INTEGER NOT NULL,"
    "  imported TEXT NOT NULL,"
    "  engine_version TEXT NOT NULL,"
    "  UNIQUE (kind, sha256)"
    ") STRICT;",
    /* 3: the realisation plan, and what a run makes of it */
    "CREATE TABLE gains ("
    "  case_id TEXT NOT NULL REFERENCES cases(id),"
    "  gain TEXT NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  description TEXT,"
    "  type TEXT NOT NULL CHECK (type IN ('economic', 'time', 'quality', 'other_actors')),"
    "  beneficiary TEXT NOT NULL CHECK (beneficiary IN ('municipality', 'county', 'state',"
    "    'citizens', 'civil_society', 'social_enterprise')),"
    "  owner TEXT,"
    "  baseline REAL NOT NULL,"
    "  baseline_period TEXT NOT NULL,"
    "  target REAL NOT NULL,"
    "  target_period TEXT NOT NULL,"
    "  target_low REAL,"
    "  target_high REAL,"
    "  quantity_basis TEXT NOT NULL DEFAULT 'actual' CHECK (quantity_basis IN ('actual', "
    "'change')),"
    "  proxy_value REAL,"
    "  currency TEXT,"
    "  price_year INTEGER,"
    "  deadweight REAL NOT NULL DEFAULT 0 CHECK (deadweight BETWEEN 0 AND 1),"
    "  attribution REAL NOT NULL DEFAULT 0 CHECK (attribution BETWEEN 0 AND 1),"
    "  displacement REAL NOT NULL DEFAULT 0 CHECK (displacement BETWEEN 0 AND 1),"
    "  drop_off REAL NOT NULL DEFAULT 0 CHECK (drop_off BETWEEN 0 AND 1),"
    "  duration_years INTEGER NOT NULL DEFAULT 1 CHECK (duration_years >= 1),"
    "  assumptions TEXT,"
    "  PRIMARY KEY (case_id, gain)"
    ") STRICT;"
    "CREATE TABLE gain_shares ("
    "  case_id TEXT NOT NULL,"
    "  gain TEXT NOT NULL,"
    "  partner TEXT NOT NULL,"
    "  share REAL NOT NULL CHECK (share BETWEEN 0 AND 1),"
    "  PRIMARY KEY (case_id, gain, partner),"
    "  FOREIGN KEY (case_id, gain) REFERENCES gains(case_id, gain),"
    "  FOREIGN KEY (case_id, partner) REFERENCES partners(case_id, name)"
    ") STRICT;"
    "CREATE TABLE gain_results ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  case_id TEXT NOT NULL,"
    "  gain TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  actual REAL,"
    "  realisation_pct REAL,"
    "  expected_pct REAL,"
    "  expected_value REAL,"
    "  deviation REAL,"
    "  status TEXT NOT NULL CHECK (status IN ('achieved', 'on_track', 'behind', 'missed',"
    "    'no_data', 'error')),"
    "  error TEXT,"
    "  PRIMARY KEY (run, case_id, gain, period)"
    ") STRICT;"
    /* the plan a run used, as it was: the plan may change later */
    "CREATE TABLE run_gains ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  case_id TEXT NOT NULL,"
    "  gain TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  plan TEXT NOT NULL,"
    "  quantity REAL,"
    "  quantity_period TEXT,"
    "  proxy REAL,"
    "  impact_year1 REAL,"
    "  present_value REAL,"
    "  error TEXT,"
    "  PRIMARY KEY (run, case_id, gain)"
    ") STRICT;"
    "CREATE TABLE case_values ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  case_id TEXT NOT NULL,"
    "  currency TEXT NOT NULL,"
    "  price_year INTEGER NOT NULL,"
    "  discount_rate REAL,"
    "  investment REAL,"
    "  impact_year1 REAL,"
    "  present_value REAL,"
    "  npv REAL,"
    "  sroi REAL,"
    "  sroi_net REAL,"
    "  payback_months REAL,"
    "  sroi_pessimistic REAL,"
    "  sroi_likely REAL,"
    "  sroi_optimistic REAL,"
    "  error TEXT,"
    "  PRIMARY KEY (run, case_id)"
    ") STRICT;"
    "CREATE TABLE value_splits ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  case_id TEXT NOT NULL,"
    "  dimension TEXT NOT NULL CHECK (dimension IN ('beneficiary', 'partner_type')),"
    "  name TEXT NOT NULL,"
    "  present_value REAL NOT NULL,"
    "  PRIMARY KEY (run, case_id, dimension, name)"
    ") STRICT;"
    "CREATE TABLE sensitivity ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  case_id TEXT NOT NULL,"
    "  assumption TEXT NOT NULL,"
    "  low REAL,"
    "  sroi_low REAL,"
    "  high REAL,"
    "  sroi_high REAL,"
    "  break_even REAL,"
    "  PRIMARY KEY (run, case_id, assumption)"
    ") STRICT;"
    "CREATE TABLE run_conversions ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  currency TEXT NOT NULL,"
    "  price_year INTEGER NOT NULL,"
    "  rate REAL NOT NULL,"
    "  cpi_from REAL,"
    "  cpi_to REAL,"
    "  factor REAL NOT NULL,"
    "  PRIMARY KEY (run, currency, price_year)"
    ") STRICT;",
    /* 4: observations indexed by metric first: a run reads each metric's
       observations case by case in one pass (gv_module.c), and a lookup by
       case and metric is as quick as before */
    "DROP INDEX observations_by_case;"
    "CREATE INDEX observations_by_metric ON observations"
    "  (metric, case_id, period_start, period_end, value);",
    /* 5: results kept in their key's order, without a rowid beside it: a
       run writes one B-tree, not a table and an index */
    "CREATE TABLE results_by_key ("
    "  run INTEGER NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  case_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  value REAL,"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'no_data', 'error')),"
    "  error TEXT,"
    "  PRIMARY KEY (run, indicator, case_id, period),"
    "  FOREIGN KEY (run, indicator) REFERENCES run_indicators(run, indicator)"
    ") STRICT, WITHOUT ROWID;"
    "INSERT INTO results_by_key SELECT run, indicator, case_id, period, value, status, error"
    "  FROM results;"
    "DROP VIEW results_with_provenance;"
    "DROP TABLE results;"
    "ALTER TABLE results_by_key RENAME TO results;"
    "CREATE VIEW results_with_provenance AS"
    "  SELECT r.run, r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,"
    "         i.module, i.module_kind, i.module_version, i.module_hash, i.params,"
    "         u.started, u.engine_version, u.config_file, u.config_hash"
    "  FROM results r JOIN run_indicators i USING (run, indicator)"
    "  JOIN runs u ON u.id = r.run;",
    /* 6: the smallest count of persons each value was made from (privacy:
       a report hides what comes from a count under its threshold) */
    "ALTER TABLE results ADD COLUMN fewest_persons REAL;",
    /* 7: a run's module may be of any kind the host's loader registry
       knows: module_kind without the CHECK that named C and Lua alone (a
       table rebuilt as SQLite's ALTER TABLE documentation shows) */
    "CREATE TABLE run_indicators_of_any_kind ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  indicator TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  unit TEXT,"
    "  module TEXT NOT NULL,"
    "  module_kind TEXT,"
    "  module_path TEXT,"
    "  module_version TEXT,"
    "  module_hash TEXT,"
    "  params TEXT,"
    "  isolated INTEGER NOT NULL,"
    "  error TEXT,"
    "  PRIMARY KEY (run, indicator)"
    ") STRICT;"
    "INSERT INTO run_indicators_of_any_kind SELECT run, indicator, position, unit, module,"
    "  module_kind, module_path, module_version, module_hash, params, isolated, error"
    "  FROM run_indicators;"
    "DROP VIEW results_with_provenance;"
    "DROP TABLE run_indicators;"
    "ALTER TABLE run_indicators_of_any_kind RENAME TO run_indicators;"
    "CREATE VIEW results_with_provenance AS"
    "  SELECT r.run, r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,"
    "         i.module, i.module_kind, i.module_version, i.module_hash, i.params,"
    "         u.started, u.engine_version, u.config_file, u.config_hash"
    "  FROM results r JOIN run_indicators i USING (run, indicator)"
    "  JOIN runs u ON u.id = r.run;",
    /* 8: every imported row knows its source (the file it came from, by
       name) and its row there, so a source imported again replaces its own
       rows and a duplicate names both places; imports become the history
       of each source.  Rows from before are the source 'earlier-imports' */
    "ALTER TABLE municipalities ADD COLUMN import_source TEXT;"
    "ALTER TABLE municipalities ADD COLUMN import_row INTEGER;"
    "UPDATE municipalities SET import_source = 'earlier-imports';"
    "CREATE INDEX municipalities_by_source ON municipalities (import_source);"
    "ALTER TABLE cases ADD COLUMN import_source TEXT;"
    "ALTER TABLE cases ADD COLUMN import_row INTEGER;"
    "UPDATE cases SET import_source = 'earlier-imports';"
    "CREATE INDEX cases_by_source ON cases (import_source);"
    "ALTER TABLE partners ADD COLUMN import_source TEXT;"
    "ALTER TABLE partners ADD COLUMN import_row INTEGER;"
    "UPDATE partners SET import_source = 'earlier-imports';"
    "CREATE INDEX partners_by_source ON partners (import_source);"
    "ALTER TABLE observations ADD COLUMN import_source TEXT;"
    "ALTER TABLE observations ADD COLUMN import_row INTEGER;"
    "UPDATE observations SET import_source = 'earlier-imports';"
    "CREATE INDEX observations_by_source ON observations (import_source);"
    "ALTER TABLE inputs ADD COLUMN import_source TEXT;"
    "ALTER TABLE inputs ADD COLUMN import_row INTEGER;"
    "UPDATE inputs SET import_source = 'earlier-imports';"
    "CREATE INDEX inputs_by_source ON inputs (import_source);"
    "ALTER TABLE gains ADD COLUMN import_source TEXT;"
    "ALTER TABLE gains ADD COLUMN import_row INTEGER;"
    "UPDATE gains SET import_source = 'earlier-imports';"
    "CREATE INDEX gains_by_source ON gains (import_source);"
    "ALTER TABLE gain_shares ADD COLUMN import_source TEXT;"
    "ALTER TABLE gain_shares ADD COLUMN import_row INTEGER;"
    "UPDATE gain_shares SET import_source = 'earlier-imports';"
    "CREATE INDEX gain_shares_by_source ON gain_shares (import_source);"
    /* an observation is one value of (case, metric, period, subject) */
    "CREATE INDEX observations_identity ON observations (case_id, metric, period, subject);"
    "CREATE TABLE imports_of_sources ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  rows INTEGER NOT NULL,"
    "  imported TEXT NOT NULL,"
    "  engine_version TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('current', 'replaced', 'removed'))"
    ") STRICT;"
    "INSERT INTO imports_of_sources SELECT id, kind, 'earlier-imports', file, sha256, rows,"
    "  imported, engine_version, 'current' FROM imports;"
    "DROP TABLE imports;"
    "ALTER TABLE imports_of_sources RENAME TO imports;"
    "CREATE INDEX imports_by_source ON imports (source, state);",
    /* 9: how much of its period the data behind each value cover; a gain
       whose actual comes from a partial period is 'incomplete', and a
       period SROI passed over for that says so (docs/methodology.md) */
    "ALTER TABLE results ADD COLUMN coverage REAL;"
    /* a run reads whether an observation has a subject (a survey answer
       covers its period): from the index, as it reads the rest.  The same
       index finds an observation by its identity, (case, metric, period,
       subject), the period as its days: one index fewer to write a row to */
    "DROP INDEX observations_by_metric;"
    "DROP INDEX observations_identity;"
    "CREATE INDEX observations_by_metric ON observations"
    "  (metric, case_id, period_start, period_end, subject, value);"
    "CREATE TABLE gain_results_with_coverage ("
    "  run INTEGER NOT NULL REFERENCES runs(id),"
    "  case_id TEXT NOT NULL,"
    "  gain TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  actual REAL,"
    "  realisation_pct REAL,"
    "  expected_pct REAL,"
    "  expected_value REAL,"
    "  deviation REAL,"
    "  status TEXT NOT NULL CHECK (status IN ('achieved', 'on_track', 'behind', 'missed',"
    "    'incomplete', 'no_data', 'error')),"
    "  error TEXT,"
    "  coverage REAL,"
    "  PRIMARY KEY (run, case_id, gain, period)"
    ") STRICT;"
    "INSERT INTO gain_results_with_coverage SELECT run, case_id, gain, period, actual,"
    "  realisation_pct, expected_pct, expected_value, deviation, status, error, NULL"
    "  FROM gain_results ORDER BY rowid;"
    "DROP TABLE gain_results;"
    "ALTER TABLE gain_results_with_coverage RENAME TO gain_results;"
    "ALTER TABLE run_gains ADD COLUMN left_out_period TEXT;"
    "DROP VIEW results_with_provenance;"
    "CREATE VIEW results_with_provenance AS"
    "  SELECT r.run, r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,"
    "         i.module, i.module_kind, i.module_version, i.module_hash, i.params,"
    "         u.started, u.engine_version, u.config_file, u.config_hash, r.coverage"
    "  FROM results r JOIN run_indicators i USING (run, indicator)"
    "  JOIN runs u ON u.id = r.run;",
    /* 10: what each module read through the host, each distinct read once
       for each period evaluated (gv_reads), so explain can show the
       observations behind any module's value; reads_recorded is 1 when
       all were kept, 0 when the module read more than gevinst keeps, NULL
       in runs made before */
    "CREATE TABLE run_reads ("
    "  run INTEGER NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  aggregate TEXT NOT NULL,"
    "  metric TEXT,"
    "  read_period TEXT,"
    "  query TEXT,"
    "  PRIMARY KEY (run, indicator, period, position),"
    "  FOREIGN KEY (run, indicator) REFERENCES run_indicators(run, indicator)"
    ") STRICT, WITHOUT ROWID;"
    "ALTER TABLE run_indicators ADD COLUMN reads_recorded INTEGER;",
    /* 11: the status written with = and OR: SQLite 3.40 checks IN (...)
       through a temporary B-tree built for every row a run stores, which
       cost a tenth of a run (docs/performance.md, "The run").  The table
       is rebuilt, its rows and columns kept */
    "CREATE TABLE results_checked ("
    "  run INTEGER NOT NULL,"
    "  indicator TEXT NOT NULL,"
    "  case_id TEXT NOT NULL,"
    "  period TEXT NOT NULL,"
    "  value REAL,"
    "  status TEXT NOT NULL"
    "    CHECK (status = 'ok' OR status = 'no_data' OR status = 'error'),"
    "  error TEXT,"
    "  fewest_persons REAL,"
    "  coverage REAL,"
    "  PRIMARY KEY (run, indicator, case_id, period),"
    "  FOREIGN KEY (run, indicator) REFERENCES run_indicators(run, indicator)"
    ") STRICT, WITHOUT ROWID;"
    "INSERT INTO results_checked SELECT run, indicator, case_id, period, value, status, error,"
    "  fewest_persons, coverage FROM results;"
    "DROP VIEW results_with_provenance;"
    "DROP TABLE results;"
    "ALTER TABLE results_checked RENAME TO results;"
    "CREATE VIEW results_with_provenance AS"
    "  SELECT r.run, r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,"
    "         i.module, i.module_kind, i.module_version, i.module_hash, i.params,"
    "         u.started, u.engine_version, u.config_file, u.config_hash, r.coverage"
    "  FROM results r JOIN run_indicators i USING (run, indicator)"
    "  JOIN runs u ON u.id = r.run;",
};

#define GVD_NMIGRATIONS ((int)(sizeof gvD_migrations / sizeof gvD_migrations[0]))

_Static_assert(GVD_NMIGRATIONS == GV_SCHEMA_VERSION, "GV_SCHEMA_VERSION is not the last migration");

int gvD_schema_version(void) {
    return GVD_NMIGRATIONS;
}

long long gvD_latest_run(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT max(id) FROM runs WHERE finished IS NOT NULL", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int stepped = sqlite3_step(st);
    long long run = stepped == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return run;
}

int gvD_rollback(sqlite3 *db, char **err) {
    /* after some failures SQLite has rolled back already */
    if (sqlite3_get_autocommit(db) || sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    char *why = gvU_mprintf("%s%scannot roll back: %s", *err ? *err : "", *err ? "; " : "",
                            sqlite3_errmsg(db));
    free(*err);
    *err = why;
    return -1;
}

int gvD_begin_write(sqlite3 *db, const char *db_path, char **err) {
    /* a run holds the write lock until it has stored everything: wait for
       it rather than fail at once */
    sqlite3_busy_timeout(db, GVD_WAIT_MS);
    if (gvD_exec(db, "BEGIN IMMEDIATE", err) == 0) return 0;
    if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_BUSY) {
        free(*err);
        *err = gvU_mprintf("%s: another gevinst has been writing to it for %d s (a run or an "
                           "import); try again when it has finished",
                           db_path, GVD_WAIT_MS / 1000);
    }
    return -1;
}

/* A failure of the file rather than of the SQL (a full disk, a read-only
** medium, a file that is not a database): the file's name and the
** system's reason belong in the message. */
static int gvD_file_failure(int code) {
    switch (code & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
        return 1;
    default:
        return 0;
    }
}

/* "FILE: MESSAGE", and for a failure of the file "FILE: MESSAGE (REASON)". */
static char *gvD_why(sqlite3 *db, const char *msg) {
    int code = sqlite3_extended_errcode(db), sys = sqlite3_system_errno(db);
    const char *file = sqlite3_db_filename(db, "main");
    if (!file || !*file) return gvU_strdup(msg);
    if (!gvD_file_failure(code)) return gvU_mprintf("%s: %s", file, msg);
    if (code == SQLITE_READONLY_DIRECTORY) /* no -wal and -shm beside it */
        return gvU_mprintf("%s: %s (its folder cannot be written)", file, msg);
    if (sys && (code & 0xff) != SQLITE_CORRUPT && (code & 0xff) != SQLITE_NOTADB)
        return gvU_mprintf("%s: %s (%s)", file, msg, strerror(sys));
    return gvU_mprintf("%s: %s", file, msg);
}

char *gvD_errmsg(sqlite3 *db, const char *what) {
    if (!db) return gvU_mprintf("%s: out of memory", what);
    /* the file, whatever went wrong: "database is locked" alone does not
       say which of an analyst's databases is (gvD_why names it) */
    char *why = gvD_why(db, sqlite3_errmsg(db));
    if (strcmp(what, "database") == 0) return why;
    char *msg = gvU_mprintf("%s: %s", what, why);
    free(why);
    return msg;
}

gv_status gvD_status(sqlite3 *db, gv_status otherwise) {
    return db && gvD_file_failure(sqlite3_extended_errcode(db)) ? GV_DATABASE : otherwise;
}

sqlite3_stmt *gvD_imports_since(sqlite3 *db, long long run) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT kind, file, imported, state = 'removed', source FROM imports"
                           " WHERE imported > (SELECT started FROM runs WHERE id = ?1) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, run);
    return st;
}

int gvD_exec(sqlite3 *db, const char *sql, char **err) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        *err = gvD_why(db, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int gvD_user_version(sqlite3 *db, int *version) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* Migration v, in its own transaction, committed only when every foreign
** key still finds its row; 0, or -1 with *err and nothing changed. */
static int gvD_apply(sqlite3 *db, int v, char **err) {
    char *sql =
        gvU_mprintf("BEGIN IMMEDIATE; %s PRAGMA user_version = %d;", gvD_migrations[v], v + 1);
    int rc = gvD_exec(db, sql, err);
    free(sql);
    sqlite3_stmt *check = NULL;
    if (rc == 0 &&
        sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &check, NULL) != SQLITE_OK)
        rc = -1, *err = gvD_errmsg(db, "database");
    if (rc == 0) {
        int stepped = sqlite3_step(check);
        if (stepped != SQLITE_DONE) {
            rc = -1;
            *err = stepped == SQLITE_ROW
                       ? gvU_mprintf("migration %d would leave a row of %s without its %s", v + 1,
                                     (const char *)sqlite3_column_text(check, 0),
                                     (const char *)sqlite3_column_text(check, 2))
                       : gvD_errmsg(db, "database");
        }
    }
    sqlite3_finalize(check);
    if (rc == 0) rc = gvD_exec(db, "COMMIT", err);
    if (rc < 0) gvD_rollback(db, err); /* the migration's own transaction, if still open */
    return rc;
}

/* One number from a query, or -1 when it cannot be read. */
static long long gvD_number(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Is db gevinst's (or empty), by reading only: its schema version, and the
** tables every version of gevinst's schema has.  Another program's file is
** refused before anything (WAL, a migration) is written to it.  The
** version, or -1 with *err; -2 when the file cannot be read. */
static int gvD_ours(sqlite3 *db, const char *path, char **err) {
    int version;
    long long tables = gvD_number(db, "SELECT count(*) FROM sqlite_schema");
    if (tables < 0 || gvD_user_version(db, &version) < 0) {
        int unreadable = gvD_status(db, GV_USAGE) == GV_DATABASE &&
                         (sqlite3_extended_errcode(db) & 0xff) != SQLITE_NOTADB;
        *err = unreadable
                   ? gvD_errmsg(db, "cannot open database")
                   : gvU_mprintf("%s: not a gevinst database (%s)", path, sqlite3_errmsg(db));
        return unreadable ? -2 : -1;
    }
    /* gevinst's own tables, under their names since schema 1 */
    long long ours = gvD_number(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND"
                                    " name IN ('municipalities', 'cases', 'observations', 'runs',"
                                    " 'run_indicators', 'results')");
    if (version == 0 && tables > 0) {
        *err =
            gvU_mprintf("%s: not a gevinst database (it has tables but no schema version)", path);
        return -1;
    }
    if (version != 0 && ours != 6) {
        *err = gvU_mprintf("%s: not a gevinst database (schema version %d, but not gevinst's "
                           "tables)",
                           path, version);
        return -1;
    }
    if (version > GVD_NMIGRATIONS) {
        *err = gvU_mprintf("%s: schema version %d is newer than this gevinst (%d); upgrade gevinst",
                           path, version, GVD_NMIGRATIONS);
        return -1;
    }
    return version;
}

/* Apply the migrations db lacks (it is at `version`), each in its own
** transaction. */
static int gvD_migrate(sqlite3 *db, int version, char **err) {
    if (version == GVD_NMIGRATIONS) return 0;
    /* a migration that rebuilds a table others refer to drops it first:
       foreign keys are checked once, before each migration commits.  The
       rebuilt table takes the old one's name as SQLite's 12 steps do it,
       leaving the user's own views on it alone (legacy_alter_table): they
       find it again by name */
    if (gvD_exec(db, "PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON", err) < 0)
        return -2;
    for (int v = version; v < GVD_NMIGRATIONS; v++)
        if (gvD_apply(db, v, err) < 0) return -2;
    return gvD_exec(db, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = OFF", err) < 0 ? -2
                                                                                              : 0;
}

/* in_period(start, end, period): does the period ("2018-Q3") hold the days
** start..end?  The one rule of which observation counts in which period
** (gvP_holds), for SQL: explain's, and modules' own queries. */
static void gvD_in_period(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc;
    const char *start = (const char *)sqlite3_value_text(argv[0]);
    const char *end = (const char *)sqlite3_value_text(argv[1]);
    const gv_period *cached = sqlite3_get_auxdata(c, 2); /* parsed once per statement */
    gv_period p;
    if (cached) {
        p = *cached;
    } else {
        const char *text = (const char *)sqlite3_value_text(argv[2]);
        if (!text || gvP_parse(text, &p) < 0) {
            sqlite3_result_error(c, "in_period: the third argument is not a period", -1);
            return;
        }
        gv_period *keep = sqlite3_malloc(sizeof *keep);
        if (keep) *keep = p, sqlite3_set_auxdata(c, 2, keep, sqlite3_free);
    }
    if (!start || !end)
        sqlite3_result_null(c);
    else
        sqlite3_result_int(c, gvP_holds(&p, start, end));
}

static int gvD_functions(sqlite3 *db) {
    return sqlite3_create_function(db, "in_period", 3,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   gvD_in_period, NULL, NULL) == SQLITE_OK
               ? 0
               : -1;
}

/* SQLite counts its memory under a global mutex unless told not to; this
** must come before SQLite starts (SQLite's setting is the process's, so it
** is made once), and later calls are harmless no-ops. */
static void gvD_configure_once(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void gvD_configure(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gvD_configure_once);
}

/* A connection a failed allocation unwound past: close it, so its
** transaction is rolled back and its lock let go.  The statements the
** unwound code held are finalized first (no one will step them again): a
** connection with statements left would stay open, and locked. */
static void gvD_close_unwound(void *db) {
    sqlite3_stmt *st;
    while ((st = sqlite3_next_stmt(db, NULL)))
        sqlite3_finalize(st);
    sqlite3_close(db);
}

void gvD_close(sqlite3 *db) {
    if (!db) return;
    gvU_undone(db);
    sqlite3_close(db);
}

gv_status gvD_open(const char *path, int create, sqlite3 **out, char **err) {
    gvD_configure();
    sqlite3 *db = NULL;
    /* one connection, one thread: SQLite's own locking is not needed */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    *out = NULL;
    if (!create && !gvU_file_exists(path)) {
        *err = gvU_mprintf("%s: no such database; create it with 'gevinst init %s'", path, path);
        return GV_NOT_FOUND;
    }
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        *err = gvU_mprintf("%s: cannot open database: %s", path,
                           db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return GV_USAGE;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    if (gvD_functions(db) < 0) {
        *err = gvD_errmsg(db, "database");
        sqlite3_close(db);
        return GV_DATABASE;
    }
    /* a file that is not ours is the caller's mistake, refused before WAL
       changes its header; a file that cannot be read or written, or a
       failed migration, is the database's */
    int version = gvD_ours(db, path, err);
    if (version < 0) {
        sqlite3_close(db);
        return version == -2 ? GV_DATABASE : GV_USAGE;
    }
    /* WAL with synchronous = NORMAL never corrupts; a power cut may lose the
       last transaction, which the user then runs again */
    if (gvD_exec(db,
                 "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
                 " PRAGMA synchronous = NORMAL;",
                 err) < 0 ||
        gvD_migrate(db, version, err) < 0) {
        sqlite3_close(db);
        return GV_DATABASE;
    }
    gvU_undo_on_unwind(gvD_close_unwound, db);
    *out = db;
    return GV_OK;
}

/* "file:PATH?immutable=1", the path escaped as a URI's path is. */
static char *gvD_immutable_uri(const char *path) {
    gvU_buf b = {0};
    gvU_buf_puts(&b, path[0] == '/' && path[1] == '/' ? "file:///" : "file:");
    for (const char *p = path; *p; p++)
        if (*p == '%' || *p == '?' || *p == '#')
            gvU_buf_printf(&b, "%%%02X", (unsigned char)*p);
        else
            gvU_buf_add(&b, p, 1);
    gvU_buf_puts(&b, "?immutable=1");
    return gvU_buf_take(&b);
}

/* Has the database a write-ahead log with transactions in it (left by a
** writer that has not finished, or that died)? */
static int gvD_has_log(const char *path) {
    char *wal = gvU_mprintf("%s-wal", path);
    struct stat st;
    int has = stat(wal, &st) == 0 && st.st_size > 0;
    free(wal);
    return has;
}

/* A read-only connection to path; where its folder cannot be written, so
** SQLite cannot make the -shm file a WAL reader needs, and there is no log
** to read, the file is read as the whole truth (immutable): no one can be
** writing it there either. */
static int gvD_open_ro(const char *path, sqlite3 **out) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK && gvD_number(db, "SELECT count(*) FROM sqlite_schema") < 0 &&
        gvD_status(db, GV_USAGE) == GV_DATABASE && !gvD_has_log(path)) {
        sqlite3_close(db);
        db = NULL;
        char *uri = gvD_immutable_uri(path);
        rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
                             NULL);
        free(uri);
    }
    if (db) sqlite3_extended_result_codes(db, 1), sqlite3_busy_timeout(db, 5000);
    *out = db;
    return rc;
}

gv_status gvD_open_reading(const char *path, sqlite3 **out, char **err) {
    gvD_configure();
    sqlite3 *db = NULL;
    *out = NULL;
    if (!gvU_file_exists(path)) {
        *err = gvU_mprintf("%s: no such database; create it with 'gevinst init %s'", path, path);
        return GV_NOT_FOUND;
    }
    if (gvD_open_ro(path, &db) != SQLITE_OK) {
        *err = gvU_mprintf("%s: cannot open database: %s", path,
                           db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return GV_DATABASE;
    }
    int version = gvD_ours(db, path, err);
    if (version >= 0 && version < GVD_NMIGRATIONS) {
        /* an older schema is brought up to date first, which writes */
        sqlite3_close(db);
        return gvD_open(path, 0, out, err);
    }
    if (version < 0 || gvD_functions(db) < 0) {
        if (version >= 0) *err = gvD_errmsg(db, "database");
        sqlite3_close(db);
        return version == -1 ? GV_USAGE : GV_DATABASE;
    }
    gvU_undo_on_unwind(gvD_close_unwound, db);
    *out = db;
    return GV_OK;
}

/* Modules may read, nothing else; ud, when set, learns whether the
** statement reads observations. */
static int gvD_read_only_authorizer(void *ud, int action, const char *a, const char *b,
                                    const char *c, const char *d) {
    (void)b, (void)c, (void)d;
    switch (action) {
    case SQLITE_READ:
        if (ud && a && strcmp(a, "observations") == 0) *(int *)ud = 1;
        return SQLITE_OK;
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    default:
        return SQLITE_DENY;
    }
}

void gvD_watch_reads(sqlite3 *db, int *observations) {
    sqlite3_set_authorizer(db, gvD_read_only_authorizer, observations);
}

int gvD_open_readonly(const char *path, sqlite3 **out, char **err) {
    sqlite3 *db = NULL;
    *out = NULL;
    gvD_configure();
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        *err = gvU_mprintf("%s: cannot open database: %s", path,
                           db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    /* one snapshot for as long as the connection lives: a read transaction
       begun now (WAL fixes it at the first read), before the authorizer
       that would refuse BEGIN */
    if (gvD_functions(db) < 0 || sqlite3_exec(db, "BEGIN; SELECT count(*) FROM sqlite_schema", NULL,
                                              NULL, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "database");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_set_authorizer(db, gvD_read_only_authorizer, NULL);
    gvU_undo_on_unwind(gvD_close_unwound, db);
    *out = db;
    return 0;
}
