/*
** gv_source.c -- what modules read (see gv_host.h): the read-only view of
** the case data, each metric's observations read once per run in step with
** the evaluation, and the host functions of every module kind.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/gv_host.h"
#include "store/gv_store.h"

const char *const gvM_case_field_names[GV_CASE_NFIELDS] = {"id",  "municipality", "title",  "start",
                                                           "end", "description",  "country"};

/* ------------------------------------------------------------ data source */

/* SQLite calls this every few thousand steps: past the deadline, stop. */
static int gvM_progress(void *ud) {
    const gv_source *src = ud;
    return src->deadline > 0 && gvU_clock() > src->deadline;
}

int gvM_source_open(gv_source *src, const char *db_path, char **err) {
    memset(src, 0, sizeof *src);
    if (gvD_open_readonly(db_path, &src->db, err) < 0) return -1;
    /* the authorizer lets these through: they only read */
    static const char *const sql[] = {
        /* (each in brackets: several literals make one statement) */
        ("SELECT total(value), count(value), min(value), max(value),"
         " total(subject IS NOT NULL AND period_start = period_end) FROM observations"
         " WHERE case_id = ?1 AND metric = ?2 AND in_period(period_start, period_end, ?3)"),
        ("SELECT value FROM observations"
         " WHERE case_id = ?1 AND metric = ?2 AND in_period(period_start, period_end, ?3)"
         " ORDER BY period_end DESC, period_start DESC, id DESC LIMIT 1"),
        "SELECT 1 FROM metrics WHERE name = ?1",
        ("SELECT count(*), total(reached) FROM (SELECT max(value) >= ?4 AS reached"
         " FROM observations"
         " WHERE case_id = ?1 AND metric = ?2 AND in_period(period_start, period_end, ?3)"
         " AND subject IS NOT NULL GROUP BY subject)"),
        ("SELECT period_start, period_end, subject IS NOT NULL AND period_start = period_end"
         " FROM observations"
         " WHERE case_id = ?1 AND metric = ?2 AND in_period(period_start, period_end, ?3)"),
        ("SELECT c.id, c.municipality, c.title, c.start_date, c.end_date, c.description,"
         " m.country FROM cases c JOIN municipalities m ON m.code = c.municipality ORDER BY c.id"),
    };
    sqlite3_stmt **st[] = {&src->aggregate, &src->last, &src->metric_known,
                           &src->subjects,  &src->rows, &src->cases};
    for (int i = 0; i < 6; i++)
        if (sqlite3_prepare_v3(src->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, st[i], NULL) !=
            SQLITE_OK) {
            *err = gvD_errmsg(src->db, "database");
            gvM_source_close(src);
            return -1;
        }
    sqlite3_progress_handler(src->db, 1000, gvM_progress, src);
    return 0;
}

void gvM_source_close(gv_source *src) {
    for (int i = 0; i < GV_SOURCE_QUERIES; i++)
        sqlite3_finalize(src->queries[i]);
    for (int i = 0; i < src->nseries; i++) {
        sqlite3_finalize(src->series[i].st);
        free(src->series[i].metric);
        free(src->series[i].case_id);
        free(src->series[i].rows);
        free(src->series[i].text);
    }
    free(src->series);
    sqlite3_finalize(src->aggregate);
    sqlite3_finalize(src->last);
    sqlite3_finalize(src->metric_known);
    sqlite3_finalize(src->subjects);
    sqlite3_finalize(src->rows);
    sqlite3_finalize(src->cases);
    gvD_close(src->db);
    memset(src, 0, sizeof *src);
}

int gvM_each(gv_source *src, const gv_config *cfg, const gv_param_value *params, int nparams,
             gvM_each_fn fn, void *ud, char **err) {
    sqlite3_stmt *cs = src->cases;
    int rc, stop = 0;
    long row = 0;
    /* a pass over every case: a metric read to its end is read again */
    for (int i = 0; i < src->nseries; i++)
        src->series[i].rewind = 1;
    sqlite3_reset(cs);
    while (!stop && (rc = sqlite3_step(cs)) == SQLITE_ROW) {
        const char *fields[GV_CASE_NFIELDS];
        for (int i = 0; i < GV_CASE_NFIELDS; i++)
            fields[i] = (const char *)sqlite3_column_text(cs, i);
        for (int p = 0; p < cfg->nperiods && !stop; p++) {
            gevinst_ctx ctx = {src, fields, &cfg->periods[p], params, nparams, 0, NAN, row++};
            stop = fn(ud, &ctx);
        }
    }
    sqlite3_reset(cs);
    if (!stop && rc != SQLITE_DONE) {
        *err = gvD_errmsg(src->db, "cannot read cases");
        return -1;
    }
    return stop;
}

/* ---------------------------------------------------------- host functions */

static const char *gvM_case_field(gevinst_ctx *ctx, const char *field) {
    for (int i = 0; i < GV_CASE_NFIELDS; i++)
        if (strcmp(gvM_case_field_names[i], field) == 0) return ctx->case_fields[i];
    return NULL;
}

static const char *gvM_period(gevinst_ctx *ctx) {
    return ctx->period->text;
}

