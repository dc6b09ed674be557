/*
** test_modules.c -- both module kinds behind one contract: loading, every
** way a plugin or script can be broken, params, and the values computed
** through the host functions.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host/gv_host.h"
#include "test_util.h"

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

static void refuses_broken_plugins_each_with_its_reason(void **state) {
    (void)state;
    char msg[600];
    tu_expect_load_error("{ id = \"x\"; plugin = \"nowhere.so\"; }",
                         "nowhere.so: cannot read plugin: No such file or directory");
    tu_expect_load_error("{ id = \"x\"; module = \"nowhere\"; }",
                         "module 'nowhere' not found (looked for nowhere.so and nowhere.lua in: ");
    tu_expect_load_error("{ id = \"x\"; module = \"no_init\"; }",
                         "no_init.so: not a gevinst plugin: it has no gevinst_module_init()");
    tu_expect_load_error("{ id = \"x\"; module = \"null_init\"; }",
                         "null_init.so: gevinst_module_init() returned NULL");
    tu_expect_load_error("{ id = \"x\"; module = \"wrong_abi\"; }",
                         "wrong_abi.so: plugin built for ABI 3.0; this gevinst has ABI 2.1");
    tu_expect_load_error("{ id = \"x\"; module = \"newer_minor\"; }",
                         "newer_minor.so: plugin built for ABI 2.2; this gevinst has ABI 2.1");
    tu_expect_load_error("{ id = \"x\"; module = \"old_abi\"; }",
                         "old_abi.so: plugin built for ABI 1.0; this gevinst has ABI 2.1");
    tu_expect_load_error("{ id = \"x\"; module = \"small_descriptor\"; }",
                         "small_descriptor.so: malformed descriptor: size 16 and param_size 0 "
                         "are smaller than ABI 2.0's");
    tu_expect_load_error("{ id = \"x\"; module = \"malformed\"; }",
                         "malformed.so: malformed descriptor: evaluate is missing");
    /* a file that is no shared object: dlopen's own words, and a hint */
    tu_write("text.so", "not elf\n");
    snprintf(msg, sizeof msg, "%s/text.so: cannot load plugin: ", tu_tmpdir());
    tu_expect_load_error("{ id = \"x\"; module = \"text\"; }", msg);
    tu_expect_load_error("{ id = \"x\"; module = \"text\"; }", "dependencies with ldd");
}

/* A module's message reaches JSON and reports: bytes that are no UTF-8
** become U+FFFD, at loading and at evaluating, whatever the module. */
static void module_messages_are_made_valid_utf8(void **state) {
    (void)state;
    tu_fixture_db();
    tu_write("bytes.lua", "error('load \\255')\nreturn {}\n");
    tu_expect_load_error("{ id = \"x\"; module = \"bytes\"; }", "bytes.lua:1: load \xEF\xBF\xBD");
    tu_write("bytes2.lua", "return { evaluate = function(ctx) error('bad \\255\\254', 0) end }\n");
    tu_check_value("{ id = \"x\"; module = \"bytes2\"; }", "c1", "2017", GEVINST_ERROR, 0,
                   "bad \xEF\xBF\xBD\xEF\xBF\xBD");
}

/* `params = {}` declares none (found by fuzz_lua: no array to sort). */
/* A query's SQL as a read records it: no value written into it kept. */
static void queries_are_recorded_without_their_values(void **state) {
    (void)state;
    static const char *const shapes[][2] = {
        {"SELECT 1", "SELECT ?"},
        {"SELECT * FROM observations WHERE case_id = 'no-bodo' AND value > 3.5e2",
         "SELECT * FROM observations WHERE case_id = ? AND value > ?"},
        {"SELECT 'it''s', x'0aff', -7, .5, 0x1F", "SELECT ?, ?, -?, ?, ?"},
        {"SELECT ?1, :two, @x3, $y4, ? FROM t2", "SELECT ?1, :two, @x3, $y4, ? FROM t2"},
        {"SELECT \"col 1\", [a b], `c'd` FROM t", "SELECT \"col 1\", [a b], `c'd` FROM t"},
        {"SELECT a -- 12 persons\n\t FROM t /* case 'x' */ WHERE b = 2",
         "SELECT a FROM t WHERE b = ?"},
        {"  SELECT\n\n a\tFROM t  ", "SELECT a FROM t"},
        {"SELECT 'unterminated", "SELECT ?"},
        {"", ""}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char *shape = gvM_query_shape(shapes[i][0]);
        assert_string_equal(shape, shapes[i][1]);
        free(shape);
    }
}

