/*
** test_import.c -- CSV import: RFC 4180 quoting, Nordic letters, and every
** bad input rejected whole with FILE:ROW:COLUMN and the database unchanged.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gevinst/gevinst.h"
#include "store/gv_store.h"
#include "test_util.h"

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

static void keeps_quoting_and_nordic_letters(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    char *err = NULL;
    long rows = 0;
    /* columns in another order; a BOM as Excel writes it; a quoted comma,
       quote and line break */
    const char *csv =
        tu_write("cases.csv", "\xEF\xBB\xBFtitle,id,municipality,description\n"
                              "\"Tøyen, Æble & Ål\",c3,0301,\"Sa \"\"hei\"\"\nog ha det\"\n");
    assert_int_equal(gevinst_import(db, "cases", csv, &rows, &err), 0);
    assert_null(err);
    assert_int_equal(rows, 1);
    assert_string_equal(tu_sql(db, "SELECT title FROM cases WHERE id = 'c3'"), "Tøyen, Æble & Ål");
    assert_string_equal(tu_sql(db, "SELECT description FROM cases WHERE id = 'c3'"),
                        "Sa \"hei\"\nog ha det");
    assert_string_equal(tu_sql(db, "SELECT start_date IS NULL FROM cases WHERE id = 'c3'"), "1");
}

static void reads_semicolon_files_from_a_nordic_excel(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    char *err = NULL;
    long rows = 0;
    /* between semicolons a decimal comma is unambiguous: Excel writes it */
    const char *csv = tu_write("semi.csv", "case;metric;period;value;note\r\n"
                                           "c2;m;2019;1.5;\"a; b, c\"\r\n"
                                           "c2;m;2020;-12,25;\r\n");
    assert_int_equal(gevinst_import(db, "observations", csv, &rows, &err), 0);
    assert_int_equal(rows, 2);
    assert_string_equal(tu_sql(db, "SELECT group_concat(value || ' ' || coalesce(note, '-'), '|')"
                                   " FROM observations WHERE case_id = 'c2'"),
                        "1.5 a; b, c|-12.25 -");
    /* but only one comma, and not beside a point */
    csv = tu_write("semi2.csv", "case;metric;period;value\r\nc2;m;2021;1,234,5\r\n");
    assert_int_equal(gevinst_import(db, "observations", csv, &rows, &err), GEVINST_STATUS_BAD_DATA);
    assert_non_null(strstr(err, "semi2.csv:2:4: value '1,234,5' is not a number"));
    free(err);
}

static void stores_period_ranges_and_the_metric_catalogue(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    assert_string_equal(tu_sql(db, "SELECT period_start || '/' || period_end FROM observations "
                                   "WHERE period = '2017-09-15'"),
                        "2017-09-15/2017-09-15");
    assert_string_equal(
        tu_sql(
            db,
            "SELECT period_start || '/' || period_end FROM observations WHERE period = '2017-Q2'"),
        "2017-04-01/2017-06-30");
    assert_string_equal(
        tu_sql(db, "SELECT group_concat(name, ',') FROM (SELECT name FROM metrics ORDER BY name)"),
        "m,score");
    assert_string_equal(tu_sql(db, "SELECT typeof(value) FROM observations LIMIT 1"), "real");
}

/* Import csv as kind into the fixture; expect exit 3 with message msg
** (the file's path prefixed) and no change to the table. */
static void expect_rejected(const char *kind, const char *csv, const char *msg) {
    const char *db = tu_fixture_db();
    char before[64], count_sql[128];
    snprintf(count_sql, sizeof count_sql, "SELECT count(*) FROM %s", kind);
    snprintf(before, sizeof before, "%s", tu_sql(db, count_sql));
    const char *path = tu_write("bad.csv", csv);
    char *err = NULL;
    assert_int_equal(gevinst_import(db, kind, path, NULL, &err), GEVINST_STATUS_BAD_DATA);
    assert_non_null(err);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s:%s", path, msg);
    assert_string_equal(err, expected);
    free(err);
    assert_string_equal(tu_sql(db, count_sql), before);
}