static const char *gvM_period_start(gevinst_ctx *ctx) {
    return ctx->period->start;
}

static const char *gvM_period_end(gevinst_ctx *ctx) {
    return ctx->period->end;
}

static const gv_param_value *gvM_param(gevinst_ctx *ctx, const char *name) {
    for (int i = 0; i < ctx->nparams; i++)
        if (strcmp(ctx->params[i].name, name) == 0) return &ctx->params[i];
    return NULL;
}

static int gvM_param_number(gevinst_ctx *ctx, const char *name, double *out) {
    const gv_param_value *p = gvM_param(ctx, name);
    if (!p || p->type != GEVINST_PARAM_NUMBER) return GEVINST_ERROR;
    *out = p->number;
    return GEVINST_OK;
}

static const char *gvM_param_string(gevinst_ctx *ctx, const char *name) {
    const gv_param_value *p = gvM_param(ctx, name);
    return p && p->type == GEVINST_PARAM_STRING ? p->string : NULL;
}

/* ------------------------------------------------------ kinds of period */

/* The number n digits of s spell. */
static int gvM_digits(const char *s, int n) {
    int v = 0;
    while (n-- > 0)
        v = v * 10 + (*s++ - '0');
    return v;
}

/* The kind of period start..end is: an observation's range is always one
** period (the import sees to it), so its days tell, without a parse. */
static int gvM_kind_of(const char *start, const char *end) {
    if (strlen(start) != 10 || strlen(end) != 10) return -1; /* written by another program */
    if (strcmp(start, end) == 0) return GV_DAY;
    if (memcmp(start, end, 7) == 0) return GV_MONTH;
    return memcmp(start + 5, "01", 2) == 0 && memcmp(end + 5, "12", 2) == 0 ? GV_YEAR : GV_QUARTER;
}

/* Which period of kind k within p holds day ymd, counted from p's first;
** cheap for all but days, which the rows' own kinds rarely are. */
static long gvM_unit(const gv_period *p, int k, const char *ymd) {
    if (k == GV_DAY) return gvP_day_of(ymd) - gvP_day_of(p->start);
    long months = (gvM_digits(ymd, 4) - gvM_digits(p->start, 4)) * 12L + gvM_digits(ymd + 5, 2) -
                  gvM_digits(p->start + 5, 2);
    return k == GV_MONTH ? months : k == GV_QUARTER ? months / 3 : 0;
}

/* ----------------------------------------------------------------- series */

static void gvM_series_drop(gv_source *src, gv_series *s) {
    sqlite3_finalize(s->st);
    free(s->metric), free(s->case_id), free(s->rows), free(s->text);
    *s = src->series[--src->nseries];
}

static gv_series *gvM_series(gv_source *src, const char *metric, char **errmsg) {
    for (int i = 0; i < src->nseries; i++)
        if (strcmp(src->series[i].metric, metric) == 0) return &src->series[i];
    gv_series s;
    memset(&s, 0, sizeof s);
    s.known = -1;
    if (sqlite3_prepare_v3(src->db,
                           "SELECT case_id, period_start, period_end, value, id,"
                           " subject IS NOT NULL AND period_start = period_end, subject"
                           " FROM observations WHERE metric = ?1 ORDER BY metric, case_id",
                           -1, SQLITE_PREPARE_PERSISTENT, &s.st, NULL) != SQLITE_OK) {
        *errmsg = gvD_errmsg(src->db, "database");
        return NULL;
    }
    s.metric = gvU_strdup(metric);
    sqlite3_bind_text(s.st, 1, s.metric, -1, SQLITE_STATIC);
    /* whether it counts persons decides what reports hide: not knowing
       is an error, never "no" */
    sqlite3_stmt *unit = NULL;
    int known = sqlite3_prepare_v2(src->db, "SELECT unit = 'persons' FROM metrics WHERE name = ?1",
                                   -1, &unit, NULL);
    if (known == SQLITE_OK) {
        sqlite3_bind_text(unit, 1, metric, -1, SQLITE_STATIC);
        known = sqlite3_step(unit);
        s.persons = known == SQLITE_ROW && sqlite3_column_int(unit, 0);
    }
    sqlite3_finalize(unit);
    if (known != SQLITE_ROW && known != SQLITE_DONE) {
        *errmsg = known == SQLITE_INTERRUPT ? gvU_strdup("stopped: time limit reached")
                                            : gvD_errmsg(src->db, "database");
        sqlite3_finalize(s.st);
        free(s.metric);
        return NULL;
    }
    src->series = gvU_realloc(src->series, (size_t)(src->nseries + 1) * sizeof s);
    src->series[src->nseries] = s;
    gv_series *p = &src->series[src->nseries++];
    int rc = sqlite3_step(p->st);
    p->pending = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *errmsg = rc == SQLITE_INTERRUPT ? gvU_strdup("stopped: time limit reached")
                                         : gvD_errmsg(src->db, "database");
        gvM_series_drop(src, p);
        return NULL;
    }
    return p;
}

