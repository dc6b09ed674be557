/*
** test_formula.c -- the formula language against DHIS2's own test
** vectors (tests/conformance/dhis2): every row runs unless
** tests/conformance/dhis2-not-applicable.txt lists it with a reason; then
** the language's own errors, with the column they point at.
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

#define MAXF 16

/* One CSV line split into fields (RFC 4180 quotes); the count. */
static int split_csv(char *line, char **fields) {
    int n = 0;
    char *w = line, *r = line;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < MAXF) {
        fields[n++] = w;
        if (*r == '"') {
            r++;
            while (*r && !(r[0] == '"' && r[1] != '"'))
                *w++ = *r == '"' ? (r++, '"') : *r, r++;
            if (*r == '"') r++;
        } else {
            while (*r && *r != ',')
                *w++ = *r++;
        }
        if (*r != ',') break;
        *w++ = '\0';
        r++;
    }
    *w = '\0';
    return n;
}

/* The rows listed as not applicable: "FILE:LINE: reason". */
typedef struct listed {
    char file[64];
    int line, seen;
} listed;

static listed *read_listed(int *n) {
    char path[4096], text[1024];
    snprintf(path, sizeof path, "%s/tests/conformance/dhis2-not-applicable.txt", TU_SOURCE_DIR);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    listed *l = NULL;
    *n = 0;
    while (fgets(text, sizeof text, in)) {
        if (text[0] == '#' || text[0] == '\n') continue;
        l = realloc(l, (size_t)(*n + 1) * sizeof *l);
        listed *e = &l[(*n)++];
        char *colon = strchr(text, ':');
        assert_non_null(colon);
        snprintf(e->file, sizeof e->file, "%.*s", (int)(colon - text), text);
        e->line = atoi(colon + 1);
        e->seen = 0;
        const char *reason = strchr(colon + 1, ':');
        if (!reason || strlen(reason) < 10) fail_msg("%s: listed without a reason", text);
    }
    fclose(in);
    return l;
}

static int is_listed(listed *l, int n, const char *file, int line) {
    for (int i = 0; i < n; i++)
        if (l[i].line == line && strcmp(l[i].file, file) == 0) return l[i].seen = 1;
    return 0;
}

/* The vectors' data (core_expression_fixture.json): items by name. */
static gvF_value item(const gvF_operand_def *o) {
    static const struct {
        int kind;
        const char *name;
        double v;
    } items[] = {
        {GVF_METRIC, "dataElemenA", 3},      {GVF_METRIC, "dataElemenB", 13},
        {GVF_METRIC, "dataElemenC", NAN},    {GVF_METRIC, "dataElemenD", NAN},
        {GVF_METRIC, "dataElemenE", NAN},    {GVF_INDICATOR, "programIndA", 301},
        {GVF_INDICATOR, "programIndB", 302}, {GVF_CONSTANT, "xxxxxxxxx05", 0.5},
        {GVF_CONSTANT, "xxxxxxxx025", 0.25}, {GVF_DAYS, "days", 30},
    };
    gvF_value v = {GVF_NULL, 0, NULL};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
        if (items[i].kind == o->kind && strcmp(items[i].name, o->name) == 0) {
            if (!isnan(items[i].v)) v.type = GVF_NUMBER, v.number = items[i].v;
            return v;
        }
    fail_msg("no data for operand '%s'", o->name);
    return v;
}

/* The names the core vectors list after the value: the items read. */
static void item_names(const gvF_formula *f, char *out, size_t size) {
    static const char *const map[][2] = {{"dataElemenA", "DeA"}, {"dataElemenB", "DeB"},
                                         {"dataElemenC", "DeC"}, {"dataElemenD", "DeD"},
                                         {"dataElemenE", "DeE"}, {"programIndA", "PiA"},
                                         {"programIndB", "PiB"}};
    const char *names[32];
    int n = 0;
    for (int i = 0; i < f->noperands && n < 32; i++)
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (strcmp(map[k][0], f->operands[i].name) == 0) names[n++] = map[k][1];
    for (int i = 1; i < n; i++) /* sorted, as the vectors print them */
        for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            const char *t = names[k];
            names[k] = names[k - 1], names[k - 1] = t;
        }
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), " %s", names[i]);
}

