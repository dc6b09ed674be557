/*
** gv_value.h -- gains and their value: realisation against the plan, money
** across currencies and price years, social return on investment (SROI)
** and its sensitivity.  The formulas are in docs/methodology.md.
*/
#ifndef GV_VALUE_H
#define GV_VALUE_H

#include <sqlite3.h>

#include "gevinst/gevinst.h"
#include "gv_config.h"

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
** the missing rate or index. */
typedef struct gvV_money gvV_money;
gvV_money *gvV_money_new(const gevinst_config *cfg, sqlite3 *db, long long run);
void gvV_money_free(gvV_money *m);
int gvV_convert(gvV_money *m, double amount, const char *currency, int price_year, double *out,
                char **err);

/* The gains written in the config, checked as an imported gains file is,
** into the connection's temp.config_gains; returns the number refused (each
** reported to diag as FILE:LINE: message), or -1. */
int gvI_config_gains(sqlite3 *db, const gevinst_config *cfg, gevinst_diag *diag);

/* --------------------------------------------------------------- the run */

/* Evaluate the realisation plan and its value for a run whose indicator
** results are stored; store gain_results, run_gains, case_values,
** value_splits, sensitivity.  Problems with single gains go to diag and
** their rows; returns the number of problems, or -1 with *err when the
** database fails. */
int gvV_run(sqlite3 *db, const gevinst_config *cfg, long long run, gevinst_diag *diag, char **err);

/* Print a run's gains and value (gv_report.c): for JSON the ",\"gains\": ...,
** \"value\": ..." members, for text readable tables, for CSV nothing. */
int gvR_print_plan(sqlite3 *db, long long run, gevinst_format fmt, const char *lang, FILE *out,
                   char **err);
/* One of a run's tables -- "results", "gains" or "value" -- as tidy CSV;
** excel: the dialect Nordic Excel opens (BOM, ';', decimal comma, CR LF),
** or with lang "en" English Excel's (BOM, ',', '.', CR LF). */
int gvR_print_csv(sqlite3 *db, long long run, const char *table, int excel, const char *lang,
                  FILE *out, char **err);

/* Colour for a person at a terminal: out is one, and NO_COLOR is not set. */
int gvR_colour(FILE *out);
/* The ANSI colour of a status ("achieved", "error", ...), or "". */
const char *gvR_status_colour(const char *status);

/* Values too small to publish (counts of persons under `below`, and what
** is derived from them) are shown as "<below" by every printer on db; 0
** shows all.  Registers gv_small() and gv_below() on db. */
void gvR_privacy(sqlite3 *db, double below);
/* The threshold gvR_privacy set last. */
double gvR_privacy_below(void);

/* The result a gain's actual comes from, joined for gv_small. */
#define GVP_GAIN_SOURCE                                                                            \
    " LEFT JOIN results x ON x.run = r.run AND x.case_id = r.case_id AND x.period = r.period"      \
    " AND x.indicator = json_extract(p.plan, '$.indicator')"                                       \
    " LEFT JOIN run_indicators xi ON xi.run = x.run AND xi.indicator = x.indicator"
#define GVP_GAIN_SMALL "gv_small(x.value, xi.unit, x.fewest_persons)"
/* Does an indicator count persons?  Its unit says so; without a unit, it
** does when its values were made from counts of persons. */
#define GVP_COUNTS_PERSONS_OF(unit, run, indicator)                                                \
    "(" unit " = 'persons' OR (coalesce(" unit ", '') = '' AND EXISTS (SELECT 1 FROM results y"    \
    " WHERE y.run = " run " AND y.indicator = " indicator " AND y.fewest_persons IS NOT NULL)))"
/* A plan's number (baseline, target) that is a small count of persons. */
#define GVP_PLAN_SMALL(col)                                                                        \
    "(" GVP_COUNTS_PERSONS_OF("xi.unit", "xi.run", "xi.indicator") " AND gv_small(" col            \
                                                                   ", 'persons', NULL))"
/* Realisation, deviation and the expected value of a gain that counts
** persons, with baseline and target, would give a small baseline or target
** back: they are hidden with it. */
#define GVP_PLAN_HIDDEN_WHEN                                                                       \
    "(" GVP_PLAN_SMALL("json_extract(p.plan, '$.baseline')") " OR " GVP_PLAN_SMALL(                \
        "json_extract(p.plan, '$.target')") ")"
#define GVP_HIDDEN_WHEN "(" GVP_GAIN_SMALL " OR " GVP_PLAN_HIDDEN_WHEN ")"
/* A figure, or `standin` in its place when it is hidden: gv_below() ("<5")
** in tables, NULL in JSON, where a number's place holds a number or null. */
#define GVP_PLAN_SHOWN_AS(col, standin)                                                            \
    "CASE WHEN " GVP_PLAN_SMALL(col) " THEN " standin " ELSE " col " END"
#define GVP_EXPECTED_SHOWN_AS(col, standin)                                                        \
    "CASE WHEN " GVP_PLAN_SMALL(col) " OR " GVP_PLAN_HIDDEN_WHEN " THEN " standin " ELSE " col     \
                                     " END"
#define GVP_SHOWN_AS(col, standin) "CASE WHEN " GVP_GAIN_SMALL " THEN " standin " ELSE " col " END"
#define GVP_HIDDEN_AS(col, standin)                                                                \
    "CASE WHEN " GVP_HIDDEN_WHEN " THEN " standin " ELSE " col " END"
/* Is any of a gain's figures hidden? */
#define GVP_ANY_HIDDEN "(" GVP_HIDDEN_WHEN " OR " GVP_PLAN_SMALL("r.expected_value") ")"
#define GVP_PLAN_SHOWN(col) GVP_PLAN_SHOWN_AS(col, "gv_below()")
#define GVP_EXPECTED_SHOWN(col) GVP_EXPECTED_SHOWN_AS(col, "gv_below()")
#define GVP_SHOWN(col) GVP_SHOWN_AS(col, "gv_below()")
#define GVP_HIDDEN(col) GVP_HIDDEN_AS(col, "gv_below()")

/* A run as one self-contained HTML page (gv_html.c); lang "nb", "da" or
** "en" (NULL: en); label, when given, stands on every page. */
int gvR_print_html(sqlite3 *db, long long run, const char *lang, const char *label, FILE *out,
                   char **err);

#endif