/* The series' statement one row on; 0, or -2 with *errmsg (the pass
** cannot go on from there: forget it, the next call starts a new one). */
static int gvM_series_step(gv_source *src, gv_series *s, char **errmsg) {
    int rc = sqlite3_step(s->st);
    s->pending = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return 0;
    *errmsg = rc == SQLITE_INTERRUPT ? gvU_strdup("stopped: time limit reached")
                                     : gvD_errmsg(src->db, "database");
    gvM_series_drop(src, s);
    return -2;
}

/* A day of column i, "YYYY-MM-DD", into day (as snprintf would, without
** parsing a format for every row a run reads). */
static void gvM_day(char day[11], sqlite3_stmt *st, int i) {
    const char *text = (const char *)sqlite3_column_text(st, i);
    size_t n = text ? strnlen(text, 10) : 0;
    memcpy(day, text ? text : "", n);
    day[n] = '\0';
}

/* The row the series' statement is on, into its buffer. */
static void gvM_series_keep(gv_series *s) {
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->rows = gvU_realloc(s->rows, (size_t)s->cap * sizeof *s->rows);
    }
    gv_series_row *r = &s->rows[s->n++];
    gvM_day(r->start, s->st, 1);
    gvM_day(r->end, s->st, 2);
    r->value = sqlite3_column_double(s->st, 3);
    r->id = sqlite3_column_int64(s->st, 4);
    r->point = sqlite3_column_int(s->st, 5);
    r->kind = gvM_kind_of(r->start, r->end);
    r->subject = -1;
    const char *subject = (const char *)sqlite3_column_text(s->st, 6);
    if (!subject) return;
    size_t len = strlen(subject) + 1;
    if (s->ntext + len > s->captext) {
        s->captext = 2 * (s->ntext + len) + 256;
        s->text = gvU_realloc(s->text, s->captext);
    }
    memcpy(s->text + s->ntext, subject, len);
    r->subject = (int)s->ntext;
    s->ntext += len;
}

/* Make s hold case_id's observations; -1 when the case comes before the
** series' position (out of order), -2 on a database error.  In a new pass
** over the cases (the next indicator's, in the same process) the metric
** is read again from its start, once, rather than a query per case. */
static int gvM_series_seek(gv_source *src, gv_series *s, const char *case_id, char **errmsg) {
    if (s->case_id && strcmp(s->case_id, case_id) == 0) return 0;
    int again = s->rewind;
    s->rewind = 0;
    if (s->case_id && strcmp(case_id, s->case_id) < 0) {
        if (!again) return -1;
        sqlite3_reset(s->st);
        if (gvM_series_step(src, s, errmsg) < 0) return -2;
    }
    free(s->case_id);
    s->case_id = gvU_strdup(case_id);
    s->n = 0;
    s->ntext = 0;
    while (s->pending) {
        int cmp = strcmp((const char *)sqlite3_column_text(s->st, 0), case_id);
        if (cmp > 0) break;
        if (cmp == 0) gvM_series_keep(s);
        if (gvM_series_step(src, s, errmsg) < 0) return -2;
    }
    return 0;
}

/* What an aggregate finds: the sum, count, lowest, highest and latest. */
typedef struct gvM_found {
    double total, lo, hi, last;
    long n;
    long answers; /* of them, persons' measurements (a subject on one day) */
} gvM_found;

static const char *const gvM_aggregates[] = {"sum", "count", "mean", "min", "max", "last", NULL};
enum { GVM_SUM, GVM_COUNT, GVM_MEAN, GVM_MIN, GVM_MAX, GVM_LAST };

/* The case's observations in the series' buffer that period p holds. */
static void gvM_found_in_series(const gv_series *series, const gv_period *p, gvM_found *f) {
    const gv_series_row *latest = NULL;
    for (int i = 0; i < series->n; i++) {
        const gv_series_row *r = &series->rows[i];
        if (!gvP_holds(p, r->start, r->end)) continue;
        f->total += r->value;
        f->lo = f->n == 0 || r->value < f->lo ? r->value : f->lo;
        f->hi = f->n == 0 || r->value > f->hi ? r->value : f->hi;
        f->n++;
        f->answers += r->point;
        int c = latest ? strcmp(r->end, latest->end) : 1;
        if (c == 0) c = strcmp(r->start, latest->start);
        if (c == 0) c = r->id > latest->id ? 1 : -1;
        if (c > 0) latest = r;
    }
    if (latest) f->last = latest->value;
}

/* ------------------------------------------------------------------ reads */

static int gvM_read_matches(const gv_read *r, const char *const text[GV_READ_TEXTS]) {
    for (int i = 0; i < GV_READ_TEXTS; i++)
        if (r->text[i] != text[i] && (!r->text[i] || !text[i] || strcmp(r->text[i], text[i])))
            return 0;
    return 1;
}

/* One more read than is kept: said once. */
static void gvM_reads_more(gv_reads *reads) {
    if (reads->more) return;
    reads->more = 1;
    if (reads->added) reads->added(NULL);
}

/* FNV-1a over the texts, a NULL and each end told apart. */
static unsigned gvM_read_hash(const char *const text[GV_READ_TEXTS]) {
    unsigned h = 2166136261u;
    for (int i = 0; i < GV_READ_TEXTS; i++) {
        for (const char *c = text[i]; c && *c; c++)
            h = (h ^ (unsigned char)*c) * 16777619u;
        h = (h ^ (text[i] ? 1u : 2u)) * 16777619u;
    }
    return h;
}

