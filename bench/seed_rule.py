#!/usr/bin/env python3
"""Peer for the `seed_rule` bench: the Python `eql` package (1.0.1) running the seed rule over an
eventgen NDJSON file, end to end (read the file, decode each line, stream it through the engine).

Usage: python bench/seed_rule.py FILE.ndjson [--rounds N] [--expect M] [--variant any|typed]

Prints the median wall time of N rounds (default 1), events/s and the number of sequences found;
exits non-zero if --expect is given and the count differs.

The seed rule cannot run verbatim on eql 1.0.1 over Elastic Defend documents:
  * the package takes an event's type from a top-level string `event_type`, not from
    `event.category` (which Elastic Defend writes as an array, e.g. ["network"]);
  * `==` against an array field compares the whole list, where Elasticsearch matches any element;
  * `field != "x"` is false (null) in the package when the field is missing, where Elasticsearch
    matches (it runs as a negated term query); the generator's planted network events have no
    `network.protocol`.
So the equivalent query tests the arrays with `arrayContains(...)` and writes `a != "x"` as
`(a == null or a != "x")` (`not a == "x"` would do, but the package's optimiser folds it back
into `a != "x"`). Two variants:
  any   (default) `any where arrayContains(event.category, "network") and ...`: the events are
        streamed as they are read;
  typed `network where ...`: each event gets `event_type = event.category[0]` before it is
        streamed, so the engine dispatches on the type (the usual way to feed it ECS data).
Everything else is the seed rule as written (`:` is case-insensitive, `==`/`!=` as the package
implements them). Both find exactly the planted sequences (checked with --expect).
"""
import argparse
import statistics
import sys
import time

import eql
import eql.parser as p
from eql.events import Event
from eql.utils import stream_file_events

CONDITIONS_NET = ('host.os.type == "windows" and process.name : ("wscript.exe", "cscript.exe") and '
                  '(network.protocol == null or network.protocol != "dns") and '
                  'network.direction : ("outgoing", "egress") and network.type == "ipv4" and '
                  '(destination.ip == null or destination.ip != "127.0.0.1")')
CONDITIONS_FILE = ('host.os.type == "windows" and arrayContains(event.type, "creation") and '
                   'file.extension : ("exe", "dll")')

QUERIES = {
    "any": (
        "sequence by host.id, process.entity_id\n"
        f'  [any where arrayContains(event.category, "network") and {CONDITIONS_NET}]\n'
        f'  [any where arrayContains(event.category, "file") and {CONDITIONS_FILE}]\n'
    ),
    "typed": (
        "sequence by host.id, process.entity_id\n"
        f"  [network where {CONDITIONS_NET}]\n"
        f"  [file where {CONDITIONS_FILE}]\n"
    ),
}


def run_once(path, variant):
    with p.elasticsearch_syntax, p.ignore_missing_functions:
        query = eql.parse_query(QUERIES[variant])
    found = [0]

    def on_result(_output):
        found[0] += 1

    engine = eql.PythonEngine()
    engine.add_output_hook(on_result)
    engine.add_query(query)
    events = 0
    t0 = time.perf_counter()
    if variant == "typed":
        for data in stream_file_events(path, "jsonl"):
            cat = data.get("event", {}).get("category")
            data["event_type"] = cat[0] if isinstance(cat, list) and cat else (cat or "generic")
            engine.stream_event(Event.from_data(data))
            events += 1
    else:
        for data in stream_file_events(path, "jsonl"):
            engine.stream_event(Event.from_data(data))
            events += 1
    engine.finalize()
    return time.perf_counter() - t0, events, found[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--expect", type=int)
    ap.add_argument("--variant", choices=sorted(QUERIES), default="any")
    args = ap.parse_args()
    times = []
    for _ in range(args.rounds):
        t, events, found = run_once(args.file, args.variant)
        times.append(t)
    med = statistics.median(times)
    print(f"python-eql {eql.__version__} seed_rule[{args.variant}]: file={args.file} events={events} "
          f"sequences={found} rounds={args.rounds} median_s={med:.3f} events_per_s={events / med:.0f} "
          f"times_s={','.join(f'{t:.3f}' for t in times)}")
    if args.expect is not None and found != args.expect:
        print(f"error: expected {args.expect} sequences, found {found}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
