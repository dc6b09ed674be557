/*
** test_modules.c -- both module kinds behind one contract: loading, every
** way a plugin or script can be broken, params, and the values computed
** through the host functions.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gv_module.h"
#include "test_util.h"

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

/* A config with one indicator; the caller frees it. */
static gevinst_config *config_with(const char *indicator) {
    char text[2048];
    snprintf(text, sizeof text,
             "database = \"fixture.db\";\nperiods = [\"2017\"];\n"
             "module_path = [\"%s\", \"%s\"];\n"
             "indicators = (\n  %s\n);\n",
             tu_env("GEVINST_TEST_PLUGINS"), tu_tmpdir(), indicator);
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(tu_write("m.cfg", text), &diag);
    gevinst_diag_print(&diag, stderr);
    assert_non_null(cfg);
    gevinst_diag_free(&diag);
    return cfg;
}

/* Load the config's only indicator, in this process and in a child;
** expect failure with message msg both ways. */
static void expect_load_error(const char *indicator, const char *msg) {
    gevinst_config *cfg = config_with(indicator);
    for (int isolate = 0; isolate < 2; isolate++) {
        gv_module *m = NULL;
        char *err = NULL;
        cfg->indicators[0].isolate = isolate;
        assert_int_equal(gvM_load(&cfg->indicators[0], cfg, GV_LOAD_PROBE, &m, &err), -1);
        assert_null(m);
        if (!strstr(err, msg))
            fail_msg("%s: '%s' does not contain '%s'", isolate ? "isolated" : "in-process", err,
                     msg);
        free(err);
    }
    gevinst_config_free(cfg);
}

static void refuses_broken_plugins_each_with_its_reason(void **state) {
    (void)state;
    char msg[600];
    expect_load_error("{ id = \"x\"; plugin = \"nowhere.so\"; }",
                      "nowhere.so: cannot read plugin: No such file or directory");
    expect_load_error("{ id = \"x\"; module = \"nowhere\"; }",
                      "module 'nowhere' not found (looked for nowhere.so and nowhere.lua in: ");
    expect_load_error("{ id = \"x\"; module = \"no_init\"; }",
                      "no_init.so: not a gevinst plugin: it has no gevinst_module_init()");
    expect_load_error("{ id = \"x\"; module = \"null_init\"; }",
                      "null_init.so: gevinst_module_init() returned NULL");
    expect_load_error("{ id = \"x\"; module = \"wrong_abi\"; }",
                      "wrong_abi.so: plugin built for ABI 2.0; this gevinst has ABI 1.0");
    expect_load_error("{ id = \"x\"; module = \"newer_minor\"; }",
                      "newer_minor.so: plugin built for ABI 1.1; this gevinst has ABI 1.0");
    expect_load_error("{ id = \"x\"; module = \"malformed\"; }",
                      "malformed.so: malformed descriptor: evaluate is missing");
    /* a file that is no shared object: dlopen's own words, and a hint */
    tu_write("text.so", "not elf\n");
    snprintf(msg, sizeof msg, "%s/text.so: cannot load plugin: ", tu_tmpdir());
    expect_load_error("{ id = \"x\"; module = \"text\"; }", msg);
    expect_load_error("{ id = \"x\"; module = \"text\"; }", "dependencies with ldd");
}

