/*
** gv_writers.h -- what the report layer's writers share: the privacy rules
** as SQL, and reading a run's rows.  Private to core/report/: other layers
** use gv_report.h.
*/
#ifndef GV_WRITERS_H
#define GV_WRITERS_H

#include "report/gv_report.h"

/* --------------------------------------------------------------- privacy */

/* Every statement of a report may use, on r->db (gvR_open registers them):
**   gv_small(value, unit, fewest_persons)  is the value too small to
**       publish: a count of persons under the threshold, or made from one;
**   gv_hidden()  what stands in a hidden figure's place: the word
**       ("skjult", "hidden"), or NULL when r->hidden_null (CSV, JSON);
**   ratio_rounded(x)  SROI's conventional form, "6:1" (gvV_ratio_rounded).
** What is hidden is decided once, by gvR_protect (gv_privacy.c), in temp
** tables the macros below read:
**   gvr_hidden (indicator, case_id, period, rule)  the values hidden;
**   gvr_valued (case_id, gain, rule)  valued gains whose value is hidden;
**   gvr_case (key, rule)  cases whose value figures are hidden, and totals
**       over them ("municipality:CODE", "country:CC").
** rule is 'primary' (a small count, or made from one) or 'secondary'
** (hidden so that no hidden count can be computed from the cells shown). */
gv_status gvR_protect(gv_report *r, char **err);

/* 'hidden' when result `a` (an alias of results) is hidden, else NULL.
** Outputs never say by which rule: a cell marked as a small count beside
** one marked as hidden to protect it would tell which is which, and with
** the sums shown, the count. */
#define GVR_RESULT_RULE(a)                                                                         \
    "(SELECT 'hidden' FROM temp.gvr_hidden h WHERE h.indicator = " a                               \
    ".indicator AND h.case_id = " a ".case_id AND h.period = " a ".period)"
#define GVR_RESULT_HIDDEN(a) "(" GVR_RESULT_RULE(a) " IS NOT NULL)"
/* 'hidden' when a case's value figures, or a total (by its key), are. */
#define GVR_CASE_RULE(key) "(SELECT 'hidden' FROM temp.gvr_case h WHERE h.key = " key ")"
#define GVR_CASE_HIDDEN(key) "(" GVR_CASE_RULE(key) " IS NOT NULL)"

/* A case's value figure (`col` of case_values v, or of a row with
** v.case_id), or a total's (`key`), with gv_hidden() in its place. */
#define GVR_VALUE_SHOWN(col)                                                                       \
    "CASE WHEN " GVR_CASE_HIDDEN("v.case_id") " THEN gv_hidden() ELSE " col " END"
#define GVR_TOTAL_SHOWN(key, col)                                                                  \
    "CASE WHEN " GVR_CASE_HIDDEN(key) " THEN gv_hidden() ELSE " col " END"
/* "hidden: fewer than 5 persons, or ...": the rule, in the report's
** language, when the report hides anything (malloc'd); else NULL, and
** *err set when the database failed. */
char *gvR_hidden_note(gv_report *r, char **err);

/* The result a gain's actual comes from, joined for its rule. */
#define GVR_GAIN_SOURCE                                                                            \
    " LEFT JOIN results x ON x.run = r.run AND x.case_id = r.case_id AND x.period = r.period"      \
    " AND x.indicator = json_extract(p.plan, '$.indicator')"                                       \
    " LEFT JOIN run_indicators xi ON xi.run = x.run AND xi.indicator = x.indicator"
#define GVR_GAIN_SMALL GVR_RESULT_HIDDEN("x")
/* The run's values in the order every table prints them (its indicators
** in the config's order, then case and period), read in the order of
** results' key under the indicators of temp.gvr_order (gvR_open fills
** it, one row an indicator by position), so SQLite sorts nothing: a
** sort of every value spilled to a temporary file.  Binds ?1 the run;
** `r` the values, `i` their indicators. */
#define GVR_RESULTS_IN_ORDER                                                                       \
    " FROM temp.gvr_order o CROSS JOIN results r ON r.run = ?1 AND r.indicator = o.indicator"      \
    " JOIN run_indicators i ON i.run = r.run AND i.indicator = r.indicator"
