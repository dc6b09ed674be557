/*
** gv_report.c -- the realisation plan and its value as a run stored them:
** the "gains" and "value" parts of a run's JSON document and text report.
** The JSON is built by SQLite's JSON functions from the stored rows, so the
** document says exactly what the database holds.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gevinst/gevinst.h"
#include "gv_db.h"
#include "gv_i18n.h"
#include "gv_util.h"
#include "gv_value.h"

/* ratio_rounded(x): SROI's conventional form, the one rule in gv_value.c */
static void gvP_ratio_rounded_sql(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(c);
        return;
    }
    char out[32];
    gvV_ratio_rounded(sqlite3_value_double(argv[0]), out);
    sqlite3_result_text(c, out, -1, SQLITE_TRANSIENT);
}

/* ---------------------------------------------------------------- colour */

int gvR_colour(FILE *out) {
    /* a person at a terminal who has not asked for none (no-color.org) */
    const char *no = getenv("NO_COLOR");
    return isatty(fileno(out)) && !(no && *no);
}

const char *gvR_status_colour(const char *status) {
    static const char *const colours[][2] = {{"ok", "\033[32m"},       {"achieved", "\033[32m"},
                                             {"on_track", "\033[34m"}, {"behind", "\033[33m"},
                                             {"missed", "\033[31m"},   {"error", "\033[31m"},
                                             {"no_data", "\033[2m"}};
    for (size_t i = 0; status && i < sizeof colours / sizeof colours[0]; i++)
        if (strcmp(colours[i][0], status) == 0) return colours[i][1];
    return "";
}

/* --------------------------------------------------------------- privacy */

/* Counts of persons under this are shown as "<N"; 0 shows every count. */
static double gvP_below;

/* gv_small(value, unit, fewest_persons): is the value too small to
** publish?  A count of persons under the threshold is, and so is anything
** made from one (fewest_persons: the smallest count the module read). */
static void gvP_small_sql(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc;
    int small = 0;
    if (gvP_below > 0 && sqlite3_value_type(argv[0]) != SQLITE_NULL) {
        double v = sqlite3_value_double(argv[0]);
        const char *unit = (const char *)sqlite3_value_text(argv[1]);
        int fewest = sqlite3_value_type(argv[2]) != SQLITE_NULL;
        small = (unit && strcmp(unit, "persons") == 0 && v > 0 && v < gvP_below) ||
                (fewest && sqlite3_value_double(argv[2]) < gvP_below);
    }
    sqlite3_result_int(c, small);
}

/* gv_below(): what stands in a small value's place, "<5". */
static void gvP_below_sql(sqlite3_context *c, int argc, sqlite3_value **argv) {
    (void)argc, (void)argv;
    char text[32];
    snprintf(text, sizeof text, "<%g", gvP_below);
    sqlite3_result_text(c, text, -1, SQLITE_TRANSIENT);
}

double gvR_privacy_below(void) {
    return gvP_below;
}

void gvR_privacy(sqlite3 *db, double below) {
    gvP_below = below;
    sqlite3_create_function(db, "gv_small", 3, SQLITE_UTF8, NULL, gvP_small_sql, NULL, NULL);
    sqlite3_create_function(db, "gv_below", 0, SQLITE_UTF8, NULL, gvP_below_sql, NULL, NULL);
}

