#!/bin/sh
# Regenerates the committed ONNX test fixtures in test/fixtures/onnx/ (deterministic seeds).
# Needs Debian's python with python3-torch and python3-onnx (see scripts/apt-packages.txt).
set -e
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
F=test/fixtures/onnx
$PY scripts/onnx/make_bert_onnx.py --layers 2 --hidden 64 --heads 4 --max-position 128 --seed 1234 \
  --out $F/tiny-bert --reference $F/tiny-bert/reference.json
$PY scripts/onnx/make_bert_onnx.py --layers 1 --hidden 32 --heads 2 --max-position 128 --seed 99 \
  --no-token-type-ids --out $F/tiny-bert-no-tt --reference $F/tiny-bert-no-tt/reference.json
$PY scripts/onnx/quantize_int8.py --in $F/tiny-bert/model.onnx --out $F/tiny-bert-int8/model.onnx --copy-assets
