/*
** gv_html.c -- a run as one self-contained HTML page for a steering group:
** inline CSS and SVG, no scripts from elsewhere, no fonts, no network;
** readable on a phone and printable on A4.  Every chart is an <svg
** class="chart" data-marks="N"> with N elements of class "mark", so a
** browser test can tell that each one drew what it should.  Past
** GVH_OVERVIEW cases the page shows an overview instead of a section a
** case, so that its size does not grow with the cases.
*/
#include <ctype.h>
#include <math.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "report/gv_writers.h"
#include "store/gv_store.h"

/* More cases than this: the overview (docs/reports.md says the number). */
#define GVH_OVERVIEW 50

/* The page being written: the report, and the first thing that failed. */
typedef struct gvH {
    sqlite3 *db;
    long long run;
    gv_lang lang;
    const char *label; /* e.g. "Synthetic data", on every page; NULL: none */
    FILE *out;
    char *err;     /* the first query that failed: the page is not written whole */
    long ncases;   /* the cases shown */
    char one[256]; /* the title of the one case shown, when it is one */
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

/* s as the text of a CSS string: quotes, backslashes and '<' (which could
** close the style element) as escapes. */
static void gvH_css_text(FILE *out, const char *s) {
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\' || *s == '<' || *s == '\n' || *s == '\r')
            fprintf(out, "\\%x ", (unsigned char)*s);
        else
            fputc(*s, out);
    }
}

static void gvH_num(gvH *h, double v, int decimals) {
    char buf[64];
    gvT_number(h->lang, v, decimals, 1, buf, sizeof buf);
    fputs(buf, h->out);
}

/* Is unit a currency's code (NOK, DKK, EUR)? */
static int gvH_money(const char *unit) {
    return unit && strlen(unit) == 3 && isupper((unsigned char)unit[0]) &&
           isupper((unsigned char)unit[1]) && isupper((unsigned char)unit[2]);
}

/* A value as its unit is read: counts of persons and things whole, money
** whole and with its currency, a share with one decimal and %, anything
** else with the decimals it needs (none from 1000, at most two). */
static void gvH_value(gvH *h, double v, const char *unit) {
    int counted = unit && (strcmp(unit, "persons") == 0 || strcmp(unit, "count") == 0);
    int share = unit && strcmp(unit, "%") == 0;
    int decimals = counted || gvH_money(unit) ? 0
                   : share                    ? 1
                   : fabs(v) >= 1000          ? 0
                   : fabs(v) >= 10            ? 1
                                              : 2;
    char buf[64];
    /* a whole number: halves away from zero, as a reader rounds */
    gvT_number(h->lang, decimals ? v : round(v), decimals, 1, buf, sizeof buf);
    char *mark = strrchr(buf, h->lang == GV_LANG_EN ? '.' : ',');
    if (mark && !share) { /* 3,50 is 3,5; 2,00 is 2 */
        char *end = buf + strlen(buf);
        while (end > mark + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == mark + 1) *mark = '\0';
    }
    fputs(buf, h->out);
    if (share)
        fputs("&#160;%", h->out);
    else if (gvH_money(unit))
        fprintf(h->out, "&#160;%s", unit);
}

/* A figure from a row as its unit is read, or the stand-in for a hidden
** one; "–" where there is none (an incomplete gain's realisation). */
static void gvH_cell(gvH *h, sqlite3_stmt *st, int col, const char *unit) {
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        fputs("&#8211;", h->out);
    else if (sqlite3_column_type(st, col) == SQLITE_TEXT)
        gvH_text(h->out, (const char *)sqlite3_column_text(st, col));
    else
        gvH_value(h, sqlite3_column_double(st, col), unit);
}

/* A date or time from the database, written out in the language. */
static void gvH_date(gvH *h, const char *iso) {
    char buf[96];
    gvT_date(h->lang, iso, buf, sizeof buf);
    gvH_text(h->out, buf);
}

/* "2019-priser", "2019 prices". */
static void gvH_prices(gvH *h, const char *year) {
    gvH_text(h->out, year);
    fprintf(h->out, "%s%s", h->lang == GV_LANG_EN ? " " : "-", gvT(h->lang, "prices"));
}

/* A unit as the reader says it: personer, timer; NULL and "" as nothing. */
static void gvH_unit(gvH *h, const char *unit) {
    if (!unit || !*unit) return;
    fputs(" <span class=\"unit\">(", h->out);
    gvH_text(h->out, gvT(h->lang, unit));
    fputs(")</span>", h->out);
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

/* The page's one script, allowed by its hash: anything injected would not
** run.  It checks the page (every chart drew its marks; no two labels of a
** chart overlap; the smallest chart text as drawn, in px; how far the page
** is wider than the window; nothing was fetched; the milliseconds from
** the start of loading to the end of the check) and writes the answers on
** <body> for a browser test to read, and sorts a table whose heading is
** clicked (the overview's). */
static const char gvH_script[] =
    "(function(){var bad=[],over=[],small=99;"
    "document.querySelectorAll('svg.chart').forEach(function(s){"
    "var n=+s.getAttribute('data-marks');var m=s.querySelectorAll('.mark').length;"
    "if(!(n>0&&m===n))bad.push(s.getAttribute('class'));"
    "var vb=s.viewBox.baseVal,k=vb&&vb.width?s.getBoundingClientRect().width/vb.width:1;"
    "var t=[].slice.call(s.querySelectorAll('text'));"
    "var r=t.map(function(e){small=Math.min(small,parseFloat(getComputedStyle(e).fontSize)*k);"
    "return e.getBoundingClientRect();});"
    "for(var i=0;i<r.length;i++)for(var j=i+1;j<r.length;j++){var a=r[i],b=r[j];"
    "if(a.width&&b.width&&a.left<b.right-1&&b.left<a.right-1&&a.top<b.bottom-1&&"
    "b.top<a.bottom-1)over.push(t[i].textContent+'|'+t[j].textContent);}});"
    "var res=performance.getEntriesByType('resource').length;var b=document.body;"
    "b.setAttribute('data-check',(bad.length?'fail '+bad.join(','):'ok')+' '+"
    "document.querySelectorAll('svg.chart').length+' charts, '+res+' requests');"
    "b.setAttribute('data-overlaps',over.length+(over.length?' '+over.slice(0,5).join('; '):''));"
    "b.setAttribute('data-smallest-text',small.toFixed(1));"
    "b.setAttribute('data-overflow',Math.max(0,document.documentElement.scrollWidth-"
    "document.documentElement.clientWidth));"
    "b.setAttribute('data-ms',Math.round(performance.now()));"
    "document.querySelectorAll('table.sortable th').forEach(function(th,c){"
    "th.addEventListener('click',function(){var tb=th.closest('table').tBodies[0];"
    "var up=th.getAttribute('aria-sort')!=='ascending';"
    "th.parentNode.querySelectorAll('th').forEach(function(x){x.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',up?'ascending':'descending');"
    "var rows=[].slice.call(tb.rows);rows.sort(function(x,y){"
    "var p=x.cells[c].getAttribute('data-v'),q=y.cells[c].getAttribute('data-v');"
    "var d=p!==null&&q!==null?(+p)-(+q):x.cells[c].textContent.localeCompare("
    "y.cells[c].textContent);return up?d:-d;});"
    "rows.forEach(function(x){tb.appendChild(x);});});});})();";

/* 'sha256-...' of the script, for the page's security policy. */
static void gvH_script_hash(char out[64]) {
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(gvH_script), (const uint8_t *)gvH_script);
    sha256_digest(&ctx, sizeof digest, digest);
    char b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE) + 1];
    base64_encode_raw(b64, sizeof digest, digest);
    b64[BASE64_ENCODE_RAW_LENGTH(SHA256_DIGEST_SIZE)] = '\0';
    snprintf(out, 64, "'sha256-%s'", b64);
}

