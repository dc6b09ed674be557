/*
** gv_privacy.c -- what a report hides, decided once for the report and
** read by every writer (gv_writers.h), so every format hides the same
** cells.  Primary suppression hides a small count of persons and what was
** made from one; secondary suppression hides further cells of each table
** the report shows (periods that nest, cases under their municipality and
** country) until no hidden count follows from the shown cells by addition
** and subtraction.  docs/privacy.md states the rules.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/gv_writers.h"
#include "store/gv_store.h"

/* ----------------------------------------------------------------- tables */

/* One table: its cells, and the sums that tie them (a total and the cells
** that add up to it). */
typedef struct gvR_cell {
    double value;
    int has_value; /* no value (no data) is known too: it adds nothing */
    int hidden;    /* 0 shown, 1 primary, 2 secondary */
    int fixed;     /* known from elsewhere: hiding it here would hide nothing */
} gvR_cell;

typedef struct gvR_table {
    gvR_cell *cells;
    int n, cap;
    int *sums; /* each sum: its size k, then k cells, the total first */
    int nsums, len, sums_cap;
} gvR_table;

static int gvR_cell_add(gvR_table *t, double value, int has_value, int hidden) {
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->cells = gvU_realloc(t->cells, (size_t)t->cap * sizeof *t->cells);
    }
    t->cells[t->n] = (gvR_cell){value, has_value, hidden, 0};
    return t->n++;
}

static void gvR_sum_add(gvR_table *t, int total, const int *parts, int nparts) {
    if (t->len + nparts + 2 > t->sums_cap) {
        t->sums_cap = 2 * (t->len + nparts + 2);
        t->sums = gvU_realloc(t->sums, (size_t)t->sums_cap * sizeof *t->sums);
    }
    t->sums[t->len++] = nparts + 1;
    t->sums[t->len++] = total;
    for (int i = 0; i < nparts; i++)
        t->sums[t->len++] = parts[i];
    t->nsums++;
}

static void gvR_table_clear(gvR_table *t) {
    t->n = t->nsums = t->len = 0;
}

static void gvR_table_free(gvR_table *t) {
    free(t->cells), free(t->sums);
}

/* ------------------------------------------------------------- the solver */

/* Reduce the m x h matrix a to reduced row echelon form; pivot[c] is the
** row whose leading entry is in column c, or -1. */
static void gvR_rref(double *a, int m, int h, int *pivot) {
    int row = 0;
    for (int c = 0; c < h; c++) {
        pivot[c] = -1;
        int best = -1;
        for (int r = row; r < m; r++)
            if (fabs(a[r * h + c]) > 1e-9 &&
                (best < 0 || fabs(a[r * h + c]) > fabs(a[best * h + c])))
                best = r;
        if (best < 0) continue;
        for (int k = 0; k < h; k++) {
            double swap = a[row * h + k];
            a[row * h + k] = a[best * h + k], a[best * h + k] = swap;
        }
        double lead = a[row * h + c];
        for (int k = 0; k < h; k++)
            a[row * h + k] /= lead;
        for (int r = 0; r < m; r++) {
            double f = a[r * h + c];
            if (r == row || fabs(f) < 1e-12) continue;
            for (int k = 0; k < h; k++)
                a[r * h + k] -= f * a[row * h + k];
        }
        pivot[c] = row++;
        if (row == m) {
            for (int rest = c + 1; rest < h; rest++)
                pivot[rest] = -1;
            break;
        }
    }
}

