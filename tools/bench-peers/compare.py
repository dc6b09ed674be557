#!/usr/bin/env python3
"""compare.py -- do a peer's values agree with gevinst's?

  compare.py GEVINST.db PEER.csv|PEER.json [NAME]

Reads the latest run's values from the gevinst database (the `results`
table: every value as `run --format csv` prints it, but without the
privacy rule, which hides small counts in print) and a peer's values
(indicator, case, period, value; CSV or a JSON array), and says on
standard error how many agree; a value missing on one side, or differing
by more than 1e-9 relative, is a mismatch.  Exit status 1 on a mismatch.
Standard library only.
"""
import csv
import json
import sqlite3
import sys


def main(argv):
    if len(argv) < 3:
        sys.stderr.write("usage: compare.py GEVINST.db PEER.csv|PEER.json [NAME]\n")
        return 2
    name = argv[3] if len(argv) > 3 else argv[2]
    db = sqlite3.connect("file:%s?mode=ro" % argv[1], uri=True)
    g = {(i, c, p): v for i, c, p, v in db.execute(
        "SELECT indicator, case_id, period, value FROM results"
        " WHERE run = (SELECT max(run) FROM results) AND status = 'ok' AND value IS NOT NULL")}
    if argv[2].endswith(".json"):
        with open(argv[2]) as f:
            rows = json.load(f)
    else:
        with open(argv[2], newline="") as f:
            rows = list(csv.DictReader(f))
    peer = {(r["indicator"], r["case"], str(r["period"])): float(r["value"]) for r in rows
            if r["value"] not in (None, "")}
    # a peer computes only what it was asked: compare the indicators it has
    wanted = {k[0] for k in peer}
    g = {k: v for k, v in g.items() if k[0] in wanted}
    bad = [k for k in g.keys() | peer.keys()
           if k not in g or k not in peer
           or abs(g[k] - peer[k]) > 1e-9 * max(1.0, abs(g[k]))]
    if bad:
        bad.sort()
        sys.stderr.write("bench: notice: %s disagrees with gevinst on %d of %d values, e.g.:\n"
                         % (name, len(bad), len(g)))
        for k in bad[:5]:
            sys.stderr.write("  %s %s %s: gevinst %s, %s %s\n"
                             % (k + (g.get(k, "none"), name, peer.get(k, "none"))))
        return 1
    sys.stderr.write("bench: %s agrees with gevinst on all %d values (%s)\n"
                     % (name, len(g), ", ".join(sorted(wanted))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
