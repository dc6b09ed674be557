/*
** main.c -- the gevinst command: a thin front end over libgevinst.
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gevinst/gevinst.h"

#define EXIT_CODES                                                                                 \
    "Exit codes: 0 all computed; 1 some indicators failed (the rest are stored);\n"                \
    "            2 usage, config or module error, or what was named is not there;\n"               \
    "            3 bad input data (database unchanged);\n"                                         \
    "            4 the database could not be read or written.\n"

/* What each command's exit codes mean, where they differ from the whole
** table: a command's help says only what applies to it. */
#define EXIT_DONE                                                                                  \
    "Exit codes: 0 done; 2 usage, or what was named is not there; 4 a database or\n"               \
    "            file could not be read or written.\n"
#define EXIT_IMPORT                                                                                \
    "Exit codes: 0 imported (or nothing to do); 2 usage, or a file or key not there;\n"            \
    "            3 bad input data (database unchanged); 4 the database could not be\n"             \
    "            read or written.\n"
#define EXIT_CHECK                                                                                 \
    "Exit codes: 0 no problem; 2 a config or module problem (each said);\n"                        \
    "            4 the database could not be read.\n"
#define EXIT_SHOW                                                                                  \
    "Exit codes: 0 shown; 2 usage, or no such run, indicator or case;\n"                           \
    "            4 the database could not be read or the file written.\n"

static const char *const usage_main =
    "Usage: gevinst COMMAND [ARGS]\n"
    "Measure the gains of co-creation projects: evaluate indicator modules (C plugins,\n"
    "Lua scripts) on case data in SQLite and store every result with its provenance.\n\n"
    "Commands:\n"
    "  init DB                     create a case database (or bring it up to date)\n"
    "  import DB KIND FILE         import municipalities, cases, partners, observations,\n"
    "                              inputs, gains or gain_shares from a CSV file or an\n"
    "                              Excel workbook, all or nothing; a file imported\n"
    "                              again replaces its own rows\n"
    "  keygen FILE                 a secret key for import --pseudonymise\n"
    "  sources DB                  the sources (imported files) DB holds\n"
    "  check -c CONFIG             load the config and its modules, report every problem\n"
    "  list -c CONFIG [--params]   the indicators the config provides\n"
    "  run -c CONFIG [--format F]  evaluate every indicator, store and print the results\n"
    "  report -c CONFIG [--run ID] [--format F] [--table T] [--excel] [-o FILE]\n"
    "         [--case ID] [--municipality CODE]\n"
    "                              print a stored run (the latest by default): text,\n"
    "                              JSON, CSV, an HTML page or an Excel workbook; one\n"
    "                              case's or one municipality's\n"
    "  runs DB                     the runs stored in DB, and the config of each\n"
    "  explain -c CONFIG WHAT CASE PERIOD\n"
    "                              how one stored number was made, step by step\n"
    "  demo [--dir DIR]            build the sample database and run the sample config\n"
    "  new-indicator NAME --lang c|lua [--dir DIR]\n"
    "                              write a skeleton indicator module to start from\n"
    "  template DIR [--lang L]     write the Excel workbook to fill in and import\n\n"
    "  --version                   print the version\n"
    "  --help                      this text; 'gevinst COMMAND --help' for one "
    "command\n\n" EXIT_CODES;

static const char *const usage_init =
    "Usage: gevinst init DB\n"
    "Create the SQLite case database DB with the current schema, or migrate an\n"
    "existing one to it.\n\n" EXIT_DONE;

static const char *const usage_import =
    "Usage: gevinst import DB KIND FILE [--source NAME] [--sheet NAME]\n"
    "                      [--pseudonymise KEYFILE]\n"
    "       gevinst import DB --remove SOURCE\n"
    "Import a UTF-8 CSV file, or a sheet of an Excel workbook (.xlsx), with a\n"
    "header row into DB.  KIND is one of:\n"
    "  municipalities  code, name, country\n"
    "  cases           id, municipality, title [, start, end, description]\n"
    "  partners        case, name, type [, role]\n"
    "  observations    case, metric, period, value [, unit, subject, source, note]\n"
    "  inputs          case, partner, period, kind, amount [, currency]\n"
    "  gains           case, gain, indicator, type, beneficiary, baseline,\n"
    "                  baseline_period, target, target_period [, the plan's other\n"
    "                  columns: see docs/data-model.md]\n"
    "  gain_shares     case, gain, partner, share\n"
    "FILE is a regular file of at most 4 GiB, or - for standard input with\n"
    "--source NAME.\n"
    "Columns may come in any order.  One bad field rejects the whole file with\n"
    "FILE:ROW:COLUMN: message, and the database is left as it was.\n"
    "Each file is a source, named by its file name (or --source NAME).  Import a\n"
    "source again and its rows are replaced by the file's, and what changed is\n"
    "said; the same content again changes nothing.  Another file of the source's\n"
    "name, while the source's own file is still in its folder, is refused unless\n"
    "--source names the source.  --remove takes a source's rows out.\n"
    "`gevinst sources DB` lists the sources.\n"
    "A national identity number (Norwegian fødselsnummer or D-number, Danish CPR\n"
    "number) in any text field is refused.  --pseudonymise KEYFILE replaces each\n"
    "subject by a keyed hash, ps-<32 hex digits>: the same person the same\n"
    "pseudonym in every file imported with the key (make one with gevinst keygen).\n\n" EXIT_IMPORT;

