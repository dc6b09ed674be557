/*
** gv_template.c -- `gevinst template`: the workbook an analyst fills in and
** imports as it is, one sheet per kind of file, named and headed in her
** language, each with an example row that imports, a note on each column
** and Excel's own checks (data validation) on what a column takes.
*/
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

#include "gevinst/gevinst.h"
#include "store/gv_store.h"

/* The languages of a template: English, bokmål, nynorsk, Danish (the
** order of gvI_heading and gvI_sheet_names). */
static const char *const gvK_langs[] = {"en", "nb", "nn", "da"};
static const char *const gvK_files[] = {"import-template.xlsx", "importmal.xlsx", "importmal.xlsx",
                                        "importskabelon.xlsx"};

/* The words of the notes, by language. */
enum {
    K_REQUIRED,
    K_OPTIONAL,
    K_TEXT,
    K_NUMBER,
    K_FRACTION,
    K_YEAR,
    K_COUNT,
    K_PERIOD,
    K_DATE,
    K_CHOICE,
    K_README,
    K_NWORDS
};
static const char *const gvK_words[K_NWORDS][4] = {
    {"Required.", "Må fylles ut.", "Må fyllast ut.", "Skal udfyldes."},
    {"Optional.", "Kan stå tom.", "Kan stå tom.", "Kan være tom."},
    {"Text.", "Tekst.", "Tekst.", "Tekst."},
    {"A number.", "Et tall.", "Eit tal.", "Et tal."},
    {"A share from 0 to 1 (20 % is 0.2).", "En andel fra 0 til 1 (20 % er 0,2).",
     "Ein del frå 0 til 1 (20 % er 0,2).", "En andel fra 0 til 1 (20 % er 0,2)."},
    {"A year (YYYY).", "Et år (ÅÅÅÅ).", "Eit år (ÅÅÅÅ).", "Et år (ÅÅÅÅ)."},
    {"A whole number from 1 to 1000.", "Et heltall fra 1 til 1000.", "Eit heiltal frå 1 til 1000.",
     "Et heltal fra 1 til 1000."},
    {"A period, written as text: 2022, 2022-Q1, 2022-03 or 2022-03-15.",
     "En periode, skrevet som tekst: 2022, 2022-Q1, 2022-03 eller 2022-03-15.",
     "Ein periode, skriven som tekst: 2022, 2022-Q1, 2022-03 eller 2022-03-15.",
     "En periode, skrevet som tekst: 2022, 2022-Q1, 2022-03 eller 2022-03-15."},
    {"A date.", "En dato.", "Ein dato.", "En dato."},
    {"One of:", "En av:", "Ein av:", "En af:"},
    {"Fill in one sheet per kind of data, then import each sheet, in this order:",
     "Fyll ut ett ark per slags data, og importer så hvert ark, i denne rekkefølgen:",
     "Fyll ut eitt ark per slag data, og importer så kvart ark, i denne rekkefølgja:",
     "Udfyld ét ark pr. slags data, og importér så hvert ark, i denne rækkefølge:"},
};

/* Each kind, in the order its sheets are imported (what a row refers to
** comes first), with its example row: column, value; a date as YYYY-MM-DD. */
static const char *const gvK_kinds[] = {"municipalities", "cases", "partners",    "observations",
                                        "inputs",         "gains", "gain_shares", NULL};
static const char *const gvK_examples[][3] = {
    {"municipalities", "code", "3005"},
    {"municipalities", "name", "Drammen"},
    {"municipalities", "country", "NO"},
    {"cases", "id", "drm-jobbkafe"},
    {"cases", "municipality", "3005"},
    {"cases", "title", "Jobbkafé på Strømsø"},
    {"cases", "start", "2022-01-01"},
    {"cases", "end", "2024-12-31"},
    {"partners", "case", "drm-jobbkafe"},
    {"partners", "name", "Frivilligsentralen"},
    {"partners", "type", "civil_society"},
    {"observations", "case", "drm-jobbkafe"},
    {"observations", "metric", "participants"},
    {"observations", "period", "2022-Q1"},
    {"observations", "value", "12"},
    {"observations", "unit", "persons"},
    {"inputs", "case", "drm-jobbkafe"},
    {"inputs", "partner", "Frivilligsentralen"},
    {"inputs", "period", "2022"},
    {"inputs", "kind", "volunteer_hours"},
    {"inputs", "amount", "420"},
    {"gains", "case", "drm-jobbkafe"},
    {"gains", "gain", "into_work"},
    {"gains", "indicator", "into_work"},
    {"gains", "type", "economic"},
    {"gains", "beneficiary", "state"},
    {"gains", "baseline", "2"},
    {"gains", "baseline_period", "2021"},
    {"gains", "target", "8"},
    {"gains", "target_period", "2024"},
    {"gain_shares", "case", "drm-jobbkafe"},
    {"gain_shares", "gain", "into_work"},
    {"gain_shares", "partner", "Frivilligsentralen"},
    {"gain_shares", "share", "0.5"},
};

