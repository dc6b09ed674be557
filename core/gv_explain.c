/*
** gv_explain.c -- `gevinst explain`: how one stored number was made, from
** the run that made it: the module, its version and params, the
** observations it read, and for a gain the arithmetic step by step.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "gevinst/gevinst.h"
#include "gv_config.h"
#include "gv_db.h"
#include "gv_period.h"
#include "gv_util.h"
#include "gv_value.h"

static void gvE_num(FILE *out, double v) {
    char text[32];
    gvU_format_number_digits(v, 10, text);
    fputs(text, out);
}

/* A query on the observations of metric for the case in the period. */
static sqlite3_stmt *gvE_observations_query(sqlite3 *db, const char *sql, const char *case_id,
                                            const char *metric, const gv_period *p) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->end, -1, SQLITE_STATIC);
    return st;
}

/* The observations of metric for the case in the period: how many, their
** sum, and the first rows. */
static void gvE_observations(sqlite3 *db, const char *case_id, const char *metric,
                             const gv_period *p, FILE *out) {
    sqlite3_stmt *st =
        gvE_observations_query(db,
                               "SELECT count(*), total(value) FROM observations WHERE case_id = ?1"
                               " AND metric = ?2 AND period_start >= ?3 AND period_end <= ?4",
                               case_id, metric, p);
    if (!st) return;
    if (sqlite3_step(st) == SQLITE_ROW) {
        fprintf(out, "  observations of '%s' in %s (%s to %s): %d, sum ", metric, p->text, p->start,
                p->end, sqlite3_column_int(st, 0));
        gvE_num(out, sqlite3_column_double(st, 1));
        fputc('\n', out);
    }
    sqlite3_finalize(st);
    st = gvE_observations_query(db,
                                "SELECT period, value, coalesce(unit, ''), coalesce(subject, ''),"
                                " coalesce(source, '') FROM observations WHERE case_id = ?1"
                                " AND metric = ?2 AND period_start >= ?3 AND period_end <= ?4"
                                " ORDER BY period_start, id LIMIT 8",
                                case_id, metric, p);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        fprintf(out, "    %-10s  ", sqlite3_column_text(st, 0));
        gvE_num(out, sqlite3_column_double(st, 1));
        fprintf(out, " %s%s%s%s%s\n", sqlite3_column_text(st, 2),
                *sqlite3_column_text(st, 3) ? "  subject " : "", sqlite3_column_text(st, 3),
                *sqlite3_column_text(st, 4) ? "  source " : "", sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
}

/* A statement on run, what (?2), case (?3) and period (?4); NULL on error. */
static sqlite3_stmt *gvE_prepare(sqlite3 *db, const char *sql, long long run, const char *what,
                                 const char *case_id, const gv_period *p) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, p->text, -1, SQLITE_STATIC);
    return st;
}

/* An indicator's value: what made it and what it read. */
static int gvE_indicator(sqlite3 *db, long long run, const char *indicator, const char *case_id,
                         const gv_period *p, FILE *out) {
    sqlite3_stmt *st =
        gvE_prepare(db,
                    "SELECT r.value, r.status, r.error, i.unit, i.module, i.module_kind,"
                    " i.module_version, i.module_hash, i.module_path, i.params,"
                    " i.isolated, gv_small(r.value, i.unit, r.fewest_persons), gv_below()"
                    " FROM results r JOIN run_indicators i USING (run, indicator)"
                    " WHERE r.run = ?1 AND r.indicator = ?2 AND r.case_id = ?3"
                    " AND r.period = ?4",
                    run, indicator, case_id, p);
    if (!st) return -1;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return 1;
    }
