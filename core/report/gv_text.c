/*
** gv_text.c -- a run as tables a person reads at a terminal: each
** indicator's values, each gain against its plan, the value (SROI) with
** its sensitivity, totals per country and the conversions behind them, in
** the report's language.  Money in whole units: the decimals are in the
** JSON and CSV.
*/
#include <stdlib.h>
#include <string.h>

#include "report/gv_writers.h"

/* Each gain against its plan (gv_writers.h). */
/* clang-format off */
const char gvR_gains_table[] =
    "SELECT r.run, r.case_id AS \"case\", r.gain, r.period,"
    " json_extract(p.plan, '$.indicator') AS indicator, json_extract(p.plan, '$.type') AS type,"
    " json_extract(p.plan, '$.beneficiary') AS beneficiary,"
    " json_extract(p.plan, '$.owner') AS owner,"
    " " GVR_PLAN_SHOWN("json_extract(p.plan, '$.baseline')") " AS baseline,"
    " json_extract(p.plan, '$.baseline_period') AS baseline_period,"
    " " GVR_PLAN_SHOWN("json_extract(p.plan, '$.target')") " AS target,"
    " json_extract(p.plan, '$.target_period') AS target_period,"
    " " GVR_SHOWN("r.actual") " AS actual,"
    " " GVR_HIDDEN("r.realisation_pct") " AS realisation_pct,"
    " r.expected_pct,"
    " " GVR_EXPECTED_SHOWN("r.expected_value") " AS expected_value,"
    " " GVR_HIDDEN("r.deviation") " AS deviation, " GVR_STATUS_SHOWN " AS status,"
    " r.error, r.coverage, " GVR_GAIN_RULE " AS suppressed FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
    " WHERE r.run = ?1"
    " ORDER BY r.case_id, r.gain, r.rowid";
/* clang-format on */

/* ----------------------------------------------------------------- cells */

static void gvR_cell(FILE *out, const char *s, int width) {
    s = s ? s : "";
    fprintf(out, "%s%*s", s, width > gvR_chars(s) ? width - gvR_chars(s) : 0, "");
}

/* Right-aligned, by characters (ø and å are one each). */
static void gvR_rcell(FILE *out, const char *s, int width) {
    s = s ? s : "";
    fprintf(out, "%*s%s", width > gvR_chars(s) ? width - gvR_chars(s) : 0, "", s);
}

/* A figure from a row as the language writes it, or the word in its place. */
static void gvR_num(const gv_report *r, int width, sqlite3_stmt *st, int col, int digits) {
    char plain[32] = "-", buf[64];
    if (sqlite3_column_type(st, col) == SQLITE_TEXT) { /* hidden for privacy */
        gvR_rcell(r->out, gvR_text(st, col), width);
        return;
    }
    if (sqlite3_column_type(st, col) != SQLITE_NULL)
        gvU_format_number_digits(sqlite3_column_double(st, col), digits, plain);
    gvT_localize(r->lang, plain, 0, buf, sizeof buf);
    gvR_rcell(r->out, buf, width);
}

/* A number with fixed decimals, as the language writes it, right-aligned. */
static void gvR_fixed(const gv_report *r, int width, double v, int decimals) {
    char buf[64];
    gvT_number(r->lang, v, decimals, 0, buf, sizeof buf);
    gvR_rcell(r->out, buf, width);
}

/* The same from a row: the word in its place when it is hidden. */
static void gvR_fixed_col(const gv_report *r, int width, sqlite3_stmt *st, int col, int decimals) {
    if (sqlite3_column_type(st, col) == SQLITE_TEXT)
        gvR_rcell(r->out, gvR_text(st, col), width);
    else
        gvR_fixed(r, width, sqlite3_column_double(st, col), decimals);
}