static int strategy_of(const char *s) {
    if (strcmp(s, "SKIP_IF_ALL_VALUES_MISSING") == 0) return GVF_SKIP_IF_ALL;
    if (strcmp(s, "NEVER_SKIP") == 0) return GVF_NEVER_SKIP;
    return GVF_SKIP_IF_ANY;
}

/* Does v match the expected text?  Numbers within tol (relative; 0: the
** same double). */
static int matches(gvF_value v, const char *expected, double tol) {
    if (strcmp(expected, "null") == 0) return v.type == GVF_NULL;
    if (strcmp(expected, "true") == 0 || strcmp(expected, "false") == 0)
        return v.type == GVF_BOOL && v.number == (expected[0] == 't');
    if (expected[0] == '\'') {
        size_t n = strlen(expected);
        return v.type == GVF_STRING && strlen(v.string) == n - 2 &&
               strncmp(v.string, expected + 1, n - 2) == 0;
    }
    if (v.type != GVF_NUMBER) return 0;
    double x;
    if (strstr(expected, "NaN")) return isnan(v.number);
    if (strstr(expected, "NEGATIVE_INFINITY") || strcmp(expected, "-Infinity") == 0)
        return isinf(v.number) && v.number < 0;
    if (strstr(expected, "INFINITY") || strcmp(expected, "Infinity") == 0)
        return isinf(v.number) && v.number > 0;
    x = strtod(expected, NULL);
    return fabs(v.number - x) <= tol * fmax(1, fabs(x));
}

/* One row: parse, evaluate, compare; a message when it fails. */
static char *run_row(const char *expr, int strategy, const char *expected, double tol,
                     int with_items) {
    char *err = NULL;
    int column = 0;
    gvF_formula *f = gvF_parse(expr, &err, &column);
    if (!f) {
        char *m = gvU_mprintf("%s: parse error at %d: %s", expr, column, err);
        free(err);
        return m;
    }
    gvF_value ops[32], out;
    for (int i = 0; i < f->noperands && i < 32; i++)
        ops[i] = item(&f->operands[i]);
    char want[256], names[256];
    snprintf(want, sizeof want, "%s", expected);
    names[0] = '\0';
    if (with_items) { /* "3 DeA DeB": the value, then the items */
        char *space = strchr(want, ' ');
        if (space) *space = '\0';
        item_names(f, names, sizeof names);
    }
    char *m = NULL;
    if (gvF_eval(f, ops, strategy, &out) < 0)
        m = gvU_mprintf("%s: no single value", expr);
    else if (!matches(out, want, tol))
        m = gvU_mprintf("%s: got type %d value %.17g%s%s, expected %s", expr, out.type, out.number,
                        out.string ? " " : "", out.string ? out.string : "", expected);
    else if (with_items && strcmp(names, expected + strlen(want)) != 0)
        m = gvU_mprintf("%s: items '%s', expected '%s'", expr, names, expected + strlen(want));
    gvF_free(f);
    return m;
}

/* Every row of one vector file: run, or listed; the failures counted. */
static int run_file(const char *file, listed *l, int nl, int *run, int *skipped) {
    char path[4096], line[4096];
    snprintf(path, sizeof path, "%s/tests/conformance/dhis2/%s", TU_SOURCE_DIR, file);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    int lineno = 0, failed = 0;
    int core = strcmp(file, "core_expression_vectors.csv") == 0;
    while (fgets(line, sizeof line, in)) {
        if (++lineno == 1) continue;
        if (is_listed(l, nl, file, lineno)) {
            (*skipped)++;
            continue;
        }
        char *f[MAXF];
        int n = split_csv(line, f);
        char *m;
        if (core) { /* test_method,helper,expression,extra_args,expected,delta */
            assert_int_equal(n, 6);
            m = run_row(f[2], strategy_of(f[3]), f[4], *f[5] ? 1e-12 : 0, 1);
        } else { /* file,test,helper_mode,expression,expected,tolerance */
            assert_int_equal(n, 6);
            m = run_row(f[3], GVF_SKIP_IF_ANY, f[4], *f[5] ? strtod(f[5], NULL) : 0, 0);
        }
        (*run)++;
        if (m) {
            print_message("%s:%d: %s\n", file, lineno, m);
            failed++;
            free(m);
        }
    }
    fclose(in);
    return failed;
}

