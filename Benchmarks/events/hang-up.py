#!/usr/bin/env python3
"""Hangs up the benchmark's calls left waiting when wrk stopped: reads `external id<TAB>program code` lines on
standard input and sends an `abandoned` event for each through POST /api/v1/events, 500 to a request.

    hang-up.py URL TOKEN < leftovers.tsv
"""
import datetime
import json
import sys
import urllib.request

url, token = sys.argv[1], sys.argv[2]
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
calls = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
for start in range(0, len(calls), 500):
    events = [
        {"eventId": f"{external}-cleanup", "type": "abandoned", "program": program, "externalContactId": external,
         "channel": "voice", "from": "+13125550142", "to": "+13125550100", "at": now}
        for external, program in calls[start:start + 500]
    ]
    request = urllib.request.Request(
        url + "/api/v1/events", data=json.dumps(events).encode(), method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        rejected = sum(1 for r in json.load(response)["results"] if r["result"] == "rejected")
        if rejected:
            sys.exit(f"hang-up.py: {rejected} of {len(events)} hang-ups rejected")
print(f"hung up {len(calls)} calls left waiting")