static void refuses_broken_scripts_each_with_its_reason(void **state) {
    (void)state;
    tu_write("syntax.lua", "return {\n  evaluate = function(ctx) return 1 +\nend }\n");
    expect_load_error("{ id = \"x\"; module = \"syntax\"; }", "syntax.lua:3: unexpected symbol near 'end'");
    tu_write("notable.lua", "return 5\n");
    expect_load_error("{ id = \"x\"; module = \"notable\"; }",
                      "notable.lua: the script must return a table");
    tu_write("noeval.lua", "return { name = 'n' }\n");
    expect_load_error("{ id = \"x\"; module = \"noeval\"; }",
                      "noeval.lua: the returned table has no function 'evaluate'");
    tu_write("boom.lua", "local t = nil\nreturn t.x\n");
    expect_load_error("{ id = \"x\"; module = \"boom\"; }", "boom.lua:2: attempt to index a nil value");
    /* the sandbox: no io, no os.execute, no require, no load */
    tu_write("io.lua", "io.open('/etc/passwd')\nreturn {}\n");
    expect_load_error("{ id = \"x\"; module = \"io\"; }", "io.lua:1: attempt to index a nil value (global 'io')");
    tu_write("exec.lua", "os.execute('true')\nreturn {}\n");
    expect_load_error("{ id = \"x\"; module = \"exec\"; }", "exec.lua:1: attempt to call a nil value (field 'execute')");
    tu_write("req.lua", "require('os')\nreturn {}\n");
    expect_load_error("{ id = \"x\"; module = \"req\"; }", "req.lua:1: attempt to call a nil value (global 'require')");
    tu_write("load.lua", "load('return 1')\nreturn {}\n");
    expect_load_error("{ id = \"x\"; module = \"load\"; }", "load.lua:1: attempt to call a nil value (global 'load')");
    tu_write("loop.lua", "while true do end\n");
    expect_load_error("{ id = \"x\"; module = \"loop\"; }", "instruction limit reached");
    tu_write("bomb.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end\n");
    expect_load_error("{ id = \"x\"; module = \"bomb\"; }", "memory limit reached");
}

/* Evaluate the config's only indicator on the fixture for case c1 in
** `period`; returns the status, value in *v. */
static int evaluate(gevinst_config *cfg, const char *case_id, const char *period, double *v,
                    char **err) {
    gv_module *m = NULL;
    *err = NULL;
    if (gvM_load_here(&cfg->indicators[0], cfg, &m, err) < 0) fail_msg("load: %s", *err);
    gv_param_value *params;
    int nparams;
    gevinst_diag diag = {0};
    if (gvM_bind_params(m, &cfg->indicators[0], &params, &nparams, &diag) < 0) {
        gevinst_diag_print(&diag, stderr);
        fail_msg("params");
    }
    gv_source src;
    if (gvM_source_open(&src, tu_path("fixture.db"), err) < 0) fail_msg("source: %s", *err);
    const char *fields[GV_CASE_NFIELDS] = {case_id, "0301", "Første sak", NULL, NULL, NULL, "NO"};
    gv_period p;
    assert_int_equal(gvP_parse(period, &p), 0);
    gevinst_ctx ctx = {&src, fields, &p, params, nparams};
    int rc = gvM_evaluate(m, &ctx, v, err);
    gvM_source_close(&src);
    gvC_free_params(params, nparams);
    gvM_free(m);
    return rc;
}

static void check_value(const char *indicator, const char *case_id, const char *period,
                        int status, double expected, const char *msg) {
    gevinst_config *cfg = config_with(indicator);
    double v = -1;
    char *err = NULL;
    int rc = evaluate(cfg, case_id, period, &v, &err);
    if (rc != status) fail_msg("%s: status %d, expected %d (%s)", indicator, rc, status, err);
    if (status == GEVINST_OK && v != expected)
        fail_msg("%s in %s: %.17g, expected %.17g", indicator, period, v, expected);
    if (msg && (!err || !strstr(err, msg))) fail_msg("'%s' does not contain '%s'", err, msg);
    free(err);
    gevinst_config_free(cfg);
}

