/*
** gv_expr.c -- the formula language (see gv_host.h): DHIS2's indicator
** expressions, parsed once into a short list of instructions in postfix
** order, then run on a small stack for every case and period.
**
** The arithmetic is DHIS2's: ^ binds tighter than a sign and groups to the
** right (2 ^ 3 ^ 2 = 512, -3^2 = -9); a null operand makes a null result;
** division by zero gives an infinity, 0/0 and x % 0 NaN; comparisons
** between kinds convert as DHIS2 does ('2' > 1, 1 == true).  What reaches
** the config is written in docs/formulas.md.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host/gv_host.h"

/* ------------------------------------------------------------ instructions */

enum {
    GVF_PUSH_NUMBER, /* arg: numbers[arg] */
    GVF_PUSH_STRING, /* arg: strings[arg] */
    GVF_PUSH_BOOL,   /* arg: 0 or 1 */
    GVF_PUSH_NULL,
    GVF_LOAD,     /* operand arg, a missing one as 0 */
    GVF_LOAD_RAW, /* operand arg, a missing one as null (inside isNull...) */
    GVF_NEG,
    GVF_PLUS,
    GVF_NOT,
    GVF_POW,
    GVF_MUL,
    GVF_DIV,
    GVF_MOD,
    GVF_ADD,
    GVF_SUB,
    GVF_LT,
    GVF_GT,
    GVF_LE,
    GVF_GE,
    GVF_EQ,
    GVF_NE,
    GVF_AND,
    GVF_OR,
    GVF_IF,
    GVF_IS_NULL,
    GVF_IS_NOT_NULL,
    GVF_FIRST_NON_NULL, /* arg: how many */
    GVF_GREATEST,       /* arg: how many */
    GVF_LEAST,          /* arg: how many */
    GVF_LOG,            /* arg: 1 or 2 */
    GVF_LOG10,
    GVF_ABS,
    GVF_REMOVE_ZEROS
};

struct gvF_instr {
    int op, arg;
};

/* The functions a formula may call: name, instruction, fewest and most
** arguments (-1: any), and whether a missing operand among them stays
** null (the functions that ask about nulls). */
static const struct {
    const char *name;
    int op, min, max, raw;
} gvF_functions[] = {
    {"if", GVF_IF, 3, 3, 0},
    {"isNull", GVF_IS_NULL, 1, 1, 1},
    {"isNotNull", GVF_IS_NOT_NULL, 1, 1, 1},
    {"firstNonNull", GVF_FIRST_NON_NULL, 0, -1, 1},
    {"greatest", GVF_GREATEST, 0, -1, 0},
    {"least", GVF_LEAST, 0, -1, 0},
    {"log", GVF_LOG, 1, 2, 0},
    {"log10", GVF_LOG10, 1, 1, 0},
    {"abs", GVF_ABS, 1, 1, 0},
    {"removeZeros", GVF_REMOVE_ZEROS, 1, 1, 0},
};
#define GVF_NFUNCTIONS (int)(sizeof gvF_functions / sizeof gvF_functions[0])

/* ----------------------------------------------------------------- parsing */

typedef struct gvF_parser {
    const char *text;
    size_t at;
    gvF_formula *f;
    int raw;     /* inside the arguments of isNull, isNotNull, firstNonNull */
    int depth;   /* of nesting, bounded so a hostile formula cannot overflow C's stack */
    char *error; /* the first problem, at error_at */
    size_t error_at;
} gvF_parser;

static void gvF_fail(gvF_parser *p, size_t at, const char *fmt, ...) GV_PRINTF(3, 4);
static void gvF_fail(gvF_parser *p, size_t at, const char *fmt, ...) {
    if (p->error) return;
    va_list ap;
    va_start(ap, fmt);
    p->error = gvU_vmprintf(fmt, ap);
    va_end(ap);
    p->error_at = at;
}

static void gvF_emit(gvF_parser *p, int op, int arg) {
    gvF_formula *f = p->f;
    if (f->ncode == f->capcode) {
        f->capcode = f->capcode ? 2 * f->capcode : 16;
        f->code = gvU_realloc(f->code, (size_t)f->capcode * sizeof *f->code);
    }
    f->code[f->ncode].op = op;
    f->code[f->ncode++].arg = arg;
}