static const char *const usage_keygen =
    "Usage: gevinst keygen FILE\n"
    "Write a new secret key for import --pseudonymise to FILE, readable only by\n"
    "its owner.  An existing file is never overwritten: a new key gives every\n"
    "subject a new pseudonym.  Keep the key away from the database.\n\n" EXIT_DONE;

static const char *const usage_sources =
    "Usage: gevinst sources DB\n"
    "List the sources DB holds: name, kind, rows, when each was imported last,\n"
    "from which file, and that file's SHA-256.\n\n" EXIT_DONE;

static const char *const usage_check =
    "Usage: gevinst check -c CONFIG\n"
    "Load CONFIG and every module it names; report every problem as FILE:LINE:\n"
    "message.  Changes nothing.\n\n" EXIT_CHECK;

static const char *const usage_list =
    "Usage: gevinst list -c CONFIG [--params]\n"
    "Print the indicators CONFIG provides: id, kind (C, Lua or formula), unit, description,\n"
    "and the file each is loaded from; --params adds each one's params with the\n"
    "values a run would use, their types, allowed values and meaning.\n\n" EXIT_CHECK;

static const char *const usage_run =
    "Usage: gevinst run -c CONFIG [--format text|json|csv] [-q]\n"
    "Evaluate every configured indicator for every case and period, evaluate\n"
    "the realisation plan (gains) on them and value it (SROI), store it all in\n"
    "the config's database as one run, and print it.  `report` prints it again.\n"
    "A run longer than a second shows its progress on stderr when that is a\n"
    "terminal; -q keeps it quiet.  Values whose data cover only part of their\n"
    "period are counted on stderr; a gain on such a period is `incomplete`\n"
    "(allow_partial in the config judges it anyway).\n\n" EXIT_CODES;

static const char *const usage_report =
    "Usage: gevinst report -c CONFIG [--run ID] [--format text|json|csv|html|xlsx]\n"
    "                      [--lang nb|da|en] [--table results|gains|value] [--excel]\n"
    "                      [--case ID] [--municipality CODE] [--no-suppress] [-o FILE]\n"
    "Print a run stored in the config's database (the latest by default) as\n"
    "`run` printed it: the indicator results, each gain against its plan, and\n"
    "the value (investment, present value, NPV, SROI with its sensitivity),\n"
    "with totals per municipality and country.  Computes nothing.\n"
    "  --table T   for CSV: which tidy table, one row per value (default results)\n"
    "  --excel     CSV that Nordic Excel opens directly (BOM, ';', decimal comma);\n"
    "              implies --format csv\n"
    "  --format xlsx  an Excel workbook, one sheet per table (-o FILE.xlsx)\n"
    "  --lang L    words and numbers of text, HTML and --excel: bokmål (nb), Danish\n"
    "              (da) or English (en); default the config's report.lang, else English\n"
    "  --case ID   only the case ID, in every format\n"
    "  --municipality CODE  only the cases of municipality CODE (with --case, both)\n"
    "  --no-suppress  show counts of persons under report.suppress_below (default\n"
    "              5), and what they could be computed from, as they are: not for\n"
    "              publication, and text, HTML and JSON say so; CSV has no place to\n"
    "              say it and refuses\n"
    "  -o FILE     write FILE instead of standard output\n\n" EXIT_SHOW;

static const char *const usage_runs =
    "Usage: gevinst runs DB [--format text|csv]\n"
    "List the runs stored in DB, oldest first: number, when it started, its\n"
    "status (ok, or errors when a value or gain row is in error), how many\n"
    "values are ok, without data, errors and partial (their data cover part of\n"
    "their period), how many gain rows (in error, incomplete), and the config\n"
    "that made it.  `report` and `explain` show a config's own\n"
    "latest run unless given --run ID.\n\n" EXIT_DONE;

static const char *const usage_demo =
    "Usage: gevinst demo [--dir DIR] [--format text|json|csv] [-q]\n"
    "Build a sample database (synthetic data: 5 Norwegian cases and 1 Danish\n"
    "reference case) in DIR (default ./gevinst-demo) from scratch, copy the\n"
    "bundled config there as DIR/demo.cfg, run it and print the results.\n"
    "DIR/demo.db is rebuilt each time: earlier runs in it are gone.\n\n" EXIT_CODES;

static const char *const usage_new =
    "Usage: gevinst new-indicator NAME --lang c|lua [--dir DIR]\n"
    "Write a working, documented skeleton module NAME.c or NAME.lua into DIR\n"
    "(default: the current folder), and say how to build and use it.\n\n" EXIT_DONE;