static void c_plugins_compute_through_the_host(void **state) {
    (void)state;
    tu_fixture_db();
    /* 2017: 10 (Q1) + 20 (Q2) + 5 (2017-09-15); the yearly 7 is 2018's */
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2017",
                GEVINST_OK, 35, NULL);
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2017-Q3",
                GEVINST_OK, 5, NULL);
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2017-09",
                GEVINST_OK, 5, NULL);
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2018",
                GEVINST_OK, 7, NULL);
    /* a yearly figure does not count in a quarter */
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2018-Q1",
                GEVINST_NODATA, 0, NULL);
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c2", "2017",
                GEVINST_NODATA, 0, NULL);
    check_value("{ id = \"s\"; module = \"count\"; params = { metric = \"m\"; }; }", "c1", "2017",
                GEVINST_OK, 3, NULL);
    /* count of nothing is zero, not no data */
    check_value("{ id = \"s\"; module = \"count\"; params = { metric = \"m\"; }; }", "c2", "2017",
                GEVINST_OK, 0, NULL);
    check_value("{ id = \"s\"; module = \"mean\"; params = { metric = \"score\"; }; }", "c1",
                "2017", GEVINST_OK, 3, NULL);
    check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"nosuch\"; }; }", "c1",
                "2017", GEVINST_ERROR, 0, "unknown metric 'nosuch': no observation has it");
    /* every host function of ABI 1.0 */
    check_value("{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; }; }", "c1",
                "2017", GEVINST_OK, 70, NULL);
    check_value("{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; factor = 0.5; mode = \"mean\"; }; }",
                "c1", "2017", GEVINST_OK, 35.0 / 3 * 0.5, NULL);
    check_value("{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; mode = \"rows\"; }; }",
                "c1", "2017", GEVINST_OK, 4, NULL);
    check_value("{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; mode = \"case\"; }; }",
                "c1", "2017", GEVINST_OK, 1, NULL);
}

static void modules_cannot_write_the_database(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    const char *tries[] = {"DELETE FROM observations", "ATTACH DATABASE ':memory:' AS x",
                           "PRAGMA foreign_keys = OFF", "CREATE TABLE t(x)",
                           "SELECT 1; DELETE FROM observations"};
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        char ind[256];
        snprintf(ind, sizeof ind, "{ id = \"w\"; module = \"writer\"; params = { sql = \"%s\"; }; }",
                 tries[i]);
        check_value(ind, "c1", "2017", GEVINST_ERROR, 0, "query");
    }
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM observations"), "6");
}

static void lua_scripts_compute_through_the_host(void **state) {
    (void)state;
    tu_fixture_db();
    tu_write("calc.lua",
             "return {\n"
             "  name = 'calc', unit = 'x', params = { metric = 'm', k = 1 },\n"
             "  evaluate = function(ctx)\n"
             "    if ctx.params.metric == 'rows' then\n"
             "      local rows = ctx:query('SELECT value, subject FROM observations WHERE case_id = ? AND metric = ? ORDER BY value', ctx.case.id, 'score')\n"
             "      return rows[1].value * 10 + #rows + (rows[2].subject == 'a' and 100 or 0)\n"
             "    end\n"
             "    if ctx.params.metric == 'ctx' then\n"
             "      return (ctx.case.title == 'Første sak' and ctx.period == '2017-Q1' and ctx.case.country == 'NO') and 1 or 0\n"
             "    end\n"
             "    local s = ctx:sum(ctx.params.metric)\n"
             "    if s == nil then return nil end\n"
             "    return s * ctx.params.k + ctx:count(ctx.params.metric) / 10 + (ctx:mean(ctx.params.metric) or 0) / 100\n"
             "  end }\n");
    check_value("{ id = \"c\"; module = \"calc\"; params = { k = 2.0; }; }", "c1", "2017",
                GEVINST_OK, 35 * 2 + 0.3 + 35.0 / 3 / 100, NULL);
    check_value("{ id = \"c\"; module = \"calc\"; }", "c2", "2017", GEVINST_NODATA, 0, NULL);
    check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"rows\"; }; }", "c1",
                "2017", GEVINST_OK, 122, NULL);
    check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"ctx\"; }; }", "c1",
                "2017-Q1", GEVINST_OK, 1, NULL);
    check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"nosuch\"; }; }", "c1",
                "2017", GEVINST_ERROR, 0, "unknown metric 'nosuch'");

    tu_write("bad.lua", "return { evaluate = function(ctx)\n  return 'many'\nend }\n");
    check_value("{ id = \"b\"; module = \"bad\"; }", "c1", "2017", GEVINST_ERROR, 0,
                "bad.lua: evaluate returned string; expected a finite number or nil");
    tu_write("inf.lua", "return { evaluate = function(ctx) return 1/0 end }\n");
    check_value("{ id = \"b\"; module = \"inf\"; }", "c1", "2017", GEVINST_ERROR, 0,
                "a number that is not finite");
    tu_write("raise.lua", "return { evaluate = function(ctx)\n  error({code = 1})\nend }\n");
    check_value("{ id = \"b\"; module = \"raise\"; }", "c1", "2017", GEVINST_ERROR, 0,
                "error object is a table value");
    tu_write("trace.lua", "local function f(x) return x.y end\n"
                          "return { evaluate = function(ctx)\n  return f(nil)\nend }\n");
    check_value("{ id = \"b\"; module = \"trace\"; }", "c1", "2017", GEVINST_ERROR, 0,
                "trace.lua:1: attempt to index a nil value (local 'x')\nstack traceback:");
    tu_write("write.lua", "return { evaluate = function(ctx)\n"
                          "  ctx:query('DELETE FROM observations')\nend }\n");
    check_value("{ id = \"b\"; module = \"write\"; }", "c1", "2017", GEVINST_ERROR, 0,
                "query refused");
}