/* The first primary cell the sums give back (its value follows from the
** shown cells), or -1: a hidden cell is given back when its unit vector is
** in the row space of the sums restricted to the hidden cells. */
static int gvR_disclosed(const gvR_table *t) {
    int *col = gvU_malloc((size_t)t->n * sizeof *col), h = 0;
    for (int i = 0; i < t->n; i++)
        col[i] = t->cells[i].hidden ? h++ : -1;
    int found = -1;
    if (h > 0 && t->nsums > 0) {
        size_t cells = (size_t)t->nsums * (size_t)h;
        double *a = gvU_malloc(cells * sizeof *a);
        int *cell_of = gvU_malloc((size_t)h * sizeof *cell_of);
        int *pivot = gvU_malloc((size_t)h * sizeof *pivot);
        memset(a, 0, cells * sizeof *a);
        for (int i = 0; i < t->n; i++)
            if (col[i] >= 0) cell_of[col[i]] = i;
        for (int s = 0, at = 0; s < t->nsums; s++, at += t->sums[at] + 1)
            for (int k = 0; k < t->sums[at]; k++) {
                int c = col[t->sums[at + 1 + k]];
                if (c >= 0) a[s * h + c] += k == 0 ? 1 : -1;
            }
        gvR_rref(a, t->nsums, h, pivot);
        for (int c = 0; c < h && found < 0; c++) {
            if (pivot[c] < 0 || t->cells[cell_of[c]].hidden != 1) continue;
            int alone = 1;
            for (int k = 0; k < h && alone; k++)
                alone = k == c || fabs(a[pivot[c] * h + k]) < 1e-9;
            if (alone) found = cell_of[c];
        }
        free(a), free(cell_of), free(pivot);
    }
    free(col);
    return found;
}

/* Is a better next cell to hide than b (-1: none yet)?  A cell with a
** value before one without, then the smallest, then the first. */
static int gvR_better(const gvR_table *t, int a, int b) {
    if (b < 0) return 1;
    const gvR_cell *x = &t->cells[a], *y = &t->cells[b];
    if (x->has_value != y->has_value) return x->has_value;
    if (fabs(x->value) != fabs(y->value)) return fabs(x->value) < fabs(y->value);
    return a < b;
}

/* Hide the smallest shown cell of a sum that holds cell j (of any sum
** with a hidden cell when those have none left); 0 when none is left. */
static int gvR_hide_next(gvR_table *t, int j) {
    int next = -1;
    for (int pass = 0; pass < 2 && next < 0; pass++)
        for (int s = 0, at = 0; s < t->nsums; s++, at += t->sums[at] + 1) {
            int holds = 0;
            for (int k = 0; k < t->sums[at]; k++) {
                const gvR_cell *c = &t->cells[t->sums[at + 1 + k]];
                holds |= pass == 0 ? t->sums[at + 1 + k] == j : c->hidden != 0;
            }
            if (!holds) continue;
            for (int k = 0; k < t->sums[at]; k++) {
                int c = t->sums[at + 1 + k];
                if (!t->cells[c].hidden && !t->cells[c].fixed && gvR_better(t, c, next)) next = c;
            }
        }
    if (next < 0) return 0;
    t->cells[next].hidden = 2;
    return 1;
}

/* Secondary suppression of one table: hide cells until no primary cell
** follows from the shown ones. */
static void gvR_secondary(gvR_table *t) {
    int j;
    while ((j = gvR_disclosed(t)) >= 0)
        if (!gvR_hide_next(t, j)) break;
}

/* ------------------------------------------------------- results: periods */

/* The sums of one indicator's values for one case: each period is the sum
** of the coarsest periods of the run inside it that do not overlap (a year
** of its quarters, or of three quarters and three months), and of what
** they leave uncovered: a remainder no period of the run shows, which the
** year less its parts gives all the same.  A remainder that is a small
** count of persons is protected as a hidden one is; one of 0 is taken as
** known (whoever reads the parts may guess that nothing lies outside). */
static void gvR_period_sums(gvR_table *t, const gv_period *p, double below) {
    int n = t->n; /* the periods; remainders come after them */
    int *parts = gvU_malloc((size_t)(n + 1) * sizeof *parts);
    for (int i = 0; i < n; i++) {
        int nparts = 0, days = 0;
        double sum = 0;
        for (int kind = p[i].kind + 1; kind <= GV_DAY; kind++)
            for (int k = 0; k < n; k++) {
                if ((int)p[k].kind != kind || !gvP_contains(&p[i], &p[k])) continue;
                int inside = 0; /* in a coarser part already */
                for (int c = 0; c < nparts && !inside; c++)
                    inside = gvP_contains(&p[parts[c]], &p[k]);
                if (inside) continue;
                parts[nparts++] = k, days += gvP_days(&p[k]);
                sum += t->cells[k].has_value ? t->cells[k].value : 0;
            }
        if (nparts == 0) continue;
        if (days < gvP_days(&p[i])) {
            if (!t->cells[i].has_value) continue; /* no total: nothing to take parts from */
            double rest = t->cells[i].value - sum;
            int hidden = fabs(rest) < 1e-9 ? 0 : rest > 0 && rest < below ? 1 : 2;
            int r = gvR_cell_add(t, rest, 1, hidden);
            t->cells[r].fixed = hidden == 0;
            parts[nparts++] = r;
        }
        gvR_sum_add(t, i, parts, nparts);
    }
    free(parts);
}

