/*
** gv_report.h -- the report layer: a stored run shown to people and
** programs.  One context (gv_report) and one writer per format behind one
** table (gv_report.c): text (gv_text.c), JSON (gv_json.c), CSV (gv_csv.c),
** HTML (gv_html.c), explain (gv_explain.c) and an Excel workbook
** (gv_xlsx.c).  Writers only read the database.  Privacy lives here:
** every writer hides counts of persons
** under the context's threshold, and what is made from them.  A new format
** is one file with one writer and one line in gvR_writers.  Depends on
** base, store and engine.
*/
#ifndef GV_REPORT_H
#define GV_REPORT_H

#include <stdio.h>

#include "engine/gv_engine.h"

/* What a report shows, and how. */
typedef struct gv_report {
    sqlite3 *db;
    long long run;         /* gvR_open: 0 is the latest finished run */
    gv_lang lang;          /* words and numbers: set from lang_name by gvR_open */
    const char *lang_name; /* "nb", "da" or "en"; NULL: English */
    double suppress_below; /* counts of persons under it are hidden; 0 shows all */
    const char *label;     /* on every page of HTML ("Synthetic data"); NULL: none */
    const char *table;     /* CSV: "results" (NULL), "gains" or "value" */
    int excel;             /* CSV: the dialect Excel opens (BOM, CR LF; Nordic: ';' and ',') */
    int hidden_null;       /* a writer's own: hidden figures as NULL, not the word */
    int colour;            /* a writer's own: text in colour (gvR_colour, asked once) */
    /* the cases shown: one case, the cases of one municipality, or (NULL) all */
    const char *only_case, *only_municipality;
    FILE *out;
    /* explain: one stored number */
    const char *what, *case_id, *period;
    /* the config the reader has now: the file as given, the path a run
       stores (absolute), its hash; a run is its config's */
    const char *config_file, *config_path, *config_hash;
    gv_diag *notes; /* what the reader should know of the run shown; may be NULL */
} gv_report;

/* One format. */
typedef struct gv_writer {
    const char *format; /* "text", "json", "csv", "html", "explain" */
    gv_status (*write)(gv_report *r, char **err);
} gv_writer;

extern const gv_writer gvR_writers[]; /* ends with format NULL */

/* Open the database at db_path for r, with r's privacy rules as SQL
** functions on it, and find r->run: when 0, the latest run of r's config
** (by its path); GV_NOT_FOUND with *err when there is none, or no such
** run; GV_USAGE for an unknown language.  A run of another config, or of
** this config before it changed, is noted in r->notes.  With only_case or
** only_municipality the report shows those cases alone, in every format;
** GV_NOT_FOUND when the run has none of them. */
gv_status gvR_open(gv_report *r, const char *db_path, char **err);

/* One run, as `gevinst runs` lists it. */
typedef struct gv_run_row {
    long long id;
    const char *started, *finished, *engine_version, *config_file, *config_hash;
    long values, no_data, errors; /* its results */
    long gains, gain_errors;      /* its gains' rows */
    long partial, incomplete;     /* values whose data cover part of their period; gains so */
} gv_run_row;
typedef int (*gvR_run_fn)(void *ud, const gv_run_row *row);
/* Every run of the database, oldest first, through fn (non-zero stops). */
gv_status gvR_runs(sqlite3 *db, gvR_run_fn fn, void *ud, char **err);
/* Write r in format; GV_USAGE for a format no writer has. */
gv_status gvR_write(gv_report *r, const char *format, char **err);
void gvR_close(gv_report *r);

/* text as one CSV field, quoted where it must be (RFC 4180) */
void gvR_csv_text(FILE *out, const char *s, char sep);

/* One value of the run, for programs. */
typedef struct gv_result_row {
    const char *indicator, *case_id, *period;
    int has_value;
    double value;
    const char *unit, *status, *error, *module, *module_version;
    int small; /* hidden by the context's privacy rule */
} gv_result_row;
/* Non-zero stops. */
typedef int (*gvR_result_fn)(void *ud, const gv_result_row *row);
/* Every value of r->run through fn, in the order reports list them. */
gv_status gvR_results(gv_report *r, gvR_result_fn fn, void *ud, char **err);

/* Colour for a person at a terminal: out is one, and NO_COLOR is not set. */
int gvR_colour(FILE *out);
/* The ANSI colour of a status ("achieved", "error", ...), or "". */
const char *gvR_status_colour(const char *status);

#endif
