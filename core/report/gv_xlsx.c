/*
** gv_xlsx.c -- a run as an Excel workbook (libxlsxwriter): a summary, then
** one sheet per table (indicators, gains, value, conversions, provenance).
** Numbers stay numbers, with number formats that say what they are (whole
** counts, percentages, money with its currency); Excel writes them with the
** reader's own decimal mark.  The tables are the tidy CSV's (gvR_tidy_sql),
** so both formats show the same figures and hide the same ones.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "report/gv_writers.h"

/* What a column holds, from its name: how its numbers are formatted. */
typedef enum {
    GVX_PLAIN,   /* text, or a number as it is */
    GVX_AMOUNT,  /* a count or measure: whole numbers without decimals */
    GVX_PERCENT, /* a percentage (66.0 is 66 %) */
    GVX_SHARE,   /* a share (0.66 is 66 %) */
    GVX_MONEY,   /* in the row's currency */
    GVX_RATIO,   /* SROI: 1.04 */
    GVX_YEAR,    /* 2019, not 2 019 */
    GVX_FACTOR   /* a rate or index: its decimals, as many as it has */
} gvX_kind;

/* A column's heading (an English phrase gvT translates) and kind. */
static const struct {
    const char *name, *heading;
    gvX_kind kind;
} gvX_columns[] = {
    {"run", "Run", GVX_YEAR},
    {"indicator", "Indicator", GVX_PLAIN},
    {"case", "Case", GVX_PLAIN},
    {"period", "Period", GVX_PLAIN},
    {"value", "Value", GVX_AMOUNT},
    {"unit", "Unit", GVX_PLAIN},
    {"status", "Status", GVX_PLAIN},
    {"error", "Error", GVX_PLAIN},
    {"module", "Module", GVX_PLAIN},
    {"module_version", "Version", GVX_PLAIN},
    {"coverage", "Data cover", GVX_SHARE},
    {"gain", "Gain", GVX_PLAIN},
    {"type", "Type", GVX_PLAIN},
    {"beneficiary", "Beneficiary", GVX_PLAIN},
    {"owner", "Owner", GVX_PLAIN},
    {"baseline", "Baseline", GVX_AMOUNT},
    {"baseline_period", "Baseline period", GVX_PLAIN},
    {"target", "Target", GVX_AMOUNT},
    {"target_period", "Target period", GVX_PLAIN},
    {"actual", "Actual", GVX_AMOUNT},
    {"realisation_pct", "Realised", GVX_PERCENT},
    {"expected_pct", "Expected share", GVX_PERCENT},
    {"expected_value", "Expected", GVX_AMOUNT},
    {"deviation", "Deviation", GVX_AMOUNT},
    {"municipality", "Municipality", GVX_PLAIN},
    {"country", "Country", GVX_PLAIN},
    {"currency", "Currency", GVX_PLAIN},
    {"price_year", "Price year", GVX_YEAR},
    {"discount_rate", "Discount rate", GVX_SHARE},
    {"investment", "Investment", GVX_MONEY},
    {"impact_year1", "Impact in year 1", GVX_MONEY},
    {"present_value", "Present value", GVX_MONEY},
    {"npv", "Net present value", GVX_MONEY},
    {"sroi", "SROI", GVX_RATIO},
    {"sroi_rounded", "SROI rounded", GVX_PLAIN},
    {"sroi_net", "SROI net", GVX_RATIO},
    {"payback_months", "Payback in months", GVX_AMOUNT},
    {"sroi_pessimistic", "SROI pessimistic", GVX_RATIO},
    {"sroi_likely", "SROI likely", GVX_RATIO},
    {"sroi_optimistic", "SROI optimistic", GVX_RATIO},
    {"rate", "Rate", GVX_FACTOR},
    {"cpi_from", "Index then", GVX_FACTOR},
    {"cpi_to", "Index now", GVX_FACTOR},
    {"factor", "Factor", GVX_FACTOR},
    {"module_kind", "Kind", GVX_PLAIN},
    {"module_hash", "sha256", GVX_PLAIN},
    {"params", "Params", GVX_PLAIN},
    {"source", "Source", GVX_PLAIN},
    {"file", "File", GVX_PLAIN},
    {"sha256", "sha256", GVX_PLAIN},
    {"rows", "Rows", GVX_AMOUNT},
    {"imported", "Imported", GVX_PLAIN},
    {"suppressed", "Hidden by rule", GVX_PLAIN},
};

