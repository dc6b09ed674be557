/*
** gv_engine.h -- the engine layer: a run, stored whole, and what it is
** made of.  The arithmetic of gains and their value (gv_value.c: pure, no
** database): realisation against the plan, social return on investment
** (SROI) and its sensitivity; the formulas are in docs/methodology.md.
** Money across currencies and price years, and the realisation plan
** evaluated on a run's results (gv_plan.c).  The run (gv_run.c): every
** indicator for every case and period, stored with its provenance; it
** prints nothing.  Depends on base, store, config and host.
*/
#ifndef GV_ENGINE_H
#define GV_ENGINE_H

#include <sqlite3.h>

#include "host/gv_host.h"

/* ------------------------------------------------------------ realisation */

/* (actual - baseline) / (target - baseline) x 100; target != baseline. */
double gvV_realisation_pct(double actual, double baseline, double target);
/* Share of the way from the end of the baseline period to the end of the
** target period that has passed at the end of `at`, in per cent, 0..100. */
double gvV_expected_pct(const gv_period *baseline, const gv_period *target, const gv_period *at);
/* achieved, missed, on_track or behind. */
const char *gvV_status(double realisation, double expected, const gv_period *target,
                       const gv_period *at);

/* ------------------------------------------------------------------ SROI */

/* One valued outcome: quantity x proxy, the SROI adjustments, duration. */
typedef struct gvV_outcome {
    double quantity, proxy;
    double deadweight, attribution, displacement, drop_off;
    int duration; /* years */
} gvV_outcome;

/* quantity x proxy x (1 - deadweight) x (1 - displacement) x (1 - attribution) */
double gvV_impact_year1(const gvV_outcome *o);
/* sum over t = 1..duration of impact1 x (1 - drop_off)^(t-1) / (1 + rate)^t */
double gvV_present_value(const gvV_outcome *o, double rate);

typedef struct gvV_sroi {
    double impact_year1, present_value, investment, npv;
    double sroi, sroi_net; /* NaN when there is no investment */
    double payback_months; /* NaN when year 1 brings nothing */
} gvV_sroi;
void gvV_sroi_of(const gvV_outcome *o, int n, double investment, double rate, gvV_sroi *out);

/* The ratio as SROI reports print it: "6:1" (whole numbers from 1 up, half
** away from zero), "0.5:1" below 1 (one decimal). */
void gvV_ratio_rounded(double ratio, char out[32]);

/* One-at-a-time sensitivity of the SROI ratio. */
typedef enum {
    GVV_DEADWEIGHT,
    GVV_ATTRIBUTION,
    GVV_DISPLACEMENT,
    GVV_DROP_OFF,
    GVV_DURATION,
    GVV_PROXY,
    GVV_DISCOUNT_RATE,
    GVV_NASSUMPTIONS
} gvV_assumption;
extern const char *const gvV_assumption_names[GVV_NASSUMPTIONS];

typedef struct gvV_sensitivity {
    double low, sroi_low, high, sroi_high; /* low/high: the assumption's value (for the
                                              per-gain ones: the factor applied) */
    double break_even;                     /* the value at which the ratio is 1:1; NaN: never */
} gvV_sensitivity;
/* range: relative change each way (0.5 for +-50 %). */
void gvV_sensitivity_of(const gvV_outcome *o, int n, double investment, double rate, double range,
                        gvV_sensitivity out[GVV_NASSUMPTIONS]);

/* ------------------------------------------------------------------ money */

/* Convert amount in currency at price_year to the config's currency and
** price year: amount x cpi(currency, to) / cpi(currency, from) x rate.
** Records the conversion in the run (run_conversions); -1 with *err naming
** the missing rate or index, -2 with *err when it cannot be recorded. */
typedef struct gvV_money gvV_money;
gvV_money *gvV_money_new(const gv_config *cfg, sqlite3 *db, long long run);
void gvV_money_free(gvV_money *m);
int gvV_convert(gvV_money *m, double amount, const char *currency, int price_year, double *out,
                char **err);

/* --------------------------------------------------------------- the plan */

/* Evaluate the realisation plan and its value for a run whose indicator
** results are stored; store gain_results, run_gains, case_values,
** value_splits, sensitivity.  Problems with single gains go to diag and
** their rows; returns the number of problems, or -1 with *err when the
** database fails. */
int gvV_run(sqlite3 *db, const gv_config *cfg, long long run, gv_diag *diag, long *incomplete,
            char **err);

/* ---------------------------------------------------------------- the run */

/* An indicator ready to evaluate, or the reason it is not. */
typedef struct gvE_indicator {
    const gv_indicator *ind;
    gv_module *m;
    gv_param_value *params;
    int nparams;
    char *error;
} gvE_indicator;

/* Load every module the config names (in child processes for isolated
** ones: this forks) and bind its params; problems go to diag and to each
** indicator's error.  gvE_release frees the array. */
gvE_indicator *gvE_prepare(const gv_config *cfg, gv_load_mode mode, gv_diag *diag);
void gvE_release(gvE_indicator *r, int n);
/* The unit of an indicator's values: the config's, else the module's. */
const char *gvE_unit(const gvE_indicator *r);

/* Load every module and check its params, and the config's gains against
** the database (in a transaction rolled back); each problem to diag.
** Returns the number of problems. */
int gvE_check(const gv_config *cfg, gv_diag *diag);

/* Where a run is: indicator i of n, done of total values (total is 0 when
** not counted), elapsed seconds; finished once, at the end. */
typedef void (*gvE_progress_fn)(void *ud, int indicator, int nindicators, long done, long total,
                                double elapsed, int finished);

/* Evaluate every indicator for every case and period and the plan on
** them, and store it all as one run (all or nothing); the run's number in
** *run_id.  Modules that cannot be loaded, params that are wrong and
** gains that cannot be evaluated go to diag and their rows: GV_PARTIAL.
** GV_NOT_FOUND without the database, GV_DATABASE when it fails, with
** *err.  Forks a child per isolated indicator. */
gv_status gvE_run(const gv_config *cfg, gvE_progress_fn progress, void *ud, long long *run_id,
                  gv_diag *diag, char **err);

#endif
