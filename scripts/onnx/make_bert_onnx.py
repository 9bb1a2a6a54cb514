#!/usr/bin/python3
"""Generate a BERT-like encoder with random weights and export it to ONNX, laid out like a
Hugging Face `optimum` export folder (model.onnx + vocab.txt + config.json).

Used for tests (tiny fixtures) and for benchmarking a model of SciBERT's exact shape, since no
pretrained weights are reachable here. The architecture follows BERT (post-LayerNorm, GELU FFN,
additive -10000 attention mask), hand-written in torch so no `transformers` package is needed.

Run with Debian's python (python3-torch, python3-onnx):
  /usr/bin/python3 scripts/onnx/make_bert_onnx.py --layers 2 --hidden 64 --heads 4 --out DIR
  /usr/bin/python3 scripts/onnx/make_bert_onnx.py --layers 12 --hidden 768 --heads 12 \
      --vocab ../shared/models/scibert_scivocab_uncased/vocab.txt --out /tmp/scibert-shape
Without --vocab the deterministic ~1000-token test vocab (tiny_vocab.py) is written.
--reference FILE writes last_hidden_state of two fixed inputs from torch as JSON.
"""
import argparse
import json
import math
import os
import shutil
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tiny_vocab import build_vocab  # noqa: E402


class Embeddings(nn.Module):
    def __init__(self, vocab, hidden, max_pos, type_vocab, eps):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.position_embeddings = nn.Embedding(max_pos, hidden)
        self.token_type_embeddings = nn.Embedding(type_vocab, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.register_buffer("position_ids", torch.arange(max_pos).unsqueeze(0), persistent=False)

    def forward(self, input_ids, token_type_ids):
        seq = input_ids.shape[1]
        pos = self.position_ids[:, :seq]
        x = self.word_embeddings(input_ids) + self.position_embeddings(pos)
        x = x + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(x)


class Layer(nn.Module):
    def __init__(self, hidden, heads, inter, eps):
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, inter)
        self.output = nn.Linear(inter, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)

    def split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, ext_mask):
        b, s, h = x.shape
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + ext_mask
        ctx = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, s, h)
        x = self.attn_norm(x + self.attn_out(ctx))
        ff = self.output(nn.functional.gelu(self.intermediate(x)))
        return self.out_norm(x + ff)


class BertLike(nn.Module):
    def __init__(self, cfg, with_token_types):
        super().__init__()
        eps = cfg["layer_norm_eps"]
        self.with_token_types = with_token_types
        self.embeddings = Embeddings(cfg["vocab_size"], cfg["hidden_size"], cfg["max_position_embeddings"],
                                     cfg["type_vocab_size"], eps)
        self.layers = nn.ModuleList([
            Layer(cfg["hidden_size"], cfg["num_attention_heads"], cfg["intermediate_size"], eps)
            for _ in range(cfg["num_hidden_layers"])])

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x = self.embeddings(input_ids, token_type_ids)
        # BERT's additive mask: padded keys get -10000 so softmax gives them ~0 weight.
        ext = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, ext)
        return x


def init_weights(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name.lower() or "LayerNorm" in name:
                # LayerNorm gains/biases near 1/0 but not exactly, so tests see non-trivial affine parts.
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.05 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.02 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.02 * torch.randn(p.shape, generator=g))  # BERT's initializer_range


def reference_inputs(vocab_size):
    """Two fixed inputs of different real lengths, padded to the same length (pad id 0)."""
    a = [2, 40, 300, 512, 77, 3]
    b = [2, 150, 151, 152, 900 % vocab_size, 999 % vocab_size, 12, 13, 14, 3]
    seq = max(len(a), len(b))
    ids = [r + [0] * (seq - len(r)) for r in (a, b)]
    mask = [[1] * len(r) + [0] * (seq - len(r)) for r in (a, b)]
    types = [[0] * seq, [0] * 5 + [1] * 5]
    return ids, mask, types


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--intermediate", type=int, default=0, help="FFN size (default 4*hidden)")
    ap.add_argument("--max-position", type=int, default=512)
    ap.add_argument("--vocab", default=None, help="vocab.txt to use (copied next to the model)")
    ap.add_argument("--no-token-type-ids", action="store_true", help="export without the token_type_ids input")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--reference", default=None, help="write torch outputs for two fixed inputs to this JSON file")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.hidden % a.heads:
        sys.exit(f"--hidden {a.hidden} is not divisible by --heads {a.heads}")

    os.makedirs(a.out, exist_ok=True)
    vocab_out = os.path.join(a.out, "vocab.txt")
    if a.vocab:
        with open(a.vocab, encoding="utf-8") as f:
            vocab_size = sum(1 for _ in f)
        if os.path.abspath(a.vocab) != os.path.abspath(vocab_out):
            shutil.copyfile(a.vocab, vocab_out)
    else:
        tokens = build_vocab()
        vocab_size = len(tokens)
        with open(vocab_out, "w", encoding="utf-8") as f:
            f.write("\n".join(tokens) + "\n")

    cfg = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": a.hidden,
        "num_hidden_layers": a.layers,
        "num_attention_heads": a.heads,
        "intermediate_size": a.intermediate or 4 * a.hidden,
        "hidden_act": "gelu",
        "max_position_embeddings": a.max_position,
        "type_vocab_size": 2,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "do_lower_case": True,
        "_generator": "scripts/onnx/make_bert_onnx.py (random weights, seed %d)" % a.seed,
    }
    torch.manual_seed(a.seed)
    model = BertLike(cfg, not a.no_token_type_ids).eval()
    init_weights(model, a.seed)

    ids, mask, types = reference_inputs(vocab_size)
    ids_t, mask_t, types_t = (torch.tensor(x, dtype=torch.int64) for x in (ids, mask, types))
    dyn = {0: "batch_size", 1: "sequence_length"}
    if a.no_token_type_ids:
        args, names = (ids_t, mask_t), ["input_ids", "attention_mask"]
    else:
        args, names = (ids_t, mask_t, types_t), ["input_ids", "attention_mask", "token_type_ids"]
    model_path = os.path.join(a.out, "model.onnx")
    with torch.no_grad():
        torch.onnx.export(model, args, model_path, input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={**{n: dyn for n in names}, "last_hidden_state": dyn},
                          opset_version=14, do_constant_folding=True)
        ref = model(*args)

    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    if a.reference:
        out = {"input_ids": ids, "attention_mask": mask,
               "token_type_ids": None if a.no_token_type_ids else types,
               "shape": list(ref.shape),
               "last_hidden_state": [round(float(v), 7) for v in ref.flatten().tolist()]}
        with open(a.reference, "w") as f:
            json.dump(out, f)
    size = os.path.getsize(model_path)
    print(f"wrote {model_path} ({size / 1e6:.2f} MB), vocab {vocab_size}, hidden {a.hidden}, layers {a.layers}")


if __name__ == "__main__":
    main()