int gvM_reads_add(gv_reads *reads, const char *const text[GV_READ_TEXTS]) {
    if (!text[GV_READ_FOR] || !text[GV_READ_AGGREGATE]) return 0;
    /* most calls read what the last one did: asked first */
    if (reads->n > 0 && gvM_read_matches(&reads->r[reads->last], text)) return 0;
    unsigned at = gvM_read_hash(text) & (GV_READS_SLOTS - 1);
    for (; reads->slot[at]; at = (at + 1) & (GV_READS_SLOTS - 1))
        if (gvM_read_matches(&reads->r[reads->slot[at] - 1], text)) {
            reads->last = reads->slot[at] - 1;
            return 0;
        }
    int cut = 0;
    for (int i = 0; i < GV_READ_TEXTS; i++)
        cut |= text[i] && strnlen(text[i], GV_MODULE_TEXT_MAX + 1) > GV_MODULE_TEXT_MAX;
    if (reads->n == GV_READS_MAX || cut) {
        gvM_reads_more(reads);
        return 0;
    }
    reads->slot[at] = reads->n + 1;
    gv_read *r = &reads->r[reads->last = reads->n++];
    for (int i = 0; i < GV_READ_TEXTS; i++)
        r->text[i] = text[i] ? gvU_strdup(text[i]) : NULL;
    if (reads->added) reads->added(r);
    return 1;
}

void gvM_reads_free(gv_reads *reads) {
    for (int i = 0; i < reads->n; i++)
        for (int k = 0; k < GV_READ_TEXTS; k++)
            free(reads->r[i].text[k]);
    memset(reads, 0, sizeof *reads);
}

static int gvM_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || (unsigned char)c >= 0x80;
}

enum { GVM_SQL_OTHER, GVM_SQL_LITERAL, GVM_SQL_NAME, GVM_SQL_COMMENT };

/* What starts at s -- a literal string or blob, a quoted name, a comment --
** and where it ends; GVM_SQL_OTHER for anything else. */
static int gvM_sql_token(const char *s, const char **past) {
    const char *c = s;
    if ((*c == 'x' || *c == 'X') && c[1] == '\'') c++; /* a blob */
    if (*c == '\'' || *c == '"' || *c == '`' || *c == '[') {
        char end = *c == '[' ? ']' : *c;
        int kind = *c == '\'' ? GVM_SQL_LITERAL : GVM_SQL_NAME;
        for (c++; *c && !(*c == end && (end == ']' || c[1] != end)); c++)
            if (*c == end && end != ']') c++; /* '' inside '...' */
        *past = *c ? c + 1 : c;
        return kind;
    }
    if (c[0] == '-' && c[1] == '-') {
        *past = c + strcspn(c, "\n");
        return GVM_SQL_COMMENT;
    }
    if (c[0] == '/' && c[1] == '*') {
        const char *e = strstr(c + 2, "*/");
        *past = e ? e + 2 : c + strlen(c);
        return GVM_SQL_COMMENT;
    }
    *past = s + 1;
    return GVM_SQL_OTHER;
}

/* Past the number at c: digits, a point, an exponent, hex digits. */
static const char *gvM_sql_number(const char *c) {
    const char *e = c;
    while (gvM_word_char(*e) || *e == '.' ||
           ((*e == '+' || *e == '-') && (e[-1] == 'e' || e[-1] == 'E')))
        e++;
    return e;
}

char *gvM_query_shape(const char *sql) {
    gvU_buf b = {0};
    char prev = ' ';
    for (const char *c = sql, *past; *c; c = past) {
        /* inside a word (a name, x in xyz) a quote or digit is the word's */
        int kind = gvM_word_char(prev) ? GVM_SQL_OTHER : gvM_sql_token(c, &past);
        if (kind == GVM_SQL_OTHER) past = c + 1;
        int number = kind == GVM_SQL_OTHER && !gvM_word_char(prev) &&
                     ((*c >= '0' && *c <= '9') || (*c == '.' && c[1] >= '0' && c[1] <= '9'));
        if (kind == GVM_SQL_COMMENT || (kind == GVM_SQL_OTHER && strchr(" \t\r\n\f\v", *c))) {
            if (prev != ' ') gvU_buf_add(&b, " ", 1), prev = ' ';
        } else if (kind == GVM_SQL_LITERAL || (number && !strchr("?:@$", prev))) {
            if (number) past = gvM_sql_number(c);
            gvU_buf_add(&b, "?", 1), prev = '?';
        } else {
            if (number) past = gvM_sql_number(c); /* ?1, :2: a parameter's name */
            gvU_buf_add(&b, c, (size_t)(past - c)), prev = past[-1];
        }
    }
    while (b.len > 0 && b.s[b.len - 1] == ' ')
        b.s[--b.len] = '\0';
    return b.s ? gvU_buf_take(&b) : gvU_strdup("");
}

/* ---------------------------------------------------------------- coverage */

