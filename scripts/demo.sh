#!/bin/sh
# The demo: set up, build, and run shapecheck on the bundled corpus.
# Findings are expected (the corpus holds the classic bugs), so the
# checker's exit status 1 is not a failure here.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target shapecheck >/dev/null
echo "== shapecheck on corpus/batch and corpus/rules =="
status=0
build/checker/shapecheck corpus/batch/*.c corpus/rules/*.c -- -Icorpus/include || status=$?
echo "== exit status $status (1: errors found) =="
[ "$status" -le 1 ]
