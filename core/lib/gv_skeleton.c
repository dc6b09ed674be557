/*
** gv_skeleton.c -- `gevinst new-indicator`: a working, documented starting
** point for a module in C or Lua, which `gevinst check` accepts as it is.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gv_base.h"
#include "gevinst/gevinst.h"

/* %1$s is the name throughout. */
static const char gvS_lua[] =
    "-- %1$s.lua -- an indicator module for gevinst.\n"
    "--\n"
    "-- A module computes one number (or nil: no data) for one case and one\n"
    "-- period.  Use it from a config:\n"
    "--\n"
    "--   module_path = [\"<this folder>\"];\n"
    "--   indicators = ( { id = \"%1$s\"; module = \"%1$s\";\n"
    "--                    params = { metric = \"participants\"; }; } );\n"
    "--\n"
    "-- ctx.case      the case: id, municipality, title, start, end, description, country\n"
    "-- ctx.period    the period evaluated (\"2018\", \"2018-Q3\"); ctx.period_start/_end\n"
    "-- ctx.params    the params below, with the config's values\n"
    "-- ctx:sum(m), ctx:count(m), ctx:mean(m)   the case's observations of metric m in\n"
    "--               the period (nil when there are none; count gives 0)\n"
    "-- ctx:aggregate(fn, m [, period])        sum|count|mean|min|max|last, in any period\n"
    "-- ctx:period_days([period])              days in a period\n"
    "-- ctx:in_period(first, last [, period])  do the days first..last lie in a period\n"
    "-- ctx:query(sql, ...)                    a read-only SELECT; rows as tables\n"
    "--\n"
    "-- The script runs in a sandbox: no io, no os.execute, no require; limits on\n"
    "-- memory, instructions and time (see docs/modules.md).\n"
    "return {\n"
    "  name = \"%1$s\",\n"
    "  version = \"0.1.0\",\n"
    "  -- unit = \"%%\",  -- the unit of its values, when it has one; \"persons\" only for a\n"
    "  --                   count of people, which reports hide when it is small\n"
    "  description = \"mean of a metric per observation, scaled by a factor\",\n"
    "  params = {\n"
    "    -- a default makes a param optional; a declaration without one makes it required\n"
    "    metric = { type = \"string\", default = \"participants\", help = \"the metric\" },\n"
    "    factor = 1,\n"
    "  },\n"
    "  evaluate = function(ctx)\n"
    "    local total = ctx:sum(ctx.params.metric)\n"
    "    if total == nil then return nil end   -- no data in this period\n"
    "    return total / ctx:count(ctx.params.metric) * ctx.params.factor\n"
    "  end,\n"
    "}\n";