static void every_applicable_dhis2_vector_passes(void **state) {
    (void)state;
    int nl, run = 0, skipped = 0, failed = 0;
    listed *l = read_listed(&nl);
    failed += run_file("core_expression_vectors.csv", l, nl, &run, &skipped);
    failed += run_file("expression_parser_vectors.csv", l, nl, &run, &skipped);
    for (int i = 0; i < nl; i++)
        if (!l[i].seen) fail_msg("listed row %s:%d does not exist", l[i].file, l[i].line);
    print_message("%d rows run, %d listed as not applicable, %d failed\n", run, skipped, failed);
    assert_int_equal(run + skipped, 268 + 365); /* every row, run or listed */
    assert_int_equal(skipped, nl);
    assert_int_equal(failed, 0);
    free(l);
}

/* numerator / denominator x factor, annualised: compared to the places
** the vector gives. */
static void dhis2_indicator_values(void **state) {
    (void)state;
    char path[4096], line[4096];
    snprintf(path, sizeof path, "%s/tests/conformance/dhis2/core_indicator_value_vectors.csv",
             TU_SOURCE_DIR);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    int lineno = 0, n = 0;
    while (fgets(line, sizeof line, in)) {
        if (++lineno == 1) continue;
        char *f[MAXF];
        assert_int_equal(split_csv(line, f), 13);
        double v;
        assert_int_equal(gvF_indicator_value(strtod(f[2], NULL), strtod(f[3], NULL),
                                             strtod(f[4], NULL), strcmp(f[5], "true") == 0,
                                             atoi(f[7]), &v),
                         0);
        const char *dot = strchr(f[11], '.');
        int places = dot ? (int)strlen(dot + 1) : 0;
        double want = strtod(f[11], NULL);
        if (!(fabs(v - want) <= 0.5 * pow(10, -places)))
            fail_msg("line %d: %.17g, expected %s", lineno, v, f[11]);
        n++;
    }
    fclose(in);
    assert_int_equal(n, 5);
    double v = 7;
    assert_int_equal(gvF_indicator_value(1, 0, 100, 0, 365, &v), 1); /* no value */
}

/* A parse error says what and points at the column. */
static void expect_error(const char *text, int column, const char *words) {
    char *err = NULL;
    int col = 0;
    gvF_formula *f = gvF_parse(text, &err, &col);
    if (f) fail_msg("'%s' parsed", text);
    if (col != column || !strstr(err, words))
        fail_msg("'%s': column %d '%s', expected %d '%s'", text, col, err, column, words);
    free(err);
}

static void errors_point_at_their_column(void **state) {
    (void)state;
    expect_error("#{income} - * 1.25", 13, "expected a number");
    expect_error("(1 + 2", 1, "not closed");
    expect_error("1 + 2)", 6, "unexpected ')'");
    expect_error("#{income", 1, "not closed with '}'");
    expect_error("sqrt(4)", 1, "unknown function 'sqrt'");
    expect_error("log(1, 2, 3)", 1, "log takes 1 or 2 arguments, not 3");
    expect_error("if(1, 2)", 1, "if takes 3 arguments, not 2");
    expect_error("D{prog.de}", 1, "no counterpart");
    expect_error("1 + 'text", 5, "not closed");
    expect_error("1 /* open", 3, "comment");
    expect_error("2 3", 3, "unexpected '3'");
    expect_error("#{}", 1, "names nothing");
    expect_error("", 1, "ends where");
    expect_error("vekst + 1", 1, "unknown word 'vekst'");
    expect_error("1 + 2.5e", 8, "exponent");
    expect_error("ø + 1", 1, "expected a number"); /* columns count characters */
    expect_error("#{ø} + ", 8, "ends where");
    char deep[1000];
    memset(deep, '(', 999);
    deep[999] = '\0';
    expect_error(deep, 201, "too deep");
}