/* SQL reads best one clause a line */
/* clang-format off */
static const char gvP_gains_json[] =
    "SELECT coalesce(json_group_array(json(g)), '[]') FROM (SELECT json_patch(json_object("
    " 'case', r.case_id, 'gain', r.gain, 'period', r.period,"
    " 'indicator', json_extract(p.plan, '$.indicator'),"
    " 'type', json_extract(p.plan, '$.type'),"
    " 'beneficiary', json_extract(p.plan, '$.beneficiary'),"
    " 'owner', json_extract(p.plan, '$.owner'),"
    " 'baseline', " GVP_PLAN_SHOWN_AS("json_extract(p.plan, '$.baseline')", "NULL") ","
    " 'baseline_period', json_extract(p.plan, '$.baseline_period'),"
    " 'target', " GVP_PLAN_SHOWN_AS("json_extract(p.plan, '$.target')", "NULL") ","
    " 'target_period', json_extract(p.plan, '$.target_period'),"
    " 'actual', " GVP_SHOWN_AS("r.actual", "NULL") ","
    " 'realisation_pct', " GVP_HIDDEN_AS("r.realisation_pct", "NULL") ","
    " 'expected_pct', r.expected_pct,"
    " 'expected_value', " GVP_EXPECTED_SHOWN_AS("r.expected_value", "NULL") ","
    " 'deviation', " GVP_HIDDEN_AS("r.deviation", "NULL") ","
    " 'status', r.status, 'error', r.error),"
    /* as in results: a hidden number is null, and the object says why */
    " CASE WHEN " GVP_ANY_HIDDEN " THEN json_object('suppressed', gv_below())"
    " ELSE '{}' END) AS g"
    " FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVP_GAIN_SOURCE
    " WHERE r.run = ?1 ORDER BY r.case_id, r.gain, r.rowid)";
/* clang-format on */

/* Totals over cases grouped by `key` (municipality or country). */
#define GVP_TOTALS(key, extra)                                                                     \
    "SELECT coalesce(json_group_array(json(t)), '[]') FROM (SELECT json_object(" extra             \
    " 'cases', count(*), 'investment', sum(v.investment), 'present_value', sum(v.present_value),"  \
    " 'npv', sum(v.present_value) - sum(v.investment),"                                            \
    " 'sroi', sum(v.present_value) / sum(v.investment),"                                           \
    " 'sroi_rounded', ratio_rounded(sum(v.present_value) / sum(v.investment)),"                    \
    " 'sroi_net', (sum(v.present_value) - sum(v.investment)) / sum(v.investment)) AS t"            \
    " FROM case_values v JOIN cases c ON c.id = v.case_id"                                         \
    " JOIN municipalities m ON m.code = c.municipality"                                            \
    " WHERE v.run = ?1 AND v.error IS NULL GROUP BY " key " ORDER BY " key ")"

/* clang-format off */
static const char gvP_value_json[] =
    "SELECT json_object("
    " 'currency', (SELECT currency FROM case_values WHERE run = ?1 LIMIT 1),"
    " 'price_year', (SELECT price_year FROM case_values WHERE run = ?1 LIMIT 1),"
    " 'conversions', (SELECT coalesce(json_group_array(json_object('currency', currency,"
    "   'price_year', price_year, 'rate', rate, 'cpi_from', cpi_from, 'cpi_to', cpi_to,"
    "   'factor', factor)), '[]') FROM (SELECT * FROM run_conversions WHERE run = ?1"
    "   ORDER BY currency, price_year)),"
    " 'cases', (SELECT coalesce(json_group_array(json(c)), '[]') FROM (SELECT json_object("
    "   'case', v.case_id, 'municipality', ca.municipality, 'country', m.country,"
    "   'discount_rate', v.discount_rate, 'investment', v.investment,"
    "   'impact_year1', v.impact_year1, 'present_value', v.present_value, 'npv', v.npv,"
    "   'sroi', v.sroi, 'sroi_rounded', ratio_rounded(v.sroi), 'sroi_net', v.sroi_net,"
    "   'payback_months', v.payback_months,"
    "   'scenarios', json_object('pessimistic', v.sroi_pessimistic, 'likely', v.sroi_likely,"
    "     'optimistic', v.sroi_optimistic),"
    "   'by_beneficiary', (SELECT json_group_object(name, present_value) FROM value_splits s"
    "     WHERE s.run = v.run AND s.case_id = v.case_id AND dimension = 'beneficiary'),"
    "   'by_partner_type', (SELECT json_group_object(name, present_value) FROM value_splits s"
    "     WHERE s.run = v.run AND s.case_id = v.case_id AND dimension = 'partner_type'),"
    "   'gains', (SELECT coalesce(json_group_array(json_patch(json_object('gain', gain,"
    "     'quantity', CASE WHEN small THEN NULL ELSE quantity END,"
    "     'quantity_period', quantity_period, 'proxy', proxy, 'impact_year1', impact_year1,"
    "     'present_value', present_value),"
    "     CASE WHEN small THEN json_object('suppressed', gv_below()) ELSE '{}' END)), '[]')"
    "     FROM (SELECT *, " GVP_COUNTS_PERSONS_OF("(SELECT unit FROM run_indicators ri"
    "     WHERE ri.run = g.run AND ri.indicator = json_extract(g.plan, '$.indicator'))",
    "g.run", "json_extract(g.plan, '$.indicator')")
    /* a quantity that is a change gives a small baseline or target back */
    "     AND (gv_small(quantity, 'persons', NULL)"
    "     OR gv_small(json_extract(g.plan, '$.baseline'), 'persons', NULL)"
    "     OR gv_small(json_extract(g.plan, '$.target'), 'persons', NULL)) AS small"
    "     FROM run_gains g"
    "     WHERE g.run = v.run AND g.case_id = v.case_id AND g.present_value IS NOT NULL"
    "     ORDER BY g.rowid)),"
    "   'sensitivity', (SELECT coalesce(json_group_array(json_object('assumption', assumption,"
    "     'low', low, 'sroi_low', sroi_low, 'high', high, 'sroi_high', sroi_high,"
    "     'break_even', break_even)), '[]') FROM (SELECT * FROM sensitivity s WHERE"
    "     s.run = v.run AND s.case_id = v.case_id ORDER BY s.rowid)),"
    "   'error', v.error) AS c"
    "   FROM case_values v JOIN cases ca ON ca.id = v.case_id"
    "   JOIN municipalities m ON m.code = ca.municipality WHERE v.run = ?1 ORDER BY v.case_id)),"
    " 'municipalities', ("
    GVP_TOTALS("m.code", "'municipality', m.code, 'name', m.name, 'country', m.country,") "),"
    " 'countries', (" GVP_TOTALS("m.country", "'country', m.country,") "))";
