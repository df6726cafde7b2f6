"""Reading a question in another language with the corpus's own English words.

The multilingual encoder puts a word and its translation close together ("Тайвань" and "taiwan" at a
cosine of 0.94, "молодёжь" and "youth" 0.92, while "футбол" finds nothing closer than 0.86), so the
corpus's vocabulary, encoded once, is a bilingual dictionary read off the encoder: every word of the
question is replaced by the corpus word nearest to it when that word is near enough. The English words
found feed the lexical side (BM25, word overlap) of the answering pipeline, which otherwise sees only
the digits and Latin names of such a question. The threshold is calibrated with the rest.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
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


def corpus_names(texts: Sequence[str]) -> frozenset[str]:
    """The corpus words it writes capitalized inside a sentence (names: "Taiwan", "Central Asia",
    "Summit"), lower-cased as `corpus_words` gives them.

    >>> sorted(corpus_names(["Taiwan is a part of China.", "We met in Central Asia, and Asia grew."]))
    ['asia', 'central', 'china']
    """
    return frozenset(w.lower() for t in texts for w in re.findall(r"(?<=[\w,;:] )[A-Z][A-Za-z'’-]{2,}", t))


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


# A word's last letter that its other cases replace ("Сиань" / "Сиане", "Китай" / "Китая", "Устав" keeps it).
_CASE_ENDING = re.compile(r"(?<=\w{3})[аяеиоуыьйэюё]$", re.IGNORECASE)


def _name_pattern(form: str) -> str:
    """A name as another language writes it, as a pattern: Chinese as it is; an acronym whole ("ШОС",
    also before "-ға", not inside "шоссе"); other words each in any case ("Сиань" finds "Сиане")."""
    if _HAN_RUN.fullmatch(form):
        return re.escape(form)
    if form.isupper():
        return rf"(?<!\w){re.escape(form)}(?!\w)"
    return r"(?<!\w)(?i:" + r"\s+".join(re.escape(_CASE_ENDING.sub("", w)) + r"\w*" for w in form.split()) + ")"


def english_names(text: str, names: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The text with the names a transcript's card gives in other languages written as the transcript
    writes them. The encoder matches a transliterated name ("Тайвань") to its English word, but not
    an acronym of translated words ("ШОС", "ШЫҰ") nor a Chinese rendering ("习近平"); longer forms first.

    >>> english_names("Что Токаев сказал о ШОС и Сиане?", [("SCO", ["ШОС"]), ("Xi An", ["Сиань"])])
    'Что Токаев сказал о SCO и Xi An?'
    >>> english_names("шоссе 上海合作组织", [("SCO", ["ШОС", "上合", "上海合作组织"])])
    'шоссе SCO'
    """
    forms = sorted(((form, name) for name, spelled in names for form in spelled), key=lambda f: -len(f[0]))
    for form, name in forms:
        text = re.sub(_name_pattern(form), f" {name} " if _HAN_RUN.fullmatch(form) else name, text)
    return re.sub(r" {2,}", " ", text).strip()


@functools.cache
def _chinese_stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_CHINESE  # imported when first needed: bm25s costs ~0.3 s

    return frozenset(STOPWORDS_CHINESE)


def _is_name(piece: str, text: str) -> bool:
    """Whether `piece` is capitalized inside a sentence of `text`, not opening it ("Что ... на Украине?")."""
    return piece[:1].isupper() and re.search(rf"(?<=[\w,;:] ){re.escape(piece)}(?!\w)", text) is not None


# Pieces whose nearest corpus word is remembered. A question in another language is mostly words that
# recur ("что", "сказал", "Токаев"), and looking a piece up is a full pass of the encoder (a Chinese
# question of 15 characters is 14 pieces: ~90 ms of the ~160 ms it took); an entry is a few hundred bytes.
NEAREST_CACHE_SIZE = 50_000