/* The one place a status becomes an exit code (see EXIT_CODES). */
static int exit_code(gevinst_status status) {
    static const int codes[] = {
        [GEVINST_STATUS_OK] = 0,       [GEVINST_STATUS_PARTIAL] = 1,
        [GEVINST_STATUS_USAGE] = 2,    [GEVINST_STATUS_NOT_FOUND] = 2,
        [GEVINST_STATUS_BAD_DATA] = 3, [GEVINST_STATUS_DATABASE] = 4,
        [GEVINST_STATUS_IO] = 4,       [GEVINST_STATUS_NO_MEMORY] = 4,
    };
    unsigned i = (unsigned)status;
    return i < sizeof codes / sizeof codes[0] ? codes[i] : 4;
}

enum { EXIT_USAGE = 2 };

static void print_diag(const gevinst_diag *d) {
    for (int i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", d->msg[i]);
}

/* A failed call's message, and its exit code. */
static int failed(gevinst_status status, char *err) {
    if (err) fprintf(stderr, "gevinst: %s\n", err);
    free(err);
    return exit_code(status);
}

static int wants_help(int argc, char **argv, const char *usage) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        }
    return 0;
}

/* The command a usage text is of: "run" of "Usage: gevinst run -c ...". */
static void command_of(const char *usage, char out[32]) {
    const char *p = strstr(usage, "gevinst ");
    size_t n = p ? strcspn(p + 8, " \n") : 0;
    snprintf(out, 32, "%.*s", (int)(n < 31 ? n : 31), p ? p + 8 : "");
    if (isupper((unsigned char)out[0])) out[0] = '\0'; /* "gevinst COMMAND": no command */
}

/* One line that says what is wrong, and where to read more: the whole
** help would bury the line that matters. */
static int usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *usage, const char *fmt, ...) {
    char cmd[32];
    va_list ap;
    command_of(usage, cmd);
    fputs("gevinst: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'gevinst %s%s--help'\n", cmd, *cmd ? " " : "");
    return EXIT_USAGE;
}

/* Does the command take option a?  It does when its usage names it, by
** its short or its long name: the help and the command never disagree. */
static int takes(const char *usage, const char *a) {
    static const char *const pairs[][2] = {
        {"-c", "--config"}, {"-f", "--format"}, {"-o", "--output"}, {"-q", "--quiet"}};
    const char *other = NULL;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        for (int k = 0; k < 2; k++)
            if (strcmp(a, pairs[i][k]) == 0) other = pairs[i][1 - k];
    for (const char *names[] = {a, other}, **n = names; n < names + 2; n++) {
        size_t len = *n ? strlen(*n) : 0;
        for (const char *p = *n ? strstr(usage, *n) : NULL; p; p = strstr(p + 1, *n))
            if ((p == usage || strchr(" [|\n", p[-1])) &&
                !(isalnum((unsigned char)p[len]) || p[len] == '-'))
                return 1;
    }
    return 0;
}

/* Options shared by check, list, run and demo. */
typedef struct options {
    const char *config;
    const char *format;
    const char *dir;
    const char *lang;
    const char *run;
    const char *table;
    const char *output;
    const char *only_case, *municipality;
    int params;
    int excel;
    int no_suppress;
    int quiet;
} options;

static int parse_options(int argc, char **argv, const char *usage, options *o) {
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        char name[32], cmd[32];
        const char *eq = strchr(a, '=');
        if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof name) {
            /* --format=csv is --format csv */
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            a = name;
        } else {
            eq = NULL;
        }
        command_of(usage, cmd);
        /* an option another command takes is no option of this one: said,
           never silently ignored */
        if (a[0] == '-' && !takes(usage, a))
            return usage_error(usage, "%s takes no option '%s'", cmd, a);
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        }
        if (strcmp(a, "--no-suppress") == 0) {
            o->no_suppress = 1;
            continue;
        }
        if (strcmp(a, "--params") == 0 || strcmp(a, "--excel") == 0) {
            *(a[2] == 'p' ? &o->params : &o->excel) = 1;
            continue;
        }
        if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0)
            dst = &o->config;
        else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0)
            dst = &o->format;
        else if (strcmp(a, "--dir") == 0)
            dst = &o->dir;
        else if (strcmp(a, "--lang") == 0)
            dst = &o->lang;
        else if (strcmp(a, "--run") == 0)
            dst = &o->run;
        else if (strcmp(a, "--table") == 0)
            dst = &o->table;
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
            dst = &o->output;
        else if (strcmp(a, "--case") == 0)
            dst = &o->only_case;
        else if (strcmp(a, "--municipality") == 0)
            dst = &o->municipality;
        else if (a[0] != '-')
            return usage_error(usage, "unexpected argument '%s' (a config goes after -c)", a);
        else
            return usage_error(usage, "unknown option '%s'", a);
        if (eq) {
            *dst = eq + 1;
            continue;
        }
        if (i + 1 == argc) return usage_error(usage, "%s needs a value", a);
        *dst = argv[++i];
    }
    if ((o->only_case || o->municipality) && usage != usage_report)
        return usage_error(usage, "--case and --municipality go with 'gevinst report'%s", "");
    return 0;
}

static gevinst_config *load_config(const char *path) {
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(path, &diag);
    print_diag(&diag);
    gevinst_diag_free(&diag);
    return cfg;
}