/* clang-format on */

static int gvP_json_of(sqlite3 *db, const char *sql, long long run, FILE *out, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "cannot read the run");
        return -1;
    }
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0)
        fputs((const char *)sqlite3_column_text(st, 0), out);
    else
        *err = gvD_errmsg(db, "cannot read the run");
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------- text */

/* The language of the text report being printed. */
static gv_lang gvP_lang;

static int gvP_chars(const char *s) {
    int chars = 0;
    for (; s && *s; s++)
        chars += (*s & 0xC0) != 0x80;
    return chars;
}

static void gvP_text_cell(FILE *out, const char *s, int width) {
    s = s ? s : "";
    fprintf(out, "%s%*s", s, width > gvP_chars(s) ? width - gvP_chars(s) : 0, "");
}

/* Right-aligned, by characters (ø and å are one each). */
static void gvP_rcell(FILE *out, const char *s, int width) {
    s = s ? s : "";
    fprintf(out, "%*s%s", width > gvP_chars(s) ? width - gvP_chars(s) : 0, "", s);
}

static void gvP_num(FILE *out, int width, sqlite3_stmt *st, int col, int digits) {
    char plain[32] = "-", buf[64];
    if (sqlite3_column_type(st, col) == SQLITE_TEXT) { /* "<5": too small to show */
        gvP_rcell(out, (const char *)sqlite3_column_text(st, col), width);
        return;
    }
    if (sqlite3_column_type(st, col) != SQLITE_NULL)
        gvU_format_number_digits(sqlite3_column_double(st, col), digits, plain);
    gvT_localize(gvP_lang, plain, 0, buf, sizeof buf);
    gvP_rcell(out, buf, width);
}

/* A number with fixed decimals, as the language writes it, right-aligned. */
static void gvP_fixed(FILE *out, int width, double v, int decimals) {
    char buf[64];
    gvT_number(gvP_lang, v, decimals, 0, buf, sizeof buf);
    gvP_rcell(out, buf, width);
}

#define L(key) gvT(gvP_lang, key)

/* A query of one run's rows (?1 is the run), ready to step; NULL with *err. */
static sqlite3_stmt *gvP_rows(sqlite3 *db, long long run, const char *sql, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "cannot read the run");
        return NULL;
    }
    sqlite3_bind_int64(st, 1, run);
    return st;
}

/* A ratio with two decimals, or "-" for none. */
static const char *gvP_ratio(sqlite3_stmt *st, int col, char buf[32]) {
    if (sqlite3_column_type(st, col) == SQLITE_NULL) return "-";
    gvT_number(gvP_lang, sqlite3_column_double(st, col), 2, 0, buf, 32);
    return buf;
}

