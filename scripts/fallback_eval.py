#!/usr/bin/env python3
"""How well kb finds an article that the customer's language lacks (the default-language
fallback), measured on xquad: every English article is kept, but of each other language only the
articles with an even number. Each dev question of the languages asked is sent with its `lang`
to full search (or, with `--prefixes`, each typed prefix to the suggest path): the questions
whose paragraph has an odd number can only be answered by the English article, as a fallback.
nDCG@10 (one relevant article per question) of both halves, per language.

With `--reply`, each dev question is sent as an e-mail (`POST /api/v1/reply`, JSON with its
`lang`) instead: per half, the share of questions that get a link and the share of those whose
first link is the question's article (precision@1, the e-mail issue's measure).

With `--typed-in en`, the English questions are sent instead, once with the `lang` of each
language asked: a customer on a Spanish page who types English words. The questions whose
paragraph has an even number have their answer in the customer's language, which the English
words can find through the English version. With `--typed-in de --langs en`, the German
questions are sent to the English page (German keeps its even-numbered articles): the even ones
can be found through the German version.

Usage: scripts/fallback_eval.py [--langs de,es,ru,tr,vi] [--prefixes | --reply] [--typed-in en] [--kb target/release/kb]
"""
import argparse
import http.client
import json
import math
import os
import tempfile
import urllib.parse

from query_languages import EVAL, PORT, serve, write_articles

XQUAD = os.path.join(EVAL, "xquad")


def number(doc_id):
    return int(doc_id.split("-")[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="de,es,ru,tr,vi")
    parser.add_argument("--prefixes", action="store_true")
    parser.add_argument("--reply", action="store_true", help="send each question as an e-mail")
    parser.add_argument("--typed-in", help="send this language's questions with each asked language's `lang`")
    parser.add_argument("--kb", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "kb"))
    args = parser.parse_args()
    langs = args.langs.split(",")
    route, queries = ("suggest", "queries-dev-prefix.jsonl") if args.prefixes else ("search", "queries-dev.jsonl")
    gains = {}
    # --reply: per (lang, half), each question's first link (None: no link) and its article.
    links, relevant_of = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        halved = set(langs) | {args.typed_in}
        keep = lambda article: article["lang"] == "en" or (article["lang"] in halved and number(article["id"]) % 2 == 0)
        write_articles(os.path.join(XQUAD, "corpus.jsonl"), os.path.join(folder, "articles"), keep)
        server = serve(args.kb, folder)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT)
            with open(os.path.join(XQUAD, queries), encoding="utf-8") as lines:
                for line in lines:
                    query = json.loads(line)
                    if args.typed_in:
                        asked = langs if query["lang"] == args.typed_in else []
                    else:
                        asked = [query["lang"]] if query["lang"] in langs else []
                    (relevant,) = query["relevant"]
                    half = "English only (fallback)" if number(relevant) % 2 else "own language"
                    for lang in asked:
                        if args.reply:
                            email = json.dumps({"text": query["query"], "lang": lang})
                            connection.request("POST", "/api/v1/reply", email, {"Content-Type": "application/json"})
                            ids = [link["id"] for link in json.loads(connection.getresponse().read())["links"]]
                            links.setdefault((lang, half), []).append(ids[0] if ids else None)
                            relevant_of.setdefault((lang, half), []).append(relevant)
                            continue
                        path = f"/api/v1/{route}?lang={lang}&limit=10&q=" + urllib.parse.quote(query["query"])
                        connection.request("GET", path)
                        ids = [hit["id"] for hit in json.loads(connection.getresponse().read())["results"]][:10]
                        gain = next((1 / math.log2(rank + 2) for rank, id in enumerate(ids) if id == relevant), 0.0)
                        gains.setdefault((lang, half), []).append(gain)
        finally:
            server.kill()
            server.wait()
    if args.reply:
        print("| lang | answer in | e-mails | linked | precision@1 (linked) |")
        print("|---|---|---|---|---|")
        for key, firsts in sorted(links.items()):
            linked = [(first, relevant) for first, relevant in zip(firsts, relevant_of[key]) if first]
            right = sum(first == relevant for first, relevant in linked)
            precision = f"{right / len(linked):.3f}" if linked else "–"
            print(f"| {key[0]} | {key[1]} | {len(firsts)} | {len(linked) / len(firsts):.3f} | {precision} |")
        return
    print(f"| lang | answer in | {route} questions | nDCG@10 |")
    print("|---|---|---|---|")
    for (lang, half), values in sorted(gains.items()):
        print(f"| {lang} | {half} | {len(values)} | {sum(values) / len(values):.4f} |")


if __name__ == "__main__":
    main()
