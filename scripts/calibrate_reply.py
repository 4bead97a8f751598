#!/usr/bin/env python3
"""Calibrates the e-mail reply confidence threshold (docs/quality.md, "E-mail links").

Runs `kb eval --mode reply` on the covid sets' dev queries (as e-mail bodies; answerable) and their
no-answer questions (must get no link), plus the off-topic mails in scripts/offtopic-mails.jsonl
(written by us) and every message of ../shared/emails/raw run through `kb reply --extract`
against each covid help centre, then prints precision@1 among linked e-mails, coverage and
no-answer link rates for a range of thresholds.
Usage: scripts/calibrate_reply.py   (after cargo build --release)
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KB = os.path.join(HERE, "..", "target", "release", "kb")
EVAL = os.environ.get("KB_EVAL_DIR", os.path.join(HERE, "..", "..", "shared", "eval"))
EMAILS = os.environ.get("KB_EMAILS_DIR", os.path.join(HERE, "..", "..", "shared", "emails"))
SETS = ["covid-jhu", "covid-deepset"]
THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 20)]


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
                r = got.get(qid, {"results": [], "confidences": []})
                answerable.append((r["results"], r["confidences"], set(q["relevant"])))
            na = run(corpus, os.path.join(folder, "queries-dev-noanswer.jsonl"), os.path.join(tmp, "n.jsonl"))
            off = run(corpus, offtopic, os.path.join(tmp, "o.jsonl"))
            negatives += [(r["results"], r["confidences"]) for r in list(na.values()) + list(off.values())]
            mm = run(corpus, mails_path, os.path.join(tmp, "m.jsonl"))
            mails += [(r["results"], r["confidences"]) for r in mm.values()]
        print(f"answerable e-mails: {len(answerable)}, no-answer + off-topic: {len(negatives)}, "
              f"shared messages: {mails_total} per set ({len(mails)} readable runs)")
        print("| threshold | precision@1 (linked) | answerable linked | no-answer linked | shared e-mails linked |")
        print("|---|---|---|---|---|")
        for t in THRESHOLDS:
            linked = [(res, rel) for res, conf, rel in answerable if conf and conf[0] >= t]
            correct = sum(1 for res, rel in linked if res[0] in rel)
            precision = correct / len(linked) if linked else 1.0
            coverage = len(linked) / len(answerable)
            neg = sum(1 for res, conf in negatives if conf and conf[0] >= t) / max(1, len(negatives))
            mail = sum(1 for res, conf in mails if conf and conf[0] >= t) / max(1, mails_total * len(SETS))
            print(f"| {t:.2f} | {precision:.3f} | {coverage:.3f} | {neg:.3f} | {mail:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