static const char gvH_css[] =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;"
    "color:#1a1a1a;line-height:1.4}"
    /* a long word shrinks the heading on a phone rather than breaking inside it */
    "h1{font-size:clamp(1.1rem,5.2vw,1.6rem);overflow-wrap:break-word}"
    "h2{font-size:1.3rem;border-bottom:2px solid #ccc;margin-top:2rem}"
    "h3{font-size:1.05rem;margin-bottom:.3rem}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}"
    "td,th{padding:.2rem .4rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    /* names and hashes break anywhere rather than widen the page on a phone */
    "table.provenance td{overflow-wrap:anywhere}"
    ".wide{overflow-x:auto}.unit{font-weight:normal;color:#555}"
    "td.no_data,td.error,td.hidden{color:#555;font-style:italic}"
    "sup.partial{font-size:.7em;color:#a86400}.note{font-size:.8rem;color:#333}"
    ".label{background:#fff3c4;border:1px solid #d9b600;padding:.2rem .5rem;font-weight:bold;"
    "display:inline-block}"
    ".page-label{position:fixed;top:0;right:0;font-size:.75rem}"
    ".status{font-weight:bold;white-space:nowrap}"
    ".achieved{color:#1b6e2a}.on_track{color:#1f5fa8}.behind{color:#a86400}"
    ".missed{color:#b3261e}.no_data,.error,.incomplete{color:#555}"
    "svg{max-width:100%;height:auto}svg text{font-size:12px;fill:#333}"
    "code{word-break:break-all}.legend{font-size:.8rem;color:#333}"
    ".legend svg{vertical-align:middle}.key{white-space:nowrap;margin-right:1em}"
    ".case{break-before:page}.case:first-of-type{break-before:auto}"
    ".gain{break-inside:avoid;margin-bottom:.6rem}svg.progress{display:block;margin:.2rem 0}"
    "@media (min-width:56rem){.gains,.value{display:grid;grid-template-columns:1fr 1fr;"
    "column-gap:1.5rem}}"
    "table.sortable th{cursor:pointer}"
    "@media print{@page{size:A4;margin:12mm 10mm 12mm 10mm;"
    "@bottom-right{content:counter(page) \" / \" counter(pages);font-size:8pt}}"
    "body{max-width:none;font-size:8pt}h2{margin-top:0}"
    /* the label stands in the page's margin, once a page */
    ".label{display:none}"
    /* two gains a row and whole tables: a case takes two pages at most */
    ".gains,.value{display:grid;grid-template-columns:1fr 1fr;column-gap:6mm}"
    "td,th{padding:.05rem .3rem}svg.line{width:78%}"
    /* the long table of values may go on over a page, a row never */
    "table.indicators{break-inside:auto}tr{break-inside:avoid}"
    "table{break-inside:avoid}h3{break-after:avoid}.wide{overflow:visible}}"
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

/* A legend's sample: a line (solid, dashed), a bar, or a box. */
static void gvH_swatch(gvH *h, const char *kind, const char *colour, const char *words) {
    /* a sample and its words stay on one line */
    fputs("<span class=\"key\"><svg width=\"22\" height=\"10\" aria-hidden=\"true\">", h->out);
    if (strcmp(kind, "bar") == 0)
        fprintf(h->out, "<rect x=\"0\" y=\"1\" width=\"22\" height=\"8\" fill=\"%s\"/>", colour);
    else if (strcmp(kind, "tick") == 0)
        fprintf(h->out,
                "<line x1=\"11\" x2=\"11\" y1=\"0\" y2=\"10\" stroke=\"%s\" stroke-width=\"2\"/>",
                colour);
    else if (strcmp(kind, "dashtick") == 0)
        fprintf(h->out,
                "<line x1=\"11\" x2=\"11\" y1=\"0\" y2=\"10\" stroke=\"%s\" stroke-width=\"2\" "
                "stroke-dasharray=\"2 2\"/>",
                colour);
    else
        fprintf(h->out,
                "<line x1=\"0\" x2=\"22\" y1=\"5\" y2=\"5\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                colour, strcmp(kind, "dash") == 0 ? " stroke-dasharray=\"4 3\"" : "");
    fputs("</svg> ", h->out);
    gvH_text(h->out, words);
    fputs("</span> ", h->out);
}

/* ----------------------------------------------------------------- charts */

/* A bar from baseline (0 %) to target (100 %), filled to the realisation,
** with the realisation written beside it. */
static void gvH_progress(gvH *h, double realisation, double expected, const char *status) {
    double shown = realisation < 0 ? 0 : realisation > 150 ? 150 : realisation;
    double w = 300, x100 = w / 1.5;
    char pct[64];
    gvT_number(h->lang, realisation, 1, 0, pct, sizeof pct);
    fprintf(h->out,
            "<svg class=\"chart progress\" data-marks=\"1\" viewBox=\"0 0 360 22\" width=\"360\" "
            "height=\"22\" role=\"img\" aria-label=\"%s %%\">"
            "<rect x=\"0\" y=\"4\" width=\"%.1f\" height=\"14\" fill=\"#eee\"/>"
            "<rect class=\"mark %s\" x=\"0\" y=\"4\" width=\"%.1f\" height=\"14\" "
            "fill=\"currentColor\"/>"
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"22\" stroke=\"#333\" "
            "stroke-dasharray=\"2 2\"/>"
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"22\" stroke=\"#000\" stroke-width=\"2\"/>"
            "<text x=\"%.1f\" y=\"16\">%s %%</text></svg>",
            pct, x100, status, shown / 100 * x100, expected / 100 * x100, expected / 100 * x100,
            x100, x100, w + 4, pct);
}

/* A step for about four ticks over span: 1, 2, 2.5 or 5 times a power of ten. */
static double gvH_tick_step(double span) {
    double raw = span / 4, p = pow(10, floor(log10(raw))), f = raw / p;
    return p * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10);
}

/* A gain's realisation over the periods: what its line chart draws. */
typedef struct gvH_points {
    double x[64], y[64], e[64]; /* y: NaN where there is no point */
    char labels[64][12];
    int n, marks;
    int hidden;          /* points left out: hidden for privacy */
    char textual[64];    /* which */
    double lo, hi, step; /* the y axis: 0..100 at least, in whole steps */
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
    if (st) sqlite3_bind_text(st, 3, gain, -1, SQLITE_TRANSIENT);
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
        pt->lo = fmin(pt->lo, pt->e[n]), pt->hi = fmax(pt->hi, pt->e[n]);
        if (!number) continue;
        pt->marks++;
        pt->lo = fmin(pt->lo, pt->y[n]);
        pt->hi = fmax(pt->hi, pt->y[n]);
    }
    sqlite3_finalize(st);
    /* the axis runs over the data's own range, in whole steps */
    pt->step = gvH_tick_step(pt->hi - pt->lo);
    pt->lo = floor(pt->lo / pt->step + 1e-9) * pt->step;
    pt->hi = ceil(pt->hi / pt->step - 1e-9) * pt->step;
}