/* The statement that hides a value as secondary (?1 indicator, ?2 case,
** ?3 period), for the rules over periods; NULL with *err. */
static sqlite3_stmt *gvR_hide_statement(gv_report *r, char **err) {
    sqlite3_stmt *insert = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "INSERT OR IGNORE INTO temp.gvr_hidden VALUES (?1, ?2, ?3,"
                           " 'secondary')",
                           -1, &insert, NULL) == SQLITE_OK)
        return insert;
    *err = gvD_errmsg(r->db, "cannot read the run");
    return NULL;
}

/* Hide one value as secondary; SQLite's result code. */
static int gvR_hide(sqlite3_stmt *insert, const char *indicator, const char *case_id,
                    const char *period) {
    sqlite3_reset(insert);
    sqlite3_bind_text(insert, 1, indicator, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, period, -1, SQLITE_STATIC);
    return sqlite3_step(insert);
}

/* One indicator's values for one case, read in turn. */
typedef struct gvR_group {
    gvR_table t;
    gv_period *periods;
    int cap;
    char *indicator, *case_id;
    double below; /* the report's threshold */
} gvR_group;

/* Hide what the group's sums would give back, and store it. */
static int gvR_group_flush(gvR_group *g, sqlite3_stmt *insert) {
    int n = g->t.n, any = 0; /* the periods: the remainders are no cells of a report */
    if (n > 1) gvR_period_sums(&g->t, g->periods, g->below);
    for (int i = 0; i < g->t.n; i++)
        any |= g->t.cells[i].hidden == 1;
    if (any) gvR_secondary(&g->t);
    int rc = SQLITE_DONE;
    for (int i = 0; i < n && rc == SQLITE_DONE; i++) {
        if (g->t.cells[i].hidden != 2) continue;
        rc = gvR_hide(insert, g->indicator, g->case_id, g->periods[i].text);
    }
    gvR_table_clear(&g->t);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* A row (indicator, case, period, value, hidden) into the group; a new
** indicator or case first stores the last. */
static int gvR_group_row(gvR_group *g, sqlite3_stmt *st, sqlite3_stmt *insert) {
    const char *indicator = gvR_text(st, 0), *case_id = gvR_text(st, 1);
    if (!g->indicator || strcmp(g->indicator, indicator) != 0 || strcmp(g->case_id, case_id) != 0) {
        if (g->indicator && gvR_group_flush(g, insert) < 0) return -1;
        free(g->indicator), free(g->case_id);
        g->indicator = gvU_strdup(indicator), g->case_id = gvU_strdup(case_id);
    }
    gv_period p;
    if (gvP_parse(gvR_text(st, 2), &p) < 0) return 0; /* a period no sum holds */
    int i = gvR_cell_add(&g->t, sqlite3_column_double(st, 3),
                         sqlite3_column_type(st, 3) != SQLITE_NULL, sqlite3_column_int(st, 4));
    if (i >= g->cap) {
        g->cap = 2 * (i + 1);
        g->periods = gvU_realloc(g->periods, (size_t)g->cap * sizeof *g->periods);
    }
    g->periods[i] = p;
    return 0;
}

/* Secondary suppression over the periods of each indicator that counts
** persons, for each case: a year is the sum of its quarters and of its
** months, a quarter of its months. */
static gv_status gvR_protect_periods(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r,
                                "SELECT r.indicator, r.case_id, r.period, r.value, EXISTS (SELECT"
                                " 1 FROM temp.gvr_hidden h WHERE h.indicator = r.indicator AND"
                                " h.case_id = r.case_id AND h.period = r.period) FROM results r"
                                " WHERE r.run = ?1 AND r.indicator IN (SELECT indicator FROM"
                                " temp.gvr_persons) ORDER BY r.indicator, r.case_id, r.period",
                                err);
    if (!st) return GV_DATABASE;
    sqlite3_stmt *insert = gvR_hide_statement(r, err);
    if (!insert) {
        sqlite3_finalize(st);
        return GV_DATABASE;
    }
    gvR_group g;
    memset(&g, 0, sizeof g);
    g.below = r->suppress_below;
    int stepped, failed = 0;
    while (!failed && (stepped = sqlite3_step(st)) == SQLITE_ROW)
        failed = gvR_group_row(&g, st, insert) < 0;
    if (!failed && stepped == SQLITE_DONE && g.indicator) failed = gvR_group_flush(&g, insert) < 0;
    sqlite3_finalize(insert);
    gvR_table_free(&g.t);
    free(g.periods), free(g.indicator), free(g.case_id);
    return gvR_done(r, st, failed ? SQLITE_ERROR : stepped, err);
}

