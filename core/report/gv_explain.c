/*
** gv_explain.c -- `gevinst explain`: how one stored number was made, from
** the run that made it: the module, its version and params, the
** observations it read, and for a gain the arithmetic step by step.
*/
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/gv_host.h"
#include "report/gv_writers.h"
#include "store/gv_store.h"

/* The explanation being written, and why the first read that failed did. */
typedef struct gvW {
    gv_report *r;
    gv_period period;
    FILE *out;
    char *failed;
} gvW;

/* Words in the report's language. */
static const char *gvW_t(const gvW *w, const char *en) {
    return gvT(w->r->lang, en);
}

/* A read failed: keep SQLite's word for it while it is the last one. */
static void gvW_failed(gvW *w) {
    if (!w->failed) w->failed = gvD_errmsg(w->r->db, "cannot read the run");
}

/* A number as the report's language writes it, to ten digits. */
static void gvW_num(const gvW *w, double v) {
    char plain[32], text[64];
    gvU_format_number_digits(v, 10, plain);
    gvT_localize(w->r->lang, plain, 0, text, sizeof text);
    fputs(text, w->out);
}

/* A period with its first and last day, written out: "2019 (1. januar
** 2019 til 31. desember 2019)". */
static void gvW_period(const gvW *w, const gv_period *p) {
    char from[64], to[64];
    gvT_date(w->r->lang, p->start, from, sizeof from);
    gvT_date(w->r->lang, p->end, to, sizeof to);
    fprintf(w->out, gvW_t(w, "%s (%s to %s)"), p->text, from, to);
}

/* The end of a loop over st: a read that failed is noted. */
static void gvW_end(gvW *w, sqlite3_stmt *st, int stepped) {
    if (stepped != SQLITE_DONE && stepped != SQLITE_ROW) gvW_failed(w);
    sqlite3_finalize(st);
}

/* A query on the observations of metric for the case in period p
** (?1 case, ?2 metric, ?3 period, ?4 the run): the one rule of which
** observation counts in a period, as SQL (in_period). */
static sqlite3_stmt *gvW_observations_query(gvW *w, const char *sql, const char *metric,
                                            const gv_period *p) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(w->r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        gvW_failed(w);
        return NULL;
    }
    sqlite3_bind_text(st, 1, w->r->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, w->r->run);
    return st;
}

#define GVW_ROWS_SHOWN 8

/* The first rows of metric's observations in p, each with its period,
** value, subject and source; the rows' values as '-' when hidden. */
static void gvW_observation_rows(gvW *w, const char *metric, const gv_period *p, int hidden,
                                 int n) {
    sqlite3_stmt *st =
        gvW_observations_query(w,
                               "SELECT period, value, coalesce(unit, ''), coalesce(subject, ''),"
                               " coalesce(source, '') FROM observations WHERE case_id = ?1"
                               " AND metric = ?2 AND in_period(period_start, period_end, ?3)"
                               " ORDER BY period_start, id LIMIT ?5",
                               metric, p);
    if (!st) return;
    sqlite3_bind_int(st, 5, GVW_ROWS_SHOWN);
    int stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(w->out, "    %-10s  ", gvR_text(st, 0));
        if (hidden)
            fputs("-", w->out);
        else
            gvW_num(w, sqlite3_column_double(st, 1));
        const char *subject = gvR_text(st, 3), *source = gvR_text(st, 4);
        fprintf(w->out, " %s", gvW_t(w, gvR_text(st, 2)));
        if (*subject) fprintf(w->out, "  %s %s", gvW_t(w, "subject"), subject);
        if (*source) fprintf(w->out, "  %s %s", gvW_t(w, "source"), source);
        fputc('\n', w->out);
    }
    gvW_end(w, st, stepped);
    if (n > GVW_ROWS_SHOWN) {
        fprintf(w->out, "    ... %s ", gvW_t(w, "and"));
        gvW_num(w, n - GVW_ROWS_SHOWN), fprintf(w->out, " %s\n", gvW_t(w, "more"));
    }
}

