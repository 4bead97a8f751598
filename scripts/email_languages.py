#!/usr/bin/env python3
"""Measures the language `kb reply` detects for e-mails sent without `lang` (docs/quality.md,
"The language of e-mails in languages the help center lacks").

Sends each question as the text of a JSON e-mail to `kb reply` against an index, and prints per
set and language the share detected as the question's language:
- dev questions of ../shared/eval: covid-deepset and covid-jhu (all, answerable and no-answer)
  and every fifth xquad question in de, el, en, es, ro, ru, tr and vi;
- scripts/support-questions.tsv: 100 short support questions **we wrote ourselves** in 16
  languages (language, tab, question), most of them outside the sample help center's languages.
Usage: scripts/email_languages.py [INDEX]   (default: the sample help center's index/, after
`cargo build --release && target/release/kb build`)
Environment: KB_BIN (the kb binary; default ../target/release/kb), KB_EVAL_DIR.
"""
import collections
import concurrent.futures
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KB = os.environ.get("KB_BIN", os.path.join(HERE, "..", "target", "release", "kb"))
EVAL = os.environ.get("KB_EVAL_DIR", os.path.join(HERE, "..", "..", "shared", "eval"))
XQUAD_LANGUAGES = ("de", "el", "en", "es", "ro", "ru", "tr", "vi")


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def questions():
    """(set, language, question) of every question measured."""
    for name in ("covid-deepset", "covid-jhu"):
        for file in ("queries-dev.jsonl", "queries-dev-noanswer.jsonl"):
            for q in jsonl(os.path.join(EVAL, name, file)):
                yield name, q["lang"], q["query"]
    for q in jsonl(os.path.join(EVAL, "xquad", "queries-dev.jsonl")):
        if q["lang"] in XQUAD_LANGUAGES and int(q["qid"][-4:]) % 5 == 0:
            yield "xquad", q["lang"], q["query"]
    with open(os.path.join(HERE, "support-questions.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                lang, text = line.rstrip("\n").split("\t")
                yield "ours", lang, text


def detected(index, text):
    done = subprocess.run([KB, "reply", "--index", index, "--format", "json"],
                          input=json.dumps({"text": text}).encode(), capture_output=True, check=True)
    return json.loads(done.stdout)["lang"]


def main():
    index = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "index")
    items = list(questions())
    right, total = collections.Counter(), collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for (name, lang, _), got in zip(items, pool.map(lambda item: detected(index, item[2]), items)):
            total[name, lang] += 1
            right[name, lang] += got == lang
    print("| set | language | questions | detected right |")
    print("|---|---|---|---|")
    for key in sorted(total):
        print(f"| {key[0]} | {key[1]} | {total[key]} | {right[key] / total[key]:.1%} |")


if __name__ == "__main__":
    sys.exit(main())
