/*
** gv_import.c -- all-or-nothing import of CSV files into the case database.
**
** Each KIND maps to one table; the CSV header names the columns, in any
** order.  Every field is checked before the row is written (type, period,
** choice, reference), inside one transaction, so the first bad field
** rejects the whole file with FILE:ROW:COLUMN and the database is left as
** it was.  CSV syntax is libcsv's (RFC 4180).  A file that brings more
** rows than its table holds is a bulk load: the table's indexes are built
** after it, and an observation's identity is checked then, the first
** offending row named as the row-by-row check would have named it.
*/
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/gv_store.h"

typedef enum {
    GVI_TEXT,
    GVI_NUMBER,
    GVI_FRACTION,    /* a number from 0 to 1 */
    GVI_YEAR,        /* a whole year, 1000..9999 */
    GVI_COUNT,       /* a whole number >= 1 */
    GVI_PERIOD,      /* a period; also stored as its first and last day */
    GVI_PERIOD_NAME, /* a period, stored as written (canonically) */
    GVI_DATE,
    GVI_CHOICE
} gvI_type;

typedef struct gvI_column {
    const char *name;   /* CSV header; also the SQL parameter :name */
    const char *column; /* table column */
    gvI_type type;
    int required;
    const char *const *choices; /* GVI_CHOICE */
    /* Reference check: ?1 is the field, ?2 the row's `case`; no row means
    ** the field names something that does not exist. */
    const char *ref_sql;
    const char *ref_what;
} gvI_column;

typedef struct gvI_table {
    const char *kind;
    const char *table;
    const char *noun; /* one row, for messages */
    const gvI_column *columns;
    const char *also_sql;     /* run before each row, with the same :name params */
    const char *first, *then; /* two dates or periods that must come in this order */
    /* run after each row, with the same :name params: a row it returns is
    ** the message why the row is refused */
    const char *check_sql;
} gvI_table;

static const char *const gvI_partner_types[] = {
    "municipality", "civil_society", "social_enterprise", "citizens", "business", "research", NULL};
static const char *const gvI_input_kinds[] = {"cash", "in_kind", "volunteer_hours", NULL};

#define GVI_CASE_REF "SELECT 1 FROM cases WHERE id = ?1", "case"