/* The observations of metric for the case in period p: how many, their
** sum, and the first rows, each hidden as the report hides (privacy.md):
** - a sum of persons when it is small, or a count of persons of the case
**   and period is hidden; for a period that is none of the run's (a month
**   a module read), when the case has any hidden count of persons, since
**   no secondary rule protects it;
** - their number, when the rows are persons' answers (a count of persons),
**   by the same rule, and then the sum and rows too;
** - every row's value, when any is a small count of persons or the case has
**   a hidden count of persons: the sum less the rows shown, or the rows'
**   markers, would give it back. */
static void gvW_observations(gvW *w, const char *metric, const gv_period *p) {
    sqlite3_stmt *st = gvW_observations_query(
        w,
        "WITH o AS (SELECT count(*) AS n, total(value) AS s, max(unit) AS unit,"
        " total(subject IS NOT NULL AND period_start = period_end) > 0 AS answers,"
        " max(gv_small(value, unit, NULL)) AS small_row FROM observations"
        " WHERE case_id = ?1 AND metric = ?2 AND in_period(period_start, period_end, ?3)),"
        " h AS (SELECT EXISTS (SELECT 1 FROM temp.gvr_hidden h WHERE h.case_id = ?1"
        " AND h.period = ?3 AND h.indicator IN (SELECT indicator FROM temp.gvr_persons)) AS here,"
        " EXISTS (SELECT 1 FROM temp.gvr_hidden h WHERE h.case_id = ?1 AND h.indicator IN"
        " (SELECT indicator FROM temp.gvr_persons)) AS anywhere,"
        " NOT EXISTS (SELECT 1 FROM results WHERE run = ?4 AND case_id = ?1 AND period = ?3)"
        " AS elsewhere),"
        " x AS (SELECT *, here OR (elsewhere AND anywhere) AS near FROM o, h)"
        " SELECT n, s, answers AND (gv_small(n, 'persons', NULL) OR near),"
        " gv_small(s, unit, NULL) OR (unit = 'persons' AND near), gv_hidden(),"
        " small_row OR (unit = 'persons' AND anywhere) FROM x",
        metric, p);
    if (!st) return;
    int stepped = sqlite3_step(st), rows_hidden = 0, n = 0, n_hidden = 0;
    if (stepped == SQLITE_ROW) {
        n = sqlite3_column_int(st, 0);
        n_hidden = sqlite3_column_int(st, 2);
        fprintf(w->out, gvW_t(w, "  observations of '%s' in "), metric);
        gvW_period(w, p);
        fputs(": ", w->out);
        if (n_hidden)
            fputs(gvR_text(st, 4), w->out);
        else
            gvW_num(w, n);
        fprintf(w->out, ", %s ", gvW_t(w, "sum"));
        if (n_hidden || sqlite3_column_int(st, 3))
            fputs(gvR_text(st, 4), w->out);
        else
            gvW_num(w, sqlite3_column_double(st, 1));
        rows_hidden = sqlite3_column_int(st, 5);
        if (rows_hidden && !n_hidden)
            fputs(gvW_t(w, " (the rows' values are hidden: some are, or give back, small counts "
                           "of persons)"),
                  w->out);
        fputc('\n', w->out);
    }
    gvW_end(w, st, stepped);
    /* persons' answers of a hidden number: not one row, or the rows count them */
    if (stepped == SQLITE_ROW && !n_hidden) gvW_observation_rows(w, metric, p, rows_hidden, n);
}

/* A statement on the run (?1), what (?2), case (?3) and period (?4). */
static sqlite3_stmt *gvW_prepare(gvW *w, const char *sql) {
    char *err = NULL;
    sqlite3_stmt *st = gvR_rows(w->r, sql, &err);
    if (!st) {
        if (!w->failed)
            w->failed = err;
        else
            free(err);
        return NULL;
    }
    sqlite3_bind_text(st, 2, w->r->what, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, w->r->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, w->period.text, -1, SQLITE_STATIC);
    return st;
}

/* What an indicator read in a run made before reads were recorded: the
** metrics its params name. */
static void gvW_params_read(gvW *w, const char *params) {
    static const char *const metric_params[] = {"metric", "numerator", "denominator", NULL};
    if (!*params) return; /* a module that never loaded read nothing */
    for (const char *const *name = metric_params; *name; name++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(w->r->db, "SELECT json_extract(?1, '$.' || ?2)", -1, &st, NULL) !=
            SQLITE_OK) {
            gvW_failed(w);
            return;
        }
        sqlite3_bind_text(st, 1, params, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, *name, -1, SQLITE_STATIC);
        int stepped = sqlite3_step(st);
        if (stepped == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
            gvW_observations(w, gvR_text(st, 0), &w->period);
        gvW_end(w, st, stepped);
    }
}

/* Each metric and period the module read through gevinst, with what it
** took of them, then the observations there.  The reads are the run's,
** over every case: a module that read a metric for some cases only shows
** its observations here too.  How many there were. */
static int gvW_metrics_read(gvW *w) {
    sqlite3_stmt *st =
        gvW_prepare(w, "SELECT metric, read_period, group_concat(aggregate, ' ') FROM (SELECT *"
                       " FROM run_reads WHERE run = ?1 AND indicator = ?2 AND period = ?4"
                       " AND metric IS NOT NULL ORDER BY position)"
                       " GROUP BY metric, coalesce(read_period, ?4) ORDER BY min(position)");
    if (!st) return 0;
    int stepped, n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        gv_period p = w->period;
        const char *period = (const char *)sqlite3_column_text(st, 1);
        if (period && gvP_parse(period, &p) < 0) continue; /* stored by hand */
        n++;
        /* the aggregates in the report's words: sum, antall, gjennomsnitt */
        char *aggregates = gvU_strdup(gvR_text(st, 2)), *save = NULL;
        gvU_buf b = {0};
        for (char *a = strtok_r(aggregates, " ", &save); a; a = strtok_r(NULL, " ", &save))
            gvU_buf_printf(&b, "%s%s", b.len ? ", " : "", gvW_t(w, a));
        fprintf(w->out, gvW_t(w, "  it read %s of '%s' in %s\n"), b.s ? b.s : "", gvR_text(st, 0),
                p.text);
        free(b.s), free(aggregates);
        gvW_observations(w, gvR_text(st, 0), &p);
    }
    gvW_end(w, st, stepped);
    return n;
}

/* The queries the module asked, by their SQL: what a query read is not
** traced row by row.  How many there were. */
static int gvW_queries_read(gvW *w) {
    sqlite3_stmt *st =
        gvW_prepare(w, "SELECT query FROM run_reads WHERE run = ?1 AND indicator = ?2"
                       " AND period = ?4 AND query IS NOT NULL ORDER BY position");
    if (!st) return 0;
    int stepped, n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(w->out, gvW_t(w, "  it asked the database: %s\n"), gvR_text(st, 0));
        n++;
    }
    gvW_end(w, st, stepped);
    if (n) fputs(gvW_t(w, "  (the rows a query gave are not listed)\n"), w->out);
    return n;
}