/* The line chart's size, and where a value goes on its y axis. */
static const double gvH_line_w = 320, gvH_line_h = 140, gvH_line_left = 54, gvH_line_bottom = 22;

static double gvH_line_y(const gvH_points *pt, double v) {
    double inner = gvH_line_h - gvH_line_bottom - 10;
    return gvH_line_h - gvH_line_bottom - (v - pt->lo) / (pt->hi - pt->lo) * inner;
}

static void gvH_line_legend(gvH *h) {
    /* the legend, in words, so the two lines need no colour to be told apart */
    fputs("<div class=\"legend\">", h->out);
    char words[96];
    snprintf(words, sizeof words, "%s %%", gvT(h->lang, "Realised"));
    gvH_swatch(h, "line", "#1f5fa8", words);
    snprintf(words, sizeof words, "%s %%", gvT(h->lang, "Expected"));
    gvH_swatch(h, "dash", "#888", words);
    fputs("</div>", h->out);
}

/* The y axis: a line and a label at each step. */
static void gvH_line_axis(gvH *h, const gvH_points *pt) {
    for (double v = pt->lo; v <= pt->hi + pt->step / 2; v += pt->step) {
        double y = gvH_line_y(pt, v);
        char num[64];
        gvT_number(h->lang, v, pt->step < 1 ? 1 : 0, 0, num, sizeof num);
        fprintf(h->out,
                "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s %%</text>",
                gvH_line_left, gvH_line_w, y, y, fabs(v) < 1e-9 ? "#999" : "#e4e4e4",
                gvH_line_left - 4, y + 4, num);
    }
}

/* Every k-th period is labelled, k as small as lets the labels stand
** apart (12 px text: 7.5 px a character at most). */
static int gvH_label_every(const gvH_points *pt) {
    if (pt->n < 2) return 1;
    size_t longest = 0;
    for (int i = 0; i < pt->n; i++)
        longest = strlen(pt->labels[i]) > longest ? strlen(pt->labels[i]) : longest;
    double need = (double)longest * 7.5 + 8, room = pt->x[1] - pt->x[0];
    return (int)ceil(need / room);
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
    double W = gvH_line_w, H = gvH_line_h, L = gvH_line_left + 12;
    for (int i = 0; i < pt.n; i++)
        pt.x[i] = L + (pt.n == 1 ? (W - L) / 2 : (W - L - 20) * i / (pt.n - 1));
    fprintf(h->out,
            "<svg class=\"chart line\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\">",
            pt.marks, W, H, W, H);
    gvH_line_axis(h, &pt);
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
    int every = gvH_label_every(&pt);
    for (int i = 0; i < pt.n; i++) {
        if (!isnan(pt.y[i]))
            fprintf(h->out,
                    "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#1f5fa8\"/>",
                    pt.x[i], gvH_line_y(&pt, pt.y[i]));
        if (i % every) continue;
        fprintf(h->out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">", pt.x[i], H - 5);
        gvH_text(h->out, pt.labels[i]);
        fputs("</text>", h->out);
    }
    fputs("</svg>", h->out);
    gvH_line_legend(h);
    gvH_hidden_points(h, &pt);
}

/* An indicator's values over the periods, small, in its row of the table
** (the row is its label); a gap where a value is missing or hidden. */
static void gvH_spark(gvH *h, const double *y, int n) {
    int marks = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++)
        if (!isnan(y[i])) marks++, lo = fmin(lo, y[i]), hi = fmax(hi, y[i]);
    if (marks < 2) return;
    double W = 96, H = 24;
    if (hi - lo < 1e-12) lo -= 1, hi += 1;
    fprintf(h->out,
            "<svg class=\"chart spark\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" aria-hidden=\"true\"><polyline fill=\"none\" stroke=\"#1f5fa8\" "
            "stroke-width=\"1.5\" points=\"",
            marks, W, H, W, H);
    for (int i = 0; i < n; i++) {
        if (isnan(y[i])) { /* a gap: the line starts again after it */
            fputs("\"/><polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"",
                  h->out);
            continue;
        }
        fprintf(h->out, "%.1f,%.1f ", 4 + (W - 8) * i / (n > 1 ? n - 1 : 1),
                H - 4 - (y[i] - lo) / (hi - lo) * (H - 8));
    }
    fputs("\"/>", h->out);
    for (int i = 0; i < n; i++)
        if (!isnan(y[i]))
            fprintf(
                h->out, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"#1f5fa8\"/>",
                4 + (W - 8) * i / (n > 1 ? n - 1 : 1), H - 4 - (y[i] - lo) / (hi - lo) * (H - 8));
    fputs("</svg>", h->out);
}

