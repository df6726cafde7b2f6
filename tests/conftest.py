"""Shared fixtures: a fake encoder for tests where the model is not the point, the real one where it is."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

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



class BagOfWordsPairEncoder(BagOfWordsEncoder):
    """Stand-in for the query-passage encoder (e5): the same bag of words on both sides."""

    name = "fake/bag-of-words-pair"

    def query(self, texts):
        return self.encode(texts)

    def passage(self, texts):
        return self.encode(texts)

@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    """Every test process of the session shares one converted generator (converting takes ~40 s) and
    an empty corpus folder, so transcripts a developer added with `rag add` cannot change the results."""
    values = {
        "RAG_MODEL_CACHE": str(tmp_path_factory.mktemp("model-cache")),
        "RAG_CORPUS_DIR": str(tmp_path_factory.mktemp("corpus")),
    }
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    yield values
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def fake_encoder():
    return BagOfWordsEncoder()


@pytest.fixture(scope="session")
def seed():
    return load_seed()


@pytest.fixture(scope="session")
def real_retriever(seed):
    """The seed's retriever as the bot builds it: both encoders, the speakers' names as framing words."""
    from rag.answer import speaker_names
    from rag.models import get_encoder, get_second_encoder

    encoder, second = get_encoder(), get_second_encoder()
    return Retriever(build_index([seed], encoder, second=second), encoder, names=speaker_names([seed]), second=second)


@pytest.fixture(scope="session")
def real_engine_over():
    """Makes the answering engine over parsed transcripts as the bot builds it: both bundled encoders,
    the bundled calibration."""
    from rag.answer import Engine, speaker_names
    from rag.models import get_encoder, get_second_encoder

    encoder, second = get_encoder(), get_second_encoder()

    def make(docs):
        return Engine(Retriever(build_index(docs, encoder, second=second), encoder, names=speaker_names(docs), second=second), docs)

    return make


# --- the web app in a subprocess, shared by the UI, API and robustness tests ---------------------------
HOSTILE = (
    "Host: What about the harbour?\n\n"
    'Guest: The harbour <script>window.pwned = 1</script> gets deeper next year, see [the plan](http://example.com/plan) '
    'and <img src=x onerror="window.pwned = 2"> for details.\n'
)


def child_processes():
    """Processes for tests that run `rag` in several at once. Not forked from the test process: a child
    forked after faiss has run a parallel search here hangs in OpenMP, which once stalled CI for its whole
    90 minutes. A fork server has run no search, and preloading what a child imports keeps each start
    fast. A child has the environment the server started with, so a test passes what a child needs as
    arguments."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["conftest", "faiss", "bm25s", "filelock"])  # once, at the first start
    return context


def replies_within(pipes, workers, seconds: float, missing):
    """What each child sent down its pipe (`missing` for one still silent `seconds` after the call), once
    every child has ended: one still running then is killed, so a hang fails the test instead of CI."""
    deadline = time.monotonic() + seconds
    left = lambda: max(0.0, deadline - time.monotonic())  # noqa: E731
    replies = [mine.recv() if mine.poll(left()) else missing for mine, _ in pipes]
    for worker in workers:
        worker.join(left())
        if worker.is_alive():
            worker.kill()
            worker.join()
    return replies


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port() -> int:
    return _free_port()


def wait_until_serving(url: str, proc: subprocess.Popen, timeout_s: float) -> bool:
    """True once `url` answers 200; False if the server process exits or the time runs out first."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.5)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    hostile = root / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(root / "index")}
    log = (root / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "--corpus", str(hostile), "serve", "--port", str(port), "--data-dir", str(root / "data")],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    if not wait_until_serving(url, proc, timeout_s=240):
        proc.kill()
        pytest.fail(f"server did not come up: {(root / 'server.log').read_text()}")
    yield {"url": url, "data": root / "data", "log": root / "server.log"}
    os.kill(proc.pid, 15)
    proc.wait(timeout=30)


# --- a four-paragraph transcript for the pipeline's unit tests (fake encoder, hand-set calibration) ----
TINY = (
    "Host: What about the harbour?\n\n"
    "Ada Li: The harbour opened in 1996. It is the deepest port in the region.\n\n"
    "Host: Critics call the bridge a failure. What about the bridge?\n\n"
    "Ada Li: The bridge carries ten thousand cars a day. So it pays for itself.\n"
)


@pytest.fixture
def tiny_doc():
    from rag.corpus import parse_transcript

    return parse_transcript(TINY, "tiny.txt")


@pytest.fixture
def tiny_calibration():
    """Weights set by hand so that a test can derive every score: word overlap and cosine decide."""
    from rag.calibration import COVERAGE_FEATURES, SENTENCE_FEATURES, Calibration, Logistic

    sentence = dict.fromkeys(SENTENCE_FEATURES, 0.0) | {"sentence_cosine": 2.0, "term_overlap": 4.0, "type_match": 1.0}
    coverage = dict.fromkeys(COVERAGE_FEATURES, 0.0) | {"best_overlap": 6.0, "unknown_name": -6.0}
    return Calibration(
        sentence=Logistic(SENTENCE_FEATURES, tuple(sentence.values()), -2.0),
        coverage=Logistic(COVERAGE_FEATURES, tuple(coverage.values()), -2.0),
    )


@pytest.fixture
def engine_over(fake_encoder, tiny_calibration):
    """Makes the answering engine over parsed transcripts, with the fake encoder and the hand-set calibration."""
    from rag.answer import Engine, speaker_names

    def make(docs):
        return Engine(Retriever(build_index(docs, fake_encoder), fake_encoder, names=speaker_names(docs)), docs, tiny_calibration)

    return make


@pytest.fixture
def tiny_engine(tiny_doc, engine_over):
    return engine_over([tiny_doc])