static int cmd_init(int argc, char **argv) {
    if (wants_help(argc, argv, usage_init)) return 0;
    if (argc != 1) return usage_error(usage_init, "init takes one DB%s", "");
    char *err = NULL;
    gevinst_status rc = gevinst_db_init(argv[0], &err);
    if (rc != GEVINST_STATUS_OK) return failed(rc, err);
    printf("%s: ready\n", argv[0]);
    return 0;
}

/* `import DB --remove SOURCE` */
static int remove_source(const char *db, const char *source) {
    char *err = NULL;
    gevinst_import_result res;
    gevinst_status rc = gevinst_remove_source(db, source, &res, &err);
    if (rc == GEVINST_STATUS_OK)
        printf("source %s: %ld row%s removed\n", source, res.removed, res.removed == 1 ? "" : "s");
    gevinst_import_result_free(&res);
    return rc == GEVINST_STATUS_OK ? 0 : failed(rc, err);
}

/* What an import did to its source, in one line. */
static void print_import(const char *file, const char *kind, const gevinst_import_result *r) {
    const char *s = r->rows == 1 ? "" : "s";
    if (r->encoding)
        fprintf(stderr,
                "gevinst: note: %s is not UTF-8; it was read as %s, as Excel saves \"CSV "
                "(semikolondelt)\" (save as \"CSV UTF-8\" to leave nothing to guess)\n",
                file, r->encoding);
    if (r->wide)
        fprintf(stderr,
                "gevinst: note: %s has no metric and value columns: it was read as a wide "
                "sheet, each other column a metric and each filled cell an observation\n",
                file);
    if (r->same)
        printf("%s: unchanged since %s (source %s, %ld row%s); nothing imported\n", file, r->since,
               r->source, r->rows, s);
    else if (r->replaced)
        printf("%s: %ld row%s: %ld added, %ld changed, %ld removed, %ld unchanged (source %s)\n",
               file, r->rows, s, r->added, r->changed, r->removed, r->unchanged, r->source);
    else
        printf("%s: %ld row%s imported into %s\n", file, r->rows, s, kind);
}

static int cmd_import(int argc, char **argv) {
    if (wants_help(argc, argv, usage_import)) return 0;
    if (argc == 3 && strcmp(argv[1], "--remove") == 0) return remove_source(argv[0], argv[2]);
    gevinst_import_options opt = {NULL, NULL, NULL};
    int bad = argc < 3;
    for (int i = 3; i < argc && !bad; i += 2) {
        const char **dst = strcmp(argv[i], "--source") == 0         ? &opt.source
                           : strcmp(argv[i], "--sheet") == 0        ? &opt.sheet
                           : strcmp(argv[i], "--pseudonymise") == 0 ? &opt.key_file
                                                                    : NULL;
        bad = !dst || i + 1 == argc || *dst;
        if (!bad) *dst = argv[i + 1];
    }
    if (bad)
        return usage_error(usage_import,
                           "import takes DB KIND FILE [--source NAME] [--sheet NAME] "
                           "[--pseudonymise KEYFILE]%s",
                           "");
    if (opt.source && !*opt.source) return usage_error(usage_import, "--source needs a name%s", "");
    if (opt.sheet && !*opt.sheet) return usage_error(usage_import, "--sheet needs a name%s", "");
    char *err = NULL;
    gevinst_import_result res;
    gevinst_status rc = gevinst_import_with(argv[0], argv[1], argv[2], &opt, &res, &err);
    if (rc == GEVINST_STATUS_OK) print_import(argv[2], argv[1], &res);
    gevinst_import_result_free(&res);
    return rc == GEVINST_STATUS_OK ? 0 : failed(rc, err);
}

static int cmd_keygen(int argc, char **argv) {
    if (wants_help(argc, argv, usage_keygen)) return 0;
    if (argc != 1) return usage_error(usage_keygen, "keygen takes one FILE%s", "");
    char *err = NULL;
    gevinst_status rc = gevinst_keygen(argv[0], &err);
    if (rc == GEVINST_STATUS_OK) fprintf(stderr, "gevinst: wrote a new key to %s\n", argv[0]);
    return rc == GEVINST_STATUS_OK ? 0 : failed(rc, err);
}

static int print_source(void *ud, const gevinst_source_info *s) {
    (void)ud;
    printf("%-24s  %-14s  %8ld  %-24s  %s (sha256 %.12s)\n", s->source, s->kind, s->rows,
           s->imported, s->file, s->sha256);
    return 0;
}

static int cmd_sources(int argc, char **argv) {
    if (wants_help(argc, argv, usage_sources)) return 0;
    if (argc != 1) return usage_error(usage_sources, "sources takes one DB%s", "");
    printf("%-24s  %-14s  %8s  %-24s  %s\n", "source", "kind", "rows", "imported", "file");
    char *err = NULL;
    gevinst_status rc = gevinst_sources(argv[0], print_source, NULL, &err);
    return rc == GEVINST_STATUS_OK ? 0 : failed(rc, err);
}