/* A ratio with two decimals, or "-" for none (the word when hidden). */
static const char *gvR_ratio(const gv_report *r, sqlite3_stmt *st, int col, char buf[32]) {
    if (sqlite3_column_type(st, col) == SQLITE_NULL) return "-";
    if (sqlite3_column_type(st, col) == SQLITE_TEXT) return gvR_text(st, col);
    gvT_number(r->lang, sqlite3_column_double(st, col), 2, 0, buf, 32);
    return buf;
}

/* A heading of the table: its words in the language, two spaces apart. */
static void gvR_heads(const gv_report *r, const char *const *heads, const int *widths, int n) {
    for (int i = 0; i < n; i++) {
        fputs("  ", r->out);
        if (widths[i] < 0)
            gvR_cell(r->out, gvT(r->lang, heads[i]), -widths[i]);
        else
            gvR_rcell(r->out, gvT(r->lang, heads[i]), widths[i]);
    }
}

/* A status in the language, in colour at a terminal, and its error. */
static void gvR_status(const gv_report *r, const char *status, const char *error, int first_line) {
    fprintf(r->out, "%s%s%s%s%.*s\n", r->colour ? gvR_status_colour(status) : "",
            gvT(r->lang, status), r->colour ? "\033[0m" : "", error ? ": " : "",
            error ? first_line : 0, error ? error : "");
}

/* --------------------------------------------------------------- results */

/* Column widths in characters, so Nordic letters line up: indicator, case,
** period, unit. */
static void gvR_result_widths(gv_report *r, int w[4]) {
    sqlite3_stmt *st;
    char *err = NULL;
    if (!(st = gvR_rows(r,
                        "SELECT max(length(indicator)), max(length(case_id)),"
                        " max(length(period)), (SELECT max(length(unit)) FROM"
                        " run_indicators WHERE run = ?1) FROM results WHERE run = ?1",
                        &err))) {
        free(err); /* the table that follows says it */
        return;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < 4; i++)
            if (sqlite3_column_int(st, i) > w[i]) w[i] = sqlite3_column_int(st, i);
    sqlite3_finalize(st);
}

/* Which run, made by what, on which database. */
static gv_status gvR_text_run(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r,
                                "SELECT started, engine_version, config_file, config_hash"
                                " FROM runs WHERE id = ?1",
                                err);
    if (!st) return GV_DATABASE;
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW) {
        fprintf(r->out, "run %lld  %s  gevinst %s\nconfig %s (sha256 %.12s)\ndatabase %s\n", r->run,
                gvR_text(st, 0), gvR_text(st, 1), gvR_text(st, 2), gvR_text(st, 3),
                sqlite3_db_filename(r->db, "main"));
        if (r->suppress_below <= 0) /* said where the reader starts */
            fprintf(r->out, "%s\n",
                    gvT(r->lang, "not for publication: small counts of persons are shown "
                                 "(--no-suppress)"));
        fputc('\n', r->out);
        stepped = sqlite3_step(st);
    }
    return gvR_done(r, st, stepped, err);
}

/* One value's line: indicator, case, period, value (or the word for
** hidden), unit, status. */
static void gvR_result_line(gv_report *r, sqlite3_stmt *st, const int w[4]) {
    char value[32] = "-", local[64];
    if (sqlite3_column_int(st, 6)) /* too small to publish */
        snprintf(value, sizeof value, "%s", gvR_text(st, 7));
    else if (sqlite3_column_type(st, 3) != SQLITE_NULL)
        gvU_format_number_digits(sqlite3_column_double(st, 3), 6, value);
    gvT_localize(r->lang, value, 0, local, sizeof local);
    /* printf pads bytes; pad by characters instead */
    const int cells[] = {0, 1, 2, 4};
    for (int i = 0; i < 4; i++) {
        const char *c = gvR_text(st, cells[i]);
        if (i == 3) gvR_rcell(r->out, local, 14), fputs("  ", r->out);
        gvR_cell(r->out, c, w[i]), fputs("  ", r->out);
    }
    /* a table keeps to one line per value: the traceback is in JSON, CSV
       and the database */
    char note[64];
    const char *error = (const char *)sqlite3_column_text(st, 5);
    if (!error && *gvR_coverage(r->lang, st, 9, note)) error = note; /* a partial period */
    gvR_status(r, gvR_text(st, 8), error, error ? (int)strcspn(error, "\n") : 0);
}