static const gvI_column gvI_municipality_columns[] = {
    {"code", "code", GVI_TEXT, 1, NULL, NULL, NULL},
    {"name", "name", GVI_TEXT, 1, NULL, NULL, NULL},
    {"country", "country", GVI_TEXT, 1, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const gvI_column gvI_case_columns[] = {
    {"id", "id", GVI_TEXT, 1, NULL, NULL, NULL},
    {"municipality", "municipality", GVI_TEXT, 1, NULL,
     "SELECT 1 FROM municipalities WHERE code = ?1", "municipality"},
    {"title", "title", GVI_TEXT, 1, NULL, NULL, NULL},
    {"start", "start_date", GVI_DATE, 0, NULL, NULL, NULL},
    {"end", "end_date", GVI_DATE, 0, NULL, NULL, NULL},
    {"description", "description", GVI_TEXT, 0, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const gvI_column gvI_partner_columns[] = {
    {"case", "case_id", GVI_TEXT, 1, NULL, GVI_CASE_REF},
    {"name", "name", GVI_TEXT, 1, NULL, NULL, NULL},
    {"type", "type", GVI_CHOICE, 1, gvI_partner_types, NULL, NULL},
    {"role", "role", GVI_TEXT, 0, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const gvI_column gvI_observation_columns[] = {
    {"case", "case_id", GVI_TEXT, 1, NULL, GVI_CASE_REF},
    {"metric", "metric", GVI_TEXT, 1, NULL, NULL, NULL},
    {"period", "period", GVI_PERIOD, 1, NULL, NULL, NULL},
    {"value", "value", GVI_NUMBER, 1, NULL, NULL, NULL},
    {"unit", "unit", GVI_TEXT, 0, NULL, NULL, NULL},
    {"subject", "subject", GVI_TEXT, 0, NULL, NULL, NULL},
    {"source", "source", GVI_TEXT, 0, NULL, NULL, NULL},
    {"note", "note", GVI_TEXT, 0, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const gvI_column gvI_input_columns[] = {
    {"case", "case_id", GVI_TEXT, 1, NULL, GVI_CASE_REF},
    {"partner", "partner", GVI_TEXT, 1, NULL,
     "SELECT 1 FROM partners WHERE name = ?1 AND case_id = ?2", "partner in this case"},
    {"period", "period", GVI_PERIOD, 1, NULL, NULL, NULL},
    {"kind", "kind", GVI_CHOICE, 1, gvI_input_kinds, NULL, NULL},
    {"amount", "amount", GVI_NUMBER, 1, NULL, NULL, NULL},
    {"currency", "currency", GVI_TEXT, 0, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const char *const gvI_gain_types[] = {"economic", "time", "quality", "other_actors", NULL};
static const char *const gvI_beneficiaries[] = {
    "municipality", "county", "state", "citizens", "civil_society", "social_enterprise", NULL};
static const char *const gvI_quantity_bases[] = {"actual", "change", NULL};

static const gvI_column gvI_gain_columns[] = {
    {"case", "case_id", GVI_TEXT, 1, NULL, GVI_CASE_REF},
    {"gain", "gain", GVI_TEXT, 1, NULL, NULL, NULL},
    {"indicator", "indicator", GVI_TEXT, 1, NULL, NULL, NULL},
    {"description", "description", GVI_TEXT, 0, NULL, NULL, NULL},
    {"type", "type", GVI_CHOICE, 1, gvI_gain_types, NULL, NULL},
    {"beneficiary", "beneficiary", GVI_CHOICE, 1, gvI_beneficiaries, NULL, NULL},
    {"owner", "owner", GVI_TEXT, 0, NULL, NULL, NULL},
    {"baseline", "baseline", GVI_NUMBER, 1, NULL, NULL, NULL},
    {"baseline_period", "baseline_period", GVI_PERIOD_NAME, 1, NULL, NULL, NULL},
    {"target", "target", GVI_NUMBER, 1, NULL, NULL, NULL},
    {"target_period", "target_period", GVI_PERIOD_NAME, 1, NULL, NULL, NULL},
    {"target_low", "target_low", GVI_NUMBER, 0, NULL, NULL, NULL},
    {"target_high", "target_high", GVI_NUMBER, 0, NULL, NULL, NULL},
    {"quantity_basis", "quantity_basis", GVI_CHOICE, 0, gvI_quantity_bases, NULL, NULL},
    {"proxy_value", "proxy_value", GVI_NUMBER, 0, NULL, NULL, NULL},
    {"currency", "currency", GVI_TEXT, 0, NULL, NULL, NULL},
    {"price_year", "price_year", GVI_YEAR, 0, NULL, NULL, NULL},
    {"deadweight", "deadweight", GVI_FRACTION, 0, NULL, NULL, NULL},
    {"attribution", "attribution", GVI_FRACTION, 0, NULL, NULL, NULL},
    {"displacement", "displacement", GVI_FRACTION, 0, NULL, NULL, NULL},
    {"drop_off", "drop_off", GVI_FRACTION, 0, NULL, NULL, NULL},
    {"duration_years", "duration_years", GVI_COUNT, 0, NULL, NULL, NULL},
    {"assumptions", "assumptions", GVI_TEXT, 0, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const gvI_column gvI_gain_share_columns[] = {
    {"case", "case_id", GVI_TEXT, 1, NULL, GVI_CASE_REF},
    {"gain", "gain", GVI_TEXT, 1, NULL, "SELECT 1 FROM gains WHERE gain = ?1 AND case_id = ?2",
     "gain in this case"},
    {"partner", "partner", GVI_TEXT, 1, NULL,
     "SELECT 1 FROM partners WHERE name = ?1 AND case_id = ?2", "partner in this case"},
    {"share", "share", GVI_FRACTION, 1, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL}};

static const gvI_table gvI_tables[] = {
    {"municipalities", "municipalities", "municipality", gvI_municipality_columns, NULL, NULL, NULL,
     NULL},
    {"cases", "cases", "case", gvI_case_columns, NULL, "start", "end", NULL},
    {"partners", "partners", "partner", gvI_partner_columns, NULL, NULL, NULL, NULL},
    /* the metric catalogue lets a run tell an unknown metric from no data */
    {"observations", "observations", "observation", gvI_observation_columns,
     "INSERT OR IGNORE INTO metrics (name, unit) VALUES (:metric, :unit)", NULL, NULL, NULL},
    {"inputs", "inputs", "input", gvI_input_columns, NULL, NULL, NULL,
     /* money needs its currency; hours have none */
     "SELECT :kind || ' amounts need a currency' WHERE :kind <> 'volunteer_hours'"
     " AND :currency IS NULL"
     " UNION ALL SELECT 'volunteer_hours are hours: leave currency empty'"
     " WHERE :kind = 'volunteer_hours' AND :currency IS NOT NULL"},
    {"gains", "gains", "gain", gvI_gain_columns, NULL, "baseline_period", "target_period",
     /* money needs its currency and price year: no hidden defaults */
     "SELECT 'proxy_value needs currency and price_year beside it'"
     " WHERE :proxy_value IS NOT NULL AND (:currency IS NULL OR :price_year IS NULL)"
     " UNION ALL SELECT 'target equals baseline: realisation cannot be measured'"
     " WHERE :target = :baseline"},
    {"gain_shares", "gain_shares", "gain share", gvI_gain_share_columns, NULL, NULL, NULL,
     /* partners share one outcome: more than all of it is double counting */
     "SELECT printf('shares of gain ''%s'' in case ''%s'' add up to %g %%; partners cannot "
     "claim more than all of it (double counting)', :gain, :case, 100 * sum(share))"
     " FROM gain_shares WHERE case_id = :case AND gain = :gain"
     " HAVING sum(share) > 1.000000001"},
};

const char *const gvI_kinds[] = {"municipalities", "cases", "partners",    "observations",
                                 "inputs",         "gains", "gain_shares", NULL};

/* What makes two rows the same thing (identity), and what a row says of
** it (content): a source imported again is compared by these. */
static const struct gvI_identity {
    const char *kind, *identity, *content;
    const char *children; /* the tables whose rows refer to this one's */
} gvI_identities[] = {
    {"municipalities", "code", "name,country", "cases"},
    {"cases", "id", "municipality,title,start_date,end_date,description",
     "partners,observations,inputs,gains"},
    {"partners", "case_id,name", "type,role", "inputs,gain_shares"},
    /* the period as its days: so the table's index finds it */
    {"observations", "metric,case_id,period_start,period_end,subject", "value,unit,source,note",
     ""},
    {"inputs", "case_id,partner,period,kind,amount,currency", "", ""},
    {"gains", "case_id,gain",
     "indicator,description,type,beneficiary,owner,baseline,baseline_period,target,"
     "target_period,target_low,target_high,quantity_basis,proxy_value,currency,price_year,"
     "deadweight,attribution,displacement,drop_off,duration_years,assumptions",
     "gain_shares"},
    {"gain_shares", "case_id,gain,partner", "share", ""},
};

/* An observation is one value of (case, metric, period, subject): where
** else one with this row's identity is, if anywhere (the period as its
** days, so observations_by_metric finds it). */
static const char gvI_same_observation[] =
    "SELECT import_source, import_row FROM observations WHERE metric = :metric"
    " AND case_id = :case AND period_start = :period_start AND period_end = :period_end"
    " AND subject IS :subject LIMIT 1";

#define GVI_MAXCOLS 64
#define GVI_EARLIER "earlier-imports" /* the source of rows from before sources */

/* A metric of the file, and whether its rows count persons: GVI_PERSONS
** when one does, GVI_NOT_PERSONS when one does not. */
typedef struct gvI_metric {
    char *name;
    int units;
} gvI_metric;
#define GVI_PERSONS 1
#define GVI_NOT_PERSONS 2

typedef struct gvI_state {
    const gvI_table *t;
    const char *file; /* for messages */
    sqlite3 *db;
    sqlite3_stmt *insert, *also, *check, *same;
    const char *source; /* the source the rows belong to; NULL: none (a config's gains) */
    int source_named;   /* it was named with --source, not taken from the file's name */
    sqlite3_stmt *ref[GVI_MAXCOLS];     /* by table column */
    int ncols;                          /* columns in the header */
    int width;                          /* ... and empty headings after them */
    const gvI_column *col[GVI_MAXCOLS]; /* header position -> column */
    int case_pos;                       /* header position of `case`, or -1 */
    char *field[GVI_MAXCOLS];
    int pidx[4][GVI_MAXCOLS + 4]; /* parameter numbers by statement and column; -1 unknown */
    char *checked[GVI_MAXCOLS];   /* the last value whose reference was found */
    gvI_metric *metrics;          /* the file's metrics, by name: the catalogue has them */
    int nmetrics, metrics_cap;
    int was_empty;       /* the table held no rows when the load began (the source's own
                            set aside) */
    char *indexes;       /* bulk load: the table's indexes, to build after it; NULL: kept */
    long find_row;       /* looking for the record with this ROW (to name its fields) */
    int find_nth;        /* ... and its observation (of a wide row), from 0 */
    char *find_other;    /* ... whose identity is also in this source */
    long find_other_row; /* ... and at this row */
    int nfield;
    long overflow; /* fields past GVI_MAXCOLS, counted, not kept */
    long row;      /* the record being read, as a spreadsheet numbers it */
    long nrows;    /* data rows stored */
    int have_header;
    int internal;      /* whose failure: 1 the database's, -1 reading the file, 0 the file's data */
    gv_diag *diag;     /* when set, every problem of the row goes here */
    int decimal_comma; /* fields between ';', or a workbook's: numbers may be written 12,5 */
    const int *field_lines; /* when set, the line of each field (a config's gain) */
    int no_column;        /* a record from a config: ROW is its line; its columns have no number */
    int last_end;         /* the character that ended the last record */
    const char *sheet;    /* a workbook's: the sheet read; NULL: a CSV file */
    const char *encoding; /* "Windows-1252" when read as such; NULL: UTF-8 */
    /* a wide sheet of observations: one column per metric, each row read
       as one observation a filled metric cell */
    int wide;
    int keep[GVI_MAXCOLS], nkeep; /* the file's columns that are no metric */
    char *metric_of[GVI_MAXCOLS]; /* by the file's column: its metric, or NULL */
    char *unit_of[GVI_MAXCOLS];   /* ... and the unit its heading gives, or NULL */
    int origin[GVI_MAXCOLS];      /* a field's column in the file */
    int wide_ncols, wide_width;   /* the file's header, as ncols and width */
    char *place;                  /* the file in messages: "book.xlsx[Sheet]"; NULL: file */
    const unsigned char *key;     /* --pseudonymise: subjects become keyed hashes; NULL: none */
    char pseudonym[36];
    char *err;
} gvI_state;

/* A kind's sheet in a workbook, in each language an analyst keeps one. */
static const char *const gvI_sheets[][5] = {
    /* kind             bokmål              nynorsk            Danish */
    {"municipalities", "kommuner", "kommunar", "kommuner", NULL},
    {"cases", "saker", "saker", "sager", NULL},
    {"partners", "partnere", "partnarar", "partnere", NULL},
    {"observations", "observasjoner", "observasjonar", "observationer", NULL},
    {"inputs", "innsats", "innsats", "indsats", NULL},
    {"gains", "gevinster", "gevinstar", "gevinster", NULL},
    {"gain_shares", "gevinstandeler", "gevinstdelar", "gevinstandele", NULL},
};

const char *const *gvI_sheet_names(const char *kind) {
    for (size_t i = 0; i < sizeof gvI_sheets / sizeof gvI_sheets[0]; i++)
        if (strcmp(gvI_sheets[i][0], kind) == 0) return gvI_sheets[i];
    return NULL;
}

static const gvI_table *gvI_find_table(const char *kind) {
    for (size_t i = 0; i < sizeof gvI_tables / sizeof gvI_tables[0]; i++)
        if (strcmp(gvI_tables[i].kind, kind) == 0) return &gvI_tables[i];
    return NULL;
}

/* Column pos (0-based) as Excel names it: A, B, ..., Z, AA, ... */
static const char *gvI_column_letters(int pos, char out[8]) {
    char rev[8];
    int n = 0;
    for (pos++; pos > 0 && n < 7; pos = (pos - 1) / 26)
        rev[n++] = (char)('A' + (pos - 1) % 26);
    for (int i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return out;
}

static void gvI_fail(gvI_state *s, int pos, const char *fmt, ...) GV_PRINTF(3, 4);
static void gvI_fail(gvI_state *s, int pos, const char *fmt, ...) {
    if (s->err && !s->diag) return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = gvU_vmprintf(fmt, ap);
    va_end(ap);
    long row = pos >= 0 && s->field_lines ? s->field_lines[pos] : s->row;
    const char *file = s->place ? s->place : s->file;
    char *err, letters[8];
    if (pos >= 0 && s->wide) pos = s->origin[pos]; /* the column in the file */
    if (pos >= 0 && !s->no_column && s->sheet)     /* and the cell as Excel names it */
        err = gvU_mprintf("%s:%ld:%d: %s (cell %s%ld)", file, row, pos + 1, msg,
                          gvI_column_letters(pos, letters), row);
    else if (pos >= 0 && !s->no_column)
        err = gvU_mprintf("%s:%ld:%d: %s", file, row, pos + 1, msg);
    else if (pos >= -1)
        err = gvU_mprintf("%s:%ld: %s", file, row, msg);
    else
        err = gvU_mprintf("%s: %s", file, msg);
    free(msg);
    if (s->diag) gvU_diag_add(s->diag, "%s", err);
    if (s->err)
        free(err);
    else
        s->err = err;
}

/* The database failed us (not the file): exit 4, not 3. */
static void gvI_db_fail(gvI_state *s) {
    char *why = gvD_errmsg(s->db, "database");
    gvI_fail(s, -1, "%s", why);
    free(why);
    s->internal = 1;
}

/* The headings an analyst writes for a column, besides its own name: in
** bokmål, nynorsk and Danish.  Any case is the same heading. */
static const char *const gvI_headings[][5] = {
    /* column        bokmål          nynorsk          Danish */
    {"case", "sak", "sak", "sag", NULL},
    {"municipality", "kommune", "kommune", "kommune", NULL},
    {"code", "kode", "kode", "kode", NULL},
    {"name", "navn", "namn", "navn", NULL},
    {"country", "land", "land", "land", NULL},
    {"title", "tittel", "tittel", "titel", NULL},
    {"start", "start", "start", "start", NULL},
    {"end", "slutt", "slutt", "slut", NULL},
    {"description", "beskrivelse", "skildring", "beskrivelse", NULL},
    {"role", "rolle", "rolle", "rolle", NULL},
    {"metric", "nøkkeltall", "nøkkeltal", "nøgletal", NULL},
    {"period", "periode", "periode", "periode", NULL},
    {"value", "verdi", "verdi", "værdi", NULL},
    {"unit", "enhet", "eining", "enhed", NULL},
    {"subject", "person", "person", "person", NULL},
    {"source", "kilde", "kjelde", "kilde", NULL},
    {"note", "merknad", "merknad", "bemærkning", NULL},
    {"kind", "art", "art", "art", NULL},
    {"amount", "beløp", "beløp", "beløb", NULL},
    {"currency", "valuta", "valuta", "valuta", NULL},
    {"gain", "gevinst", "gevinst", "gevinst", NULL},
    {"indicator", "indikator", "indikator", "indikator", NULL},
    {"beneficiary", "mottaker", "mottakar", "modtager", NULL},
    {"owner", "gevinsteier", "gevinsteigar", "gevinstejer", NULL},
    {"baseline", "nullpunkt", "nullpunkt", "udgangspunkt", NULL},
    {"baseline_period", "nullpunktsperiode", "nullpunktsperiode", "udgangsperiode", NULL},
    {"target", "mål", "mål", "mål", NULL},
    {"target_period", "målperiode", "målperiode", "målperiode", NULL},
    {"share", "andel", "del", "andel", NULL},
    {"target_low", "lavt mål", "lågt mål", "lavt mål", NULL},
    {"target_high", "høyt mål", "høgt mål", "højt mål", NULL},
    {"quantity_basis", "mengdegrunnlag", "mengdegrunnlag", "mængdegrundlag", NULL},
    {"proxy_value", "verdsetting", "verdsetjing", "værdisætning", NULL},
    {"price_year", "prisår", "prisår", "prisår", NULL},
    {"deadweight", "dødvekt", "daudvekt", "dødvægt", NULL},
    {"attribution", "tilskrivning", "tilskriving", "tilskrivning", NULL},
    {"displacement", "fortrengning", "fortrenging", "fortrængning", NULL},
    {"drop_off", "avtakning", "avtaking", "aftagning", NULL},
    {"duration_years", "varighet i år", "varigheit i år", "varighed i år", NULL},
    {"assumptions", "forutsetninger", "føresetnader", "forudsætninger", NULL},
};

/* s in lower case, ASCII and the Latin letters of UTF-8 (Æ Ø Å); at most
** size - 1 bytes. */
static void gvI_fold(const char *s, char *out, size_t size) {
    size_t n = 0;
    for (; *s && n + 1 < size; s++, n++) {
        unsigned char c = (unsigned char)*s;
        out[n] = (char)tolower(c);
        if (c == 0xC3 && s[1] && n + 2 < size) {
            unsigned char d = (unsigned char)*++s;
            out[++n] = (char)(d >= 0x80 && d <= 0x9E && d != 0x97 ? d + 0x20 : d);
        }
    }
    out[n] = '\0';
}

/* The column a heading names: its own name or one of its headings, in
** any case. */
static const gvI_column *gvI_column_named(const gvI_table *t, const char *heading) {
    char want[128], name[128];
    gvI_fold(heading, want, sizeof want);
    for (const gvI_column *c = t->columns; c->name; c++) {
        if (strcmp(c->name, want) == 0) return c;
        for (size_t i = 0; i < sizeof gvI_headings / sizeof gvI_headings[0]; i++) {
            if (strcmp(gvI_headings[i][0], c->name) != 0) continue;
            for (int k = 1; gvI_headings[i][k]; k++) {
                gvI_fold(gvI_headings[i][k], name, sizeof name);
                if (strcmp(name, want) == 0) return c;
            }
        }
    }
    return NULL;
}

int gvI_columns(const char *kind, gv_column_info *out, int max) {
    const gvI_table *t = gvI_find_table(kind);
    static const char *const types[] = {"text",   "number", "fraction", "year",  "count",
                                        "period", "period", "date",     "choice"};
    int n = 0;
    for (const gvI_column *c = t ? t->columns : NULL; c && c->name && n < max; c++, n++) {
        out[n].name = c->name;
        out[n].required = c->required;
        out[n].type = types[c->type];
        out[n].choices = c->choices;
    }
    return n;
}

const char *gvI_heading(const char *column, int lang) {
    for (size_t i = 0; lang >= 1 && lang <= 3 && i < sizeof gvI_headings / sizeof gvI_headings[0];
         i++)
        if (strcmp(gvI_headings[i][0], column) == 0) return gvI_headings[i][lang];
    return column;
}

static char *gvI_column_list(const gvI_table *t) {
    gvU_buf b = {0};
    for (const gvI_column *c = t->columns; c->name; c++)
        gvU_buf_printf(&b, "%s%s", c == t->columns ? "" : ", ", c->name);
    return gvU_buf_take(&b);
}

/* The column's DEFAULT in the schema, as SQL text, or NULL. */
static char *gvI_column_default(gvI_state *s, const char *column) {
    sqlite3_stmt *st;
    char *dflt = NULL;
    const char *table = strchr(s->t->table, '.') ? strchr(s->t->table, '.') + 1 : s->t->table;
    if (sqlite3_prepare_v2(s->db, "SELECT dflt_value FROM pragma_table_info(?1) WHERE name = ?2",
                           -1, &st, NULL) != SQLITE_OK) {
        gvI_db_fail(s);
        return NULL;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW && sqlite3_column_text(st, 0))
        dflt = gvU_strdup((const char *)sqlite3_column_text(st, 0));
    else if (stepped != SQLITE_ROW && stepped != SQLITE_DONE)
        gvI_db_fail(s);
    sqlite3_finalize(st);
    return dflt;
}

/* Every required column in the header; a header in bokmål, nynorsk or
** Danish (dialect 1 to 3) is told the missing one's heading in its own. */
static void gvI_required(gvI_state *s, const gvI_table *t, int dialect) {
    for (const gvI_column *c = t->columns; c->name && !s->err; c++) {
        int found = 0;
        for (int i = 0; i < s->ncols; i++)
            found |= s->col[i] == c;
        if (c->required && !found && dialect)
            gvI_fail(s, -1, "missing required column '%s' ('%s')", c->name,
                     gvI_heading(c->name, dialect));
        else if (c->required && !found)
            gvI_fail(s, -1, "missing required column '%s'", c->name);
    }
}

/* The header: map each name to a column, prepare the statements. */
static void gvI_header(gvI_state *s) {
    const gvI_table *t = s->t;
    /* empty headings at the end: columns a spreadsheet formatted, not filled */
    s->ncols = s->width = s->nfield;
    while (s->ncols > 0 && !s->field[s->ncols - 1])
        s->ncols--;
    s->case_pos = -1;
    int dialect = 0; /* 1 bokmål, 2 nynorsk, 3 Danish: the headings' */
    for (int i = 0; i < s->ncols && !s->err; i++) {
        const char *name = s->field[i] ? s->field[i] : "";
        if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0) name += 3; /* Excel's BOM */
        const gvI_column *c = gvI_column_named(t, name);
        if (!c) {
            char *list = gvI_column_list(t);
            gvI_fail(s, i, "unknown column '%s' (%s has: %s)", name, t->kind, list);
            free(list);
            return;
        }
        for (int k = 0; k < i; k++)
            if (s->col[k] == c) {
                gvI_fail(s, i, "column '%s' appears twice", name);
                return;
            }
        s->col[i] = c;
        if (strcmp(c->name, "case") == 0) s->case_pos = i;
        for (int l = 1; l <= 3 && !dialect; l++) /* the file's language, if not English */
            if (strcasecmp(name, c->name) && !strcasecmp(name, gvI_heading(c->name, l)))
                dialect = l;
    }
    gvI_required(s, t, dialect);
    if (s->err) return;

    gvU_buf cols = {0}, vals = {0};
    for (int i = 0; i < s->ncols; i++) {
        const gvI_column *c = s->col[i];
        gvU_buf_printf(&cols, "%s%s", i ? ", " : "", c->column);
        /* an empty field takes the column's default, as the schema says */
        char *dflt = gvI_column_default(s, c->column);
        if (dflt)
            gvU_buf_printf(&vals, "%scoalesce(:%s, %s)", i ? ", " : "", c->name, dflt);
        else
            gvU_buf_printf(&vals, "%s:%s", i ? ", " : "", c->name);
        free(dflt);
        if (c->type == GVI_PERIOD) {
            gvU_buf_puts(&cols, ", period_start, period_end");
            gvU_buf_puts(&vals, ", :period_start, :period_end");
        }
    }
    if (s->source) { /* where each row came from */
        gvU_buf_puts(&cols, ", import_source, import_row");
        gvU_buf_puts(&vals, ", :gvi_source, :gvi_row");
    }
    char *sql = gvU_mprintf("INSERT INTO %s (%s) VALUES (%s)", t->table, cols.s, vals.s);
    free(cols.s);
    free(vals.s);
    if (sqlite3_prepare_v2(s->db, sql, -1, &s->insert, NULL) != SQLITE_OK) gvI_db_fail(s);
    free(sql);
    if (!s->err && t->check_sql &&
        sqlite3_prepare_v2(s->db, t->check_sql, -1, &s->check, NULL) != SQLITE_OK)
        gvI_db_fail(s);
    if (!s->err && t->also_sql &&
        sqlite3_prepare_v2(s->db, t->also_sql, -1, &s->also, NULL) != SQLITE_OK)
        gvI_db_fail(s);
    /* a bulk load checks identities after it, through the index built then */
    if (!s->err && s->source && !s->indexes && strcmp(t->kind, "observations") == 0 &&
        sqlite3_prepare_v2(s->db, gvI_same_observation, -1, &s->same, NULL) != SQLITE_OK)
        gvI_db_fail(s);
    for (int i = 0; i < s->ncols && !s->err; i++)
        if (s->col[i]->ref_sql &&
            sqlite3_prepare_v2(s->db, s->col[i]->ref_sql, -1, &s->ref[i], NULL) != SQLITE_OK)
            gvI_db_fail(s);
}

/* Bind :name in statement k (0 insert, 1 also, 2 check, 3 same); the
** parameter's number is looked up once per file, in slot. */
static void gvI_bind(gvI_state *s, int k, int slot, const char *name, const char *text,
                     double *number) {
    sqlite3_stmt *const st_of[] = {s->insert, s->also, s->check, s->same};
    sqlite3_stmt *st = st_of[k];
    if (!st) return;
    int *cached = &s->pidx[k][slot];
    if (*cached < 0) {
        char param[80];
        snprintf(param, sizeof param, ":%s", name);
        *cached = sqlite3_bind_parameter_index(st, param);
    }
    int i = *cached;
    if (!i) return;
    if (number)
        sqlite3_bind_double(st, i, *number);
    else if (text)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Bind the field at pos in every statement of the row. */
static void gvI_bind_all(gvI_state *s, int pos, const char *text, double *number) {
    for (int k = 0; k < 4; k++)
        gvI_bind(s, k, pos, s->col[pos]->name, text, number);
}

/* A number field, checked for its type's range and bound; 0 when good. */
/* A number as Nordic spreadsheets show it, plainly: thousands spaces
** (also no-break and narrow no-break ones) between groups of three digits
** out, and a percent sign at the end out (*percent set).  NULL when v is
** not written so. */
static const char *gvI_plain_number(const char *v, char out[64], int *percent) {
    size_t n = 0, len = strlen(v);
    *percent = 0;
    if (len >= 64) return NULL;
    if (len && v[len - 1] == '%') { /* "30 %", "30%" */
        *percent = 1;
        len--;
        while (len && v[len - 1] == ' ')
            len--;
    }
    int digits = 0, grouped = 0; /* digits since the last space; spaces seen */
    for (size_t i = 0; i < len; i++) {
        size_t space = v[i] == ' '                                                      ? 1
                       : (unsigned char)v[i] == 0xC2 && (unsigned char)v[i + 1] == 0xA0 ? 2
                       : (unsigned char)v[i] == 0xE2 && (unsigned char)v[i + 1] == 0x80 &&
                               (unsigned char)v[i + 2] == 0xAF
                           ? 3
                           : 0;
        if (space) { /* only between digits, and only after 1 to 3 of them */
            if (!digits || (grouped && digits != 3) || digits > 3 || i + space >= len ||
                !isdigit((unsigned char)v[i + space]))
                return NULL;
            grouped = 1, digits = 0, i += space - 1;
            continue;
        }
        if (isdigit((unsigned char)v[i]))
            digits++;
        else if (grouped && digits != 3)
            return NULL;
        else
            digits = grouped ? -1000 : 0; /* a decimal mark ends the grouping */
        out[n++] = v[i];
    }
    if (grouped && digits >= 0 && digits != 3) return NULL;
    out[n] = '\0';
    return grouped || *percent ? out : NULL;
}

static int gvI_number_field(gvI_state *s, int pos, const char *v) {
    const gvI_column *c = s->col[pos];
    double number;
    char plain[64];
    int percent = 0;
    const char *shown = gvI_plain_number(v, plain, &percent);
    /* Nordic Excel writes 12,5 between semicolons, where it is unambiguous */
    char point[64];
    const char *text = shown ? shown : v, *comma = s->decimal_comma ? strchr(text, ',') : NULL;
    if (comma && !strchr(comma + 1, ',') && !strchr(text, '.') && strlen(text) < sizeof point) {
        snprintf(point, sizeof point, "%s", text);
        point[comma - text] = '.';
        text = point;
    }
    int bad = gvU_parse_number(text, &number) < 0;
    /* a share written as a percentage is the share: 30 % is 0.3 */
    if (!bad && percent && c->type == GVI_FRACTION) number /= 100;
    if (!bad && percent && c->type != GVI_FRACTION && c->type != GVI_NUMBER) bad = 1;
    if (bad) {
        gvI_fail(s, pos, "%s '%s' is not a number%s", c->name, v,
                 strchr(v, ',') && !s->decimal_comma ? " (use '.' as the decimal separator)" : "");
        return -1;
    }
    if (c->type == GVI_FRACTION && (number < 0 || number > 1)) {
        gvI_fail(s, pos, "%s '%s' must be a fraction from 0 to 1 (20 %% is 0.2)", c->name, v);
        return -1;
    }
    if (c->type == GVI_YEAR && (number < 1000 || number > 9999 || number != (long)number)) {
        gvI_fail(s, pos, "%s '%s' is not a year (YYYY)", c->name, v);
        return -1;
    }
    if (c->type == GVI_COUNT && (number < 1 || number > 1000 || number != (long)number)) {
        gvI_fail(s, pos, "%s '%s' must be a whole number from 1 to 1000", c->name, v);
        return -1;
    }
    gvI_bind_all(s, pos, NULL, &number);
    return 0;
}

/* A period or date field: *v becomes its canonical spelling (in p). */
/* A date as Norwegians and Danes write it, dd.mm.yyyy (or d.m.yyyy), as
** YYYY-MM-DD in out; NULL when v is not one. */
static const char *gvI_iso_date(const char *v, char out[16]) {
    int d, m, y, n = 0;
    if (sscanf(v, "%2d.%2d.%4d%n", &d, &m, &y, &n) != 3 || v[n] != '\0' || n < 8 || y < 1000)
        return NULL;
    if (!isdigit((unsigned char)v[0]) || m < 1 || m > 12 || d < 1 || d > 31 || y > 9999)
        return NULL;
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
    return out;
}

static int gvI_period_field(gvI_state *s, int pos, const char **v, gv_period *p) {
    const gvI_column *c = s->col[pos];
    char iso[16];
    const char *date = gvI_iso_date(*v, iso);
    if (gvP_parse(date ? date : *v, p) < 0 || (c->type == GVI_DATE && p->kind != GV_DAY)) {
        gvI_fail(s, pos, "%s '%s' is not a %s (%s)", c->name, *v,
                 c->type == GVI_DATE ? "date" : "period",
                 c->type == GVI_DATE ? "YYYY-MM-DD or DD.MM.YYYY" : GV_PERIOD_FORMS);
        return -1;
    }
    if (c->type == GVI_PERIOD) /* the row's, and the identity's (same) */
        for (int k = 0; k < 4; k += 3) {
            gvI_bind(s, k, GVI_MAXCOLS, "period_start", p->start, NULL);
            gvI_bind(s, k, GVI_MAXCOLS + 1, "period_end", p->end, NULL);
        }
    if (c->type != GVI_DATE || date) *v = p->text; /* canonical spelling */
    return 0;
}

static int gvI_choice_field(gvI_state *s, int pos, const char *v) {
    const gvI_column *c = s->col[pos];
    const char *const *ch = c->choices;
    while (*ch && strcmp(*ch, v) != 0)
        ch++;
    if (*ch) return 0;
    gvU_buf b = {0};
    for (ch = c->choices; *ch; ch++)
        gvU_buf_printf(&b, "%s%s", ch == c->choices ? "" : ", ", *ch);
    gvI_fail(s, pos, "%s '%s' is not one of: %s", c->name, v, b.s);
    free(b.s);
    return -1;
}

/* Does what the field names exist (its case, municipality, partner)? */
static int gvI_reference(gvI_state *s, int pos, const char *v) {
    /* rows of one case come together: a reference found is found again */
    if (!s->ref[pos] || (s->checked[pos] && strcmp(s->checked[pos], v) == 0 &&
                         (s->case_pos < 0 || pos == s->case_pos)))
        return 0;
    sqlite3_stmt *st = s->ref[pos];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
    if (s->case_pos >= 0 && s->field[s->case_pos])
        sqlite3_bind_text(st, 2, s->field[s->case_pos], -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        gvI_fail(s, pos, "unknown %s '%s'", s->col[pos]->ref_what, v);
        return -1;
    } else if (rc != SQLITE_ROW) {
        gvI_db_fail(s);
        return -1;
    }
    free(s->checked[pos]);
    s->checked[pos] = gvU_strdup(v);
    return 0;
}

/* A unit as the catalogue keeps it: persons in any case and in bokmål,
** nynorsk or Danish is "persons", which reports hide when small; any other
** as written. */
static const char *gvI_unit(const char *v) {
    static const char *const persons[] = {"persons",   "person",    "people",
                                          "personer",  "personar",  "personar",
                                          "deltakere", "deltagere", NULL};
    char folded[32];
    gvI_fold(v, folded, sizeof folded);
    for (int i = 0; persons[i]; i++)
        if (strcmp(folded, persons[i]) == 0) return "persons";
    return v;
}

/* A text field never holds a national identity number in clear: a
** subject becomes its pseudonym when the import has a key, anything else
** is refused, naming the kind of number but never the number. */
static int gvI_text_field(gvI_state *s, int pos, const char **v) {
    int subject = strcmp(s->col[pos]->name, "subject") == 0;
    char digits[24];
    const char *what = gvU_identity_in(*v, digits);
    if (subject && s->key && !gvU_is_pseudonym(*v)) {
        /* one person, one pseudonym: 150790-1234 and 1507901234 alike */
        gvU_pseudonym(s->key, what ? digits : *v, s->pseudonym);
        *v = s->pseudonym;
        return 0;
    }
    if (!what) return 0;
    if (subject)
        gvI_fail(s, pos,
                 "subject holds %s; identity numbers are never stored in clear: import with "
                 "--pseudonymise KEYFILE (make one with 'gevinst keygen KEYFILE')",
                 what);
    else
        gvI_fail(s, pos, "%s holds %s; identity numbers are never stored: take it out of the file",
                 s->col[pos]->name, what);
    return -1;
}

/* Check one field and bind it to the statements; 0 when good. */
static int gvI_field(gvI_state *s, int pos, const char *v) {
    const gvI_column *c = s->col[pos];
    gv_period p;
    if (!v) {
        if (c->required) gvI_fail(s, pos, "%s is empty; it is required", c->name);
        if (c->type == GVI_PERIOD)
            for (int k = 0; k < 4; k += 3) {
                gvI_bind(s, k, GVI_MAXCOLS, "period_start", NULL, NULL);
                gvI_bind(s, k, GVI_MAXCOLS + 1, "period_end", NULL, NULL);
            }
        gvI_bind_all(s, pos, NULL, NULL);
        return s->err ? -1 : 0;
    }
    char digits[24];
    const char *what = c->type == GVI_TEXT ? NULL : gvU_identity_in(v, digits);
    if (what) { /* said before any message that would show the field */
        gvI_fail(s, pos, "%s holds %s; identity numbers are never stored: take it out of the file",
                 c->name, what);
        return -1;
    }
    switch (c->type) {
    case GVI_TEXT:
        if (gvI_text_field(s, pos, &v) < 0) return -1;
        if (strcmp(c->name, "unit") == 0) v = gvI_unit(v);
        break;
    case GVI_NUMBER:
    case GVI_FRACTION:
    case GVI_YEAR:
    case GVI_COUNT:
        return gvI_number_field(s, pos, v);
    case GVI_PERIOD_NAME:
    case GVI_PERIOD:
    case GVI_DATE:
        if (gvI_period_field(s, pos, &v, &p) < 0) return -1;
        break;
    case GVI_CHOICE:
        if (gvI_choice_field(s, pos, v) < 0) return -1;
        break;
    }
    if (gvI_reference(s, pos, v) < 0) return -1;
    gvI_bind_all(s, pos, v, NULL);
    return 0;
}

/* Field of the row in column `name`, and its position (-1: absent). */
static const char *gvI_value(const gvI_state *s, const char *name, int *pos) {
    for (int i = 0; i < s->ncols; i++)
        if (strcmp(s->col[i]->name, name) == 0) return *pos = i, s->field[i];
    *pos = -1;
    return NULL;
}

static int gvI_lookup(sqlite3 *db, const char *sql, const char *a, const char *b, int ncol,
                      char **out);

/* How many rows of the table came before sources were kept. */
static long long gvI_earlier_rows(gvI_state *s) {
    char *sql = sqlite3_mprintf("SELECT count(*) FROM main.%s WHERE import_source = %Q",
                                s->t->table, GVI_EARLIER);
    char *n = NULL;
    if (sql) gvI_lookup(s->db, sql, "", NULL, 1, &n);
    sqlite3_free(sql);
    long long rows = n ? atoll(n) : 0;
    free(n);
    return rows;
}

static void gvI_same_fail(gvI_state *s, const char *other, long other_row);

/* The row's source and place, and for observations: is its identity free,
** in this file and in every other source?  0, or -1 with the failure. */
static int gvI_identity_free(gvI_state *s) {
    if (!s->source) return 0;
    double row = (double)s->row;
    gvI_bind(s, 0, GVI_MAXCOLS + 2, "gvi_source", s->source, NULL);
    gvI_bind(s, 0, GVI_MAXCOLS + 3, "gvi_row", NULL, &row);
    if (!s->same) return 0;
    int rc = sqlite3_step(s->same);
    if (rc == SQLITE_DONE) return 0;
    if (rc != SQLITE_ROW) {
        gvI_db_fail(s);
        return -1;
    }
    gvI_same_fail(s, (const char *)sqlite3_column_text(s->same, 0),
                  (long)sqlite3_column_int64(s->same, 1));
    return -1;
}

/* The row's observation is one whose identity the source `other` has at
** other_row already: refused, naming both. */
static void gvI_same_fail(gvI_state *s, const char *other, long other_row) {
    int pos;
    const char *subject = gvI_value(s, "subject", &pos);
    char *what = gvU_mprintf("observation of case '%s', metric '%s', period %s, %s%s%s",
                             gvI_value(s, "case", &pos), gvI_value(s, "metric", &pos),
                             gvI_value(s, "period", &pos), subject ? "subject '" : "no subject",
                             subject ? subject : "", subject ? "'" : "");
    if (other && strcmp(other, s->source) == 0)
        gvI_fail(s, -1, "the %s is also on row %ld of this file; an observation is one value", what,
                 other_row);
    else if (other && strcmp(other, GVI_EARLIER) == 0) {
        long long earlier = gvI_earlier_rows(s);
        gvI_fail(s, -1,
                 "the %s was imported before sources were kept (source '%s', %lld rows of %s); "
                 "--source %s would replace all %lld of them with this file's rows, so do that "
                 "only if this file holds them all",
                 what, GVI_EARLIER, earlier, s->t->table, GVI_EARLIER, earlier);
    } else
        gvI_fail(s, -1, "the %s is also in %s:%ld; an observation is one value", what,
                 other ? other : "another source", other_row);
    free(what);
}

/* Has the record as many fields as the header?  0, or -1 said why. */
static int gvI_field_count(gvI_state *s) {
    /* fields under the empty headings at the end must be empty too */
    while (s->nfield > s->ncols && !s->overflow && !s->field[s->nfield - 1])
        s->nfield--;
    if (s->nfield > s->ncols && s->nfield <= s->width && !s->overflow) {
        gvI_fail(s, s->nfield - 1,
                 "a value in a column with no heading; give the column a heading, or "
                 "leave it empty");
        return -1;
    }
    if (s->nfield == s->ncols && !s->overflow) return 0;
    long n = s->nfield + s->overflow; /* every field, those not kept too */
    /* the hint fits the file: in a ';' file a comma is no separator */
    gvI_fail(s, -1, "%ld fields, but the header has %d%s", n, s->ncols,
             n <= s->ncols      ? ""
             : s->decimal_comma ? " (a text that holds a ';'? write it in quotes)"
                                : " (a decimal comma, as in 12,5? write 12.5; or quote a "
                                  "text that holds a comma)");
    return -1;
}

static int gvI_metric_cmp(const void *a, const void *b) {
    return strcmp(((const gvI_metric *)a)->name, ((const gvI_metric *)b)->name);
}

/* The metric catalogue has the row's metric, and the file's list of metrics
** says whether the row counts persons; a metric the list has is in the
** catalogue already.  0, or -1 the database failed. */
static int gvI_also(gvI_state *s) {
    int pos;
    gvI_metric key = {(char *)gvI_value(s, "metric", &pos), 0};
    const char *unit = gvI_value(s, "unit", &pos);
    if (!key.name) return 0;
    gvI_metric *m = s->nmetrics
                        ? bsearch(&key, s->metrics, (size_t)s->nmetrics, sizeof key, gvI_metric_cmp)
                        : NULL;
    if (!m) {
        if (sqlite3_step(s->also) != SQLITE_DONE) {
            gvI_db_fail(s);
            return -1;
        }
        if (s->nmetrics == s->metrics_cap) {
            s->metrics_cap = s->metrics_cap ? 2 * s->metrics_cap : 16;
            s->metrics = gvU_realloc(s->metrics, (size_t)s->metrics_cap * sizeof key);
        }
        int at = 0; /* kept sorted: a file has few metrics, and each goes in once */
        while (at < s->nmetrics && strcmp(s->metrics[at].name, key.name) < 0)
            at++;
        memmove(&s->metrics[at + 1], &s->metrics[at], (size_t)(s->nmetrics - at) * sizeof key);
        s->metrics[at] = (gvI_metric){gvU_strdup(key.name), 0};
        s->nmetrics++;
        m = &s->metrics[at];
    }
    m->units |= unit && strcmp(gvI_unit(unit), "persons") == 0 ? GVI_PERSONS : GVI_NOT_PERSONS;
    return 0;
}

static void gvI_found(gvI_state *s);

static void gvI_row(gvI_state *s) {
    if (s->find_row) { /* read again, only to name the row's fields */
        gvI_found(s);
        return;
    }
    if (gvI_field_count(s) < 0) return;
    /* a statement takes new values only once reset */
    sqlite3_reset(s->insert);
    if (s->also) sqlite3_reset(s->also);
    if (s->check) sqlite3_reset(s->check);
    if (s->same) sqlite3_reset(s->same);
    for (int i = 0; i < s->ncols; i++)
        if (gvI_field(s, i, s->field[i]) < 0) {
            if (!s->diag) return;
            /* as written: a bad value is not also a missing one to the row checks */
            gvI_bind_all(s, i, s->field[i], NULL);
        }
    if (s->err) { /* every problem wanted: the checks of the whole row too */
        int stepped = SQLITE_DONE;
        while (s->check && (stepped = sqlite3_step(s->check)) == SQLITE_ROW)
            gvI_fail(s, -1, "%s", (const char *)sqlite3_column_text(s->check, 0));
        if (stepped != SQLITE_DONE) gvI_db_fail(s);
        return;
    }
    if (s->t->first) {
        int p0, p1;
        const char *a = gvI_value(s, s->t->first, &p0), *b = gvI_value(s, s->t->then, &p1);
        gv_period pa, pb;
        if (a && b && gvP_parse(a, &pa) == 0 && gvP_parse(b, &pb) == 0 &&
            strcmp(pb.end, pa.end) < 0) {
            gvI_fail(s, p1, "%s '%s' is before %s '%s'", s->t->then, b, s->t->first, a);
            return;
        }
    }
    /* the catalogue row first: observations reference it */
    if (s->also && gvI_also(s) < 0) return;
    if (gvI_identity_free(s) < 0) return;
    int rc = sqlite3_step(s->insert);
    if (rc == SQLITE_DONE) s->nrows++;
    if (rc != SQLITE_DONE) {
        int ext = sqlite3_extended_errcode(s->db);
        if (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE)
            gvI_fail(s, -1,
                     "duplicate %s: another row has the same key, in this file or in "
                     "the database (%s)",
                     s->t->noun, sqlite3_errmsg(s->db));
        else if (gvD_status(s->db, GV_BAD_DATA) == GV_DATABASE)
            gvI_db_fail(s); /* the file's failure: a full disk, a read-only one */
        else
            gvI_fail(s, -1, "database refused the row: %s", sqlite3_errmsg(s->db));
        /* constraints are the data's fault; anything else is the database's */
        s->internal = (ext & 0xff) != SQLITE_CONSTRAINT;
        return;
    }
    while (s->check && (rc = sqlite3_step(s->check)) == SQLITE_ROW && (!s->err || s->diag))
        gvI_fail(s, -1, "%s", (const char *)sqlite3_column_text(s->check, 0));
    if (s->check && rc != SQLITE_DONE && rc != SQLITE_ROW) gvI_db_fail(s);
}

static void gvI_clear_fields(gvI_state *s) {
    for (int i = 0; i < s->nfield; i++)
        free(s->field[i]);
    s->nfield = 0;
    s->overflow = 0;
}

/* libcsv: one field ended. */
static void gvI_on_field(void *data, size_t len, void *ud) {
    gvI_state *s = ud;
    if (s->err) return;
    if (s->nfield == GVI_MAXCOLS) {
        s->overflow++;
        return;
    }
    int pos = s->nfield;
    const char *text = data ? data : "";
    if (memchr(text, '\0', len)) {
        gvI_fail(s, pos, "field contains a NUL byte");
        return;
    }
    long bad = gvU_utf8_invalid(text, len);
    if (bad >= 0) {
        gvI_fail(s, pos, "field is not valid UTF-8 (byte %ld); save the file as UTF-8", bad + 1);
        return;
    }
    char *f = NULL;
    if (len > 0) {
        f = gvU_malloc(len + 1);
        memcpy(f, text, len);
        f[len] = '\0';
    }
    s->field[s->nfield++] = f;
}

/* ------------------------------------------------------------ wide sheets */

/* Is the header a wide sheet's: observations with no metric or value
** column, and headings that are no column (each a metric)? */
static int gvI_is_wide(const gvI_state *s) {
    if (strcmp(s->t->kind, "observations") != 0) return 0;
    int metrics = 0;
    for (int i = 0; i < s->nfield; i++) {
        if (!s->field[i]) continue;
        const gvI_column *c = gvI_column_named(s->t, s->field[i]);
        if (c && (strcmp(c->name, "metric") == 0 || strcmp(c->name, "value") == 0)) return 0;
        metrics += !c;
    }
    return metrics > 0;
}

/* Set the record's fields to n texts (copied; NULL stays NULL). */
static void gvI_set_fields(gvI_state *s, const char *const *texts, int n) {
    gvI_clear_fields(s);
    for (int i = 0; i < n; i++)
        s->field[s->nfield++] = texts[i] ? gvU_strdup(texts[i]) : NULL;
}

/* The wide header: each heading a column or a metric ("deltakere" or,
** with its unit, "deltakere [persons]"); then the long header it is read
** as: the columns kept, metric, value, and unit when headings give one. */
static void gvI_wide_header(gvI_state *s) {
    const char *names[GVI_MAXCOLS + 3];
    int units = 0, n = 0, first_metric = 0;
    s->wide = 1;
    s->wide_width = s->wide_ncols = s->nfield;
    while (s->wide_ncols > 0 && !s->field[s->wide_ncols - 1])
        s->wide_ncols--;
    for (int i = 0; i < s->wide_ncols; i++) {
        const char *h = s->field[i] ? s->field[i] : "";
        const gvI_column *c = gvI_column_named(s->t, h);
        if (c) {
            s->origin[n] = i, s->keep[s->nkeep++] = i, names[n++] = c->name;
            units |= strcmp(c->name, "unit") == 0 ? 2 : 0;
            continue;
        }
        const char *open = strrchr(h, '[');
        int bracket = open && h[strlen(h) - 1] == ']'; /* "deltakere [persons]" */
        size_t len = bracket ? (size_t)(open - h) : strlen(h);
        while (len && h[len - 1] == ' ')
            len--;
        s->metric_of[i] = gvU_mprintf("%.*s", (int)len, h);
        if (bracket) {
            s->unit_of[i] = gvU_mprintf("%.*s", (int)(strlen(open) - 2), open + 1);
            units |= 1;
        }
        if (!first_metric) first_metric = i + 1;
    }
    units = units == 1; /* a unit column of the file's own wins */
    names[n] = "metric", names[n + 1] = "value", names[n + 2] = "unit";
    for (int k = n; k < n + 3; k++)
        s->origin[k] = first_metric - 1;
    gvI_set_fields(s, names, n + 2 + units);
    gvI_header(s);
}

/* A wide row: an observation for each metric cell that holds a value. */
static void gvI_wide_row(gvI_state *s) {
    char *row[GVI_MAXCOLS];
    int n = s->nfield;
    long overflow = s->overflow;
    memcpy(row, s->field, (size_t)n * sizeof *row);
    s->nfield = 0;
    while (n > s->wide_ncols && !overflow && !row[n - 1])
        free(row[--n]);
    int bad = n > s->wide_ncols || overflow;
    if (bad) gvI_fail(s, -1, "%ld fields, but the header has %d", n + overflow, s->wide_ncols);
    const char *fields[GVI_MAXCOLS + 3];
    for (int j = 0; j < n && !bad && (!s->err || s->diag); j++) {
        if (!s->metric_of[j] || !row[j]) continue;
        int k = 0;
        for (; k < s->nkeep; k++)
            fields[k] = s->keep[k] < n ? row[s->keep[k]] : NULL;
        fields[k] = s->metric_of[j], fields[k + 1] = row[j], fields[k + 2] = s->unit_of[j];
        for (int i = k; i < k + 3; i++)
            s->origin[i] = j;
        gvI_set_fields(s, fields, s->ncols);
        gvI_row(s);
    }
    gvI_clear_fields(s);
    for (int j = 0; j < n; j++)
        free(row[j]);
}

/* libcsv: one record ended, or (CSV_REPALL_NL) a line break outside one.
** Counting blank lines keeps ROW as a spreadsheet shows it; the \n of a
** \r\n pair is no line of its own. */
static void gvI_on_row(int c, void *ud) {
    gvI_state *s = ud;
    int blank = 1; /* ";;;" is as blank as an empty line */
    for (int i = 0; i < s->nfield && blank; i++)
        blank = !s->field[i];
    int crlf = blank && c == '\n' && s->last_end == '\r';
    s->last_end = c;
    if (crlf) return;
    if (!s->err && !blank && (!s->find_row || s->row == s->find_row)) {
        if (!s->have_header) {
            gvI_is_wide(s) ? gvI_wide_header(s) : gvI_header(s);
            s->have_header = 1;
        } else {
            s->wide ? gvI_wide_row(s) : gvI_row(s);
        }
    }
    gvI_clear_fields(s);
    s->row++;
}

/* Is the file Windows-1252, as Excel saves "CSV (semikolondelt)"?  It is
** when it is not UTF-8 and holds no UTF-8 sequence at all: a file with both
** is broken UTF-8, refused at its first bad field.  The file is rewound. */
static int gvI_windows_1252(FILE *f) {
    unsigned char buf[65536];
    size_t n;
    long valid = 0, invalid = 0;
    int need = 0; /* continuation bytes the sequence still needs */
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && !valid)
        for (size_t i = 0; i < n; i++) {
            unsigned c = buf[i];
            if (need && (c & 0xC0) == 0x80) {
                valid += --need == 0;
                continue;
            }
            invalid += need > 0;
            need = 0;
            if (c < 0x80) continue;
            if (c >= 0xC2 && c <= 0xDF)
                need = 1;
            else if ((c & 0xF0) == 0xE0)
                need = 2;
            else if (c >= 0xF0 && c <= 0xF4)
                need = 3;
            else
                invalid++;
        }
    invalid += need > 0;
    rewind(f);
    return invalid && !valid;
}

/* Windows-1252 text as UTF-8, in out (3 bytes at most for each); its
** length, or -1 at a byte Windows-1252 has no character for. */
static long gvI_from_1252(iconv_t cd, char *in, size_t n, char *out, size_t size) {
    char *o = out;
    size_t left = size;
    if (iconv(cd, &in, &n, &o, &left) == (size_t)-1) return -1;
    return (long)(size - left);
}

/* Read the file through libcsv, row by row, until the end or an error. */
static void gvI_parse(gvI_state *s, FILE *f) {
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL);
    iconv_t cd = (iconv_t)-1;
    if (gvI_windows_1252(f) && (cd = iconv_open("UTF-8", "WINDOWS-1252")) != (iconv_t)-1)
        s->encoding = "Windows-1252";
    /* Excel in a Norwegian or Danish locale separates fields with ';': a
       header line with semicolons and no commas says the file is such */
    char line[4096];
    if (fgets(line, sizeof line, f) && strchr(line, ';') && !strchr(line, ','))
        csv_set_delim(&p, ';'), s->decimal_comma = 1;
    rewind(f);
    char buf[65536], *utf8 = cd != (iconv_t)-1 ? gvU_malloc(3 * sizeof buf) : NULL, *data = buf;
    size_t n;
    while (!s->err && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (utf8) {
            long len = gvI_from_1252(cd, buf, n, utf8, 3 * sizeof buf);
            if (len < 0) {
                gvI_fail(s, -2,
                         "a byte that is neither UTF-8 nor Windows-1252; save the file "
                         "as \"CSV UTF-8\"");
                break;
            }
            data = utf8, n = (size_t)len;
        }
        if (csv_parse(&p, data, n, gvI_on_field, gvI_on_row, s) != n && !s->err)
            gvI_fail(s, -1, "malformed CSV: %s",
                     csv_error(&p) == CSV_EPARSE
                         ? "a quote inside a field that is not quoted as a whole (write the field "
                           "in quotes and its quotes doubled)"
                         : csv_strerror(csv_error(&p)));
    }
    free(utf8);
    if (cd != (iconv_t)-1) iconv_close(cd);
    if (!s->err && ferror(f)) gvI_fail(s, -1, "read error");
    if (!s->err && csv_fini(&p, gvI_on_field, gvI_on_row, s) != 0)
        gvI_fail(s, -1, "malformed CSV: %s",
                 csv_error(&p) == CSV_EPARSE ? "unterminated quoted field"
                                             : csv_strerror(csv_error(&p)));
    if (!s->err && !s->have_header) gvI_fail(s, -2, "empty file; expected a header row");
    gvI_clear_fields(s);
    csv_free(&p);
}

/* A workbook's cell, and the end of its row, as libcsv's callbacks. */
static int gvI_book_field(const char *text, size_t len, void *ud) {
    gvI_state *s = ud;
    gvI_on_field((void *)text, len, s);
    return s->err != NULL;
}

static int gvI_book_row(void *ud) {
    gvI_state *s = ud;
    /* cells left empty at a row's end are empty fields, not missing ones */
    while (s->have_header && s->nfield > 0 && s->nfield < s->ncols)
        s->field[s->nfield++] = NULL;
    gvI_on_row('\n', s);
    return s->err != NULL;
}

/* Read the workbook's sheet, row by row, as gvI_parse reads a CSV file. */
static void gvI_parse_book(gvI_state *s) {
    char *chosen = NULL, *err = NULL;
    /* a number cell comes as digits and a point; a comma is in a text cell
       a Nordic analyst typed (12,5), as between semicolons */
    s->decimal_comma = 1;
    if (gvB_read(s->file, s->sheet, NULL, gvI_book_field, gvI_book_row, s, &chosen, &err) < 0 &&
        !s->err) {
        s->err = err ? err : gvU_mprintf("%s: cannot be read", s->place);
        s->internal = 0; /* the workbook's content, as a CSV file's: bad data */
        err = NULL;
    }
    free(err);
    free(chosen);
    if (!s->err && !s->have_header) gvI_fail(s, -2, "empty sheet; expected a header row");
    gvI_clear_fields(s);
}

/* Note an import of the source in imports, the source's history: what it
** held before is 'replaced'; what it holds now is this file's rows, or
** nothing ('removed').  0, or -1 with *err. */
static int gvI_note_import(sqlite3 *db, const char *kind, const char *source, const char *file,
                           const char *hash, long rows, const char *state, char **err) {
    char now[32];
    gvU_now_iso(now);
    sqlite3_stmt *up = NULL, *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "UPDATE imports SET state = 'replaced' WHERE source = ?1 AND"
                                " kind = ?2 AND state = 'current'",
                                -1, &up, NULL) == SQLITE_OK &&
                     sqlite3_prepare_v2(db,
                                        "INSERT INTO imports (kind, source, file, sha256, rows,"
                                        " imported, engine_version, state) VALUES (?1, ?2, ?3,"
                                        " ?4, ?5, ?6, ?7, ?8)",
                                        -1, &st, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    if (rc == 0) {
        sqlite3_bind_text(up, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, kind, -1, SQLITE_STATIC);
        const char *const texts[] = {kind, source, file, hash};
        for (int i = 0; i < 4; i++)
            sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, rows);
        sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, GEVINST_VERSION, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, state, -1, SQLITE_STATIC);
        rc = sqlite3_step(up) == SQLITE_DONE && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    if (rc < 0) *err = gvD_errmsg(db, "database");
    sqlite3_finalize(up);
    sqlite3_finalize(st);
    return rc;
}

static void gvI_record_file(gvI_state *s, const char *kind, const char *hash) {
    char *full = strcmp(s->file, "stdin") == 0 ? NULL : realpath(s->file, NULL);
    if (gvI_note_import(s->db, kind, s->source, full ? full : s->file, hash, s->nrows, "current",
                        &s->err) < 0)
        s->internal = 1;
    free(full);
}

/* The statements of one file's (or one config gain's) rows. */
static void gvI_finish(gvI_state *s) {
    for (int i = 0; i < GVI_MAXCOLS; i++)
        free(s->metric_of[i]), free(s->unit_of[i]);
    sqlite3_finalize(s->insert);
    sqlite3_finalize(s->also);
    sqlite3_finalize(s->check);
    sqlite3_finalize(s->same);
    for (int i = 0; i < GVI_MAXCOLS; i++)
        sqlite3_finalize(s->ref[i]), free(s->checked[i]);
    for (int i = 0; i < s->nmetrics; i++)
        free(s->metrics[i].name);
    free(s->metrics);
    free(s->indexes);
    free(s->find_other);
}

/* ---------------------------------------------------------------- sources */

static const struct gvI_identity *gvI_identity_of(const char *kind) {
    for (size_t i = 0; i < sizeof gvI_identities / sizeof gvI_identities[0]; i++)
        if (strcmp(gvI_identities[i].kind, kind) == 0) return &gvI_identities[i];
    return NULL;
}

/* The text columns of the one row sql gives, with ?1, ?2, ... bound to
** the nargs args, in out[0 .. ncol - 1] (all NULL when there is no row):
** 0 found, 1 no row, -1 the database failed. */
static int gvI_lookup_args(sqlite3 *db, const char *sql, const char *const *args, int nargs,
                           int ncol, char **out) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK ? SQLITE_OK : SQLITE_ERROR;
    for (int i = 0; rc == SQLITE_OK && i < nargs; i++)
        sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    for (int i = 0; i < ncol; i++)
        out[i] = rc == SQLITE_ROW ? gvU_strdup((const char *)sqlite3_column_text(st, i)) : NULL;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

/* The same with ?1 bound to a, and ?2 to b unless it is NULL. */
static int gvI_lookup(sqlite3 *db, const char *sql, const char *a, const char *b, int ncol,
                      char **out) {
    const char *const args[] = {a, b};
    return gvI_lookup_args(db, sql, args, b ? 2 : 1, ncol, out);
}

/* A source holds one kind of rows (the rows from before sources excepted):
** 0, or -1 refused. */
static int gvI_one_kind(gvI_state *s, const char *kind) {
    if (strcmp(s->source, GVI_EARLIER) == 0) return 0;
    char *other = NULL;
    int found = gvI_lookup(s->db,
                           "SELECT kind FROM imports WHERE source = ?1 AND kind <> ?2"
                           " AND state = 'current' LIMIT 1",
                           s->source, kind, 1, &other);
    if (found == 0) {
        s->err = gvU_mprintf("%s: source '%s' holds %s; name this file's source with --source",
                             s->file, s->source, other);
        s->internal = -1;
    } else if (found < 0) {
        gvI_db_fail(s);
    }
    free(other);
    return found == 1 ? 0 : -1;
}

/* The same content under another source's name would count its rows
** twice: 0, or -1 refused. */
static int gvI_not_elsewhere(gvI_state *s, const char *kind, const char *hash) {
    char *other[3];
    const char *const args[] = {kind, hash, s->source};
    int found = gvI_lookup_args(s->db,
                                "SELECT imported, file, source FROM imports WHERE kind = ?1"
                                " AND sha256 = ?2 AND source <> ?3 AND state = 'current' LIMIT 1",
                                args, 3, 3, other);
    if (found == 0)
        s->err = gvU_mprintf("%s: this file was imported as %s before, on %s (from %s); importing "
                             "it again would store its rows twice (it is source '%s': import it "
                             "under that name to update it)",
                             s->file, kind, other[0], other[1], other[2]);
    else if (found < 0)
        gvI_db_fail(s);
    for (int i = 0; i < 3; i++)
        free(other[i]);
    return found == 1 ? 0 : -1;
}

/* What the source holds now, against this file (at path): the same content
** (nothing to do: res->same), rows to replace (res->replaced), or a source
** of another file that only --source may replace.  0 to go on, 1 when
** done, -1 refused. */
static int gvI_check_source(gvI_state *s, const char *kind, const char *hash, const char *path,
                            gv_import_result *res) {
    if (gvI_one_kind(s, kind) < 0) return -1;
    char *cur[4]; /* sha256, imported, rows, file: the same content first, else the latest */
    const char *const args[] = {s->source, kind, hash};
    int found = gvI_lookup_args(s->db,
                                "SELECT sha256, imported, rows, file FROM imports WHERE source = ?1"
                                " AND kind = ?2 AND state = 'current'"
                                " ORDER BY sha256 = ?3 DESC, id DESC LIMIT 1",
                                args, 3, 4, cur);
    int rc = 0;
    if (found < 0) {
        gvI_db_fail(s);
        return -1;
    } else if (found == 0 && strcmp(cur[0], hash) == 0) {
        res->same = 1;
        res->since = gvU_strdup(cur[1]);
        res->rows = atol(cur[2]);
        rc = 1;
    } else if (found == 0 && !s->source_named && strcmp(cur[3], path) != 0 &&
               gvU_file_exists(cur[3])) {
        /* the same name in another folder, while the source's own file is
           still where it was, is not yet the same spreadsheet; once that
           file has gone (a project folder moved) it is */
        s->err = gvU_mprintf("%s: source '%s' was imported from %s; give --source %s to replace "
                             "its rows with this file's, or another --source name to keep both",
                             s->file, s->source, cur[3], s->source);
        s->internal = -1;
        rc = -1;
    } else {
        res->replaced = found == 0;
    }
    for (int i = 0; i < 4; i++)
        free(cur[i]);
    if (rc != 0) return rc;
    return gvI_not_elsewhere(s, kind, hash);
}

/* Replacing: what the source held goes aside (temp.gvi_old), to compare
** the new rows with, and out of the table. */
static void gvI_set_aside(gvI_state *s) {
    /* no index of its own: the comparison looks each old row up in the
       table, by the table's own index of the identity */
    char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS temp.gvi_old;"
                                " CREATE TEMP TABLE gvi_old AS SELECT * FROM main.%s"
                                " WHERE import_source = %Q;",
                                s->t->table, s->source);
    /* a source that is the whole table (one spreadsheet, the usual case)
       empties it at once, rather than row by row through every index */
    char *whole = sqlite3_mprintf("SELECT min(import_source) = %Q AND max(import_source) = %Q"
                                  " AND NOT EXISTS (SELECT 1 FROM main.%s WHERE import_source"
                                  " IS NULL) FROM main.%s",
                                  s->source, s->source, s->t->table, s->t->table);
    char *flag = NULL;
    int all = whole && gvI_lookup(s->db, whole, "", NULL, 1, &flag) == 0 && flag &&
              strcmp(flag, "1") == 0;
    free(flag);
    sqlite3_free(whole);
    char *drop = all ? sqlite3_mprintf("DELETE FROM main.%s", s->t->table)
                     : sqlite3_mprintf("DELETE FROM main.%s WHERE import_source = %Q", s->t->table,
                                       s->source);
    if (sql && drop) {
        sql = sqlite3_mprintf("%z %z;", sql, drop);
    } else {
        sqlite3_free(sql), sqlite3_free(drop);
        sql = NULL;
    }
    char *err = NULL;
    if (!sql || gvD_exec(s->db, sql, &err) < 0) {
        gvI_db_fail(s);
        free(err);
    }
    sqlite3_free(sql);
}

/* " AND n.a IS o.a AND n.b IS o.b": two rows agree on the columns in list. */
static void gvI_agree(gvU_buf *b, const char *list) {
    char *copy = gvU_strdup(list), *save = NULL;
    for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
        gvU_buf_printf(b, " AND n.%s IS o.%s", c, c);
    free(copy);
}

/* Run a comparison (?1 the source) that gives the rows set aside, those of
** them the new rows match by identity, and by content too; frees sql. */
static void gvI_compare_sql(gvI_state *s, char *sql, gv_import_result *res) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        gvI_db_fail(s);
    } else {
        sqlite3_bind_text(st, 1, s->source, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) gvI_db_fail(s);
        long old = (long)sqlite3_column_int64(st, 0), matched = (long)sqlite3_column_int64(st, 1);
        res->unchanged = (long)sqlite3_column_int64(st, 2);
        res->changed = matched - res->unchanged;
        res->added = s->nrows - matched;
        res->removed = old - matched;
        sqlite3_finalize(st);
    }
    free(sql);
}

/* The comparison of rows whose identity is all they say (inputs: two like
** payments are two inputs): per distinct row, as many match as both sides
** have, found by sorting both sides together, never one row against
** every other. */
static char *gvI_compare_counted(const gvI_table *t, const struct gvI_identity *id) {
    return gvU_mprintf("SELECT (SELECT count(*) FROM temp.gvi_old), total(min(o, n)),"
                       " total(min(o, n)) FROM (SELECT sum(side = 0) AS o, sum(side = 1) AS n"
                       " FROM (SELECT %s, 0 AS side FROM temp.gvi_old UNION ALL"
                       " SELECT %s, 1 FROM main.%s WHERE import_source = ?1) GROUP BY %s)",
                       id->identity, id->identity, t->table, id->identity);
}

/* What changed against the rows set aside: added, changed, removed,
** unchanged, by the kind's identity and content. */
static void gvI_compare(gvI_state *s, gv_import_result *res) {
    const struct gvI_identity *id = gvI_identity_of(s->t->kind);
    if (!*id->content) {
        gvI_compare_sql(s, gvI_compare_counted(s->t, id), res);
        return;
    }
    gvU_buf same = {0}, alike = {0};
    gvU_buf_puts(&same, "n.import_source IS ?1");
    gvI_agree(&same, id->identity);
    gvU_buf_puts(&alike, "1");
    gvI_agree(&alike, id->content);
    /* one pass over the old rows, each found among the new by its identity
       (CROSS JOIN: old first, so the table's index does the finding) */
    char *sql = gvU_mprintf("SELECT (SELECT count(*) FROM temp.gvi_old), count(n.rowid),"
                            " total(%s) FROM temp.gvi_old o CROSS JOIN main.%s n ON %s",
                            alike.s, s->t->table, same.s);
    free(same.s), free(alike.s);
    gvI_compare_sql(s, sql, res);
}

/* Rows of `table` (NULL: of every table) that refer to what the import
** took away (a case, a partner, a gain): refused by name.  0; -1 refused,
** -2 the database failed; *err. */
static int gvI_references_kept_in(sqlite3 *db, const char *table, const char *label, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check(?1)",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "database");
        return -2;
    }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        const char *parent = (const char *)sqlite3_column_text(st, 2);
        char *sql = sqlite3_mprintf("SELECT import_source, import_row FROM main.%s"
                                    " WHERE rowid = %lld",
                                    table, (long long)sqlite3_column_int64(st, 1));
        char *where[2] = {NULL, NULL};
        if (sql) gvI_lookup(db, sql, "", NULL, 2, where);
        sqlite3_free(sql);
        *err = gvU_mprintf("%s: %s still refer to %s it would take away (%s%s%s); change or "
                           "remove those first",
                           label, table, parent, where[0] ? where[0] : "a row", where[1] ? ":" : "",
                           where[1] ? where[1] : "");
        free(where[0]), free(where[1]);
    } else if (rc != SQLITE_DONE) {
        *err = gvD_errmsg(db, "database");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : rc == SQLITE_ROW ? -1 : -2;
}

/* The same for the tables that refer to `kind` (NULL: every table). */
static int gvI_references_kept(sqlite3 *db, const char *kind, const char *label, char **err) {
    if (!kind) return gvI_references_kept_in(db, NULL, label, err);
    char *children = gvU_strdup(gvI_identity_of(kind)->children), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(children, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save))
        rc = gvI_references_kept_in(db, t, label, err);
    free(children);
    return rc;
}

/* ------------------------------------------------------------ the input */

static long long gvI_max_bytes = GVI_MAX_BYTES;

void gvI_set_max_bytes(long long n) {
    gvI_max_bytes = n > 0 ? n : GVI_MAX_BYTES;
}

/* What an import reads, read and hashed whole before the write lock is
** taken: a regular file, or standard input copied to a temporary file.
** Nothing else: a device (/dev/zero) or a pipe by name would never end,
** and the lock would be held all the while. */
typedef struct gvI_input {
    FILE *f;          /* at its start, to be parsed */
    const char *name; /* for messages: the path, or "stdin" */
    char hash[65];
    struct stat seen; /* a regular file as hashed, to see it unchanged */
} gvI_input;

static gv_status gvI_too_big(const char *name, char **err) {
    *err = gvU_mprintf("%s: larger than import reads (%lld bytes); split it into sources", name,
                       gvI_max_bytes);
    return GV_USAGE;
}

/* Open the named file, without waiting for a writer (a FIFO) on the way. */
static gv_status gvI_open_file(gvI_input *in, const char *path, char **err) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &in->seen) < 0) {
        *err = gvU_mprintf("%s: cannot open: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return GV_USAGE;
    }
    if (!S_ISREG(in->seen.st_mode)) {
        close(fd);
        *err = gvU_mprintf("%s: not a regular file; import reads files, or standard input "
                           "given as '-'",
                           path);
        return GV_USAGE;
    }
    if (in->seen.st_size > gvI_max_bytes) {
        close(fd);
        return gvI_too_big(path, err);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!(in->f = fdopen(fd, "rb"))) close(fd);
    return GV_OK;
}

static gv_status gvI_read_input(gvI_input *in, const char *path, char **err) {
    memset(in, 0, sizeof *in);
    int from_stdin = strcmp(path, "-") == 0;
    in->name = from_stdin ? "stdin" : path;
    gv_status rc = from_stdin ? GV_OK : gvI_open_file(in, path, err);
    if (rc != GV_OK) return rc;
    FILE *src = from_stdin ? stdin : in->f;
    if (from_stdin) in->f = tmpfile();
    long long n;
    int hashed =
        in->f ? gvU_sha256_stream(src, from_stdin ? in->f : NULL, gvI_max_bytes, &n, in->hash) : -1;
    if (hashed == 0 && fseek(in->f, 0, SEEK_SET) == 0) return GV_OK;
    rc = hashed > 0 ? gvI_too_big(in->name, err) : GV_USAGE;
    if (hashed <= 0) *err = gvU_mprintf("%s: cannot read: %s", in->name, strerror(errno));
    if (in->f) fclose(in->f);
    in->f = NULL;
    return rc;
}

/* The file is as it was hashed (a file changed while waiting for the
** lock would be stored under another file's hash). */
static int gvI_unchanged(const gvI_input *in) {
    struct stat now;
    if (!S_ISREG(in->seen.st_mode)) return 1; /* our own copy of stdin */
    return fstat(fileno(in->f), &now) == 0 && now.st_size == in->seen.st_size &&
           now.st_mtim.tv_sec == in->seen.st_mtim.tv_sec &&
           now.st_mtim.tv_nsec == in->seen.st_mtim.tv_nsec;
}

/* Read, check and store the file in the transaction that is open; the
** caller commits or rolls back. */
/* A metric counts persons in every row or in none: privacy rests on it
** (docs/privacy.md), so it is the metric's, never its first row's.  The
** first row of this file that disagrees with the metric's other rows (of
** other sources first) is refused; the catalogue then says what its rows
** say. */
static const char gvI_units_sql[] =
    "WITH m AS (SELECT metric FROM observations WHERE metric IN (SELECT value FROM"
    " json_each(?2)) GROUP BY metric"
    " HAVING max(unit IS 'persons') <> min(unit IS 'persons')),"
    " ref AS (SELECT m.metric, (SELECT json_array(x.unit IS 'persons', x.import_source,"
    " x.import_row, x.import_source IS ?1) FROM observations x WHERE x.metric = m.metric"
    " ORDER BY x.import_source IS ?1, x.import_source, x.import_row LIMIT 1) AS r FROM m)"
    " SELECT o.import_row, o.metric, coalesce(o.unit, ''), CASE WHEN r ->> 3 THEN 'row '"
    " || (r ->> 2) || ' of this file' ELSE coalesce(r ->> 1, '') || ':' || (r ->> 2) END"
    " FROM observations o JOIN ref USING (metric) WHERE o.import_source = ?1"
    " AND (o.unit IS 'persons') <> (r ->> 0) ORDER BY o.import_row LIMIT 1";

/* The file's metrics as a JSON array: every one, or (mixed) those whose
** rows in this file count persons in some rows and not in others. */
static char *gvI_metric_list(const gvI_state *s, int mixed) {
    gvU_buf b = {0};
    gvU_buf_puts(&b, "[");
    for (int i = 0, n = 0; i < s->nmetrics; i++) {
        if (mixed && s->metrics[i].units != (GVI_PERSONS | GVI_NOT_PERSONS)) continue;
        if (n++) gvU_buf_puts(&b, ",");
        gvU_buf_json(&b, s->metrics[i].name);
    }
    gvU_buf_puts(&b, "]");
    return gvU_buf_take(&b);
}

static void gvI_units_agree(gvI_state *s) {
    if (strcmp(s->t->kind, "observations") != 0) return;
    char *f[4] = {NULL, NULL, NULL, NULL};
    /* into a table that held no other rows, a metric can only disagree
       with itself: only those whose rows here disagree are looked at */
    char *list = gvI_metric_list(s, s->was_empty);
    int rc = strcmp(list, "[]") == 0 ? 1 : gvI_lookup(s->db, gvI_units_sql, s->source, list, 4, f);
    free(list);
    if (rc < 0) gvI_db_fail(s);
    if (rc == 0) {
        int pos = -1;
        for (int i = 0; i < s->ncols; i++)
            if (strcmp(s->col[i]->name, "unit") == 0 ||
                (pos < 0 && strcmp(s->col[i]->name, "metric") == 0))
                pos = i;
        s->row = atol(f[0]);
        /* a wide sheet's row holds many metrics: the place is the metric's column */
        for (int j = 0; s->wide && pos >= 0 && j < s->wide_ncols; j++)
            if (s->metric_of[j] && strcmp(s->metric_of[j], f[1]) == 0) s->origin[pos] = j;
        int persons = strcmp(f[2], "persons") == 0;
        gvI_fail(s, pos,
                 "metric '%s' is %s here but %s in %s; a metric counts persons in every row or "
                 "in none",
                 f[1],
                 persons ? "in persons"
                 : *f[2] ? "not in persons"
                         : "without a unit",
                 persons ? "not" : "in persons", f[3]);
    }
    for (int i = 0; i < 4; i++)
        free(f[i]);
    /* each metric's rows agree now: the first of them says its unit */
    list = gvI_metric_list(s, 0);
    if (!s->err && gvI_lookup(s->db,
                              "UPDATE metrics SET unit = (SELECT o.unit FROM observations o"
                              " WHERE o.metric = metrics.name LIMIT 1) WHERE name IN (SELECT"
                              " value FROM json_each(?1))",
                              list, NULL, 0, NULL) < 0)
        gvI_db_fail(s);
    free(list);
}

/* ------------------------------------------------------------ bulk load */

/* Does the table hold no rows (the source's own set aside)? */
static int gvI_is_empty(gvI_state *s) {
    char *sql = sqlite3_mprintf("SELECT NOT EXISTS (SELECT 1 FROM main.%s)", s->t->table);
    char *empty = NULL;
    if (!sql || gvI_lookup(s->db, sql, "", NULL, 1, &empty) < 0) gvI_db_fail(s);
    sqlite3_free(sql);
    int yes = empty && strcmp(empty, "1") == 0;
    free(empty);
    return yes;
}

/* A file brings about one row for every GVI_ROW_BYTES of it at least (the
** rows of gen-data's observations are 40 bytes): a guess on the low side
** keeps the indexes of a big table more often than it builds them anew. */
#define GVI_ROW_BYTES 64

/* Are the table's indexes better built after the load than kept row by
** row?  When the table holds fewer rows than the file likely brings:
** building an index sorts once (SQLite's sorter, in bounded memory, in
** temporary files past it), keeping it seeks once a row; a small file into
** a big table keeps them.  Counting stops at what the file brings. */
static int gvI_bulk_wanted(gvI_state *s, const gvI_input *in) {
    struct stat st;
    if (fstat(fileno(in->f), &st) < 0) return 0;
    long long expect = (long long)st.st_size / GVI_ROW_BYTES + 1;
    char *sql = sqlite3_mprintf("SELECT count(*) < %lld FROM (SELECT 1 FROM main.%s LIMIT %lld)",
                                expect, s->t->table, expect);
    char *fewer = NULL;
    if (!sql || gvI_lookup(s->db, sql, "", NULL, 1, &fewer) < 0) gvI_db_fail(s);
    sqlite3_free(sql);
    int bulk = fewer && strcmp(fewer, "1") == 0;
    free(fewer);
    return bulk;
}

/* Take the table's own indexes out for the load (the transaction brings
** them back if it rolls back); s->indexes is how to build them again.
** Indexes SQLite keeps for a key stay: they refuse a duplicate key. */
static void gvI_drop_indexes(gvI_state *s) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, sql FROM main.sqlite_schema WHERE type = 'index'"
                           " AND tbl_name = ?1 AND sql IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK) {
        gvI_db_fail(s);
        return;
    }
    sqlite3_bind_text(st, 1, s->t->table, -1, SQLITE_STATIC);
    gvU_buf make = {0}, drop = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gvU_buf_printf(&make, "%s;", (const char *)sqlite3_column_text(st, 1));
        char *one = sqlite3_mprintf("DROP INDEX main.\"%w\";", sqlite3_column_text(st, 0));
        gvU_buf_puts(&drop, one ? one : "");
        sqlite3_free(one);
    }
    sqlite3_finalize(st);
    char *err = NULL;
    if (rc != SQLITE_DONE || (drop.s && gvD_exec(s->db, drop.s, &err) < 0)) {
        gvI_db_fail(s);
        free(make.s);
    } else {
        s->indexes = make.s ? make.s : gvU_strdup("");
    }
    free(err);
    free(drop.s);
}

