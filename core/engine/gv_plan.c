/*
** gv_plan.c -- the realisation plan of a run (see gv_engine.h and
** docs/methodology.md): money across currencies and price years, each
** gain against its plan in every period, and the value of each case's
** gains, computed from the run's stored indicator results and stored
** with the run.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/gv_engine.h"
#include "store/gv_store.h"

/* ------------------------------------------------------------------ money */

struct gvV_money {
    const gv_money_cfg *cfg;
    sqlite3 *db;
    long long run;
    sqlite3_stmt *record;
};

gvV_money *gvV_money_new(const gv_config *cfg, sqlite3 *db, long long run) {
    gvV_money *m = gvU_malloc(sizeof *m);
    m->cfg = &cfg->money;
    m->db = db;
    m->run = run;
    m->record = NULL;
    if (db)
        sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO run_conversions (run, currency, price_year, rate,"
                           " cpi_from, cpi_to, factor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &m->record, NULL);
    return m;
}

void gvV_money_free(gvV_money *m) {
    if (!m) return;
    sqlite3_finalize(m->record);
    free(m);
}

/* The index of currency in year, or NaN. */
static double gvV_cpi(const gv_money_cfg *c, const char *currency, int year) {
    for (int i = 0; i < c->ncpi; i++)
        if (strcmp(c->cpi_currency[i], currency) == 0) {
            int k = year - c->cpi_from[i];
            return k >= 0 && k < c->cpi_n[i] ? c->cpi[i][k] : NAN;
        }
    return NAN;
}

int gvV_convert(gvV_money *m, double amount, const char *currency, int price_year, double *out,
                char **err) {
    const gv_money_cfg *c = m->cfg;
    if (!c->given) {
        *err = gvU_strdup("no money settings in the config: give money = { currency = ...; "
                          "price_year = ...; }");
        return -1;
    }
    if (!currency || !*currency) {
        *err = gvU_strdup("an amount without a currency");
        return -1;
    }
    double rate = 1, cpi_from = NAN, cpi_to = NAN, factor;
    if (strcmp(currency, c->currency) != 0) {
        int i = 0;
        while (i < c->nrates && strcmp(c->rate_currency[i], currency) != 0)
            i++;
        if (i == c->nrates) {
            *err = gvU_mprintf("no exchange rate for %s: set money.rates.%s (%s per %s)", currency,
                               currency, c->currency, currency);
            return -1;
        }
        rate = c->rate[i];
    }
    factor = rate;
    if (price_year != c->price_year) {
        /* prices move within the amount's own currency, then it is converted */
        cpi_from = gvV_cpi(c, currency, price_year);
        cpi_to = gvV_cpi(c, currency, c->price_year);
        if (isnan(cpi_from) || isnan(cpi_to)) {
            *err = gvU_mprintf("no consumer price index for %s in %d: set money.cpi.%s = { from = "
                               "...; index = [...]; } to cover it",
                               currency, isnan(cpi_from) ? price_year : c->price_year, currency);
            return -1;
        }
        factor = rate * cpi_to / cpi_from;
    }
    *out = amount * factor;
    if (m->db && !m->record) { /* it could not be prepared: the run would not say */
        *err = gvD_errmsg(m->db, "cannot store the conversion");
        return -2;
    }
    if (m->record) {
        sqlite3_reset(m->record);
        sqlite3_bind_int64(m->record, 1, m->run);
        sqlite3_bind_text(m->record, 2, currency, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(m->record, 3, price_year);
        sqlite3_bind_double(m->record, 4, rate);
        if (isnan(cpi_from))
            sqlite3_bind_null(m->record, 5), sqlite3_bind_null(m->record, 6);
        else
            sqlite3_bind_double(m->record, 5, cpi_from), sqlite3_bind_double(m->record, 6, cpi_to);
        sqlite3_bind_double(m->record, 7, factor);
        if (sqlite3_step(m->record) != SQLITE_DONE) {
            *err = gvD_errmsg(m->db, "cannot store the conversion");
            return -2;
        }
    }
    return 0;
}

/* --------------------------------------------------------------- the run */

typedef struct gvV_gain {
    char *source, *case_id, *gain, *indicator, *beneficiary, *currency, *plan, *basis;
    double baseline, target, target_low, target_high, proxy;
    int has_low, has_high, has_proxy, price_year;
    gv_period baseline_period, target_period;
    gvV_outcome outcome;
    int has_quantity;
    char *quantity_period;
    const char *left_out; /* a later period SROI passed over as partial */
    int skipped;          /* its indicator is not in this config: not part of this run */
    int valued;           /* its value is part of the case's */
    double pv;            /* its present value then */
    char *error;
} gvV_gain;

static void gvV_gain_free(gvV_gain *g) {
    free(g->source), free(g->case_id), free(g->gain), free(g->indicator);
    free(g->beneficiary), free(g->currency), free(g->plan), free(g->basis);
    free(g->quantity_period), free(g->error);
}

static char *gvV_text(sqlite3_stmt *st, int i) {
    return gvU_strdup((const char *)sqlite3_column_text(st, i));
}

/* The plan: the database's gains and the config's, each as a row. */
static const char gvV_gains_sql[] =
    "SELECT source, case_id, gain, indicator, beneficiary, baseline, baseline_period, target,"
    " target_period, target_low, target_high, quantity_basis, proxy_value, currency, price_year,"
    " deadweight, attribution, displacement, drop_off, duration_years,"
    " json_object('case', case_id, 'gain', gain, 'indicator', indicator, 'description',"
    "  description, 'type', type, 'beneficiary', beneficiary, 'owner', owner, 'baseline',"
    "  baseline, 'baseline_period', baseline_period, 'target', target, 'target_period',"
    "  target_period, 'target_low', target_low, 'target_high', target_high, 'quantity_basis',"
    "  quantity_basis, 'proxy_value', proxy_value, 'currency', currency, 'price_year',"
    "  price_year, 'deadweight', deadweight, 'attribution', attribution, 'displacement',"
    "  displacement, 'drop_off', drop_off, 'duration_years', duration_years, 'assumptions',"
    "  assumptions)"
    " FROM (SELECT 'database' AS source, * FROM main.gains"
    "       UNION ALL SELECT 'config', * FROM temp.config_gains)"
    " ORDER BY case_id, gain, source DESC";

static int gvV_load_gains(sqlite3 *db, gvV_gain **out, int *n, char **err) {
    sqlite3_stmt *st;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, gvV_gains_sql, -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "cannot read gains");
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = gvU_realloc(*out, (size_t)(*n + 1) * sizeof **out);
        gvV_gain *g = &(*out)[(*n)++];
        memset(g, 0, sizeof *g);
        g->source = gvV_text(st, 0);
        g->case_id = gvV_text(st, 1);
        g->gain = gvV_text(st, 2);
        g->indicator = gvV_text(st, 3);
        g->beneficiary = gvV_text(st, 4);
        g->baseline = sqlite3_column_double(st, 5);
        gvP_parse((const char *)sqlite3_column_text(st, 6), &g->baseline_period);
        g->target = sqlite3_column_double(st, 7);
        gvP_parse((const char *)sqlite3_column_text(st, 8), &g->target_period);
        g->has_low = sqlite3_column_type(st, 9) != SQLITE_NULL;
        g->target_low = sqlite3_column_double(st, 9);
        g->has_high = sqlite3_column_type(st, 10) != SQLITE_NULL;
        g->target_high = sqlite3_column_double(st, 10);
        g->basis = gvV_text(st, 11);
        g->has_proxy = sqlite3_column_type(st, 12) != SQLITE_NULL;
        g->proxy = sqlite3_column_double(st, 12);
        g->currency = gvV_text(st, 13);
        g->price_year = sqlite3_column_int(st, 14);
        g->outcome.deadweight = sqlite3_column_double(st, 15);
        g->outcome.attribution = sqlite3_column_double(st, 16);
        g->outcome.displacement = sqlite3_column_double(st, 17);
        g->outcome.drop_off = sqlite3_column_double(st, 18);
        g->outcome.duration = sqlite3_column_int(st, 19);
        g->plan = gvV_text(st, 20);
        /* the same gain in the database and the config: which is meant? */
        if (*n > 1) {
            gvV_gain *prev = &(*out)[*n - 2];
            if (strcmp(prev->case_id, g->case_id) == 0 && strcmp(prev->gain, g->gain) == 0)
                g->error = gvU_mprintf("gain '%s' of case '%s' is both in the database and in "
                                       "the config; keep one",
                                       g->gain, g->case_id);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        *err = gvD_errmsg(db, "cannot read gains");
        return -1;
    }
    return 0;
}

/* The outcome quantity a value of the gain stands for: the value itself,
** or its change from the baseline in the direction of the target. */
static double gvV_quantity(const gvV_gain *g, double value) {
    if (strcmp(g->basis, "change") != 0) return value;
    return (value - g->baseline) * (g->target >= g->baseline ? 1 : -1);
}

typedef struct gvV_ctx {
    sqlite3 *db;
    const gv_config *cfg;
    long long run;
    gv_diag *diag;
    sqlite3_stmt *actual, *store_result, *store_gain;
    int problems;
    long incomplete; /* rows judged incomplete: the run says how many */
} gvV_ctx;

static int gvV_stored(gvV_ctx *x, sqlite3_stmt *st, char **err) {
    if (sqlite3_step(st) != SQLITE_DONE) {
        *err = gvD_errmsg(x->db, "cannot store gains");
        return -1;
    }
    return 0;
}

static void gvV_bind_number(sqlite3_stmt *st, int i, double v, int has) {
    if (has && isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* "a year", "a quarter": the length of a kind of period, for messages. */
static const char *gvV_length(gv_period_kind kind) {
    static const char *const names[] = {"a year", "a quarter", "a month", "a day"};
    return names[kind];
}

/* A gain compares like with like: a period of another length than its
** baseline's is refused, as a row in error, and said once (diag).  1 when
** `at` is refused. */
static int gvV_unlike(gvV_ctx *x, const gvV_gain *g, const gv_period *at, int *said, char **why) {
    if (at->kind == g->baseline_period.kind) return 0;
    *why = gvU_mprintf("period %s is %s and the baseline %s %s: a gain compares like with like",
                       at->text, gvV_length(at->kind), g->baseline_period.text,
                       gvV_length(g->baseline_period.kind));
    if (!*said) {
        gvU_diag_add(x->diag,
                     "gain '%s' of case '%s': its baseline %s is %s, so it is evaluated in "
                     "periods of %s only; %s and any other period of another length are errors",
                     g->gain, g->case_id, g->baseline_period.text,
                     gvV_length(g->baseline_period.kind), gvV_length(g->baseline_period.kind),
                     at->text);
        x->problems++;
        *said = 1;
    }
    return 1;
}

/* The gain's actual in period at, and how much of it its data cover (NaN:
** not known): 1 when there is one, 0 when not, -1 with *err. */
static int gvV_actual(gvV_ctx *x, const gvV_gain *g, const gv_period *at, double *actual,
                      double *coverage, char **err) {
    sqlite3_stmt *a = x->actual;
    sqlite3_reset(a);
    sqlite3_bind_int64(a, 1, x->run);
    sqlite3_bind_text(a, 2, g->indicator, -1, SQLITE_STATIC);
    sqlite3_bind_text(a, 3, g->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(a, 4, at->text, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(a);
    if (stepped != SQLITE_ROW && stepped != SQLITE_DONE) {
        *err = gvD_errmsg(x->db, "cannot read results");
        return -1;
    }
    int has = stepped == SQLITE_ROW && sqlite3_column_type(a, 0) != SQLITE_NULL;
    *actual = has ? sqlite3_column_double(a, 0) : 0;
    *coverage = has && sqlite3_column_type(a, 1) != SQLITE_NULL ? sqlite3_column_double(a, 1) : NAN;
    return has;
}

/* Does one `allow_partial` name, GAIN or CASE/GAIN, name this gain? */
static int gvV_names_gain(const char *name, const gvV_gain *g) {
    const char *slash = strchr(name, '/');
    if (!slash) return strcmp(name, g->gain) == 0;
    size_t n = (size_t)(slash - name);
    return strncmp(name, g->case_id, n) == 0 && g->case_id[n] == '\0' &&
           strcmp(slash + 1, g->gain) == 0;
}

/* Does the config let this gain be judged on a partial period? */
static int gvV_partial_allowed(const gv_config *cfg, const gvV_gain *g) {
    for (int i = 0; i < cfg->nallow_partial; i++)
        if (gvV_names_gain(cfg->allow_partial[i], g)) return 1;
    return 0;
}

/* Is period `at` later than `best`, SROI's latest measurement so far? */
static int gvV_later(const gv_period *at, const gv_period *best) {
    return !best || strcmp(at->end, best->end) > 0 ||
           (strcmp(at->end, best->end) == 0 && strcmp(at->start, best->start) < 0);
}

/* What the gain should be by the end of a period, expected % of the way. */
static double gvV_expected_value(const gvV_gain *g, double expected) {
    return g->baseline + expected / 100 * (g->target - g->baseline);
}

/* The row of a measured period: realisation and status; an actual from a
** partial period is 'incomplete', not judged, unless the config allows
** it.  1 when SROI may value it. */
static int gvV_measured(gvV_ctx *x, const gvV_gain *g, const gv_period *at, double actual,
                        double coverage, double expected) {
    sqlite3_stmt *st = x->store_result;
    sqlite3_bind_double(st, 5, actual);
    if (!isnan(coverage)) sqlite3_bind_double(st, 12, coverage);
    if (coverage < 1 && !gvV_partial_allowed(x->cfg, g)) {
        sqlite3_bind_text(st, 10, "incomplete", -1, SQLITE_STATIC);
        x->incomplete++;
        return 0;
    }
    double realisation = gvV_realisation_pct(actual, g->baseline, g->target);
    double expected_value = gvV_expected_value(g, expected);
    sqlite3_bind_double(st, 6, realisation);
    sqlite3_bind_double(st, 9, actual - expected_value);
    sqlite3_bind_text(st, 10, gvV_status(realisation, expected, &g->target_period, at), -1,
                      SQLITE_STATIC);
    return 1;
}

/* One gain: its result in every period, and the quantity SROI values. */
static int gvV_gain_run(gvV_ctx *x, gvV_gain *g, char **err) {
    const gv_config *cfg = x->cfg;
    if (g->skipped) return 0;
    if (!g->error && g->target == g->baseline)
        g->error = gvU_mprintf("gain '%s' of case '%s': target equals baseline (%g), so "
                               "realisation cannot be measured",
                               g->gain, g->case_id, g->baseline);
    if (g->error) {
        gvU_diag_add(x->diag, "%s", g->error);
        x->problems++;
    }
    const gv_period *best = NULL, *partial = NULL;
    double best_value = 0;
    int unlike_said = 0;
    for (int p = 0; p < cfg->nperiods; p++) {
        const gv_period *at = &cfg->periods[p];
        sqlite3_stmt *st = x->store_result;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        sqlite3_bind_int64(st, 1, x->run);
        sqlite3_bind_text(st, 2, g->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, g->gain, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, at->text, -1, SQLITE_STATIC);
        char *unlike = NULL;
        if (g->error || (!g->error && gvV_unlike(x, g, at, &unlike_said, &unlike))) {
            sqlite3_bind_text(st, 10, "error", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 11, g->error ? g->error : unlike, -1, SQLITE_TRANSIENT);
            free(unlike);
            if (gvV_stored(x, st, err) < 0) return -1;
            continue;
        }
        double actual, coverage;
        int has = gvV_actual(x, g, at, &actual, &coverage, err);
        if (has < 0) return -1;
        double expected = gvV_expected_pct(&g->baseline_period, &g->target_period, at);
        sqlite3_bind_double(st, 7, expected);
        sqlite3_bind_double(st, 8, gvV_expected_value(g, expected));
        int not_after_target = strcmp(at->end, g->target_period.end) <= 0;
        if (!has) {
            sqlite3_bind_text(st, 10, "no_data", -1, SQLITE_STATIC);
        } else if (gvV_measured(x, g, at, actual, coverage, expected)) {
            /* SROI values the latest measurement not after the target */
            if (not_after_target && gvV_later(at, best)) best = at, best_value = actual;
        } else if (not_after_target && gvV_later(at, partial)) {
            partial = at;
        }
        if (gvV_stored(x, st, err) < 0) return -1;
    }
    if (best && !g->error) {
        g->has_quantity = 1;
        g->outcome.quantity = gvV_quantity(g, best_value);
        g->quantity_period = gvU_strdup(best->text);
    }
    /* a later period passed over as partial: reports say why */
    if (partial && !g->error && gvV_later(partial, best)) g->left_out = partial->text;
    return 0;
}

/* The case's investment: its inputs in money, converted. */
static int gvV_investment(gvV_ctx *x, gvV_money *money, const char *case_id, double *out,
                          char **why, char **err) {
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(x->db,
                           "SELECT kind, currency, CAST(substr(period_start, 1, 4) AS INTEGER),"
                           " total(amount) FROM inputs WHERE case_id = ?1"
                           " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(x->db, "cannot read inputs");
        return -1;
    }
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc;
    while (!*why && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        const char *currency = (const char *)sqlite3_column_text(st, 1);
        double amount = sqlite3_column_double(st, 3), money_value;
        if (strcmp(kind, "volunteer_hours") == 0) {
            if (isnan(x->cfg->money.volunteer_wage))
                *why = gvU_strdup("volunteer hours are part of the investment: set "
                                  "money.volunteer_wage (per hour, in money.currency at "
                                  "money.price_year)");
            else
                *out += amount * x->cfg->money.volunteer_wage;
            continue;
        }
        char *e = NULL;
        int converted =
            gvV_convert(money, amount, currency, sqlite3_column_int(st, 2), &money_value, &e);
        if (converted == -2) { /* the database's failure, not the plan's */
            *err = e;
            sqlite3_finalize(st);
            return -1;
        }
        if (converted < 0) {
            *why = gvU_mprintf("%s inputs: %s", kind, e);
            free(e);
            continue;
        }
        *out += money_value;
    }
    /* an inputs table read only in part would understate the investment */
    if (!*why && rc != SQLITE_DONE) {
        *err = gvD_errmsg(x->db, "cannot read inputs");
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

static double gvV_discount_rate(const gv_config *cfg, const char *country, char **why) {
    const gv_money_cfg *m = &cfg->money;
    for (int i = 0; i < m->ndiscount; i++)
        if (country && strcmp(m->discount_country[i], country) == 0) return m->discount_rate[i];
    /* Norway's Ministry of Finance: 4 % real (circular R-109) */
    if (country && strcmp(country, "NO") == 0) return 0.04;
    *why = gvU_mprintf("no discount rate for country %s: set money.discount_rates.%s",
                       country ? country : "(none)", country ? country : "XX");
    return NAN;
}

static int gvV_store_split(gvV_ctx *x, const char *case_id, const char *dimension, const char *name,
                           double pv, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(x->db,
                           "INSERT INTO value_splits (run, case_id, dimension, name, present_value)"
                           " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET"
                           " present_value = present_value + excluded.present_value",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(x->db, "cannot store value");
        return -1;
    }
    sqlite3_bind_int64(st, 1, x->run);
    sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, dimension, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, pv);
    int rc = gvV_stored(x, st, err);
    sqlite3_finalize(st);
    return rc;
}

/* The value split by the partner types that claim shares of a gain; what no
** partner claims stays "unclaimed". */
static int gvV_split_partners(gvV_ctx *x, const gvV_gain *g, double pv, char **err) {
    sqlite3_stmt *st;
    double claimed = 0;
    if (sqlite3_prepare_v2(x->db,
                           "SELECT p.type, sum(s.share) FROM gain_shares s JOIN partners p"
                           " ON p.case_id = s.case_id AND p.name = s.partner"
                           " WHERE s.case_id = ?1 AND s.gain = ?2 GROUP BY p.type ORDER BY p.type",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(x->db, "cannot read gain shares");
        return -1;
    }
    sqlite3_bind_text(st, 1, g->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, g->gain, -1, SQLITE_STATIC);
    int rc = 0, stepped = SQLITE_DONE;
    while (rc == 0 && (stepped = sqlite3_step(st)) == SQLITE_ROW) {
        double share = sqlite3_column_double(st, 1);
        claimed += share;
        rc = gvV_store_split(x, g->case_id, "partner_type",
                             (const char *)sqlite3_column_text(st, 0), pv * share, err);
    }
    if (rc == 0 && stepped != SQLITE_DONE) {
        *err = gvD_errmsg(x->db, "cannot read gain shares");
        rc = -1;
    }
    sqlite3_finalize(st);
    if (rc == 0 && claimed < 1 - 1e-12)
        rc = gvV_store_split(x, g->case_id, "partner_type", "unclaimed", pv * (1 - claimed), err);
    return rc;
}

/* Scenario quantities: every valued gain at its low, likely or high target. */
static double gvV_scenario(const gvV_outcome *o, gvV_gain *const *g, int n, double investment,
                           double rate, int which) {
    gvV_outcome *c = gvU_malloc((size_t)(n ? n : 1) * sizeof *c);
    for (int i = 0; i < n; i++) {
        double t = which < 0 && g[i]->has_low    ? g[i]->target_low
                   : which > 0 && g[i]->has_high ? g[i]->target_high
                                                 : g[i]->target;
        c[i] = o[i];
        c[i].quantity = gvV_quantity(g[i], t);
    }
    gvV_sroi s;
    gvV_sroi_of(c, n, investment, rate, &s);
    free(c);
    return s.sroi;
}

/* The country of a case (its municipality's) in *country, NULL when it
** has none; 0, or -1 with *err when the database fails. */
static int gvV_case_country(gvV_ctx *x, const char *case_id, char **country, char **err) {
    sqlite3_stmt *st;
    *country = NULL;
    if (sqlite3_prepare_v2(x->db,
                           "SELECT m.country FROM cases c JOIN municipalities m"
                           " ON m.code = c.municipality WHERE c.id = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(x->db, "cannot read cases");
        return -1;
    }
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW) *country = gvV_text(st, 0);
    sqlite3_finalize(st);
    if (stepped == SQLITE_ROW || stepped == SQLITE_DONE) return 0;
    *err = gvD_errmsg(x->db, "cannot read cases");
    return -1;
}

/* A case's gains valued in money: each one's proxy converted, and those
** with a quantity into o and valued (returns how many); *why when one
** cannot be; -1 with *err when the database fails. */
static int gvV_case_outcomes(gvV_money *money, gvV_gain *gains, int from, int to, gvV_outcome *o,
                             gvV_gain **valued, char **why, char **err) {
    int n = 0;
    for (int i = from; i < to && !*why; i++) {
        gvV_gain *g = &gains[i];
        if (!g->has_proxy || g->error || g->skipped) continue;
        char *e = NULL;
        int converted =
            gvV_convert(money, g->proxy, g->currency, g->price_year, &g->outcome.proxy, &e);
        if (converted == -2) {
            *err = e;
            return -1;
        }
        if (converted < 0) {
            *why = gvU_mprintf("gain '%s': proxy_value: %s", g->gain, e);
            free(e);
            break;
        }
        if (!g->has_quantity) continue; /* no measurement yet: nothing to value */
        o[n] = g->outcome;
        valued[n++] = g;
    }
    return n;
}

/* One case's value, or why it has none, in case_values. */
static int gvV_store_case_value(gvV_ctx *x, const char *case_id, const char *why,
                                const gvV_outcome *o, gvV_gain *const *valued, int n,
                                double investment, double rate, char **err) {
    const gv_config *cfg = x->cfg;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(x->db,
                           "INSERT INTO case_values (run, case_id, currency, price_year,"
                           " discount_rate, investment, impact_year1, present_value, npv, sroi,"
                           " sroi_net, payback_months, sroi_pessimistic, sroi_likely,"
                           " sroi_optimistic, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                           " ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(x->db, "cannot store value");
        return -1;
    }
    sqlite3_bind_int64(st, 1, x->run);
    sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, cfg->money.currency ? cfg->money.currency : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, cfg->money.price_year);
    if (why) {
        sqlite3_bind_text(st, 16, why, -1, SQLITE_STATIC);
    } else {
        gvV_sroi s;
        gvV_sroi_of(o, n, investment, rate, &s);
        sqlite3_bind_double(st, 5, rate);
        sqlite3_bind_double(st, 6, investment);
        sqlite3_bind_double(st, 7, s.impact_year1);
        sqlite3_bind_double(st, 8, s.present_value);
        sqlite3_bind_double(st, 9, s.npv);
        gvV_bind_number(st, 10, s.sroi, 1);
        gvV_bind_number(st, 11, s.sroi_net, 1);
        gvV_bind_number(st, 12, s.payback_months, 1);
        gvV_bind_number(st, 13, gvV_scenario(o, valued, n, investment, rate, -1), 1);
        gvV_bind_number(st, 14, gvV_scenario(o, valued, n, investment, rate, 0), 1);
        gvV_bind_number(st, 15, gvV_scenario(o, valued, n, investment, rate, 1), 1);
        if (investment <= 0)
            sqlite3_bind_text(st, 16, "no investment recorded: no ratio", -1, SQLITE_STATIC);
    }
    int rc = gvV_stored(x, st, err);
    sqlite3_finalize(st);
    return rc;
}

/* One case's sensitivity, one assumption at a time. */
static int gvV_store_sensitivity(gvV_ctx *x, const char *case_id, const gvV_outcome *o, int n,
                                 double investment, double rate, char **err) {
    gvV_sensitivity sens[GVV_NASSUMPTIONS];
    gvV_sensitivity_of(o, n, investment, rate, x->cfg->money.sensitivity_range, sens);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(x->db,
                           "INSERT INTO sensitivity (run, case_id, assumption, low, sroi_low,"
                           " high, sroi_high, break_even) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(x->db, "cannot store sensitivity");
        return -1;
    }
    int rc = 0;
    for (int a = 0; a < GVV_NASSUMPTIONS && rc == 0; a++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, x->run);
        sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, gvV_assumption_names[a], -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 4, sens[a].low);
        gvV_bind_number(st, 5, sens[a].sroi_low, 1);
        sqlite3_bind_double(st, 6, sens[a].high);
        gvV_bind_number(st, 7, sens[a].sroi_high, 1);
        gvV_bind_number(st, 8, sens[a].break_even, 1);
        rc = gvV_stored(x, st, err);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The value of one case's gains. */
static int gvV_case_run(gvV_ctx *x, gvV_money *money, gvV_gain *gains, int from, int to,
                        char **err) {
    const char *case_id = gains[from].case_id;
    int any_proxy = 0;
    for (int i = from; i < to; i++)
        any_proxy |= gains[i].has_proxy && !gains[i].error && !gains[i].skipped;
    if (!any_proxy) return 0; /* nothing here is valued in money */
    gvV_outcome *o = gvU_malloc((size_t)(to - from) * sizeof *o);
    gvV_gain **valued = gvU_malloc((size_t)(to - from) * sizeof *valued);
    char *why = NULL, *country = NULL;
    int n = 0, rc = gvV_case_country(x, case_id, &country, err);
    double rate = rc ? NAN : gvV_discount_rate(x->cfg, country, &why), investment = 0;
    free(country);
    if (rc == 0 && !why) rc = gvV_investment(x, money, case_id, &investment, &why, err);
    if (rc == 0 && (n = gvV_case_outcomes(money, gains, from, to, o, valued, &why, err)) < 0)
        rc = -1, n = 0;
    /* a value of 0 would read as "no return at all": it is no value */
    if (rc == 0 && !why && n == 0)
        why = gvU_strdup("no gain with a proxy_value has a quantity: none was measured, as a "
                         "whole period of its baseline's length, by its target period");
    if (rc == 0 && why) {
        gvU_diag_add(x->diag, "case '%s': value not computed: %s", case_id, why);
        x->problems++;
    }
    if (rc == 0) rc = gvV_store_case_value(x, case_id, why, o, valued, n, investment, rate, err);
    /* what each gain adds, and the splits */
    for (int i = 0; i < n && rc == 0 && !why; i++) {
        double pv = gvV_present_value(&o[i], rate);
        valued[i]->valued = 1;
        valued[i]->pv = pv;
        rc = gvV_store_split(x, case_id, "beneficiary", valued[i]->beneficiary, pv, err);
        if (rc == 0) rc = gvV_split_partners(x, valued[i], pv, err);
    }
    if (rc == 0 && !why && investment > 0)
        rc = gvV_store_sensitivity(x, case_id, o, n, investment, rate, err);
    free(why);
    free(o);
    free(valued);
    return rc;
}

static int gvV_store_gain(gvV_ctx *x, const gvV_gain *g, char **err) {
    int valued = g->valued;
    sqlite3_stmt *st = x->store_gain;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, x->run);
    sqlite3_bind_text(st, 2, g->case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, g->gain, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, g->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, g->plan, -1, SQLITE_STATIC);
    gvV_bind_number(st, 6, g->outcome.quantity, g->has_quantity);
    sqlite3_bind_text(st, 7, g->quantity_period, -1, SQLITE_STATIC);
    gvV_bind_number(st, 8, g->outcome.proxy, valued);
    gvV_bind_number(st, 9, gvV_impact_year1(&g->outcome), valued);
    gvV_bind_number(st, 10, g->pv, valued);
    sqlite3_bind_text(st, 11, g->error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, g->left_out, -1, SQLITE_STATIC);
    return gvV_stored(x, st, err);
}

/* Each name in `allow_partial` is a gain of this run: a typo would leave
** a gain judged as the operator did not mean. */
static void gvV_check_allowed(gvV_ctx *x, const gvV_gain *gains, int ngains) {
    const gv_config *cfg = x->cfg;
    for (int i = 0; i < cfg->nallow_partial; i++) {
        int found = 0;
        for (int k = 0; k < ngains && !found; k++)
            found = !gains[k].skipped && gvV_names_gain(cfg->allow_partial[i], &gains[k]);
        if (found) continue;
        gvU_diag_add(x->diag,
                     "%s:%d: allow_partial: '%s' is no gain of this run (GAIN or CASE/GAIN)",
                     cfg->allow_partial_file, cfg->allow_partial_line[i], cfg->allow_partial[i]);
        x->problems++;
    }
}

int gvV_run(sqlite3 *db, const gv_config *cfg, long long run, gv_diag *diag, long *incomplete,
            char **err) {
    gvV_ctx x = {db, cfg, run, diag, NULL, NULL, NULL, 0, 0};
    gvV_gain *gains = NULL;
    int ngains = 0, rc = -1;
    gvV_money *money = NULL;
    int refused = gvI_config_gains(db, cfg->file, cfg->gains, cfg->ngains, diag);
    if (refused < 0) {
        *err = gvU_mprintf("%s: cannot read the gains it holds", cfg->file);
        return -1;
    }
    x.problems = refused;
    if (gvV_load_gains(db, &gains, &ngains, err) < 0) return -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT value, coverage FROM results WHERE run = ?1 AND"
                           " indicator = ?2 AND case_id = ?3 AND period = ?4 AND status = 'ok'",
                           -1, &x.actual, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO gain_results (run, case_id, gain, period, actual,"
                           " realisation_pct, expected_pct, expected_value, deviation, status,"
                           " error, coverage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                           " ?11, ?12)",
                           -1, &x.store_result, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            db,
            "INSERT INTO run_gains (run, case_id, gain, source, plan, quantity,"
            " quantity_period, proxy, impact_year1, present_value, error,"
            " left_out_period) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            -1, &x.store_gain, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "cannot store gains");
        goto done;
    }
    /* the same gain twice: report it, keep the database's */
    for (int i = 0; i < ngains; i++)
        if (gains[i].error) {
            gvU_diag_add(diag, "%s", gains[i].error);
            x.problems++;
            gains[i].skipped = 1;
        }
    /* a config that evaluates some indicators evaluates the gains on them */
    gvU_buf skipped = {0};
    int nskipped = 0;
    for (int i = 0; i < ngains; i++) {
        int known = 0;
        for (int k = 0; k < cfg->nindicators; k++)
            known |= strcmp(cfg->indicators[k].id, gains[i].indicator) == 0;
        if (known || gains[i].skipped) continue;
        gains[i].skipped = 1;
        if (!skipped.s || !strstr(skipped.s, gains[i].indicator))
            gvU_buf_printf(&skipped, "%s%s", nskipped ? ", " : "", gains[i].indicator);
        nskipped++;
    }
    if (nskipped)
        gvU_diag_add(diag, "note: %d gain%s not evaluated: this config has no indicator %s",
                     nskipped, nskipped == 1 ? "" : "s", skipped.s);
    free(skipped.s);
    gvV_check_allowed(&x, gains, ngains);
    for (int i = 0; i < ngains; i++)
        if (gvV_gain_run(&x, &gains[i], err) < 0) goto done;
    money = gvV_money_new(cfg, db, run);
    for (int from = 0, to; from < ngains; from = to) {
        for (to = from; to < ngains && strcmp(gains[to].case_id, gains[from].case_id) == 0; to++) {
        }
        if (gvV_case_run(&x, money, gains, from, to, err) < 0) goto done;
    }
    /* each gain's part, now the case's discount rate and proxies are known */
    for (int i = 0; i < ngains; i++)
        if (!gains[i].skipped && gvV_store_gain(&x, &gains[i], err) < 0) goto done;
    rc = x.problems;
    *incomplete = x.incomplete;
done:
    sqlite3_finalize(x.actual);
    sqlite3_finalize(x.store_result);
    sqlite3_finalize(x.store_gain);
    gvV_money_free(money);
    for (int i = 0; i < ngains; i++)
        gvV_gain_free(&gains[i]);
    free(gains);
    return rc;
}