typedef struct gvX {
    gv_report *r;
    lxw_workbook *wb;
    lxw_format *heading, *whole, *decimals, *factor, *percent, *ratio, *year, *hidden, *when;
    lxw_format *title;
    lxw_format *money[8]; /* one a currency, as the run meets them */
    char currency[8][4];
    int nmoney;
    int hidden_cells; /* figures hidden by the privacy rule */
    char *err;
} gvX;

static gvX_kind gvX_kind_of(const char *column, const char **heading) {
    for (size_t i = 0; i < sizeof gvX_columns / sizeof gvX_columns[0]; i++)
        if (strcmp(gvX_columns[i].name, column) == 0) {
            *heading = gvX_columns[i].heading;
            return gvX_columns[i].kind;
        }
    *heading = column;
    return GVX_PLAIN;
}

static lxw_format *gvX_format(gvX *x, const char *number_format) {
    lxw_format *f = workbook_add_format(x->wb);
    format_set_num_format(f, number_format);
    return f;
}

/* The format of money in a currency: 1 234 567 NOK. */
static lxw_format *gvX_money(gvX *x, const char *currency) {
    if (!currency || strlen(currency) != 3) return x->whole;
    for (int i = 0; i < x->nmoney; i++)
        if (strcmp(x->currency[i], currency) == 0) return x->money[i];
    if (x->nmoney == 8) return x->whole;
    char number_format[32];
    snprintf(number_format, sizeof number_format, "#,##0 \"%s\"", currency);
    memcpy(x->currency[x->nmoney], currency, 4);
    return x->money[x->nmoney++] = gvX_format(x, number_format);
}

static void gvX_formats(gvX *x) {
    x->heading = workbook_add_format(x->wb);
    format_set_bold(x->heading);
    format_set_bottom(x->heading, LXW_BORDER_THIN);
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    x->whole = gvX_format(x, "#,##0");
    x->decimals = gvX_format(x, "#,##0.00");
    x->factor = gvX_format(x, "#,##0.00####");
    x->percent = gvX_format(x, "0.0%");
    x->ratio = gvX_format(x, "0.00");
    x->year = gvX_format(x, "0");
    /* day first in Norway and Denmark; ISO for everyone else */
    x->when = gvX_format(x, x->r->lang == GV_LANG_EN ? "yyyy-mm-dd hh:mm" : "dd.mm.yyyy hh:mm");
    x->hidden = workbook_add_format(x->wb);
    format_set_italic(x->hidden);
    format_set_align(x->hidden, LXW_ALIGN_RIGHT);
}

/* One number in its column's format. */
static void gvX_number(gvX *x, lxw_worksheet *ws, int row, int col, double v, gvX_kind kind,
                       const char *currency) {
    lxw_format *f = x->decimals;
    switch (kind) {
    case GVX_PERCENT:
        v /= 100;
        f = x->percent;
        break;
    case GVX_SHARE:
        f = x->percent;
        break;
    case GVX_MONEY:
        f = gvX_money(x, currency);
        break;
    case GVX_RATIO:
        f = x->ratio;
        break;
    case GVX_YEAR:
        f = x->year;
        break;
    case GVX_FACTOR:
        f = x->factor;
        break;
    default: /* counts are whole: no decimals to read past */
        f = v == floor(v) && fabs(v) < 1e15 ? x->whole : x->decimals;
    }
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, f);
}

/* A cell of a row: a number in its format, a hidden figure as the word
** that says so, text as text (never a formula: a string cell is one). */
static int gvX_cell(gvX *x, lxw_worksheet *ws, sqlite3_stmt *st, int row, int col, gvX_kind kind,
                    const char *currency, int hidden) {
    int type = sqlite3_column_type(st, col);
    if (type == SQLITE_NULL && !hidden) return 0;
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        gvX_number(x, ws, row, col, sqlite3_column_double(st, col), kind, currency);
        return 8;
    }
    const char *text = type == SQLITE_NULL ? "" : gvR_text(st, col);
    if (kind != GVX_PLAIN) { /* a figure's place holds a word: the privacy rule's */
        x->hidden_cells++;
        text = gvT(x->r->lang, "hidden");
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, text, x->hidden);
        return gvR_chars(text);
    }
    const char *name = sqlite3_column_name(st, col);
    if (strcmp(name, "status") == 0 || strcmp(name, "suppressed") == 0)
        text = gvT(x->r->lang, text);
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, text, NULL);
    return gvR_chars(text);
}