#define GVR_RESULTS_ORDER " ORDER BY o.position, r.case_id, r.period"
/* Does an indicator of the run count persons?  Its unit says so; without a
** unit, it does when its values were made from counts of persons.  Decided
** once per report (gvR_open fills temp.gvr_persons), not once per row: a
** report stays linear in its cases. */
#define GVR_COUNTS_PERSONS(indicator) "(" indicator " IN (SELECT indicator FROM temp.gvr_persons))"
/* A plan's number (baseline, target) that is a small count of persons. */
#define GVR_PLAN_SMALL(col)                                                                        \
    "(" GVR_COUNTS_PERSONS("xi.indicator") " AND gv_small(" col ", 'persons', NULL))"
/* Realisation, deviation and the expected value of a gain that counts
** persons, with baseline and target, would give a small baseline or target
** back: they are hidden with it. */
#define GVR_PLAN_HIDDEN_WHEN                                                                       \
    "(" GVR_PLAN_SMALL("json_extract(p.plan, '$.baseline')") " OR " GVR_PLAN_SMALL(                \
        "json_extract(p.plan, '$.target')") ")"
#define GVR_HIDDEN_WHEN "(" GVR_GAIN_SMALL " OR " GVR_PLAN_HIDDEN_WHEN ")"
/* A figure, or `standin` in its place when it is hidden: gv_hidden() (the
** word in tables, NULL in CSV), NULL in JSON, where a number's place holds a
** number or null. */
#define GVR_PLAN_SHOWN_AS(col, standin)                                                            \
    "CASE WHEN " GVR_PLAN_SMALL(col) " THEN " standin " ELSE " col " END"
#define GVR_EXPECTED_SHOWN_AS(col, standin)                                                        \
    "CASE WHEN " GVR_PLAN_SMALL(col) " OR " GVR_PLAN_HIDDEN_WHEN " THEN " standin " ELSE " col     \
                                     " END"
/* (nothing is hidden where there is nothing: an incomplete gain's realisation) */
#define GVR_SHOWN_AS(col, standin)                                                                 \
    "CASE WHEN " col " IS NOT NULL AND " GVR_GAIN_SMALL " THEN " standin " ELSE " col " END"
#define GVR_HIDDEN_AS(col, standin)                                                                \
    "CASE WHEN " col " IS NOT NULL AND " GVR_HIDDEN_WHEN " THEN " standin " ELSE " col " END"
/* Is any of a gain's figures hidden? */
#define GVR_ANY_HIDDEN "(" GVR_HIDDEN_WHEN " OR " GVR_PLAN_SMALL("r.expected_value") ")"
/* Which rule hides a gain's row: primary when a figure of it is small,
** else secondary; NULL when none is hidden. */
#define GVR_GAIN_RULE "CASE WHEN " GVR_ANY_HIDDEN " THEN 'hidden' END"
/* A gain's status is hidden with its actual, or with a hidden baseline or
** target: beside the actuals and the share of time gone it would bound the
** hidden count (no data, incomplete and errors say nothing). */
#define GVR_STATUS_SHOWN                                                                           \
    "CASE WHEN r.status IN ('achieved', 'on_track', 'behind', 'missed') AND r.actual IS NOT NULL"  \
    " AND " GVR_HIDDEN_WHEN " THEN 'hidden' ELSE r.status END"
#define GVR_PLAN_SHOWN(col) GVR_PLAN_SHOWN_AS(col, "gv_hidden()")
#define GVR_EXPECTED_SHOWN(col) GVR_EXPECTED_SHOWN_AS(col, "gv_hidden()")
#define GVR_SHOWN(col) GVR_SHOWN_AS(col, "gv_hidden()")
#define GVR_HIDDEN(col) GVR_HIDDEN_AS(col, "gv_hidden()")