#define T(i) (sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
    fprintf(out, "%s for case %s in %s: ", indicator, case_id, p->text);
    int small = sqlite3_column_int(st, 11); /* made from a small count of persons */
    if (small)
        fprintf(out, "%s %s (a small count of persons, or made from one: --no-suppress shows it)\n",
                T(12), T(3));
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        gvE_num(out, sqlite3_column_double(st, 0)), fprintf(out, " %s\n", T(3));
    else
        fprintf(out, "%s%s%s\n", strcmp(T(1), "no_data") == 0 ? "no data" : T(1), *T(2) ? ": " : "",
                T(2));
    fprintf(out, "  made by module %s (%s, version %s), %s\n", T(4),
            strcmp(T(5), "c") == 0 ? "C plugin" : "Lua script", *T(6) ? T(6) : "not given",
            sqlite3_column_int(st, 10) ? "in a child process" : "in the gevinst process");
    fprintf(out, "  file %s\n  sha256 %s\n  params %s\n", T(8), T(7), T(9));
    /* what it read: the metrics its params name */
    char *params = gvU_strdup(T(9));
#undef T
    sqlite3_finalize(st);
    static const char *const metric_params[] = {"metric", "numerator", "denominator", NULL};
    for (const char *const *name = metric_params; *name; name++) {
        if (sqlite3_prepare_v2(db, "SELECT json_extract(?1, '$.' || ?2)", -1, &st, NULL) !=
            SQLITE_OK)
            break;
        sqlite3_bind_text(st, 1, params, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, *name, -1, SQLITE_STATIC);
        if (!small && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
            gvE_observations(db, case_id, (const char *)sqlite3_column_text(st, 0), p, out);
        sqlite3_finalize(st);
    }
    free(params);
    return 0;
}

/* A gain in a period: the plan, the actual, and the arithmetic. */
static int gvE_gain(sqlite3 *db, long long run, const char *gain, const char *case_id,
                    const gv_period *p, FILE *out) {
    sqlite3_stmt *st = gvE_prepare(
        db,
        "SELECT r.actual, r.realisation_pct, r.expected_pct, r.expected_value, r.deviation,"
        " r.status, r.error, json_extract(p.plan, '$.indicator'),"
        " json_extract(p.plan, '$.baseline'), json_extract(p.plan, '$.baseline_period'),"
        " json_extract(p.plan, '$.target'), json_extract(p.plan, '$.target_period'),"
        " p.source, p.quantity, p.quantity_period, p.proxy, p.impact_year1, p.present_value,"
        " json_extract(p.plan, '$.deadweight'), json_extract(p.plan, '$.displacement'),"
        " json_extract(p.plan, '$.attribution'), json_extract(p.plan, '$.quantity_basis'),"
        " CASE WHEN " GVP_ANY_HIDDEN " OR " GVP_PLAN_SMALL(
            "p.quantity") " THEN 1 ELSE 0 END"
                          " FROM gain_results r JOIN run_gains p USING (run, case_id, "
                          "gain)" GVP_GAIN_SOURCE
                          " WHERE r.run = ?1 AND r.gain = ?2 AND r.case_id = ?3 AND r.period = ?4",
        run, gain, case_id, p);
    if (!st) return -1;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return 1;
    }
#define T(i) (sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
#define D(i) sqlite3_column_double(st, i)
    double actual = D(0), baseline = D(8), target = D(10);
    fprintf(out, "gain %s of case %s in %s: %s (plan from the %s)\n", gain, case_id, p->text, T(5),
            T(12));
    if (sqlite3_column_int(st, 22)) {
        fprintf(out, "  its figures are hidden: they are, or are made from, a small count of "
                     "persons (--no-suppress shows them)\n");
        sqlite3_finalize(st);
        return 0;
    }
    fprintf(out, "  baseline ");
    gvE_num(out, baseline);
    fprintf(out, " in %s, target ", T(9));
    gvE_num(out, target);
    fprintf(out, " by %s; measured by indicator %s\n", T(11), T(7));
    if (*T(6)) fprintf(out, "  error: %s\n", T(6));
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        fprintf(out, "  no value of %s for this case and period: no realisation\n", T(7));
    } else {
        fputs("  actual ", out);
        gvE_num(out, actual);
        fputs(
            "\n  realisation = (actual - baseline) / (target - baseline) x 100\n              = (",
            out);
        gvE_num(out, actual);
        fputs(" - ", out);
        gvE_num(out, baseline);
        fputs(") / (", out);
        gvE_num(out, target);
        fputs(" - ", out);
        gvE_num(out, baseline);
        fputs(") x 100 = ", out);
        gvE_num(out, D(1));
        fputs(" %\n  expected by now (straight line from the end of the baseline period to the "
              "end of the target period) = ",
              out);
        gvE_num(out, D(2));
        fputs(" %, that is ", out);
        gvE_num(out, D(3));
        fputs("; deviation ", out);
        gvE_num(out, D(4));
        fputc('\n', out);
    }
    if (sqlite3_column_type(st, 17) != SQLITE_NULL) {
        fprintf(out, "  valued with the quantity of %s (%s): ", T(14), T(21));
        gvE_num(out, D(13));
        fputs(" x proxy ", out);
        gvE_num(out, D(15));
        fputs(" x (1 - deadweight ", out);
        gvE_num(out, D(18));
        fputs(") x (1 - displacement ", out);
        gvE_num(out, D(19));
        fputs(") x (1 - attribution ", out);
        gvE_num(out, D(20));
        fputs(") = ", out);
        gvE_num(out, D(16));
        fputs(" in year 1; present value ", out);
        gvE_num(out, D(17));
        fputc('\n', out);
    }