/* The first observation of this source (in the order it was read) whose
** identity another row has, as the row-by-row check would have met it:
** another source's row first (the first by the index's order), else the
** first of this file's rows.  Its row, which of the row's observations it
** is (a wide row gives at most GVI_MAXCOLS, 64, with ids one after the
** other), and the other's source and row. */
static const char gvI_repeated_sql[] =
    "WITH g AS (SELECT metric, case_id, period_start, period_end, subject"
    " FROM main.observations GROUP BY metric, case_id, period_start, period_end, subject"
    " HAVING count(*) > 1),"
    " r AS (SELECT o.id, o.import_source IS ?1 AS new, o.import_row,"
    " row_number() OVER w AS n, first_value(o.import_source) OVER w AS other,"
    " first_value(o.import_row) OVER w AS other_row FROM g JOIN main.observations o"
    " ON o.metric = g.metric AND o.case_id = g.case_id AND o.period_start = g.period_start"
    " AND o.period_end = g.period_end AND o.subject IS g.subject"
    " WINDOW w AS (PARTITION BY o.metric, o.case_id, o.period_start, o.period_end, o.subject"
    " ORDER BY o.import_source IS ?1, CASE WHEN o.import_source IS ?1 THEN NULL"
    " ELSE o.value END, o.id))"
    " SELECT r.import_row, (SELECT count(*) FROM main.observations x WHERE x.id >= r.id - "
    "64 AND x.id < r.id AND x.import_row = r.import_row AND x.import_source IS ?1),"
    " other, other_row FROM r WHERE new AND n > 1 ORDER BY id LIMIT 1";