/* After a loop over st: a read that ended early is an error, not a short
** report. */
static int gvP_done(sqlite3 *db, sqlite3_stmt *st, int stepped, char **err) {
    sqlite3_finalize(st);
    if (stepped == SQLITE_DONE) return 0;
    *err = gvD_errmsg(db, "cannot read the run");
    return -1;
}

/* Each gain against its plan, a row per period: the CSV table, and what
** the text table reads (by the column numbers below). */
/* clang-format off */
static const char gvP_gains_table[] =
    "SELECT r.run, r.case_id AS \"case\", r.gain, r.period,"
    " json_extract(p.plan, '$.indicator') AS indicator, json_extract(p.plan, '$.type') AS type,"
    " json_extract(p.plan, '$.beneficiary') AS beneficiary,"
    " json_extract(p.plan, '$.owner') AS owner,"
    " " GVP_PLAN_SHOWN("json_extract(p.plan, '$.baseline')") " AS baseline,"
    " json_extract(p.plan, '$.baseline_period') AS baseline_period,"
    " " GVP_PLAN_SHOWN("json_extract(p.plan, '$.target')") " AS target,"
    " json_extract(p.plan, '$.target_period') AS target_period,"
    " " GVP_SHOWN("r.actual") " AS actual,"
    " " GVP_HIDDEN("r.realisation_pct") " AS realisation_pct,"
    " r.expected_pct,"
    " " GVP_EXPECTED_SHOWN("r.expected_value") " AS expected_value,"
    " " GVP_HIDDEN("r.deviation") " AS deviation, r.status,"
    " r.error FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVP_GAIN_SOURCE
    " WHERE r.run = ?1"
    " ORDER BY r.case_id, r.gain, r.rowid";
enum { GVP_G_CASE = 1, GVP_G_GAIN, GVP_G_PERIOD, GVP_G_BASELINE = 8, GVP_G_TARGET = 10,
       GVP_G_ACTUAL = 12, GVP_G_REALISED, GVP_G_EXPECTED, GVP_G_STATUS = 17, GVP_G_ERROR };
/* clang-format on */