/* Horizontal bars of money: names (?1 run, ?2 case) and values, each bar
** labelled with both. */
static void gvH_bars(gvH *h, sqlite3_stmt *st, const char *cls, const char *currency) {
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
    double W = 360, row = 22, L = 110;
    fprintf(h->out,
            "<svg class=\"chart %s\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\">",
            cls, n, W, row * n + 4, W, row * n + 4);
    for (int i = 0; i < n; i++) {
        double w = max > 0 ? fabs(v[i]) / max * (W - L - 110) : 0;
        char num[64];
        gvT_number(h->lang, v[i], 0, 0, num, sizeof num);
        fprintf(h->out, "<text x=\"0\" y=\"%.0f\">", i * row + 15);
        gvH_text(h->out, gvT(h->lang, names[i]));
        fprintf(h->out,
                "</text><rect class=\"mark\" x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"16\" "
                "fill=\"#3b7d4f\"/><text x=\"%.1f\" y=\"%.0f\">%s",
                L, i * row + 3, w, L + w + 4, i * row + 15, num);
        if (currency && *currency) fputc(' ', h->out), gvH_text(h->out, currency);
        fputs("</text>", h->out);
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

/* The tornado's width, and where its bars begin (after the names). */
static const double gvH_tornado_w = 380, gvH_tornado_left = 140;

/* Where a ratio goes on the tornado's x axis. */
static double gvH_tornado_x(const gvH_tornado_rows *t, double v) {
    const double right = gvH_tornado_w - 14;
    return gvH_tornado_left + (v - t->min) / (t->max - t->min) * (right - gvH_tornado_left);
}

/* The scale under the bars: 1:1, and the lowest and highest ratio where
** they stand clear of it (a label is about 40 px wide). */
static void gvH_tornado_scale(gvH *h, const gvH_tornado_rows *t, double bottom) {
    double x_one = gvH_tornado_x(t, 1);
    fprintf(h->out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">1:1</text>", x_one,
            bottom + 15);
    double ends[2] = {t->min, t->max};
    for (int k = 0; k < 2; k++) {
        double x = gvH_tornado_x(t, ends[k]);
        if (fabs(x - x_one) < 44) continue;
        char num[64];
        gvT_number(h->lang, ends[k], 2, 0, num, sizeof num);
        fprintf(h->out, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>", x, bottom + 15,
                k ? "end" : "start", num);
    }
}

/* Tornado: each assumption's low and high ratio around the case's SROI. */
static void gvH_tornado_chart(gvH *h, const gvH_tornado_rows *t, double sroi) {
    double W = gvH_tornado_w, row = 22, bottom = row * t->n;
    fprintf(h->out,
            "<svg class=\"chart tornado\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\">",
            t->n, W, bottom + 20, W, bottom + 20);
    for (int i = 0; i < t->n; i++) {
        double a = fmin(t->lo[i], t->hi[i]), b = fmax(t->lo[i], t->hi[i]);
        double xa = gvH_tornado_x(t, a), xb = gvH_tornado_x(t, b);
        fprintf(h->out, "<text x=\"0\" y=\"%.0f\">", i * row + 15);
        gvH_text(h->out, gvT(h->lang, t->names[i]));
        char from[64], to[64];
        gvT_number(h->lang, a, 2, 0, from, sizeof from);
        gvT_number(h->lang, b, 2, 0, to, sizeof to);
        fprintf(h->out,
                "</text><rect class=\"mark\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"16\" "
                "fill=\"#7a8fb8\"><title>%s &#8211; %s</title></rect>",
                xa, i * row + 3, fmax(xb - xa, 1), from, to);
    }
    double x_sroi = gvH_tornado_x(t, sroi), x_one = gvH_tornado_x(t, 1);
    fprintf(
        h->out,
        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#000\" stroke-width=\"2\"/>"
        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#b3261e\" "
        "stroke-width=\"2\" stroke-dasharray=\"2 2\"/>",
        x_sroi, x_sroi, bottom, x_one, x_one, bottom);
    gvH_tornado_scale(h, t, bottom);
    fputs("</svg><div class=\"legend\">", h->out);
    gvH_swatch(h, "bar", "#7a8fb8", gvT(h->lang, "ratio from the low to the high value"));
    gvH_swatch(h, "tick", "#000", gvT(h->lang, "the case's SROI"));
    gvH_swatch(h, "dashtick", "#b3261e", gvT(h->lang, "1:1, the value repays the investment"));
    fputs("</div>", h->out);
}

/* An assumption's value in its own unit: a share or a rate in per cent,
** a duration in years, a factor (the low and high values, the proxies'
** break-even) as x0,5. */
static void gvH_assumption(gvH *h, const char *name, double v, int break_even) {
    int rate = strcmp(name, "discount_rate") == 0;
    if (rate || (break_even && strcmp(name, "proxy") && strcmp(name, "duration"))) {
        gvH_num(h, v * 100, 1);
        fputs("&#160;%", h->out);
    } else if (break_even && strcmp(name, "duration") == 0) {
        gvH_num(h, v, 0);
        fprintf(h->out, "&#160;%s", gvT(h->lang, "years"));
    } else {
        fputs("&#215;", h->out);
        gvH_num(h, v, 2);
    }
}

/* Each assumption's low and high value, the ratio each gives, and the
** value at which the ratio would be 1:1: the chart in words. */
static void gvH_tornado_table(gvH *h, const gvH_tornado_rows *t) {
    fprintf(h->out, "<p class=\"note\">%s</p><div class=\"wide\"><table><tr><th>%s</th>",
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
            if (k % 2)
                gvH_num(h, cells[k], 2);
            else
                gvH_assumption(h, t->names[i], cells[k], 0);
        }
        fputs("</td><td class=\"n\">", h->out);
        if (t->never[i])
            gvH_text(h->out, gvT(h->lang, "never"));
        else
            gvH_assumption(h, t->names[i], t->be[i], 1);
        fputs("</td></tr>", h->out);
    }
    fputs("</table></div>", h->out);
}

/* text in lines of at most `width` characters, broken between words, as
** the <tspan>s of a <text> at x; the number of lines. */
static int gvH_wrap(gvH *h, const char *text, int width, double x) {
    int lines = 0;
    const char *p = text;
    while (*p) {
        const char *end = p, *brk = NULL;
        int chars = 0;
        while (*end && chars < width) {
            if (*end == ' ') brk = end;
            end++;
            while ((*end & 0xC0) == 0x80)
                end++;
            chars++;
        }
        if (*end && brk) end = brk; /* break at the last space that fits */
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(end - p), p);
        fprintf(h->out, "<tspan x=\"%.0f\" dy=\"%s\">", x, lines ? "1.2em" : "0");
        gvH_text(h->out, line);
        fputs("</tspan>", h->out);
        lines++;
        while (*end == ' ')
            end++;
        p = end;
    }
    return lines;
}

/* Across the cases: each named in full with its municipality above its
** bar, the ratio beside it, and the dashed line at 1:1. */
static void gvH_comparison_chart(gvH *h) {
    sqlite3_stmt *st = gvH_query(h,
                                 "SELECT c.title || ' (' || m.name || ', ' || m.country || ')',"
                                 " v.sroi FROM case_values v JOIN cases c ON c.id = v.case_id"
                                 " JOIN municipalities m ON m.code = c.municipality"
                                 " WHERE v.run = ?1 AND v.sroi IS NOT NULL"
                                 " AND NOT " GVR_CASE_HIDDEN("v.case_id") " ORDER BY v.sroi DESC",
                                 NULL);
    char names[GVH_OVERVIEW][300];
    double v[GVH_OVERVIEW], max = 1;
    int n = 0;
    while (n < GVH_OVERVIEW && gvH_step(h, st)) {
        snprintf(names[n], sizeof names[n], "%s", gvR_text(st, 0));
        v[n] = sqlite3_column_double(st, 1);
        max = fmax(max, v[n]);
        n++;
    }
    sqlite3_finalize(st);
    if (n == 0) return;
    double W = 360, L = 4, right = W - 50, y = 22;
    double x_one = L + 1 / max * (right - L);
    /* the height first: a name takes one or two lines (46 characters a line) */
    double height = y;
    for (int i = 0; i < n; i++)
        height += 16 * (gvR_chars(names[i]) > 46 ? 2 : 1) + 24;
    fprintf(h->out,
            "<svg class=\"chart bars comparison\" data-marks=\"%d\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\"><text x=\"%.1f\" y=\"12\" "
            "text-anchor=\"middle\">1:1</text>",
            n, W, height, W, height, x_one);
    for (int i = 0; i < n; i++) {
        fprintf(h->out, "<text x=\"%.0f\" y=\"%.0f\">", L, y + 12);
        int lines = gvH_wrap(h, names[i], 46, L);
        fputs("</text>", h->out);
        y += 16 * lines;
        double w = v[i] > 0 ? v[i] / max * (right - L) : 0;
        char num[64];
        gvT_number(h->lang, v[i], 2, 0, num, sizeof num);
        fprintf(h->out,
                "<rect class=\"mark\" x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"16\" "
                "fill=\"#3b7d4f\"/><text x=\"%.1f\" y=\"%.0f\">%s</text>",
                L, y, w, L + w + 4, y + 13, num);
        y += 24;
    }
    fprintf(h->out,
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"16\" y2=\"%.0f\" stroke=\"#b3261e\" "
            "stroke-width=\"2\" stroke-dasharray=\"3 2\"/></svg><div class=\"legend\">",
            x_one, x_one, height);
    gvH_swatch(h, "bar", "#3b7d4f", "SROI");
    gvH_swatch(h, "dashtick", "#b3261e", gvT(h->lang, "1:1, the value repays the investment"));
    fputs("</div>", h->out);
}