/* The record being read again is the one sought: its nth observation's
** identity is another's, and the message names its fields. */
static void gvI_found(gvI_state *s) {
    if (s->find_nth-- == 0) gvI_same_fail(s, s->find_other, s->find_other_row);
}

/* Did a row of the load repeat an observation's identity?  Then that is
** the file's first problem, before any found after it: the file is read
** again up to its row, to name its fields as written. */
static void gvI_repeated_identity(gvI_state *s, const gvI_input *in) {
    char *f[4] = {NULL, NULL, NULL, NULL};
    int found = gvI_lookup(s->db, gvI_repeated_sql, s->source, NULL, 4, f);
    if (found < 0) {
        free(s->err), s->err = NULL;
        gvI_db_fail(s);
    } else if (found == 0) {
        free(s->err), s->err = NULL;
        s->internal = 0;
        s->find_row = atol(f[0]), s->find_nth = atoi(f[1]);
        s->find_other = f[2] ? gvU_strdup(f[2]) : NULL, s->find_other_row = f[3] ? atol(f[3]) : 0;
        s->row = 1, s->last_end = 0;
        rewind(in->f);
        s->sheet ? gvI_parse_book(s) : gvI_parse(s, in->f);
        if (!s->err) { /* the row is no longer there */
            s->err = gvU_mprintf("%s: changed while it was imported; import it again", s->file);
            s->internal = -1;
        }
    }
    for (int i = 0; i < 4; i++)
        free(f[i]);
}