/* Has the case whose id is `id` a value in run ?1?  Asked of the results'
** key (run, indicator, case) an indicator at a time (CROSS JOIN keeps
** that order): a few seeks a case, not a scan of the run's values. */
#define GVR_CASE_IN_RUN(id)                                                                        \
    "EXISTS (SELECT 1 FROM run_indicators gi CROSS JOIN results gr ON gr.run = gi.run AND"         \
    " gr.indicator = gi.indicator AND gr.case_id = " id " WHERE gi.run = ?1)"

/* Each gain g of run ?1 whose later period SROI passed over as partial,
** with that period's row x (its coverage). */
#define GVR_LEFT_OUT                                                                               \
    " FROM run_gains g JOIN gain_results x ON x.run = g.run AND x.case_id = g.case_id"             \
    " AND x.gain = g.gain AND x.period = g.left_out_period WHERE g.run = ?1"

/* ------------------------------------------------------------------ rows */

/* A kind of data (observations, gains, ...) in lang's word for it. */
const char *gvR_kind_word(gv_lang lang, const char *kind);

/* When the run was made with a config at another path than r's: the note
** that says so in lang, naming it and whether its content was the same
** (malloc'd); else NULL. */
char *gvR_config_elsewhere(const gv_report *r, gv_lang lang, const char *config_file,
                           const char *config_hash);

/* A statement of one run's rows (?1 is r->run), ready to step; NULL with
** *err. */
sqlite3_stmt *gvR_rows(gv_report *r, const char *sql, char **err);
/* After a loop over st: a read that ended early is an error, not a short
** report.  Finalizes st. */
gv_status gvR_done(gv_report *r, sqlite3_stmt *st, int stepped, char **err);
/* A column as text; "" for NULL. */
const char *gvR_text(sqlite3_stmt *st, int col);
/* Width of s in characters (ø and å are one each). */
int gvR_chars(const char *s);
/* "data cover 50.0 %": how much of its period a value's data cover, col
** of st (0 to 1), as the language writes it; "" when it is NULL or 1. */
const char *gvR_coverage(gv_lang lang, sqlite3_stmt *st, int col, char out[64]);
/* s as a JSON string; NULL as null. */
void gvR_json_string(FILE *out, const char *s);
/* A ratio rounded as SROI reports print it, with the language's decimal
** mark ("0,5:1" in nb and da). */
void gvR_ratio_rounded(const gv_report *r, double ratio, char out[32]);

/* Each gain against its plan, a row per period: the CSV table, and what
** the text table reads (by the column numbers below). */
extern const char gvR_gains_table[];
enum {
    GVR_G_CASE = 1,
    GVR_G_GAIN,
    GVR_G_PERIOD,
    GVR_G_BASELINE = 8,
    GVR_G_TARGET = 10,
    GVR_G_ACTUAL = 12,
    GVR_G_REALISED,
    GVR_G_EXPECTED,
    GVR_G_STATUS = 17,
    GVR_G_ERROR,
    GVR_G_COVERAGE
};

/* The SQL of a tidy table, one row per value ("results", "gains",
** "value"; ?1 the run), as CSV writes it and the workbook's sheets hold
** it; NULL for no such table. */
const char *gvR_tidy_sql(const char *table);

/* The writers (each file's own). */
gv_status gvR_write_text(gv_report *r, char **err);    /* gv_text.c */
gv_status gvR_write_json(gv_report *r, char **err);    /* gv_json.c */
gv_status gvR_write_csv(gv_report *r, char **err);     /* gv_csv.c */
gv_status gvR_write_html(gv_report *r, char **err);    /* gv_html.c */
gv_status gvR_write_explain(gv_report *r, char **err); /* gv_explain.c */
gv_status gvR_write_xlsx(gv_report *r, char **err);    /* gv_xlsx.c */

#endif