/* What an indicator read, as the host recorded it (run_reads): recorded
** is 1 when all was kept, 0 when there was more, -1 in a run made before
** reads were recorded. */
static void gvW_indicator_read(gvW *w, const char *params, int recorded) {
    if (recorded < 0) {
        gvW_params_read(w, params);
        return;
    }
    int n = gvW_metrics_read(w);
    n += gvW_queries_read(w);
    if (n == 0 && recorded) fputs(gvW_t(w, "  it read no observations through gevinst\n"), w->out);
    if (!recorded)
        fprintf(w->out,
                gvW_t(w, "  (it read more than gevinst keeps a record of: %d things in a run, "
                         "each at most %d bytes)\n"),
                GV_READS_MAX, GV_MODULE_TEXT_MAX);
}

/* ---------------------------------------------------------------- formulas */

/* One operand of a formula as the run read it: its value (or none), the
** text that stands for it, and whether privacy hides it. */
typedef struct gvW_operand {
    gvF_value v;
    char text[32];
    int hidden;
} gvW_operand;

/* A setting of a formula indicator, from its stored params; NULL if none. */
static char *gvW_param(gvW *w, const char *params, const char *name) {
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(w->r->db, "SELECT json_extract(?1, '$.\"' || ?2 || '\"')", -1, &st,
                           NULL) != SQLITE_OK) {
        gvW_failed(w);
        return NULL;
    }
    sqlite3_bind_text(st, 1, params, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL && *gvR_text(st, 0))
        v = gvU_strdup(gvR_text(st, 0));
    gvW_end(w, st, stepped);
    return v;
}

/* #{metric.aggregate}: the aggregate of the case's observations in the
** period, as the host computed it; a small count of persons hidden. */
static void gvW_metric(gvW *w, const gvF_operand_def *o, gvW_operand *x) {
    sqlite3_stmt *st = gvW_observations_query(
        w,
        "WITH a AS (SELECT count(*) AS n, CASE ?4 WHEN 'sum' THEN total(value)"
        " WHEN 'count' THEN count(*) WHEN 'mean' THEN avg(value) WHEN 'min' THEN min(value)"
        " WHEN 'max' THEN max(value) WHEN 'subjects' THEN count(DISTINCT subject)"
        " ELSE (SELECT value FROM observations WHERE case_id = ?1"
        " AND metric = ?2 AND in_period(period_start, period_end, ?3)"
        " ORDER BY period_end DESC, period_start DESC, id DESC LIMIT 1) END AS v"
        " FROM observations WHERE case_id = ?1 AND metric = ?2"
        " AND in_period(period_start, period_end, ?3))"
        " SELECT n, v, gv_small(v, CASE WHEN ?4 = 'subjects' THEN 'persons'"
        " WHEN ?4 IN ('count', 'mean') THEN NULL"
        " ELSE (SELECT unit FROM metrics WHERE name = ?2) END, NULL)"
        /* as the observations' own lines: a persons figure of a case and
           period with a hidden count of persons is hidden too */
        " OR ((?4 = 'subjects' OR (SELECT unit FROM metrics WHERE name = ?2) = 'persons')"
        " AND EXISTS (SELECT 1 FROM temp.gvr_hidden h WHERE h.case_id = ?1 AND h.period = ?3"
        " AND h.indicator IN (SELECT indicator FROM temp.gvr_persons))), gv_hidden() FROM a",
        o->name, &w->period);
    if (!st) return;
    sqlite3_bind_text(st, 4, o->aggregate, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW && (sqlite3_column_int(st, 0) > 0 || !strcmp(o->aggregate, "count") ||
                                  !strcmp(o->aggregate, "subjects"))) {
        x->v.type = GVF_NUMBER;
        x->v.number = sqlite3_column_double(st, 1);
        x->hidden = sqlite3_column_int(st, 2);
        if (x->hidden) snprintf(x->text, sizeof x->text, "%s", gvR_text(st, 3));
    }
    gvW_end(w, st, stepped);
}

/* I{id}: the value the same run stored for the case and period. */
static void gvW_earlier(gvW *w, const char *id, gvW_operand *x) {
    char *err = NULL;
    sqlite3_stmt *st =
        gvR_rows(w->r,
                 "SELECT r.value, " GVR_RESULT_HIDDEN(
                     "r") ","
                          " gv_hidden() FROM results r JOIN run_indicators i"
                          " USING (run, indicator) WHERE r.run = ?1"
                          " AND r.indicator = ?2 AND r.case_id = ?3 AND r.period = ?4",
                 &err);
    if (!st) {
        if (!w->failed)
            w->failed = err;
        else
            free(err);
        return;
    }
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, w->r->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, w->period.text, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        x->v.type = GVF_NUMBER;
        x->v.number = sqlite3_column_double(st, 0);
        x->hidden = sqlite3_column_int(st, 1);
        if (x->hidden) snprintf(x->text, sizeof x->text, "%s", gvR_text(st, 2));
    }
    gvW_end(w, st, stepped);
}

