/*
** gv_html.c -- a run as one self-contained HTML page for a steering group:
** inline CSS and SVG, no scripts from elsewhere, no fonts, no network;
** readable on a phone and printable on A4.  Every chart is an <svg
** class="chart" data-marks="N"> with N elements of class "mark", so a
** browser test can tell that each one drew what it should.
*/
#include <math.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "report/gv_writers.h"
#include "store/gv_store.h"

/* The page being written: the report, and the first thing that failed. */
typedef struct gvH {
    sqlite3 *db;
    long long run;
    gv_lang lang;
    const char *label; /* e.g. "Synthetic data", on every page; NULL: none */
    FILE *out;
    char *err; /* the first query that failed: the page is not written whole */
} gvH;

/* A column's text, NULL for NULL. */
static const char *gvH_col(sqlite3_stmt *st, int i) {
    return (const char *)sqlite3_column_text(st, i);
}

static void gvH_text(FILE *out, const char *s) {
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '&':
            fputs("&amp;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void gvH_num(gvH *h, double v, int decimals) {
    char buf[64];
    gvT_number(h->lang, v, decimals, 1, buf, sizeof buf);
    fputs(buf, h->out);
}

/* A number from a row, or the word that stands in its place when hidden. */
static void gvH_cell(gvH *h, sqlite3_stmt *st, int col, int decimals) {
    if (sqlite3_column_type(st, col) == SQLITE_NULL) /* not computed: incomplete */
        fputs("&#8211;", h->out);
    else if (sqlite3_column_type(st, col) == SQLITE_TEXT)
        gvH_text(h->out, (const char *)sqlite3_column_text(st, col));
    else
        gvH_num(h, sqlite3_column_double(st, col), decimals);
}

/* A failed read: the first is the one the page reports. */
static void gvH_failed(gvH *h) {
    if (!h->err) h->err = gvD_errmsg(h->db, "cannot read the run");
}

/* A statement of the run (?1) and a case (?2, when given); NULL, the
** failure noted, when it cannot be prepared. */
static sqlite3_stmt *gvH_query(gvH *h, const char *sql, const char *case_id) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
        gvH_failed(h);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, h->run);
    if (case_id) sqlite3_bind_text(st, 2, case_id, -1, SQLITE_TRANSIENT);
    return st;
}

/* The next row of st, or 0 at the end; a read that fails is noted, never
** taken for the end of the rows. */
static int gvH_step(gvH *h, sqlite3_stmt *st) {
    if (!st) return 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc != SQLITE_DONE) gvH_failed(h);
    return 0;
}

/* The page checks itself: every chart drew its marks, nothing was fetched.
** The only script it may run, by its hash: anything injected would not. */
static const char gvH_check[] =
    "(function(){var bad=[];document.querySelectorAll('svg.chart').forEach("
    "function(s){var n=+s.getAttribute('data-marks');var m=s.querySelectorAll('.mark')"
    ".length;if(!(n>0&&m===n))bad.push(s.getAttribute('class'));});"
    "var res=performance.getEntriesByType('resource').length;"
    "document.body.setAttribute('data-check',(bad.length?'fail '+bad.join(','):'ok')+' '+"
    "document.querySelectorAll('svg.chart').length+' charts, '+res+' requests');})();";

/* 'sha256-...' of the check, for the page's security policy. */
static void gvH_check_hash(char out[64]) {
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(gvH_check), (const uint8_t *)gvH_check);
    sha256_digest(&ctx, sizeof digest, digest);
    char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
    base64_encode_raw(b64, sizeof digest, digest);
    b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE)] = '\0';
    snprintf(out, 64, "'sha256-%s'", b64);
}

