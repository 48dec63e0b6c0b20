#!/usr/bin/env python3
"""Writes a realistic Asterisk cdr_csv Master.csv for the campaign benchmark: a day's outage of a program.

    python3 Benchmarks/campaign/master_csv.py --rows 1000000 --db bench.sqlite --program METRO > Master.csv

Callers are half the program's customers (their numbers read from the benchmark database) and half unknown
numbers; some call many times (a Zipf-like draw). A call writes one to three legs (rows sharing a linkedid) with
every disposition; about 40 % of calls got through (one leg ANSWERED). Caller ids come as PBXs write them (bare,
with +1 or 1, with punctuation, quoted names in clid, Anonymous and restricted). About 1 row in 1,000 is broken
(too few columns, an impossible time, a duration that is not a number). Times are the program's local wall times on
one day, 08:00 to 17:59, in the order the PBX writes them. Seeded: the same arguments write the same file.
"""
import argparse
import random
import sqlite3
import sys

NAMES = ["John Smith", "Mary Jones", "Ann Lee", "Peter O'Brien", "Zoë Müller", "José García", "Li Wei", "Sam"]
AREAS = ["312", "773", "212", "646", "415", "617", "206", "305", "702", "404"]


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", required=True)
    parser.add_argument("--program", default="METRO")
    parser.add_argument("--day", default="2026-11-20")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    db = sqlite3.connect(args.db)
    known = [row[0][2:] for row in db.execute(
        "SELECT e164 FROM customer_phones WHERE program_id = (SELECT id FROM programs WHERE code = ?) LIMIT 200000",
        (args.program,))]
    db.close()
    unknown = [rng.choice(AREAS) + str(rng.randint(200, 999)) + f"{rng.randint(0, 9999):04d}" for _ in range(200_000)]
    callers = known + unknown

    def caller() -> str:
        # Repeat callers: a few numbers call again and again.
        return callers[min(int(rng.paretovariate(1.2)) - 1, len(callers) - 1)] if rng.random() < 0.3 else rng.choice(callers)

    def written(number: str) -> tuple[str, str]:
        """src and clid as the PBX logged them."""
        draw = rng.random()
        if draw < 0.02:
            return "Anonymous", '"Anonymous" <anonymous>'
        if draw < 0.03:
            return "restricted", ""
        src = rng.choice([number, "1" + number, "+1" + number, f"({number[:3]}) {number[3:6]}-{number[6:]}"])
        name = rng.choice(NAMES) if rng.random() < 0.5 else ""
        return src, (f'"{name}" <{number}>' if name else number)

    out = sys.stdout
    rows = 0
    call = 0
    calls = args.rows / 1.4  # legs per call, on average
    span = 10 * 3600
    while rows < args.rows:
        call += 1
        number = caller()
        src, clid = written(number)
        legs = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        answered_leg = rng.randrange(legs) if rng.random() < 0.4 else -1
        # The PBX writes calls as they end: the file runs through the day.
        second = 8 * 3600 + min(span - 1, int(call * span / calls) + rng.randint(0, 59))
        start = f"{args.day} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
        linked = f"1795{call:06d}.{call}"
        for leg in range(legs):
            if rows >= args.rows:
                break
            rows += 1
            if leg == answered_leg:
                disposition, answer, billsec = "ANSWERED", start, rng.randint(10, 900)
            else:
                disposition = rng.choices(["NO ANSWER", "BUSY", "FAILED", "CONGESTION"], weights=[60, 20, 10, 10])[0]
                answer, billsec = "", 0
            unique = f"{linked}{leg}"
            fields = [
                quoted(""), quoted(src), quoted(str(100 + leg)), quoted("from-pstn"), quoted(clid),
                quoted(f"SIP/trunk-{call % 997:04x}"), quoted(f"SIP/{100 + leg}-{call % 991:04x}" if legs > 1 else ""),
                quoted("Dial"), quoted(f"SIP/{100 + leg},30"), quoted(start), quoted(answer), quoted(start),
                str(billsec + 12), str(billsec), quoted(disposition), quoted("DOCUMENTATION"), quoted(unique),
                quoted(""), quoted(""), quoted(linked), str(leg + 1),
            ]
            broken = rng.random()
            if broken < 0.0004:
                fields = fields[:9]
            elif broken < 0.0007:
                fields[9] = quoted(f"{args.day} 25:61:00")
            elif broken < 0.001:
                fields[12] = "abc"
            out.write(",".join(fields) + "\n")


if __name__ == "__main__":
    main()