/* Each distinct read kept once, in the order first read, and no more than
** are kept. */
static void reads_are_kept_once_each(void **state) {
    (void)state;
    gv_reads *reads = calloc(1, sizeof *reads);
    const char *a[] = {"2017", "sum", "m", NULL, NULL}, *b[] = {"2017", "sum", "m", "2016", NULL};
    const char *c[] = {"2018", "sum", "m", NULL, NULL}, *q[] = {"2017", "query", NULL, NULL, "x"};
    assert_int_equal(gvM_reads_add(reads, a), 1);
    assert_int_equal(gvM_reads_add(reads, a), 0);
    assert_int_equal(gvM_reads_add(reads, b), 1);
    assert_int_equal(gvM_reads_add(reads, c), 1);
    assert_int_equal(gvM_reads_add(reads, q), 1);
    assert_int_equal(gvM_reads_add(reads, b), 0);
    assert_int_equal(reads->n, 4);
    assert_string_equal(reads->r[1].text[GV_READ_PERIOD], "2016");
    assert_null(reads->r[3].text[GV_READ_METRIC]);
    char metric[16];
    for (int i = 0; reads->n < GV_READS_MAX; i++) {
        snprintf(metric, sizeof metric, "m%d", i);
        const char *x[] = {"2017", "sum", metric, NULL, NULL};
        assert_int_equal(gvM_reads_add(reads, x), 1);
    }
    assert_int_equal(reads->more, 0);
    const char *one_more[] = {"2019", "sum", "m", NULL, NULL};
    assert_int_equal(gvM_reads_add(reads, one_more), 0);
    assert_int_equal(reads->more, 1);
    assert_int_equal(gvM_reads_add(reads, a), 0); /* still found */
    gvM_reads_free(reads);
    free(reads);
}

static void a_script_may_declare_no_params(void **state) {
    (void)state;
    tu_fixture_db();
    tu_write("none.lua", "return { params = {}, evaluate = function(ctx) return 2 end }\n");
    tu_check_value("{ id = \"x\"; module = \"none\"; }", "c1", "2017", GEVINST_OK, 2, NULL);
}

static void refuses_broken_scripts_each_with_its_reason(void **state) {
    (void)state;
    tu_write("syntax.lua", "return {\n  evaluate = function(ctx) return 1 +\nend }\n");
    tu_expect_load_error("{ id = \"x\"; module = \"syntax\"; }",
                         "syntax.lua:3: unexpected symbol near 'end'");
    tu_write("notable.lua", "return 5\n");
    tu_expect_load_error("{ id = \"x\"; module = \"notable\"; }",
                         "notable.lua: the script must return a table");
    tu_write("noeval.lua", "return { name = 'n' }\n");
    tu_expect_load_error("{ id = \"x\"; module = \"noeval\"; }",
                         "noeval.lua: the returned table has no function 'evaluate'");
    tu_write("boom.lua", "local t = nil\nreturn t.x\n");
    tu_expect_load_error("{ id = \"x\"; module = \"boom\"; }",
                         "boom.lua:2: attempt to index a nil value");
    /* the sandbox: no io, no os.execute, no require, no load */
    tu_write("io.lua", "io.open('/etc/passwd')\nreturn {}\n");
    tu_expect_load_error("{ id = \"x\"; module = \"io\"; }",
                         "io.lua:1: attempt to index a nil value (global 'io')");
    tu_write("exec.lua", "os.execute('true')\nreturn {}\n");
    tu_expect_load_error("{ id = \"x\"; module = \"exec\"; }",
                         "exec.lua:1: attempt to call a nil value (field 'execute')");
    tu_write("req.lua", "require('os')\nreturn {}\n");
    tu_expect_load_error("{ id = \"x\"; module = \"req\"; }",
                         "req.lua:1: attempt to call a nil value (global 'require')");
    tu_write("load.lua", "load('return 1')\nreturn {}\n");
    tu_expect_load_error("{ id = \"x\"; module = \"load\"; }",
                         "load.lua:1: attempt to call a nil value (global 'load')");
    tu_write("loop.lua", "while true do end\n");
    /* the default instruction limit, with time to spare for a slow build */
    tu_expect_load_error("{ id = \"x\"; module = \"loop\"; limits = { time_ms = 600000; }; }",
                         "instruction limit of 100000000 reached");
    tu_write("bomb.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end\n");
    tu_expect_load_error("{ id = \"x\"; module = \"bomb\"; limits = { time_ms = 600000; }; }",
                         "bomb.lua: memory limit of 64 MB reached");
}