/* How much of p the case's observations in rows cover, 0 to 1, counted in
** periods of the finest kind among them: 2024-Q1 and 2024-Q2 cover 2 of
** 2024's 4 quarters.  A person's answer on one day covers p whole.  NaN
** when p holds none of rows (docs/methodology.md, "Coverage"). */
static double gvM_coverage(const gv_period *p, const gv_series_row *rows, int n) {
    int held = 0, kind = -1;
    for (int i = 0; i < n; i++) {
        if (rows[i].kind < 0 || !gvP_holds(p, rows[i].start, rows[i].end)) continue;
        held = 1;
        if (!rows[i].point && rows[i].kind > kind) kind = rows[i].kind;
    }
    if (!held) return 0;                            /* nothing reported in p */
    if (kind < 0 || kind == (int)p->kind) return 1; /* answers only, or p itself */
    long units = gvM_unit(p, kind, p->end) + 1, covered = 0;
    unsigned char seen[366];
    memset(seen, 0, (size_t)(units < 366 ? units : 366));
    for (int i = 0; i < n; i++) {
        if (rows[i].point || rows[i].kind < 0 || !gvP_holds(p, rows[i].start, rows[i].end))
            continue;
        long last = gvM_unit(p, kind, rows[i].end);
        for (long u = gvM_unit(p, kind, rows[i].start); u <= last; u++)
            if (u >= 0 && u < units && u < 366 && !seen[u]) seen[u] = 1, covered++;
    }
    return (double)covered / (double)units;
}

/* The coverage of p by the case's observations of metric, asked of
** SQLite: for a case out of the run's order. */
static int gvM_coverage_in_sql(gevinst_ctx *ctx, const char *metric, const gv_period *p,
                               double *out, char **errmsg) {
    sqlite3_stmt *st = ctx->src->rows;
    gv_series_row *rows = NULL;
    int n = 0, rc;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, ctx->case_fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->text, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows = gvU_realloc(rows, (size_t)(n + 1) * sizeof *rows);
        memset(&rows[n], 0, sizeof *rows);
        snprintf(rows[n].start, sizeof rows[n].start, "%s",
                 (const char *)sqlite3_column_text(st, 0));
        snprintf(rows[n].end, sizeof rows[n].end, "%s", (const char *)sqlite3_column_text(st, 1));
        rows[n].kind = gvM_kind_of(rows[n].start, rows[n].end);
        rows[n++].point = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    *out = gvM_coverage(p, rows, n);
    free(rows);
    if (rc != SQLITE_DONE) {
        *errmsg = gvD_errmsg(ctx->src->db, "database");
        return -1;
    }
    return 0;
}

/* The same, asked of SQLite for one case: for a case out of the run's
** order.  in_period() is gvP_holds for SQL. */
static int gvM_found_in_sql(gevinst_ctx *ctx, int fn, const char *metric, const gv_period *p,
                            gvM_found *f, char **errmsg) {
    gv_source *src = ctx->src;
    sqlite3_stmt *st = fn == GVM_LAST ? src->last : src->aggregate;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, ctx->case_fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && !(rc == SQLITE_DONE && st == src->last)) {
        *errmsg = gvD_errmsg(src->db, "database");
        sqlite3_reset(st);
        return -1;
    }
    if (st == src->last) {
        f->n = rc == SQLITE_ROW;
        f->last = f->n ? sqlite3_column_double(st, 0) : 0;
    } else {
        f->total = sqlite3_column_double(st, 0);
        f->n = (long)sqlite3_column_int64(st, 1);
        f->lo = sqlite3_column_double(st, 2);
        f->hi = sqlite3_column_double(st, 3);
        f->answers = (long)sqlite3_column_double(st, 4);
    }
    sqlite3_reset(st);
    return 0;
}

/* No observation: no data, unless the metric exists nowhere; then it is
** a typo.  0, or -1 with *errmsg. */
static int gvM_metric_known(gv_source *src, gv_series *series, char **errmsg) {
    if (series->known >= 0) return 0;
    sqlite3_stmt *k = src->metric_known;
    sqlite3_reset(k);
    sqlite3_bind_text(k, 1, series->metric, -1, SQLITE_STATIC);
    int rc = sqlite3_step(k);
    sqlite3_reset(k);
    if (rc == SQLITE_ROW) {
        series->known = 1;
        return 0;
    }
    *errmsg = rc == SQLITE_DONE
                  ? gvU_mprintf("unknown metric '%s': no observation has it", series->metric)
                  : gvD_errmsg(src->db, "database");
    return -1;
}

/* For explain: that the module read fn of metric in p (NULL: the period
** evaluated). */
static void gvM_note_read(gevinst_ctx *ctx, const char *fn, const char *metric,
                          const gv_period *p) {
    if (!ctx->src->reads) return;
    const char *read[] = {ctx->period->text, fn, metric,
                          p && strcmp(p->text, ctx->period->text) ? p->text : NULL, NULL};
    gvM_reads_add(ctx->src->reads, read);
}