/* Operands are kept once each, with their aggregate and place. */
static void operands_are_collected_once(void **state) {
    (void)state;
    char *err = NULL;
    int col;
    gvF_formula *f = gvF_parse(
        "#{income} - #{cost} * C{rate} + #{income} / I{other} + #{answers.count} * [days]", &err,
        &col);
    assert_non_null(f);
    assert_int_equal(f->noperands, 6);
    assert_int_equal(f->nuses, 7);
    assert_string_equal(f->operands[0].name, "income");
    assert_string_equal(f->operands[0].aggregate, "sum");
    assert_int_equal(f->operands[1].column, 13);
    assert_int_equal(f->operands[2].kind, GVF_CONSTANT);
    assert_int_equal(f->operands[3].kind, GVF_INDICATOR);
    assert_string_equal(f->operands[4].name, "answers");
    assert_string_equal(f->operands[4].aggregate, "count");
    assert_int_equal(f->operands[5].kind, GVF_DAYS);
    assert_int_equal((int)f->uses[3].start, 32);
    assert_int_equal((int)f->uses[3].length, 9);
    gvF_value ops[6] = {{GVF_NUMBER, 100, NULL}, {GVF_NUMBER, 10, NULL}, {GVF_NUMBER, 1.5, NULL},
                        {GVF_NUMBER, 4, NULL},   {GVF_NUMBER, 2, NULL},  {GVF_NUMBER, 365, NULL}};
    gvF_value out;
    assert_int_equal(gvF_eval(f, ops, GVF_SKIP_IF_ANY, &out), 0);
    assert_int_equal(out.type, GVF_NUMBER);
    assert_true(out.number == 100 - 10 * 1.5 + 100.0 / 4 + 2 * 365);
    char *caret = gvF_caret("#{a} * ", 8);
    assert_string_equal(caret, "    #{a} * \n           ^");
    free(caret);
    gvF_free(f);
}

/* "did you mean": the nearest name, and none when nothing is near. */
static void the_nearest_name_is_suggested(void **state) {
    (void)state;
    const char *names[] = {"in_work", "participants", "volunteer_hours"};
    assert_string_equal(gvU_nearest("in_wrok", names, 3), "in_work");
    assert_string_equal(gvU_nearest("volunter_hours", names, 3), "volunteer_hours");
    assert_string_equal(gvU_nearest("Participants", names, 3), "participants");
    assert_null(gvU_nearest("income", names, 3));
    assert_null(gvU_nearest("x", names, 0));
}

/* Words DHIS2 also accepts, text and the functions' edges. */
static void words_text_and_edges(void **state) {
    (void)state;
    static const struct {
        const char *text;
        double want; /* NaN: no value */
    } cases[] = {
        {"1 and 0 or not false", 1}, {"if(2 > 1 and 'b' > 'a', 7, 8)", 7},
        {"abs(-2.5) + abs(2)", 4.5}, {"removeZeros(0) + 1", NAN},
        {"greatest()", NAN},         {"firstNonNull(null, null)", NAN},
        {"log(100, 10)", 2},         {"/* c */ 1 /* d */ + /**/ 2", 3},
        {"\"it's\" == 'it\\'s'", 1}, {"2 ^ -1 ^ 2", 0.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = NULL;
        int col;
        gvF_formula *f = gvF_parse(cases[i].text, &err, &col);
        if (!f) fail_msg("%s: %s at %d", cases[i].text, err, col);
        gvF_value out;
        assert_int_equal(gvF_eval(f, NULL, GVF_SKIP_IF_ANY, &out), 0);
        if (isnan(cases[i].want)) {
            if (out.type != GVF_NULL) fail_msg("%s: a value, expected none", cases[i].text);
        } else if (out.type == GVF_NULL || out.number != cases[i].want) {
            fail_msg("%s: %g, expected %g", cases[i].text, out.number, cases[i].want);
        }
        gvF_free(f);
    }
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_applicable_dhis2_vector_passes),
        cmocka_unit_test(dhis2_indicator_values),
        cmocka_unit_test(errors_point_at_their_column),
        cmocka_unit_test(operands_are_collected_once),
        cmocka_unit_test(the_nearest_name_is_suggested),
        cmocka_unit_test(words_text_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