static gv_status gvR_text_results(gv_report *r, char **err) {
    int w[4] = {9, 4, 6, 4};
    gvR_result_widths(r, w);
    /* headings padded by characters: "Enhet" and "Værdi" line up too */
    gvR_cell(r->out, gvT(r->lang, "Indicator"), w[0]);
    gvR_heads(r, (const char *const[]){"Case", "Period"}, (const int[]){-w[1], -w[2]}, 2);
    gvR_heads(r, (const char *const[]){"Value", "Unit"}, (const int[]){14, -w[3]}, 2);
    fprintf(r->out, "  %s\n", gvT(r->lang, "Status"));
    sqlite3_stmt *st =
        gvR_rows(r,
                 "SELECT r.indicator, r.case_id, r.period, r.value, i.unit, r.error,"
                 " " GVR_RESULT_HIDDEN("r") ", gv_hidden(), r.status,"
                                            " r.coverage" GVR_RESULTS_IN_ORDER GVR_RESULTS_ORDER,
                 err);
    if (!st) return GV_DATABASE;
    int stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW)
        gvR_result_line(r, st, w);
    return gvR_done(r, st, stepped, err);
}

/* ------------------------------------------------------------------ gains */

static void gvR_gain_line(gv_report *r, sqlite3_stmt *st) {
    gvR_cell(r->out, gvR_text(st, GVR_G_CASE), 28);
    fputs("  ", r->out);
    gvR_cell(r->out, gvR_text(st, GVR_G_GAIN), 18);
    fputs("  ", r->out);
    gvR_cell(r->out, gvR_text(st, GVR_G_PERIOD), 7);
    const int figures[] = {GVR_G_ACTUAL, GVR_G_BASELINE, GVR_G_TARGET};
    for (int c = 0; c < 3; c++)
        fputs("  ", r->out), gvR_num(r, 12, st, figures[c], 6);
    fputs("  ", r->out), gvR_num(r, 11, st, GVR_G_REALISED, 4);
    fputs("  ", r->out), gvR_num(r, 11, st, GVR_G_EXPECTED, 4);
    fputs("  ", r->out);
    char note[64];
    const char *error = (const char *)sqlite3_column_text(st, GVR_G_ERROR);
    if (!error && *gvR_coverage(r->lang, st, GVR_G_COVERAGE, note)) error = note;
    gvR_status(r, gvR_text(st, GVR_G_STATUS), error, error ? (int)strlen(error) : 0);
}

static gv_status gvR_text_gains(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r, gvR_gains_table, err);
    if (!st) return GV_DATABASE;
    int n = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(r->out, "\n%s\n", gvT(r->lang, "Gains against the plan"));
            gvR_cell(r->out, gvT(r->lang, "Case"), 28);
            gvR_heads(r, (const char *const[]){"Gain", "Period"}, (const int[]){-18, -7}, 2);
            gvR_heads(r, (const char *const[]){"Actual", "Baseline", "Target"},
                      (const int[]){12, 12, 12}, 3);
            gvR_heads(r, (const char *const[]){"Realised %", "Expected %"}, (const int[]){11, 11},
                      2);
            fprintf(r->out, "  %s\n", gvT(r->lang, "Status"));
        }
        gvR_gain_line(r, st);
    }
    return gvR_done(r, st, stepped, err);
}

/* ------------------------------------------------------------------ value */