/* Which aggregate fn names, and the period it is over (NULL: the evaluated
** one); -1 with *errmsg when either is wrong. */
static int gvM_aggregate_args(gevinst_ctx *ctx, const char *fn, const char *metric,
                              const char *period, gv_period *p, char **errmsg) {
    int f = 0;
    while (fn && gvM_aggregates[f] && strcmp(gvM_aggregates[f], fn) != 0)
        f++;
    if (!fn || !gvM_aggregates[f]) {
        *errmsg = gvU_mprintf("unknown aggregate '%s' (sum, count, mean, min, max, last)",
                              fn ? fn : "(null)");
        return -1;
    }
    if (!metric) {
        *errmsg = gvU_strdup("no metric given");
        return -1;
    }
    *p = *ctx->period;
    if (period && gvP_parse(period, p) < 0) {
        *errmsg = gvU_mprintf("'%s' is not a period (%s)", period, GV_PERIOD_FORMS);
        return -1;
    }
    return f;
}

/* Aggregate fn of the case's observations of metric within period (NULL:
** the evaluated one). */
static int gvM_aggregate(gevinst_ctx *ctx, const char *fn, const char *metric, const char *period,
                         double *out, char **errmsg) {
    gv_period p;
    int f = gvM_aggregate_args(ctx, fn, metric, period, &p, errmsg);
    if (f < 0) return GEVINST_ERROR;
    gvM_note_read(ctx, fn, metric, period ? &p : NULL);
    gvM_found found = {0, 0, 0, 0, 0, 0};
    gv_series *series = gvM_series(ctx->src, metric, errmsg);
    if (!series) return GEVINST_ERROR;
    int seek = gvM_series_seek(ctx->src, series, ctx->case_fields[0], errmsg);
    if (seek == -2) return GEVINST_ERROR; /* series is gone */
    double coverage;
    if (seek == 0) { /* the case's observations are at hand */
        gvM_found_in_series(series, &p, &found);
        coverage = gvM_coverage(&p, series->rows, series->n);
    } else if (gvM_found_in_sql(ctx, f, metric, &p, &found, errmsg) < 0 ||
               gvM_coverage_in_sql(ctx, metric, &p, &coverage, errmsg) < 0) {
        return GEVINST_ERROR;
    }
    /* a value is as partial as the least covered data it was made from */
    if (!isnan(coverage) && !(coverage >= ctx->coverage)) ctx->coverage = coverage;
    const double values[] = {
        found.total, (double)found.n, found.n ? found.total / (double)found.n : 0,
        found.lo,    found.hi,        found.last};
    *out = values[f];
    if (found.n == 0 && gvM_metric_known(ctx->src, series, errmsg) < 0) return GEVINST_ERROR;
    if (found.n == 0 && f != GVM_COUNT) return GEVINST_NODATA;
    /* what the module made from a count of persons is as small as that count,
       a mean of counts as small as the mean (privacy: see docs/privacy.md); a
       count of observations counts rows, and persons when they are persons'
       answers (a subject on one day: one row a respondent) */
    double persons = series->persons && f != GVM_COUNT     ? *out
                     : f == GVM_COUNT && found.answers > 0 ? (double)found.answers
                                                           : 0;
    if (persons > 0 && (ctx->fewest_persons == 0 || persons < ctx->fewest_persons))
        ctx->fewest_persons = persons;
    return GEVINST_OK;
}

static int gvM_sum(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, "sum", metric, NULL, out, errmsg);
}

static int gvM_count(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, "count", metric, NULL, out, errmsg);
}

static int gvM_mean(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, "mean", metric, NULL, out, errmsg);
}

/* --------------------------------------------------------------- subjects */

typedef struct gvM_subject {
    const char *name;
    double value;
} gvM_subject;

static int gvM_subject_order(const void *a, const void *b) {
    return strcmp(((const gvM_subject *)a)->name, ((const gvM_subject *)b)->name);
}

/* The distinct subjects of the buffered case's rows that p holds, and how
** many of them reach threshold with their highest value: the rows sorted by
** subject, then each run of one subject taken as one. */
static void gvM_subjects_in_series(const gv_series *s, const gv_period *p, double threshold,
                                   long *reached, long *total) {
    gvM_subject *v = gvU_malloc((size_t)s->n * sizeof *v + 1);
    int n = 0;
    for (int i = 0; i < s->n; i++)
        if (s->rows[i].subject >= 0 && gvP_holds(p, s->rows[i].start, s->rows[i].end))
            v[n].name = s->text + s->rows[i].subject, v[n++].value = s->rows[i].value;
    qsort(v, (size_t)n, sizeof *v, gvM_subject_order);
    for (int i = 0, j; i < n; i = j) {
        double hi = v[i].value;
        for (j = i + 1; j < n && strcmp(v[j].name, v[i].name) == 0; j++)
            hi = v[j].value > hi ? v[j].value : hi;
        ++*total;
        *reached += hi >= threshold;
    }
    free(v);
}

/* The same, asked of SQLite: for a case out of the run's order. */
static int gvM_subjects_in_sql(gevinst_ctx *ctx, const char *metric, const gv_period *p,
                               double threshold, long *reached, long *total, char **errmsg) {
    sqlite3_stmt *st = ctx->src->subjects;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, ctx->case_fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->text, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, threshold);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *total = (long)sqlite3_column_int64(st, 0);
        *reached = (long)sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    *errmsg = rc == SQLITE_INTERRUPT ? gvU_strdup("stopped: time limit reached")
                                     : gvD_errmsg(ctx->src->db, "database");
    return -1;
}

