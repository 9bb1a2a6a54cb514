#!/usr/bin/python3
"""Dynamic int8 quantization of a BERT ONNX model with python3-onnx + numpy only.

onnxruntime's Python quantizer (onnxruntime.quantization.quantize_dynamic, which
`optimum-cli onnxruntime quantize` wraps) is not installable here, so this reproduces the graph it
emits for dynamic quantization with per-tensor symmetric int8 weights:

  MatMul(A, W const)  ->  DynamicQuantizeLinear(A) -> (A_u8, a_scale, a_zp)
                          MatMulInteger(A_u8, W_i8, a_zp, 0) -> int32 -> Cast(float)
                          Mul(Cast, a_scale * w_scale)
  Gather(E const, ids) -> Gather(E_i8, ids) -> DequantizeLinear(., e_scale, 0)

Activations are quantized at run time (uint8, asymmetric, per call); weights once here
(int8, symmetric, scale = max|W| / 127). One DynamicQuantizeLinear is shared by all MatMuls
reading the same activation (Q, K and V). Users with a real Hugging Face export should
prefer `optimum-cli onnxruntime quantize --onnx_model DIR --avx2 -o OUT` (or --avx512 / --arm64).

  /usr/bin/python3 scripts/onnx/quantize_int8.py --in DIR/model.onnx --out OUTDIR/model.onnx \
      [--copy-assets]
--copy-assets copies vocab.txt / tokenizer.json / config.json etc. next to the output.
The accuracy check (cosine of outputs vs fp32, run with onnxruntime-node) is in
test/unit/onnx/onnxBertEncoder.test.ts and src/bench/onnxBench.ts.
"""
import argparse
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ASSETS = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json"]


def quantize_symmetric(w):
    amax = float(np.max(np.abs(w))) if w.size else 0.0
    scale = amax / 127.0 if amax > 0 else 1.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return q, np.float32(scale)


def quantize_model(model):
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    # How many nodes read each initializer: a float weight is dropped only when nothing else uses it.
    readers = {}
    for n in graph.node:
        for x in n.input:
            readers[x] = readers.get(x, 0) + 1

    new_nodes, new_inits = [], []
    dq_cache = {}  # activation name -> (u8, scale, zp) outputs of its DynamicQuantizeLinear
    replaced_weights = set()
    stats = {"matmul": 0, "gather": 0}

    def float2d(name):
        t = inits.get(name)
        return t is not None and t.data_type == TensorProto.FLOAT and len(t.dims) == 2

    for node in graph.node:
        if node.op_type == "MatMul" and float2d(node.input[1]) and not float2d(node.input[0]):
            a, wname = node.input
            out = node.output[0]
            w = numpy_helper.to_array(inits[wname])
            wq, ws = quantize_symmetric(w)
            base = wname.replace("/", "_")
            new_inits += [numpy_helper.from_array(wq, base + "_quantized"),
                          numpy_helper.from_array(ws, base + "_scale"),
                          numpy_helper.from_array(np.int8(0), base + "_zero_point")]
            if a not in dq_cache:
                pre = a.replace("/", "_") + "_dq"
                outs = [pre + "_u8", pre + "_scale", pre + "_zp"]
                new_nodes.append(helper.make_node("DynamicQuantizeLinear", [a], outs, name=pre))
                dq_cache[a] = outs
            a_u8, a_scale, a_zp = dq_cache[a]
            nm = (node.name or out).replace("/", "_")
            new_nodes += [
                helper.make_node("MatMulInteger", [a_u8, base + "_quantized", a_zp, base + "_zero_point"],
                                 [nm + "_i32"], name=nm + "_MatMulInteger"),
                helper.make_node("Cast", [nm + "_i32"], [nm + "_f32"], to=TensorProto.FLOAT, name=nm + "_Cast"),
                helper.make_node("Mul", [a_scale, base + "_scale"], [nm + "_scale"], name=nm + "_ScaleMul"),
                helper.make_node("Mul", [nm + "_f32", nm + "_scale"], [out], name=nm + "_OutMul"),
            ]
            replaced_weights.add(wname)
            stats["matmul"] += 1
        elif (node.op_type == "Gather" and float2d(node.input[0])
              and all(a.name != "axis" or a.i == 0 for a in node.attribute)):
            ename, ids = node.input
            out = node.output[0]
            eq, es = quantize_symmetric(numpy_helper.to_array(inits[ename]))
            base = ename.replace("/", "_")
            new_inits += [numpy_helper.from_array(eq, base + "_quantized"),
                          numpy_helper.from_array(es, base + "_scale"),
                          numpy_helper.from_array(np.int8(0), base + "_zero_point")]
            nm = (node.name or out).replace("/", "_")
            new_nodes += [
                helper.make_node("Gather", [base + "_quantized", ids], [nm + "_i8"], axis=0, name=nm),
                helper.make_node("DequantizeLinear", [nm + "_i8", base + "_scale", base + "_zero_point"], [out],
                                 name=nm + "_Dequantize"),
            ]
            replaced_weights.add(ename)
            stats["gather"] += 1
        else:
            new_nodes.append(node)

    still_read = set()
    for n in new_nodes:
        still_read.update(n.input)
    kept = [i for i in graph.initializer if i.name not in replaced_weights or i.name in still_read]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    # MatMulInteger / DynamicQuantizeLinear need opset >= 11 (the default domain).
    for op in model.opset_import:
        if op.domain in ("", "ai.onnx") and op.version < 11:
            op.version = 11
    # Value-info shapes of replaced float outputs stay valid (the outputs keep their names and dtypes).
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--copy-assets", action="store_true")
    a = ap.parse_args()
    model = onnx.load(a.inp)
    stats = quantize_model(model)
    if stats["matmul"] == 0:
        sys.exit("no constant-weight MatMul found: is this a BERT-like fp32 model?")
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    onnx.save(model, a.out)
    print(f"quantized {stats['matmul']} MatMul and {stats['gather']} Gather nodes: {a.out} "
          f"({os.path.getsize(a.inp) / 1e6:.2f} MB -> {os.path.getsize(a.out) / 1e6:.2f} MB)")
    if a.copy_assets:
        src_dir, dst_dir = os.path.dirname(os.path.abspath(a.inp)), os.path.dirname(os.path.abspath(a.out))
        if src_dir != dst_dir:
            for f in ASSETS:
                if os.path.exists(os.path.join(src_dir, f)):
                    shutil.copyfile(os.path.join(src_dir, f), os.path.join(dst_dir, f))


if __name__ == "__main__":
    main()