static int cmd_check(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_check)) return 0;
    int rc = parse_options(argc, argv, usage_check, &o);
    if (rc) return rc;
    if (!o.config) return usage_error(usage_check, "check needs -c CONFIG%s", "");
    gevinst_diag diag = {0}; /* every problem, in one pass */
    rc = exit_code(gevinst_check_file(o.config, &diag));
    print_diag(&diag);
    int warnings = 0; /* said, but no reason to refuse the config */
    for (int i = 0; i < diag.n; i++)
        warnings += strstr(diag.msg[i], ": warning: ") != NULL;
    if (!rc && diag.n > warnings) rc = EXIT_USAGE;
    if (!rc && warnings)
        printf("%s: ok, with %d warning%s\n", o.config, warnings, warnings == 1 ? "" : "s");
    else if (!rc)
        printf("%s: ok\n", o.config);
    gevinst_diag_free(&diag);
    return rc;
}

/* One param line for `list --params`: name = value (type): help. */
static void print_param(const gevinst_param_info *p) {
    printf("    %s = ", p->name);
    if (p->type == GEVINST_TYPE_NUMBER && isnan(p->number))
        fputs("(required)", stdout);
    else if (p->type == GEVINST_TYPE_NUMBER)
        fputs(p->number_text, stdout);
    else if (!p->string)
        fputs("(required)", stdout);
    else
        printf("\"%s\"", p->string);
    printf("  (%s", p->type == GEVINST_TYPE_NUMBER ? "number" : "string");
    for (char **c = p->choices; c && *c; c++)
        printf("%s%s", c == p->choices ? ": " : " | ", *c);
    printf(")%s%s\n", p->help ? "  " : "", p->help ? p->help : "");
}

static int width_of(const char *s, int least) {
    int n = s ? (int)strlen(s) : 0;
    return n > least ? n : least;
}

/* The indicators as a table, widths fitted to the longest cell. */
static void print_indicators(const gevinst_indicator_info *list, int n, int with_params) {
    int wid = 2, wkind = 4, wunit = 4, wdesc = 11;
    for (int i = 0; i < n; i++) {
        wid = width_of(list[i].id, wid);
        wkind = width_of(list[i].kind, wkind);
        wunit = width_of(list[i].unit, wunit);
        wdesc = width_of(list[i].description, wdesc);
    }
    printf("%-*s  %-*s  %-*s  %-*s  %s\n", wid, "id", wkind, "kind", wunit, "unit", wdesc,
           "description", "from");
    for (int i = 0; i < n; i++) {
        const gevinst_indicator_info *x = &list[i];
        printf("%-*s  %-*s  %-*s  %-*s  %s\n", wid, x->id, wkind, x->kind ? x->kind : "?", wunit,
               x->unit ? x->unit : "-", wdesc, x->description, x->from);
        for (int k = 0; with_params && k < x->nparams; k++)
            print_param(&x->params[k]);
    }
}

static int cmd_list(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_list)) return 0;
    int rc = parse_options(argc, argv, usage_list, &o);
    if (rc) return rc;
    if (!o.config) return usage_error(usage_list, "list needs -c CONFIG%s", "");
    gevinst_config *cfg = load_config(o.config);
    if (!cfg) return EXIT_USAGE;
    gevinst_diag diag = {0};
    gevinst_indicator_info *list = NULL;
    int n = 0;
    rc = exit_code(gevinst_list(cfg, &list, &n, &diag));
    print_indicators(list, n, o.params);
    gevinst_list_free(list, n);
    print_diag(&diag);
    gevinst_diag_free(&diag);
    gevinst_config_free(cfg);
    return rc;
}

/* "indicator 2 of 5, 40 % of the values, about 12 s left" on stderr,
** rewritten in place, at most ten times a second, once a run has taken a
** second; only where a person watches (a terminal). */
static void show_progress(void *ud, const gevinst_progress *p) {
    double *shown_at = ud;
    if (!p->finished && (p->elapsed < 1 || p->elapsed - *shown_at < 0.1)) return;
    *shown_at = p->elapsed;
    double share = p->total ? (double)p->done / (double)p->total : 1;
    double left = share > 0 ? p->elapsed * (1 - share) / share : 0;
    fprintf(stderr, "\r\033[Kindicator %d of %d, %3.0f %% of %ld values, about %.0f s left",
            p->indicator, p->nindicators, share * 100, p->total, left);
    if (p->finished) fputs("\r\033[K", stderr);
    fflush(stderr);
}

static int run_config(gevinst_config *cfg, const char *format, int quiet, const char *usage) {
    gevinst_report_options show = {0, format, NULL, 0, NULL, 0, NULL, NULL, NULL};
    if (format && !gevinst_report_has_format(format))
        return usage_error(usage, "unknown format '%s' (text, json, csv)", format);
    if (format && strcmp(format, "html") == 0)
        return usage_error(usage, "run prints text, json or csv; for html use 'gevinst report'%s",
                           "");
    char *err = NULL;
    gevinst_diag diag = {0};
    double shown_at = 0;
    int watched = !quiet && isatty(fileno(stderr));
    gevinst_status rc =
        gevinst_run(cfg, watched ? show_progress : NULL, &shown_at, &show.run, &diag, &err);
    print_diag(&diag);
    gevinst_diag_free(&diag);
    if (rc != GEVINST_STATUS_OK && rc != GEVINST_STATUS_PARTIAL) return failed(rc, err);
    /* the run is stored: print it as `report` would */
    gevinst_status shown = gevinst_report(cfg, &show, stdout, &err);
    if (shown != GEVINST_STATUS_OK) return failed(shown, err);
    if (rc == GEVINST_STATUS_PARTIAL)
        fprintf(stderr,
                "gevinst: run %lld is stored with the problems said above; values and gains "
                "in error have status 'error'\n",
                show.run);
    return exit_code(rc);
}