static int gvP_text(sqlite3 *db, long long run, FILE *out, char **err) {
    sqlite3_stmt *st;
    int stepped;
    if (!(st = gvP_rows(db, run, gvP_gains_table, err))) return -1;
    int n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(out, "\n%s\n", L("Gains against the plan"));
            gvP_text_cell(out, L("Case"), 28), fputs("  ", out);
            gvP_text_cell(out, L("Gain"), 18), fputs("  ", out);
            gvP_text_cell(out, L("Period"), 7);
            const char *heads[] = {"Actual", "Baseline", "Target"};
            for (int i = 0; i < 3; i++)
                fputs("  ", out), gvP_rcell(out, L(heads[i]), 12);
            fputs("  ", out), gvP_rcell(out, L("Realised"), 9);
            fputs("  ", out), gvP_rcell(out, L("Expected"), 9);
            fprintf(out, "  %s\n", L("Status"));
        }
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, GVP_G_CASE), 28);
        fputs("  ", out);
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, GVP_G_GAIN), 18);
        fputs("  ", out);
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, GVP_G_PERIOD), 7);
        const int figures[] = {GVP_G_ACTUAL, GVP_G_BASELINE, GVP_G_TARGET};
        for (int c = 0; c < 3; c++)
            fputs("  ", out), gvP_num(out, 12, st, figures[c], 6);
        fputs("  ", out), gvP_num(out, 9, st, GVP_G_REALISED, 4);
        fputs("  ", out), gvP_num(out, 9, st, GVP_G_EXPECTED, 4);
        const char *error = (const char *)sqlite3_column_text(st, GVP_G_ERROR);
        const char *status = (const char *)sqlite3_column_text(st, GVP_G_STATUS);
        int colour = gvR_colour(out);
        fprintf(out, "  %s%s%s%s%s\n", colour ? gvR_status_colour(status) : "", L(status),
                colour ? "\033[0m" : "", error ? ": " : "", error ? error : "");
    }
    if (gvP_done(db, st, stepped, err) < 0) return -1;

    if (!(st = gvP_rows(db, run,
                        "SELECT v.case_id, v.currency || ' ' || v.price_year, v.investment,"
                        " v.present_value, v.npv, v.sroi, ratio_rounded(v.sroi), v.sroi_net,"
                        " v.payback_months, v.sroi_pessimistic, v.sroi_optimistic, v.error"
                        " FROM case_values v WHERE v.run = ?1 ORDER BY v.case_id",
                        err)))
        return -1;
    n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(out, "\n%s (%s %s %s; %s)\n", L("Social return on investment"), L("shown in"),
                    sqlite3_column_text(st, 1), L("prices"),
                    L("SROI rounded: from 1 up to whole numbers, below 1 to one decimal, halves "
                      "away from zero"));
            gvP_text_cell(out, L("Case"), 28);
            const char *heads[] = {"Investment", "Present value", "Net present value"};
            for (int i = 0; i < 3; i++)
                fputs("  ", out), gvP_rcell(out, L(heads[i]), 14);
            fputs("  ", out), gvP_rcell(out, "SROI", 6);
            fputs("  ", out), gvP_rcell(out, "", 5);
            fputs("  ", out), gvP_rcell(out, L("net"), 6);
            fputs("  ", out), gvP_rcell(out, L("payback"), 11);
            fputs("  ", out), gvP_rcell(out, L("pess. / opt."), 13);
            fputc('\n', out);
        }
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, 0), 28);
        const char *error = (const char *)sqlite3_column_text(st, 11);
        if (sqlite3_column_type(st, 3) == SQLITE_NULL) {
            fprintf(out, "  %s: %s\n", L("not computed"), error ? error : "");
            continue;
        }
        /* money in whole units: the decimals are in the JSON */
        for (int c = 2; c <= 4; c++)
            fputs("  ", out), gvP_fixed(out, 14, sqlite3_column_double(st, c), 0);
        char ratio[32], net[32], pess[32], opt[32];
        fputs("  ", out), gvP_rcell(out, gvP_ratio(st, 5, ratio), 6);
        fputs("  ", out);
        char rounded[32];
        snprintf(rounded, sizeof rounded, "%s",
                 sqlite3_column_text(st, 6) ? (const char *)sqlite3_column_text(st, 6) : "-");
        if (gvP_lang != GV_LANG_EN && strchr(rounded, '.')) *strchr(rounded, '.') = ',';
        gvP_rcell(out, rounded, 5);
        fputs("  ", out), gvP_rcell(out, gvP_ratio(st, 7, net), 6);
        fputs("  ", out);
        if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
            char months[64];
            gvT_number(gvP_lang, sqlite3_column_double(st, 8), 1, 0, months, sizeof months);
            strcat(months, " ");
            strcat(months, L("mo"));
            gvP_rcell(out, months, 11);
        } else {
            gvP_rcell(out, L("never"), 11);
        }
        fprintf(out, "  %6s / %-6s%s%s\n", gvP_ratio(st, 9, pess), gvP_ratio(st, 10, opt),
                error ? "  " : "", error ? error : "");
    }
    if (gvP_done(db, st, stepped, err) < 0) return -1;

    if (!(st = gvP_rows(db, run,
                        "SELECT case_id, assumption, low, sroi_low, high, sroi_high, break_even"
                        " FROM sensitivity WHERE run = ?1 ORDER BY case_id, rowid",
                        err)))
        return -1;
    n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(out, "\n%s\n",
                    L("Sensitivity of SROI, one assumption at a time (low / high: the factor "
                      "applied to each gain's value; for the discount rate, the rate)"));
            gvP_text_cell(out, L("Case"), 28), fputs("  ", out);
            gvP_text_cell(out, L("assumption"), 18);
            const char *heads[] = {"low", "SROI", "high", "SROI"};
            for (int i = 0; i < 4; i++)
                fputs("  ", out), gvP_rcell(out, L(heads[i]), i % 2 ? 6 : 8);
            fprintf(out, "  %s\n", L("1:1 at"));
        }
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, 0), 28);
        fputs("  ", out);
        gvP_text_cell(out, L((const char *)sqlite3_column_text(st, 1)), 18);
        fputs("  ", out), gvP_num(out, 8, st, 2, 4);
        fputs("  ", out), gvP_fixed(out, 6, sqlite3_column_double(st, 3), 2);
        fputs("  ", out), gvP_num(out, 8, st, 4, 4);
        fputs("  ", out), gvP_fixed(out, 6, sqlite3_column_double(st, 5), 2);
        fputs("  ", out);
        if (sqlite3_column_type(st, 6) == SQLITE_NULL)
            fprintf(out, "%s\n", L("never"));
        else
            gvP_num(out, 0, st, 6, 4), fputc('\n', out);
    }
    if (gvP_done(db, st, stepped, err) < 0) return -1;

    /* totals, and the conversions behind every figure */
    if (!(st = gvP_rows(db, run,
                        "SELECT m.country, count(*), sum(v.investment), sum(v.present_value),"
                        " sum(v.present_value) / sum(v.investment),"
                        " ratio_rounded(sum(v.present_value) / sum(v.investment))"
                        " FROM case_values v JOIN cases c ON c.id = v.case_id"
                        " JOIN municipalities m ON m.code = c.municipality"
                        " WHERE v.run = ?1 AND v.error IS NULL GROUP BY m.country"
                        " ORDER BY m.country",
                        err)))
        return -1;
    n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(out, "\n%s\n", L("Totals per country (cases whose value could be computed)"));
            gvP_text_cell(out, L("country"), 8);
            fputs("  ", out), gvP_rcell(out, L("cases"), 5);
            fputs("  ", out), gvP_rcell(out, L("Investment"), 14);
            fputs("  ", out), gvP_rcell(out, L("Present value"), 14);
            fputs("  ", out), gvP_rcell(out, "SROI", 6);
            fputc('\n', out);
        }
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, 0), 8);
        fprintf(out, "  %5d", sqlite3_column_int(st, 1));
        fputs("  ", out), gvP_fixed(out, 14, sqlite3_column_double(st, 2), 0);
        fputs("  ", out), gvP_fixed(out, 14, sqlite3_column_double(st, 3), 0);
        fputs("  ", out), gvP_fixed(out, 6, sqlite3_column_double(st, 4), 2);
        char rounded[32];
        snprintf(rounded, sizeof rounded, "%s", (const char *)sqlite3_column_text(st, 5));
        if (gvP_lang != GV_LANG_EN && strchr(rounded, '.')) *strchr(rounded, '.') = ',';
        fprintf(out, "  %s\n", rounded);
    }
    if (gvP_done(db, st, stepped, err) < 0) return -1;
    if (!(st = gvP_rows(db, run,
                        "SELECT currency, price_year, rate, cpi_from, cpi_to, factor FROM"
                        " run_conversions WHERE run = ?1 ORDER BY currency, price_year",
                        err)))
        return -1;
    n = 0;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(out, "\n%s (%s)\n", L("Conversions used"),
                    L("amount x rate x index now / index then"));
            gvP_text_cell(out, L("Currency"), 8);
            const char *heads[] = {"Price year", "Rate", "Index then", "Index now"};
            for (int i = 0; i < 4; i++)
                fputs("  ", out), gvP_rcell(out, L(heads[i]), 14);
            fputs("  ", out), gvP_rcell(out, L("Factor"), 12);
            fputc('\n', out);
        }
        gvP_text_cell(out, (const char *)sqlite3_column_text(st, 0), 8);
        fprintf(out, "  %14d  ", sqlite3_column_int(st, 1));
        gvP_num(out, 14, st, 2, 6);
        fputs("  ", out), gvP_num(out, 14, st, 3, 6);
        fputs("  ", out), gvP_num(out, 14, st, 4, 6);
        fputs("  ", out), gvP_num(out, 12, st, 5, 8);
        fputc('\n', out);
    }
    if (gvP_done(db, st, stepped, err) < 0) return -1;
    return 0;
}