/* ------------------------------------------------------- results: derived */

/* A value made from counts of persons (a share) is no sum, but beside what
** it was made from it gives its counts back: a year's share times the
** year's participants less the quarters' gives a hidden quarter's count.
** So every period that holds a hidden one of the same indicator and case
** is hidden too (docs/privacy.md, rule 3).  Rows of one indicator and case
** in turn: (period, hidden). */
static int gvR_derived_flush(const char *indicator, const char *case_id, const gv_period *p,
                             const int *hidden, int n, sqlite3_stmt *insert) {
    int rc = SQLITE_DONE;
    for (int i = 0; i < n && rc == SQLITE_DONE; i++) {
        int holds = 0;
        for (int k = 0; k < n && !hidden[i] && !holds; k++)
            holds = hidden[k] && k != i && gvP_contains(&p[i], &p[k]);
        if (!holds) continue;
        rc = gvR_hide(insert, indicator, case_id, p[i].text);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static gv_status gvR_protect_derived(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(
        r,
        "SELECT r.indicator, r.case_id, r.period, EXISTS (SELECT 1 FROM temp.gvr_hidden h WHERE"
        " h.indicator = r.indicator AND h.case_id = r.case_id AND h.period = r.period)"
        " FROM results r WHERE r.run = ?1 AND r.fewest_persons IS NOT NULL"
        " AND r.indicator NOT IN (SELECT indicator FROM temp.gvr_persons)"
        " AND EXISTS (SELECT 1 FROM temp.gvr_hidden h WHERE h.indicator = r.indicator"
        " AND h.case_id = r.case_id) ORDER BY r.indicator, r.case_id",
        err);
    if (!st) return GV_DATABASE;
    sqlite3_stmt *insert = gvR_hide_statement(r, err);
    if (!insert) {
        sqlite3_finalize(st);
        return GV_DATABASE;
    }
    char *indicator = NULL, *case_id = NULL;
    gv_period *p = NULL;
    int *hidden = NULL, n = 0, cap = 0, stepped, failed = 0;
    while (!failed && (stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (!indicator || strcmp(indicator, gvR_text(st, 0)) || strcmp(case_id, gvR_text(st, 1))) {
            if (indicator) failed = gvR_derived_flush(indicator, case_id, p, hidden, n, insert);
            free(indicator), free(case_id);
            indicator = gvU_strdup(gvR_text(st, 0)), case_id = gvU_strdup(gvR_text(st, 1));
            n = 0;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            p = gvU_realloc(p, (size_t)cap * sizeof *p);
            hidden = gvU_realloc(hidden, (size_t)cap * sizeof *hidden);
        }
        if (gvP_parse(gvR_text(st, 2), &p[n]) == 0) hidden[n++] = sqlite3_column_int(st, 3);
    }
    if (!failed && stepped == SQLITE_DONE && indicator)
        failed = gvR_derived_flush(indicator, case_id, p, hidden, n, insert);
    sqlite3_finalize(insert);
    free(indicator), free(case_id), free(p), free(hidden);
    return gvR_done(r, st, failed ? SQLITE_ERROR : stepped, err);
}

/* ------------------------------------------------------------------ value */

/* A case's value figures (present value, SROI, ...) as one cell each,
** under its municipality's and its country's totals. */
typedef struct gvR_totals {
    gvR_table t;
    char **keys; /* a case id, "municipality:CODE" or "country:CC" */
    int cap;
} gvR_totals;

static int gvR_totals_add(gvR_totals *v, const char *key, double value, int hidden) {
    int i = gvR_cell_add(&v->t, value, 1, hidden);
    if (i >= v->cap) {
        v->cap = 2 * (i + 1);
        v->keys = gvU_realloc(v->keys, (size_t)v->cap * sizeof *v->keys);
    }
    v->keys[i] = gvU_strdup(key);
    return i;
}

/* Close the total at cell `total`: the sum of its parts. */
static void gvR_totals_sum(gvR_totals *v, int total, const int *parts, int nparts) {
    double sum = 0;
    for (int i = 0; i < nparts; i++)
        sum += v->t.cells[parts[i]].value;
    v->t.cells[total].value = sum;
    gvR_sum_add(&v->t, total, parts, nparts);
}

/* Read the cases valued (country, municipality, case, present value,
** hidden) into cells and sums: a municipality's total over its cases, a
** country's over its municipalities. */
static int gvR_totals_read(gvR_totals *v, sqlite3_stmt *st) {
    int *cases = NULL, *munis = NULL, ncases = 0, nmunis = 0, muni = -1, country = -1, stepped;
    char *muni_key = NULL, *country_key = NULL;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        char *ck = gvU_mprintf("country:%s", gvR_text(st, 0));
        char *mk = gvU_mprintf("municipality:%s", gvR_text(st, 1));
        if (muni >= 0 && strcmp(mk, muni_key) != 0)
            gvR_totals_sum(v, muni, cases, ncases), ncases = 0, muni = -1;
        if (country >= 0 && strcmp(ck, country_key) != 0)
            gvR_totals_sum(v, country, munis, nmunis), nmunis = 0, country = -1;
        if (country < 0)
            free(country_key), country_key = ck, country = gvR_totals_add(v, ck, 0, 0);
        else
            free(ck);
        if (muni < 0) {
            free(muni_key), muni_key = mk, muni = gvR_totals_add(v, mk, 0, 0);
            munis = gvU_realloc(munis, (size_t)(nmunis + 1) * sizeof *munis);
            munis[nmunis++] = muni;
        } else {
            free(mk);
        }
        int c = gvR_totals_add(v, gvR_text(st, 2), sqlite3_column_double(st, 3),
                               sqlite3_column_int(st, 4));
        /* a case's value follows from its gains' figures (the actual, the
           proxy, the assumptions): hiding another case would hide nothing,
           so only totals are hidden with a case */
        v->t.cells[c].fixed = 1;
        cases = gvU_realloc(cases, (size_t)(ncases + 1) * sizeof *cases);
        cases[ncases++] = c;
    }
    if (muni >= 0) gvR_totals_sum(v, muni, cases, ncases);
    if (country >= 0) gvR_totals_sum(v, country, munis, nmunis);
    free(cases), free(munis), free(muni_key), free(country_key);
    return stepped;
}

/* Secondary suppression of the value section: a case whose value would
** give a hidden count back is hidden, and the municipality and country
** totals over it, so that it cannot be computed from them and the other
** cases; the totals hidden so go to temp.gvr_case. */
static gv_status gvR_protect_totals(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r,
                                "SELECT m.country, m.code, v.case_id, v.present_value,"
                                " EXISTS (SELECT 1 FROM temp.gvr_case h WHERE h.key = v.case_id)"
                                " FROM case_values v JOIN cases c ON c.id = v.case_id"
                                " JOIN municipalities m ON m.code = c.municipality WHERE v.run = ?1"
                                " AND v.error IS NULL AND EXISTS (SELECT 1 FROM temp.gvr_case)"
                                " ORDER BY m.country, m.code, v.case_id",
                                err);
    if (!st) return GV_DATABASE;
    gvR_totals v;
    memset(&v, 0, sizeof v);
    int stepped = gvR_totals_read(&v, st);
    if (stepped == SQLITE_DONE && v.t.n > 0) {
        gvR_secondary(&v.t);
        sqlite3_stmt *insert = NULL;
        if (sqlite3_prepare_v2(r->db,
                               "INSERT OR IGNORE INTO temp.gvr_case VALUES (?1, 'secondary')", -1,
                               &insert, NULL) != SQLITE_OK)
            stepped = SQLITE_ERROR;
        for (int i = 0; stepped == SQLITE_DONE && i < v.t.n; i++) {
            if (v.t.cells[i].hidden != 2) continue;
            sqlite3_reset(insert);
            sqlite3_bind_text(insert, 1, v.keys[i], -1, SQLITE_STATIC);
            if (sqlite3_step(insert) != SQLITE_DONE) stepped = SQLITE_ERROR;
        }
        sqlite3_finalize(insert);
    }
    for (int i = 0; i < v.t.n; i++)
        free(v.keys[i]);
    free(v.keys);
    gvR_table_free(&v.t);
    return gvR_done(r, st, stepped, err);
}

/* ------------------------------------------------------ periods that nest */

/* Does some period of the run hold another (a year its quarters)?  Only
** then can the rules over periods hide anything: a sum needs a period and
** its parts, and a derived value is hidden beside a hidden part of it.
** Runs of years alone (the common case) skip both passes.  -1 on error. */
static int gvR_periods_nest(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r, "SELECT DISTINCT period FROM results WHERE run = ?1", err);
    if (!st) return -1;
    gv_period *p = NULL;
    int n = 0, cap = 0, nest = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            p = gvU_realloc(p, (size_t)cap * sizeof *p);
        }
        if (gvP_parse(gvR_text(st, 0), &p[n]) == 0) n++;
    }
    for (int i = 0; i < n && !nest; i++)
        for (int k = 0; k < n && !nest; k++)
            nest = k != i && gvP_contains(&p[i], &p[k]);
    free(p);
    if (gvR_done(r, st, stepped, err) != GV_OK) return -1;
    return nest;
}

