/*
** gv_report.c -- the report context (see gv_report.h): the run a report
** shows, its privacy rules as SQL functions, the table of writers, and
** what the writers share.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/gv_writers.h"
#include "store/gv_store.h"

const gv_writer gvR_writers[] = {
    {"text", gvR_write_text},
    {"json", gvR_write_json},
    {"csv", gvR_write_csv},
    {"html", gvR_write_html},
    {"explain", gvR_write_explain},
    {"xlsx", gvR_write_xlsx},
    {NULL, NULL},
};

/* --------------------------------------------------------------- privacy */

/* gv_small(value, unit, fewest_persons): is the value too small to
** publish?  A count of persons under the threshold is, and so is anything
** made from one (fewest_persons: the smallest count the module read). */
static void gvR_small_sql(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc;
    const gv_report *r = sqlite3_user_data(c);
    double below = r->suppress_below;
    int small = 0;
    if (below > 0 && sqlite3_value_type(argv[0]) != SQLITE_NULL) {
        double v = sqlite3_value_double(argv[0]);
        const char *unit = (const char *)sqlite3_value_text(argv[1]);
        int fewest = sqlite3_value_type(argv[2]) != SQLITE_NULL;
        small = (unit && strcmp(unit, "persons") == 0 && v > 0 && v < below) ||
                (fewest && sqlite3_value_double(argv[2]) < below);
    }
    sqlite3_result_int(c, small);
}

/* gv_hidden(): what stands in a hidden figure's place: the word in the
** report's language, never "<5" (beside a % it reads as under five per
** cent); NULL where a number's place must hold a number or nothing. */
static void gvR_hidden_sql(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc, (void)argv;
    const gv_report *r = sqlite3_user_data(c);
    if (r->hidden_null)
        sqlite3_result_null(c);
    else
        sqlite3_result_text(c, gvT(r->lang, "hidden"), -1, SQLITE_STATIC);
}

/* ratio_rounded(x): SROI's conventional form, the one rule in gv_value.c */
static void gvR_ratio_rounded_sql(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(c);
        return;
    }
    char out[32];
    gvV_ratio_rounded(sqlite3_value_double(argv[0]), out);
    sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
}

