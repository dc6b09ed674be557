/*
** test_config.c -- the config file: settings, periods, module lookup, and
** every problem reported as FILE:LINE: message in one pass.
*/
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

static void loads_a_good_config(void **state) {
    (void)state;
    const char *path =
        tu_write("good.cfg", "database = \"cases.db\";\n"
                             "module_path = [\"mods\"];\n"
                             "periods = [\"2017\", \"2018-Q2\"];\n"
                             "indicators = (\n"
                             "  { id = \"jobs\"; module = \"sum\"; unit = \"persons\";\n"
                             "    params = { metric = \"in_work\"; factor = 3; rate = 0.5; }; },\n"
                             "  { id = \"vær.ø\"; script = \"s/v.lua\"; }\n"
                             ");\n");
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(path, &diag);
    tu_print_diag(&diag);
    assert_non_null(cfg);
    assert_int_equal(diag.n, 0);
    char expected[600];
    snprintf(expected, sizeof expected, "%s/cases.db", tu_tmpdir());
    assert_string_equal(gevinst_config_database(cfg), expected);
    snprintf(expected, sizeof expected, "%s/mods", tu_tmpdir());
    assert_string_equal(cfg->module_path[0], expected);
    assert_int_equal(cfg->nperiods, 2);
    assert_string_equal(cfg->periods[1].text, "2018-Q2");
    assert_int_equal(cfg->nindicators, 2);
    const gv_indicator *jobs = &cfg->indicators[0];
    assert_string_equal(jobs->id, "jobs");
    assert_string_equal(jobs->how, "module");
    assert_ptr_equal(jobs->kind, &gvM_c_plugins.kind);
    assert_non_null(jobs->path);
    assert_non_null(strstr(jobs->path, "/plugins/sum.so")); /* the bundled plugin */
    assert_string_equal(jobs->unit, "persons");
    assert_int_equal(jobs->nparams, 3);
    assert_string_equal(jobs->params[0].string, "in_work");
    assert_int_equal(jobs->params[1].type, GEVINST_PARAM_NUMBER);
    assert_true(jobs->params[1].number == 3.0);
    assert_true(jobs->params[2].number == 0.5);
    assert_int_equal(jobs->params[2].line, 6);
    const gv_indicator *v = &cfg->indicators[1];
    assert_string_equal(v->id, "vær.ø"); /* Nordic letters are letters */
    assert_ptr_equal(v->kind, &gvL_scripts.kind);
    snprintf(expected, sizeof expected, "%s/s/v.lua", tu_tmpdir());
    assert_string_equal(v->path, expected);
    assert_int_equal(v->line, 7);
    gevinst_config_free(cfg);
}

static void expands_period_ranges(void **state) {
    (void)state;
    gevinst_diag diag = {0};
    const char *path =
        tu_write("range.cfg", "database = \"x.db\";\n"
                              "periods = { from = \"2017-Q3\"; to = \"2019-Q1\"; step = 2; };\n"
                              "indicators = ();\n");
    gevinst_config *cfg = gevinst_config_load(path, &diag);
    tu_print_diag(&diag);
    assert_non_null(cfg);
    assert_int_equal(cfg->nperiods, 4);
    assert_string_equal(cfg->periods[0].text, "2017-Q3");
    assert_string_equal(cfg->periods[1].text, "2018-Q1");
    assert_string_equal(cfg->periods[2].text, "2018-Q3");
    assert_string_equal(cfg->periods[3].text, "2019-Q1");
    gevinst_config_free(cfg);
}

/* Load text; expect NULL and exactly the messages given (each prefixed
** with the file's path), in order. */
static void expect_problems(const char *text, const char *const *msgs) {
    const char *path = tu_write("bad.cfg", text);
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(path, &diag);
    assert_null(cfg);
    int n = 0;
    while (msgs[n])
        n++;
    if (diag.n != n) {
        tu_print_diag(&diag);
        fail_msg("expected %d problems, got %d", n, diag.n);
    }
    for (int i = 0; i < n; i++) {
        char expected[1024];
        snprintf(expected, sizeof expected, "%s:%s", path, msgs[i]);
        assert_string_equal(diag.msg[i], expected);
    }
    gevinst_diag_free(&diag);
}

static void reports_syntax_errors_with_the_line(void **state) {
    (void)state;
    expect_problems(
        "database = \"x.db\";\nperiods = [\"2017\",, \"2018\"];\nindicators = ();\n",
        (const char *const[]){"2: syntax error (look on this line or the one before for a "
                              "missing ';' or ',', a '{' or '(' not closed, or text "
                              "not in double quotes)",
                              NULL});
}

static void reports_every_problem_in_one_pass(void **state) {
    (void)state;
    expect_problems(
        "database = 5;\n"
        "periods = [\"2017\", \"2017-13\"];\n"
        "colour = \"blue\";\n"
        "indicators = (\n"
        "  { id = \"a\"; module = \"sum\"; },\n"
        "  { id = \"a\"; module = \"sum\"; },\n"
        "  { id = \"b\"; module = \"sum\"; script = \"b.lua\"; },\n"
        "  { module = \"sum\"; },\n"
        "  { id = \"c\"; modul = \"sum\"; },\n"
        "  { id = \"d\"; module = \"sum\"; params = { on = true; }; },\n"
        "  { id = \"e f\"; module = \"sum\"; }\n"
        ");\n",
        (const char *const[]){
            "1: 'database' must be a string, not an integer",
            "2: periods: element 2 '2017-13' is not a period (YYYY, YYYY-Qn, YYYY-MM or "
            "YYYY-MM-DD)",
            "3: unknown setting 'colour' (database, module_path, periods, limits, indicators, "
            "constants, money, gains, allow_partial, report)",
            "6: duplicate indicator id 'a' (first at line 5)",
            "7: indicator has both 'module' and 'script'; give one", "8: indicator has no 'id'",
            "9: unknown setting 'modul' in indicator (id, module, lang, plugin, script, formula, "
            "numerator, denominator, factor, annualise, missing, unit, description, params, "
            "limits, isolate)",
            "9: indicator 'c' names no module, plugin, script or formula",
            "10: param 'on' must be a number or a string, not a boolean",
            "11: indicator id 'e f' may hold only letters, digits, _ - . (no spaces)",
            " no 'database' setting", NULL});
}

static void rejects_bad_ranges(void **state) {
    (void)state;
    expect_problems(
        "database = \"x.db\";\n"
        "periods = { from = \"2017\"; to = \"2018-Q1\"; };\n"
        "indicators = ();\n",
        (const char *const[]){
            "2: periods: from '2017' and to '2018-Q1' are not the same kind of period", NULL});
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(loads_a_good_config, teardown),
        cmocka_unit_test_teardown(expands_period_ranges, teardown),
        cmocka_unit_test_teardown(reports_syntax_errors_with_the_line, teardown),
        cmocka_unit_test_teardown(reports_every_problem_in_one_pass, teardown),
        cmocka_unit_test_teardown(rejects_bad_ranges, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