/* ------------------------------------------------------------- decisions */

/* clang-format off */
static const char gvR_privacy_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS gvr_hidden (indicator TEXT, case_id TEXT, period TEXT,"
    " rule TEXT, PRIMARY KEY (indicator, case_id, period)) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS gvr_valued (case_id TEXT, gain TEXT, rule TEXT,"
    " PRIMARY KEY (case_id, gain)) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS gvr_case (key TEXT PRIMARY KEY, rule TEXT) WITHOUT ROWID;"
    "DELETE FROM temp.gvr_hidden; DELETE FROM temp.gvr_valued; DELETE FROM temp.gvr_case;";

/* primary: a small count of persons, or a value made from one (gv_small
   written out, ?2 the threshold: no function call for each value) */
static const char gvR_primary_sql[] =
    "INSERT INTO temp.gvr_hidden SELECT r.indicator, r.case_id, r.period, 'primary'"
    " FROM run_indicators i CROSS JOIN results r ON r.run = i.run AND r.indicator = i.indicator"
    " WHERE i.run = ?1 AND r.value IS NOT NULL AND ((i.unit = 'persons' AND r.value > 0"
    " AND r.value < ?2) OR r.fewest_persons < ?2)";

/* a value made from counts of persons (a share, say) is hidden where a
   count of persons of its case and period is: beside its denominator it
   would give a hidden numerator back.  Only the values of the indicators
   that count no persons are read, and one hidden already (primary, as a
   share made from a small count mostly is) is passed by one look */
static const char gvR_linked_sql[] =
    "INSERT OR IGNORE INTO temp.gvr_hidden SELECT r.indicator, r.case_id, r.period, 'secondary'"
    " FROM run_indicators i CROSS JOIN results r ON r.run = i.run AND r.indicator = i.indicator"
    " WHERE i.run = ?1 AND i.indicator NOT IN (SELECT indicator FROM temp.gvr_persons)"
    " AND r.fewest_persons IS NOT NULL AND r.value IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM temp.gvr_hidden x WHERE x.indicator = r.indicator"
    " AND x.case_id = r.case_id AND x.period = r.period)"
    " AND EXISTS (SELECT 1 FROM temp.gvr_hidden h WHERE h.case_id = r.case_id"
    " AND h.period = r.period AND h.indicator IN (SELECT indicator FROM temp.gvr_persons))";

/* a valued gain whose figures would give a hidden count back: its
   quantity is small, or its actual hidden, or it is a change from a hidden
   baseline, or its target, target_low or target_high is small (the
   scenarios value them); its case's value figures carry it */
static const char gvR_valued_sql[] =
    "INSERT INTO temp.gvr_valued SELECT g.case_id, g.gain, 'primary' FROM run_gains g"
    " WHERE g.run = ?1 AND g.present_value IS NOT NULL"
    " AND " GVR_COUNTS_PERSONS("json_extract(g.plan, '$.indicator')")
    " AND (gv_small(g.quantity, 'persons', NULL) OR EXISTS (SELECT 1 FROM temp.gvr_hidden h"
    " WHERE h.indicator = json_extract(g.plan, '$.indicator') AND h.case_id = g.case_id"
    " AND h.period = g.quantity_period) OR (json_extract(g.plan, '$.quantity_basis') = 'change'"
    " AND gv_small(json_extract(g.plan, '$.baseline'), 'persons', NULL))"
    /* the scenarios value the target, its low and its high: one hidden
       comes back from a scenario's SROI times the investment */
    " OR gv_small(json_extract(g.plan, '$.target'), 'persons', NULL)"
    " OR gv_small(json_extract(g.plan, '$.target_low'), 'persons', NULL)"
    " OR gv_small(json_extract(g.plan, '$.target_high'), 'persons', NULL));"
    "INSERT INTO temp.gvr_case SELECT DISTINCT case_id, 'primary' FROM temp.gvr_valued";
/* clang-format on */

static gv_status gvR_step_sql(gv_report *r, const char *sql, char **err) {
    while (sql && *sql) {
        sqlite3_stmt *st;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(r->db, sql, -1, &st, &tail) != SQLITE_OK) {
            *err = gvD_errmsg(r->db, "cannot read the run");
            return GV_DATABASE;
        }
        if (!st) break;
        sqlite3_bind_int64(st, 1, r->run);
        if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_double(st, 2, r->suppress_below);
        gv_status rc = gvR_done(r, st, sqlite3_step(st), err);
        if (rc != GV_OK) return rc;
        sql = tail;
    }
    return GV_OK;
}