#undef T
#undef D
    sqlite3_finalize(st);
    return 0;
}

int gevinst_explain(gevinst_config *cfg, long long run, const char *what, const char *case_id,
                    const char *period, int no_suppress, FILE *out, char **err) {
    sqlite3 *db;
    gv_period p;
    *err = NULL;
    if (gvP_parse(period, &p) < 0) {
        *err = gvU_mprintf("'%s' is not a period (%s)", period, GV_PERIOD_FORMS);
        return GEVINST_EXIT_USAGE;
    }
    if (gvD_open(cfg->database, 0, &db, err) < 0) return GEVINST_EXIT_USAGE;
    gvR_privacy(db, no_suppress ? 0 : cfg->report_suppress_below);
    sqlite3_stmt *st;
    if (run <= 0 && sqlite3_prepare_v2(db, "SELECT max(id) FROM runs WHERE finished IS NOT NULL",
                                       -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) run = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    int rc = GEVINST_EXIT_OK;
    if (run <= 0) {
        *err = gvU_mprintf("%s: no run yet; make one with 'gevinst run -c %s'", cfg->database,
                           cfg->file);
        rc = GEVINST_EXIT_USAGE;
    } else {
        if (sqlite3_prepare_v2(db,
                               "SELECT started, engine_version, config_hash FROM runs"
                               " WHERE id = ?1",
                               -1, &st, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, run);
            if (sqlite3_step(st) == SQLITE_ROW) {
                fprintf(out, "run %lld, %s, gevinst %s, config sha256 %.12s\n", run,
                        sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                        sqlite3_column_text(st, 2));
                /* the values are the run's; the data and plan listed are today's */
                if (strcmp((const char *)sqlite3_column_text(st, 2), cfg->hash) != 0)
                    fprintf(out, "note: %s differs from the config this run used\n", cfg->file);
                sqlite3_stmt *since = gvD_imports_since(db, run);
                while (since && sqlite3_step(since) == SQLITE_ROW)
                    fprintf(out, "note: %s imported since this run, on %s (from %s)\n",
                            sqlite3_column_text(since, 0), sqlite3_column_text(since, 2),
                            sqlite3_column_text(since, 1));
                sqlite3_finalize(since);
            }
            sqlite3_finalize(st);
        }
        /* an indicator's id, a gain's name, or both when they share it */
        int ind = gvE_indicator(db, run, what, case_id, &p, out);
        int gain = ind < 0 ? 1 : gvE_gain(db, run, what, case_id, &p, out);
        int found = ind < 0 || gain < 0 ? -1 : ind == 1 && gain == 1 ? 1 : 0;
        if (found == 1) {
            *err = gvU_mprintf("run %lld has no indicator or gain '%s' for case '%s' in %s", run,
                               what, case_id, p.text);
            rc = GEVINST_EXIT_USAGE;
        } else if (found < 0) {
            *err = gvD_errmsg(db, "cannot read the run");
            rc = GEVINST_EXIT_INTERNAL;
        }
    }
    sqlite3_close(db);
    return rc;
}
