"""The common tutorial RAG pipeline, kept only as the eval report's reference point.

Fixed 1000-character windows with 200 characters of overlap over the whole page (boilerplate and
questions included), the same embedding model, exact inner-product search, and the best window handed back
as the answer. It knows nothing of speakers, so every window is presented as the interviewee's words:
that is what such a bot does when asked "what did Tokayev say", and the citation-precision metric shows
what it costs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from rag.models import Encoder
from rag.types import Answer, Chunk, Citation, Document, Hit

TUTORIAL_CHUNK_CHARS = 1000
TUTORIAL_OVERLAP = 200


def fixed_windows(doc: Document, size: int = TUTORIAL_CHUNK_CHARS, overlap: int = TUTORIAL_OVERLAP) -> list[Chunk]:
    """Windows of `size` characters starting every `size - overlap` characters; the last one ends the file."""
    if not 0 <= overlap < size:
        raise ValueError(f"overlap must be at least 0 and below the window size {size}, got {overlap}")
    raw, step = doc.raw, size - overlap
    chunks: list[Chunk] = []
    for n, start in enumerate(range(0, max(len(raw) - overlap, 1), step)):
        end = min(start + size, len(raw))
        text = raw[start:end]
        chunks.append(Chunk(f"{doc.source}#w{n}", doc.source, "answer", doc.interviewee, 0, start, end, text, text))
    return chunks


class TutorialBot:
    """Same `ask` as `rag.pipeline.Bot`, so the eval runner puts both through one code path."""

    def __init__(self, docs: Sequence[Document], encoder: Encoder) -> None:
        import faiss

        self.chunks = [c for d in docs for c in fixed_windows(d)]
        self.encoder = encoder
        self.index = faiss.IndexFlatIP(encoder.dim)
        self.index.add(encoder.encode([c.text for c in self.chunks]).astype(np.float32))

    def ask(self, question: str, history: Sequence[str] = (), k: int = 5) -> Answer:
        # No chat memory and no abstention: the tutorial answers every question from its best window.
        started = time.perf_counter()
        scores, ids = self.index.search(self.encoder.encode([question]).astype(np.float32), min(k, len(self.chunks)))
        hits = tuple(
            Hit(self.chunks[i], float(s), rank, dense_score=float(s))
            for rank, (i, s) in enumerate(zip(ids[0].tolist(), scores[0].tolist()), start=1)
            if i >= 0
        )
        top = hits[0].chunk
        citation = Citation(1, top.source, top.speaker, top.role, top.start, top.end, top.text, top.id, top.start, top.end)
        return Answer(
            question=question,
            answer=f"{top.speaker} said: \u201c{top.text}\u201d [1]",
            abstained=False,
            citations=(citation,),
            retrieved=hits,
            latency_ms=(time.perf_counter() - started) * 1000,
            resolved_query=question,
            mode_used="tutorial",
        )