class WordAligner:
    """The corpus vocabulary's vectors (encoded on first use, once) and the lookup of a question's words."""

    def __init__(
        self, encoder: QueryPassageEncoder, vocabulary: Sequence[str], cache_size: int = NEAREST_CACHE_SIZE,
        names: Sequence[tuple[str, Sequence[str]]] = (), name_words: frozenset[str] | None = None,
    ) -> None:
        self.encoder = encoder
        self.vocabulary = list(vocabulary)
        self.names = tuple(names)  # (corpus name, its spellings in other languages): `english_names`
        # The vocabulary's names (`corpus_names`): a name in a question reads as one of them or as itself.
        # None: any word may read as any.
        self.name_words = name_words
        self.cache_size = cache_size
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()
        self._nearest: OrderedDict[str, tuple[int, float]] = OrderedDict()  # piece -> (vocabulary row, cosine)

    def vectors(self) -> np.ndarray:
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    # Words on both sides are "queries": a word is not a passage to be found.
                    self._vectors = np.asarray(self.encoder.query(self.vocabulary), dtype=np.float32)
        return self._vectors

    def nearest(self, pieces: Sequence[str]) -> list[tuple[int, float]]:
        """Each piece's nearest vocabulary row and its cosine; only pieces not seen lately are encoded."""
        with self._lock:
            known = {p: self._nearest[p] for p in pieces if p in self._nearest}
            for p in known:
                self._nearest.move_to_end(p)
        unseen = list(dict.fromkeys(p for p in pieces if p not in known))
        if unseen:
            similarity = np.asarray(self.encoder.query(unseen), dtype=np.float32) @ self.vectors().T
            best = similarity.argmax(axis=1)
            found = {p: (int(best[i]), float(similarity[i, best[i]])) for i, p in enumerate(unseen)}
            known.update(found)
            with self._lock:
                self._nearest.update(found)
                while len(self._nearest) > self.cache_size:
                    self._nearest.popitem(last=False)
        return [known[p] for p in pieces]

    def unread(self, text: str, threshold: float) -> list[str]:
        """The Chinese the lookup reads as nothing: stretches of two characters or more of the question
        that are in no piece near a corpus word, no card name and no stopword (bm25s's Chinese list).
        "托卡耶夫对比特币说了什么？" leaves "特币": it names something the corpus lacks, where "他还说了什么？"
        leaves nothing (the reading of either has no word: English and Russian keep an unknown word as
        it is, Chinese pieces are mostly no words, so this is how a Chinese question shows it has a topic)."""
        left: list[str] = []
        stopwords = _chinese_stopwords()
        longest = max(map(len, stopwords))
        for run in _HAN_RUN.findall(english_names(text, self.names)):
            read = [False] * len(run)
            pieces = [run[i : i + 2] for i in range(len(run) - 1)]
            for i, (_, cosine) in enumerate(self.nearest(pieces) if pieces else []):
                if cosine >= threshold:
                    read[i] = read[i + 1] = True
            for i in range(len(run)):
                size = next((n for n in range(min(longest, len(run) - i), 0, -1) if run[i : i + n] in stopwords), 0)
                read[i : i + size] = [True] * size
            marks = "".join("r" if r else "u" for r in read)
            left += [run[m.start() : m.end()] for m in re.finditer("u{2,}", marks)]
        return left

    def english(self, text: str, threshold: float) -> str:
        """The question's words as the corpus's nearest English words (those at `threshold` or above),
        with its Latin words and numbers, as one string for the lexical side. A word with no near corpus
        word stays as it is (lower-cased unless it is a name): unknown to the corpus, it counts against
        coverage as an unknown English word would. (Not so a two-character piece of Chinese: most such
        pieces are no word at all.)"""
        text = english_names(text, self.names)
        pieces, kept = question_pieces(text)
        found: list[str] = []
        if pieces and self.vocabulary:
            for piece, (row, cosine) in zip(pieces, self.nearest(pieces)):
                name = _is_name(piece, text)
                # A name reads as a name only: "России" is not the corpus's "country", however near
                # (a user run found "Что Токаев сказал о России?" quoting "I want to put my country ...").
                if cosine >= threshold and not (name and self.name_words is not None and self.vocabulary[row] not in self.name_words):
                    found.append(self.vocabulary[row])
                elif not _HAN_RUN.fullmatch(piece):
                    # A capitalized word inside a sentence is a name ("Украине"), kept as one: a name
                    # the corpus never mentions counts against coverage (rag.decide.unknown_names).
                    found.append(piece if name else piece.lower())
        return " ".join(dict.fromkeys([*kept, *found]))