/* After a bulk load: the indexes built, and what the row-by-row checks
** found through them checked now, over the whole load at once. */
static void gvI_after_load(gvI_state *s, const gvI_input *in) {
    int identities = s->source && strcmp(s->t->kind, "observations") == 0;
    if (s->err && !identities) return; /* refused: rolled back, indexes and all */
    char *err = NULL;
    if (gvD_exec(s->db, s->indexes, &err) < 0) {
        free(s->err), s->err = NULL;
        gvI_db_fail(s);
    } else if (identities) {
        gvI_repeated_identity(s, in);
    }
    free(err);
}

static void gvI_file(gvI_state *s, const char *kind, const gvI_input *in, gv_import_result *res) {
    FILE *f = in->f;
    char hash[65];
    snprintf(hash, sizeof hash, "%s", in->hash);
    /* what is stored is the file's content, and which sheet, and the key
       subjects were pseudonymised with (by its own pseudonym, never the
       key): the same file with another key is other content */
    char key_print[36] = "";
    if (s->key) gvU_pseudonym(s->key, "gevinst key fingerprint", key_print);
    if (s->sheet || s->key) {
        char *all = gvU_mprintf("%s\n%s\n%s", hash, s->sheet ? s->sheet : "", key_print);
        gvU_sha256_text(all, hash);
        free(all);
    }
    char *full = strcmp(s->file, "stdin") == 0 ? NULL : realpath(s->file, NULL);
    int checked = gvI_check_source(s, kind, hash, full ? full : s->file, res);
    free(full);
    if (checked != 0) return;
    if (res->replaced) gvI_set_aside(s);
    if (!s->err) s->was_empty = gvI_is_empty(s);
    if (!s->err && !s->diag && gvI_bulk_wanted(s, in)) gvI_drop_indexes(s);
    if (!s->err) s->sheet ? gvI_parse_book(s) : gvI_parse(s, f);
    if (s->indexes && s->internal <= 0) gvI_after_load(s, in);
    if (!s->err) gvI_units_agree(s);
    if (!s->err && !gvI_unchanged(in)) {
        s->err = gvU_mprintf("%s: changed while it was imported; import it again", s->file);
        s->internal = -1;
    }
    if (s->err) return;
    if (res->replaced) {
        gvI_compare(s, res);
        int kept = s->err ? 0 : gvI_references_kept(s->db, kind, s->file, &s->err);
        if (kept == -2) s->internal = 1;
        if (kept < 0) return;
    }
    /* a header alone imports nothing to count twice */
    if (!s->err && (s->nrows > 0 || res->replaced)) gvI_record_file(s, kind, hash);
    res->rows = s->nrows;
}

