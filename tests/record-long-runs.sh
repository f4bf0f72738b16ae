#!/usr/bin/env bash
# Records the long runs whose numbers the book shows: the full 30-epoch
# training of chapter 9, on the fast engine (the book's run) and on the clear
# one. CI does not rerun them (tests/regen-outputs.sh regenerates the short
# ones); they are recorded like measurements, once, with the command, the
# engine, the instruction set and the date in the first line of each file:
#
#   FASHION_MNIST_DIR=../shared/data/fashion-mnist bash tests/record-long-runs.sh
#
# Run it again after a change to the training code; then bring the pages'
# quoted numbers up to date (`cargo test -p book-tests` names each sentence
# that quotes a number the new record no longer has). The fast engine gives
# the same bits on every instruction set, so a new record on another machine
# differs from the old one only if the code changed.
#
# The registry below lists every recorded file and its program
# (`cargo test -p book-tests` checks it against the pages):
#
#   record  FILE  CARGO-ARGS...
#       the program's standard output, under a header naming the command,
#       with the last line of each epoch's progress (its times left out:
#       timings live in the appendix's record) as a table before it; lines
#       naming paths on this machine are left out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TERM_COLOR=never

# ---- the registry -----------------------------------------------------------
registry() {
record  ch09-training/full-run.txt        -p ch09-training -- --figures book/figures/ch09-training
record  ch09-training/full-run-clear.txt  -p ch09-training -- --engine clear --no-figures
record  ch11-tuning/lr-find.txt           -p ch11-tuning -- lr-find --figures book/figures/ch11-tuning
record  ch11-tuning/search.txt            -p ch11-tuning -- search --figures book/figures/ch11-tuning
record  ch11-tuning/sweep-depth.txt       -p ch11-tuning -- sweep depth --engine clear --figures book/figures/ch11-tuning
record  ch11-tuning/sweep-width.txt       -p ch11-tuning -- sweep width --engine clear --figures book/figures/ch11-tuning
record  ch11-tuning/sweep-batch.txt       -p ch11-tuning -- sweep batch --engine clear --figures book/figures/ch11-tuning
}
# -----------------------------------------------------------------------------

if [ -z "${FASHION_MNIST_DIR:-}" ] && [ -d "$root/../shared/data/fashion-mnist" ]; then
    export FASHION_MNIST_DIR="$root/../shared/data/fashion-mnist"
fi

# The instruction set the fast engine picks on this processor (as
# appendix_speed::Isa::detect decides it).
isa() {
    local flags
    flags="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
    if grep -qw avx512f <<<"$flags" && grep -qw avx2 <<<"$flags" && grep -qw fma <<<"$flags"; then
        echo avx512
    elif grep -qw avx2 <<<"$flags" && grep -qw fma <<<"$flags"; then
        echo avx2
    else
        echo portable
    fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p ch09-training --bin ch09-training --example figures
cargo build --release -q -p ch11-tuning --bin ch11-tuning

record() {
    local file="$1"
    shift
    local args=("$@")
    # cargo's own arguments end at `--`; the program's follow.
    local program_args=()
    local seen=0 package="" previous=""
    for a in "${args[@]}"; do
        if [ "$seen" = 1 ]; then program_args+=("$a"); fi
        if [ "$a" = "--" ]; then seen=1; fi
        if [ "$previous" = "-p" ] && [ "$seen" = 0 ]; then package="$a"; fi
        previous="$a"
    done
    # Chapter 9's run: its epochs' table, its weights and metrics for the
    # figures example. Other programs' records are their standard output.
    local ch09=0
    [ "$package" = ch09-training ] && ch09=1
    echo "--> cargo run --release ${args[*]}"
    local t0=$SECONDS
    local extra=()
    local figures=0
    [[ " ${program_args[*]} " == *" --figures "* ]] && [ "$ch09" = 1 ] && figures=1
    if [ "$figures" = 1 ]; then
        extra=(--save "$work/model.safetensors" --metrics-json "$work/metrics.json")
    fi
    target/release/"$package" "${program_args[@]}" "${extra[@]}" >"$work/out" 2>"$work/err"
    local engines
    engines="$(tr '\r' '\n' <"$work/err" | grep -o 'engine: [a-z]*' | sort -u | sed 's/engine: //' | paste -sd, -)"
    mkdir -p "$(dirname "book/outputs/$file")"
    {
        printf '# cargo run --release %s (a long run, recorded by tests/record-long-runs.sh and not rerun by CI: engine %s, instruction set %s, %s)\n' \
            "${args[*]}" "$engines" "$(isa)" "$(date -u +%Y-%m-%d)"
        if [ "$ch09" = 1 ]; then
        echo "epoch    loss  accuracy  val_loss  val_accuracy"
        # The finished line of each epoch (the progress bar redraws with \r).
        tr '\r' '\n' <"$work/err" | grep 'val_accuracy:' |
            sed -E 's/.*loss: ([0-9.]+) - accuracy: ([0-9.]+) - val_loss: ([0-9.]+) - val_accuracy: ([0-9.]+).*/\1 \2 \3 \4/' |
            awk '{ printf "%5d  %6s  %8s  %8s  %12s\n", NR, $1, $2, $3, $4 }'
        fi
        grep -v -E '^(weights saved to|metrics written to|figures written to) ' "$work/out"
        if [ "$figures" = 1 ]; then
            target/release/examples/figures "$work/model.safetensors" "$work/metrics.json" |
                grep -v '^figures written to '
        fi
    } >"$work/file"
    mv "$work/file" "book/outputs/$file"
    echo "    $((SECONDS - t0)) s: book/outputs/$file"
}

registry