static void c_plugins_compute_through_the_host(void **state) {
    (void)state;
    tu_fixture_db();
    /* 2017: 10 (Q1) + 20 (Q2) + 5 (2017-09-15); the yearly 7 is 2018's */
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2017",
                   GEVINST_OK, 35, NULL);
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1",
                   "2017-Q3", GEVINST_OK, 5, NULL);
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1",
                   "2017-09", GEVINST_OK, 5, NULL);
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1", "2018",
                   GEVINST_OK, 7, NULL);
    /* a yearly figure does not count in a quarter */
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c1",
                   "2018-Q1", GEVINST_NODATA, 0, NULL);
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }", "c2", "2017",
                   GEVINST_NODATA, 0, NULL);
    tu_check_value("{ id = \"s\"; module = \"count\"; params = { metric = \"m\"; }; }", "c1",
                   "2017", GEVINST_OK, 3, NULL);
    /* count of nothing is zero, not no data */
    tu_check_value("{ id = \"s\"; module = \"count\"; params = { metric = \"m\"; }; }", "c2",
                   "2017", GEVINST_OK, 0, NULL);
    tu_check_value("{ id = \"s\"; module = \"mean\"; params = { metric = \"score\"; }; }", "c1",
                   "2017", GEVINST_OK, 3, NULL);
    tu_check_value("{ id = \"s\"; module = \"sum\"; params = { metric = \"nosuch\"; }; }", "c1",
                   "2017", GEVINST_ERROR, 0, "unknown metric 'nosuch': no observation has it");
    /* every host function of ABI 2.0 */
    tu_check_value("{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; }; }", "c1",
                   "2017", GEVINST_OK, 70, NULL);
    tu_check_value("{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; factor = "
                   "0.5; mode = \"mean\"; }; }",
                   "c1", "2017", GEVINST_OK, 35.0 / 3 * 0.5, NULL);
    tu_check_value(
        "{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; mode = \"rows\"; }; }",
        "c1", "2017", GEVINST_OK, 4, NULL);
    tu_check_value(
        "{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; mode = \"case\"; }; }",
        "c1", "2017", GEVINST_OK, 1, NULL);
    /* ABI 2.0's additions: in_period (in C and in SQL), free, schema_version */
    tu_check_value(
        "{ id = \"g\"; module = \"good_plugin\"; params = { metric = \"m\"; mode = \"abi2\"; }; }",
        "c1", "2017", GEVINST_OK, 3, NULL);
    /* a query inside another's rows, with the same SQL: 4 x 4 rows */
    tu_check_value("{ id = \"n\"; module = \"nested\"; }", "c1", "2017", GEVINST_OK, 16, NULL);
}

static void modules_cannot_write_the_database(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    const char *tries[] = {"DELETE FROM observations", "ATTACH DATABASE ':memory:' AS x",
                           "PRAGMA foreign_keys = OFF", "CREATE TABLE t(x)",
                           "SELECT 1; DELETE FROM observations"};
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        char ind[256];
        snprintf(ind, sizeof ind,
                 "{ id = \"w\"; module = \"writer\"; params = { sql = \"%s\"; }; }", tries[i]);
        tu_check_value(ind, "c1", "2017", GEVINST_ERROR, 0, "query");
    }
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM observations"), "6");
}