static int cmd_run(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_run)) return 0;
    int rc = parse_options(argc, argv, usage_run, &o);
    if (rc) return rc;
    if (!o.config) return usage_error(usage_run, "run needs -c CONFIG%s", "");
    gevinst_config *cfg = load_config(o.config);
    if (!cfg) return EXIT_USAGE;
    rc = run_config(cfg, o.format, o.quiet, usage_run);
    gevinst_config_free(cfg);
    return rc;
}

/* -o FILE: written beside as FILE.partial, then renamed, so the file
** appears whole or not at all; a FILE that is there and no regular file
** (a device, a pipe) is written as it is, never replaced.  NULL when it
** cannot be opened (said). */
static FILE *open_output(const char *path, char **partial) {
    struct stat st;
    *partial = NULL;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        FILE *f = fopen(path, "wb");
        if (!f) fprintf(stderr, "gevinst: %s: cannot write: %s\n", path, strerror(errno));
        return f;
    }
    *partial = malloc(strlen(path) + 10);
    if (!*partial) return NULL;
    sprintf(*partial, "%s.partial", path);
    FILE *f = fopen(*partial, "wb");
    if (!f) {
        fprintf(stderr, "gevinst: %s: cannot write: %s\n", *partial, strerror(errno));
        free(*partial);
        *partial = NULL;
    }
    return f;
}

/* Done writing out: rename it into place when all went well (rc 0), else
** leave nothing; the exit code. */
static int close_output(FILE *out, const char *path, char *partial, int rc) {
    int bad = fclose(out) != 0;
    if (rc == 0 && !bad && (!partial || rename(partial, path) == 0)) {
        fprintf(stderr, "gevinst: wrote %s\n", path);
    } else {
        if (rc == 0) {
            fprintf(stderr, "gevinst: %s: cannot write: %s\n", path, strerror(errno));
            rc = exit_code(GEVINST_STATUS_IO);
        }
        if (partial) remove(partial);
    }
    free(partial);
    return rc;
}

static int cmd_report(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_report)) return 0;
    int rc = parse_options(argc, argv, usage_report, &o);
    if (rc) return rc;
    if (!o.config) return usage_error(usage_report, "report needs -c CONFIG%s", "");
    const char *fmt = o.format ? o.format : o.excel ? "csv" : "text";
    if (!gevinst_report_has_format(fmt) || strcmp(fmt, "explain") == 0)
        return usage_error(usage_report, "unknown format '%s' (text, json, csv, html, xlsx)",
                           o.format);
    if (strcmp(fmt, "xlsx") == 0 && !o.output && isatty(fileno(stdout)))
        return usage_error(usage_report, "a workbook is no text for a terminal: add -o FILE.xlsx%s",
                           "");
    char *end = NULL;
    gevinst_diag notes = {0};
    gevinst_report_options show = {
        0, fmt, o.table, o.excel, o.lang, o.no_suppress, &notes, o.only_case, o.municipality};
    show.run = o.run ? strtoll(o.run, &end, 10) : 0;
    if (o.run && (*end || show.run <= 0))
        return usage_error(usage_report, "--run takes a run number, not '%s'", o.run);
    if (o.lang && strcmp(o.lang, "nb") && strcmp(o.lang, "da") && strcmp(o.lang, "en"))
        return usage_error(usage_report, "unknown language '%s' (nb, da, en)", o.lang);
    if (o.no_suppress && strcmp(fmt, "csv") == 0)
        return usage_error(usage_report,
                           "--no-suppress: CSV has no place to say it shows small counts of "
                           "persons; use --format json or text%s",
                           "");
    if ((o.table || o.excel) && strcmp(fmt, "csv") != 0)
        return usage_error(usage_report, "--table and --excel go with --format csv%s", "");
    if (o.table && strcmp(o.table, "results") && strcmp(o.table, "gains") &&
        strcmp(o.table, "value"))
        return usage_error(usage_report, "unknown table '%s' (results, gains, value)", o.table);
    gevinst_config *cfg = load_config(o.config);
    if (!cfg) return EXIT_USAGE;
    char *err = NULL, *partial = NULL;
    FILE *out = o.output ? open_output(o.output, &partial) : stdout;
    if (!out) { /* a folder not there, say: what was named is not there */
        gevinst_config_free(cfg);
        return EXIT_USAGE;
    }
    gevinst_status shown = gevinst_report(cfg, &show, out, &err);
    for (int i = 0; i < notes.n; i++)
        fprintf(stderr, "gevinst: note: %s\n", notes.msg[i]);
    gevinst_diag_free(&notes);
    rc = failed(shown, err);
    if (o.output) rc = close_output(out, o.output, partial, rc);
    gevinst_config_free(cfg);
    return rc;
}