gv_status gvR_protect(gv_report *r, char **err) {
    if (gvD_exec(r->db, gvR_privacy_sql, err) < 0) return GV_DATABASE;
    if (r->suppress_below <= 0) return GV_OK;
    gv_status rc = gvR_step_sql(r, gvR_primary_sql, err);
    int nest = rc == GV_OK ? gvR_periods_nest(r, err) : 0;
    if (nest < 0) rc = GV_DATABASE;
    if (rc == GV_OK && nest) rc = gvR_protect_periods(r, err);
    if (rc == GV_OK) rc = gvR_step_sql(r, gvR_linked_sql, err);
    if (rc == GV_OK && nest) rc = gvR_protect_derived(r, err);
    if (rc == GV_OK) rc = gvR_step_sql(r, gvR_valued_sql, err);
    if (rc == GV_OK) rc = gvR_protect_totals(r, err);
    return rc;
}

char *gvR_hidden_note(gv_report *r, char **err) {
    *err = NULL;
    sqlite3_stmt *st = gvR_rows(r,
                                "SELECT EXISTS (SELECT 1 FROM temp.gvr_hidden) OR EXISTS (SELECT 1"
                                " FROM temp.gvr_case) OR EXISTS (SELECT 1 FROM gain_results r"
                                " JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
                                " WHERE r.run = ?1 AND " GVR_ANY_HIDDEN ")",
                                err);
    if (!st) return NULL;
    int stepped = sqlite3_step(st), any = stepped == SQLITE_ROW && sqlite3_column_int(st, 0);
    if (stepped == SQLITE_ROW) stepped = SQLITE_DONE;
    if (gvR_done(r, st, stepped, err) != GV_OK || !any) return NULL;
    char below[32];
    gvT_number(r->lang, r->suppress_below, 0, 0, below, sizeof below);
    return gvU_mprintf("%s %s %s", gvT(r->lang, "hidden: fewer than"), below,
                       gvT(r->lang, "persons, or a figure such a count could be computed from "
                                    "(privacy)"));
}
