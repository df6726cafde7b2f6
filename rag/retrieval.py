"""Hybrid retrieval: dense (FAISS, best of passage and sentence vectors) fused with BM25 by reciprocal rank."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.index import SearchIndex
from rag.models import Encoder
from rag.types import Chunk, Hit

RRF_K = 60
_NAME_RUN = re.compile(r"[A-Z][\w-]+(?:\s+(?:of|for|the|and)?\s*[A-Z][\w-]+)+")
_WORD = re.compile(r"\w+", re.UNICODE)
# bm25s' English list, plus words that only frame a question about this interview.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been before being
    below between both but by can could did do does doing don down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is isn it its itself just let me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t ll re ve d m""".split()
)


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed word tokens; apostrophes split words ("China’s" -> "china").

    >>> tokenize("China’s economic ties started")
    ['china', 'econom', 'tie', 'start']
    """
    return _stemmer().stemWords([w for w in _WORD.findall(text.lower()) if w not in STOPWORDS])


def bm25_text(chunk: Chunk) -> str:
    """What BM25 sees: the interviewee's words, with the question they answer as context."""
    return f"{chunk.text} {chunk.question}" if chunk.question else chunk.text


class Bm25:
    """BM25 (bm25s, Lucene variant) over the passages; built once per loaded index."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        import bm25s

        self.n = len(chunks)
        self._model = bm25s.BM25()
        corpus_tokens = [tokenize(bm25_text(c)) or ["\u2400"] for c in chunks]
        self._model.index(corpus_tokens, show_progress=False)
        self.vocabulary = frozenset(t for tokens in corpus_tokens for t in tokens)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.vocabulary]
        if not tokens:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked lists of ids: score(id) = sum over lists of 1 / (k + rank), rank counted from 1.

    >>> reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=1)
    [(1, 0.8333333333333333), (3, 0.75), (2, 0.3333333333333333)]
    """
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class DenseScores:
    passage: np.ndarray  # best cosine per passage (whole passage or any of its sentences)
    rows: np.ndarray  # cosine per vector row


class Retriever:
    """Ranks the passages of one index for a query. The encoder is passed in so tests can use a fake."""

    def __init__(self, index: SearchIndex, encoder: Encoder, rrf_k: int = RRF_K) -> None:
        self.index = index
        self.encoder = encoder
        self.rrf_k = rrf_k
        self.bm25 = Bm25(index.chunks)
        chunk_roles = np.array([c.role for c in index.chunks], dtype=object)
        self.row_roles = chunk_roles[index.owners] if len(index.chunks) else np.array([], dtype=object)
        self._ranking_rows = (index.sentence_of == -1) | (self.row_roles == "answer")
        self.position = {c.id: i for i, c in enumerate(index.chunks)}
        self._row_of = {key: r for r, key in enumerate(zip(index.owners.tolist(), index.sentence_of.tolist()))}
        self._vocabularies: dict[tuple[str, ...], frozenset[str]] = {}
        # Initials of the corpus's multi-word names, lower-cased: "United Nations" -> "un".
        names = (m.group(0) for c in index.chunks for m in _NAME_RUN.finditer(c.text))
        self.acronyms = frozenset("".join(w[0] for w in n.split() if w[0].isupper()).lower() for n in names)

    def row(self, chunk_index: int, sentence_index: int) -> int:
        """The vector row of a passage's sentence (the passage's own row for a one-sentence passage)."""
        return self._row_of.get((chunk_index, sentence_index), self._row_of[(chunk_index, -1)])

    def vocabulary(self, roles: tuple[str, ...]) -> frozenset[str]:
        """Every token that passages of these roles contain."""
        if roles not in self._vocabularies:
            self._vocabularies[roles] = frozenset(t for c in self.index.chunks if c.role in roles for t in tokenize(c.text))
        return self._vocabularies[roles]

    def embed(self, query: str) -> np.ndarray:
        return self.encoder.encode([query])[0]

    def dense(self, query_vector: np.ndarray) -> DenseScores:
        n_rows = self.index.vectors.shape[0]
        sims, rows = self.index.faiss_index.search(query_vector.reshape(1, -1).astype(np.float32), n_rows)
        row_scores = np.full(n_rows, -1.0, dtype=np.float32)
        valid = rows[0] >= 0
        row_scores[rows[0][valid]] = sims[0][valid]
        # An answer matches through its best sentence; a question or narration only as a whole, so
        # that one sentence of the interviewer's does not outrank the answers it introduces.
        passage = np.full(len(self.index.chunks), -1.0, dtype=np.float32)
        ranking = self._ranking_rows
        np.maximum.at(passage, self.index.owners[ranking], row_scores[ranking])
        return DenseScores(passage, row_scores)

    def search(self, query: str, k: int = 5, dense_scores: DenseScores | None = None) -> list[Hit]:
        """The top `k` passages; pass `dense_scores` already computed for this query to skip the encode."""
        if k < 1:
            raise ValueError(f"k must be a positive number of passages, got {k}")
        dense = (dense_scores or self.dense(self.embed(query))).passage
        lexical = self.bm25.scores(query)
        dense_rank = [int(i) for i in np.argsort(-dense, kind="stable")]
        lexical_rank = [int(i) for i in np.argsort(-lexical, kind="stable") if lexical[i] > 0]
        fused = reciprocal_rank_fusion([dense_rank, lexical_rank], self.rrf_k)
        return [
            Hit(self.index.chunks[i], score, rank, float(dense[i]), float(lexical[i]))
            for rank, (i, score) in enumerate(fused[:k], start=1)
        ]
