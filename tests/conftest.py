"""Shared fixtures: a fake encoder for tests where the model is not the point, the real one where it is."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from rag.corpus import load_seed
from rag.index import build_index
from rag.retrieval import Retriever


class BagOfWordsEncoder:
    """Deterministic stand-in for the embedding model: each lower-cased word hashes to one dimension."""

    name = "fake/bag-of-words"
    dim = 64

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


@pytest.fixture(scope="session", autouse=True)
def shared_model_cache(tmp_path_factory):
    """One converted generator for every test process of the session (converting takes ~40 s)."""
    import os

    path = tmp_path_factory.mktemp("model-cache")
    previous = os.environ.get("RAG_MODEL_CACHE")
    os.environ["RAG_MODEL_CACHE"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("RAG_MODEL_CACHE", None)
    else:
        os.environ["RAG_MODEL_CACHE"] = previous


@pytest.fixture
def fake_encoder():
    return BagOfWordsEncoder()


@pytest.fixture(scope="session")
def seed():
    return load_seed()


@pytest.fixture(scope="session")
def real_retriever(seed):
    from rag.models import get_encoder

    encoder = get_encoder()
    return Retriever(build_index([seed], encoder), encoder)