/* Each operand's value, and a line saying where it came from. */
static gvW_operand *gvW_operands(gvW *w, const gvF_formula *f, const char *params) {
    gvW_operand *x = gvU_malloc((size_t)(f->noperands + 1) * sizeof *x);
    for (int i = 0; i < f->noperands; i++) {
        const gvF_operand_def *o = &f->operands[i];
        memset(&x[i], 0, sizeof x[i]);
        x[i].v.type = GVF_NULL;
        if (o->kind == GVF_METRIC) {
            gvW_metric(w, o, &x[i]);
        } else if (o->kind == GVF_INDICATOR) {
            gvW_earlier(w, o->name, &x[i]);
        } else if (o->kind == GVF_DAYS) {
            x[i].v.type = GVF_NUMBER, x[i].v.number = gvP_days(&w->period);
        } else {
            char *name = gvU_mprintf("C{%s}", o->name), *v = gvW_param(w, params, name);
            if (v) x[i].v.type = GVF_NUMBER, x[i].v.number = strtod(v, NULL);
            free(name), free(v);
        }
        if (!x[i].hidden && x[i].v.type == GVF_NULL)
            snprintf(x[i].text, sizeof x[i].text, "null");
        else if (!x[i].hidden)
            gvU_format_number_digits(x[i].v.number, 10, x[i].text);
    }
    return x;
}

/* A value missing from the data counts as 0 where the rule says so
** (never_skip; skip_if_all_missing when some has a value): shown so. */
static void gvW_missing_as_zero(const gvF_formula *f, gvW_operand *x, int strategy) {
    int some = 0;
    for (int i = 0; i < f->noperands; i++)
        some |= (f->operands[i].kind == GVF_METRIC || f->operands[i].kind == GVF_INDICATOR) &&
                x[i].v.type != GVF_NULL;
    if (strategy == GVF_SKIP_IF_ANY || (strategy == GVF_SKIP_IF_ALL && !some)) return;
    for (int i = 0; i < f->noperands; i++)
        if ((f->operands[i].kind == GVF_METRIC || f->operands[i].kind == GVF_INDICATOR) &&
            x[i].v.type == GVF_NULL && !x[i].hidden)
            snprintf(x[i].text, sizeof x[i].text, "0");
}

/* Where operand o's number came from. */
static void gvW_origin(gvW *w, const gvF_operand_def *o, const gvW_operand *x) {
    FILE *out = w->out;
    if (o->kind == GVF_METRIC) {
        const char *what = strcmp(o->aggregate, "subjects") == 0
                               ? gvW_t(w, "the number of persons (distinct subjects) in")
                           : strcmp(o->aggregate, "sum") == 0 ? gvW_t(w, "the sum of")
                                                              : NULL;
        fprintf(out, "  #{%s%s%s} = %s: ", o->name, strcmp(o->aggregate, "sum") ? "." : "",
                strcmp(o->aggregate, "sum") ? o->aggregate : "", x->text);
        if (what)
            fprintf(out, gvW_t(w, "%s the case's observations of '%s' in %s\n"), what, o->name,
                    w->period.text);
        else
            fprintf(out, gvW_t(w, "%s of the case's observations of '%s' in %s\n"), o->aggregate,
                    o->name, w->period.text);
        if (!x->hidden) gvW_observations(w, o->name, &w->period);
    } else if (o->kind == GVF_INDICATOR) {
        fprintf(out, "  I{%s} = %s: ", o->name, x->text);
        fprintf(out, gvW_t(w, "indicator %s of this run, for this case and period\n"), o->name);
    } else if (o->kind == GVF_DAYS) {
        fprintf(out, "  [days] = %s: ", x->text);
        fprintf(out, gvW_t(w, "the days in %s\n"), w->period.text);
    } else {
        fprintf(out, "  C{%s} = %s: ", o->name, x->text);
        fputs(gvW_t(w, "a constant of the config (constants = { ... })\n"), out);
    }
}

/* The formula, then again with each operand's number in its place. */
static int gvW_substituted(gvW *w, const char *label, const gvF_formula *f, const gvW_operand *x) {
    int hidden = 0;
    size_t at = 0;
    fprintf(w->out, "  %s: %s\n  %*s= ", label, f->text, gvR_chars(label), "");
    for (int u = 0; u < f->nuses; u++) {
        const gvF_use *use = &f->uses[u];
        fprintf(w->out, "%.*s%s", (int)(use->start - at), f->text + at, x[use->operand].text);
        hidden |= x[use->operand].hidden;
        at = use->start + use->length;
    }
    fprintf(w->out, "%s\n", f->text + at);
    return hidden;
}

/* One expression of a formula indicator, explained; its value. */
static int gvW_part(gvW *w, const char *label, const char *text, const char *params, int strategy,
                    gvF_value *value) {
    char *err = NULL;
    int column;
    gvF_formula *f = gvF_parse(text, &err, &column);
    label = gvW_t(w, label);
    value->type = GVF_NULL;
    if (!f) { /* a run stored the error; nothing was read */
        fprintf(w->out, "  %s: %s\n  (%s, ", label, text, err);
        fprintf(w->out, gvW_t(w, "column %d)\n"), column);
        free(err);
        return 1;
    }
    gvW_operand *x = gvW_operands(w, f, params);
    gvW_missing_as_zero(f, x, strategy);
    int hidden = gvW_substituted(w, label, f, x);
    gvF_value *v = gvU_malloc((size_t)(f->noperands + 1) * sizeof *v);
    for (int i = 0; i < f->noperands; i++)
        v[i] = x[i].v;
    /* a formula that is one operand (#{in_work}) has its number above */
    int alone = f->nuses == 1 && f->uses[0].start == 0 && f->uses[0].length == strlen(f->text);
    if (!hidden && gvF_eval(f, v, strategy, value) == 0 && !(alone && value->type != GVF_NULL)) {
        fprintf(w->out, "  %*s= ", gvR_chars(label), "");
        char num[32]; /* as the numbers above it: the formula's own writing */
        gvU_format_number_digits(value->number, 10, num);
        fputs(value->type == GVF_NULL ? gvW_t(w, "null (no value)") : num, w->out);
        fputc('\n', w->out);
    }
    for (int i = 0; i < f->noperands; i++)
        gvW_origin(w, &f->operands[i], &x[i]);
    free(v), free(x);
    gvF_free(f);
    return hidden;
}