/* ------------------------------------------------------------------- CSV */

/* clang-format off */
static const char *const gvP_csv_tables[][2] = {
    {"results",
     "SELECT r.run, r.indicator, r.case_id AS \"case\", r.period,"
     " CASE WHEN gv_small(r.value, i.unit, r.fewest_persons) THEN gv_below() ELSE r.value END"
     " AS value, i.unit, r.status,"
     " r.error, i.module, i.module_version FROM results r"
     " JOIN run_indicators i USING (run, indicator) WHERE r.run = ?1"
     " ORDER BY i.position, r.case_id, r.period"},
    {"gains", gvP_gains_table},
    {"value",
     "SELECT v.run, v.case_id AS \"case\", c.municipality, m.country, v.currency, v.price_year,"
     " v.discount_rate, v.investment, v.impact_year1, v.present_value, v.npv, v.sroi,"
     " ratio_rounded(v.sroi) AS sroi_rounded, v.sroi_net, v.payback_months, v.sroi_pessimistic,"
     " v.sroi_likely, v.sroi_optimistic, v.error FROM case_values v"
     " JOIN cases c ON c.id = v.case_id JOIN municipalities m ON m.code = c.municipality"
     " WHERE v.run = ?1 ORDER BY v.case_id"},
};
/* clang-format on */

