#!/usr/bin/env python3
"""How often kb answers a query in the query's own language when nothing says which it is.

The multilingual sets of ../shared/eval (covid-deepset: en, de, pl, it, sv articles; xquad: twelve
languages) are written as a help center (articles/<lang>/<id>.md), built and served by `kb
serve`, and every dev query and typed prefix is sent without `lang` and without
`Accept-Language`: the suggest path for the prefixes, full search for the queries. Reported per
set, file and language: the share answered in the query's language, and where the answer language
came from (`lang_source`: detected or default).

Usage: scripts/query_languages.py [--sets covid-deepset,xquad] [--kb target/release/kb]
"""
import argparse
import collections
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

EVAL = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "eval")
PORT = 18471


def write_articles(corpus, folder, keep=lambda article: True):
    """Writes the articles of a corpus.jsonl that `keep` accepts as articles/<lang>/<id>.md."""
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if not keep(article):
                continue
            path = os.path.join(folder, article["lang"], article["id"] + ".md")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as out:
                out.write("---\ntitle: " + json.dumps(article["title"], ensure_ascii=False) + "\n---\n")
                out.write(article["body"] + "\n")


def serve(kb, folder):
    """Builds and serves the articles of `folder`; returns the server process, once it answers."""
    articles, index = os.path.join(folder, "articles"), os.path.join(folder, "index")
    subprocess.run([kb, "build", "--articles", articles, "--index", index], check=True, capture_output=True)
    server = subprocess.Popen(
        [kb, "serve", "--articles", articles, "--index", index, "--data", os.path.join(folder, "data"),
         "--addr", f"127.0.0.1:{PORT}", "--suggest-rate", "1000000", "--signal-boost", "false"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT)
            connection.request("GET", "/api/v1/suggest?q=")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("kb serve did not start")


def answer_languages(queries, route):
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    counts = collections.defaultdict(collections.Counter)
    with open(queries, encoding="utf-8") as lines:
        for line in lines:
            query = json.loads(line)
            connection.request("GET", f"/api/v1/{route}?q=" + urllib.parse.quote(query["query"]))
            body = json.loads(connection.getresponse().read())
            right = body["lang"].split("-")[0] == query["lang"]
            for lang in (query["lang"], "all"):
                counts[lang]["queries"] += 1
                counts[lang]["right"] += right
                counts[lang][body["lang_source"]] += 1
                counts[lang][body["lang_source"] + " right"] += right
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="covid-deepset,xquad")
    parser.add_argument("--kb", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "kb"))
    args = parser.parse_args()
    print("| set | queries | lang | n | in its language | detected (right) | default (right) |")
    print("|---|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        with tempfile.TemporaryDirectory() as folder:
            write_articles(os.path.join(EVAL, name, "corpus.jsonl"), os.path.join(folder, "articles"))
            server = serve(args.kb, folder)
            try:
                for file, route in (("queries-dev.jsonl", "search"), ("queries-dev-prefix.jsonl", "suggest")):
                    counts = answer_languages(os.path.join(EVAL, name, file), route)
                    for lang in sorted(counts, key=lambda lang: (lang == "all", lang)):
                        c = counts[lang]
                        print(f"| {name} | {file} | {lang} | {c['queries']} | {c['right'] / c['queries']:.3f} | "
                              f"{c['detected']} ({c['detected right']}) | {c['default']} ({c['default right']}) |")
            finally:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
