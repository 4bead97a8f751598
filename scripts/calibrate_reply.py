#!/usr/bin/env python3
"""Calibrates the e-mail reply confidence threshold (docs/quality.md, "E-mail links").

Runs `kb eval --mode reply` on the covid sets' dev queries (as e-mail bodies; answerable) and their
no-answer questions (must get no link), plus the off-topic mails in scripts/offtopic-mails.jsonl
(written by us) and every message of ../shared/emails/raw run through `kb reply --extract`
against each covid help centre, then prints precision@1 among linked e-mails, coverage and
no-answer link rates for a range of thresholds.
With --fit, it also fits the confidence model of src/search/reply.rs (a logistic regression of
"the first link is a judged-relevant article" on the first link's features, over the answerable,
no-answer, off-topic and shared e-mails pooled), prints its constants, a five-fold cross-validated
curve and the curve of the fitted model.
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
# The dev questions written as whole e-mails (our own wrappers, in the sets' languages), to see
# what a greeting, pleasantries, a closing, a sentence of context and the subject do to the links.
MAIL_WRAPPERS = {
    "greeting and closing": {
        "en": "Hi,\n\n{q}\n\nThanks,\nMaria",
        "de": "Hallo,\n\n{q}\n\nDanke,\nMaria",
    },
    "pleasantries": {
        "en": "Hello support team,\n\nI hope you are well. {q} I could not find anything about it on your website.\n\n"
              "Thank you in advance for your help!\n\nBest regards,\nMaria Smith",
        "de": "Sehr geehrte Damen und Herren,\n\nich hoffe, es geht Ihnen gut. {q} Ich habe auf Ihrer Webseite nichts dazu "
              "gefunden.\n\nVielen Dank im Voraus für Ihre Hilfe!\n\nMit freundlichen Grüßen\nMaria Schmidt",
    },
    # (subject, text): a reply marker before the question as subject, and a subject that names no topic.
    "subject Re: + the question": {
        "en": ("Re: {q}", "{q}"),
        "de": ("AW: {q}", "{q}"),
    },
    "subject Question": {
        "en": ("Question", "{q}"),
        "de": ("Frage", "{q}"),
    },
    "a sentence of context": {
        "en": "Good morning,\n\nquick question: {q}\nSeveral of my colleagues asked me about this and we would like to "
              "know.\n\nCheers,\nTom\n\nTom Baker | Office Manager\nBaker & Sons Ltd.",
        "de": "Guten Morgen,\n\nkurze Frage: {q}\nMehrere Kollegen haben mich danach gefragt und wir würden es gern "
              "wissen.\n\nViele Grüße\nTom\n\nTom Becker | Büroleitung\nBecker & Söhne GmbH",
    },
}
FEATURES = ["headline_coverage", "headline_recall", "headline_recall × margin", "headline_recall × margin_third",
            "runner_up_recall"]


def shipped_threshold():
    """MIN_REPLY_CONFIDENCE as src/search/reply.rs sets it."""
    with open(os.path.join(HERE, "..", "src", "search", "reply.rs"), encoding="utf-8") as source:
        for line in source:
            if line.startswith("pub const MIN_REPLY_CONFIDENCE"):
                return line.split("=")[1].strip(" ;\n")
    raise SystemExit("MIN_REPLY_CONFIDENCE not found in src/search/reply.rs")


def model_inputs(f):
    """The inputs of LinkFeatures::confidence for one link's features."""
    recall = f["headline_recall"]
    return [f["headline_coverage"], recall, recall * f["margin"], recall * f["margin_third"], f["runner_up_recall"]]


