/*
** gv_json.c -- a run as one JSON document: the run, each indicator's
** results, each gain against its plan, and the value.  The gains and the
** value are built by SQLite's JSON functions from the stored rows, so the
** document says exactly what the database holds; a figure hidden for
** privacy is null, and its object says so ("suppressed": "hidden"),
** never by which rule.
*/
#include <stdlib.h>
#include <string.h>

#include "report/gv_writers.h"
#include "store/gv_store.h"

/* SQL reads best one clause a line */
/* clang-format off */
static const char gvR_gains_json[] =
    "SELECT coalesce(json_group_array(json(g)), '[]') FROM (SELECT json_patch(json_object("
    " 'case', r.case_id, 'gain', r.gain, 'period', r.period,"
    " 'indicator', json_extract(p.plan, '$.indicator'),"
    " 'type', json_extract(p.plan, '$.type'),"
    " 'beneficiary', json_extract(p.plan, '$.beneficiary'),"
    " 'owner', json_extract(p.plan, '$.owner'),"
    " 'baseline', " GVR_PLAN_SHOWN_AS("json_extract(p.plan, '$.baseline')", "NULL") ","
    " 'baseline_period', json_extract(p.plan, '$.baseline_period'),"
    " 'target', " GVR_PLAN_SHOWN_AS("json_extract(p.plan, '$.target')", "NULL") ","
    " 'target_period', json_extract(p.plan, '$.target_period'),"
    " 'actual', " GVR_SHOWN_AS("r.actual", "NULL") ","
    " 'realisation_pct', " GVR_HIDDEN_AS("r.realisation_pct", "NULL") ","
    " 'expected_pct', r.expected_pct,"
    " 'expected_value', " GVR_EXPECTED_SHOWN_AS("r.expected_value", "NULL") ","
    " 'deviation', " GVR_HIDDEN_AS("r.deviation", "NULL") ","
    " 'status', " GVR_STATUS_SHOWN ", 'error', r.error, 'coverage', r.coverage),"
    /* as in results: a hidden number is null, and the object says why */
    " CASE WHEN " GVR_ANY_HIDDEN " THEN json_object('suppressed', " GVR_GAIN_RULE ")"
    " ELSE '{}' END) AS g"
    " FROM gain_results r JOIN run_gains p USING (run, case_id, gain)" GVR_GAIN_SOURCE
    " WHERE r.run = ?1 ORDER BY r.case_id, r.gain, r.rowid)";
/* clang-format on */

/* Totals over cases grouped by `key` (municipality or country); `tkey`
** names the total in temp.gvr_case, which says when its value is hidden. */
#define GVR_TOTAL_FIGURE(name, tkey, col)                                                          \
    " '" name "', CASE WHEN " GVR_CASE_HIDDEN(tkey) " THEN NULL ELSE " col " END,"
#define GVR_TOTALS(key, tkey, extra)                                                                                                                     \
    "SELECT coalesce(json_group_array(json(t)), '[]') FROM (SELECT json_patch(json_object(" extra                                                        \
    " 'cases', count(*), 'investment', sum(v.investment)," GVR_TOTAL_FIGURE(                                                                             \
        "present_value", tkey,                                                                                                                           \
        "sum(v.present_value)") GVR_TOTAL_FIGURE("npv", tkey,                                                                                            \
                                                 "sum(v.present_value) - sum(v.investment)")                                                             \
        GVR_TOTAL_FIGURE("sroi", tkey, "sum(v.present_value) / sum(v.investment)")                                                                       \
            GVR_TOTAL_FIGURE("sroi_rounded", tkey, "ratio_rounded(sum(v.present_value) / sum(v.investment))") " 'sroi_net', CASE WHEN " GVR_CASE_HIDDEN( \
                tkey) " THEN NULL ELSE"                                                                                                                  \
                      " (sum(v.present_value) - sum(v.investment)) / sum(v.investment) END),"                                                            \
                      " CASE WHEN " GVR_CASE_HIDDEN(                                                                                                     \
                          tkey) " THEN "                                                                                                                 \
                                "json_object('suppressed',"                                                                                              \
                                " " GVR_CASE_RULE(                                                                                                       \
                                    tkey) ") ELSE '{}' END) AS t"                                                                                        \
                                          " FROM case_values v JOIN "                                                                                    \
                                          "cases c ON c.id = v.case_id"                                                                                  \
                                          " JOIN municipalities m ON "                                                                                   \
                                          "m.code = c.municipality"                                                                                      \
                                          " WHERE v.run = ?1 AND "                                                                                       \
                                          "v.error IS NULL AND NOT " GVR_CASE_HIDDEN(                                                                    \
                                              "v.case_id") " GROUP "                                                                                     \
                                                           "BY " key " ORDER BY " key ")"
/* A case's value figure: null when its value is hidden. */
#define GVR_CASE_FIGURE(col) "CASE WHEN " GVR_CASE_HIDDEN("v.case_id") " THEN NULL ELSE " col " END"