/* A formula indicator: its expressions with their numbers and where each
** came from, then the value. */
static void gvW_formula(gvW *w, const char *params) {
    static const char *const rules[] = {"skip_if_any_missing", "skip_if_all_missing", "never_skip"};
    char *formula = gvW_param(w, params, "formula"), *num = gvW_param(w, params, "numerator");
    char *den = gvW_param(w, params, "denominator"), *missing = gvW_param(w, params, "missing");
    char *factor = gvW_param(w, params, "factor"), *annualise = gvW_param(w, params, "annualise");
    int strategy = GVF_SKIP_IF_ANY;
    for (int i = 0; missing && i < 3; i++)
        if (strcasecmp(missing, rules[i]) == 0 ||
            (i == 0 && !strcmp(missing, "SKIP_IF_ANY_VALUE_MISSING")) ||
            (i == 1 && !strcmp(missing, "SKIP_IF_ALL_VALUES_MISSING")))
            strategy = i;
    fprintf(w->out, gvW_t(w, "  missing values: %s\n"), rules[strategy]);
    gvF_value n, d;
    if (formula) {
        gvW_part(w, "formula", formula, params, strategy, &n);
    } else if (num && den) {
        int hidden = gvW_part(w, "numerator", num, params, strategy, &n);
        hidden |= gvW_part(w, "denominator", den, params, strategy, &d);
        int yearly = annualise && !strcmp(annualise, "yes");
        fprintf(w->out, gvW_t(w, "  value = numerator / denominator x %s"), factor ? factor : "1");
        if (yearly) fputs(gvW_t(w, " x 365 / days"), w->out);
        double v;
        if (hidden || n.type == GVF_NULL || d.type == GVF_NULL)
            fputs("\n", w->out);
        else if (gvF_indicator_value(n.number, d.number, factor ? strtod(factor, NULL) : 1, yearly,
                                     gvP_days(&w->period), &v))
            fputs(gvW_t(w, ": the denominator is 0, so no value\n"), w->out);
        else
            fputs(" = ", w->out), gvW_num(w, v), fputs("\n", w->out);
    }
    free(formula), free(num), free(den), free(missing), free(factor), free(annualise);
}

/* The kind of module a run stored, in words. */
static const char *gvW_kind(const gvW *w, const char *lang) {
    const gv_loader *l = gvM_loader_named(lang);
    return gvW_t(w, l ? l->noun : "module");
}

/* The value itself, or why there is none. */
static void gvW_indicator_value(gvW *w, sqlite3_stmt *st, int small) {
    FILE *out = w->out;
    const char *status = gvR_text(st, 1), *error = gvR_text(st, 2);
    if (small)
        fprintf(out, "%s %s\n", gvW_t(w, "hidden"),
                gvW_t(w, "(a small count of persons, made from one, or one could be computed "
                         "from it: --no-suppress shows it)"));
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        gvW_num(w, sqlite3_column_double(st, 0)), fprintf(out, " %s\n", gvW_t(w, gvR_text(st, 3)));
    else
        fprintf(out, "%s%s%s\n", gvW_t(w, status), *error ? ": " : "", error);
    char note[64];
    if (*gvR_coverage(w->r->lang, st, 13, note))
        fprintf(out, gvW_t(w, "  partial: %s (the least of what it read)\n"), note);
}

/* An indicator's value: what made it and what it read; 1 when the run
** has no such value. */
static int gvW_indicator(gvW *w) {
    sqlite3_stmt *st =
        gvW_prepare(w, "SELECT r.value, r.status, r.error, i.unit, i.module, i.module_kind,"
                       " i.module_version, i.module_hash, i.module_path, i.params,"
                       " i.isolated, " GVR_RESULT_RULE(
                           "r") " IS NOT NULL, gv_hidden(),"
                                " r.coverage, coalesce(i.reads_recorded, -1)"
                                " FROM results r JOIN run_indicators i USING (run, indicator)"
                                " WHERE r.run = ?1 AND r.indicator = ?2 AND r.case_id = ?3"
                                " AND r.period = ?4");
    if (!st) return -1;
    int stepped = sqlite3_step(st);
    if (stepped != SQLITE_ROW) {
        gvW_end(w, st, stepped);
        return 1;
    }
    FILE *out = w->out;
    fprintf(out, gvW_t(w, "%s for case %s in %s: "), w->r->what, w->r->case_id, w->period.text);
    int small = sqlite3_column_int(st, 11); /* made from a small count of persons */
    gvW_indicator_value(w, st, small);
    fprintf(out, gvW_t(w, "  made by module %s (%s, version %s), %s\n"), gvR_text(st, 4),
            gvW_kind(w, gvR_text(st, 5)),
            *gvR_text(st, 6) ? gvR_text(st, 6) : gvW_t(w, "not given"),
            gvW_t(w, sqlite3_column_int(st, 10) ? "in a child process" : "in the gevinst process"));
    fprintf(out, gvW_t(w, "  file %s\n  sha256 %s\n  params %s\n"), gvR_text(st, 8),
            gvR_text(st, 7), gvR_text(st, 9));
    char *params = gvU_strdup(gvR_text(st, 9)), kind[16];
    snprintf(kind, sizeof kind, "%s", gvR_text(st, 5));
    int recorded = sqlite3_column_int(st, 14);
    sqlite3_finalize(st);
    /* a formula that could not be read has no parts to show: its error said it */
    if (!small && strcmp(kind, "formula") == 0 && *params)
        gvW_formula(w, params);
    else if (!small)
        gvW_indicator_read(w, params, recorded);
    free(params);
    return 0;
}