/* A sheet of the rows of sql (?1 the run): a heading row that stays in
** view and filters, each column as wide as what it holds. */
static void gvX_sheet(gvX *x, const char *name, const char *sql) {
    if (x->err) return;
    sqlite3_stmt *st = gvR_rows(x->r, sql, &x->err);
    if (!st) return;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, gvT(x->r->lang, name));
    int ncol = sqlite3_column_count(st), currency_col = -1, rule_col = -1, row = 0, stepped;
    gvX_kind kinds[64];
    int widths[64];
    if (ncol > 64) ncol = 64;
    for (int i = 0; i < ncol; i++) {
        const char *heading;
        kinds[i] = gvX_kind_of(sqlite3_column_name(st, i), &heading);
        heading = gvT(x->r->lang, heading);
        worksheet_write_string(ws, 0, (lxw_col_t)i, heading, x->heading);
        widths[i] = gvR_chars(heading) + 2;
        if (strcmp(sqlite3_column_name(st, i), "currency") == 0) currency_col = i;
        if (strcmp(sqlite3_column_name(st, i), "suppressed") == 0) rule_col = i;
    }
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        row++;
        const char *currency = currency_col >= 0 ? gvR_text(st, currency_col) : NULL;
        /* the results table's value is empty where the rule hides it */
        int hidden = rule_col >= 0 && sqlite3_column_type(st, rule_col) != SQLITE_NULL;
        for (int i = 0; i < ncol; i++) {
            int w = gvX_cell(x, ws, st, row, i, kinds[i], currency,
                             hidden && strcmp(sqlite3_column_name(st, i), "value") == 0) +
                    2;
            if (w > widths[i]) widths[i] = w < 60 ? w : 60;
        }
    }
    if (gvR_done(x->r, st, stepped, &x->err) != GV_OK) return;
    for (int i = 0; i < ncol; i++)
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)row, (lxw_col_t)(ncol - 1));
}

/* "2026-11-30T20:21:54.050Z" as a date and time Excel knows; 0 when it is one. */
static int gvX_datetime(const char *iso, lxw_datetime *dt) {
    memset(dt, 0, sizeof *dt);
    return sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%lf", &dt->year, &dt->month, &dt->day, &dt->hour,
                  &dt->min, &dt->sec) == 6
               ? 0
               : -1;
}

/* A line of the summary: a label, and text or a time. */
static void gvX_line(gvX *x, lxw_worksheet *ws, int row, const char *label, const char *text,
                     int is_time) {
    lxw_datetime dt;
    worksheet_write_string(ws, (lxw_row_t)row, 0, gvT(x->r->lang, label), x->heading);
    if (is_time && text && gvX_datetime(text, &dt) == 0)
        worksheet_write_datetime(ws, (lxw_row_t)row, 1, &dt, x->when);
    else if (text)
        worksheet_write_string(ws, (lxw_row_t)row, 1, text, NULL);
}

