"""One line about the dashboard the benchmark measures (read from the API's JSON on stdin)."""
import json
import sys

d = json.load(sys.stdin)
t = d["totals"]
print("METRO %s..%s: %d contacts, %d days, %d reps, service level %s"
      % (d["from"], d["to"], t["contacts"], len(d["byDay"]), len(d["byRep"]), t.get("serviceLevel")))