static const char *gvK_example(const char *kind, const char *column) {
    for (size_t i = 0; i < sizeof gvK_examples / sizeof gvK_examples[0]; i++)
        if (strcmp(gvK_examples[i][0], kind) == 0 && strcmp(gvK_examples[i][1], column) == 0)
            return gvK_examples[i][2];
    return NULL;
}

typedef struct gvK {
    lxw_workbook *wb;
    int lang;
    lxw_format *heading, *text, *date;
} gvK;

/* The note on a column's heading: required or not, what it takes. */
static void gvK_note(const gvK *k, const gv_column_info *c, char *out, size_t size) {
    static const char *const types[] = {"text",  "number", "fraction", "year",
                                        "count", "period", "date"};
    int type = K_CHOICE;
    for (int i = 0; i < 7; i++)
        if (strcmp(c->type, types[i]) == 0) type = K_TEXT + i;
    int n = snprintf(out, size, "%s %s", gvK_words[c->required ? K_REQUIRED : K_OPTIONAL][k->lang],
                     gvK_words[type][k->lang]);
    for (int i = 0; c->choices && c->choices[i] && n > 0 && (size_t)n < size; i++)
        n += snprintf(out + n, size - (size_t)n, "%s%s", i ? ", " : " ", c->choices[i]);
}

/* Excel's own check on what a column takes, for the rows below its heading. */
static void gvK_validate(gvK *k, lxw_worksheet *ws, int col, const gv_column_info *c) {
    lxw_data_validation v;
    memset(&v, 0, sizeof v);
    v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    if (c->choices) {
        v.validate = LXW_VALIDATION_TYPE_LIST;
        v.criteria = LXW_VALIDATION_CRITERIA_NONE;
        v.value_list = (char **)c->choices;
    } else if (strcmp(c->type, "fraction") == 0) {
        v.validate = LXW_VALIDATION_TYPE_DECIMAL, v.maximum_number = 1;
    } else if (strcmp(c->type, "year") == 0) {
        v.validate = LXW_VALIDATION_TYPE_INTEGER, v.minimum_number = 1000, v.maximum_number = 9999;
    } else if (strcmp(c->type, "count") == 0) {
        v.validate = LXW_VALIDATION_TYPE_INTEGER, v.minimum_number = 1, v.maximum_number = 1000;
    } else if (strcmp(c->type, "period") == 0) { /* 2022 to 2022-03-15 */
        v.validate = LXW_VALIDATION_TYPE_LENGTH, v.minimum_number = 4, v.maximum_number = 10;
    } else {
        return;
    }
    char note[512];
    gvK_note(k, c, note, sizeof note);
    v.input_message = note;
    worksheet_data_validation_range(ws, 1, (lxw_col_t)col, 10000, (lxw_col_t)col, &v);
}

