/*
** change.c -- a metric's change against a baseline period:
**
**   absolute:  value = A(period) - A(baseline)
**   percent:   value = (A(period) - A(baseline)) / A(baseline) x 100
**
** where A aggregates (sum by default) the case's observations.  No value
** when either period has no data, or for percent when the baseline is 0.
*/
#include <gevinst/plugin.h>
#include <string.h>

static const gevinst_host *host;

static const char *const modes[] = {"absolute", "percent", NULL};
static const char *const aggregates[] = {"sum", "mean", "count", "last", "min", "max", NULL};

static const gevinst_param params[] = {
    {.name = "metric", .type = GEVINST_PARAM_STRING, .help = "the metric"},
    {.name = "baseline", .type = GEVINST_PARAM_STRING, .help = "baseline period, e.g. \"2017\""},
    {.name = "mode",
     .type = GEVINST_PARAM_STRING,
     .string = "absolute",
     .choices = modes,
     .help = "absolute or percent change"},
    {.name = "aggregate",
     .type = GEVINST_PARAM_STRING,
     .string = "sum",
     .choices = aggregates,
     .help = "how the metric is aggregated in each period"},
    {.name = NULL}};

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    const char *metric = host->param_string(ctx, "metric");
    const char *fn = host->param_string(ctx, "aggregate");
    double now, base;
    int rc = host->aggregate(ctx, fn, metric, NULL, &now, errmsg);
    if (rc != GEVINST_OK) return rc;
    rc = host->aggregate(ctx, fn, metric, host->param_string(ctx, "baseline"), &base, errmsg);
    if (rc != GEVINST_OK) return rc;
    if (strcmp(host->param_string(ctx, "mode"), "percent") == 0) {
        if (base == 0) return GEVINST_NODATA;
        *value = (now - base) / base * 100;
    } else {
        *value = now - base;
    }
    return GEVINST_OK;
}

static const gevinst_module module = {
    GEVINST_MODULE_ABI, .name = "change",
    .version = "1.0.0", .description = "change of a metric against a baseline period",
    .params = params,   .evaluate = evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    host = h;
    return &module;
}
