#!/usr/bin/env python3
"""Claim-next under concurrent callers: each caller (its own token) takes the next call, talks for a while, records
the outcome and takes the next, until the time is up. Prints the latency of claims and outcomes (median, p99,
max) and checks that no call was handed to two callers at once.

    python3 Benchmarks/campaign/claims.py --base http://127.0.0.1:8090 --campaign ID --tokens tokens.txt \
        --seconds 60 --talk 0.5-1.5

`--talk 0` makes every caller claim again at once (the worst case: the server's whole write rate). `--ramp S`
starts the callers at random over the first S seconds, as reps sit down one after another (0: all at the same
instant). Latencies are reported over the whole run and without its first `--settle` seconds.
"""
import argparse
import http.client
import json
import random
import statistics
import threading
import time
import urllib.parse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--campaign", required=True)
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--talk", default="0.5-1.5")
    parser.add_argument("--ramp", type=float, default=0)
    parser.add_argument("--settle", type=float, default=5)
    args = parser.parse_args()
    tokens = [line.strip() for line in open(args.tokens) if line.strip()]
    low, high = (float(x) for x in (args.talk.split("-") + [args.talk])[:2])
    url = urllib.parse.urlsplit(args.base)
    claims: list[tuple[float, float]] = []
    outcomes: list[tuple[float, float]] = []
    held: dict[str, str] = {}
    handed: list[tuple[str, str, float, float]] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def caller(index: int, token: str) -> None:
        rng = random.Random(index)
        time.sleep(rng.uniform(0, args.ramp))
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        def post(path: str, body: dict) -> tuple[int, dict, float]:
            started = time.perf_counter()
            connection.request("POST", path, body=json.dumps(body), headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, (json.loads(data) if data else {}), (time.perf_counter() - started) * 1000

        while time.monotonic() < deadline:
            sent = time.monotonic()
            status, answer, ms = post(f"/api/v1/campaigns/{args.campaign}/claim", {})
            claimed_at = time.monotonic()
            with lock:
                claims.append((sent, ms))
            if status != 200:
                with lock:
                    errors.append(f"claim {status}")
                return
            call = answer.get("call")
            if call is None:
                return
            with lock:
                if call["id"] in held:
                    errors.append(f"call {call['id']} handed to two callers")
                held[call["id"]] = token
            time.sleep(rng.uniform(low, high))
            outcome = rng.choice(["reached-helped", "reached-nothing-needed", "voicemail", "no-answer", "busy"])
            with lock:
                del held[call["id"]]
            sent = time.monotonic()
            status, _, ms = post(f"/api/v1/campaigns/{args.campaign}/calls/{call['id']}/outcome", {"outcome": outcome})
            with lock:
                outcomes.append((sent, ms))
                handed.append((call["id"], token, claimed_at, time.monotonic()))
                if status != 200:
                    errors.append(f"outcome {status}")

    threads = [threading.Thread(target=caller, args=(i, t)) for i, t in enumerate(tokens)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    def figures(values: list[float]) -> str:
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return f"median {statistics.median(values):.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms"

    def summary(name: str, timed: list[tuple[float, float]]) -> str:
        values = [ms for _, ms in timed]
        settled = [ms for sent, ms in timed if sent - started >= args.settle]
        return (f"{name}: {len(values)} in {elapsed:.1f} s ({len(values) / elapsed:.0f}/s), {figures(values)}; "
                f"after the first {args.settle:g} s: {figures(settled) if settled else 'none'}")

    print(f"{len(tokens)} callers starting over {args.ramp:g} s, talking {args.talk} s between claim and outcome")
    print(summary("claims", claims))
    print(summary("outcomes", outcomes))
    print(f"calls handed out {len(handed)}, to two callers at once: {sum('two callers' in e for e in errors)}, "
          f"other errors: {len([e for e in errors if 'two callers' not in e])}")
    if errors:
        raise SystemExit("errors: " + "; ".join(errors[:5]))


if __name__ == "__main__":
    main()