static void gvP_csv_text(FILE *out, const char *s, char sep) {
    char special[] = {sep, '"', '\r', '\n', '\0'};
    if (!strpbrk(s, special)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

int gvR_print_csv(sqlite3 *db, long long run, const char *table, int excel, const char *lang,
                  FILE *out, char **err) {
    const char *sql = NULL;
    for (size_t i = 0; i < sizeof gvP_csv_tables / sizeof gvP_csv_tables[0]; i++)
        if (strcmp(gvP_csv_tables[i][0], table) == 0) sql = gvP_csv_tables[i][1];
    if (!sql) {
        *err = gvU_mprintf("unknown table '%s' (results, gains, value)", table);
        return -1;
    }
    sqlite3_create_function(db, "ratio_rounded", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            gvP_ratio_rounded_sql, NULL, NULL);
    sqlite3_stmt *st = gvP_rows(db, run, sql, err);
    if (!st) return -1;
    /* Excel in a Nordic locale opens this directly: a BOM says UTF-8, ';'
       separates, ',' is the decimal mark, lines end in CR LF */
    /* English Excel reads ',' and '.' */
    int nordic = excel && !(lang && strcmp(lang, "en") == 0);
    char sep = nordic ? ';' : ',';
    const char *eol = excel ? "\r\n" : "\n";
    if (excel) fputs("\xEF\xBB\xBF", out);
    int ncol = sqlite3_column_count(st), stepped;
    for (int i = 0; i < ncol; i++) {
        if (i) fputc(sep, out);
        gvP_csv_text(out, sqlite3_column_name(st, i), sep);
    }
    fputs(eol, out);
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncol; i++) {
            char number[32];
            if (i) fputc(sep, out);
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER:
                fprintf(out, "%lld", (long long)sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                gvU_format_number(sqlite3_column_double(st, i), number);
                if (nordic && strchr(number, '.')) *strchr(number, '.') = ',';
                fputs(number, out);
                break;
            default: {
                const char *text = (const char *)sqlite3_column_text(st, i);
                /* Excel would run "=..." as a formula: a leading ' keeps it text */
                if (excel && strchr("=+-@", text[0]) && text[0]) fputc('\'', out);
                gvP_csv_text(out, text, sep);
            }
            }
        }
        fputs(eol, out);
    }
    return gvP_done(db, st, stepped, err);
}

int gvR_print_plan(sqlite3 *db, long long run, gevinst_format fmt, const char *lang, FILE *out,
                   char **err) {
    gvP_lang = GV_LANG_EN;
    if (lang) gvT_lang(lang, &gvP_lang);
    sqlite3_create_function(db, "ratio_rounded", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            gvP_ratio_rounded_sql, NULL, NULL);
    if (fmt == GEVINST_FORMAT_JSON) {
        fputs(",\n\"gains\": ", out);
        if (gvP_json_of(db, gvP_gains_json, run, out, err) < 0) return -1;
        fputs(",\n\"value\": ", out);
        if (gvP_json_of(db, gvP_value_json, run, out, err) < 0) return -1;
        return 0;
    }
    if (fmt == GEVINST_FORMAT_TEXT) return gvP_text(db, run, out, err);
    return 0;
}
