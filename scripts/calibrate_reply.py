#!/usr/bin/env python3
"""Calibrates the e-mail reply confidence threshold (docs/quality.md, "E-mail links").

Runs `kb eval --mode reply` on the covid sets' dev queries (as e-mail bodies; answerable) and their
no-answer questions (must get no link), plus the off-topic mails in scripts/offtopic-mails.jsonl
(written by us) and every message of ../shared/emails/raw run through `kb reply --extract`
against each covid help centre, then prints precision@1 among linked e-mails, coverage and
no-answer link rates for a range of thresholds.
With --fit, it also fits the confidence model of src/search/reply.rs (a logistic regression of
"the first link is a judged-relevant article" on the first link's features, over the
answerable, no-answer and off-topic e-mails pooled) and prints its constants.
Usage: scripts/calibrate_reply.py [--fit]   (after cargo build --release)
Environment: KB_BIN (the kb binary; default ../target/release/kb), KB_EVAL_DIR, KB_EMAILS_DIR.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KB = os.environ.get("KB_BIN", os.path.join(HERE, "..", "target", "release", "kb"))
EVAL = os.environ.get("KB_EVAL_DIR", os.path.join(HERE, "..", "..", "shared", "eval"))
EMAILS = os.environ.get("KB_EMAILS_DIR", os.path.join(HERE, "..", "..", "shared", "emails"))
SETS = ["covid-jhu", "covid-deepset"]
THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 20)]
FEATURES = ["headline_coverage", "headline_recall", "headline_recall × margin", "headline_recall × margin_third"]


def model_inputs(f):
    """The inputs of LinkFeatures::confidence for one link's features."""
    recall = f["headline_recall"]
    return [f["headline_coverage"], recall, recall * f["margin"], recall * f["margin_third"]]


def fit_logistic(xs, ys, steps=3000, rate=0.5, l2=1e-3):
    """Plain batch gradient descent (deterministic): [bias, w1, ..., wn]."""
    w = [0.0] * (len(xs[0]) + 1)
    for _ in range(steps):
        grad = [0.0] * len(w)
        for x, y in zip(xs, ys):
            z = w[0] + sum(a * b for a, b in zip(w[1:], x))
            err = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - y
            grad[0] += err
            for i, a in enumerate(x):
                grad[i + 1] += err * a
        w = [wi - rate * (g / len(xs) + (l2 * wi if i else 0.0)) for i, (wi, g) in enumerate(zip(w, grad))]
    return w


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(corpus, queries, out):
    subprocess.run([KB, "eval", "--mode", "reply", "--corpus", corpus, "--queries", queries, "--run", out],
                   check=True, stderr=subprocess.DEVNULL)
    return {r["qid"]: r for r in jsonl(out)}


def extracted_mails(tmp):
    """Every raw message of ../shared/emails as a query line (subject + text, detected language)."""
    lines = []
    raw = os.path.join(EMAILS, "raw")
    for name in sorted(os.listdir(raw)):
        with open(os.path.join(raw, name), "rb") as f:
            done = subprocess.run([KB, "reply", "--extract"], stdin=f, capture_output=True)
        if done.returncode != 0:
            continue  # not a message kb can read: no link by construction
        mail = json.loads(done.stdout)
        lines.append({"qid": "mail-" + name, "lang": mail["lang"], "query": mail["subject"] + "\n" + mail["text"], "relevant": {}})
    path = os.path.join(tmp, "mails.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path, len(os.listdir(raw))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        answerable, negatives, mails = [], [], []
        mails_path, mails_total = extracted_mails(tmp)
        offtopic = os.path.join(HERE, "offtopic-mails.jsonl")
        for name in SETS:
            folder = os.path.join(EVAL, name)
            corpus = os.path.join(folder, "corpus.jsonl")
            qrels = {q["qid"]: q for q in jsonl(os.path.join(folder, "queries-dev.jsonl"))}
            got = run(corpus, os.path.join(folder, "queries-dev.jsonl"), os.path.join(tmp, "a.jsonl"))
            for qid, q in qrels.items():
                r = got.get(qid, {"results": [], "confidences": [], "features": []})
                answerable.append((r["results"], r["confidences"], set(q["relevant"]), name + " " + q["lang"], r["features"]))
            na = run(corpus, os.path.join(folder, "queries-dev-noanswer.jsonl"), os.path.join(tmp, "n.jsonl"))
            off = run(corpus, offtopic, os.path.join(tmp, "o.jsonl"))
            negatives += [(r["results"], r["confidences"], r["features"]) for r in list(na.values()) + list(off.values())]
            mm = run(corpus, mails_path, os.path.join(tmp, "m.jsonl"))
            mails += [(r["results"], r["confidences"]) for r in mm.values()]
        if "--fit" in sys.argv:
            xs, ys = [], []
            for res, conf, rel, _, feats in answerable:
                if feats:
                    xs.append(model_inputs(feats[0]))
                    ys.append(1 if res[0] in rel else 0)
            for res, conf, feats in negatives:
                if feats:
                    xs.append(model_inputs(feats[0]))
                    ys.append(0)
            w = fit_logistic(xs, ys)
            print(f"fitted on {len(xs)} first links: CONFIDENCE_BIAS = {w[0]:.2f}; "
                  f"CONFIDENCE_WEIGHTS ({', '.join(FEATURES)}) = [{', '.join(f'{v:.2f}' for v in w[1:])}]")
        print(f"answerable e-mails: {len(answerable)}, no-answer + off-topic: {len(negatives)}, "
              f"shared messages: {mails_total} per set ({len(mails)} readable runs)")
        print("| threshold | precision@1 (linked) | answerable linked | no-answer linked | shared e-mails linked |")
        print("|---|---|---|---|---|")
        for t in THRESHOLDS:
            linked = [(res, rel) for res, conf, rel, _, _ in answerable if conf and conf[0] >= t]
            correct = sum(1 for res, rel in linked if res[0] in rel)
            precision = correct / len(linked) if linked else 1.0
            coverage = len(linked) / len(answerable)
            neg = sum(1 for res, conf, _ in negatives if conf and conf[0] >= t) / max(1, len(negatives))
            mail = sum(1 for res, conf in mails if conf and conf[0] >= t) / max(1, mails_total * len(SETS))
            print(f"| {t:.2f} | {precision:.3f} | {coverage:.3f} | {neg:.3f} | {mail:.3f} |")
        t = float(os.environ.get("KB_REPLY_THRESHOLD", "0.5"))
        print(f"\nper set at {t:.2f}: | set | e-mails | first link right (any confidence) | precision@1 (linked) | linked |")
        for group in sorted({a[3] for a in answerable}):
            rows = [(res, conf, rel) for res, conf, rel, g, _ in answerable if g == group]
            first = sum(1 for res, conf, rel in rows if res and res[0] in rel) / len(rows)
            linked = [(res, rel) for res, conf, rel in rows if conf and conf[0] >= t]
            precision = sum(1 for res, rel in linked if res[0] in rel) / len(linked) if linked else 1.0
            print(f"| {group} | {len(rows)} | {first:.3f} | {precision:.3f} | {len(linked) / len(rows):.3f} |")


if __name__ == "__main__":
    sys.exit(main())