static const char *const usage_explain =
    "Usage: gevinst explain -c CONFIG [--run ID] [--lang nb|da|en] [--no-suppress]\n"
    "                       WHAT CASE PERIOD\n"
    "Show how one stored number was made, in the config's latest run (or run ID).\n"
    "WHAT is an indicator's id -- shown with the module, its version, hash and\n"
    "params, what the module read through gevinst and the observations there --\n"
    "or a gain's name -- shown with its plan and the arithmetic of its\n"
    "realisation and value, step by step.  In the config's report.lang unless\n"
    "--lang.\n\n" EXIT_SHOW;

static int cmd_explain(int argc, char **argv) {
    options o = {0};
    const char *words[3];
    int nwords = 0;
    if (wants_help(argc, argv, usage_explain)) return 0;
    /* the three words, then the options */
    char **rest = malloc((size_t)(argc + 1) * sizeof *rest);
    int nrest = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-') {
            if (!takes(usage_explain, argv[i])) {
                free(rest);
                return usage_error(usage_explain, "explain takes no option '%s'", argv[i]);
            }
            rest[nrest++] = argv[i];
            /* options that take a value take the next word */
            int valued = strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0 ||
                         strcmp(argv[i], "--run") == 0 || strcmp(argv[i], "--lang") == 0;
            if (valued && i + 1 < argc) rest[nrest++] = argv[++i];
        } else if (nwords < 3) {
            words[nwords++] = argv[i];
        } else {
            free(rest);
            return usage_error(usage_explain, "unexpected argument '%s'", argv[i]);
        }
    }
    int rc = parse_options(nrest, rest, usage_explain, &o);
    free(rest);
    if (rc) return rc;
    if (!o.config) return usage_error(usage_explain, "explain needs -c CONFIG%s", "");
    if (nwords != 3) return usage_error(usage_explain, "explain needs WHAT CASE PERIOD%s", "");
    char *end = NULL;
    long long id = o.run ? strtoll(o.run, &end, 10) : 0;
    if (o.run && (*end || id <= 0))
        return usage_error(usage_explain, "--run takes a run number, not '%s'", o.run);
    gevinst_config *cfg = load_config(o.config);
    if (!cfg) return EXIT_USAGE;
    char *err = NULL;
    gevinst_status told = gevinst_explain_in(cfg, id, o.lang, words[0], words[1], words[2],
                                             o.no_suppress, stdout, &err);
    rc = failed(told, err);
    gevinst_config_free(cfg);
    return rc;
}

/* The heading of the runs' table, once, when the database could be read. */
static void print_runs_heading(int *csv) {
    if (csv[1]++) return;
    if (*csv)
        puts("run,started,finished,values,no_data,errors,gains,gain_errors,config_file,"
             "config_hash,partial,incomplete,status");
    else
        printf("%4s  %-24s  %-6s  %6s  %7s  %6s  %7s  %5s  %11s  %10s  %s\n", "run", "started",
               "status", "values", "no data", "errors", "partial", "gains", "gain errors",
               "incomplete", "config");
}

/* One run a line; csv: one row a run, for programs. */
static int print_run(void *ud, const gevinst_run_info *r) {
    int *csv = ud; /* csv[1]: the heading printed */
    print_runs_heading(csv);
    /* as `run` said when it ended: errors make exit code 1 */
    const char *status = r->errors || r->gain_errors ? "errors" : "ok";
    if (*csv) {
        printf("%lld,%s,%s,%ld,%ld,%ld,%ld,%ld,", r->id, r->started, r->finished ? r->finished : "",
               r->values, r->no_data, r->errors, r->gains, r->gain_errors);
        gevinst_csv_text(stdout, r->config_file, ',');
        printf(",%s,%ld,%ld,%s\n", r->config_hash, r->partial, r->incomplete, status);
    } else
        printf("%4lld  %-24s  %-6s  %6ld  %7ld  %6ld  %7ld  %5ld  %11ld  %10ld  %s (sha256 "
               "%.12s)\n",
               r->id, r->started, status, r->values, r->no_data, r->errors, r->partial, r->gains,
               r->gain_errors, r->incomplete, r->config_file, r->config_hash);
    return 0;
}

static int cmd_runs(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_runs)) return 0;
    if (argc < 1 || argv[0][0] == '-') return usage_error(usage_runs, "runs needs a DB%s", "");
    int rc = parse_options(argc - 1, argv + 1, usage_runs, &o);
    if (rc) return rc;
    int csv[2] = {o.format && strcmp(o.format, "csv") == 0, 0};
    if (o.format && !csv[0] && strcmp(o.format, "text") != 0)
        return usage_error(usage_runs, "unknown format '%s' (text, csv)", o.format);
    char *err = NULL;
    /* the heading comes with the first run, or after all: not before an error */
    gevinst_status listed = gevinst_runs(argv[0], print_run, csv, &err);
    if (listed == GEVINST_STATUS_OK) print_runs_heading(csv);
    return listed == GEVINST_STATUS_OK ? 0 : failed(listed, err);
}

static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[8192];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) rc = -1;
    if (in && ferror(in)) rc = -1;
    if (in) fclose(in);
    if (out && fclose(out) != 0) rc = -1;
    return rc;
}