static void lua_scripts_compute_through_the_host(void **state) {
    (void)state;
    tu_fixture_db();
    tu_write(
        "calc.lua",
        "return {\n"
        "  name = 'calc', unit = 'x', params = { metric = 'm', k = 1 },\n"
        "  evaluate = function(ctx)\n"
        "    if ctx.params.metric == 'rows' then\n"
        "      local rows = ctx:query('SELECT value, subject FROM observations WHERE case_id "
        "= ? AND metric = ? ORDER BY value', ctx.case.id, 'score')\n"
        "      return rows[1].value * 10 + #rows + (rows[2].subject == 'a' and 100 or 0)\n"
        "    end\n"
        "    if ctx.params.metric == 'in' then\n"
        "      local n = 0\n"
        "      for _, r in ipairs(ctx:query('SELECT period_start AS s, period_end AS e FROM "
        "observations WHERE case_id = ? AND metric = ?', ctx.case.id, 'm')) do\n"
        "        if ctx:in_period(r.s, r.e) then n = n + 1 end\n"
        "        if ctx:in_period(r.s, r.e, '2017-Q3') then n = n + 10 end\n"
        "      end\n"
        "      local ok, why = pcall(ctx.in_period, ctx, '2017-01-01', '2017-01-01', '2017-Q5')\n"
        "      return (not ok and why:find('is not a period')) and n or -1\n"
        "    end\n"
        "    if ctx.params.metric == 'ctx' then\n"
        "      return (ctx.case.title == 'Første sak' and ctx.period == '2017-Q1' and "
        "ctx.case.country == 'NO') and 1 or 0\n"
        "    end\n"
        "    local s = ctx:sum(ctx.params.metric)\n"
        "    if s == nil then return nil end\n"
        "    return s * ctx.params.k + ctx:count(ctx.params.metric) / 10 + "
        "(ctx:mean(ctx.params.metric) or 0) / 100\n"
        "  end }\n");
    tu_check_value("{ id = \"c\"; module = \"calc\"; params = { k = 2.0; }; }", "c1", "2017",
                   GEVINST_OK, 35 * 2 + 0.3 + 35.0 / 3 / 100, NULL);
    tu_check_value("{ id = \"c\"; module = \"calc\"; }", "c2", "2017", GEVINST_NODATA, 0, NULL);
    tu_check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"rows\"; }; }", "c1",
                   "2017", GEVINST_OK, 122, NULL);
    tu_check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"ctx\"; }; }", "c1",
                   "2017-Q1", GEVINST_OK, 1, NULL);
    /* m in c1: 2017-Q1, 2017-Q2, 2017-09-15 lie in 2017; only 09-15 in 2017-Q3 */
    tu_check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"in\"; }; }", "c1",
                   "2017", GEVINST_OK, 13, NULL);
    tu_check_value("{ id = \"c\"; module = \"calc\"; params = { metric = \"nosuch\"; }; }", "c1",
                   "2017", GEVINST_ERROR, 0, "unknown metric 'nosuch'");

    tu_write("bad.lua", "return { evaluate = function(ctx)\n  return 'many'\nend }\n");
    tu_check_value("{ id = \"b\"; module = \"bad\"; }", "c1", "2017", GEVINST_ERROR, 0,
                   "bad.lua: evaluate returned string; expected a finite number or nil");
    tu_write("inf.lua", "return { evaluate = function(ctx) return 1/0 end }\n");
    tu_check_value("{ id = \"b\"; module = \"inf\"; }", "c1", "2017", GEVINST_ERROR, 0,
                   "a number that is not finite");
    tu_write("raise.lua", "return { evaluate = function(ctx)\n  error({code = 1})\nend }\n");
    tu_check_value("{ id = \"b\"; module = \"raise\"; }", "c1", "2017", GEVINST_ERROR, 0,
                   "error object is a table value");
    tu_write("trace.lua", "local function f(x) return x.y end\n"
                          "return { evaluate = function(ctx)\n  return f(nil)\nend }\n");
    tu_check_value("{ id = \"b\"; module = \"trace\"; }", "c1", "2017", GEVINST_ERROR, 0,
                   "trace.lua:1: attempt to index a nil value (local 'x')\nstack traceback:");
    tu_write("write.lua", "return { evaluate = function(ctx)\n"
                          "  ctx:query('DELETE FROM observations')\nend }\n");
    tu_check_value("{ id = \"b\"; module = \"write\"; }", "c1", "2017", GEVINST_ERROR, 0,
                   "query refused");
}

static void the_bundled_script_values_volunteer_hours(void **state) {
    (void)state;
    tu_fixture_db();
    /* 35 "hours" in 2017 at 100 per hour */
    tu_check_value(
        "{ id = \"v\"; module = \"volunteer_value\"; params = { metric = \"m\"; wage = 100; }; }",
        "c1", "2017", GEVINST_OK, 3500, NULL);
}

static void checks_params_against_the_module(void **state) {
    (void)state;
    gevinst_config *cfg =
        tu_config_with("{ id = \"s\"; module = \"sum\";\n    params = { metrc = \"m\"; }; }");
    gv_module *m = NULL;
    char *err = NULL;
    assert_int_equal(gvM_load(&cfg->indicators[0], cfg, GV_LOAD_PROBE, &m, &err), 0);
    gv_param_value *params;
    int n;
    gv_diag diag = {0};
    assert_int_equal(gvM_bind_params(m, &cfg->indicators[0], &params, &n, &diag), -1);
    assert_int_equal(diag.n, 2);
    char expected[600];
    snprintf(expected, sizeof expected,
             "%s:6: indicator 's': module 'sum' has no param 'metrc' (metric)", tu_path("m.cfg"));
    assert_string_equal(diag.msg[0], expected);
    snprintf(expected, sizeof expected, "%s:5: indicator 's': module 'sum' needs param 'metric'",
             tu_path("m.cfg"));
    assert_string_equal(diag.msg[1], expected);
    gvU_diag_free(&diag);
    gvC_free_params(params, n);
    gvM_free(m);
    gevinst_config_free(cfg);

    cfg = tu_config_with("{ id = \"s\"; module = \"sum\";\n    params = { metric = 5; }; }");
    assert_int_equal(gvM_load(&cfg->indicators[0], cfg, GV_LOAD_PROBE, &m, &err), 0);
    assert_int_equal(gvM_bind_params(m, &cfg->indicators[0], &params, &n, &diag), -1);
    snprintf(expected, sizeof expected, "%s:6: indicator 's': param 'metric' must be a string",
             tu_path("m.cfg"));
    assert_string_equal(diag.msg[0], expected);
    gvU_diag_free(&diag);
    gvC_free_params(params, n);
    gvM_free(m);
    gevinst_config_free(cfg);
}