/* The functions every report's SQL may use, reading r: no state of their
** own, so two reports on two databases do not meet. */
static int gvR_functions(gv_report *r) {
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    /* gv_hidden() is deterministic too: the same within a statement, so
       SQLite asks it once a statement, not once a row */
    if (sqlite3_create_function(r->db, "gv_small", 3, flags, r, gvR_small_sql, NULL, NULL) ||
        sqlite3_create_function(r->db, "gv_hidden", 0, flags, r, gvR_hidden_sql, NULL, NULL) ||
        sqlite3_create_function(r->db, "ratio_rounded", 1, flags, NULL, gvR_ratio_rounded_sql, NULL,
                                NULL))
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- context */

/* The latest finished run of r's config: by its path, or else by its
** content (a project moved to another folder keeps its runs); of any
** config when it has none (in *other).  0 when there is no run; -1 when
** the database fails. */
static long long gvR_latest_of(gv_report *r, long long *other) {
    sqlite3_stmt *st;
    *other = 0;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT coalesce(max(CASE WHEN config_file = ?1 THEN id END),"
                           " max(CASE WHEN config_hash = ?2 THEN id END)), max(id) FROM runs"
                           " WHERE finished IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, r->config_path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->config_hash, -1, SQLITE_STATIC);
    long long mine = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        mine = sqlite3_column_int64(st, 0);
        *other = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return mine;
}

/* A run chosen by its number: what the reader should know of it. */
const char *gvR_coverage(gv_lang lang, sqlite3_stmt *st, int col, char out[64]) {
    double coverage = sqlite3_column_double(st, col);
    out[0] = '\0';
    if (sqlite3_column_type(st, col) == SQLITE_NULL || coverage >= 1) return out;
    char pct[32];
    gvT_number(lang, coverage * 100, 1, 0, pct, sizeof pct);
    snprintf(out, 64, "%s %s %%", gvT(lang, "data cover"), pct);
    return out;
}

const char *gvR_kind_word(gv_lang lang, const char *kind) {
    /* the workbook's sheet names: the words an analyst knows the kinds by */
    const char *const *names = gvI_sheet_names(kind);
    if (!names || lang == GV_LANG_EN) return kind;
    return names[lang == GV_LANG_NB ? 1 : 3];
}

char *gvR_config_elsewhere(const gv_report *r, gv_lang lang, const char *config_file,
                           const char *config_hash) {
    if (!r->config_path || strcmp(config_file, r->config_path) == 0) return NULL;
    int same = r->config_hash && strcmp(config_hash, r->config_hash) == 0;
    return gvU_mprintf(gvT(lang, "run %lld was made with %s, %s"), r->run,
                       gvT(lang, same ? "a config of the same content" : "another config"),
                       config_file);
}

static void gvR_note_run(gv_report *r, const char *config_file, const char *config_hash) {
    if (!r->notes || !r->config_path) return;
    char *elsewhere = gvR_config_elsewhere(r, GV_LANG_EN, config_file, config_hash);
    if (elsewhere)
        gvU_diag_add(r->notes, "%s", elsewhere);
    else if (r->config_hash && strcmp(config_hash, r->config_hash) != 0)
        gvU_diag_add(r->notes, "%s has changed since run %lld", r->config_file, r->run);
    free(elsewhere);
}

/* The latest run of r's config, when r->run is 0. */
static gv_status gvR_default_run(gv_report *r, const char *db_path, char **err) {
    long long other;
    r->run = gvR_latest_of(r, &other);
    if (r->run > 0) return GV_OK;
    if (r->run < 0) {
        *err = gvD_errmsg(r->db, "cannot read the runs");
        return GV_DATABASE;
    }
    const char *file = r->config_file ? r->config_file : "CONFIG";
    if (other > 0)
        *err = gvU_mprintf("%s: no run of %s yet (run %lld was made with another config); make "
                           "one with 'gevinst run -c %s', or name a run with --run",
                           db_path, file, other, file);
    else
        *err = gvU_mprintf("%s: no run yet; make one with 'gevinst run -c %s'", db_path, file);
    return GV_NOT_FOUND;
}

/* Is there a run r->run (the latest of r's config when 0)?  GV_NOT_FOUND
** with *err if not. */
static gv_status gvR_find_run(gv_report *r, const char *db_path, char **err) {
    if (r->run <= 0) {
        gv_status rc = gvR_default_run(r, db_path, err);
        if (rc != GV_OK) return rc;
    }
    sqlite3_stmt *st = gvR_rows(r, "SELECT config_file, config_hash FROM runs WHERE id = ?1", err);
    if (!st) return GV_DATABASE;
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW) gvR_note_run(r, gvR_text(st, 0), gvR_text(st, 1));
    sqlite3_finalize(st);
    if (stepped == SQLITE_ROW) return GV_OK;
    if (stepped != SQLITE_DONE) {
        *err = gvD_errmsg(r->db, "cannot read the run");
        return GV_DATABASE;
    }
    *err = gvU_mprintf("run %lld not found in %s", r->run, db_path);
    return GV_NOT_FOUND;
}

/* The run's indicators that count persons, once, for every statement of
** the report (GVR_COUNTS_PERSONS). */
static gv_status gvR_persons(gv_report *r, char **err) {
    if (gvD_exec(r->db,
                 "CREATE TEMP TABLE IF NOT EXISTS gvr_persons (indicator TEXT PRIMARY KEY);"
                 " DELETE FROM temp.gvr_persons",
                 err) < 0)
        return GV_DATABASE;
    sqlite3_stmt *st = gvR_rows(r,
                                "INSERT INTO temp.gvr_persons SELECT i.indicator FROM"
                                " run_indicators i WHERE i.run = ?1 AND (i.unit = 'persons' OR"
                                " (coalesce(i.unit, '') = '' AND EXISTS (SELECT 1 FROM results y"
                                " WHERE y.run = i.run AND y.indicator = i.indicator"
                                " AND y.fewest_persons IS NOT NULL)))",
                                err);
    if (!st) return GV_DATABASE;
    return gvR_done(r, st, sqlite3_step(st), err);
}

/* The run's indicators by position, once, for GVR_RESULTS_IN_ORDER. */
static gv_status gvR_order(gv_report *r, char **err) {
    if (gvD_exec(r->db,
                 "CREATE TEMP TABLE IF NOT EXISTS gvr_order (position INTEGER PRIMARY KEY,"
                 " indicator TEXT NOT NULL); DELETE FROM temp.gvr_order",
                 err) < 0)
        return GV_DATABASE;
    sqlite3_stmt *st = gvR_rows(r,
                                "INSERT INTO temp.gvr_order SELECT NULL, indicator FROM"
                                " run_indicators WHERE run = ?1 ORDER BY position, indicator",
                                err);
    if (!st) return GV_DATABASE;
    return gvR_done(r, st, sqlite3_step(st), err);
}

/* The cases, and the run's tables with a row per case.  The filter shadows each, for this
** connection only, by a temp view of the chosen cases' rows (with the
** rowid writers order by, where the table has one): SQLite finds an
** unqualified name in temp first, so every writer shows the filter without
** a word of its own. */
static const char *const gvR_per_case[][3] = {
    /* table, its rowid (when it has one), its column naming the case */
    {"cases", "rowid AS rowid, ", "id"},
    {"results", "", "case_id"},
    {"gain_results", "rowid AS rowid, ", "case_id"},
    {"run_gains", "rowid AS rowid, ", "case_id"},
    {"case_values", "rowid AS rowid, ", "case_id"},
    {"value_splits", "rowid AS rowid, ", "case_id"},
    {"sensitivity", "rowid AS rowid, ", "case_id"},
};

/* --case and --municipality: the cases shown, or GV_NOT_FOUND when the run
** has none of them. */
static gv_status gvR_filter(gv_report *r, char **err) {
    if (!r->only_case && !r->only_municipality) return GV_OK;
    if (gvD_exec(r->db, "CREATE TEMP TABLE gvr_cases (id TEXT PRIMARY KEY)", err) < 0)
        return GV_DATABASE;
    sqlite3_stmt *st =
        gvR_rows(r,
                 /* by the case's key, or else the municipality's index */
                 r->only_case ? "INSERT INTO temp.gvr_cases SELECT c.id FROM main.cases c"
                                " WHERE c.id = ?2 AND (?3 IS NULL OR c.municipality = ?3)"
                                " AND " GVR_CASE_IN_RUN("c.id")
                              : "INSERT INTO temp.gvr_cases SELECT c.id FROM main.cases c"
                                " WHERE c.municipality = ?3 AND " GVR_CASE_IN_RUN("c.id"),
                 err);
    if (!st) return GV_DATABASE;
    sqlite3_bind_text(st, 2, r->only_case, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->only_municipality, -1, SQLITE_STATIC);
    gv_status rc = gvR_done(r, st, sqlite3_step(st), err);
    if (rc != GV_OK) return rc;
    if (sqlite3_changes(r->db) == 0) {
        *err = r->only_case && r->only_municipality
                   ? gvU_mprintf("run %lld has no case '%s' in municipality '%s'", r->run,
                                 r->only_case, r->only_municipality)
               : r->only_case ? gvU_mprintf("unknown case '%s': run %lld has no such case",
                                            r->only_case, r->run)
                              : gvU_mprintf("run %lld has no case in municipality '%s'", r->run,
                                            r->only_municipality);
        return GV_NOT_FOUND;
    }
    for (size_t i = 0; i < sizeof gvR_per_case / sizeof gvR_per_case[0]; i++) {
        char *sql = gvU_mprintf("CREATE TEMP VIEW %s AS SELECT %s* FROM main.%s"
                                " WHERE %s IN (SELECT id FROM temp.gvr_cases)",
                                gvR_per_case[i][0], gvR_per_case[i][1], gvR_per_case[i][0],
                                gvR_per_case[i][2]);
        int failed = gvD_exec(r->db, sql, err) < 0;
        free(sql);
        if (failed) return GV_DATABASE;
    }
    return GV_OK;
}

gv_status gvR_open(gv_report *r, const char *db_path, char **err) {
    *err = NULL;
    r->db = NULL;
    r->lang = GV_LANG_EN;
    if (r->lang_name && gvT_lang(r->lang_name, &r->lang) < 0) {
        *err = gvU_mprintf("unknown language '%s' (nb, da, en)", r->lang_name);
        return GV_USAGE;
    }
    gv_status rc = gvD_open_reading(db_path, &r->db, err);
    if (rc != GV_OK) return rc;
    if (gvR_functions(r) < 0) {
        *err = gvD_errmsg(r->db, "database");
        return GV_DATABASE;
    }
    rc = gvR_find_run(r, db_path, err);
    if (rc == GV_OK) rc = gvR_persons(r, err);
    if (rc == GV_OK) rc = gvR_order(r, err);
    /* what is hidden is decided on the whole run, then the cases shown
       chosen: a filtered report hides what the whole one hides, so two
       reports never differ in a way that gives a hidden count back */
    if (rc == GV_OK) rc = gvR_protect(r, err);
    return rc == GV_OK ? gvR_filter(r, err) : rc;
}

gv_status gvR_runs(sqlite3 *db, gvR_run_fn fn, void *ud, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            db,
            "SELECT u.id, u.started, u.finished, u.engine_version, u.config_file, u.config_hash,"
            " (SELECT count(*) FROM results r WHERE r.run = u.id AND r.status = 'ok'),"
            " (SELECT count(*) FROM results r WHERE r.run = u.id AND r.status = 'no_data'),"
            " (SELECT count(*) FROM results r WHERE r.run = u.id AND r.status = 'error'),"
            " (SELECT count(*) FROM gain_results g WHERE g.run = u.id),"
            " (SELECT count(*) FROM gain_results g WHERE g.run = u.id AND g.status = 'error'),"
            " (SELECT count(*) FROM results r WHERE r.run = u.id AND r.coverage < 1),"
            " (SELECT count(*) FROM gain_results g WHERE g.run = u.id AND"
            "  g.status = 'incomplete')"
            " FROM runs u ORDER BY u.id",
            -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "cannot read the runs");
        return GV_DATABASE;
    }
    int stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        gv_run_row row = {
            sqlite3_column_int64(st, 0),
            gvR_text(st, 1),
            (const char *)sqlite3_column_text(st, 2),
            gvR_text(st, 3),
            gvR_text(st, 4),
            gvR_text(st, 5),
            (long)sqlite3_column_int64(st, 6),
            (long)sqlite3_column_int64(st, 7),
            (long)sqlite3_column_int64(st, 8),
            (long)sqlite3_column_int64(st, 9),
            (long)sqlite3_column_int64(st, 10),
            (long)sqlite3_column_int64(st, 11),
            (long)sqlite3_column_int64(st, 12),
        };
        if (fn(ud, &row)) {
            stepped = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (stepped == SQLITE_DONE) return GV_OK;
    *err = gvD_errmsg(db, "cannot read the runs");
    return GV_DATABASE;
}