/* ------------------------------------------------------------------ cases */

/* A new page, with the label every page carries. */
static void gvH_section(gvH *h) {
    fputs("<section class=\"case\">", h->out);
    if (h->label) {
        fputs("<p class=\"label\">", h->out);
        gvH_text(h->out, h->label);
        fputs("</p>", h->out);
    }
}

/* The currency a case's own money is in: its inputs' (the most of them). */
#define GVH_CASE_CURRENCY                                                                          \
    "(SELECT i.currency FROM inputs i WHERE i.case_id = c.id AND coalesce(i.currency, '') <> ''"   \
    " GROUP BY i.currency ORDER BY count(*) DESC, i.currency LIMIT 1)"

/* The case's investment, in the report's currency and prices; converted
** from the case's own currency, when that is another. */
static void gvH_investment(gvH *h, sqlite3_stmt *c) {
    FILE *out = h->out;
    fprintf(out, "<tr><th>%s</th><td>", gvT(h->lang, "Investment"));
    gvH_value(h, sqlite3_column_double(c, 6), gvH_col(c, 8));
    fputs(", ", out);
    gvH_prices(h, gvR_text(c, 12));
    const char *own = gvH_col(c, 13);
    if (own && gvH_col(c, 8) && strcmp(own, gvH_col(c, 8)) != 0) {
        fprintf(out, " (%s ", gvT(h->lang, "converted from"));
        gvH_text(out, own);
        fputc(')', out);
    }
    fputs("</td></tr>", out);
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
    gvH_date(h, gvR_text(c, 4));
    fputs(" &#8211; ", out);
    gvH_date(h, gvR_text(c, 5));
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
    if (sqlite3_column_type(c, 6) != SQLITE_NULL) gvH_investment(h, c);
    fputs("</table>", out);
}

/* One gain: where it stands, and how it got there.  Its figures are in
** its indicator's unit; an economic gain's figures without one are money,
** in the currency of its plan. */
static void gvH_gain(gvH *h, const char *case_id, sqlite3_stmt *g) {
    FILE *out = h->out;
    const char *unit = gvH_col(g, 12);
    fputs("<div class=\"gain\"><strong>", out);
    gvH_text(out, gvH_col(g, 1) ? gvH_col(g, 1) : gvH_col(g, 0));
    fprintf(out, "</strong> (%s, ", gvT(h->lang, gvH_col(g, 10)));
    gvH_text(out, gvH_col(g, 9));
    fprintf(out, ")<br>%s ", gvT(h->lang, "Baseline"));
    gvH_cell(h, g, 3, unit);
    fprintf(out, " &#8594; %s ", gvT(h->lang, "Target"));
    gvH_cell(h, g, 4, unit);
    fprintf(out, ", %s ", gvT(h->lang, "Actual"));
    gvH_cell(h, g, 5, unit);
    fprintf(out, ": %s ", gvT(h->lang, "Realised"));
    gvH_cell(h, g, 6, "%"); /* a number with its %; the word alone, never "skjult %" */
    fprintf(out, " (%s ", gvT(h->lang, "Expected"));
    gvH_value(h, sqlite3_column_double(g, 7), "%");
    fputs(") ", out);
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
    gvH_line(h, case_id, gvH_col(g, 0));
    fputs("</div>", out);
}

/* What the progress bars show, once for all of them. */
static void gvH_gains_legend(gvH *h) {
    fputs("<div class=\"legend\">", h->out);
    gvH_swatch(h, "bar", "#1f5fa8", gvT(h->lang, "bar: realised so far"));
    gvH_swatch(h, "dashtick", "#333", gvT(h->lang, "expected by now"));
    gvH_swatch(h, "tick", "#000", gvT(h->lang, "target"));
    fputs("</div>", h->out);
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
        " r.coverage,"
        " coalesce(nullif(xi.unit, ''), CASE WHEN json_extract(p.plan, '$.type') = 'economic'"
        " THEN json_extract(p.plan, '$.currency') END)"
        " FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
        " WHERE r.run = ?1 AND r.case_id = ?2"
        /* the latest period the gain has an actual for; a gain never
           measured yet, its latest period ("no data") */
        " AND r.rowid = (SELECT latest.rowid FROM gain_results latest"
        " WHERE latest.run = r.run AND latest.case_id = r.case_id AND latest.gain = r.gain"
        " ORDER BY latest.actual IS NOT NULL DESC, latest.rowid DESC LIMIT 1) ORDER BY r.gain",
        case_id);
    /* clang-format on */
    int ng = 0;
    while (gvH_step(h, g)) {
        if (ng++ == 0) {
            fprintf(h->out, "<h3>%s</h3>", gvT(h->lang, "Gains against the plan"));
            gvH_gains_legend(h);
            fputs("<div class=\"gains\">", h->out);
        }
        gvH_gain(h, case_id, g);
    }
    sqlite3_finalize(g);
    if (ng) fputs("</div>", h->out);
}

/* The periods of a case's values, in order. */
typedef struct gvH_periods {
    char name[64][16];
    int n;
} gvH_periods;

/* One value of the indicator table: a number as its unit is read, hidden,
** no data or an error (its message on hover); a small figure after a
** value whose data cover part of its period.  *y: what the trend draws. */
static int gvH_result(gvH *h, sqlite3_stmt *st, const char *unit, double *y) {
    const char *status = gvR_text(st, 3);
    int type = sqlite3_column_type(st, 4), partial = 0;
    *y = NAN;
    if (strcmp(status, "error") == 0) {
        fputs("<td class=\"n error\" title=\"", h->out);
        gvH_text(h->out, gvR_text(st, 5));
        fprintf(h->out, "\">%s</td>", gvT(h->lang, "error"));
    } else if (type == SQLITE_NULL) {
        fprintf(h->out, "<td class=\"n no_data\">%s</td>", gvT(h->lang, "no_data"));
    } else if (type == SQLITE_TEXT) { /* too small to show */
        fputs("<td class=\"n hidden\">", h->out);
        gvH_text(h->out, gvR_text(st, 4));
        fputs("</td>", h->out);
    } else {
        *y = sqlite3_column_double(st, 4);
        fputs("<td class=\"n\">", h->out);
        gvH_value(h, *y, unit);
        double coverage = sqlite3_column_double(st, 6);
        if (sqlite3_column_type(st, 6) != SQLITE_NULL && coverage < 1) {
            fputs("<sup class=\"partial\">", h->out);
            gvH_num(h, coverage * 100, 0);
            fputs("&#160;%</sup>", h->out);
            partial = 1;
        }
        fputs("</td>", h->out);
    }
    return partial;
}