/* Skip blanks and comments; 0, or -1 on a comment never closed. */
static int gvF_skip(gvF_parser *p) {
    for (;;) {
        const char *s = p->text + p->at;
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            p->at++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *end = strstr(s + 2, "*/");
            if (!end) {
                gvF_fail(p, p->at, "comment '/*' is not closed with '*/'");
                return -1;
            }
            p->at = (size_t)(end + 2 - p->text);
        } else {
            return 0;
        }
    }
}

static int gvF_is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ':';
}

/* The word at the cursor (letters, digits, _ and the : of d2:), its length. */
static size_t gvF_word(const gvF_parser *p) {
    size_t n = 0;
    const char *s = p->text + p->at;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return 0;
    while (gvF_is_word_char(s[n]))
        n++;
    return n;
}

/* Is the cursor at operator op (whole, for words)?  Then step over it. */
static int gvF_accept(gvF_parser *p, const char *op) {
    size_t n = strlen(op);
    if (strncmp(p->text + p->at, op, n) != 0) return 0;
    if (gvF_is_word_char(op[0]) && gvF_is_word_char(p->text[p->at + n])) return 0;
    p->at += n;
    return 1;
}

/* The operand kind:name.part, added once; its index. */
static int gvF_operand(gvF_parser *p, int kind, const char *name, size_t n, size_t start,
                       size_t len) {
    gvF_formula *f = p->f;
    char *text = gvU_malloc(n + 1);
    memcpy(text, name, n);
    text[n] = '\0';
    char *part = NULL;
    static const char *const aggregates[] = {"sum", "count", "mean",     "min",
                                             "max", "last",  "subjects", NULL};
    char *dot = kind == GVF_METRIC ? strrchr(text, '.') : NULL;
    for (const char *const *a = aggregates; dot && *a; a++)
        if (strcmp(dot + 1, *a) == 0) part = gvU_strdup(*a), *dot = '\0';
    int i = 0;
    while (i < f->noperands &&
           !(f->operands[i].kind == kind && strcmp(f->operands[i].name, text) == 0 &&
             strcmp(f->operands[i].aggregate, part ? part : "sum") == 0))
        i++;
    if (i == f->noperands) {
        f->operands = gvU_realloc(f->operands, (size_t)(i + 1) * sizeof *f->operands);
        gvF_operand_def *o = &f->operands[f->noperands++];
        memset(o, 0, sizeof *o);
        o->kind = kind;
        o->name = text;
        o->aggregate = part ? part : gvU_strdup("sum");
        o->column = gvF_column(p->text, start);
        text = NULL, part = NULL;
    }
    free(text), free(part);
    f->uses = gvU_realloc(f->uses, (size_t)(f->nuses + 1) * sizeof *f->uses);
    f->uses[f->nuses].operand = i;
    f->uses[f->nuses].start = start;
    f->uses[f->nuses++].length = len;
    return i;
}

/* #{metric}, C{constant}, I{indicator}: the braces' content. */
static int gvF_braced(gvF_parser *p, int kind, size_t open) {
    size_t start = p->at - open;
    const char *s = p->text + p->at, *close = strchr(s, '}');
    if (!close) {
        gvF_fail(p, start, "'%.*s' is not closed with '}'", (int)open, p->text + start);
        return -1;
    }
    size_t n = (size_t)(close - s);
    while (n && s[n - 1] == ' ')
        n--;
    while (n && *s == ' ')
        s++, n--;
    if (n == 0) {
        gvF_fail(p, start, "'%.*s}' names nothing", (int)open, p->text + start);
        return -1;
    }
    p->at = (size_t)(close + 1 - p->text);
    int i = gvF_operand(p, kind, s, n, start, p->at - start);
    gvF_emit(p, p->raw ? GVF_LOAD_RAW : GVF_LOAD, i);
    return 0;
}

