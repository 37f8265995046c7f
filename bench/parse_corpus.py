#!/usr/bin/env python3
"""Peer for the `parse_corpus` bench: the Python `eql` package (1.0.1) parsing every corpus query.

Usage: python bench/parse_corpus.py [--shared DIR] [--rounds N]

Reads the `query` of every TOML under <shared>/corpus/elastic-detection-rules at run time
(shared = $EQLPLAY_SHARED or ../shared beside the checkout), parses them all with every
Elasticsearch syntax option the package has enabled, and prints the median time of N rounds
(default 3) plus how many queries parsed. The queries are never copied anywhere.
"""
import argparse
import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

import eql
import eql.parser as p


def shared_dir(arg):
    if arg:
        return Path(arg)
    if os.environ.get("EQLPLAY_SHARED"):
        return Path(os.environ["EQLPLAY_SHARED"])
    return Path(__file__).resolve().parent.parent.parent / "shared"


def load_queries(shared):
    root = shared / "corpus" / "elastic-detection-rules"
    queries = []
    for path in sorted(root.rglob("*.toml")):
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        queries.append(doc["rule"]["query"])
    return queries


def parse_all(queries):
    ok, errors = 0, []
    # Every Elasticsearch option the package has: ES syntax (`:`, `~`, `?field`, `like`/`regex`,
    # no field-to-field comparisons), `sample`, `with runs`, `!` negation, unknown functions
    # allowed; no schema, so any field name is accepted. Optimisations left on (the default).
    # `elastic_endpoint_syntax` is left out: it is the Endpoint dialect (it makes `as` a keyword,
    # which rejects a corpus rule's `source.as.number`). With these options all 1081 parse.
    with p.elasticsearch_syntax, p.ignore_missing_functions, \
            p.allow_sample, p.allow_runs, p.allow_negation:
        for q in queries:
            try:
                eql.parse_query(q)
                ok += 1
            except eql.EqlError as e:
                errors.append(e)
    return ok, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    queries = load_queries(shared_dir(args.shared))
    times = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        ok, errors = parse_all(queries)
        times.append(time.perf_counter() - t0)
    if args.verbose:
        for e in errors[:20]:
            print(type(e).__name__, str(e).splitlines()[0], file=sys.stderr)
    med = statistics.median(times)
    nbytes = sum(len(q.encode()) for q in queries)
    print(f"python-eql {eql.__version__} parse_corpus: queries={len(queries)} bytes={nbytes} parsed={ok} "
          f"failed={len(errors)} rounds={args.rounds} median_s={med:.3f} "
          f"times_s={','.join(f'{t:.3f}' for t in times)}")


if __name__ == "__main__":
    main()
