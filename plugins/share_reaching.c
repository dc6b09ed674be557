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

static const gevinst_host *host;

static const gevinst_param params[] = {
    {.name = "metric", .type = GEVINST_PARAM_STRING, .help = "the metric per subject"},
    {.name = "threshold",
     .type = GEVINST_PARAM_NUMBER,
     .number = 1,
     .help = "a subject counts when its value reaches this"},
    {.name = "factor", .type = GEVINST_PARAM_NUMBER, .number = 100, .help = "100: per cent"},
    {.name = NULL}};

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    double threshold, factor, check, reached, subjects;
    const char *metric = host->param_string(ctx, "metric");
    /* an unknown metric is an error, not an empty share */
    int rc = host->aggregate(ctx, "count", metric, NULL, &check, errmsg);
    if (rc != GEVINST_OK) return rc;
    host->param_number(ctx, "threshold", &threshold);
    host->param_number(ctx, "factor", &factor);
    /* the host counts them from the observations it has read for the case
       already, as for the aggregates: no query per case */
    rc = host->subjects(ctx, metric, NULL, threshold, &reached, &subjects, errmsg);
    if (rc != GEVINST_OK) return rc;
    *value = reached / subjects * factor;
    return GEVINST_OK;
}

static const gevinst_module module = {
    GEVINST_MODULE_ABI,
    .name = "share_reaching",
    .version = "1.1.0",
    .unit = "%",
    .description = "share of distinct subjects whose metric reached a threshold",
    .params = params,
    .evaluate = evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    /* subjects() came with ABI 2.1 */
    if (h->abi_major != GEVINST_ABI_MAJOR || h->size <= offsetof(gevinst_host, subjects))
        return NULL;
    host = h;
    return &module;
}