/* The coverage one read of `sum` gives c1 in `period`, after reading
** `before` first on the same source: a case after c1 sends the read of c1
** to SQL (out of the run's order), else it comes from the buffered rows. */
static double coverage_of(gv_source *src, gv_module *m, gv_param_value *params, int nparams,
                          const char *before, const char *period) {
    gv_period p;
    assert_int_equal(gvP_parse(period, &p), 0);
    double v, coverage = NAN;
    const char *ids[] = {before, "c1"};
    for (int i = before ? 0 : 1; i < 2; i++) {
        const char *fields[GV_CASE_NFIELDS] = {ids[i], "0301", "K", NULL, NULL, NULL, "NO"};
        gevinst_ctx ctx = {src, fields, &p, params, nparams, 0, NAN, 0};
        char *err = NULL;
        gvM_evaluate(m, &ctx, &v, &err);
        free(err);
        coverage = ctx.coverage;
    }
    return coverage;
}

static void coverage_is_the_same_by_either_read(void **state) {
    (void)state;
    tu_fixture_db();
    /* c1's m: 2017-Q1, 2017-Q2, 2017-09-15 (no subject), 2018 */
    gevinst_config *cfg =
        tu_config_with("{ id = \"s\"; module = \"sum\"; params = { metric = \"m\"; }; }");
    gv_module *m = NULL;
    char *err = NULL;
    if (gvM_load_here(&cfg->indicators[0], cfg, &m, &err) < 0) fail_msg("load: %s", err);
    gv_param_value *params;
    int nparams;
    gv_diag diag = {0};
    assert_int_equal(gvM_bind_params(m, &cfg->indicators[0], &params, &nparams, &diag), 0);
    static const struct {
        const char *period;
        double coverage;
    } want[] = {
        {"2017", 182.0 / 365}, /* days: 90 + 91 + 1 of 365 */
        {"2017-Q1", 1},        /* the quarter itself */
        {"2017-Q3", 1.0 / 92}, /* one day of 92 */
        {"2018", 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        for (int out_of_order = 0; out_of_order < 2; out_of_order++) {
            gv_source src;
            if (gvM_source_open(&src, tu_path("fixture.db"), &err) < 0) fail_msg("%s", err);
            double got =
                coverage_of(&src, m, params, nparams, out_of_order ? "c2" : NULL, want[i].period);
            gvM_source_close(&src);
            if (got != want[i].coverage)
                fail_msg("%s, %s: coverage %.17g, expected %.17g", want[i].period,
                         out_of_order ? "out of order" : "in order", got, want[i].coverage);
        }
    /* no observation in the period: nothing of it is covered */
    gv_source src;
    if (gvM_source_open(&src, tu_path("fixture.db"), &err) < 0) fail_msg("%s", err);
    assert_true(coverage_of(&src, m, params, nparams, NULL, "2019") == 0);
    gvM_source_close(&src);
    gvC_free_params(params, nparams);
    gvM_free(m);
    gevinst_config_free(cfg);
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(refuses_broken_plugins_each_with_its_reason, teardown),
        cmocka_unit_test_teardown(refuses_broken_scripts_each_with_its_reason, teardown),
        cmocka_unit_test_teardown(c_plugins_compute_through_the_host, teardown),
        cmocka_unit_test_teardown(modules_cannot_write_the_database, teardown),
        cmocka_unit_test_teardown(lua_scripts_compute_through_the_host, teardown),
        cmocka_unit_test_teardown(the_bundled_script_values_volunteer_hours, teardown),
        cmocka_unit_test_teardown(checks_params_against_the_module, teardown),
        cmocka_unit_test_teardown(coverage_is_the_same_by_either_read, teardown),
        cmocka_unit_test_teardown(module_messages_are_made_valid_utf8, teardown),
        cmocka_unit_test_teardown(a_script_may_declare_no_params, teardown),
        cmocka_unit_test(queries_are_recorded_without_their_values),
        cmocka_unit_test(reads_are_kept_once_each),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
