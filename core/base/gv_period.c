/*
** gv_period.c -- reporting periods (see gv_period.h).
*/
#include "gv_base.h"

#include <stdio.h>
#include <string.h>

static int gvP_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int gvP_month_days(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && gvP_leap(year) ? 29 : days[month - 1];
}

/* Read exactly n digits. */
static int gvP_digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "YYYY-MM-DD" into out (11 bytes); by hand, as import does it per row. */
static void gvP_date(char *out, int y, int m, int d) {
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
    out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = '\0';
}

/* Fill text, start and end from kind/year/index/day. */
static void gvP_fill(gv_period *p) {
    int m0 = 1, m1 = 12, d0 = 1, d1;
    switch (p->kind) {
    case GV_YEAR:
        gvP_date(p->text, p->year, 1, 1);
        p->text[4] = '\0';
        break;
    case GV_QUARTER:
        gvP_date(p->text, p->year, 1, 1);
        p->text[5] = 'Q', p->text[6] = (char)('0' + p->index), p->text[7] = '\0';
        m0 = 3 * p->index - 2, m1 = 3 * p->index;
        break;
    case GV_MONTH:
        gvP_date(p->text, p->year, p->index, 1);
        p->text[7] = '\0';
        m0 = m1 = p->index;
        break;
    case GV_DAY:
        gvP_date(p->text, p->year, p->index, p->day);
        m0 = m1 = p->index;
        d0 = p->day;
        break;
    }
    d1 = p->kind == GV_DAY ? p->day : gvP_month_days(p->year, m1);
    gvP_date(p->start, p->year, m0, d0);
    gvP_date(p->end, p->year, m1, d1);
}

int gvP_parse(const char *s, gv_period *p) {
    memset(p, 0, sizeof *p);
    size_t n = strlen(s);
    if (n < 4 || gvP_digits(s, 4, &p->year) < 0 || p->year < 1000) return -1;
    if (n == 4) {
        p->kind = GV_YEAR;
    } else if (n == 7 && s[4] == '-' && s[5] == 'Q') {
        if (s[6] < '1' || s[6] > '4') return -1;
        p->kind = GV_QUARTER;
        p->index = s[6] - '0';
    } else if (n == 7 && s[4] == '-') {
        if (gvP_digits(s + 5, 2, &p->index) < 0 || p->index < 1 || p->index > 12) return -1;
        p->kind = GV_MONTH;
    } else if (n == 10 && s[4] == '-' && s[7] == '-') {
        if (gvP_digits(s + 5, 2, &p->index) < 0 || p->index < 1 || p->index > 12) return -1;
        if (gvP_digits(s + 8, 2, &p->day) < 0 || p->day < 1 ||
            p->day > gvP_month_days(p->year, p->index))
            return -1;
        p->kind = GV_DAY;
    } else {
        return -1;
    }
    gvP_fill(p);
    return 0;
}

/* Days since 0000-03-01 in the proleptic Gregorian calendar. */
static long gvP_day_number(int y, int m, int d) {
    if (m <= 2) y--, m += 12;
    return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

static void gvP_from_day_number(long n, int *y, int *m, int *d) {
    /* inverse of gvP_day_number, by search over the year: simple and exact */
    int yy = (int)(n / 366);
    while (gvP_day_number(yy + 1, 3, 1) <= n)
        yy++;
    long doy = n - gvP_day_number(yy, 3, 1);
    int mm = 3;
    while (doy >= gvP_month_days(mm > 12 ? yy + 1 : yy, mm > 12 ? mm - 12 : mm)) {
        doy -= gvP_month_days(mm > 12 ? yy + 1 : yy, mm > 12 ? mm - 12 : mm);
        mm++;
    }
    *y = mm > 12 ? yy + 1 : yy;
    *m = mm > 12 ? mm - 12 : mm;
    *d = (int)doy + 1;
}

void gvP_advance(const gv_period *p, int steps, gv_period *out) {
    *out = *p;
    switch (p->kind) {
    case GV_YEAR:
        out->year += steps;
        break;
    case GV_QUARTER:
    case GV_MONTH: {
        int per_year = p->kind == GV_QUARTER ? 4 : 12;
        int i = p->year * per_year + (p->index - 1) + steps;
        out->year = i / per_year;
        out->index = i % per_year + 1;
        break;
    }
    case GV_DAY:
        gvP_from_day_number(gvP_day_number(p->year, p->index, p->day) + steps, &out->year,
                            &out->index, &out->day);
        break;
    }
    gvP_fill(out);
}

int gvP_compare(const gv_period *a, const gv_period *b) {
    int c = strcmp(a->start, b->start);
    return c ? c : strcmp(a->end, b->end);
}

int gvP_days(const gv_period *p) {
    int y0, m0, d0, y1, m1, d1;
    sscanf(p->start, "%d-%d-%d", &y0, &m0, &d0);
    sscanf(p->end, "%d-%d-%d", &y1, &m1, &d1);
    return (int)(gvP_day_number(y1, m1, d1) - gvP_day_number(y0, m0, d0)) + 1;
}

long gvP_day_of(const char *ymd) {
    int y, m, d;
    if (sscanf(ymd, "%d-%d-%d", &y, &m, &d) != 3) return 0;
    return gvP_day_number(y, m, d);
}

int gvP_holds(const gv_period *p, const char *start, const char *end) {
    /* ISO days compare as text */
    return strcmp(start, p->start) >= 0 && strcmp(end, p->end) <= 0;
}

int gvP_contains(const gv_period *outer, const gv_period *inner) {
    return gvP_holds(outer, inner->start, inner->end);
}