/* The table's head: the indicator, a column a period, the trend. */
static void gvH_indicators_head(gvH *h, const gvH_periods *p) {
    fprintf(h->out, "<h3>%s</h3><div class=\"wide\"><table class=\"indicators\"><tr><th>%s</th>",
            gvT(h->lang, "Indicators"), gvT(h->lang, "Indicator"));
    for (int i = 0; i < p->n; i++) {
        fputs("<th class=\"n\">", h->out);
        gvH_text(h->out, p->name[i]);
        fputs("</th>", h->out);
    }
    fprintf(h->out, "<th>%s</th></tr>", gvT(h->lang, "Trend"));
}

/* Close an indicator's row: the periods it has no row for, and its trend. */
static void gvH_indicator_end(gvH *h, const gvH_periods *p, int k, const double *y) {
    for (; k < p->n; k++)
        fputs("<td></td>", h->out);
    fputs("<td>", h->out);
    gvH_spark(h, y, p->n);
    fputs("</td></tr>", h->out);
}

/* Every indicator's value by period for one case, beside a small chart
** of its trend.  A hidden value stays hidden: the privacy rule decides in
** the query, and the trend leaves a gap for it. */
static void gvH_indicators(gvH *h, const char *case_id) {
    gvH_periods p = {.n = 0};
    sqlite3_stmt *st = gvH_query(h,
                                 "SELECT DISTINCT period FROM results WHERE run = ?1 AND"
                                 " case_id = ?2 ORDER BY period",
                                 case_id);
    while (p.n < 64 && gvH_step(h, st))
        snprintf(p.name[p.n++], sizeof p.name[0], "%s", gvR_text(st, 0));
    sqlite3_finalize(st);
    if (p.n == 0) return;
    /* clang-format off */
    st = gvH_query(h,
        "SELECT r.indicator, coalesce(nullif(i.unit, ''), (SELECT json_extract(g.plan,"
        " '$.currency') FROM run_gains g WHERE g.run = r.run AND g.case_id = r.case_id AND"
        " json_extract(g.plan, '$.indicator') = r.indicator AND json_extract(g.plan, '$.type')"
        " = 'economic' LIMIT 1)), r.period, r.status,"
        " CASE WHEN " GVR_RESULT_HIDDEN("r") " THEN gv_hidden() ELSE r.value END,"
        " r.error, r.coverage FROM results r JOIN run_indicators i USING (run, indicator)"
        " WHERE r.run = ?1 AND r.case_id = ?2 ORDER BY i.position, r.period",
        case_id);
    /* clang-format on */
    gvH_indicators_head(h, &p);
    char indicator[128] = "";
    double y[64];
    int k = 0, rows = 0, partial = 0;
    while (gvH_step(h, st)) {
        if (!rows++ || strcmp(indicator, gvR_text(st, 0)) != 0) {
            if (rows > 1) gvH_indicator_end(h, &p, k, y);
            snprintf(indicator, sizeof indicator, "%s", gvR_text(st, 0));
            fputs("<tr><th>", h->out);
            gvH_text(h->out, indicator);
            /* money and shares say their unit in every cell */
            const char *unit = gvH_col(st, 1);
            gvH_unit(h, gvH_money(unit) || (unit && strcmp(unit, "%") == 0) ? NULL : unit);
            fputs("</th>", h->out);
            k = 0;
            for (int i = 0; i < p.n; i++)
                y[i] = NAN;
        }
        for (; k < p.n && strcmp(p.name[k], gvR_text(st, 2)) != 0; k++)
            fputs("<td></td>", h->out);
        if (k == p.n) continue; /* past the 64 periods a table shows */
        partial |= gvH_result(h, st, gvH_col(st, 1), &y[k]);
        k++;
    }
    sqlite3_finalize(st);
    if (rows) gvH_indicator_end(h, &p, k, y);
    fputs("</table></div>", h->out);
    if (partial)
        fprintf(
            h->out, "<p class=\"note\">%s</p>",
            gvT(h->lang, "Small figure after a value: the share of its period the data cover."));
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
    gvH_value(h, sqlite3_column_double(c, 9), gvH_col(c, 8));
    fprintf(out, ", %s ", gvT(h->lang, "Payback"));
    if (sqlite3_column_type(c, 10) == SQLITE_NULL) {
        fputs(gvT(h->lang, "never"), out);
    } else {
        gvH_num(h, sqlite3_column_double(c, 10), 1);
        fprintf(out, " %s", gvT(h->lang, "months"));
    }
    fputs("</p>", out);
    /* side by side on paper: who gains, and how much each assumption matters */
    fprintf(out, "<div class=\"value\"><div><h3>%s</h3>", gvT(h->lang, "Value by beneficiary"));
    gvH_bars(h,
             gvH_query(h,
                       "SELECT name, present_value FROM value_splits WHERE run = ?1 AND"
                       " case_id = ?2 AND dimension = 'beneficiary' ORDER BY name",
                       case_id),
             "bars", gvR_text(c, 8));
    fprintf(out, "</div><div><h3>%s</h3>", gvT(h->lang, "Sensitivity"));
    gvH_tornado_rows t;
    gvH_read_tornado(h, case_id, sroi, &t);
    if (t.n) gvH_tornado_chart(h, &t, sroi);
    fputs("</div></div>", out);
    if (t.n) gvH_tornado_table(h, &t);
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
    gvH_indicators(h, gvH_col(c, 0));
    if (sqlite3_column_type(c, 7) == SQLITE_NULL && gvH_col(c, 11)) { /* a value not computed */
        fprintf(h->out, "<h3>%s</h3><p>%s: ", gvT(h->lang, "Social return on investment"),
                gvT(h->lang, "not computed"));
        gvH_text(h->out, gvH_col(c, 11));
        fputs("</p>", h->out);
    }
    gvH_left_out(h, gvH_col(c, 0));
    if (sqlite3_column_type(c, 7) != SQLITE_NULL && sqlite3_column_int(c, 14)) {
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

/* How many cases the page shows, and the title of the one, when one. */
static void gvH_count(gvH *h) {
    sqlite3_stmt *st = gvH_query(h,
                                 "SELECT count(*), max(c.title) FROM cases c"
                                 " WHERE " GVR_CASE_IN_RUN("c.id"),
                                 NULL);
    if (gvH_step(h, st)) {
        h->ncases = (long)sqlite3_column_int64(st, 0);
        snprintf(h->one, sizeof h->one, "%s", gvR_text(st, 1));
    }
    sqlite3_finalize(st);
}

/* The page's name: the report, its run, and its case or how many. */
static void gvH_title(gvH *h) {
    fprintf(h->out, "%s, %s %lld: ", gvT(h->lang, "Benefits realisation report"),
            gvT(h->lang, "Run"), h->run);
    if (h->ncases == 1)
        gvH_text(h->out, h->one);
    else
        fprintf(h->out, "%ld %s", h->ncases, gvT(h->lang, "cases"));
    if (h->label) fputs(" (", h->out), gvH_text(h->out, h->label), fputc(')', h->out);
}

/* The page's head, title and run. */
static void gvH_head(gvH *h, const char *lang_name, sqlite3_stmt *run) {
    /* the page may fetch nothing, and run nothing but its own script */
    char hash[64];
    gvH_script_hash(hash);
    fprintf(h->out,
            "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src %s\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
            lang_name ? lang_name : "en", hash);
    gvH_title(h);
    fprintf(h->out, "</title><style>%s", gvH_css);
    if (h->label) {
        fputs("@media print{@page{@top-right{content:\"", h->out);
        gvH_css_text(h->out, h->label);
        fputs("\";font-size:8pt;font-weight:bold}}}", h->out);
    }
    fputs("</style></head><body>", h->out);
    if (h->label) {
        fputs("<div class=\"page-label label\">", h->out);
        gvH_text(h->out, h->label);
        fputs("</div>", h->out);
    }
    fprintf(h->out, "<h1>%s</h1><p>%s %lld, ", gvT(h->lang, "Benefits realisation report"),
            gvT(h->lang, "Run"), h->run);
    gvH_date(h, gvR_text(run, 0));
    fputs("</p>", h->out);
}

/* One section a case. */
static void gvH_cases(gvH *h) {
    sqlite3_stmt *c = gvH_query(
        h,
        "SELECT c.id, c.title, m.name, m.country, c.start_date, c.end_date, v.investment, v.sroi,"
        " v.currency, v.present_value, v.payback_months, v.error, v.price_year, " GVH_CASE_CURRENCY
        ", " GVR_CASE_HIDDEN(
            "c.id") " FROM cases c JOIN municipalities m ON m.code = c.municipality"
                    " LEFT JOIN case_values v ON v.case_id = c.id AND v.run = ?1"
                    " WHERE " GVR_CASE_IN_RUN("c.id") " ORDER BY m.country DESC, c.id",
        NULL);
    while (gvH_step(h, c))
        gvH_case(h, c);
    sqlite3_finalize(c);
}

static void gvH_conversions(gvH *h) {
    FILE *out = h->out;
    fprintf(out,
            "<h3>%s</h3><div class=\"wide\"><table><tr><th>%s</th><th class=\"n\">%s</th>"
            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
            "<th class=\"n\">%s</th></tr>",
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
    fputs("</table></div>", out);
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
        fputs(", ", h->out);
        gvH_prices(h, gvR_text(cur, 1));
        fputs("</p>", h->out);
    }
    sqlite3_finalize(cur);
    if (h->ncases <= GVH_OVERVIEW) gvH_comparison_chart(h);
    /* a case whose value would give a hidden count back is not drawn: said */
    sqlite3_stmt *hidden = gvH_query(h,
                                     "SELECT c.title FROM case_values v JOIN cases c ON"
                                     " c.id = v.case_id WHERE v.run = ?1 AND v.sroi IS NOT NULL"
                                     " AND " GVR_CASE_HIDDEN("v.case_id") " ORDER BY c.id",
                                     NULL);
    int n = 0;
    for (; h->ncases <= GVH_OVERVIEW && gvH_step(h, hidden); n++) {
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
                    "<h3>%s</h3><p>%s</p><div class=\"wide\"><table><tr><th>%s</th><th>%s</th>"
                    "<th>%s</th><th>%s</th><th>%s</th></tr>",
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
            if (k == 3)
                gvH_date(h, gvR_text(since, column[k]));
            else if (k == 0)
                gvH_text(h->out, gvR_kind_word(h->lang, gvR_text(since, 0)));
            else
                gvH_text(h->out, gvH_col(since, column[k]));
        }
        fprintf(h->out, "</td><td>%s</td></tr>",
                gvT(h->lang, sqlite3_column_int(since, 3) ? "removed" : "imported"));
    }
    sqlite3_finalize(since);
    if (n) fputs("</table></div>", h->out);
}

/* Where every number comes from. */
static void gvH_provenance(gvH *h, sqlite3_stmt *run) {
    FILE *out = h->out;
    gvH_section(h);
    fprintf(out, "<h2>%s</h2><p>%s %lld, gevinst ", gvT(h->lang, "Provenance of every number"),
            gvT(h->lang, "Run"), h->run);
    gvH_text(out, gvH_col(run, 1));
    fprintf(out, ", %s <code>", gvT(h->lang, "Config"));
    gvH_text(out, gvH_col(run, 2));
    fputs("</code> (sha256 <code>", out);
    gvH_text(out, gvH_col(run, 3));
    fprintf(out,
            "</code>)</p><div class=\"wide\"><table "
            "class=\"provenance\"><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th>sha256</th></tr>",
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
    fputs("</table></div>", out);
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

/* --------------------------------------------------------------- overview */

/* Per currency: the cases with a value, what they cost and returned. */
static void gvH_totals(gvH *h) {
    fprintf(h->out,
            "<h3>%s</h3><div class=\"wide\"><table><tr><th>%s</th><th class=\"n\">%s %s</th>"
            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr>",
            gvT(h->lang, "Totals"), gvT(h->lang, "Currency"), gvT(h->lang, "cases"),
            gvT(h->lang, "with a value"), gvT(h->lang, "Investment"), gvT(h->lang, "Present value"),
            gvT(h->lang, "SROI of all together"));
    sqlite3_stmt *st = gvH_query(
        h,
        "SELECT currency, price_year, count(*), sum(investment),"
        " sum(present_value), sum(present_value) / sum(investment)"
        " FROM case_values WHERE run = ?1 AND sroi IS NOT NULL"
        " AND NOT " GVR_CASE_HIDDEN("case_id") " GROUP BY currency, price_year ORDER BY currency",
        NULL);
    while (gvH_step(h, st)) {
        fputs("<tr><td>", h->out);
        gvH_text(h->out, gvR_text(st, 0));
        fputs(", ", h->out);
        gvH_prices(h, gvR_text(st, 1));
        fputs("</td><td class=\"n\">", h->out);
        gvH_value(h, sqlite3_column_double(st, 2), "count");
        for (int k = 3; k <= 4; k++) {
            fputs("</td><td class=\"n\">", h->out);
            gvH_value(h, sqlite3_column_double(st, k), gvR_text(st, 0));
        }
        fputs("</td><td class=\"n\">", h->out);
        gvH_num(h, sqlite3_column_double(st, 5), 2);
        fputs("</td></tr>", h->out);
    }
    sqlite3_finalize(st);
    fputs("</table></div>", h->out);
}

/* The best or the weakest ten cases by SROI. */
static void gvH_extremes(gvH *h, const char *heading, const char *sql) {
    fprintf(h->out,
            "<h3>%s</h3><div class=\"wide\"><table><tr><th>%s</th><th>%s</th>"
            "<th class=\"n\">SROI</th><th class=\"n\">%s</th></tr>",
            gvT(h->lang, heading), gvT(h->lang, "Case"), gvT(h->lang, "Municipality"),
            gvT(h->lang, "Investment"));
    sqlite3_stmt *st = gvH_query(h, sql, NULL);
    while (gvH_step(h, st)) {
        fputs("<tr><td>", h->out);
        gvH_text(h->out, gvR_text(st, 0));
        fputs(" <code>", h->out);
        gvH_text(h->out, gvR_text(st, 1));
        fputs("</code></td><td>", h->out);
        gvH_text(h->out, gvR_text(st, 2));
        fputs("</td><td class=\"n\">", h->out);
        gvH_num(h, sqlite3_column_double(st, 3), 2);
        fputs("</td><td class=\"n\">", h->out);
        gvH_value(h, sqlite3_column_double(st, 4), gvR_text(st, 5));
        fputs("</td></tr>", h->out);
    }
    sqlite3_finalize(st);
    fputs("</table></div>", h->out);
}

#define GVH_EXTREMES                                                                               \
    "SELECT c.title, c.id, m.name || ' (' || m.country || ')', v.sroi, v.investment, v.currency"   \
    " FROM case_values v JOIN cases c ON c.id = v.case_id JOIN municipalities m"                   \
    " ON m.code = c.municipality WHERE v.run = ?1 AND v.sroi IS NOT NULL"                          \
    " AND NOT " GVR_CASE_HIDDEN("v.case_id") " ORDER BY v.sroi "

/* One row a municipality, sortable by any column (the page's script). */
static void gvH_municipalities(gvH *h) {
    fprintf(h->out,
            "<h3>%s</h3><div class=\"wide\"><table class=\"sortable\"><thead><tr><th>%s</th>"
            "<th class=\"n\">%s</th><th class=\"n\">%s %s</th><th class=\"n\">%s</th>"
            "<th class=\"n\">%s</th><th class=\"n\">SROI</th></tr></thead><tbody>",
            gvT(h->lang, "Municipalities (click a heading to sort)"), gvT(h->lang, "Municipality"),
            gvT(h->lang, "cases"), gvT(h->lang, "cases"), gvT(h->lang, "with a value"),
            gvT(h->lang, "Investment"), gvT(h->lang, "Present value"));
    sqlite3_stmt *st = gvH_query(
        h,
        "SELECT m.name || ' (' || m.code || ', ' || m.country || ')', count(*), count(v.sroi),"
        " sum(v.investment), sum(v.present_value), sum(v.present_value) / sum(v.investment),"
        " max(v.currency) FROM cases c JOIN municipalities m ON m.code = c.municipality"
        " LEFT JOIN case_values v ON v.run = ?1 AND v.case_id = c.id"
        " AND NOT " GVR_CASE_HIDDEN("c.id") " WHERE " GVR_CASE_IN_RUN(
            "c.id") " GROUP BY m.code ORDER BY "
                    "m.code",
        NULL);
    while (gvH_step(h, st)) {
        fputs("<tr><td>", h->out);
        gvH_text(h->out, gvR_text(st, 0));
        fputs("</td>", h->out);
        for (int k = 1; k <= 5; k++) {
            fprintf(h->out, "<td class=\"n\" data-v=\"%.6g\">", sqlite3_column_double(st, k));
            if (sqlite3_column_type(st, k) == SQLITE_NULL)
                fputs("&#8211;", h->out);
            else if (k == 5)
                gvH_num(h, sqlite3_column_double(st, k), 2);
            else
                gvH_value(h, sqlite3_column_double(st, k), k <= 2 ? "count" : gvR_text(st, 6));
            fputs("</td>", h->out);
        }
        fputs("</tr>", h->out);
    }
    sqlite3_finalize(st);
    fputs("</tbody></table></div>", h->out);
}

/* Past GVH_OVERVIEW cases: totals, how SROI and the gains are spread, the
** best and the weakest cases, and the municipalities, instead of a
** section a case; a page that stays small however many cases there are. */
static void gvH_overview(gvH *h) {
    gvH_section(h);
    fprintf(h->out, "<h2>%s: ", gvT(h->lang, "Overview"));
    gvH_value(h, (double)h->ncases, "count");
    fprintf(h->out, " %s</h2><p class=\"note\">%s</p>", gvT(h->lang, "cases"),
            gvT(h->lang, "One case at a time: gevinst report --case ID; the cases of one "
                         "municipality: --municipality CODE."));
    gvH_totals(h);
    fprintf(h->out, "<h3>%s</h3>", gvT(h->lang, "Distribution of SROI"));
    gvH_bars(
        h,
        gvH_query(
            h,
            /* ?2: the language's decimal mark */
            "SELECT replace(CASE WHEN sroi < 0.5 THEN '< 0.5' WHEN sroi < 1 THEN"
            " '0.5 \xE2\x80\x93 1' WHEN sroi < 2 THEN '1 \xE2\x80\x93 2' WHEN sroi < 3 THEN"
            " '2 \xE2\x80\x93 3' WHEN sroi < 5 THEN '3 \xE2\x80\x93 5' ELSE '5 +' END, '.', ?2)"
            " AS bin, count(*) FROM case_values WHERE run = ?1 AND sroi IS NOT NULL"
            " AND NOT " GVR_CASE_HIDDEN("case_id") " GROUP BY bin ORDER BY min(sroi)",
            h->lang == GV_LANG_EN ? "." : ","),
        "bars distribution", gvT(h->lang, "cases"));
    fprintf(h->out, "<h3>%s</h3>", gvT(h->lang, "Gains by status (latest period)"));
    gvH_bars(h,
             gvH_query(h,
                       /* each gain's status as every format shows it: hidden where
                          its figures are */
                       "SELECT " GVR_STATUS_SHOWN " AS shown, count(*) FROM gain_results r"
                       " JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
                       " WHERE r.run = ?1 AND r.period = (SELECT max(l.period) FROM"
                       " gain_results l WHERE l.run = r.run AND l.case_id = r.case_id"
                       " AND l.gain = r.gain AND l.actual IS NOT NULL)"
                       " GROUP BY shown ORDER BY count(*) DESC",
                       NULL),
             "bars statuses", gvT(h->lang, "gains"));
    gvH_extremes(h, "Best by SROI", GVH_EXTREMES "DESC LIMIT 10");
    gvH_extremes(h, "Weakest by SROI", GVH_EXTREMES "ASC LIMIT 10");
    gvH_municipalities(h);
    fputs("</section>", h->out);
}

gv_status gvR_write_html(gv_report *r, char **err) {
    gvH h = {r->db, r->run, r->lang, r->label, r->out, NULL, 0, ""};
    sqlite3_stmt *run = gvH_query(&h,
                                  "SELECT started, engine_version, config_file, config_hash"
                                  " FROM runs WHERE id = ?1",
                                  NULL);
    if (!gvH_step(&h, run)) {
        sqlite3_finalize(run);
        *err = h.err ? h.err : gvU_mprintf("run %lld not found", r->run);
        return h.err ? GV_DATABASE : GV_NOT_FOUND;
    }
    gvH_count(&h);
    gvH_head(&h, r->lang_name, run);
    if (h.ncases > GVH_OVERVIEW)
        gvH_overview(&h);
    else
        gvH_cases(&h);
    gvH_comparison(&h);
    gvH_footnote(&h, r);
    gvH_provenance(&h, run);
    sqlite3_finalize(run);
    /* what a browser test reads, and the overview's sorting */
    fprintf(h.out, "<script>%s</script></body></html>\n", gvH_script);
    if (!h.err) return GV_OK;
    *err = h.err;
    return GV_DATABASE;
}