/* A number as DHIS2 writes them: 2, 2., .2, 2.1E-1. */
static int gvF_number(gvF_parser *p) {
    const char *s = p->text + p->at;
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    if (s[n] == '.') {
        n++;
        while (s[n] >= '0' && s[n] <= '9')
            n++;
    }
    if (n == 1 && s[0] == '.') {
        gvF_fail(p, p->at, "'.' is not a number");
        return -1;
    }
    if (s[n] == 'e' || s[n] == 'E') {
        size_t e = n + 1;
        if (s[e] == '+' || s[e] == '-') e++;
        if (s[e] < '0' || s[e] > '9') {
            gvF_fail(p, p->at + n, "an exponent needs digits after '%c'", s[n]);
            return -1;
        }
        while (s[e] >= '0' && s[e] <= '9')
            e++;
        n = e;
    }
    char buf[64];
    if (n >= sizeof buf) {
        gvF_fail(p, p->at, "number too long");
        return -1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    gvF_formula *f = p->f;
    f->numbers = gvU_realloc(f->numbers, (size_t)(f->nnumbers + 1) * sizeof *f->numbers);
    f->numbers[f->nnumbers] = strtod(buf, NULL);
    gvF_emit(p, GVF_PUSH_NUMBER, f->nnumbers++);
    p->at += n;
    return 0;
}

/* 'text' or "text"; a backslash takes the next character as it is. */
static int gvF_string(gvF_parser *p) {
    char quote = p->text[p->at];
    size_t start = p->at++;
    gvU_buf b = {0};
    gvU_buf_add(&b, "", 0);
    while (p->text[p->at] && p->text[p->at] != quote) {
        if (p->text[p->at] == '\\' && p->text[p->at + 1]) p->at++;
        gvU_buf_add(&b, p->text + p->at++, 1);
    }
    if (!p->text[p->at]) {
        free(b.s);
        gvF_fail(p, start, "text in quotes is not closed with %c", quote);
        return -1;
    }
    p->at++;
    gvF_formula *f = p->f;
    f->strings = gvU_realloc(f->strings, (size_t)(f->nstrings + 1) * sizeof *f->strings);
    f->strings[f->nstrings] = gvU_buf_take(&b);
    gvF_emit(p, GVF_PUSH_STRING, f->nstrings++);
    return 0;
}

static int gvF_expr(gvF_parser *p, int min_bp);

/* name( args ): a function call, its arguments counted. */
static int gvF_call(gvF_parser *p, size_t start, size_t n) {
    int fn = 0;
    while (fn < GVF_NFUNCTIONS && !(strlen(gvF_functions[fn].name) == n &&
                                    strncmp(gvF_functions[fn].name, p->text + start, n) == 0))
        fn++;
    if (fn == GVF_NFUNCTIONS) {
        gvU_buf known = {0};
        for (int i = 0; i < GVF_NFUNCTIONS; i++)
            gvU_buf_printf(&known, "%s%s", i ? ", " : "", gvF_functions[i].name);
        gvF_fail(p, start, "unknown function '%.*s' (%s)", (int)n, p->text + start, known.s);
        free(known.s);
        return -1;
    }
    p->at++; /* ( */
    p->raw += gvF_functions[fn].raw;
    int nargs = 0;
    if (gvF_skip(p) < 0) return -1;
    if (p->text[p->at] != ')') do {
            if (gvF_expr(p, 0) < 0) return -1;
            nargs++;
        } while (gvF_skip(p) == 0 && gvF_accept(p, ","));
    p->raw -= gvF_functions[fn].raw;
    if (gvF_skip(p) < 0) return -1;
    if (!gvF_accept(p, ")")) {
        gvF_fail(p, p->at, "expected ',' or ')' in the arguments of %s", gvF_functions[fn].name);
        return -1;
    }
    int min = gvF_functions[fn].min, max = gvF_functions[fn].max;
    if (nargs < min || (max >= 0 && nargs > max)) {
        gvF_fail(p, start, "%s takes %s%d argument%s, not %d", gvF_functions[fn].name,
                 max < 0      ? "at least "
                 : min == max ? ""
                              : "1 or ",
                 max < 0 ? min : max, (max < 0 ? min : max) == 1 ? "" : "s", nargs);
        return -1;
    }
    gvF_emit(p, gvF_functions[fn].op, nargs);
    return 0;
}

/* A word: true, false, null, not, a function. */
static int gvF_word_operand(gvF_parser *p) {
    size_t start = p->at, n = gvF_word(p);
    static const char *const items[] = {
        "D{", "A{", "R{", "N{", "OUG{", "V{", "PS_EVENTDATE:", NULL};
    for (const char *const *it = items; *it; it++)
        if (strncmp(p->text + start, *it, strlen(*it)) == 0) {
            gvF_fail(p, start,
                     "'%s...' is a DHIS2 item gevinst has no counterpart for; use #{metric}, "
                     "C{constant}, I{indicator} or [days]",
                     *it);
            return -1;
        }
    if (n == 0) {
        gvF_fail(p, start, "expected a number, an operand or '(' here");
        return -1;
    }
    p->at += n;
    if (n == 4 && strncmp(p->text + start, "true", 4) == 0) return gvF_emit(p, GVF_PUSH_BOOL, 1), 0;
    if (n == 5 && strncmp(p->text + start, "false", 5) == 0)
        return gvF_emit(p, GVF_PUSH_BOOL, 0), 0;
    if (n == 4 && strncmp(p->text + start, "null", 4) == 0) return gvF_emit(p, GVF_PUSH_NULL, 0), 0;
    if (gvF_skip(p) < 0) return -1;
    if (p->text[p->at] == '(') return gvF_call(p, start, n);
    gvF_fail(p, start,
             "unknown word '%.*s' (an operand is written #{metric}, C{constant} or I{id})", (int)n,
             p->text + start);
    return -1;
}

/* What an expression starts with: an operand, a prefix operator, a group. */
static int gvF_prefix(gvF_parser *p) {
    if (gvF_skip(p) < 0) return -1;
    const char *s = p->text + p->at;
    size_t start = p->at;
    if (*s == '\0') {
        gvF_fail(p, start, "the formula ends where a number or an operand is expected");
        return -1;
    }
    if (*s == '-' || *s == '+' || *s == '!' || gvF_accept(p, "not")) {
        int op = *s == '-' ? GVF_NEG : *s == '+' ? GVF_PLUS : GVF_NOT;
        if (*s == '-' || *s == '+' || *s == '!') p->at++;
        if (gvF_expr(p, 7) < 0) return -1; /* below ^: -3^2 is -(3^2) */
        gvF_emit(p, op, 0);
        return 0;
    }
    if (*s == '(') {
        p->at++;
        if (gvF_expr(p, 0) < 0 || gvF_skip(p) < 0) return -1;
        if (!gvF_accept(p, ")")) {
            gvF_fail(p, p->text[p->at] ? p->at : start,
                     p->text[p->at] ? "expected ')' here" : "'(' is not closed with ')'");
            return -1;
        }
        return 0;
    }
    if ((*s >= '0' && *s <= '9') || *s == '.') return gvF_number(p);
    if (*s == '\'' || *s == '"') return gvF_string(p);
    if (s[0] == '#' && s[1] == '{') return p->at += 2, gvF_braced(p, GVF_METRIC, 2);
    if (s[0] == 'C' && s[1] == '{') return p->at += 2, gvF_braced(p, GVF_CONSTANT, 2);
    if (s[0] == 'I' && s[1] == '{') return p->at += 2, gvF_braced(p, GVF_INDICATOR, 2);
    if (strncmp(s, "[days]", 6) == 0) {
        p->at += 6;
        int i = gvF_operand(p, GVF_DAYS, "days", 4, start, 6);
        gvF_emit(p, GVF_LOAD, i);
        return 0;
    }
    return gvF_word_operand(p);
}

/* The infix operators: text, instruction, binding power (higher binds
** tighter), right-associative.  Longer texts first: "<=" before "<". */
static const struct {
    const char *text;
    int op, bp, right;
} gvF_infix[] = {
    {"||", GVF_OR, 1, 0}, {"or", GVF_OR, 1, 0}, {"&&", GVF_AND, 2, 0}, {"and", GVF_AND, 2, 0},
    {"==", GVF_EQ, 3, 0}, {"!=", GVF_NE, 3, 0}, {"<=", GVF_LE, 4, 0},  {">=", GVF_GE, 4, 0},
    {"<", GVF_LT, 4, 0},  {">", GVF_GT, 4, 0},  {"+", GVF_ADD, 5, 0},  {"-", GVF_SUB, 5, 0},
    {"*", GVF_MUL, 6, 0}, {"/", GVF_DIV, 6, 0}, {"%", GVF_MOD, 6, 0},  {"^", GVF_POW, 8, 1},
};

/* Precedence climbing: an operand, then every operator binding tighter
** than min_bp with its right-hand side. */
static int gvF_expr(gvF_parser *p, int min_bp) {
    if (++p->depth > 200) {
        gvF_fail(p, p->at, "formula nested too deep");
        return -1;
    }
    if (gvF_prefix(p) < 0) return -1;
    for (;;) {
        if (gvF_skip(p) < 0) return -1;
        int k = 0, n = (int)(sizeof gvF_infix / sizeof gvF_infix[0]);
        while (k < n && !(gvF_infix[k].bp > min_bp && gvF_accept(p, gvF_infix[k].text)))
            k++;
        if (k == n) break;
        if (gvF_expr(p, gvF_infix[k].right ? gvF_infix[k].bp - 1 : gvF_infix[k].bp) < 0) return -1;
        gvF_emit(p, gvF_infix[k].op, 0);
    }
    p->depth--;
    return 0;
}

int gvF_column(const char *text, size_t at) {
    int col = 1;
    for (size_t i = 0; i < at && text[i]; i++)
        col += ((unsigned char)text[i] & 0xC0) != 0x80; /* characters, not bytes */
    return col;
}

char *gvF_caret(const char *text, int column) {
    gvU_buf b = {0};
    gvU_buf_printf(&b, "    %s\n    %*s^", text, column - 1, "");
    return gvU_buf_take(&b);
}

gvF_formula *gvF_parse(const char *text, char **err, int *column) {
    gvF_formula *f = gvU_malloc(sizeof *f);
    memset(f, 0, sizeof *f);
    f->text = gvU_strdup(text);
    gvF_parser p = {f->text, 0, f, 0, 0, NULL, 0};
    if (gvF_expr(&p, 0) == 0 && gvF_skip(&p) == 0 && f->text[p.at])
        gvF_fail(&p, p.at, "unexpected '%c': an operator or the end of the formula is expected",
                 f->text[p.at]);
    if (p.error) {
        *err = p.error;
        *column = gvF_column(f->text, p.error_at);
        gvF_free(f);
        return NULL;
    }
    return f;
}

void gvF_free(gvF_formula *f) {
    if (!f) return;
    for (int i = 0; i < f->noperands; i++)
        free(f->operands[i].name), free(f->operands[i].aggregate);
    for (int i = 0; i < f->nstrings; i++)
        free(f->strings[i]);
    free(f->operands), free(f->uses), free(f->strings), free(f->numbers), free(f->code);
    free(f->text);
    free(f);
}

/* -------------------------------------------------------------- evaluation */

static gvF_value gvF_null(void) {
    gvF_value v = {GVF_NULL, 0, NULL};
    return v;
}

static gvF_value gvF_num(double x) {
    gvF_value v = {GVF_NUMBER, x, NULL};
    return v;
}

static gvF_value gvF_bool(int b) {
    gvF_value v = {GVF_BOOL, b ? 1 : 0, NULL};
    return v;
}

/* A value as a number: true is 1, text that is no number is NaN. */
static double gvF_to_number(gvF_value v) {
    if (v.type != GVF_STRING) return v.number;
    char *end;
    double x = strtod(v.string, &end);
    return *v.string && !*end ? x : NAN;
}

/* A value as true or false: a number is true unless 0, text when "true". */
static int gvF_to_bool(gvF_value v) {
    if (v.type == GVF_STRING) return strcasecmp(v.string, "true") == 0;
    return v.number != 0;
}

/* Java's order of doubles, which DHIS2 compares by: NaN above everything. */
static int gvF_order(double a, double b) {
    if (isnan(a) || isnan(b)) return isnan(a) - isnan(b);
    return a < b ? -1 : a > b;
}

/* a op b for < > <= >= == !=: as numbers when either is one, else as
** true/false when either is, else as text. */
static gvF_value gvF_compare(int op, gvF_value a, gvF_value b) {
    if (a.type == GVF_NULL || b.type == GVF_NULL) return gvF_null();
    int c;
    if (a.type == GVF_NUMBER || b.type == GVF_NUMBER) {
        double x = gvF_to_number(a), y = gvF_to_number(b);
        if (isnan(x) || isnan(y)) return gvF_bool(op == GVF_NE);
        c = x < y ? -1 : x > y;
    } else if (a.type == GVF_BOOL || b.type == GVF_BOOL) {
        c = gvF_to_bool(a) - gvF_to_bool(b);
    } else {
        c = strcmp(a.string, b.string);
    }
    switch (op) {
    case GVF_LT:
        return gvF_bool(c < 0);
    case GVF_GT:
        return gvF_bool(c > 0);
    case GVF_LE:
        return gvF_bool(c <= 0);
    case GVF_GE:
        return gvF_bool(c >= 0);
    case GVF_EQ:
        return gvF_bool(c == 0);
    default:
        return gvF_bool(c != 0);
    }
}

static gvF_value gvF_arith(int op, gvF_value a, gvF_value b) {
    if (a.type == GVF_NULL || b.type == GVF_NULL) return gvF_null();
    double x = gvF_to_number(a), y = gvF_to_number(b);
    switch (op) {
    case GVF_POW:
        return gvF_num(pow(x, y));
    case GVF_MUL:
        return gvF_num(x * y);
    case GVF_DIV:
        return gvF_num(x / y);
    case GVF_MOD:
        return gvF_num(fmod(x, y));
    case GVF_ADD:
        return gvF_num(x + y);
    default:
        return gvF_num(x - y);
    }
}

/* greatest, least, firstNonNull over the n values at v. */
static gvF_value gvF_pick(int op, const gvF_value *v, int n) {
    gvF_value best = gvF_null();
    for (int i = 0; i < n; i++) {
        if (v[i].type == GVF_NULL) continue;
        if (op == GVF_FIRST_NON_NULL) return v[i];
        double x = gvF_to_number(v[i]);
        if (best.type == GVF_NULL ||
            (op == GVF_GREATEST ? gvF_order(x, best.number) > 0 : gvF_order(x, best.number) < 0))
            best = gvF_num(x);
    }
    return best;
}

static gvF_value gvF_unary(int op, gvF_value a) {
    if (a.type == GVF_NULL)
        return op == GVF_IS_NULL ? gvF_bool(1) : op == GVF_IS_NOT_NULL ? gvF_bool(0) : a;
    double x = gvF_to_number(a);
    switch (op) {
    case GVF_NEG:
        return gvF_num(-x);
    case GVF_PLUS:
        return gvF_num(x);
    case GVF_NOT:
        return gvF_bool(!gvF_to_bool(a));
    case GVF_IS_NULL:
        return gvF_bool(0);
    case GVF_IS_NOT_NULL:
        return gvF_bool(1);
    case GVF_LOG10:
        return gvF_num(log10(x));
    case GVF_ABS:
        return gvF_num(fabs(x));
    case GVF_REMOVE_ZEROS:
        return x == 0 ? gvF_null() : a;
    default: /* log */
        return gvF_num(log(x));
    }
}

/* One instruction on the stack of n values; the new height. */
static int gvF_step(const gvF_formula *f, const gvF_instr *in, const gvF_value *operands,
                    const unsigned char *missing, gvF_value *st, int n) {
    int op = in->op;
    switch (op) {
    case GVF_PUSH_NUMBER:
        st[n] = gvF_num(f->numbers[in->arg]);
        return n + 1;
    case GVF_PUSH_STRING:
        st[n].type = GVF_STRING, st[n].number = 0, st[n].string = f->strings[in->arg];
        return n + 1;
    case GVF_PUSH_BOOL:
        st[n] = gvF_bool(in->arg);
        return n + 1;
    case GVF_PUSH_NULL:
        st[n] = gvF_null();
        return n + 1;
    case GVF_LOAD:
    case GVF_LOAD_RAW:
        st[n] = operands[in->arg];
        if (missing[in->arg] && op == GVF_LOAD) st[n] = gvF_num(0);
        return n + 1;
    case GVF_AND:
    case GVF_OR:
        if (st[n - 2].type == GVF_NULL || st[n - 1].type == GVF_NULL)
            st[n - 2] = gvF_null();
        else if (op == GVF_AND)
            st[n - 2] = gvF_bool(gvF_to_bool(st[n - 2]) && gvF_to_bool(st[n - 1]));
        else
            st[n - 2] = gvF_bool(gvF_to_bool(st[n - 2]) || gvF_to_bool(st[n - 1]));
        return n - 1;
    case GVF_IF: {
        gvF_value c = st[n - 3];
        st[n - 3] = c.type != GVF_NULL && gvF_to_bool(c) ? st[n - 2] : st[n - 1];
        return n - 2;
    }
    case GVF_FIRST_NON_NULL:
    case GVF_GREATEST:
    case GVF_LEAST:
        st[n - in->arg] = gvF_pick(op, st + n - in->arg, in->arg);
        return n - in->arg + 1;
    case GVF_LOG:
        if (in->arg == 2) {
            gvF_value a = st[n - 2], b = st[n - 1];
            st[n - 2] = a.type == GVF_NULL || b.type == GVF_NULL
                            ? gvF_null()
                            : gvF_num(log(gvF_to_number(a)) / log(gvF_to_number(b)));
            return n - 1;
        }
        st[n - 1] = gvF_unary(op, st[n - 1]);
        return n;
    default:
        if (op >= GVF_POW && op <= GVF_SUB) {
            st[n - 2] = gvF_arith(op, st[n - 2], st[n - 1]);
            return n - 1;
        }
        if (op >= GVF_LT && op <= GVF_NE) {
            st[n - 2] = gvF_compare(op, st[n - 2], st[n - 1]);
            return n - 1;
        }
        st[n - 1] = gvF_unary(op, st[n - 1]);
        return n;
    }
}

int gvF_eval(const gvF_formula *f, const gvF_value *operands, int strategy, gvF_value *out) {
    /* DHIS2's missing value strategies count the operands that read data */
    int items = 0, absent = 0;
    unsigned char small[64],
        *missing = f->noperands <= 64 ? small : gvU_malloc((size_t)f->noperands);
    for (int i = 0; i < f->noperands; i++) {
        int data = f->operands[i].kind == GVF_METRIC || f->operands[i].kind == GVF_INDICATOR;
        missing[i] = data && operands[i].type == GVF_NULL;
        items += data;
        absent += missing[i];
    }
    int skip = (strategy == GVF_SKIP_IF_ANY && absent > 0) ||
               (strategy == GVF_SKIP_IF_ALL && items > 0 && absent == items);
    if (skip) {
        if (missing != small) free(missing);
        *out = gvF_null();
        return 0;
    }
    gvF_value small_stack[32], *st = small_stack;
    if (f->ncode > 32) st = gvU_malloc((size_t)f->ncode * sizeof *st);
    int n = 0;
    for (int i = 0; i < f->ncode; i++)
        n = gvF_step(f, &f->code[i], operands, missing, st, n);
    *out = n == 1 ? st[0] : gvF_null();
    if (st != small_stack) free(st);
    if (missing != small) free(missing);
    return n == 1 ? 0 : -1;
}

int gvF_indicator_value(double numerator, double denominator, double factor, int annualise,
                        int days, double *out) {
    if (denominator == 0) return 1; /* as DHIS2: no value, never an infinity */
    if (annualise) factor = factor * 365 / days;
    *out = numerator / denominator * factor;
    return 0;
}