static int gvM_subjects(gevinst_ctx *ctx, const char *metric, const char *period, double threshold,
                        double *reached, double *total, char **errmsg) {
    gv_period p;
    if (gvM_aggregate_args(ctx, "count", metric, period, &p, errmsg) < 0) return GEVINST_ERROR;
    gvM_note_read(ctx, "subjects", metric, period ? &p : NULL);
    gv_series *series = gvM_series(ctx->src, metric, errmsg);
    if (!series) return GEVINST_ERROR;
    int seek = gvM_series_seek(ctx->src, series, ctx->case_fields[0], errmsg);
    if (seek == -2) return GEVINST_ERROR; /* series is gone */
    long r = 0, n = 0;
    double coverage;
    if (seek == 0) {
        gvM_subjects_in_series(series, &p, threshold, &r, &n);
        coverage = gvM_coverage(&p, series->rows, series->n);
    } else if (gvM_subjects_in_sql(ctx, metric, &p, threshold, &r, &n, errmsg) < 0 ||
               gvM_coverage_in_sql(ctx, metric, &p, &coverage, errmsg) < 0) {
        return GEVINST_ERROR;
    }
    if (!isnan(coverage) && !(coverage >= ctx->coverage)) ctx->coverage = coverage;
    *reached = (double)r, *total = (double)n;
    if (n == 0 && gvM_metric_known(ctx->src, series, errmsg) < 0) return GEVINST_ERROR;
    if (n == 0) return GEVINST_NODATA;
    /* both count persons: what the module makes of them is as small as the
       smaller that is not 0, as for a query that returned them */
    double persons = r > 0 && r < n ? (double)r : (double)n;
    if (ctx->fewest_persons == 0 || persons < ctx->fewest_persons) ctx->fewest_persons = persons;
    return GEVINST_OK;
}

static int gvM_period_days(gevinst_ctx *ctx) {
    return gvP_days(ctx->period);
}

sqlite3_stmt *gvM_query_prepare(gevinst_ctx *ctx, const char *sql, int nparam, char **errmsg) {
    gv_source *src = ctx->src;
    sqlite3 *db = src->db;
    sqlite3_stmt *st = NULL;
    int busy = 0, reads = 0;
    for (int i = 0; i < GV_SOURCE_QUERIES; i++)
        if (src->queries[i] && strcmp(sqlite3_sql(src->queries[i]), sql) == 0) {
            /* in use by a query this one runs inside of: prepare another */
            if (sqlite3_stmt_busy(src->queries[i])) {
                busy = 1;
                break;
            }
            st = src->queries[i];
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            break;
        }
    if (!st) {
        const char *tail = NULL;
        gvD_watch_reads(db, &reads);
        int prepared = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail);
        gvD_watch_reads(db, NULL);
        if (prepared != SQLITE_OK) {
            *errmsg = gvU_mprintf("query refused: %s", sqlite3_errmsg(db));
            return NULL;
        }
        if (!st || (tail && tail[strspn(tail, " \t\r\n;")])) {
            sqlite3_finalize(st);
            *errmsg = gvU_strdup("query: give exactly one SELECT statement");
            return NULL;
        }
        if (!sqlite3_stmt_readonly(st)) {
            sqlite3_finalize(st);
            *errmsg = gvU_strdup("query refused: modules may only read");
            return NULL;
        }
        /* keep it for the next case, in place of the oldest that is idle */
        for (int tries = 0; !busy && tries < 16; tries++) {
            sqlite3_stmt **slot = &src->queries[src->next_query];
            src->next_query = (src->next_query + 1) % 16;
            if (*slot && sqlite3_stmt_busy(*slot)) continue;
            sqlite3_finalize(*slot);
            *slot = st;
            src->reads_observations[slot - src->queries] = (unsigned char)reads;
            break;
        }
    }
    if (src->reads) {
        char *shape = gvM_query_shape(sql);
        const char *read[] = {ctx->period->text, "query", NULL, NULL, shape};
        gvM_reads_add(src->reads, read);
        free(shape);
    }
    if (nparam != sqlite3_bind_parameter_count(st)) {
        *errmsg = gvU_mprintf("query has %d parameters but %d values were given",
                              sqlite3_bind_parameter_count(st), nparam);
        gvM_query_done(ctx, st);
        return NULL;
    }
    return st;
}

static void gvM_query_rows(gevinst_ctx *ctx, sqlite3_stmt *st);

void gvM_query_done(gevinst_ctx *ctx, sqlite3_stmt *st) {
    gvM_query_rows(ctx, st); /* stopped early: the rows it gave so far */
    for (int i = 0; i < GV_SOURCE_QUERIES; i++)
        if (ctx->src->queries[i] == st) {
            sqlite3_reset(st);
            return;
        }
    sqlite3_finalize(st); /* one that was not kept */
}

/* A query that reads observations may count persons (rows of
** respondents, a sum of a metric of persons): what the module makes of it
** is taken as made from the smallest positive number it returned, so
** reports hide it when that is small (docs/privacy.md).  A statement not
** kept (one run inside another of the same SQL) is taken to read them. */
/* Its slot among the kept statements, or -1. */
static int gvM_query_slot(const gevinst_ctx *ctx, sqlite3_stmt *st) {
    for (int i = 0; i < GV_SOURCE_QUERIES; i++)
        if (ctx->src->queries[i] == st) return i;
    return -1;
}