/* The source of a file: --source, else its name. */
static char *gvI_source_name(const char *csv_path, const char *source) {
    return gvU_strdup(source && *source ? source : gvU_basename(csv_path));
}

/* The memory an import's connection may keep pages in, and the most an
** index built after a bulk load sorts in memory, in KiB (negative: SQLite
** counts it so). */
#define GVI_CACHE_KIB "-40960"

/* The write lock, waiting for a run or import in progress; GV_OK, or
** GV_DATABASE with *err. */
static gv_status gvI_begin(sqlite3 *db, const char *db_path, char **err) {
    /* every reference a file can hold is checked row by row (case,
       municipality, partner, gain, the metric catalogue), with messages
       that name the row: SQLite's own second check would only cost time */
    /* pages of the table and its indexes stay in memory while they are
       written, not spilled to the log and read back; building an index
       after a bulk load sorts in as much before it writes a run to disk */
    if (gvD_exec(db, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = " GVI_CACHE_KIB, err) == 0 &&
        gvD_begin_write(db, db_path, err) == 0)
        return GV_OK;
    return GV_DATABASE;
}

/* Commit what the import did, or roll it all back. */
static gv_status gvI_end(sqlite3 *db, gv_status rc, char **err) {
    if (rc != GV_OK) return gvD_rollback(db, err) < 0 ? GV_DATABASE : rc;
    if (gvD_exec(db, "COMMIT", err) == 0) return GV_OK;
    gvD_rollback(db, err);
    return GV_DATABASE;
}

/* A workbook's sheet: which one (s->sheet), and how messages name it;
** GV_OK, else the problem in *err. */
static gv_status gvI_which_sheet(gvI_state *s, const char *kind, const gv_import_options *opt,
                                 char **err) {
    char *chosen = NULL;
    if (gvB_sheet(s->file, opt->sheet, gvI_sheet_names(kind), &chosen, err) < 0) return GV_BAD_DATA;
    s->sheet = chosen;
    s->place = gvU_mprintf("%s[%s]", s->file, chosen);
    return GV_OK;
}

gv_status gvI_import(const char *db_path, const char *kind, const char *csv_path,
                     const char *source, gv_import_result *res, char **err) {
    gv_import_options opt = {source, NULL, NULL};
    return gvI_import_with(db_path, kind, csv_path, &opt, res, err);
}

/* The source of a workbook's sheet: --source, else "FILE:SHEET". */
static char *gvI_book_source(const gvI_state *s, const char *source) {
    if (source) return gvU_strdup(source);
    return gvU_mprintf("%s:%s", gvU_basename(s->file), s->sheet);
}

/* The file is open: read it into the database at db_path. */
static gv_status gvI_import_open(gvI_state *s, const char *db_path, const char *kind,
                                 const gvI_input *in, const char *source, gv_import_result *res,
                                 char **err) {
    gv_status rc = gvD_open(db_path, 0, &s->db, err);
    if (rc == GV_OK) rc = gvI_begin(s->db, db_path, err);
    if (rc != GV_OK) {
        gvD_close(s->db);
        return rc;
    }
    s->source = res->source =
        s->sheet ? gvI_book_source(s, source) : gvI_source_name(s->file, source);
    s->source_named = source != NULL;
    gvI_file(s, kind, in, res);
    gvI_finish(s);
    if (s->err) {
        *err = s->err;
        rc = s->internal > 0 ? GV_DATABASE : s->internal < 0 ? GV_USAGE : GV_BAD_DATA;
    }
    res->encoding = s->encoding;
    res->wide = s->wide;
    /* the same content again changes nothing: nothing to commit either */
    rc = gvI_end(s->db, res->same ? GV_BAD_DATA : rc, err);
    if (res->same && rc == GV_BAD_DATA) rc = GV_OK;
    gvD_close(s->db);
    return rc;
}

gv_status gvI_import_with(const char *db_path, const char *kind, const char *path,
                          const gv_import_options *opt, gv_import_result *res, char **err) {
    gvI_state s;
    memset(&s, 0, sizeof s);
    s.key = opt->key;
    memset(s.pidx, 0xff, sizeof s.pidx);
    memset(res, 0, sizeof *res);
    *err = NULL;
    s.row = 1;
    s.t = gvI_find_table(kind);
    s.file = path;
    if (!s.t) {
        *err = gvU_mprintf("unknown kind '%s' (municipalities, cases, partners, observations, "
                           "inputs, gains, gain_shares)",
                           kind);
        return GV_USAGE;
    }
    if (opt->source && !*opt->source) {
        *err = gvU_strdup("a source needs a name: the source given is empty");
        return GV_USAGE;
    }
    char digits[24];
    /* a source's name and its file's path are stored and listed: never a
       person's number */
    const char *what = gvU_identity_in(path, digits);
    if (what) {
        *err = gvU_mprintf("the file's path holds %s; rename it, or its folder", what);
        return GV_USAGE;
    }
    if (opt->source && (what = gvU_identity_in(opt->source, digits))) {
        *err = gvU_mprintf("the source's name holds %s; name the source otherwise", what);
        return GV_USAGE;
    }
    if (strcmp(path, "-") == 0 && !opt->source) {
        *err = gvU_strdup("standard input ('-') needs a source's name: --source NAME");
        return GV_USAGE;
    }
    /* the whole file is read and hashed before the write lock is taken */
    gvI_input in;
    gv_status rc = gvI_read_input(&in, path, err);
    if (rc != GV_OK) return rc;
    s.file = in.name;
    if (gvB_is_workbook(in.f) && strcmp(path, "-") == 0)
        *err = gvU_strdup("a workbook is read from its file, not from standard input"),
        rc = GV_USAGE;
    else if (gvB_is_workbook(in.f))
        rc = gvI_which_sheet(&s, kind, opt, err);
    else if (opt->sheet)
        *err = gvU_mprintf("%s: --sheet is for a workbook (.xlsx); this is no workbook", path),
        rc = GV_USAGE;
    if (rc == GV_OK) rc = gvI_import_open(&s, db_path, kind, &in, opt->source, res, err);
    fclose(in.f);
    free((char *)s.sheet);
    free(s.place);
    return rc;
}

/* The tables a source's rows can be in, children before their parents. */
static const char *const gvI_child_first[] = {
    "gain_shares", "gains", "inputs", "observations", "partners", "cases", "municipalities", NULL};

/* Note the removal of each kind of rows the source held (the rows from
** before sources are of every kind).  0, or -1 with *err. */
static int gvI_note_removal(sqlite3 *db, const char *source, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT kind, file, max(id) FROM imports WHERE source = ?1"
                           " AND state = 'current' GROUP BY kind",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "database");
        return -1;
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    /* read them all first: noting the removal changes what the query reads */
    gvU_buf kinds = {0}, files = {0};
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gvU_buf_add(&kinds, (const char *)sqlite3_column_text(st, 0),
                    (size_t)sqlite3_column_bytes(st, 0) + 1);
        gvU_buf_add(&files, (const char *)sqlite3_column_text(st, 1),
                    (size_t)sqlite3_column_bytes(st, 1) + 1);
        n++;
    }
    sqlite3_finalize(st);
    int bad = rc != SQLITE_DONE;
    if (bad) *err = gvD_errmsg(db, "database");
    const char *k = kinds.s, *f = files.s;
    for (int i = 0; i < n && !bad; i++, k += strlen(k) + 1, f += strlen(f) + 1)
        bad = gvI_note_import(db, k, source, f, "", 0, "removed", err) < 0;
    free(kinds.s), free(files.s);
    return bad ? -1 : 0;
}