static void gvR_value_head(gv_report *r, sqlite3_stmt *st) {
    /* "2019 prices", "2019-priser" */
    fprintf(r->out, "\n%s (%s %s%s%s; %s)\n", gvT(r->lang, "Social return on investment"),
            gvT(r->lang, "shown in"), gvR_text(st, 1), r->lang == GV_LANG_EN ? " " : "-",
            gvT(r->lang, "prices"),
            gvT(r->lang, "SROI rounded: from 1 up to whole numbers, below 1 to one decimal, "
                         "halves away from zero"));
    gvR_cell(r->out, gvT(r->lang, "Case"), 28);
    gvR_heads(r, (const char *const[]){"Investment", "Present value", "Net present value"},
              (const int[]){14, 14, 14}, 3);
    gvR_heads(r, (const char *const[]){"SROI", "", "net", "payback", "pess. / opt."},
              (const int[]){6, 5, 6, 11, 13}, 5);
    fputc('\n', r->out);
}

static void gvR_value_line(gv_report *r, sqlite3_stmt *st) {
    gvR_cell(r->out, gvR_text(st, 0), 28);
    const char *error = (const char *)sqlite3_column_text(st, 10);
    if (sqlite3_column_type(st, 3) == SQLITE_NULL) {
        fprintf(r->out, "  %s: %s\n", gvT(r->lang, "not computed"), error ? error : "");
        return;
    }
    for (int c = 2; c <= 4; c++)
        fputs("  ", r->out), gvR_fixed_col(r, 14, st, c, 0);
    char ratio[32], rounded[32] = "-", net[32], pess[32], opt[32], months[64];
    fputs("  ", r->out), gvR_rcell(r->out, gvR_ratio(r, st, 5, ratio), 6);
    if (sqlite3_column_type(st, 5) == SQLITE_TEXT)
        snprintf(rounded, sizeof rounded, "%s", gvR_text(st, 5));
    else if (sqlite3_column_type(st, 5) != SQLITE_NULL)
        gvR_ratio_rounded(r, sqlite3_column_double(st, 5), rounded);
    fputs("  ", r->out), gvR_rcell(r->out, rounded, 5);
    fputs("  ", r->out), gvR_rcell(r->out, gvR_ratio(r, st, 6, net), 6);
    fputs("  ", r->out);
    if (sqlite3_column_type(st, 7) == SQLITE_TEXT) {
        gvR_rcell(r->out, gvR_text(st, 7), 11);
    } else if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        gvT_number(r->lang, sqlite3_column_double(st, 7), 1, 0, months, sizeof months - 8);
        strcat(months, " ");
        strcat(months, gvT(r->lang, "mo"));
        gvR_rcell(r->out, months, 11);
    } else {
        gvR_rcell(r->out, gvT(r->lang, "never"), 11);
    }
    fprintf(r->out, "  %6s / %-6s%s%s\n", gvR_ratio(r, st, 8, pess), gvR_ratio(r, st, 9, opt),
            error ? "  " : "", error ? error : "");
}

static gv_status gvR_text_value(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(
        r,
        "SELECT v.case_id, v.currency || ' ' || v.price_year,"
        " v.investment, " GVR_VALUE_SHOWN(
            "v.present_value") ","
                               " " GVR_VALUE_SHOWN("v.npv") ", " GVR_VALUE_SHOWN(
                                   "v.sroi") ","
                                             " " GVR_VALUE_SHOWN(
                                                 "v.sroi_net") ","
                                                               " " GVR_VALUE_SHOWN(
                                                                   "v.payback_months") ","
                                                                                       " " GVR_VALUE_SHOWN(
                                                                                           "v.sroi_"
                                                                                           "pessimi"
                                                                                           "stic") ","
                                                                                                   " " GVR_VALUE_SHOWN(
                                                                                                       "v.sroi_optimistic") ","
                                                                                                                            " v.error FROM case_values v WHERE v.run = ?1 ORDER BY v.case_id",
        err);
    if (!st) return GV_DATABASE;
    int n = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) gvR_value_head(r, st);
        gvR_value_line(r, st);
    }
    return gvR_done(r, st, stepped, err);
}