/* The rows of a query that reads observations and gives no number, only
** text (the respondents who answered so, a subject a row), are a count
** too: when it ends, what the module makes is taken as made from at most
** that many.  A row with a number is traced by its numbers instead. */
static void gvM_query_rows(gevinst_ctx *ctx, sqlite3_stmt *st) {
    int i = gvM_query_slot(ctx, st);
    if (i < 0) return;
    long n = ctx->src->query_rows[i]; /* -1: it gave a number */
    ctx->src->query_rows[i] = 0;
    if (ctx->src->reads_observations[i] && n > 0 &&
        (ctx->fewest_persons == 0 || n < ctx->fewest_persons))
        ctx->fewest_persons = (double)n;
}

static void gvM_query_traced(gevinst_ctx *ctx, sqlite3_stmt *st) {
    int slot = gvM_query_slot(ctx, st), numbers = 0;
    int reads = slot < 0 || ctx->src->reads_observations[slot];
    if (!reads) return;
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        int type = sqlite3_column_type(st, i);
        double v = sqlite3_column_double(st, i);
        numbers |= type == SQLITE_INTEGER || type == SQLITE_FLOAT;
        if ((type == SQLITE_INTEGER || type == SQLITE_FLOAT) && v > 0 &&
            (ctx->fewest_persons == 0 || v < ctx->fewest_persons))
            ctx->fewest_persons = v;
    }
    if (slot < 0) return;
    /* a number in any row: the query is traced by its numbers */
    if (numbers) ctx->src->query_rows[slot] = -1;
    if (ctx->src->query_rows[slot] >= 0) ctx->src->query_rows[slot]++;
}

int gvM_query_step(gevinst_ctx *ctx, sqlite3_stmt *st, char **errmsg) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) gvM_query_traced(ctx, st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) gvM_query_rows(ctx, st);
    if (rc == SQLITE_DONE) return 0;
    *errmsg = rc == SQLITE_INTERRUPT
                  ? gvU_strdup("query stopped: time limit reached")
                  : gvU_mprintf("query failed: %s", sqlite3_errmsg(ctx->src->db));
    return -1;
}

static int gvM_query(gevinst_ctx *ctx, const char *sql, int nparam, const char *const *params,
                     gevinst_row_fn row, void *ud, char **errmsg) {
    sqlite3_stmt *st = gvM_query_prepare(ctx, sql, nparam, errmsg);
    if (!st) return GEVINST_ERROR;
    for (int i = 0; i < nparam; i++)
        sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
    int ncol = sqlite3_column_count(st), rc;
    const char **names = gvU_malloc((size_t)ncol * sizeof *names);
    const char **values = gvU_malloc((size_t)ncol * sizeof *values);
    for (int i = 0; i < ncol; i++)
        names[i] = sqlite3_column_name(st, i);
    while ((rc = gvM_query_step(ctx, st, errmsg)) == 1) {
        for (int i = 0; i < ncol; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if (row(ud, ncol, names, values)) {
            rc = 0;
            break;
        }
    }
    free(names);
    free(values);
    gvM_query_done(ctx, st);
    return rc < 0 ? GEVINST_ERROR : GEVINST_OK;
}

/* The host's in_period: the base layer's rule (gvP_holds) for modules. */
static int gvM_in_period(gevinst_ctx *ctx, const char *period, const char *start, const char *end) {
    gv_period p = *ctx->period;
    if ((period && gvP_parse(period, &p) < 0) || !start || !end) return -1;
    return gvP_holds(&p, start, end);
}

static void gvM_free_text(void *p) {
    free(p);
}

const gevinst_host gvM_host = {
    .abi_major = GEVINST_ABI_MAJOR,
    .abi_minor = GEVINST_ABI_MINOR,
    .size = sizeof(gevinst_host),
    .schema_version = GV_SCHEMA_VERSION,
    .case_field = gvM_case_field,
    .period = gvM_period,
    .period_start = gvM_period_start,
    .period_end = gvM_period_end,
    .period_days = gvM_period_days,
    .in_period = gvM_in_period,
    .param_number = gvM_param_number,
    .param_string = gvM_param_string,
    .sum = gvM_sum,
    .count = gvM_count,
    .mean = gvM_mean,
    .aggregate = gvM_aggregate,
    .query = gvM_query,
    .mprintf = gvU_mprintf,
    .free = gvM_free_text,
    .subjects = gvM_subjects,
};

/* ------------------------------------------------------- names it knows */

int gvM_metric_names(sqlite3 *db, char ***out) {
    sqlite3_stmt *st;
    char **names = NULL;
    int n = 0, rc;
    *out = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM metrics ORDER BY name", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        names = gvU_realloc(names, (size_t)(n + 1) * sizeof *names);
        names[n++] = gvU_strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        *out = names;
        return n;
    }
    gvM_free_names(names, n);
    return -1;
}

void gvM_free_names(char **names, int n) {
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
