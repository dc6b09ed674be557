#!/usr/bin/env python3
"""peers.py -- the work of tools/bench done with pandas, on the same CSV
files from tools/gen-data, for a comparison with gevinst.

  peers.py import DIR         read the five CSV files into DataFrames of the
                              same column types and keep them (pickle, DIR/pandas/)
  peers.py cset DIR OUT       the C set from the kept frames: per case and
                              year, sum of participants, mean of wellbeing,
                              100 x in_work / participants, share of subjects
                              reaching in_work >= 1; values to OUT (CSV)
  peers.py luaset DIR OUT     the first three of those (the Lua set)
  peers.py e2e DIR OUT        read the five files, compute the C set, write
                              the values to OUT as JSON

An observation lies in a year when its period does: every period form
gevinst accepts (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD) lies in the year of
its first four characters, so the year is that prefix.
"""
import os
import sys

import pandas as pd

TEXT = "string"  # pandas' own nullable text type (missing: <NA>)
# text that repeats (a case's id on its 40 rows, a metric, a period, a
# unit, a subject) as categories of text, as pandas advises for large
# files: the same values, held once each; as object strings a million
# cases take over 10 GB
CAT = "category"
TABLES = {
    "municipalities": {"code": TEXT, "name": TEXT, "country": TEXT},
    "cases": {"id": TEXT, "municipality": TEXT, "title": TEXT, "start": TEXT, "end": TEXT,
              "description": TEXT},
    "partners": {"case": TEXT, "name": TEXT, "type": TEXT, "role": TEXT},
    "observations": {"case": CAT, "metric": CAT, "period": CAT, "value": "float64",
                     "unit": CAT, "subject": CAT},
    "inputs": {"case": CAT, "partner": CAT, "period": CAT, "kind": CAT,
               "amount": "float64", "currency": CAT},
}


def read_all(d):
    return {t: pd.read_csv(os.path.join(d, t + ".csv"), dtype=types, keep_default_na=False,
                           na_values={c: [""] for c in types})
            for t, types in TABLES.items()}


def aggregates(o, share=True):
    # the year of each row from the year of each distinct period
    period = o["period"].cat
    year = period.categories.str.slice(0, 4).astype("int32").to_numpy()[period.codes.to_numpy()]
    o = o.assign(year=year)
    keys = ["case", "year"]
    by = {m: o[o["metric"] == m].groupby(keys, sort=True, observed=True)["value"]
          for m in ("participants", "wellbeing", "in_work")}
    part = by["participants"].sum()
    out = [("participants", part),
           ("wellbeing", by["wellbeing"].mean())]
    n, d = by["in_work"].sum().align(part, join="inner")
    ok = d != 0
    out.append(("work_share", n[ok] / d[ok] * 100.0))
    if share:
        w = o[(o["metric"] == "in_work") & o["subject"].notna()]
        reached = w.groupby(keys + ["subject"], sort=False, observed=True)["value"].max() >= 1
        g = reached.groupby(level=[0, 1], sort=True)
        out.append(("reached", g.sum() / g.size() * 100.0))
    frames = []
    for name, s in out:
        f = s.rename("value").reset_index()
        f["case"] = f["case"].astype(TEXT)
        f["year"] = f["year"].astype(TEXT)
        f.insert(0, "indicator", name)
        frames.append(f.rename(columns={"year": "period"}))
    return pd.concat(frames, ignore_index=True)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("import", "cset", "luaset", "e2e"):
        sys.stderr.write("usage: peers.py import|cset|luaset|e2e DIR [OUT]\n")
        return 2
    mode, d = argv[1], argv[2]
    store = os.path.join(d, "pandas")
    if mode == "import":
        os.makedirs(store, exist_ok=True)
        for t, f in read_all(d).items():
            f.to_pickle(os.path.join(store, t + ".pkl"))
    elif mode in ("cset", "luaset"):
        o = pd.read_pickle(os.path.join(store, "observations.pkl"))
        aggregates(o, share=mode == "cset").to_csv(argv[3], index=False)
    else:
        frames = read_all(d)
        aggregates(frames["observations"]).to_json(argv[3], orient="records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