static void the_bundled_script_values_volunteer_hours(void **state) {
    (void)state;
    tu_fixture_db();
    /* 35 "hours" in 2017 at 100 per hour */
    check_value("{ id = \"v\"; module = \"volunteer_value\"; params = { metric = \"m\"; wage = 100; }; }",
                "c1", "2017", GEVINST_OK, 3500, NULL);
}

static void checks_params_against_the_module(void **state) {
    (void)state;
    gevinst_config *cfg = config_with(
        "{ id = \"s\"; module = \"sum\";\n    params = { metrc = \"m\"; }; }");
    gv_module *m = NULL;
    char *err = NULL;
    assert_int_equal(gvM_load(&cfg->indicators[0], cfg, GV_LOAD_PROBE, &m, &err), 0);
    gv_param_value *params;
    int n;
    gevinst_diag diag = {0};
    assert_int_equal(gvM_bind_params(m, &cfg->indicators[0], &params, &n, &diag), -1);
    assert_int_equal(diag.n, 2);
    char expected[600];
    snprintf(expected, sizeof expected, "%s:6: indicator 's': module 'sum' has no param 'metrc' (metric)",
             tu_path("m.cfg"));
    assert_string_equal(diag.msg[0], expected);
    snprintf(expected, sizeof expected, "%s:5: indicator 's': module 'sum' needs param 'metric'",
             tu_path("m.cfg"));
    assert_string_equal(diag.msg[1], expected);
    gevinst_diag_free(&diag);
    gvC_free_params(params, n);
    gvM_free(m);
    gevinst_config_free(cfg);

    cfg = config_with("{ id = \"s\"; module = \"sum\";\n    params = { metric = 5; }; }");
    assert_int_equal(gvM_load(&cfg->indicators[0], cfg, GV_LOAD_PROBE, &m, &err), 0);
    assert_int_equal(gvM_bind_params(m, &cfg->indicators[0], &params, &n, &diag), -1);
    snprintf(expected, sizeof expected, "%s:6: indicator 's': param 'metric' must be a string",
             tu_path("m.cfg"));
    assert_string_equal(diag.msg[0], expected);
    gevinst_diag_free(&diag);
    gvC_free_params(params, n);
    gvM_free(m);
    gevinst_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(refuses_broken_plugins_each_with_its_reason, teardown),
        cmocka_unit_test_teardown(refuses_broken_scripts_each_with_its_reason, teardown),
        cmocka_unit_test_teardown(c_plugins_compute_through_the_host, teardown),
        cmocka_unit_test_teardown(modules_cannot_write_the_database, teardown),
        cmocka_unit_test_teardown(lua_scripts_compute_through_the_host, teardown),
        cmocka_unit_test_teardown(the_bundled_script_values_volunteer_hours, teardown),
        cmocka_unit_test_teardown(checks_params_against_the_module, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