/* Gains whose latest period SROI passed over: its data cover only part. */
static gv_status gvR_text_left_out(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r,
                                "SELECT g.case_id, g.gain, g.left_out_period,"
                                " x.coverage" GVR_LEFT_OUT " ORDER BY g.case_id, g.gain",
                                err);
    if (!st) return GV_DATABASE;
    int n = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        char note[64];
        if (n++ == 0)
            fprintf(
                r->out, "\n%s\n",
                gvT(r->lang, "Left out of SROI: a later period whose data cover only part of it"));
        gvR_cell(r->out, gvR_text(st, 0), 28);
        fputs("  ", r->out);
        gvR_cell(r->out, gvR_text(st, 1), 18);
        fprintf(r->out, "  %s  %s\n", gvR_text(st, 2), gvR_coverage(r->lang, st, 3, note));
    }
    return gvR_done(r, st, stepped, err);
}

/* ------------------------------------------------------------ sensitivity */

static void gvR_sensitivity_line(gv_report *r, sqlite3_stmt *st) {
    gvR_cell(r->out, gvR_text(st, 0), 28);
    fputs("  ", r->out);
    gvR_cell(r->out, gvT(r->lang, gvR_text(st, 1)), 18);
    fputs("  ", r->out), gvR_num(r, 8, st, 2, 4);
    fputs("  ", r->out), gvR_fixed_col(r, 6, st, 3, 2);
    fputs("  ", r->out), gvR_num(r, 8, st, 4, 4);
    fputs("  ", r->out), gvR_fixed_col(r, 6, st, 5, 2);
    fputs("  ", r->out);
    if (sqlite3_column_type(st, 6) == SQLITE_NULL)
        fprintf(r->out, "%s\n", gvT(r->lang, "never"));
    else
        gvR_num(r, 0, st, 6, 4), fputc('\n', r->out);
}

static gv_status gvR_text_sensitivity(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(
        r,
        "SELECT v.case_id, assumption, low,"
        " " GVR_VALUE_SHOWN("sroi_low") ", high,"
                                        " " GVR_VALUE_SHOWN(
                                            "sroi_high") ","
                                                         " " GVR_VALUE_SHOWN(
                                                             "break_even") " FROM sensitivity v"
                                                                           " WHERE run = ?1 ORDER "
                                                                           "BY v.case_id, rowid",
        err);
    if (!st) return GV_DATABASE;
    int n = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(r->out, "\n%s\n",
                    gvT(r->lang, "Sensitivity of SROI, one assumption at a time (low / high: "
                                 "the factor applied to each gain's value; for the discount "
                                 "rate, the rate)"));
            gvR_cell(r->out, gvT(r->lang, "Case"), 28);
            gvR_heads(r, (const char *const[]){"assumption"}, (const int[]){-18}, 1);
            gvR_heads(r, (const char *const[]){"low", "SROI", "high", "SROI"},
                      (const int[]){8, 6, 8, 6}, 4);
            fprintf(r->out, "  %s\n", gvT(r->lang, "1:1 at"));
        }
        gvR_sensitivity_line(r, st);
    }
    return gvR_done(r, st, stepped, err);
}

/* ----------------------------------------------------------------- totals */

