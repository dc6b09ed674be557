/*
** gv_workbook.c -- one sheet of an Excel workbook (.xlsx) read as rows of
** text fields, for import to check as it checks a CSV file's.  The
** container is a zip (libzip), its parts XML (expat, a streaming parser:
** a sheet of a million rows is read, never held).  A cell becomes the
** text a person typed: a number as Excel stores it, a date (a number in a
** date format) as YYYY-MM-DD, a text as itself; rows keep Excel's numbers,
** so a problem's FILE:ROW:COLUMN is the cell Excel shows.
*/
#include <ctype.h>
#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "store/gv_store.h"

/* No part of a workbook an analyst keeps comes near these; a zip that
** unpacks to more is refused, not read. */
#define GVB_PART_MAX ((zip_uint64_t)256 << 20) /* a part read whole */
#define GVB_SHEET_MAX ((zip_uint64_t)4 << 30)  /* a sheet, streamed */
#define GVB_MAXCOL 16384                       /* Excel's own last column, XFD */
#define GVB_MAXROW 1048576L                    /* and its last row */
#define GVB_CELL_MAX (1 << 20)                 /* a cell's text: Excel holds 32,767 characters */
#define GVB_STRINGS_MAX 4000000 /* shared strings: more than a sheet of an analyst's */
#define GVB_SHEETS_MAX 10000

typedef struct gvB_book {
    zip_t *zip;
    XML_Parser parser; /* the part being read, to stop at a fault */
    const char *path;
    char **sheet_name, **sheet_rel; /* in the workbook's order */
    int nsheet;
    char **rel_id, **rel_target;
    int nrel;
    char **strings; /* the shared strings */
    long nstring, capstring;
    int *xf_date; /* by cell style: is its number a date */
    int nxf;
    int *fmt_date_id; /* custom number formats that are dates */
    int nfmt;
    int date1904;
    char *err;
} gvB_book;

/* ------------------------------------------------------------ XML reading */