/* The columns of a gain's explanation. */
enum {
    GVW_ACTUAL,
    GVW_REALISATION,
    GVW_EXPECTED_PCT,
    GVW_EXPECTED,
    GVW_DEVIATION,
    GVW_STATUS,
    GVW_ERROR,
    GVW_INDICATOR,
    GVW_BASELINE,
    GVW_BASELINE_PERIOD,
    GVW_TARGET,
    GVW_TARGET_PERIOD,
    GVW_SOURCE,
    GVW_QUANTITY,
    GVW_QUANTITY_PERIOD,
    GVW_PROXY,
    GVW_IMPACT,
    GVW_PRESENT_VALUE,
    GVW_DEADWEIGHT,
    GVW_DISPLACEMENT,
    GVW_ATTRIBUTION,
    GVW_BASIS,
    GVW_HIDDEN,
    GVW_COVERAGE,
    GVW_LEFT_OUT
};

/* What was expected: "50 %, that is 4 620 933". */
static void gvW_expected(gvW *w, sqlite3_stmt *st) {
    gvW_num(w, sqlite3_column_double(st, GVW_EXPECTED_PCT));
    fprintf(w->out, " %%, %s ", gvW_t(w, "that is"));
    gvW_num(w, sqlite3_column_double(st, GVW_EXPECTED));
}

/* (a - b) / (c - b) x 100, with the numbers. */
static void gvW_realisation(gvW *w, sqlite3_stmt *st) {
    FILE *out = w->out;
    double actual = sqlite3_column_double(st, GVW_ACTUAL);
    double baseline = sqlite3_column_double(st, GVW_BASELINE);
    double target = sqlite3_column_double(st, GVW_TARGET);
    const char *label = gvW_t(w, "realisation");
    fprintf(out, "  %s ", gvW_t(w, "actual"));
    gvW_num(w, actual);
    fprintf(out, "\n  %s = %s\n  %*s = (", label,
            gvW_t(w, "(actual - baseline) / (target - baseline) x 100"), gvR_chars(label), "");
    const double terms[] = {actual, baseline, target, baseline};
    const char *const between[] = {" - ", ") / (", " - ", ") x 100 = "};
    for (int i = 0; i < 4; i++)
        gvW_num(w, terms[i]), fputs(between[i], out);
    gvW_num(w, sqlite3_column_double(st, GVW_REALISATION));
    fprintf(out, " %%\n  %s = ",
            gvW_t(w, "expected by now (straight line from the end of the baseline period to the "
                     "end of the target period)"));
    gvW_expected(w, st);
    fprintf(out, "; %s ", gvW_t(w, "deviation"));
    gvW_num(w, sqlite3_column_double(st, GVW_DEVIATION));
    fputc('\n', out);
}

/* quantity x proxy x (1 - deadweight) ... = year 1, and its present value. */
static void gvW_valued(gvW *w, sqlite3_stmt *st) {
    FILE *out = w->out;
    fprintf(out, gvW_t(w, "  valued with the quantity of %s (%s): "),
            gvR_text(st, GVW_QUANTITY_PERIOD), gvW_t(w, gvR_text(st, GVW_BASIS)));
    const int terms[] = {GVW_QUANTITY,     GVW_PROXY,       GVW_DEADWEIGHT,
                         GVW_DISPLACEMENT, GVW_ATTRIBUTION, GVW_IMPACT};
    const char *const word[] = {NULL, "proxy", "deadweight", "displacement", "attribution", NULL};
    for (int i = 0; i < 6; i++) {
        if (i == 1) fprintf(out, " x %s ", gvW_t(w, word[i]));
        if (i >= 2 && i <= 4) fprintf(out, "%s x (1 - %s ", i > 2 ? ")" : "", gvW_t(w, word[i]));
        if (i == 5) fputs(") = ", out);
        gvW_num(w, sqlite3_column_double(st, terms[i]));
    }
    fprintf(out, " %s; %s ", gvW_t(w, "in year 1"), gvW_t(w, "present value"));
    gvW_num(w, sqlite3_column_double(st, GVW_PRESENT_VALUE));
    fputc('\n', out);
}

/* An incomplete gain: its actual, and what was expected by the end of
** the period, not compared. */
static void gvW_incomplete(gvW *w, sqlite3_stmt *st) {
    FILE *out = w->out;
    fprintf(out, "  %s ", gvW_t(w, "actual"));
    gvW_num(w, sqlite3_column_double(st, GVW_ACTUAL));
    fputs(gvW_t(w, ": incomplete, so not compared with the plan nor valued (allow_partial in the "
                   "config judges it anyway)\n"),
          out);
    fprintf(out, gvW_t(w, "  expected by the end of %s "), w->period.text);
    gvW_expected(w, st);
    fputc('\n', out);
}