static const char gvS_c[] =
    "/*\n"
    "** %1$s.c -- an indicator plugin for gevinst.\n"
    "**\n"
    "** Build it (the header is all a plugin needs; it never links gevinst):\n"
    "**   cc -shared -fPIC -O2 $(pkg-config --cflags gevinst-plugin) %1$s.c -o %1$s.so\n"
    "** or, without an installed gevinst:\n"
    "**   cc -shared -fPIC -O2 -I%2$s %1$s.c -o %1$s.so\n"
    "**\n"
    "** Use it from a config:\n"
    "**   module_path = [\"<this folder>\"];\n"
    "**   indicators = ( { id = \"%1$s\"; module = \"%1$s\";\n"
    "**                    params = { metric = \"participants\"; }; } );\n"
    "**\n"
    "** A plugin computes one number (or GEVINST_NODATA) for one case and one\n"
    "** period, reading the case's data only through the host's functions.\n"
    "*/\n"
    "#include <gevinst/plugin.h>\n"
    "\n"
    "static const gevinst_host *host;\n"
    "\n"
    "static const gevinst_param params[] = {\n"
    "    {.name = \"metric\", .type = GEVINST_PARAM_STRING, .string = \"participants\",\n"
    "     .help = \"the metric\"},\n"
    "    {.name = \"factor\", .type = GEVINST_PARAM_NUMBER, .number = 1, .help = \"multiplier\"},\n"
    "    {.name = NULL}};\n"
    "\n"
    "/* Mean of the metric's observations in the period, times factor. */\n"
    "static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {\n"
    "    const char *metric = host->param_string(ctx, \"metric\");\n"
    "    double total, n, factor;\n"
    "    int rc = host->sum(ctx, metric, &total, errmsg);\n"
    "    if (rc != GEVINST_OK) return rc; /* GEVINST_NODATA or GEVINST_ERROR */\n"
    "    rc = host->count(ctx, metric, &n, errmsg);\n"
    "    if (rc != GEVINST_OK) return rc;\n"
    "    host->param_number(ctx, \"factor\", &factor);\n"
    "    if (n == 0) {\n"
    "        *errmsg = host->mprintf(\"no observations of %%s\", metric);\n"
    "        return GEVINST_ERROR;\n"
    "    }\n"
    "    *value = total / n * factor;\n"
    "    return GEVINST_OK;\n"
    "}\n"
    "\n"
    "static const gevinst_module module = {\n"
    "    GEVINST_MODULE_ABI, /* the ABI this plugin is built for, and its sizes */\n"
    "    .name = \"%1$s\",\n"
    "    .version = \"0.1.0\",\n"
    "    /* .unit = \"%%\": the unit of its values, when it has one; \"persons\" only for\n"
    "       a count of people, which reports hide when it is small */\n"
    "    .description = \"mean of a metric per observation, scaled by a factor\",\n"
    "    .params = params,\n"
    "    .evaluate = evaluate,\n"
    "};\n"
    "\n"
    "const gevinst_module *gevinst_module_init(const gevinst_host *h) {\n"
    "    /* a host of another major ABI has other functions: refuse it */\n"
    "    if (h->abi_major != GEVINST_ABI_MAJOR) return NULL;\n"
    "    host = h;\n"
    "    return &module;\n"
    "}\n";

static gevinst_status gvS_write(const char *name, const char *lang, const char *dir, char **path,
                                char **err) {
    *path = NULL;
    *err = NULL;
    if (!*name || strlen(name) > 64 ||
        strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(name)) {
        *err = gvU_mprintf("'%s' is no module name: use a-z, 0-9 and _", name);
        return GEVINST_STATUS_USAGE;
    }
    int c = strcmp(lang, "c") == 0;
    if (!c && strcmp(lang, "lua") != 0) {
        *err = gvU_mprintf("unknown language '%s' (c, lua)", lang);
        return GEVINST_STATUS_USAGE;
    }
    char *file = gvU_mprintf("%s/%s.%s", dir, name, c ? "c" : "lua");
    FILE *f = fopen(file, "wx"); /* never overwrite someone's work */
    if (!f) {
        *err = gvU_mprintf("%s: cannot create: %s%s", file, strerror(errno),
                           errno == ENOENT ? " (the folder must exist)" : "");
        free(file);
        return GEVINST_STATUS_USAGE;
    }
    if (c)
        fprintf(f, gvS_c, name, gvU_bundled_include_dir());
    else
        fprintf(f, gvS_lua, name);
    if (fclose(f) != 0) {
        *err = gvU_mprintf("%s: cannot write: %s", file, strerror(errno));
        free(file);
        return GEVINST_STATUS_USAGE;
    }
    *path = file;
    return GEVINST_STATUS_OK;
}

gevinst_status gevinst_new_indicator(const char *name, const char *lang, const char *dir,
                                     char **path, char **err) {
    gvU_oom_catch c;
    *path = NULL;
    *err = NULL;
    if (setjmp(c.to)) {
        *err = strdup("out of memory");
        return GEVINST_STATUS_NO_MEMORY;
    }
    gvU_catch_oom(&c);
    gevinst_status rc = gvS_write(name, lang, dir, path, err);
    gvU_end_catch(&c);
    return rc;
}