gv_status gvR_write(gv_report *r, const char *format, char **err) {
    *err = NULL;
    for (const gv_writer *w = gvR_writers; w->format; w++)
        if (strcmp(w->format, format) == 0) return w->write(r, err);
    *err = gvU_mprintf("unknown format '%s'", format);
    return GV_USAGE;
}

void gvR_close(gv_report *r) {
    gvD_close(r->db);
    r->db = NULL;
}

gv_status gvR_results(gv_report *r, gvR_result_fn fn, void *ud, char **err) {
    sqlite3_stmt *st =
        gvR_rows(r,
                 "SELECT r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,"
                 " i.module, i.module_version, " GVR_RESULT_HIDDEN("r")
                     GVR_RESULTS_IN_ORDER GVR_RESULTS_ORDER,
                 err);
    if (!st) return GV_DATABASE;
    int stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        gv_result_row row = {
            gvR_text(st, 0),
            gvR_text(st, 1),
            gvR_text(st, 2),
            sqlite3_column_type(st, 3) != SQLITE_NULL,
            sqlite3_column_double(st, 3),
            (const char *)sqlite3_column_text(st, 4),
            gvR_text(st, 5),
            (const char *)sqlite3_column_text(st, 6),
            gvR_text(st, 7),
            (const char *)sqlite3_column_text(st, 8),
            sqlite3_column_int(st, 9),
        };
        if (fn(ud, &row)) {
            stepped = SQLITE_DONE;
            break;
        }
    }
    return gvR_done(r, st, stepped, err);
}