/* clang-format off */
/* null when no case was valued, as the docs say: never an empty shell */
static const char gvR_value_json[] =
    "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM case_values WHERE run = ?1) THEN 'null' ELSE"
    " json_object("
    " 'currency', (SELECT currency FROM case_values WHERE run = ?1 LIMIT 1),"
    " 'price_year', (SELECT price_year FROM case_values WHERE run = ?1 LIMIT 1),"
    " 'conversions', (SELECT coalesce(json_group_array(json_object('currency', currency,"
    "   'price_year', price_year, 'rate', rate, 'cpi_from', cpi_from, 'cpi_to', cpi_to,"
    "   'factor', factor)), '[]') FROM (SELECT * FROM run_conversions WHERE run = ?1"
    "   ORDER BY currency, price_year)),"
    " 'cases', (SELECT coalesce(json_group_array(json(c)), '[]') FROM (SELECT json_patch(json_object("
    "   'case', v.case_id, 'municipality', ca.municipality, 'country', m.country,"
    "   'discount_rate', v.discount_rate, 'investment', v.investment,"
    "   'impact_year1', " GVR_CASE_FIGURE("v.impact_year1") ","
    "   'present_value', " GVR_CASE_FIGURE("v.present_value") ","
    "   'npv', " GVR_CASE_FIGURE("v.npv") ", 'sroi', " GVR_CASE_FIGURE("v.sroi") ","
    "   'sroi_rounded', " GVR_CASE_FIGURE("ratio_rounded(v.sroi)") ","
    "   'sroi_net', " GVR_CASE_FIGURE("v.sroi_net") ","
    "   'payback_months', " GVR_CASE_FIGURE("v.payback_months") ","
    "   'scenarios', json_object('pessimistic', " GVR_CASE_FIGURE("v.sroi_pessimistic") ","
    "     'likely', " GVR_CASE_FIGURE("v.sroi_likely") ","
    "     'optimistic', " GVR_CASE_FIGURE("v.sroi_optimistic") "),"
    /* the splits add up to the present value: hidden with it */
    "   'by_beneficiary', CASE WHEN " GVR_CASE_HIDDEN("v.case_id") " THEN NULL ELSE"
    "     (SELECT json_group_object(name, present_value) FROM value_splits s"
    "     WHERE s.run = v.run AND s.case_id = v.case_id AND dimension = 'beneficiary') END,"
    "   'by_partner_type', CASE WHEN " GVR_CASE_HIDDEN("v.case_id") " THEN NULL ELSE"
    "     (SELECT json_group_object(name, present_value) FROM value_splits s"
    "     WHERE s.run = v.run AND s.case_id = v.case_id AND dimension = 'partner_type') END,"
    "   'gains', (SELECT coalesce(json_group_array(json_patch(json_object('gain', gain,"
    "     'quantity', CASE WHEN rule IS NULL THEN quantity END,"
    "     'quantity_period', quantity_period, 'proxy', proxy,"
    "     'impact_year1', CASE WHEN rule IS NULL THEN impact_year1 END,"
    "     'present_value', CASE WHEN rule IS NULL THEN present_value END),"
    "     CASE WHEN rule IS NOT NULL THEN json_object('suppressed', 'hidden') ELSE '{}' END)),"
    " '[]')"
    /* a hidden gain's value gives its quantity back; the others' values
       with the case's hidden present value do not */
    "     FROM (SELECT g.*, h.rule FROM run_gains g LEFT JOIN temp.gvr_valued h"
    "     ON h.case_id = g.case_id AND h.gain = g.gain"
    "     WHERE g.run = v.run AND g.case_id = v.case_id AND g.present_value IS NOT NULL"
    "     ORDER BY g.rowid)),"
    "   'sensitivity', (SELECT coalesce(json_group_array(json_object('assumption', assumption,"
    "     'low', low, 'sroi_low', " GVR_CASE_FIGURE("sroi_low") ", 'high', high,"
    "     'sroi_high', " GVR_CASE_FIGURE("sroi_high") ","
    "     'break_even', " GVR_CASE_FIGURE("break_even") ")), '[]') FROM (SELECT * FROM"
    "     sensitivity s WHERE s.run = v.run AND s.case_id = v.case_id ORDER BY s.rowid)),"
    /* a later period SROI passed over because its data cover only part of it */
    "   'left_out_of_sroi', (SELECT coalesce(json_group_array(json(o)), '[]') FROM"
    "     (SELECT json_object('gain', g.gain, 'period', g.left_out_period, 'coverage',"
    "     x.coverage) AS o" GVR_LEFT_OUT " AND g.case_id = v.case_id ORDER BY g.rowid)),"
    "   'error', v.error), CASE WHEN " GVR_CASE_HIDDEN("v.case_id") " THEN json_object("
    "   'suppressed', " GVR_CASE_RULE("v.case_id") ") ELSE '{}' END) AS c"
    "   FROM case_values v JOIN cases ca ON ca.id = v.case_id"
    "   JOIN municipalities m ON m.code = ca.municipality WHERE v.run = ?1 ORDER BY v.case_id)),"
    " 'municipalities', ("
    GVR_TOTALS("m.code", "'municipality:' || m.code",
               "'municipality', m.code, 'name', m.name, 'country', m.country,") "),"
    " 'countries', (" GVR_TOTALS("m.country", "'country:' || m.country", "'country', m.country,")
    ")) END";
