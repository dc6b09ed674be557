/*
** gen-data.c -- synthetic case data at any size, in gevinst's import CSV
** format, for benchmarks and load tests.  Seeded and deterministic: the
** same arguments give the same bytes on every machine (its own PRNG).
**
**   gen-data --cases N [--years Y] [--seed S] [--out DIR]
**
** Per case and year it writes 10 observations: participants and in_work
** per quarter (4 + 4; in_work per subject), and 2 wellbeing responses.
** Per case, one gain valued in money (more participants, for the state),
** so that a run has a value and an SROI for every case; it draws no
** random numbers, so the other files are the same bytes as without it.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t state;

/* xorshift64*: tiny, fast, the same everywhere */
static uint64_t next(void) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

static long uniform(long lo, long hi) {
    return lo + (long)(next() % (uint64_t)(hi - lo + 1));
}

static FILE *open_csv(const char *dir, const char *name, const char *header) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "gen-data: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    fputs(header, f);
    return f;
}

int main(int argc, char **argv) {
    long cases = 0, years = 4, seed = 1;
    const char *out = ".";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            puts("Usage: gen-data --cases N [--years Y] [--seed S] [--out DIR]\n"
                 "Write synthetic municipalities, cases, partners, observations, inputs and\n"
                 "gains CSV files (10 observations per case and year) into DIR.");
            return 0;
        }
        if (i + 1 == argc) break;
        if (strcmp(argv[i], "--cases") == 0)
            cases = atol(argv[++i]);
        else if (strcmp(argv[i], "--years") == 0)
            years = atol(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = atol(argv[++i]);
        else if (strcmp(argv[i], "--out") == 0)
            out = argv[++i];
    }
    if (cases <= 0 || years <= 0 || years > 50) {
        fputs("gen-data: give --cases N (and --years 1..50); see --help\n", stderr);
        return 2;
    }
    mkdir(out, 0777);
    state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed;
    long nmun = cases < 100 ? cases : 100;
    static const char *const types[] = {"municipality", "civil_society", "social_enterprise",
                                        "citizens",     "business",      "research"};

    FILE *m = open_csv(out, "municipalities", "code,name,country\n");
    for (long i = 0; i < nmun; i++)
        fprintf(m, "K%04ld,Kommune %ld,%s\n", i, i, i % 10 == 9 ? "DK" : "NO");
    fclose(m);

    FILE *c = open_csv(out, "cases", "id,municipality,title,start,end,description\n");
    FILE *p = open_csv(out, "partners", "case,name,type,role\n");
    FILE *o = open_csv(out, "observations", "case,metric,period,value,unit,subject\n");
    FILE *in = open_csv(out, "inputs", "case,partner,period,kind,amount,currency\n");
    FILE *g = open_csv(out, "gains",
                       "case,gain,indicator,type,beneficiary,baseline,baseline_period,target,"
                       "target_period,quantity_basis,proxy_value,currency,price_year,deadweight,"
                       "attribution,displacement,drop_off,duration_years\n");
    for (long k = 0; k < cases; k++) {
        long mun = k % nmun;
        const char *currency = mun % 10 == 9 ? "DKK" : "NOK";
        fprintf(c, "c%07ld,K%04ld,Sak %ld,2017-01-01,%ld-12-31,synthetic\n", k, mun, k,
                2016 + years);
        fprintf(g,
                "c%07ld,more,participants,economic,state,40,2017,%ld,%ld,change,%ld,%s,%ld,"
                "0.2,0.2,0,0.3,2\n",
                k, 60 + k % 40, 2016 + years, 5000 + (k * 37) % 20000, currency, 2016 + years);
        long npartners = uniform(2, 5);
        for (long j = 0; j < npartners; j++)
            fprintf(p, "c%07ld,Partner %ld,%s,\n", k, j,
                    j == 0 ? "municipality" : types[uniform(1, 5)]);
        long base = uniform(5, 40);
        for (long y = 0; y < years; y++) {
            long year = 2017 + y;
            for (int q = 1; q <= 4; q++) {
                long n = base + y * uniform(0, 8) + uniform(0, 5);
                fprintf(o, "c%07ld,participants,%ld-Q%d,%ld,persons,\n", k, year, q, n);
                fprintf(o, "c%07ld,in_work,%ld-Q%d,%ld,persons,s%ld\n", k, year, q, uniform(0, 1),
                        uniform(1, 12));
            }
            for (int r = 0; r < 2; r++)
                fprintf(o, "c%07ld,wellbeing,%ld-06-15,%ld,score,r%d\n", k, year,
                        uniform(1 + (y > 1), 5), r + 1);
            fprintf(in, "c%07ld,Partner 0,%ld,cash,%ld,%s\n", k, year, uniform(100, 2000) * 1000,
                    currency);
            fprintf(in, "c%07ld,Partner 1,%ld,volunteer_hours,%ld,\n", k, year, uniform(0, 800));
        }
    }
    fclose(c), fclose(p), fclose(o), fclose(in), fclose(g);
    return 0;
}