static gv_status gvR_text_totals(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(
        r,
        "SELECT m.country, count(*), sum(v.investment),"
        " " GVR_TOTAL_SHOWN(
            "'country:' || m.country",
            "sum(v.present_value)") ","
                                    " " GVR_TOTAL_SHOWN(
                                        "'country:' || m.country",
                                        "sum(v.present_value) / "
                                        "sum(v.investment)") " FROM case_values "
                                                             "v JOIN cases c ON "
                                                             "c.id = v.case_id"
                                                             " JOIN "
                                                             "municipalities m "
                                                             "ON m.code = "
                                                             "c.municipality"
                                                             " WHERE v.run = ?1 "
                                                             "AND v.error IS "
                                                             "NULL AND NOT " GVR_CASE_HIDDEN(
                                                                 "v.case_id") " GROUP BY "
                                                                              "m.country"
                                                                              " ORDER BY "
                                                                              "m.country",
        err);
    if (!st) return GV_DATABASE;
    int n = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(r->out, "\n%s\n",
                    gvT(r->lang, "Totals per country (cases whose value could be computed)"));
            gvR_cell(r->out, gvT(r->lang, "country"), 8);
            gvR_heads(r, (const char *const[]){"cases", "Investment", "Present value", "SROI"},
                      (const int[]){5, 14, 14, 6}, 4);
            fputc('\n', r->out);
        }
        gvR_cell(r->out, gvR_text(st, 0), 8);
        fprintf(r->out, "  %5d", sqlite3_column_int(st, 1));
        fputs("  ", r->out), gvR_fixed(r, 14, sqlite3_column_double(st, 2), 0);
        fputs("  ", r->out), gvR_fixed_col(r, 14, st, 3, 0);
        fputs("  ", r->out), gvR_fixed_col(r, 6, st, 4, 2);
        char rounded[32] = "-";
        if (sqlite3_column_type(st, 4) == SQLITE_TEXT)
            snprintf(rounded, sizeof rounded, "%s", gvR_text(st, 4));
        else if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            gvR_ratio_rounded(r, sqlite3_column_double(st, 4), rounded);
        fprintf(r->out, "  %s\n", rounded);
    }
    return gvR_done(r, st, stepped, err);
}

static gv_status gvR_text_conversions(gv_report *r, char **err) {
    sqlite3_stmt *st = gvR_rows(r,
                                "SELECT currency, price_year, rate, cpi_from, cpi_to, factor FROM"
                                " run_conversions WHERE run = ?1 ORDER BY currency, price_year",
                                err);
    if (!st) return GV_DATABASE;
    int n = 0, stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == 0) {
            fprintf(r->out, "\n%s (%s)\n", gvT(r->lang, "Conversions used"),
                    gvT(r->lang, "amount x rate x index now / index then"));
            gvR_cell(r->out, gvT(r->lang, "Currency"), 8);
            gvR_heads(r, (const char *const[]){"Price year", "Rate", "Index then", "Index now"},
                      (const int[]){14, 14, 14, 14}, 4);
            gvR_heads(r, (const char *const[]){"Factor"}, (const int[]){12}, 1);
            fputc('\n', r->out);
        }
        gvR_cell(r->out, gvR_text(st, 0), 8);
        fprintf(r->out, "  %14d  ", sqlite3_column_int(st, 1));
        gvR_num(r, 14, st, 2, 6);
        fputs("  ", r->out), gvR_num(r, 14, st, 3, 6);
        fputs("  ", r->out), gvR_num(r, 14, st, 4, 6);
        fputs("  ", r->out), gvR_num(r, 12, st, 5, 8);
        fputc('\n', r->out);
    }
    return gvR_done(r, st, stepped, err);
}

/* What a hidden figure means, under the tables that hide one. */
static gv_status gvR_text_footnote(gv_report *r, char **err) {
    char *note = gvR_hidden_note(r, err);
    if (!note) return *err ? GV_DATABASE : GV_OK;
    fprintf(r->out, "\n%s\n", note);
    free(note);
    return GV_OK;
}

gv_status gvR_write_text(gv_report *r, char **err) {
    gv_status (*const parts[])(gv_report *, char **) = {
        gvR_text_run,    gvR_text_results,     gvR_text_gains,
        gvR_text_value,  gvR_text_left_out,    gvR_text_sensitivity,
        gvR_text_totals, gvR_text_conversions, gvR_text_footnote,
    };
    gv_status rc = GV_OK;
    r->colour = gvR_colour(r->out); /* once, not a system call a line */
    for (size_t i = 0; rc == GV_OK && i < sizeof parts / sizeof parts[0]; i++)
        rc = parts[i](r, err);
    return rc;
}
