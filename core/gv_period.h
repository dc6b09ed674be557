/*
** gv_period.h -- reporting periods: YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD.
**
** A period is a closed range of days.  An observation counts in a period
** when its own range lies inside it, so 2017-09-15 counts in 2017-09,
** 2017-Q3 and 2017, and a yearly figure never counts in a quarter.
*/
#ifndef GV_PERIOD_H
#define GV_PERIOD_H

typedef enum { GV_YEAR, GV_QUARTER, GV_MONTH, GV_DAY } gv_period_kind;

typedef struct gv_period {
    gv_period_kind kind;
    int year;
    int index;      /* quarter 1..4 or month 1..12; 0 for a year */
    int day;        /* 1..31 for a day, else 0 */
    char text[12];  /* canonical spelling: "2017-Q3" */
    char start[11]; /* first day, "YYYY-MM-DD" */
    char end[11];   /* last day */
} gv_period;

/* Parse s strictly; 0 on success, -1 when it is no period. */
int gvP_parse(const char *s, gv_period *p);
/* The period `steps` periods of the same kind after p. */
void gvP_advance(const gv_period *p, int steps, gv_period *out);
/* Compare two periods of the same kind: <0, 0, >0. */
int gvP_compare(const gv_period *a, const gv_period *b);
/* Number of days in the period. */
int gvP_days(const gv_period *p);
/* Does outer contain inner (inner's range within outer's)? */
int gvP_contains(const gv_period *outer, const gv_period *inner);
/* A day "YYYY-MM-DD" as a day number, for differences in days. */
long gvP_day_of(const char *ymd);
/* Days in a month of a year. */
int gvP_month_days(int year, int month);

#define GV_PERIOD_FORMS "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"

#endif
