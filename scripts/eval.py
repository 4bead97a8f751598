#!/usr/bin/env python3
"""Reproduces the search-quality table of docs/quality.md.

For every set in ../shared/eval (or $KB_EVAL_DIR), runs `kb eval` on its dev queries twice, with
kb's per-language analysis and with tantivy's default tokenizer (the baseline), scores both runs
with the set's score.py, and prints a Markdown table: nDCG@10, MRR@10 and Recall@5 per set and
language. Usage: scripts/eval.sh [--queries queries-dev.jsonl] [--sets covid-jhu,xquad]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ANALYSES = ["per-language", "tantivy-default"]
METRICS = ["ndcg@10", "mrr@10", "recall@5"]


def score(eval_dir, qrels, run):
    out = subprocess.run(
        [sys.executable, os.path.join(eval_dir, "score.py"), "--qrels", qrels, "--run", run, "--json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["groups"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-dir", default=os.environ.get("KB_EVAL_DIR", os.path.join(here, "..", "..", "shared", "eval")))
    ap.add_argument("--kb", default=os.path.join(here, "..", "target", "release", "kb"))
    ap.add_argument("--queries", default="queries-dev.jsonl")
    ap.add_argument("--sets", default="covid-jhu,covid-deepset,xquad,jsquad,poquad")
    ap.add_argument("--mode", default="search", choices=["search", "suggest"])
    a = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.sets.split(","):
            folder = os.path.join(a.eval_dir, name)
            qrels = os.path.join(folder, a.queries)
            if not os.path.exists(qrels):
                continue
            groups = {}
            for analysis in ANALYSES:
                run = os.path.join(tmp, f"{name}-{analysis}.jsonl")
                subprocess.run(
                    [a.kb, "eval", "--corpus", os.path.join(folder, "corpus.jsonl"), "--queries", qrels,
                     "--run", run, "--analysis", analysis, "--mode", a.mode],
                    check=True, stderr=subprocess.DEVNULL,
                )
                groups[analysis] = score(a.eval_dir, qrels, run)
            langs = sorted(g[5:] for g in groups["per-language"] if g.startswith("lang:"))
            keys = [f"lang:{lang}" for lang in langs] + (["all"] if len(langs) > 1 else [])
            for key in keys:
                kb = groups["per-language"][key]
                base = groups["tantivy-default"][key]
                rows.append((name, key.replace("lang:", ""), kb["answerable"], kb, base))

    print(f"Queries: `{a.queries}` through the {a.mode} path. Each cell: kb per-language analysis / tantivy default tokenizer (baseline).\n")
    print("| set | lang | queries | " + " | ".join(METRICS) + " | Δ nDCG@10 |")
    print("|---|---|---|" + "---|" * len(METRICS) + "---|")
    for name, lang, count, kb, base in rows:
        cells = [f"**{kb[m]:.3f}** / {base[m]:.3f}" for m in METRICS]
        delta = kb["ndcg@10"] - base["ndcg@10"]
        print(f"| {name} | {lang} | {count} | " + " | ".join(cells) + f" | {delta:+.3f} |")


if __name__ == "__main__":
    main()
