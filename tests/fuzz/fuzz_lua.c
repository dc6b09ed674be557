/*
** fuzz_lua.c -- loading a Lua module and evaluating it for every case and
** period: any text loads or fails with a message, and so does each value,
** within the limits, never a crash, a leak or a hang.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gv_base.h"
#include "fuzz_util.h"
#include "gevinst/gevinst.h"
#include "host/gv_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gv_config *fz_config(void) {
    static gv_config *cfg;
    if (cfg) return cfg;
    char text[1024];
    snprintf(text, sizeof text,
             "database = \"%s\";\nperiods = [\"2017\", \"2017-Q1\"];\n"
             "limits = { time_ms = 200; instructions = 200000; memory_mb = 16; };\n"
             "indicators = ( { id = \"f\"; script = \"fuzz.lua\"; isolate = false; } );\n",
             fz_case_db());
    gevinst_diag diag = {0};
    cfg = gevinst_config_load(fz_write("lua.cfg", text, strlen(text)), &diag);
    if (!cfg) fz_fail("the fuzz config", diag.n ? diag.msg[0] : NULL);
    return cfg;
}

static int fz_value(void *ud, gevinst_ctx *ctx) {
    double v;
    char *err = NULL;
    int rc = gvM_evaluate(ud, ctx, &v, &err);
    if (rc == GEVINST_ERROR && !err) fz_fail("an error without a message", NULL);
    if (err && gvU_utf8_invalid(err, strlen(err)) >= 0) fz_fail("a message that is not UTF-8", err);
    free(err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    gv_config *cfg = fz_config();
    fz_write("fuzz.lua", data, size);
    gv_module *m = NULL;
    char *err = NULL;
    if (gvM_load_here(&cfg->indicators[0], cfg, &m, &err) < 0) {
        if (!err) fz_fail("a load that failed without a message", NULL);
        free(err);
        return 0;
    }
    gv_param_value *params = NULL;
    int nparams = 0;
    gv_diag diag = {0};
    gv_source src;
    if (gvM_bind_params(m, &cfg->indicators[0], &params, &nparams, &diag) == 0 &&
        gvM_source_open(&src, cfg->database, &err) == 0) {
        gvM_begin(m);
        if (gvM_each(&src, cfg, params, nparams, fz_value, m, &err) != 0)
            fz_fail("going through the cases", err);
        gvM_source_close(&src);
    }
    free(err);
    gvU_diag_free(&diag);
    gvC_free_params(params, nparams);
    gvM_free(m);
    return 0;
}
