/*
** gv_csv.c -- one of a run's tables as tidy CSV, one row per value:
** results, gains or value.  For R, pandas and DuckDB as it is; with
** excel, the dialect Nordic (or English) Excel opens directly.
*/
#include <stdlib.h>
#include <string.h>

#include "report/gv_writers.h"

/* clang-format off */
static const char *const gvR_tidy_tables[][2] = {
    {"results",
     /* whether a value is hidden, looked up once a row by a join (where
        GVR_RESULT_HIDDEN and GVR_RESULT_RULE would look twice) */
     "SELECT r.run, r.indicator, r.case_id AS \"case\", r.period,"
     " CASE WHEN h.rule IS NOT NULL THEN NULL ELSE r.value END"
     " AS value, i.unit, r.status,"
     " r.error, i.module, i.module_version, r.coverage,"
     " CASE WHEN h.rule IS NOT NULL THEN 'hidden' END AS suppressed"
     GVR_RESULTS_IN_ORDER
     " LEFT JOIN temp.gvr_hidden h ON h.indicator = r.indicator AND h.case_id = r.case_id"
     " AND h.period = r.period" GVR_RESULTS_ORDER},
    {"gains", gvR_gains_table},
    {"value",
     "SELECT v.run, v.case_id AS \"case\", c.municipality, m.country, v.currency, v.price_year,"
     " v.discount_rate, v.investment,"
     " " GVR_VALUE_SHOWN("v.impact_year1") " AS impact_year1,"
     " " GVR_VALUE_SHOWN("v.present_value") " AS present_value,"
     " " GVR_VALUE_SHOWN("v.npv") " AS npv, " GVR_VALUE_SHOWN("v.sroi") " AS sroi,"
     " " GVR_VALUE_SHOWN("ratio_rounded(v.sroi)") " AS sroi_rounded,"
     " " GVR_VALUE_SHOWN("v.sroi_net") " AS sroi_net,"
     " " GVR_VALUE_SHOWN("v.payback_months") " AS payback_months,"
     " " GVR_VALUE_SHOWN("v.sroi_pessimistic") " AS sroi_pessimistic,"
     " " GVR_VALUE_SHOWN("v.sroi_likely") " AS sroi_likely,"
     " " GVR_VALUE_SHOWN("v.sroi_optimistic") " AS sroi_optimistic, v.error,"
     " " GVR_CASE_RULE("v.case_id") " AS suppressed FROM case_values v"
     " JOIN cases c ON c.id = v.case_id JOIN municipalities m ON m.code = c.municipality"
     " WHERE v.run = ?1 ORDER BY v.case_id"},
};
/* clang-format on */

void gvR_csv_text(FILE *out, const char *s, char sep) {
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

/* One value: numbers as numbers (with the decimal comma for Nordic
** Excel), text quoted where it must be. */
static void gvR_csv_cell(FILE *out, sqlite3_stmt *st, int i, int excel, int nordic, char sep) {
    char number[32];
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
        /* Excel would run "=..." as a formula: a leading ' keeps it text.
           OWASP's list of what starts one (CSV injection): = + - @, tab and
           carriage return; and a line feed, which Excel reads as CR */
        if (excel && text[0] && strchr("=+-@\t\r\n", text[0])) {
            char *quoted = gvU_mprintf("'%s", text); /* inside the field's quotes */
            gvR_csv_text(out, quoted, sep);
            free(quoted);
            break;
        }
        gvR_csv_text(out, text, sep);
    }
    }
}

const char *gvR_tidy_sql(const char *table) {
    for (size_t i = 0; i < sizeof gvR_tidy_tables / sizeof gvR_tidy_tables[0]; i++)
        if (strcmp(gvR_tidy_tables[i][0], table) == 0) return gvR_tidy_tables[i][1];
    return NULL;
}

gv_status gvR_write_csv(gv_report *r, char **err) {
    const char *table = r->table ? r->table : "results", *sql = gvR_tidy_sql(table);
    if (!sql) {
        *err = gvU_mprintf("unknown table '%s' (results, gains, value)", table);
        return GV_USAGE;
    }
    /* a hidden figure is an empty cell, and the row's `suppressed` says
       by which rule: numeric columns stay numeric in R and pandas */
    sqlite3_stmt *st = gvR_rows(r, sql, err);
    if (!st) return GV_DATABASE;
    r->hidden_null = 1;
    /* Excel in a Nordic locale opens this directly: a BOM says UTF-8, ';'
       separates, ',' is the decimal mark, lines end in CR LF; English
       Excel reads ',' and '.', and only English asks for it */
    int nordic = r->excel && !(r->lang_name && strcmp(r->lang_name, "en") == 0);
    char sep = nordic ? ';' : ',';
    const char *eol = r->excel ? "\r\n" : "\n";
    if (r->excel) fputs("\xEF\xBB\xBF", r->out);
    int ncol = sqlite3_column_count(st), stepped;
    for (int i = 0; i < ncol; i++) {
        if (i) fputc(sep, r->out);
        gvR_csv_text(r->out, sqlite3_column_name(st, i), sep);
    }
    fputs(eol, r->out);
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncol; i++) {
            if (i) fputc(sep, r->out);
            gvR_csv_cell(r->out, st, i, r->excel, nordic, sep);
        }
        fputs(eol, r->out);
    }
    r->hidden_null = 0;
    return gvR_done(r, st, stepped, err);
}