/* One kind's sheet: headings with notes, the example row, the checks. */
static void gvK_sheet(gvK *k, const char *kind) {
    gv_column_info cols[32];
    int n = gvI_columns(kind, cols, 32);
    lxw_worksheet *ws = workbook_add_worksheet(k->wb, gvI_sheet_names(kind)[k->lang]);
    for (int i = 0; i < n; i++) {
        const gv_column_info *c = &cols[i];
        const char *heading = gvI_heading(c->name, k->lang), *ex = gvK_example(kind, c->name);
        char note[512];
        gvK_note(k, c, note, sizeof note);
        worksheet_write_string(ws, 0, (lxw_col_t)i, heading, k->heading);
        worksheet_write_comment(ws, 0, (lxw_col_t)i, note);
        int date = strcmp(c->type, "date") == 0,
            text = !date && strcmp(c->type, "number") && strcmp(c->type, "fraction") &&
                   strcmp(c->type, "year") && strcmp(c->type, "count");
        /* periods and texts stay as typed: Excel would make 2022-03 a date */
        size_t width = strlen(heading) > 12 ? strlen(heading) : 12;
        if (ex && strlen(ex) > width) width = strlen(ex);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, (double)width + 3,
                             date   ? k->date
                             : text ? k->text
                                    : NULL);
        lxw_datetime dt = {0, 0, 0, 0, 0, 0};
        if (ex && date && sscanf(ex, "%4d-%2d-%2d", &dt.year, &dt.month, &dt.day) == 3)
            worksheet_write_datetime(ws, 1, (lxw_col_t)i, &dt, k->date);
        else if (ex && !text)
            worksheet_write_number(ws, 1, (lxw_col_t)i, strtod(ex, NULL), NULL);
        else if (ex)
            worksheet_write_string(ws, 1, (lxw_col_t)i, ex, k->text);
        gvK_validate(k, ws, i, c);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

/* The first sheet: what to do, and the commands that import each sheet. */
static void gvK_readme(gvK *k, const char *file) {
    lxw_worksheet *ws = workbook_add_worksheet(k->wb, k->lang == 0   ? "Read me"
                                                      : k->lang == 3 ? "Læs mig"
                                                                     : "Les meg");
    worksheet_set_column(ws, 0, 0, 90, NULL);
    worksheet_write_string(ws, 0, 0, gvK_words[K_README][k->lang], k->heading);
    worksheet_write_string(ws, 1, 0, "gevinst init cases.db", NULL);
    for (int i = 0; gvK_kinds[i]; i++) {
        char line[256];
        snprintf(line, sizeof line, "gevinst import cases.db %s %s", gvK_kinds[i], file);
        worksheet_write_string(ws, (lxw_row_t)(i + 2), 0, line, NULL);
    }
}

static gevinst_status gvK_write(const char *dir, const char *lang, char **path, char **err) {
    int l = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(lang ? lang : "en", gvK_langs[i]) == 0) l = i;
    if (l < 0) {
        *err = gvU_mprintf("unknown language '%s' (nb, nn, da, en)", lang);
        return GEVINST_STATUS_USAGE;
    }
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        *err = gvU_mprintf("%s: cannot create: %s", dir, strerror(errno));
        return GEVINST_STATUS_IO;
    }
    char *file = gvU_mprintf("%s/%s", dir, gvK_files[l]);
    if (gvU_file_exists(file)) {
        *err = gvU_mprintf("%s exists already; it is left as it is", file);
        free(file);
        return GEVINST_STATUS_USAGE;
    }
    gvK k = {workbook_new(file), l, NULL, NULL, NULL};
    if (!k.wb) {
        *err = gvU_mprintf("%s: cannot create the workbook", file);
        free(file);
        return GEVINST_STATUS_IO;
    }
    k.heading = workbook_add_format(k.wb);
    format_set_bold(k.heading);
    k.text = workbook_add_format(k.wb);
    format_set_num_format(k.text, "@");
    k.date = workbook_add_format(k.wb);
    format_set_num_format(k.date, l == 0 ? "yyyy-mm-dd" : "dd.mm.yyyy");
    gvK_readme(&k, gvK_files[l]);
    for (int i = 0; gvK_kinds[i]; i++)
        gvK_sheet(&k, gvK_kinds[i]);
    lxw_error closed = workbook_close(k.wb);
    if (closed != LXW_NO_ERROR) {
        *err = gvU_mprintf("%s: cannot write the workbook: %s", file, lxw_strerror(closed));
        remove(file);
        free(file);
        return GEVINST_STATUS_IO;
    }
    *path = file;
    return GEVINST_STATUS_OK;
}

gevinst_status gevinst_template(const char *dir, const char *lang, char **path, char **err) {
    gvU_oom_catch c;
    *path = *err = NULL;
    if (setjmp(c.to)) {
        *err = strdup("out of memory");
        return GEVINST_STATUS_NO_MEMORY;
    }
    gvU_catch_oom(&c);
    gevinst_status rc = gvK_write(dir, lang, path, err);
    gvU_end_catch(&c);
    return rc;
}
