#!/usr/bin/env bash
# Regenerates every program output the book includes: the files under
# book/outputs/<chapter>/. Run it from anywhere:
#
#   FASHION_MNIST_DIR=../shared/data/fashion-mnist HOUSING_DIR=../shared/data/housing \
#       bash tests/regen-outputs.sh
#
# Without those variables the data sets come from ../shared/data when it is
# there, else from the cache data/ (downloaded on first use). CI runs this
# script and then fails if `git diff -- book/outputs` shows any change: a page
# then shows numbers that the code no longer prints.
#
# The registry below lists every output file and the program that makes it
# (`cargo test -p book-tests` checks it against the pages and the examples):
#
#   writes  FILE  CARGO-ARGS...
#       the example writes FILE itself, through ch00_toolbox::output::Output,
#       with a header naming its command;
#   capture FILE  "HOW COMPARED"  CARGO-ARGS...
#       the program's standard output becomes FILE, under a header naming the
#       command; lines starting with "wrote " (paths on this machine) are left
#       out.
#
# Long runs (the 30-epoch training of chapter 9) are not listed: they are
# recorded once, with engine, instruction set and date, by
# tests/record-long-runs.sh, whose files CI leaves as they are.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never

# ---- the registry -----------------------------------------------------------
registry() {
writes  ch01-neurons/membrane.txt               -p ch01-neurons --example membrane
writes  ch02-hebb/primer.txt                     -p ch02-hebb --example primer
writes  ch02-hebb/by-hand.txt                    -p ch02-hebb --example by_hand
writes  ch02-hebb/pitfalls.txt                   -p ch02-hebb --example pitfalls
writes  ch02-hebb/cloud.txt                      -p ch02-hebb --example figures
writes  ch02-hebb/capacity.txt                   -p ch02-hebb --example figures
writes  ch03-perceptron/setosa.txt              -p ch03-perceptron --example numbers
writes  ch03-perceptron/novikoff.txt            -p ch03-perceptron --example numbers
writes  ch03-perceptron/one-vs-rest.txt         -p ch03-perceptron --example numbers
writes  ch03-perceptron/accuracy-history.txt    -p ch03-perceptron --example numbers
writes  ch03-perceptron/distance-rule.txt       -p ch03-perceptron --example numbers
writes  ch03-perceptron/xor.txt                 -p ch03-perceptron --example numbers
writes  ch04-backprop/descent.txt                -p ch04-backprop --example by_hand
writes  ch04-backprop/by-hand.txt                -p ch04-backprop --example by_hand
writes  ch04-backprop/by-hand-batch.txt          -p ch04-backprop --example by_hand
writes  ch04-backprop/activations-at.txt         -p ch04-backprop --example by_hand
writes  ch04-backprop/layer-forward.txt          -p ch04-backprop --example by_hand
writes  ch04-backprop/layer-backward.txt         -p ch04-backprop --example by_hand
writes  ch04-backprop/init-scales.txt            -p ch04-backprop --example by_hand
writes  ch04-backprop/learning-rates.txt         -p ch04-backprop --example figures
writes  ch04-backprop/xor-training.txt           -p ch04-backprop --example figures
writes  ch04-backprop/gradient-check.txt         -p ch04-backprop --example figures
writes  ch04-backprop/gradient-check-steps.txt   -p ch04-backprop --example sweeps
writes  ch04-backprop/xor-seeds.txt              -p ch04-backprop --example sweeps
writes  ch05-regression/overfitting.txt         -p ch05-regression --example overfitting
writes  ch05-regression/imputation.txt          -p ch05-regression --example districts
writes  ch05-regression/first-epoch.txt         -p ch05-regression --example districts
writes  ch05-regression/seeds.txt               -p ch05-regression --example seeds
capture ch05-regression/train.txt "compared as printed: 4 decimals" -p ch05-regression --bin ch05-regression
writes  ch06-classification/spirals.txt         -p ch06-classification --example classifiers
writes  ch06-classification/moons.txt           -p ch06-classification --example classifiers
writes  ch07-fashion-mnist/files.txt            -p ch07-fashion-mnist --example files
writes  ch07-fashion-mnist/statistics.txt       -p ch07-fashion-mnist --example statistics
capture ch08-sequential/summary.txt "compared as printed: 3 and 4 decimals" -p ch08-sequential --example summary
capture ch08-sequential/momentum.txt "compared as printed: 2 significant digits" -p ch08-sequential --example figures
writes  ch10-functional/summary.txt            -p ch10-functional --example report
writes  ch10-functional/wide-deep.txt          -p ch10-functional --example report
writes  ch10-functional/subclass.txt           -p ch10-functional --example report
writes  ch10-functional/save-load.txt          -p ch10-functional --example save_load
writes  ch11-tuning/event-bytes.txt            -p ch11-tuning --example event_bytes
writes  ch11-tuning/callbacks.txt              -p ch11-tuning --example callbacks
# The measurement record prints recorded timings; it measures nothing.
writes  appendix-speed/record.txt              -p appendix-speed --example how-fast
writes  appendix-speed/benchmark.txt           -p appendix-speed --example how-fast
writes  appendix-speed/numpy-ratios.txt        -p appendix-speed --example how-fast
writes  appendix-speed/ch04-backward-cost.txt  -p appendix-speed --example how-fast
writes  appendix-speed/ch07-load.txt           -p appendix-speed --example how-fast
writes  appendix-speed/ch09-full-run.txt       -p appendix-speed --example how-fast
}
# -----------------------------------------------------------------------------