/* The first sheet: what the workbook is, which run, and the rule that hides figures. */
static void gvX_summary(gvX *x) {
    sqlite3_stmt *st = gvR_rows(x->r,
                                "SELECT started, finished, engine_version, config_file,"
                                " config_hash, (SELECT count(DISTINCT case_id) FROM results"
                                " WHERE run = ?1) FROM runs WHERE id = ?1",
                                &x->err);
    if (!st) return;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, gvT(x->r->lang, "Summary"));
    worksheet_set_column(ws, 0, 0, 28, NULL);
    worksheet_set_column(ws, 1, 1, 70, NULL);
    worksheet_write_string(ws, 0, 0, gvT(x->r->lang, "Benefits realisation report"), x->title);
    int row = 2, stepped = sqlite3_step(st);
    if (x->r->label) gvX_line(x, ws, row++, "Label", x->r->label, 0);
    if (stepped == SQLITE_ROW) {
        char number[32];
        snprintf(number, sizeof number, "%lld", x->r->run);
        gvX_line(x, ws, row++, "Run", number, 0);
        gvX_line(x, ws, row++, "Started (UTC)", gvR_text(st, 0), 1);
        gvX_line(x, ws, row++, "Finished (UTC)", gvR_text(st, 1), 1);
        gvX_line(x, ws, row++, "Engine version", gvR_text(st, 2), 0);
        gvX_line(x, ws, row++, "Config", gvR_text(st, 3), 0);
        gvX_line(x, ws, row++, "Config sha256", gvR_text(st, 4), 0);
        gvX_line(x, ws, row++, "Cases", gvR_text(st, 5), 0);
    }
    gvR_done(x->r, st, stepped == SQLITE_ROW ? SQLITE_DONE : stepped, &x->err);
    char rule[512];
    snprintf(
        rule, sizeof rule,
        gvT(x->r->lang,
            "Figures that count fewer than %g persons, or are made from such a count, are hidden"),
        x->r->suppress_below);
    if (x->r->suppress_below > 0)
        gvX_line(x, ws, row + 1, "hidden", rule, 0);
    else /* said on the first sheet, where the reader starts */
        gvX_line(x, ws, row + 1, "hidden",
                 gvT(x->r->lang,
                     "not for publication: small counts of persons are shown (--no-suppress)"),
                 0);
}

/* The workbook, written to path. */
static gv_status gvX_workbook(gv_report *r, const char *path, char **err) {
    gvX x;
    memset(&x, 0, sizeof x);
    x.r = r;
    lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    x.wb = workbook_new_opt(path, &options);
    if (!x.wb) {
        *err = gvU_mprintf("%s: cannot create the workbook", path);
        return GV_IO;
    }
    gvX_formats(&x);
    gvX_summary(&x);
    gvX_sheet(&x, "Indicators", gvR_tidy_sql("results"));
    gvX_sheet(&x, "Gains", gvR_tidy_sql("gains"));
    gvX_sheet(&x, "Value", gvR_tidy_sql("value"));
    gvX_sheet(&x, "Conversions",
              "SELECT currency, price_year, rate, cpi_from, cpi_to, factor FROM run_conversions"
              " WHERE run = ?1 ORDER BY 1, 2");
    gvX_sheet(&x, "Provenance",
              "SELECT indicator, module, module_kind, module_version, module_hash, params"
              " FROM run_indicators WHERE run = ?1 ORDER BY position");
    lxw_error closed = workbook_close(x.wb);
    if (x.err) {
        *err = x.err;
        return GV_DATABASE;
    }
    if (closed != LXW_NO_ERROR) {
        *err = gvU_mprintf("cannot write the workbook: %s", lxw_strerror(closed));
        return GV_IO;
    }
    return GV_OK;
}

/* Copy the file at path to out. */
static gv_status gvX_copy(const char *path, FILE *out, char **err) {
    FILE *in = fopen(path, "rb");
    if (!in) {
        *err = gvU_mprintf("%s: cannot read: %s", path, strerror(errno));
        return GV_IO;
    }
    char buf[65536];
    size_t n;
    int bad = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        bad |= fwrite(buf, 1, n, out) != n;
    bad |= ferror(in);
    fclose(in);
    if (!bad) return GV_OK;
    *err = gvU_mprintf("cannot write the workbook: %s", strerror(errno));
    return GV_IO;
}

gv_status gvR_write_xlsx(gv_report *r, char **err) {
    /* libxlsxwriter writes a named file: made in the temporary folder,
       then copied to out, which may be a pipe */
    const char *dir = getenv("TMPDIR");
    char *path = gvU_mprintf("%s/gevinst-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        *err = gvU_mprintf("%s: cannot create: %s", path, strerror(errno));
        free(path);
        return GV_IO;
    }
    close(fd);
    gv_status rc = gvX_workbook(r, path, err);
    if (rc == GV_OK) rc = gvX_copy(path, r->out, err);
    unlink(path);
    free(path);
    return rc;
}
