/*
** share_reaching.c -- the share of distinct subjects whose metric reached a
** threshold in the period (people into work or education):
**
**   value = |{s : max v(s) >= threshold}| / |{s}| x factor
**
** over the case's observations of the metric in the period that carry a
** subject.  No value when no observation has a subject.
*/
#include <gevinst/plugin.h>
#include <stdio.h>
#include <stdlib.h>

static const gevinst_host *host;

static const gevinst_param params[] = {
    {.name = "metric", .type = GEVINST_PARAM_STRING, .help = "the metric per subject"},
    {.name = "threshold",
     .type = GEVINST_PARAM_NUMBER,
     .number = 1,
     .help = "a subject counts when its value reaches this"},
    {.name = "factor", .type = GEVINST_PARAM_NUMBER, .number = 100, .help = "100: per cent"},
    {.name = NULL}};

typedef struct counts {
    double reached, subjects;
} counts;

static int row(void *ud, int ncol, const char *const *names, const char *const *values) {
    counts *c = ud;
    (void)ncol, (void)names;
    c->reached = values[0] ? strtod(values[0], NULL) : 0;
    c->subjects = values[1] ? strtod(values[1], NULL) : 0;
    return 1;
}

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    double threshold, factor, check;
    char buf[64];
    const char *metric = host->param_string(ctx, "metric");
    /* an unknown metric is an error, not an empty share */
    int rc = host->aggregate(ctx, "count", metric, NULL, &check, errmsg);
    if (rc != GEVINST_OK) return rc;
    host->param_number(ctx, "threshold", &threshold);
    host->param_number(ctx, "factor", &factor);
    /* the threshold travels as text; %.17g keeps every bit */
    snprintf(buf, sizeof buf, "%.17g", threshold);
    const char *args[] = {host->case_field(ctx, "id"), metric, host->period(ctx), buf};
    counts c = {0, 0};
    rc = host->query(
        ctx,
        "SELECT sum(reached), count(*) FROM ("
        " SELECT max(value) >= CAST(?4 AS REAL) AS reached FROM observations"
        " WHERE case_id = ?1 AND metric = ?2 AND in_period(period_start, period_end, ?3)"
        " AND subject IS NOT NULL GROUP BY subject)",
        4, args, row, &c, errmsg);
    if (rc != GEVINST_OK) return rc;
    if (c.subjects == 0) return GEVINST_NODATA;
    *value = c.reached / c.subjects * factor;
    return GEVINST_OK;
}

static const gevinst_module module = {
    GEVINST_MODULE_ABI,
    .name = "share_reaching",
    .version = "1.0.0",
    .unit = "%",
    .description = "share of distinct subjects whose metric reached a threshold",
    .params = params,
    .evaluate = evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    host = h;
    return &module;
}