if [ -z "${FASHION_MNIST_DIR:-}" ] && [ -d "$root/../shared/data/fashion-mnist" ]; then
    export FASHION_MNIST_DIR="$root/../shared/data/fashion-mnist"
fi
if [ -z "${HOUSING_DIR:-}" ] && [ -d "$root/../shared/data/housing" ]; then
    export HOUSING_DIR="$root/../shared/data/housing"
fi

out="$root/book/outputs"
files=()
commands=()
declare -A seen=()

run_once() {
    local key="$*"
    [ -n "${seen[$key]:-}" ] && return 0
    seen[$key]=1
    commands+=("$key")
    local t0=$SECONDS
    echo "--> cargo run --release $key"
    cargo run --release -q "$@" >/dev/null
    echo "    $((SECONDS - t0)) s"
}

writes() {
    local file="$1"
    shift
    files+=("$file")
    run_once "$@"
}

capture() {
    local file="$1" compared="$2"
    shift 2
    files+=("$file")
    commands+=("$*")
    local t0=$SECONDS
    echo "--> cargo run --release $* > book/outputs/$file"
    mkdir -p "$(dirname "$out/$file")"
    local text
    text="$(cargo run --release -q "$@")"
    {
        printf '# cargo run %s (%s)\n' "$*" "$compared"
        grep -v '^wrote ' <<<"$text" || true
    } >"$out/$file.tmp"
    mv "$out/$file.tmp" "$out/$file"
    echo "    $((SECONDS - t0)) s"
}

start=$SECONDS
stamp="$(mktemp)"
trap 'rm -f "$stamp"' EXIT
sleep 1 # file times have a resolution of a second on some file systems
registry

# Every listed file was written just now, and every file there is listed.
status=0
for file in "${files[@]}"; do
    if [ ! -f "$out/$file" ]; then
        echo "error: book/outputs/$file is listed but no command wrote it"
        status=1
    elif [ ! "$out/$file" -nt "$stamp" ]; then
        echo "error: book/outputs/$file is listed but its command did not rewrite it"
        status=1
    elif ! head -n1 "$out/$file" | grep -q '^# cargo run '; then
        echo "error: book/outputs/$file does not start with a '# cargo run …' header"
        status=1
    fi
done
recorded=()
while read -r kind file _; do
    if [ "$kind" = record ]; then recorded+=("$file"); fi
done <"$root/tests/record-long-runs.sh"
while IFS= read -r -d '' path; do
    file="${path#"$out"/}"
    listed=0
    for f in "${files[@]}" "${recorded[@]}"; do [ "$f" = "$file" ] && listed=1; done
    if [ "$listed" = 0 ]; then
        echo "error: book/outputs/$file is in no line of the registry in tests/regen-outputs.sh or tests/record-long-runs.sh"
        status=1
    fi
done < <(find "$out" -type f -print0)
echo "regenerated ${#files[@]} output files from ${#commands[@]} commands in $((SECONDS - start)) s"
exit "$status"
