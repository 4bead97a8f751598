#!/usr/bin/env python3
"""Measures the click/vote ranking nudge (`kb serve --signal-boost`) on ../shared/eval.

1. No click data: every set's dev queries run with an empty click log must give the very same
   run as without one (the nudge is off until a language has enough evidence).
2. A simulated click log: the dev queries of each set are split in two halves (alternate lines).
   Half A is "past traffic": kb ranks it, and a position-biased click model clicks — a relevant
   result at rank r with weight 1/r, a non-relevant one (a misclick) with 0.05/r, top 5 only.
   Half B is "future traffic": its nDCG@10 without and with the nudge from A's clicks. Popular
   questions recur with other wordings (covid-jhu has several questions per FAQ), which is what
   the nudge can help with; sets where every question has its own paragraph show its cost.

Usage: scripts/click_eval.py [--sets covid-jhu,covid-deepset,xquad,jsquad,poquad]
Needs target/release/kb (cargo build --release).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from eval import score

CLICK_RANKS = 5
MISCLICK = 0.05


def kb_eval(kb, folder, queries, run, clicks=None):
    command = [kb, "eval", "--corpus", os.path.join(folder, "corpus.jsonl"), "--queries", queries, "--run", run]
    if clicks:
        command += ["--clicks", clicks]
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)


def read_jsonl(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def simulate_clicks(queries, run):
    results = {record["qid"]: record["results"] for record in run}
    weights = {}
    for query in queries:
        for rank, doc in enumerate(results.get(query["qid"], [])[:CLICK_RANKS], start=1):
            weight = (1.0 if doc in query["relevant"] else MISCLICK) / rank
            key = (query["lang"], doc)
            weights[key] = weights.get(key, 0.0) + weight
    return [{"lang": lang, "id": doc, "weight": weight} for (lang, doc), weight in sorted(weights.items())]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-dir", default=os.environ.get("KB_EVAL_DIR", os.path.join(here, "..", "..", "shared", "eval")))
    ap.add_argument("--kb", default=os.path.join(here, "..", "target", "release", "kb"))
    ap.add_argument("--sets", default="covid-jhu,covid-deepset,xquad,jsquad,poquad")
    a = ap.parse_args()

    print("| set | no data: identical run | B without | B with A's clicks | change | clicks simulated |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        empty = os.path.join(tmp, "empty.jsonl")
        write_jsonl(empty, [])
        for name in a.sets.split(","):
            folder = os.path.join(a.eval_dir, name)
            dev = os.path.join(folder, "queries-dev.jsonl")
            plain, nudged = os.path.join(tmp, f"{name}-plain.jsonl"), os.path.join(tmp, f"{name}-empty.jsonl")
            kb_eval(a.kb, folder, dev, plain)
            kb_eval(a.kb, folder, dev, nudged, clicks=empty)
            identical = open(plain, encoding="utf-8").read() == open(nudged, encoding="utf-8").read()

            queries = [q for q in read_jsonl(dev) if q["relevant"]]
            half_a, half_b = queries[0::2], queries[1::2]
            file_a, file_b = os.path.join(tmp, f"{name}-a.jsonl"), os.path.join(tmp, f"{name}-b.jsonl")
            write_jsonl(file_a, half_a)
            write_jsonl(file_b, half_b)
            run_a = os.path.join(tmp, f"{name}-run-a.jsonl")
            kb_eval(a.kb, folder, file_a, run_a)
            clicks = simulate_clicks(half_a, read_jsonl(run_a))
            click_file = os.path.join(tmp, f"{name}-clicks.jsonl")
            write_jsonl(click_file, clicks)
            run_b, run_b_clicks = os.path.join(tmp, f"{name}-run-b.jsonl"), os.path.join(tmp, f"{name}-run-b-clicks.jsonl")
            kb_eval(a.kb, folder, file_b, run_b)
            kb_eval(a.kb, folder, file_b, run_b_clicks, clicks=click_file)
            before = score(a.eval_dir, file_b, run_b)["all"]["ndcg@10"]
            after = score(a.eval_dir, file_b, run_b_clicks)["all"]["ndcg@10"]
            total = sum(click["weight"] for click in clicks)
            print(f"| {name} | {'yes' if identical else 'NO'} | {before:.3f} | {after:.3f} | {after - before:+.3f} | {total:.0f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