/* clang-format on */

/* The single value a statement of JSON functions makes. */
static gv_status gvR_json_of(gv_report *r, const char *sql, char **err) {
    sqlite3_stmt *st = gvR_rows(r, sql, err);
    if (!st) return GV_DATABASE;
    int stepped = sqlite3_step(st);
    if (stepped == SQLITE_ROW) {
        fputs(gvR_text(st, 0), r->out);
        stepped = sqlite3_step(st);
    }
    return gvR_done(r, st, stepped, err);
}

/* {"run": {...}: what made it, and what privacy rule the document keeps. */
static gv_status gvR_json_run(gv_report *r, char **err) {
    sqlite3_stmt *run = gvR_rows(r,
                                 "SELECT id, started, finished, engine_version, config_file,"
                                 " config_hash FROM runs WHERE id = ?1",
                                 err);
    if (!run) return GV_DATABASE;
    int stepped = sqlite3_step(run);
    if (stepped == SQLITE_ROW) {
        static const char *const keys[] = {"started", "finished", "engine_version", "config_file",
                                           "config_hash"};
        fprintf(r->out, "{\"run\": {\"id\": %lld", r->run);
        for (int i = 0; i < 5; i++) {
            fprintf(r->out, ", \"%s\": ", keys[i]);
            gvR_json_string(r->out, (const char *)sqlite3_column_text(run, i + 1));
        }
        /* whether small counts of persons are hidden, and under what */
        fprintf(r->out, ", \"suppressed_below\": %g", r->suppress_below);
        fputs("},\n\"results\": [", r->out);
        stepped = sqlite3_step(run);
    }
    return gvR_done(r, run, stepped, err);
}

/* "results": one object a value. */
static gv_status gvR_json_results(gv_report *r, char **err) {
    sqlite3_stmt *st =
        gvR_rows(r,
                 /* whether a value is hidden, found once a row (as gv_csv.c) */
                 "SELECT r.indicator, r.case_id, r.period, r.value, i.unit, r.status,"
                 " r.error, i.module, i.module_version, h.rule IS NOT NULL,"
                 " CASE WHEN h.rule IS NOT NULL THEN 'hidden' END, r.coverage" GVR_RESULTS_IN_ORDER
                 " LEFT JOIN temp.gvr_hidden h ON h.indicator = r.indicator"
                 " AND h.case_id = r.case_id AND h.period = r.period" GVR_RESULTS_ORDER,
                 err);
    if (!st) return GV_DATABASE;
    static const char *const keys[] = {"indicator", "case",  "period", "value",         "unit",
                                       "status",    "error", "module", "module_version"};
    long n = 0;
    int stepped;
    while ((stepped = sqlite3_step(st)) == SQLITE_ROW) {
        int has_value = sqlite3_column_type(st, 3) != SQLITE_NULL;
        int small = sqlite3_column_int(st, 9); /* too small to publish */
        char value[32];
        /* a hidden value is never printed: not worth its digits */
        if (has_value && !small) gvU_format_number(sqlite3_column_double(st, 3), value);
        fputs(n++ ? ",\n  {" : "\n  {", r->out);
        for (int i = 0; i < 9; i++) {
            fputs(i ? ", \"" : "\"", r->out), fputs(keys[i], r->out), fputs("\": ", r->out);
            if (i == 3)
                fputs(has_value && !small ? value : "null", r->out);
            else
                gvR_json_string(r->out, (const char *)sqlite3_column_text(st, i));
        }
        /* how much of the period the data behind the value cover: null
           when no value, or when its module read no observation itself */
        char coverage[32] = "null";
        if (sqlite3_column_type(st, 11) != SQLITE_NULL)
            gvU_format_number(sqlite3_column_double(st, 11), coverage);
        fprintf(r->out, ", \"coverage\": %s", coverage);
        if (small) fprintf(r->out, ", \"suppressed\": \"%s\"", gvR_text(st, 10));
        fputc('}', r->out);
    }
    gv_status rc = gvR_done(r, st, stepped, err);
    if (rc == GV_OK) fputs(n ? "\n]" : "]", r->out);
    return rc;
}

gv_status gvR_write_json(gv_report *r, char **err) {
    gv_status rc = gvR_json_run(r, err);
    if (rc == GV_OK) rc = gvR_json_results(r, err);
    if (rc == GV_OK) fputs(",\n\"gains\": ", r->out), rc = gvR_json_of(r, gvR_gains_json, err);
    if (rc == GV_OK) fputs(",\n\"value\": ", r->out), rc = gvR_json_of(r, gvR_value_json, err);
    if (rc == GV_OK) fputs("}\n", r->out);
    return rc;
}