def solve(a, b):
    """Solves a x = b (Gaussian elimination with partial pivoting; a is small and regularised)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0.0:
                f = m[r][col] / m[col][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit_logistic(rows, ys, l2=10.0, steps=25):
    """Logistic regression by Newton's method, L2-penalised on standardised inputs
    (deterministic): [bias, w1, ..., wn] over the raw inputs `rows`."""
    n = len(rows[0])
    mean = [sum(r[i] for r in rows) / len(rows) for i in range(n)]
    std = [max(1e-9, math.sqrt(sum((r[i] - mean[i]) ** 2 for r in rows) / len(rows))) for i in range(n)]
    zs = [[1.0] + [(r[i] - mean[i]) / std[i] for i in range(n)] for r in rows]
    w = [0.0] * (n + 1)
    for _ in range(steps):
        grad = [0.0] * (n + 1)
        hess = [[0.0] * (n + 1) for _ in range(n + 1)]
        for z, y in zip(zs, ys):
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, sum(a * b for a, b in zip(w, z))))))
            for i in range(n + 1):
                grad[i] += (p - y) * z[i]
                for j in range(n + 1):
                    hess[i][j] += p * (1 - p) * z[i] * z[j]
        for i in range(1, n + 1):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
    raw = [w[i + 1] / std[i] for i in range(n)]
    return [w[0] - sum(raw[i] * mean[i] for i in range(n))] + raw


def confidence(w, x):
    z = w[0] + sum(a * b for a, b in zip(w[1:], x))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(corpus, queries, out):
    subprocess.run([KB, "eval", "--mode", "reply", "--corpus", corpus, "--queries", queries, "--run", out],
                   check=True, stderr=subprocess.DEVNULL)
    return {r["qid"]: r for r in jsonl(out)}


def extracted_mails(tmp):
    """Every raw message of ../shared/emails as a query line (subject + text, detected language),
    but those kb reply answers with no link whatever they say: unreadable or automatic."""
    lines = []
    raw = os.path.join(EMAILS, "raw")
    for name in sorted(os.listdir(raw)):
        with open(os.path.join(raw, name), "rb") as f:
            done = subprocess.run([KB, "reply", "--extract"], stdin=f, capture_output=True)
        if done.returncode != 0:
            continue  # not a message kb can read: no link by construction
        mail = json.loads(done.stdout)
        if mail["automatic"]:
            continue  # sent by a program or to be left unanswered: kb reply links nothing
        lines.append({"qid": "mail-" + name, "lang": mail["lang"], "query": mail["subject"] + "\n" + mail["text"], "relevant": {}})
    path = os.path.join(tmp, "mails.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path, len(os.listdir(raw))


def print_table(answerable, negatives, mails, mails_total):
    """The precision/coverage curve from first-link confidences (None: no link):
    answerable (results, relevant, confidence), negatives and mails confidences."""
    print("| threshold | precision@1 (linked) | answerable linked | no-answer linked | shared e-mails linked |")
    print("|---|---|---|---|---|")
    for t in THRESHOLDS:
        linked = [(res, rel) for res, rel, c in answerable if c is not None and c >= t]
        correct = sum(1 for res, rel in linked if res[0] in rel)
        precision = correct / len(linked) if linked else 1.0
        coverage = len(linked) / len(answerable)
        neg = sum(1 for c in negatives if c is not None and c >= t) / max(1, len(negatives))
        mail = sum(1 for c in mails if c is not None and c >= t) / max(1, mails_total * len(SETS))
        print(f"| {t:.2f} | {precision:.3f} | {coverage:.3f} | {neg:.3f} | {mail:.3f} |")


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
            mails += [(r["results"], r["confidences"], r["features"]) for r in mm.values()]
        print(f"answerable e-mails: {len(answerable)}, no-answer + off-topic: {len(negatives)}, "
              f"shared messages: {mails_total} per set ({len(mails)} runs of readable messages that a program did not send)")
        # The confidence of an e-mail's first link (None: no link), as kb computed it.
        first_confidence = lambda conf, feats: conf[0] if conf else None
        if "--fit" in sys.argv:
            # (inputs, label, which list, position in it) for every e-mail with a first link.
            examples = [(model_inputs(a[4][0]), 1 if a[0][0] in a[2] else 0, "answerable", i)
                        for i, a in enumerate(answerable) if a[4]]
            examples += [(model_inputs(n[2][0]), 0, "negative", i) for i, n in enumerate(negatives) if n[2]]
            examples += [(model_inputs(m[2][0]), 0, "mail", i) for i, m in enumerate(mails) if m[2]]
            w = fit_logistic([e[0] for e in examples], [e[1] for e in examples])
            print(f"fitted on {len(examples)} first links: CONFIDENCE_BIAS = {w[0]:.2f}; "
                  f"CONFIDENCE_WEIGHTS ({', '.join(FEATURES)}) = [{', '.join(f'{v:.2f}' for v in w[1:])}]")
            # Out of sample: each fifth of the examples scored by a model fitted on the others.
            held_out = {}
            for fold in range(5):
                train = [e for i, e in enumerate(examples) if i % 5 != fold]
                wf = fit_logistic([e[0] for e in train], [e[1] for e in train])
                for i, (x, _, kind, position) in enumerate(examples):
                    if i % 5 == fold:
                        held_out[(kind, position)] = confidence(wf, x)
            print("\nfive-fold cross-validated (each e-mail scored by a model fitted without it):")
            print_table([(a[0], a[2], held_out.get(("answerable", i))) for i, a in enumerate(answerable)],
                        [held_out.get(("negative", i)) for i in range(len(negatives))],
                        [held_out.get(("mail", i)) for i in range(len(mails))], mails_total)
            print("\nthe model fitted on all of them (choose the threshold here):")
            first_confidence = lambda conf, feats: confidence(w, model_inputs(feats[0])) if feats else None
        print_table([(res, rel, first_confidence(conf, feats)) for res, conf, rel, _, feats in answerable],
                    [first_confidence(conf, feats) for _, conf, feats in negatives],
                    [first_confidence(conf, feats) for _, conf, feats in mails], mails_total)
        t = float(os.environ.get("KB_REPLY_THRESHOLD", shipped_threshold()))
        print(f"\nper set at {t:.2f}: | set | e-mails | first link right (any confidence) | precision@1 (linked) | linked |")
        for group in sorted({a[3] for a in answerable}):
            rows = [(res, conf, rel) for res, conf, rel, g, _ in answerable if g == group]
            first_right = sum(1 for res, conf, rel in rows if res and res[0] in rel) / len(rows)
            linked = [(res, rel) for res, conf, rel in rows if conf and conf[0] >= t]
            precision = sum(1 for res, rel in linked if res[0] in rel) / len(linked) if linked else 1.0
            print(f"| {group} | {len(rows)} | {first_right:.3f} | {precision:.3f} | {len(linked) / len(rows):.3f} |")
        print(f"\nthe dev e-mails written as mails, at {t:.2f}: | wrapper | set | first link right | precision@1 (linked) | linked |")
        for wrapper, texts in MAIL_WRAPPERS.items():
            for name in SETS:
                folder = os.path.join(EVAL, name)
                queries = jsonl(os.path.join(folder, "queries-dev.jsonl"))
                path = os.path.join(tmp, "wrapped.jsonl")
                with open(path, "w", encoding="utf-8") as f:
                    for q in queries:
                        subject, text = texts[q["lang"]] if isinstance(texts[q["lang"]], tuple) else ("", texts[q["lang"]])
                        line = dict(q, subject=subject.format(q=q["query"]), query=text.format(q=q["query"]))
                        f.write(json.dumps(line, ensure_ascii=False) + "\n")
                got = run(os.path.join(folder, "corpus.jsonl"), path, os.path.join(tmp, "w.jsonl"))
                rows = [(got[q["qid"]]["results"], got[q["qid"]]["confidences"], set(q["relevant"])) for q in queries if q["qid"] in got]
                first_right = sum(1 for res, conf, rel in rows if res and res[0] in rel) / len(queries)
                linked = [(res, rel) for res, conf, rel in rows if conf and conf[0] >= t]
                precision = sum(1 for res, rel in linked if res[0] in rel) / len(linked) if linked else 1.0
                print(f"| {wrapper} | {name} | {first_right:.3f} | {precision:.3f} | {len(linked) / len(queries):.3f} |")


if __name__ == "__main__":
    sys.exit(main())
