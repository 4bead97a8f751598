#!/usr/bin/env python3
"""Typed prefixes of the sample help center's own questions, for scripts/load.sh (CORPUS=sample).

Every keystroke of every question the sample's writers give in front matter (`queries`) and of
scripts/support-questions.tsv, one "lang<TAB>url-encoded prefix" line each, as
`cargo bench --bench suggest -- --write-corpus` writes the generated corpus's prefixes.

    scripts/sample_prefixes.py ARTICLES_DIR OUT_FILE
"""
import os
import re
import sys
import urllib.parse

articles, out = sys.argv[1], sys.argv[2]
questions = []
for root, _, files in os.walk(articles):
    for name in sorted(files):
        if not name.endswith(".md"):
            continue
        path = os.path.join(root, name)
        lang = os.path.relpath(path, articles).split(os.sep)[0]
        listed = re.search(r"^queries:\n((?:  - .*\n)+)", open(path, encoding="utf-8").read(), re.M)
        if listed:
            questions += [(lang, q.strip().strip("\"'")) for q in re.findall(r"  - (.*)", listed.group(1))]
here = os.path.dirname(os.path.abspath(__file__))
for line in open(os.path.join(here, "support-questions.tsv"), encoding="utf-8"):
    lang, question = line.rstrip("\n").split("\t", 1)
    questions.append((lang, question))
with open(out, "w", encoding="utf-8") as file:
    for lang, question in questions:
        for end in range(1, len(question) + 1):
            file.write(f"{lang}\t{urllib.parse.quote(question[:end])}\n")
print(f"wrote the typed prefixes of {len(questions)} questions to {out}")