/* Take a source's rows out of every table, and note it. */
static gv_status gvI_take_out(sqlite3 *db, const char *source, gv_import_result *res, char **err) {
    char *kind;
    int found = gvI_lookup(db, "SELECT kind FROM imports WHERE source = ?1 AND state = 'current'",
                           source, NULL, 1, &kind);
    free(found == 0 ? kind : NULL);
    if (found != 0) {
        *err = found < 0 ? gvD_errmsg(db, "database")
                         : gvU_mprintf("no source '%s' ('gevinst sources DB' lists them)", source);
        return found < 0 ? GV_DATABASE : GV_NOT_FOUND;
    }
    for (const char *const *t = gvI_child_first; *t && !*err; t++) {
        char *sql = sqlite3_mprintf("DELETE FROM main.%s WHERE import_source = %Q", *t, source);
        if (!sql || gvD_exec(db, sql, err) < 0) *err = *err ? *err : gvU_strdup("out of memory");
        sqlite3_free(sql);
        res->removed += sqlite3_changes(db);
    }
    gv_status rc = GV_DATABASE;
    if (!*err) {
        char *label = gvU_mprintf("removing source '%s'", source);
        int kept = gvI_references_kept(db, NULL, label, err);
        free(label);
        rc = kept == 0 ? GV_OK : kept == -1 ? GV_BAD_DATA : GV_DATABASE;
    }
    if (rc == GV_OK && gvI_note_removal(db, source, err) < 0) rc = GV_DATABASE;
    return rc;
}

