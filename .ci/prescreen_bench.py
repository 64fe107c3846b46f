#!/usr/bin/env python3
# Pre-screening latency (issue 19): 40 seeded random profiles x 5 against POST /api/v1/prescreen, then one broad profile x 10.
# Usage: python3 .ci/prescreen_bench.py [URL]   (an app on the database to measure; see docs/benchmarks.md)
import json, time, urllib.request, statistics, sys, random
url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5097/api/v1/prescreen"
random.seed(1)
def post(body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        d = json.load(r)
    return (time.perf_counter() - t) * 1000, d
profiles = []
for i in range(40):
    profiles.append({"patient": {"age": random.randint(20, 80), "sex": random.choice(["MALE", "FEMALE"]), "ecog": random.randint(0, 2),
        "priorLines": random.randint(1, 6), "priorCarT": random.choice([True, False]), "priorAntigenTherapies": random.choice([[], ["BCMA"], ["CD19"]]),
        "labs": {"platelets": random.choice([40, 60, 120]), "anc": random.choice([0.8, 1.5, 3.0])}, "cnsInvolvement": random.choice([True, False])},
        "filters": random.choice([{}, {"antigen": ["BCMA"]}, {"antigen": ["CD19"]}, {"phase": ["PHASE1"]}, {"condition": ["multiple myeloma"]}, {"antigen": ["CD19"], "near": "Boston", "distanceKm": 200}])})
ms, d = post(profiles[0]); print(f"first request {ms:.0f} ms, candidates {d['candidates']}")
times = []; cands = []
for rnd in range(5):
    for p in profiles:
        ms, d = post(p); times.append(ms); cands.append(d['candidates'])
times.sort()
print(f"{len(times)} requests: p50 {times[len(times)//2]:.0f} ms, p95 {times[int(len(times)*0.95)]:.0f} ms, max {times[-1]:.0f} ms; candidates median {statistics.median(cands):.0f}, max {max(cands)}")
big = {"patient": {"age": 50, "ecog": 1, "labs": {"platelets": 100}}, "filters": {"status": ["RECRUITING","NOT_YET_RECRUITING","ACTIVE_NOT_RECRUITING","COMPLETED","UNKNOWN","TERMINATED","WITHDRAWN","SUSPENDED","ENROLLING_BY_INVITATION"]}}
bt = sorted(post(big)[0] for _ in range(10)); print(f"every status (all trials of the age): p50 {bt[5]:.0f} ms max {bt[-1]:.0f} ms, candidates {post(big)[1]['candidates']}")