/* The plan, and what was measured against it. */
static void gvW_gain_figures(gvW *w, sqlite3_stmt *st) {
    FILE *out = w->out;
    fprintf(out, "  %s ", gvW_t(w, "baseline"));
    gvW_num(w, sqlite3_column_double(st, GVW_BASELINE));
    fprintf(out, gvW_t(w, " in %s, target "), gvR_text(st, GVW_BASELINE_PERIOD));
    gvW_num(w, sqlite3_column_double(st, GVW_TARGET));
    fprintf(out, gvW_t(w, " by %s; measured by indicator %s\n"), gvR_text(st, GVW_TARGET_PERIOD),
            gvR_text(st, GVW_INDICATOR));
    if (*gvR_text(st, GVW_ERROR))
        fprintf(out, "  %s: %s\n", gvW_t(w, "error"), gvR_text(st, GVW_ERROR));
    char note[64];
    if (*gvR_coverage(w->r->lang, st, GVW_COVERAGE, note))
        fprintf(out, gvW_t(w, "  %s: the actual was made from data of only part of a period\n"),
                note);
    if (strcmp(gvR_text(st, GVW_STATUS), "error") == 0) {
        /* the error said it: no actual was read */
    } else if (sqlite3_column_type(st, GVW_ACTUAL) == SQLITE_NULL) {
        fprintf(out, gvW_t(w, "  no value of %s for this case and period: no realisation\n"),
                gvR_text(st, GVW_INDICATOR));
    } else if (sqlite3_column_type(st, GVW_REALISATION) == SQLITE_NULL) {
        gvW_incomplete(w, st);
    } else {
        gvW_realisation(w, st);
    }
    if (sqlite3_column_type(st, GVW_PRESENT_VALUE) != SQLITE_NULL) gvW_valued(w, st);
    if (*gvR_text(st, GVW_LEFT_OUT))
        fprintf(out, gvW_t(w, "  SROI passed over %s: its data cover only part of it\n"),
                gvR_text(st, GVW_LEFT_OUT));
}

/* A gain in a period: the plan, the actual, and the arithmetic; 1 when the
** run has no such gain. */
static int gvW_gain(gvW *w) {
    /* clang-format off */
    sqlite3_stmt *st = gvW_prepare(w,
        "SELECT r.actual, r.realisation_pct, r.expected_pct, r.expected_value, r.deviation,"
        " " GVR_STATUS_SHOWN ", r.error, json_extract(p.plan, '$.indicator'),"
        " json_extract(p.plan, '$.baseline'), json_extract(p.plan, '$.baseline_period'),"
        " json_extract(p.plan, '$.target'), json_extract(p.plan, '$.target_period'),"
        " p.source, p.quantity, p.quantity_period, p.proxy, p.impact_year1, p.present_value,"
        " json_extract(p.plan, '$.deadweight'), json_extract(p.plan, '$.displacement'),"
        " json_extract(p.plan, '$.attribution'), json_extract(p.plan, '$.quantity_basis'),"
        " CASE WHEN " GVR_ANY_HIDDEN " OR EXISTS (SELECT 1 FROM temp.gvr_valued h"
        " WHERE h.case_id = r.case_id AND h.gain = r.gain) THEN 1 ELSE 0 END,"
        " r.coverage, p.left_out_period FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
        " WHERE r.run = ?1 AND r.gain = ?2 AND r.case_id = ?3 AND r.period = ?4");
    /* clang-format on */
    if (!st) return -1;
    int stepped = sqlite3_step(st);
    if (stepped != SQLITE_ROW) {
        gvW_end(w, st, stepped);
        return 1;
    }
    fprintf(w->out, gvW_t(w, "gain %s of case %s in %s: %s (plan from the %s)\n"), w->r->what,
            w->r->case_id, w->period.text, gvW_t(w, gvR_text(st, GVW_STATUS)),
            gvW_t(w, gvR_text(st, GVW_SOURCE)));
    if (sqlite3_column_int(st, GVW_HIDDEN))
        fputs(gvW_t(w, "  its figures are hidden: they are, or are made from, a small count of "
                       "persons (--no-suppress shows them)\n"),
              w->out);
    else
        gvW_gain_figures(w, st);
    sqlite3_finalize(st);
    return 0;
}

/* What has changed since the run: the values are the run's, the data and
** plan listed are today's. */
static void gvW_since(gvW *w, sqlite3_stmt *st) {
    const char *note = gvW_t(w, "note");
    int same = !w->r->config_hash || strcmp(gvR_text(st, 2), w->r->config_hash) == 0;
    if (!same)
        fprintf(w->out, gvW_t(w, "%s: %s differs from the config this run used\n"), note,
                w->r->config_file);
    char *elsewhere = gvR_config_elsewhere(w->r, w->r->lang, gvR_text(st, 3), gvR_text(st, 2));
    if (elsewhere) fprintf(w->out, "%s: %s\n", note, elsewhere);
    free(elsewhere);
    sqlite3_stmt *since = gvD_imports_since(w->r->db, w->r->run);
    int s = since ? SQLITE_DONE : SQLITE_ERROR;
    while (since && (s = sqlite3_step(since)) == SQLITE_ROW) {
        char when[64];
        gvT_date(w->r->lang, gvR_text(since, 2), when, sizeof when);
        if (sqlite3_column_int(since, 3))
            fprintf(w->out, gvW_t(w, "%s: %s of source %s removed since this run, on %s\n"), note,
                    gvR_kind_word(w->r->lang, gvR_text(since, 0)), gvR_text(since, 4), when);
        else
            fprintf(w->out, gvW_t(w, "%s: %s imported since this run, on %s (from %s)\n"), note,
                    gvR_kind_word(w->r->lang, gvR_text(since, 0)), when, gvR_text(since, 1));
    }
    gvW_end(w, since, s);
}

