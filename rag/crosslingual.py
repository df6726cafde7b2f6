"""Reading a question in another language with the corpus's own English words.

The multilingual encoder puts a word and its translation close together ("Тайвань" and "taiwan" at a
cosine of 0.94, "молодёжь" and "youth" 0.92, while "футбол" finds nothing closer than 0.86), so the
corpus's vocabulary, encoded once, is a bilingual dictionary read off the encoder: every word of the
question is replaced by the corpus word nearest to it when that word is near enough. The English words
found feed the lexical side (BM25, word overlap) of the answering pipeline, which otherwise sees only
the digits and Latin names of such a question. The threshold is calibrated with the rest.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import numpy as np

from rag.models import QueryPassageEncoder

_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_OR_DIGITS = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")


def corpus_words(texts: Sequence[str]) -> list[str]:
    """The corpus's words of three letters or more, lower-cased, in first-seen order.

    >>> corpus_words(["Taiwan is a part of China.", "China, 1996"])
    ['taiwan', 'part', 'china']
    """
    return list(dict.fromkeys(w.lower() for t in texts for w in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", t)))


def question_pieces(text: str) -> tuple[list[str], list[str]]:
    """(pieces to look up, tokens kept as they are): words of non-Latin letters, and every two-character
    piece of a run of Chinese characters (Chinese writes no spaces; most words are two characters, and
    a piece that is no word finds no near corpus word); Latin words and numbers are kept.

    >>> question_pieces("Что сказал о SCO в 1996?")
    (['Что', 'сказал'], ['SCO', '1996'])
    >>> question_pieces("托卡耶夫对台湾")
    (['托卡', '卡耶', '耶夫', '夫对', '对台', '台湾'], [])
    """
    kept = _LATIN_OR_DIGITS.findall(text)
    pieces: list[str] = []
    for run in _HAN_RUN.findall(text):
        pieces += [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
    rest = _HAN_RUN.sub(" ", _LATIN_OR_DIGITS.sub(" ", text))
    pieces += [w for w in _LETTERS.findall(rest) if len(w) >= 3]
    return list(dict.fromkeys(pieces)), kept


class WordAligner:
    """The corpus vocabulary's vectors (encoded on first use, once) and the lookup of a question's words."""

    def __init__(self, encoder: QueryPassageEncoder, vocabulary: Sequence[str]) -> None:
        self.encoder = encoder
        self.vocabulary = list(vocabulary)
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    # Words on both sides are "queries": a word is not a passage to be found.
                    self._vectors = np.asarray(self.encoder.query(self.vocabulary), dtype=np.float32)
        return self._vectors

    def english(self, text: str, threshold: float) -> str:
        """The question's words as the corpus's nearest English words (those at `threshold` or above),
        with its Latin words and numbers, as one string for the lexical side. A word with no near corpus
        word stays as it is: unknown to the corpus, it counts against coverage as an unknown English
        word would. (Not so a two-character piece of Chinese: most such pieces are no word at all.)"""
        pieces, kept = question_pieces(text)
        found: list[str] = []
        if pieces and self.vocabulary:
            similarity = np.asarray(self.encoder.query(pieces), dtype=np.float32) @ self.vectors().T
            best = similarity.argmax(axis=1)
            for i, j in enumerate(best):
                if similarity[i, j] >= threshold:
                    found.append(self.vocabulary[int(j)])
                elif not _HAN_RUN.fullmatch(pieces[i]):
                    found.append(pieces[i].lower())
        return " ".join(dict.fromkeys([*kept, *found]))
