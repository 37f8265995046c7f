#!/usr/bin/env python3
"""Prints the BENCHMARKS.md table from one `bench/run.sh` run.

Usage: python3 bench/summary.py RESULTS_DIR CRITERION_DIR EVENTS(comma-separated)
Rust figures are criterion medians (target/criterion/<group>/<bench>/new/estimates.json);
Python figures are the medians the peer scripts print.
"""
import json
import re
import sys
from pathlib import Path

res, crit, events = Path(sys.argv[1]), Path(sys.argv[2]), [int(n) for n in sys.argv[3].split(",")]


def median_s(group, bench):
    est = json.loads((crit / group / bench / "new" / "estimates.json").read_text())
    return est["median"]["point_estimate"] / 1e9


def fields(line):
    return dict(re.findall(r"(\w+)=([^\s]+)", line))


def ok(b):
    return "**met**" if b else "**missed**"


print((res / "machine.txt").read_text().strip().replace("\n", "  \n"))
print()
print("| measurement | Rust (criterion median) | peer (median) | ratio | target | met? |")
print("|---|---|---|---|---|---|")

parse = median_s("parse_corpus", "parse_all")
compile_ = median_s("parse_corpus", "compile_all")
py = fields((res / "py_parse_corpus.log").read_text())
py_parse = float(py["median_s"])
print(f"| parse {py['queries']} corpus queries | {parse * 1e3:.1f} ms | Python eql: {py_parse:.2f} s "
      f"({py['parsed']}/{py['queries']} parsed) | {py_parse / parse:.0f}× faster | < 50 ms | {ok(parse < 0.05)} |")
print(f"| parse + compile them | {compile_ * 1e3:.1f} ms | | | | |")

py_seed = {}
for line in (res / "py_seed_rule.log").read_text().splitlines():
    f = fields(line)
    n = int(f["events"])
    variant = re.search(r"seed_rule\[(\w+)\]", line).group(1)
    py_seed[(n, variant)] = (float(f["median_s"]), int(f["sequences"]))

# Keyed by (events, threads); the /usr/bin/time line of a run follows its probe line.
mem = {}
last = None
for line in (res / "memory.log").read_text().splitlines():
    f = fields(line)
    if "threads" in f:
        last = (int(f["events"]), int(f["threads"]))
    if last is not None:
        mem.setdefault(last, {}).update(f)


def threaded(group):
    """The many-threads variant of the group: (threads, median seconds), or None."""
    for d in sorted((crit / group).glob("engine_end_to_end_*_threads")):
        return int(d.name.split("_")[-2]), median_s(group, d.name)
    return None


for n in events:
    e2e = median_s(f"seed_rule_{n}", "engine_end_to_end")
    base = median_s(f"seed_rule_{n}", "serde_json_value_baseline")
    k = f"{n // 1000}k" if n < 1_000_000 else f"{n // 1_000_000}M"
    print(f"| seed rule, {k} events: engine end to end vs serde_json::Value per line | {e2e:.3f} s "
          f"({n / e2e / 1e3:.0f}k ev/s) | baseline {base:.3f} s ({n / base / 1e3:.0f}k ev/s) | "
          f"{base / e2e:.2f}× | ≥ 1× | {ok(e2e <= base)} |")
    try:
        floor = median_s(f"seed_rule_{n}", "serde_json_validate_only")
        print(f"| seed rule, {k} events: only checking each line is JSON (serde_json `IgnoredAny`) | {floor:.3f} s "
              f"({n / floor / 1e3:.0f}k ev/s) | | {floor / e2e:.2f}× the engine's time | | |")
    except FileNotFoundError:
        pass
    par = threaded(f"seed_rule_{n}")
    runs = [("1 thread", e2e)] + ([(f"{par[0]} threads", par[1])] if par else [])
    if par:
        print(f"| seed rule, {k} events: engine end to end reading on {par[0]} threads | {par[1]:.3f} s "
              f"({n / par[1] / 1e3:.0f}k ev/s) | 1 thread {e2e:.3f} s | {e2e / par[1]:.2f}× faster | | |")
    for variant in ("typed", "any"):
        if (n, variant) not in py_seed:
            continue
        t, seqs = py_seed[(n, variant)]
        for label, secs in runs:
            print(f"| seed rule, {k} events: vs Python eql [{variant}], engine on {label} | {n / secs / 1e3:.0f}k ev/s | "
                  f"{n / t / 1e3:.0f}k ev/s ({t:.2f} s, {seqs} sequences) | {t / secs:.1f}× | ≥ 25× | {ok(t / secs >= 25)} |")
    for (events_, threads), m in sorted(mem.items()):
        if events_ != n:
            continue
        peak = float(m["peak_rss_mib"])
        inp = float(m["input_mib"])
        tv = f", /usr/bin/time max RSS {int(m['max_rss_kib']) / 1024:.0f} MiB" if "max_rss_kib" in m else ""
        print(f"| seed rule, {k} events: peak RSS vs input, {threads} thread(s) | {peak:.0f} MiB peak (input {inp:.0f} MiB; "
              f"+{float(m['extra_over_input_mib']):.0f} MiB over it{tv}; end to end {m['end_to_end_s']} s) | | "
              f"{peak / inp:.2f}× input | < 2× | {ok(peak < 2 * inp)} |")
