"""Wiring: the corpus, the index on disk and the retriever, opened once and asked many times."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.answer import AnswerSettings, answer_question
from rag.corpus import load_document, seed_path
from rag.index import ensure_index
from rag.models import Encoder, get_encoder
from rag.retrieval import Retriever
from rag.types import Answer, Chunk, Document


def checkout_dir() -> Path | None:
    """The source checkout this package runs from (an editable install), if any."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "pyproject.toml").exists() else None


def default_data_dir() -> Path:
    """Where the web app keeps feedback and exported conversations: RAG_DATA_DIR, else `index/data/` of
    the checkout, else a per-user folder."""
    if os.environ.get("RAG_DATA_DIR"):
        return Path(os.environ["RAG_DATA_DIR"])
    checkout = checkout_dir()
    if checkout:
        return checkout / "index" / "data"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "tokayev-rag"


def default_index_dir() -> Path:
    """`index/` of the source checkout (where `make run` works), else a per-user cache folder."""
    if os.environ.get("RAG_INDEX_DIR"):
        return Path(os.environ["RAG_INDEX_DIR"])
    checkout = checkout_dir()
    if checkout:
        return checkout / "index"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tokayev-rag" / "index"


def load_corpus(paths: Sequence[Path] = ()) -> list[Document]:
    """The seed interview, then any further transcripts."""
    return [load_document(p) for p in (seed_path(), *paths)]


@dataclass
class Bot:
    """A loaded corpus and retriever; `ask` is safe to call from many threads (it keeps no per-call state)."""

    docs: list[Document]
    retriever: Retriever

    def ask(self, question: str, history: Sequence[str] = (), k: int = 5) -> Answer:
        return answer_question(question, self.retriever, self.docs, history, AnswerSettings(k=k))

    def passage(self, passage_id: str) -> Chunk | None:
        """The indexed passage a citation points to (None for the page's metadata lines)."""
        position = self.retriever.position.get(passage_id)
        return None if position is None else self.retriever.index.chunks[position]


def open_bot(
    index_dir: Path | None = None,
    rebuild: bool = False,
    encoder: Encoder | None = None,
    corpus: Sequence[Path] = (),
    progress: bool = True,
) -> Bot:
    docs = load_corpus(corpus)
    encoder = encoder or get_encoder()
    index = ensure_index(index_dir or default_index_dir(), docs, encoder, rebuild=rebuild, progress=progress)
    return Bot(docs, Retriever(index, encoder))
