#!/usr/bin/env bash
# Runs each cargo-fuzz target for a given time, one after another (not run in CI).
#
#   fuzz/run.sh [SECONDS] [TARGET...]      default: 1800 s each; system_loader data_reader formula report_reader
#
# Needs `cargo install cargo-fuzz`. On a stable toolchain RUSTC_BOOTSTRAP=1 lets cargo-fuzz use
# the nightly-only sanitizer flags. The corpus grows in fuzz/corpus/TARGET (seeded from
# fuzz/seeds/TARGET); crashes land in fuzz/artifacts/TARGET; each run's log (with libFuzzer's
# final stats, e.g. stat::number_of_executed_units) in fuzz/logs/TARGET.log. Every crash found
# must become a regression test under tests/ and an engine fix.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-1800}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(system_loader data_reader formula report_reader)
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
mkdir -p logs
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    cp -n "seeds/$t"/* "corpus/$t/" 2>/dev/null || true
    dict=()
    if [ -f "dicts/$t.dict" ]; then
        dict=("-dict=dicts/$t.dict")
    fi
    echo "== $t: ${secs}s ($(date -u +%FT%TZ))" | tee "logs/$t.log"
    # -jobs=1 runs one worker process whose output goes to fuzz-0.log; appended below.
    rm -f fuzz-0.log
    status=0
    cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -jobs=1 -workers=1 \
        -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" >>"logs/$t.log" 2>&1 || status=$?
    if [ -f fuzz-0.log ]; then
        cat fuzz-0.log >>"logs/$t.log"
        rm -f fuzz-0.log
    fi
    echo "== $t: exit $status ($(date -u +%FT%TZ))" | tee -a "logs/$t.log"
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|ERROR" "logs/$t.log" || true
done