gv_status gvI_remove(const char *db_path, const char *source, gv_import_result *res, char **err) {
    sqlite3 *db;
    memset(res, 0, sizeof *res);
    *err = NULL;
    gv_status rc = gvD_open(db_path, 0, &db, err);
    if (rc == GV_OK) rc = gvI_begin(db, db_path, err);
    if (rc == GV_OK) {
        res->source = gvU_strdup(source);
        rc = gvI_end(db, gvI_take_out(db, source, res, err), err);
    }
    gvD_close(db);
    return rc;
}

gv_status gvI_sources(const char *db_path, gvI_source_fn fn, void *ud, char **err) {
    sqlite3 *db;
    *err = NULL;
    gv_status rc = gvD_open_reading(db_path, &db, err);
    if (rc != GV_OK) return rc;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT source, kind, file, sha256, rows, imported FROM imports"
                           " WHERE state = 'current' ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "database");
        gvD_close(db);
        return GV_DATABASE;
    }
    int stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        gv_source_row row;
        const char **texts[] = {&row.source, &row.kind, &row.file, &row.sha256};
        for (int i = 0; i < 4; i++)
            *texts[i] = (const char *)sqlite3_column_text(st, i);
        row.rows = (long)sqlite3_column_int64(st, 4);
        row.imported = (const char *)sqlite3_column_text(st, 5);
        if (fn(ud, &row)) {
            stepped = SQLITE_DONE;
            break;
        }
    }
    if (stepped != SQLITE_DONE) *err = gvD_errmsg(db, "database");
    sqlite3_finalize(st);
    gvD_close(db);
    return stepped == SQLITE_DONE ? GV_OK : GV_DATABASE;
}

/* ------------------------------------------------------ gains in a config */

/* A table like gains, for this connection only: the config's plan is read
** with the database's, never stored in it.  0, or -1 with *err. */
static int gvI_config_gains_table(sqlite3 *db, char **err) {
    sqlite3_stmt *st;
    char *ddl = NULL;
    if (sqlite3_prepare_v2(db, "SELECT sql FROM main.sqlite_schema WHERE name = 'gains'", -1, &st,
                           NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "database");
        return -1;
    }
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW) {
        const char *sql = (const char *)sqlite3_column_text(st, 0);
        const char *ref = strstr(sql, " REFERENCES cases(id)");
        const char *name = strstr(sql, "gains");
        if (ref && name && name < ref)
            ddl =
                gvU_mprintf("CREATE TEMP TABLE IF NOT EXISTS config_gains%.*s%s",
                            (int)(ref - name - 5), name + 5, ref + strlen(" REFERENCES cases(id)"));
    }
    if (!ddl) {
        *err = stepped == SQLITE_ROW || stepped == SQLITE_DONE ? gvU_strdup("no gains table")
                                                               : gvD_errmsg(db, "database");
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    int rc = gvD_exec(db, ddl, err) < 0 || gvD_exec(db, "DELETE FROM temp.config_gains", err) < 0;
    free(ddl);
    return rc ? -1 : 0;
}

/* One gain of a config, as one row of a gains file; 0 when it is stored. */
static int gvI_config_gain(sqlite3 *db, const gvI_table *t, const gv_record *g, gv_diag *diag) {
    gvI_state s;
    memset(&s, 0, sizeof s);
    memset(s.pidx, 0xff, sizeof s.pidx);
    s.t = t;
    s.file = g->file;
    s.db = db;
    s.no_column = 1;
    s.row = g->line;
    s.diag = diag;
    s.field_lines = g->lines;
    for (int k = 0; k < g->n && k < GVI_MAXCOLS; k++)
        s.field[k] = g->names[k];
    s.nfield = g->n;
    gvI_header(&s);
    for (int k = 0; k < g->n && k < GVI_MAXCOLS; k++)
        s.field[k] = g->values[k];
    /* a refused gain leaves nothing behind: checks run after the insert */
    if (s.err) {
        /* its header is wrong: in diag already, nothing was written */
    } else if (gvD_exec(db, "SAVEPOINT config_gain", &s.err) == 0) {
        if (!s.err) gvI_row(&s);
        if (s.err && sqlite3_exec(db, "ROLLBACK TO config_gain", NULL, NULL, NULL) != SQLITE_OK)
            gvU_diag_add(diag, "%s: %s", g->file, sqlite3_errmsg(db));
        if (sqlite3_exec(db, "RELEASE config_gain", NULL, NULL, NULL) != SQLITE_OK)
            gvU_diag_add(diag, "%s: %s", g->file, sqlite3_errmsg(db));
    } else {
        gvU_diag_add(diag, "%s: %s", g->file, s.err);
    }
    gvI_finish(&s);
    int bad = s.err != NULL; /* in diag already */
    free(s.err);
    return bad ? -1 : 0;
}

int gvI_config_gains(sqlite3 *db, const char *file, const gv_record *gains, int n, gv_diag *diag) {
    char *err = NULL;
    if (gvI_config_gains_table(db, &err) < 0) {
        gvU_diag_add(diag, "%s: cannot read its gains: %s", file, err);
        free(err);
        return -1;
    }
    gvI_table t = *gvI_find_table("gains");
    t.table = "temp.config_gains";
    int bad = 0;
    for (int i = 0; i < n; i++)
        bad += gvI_config_gain(db, &t, &gains[i], diag) < 0;
    return bad;
}