static void rejects_bad_files_whole(void **state) {
    (void)state;
    expect_rejected("observations", "case,metric,period,value\nc1,m,2017,1\nc1,m,2017,12,5\n",
                    "3: 5 fields, but the header has 4 (a decimal comma, as in 12,5? write 12.5; "
                    "or quote a text that holds a comma)");
    expect_rejected("observations", "case,metric,period,value\nc1,m,2017,1\nc1,m,2017,\"12,5\"\n",
                    "3:4: value '12,5' is not a number (use '.' as the decimal separator)");
    expect_rejected("observations", "case,period,value\nc1,2017,1\n",
                    "1: missing required column 'metric'");
    expect_rejected("observations", "case,metric,period,value,colour\n",
                    "1:5: unknown column 'colour' (observations has: case, metric, period, "
                    "value, unit, subject, source, note)");
    expect_rejected("observations", "case,metric,period,value,case\n",
                    "1:5: column 'case' appears twice");
    expect_rejected("observations", "case,metric,period,value\nc1,m,2017,1\nc9,m,2017,1\n",
                    "3:1: unknown case 'c9'");
    expect_rejected("observations", "metric,case,period,value\nm,c1,2017-13,1\n",
                    "2:3: period '2017-13' is not a period (YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD)");
    expect_rejected("observations", "case,metric,period,value\nc1,,2017,1\n",
                    "2:2: metric is empty; it is required");
    expect_rejected("observations", "case,metric,period,value\nc1,m,2017,inf\n",
                    "2:4: value 'inf' is not a number");
    expect_rejected("observations", "case,metric,period,value\nc1,m,2017,\"1\n",
                    "2: malformed CSV: unterminated quoted field");
    expect_rejected("observations", "case,metric,period,value\nc1,m,2017,1\"2\n",
                    "2: malformed CSV: a quote inside a field that is not quoted as a whole "
                    "(write the field in quotes and its quotes doubled)");
    /* UTF-8 with a stray byte: broken, not Windows-1252 */
    expect_rejected("observations",
                    "case,metric,period,value\nc1,m\xF8,2017,1\nc1,\xC3\xB8,2017,1\n",
                    "2:2: field is not valid UTF-8 (byte 2); save the file as UTF-8");
    expect_rejected("observations", "", " empty file; expected a header row");
    expect_rejected("cases", "id,municipality,title\nc7,9999,X\n",
                    "2:2: unknown municipality '9999'");
    expect_rejected("cases", "id,municipality,title,start\nc7,0301,X,2017\n",
                    "2:4: start '2017' is not a date (YYYY-MM-DD or DD.MM.YYYY)");
    expect_rejected("cases", "id,municipality,title\nc1,0301,Again\n",
                    "2: duplicate case: another row has the same key, in this file or in the "
                    "database (UNIQUE constraint failed: cases.id)");
    expect_rejected("cases", "id,municipality,title,start,end\nc7,0301,X,2018-01-01,2017-12-31\n",
                    "2:5: end '2017-12-31' is before start '2018-01-01'");
    /* rows are counted as a spreadsheet shows them: blank lines and \r\n too */
    expect_rejected("observations",
                    "case,metric,period,value\r\nc1,m,2017,1\r\n\r\nc1,m,2017,x\r\n",
                    "4:4: value 'x' is not a number");
    expect_rejected("observations", "\ncase,metric,period,value\n\n\nc1,m,2017,x\n",
                    "5:4: value 'x' is not a number");
    expect_rejected("partners", "case,name,type\nc1,Lag,club\n",
                    "2:3: type 'club' is not one of: municipality, civil_society, "
                    "social_enterprise, citizens, business, research");
    expect_rejected("inputs", "case,partner,period,kind,amount\nc1,Nobody,2017,cash,10\n",
                    "2:2: unknown partner in this case 'Nobody'");
    expect_rejected("inputs", "case,partner,period,kind,amount\nc2,Oslo kommune,2017,cash,10\n",
                    "2:2: unknown partner in this case 'Oslo kommune'");
    expect_rejected("inputs", "case,partner,period,kind,amount\nc1,Oslo kommune,2017,gift,10\n",
                    "2:4: kind 'gift' is not one of: cash, in_kind, volunteer_hours");
}

static void a_bad_last_row_undoes_the_good_ones(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    const char *path = tu_write("late.csv", "case,metric,period,value\n"
                                            "c2,new,2017,1\nc2,new,2018,2\nc2,new,2019,x\n");
    char *err = NULL;
    assert_int_equal(gevinst_import(db, "observations", path, NULL, &err), GEVINST_STATUS_BAD_DATA);
    free(err);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM observations WHERE case_id = 'c2'"), "0");
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM metrics WHERE name = 'new'"), "0");
}