static const char gvH_css[] =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;"
    "color:#1a1a1a;line-height:1.4}"
    "h1{font-size:1.6rem;overflow-wrap:anywhere}h2{font-size:1.3rem;border-bottom:2px solid "
    "#ccc;margin-top:2rem}"
    "h3{font-size:1.05rem;margin-bottom:.3rem}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}"
    "td,th{padding:.2rem .4rem;border-bottom:1px solid #ddd;text-align:left}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".label{background:#fff3c4;border:1px solid #d9b600;padding:.2rem .5rem;font-weight:bold;"
    "display:inline-block}"
    ".page-label{position:fixed;top:0;right:0;font-size:.75rem}"
    ".status{font-weight:bold;white-space:nowrap}"
    ".achieved{color:#1b6e2a}.on_track{color:#1f5fa8}.behind{color:#a86400}"
    ".missed{color:#b3261e}.no_data,.error,.incomplete{color:#555}"
    "svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#333}"
    "code{word-break:break-all}.legend{font-size:.8rem;color:#333}"
    ".case{page-break-before:always}.case:first-of-type{page-break-before:auto}"
    ".gain{break-inside:avoid}"
    "@media print{@page{size:A4;margin:15mm}body{max-width:none;font-size:9pt}"
    /* two gains a row and whole tables: a case takes two pages, not three */
    ".gains{display:grid;grid-template-columns:1fr 1fr;column-gap:6mm}"
    "table{break-inside:avoid}h3{break-after:avoid}"
    ".page-label{position:fixed;top:0;right:0}}"
    "@media (max-width:40rem){td,th{padding:.15rem}table{font-size:.8rem}"
    ".page-label{position:static}}";

/* Status as a word and a mark that does not need colour to be read. */
static void gvH_status(gvH *h, const char *status) {
    const char *sign = strcmp(status, "achieved") == 0   ? "&#10003;"
                       : strcmp(status, "on_track") == 0 ? "&#9679;"
                       : strcmp(status, "behind") == 0   ? "&#9650;"
                       : strcmp(status, "missed") == 0   ? "&#10007;"
                                                         : "&#8211;";
    fprintf(h->out, "<span class=\"status %s\">%s ", status, sign);
    gvH_text(h->out, gvT(h->lang, status));
    fputs("</span>", h->out);
}

/* A bar from baseline (0 %) to target (100 %), filled to the realisation. */
static void gvH_progress(gvH *h, double realisation, double expected, const char *status) {
    double shown = realisation < 0 ? 0 : realisation > 150 ? 150 : realisation;
    double w = 300, x100 = w / 1.5;
    fprintf(h->out,
            "<svg class=\"chart progress\" data-marks=\"1\" viewBox=\"0 0 %.0f 22\" width=\"%.0f\" "
            "height=\"22\" role=\"img\" aria-label=\"%.1f %%\">"
            "<rect x=\"0\" y=\"4\" width=\"%.1f\" height=\"14\" fill=\"#eee\"/>"
            "<rect class=\"mark %s\" x=\"0\" y=\"4\" width=\"%.1f\" height=\"14\" "
            "fill=\"currentColor\"/>"
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"22\" stroke=\"#333\" "
            "stroke-dasharray=\"2 2\"/>"
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"22\" stroke=\"#000\"/></svg>",
            w, w, realisation, x100, status, shown / 100 * x100, expected / 100 * x100,
            expected / 100 * x100, x100, x100);
}

/* A gain's realisation over the periods: what its line chart draws. */
typedef struct gvH_points {
    double x[64], y[64], e[64]; /* y: NaN where there is no point */
    char labels[64][12];
    int n, marks;
    int hidden;       /* points left out: hidden for privacy */
    char textual[64]; /* which */
    double lo, hi;    /* the range drawn, 0..100 at least */
} gvH_points;

static void gvH_read_points(gvH *h, const char *case_id, const char *gain, gvH_points *pt) {
    /* clang-format off */
    sqlite3_stmt *st = gvH_query(h,
        "SELECT r.period, " GVR_HIDDEN("r.realisation_pct") ", r.expected_pct"
        " FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
        " WHERE r.run = ?1 AND r.case_id = ?2"
        " AND r.gain = ?3 ORDER BY r.rowid",
        case_id);
    /* clang-format on */
    pt->n = pt->marks = pt->hidden = 0;
    pt->lo = 0, pt->hi = 100;
    if (!st) return;
    sqlite3_bind_text(st, 3, gain, -1, SQLITE_TRANSIENT);
    while (pt->n < 64 && gvH_step(h, st)) {
        int n = pt->n++;
        snprintf(pt->labels[n], sizeof pt->labels[n], "%s", gvR_text(st, 0));
        /* no value, or one too small to show: no point */
        int number = sqlite3_column_type(st, 1) == SQLITE_FLOAT ||
                     sqlite3_column_type(st, 1) == SQLITE_INTEGER;
        pt->y[n] = number ? sqlite3_column_double(st, 1) : NAN;
        pt->e[n] = sqlite3_column_double(st, 2);
        pt->textual[n] = sqlite3_column_type(st, 1) == SQLITE_TEXT;
        pt->hidden += pt->textual[n];
        if (!number) continue;
        pt->marks++;
        pt->lo = fmin(pt->lo, pt->y[n]);
        pt->hi = fmax(pt->hi, pt->y[n]);
    }
    sqlite3_finalize(st);
}

/* The line chart's size, and where a value goes on its y axis. */
static const double gvH_line_w = 320, gvH_line_h = 140, gvH_line_left = 36, gvH_line_bottom = 20;

static double gvH_line_y(const gvH_points *pt, double v) {
    double inner = gvH_line_h - gvH_line_bottom - 10;
    return gvH_line_h - gvH_line_bottom - (v - pt->lo) / (pt->hi - pt->lo) * inner;
}

static void gvH_line_legend(gvH *h) {
    /* the legend, in words, so the two lines need no colour to be told apart */
    fprintf(h->out,
            "<div class=\"legend\"><svg width=\"22\" height=\"8\" aria-hidden=\"true\">"
            "<line x1=\"0\" x2=\"22\" y1=\"4\" y2=\"4\" stroke=\"#1f5fa8\" "
            "stroke-width=\"2\"/></svg> %s %% "
            "<svg width=\"22\" height=\"8\" aria-hidden=\"true\"><line x1=\"0\" x2=\"22\" "
            "y1=\"4\" y2=\"4\" stroke=\"#888\" stroke-dasharray=\"4 3\"/></svg> %s %%</div>",
            gvT(h->lang, "Realised"), gvT(h->lang, "Expected"));
}

/* Under a chart with points hidden for privacy: which, so a gap is not
** read as no data. */
static void gvH_hidden_points(gvH *h, const gvH_points *pt) {
    if (!pt->hidden) return;
    fprintf(h->out, "<div class=\"legend note\">%s:", gvT(h->lang, "hidden (privacy), not drawn"));
    for (int i = 0; i < pt->n; i++)
        if (pt->textual[i]) fprintf(h->out, " %s", pt->labels[i]);
    fputs("</div>", h->out);
}

/* Realisation over the periods, against the straight line expected. */
static void gvH_line(gvH *h, const char *case_id, const char *gain) {
    gvH_points pt;
    gvH_read_points(h, case_id, gain, &pt);
    if (pt.marks == 0) {
        gvH_hidden_points(h, &pt);
        return;
    }
    double W = gvH_line_w, H = gvH_line_h, L = gvH_line_left;
    for (int i = 0; i < pt.n; i++)
        pt.x[i] = L + (pt.n == 1 ? (W - L) / 2 : (W - L - 30) * i / (pt.n - 1));
    fprintf(h->out,
            "<svg class=\"chart line\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\">",
            pt.marks, W, H, W, H);
    double y0 = gvH_line_y(&pt, 0);
    fprintf(h->out,
            "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#aaa\"/>"
            "<text x=\"2\" y=\"%.1f\">0 %%</text><text x=\"2\" y=\"%.1f\">100 %%</text>",
            L, W, y0, y0, y0 + 4, gvH_line_y(&pt, 100) + 4);
    fputs("<polyline fill=\"none\" stroke=\"#888\" stroke-dasharray=\"4 3\" points=\"", h->out);
    for (int i = 0; i < pt.n; i++)
        fprintf(h->out, "%.1f,%.1f ", pt.x[i], gvH_line_y(&pt, pt.e[i]));
    fputs("\"/>", h->out);
    /* a line a run of points: a hidden or missing one leaves a gap */
    for (int i = 0; i < pt.n; i++) {
        if (isnan(pt.y[i])) continue;
        if (i == 0 || isnan(pt.y[i - 1]))
            fputs("<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\" points=\"",
                  h->out);
        fprintf(h->out, "%.1f,%.1f ", pt.x[i], gvH_line_y(&pt, pt.y[i]));
        if (i + 1 == pt.n || isnan(pt.y[i + 1])) fputs("\"/>", h->out);
    }
    for (int i = 0; i < pt.n; i++) {
        if (!isnan(pt.y[i]))
            fprintf(h->out,
                    "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#1f5fa8\"/>",
                    pt.x[i], gvH_line_y(&pt, pt.y[i]));
        fprintf(h->out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">", pt.x[i], H - 4);
        gvH_text(h->out, pt.labels[i]);
        fputs("</text>", h->out);
    }
    fputs("</svg>", h->out);
    gvH_line_legend(h);
    gvH_hidden_points(h, &pt);
}

/* Horizontal bars: names and values from a query (?1 run, ?2 case). */
static void gvH_bars(gvH *h, sqlite3_stmt *st, const char *cls, int translate) {
    char names[32][64];
    double v[32], max = 0;
    int n = 0;
    while (n < 32 && gvH_step(h, st)) {
        snprintf(names[n], sizeof names[n], "%s", gvH_col(st, 0) ? gvH_col(st, 0) : "");
        v[n] = sqlite3_column_double(st, 1);
        if (fabs(v[n]) > max) max = fabs(v[n]);
        n++;
    }
    sqlite3_finalize(st);
    if (n == 0) return;
    double W = 420, row = 22, L = 150;
    fprintf(h->out,
            "<svg class=\"chart %s\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\">",
            cls, n, W, row * n + 4, W, row * n + 4);
    for (int i = 0; i < n; i++) {
        double w = max > 0 ? fabs(v[i]) / max * (W - L - 90) : 0;
        char num[64];
        gvT_number(h->lang, v[i], fabs(v[i]) >= 100 ? 0 : 2, 0, num, sizeof num);
        fprintf(h->out, "<text x=\"0\" y=\"%.0f\"><title>", i * row + 15);
        const char *name = translate ? gvT(h->lang, names[i]) : names[i];
        gvH_text(h->out, name);
        fputs("</title>", h->out);
        /* what fits left of the bars: 22 characters, cut between characters */
        int chars = 0;
        const char *p = name;
        while (*p && chars < 22) {
            p++;
            while ((*p & 0xC0) == 0x80)
                p++;
            chars++;
        }
        char cut[200];
        snprintf(cut, sizeof cut, "%.*s%s", (int)(p - name), name, *p ? "\xE2\x80\xA6" : "");
        gvH_text(h->out, cut);
        fprintf(h->out,
                "</text><rect class=\"mark\" x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"16\" "
                "fill=\"#3b7d4f\"/><text x=\"%.1f\" y=\"%.0f\">%s</text>",
                L, i * row + 3, w, L + w + 4, i * row + 15, num);
    }
    fputs("</svg>", h->out);
}

/* A case's sensitivity: what the tornado and its table show. */
typedef struct gvH_tornado_rows {
    char names[8][32];
    double lo[8], hi[8], be[8], at_lo[8], at_hi[8];
    int never[8]; /* no break-even */
    int n;
    double min, max; /* the scale: every ratio, 1:1 and the case's own */
} gvH_tornado_rows;

static void gvH_read_tornado(gvH *h, const char *case_id, double sroi, gvH_tornado_rows *t) {
    sqlite3_stmt *st =
        gvH_query(h,
                  "SELECT assumption, sroi_low, sroi_high, break_even, low, high FROM"
                  " sensitivity WHERE run = ?1 AND case_id = ?2 ORDER BY rowid",
                  case_id);
    t->n = 0;
    t->min = fmin(sroi, 1), t->max = fmax(sroi, 1);
    while (t->n < 8 && gvH_step(h, st)) {
        int n = t->n++;
        snprintf(t->names[n], sizeof t->names[n], "%s", gvR_text(st, 0));
        t->lo[n] = sqlite3_column_double(st, 1);
        t->hi[n] = sqlite3_column_double(st, 2);
        t->never[n] = sqlite3_column_type(st, 3) == SQLITE_NULL;
        t->be[n] = sqlite3_column_double(st, 3);
        t->at_lo[n] = sqlite3_column_double(st, 4);
        t->at_hi[n] = sqlite3_column_double(st, 5);
        t->min = fmin(t->min, fmin(t->lo[n], t->hi[n]));
        t->max = fmax(t->max, fmax(t->lo[n], t->hi[n]));
    }
    sqlite3_finalize(st);
}

/* Where a ratio goes on the tornado's x axis. */
static double gvH_tornado_x(const gvH_tornado_rows *t, double v) {
    const double left = 130, right = 420 - 10;
    return left + (v - t->min) / (t->max - t->min) * (right - left);
}

/* Tornado: each assumption's low and high ratio around the case's SROI. */
static void gvH_tornado_chart(gvH *h, const gvH_tornado_rows *t, double sroi) {
    double W = 420, row = 22, bottom = row * t->n;
    fprintf(h->out,
            "<svg class=\"chart tornado\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\">",
            t->n, W, bottom + 20, W, bottom + 20);
    for (int i = 0; i < t->n; i++) {
        double a = fmin(t->lo[i], t->hi[i]), b = fmax(t->lo[i], t->hi[i]);
        double xa = gvH_tornado_x(t, a), xb = gvH_tornado_x(t, b);
        fprintf(h->out, "<text x=\"0\" y=\"%.0f\">", i * row + 15);
        gvH_text(h->out, gvT(h->lang, t->names[i]));
        fprintf(h->out,
                "</text><rect class=\"mark\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"16\" "
                "fill=\"#7a8fb8\"><title>%.2f .. %.2f</title></rect>",
                xa, i * row + 3, fmax(xb - xa, 1), a, b);
    }
    double x_sroi = gvH_tornado_x(t, sroi), x_one = gvH_tornado_x(t, 1);
    fprintf(h->out,
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#000\"/>"
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#b3261e\" "
            "stroke-dasharray=\"3 2\"/><text x=\"%.1f\" y=\"%.0f\" "
            "text-anchor=\"middle\">1:1</text>",
            x_sroi, x_sroi, bottom, x_one, x_one, bottom, x_one, bottom + 14);
    /* the scale: the lowest and highest ratio, where they do not crowd 1:1 */
    double ends[2] = {t->min, t->max};
    for (int k = 0; k < 2; k++) {
        double x = gvH_tornado_x(t, ends[k]);
        if (fabs(x - x_one) < 30) continue;
        char num[64];
        gvT_number(h->lang, ends[k], 2, 0, num, sizeof num);
        fprintf(h->out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>", x, bottom + 14,
                k ? "end" : "start", num);
    }
    fputs("</svg>", h->out);
}

/* Each assumption's low and high value, the ratio each gives, and the
** value at which the ratio would be 1:1: the chart in words. */
static void gvH_tornado_table(gvH *h, const gvH_tornado_rows *t) {
    fprintf(h->out, "<p>%s</p><table><tr><th>%s</th>",
            gvT(h->lang, "Sensitivity of SROI, one assumption at a time (low / high: the factor "
                         "applied to each gain's value; for the discount rate, the rate)"),
            gvT(h->lang, "assumption"));
    const char *heads[] = {"low", "SROI", "high", "SROI", "1:1 at"};
    for (int k = 0; k < 5; k++)
        fprintf(h->out, "<th class=\"n\">%s</th>", gvT(h->lang, heads[k]));
    fputs("</tr>", h->out);
    for (int i = 0; i < t->n; i++) {
        fputs("<tr><td>", h->out);
        gvH_text(h->out, gvT(h->lang, t->names[i]));
        double cells[] = {t->at_lo[i], t->lo[i], t->at_hi[i], t->hi[i]};
        for (int k = 0; k < 4; k++) {
            fputs("</td><td class=\"n\">", h->out);
            gvH_num(h, cells[k], k % 2 ? 2 : 3);
        }
        fputs("</td><td class=\"n\">", h->out);
        if (t->never[i])
            gvH_text(h->out, gvT(h->lang, "never"));
        else
            gvH_num(h, t->be[i], 3);
        fputs("</td></tr>", h->out);
    }
    fputs("</table>", h->out);
}

static void gvH_tornado(gvH *h, const char *case_id, double sroi) {
    gvH_tornado_rows t;
    gvH_read_tornado(h, case_id, sroi, &t);
    if (t.n == 0) return;
    gvH_tornado_chart(h, &t, sroi);
    gvH_tornado_table(h, &t);
}

/* A new page, with the label every page carries. */
static void gvH_section(gvH *h) {
    fputs("<section class=\"case\">", h->out);
    if (h->label) {
        fputs("<p class=\"label\">", h->out);
        gvH_text(h->out, h->label);
        fputs("</p>", h->out);
    }
}

/* What the case is: its municipality, period, partners and investment. */
static void gvH_case_facts(gvH *h, sqlite3_stmt *c) {
    FILE *out = h->out;
    const char *case_id = gvH_col(c, 0);
    fputs("<h2>", out);
    gvH_text(out, gvH_col(c, 1));
    fputs("</h2><table>", out);
    fprintf(out, "<tr><th>%s</th><td>", gvT(h->lang, "Case"));
    gvH_text(out, case_id);
    fprintf(out, "</td></tr><tr><th>%s</th><td>", gvT(h->lang, "Municipality"));
    gvH_text(out, gvH_col(c, 2));
    fputs(" (", out);
    gvH_text(out, gvH_col(c, 3));
    fprintf(out, ")</td></tr><tr><th>%s</th><td>", gvT(h->lang, "Period"));
    gvH_text(out, gvR_text(c, 4));
    fputs(" &#8211; ", out);
    gvH_text(out, gvR_text(c, 5));
    fprintf(out, "</td></tr><tr><th>%s</th><td>", gvT(h->lang, "Partners"));
    sqlite3_stmt *p = gvH_query(h,
                                "SELECT name, type FROM partners WHERE case_id = ?2 AND ?1 = ?1"
                                " ORDER BY type, name",
                                case_id);
    for (int i = 0; gvH_step(h, p); i++) {
        fputs(i ? "; " : "", out);
        gvH_text(out, gvH_col(p, 0));
        fputs(" (", out);
        gvH_text(out, gvT(h->lang, gvH_col(p, 1)));
        fputc(')', out);
    }
    sqlite3_finalize(p);
    fputs("</td></tr>", out);
    if (sqlite3_column_type(c, 6) != SQLITE_NULL) {
        fprintf(out, "<tr><th>%s</th><td>", gvT(h->lang, "Investment"));
        gvH_num(h, sqlite3_column_double(c, 6), 0);
        fputc(' ', out);
        gvH_text(out, gvH_col(c, 8));
        fputs("</td></tr>", out);
    }
    fputs("</table>", out);
}

/* One gain: where it stands, and how it got there. */
static void gvH_gain(gvH *h, const char *case_id, sqlite3_stmt *g) {
    FILE *out = h->out;
    fputs("<div class=\"gain\"><strong>", out);
    gvH_text(out, gvH_col(g, 1) ? gvH_col(g, 1) : gvH_col(g, 0));
    fprintf(out, "</strong> (%s, ", gvT(h->lang, gvH_col(g, 10)));
    gvH_text(out, gvH_col(g, 9));
    fprintf(out, ") <br>%s ", gvT(h->lang, "Baseline"));
    gvH_cell(h, g, 3, 2);
    fprintf(out, " &#8594; %s ", gvT(h->lang, "Target"));
    gvH_cell(h, g, 4, 2);
    fprintf(out, ", %s ", gvT(h->lang, "Actual"));
    gvH_cell(h, g, 5, 2);
    fprintf(out, ": %s ", gvT(h->lang, "Realised"));
    gvH_cell(h, g, 6, 1);
    int number = sqlite3_column_type(g, 6) == SQLITE_FLOAT ||
                 sqlite3_column_type(g, 6) == SQLITE_INTEGER; /* never a % beside the word */
    fprintf(out, "%s (%s ", number ? " %" : "", gvT(h->lang, "Expected"));
    gvH_num(h, sqlite3_column_double(g, 7), 1);
    fputs(" %) ", out);
    gvH_status(h, gvH_col(g, 8));
    char note[64];
    if (*gvR_coverage(h->lang, g, 11, note)) fputs(" (", out), gvH_text(out, note), fputc(')', out);
    fputs("<br>", out);
    /* a hidden realisation draws no bar (the bar would show the number),
       and says so; an incomplete period has none */
    if (sqlite3_column_type(g, 6) == SQLITE_FLOAT || sqlite3_column_type(g, 6) == SQLITE_INTEGER)
        gvH_progress(h, sqlite3_column_double(g, 6), sqlite3_column_double(g, 7), gvH_col(g, 8));
    else if (sqlite3_column_type(g, 6) == SQLITE_TEXT)
        fprintf(out, "<span class=\"legend\">%s</span>",
                gvT(h->lang, "no bar: the realisation is hidden (privacy)"));
    fputs("<br>", out);
    gvH_line(h, case_id, gvH_col(g, 0));
    fputs("</div>", out);
}

static void gvH_case_gains(gvH *h, const char *case_id) {
    /* clang-format off */
    sqlite3_stmt *g = gvH_query(h,
        "SELECT r.gain, json_extract(p.plan, '$.description'), json_extract(p.plan, '$.owner'),"
        " " GVR_PLAN_SHOWN("json_extract(p.plan, '$.baseline')") ","
        " " GVR_PLAN_SHOWN("json_extract(p.plan, '$.target')") ","
        " " GVR_SHOWN("r.actual") ","
        " " GVR_HIDDEN("r.realisation_pct") ","
        " r.expected_pct, " GVR_STATUS_SHOWN ", r.period, json_extract(p.plan, '$.type'),"
        " r.coverage FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
        " WHERE r.run = ?1 AND r.case_id = ?2"
        /* the latest period the gain has an actual for */
        " AND r.rowid = (SELECT max(latest.rowid) FROM gain_results latest"
        " WHERE latest.run = r.run AND latest.case_id = r.case_id AND latest.gain = r.gain"
        " AND latest.actual IS NOT NULL) ORDER BY r.gain",
        case_id);
    /* clang-format on */
    int ng = 0;
    while (gvH_step(h, g)) {
        if (ng++ == 0)
            fprintf(h->out, "<h3>%s</h3><div class=\"gains\">",
                    gvT(h->lang, "Gains against the plan"));
        gvH_gain(h, case_id, g);
    }
    sqlite3_finalize(g);
    if (ng) fputs("</div>", h->out);
}

/* The case's value: SROI, present value, payback, who gains, and how
** much each assumption matters. */
static void gvH_case_value(gvH *h, sqlite3_stmt *c) {
    FILE *out = h->out;
    const char *case_id = gvH_col(c, 0);
    double sroi = sqlite3_column_double(c, 7);
    char rounded[32];
    gvV_ratio_rounded(sroi, rounded);
    if (h->lang != GV_LANG_EN && strchr(rounded, '.')) *strchr(rounded, '.') = ',';
    fprintf(out, "<h3>%s</h3><p><strong>SROI ", gvT(h->lang, "Social return on investment"));
    gvH_num(h, sroi, 2);
    fprintf(out, "</strong> (%s %s)", gvT(h->lang, "rounded"), rounded);
    fprintf(out, ", %s ", gvT(h->lang, "Present value"));
    gvH_num(h, sqlite3_column_double(c, 9), 0);
    fputc(' ', out);
    gvH_text(out, gvH_col(c, 8));
    fprintf(out, ", %s ", gvT(h->lang, "Payback"));
    if (sqlite3_column_type(c, 10) == SQLITE_NULL) {
        fputs(gvT(h->lang, "never"), out);
    } else {
        gvH_num(h, sqlite3_column_double(c, 10), 1);
        fprintf(out, " %s", gvT(h->lang, "months"));
    }
    fputs("</p>", out);
    fprintf(out, "<h3>%s</h3>", gvT(h->lang, "Value by beneficiary"));
    gvH_bars(h,
             gvH_query(h,
                       "SELECT name, present_value FROM value_splits WHERE run = ?1 AND"
                       " case_id = ?2 AND dimension = 'beneficiary' ORDER BY name",
                       case_id),
             "bars", 1);
    fprintf(out, "<h3>%s</h3>", gvT(h->lang, "Sensitivity"));
    gvH_tornado(h, case_id, sroi);
}

/* The gains whose latest period SROI passed over, their data partial. */
static void gvH_left_out(gvH *h, const char *case_id) {
    sqlite3_stmt *g = gvH_query(h,
                                "SELECT g.gain, g.left_out_period, x.coverage" GVR_LEFT_OUT
                                " AND g.case_id = ?2 ORDER BY g.gain",
                                case_id);
    int n = 0;
    for (; gvH_step(h, g); n++) {
        char note[64];
        fputs(n ? "; " : "<p>", h->out);
        if (!n) {
            gvH_text(h->out, gvT(h->lang, "Left out of SROI: a later period whose data cover "
                                          "only part of it"));
            fputs(": ", h->out);
        }
        gvH_text(h->out, gvH_col(g, 0));
        fprintf(h->out, " %s (", gvH_col(g, 1));
        gvH_text(h->out, gvR_coverage(h->lang, g, 2, note));
        fputc(')', h->out);
    }
    if (n) fputs("</p>", h->out);
    sqlite3_finalize(g);
}

static void gvH_case(gvH *h, sqlite3_stmt *c) {
    gvH_section(h);
    gvH_case_facts(h, c);
    gvH_case_gains(h, gvH_col(c, 0));
    if (sqlite3_column_type(c, 7) == SQLITE_NULL && gvH_col(c, 11)) { /* a value not computed */
        fprintf(h->out, "<h3>%s</h3><p>%s: ", gvT(h->lang, "Social return on investment"),
                gvT(h->lang, "not computed"));
        gvH_text(h->out, gvH_col(c, 11));
        fputs("</p>", h->out);
    }
    gvH_left_out(h, gvH_col(c, 0));
    if (sqlite3_column_type(c, 7) != SQLITE_NULL && sqlite3_column_int(c, 12)) {
        /* its value would give a hidden count back */
        fprintf(h->out, "<h3>%s</h3><p>SROI, %s, %s: %s (%s)</p>",
                gvT(h->lang, "Social return on investment"), gvT(h->lang, "Present value"),
                gvT(h->lang, "Sensitivity"), gvT(h->lang, "hidden"),
                gvT(h->lang, "hidden (privacy), not drawn"));
    } else if (sqlite3_column_type(c, 7) != SQLITE_NULL) {
        gvH_case_value(h, c);
    }
    fputs("</section>", h->out);
}

/* The page's head, title and run. */
static void gvH_head(gvH *h, const char *lang_name, sqlite3_stmt *run) {
    const char *title = gvT(h->lang, "Benefits realisation report");
    /* the page may fetch nothing, and run nothing but its own check */
    char hash[64];
    gvH_check_hash(hash);
    fprintf(h->out,
            "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src %s\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>%s</title><style>%s</style></head><body>",
            lang_name ? lang_name : "en", hash, title, gvH_css);
    if (h->label) {
        fputs("<div class=\"page-label label\">", h->out);
        gvH_text(h->out, h->label);
        fputs("</div>", h->out);
    }
    fprintf(h->out, "<h1>%s</h1><p>%s %lld, ", title, gvT(h->lang, "Run"), h->run);
    gvH_text(h->out, gvH_col(run, 0));
    fputs("</p>", h->out);
}

/* One section a case. */
static void gvH_cases(gvH *h) {
    sqlite3_stmt *c = gvH_query(
        h,
        "SELECT c.id, c.title, m.name, m.country, c.start_date, c.end_date, v.investment, v.sroi,"
        " v.currency, v.present_value, v.payback_months, v.error,"
        " " GVR_CASE_HIDDEN("c.id") " FROM cases c"
                                    " JOIN municipalities m ON m.code = c.municipality"
                                    " LEFT JOIN case_values v ON v.case_id = c.id AND v.run = ?1"
                                    " WHERE c.id IN (SELECT case_id FROM results WHERE run = ?1) "
                                    "ORDER BY m.country DESC, c.id",
        NULL);
    while (gvH_step(h, c))
        gvH_case(h, c);
    sqlite3_finalize(c);
}

static void gvH_conversions(gvH *h) {
    FILE *out = h->out;
    fprintf(out,
            "<h3>%s</h3><table><tr><th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr>",
            gvT(h->lang, "Conversions used"), gvT(h->lang, "Currency"), gvT(h->lang, "Price year"),
            gvT(h->lang, "Rate"), gvT(h->lang, "Index then"), gvT(h->lang, "Index now"),
            gvT(h->lang, "Factor"));
    sqlite3_stmt *cv = gvH_query(h,
                                 "SELECT currency, price_year, rate, cpi_from, cpi_to, factor"
                                 " FROM run_conversions WHERE run = ?1 ORDER BY 1, 2",
                                 NULL);
    while (gvH_step(h, cv)) {
        fputs("<tr><td>", out);
        gvH_text(out, gvH_col(cv, 0));
        fprintf(out, "</td><td class=\"n\">%s</td>", gvR_text(cv, 1));
        for (int i = 2; i <= 5; i++) {
            fputs("<td class=\"n\">", out);
            if (sqlite3_column_type(cv, i) != SQLITE_NULL)
                gvH_num(h, sqlite3_column_double(cv, i), i == 5 ? 6 : 2);
            fputs("</td>", out);
        }
        fputs("</tr>", out);
    }
    sqlite3_finalize(cv);
    fputs("</table>", out);
}

/* Across cases, in one currency and price year. */
static void gvH_comparison(gvH *h) {
    gvH_section(h);
    fprintf(h->out, "<h2>%s</h2>", gvT(h->lang, "Comparison across cases"));
    sqlite3_stmt *cur = gvH_query(h,
                                  "SELECT currency, price_year FROM case_values WHERE run = ?1"
                                  " LIMIT 1",
                                  NULL);
    if (gvH_step(h, cur)) {
        fprintf(h->out, "<p>%s ", gvT(h->lang, "shown in"));
        gvH_text(h->out, gvH_col(cur, 0));
        fprintf(h->out, ", %s %s</p>", gvR_text(cur, 1), gvT(h->lang, "prices"));
    }
    sqlite3_finalize(cur);
    gvH_bars(h,
             gvH_query(h,
                       "SELECT c.title, v.sroi FROM case_values v JOIN cases c ON c.id = v.case_id"
                       " WHERE v.run = ?1 AND v.sroi IS NOT NULL"
                       " AND NOT " GVR_CASE_HIDDEN("v.case_id") " ORDER BY v.sroi DESC",
                       NULL),
             "bars comparison", 0);
    sqlite3_stmt *hidden = gvH_query(h,
                                     "SELECT c.title FROM case_values v JOIN cases c ON"
                                     " c.id = v.case_id WHERE v.run = ?1 AND v.sroi IS NOT NULL"
                                     " AND " GVR_CASE_HIDDEN("v.case_id") " ORDER BY c.id",
                                     NULL);
    int n = 0;
    for (; gvH_step(h, hidden); n++) {
        fprintf(h->out,
                n ? "; " : "<p class=\"legend\">%s: ", gvT(h->lang, "hidden (privacy), not drawn"));
        gvH_text(h->out, gvH_col(hidden, 0));
    }
    if (n) fputs("</p>", h->out);
    sqlite3_finalize(hidden);
    gvH_conversions(h);
    fputs("</section>", h->out);
}

/* The sources imported or removed after the run: the numbers are the run's, but titles
** and partners are read now. */
static void gvH_imports_since(gvH *h) {
    sqlite3_stmt *since = gvD_imports_since(h->db, h->run);
    if (!since) gvH_failed(h);
    int n = 0;
    for (; gvH_step(h, since); n++) {
        if (n == 0)
            fprintf(h->out,
                    "<h3>%s</h3><p>%s</p><table><tr><th>%s</th><th>%s</th><th>%s</th>"
                    "<th>%s</th><th>%s</th></tr>",
                    gvT(h->lang, "Changed since this run"),
                    gvT(h->lang, "The case summaries show the tables as they are now. These "
                                 "sources were imported or removed after the run, so a summary "
                                 "may differ from what the run read:"),
                    gvT(h->lang, "Data"), gvT(h->lang, "Source"), gvT(h->lang, "File"),
                    gvT(h->lang, "When"), gvT(h->lang, "Change"));
        /* kind, source, file, when */
        static const int column[] = {0, 4, 1, 2};
        for (int k = 0; k < 4; k++) {
            fputs(k == 0 ? "<tr><td>" : "</td><td>", h->out);
            gvH_text(h->out, gvH_col(since, column[k]));
        }
        fprintf(h->out, "</td><td>%s</td></tr>",
                gvT(h->lang, sqlite3_column_int(since, 3) ? "removed" : "imported"));
    }
    sqlite3_finalize(since);
    if (n) fputs("</table>", h->out);
}

/* Where every number comes from. */
static void gvH_provenance(gvH *h, sqlite3_stmt *run) {
    FILE *out = h->out;
    gvH_section(h);
    fprintf(out, "<h2>%s</h2><p>%s %lld, gevinst ", gvT(h->lang, "Provenance of every number"),
            gvT(h->lang, "Run"), h->run);
    gvH_text(out, gvH_col(run, 1));
    fprintf(out, ", %s ", gvT(h->lang, "Config"));
    gvH_text(out, gvH_col(run, 2));
    fputs(" (sha256 <code>", out);
    gvH_text(out, gvH_col(run, 3));
    fprintf(out, "</code>)</p><table><tr><th>%s</th><th>%s</th><th>%s</th><th>sha256</th></tr>",
            gvT(h->lang, "Indicator"), gvT(h->lang, "Module"), gvT(h->lang, "Version"));
    sqlite3_stmt *i = gvH_query(h,
                                "SELECT indicator, module, module_version, module_hash FROM"
                                " run_indicators WHERE run = ?1 ORDER BY position",
                                NULL);
    while (gvH_step(h, i)) {
        fputs("<tr>", out);
        for (int k = 0; k < 4; k++) {
            fputs(k == 3 ? "<td><code>" : "<td>", out);
            gvH_text(out, gvR_text(i, k));
            fputs(k == 3 ? "</code></td>" : "</td>", out);
        }
        fputs("</tr>", out);
    }
    sqlite3_finalize(i);
    fputs("</table>", out);
    gvH_imports_since(h);
    fputs("</section>", out);
}

/* What a hidden figure means, and whether the page hides nothing. */
static void gvH_footnote(gvH *h, gv_report *r) {
    char *err = NULL, *note = gvR_hidden_note(r, &err);
    if (err && !h->err)
        h->err = err;
    else
        free(err);
    if (r->suppress_below <= 0)
        fprintf(
            h->out, "<p class=\"label\">%s</p>",
            gvT(h->lang, "not for publication: small counts of persons are shown (--no-suppress)"));
    if (!note) return;
    fputs("<p class=\"legend\">", h->out);
    gvH_text(h->out, note);
    fputs("</p>", h->out);
    free(note);
}

gv_status gvR_write_html(gv_report *r, char **err) {
    gvH h = {r->db, r->run, r->lang, r->label, r->out, NULL};
    sqlite3_stmt *run = gvH_query(&h,
                                  "SELECT started, engine_version, config_file, config_hash"
                                  " FROM runs WHERE id = ?1",
                                  NULL);
    if (!gvH_step(&h, run)) {
        sqlite3_finalize(run);
        *err = h.err ? h.err : gvU_mprintf("run %lld not found", r->run);
        return h.err ? GV_DATABASE : GV_NOT_FOUND;
    }
    gvH_head(&h, r->lang_name, run);
    gvH_cases(&h);
    gvH_comparison(&h);
    gvH_footnote(&h, r);
    gvH_provenance(&h, run);
    sqlite3_finalize(run);
    /* a check a browser test reads: every chart drew its marks */
    fprintf(h.out, "<script>%s</script></body></html>\n", gvH_check);
    if (!h.err) return GV_OK;
    *err = h.err;
    return GV_DATABASE;
}