static int cmd_demo(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_demo)) return 0;
    int rc = parse_options(argc, argv, usage_demo, &o);
    if (rc) return rc;
    const char *dir = o.dir ? o.dir : "gevinst-demo";
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "gevinst: %s: cannot create folder: %s\n", dir, strerror(errno));
        return EXIT_USAGE;
    }
    const char *data = gevinst_data_dir();
    char db[4096], path[4096];
    snprintf(db, sizeof db, "%s/demo.db", dir);
    /* the demo starts from scratch every time */
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        unlink(path);
    }
    char *err = NULL;
    gevinst_status made = gevinst_db_init(db, &err);
    for (int i = 0; made == GEVINST_STATUS_OK && gevinst_import_kinds[i]; i++) {
        long rows;
        snprintf(path, sizeof path, "%s/demo/%s.csv", data, gevinst_import_kinds[i]);
        made = gevinst_import(db, gevinst_import_kinds[i], path, &rows, &err);
        if (made == GEVINST_STATUS_OK)
            fprintf(stderr, "demo: imported %ld %s\n", rows, gevinst_import_kinds[i]);
    }
    if (made != GEVINST_STATUS_OK) {
        fprintf(stderr, "gevinst: demo: %s\n", err ? err : gevinst_status_name(made));
        free(err);
        return exit_code(made);
    }
    /* the config goes beside the database, so `gevinst run -c DIR/demo.cfg`
       works afterwards and each run records the config it used */
    char from[4096];
    snprintf(from, sizeof from, "%s/demo.cfg", data);
    snprintf(path, sizeof path, "%s/demo.cfg", dir);
    if (copy_file(from, path) < 0) {
        fprintf(stderr, "gevinst: demo: cannot copy %s to %s: %s\n", from, path, strerror(errno));
        return EXIT_USAGE;
    }
    gevinst_config *cfg = load_config(path);
    if (!cfg) return EXIT_USAGE;
    fprintf(stderr, "demo: database %s, config %s (synthetic data)\n", db, path);
    rc = run_config(cfg, o.format, o.quiet, usage_demo);
    gevinst_config_free(cfg);
    return rc;
}

static const char *const usage_template =
    "Usage: gevinst template DIR [--lang nb|nn|da|en]\n"
    "Write the Excel workbook to fill in and import into DIR (made if missing):\n"
    "one sheet per kind of data, named and headed in the language (default\n"
    "English), each with an example row, a note on each column and Excel's\n"
    "checks on what it takes.  Import each sheet as it is:\n"
    "  gevinst import DB observations DIR/importmal.xlsx\n\n" EXIT_DONE;

static int cmd_template(int argc, char **argv) {
    if (wants_help(argc, argv, usage_template)) return 0;
    const char *lang = NULL;
    if (argc == 3 && strcmp(argv[1], "--lang") == 0) lang = argv[2];
    if (argc < 1 || argv[0][0] == '-' || (argc != 1 && !lang))
        return usage_error(usage_template, "template takes DIR [--lang nb|nn|da|en]%s", "");
    char *path = NULL, *err = NULL;
    gevinst_status made = gevinst_template(argv[0], lang, &path, &err);
    if (made != GEVINST_STATUS_OK) return failed(made, err);
    printf("wrote %s\n", path);
    free(path);
    return 0;
}

static int cmd_new_indicator(int argc, char **argv) {
    options o = {0};
    if (wants_help(argc, argv, usage_new)) return 0;
    if (argc < 1 || argv[0][0] == '-')
        return usage_error(usage_new, "new-indicator needs a NAME%s", "");
    int rc = parse_options(argc - 1, argv + 1, usage_new, &o);
    if (rc) return rc;
    if (!o.lang) return usage_error(usage_new, "new-indicator needs --lang c or --lang lua%s", "");
    char *path = NULL, *err = NULL;
    gevinst_status made = gevinst_new_indicator(argv[0], o.lang, o.dir ? o.dir : ".", &path, &err);
    if (made != GEVINST_STATUS_OK) return failed(made, err);
    printf("wrote %s\n", path);
    if (strcmp(o.lang, "c") == 0)
        printf("build it with:\n  cc -shared -fPIC -O2 -I%s %s -o %.*s.so\n", gevinst_include_dir(),
               path, (int)(strlen(path) - 2), path);
    printf("use it with module_path = [\"%s\"] and { id = \"%s\"; module = \"%s\"; } in a config\n",
           o.dir ? o.dir : ".", argv[0], argv[0]);
    free(path);
    return 0;
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"init", cmd_init},         {"import", cmd_import},   {"check", cmd_check},
        {"list", cmd_list},         {"run", cmd_run},         {"demo", cmd_demo},
        {"report", cmd_report},     {"explain", cmd_explain}, {"new-indicator", cmd_new_indicator},
        {"template", cmd_template}, {"runs", cmd_runs},       {"sources", cmd_sources},
        {"keygen", cmd_keygen}};
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        unsigned major, minor;
        gevinst_plugin_abi(&major, &minor);
        printf("gevinst %s (plugin ABI %u.%u)\n", gevinst_version(), major, minor);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 2, argv + 2);
    return usage_error(usage_main, "unknown command '%s'", argv[1]);
}