/* Which run, and what has changed since. */
static void gvW_run(gvW *w) {
    sqlite3_stmt *st =
        gvW_prepare(w, "SELECT started, engine_version, config_hash, config_file FROM runs"
                       " WHERE id = ?1");
    if (!st) return;
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW) {
        char started[64];
        gvT_date(w->r->lang, gvR_text(st, 0), started, sizeof started);
        fprintf(w->out, gvW_t(w, "run %lld, %s, gevinst %s, config sha256 %.12s\n"), w->r->run,
                started, gvR_text(st, 1), gvR_text(st, 2));
        if (w->r->suppress_below <= 0)
            fprintf(w->out, "%s: %s\n", gvW_t(w, "note"),
                    gvW_t(w, "not for publication: small counts of persons are shown "
                             "(--no-suppress)"));
        gvW_since(w, st);
    }
    gvW_end(w, st, stepped);
}

/* A case the run does not have: unknown, with the id most like it, or
** imported since. */
static char *gvW_no_case(gvW *w) {
    const gv_report *r = w->r;
    sqlite3_stmt *st = gvW_prepare(w, "SELECT id, id = ?3 FROM cases ORDER BY id = ?3 DESC, id");
    if (!st) return NULL;
    char **ids = NULL;
    int n = 0, cap = 0, known = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        known |= sqlite3_column_int(st, 1);
        if (n == cap) ids = gvU_realloc(ids, (size_t)(cap = cap ? 2 * cap : 64) * sizeof *ids);
        ids[n++] = gvU_strdup(gvR_text(st, 0));
    }
    gvW_end(w, st, stepped);
    char *why = NULL;
    if (known) {
        why = gvU_mprintf("run %lld has no case '%s': it was imported after the run", r->run,
                          r->case_id);
    } else if (stepped == SQLITE_DONE) {
        const char *near = gvU_nearest(r->case_id, (const char *const *)ids, n);
        why = gvU_mprintf("unknown case '%s'%s%s%s", r->case_id, near ? " (did you mean '" : "",
                          near ? near : "", near ? "'?)" : "");
    }
    for (int i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return why;
}

/* Why the run holds nothing for WHAT, CASE and PERIOD: the first of them
** it does not know, as a message; NULL when the database fails. */
static char *gvW_missing(gvW *w) {
    /* gvW_prepare binds all four; a check that reads fewer ignores the rest */
    static const char *const checks[] = {
        "SELECT (SELECT count(*) FROM results WHERE run = ?1 AND case_id = ?3)"
        " + (SELECT count(*) FROM gain_results WHERE run = ?1 AND case_id = ?3)",
        "SELECT (SELECT count(*) FROM run_indicators WHERE run = ?1 AND indicator = ?2)"
        " + (SELECT count(*) FROM gain_results WHERE run = ?1 AND gain = ?2)",
        "SELECT group_concat(period, ', ') FROM (SELECT period FROM results WHERE run = ?1"
        " AND indicator = ?2 AND case_id = ?3 UNION SELECT period FROM gain_results"
        " WHERE run = ?1 AND gain = ?2 AND case_id = ?3 ORDER BY 1)"};
    const gv_report *r = w->r;
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *st = gvW_prepare(w, checks[i]);
        if (!st) return NULL;
        int stepped = sqlite3_step(st), none = stepped == SQLITE_ROW && !sqlite3_column_int(st, 0);
        char *why = NULL;
        if (stepped != SQLITE_ROW) {
            gvW_end(w, st, stepped);
            return NULL;
        }
        if (i == 2)
            why = gvU_mprintf("run %lld has no value of '%s' for case '%s' in %s (it has: %s)",
                              r->run, r->what, r->case_id, w->period.text,
                              sqlite3_column_type(st, 0) == SQLITE_NULL ? "none" : gvR_text(st, 0));
        sqlite3_finalize(st);
        if (i == 0 && none) return gvW_no_case(w);
        if (i == 1 && none)
            why = gvU_mprintf("run %lld has no indicator or gain '%s'", r->run, r->what);
        if (why) return why;
    }
    return NULL;
}

/* The explanation into w->out; GV_OK, or why not with *err. */
static gv_status gvW_explain(gvW *w, char **err) {
    gv_report *r = w->r;
    gvW_run(w);
    /* an indicator's id, a gain's name, or both when they share it */
    int ind = gvW_indicator(w);
    int gain = ind < 0 ? -1 : gvW_gain(w);
    if (ind < 0 || gain < 0 || w->failed) {
        *err = w->failed ? w->failed : gvD_errmsg(r->db, "cannot read the run");
        return GV_DATABASE;
    }
    if (ind == 1 && gain == 1) {
        *err = gvW_missing(w);
        if (!*err) {
            *err = w->failed ? w->failed : gvD_errmsg(r->db, "cannot read the run");
            return GV_DATABASE;
        }
        return GV_NOT_FOUND;
    }
    return GV_OK;
}

gv_status gvR_write_explain(gv_report *r, char **err) {
    gvW w = {r, {0}, r->out, NULL};
    if (!r->period || gvP_parse(r->period, &w.period) < 0) {
        *err =
            gvU_mprintf("'%s' is not a period (%s)", r->period ? r->period : "", GV_PERIOD_FORMS);
        return GV_USAGE;
    }
    /* written in memory first: a value the run does not have is an error
       alone, not the run's heading and then the error */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem) w.out = mem;
    gv_status rc = gvW_explain(&w, err);
    if (mem && fclose(mem) != 0 && rc == GV_OK) {
        *err = gvU_strdup("out of memory"), rc = GV_NO_MEMORY;
    } else if (mem && rc == GV_OK) {
        fwrite(text, 1, len, r->out);
    }
    free(text);
    return rc;
}