/* ----------------------------------------------------------------- shared */

sqlite3_stmt *gvR_rows(gv_report *r, const char *sql, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(r->db, "cannot read the run");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, r->run);
    return st;
}

gv_status gvR_done(gv_report *r, sqlite3_stmt *st, int stepped, char **err) {
    sqlite3_finalize(st);
    if (stepped == SQLITE_DONE) return GV_OK;
    *err = gvD_errmsg(r->db, "cannot read the run");
    return GV_DATABASE;
}

const char *gvR_text(sqlite3_stmt *st, int col) {
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? s : "";
}

int gvR_chars(const char *s) {
    int chars = 0;
    for (; s && *s; s++)
        chars += (*s & 0xC0) != 0x80;
    return chars;
}

void gvR_json_string(FILE *out, const char *s) {
    /* most text (ids, periods, units) needs no escape: written as it is,
       with no buffer to build and free a value */
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p >= 0x20 && *p != '"' && *p != '\\')
        p++;
    if (p && !*p) {
        putc('"', out), fputs(s, out), putc('"', out);
        return;
    }
    gvU_buf b = {0};
    gvU_buf_json(&b, s);
    fputs(b.s, out);
    free(b.s);
}

void gvR_ratio_rounded(const gv_report *r, double ratio, char out[32]) {
    gvV_ratio_rounded(ratio, out);
    if (r->lang != GV_LANG_EN && strchr(out, '.')) *strchr(out, '.') = ',';
}

/* ----------------------------------------------------------------- colour */

int gvR_colour(FILE *out) {
    /* a person at a terminal who has not asked for none (no-color.org) */
    const char *no = getenv("NO_COLOR");
    return isatty(fileno(out)) && !(no && *no);
}

const char *gvR_status_colour(const char *status) {
    static const char *const colours[][2] = {{"ok", "\033[32m"},       {"achieved", "\033[32m"},
                                             {"on_track", "\033[34m"}, {"behind", "\033[33m"},
                                             {"missed", "\033[31m"},   {"error", "\033[31m"},
                                             {"no_data", "\033[2m"},   {"incomplete", "\033[2m"}};
    for (size_t i = 0; status && i < sizeof colours / sizeof colours[0]; i++)
        if (strcmp(colours[i][0], status) == 0) return colours[i][1];
    return "";
}