static void the_same_file_is_not_imported_twice(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    const char *path =
        tu_write("more.csv", "case,metric,period,value\nc2,new,2017,1\nc2,new,2018,2\n");
    char *err = NULL;
    long rows = 0;
    assert_int_equal(gevinst_import(db, "observations", path, &rows, &err), 0);
    assert_int_equal(rows, 2);
    assert_string_equal(tu_sql(db,
                               "SELECT kind || ' ' || rows || ' ' || length(sha256) FROM imports "
                               "WHERE file LIKE '%more.csv'"),
                        "observations 2 64");
    /* the same file again: the same source, the same content, nothing done */
    gevinst_import_result res;
    assert_int_equal(gevinst_import_source(db, "observations", path, NULL, &res, &err),
                     GEVINST_STATUS_OK);
    assert_true(res.same);
    assert_string_equal(res.source, "more.csv");
    assert_int_equal(res.rows, 2);
    gevinst_import_result_free(&res);
    /* the same rows under another name would count twice */
    assert_int_equal(gevinst_import_source(db, "observations", path, "another", &res, &err),
                     GEVINST_STATUS_BAD_DATA);
    gevinst_import_result_free(&res);
    char expected[600];
    snprintf(expected, sizeof expected, "%s: this file was imported as observations before, on ",
             path);
    assert_memory_equal(err, expected, strlen(expected));
    assert_non_null(strstr(err, "importing it again would store its rows twice"));
    free(err);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM observations WHERE case_id = 'c2'"), "2");
}

static void usage_errors(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    char *err = NULL;
    assert_int_equal(gevinst_import(db, "budgets", tu_write("x.csv", "a\n"), NULL, &err),
                     GEVINST_STATUS_USAGE);
    assert_string_equal(err, "unknown kind 'budgets' (municipalities, cases, partners, "
                             "observations, inputs, gains, gain_shares)");
    free(err);
    err = NULL;
    assert_int_equal(gevinst_import(tu_path("none.db"), "cases", tu_path("x.csv"), NULL, &err),
                     GEVINST_STATUS_NOT_FOUND);
    assert_non_null(strstr(err, "none.db: no such database; create it with 'gevinst init"));
    free(err);
}

/* Import reads a stated number of bytes at most, from a file or from
** standard input that never ends, and then has changed nothing. */
static void reads_at_most_the_stated_size(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    const char *before = tu_sql(db, "SELECT count(*) FROM municipalities");
    char *err = NULL;
    gvI_set_max_bytes(30);
    const char *csv = tu_write("big.csv", "code,name,country\n4601,Bergen,NO\n"); /* 33 bytes */
    assert_int_equal(gevinst_import(db, "municipalities", csv, NULL, &err), GEVINST_STATUS_USAGE);
    char expected[600];
    snprintf(expected, sizeof expected,
             "%s: larger than import reads (30 bytes); split it into "
             "sources",
             csv);
    assert_string_equal(err, expected);
    free(err);
    err = NULL;
    gvI_set_max_bytes(1 << 20);
    assert_non_null(freopen("/dev/zero", "rb", stdin));
    gevinst_import_result res;
    assert_int_equal(gevinst_import_source(db, "municipalities", "-", "zeros", &res, &err),
                     GEVINST_STATUS_USAGE);
    assert_string_equal(err, "stdin: larger than import reads (1048576 bytes); split it into "
                             "sources");
    free(err);
    gevinst_import_result_free(&res);
    gvI_set_max_bytes(0);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM municipalities"), before);
    err = NULL;
    assert_int_equal(gevinst_import(db, "municipalities", csv, NULL, &err), GEVINST_STATUS_OK);
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(keeps_quoting_and_nordic_letters, teardown),
        cmocka_unit_test_teardown(stores_period_ranges_and_the_metric_catalogue, teardown),
        cmocka_unit_test_teardown(reads_semicolon_files_from_a_nordic_excel, teardown),
        cmocka_unit_test_teardown(rejects_bad_files_whole, teardown),
        cmocka_unit_test_teardown(a_bad_last_row_undoes_the_good_ones, teardown),
        cmocka_unit_test_teardown(the_same_file_is_not_imported_twice, teardown),
        cmocka_unit_test_teardown(usage_errors, teardown),
        cmocka_unit_test_teardown(reads_at_most_the_stated_size, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