/* A tag's name without its namespace prefix: "x:row" is "row". */
static const char *gvB_local(const char *name) {
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static const char *gvB_attr(const char **atts, const char *name) {
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(gvB_local(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

/* A fault of the workbook's content: said once, and the reading stops. */
static void gvB_fail(gvB_book *b, const char *fmt, const char *arg, long n) {
    if (!b->err) b->err = gvU_mprintf(fmt, b->path, arg, n);
    if (b->parser) XML_StopParser(b->parser, XML_FALSE);
}

/* Feed part `name` of the zip to parser p; 0, or -1 with b->err.  A
** missing part is 1 when `optional`. */
static int gvB_parse_part(gvB_book *b, const char *name, XML_Parser p, zip_uint64_t max,
                          int optional) {
    zip_stat_t st;
    zip_file_t *f = NULL;
    if (zip_stat(b->zip, name, 0, &st) < 0 || !(f = zip_fopen(b->zip, name, 0))) {
        if (optional) return 1;
        b->err = gvU_mprintf("%s: not an Excel workbook (it has no %s)", b->path, name);
        return -1;
    }
    char buf[65536];
    zip_int64_t n;
    zip_uint64_t total = 0;
    int rc = 0;
    b->parser = p;
    while (rc == 0 && (n = zip_fread(f, buf, sizeof buf)) >= 0) {
        total += (zip_uint64_t)n;
        if (total > max) {
            b->err = gvU_mprintf("%s: %s unpacks to more than %llu MB; refused", b->path, name,
                                 (unsigned long long)(max >> 20));
            rc = -1;
        } else if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (!b->err)
                b->err = gvU_mprintf("%s: %s line %lu: %s", b->path, name,
                                     (unsigned long)XML_GetCurrentLineNumber(p),
                                     XML_ErrorString(XML_GetErrorCode(p)));
            rc = -1;
        }
        if (n == 0) break;
    }
    if (rc == 0 && n < 0) {
        b->err = gvU_mprintf("%s: %s: %s", b->path, name, zip_file_strerror(f));
        rc = -1;
    }
    zip_fclose(f);
    return rc;
}

static char **gvB_push(char **list, int *n, const char *s) {
    list = gvU_realloc(list, (size_t)(*n + 1) * sizeof *list);
    list[(*n)++] = gvU_strdup(s ? s : "");
    return list;
}

/* workbook.xml: the sheets; _rels: where each is */
static void XMLCALL gvB_workbook_start(void *ud, const char *el, const char **atts) {
    gvB_book *b = ud;
    const char *name = gvB_local(el);
    if (strcmp(name, "sheet") == 0) {
        int n = b->nsheet;
        if (n == GVB_SHEETS_MAX) {
            gvB_fail(b, "%s: more sheets than a workbook %s (%ld)", "can hold here", n);
            return;
        }
        b->sheet_name = gvB_push(b->sheet_name, &n, gvB_attr(atts, "name"));
        b->sheet_rel = gvB_push(b->sheet_rel, &b->nsheet, gvB_attr(atts, "id"));
    } else if (strcmp(name, "workbookPr") == 0) {
        const char *d = gvB_attr(atts, "date1904");
        b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(name, "Relationship") == 0) {
        int n = b->nrel;
        b->rel_id = gvB_push(b->rel_id, &n, gvB_attr(atts, "Id"));
        b->rel_target = gvB_push(b->rel_target, &b->nrel, gvB_attr(atts, "Target"));
    }
}

/* Is a number format's code a date's?  It is when it has a day, month or
** year outside quotes and brackets ([Red], [$-414]). */
static int gvB_date_code(const char *code) {
    int quoted = 0, bracket = 0;
    for (const char *c = code; *c; c++) {
        if (*c == '"') quoted = !quoted;
        if (quoted) continue;
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (*c == '[') bracket = 1;
        if (*c == ']') bracket = 0;
        if (!bracket && strchr("dDmMyY", *c)) return 1;
    }
    return 0;
}

/* Excel's built-in date formats. */
static int gvB_date_id(int id) {
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

typedef struct gvB_styles {
    gvB_book *b;
    int in_xfs;
} gvB_styles;

static void XMLCALL gvB_styles_start(void *ud, const char *el, const char **atts) {
    gvB_styles *s = ud;
    gvB_book *b = s->b;
    const char *name = gvB_local(el);
    if (strcmp(name, "numFmt") == 0) {
        const char *id = gvB_attr(atts, "numFmtId"), *code = gvB_attr(atts, "formatCode");
        if (id && code && gvB_date_code(code)) {
            b->fmt_date_id = gvU_realloc(b->fmt_date_id, (size_t)(b->nfmt + 1) * sizeof(int));
            b->fmt_date_id[b->nfmt++] = atoi(id);
        }
    } else if (strcmp(name, "cellXfs") == 0) {
        s->in_xfs = 1;
    } else if (strcmp(name, "xf") == 0 && s->in_xfs) {
        const char *id = gvB_attr(atts, "numFmtId");
        int fmt = id ? atoi(id) : 0, date = gvB_date_id(fmt);
        for (int i = 0; i < b->nfmt && !date; i++)
            date = b->fmt_date_id[i] == fmt;
        b->xf_date = gvU_realloc(b->xf_date, (size_t)(b->nxf + 1) * sizeof(int));
        b->xf_date[b->nxf++] = date;
    }
}

static void XMLCALL gvB_styles_end(void *ud, const char *el) {
    gvB_styles *s = ud;
    if (strcmp(gvB_local(el), "cellXfs") == 0) s->in_xfs = 0;
}

/* sharedStrings.xml: each <si> is one string, the text of its <t>s
** (a string in several runs of formatting has several), phonetic
** guides (<rPh>) left out. */
typedef struct gvB_strings {
    gvB_book *b;
    gvU_buf text;
    int in_t, in_rph;
} gvB_strings;

static void XMLCALL gvB_strings_start(void *ud, const char *el, const char **atts) {
    gvB_strings *s = ud;
    (void)atts;
    const char *name = gvB_local(el);
    if (strcmp(name, "si") == 0) s->text.len = 0;
    if (strcmp(name, "rPh") == 0) s->in_rph = 1;
    if (strcmp(name, "t") == 0 && !s->in_rph) s->in_t = 1;
}

static void XMLCALL gvB_strings_end(void *ud, const char *el) {
    gvB_strings *s = ud;
    gvB_book *b = s->b;
    const char *name = gvB_local(el);
    if (strcmp(name, "t") == 0) s->in_t = 0;
    if (strcmp(name, "rPh") == 0) s->in_rph = 0;
    if (strcmp(name, "si") != 0) return;
    if (b->nstring == GVB_STRINGS_MAX) {
        gvB_fail(b, "%s: more shared strings than %s (%ld)", "import reads", GVB_STRINGS_MAX);
        return;
    }
    if (b->nstring == b->capstring) {
        b->capstring = b->capstring ? 2 * b->capstring : 256;
        b->strings = gvU_realloc(b->strings, (size_t)b->capstring * sizeof *b->strings);
    }
    gvU_buf_puts(&s->text, "");
    b->strings[b->nstring++] = gvU_strdup(s->text.s);
}

static void XMLCALL gvB_strings_text(void *ud, const char *text, int len) {
    gvB_strings *s = ud;
    if (!s->in_t) return;
    if (s->text.len + (size_t)len > GVB_CELL_MAX)
        gvB_fail(s->b, "%s: a text longer than %s (%ld bytes)", "a cell holds", GVB_CELL_MAX);
    else
        gvU_buf_add(&s->text, text, (size_t)len);
}

/* Parse part `name` with handlers; 0, or -1 with b->err. */
static int gvB_read_part(gvB_book *b, const char *name, void *ud, XML_StartElementHandler start,
                         XML_EndElementHandler end, XML_CharacterDataHandler text, int optional) {
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        b->err = gvU_mprintf("%s: out of memory", b->path);
        return -1;
    }
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (text) XML_SetCharacterDataHandler(p, text);
    int rc = gvB_parse_part(b, name, p, GVB_PART_MAX, optional);
    XML_ParserFree(p);
    return rc < 0 ? -1 : 0;
}

static void XMLCALL gvB_no_end(void *ud, const char *el) {
    (void)ud;
    (void)el;
}

/* ---------------------------------------------------------------- a sheet */

typedef struct gvB_sheetread {
    gvB_book *b;
    gvB_field_fn field;
    gvB_row_fn row;
    void *ud;
    long next_row;  /* the Excel row the next record is */
    int col;        /* cells given so far in this row */
    int cell_col;   /* the cell's column (0-based) */
    int cell_style; /* its style: a date? */
    char cell_type[12];
    int in_value, in_cell;
    gvU_buf value;
    /* the row's cells, held until the row ends: empty cells at its end
       are no fields (a sheet formatted further than it is filled) */
    gvU_buf *cells;
    int ncells, capcells;
    int stop; /* the caller has had enough */
} gvB_sheetread;

/* "C12" -> column 2 (0-based); -1 when it is no cell reference. */
static int gvB_column_of(const char *ref) {
    int col = 0, letters = 0;
    for (; ref && isupper((unsigned char)*ref) && col <= GVB_MAXCOL; ref++, letters++)
        col = col * 26 + (*ref - 'A' + 1);
    return letters && col <= GVB_MAXCOL && isdigit((unsigned char)*ref) ? col - 1 : -1;
}

/* Days since Excel's epoch as YYYY-MM-DD (and the time, when it has one). */
static void gvB_date_text(double serial, int date1904, char *out, size_t size) {
    /* 1900 system: serial 1 is 1900-01-01, and Excel counts a 29 February
       1900 that never was, so from 61 on day 0 is 1899-12-30 */
    long days = (long)floor(serial);
    double frac = serial - (double)days;
    long base = date1904 ? 1462 : days < 61 ? 1 : 0;
    /* civil date from days since 1899-12-30 (+base), Howard Hinnant's method */
    long z = days + base - 25569 + 719468; /* 25569: 1899-12-30 to 1970-01-01 */
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    long seconds = lround(frac * 86400);
    if (seconds == 0)
        snprintf(out, size, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    else
        snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d", (int)y, (int)m, (int)d,
                 (int)(seconds / 3600), (int)(seconds / 60 % 60), (int)(seconds % 60));
}

/* The text of the cell just read, as a person typed it. */
static const char *gvB_cell_text(gvB_sheetread *s, char *date, size_t size) {
    gvB_book *b = s->b;
    gvU_buf_puts(&s->value, "");
    const char *v = s->value.s, *t = s->cell_type;
    if (strcmp(t, "s") == 0) {
        char *end;
        long i = strtol(v, &end, 10);
        return *end == '\0' && i >= 0 && i < b->nstring ? b->strings[i] : "";
    }
    if (strcmp(t, "d") == 0 && strlen(v) >= 10) { /* an ISO date, as written */
        snprintf(date, size, "%.10s", v);
        return date;
    }
    if (t[0] == '\0' || strcmp(t, "n") == 0) {
        char *end;
        double x = strtod(v, &end);
        if (*v && *end == '\0' && s->cell_style >= 0 && s->cell_style < b->nxf &&
            b->xf_date[s->cell_style] && x >= 1 && x < 2958466) {
            gvB_date_text(x, b->date1904, date, size);
            return date;
        }
    }
    return v; /* a number, a formula's text, a boolean (1/0), an error (#N/A) */
}

static void gvB_cell_put(gvB_sheetread *s, int col, const char *text) {
    if (col >= s->capcells) {
        int cap = s->capcells ? s->capcells : 16;
        while (cap <= col)
            cap *= 2;
        s->cells = gvU_realloc(s->cells, (size_t)cap * sizeof *s->cells);
        memset(s->cells + s->capcells, 0, (size_t)(cap - s->capcells) * sizeof *s->cells);
        s->capcells = cap;
    }
    for (int i = s->ncells; i <= col; i++)
        s->cells[i].len = 0;
    s->cells[col].len = 0;
    gvU_buf_puts(&s->cells[col], text);
    if (col >= s->ncells) s->ncells = col + 1;
}

/* The row is complete: its fields, up to its last cell that holds something. */
static void gvB_row_end(gvB_sheetread *s) {
    int last = s->ncells;
    while (last > 0 && s->cells[last - 1].len == 0)
        last--;
    for (int i = 0; i < last && !s->stop; i++) {
        gvU_buf_puts(&s->cells[i], "");
        s->stop = s->field(s->cells[i].s, s->cells[i].len, s->ud);
    }
    if (!s->stop) s->stop = s->row(s->ud);
    s->ncells = 0;
    s->next_row++;
}

static void XMLCALL gvB_sheet_start(void *ud, const char *el, const char **atts) {
    gvB_sheetread *s = ud;
    const char *name = gvB_local(el);
    if (s->stop) return;
    if (strcmp(name, "row") == 0) {
        const char *r = gvB_attr(atts, "r");
        char *end = NULL;
        long n = r ? strtol(r, &end, 10) : s->next_row;
        /* rows come in order, none past Excel's last: a row number is no loop count */
        if ((r && (*end || end == r)) || n < s->next_row || n > GVB_MAXROW) {
            s->stop = 1;
            gvB_fail(s->b, "%s: a row numbered '%s' (after row %ld): not a sheet Excel wrote",
                     r ? r : "", s->next_row - 1);
            return;
        }
        while (s->next_row < n && !s->stop) /* rows Excel left out are empty */
            gvB_row_end(s);
        s->col = 0;
    } else if (strcmp(name, "c") == 0) {
        const char *ref = gvB_attr(atts, "r"), *t = gvB_attr(atts, "t"), *st = gvB_attr(atts, "s");
        int col = ref ? gvB_column_of(ref) : s->col;
        if (col < 0 || col < s->col) { /* out of Excel's sheet, or back in the row */
            s->stop = 1;
            gvB_fail(s->b, "%s: a cell '%s' in row %ld: not a sheet Excel wrote", ref, s->next_row);
            return;
        }
        s->cell_col = col;
        snprintf(s->cell_type, sizeof s->cell_type, "%s", t ? t : "");
        s->cell_style = st ? atoi(st) : -1;
        s->value.len = 0;
        s->in_cell = 1;
    } else if (s->in_cell && (strcmp(name, "v") == 0 || strcmp(name, "t") == 0)) {
        s->in_value = 1;
    }
}

static void XMLCALL gvB_sheet_end(void *ud, const char *el) {
    gvB_sheetread *s = ud;
    const char *name = gvB_local(el);
    if (s->stop) return;
    if (strcmp(name, "v") == 0 || strcmp(name, "t") == 0) {
        s->in_value = 0;
    } else if (strcmp(name, "c") == 0) {
        char date[64];
        if (s->cell_col < GVB_MAXCOL)
            gvB_cell_put(s, s->cell_col, gvB_cell_text(s, date, sizeof date));
        s->col = s->cell_col + 1;
        s->in_cell = 0;
    } else if (strcmp(name, "row") == 0) {
        gvB_row_end(s);
    }
}

static void XMLCALL gvB_sheet_text(void *ud, const char *text, int len) {
    gvB_sheetread *s = ud;
    if (!s->in_value || s->stop) return;
    if (s->value.len + (size_t)len > GVB_CELL_MAX) {
        s->stop = 1;
        gvB_fail(s->b, "%s: a cell longer than %s (%ld bytes)", "Excel writes", GVB_CELL_MAX);
        return;
    }
    gvU_buf_add(&s->value, text, (size_t)len);
}

/* ------------------------------------------------------------- the book */

static void gvB_free_list(char **list, int n) {
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static void gvB_close(gvB_book *b) {
    gvB_free_list(b->sheet_name, b->nsheet);
    gvB_free_list(b->sheet_rel, b->nsheet);
    gvB_free_list(b->rel_id, b->nrel);
    gvB_free_list(b->rel_target, b->nrel);
    for (long i = 0; i < b->nstring; i++)
        free(b->strings[i]);
    free(b->strings);
    free(b->xf_date);
    free(b->fmt_date_id);
    if (b->zip) zip_discard(b->zip);
}

/* Open the workbook and read what every sheet needs (`cells`: also what
** its cells need, the styles and shared strings). */
static int gvB_open(gvB_book *b, const char *path, int cells) {
    int ze = 0;
    memset(b, 0, sizeof *b);
    b->path = path;
    b->zip = zip_open(path, ZIP_RDONLY, &ze);
    if (!b->zip) {
        zip_error_t e;
        zip_error_init_with_code(&e, ze);
        b->err =
            gvU_mprintf("%s: not a workbook that can be read: %s", path, zip_error_strerror(&e));
        zip_error_fini(&e);
        return -1;
    }
    gvB_styles styles = {b, 0};
    gvB_strings strings = {b, {0}, 0, 0};
    int rc = gvB_read_part(b, "xl/workbook.xml", b, gvB_workbook_start, gvB_no_end, NULL, 0);
    if (rc == 0)
        rc = gvB_read_part(b, "xl/_rels/workbook.xml.rels", b, gvB_workbook_start, gvB_no_end, NULL,
                           0);
    if (rc == 0 && cells)
        rc = gvB_read_part(b, "xl/styles.xml", &styles, gvB_styles_start, gvB_styles_end, NULL, 1);
    if (rc == 0 && cells)
        rc = gvB_read_part(b, "xl/sharedStrings.xml", &strings, gvB_strings_start, gvB_strings_end,
                           gvB_strings_text, 1);
    free(strings.text.s);
    if (rc == 0 && b->nsheet == 0) {
        b->err = gvU_mprintf("%s: the workbook has no sheets", path);
        rc = -1;
    }
    return rc;
}

/* The sheets' names, "A, B, C" (malloc'd). */
static char *gvB_sheet_list(const gvB_book *b) {
    gvU_buf list = {0};
    for (int i = 0; i < b->nsheet; i++)
        gvU_buf_printf(&list, "%s'%s'", i ? ", " : "", b->sheet_name[i]);
    return gvU_buf_take(&list);
}

/* Which sheet: the one named, else the one named for the kind (in any
** language import knows), else the only one. */
static int gvB_choose(gvB_book *b, const char *sheet, const char *const *names) {
    for (int i = 0; sheet && i < b->nsheet; i++)
        if (strcasecmp(b->sheet_name[i], sheet) == 0) return i;
    for (int i = 0; !sheet && i < b->nsheet; i++)
        for (int k = 0; names && names[k]; k++)
            if (strcasecmp(b->sheet_name[i], names[k]) == 0) return i;
    if (!sheet && b->nsheet == 1) return 0;
    char *list = gvB_sheet_list(b);
    if (sheet)
        b->err = gvU_mprintf("%s: no sheet '%s' (the sheets: %s)", b->path, sheet, list);
    else
        b->err = gvU_mprintf("%s: which sheet? none is named '%s'; name one with --sheet "
                             "(the sheets: %s)",
                             b->path, names && names[0] ? names[0] : "", list);
    free(list);
    return -1;
}

/* The zip part of sheet i: its relationship's target, under xl/. */
static char *gvB_sheet_part(const gvB_book *b, int i) {
    for (int k = 0; k < b->nrel; k++) {
        if (strcmp(b->rel_id[k], b->sheet_rel[i]) != 0) continue;
        const char *t = b->rel_target[k];
        return t[0] == '/' ? gvU_strdup(t + 1) : gvU_mprintf("xl/%s", t);
    }
    return NULL;
}

int gvB_read(const char *path, const char *sheet, const char *const *names, gvB_field_fn field,
             gvB_row_fn row, void *ud, char **chosen, char **err) {
    gvB_book b;
    *chosen = NULL;
    int i = -1, rc = gvB_open(&b, path, 1);
    if (rc == 0) rc = (i = gvB_choose(&b, sheet, names)) < 0 ? -1 : 0;
    char *part = rc == 0 ? gvB_sheet_part(&b, i) : NULL;
    if (rc == 0 && !part) {
        b.err =
            gvU_mprintf("%s: sheet '%s' cannot be found in the workbook", path, b.sheet_name[i]);
        rc = -1;
    }
    XML_Parser p = rc == 0 ? XML_ParserCreate(NULL) : NULL;
    if (rc == 0 && !p) {
        b.err = gvU_mprintf("%s: out of memory", path);
        rc = -1;
    }
    if (rc == 0) {
        gvB_sheetread s;
        memset(&s, 0, sizeof s);
        s.b = &b, s.field = field, s.row = row, s.ud = ud, s.next_row = 1;
        XML_SetUserData(p, &s);
        XML_SetElementHandler(p, gvB_sheet_start, gvB_sheet_end);
        XML_SetCharacterDataHandler(p, gvB_sheet_text);
        rc = gvB_parse_part(&b, part, p, GVB_SHEET_MAX, 0);
        for (int k = 0; k < s.capcells; k++)
            free(s.cells[k].s);
        free(s.cells);
        free(s.value.s);
        *chosen = gvU_strdup(b.sheet_name[i]);
    }
    if (p) XML_ParserFree(p);
    free(part);
    *err = b.err;
    b.err = NULL;
    gvB_close(&b);
    return rc;
}

int gvB_sheet(const char *path, const char *sheet, const char *const *names, char **chosen,
              char **err) {
    gvB_book b;
    int i = -1, rc = gvB_open(&b, path, 0);
    if (rc == 0) rc = (i = gvB_choose(&b, sheet, names)) < 0 ? -1 : 0;
    *chosen = rc == 0 ? gvU_strdup(b.sheet_name[i]) : NULL;
    *err = b.err;
    b.err = NULL;
    gvB_close(&b);
    return rc;
}

int gvB_is_workbook(FILE *f) {
    unsigned char magic[4] = {0};
    size_t n = fread(magic, 1, 4, f);
    rewind(f);
    return n == 4 && memcmp(magic, "PK\3\4", 4) == 0;
}
