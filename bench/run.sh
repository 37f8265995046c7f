#!/usr/bin/env bash
# Refreshes every figure of BENCHMARKS.md in one run: builds (release), generates the events into
# target/bench-data, runs the criterion benches, the memory probe and the Python peers, and prints
# a summary (also written to target/bench-results/summary.md).
#
#   bash bench/run.sh                 # 200k and 1M events
#   EQLPLAY_BENCH_EVENTS=200000 bash bench/run.sh
#   PY_ROUNDS=1 bash bench/run.sh     # fewer Python rounds (default 3)
#
# Needs: cargo, python3 >= 3.11 with venv (pip reaches PyPI for eql==1.0.1 the first time),
# shared/ at ../shared beside the checkout or $EQLPLAY_SHARED. Everything runs under `nice -n 10`
# and one step at a time (the machine is shared). Takes about 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NICE="nice -n 10"
EVENTS="${EQLPLAY_BENCH_EVENTS:-200000,1000000}"
PY_ROUNDS="${PY_ROUNDS:-3}"
VENV="$ROOT/target/bench-venv"
DATA="$ROOT/target/bench-data"
OUT="$ROOT/target/bench-results"
mkdir -p "$DATA" "$OUT"
export EQLPLAY_BENCH_EVENTS="$EVENTS"

echo "== Python peer: eql 1.0.1 in $VENV"
if ! "$VENV/bin/python" -c 'import eql, sys; sys.exit(eql.__version__ != "1.0.1")' 2>/dev/null; then
  $NICE python3 -m venv "$VENV"
  $NICE "$VENV/bin/pip" install -q eql==1.0.1
fi

echo "== build (release)"
$NICE cargo build -q --release -p eventgen
$NICE cargo bench -q -p eql --bench parse_corpus --bench seed_rule --bench seed_rule_memory --no-run

echo "== events into $DATA"
for n in ${EVENTS//,/ }; do
  f="$DATA/events-$n.ndjson"
  [ -s "$f" ] || $NICE target/release/eventgen --events "$n" > "$f"
done

{
  echo "machine: nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)" \
       "mem=$(free -g | awk '/^Mem:/{print $2}')GiB load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc: $(rustc --version)"
  echo "python: $("$VENV/bin/python" --version 2>&1)"
} > "$OUT/machine.txt"

echo "== criterion: parse_corpus"
$NICE cargo bench -q -p eql --bench parse_corpus 2>&1 | tee "$OUT/parse_corpus.log" | grep -E '^(parse_corpus|\s+time|\s+thrpt)'
echo "== criterion: seed_rule ($EVENTS events)"
$NICE cargo bench -q -p eql --bench seed_rule 2>&1 | tee "$OUT/seed_rule.log" | grep -E '^(seed_rule|\s+time|\s+thrpt)'

echo "== peak memory"
: > "$OUT/memory.log"
bin=$(ls -t target/release/deps/seed_rule_memory-* | grep -v '\.d$' | head -1)
for n in ${EVENTS//,/ }; do
  for t in 1 "$(nproc)"; do
    $NICE "$bin" --file "$DATA/events-$n.ndjson" --threads "$t" 2>&1 | grep '^seed_rule_memory' | tee -a "$OUT/memory.log"
    # Cross-check with the kernel's accounting of the whole process (reading the file included).
    /usr/bin/time -f "time_v: events=$n max_rss_kib=%M" $NICE "$bin" --file "$DATA/events-$n.ndjson" --threads "$t" 2>&1 >/dev/null | grep '^time_v' | tee -a "$OUT/memory.log"
  done
done

echo "== Python peer: parse_corpus"
$NICE "$VENV/bin/python" bench/parse_corpus.py --rounds "$PY_ROUNDS" | tee "$OUT/py_parse_corpus.log"
echo "== Python peer: seed_rule"
: > "$OUT/py_seed_rule.log"
for n in ${EVENTS//,/ }; do
  for v in any typed; do
    $NICE "$VENV/bin/python" bench/seed_rule.py "$DATA/events-$n.ndjson" --variant $v \
      --rounds "$PY_ROUNDS" --expect $((n / 1000)) | tee -a "$OUT/py_seed_rule.log"
  done
done

echo "== summary"
python3 bench/summary.py "$OUT" "$ROOT/target/criterion" "$EVENTS" | tee "$OUT/summary.md"
