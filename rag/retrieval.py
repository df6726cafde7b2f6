"""Hybrid retrieval: dense (FAISS, best of passage and sentence vectors) plus weighted, max-normalized BM25.

A convex combination of the scores rather than reciprocal-rank fusion: on a few dozen passages, RRF's
rank differences are near-ties (1/61 vs 1/62) and it discards how much better the best passage is.
"""

from __future__ import annotations

import bisect
import copy
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.chunking import asking_positions
from rag.index import SearchIndex
from rag.models import Encoder, QueryPassageEncoder
from rag.types import Chunk, Hit

# BM25 max-normalized to [0, 1] and weighted against the cosine; chosen on eval/dev_questions.jsonl.
LEXICAL_WEIGHT = 0.4
# Users ask what the interviewee said: an interviewer's question or the narration that matches only as
# well as an answer ranks below it (except for questions about the interview itself).
CONTEXT_PENALTY = 0.05
DENSE_DEPTH = 2048
# Word vectors kept for `Retriever.word_similarity` before the store is emptied.
MAX_KEPT_WORDS = 20_000
# "dense" and "bm25" rank by one signal alone: the eval report's side-by-side baselines.
RETRIEVAL_MODES = ("hybrid", "dense", "bm25")
_NAME_RUN = re.compile(r"[A-Z][\w-]+(?:\s+(?:of|for|the|and)?\s*[A-Z][\w-]+)+")
_CAPITALIZED_WORD = re.compile(r"\b[A-Z][\w'’-]*")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_WORD = re.compile(r"\w+", re.UNICODE)
# bm25s' English list.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been before being
    below between both but by can could did do does doing don down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is isn it its itself just let me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t ll re ve d m""".split()
)
# Words that frame a question about someone's words ("what did he say about ...", "in his view") and
# say nothing of its topic. English grammar, not this interview: the speakers' own names and titles are
# added per corpus (`Retriever(framing=...)`). They stay in the text that is embedded; lexical scoring
# leaves them out, so that "Tokayev said" does not match the narration that names him.
FRAMING_WORDS = frozenset(
    """say says said saying tell tells told speak speaks spoke mention mentions mentioned think thinks thought
    view views opinion opinions stance according explain explains describe describes described comment
    comments commented claim claims claimed believe believes please interview interviews else""".split()
)


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=100_000)
def base_form(word: str) -> str:
    """An irregular inflection's base form, which the stemmer cannot reach ("took" -> "take", "sold" ->
    "sell", "children" -> "child"; a user run's "Who did he take over from?" missed "I took over from
    ..."), from lemminflect's English tables; a word that is a base form itself keeps its own ("found"
    is a verb too), and so does one the tables read two ways.

    >>> base_form("took"), base_form("sold"), base_form("children"), base_form("given"), base_form("found"), base_form("data")
    ('take', 'sell', 'child', 'give', 'found', 'data')
    """
    import lemminflect  # ~0.1 s on first use, not on importing rag

    found = lemminflect.getAllLemmas(word)
    # A verb's participle is that verb's however else it is used ("given": "when was it given"/"a given day").
    lemmas = set(found.get("VERB", ())) or {lemma for forms in found.values() for lemma in forms}
    return lemmas.pop() if len(lemmas) == 1 and word not in lemmas else word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed word tokens; apostrophes split words ("China’s" -> "china").

    >>> tokenize("China’s economic ties started")
    ['china', 'econom', 'tie', 'start']
    >>> tokenize("organisation organization")
    ['organiz', 'organiz']
    """
    stems = _stemmer().stemWords([base_form(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS])
    # British and American spellings are one word ("organisation"/"organization" stem to "organis"/"organiz").
    return [s[:-1] + "z" if len(s) > 4 and s.endswith(("is", "ys")) else s for s in stems]


def bm25_text(chunk: Chunk) -> str:
    """What BM25 sees: the interviewee's words, with the question they answer as context."""
    return f"{chunk.text} {chunk.question}" if chunk.question else chunk.text


# Stems at least this long that begin one another are one word's derivations: the stemmer keeps
# "suspici"/"suspicion", "young"/"younger", "chairman"/"chairmanship", "taiwan"/"taiwanes" apart.
# Shorter stems would join unrelated words ("part"/"partner").
MIN_DERIVATION_STEM = 5


def derives(term: str, word: str) -> bool:
    """Whether two stems are the same word or one begins the other (a derivation)."""
    if term == word:
        return True
    if len(term) < MIN_DERIVATION_STEM or len(word) < MIN_DERIVATION_STEM:
        return False
    return word.startswith(term) or term.startswith(word)


class Bm25:
    """BM25 (bm25s, Lucene variant) over the passages; built once per loaded index."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        import bm25s

        self.n = len(chunks)
        self._model = bm25s.BM25()
        corpus_tokens = [tokenize(bm25_text(c)) or ["\u2400"] for c in chunks]
        self._model.index(corpus_tokens, show_progress=False)
        self.vocabulary = frozenset(t for tokens in corpus_tokens for t in tokens)
        self._ordered = sorted(self.vocabulary)  # the words a stem begins are one run of it

    def derivations(self, term: str) -> list[str]:
        """The corpus's stems that `term` begins or that begin it (`derives`), itself if the corpus uses it.

        >>> text = "Taiwan and the Taiwanese."
        >>> bm25 = Bm25([Chunk("c", "s", "answer", "Li", 0, 0, len(text), text, text)])
        >>> bm25.derivations("taiwan"), bm25.derivations("taiwanes"), bm25.derivations("taiwa")
        (['taiwan', 'taiwanes'], ['taiwan', 'taiwanes'], ['taiwan', 'taiwanes'])
        """
        if len(term) < MIN_DERIVATION_STEM:
            return [term] if term in self.vocabulary else []
        found = [term[:k] for k in range(MIN_DERIVATION_STEM, len(term)) if term[:k] in self.vocabulary]
        i = bisect.bisect_left(self._ordered, term)
        while i < len(self._ordered) and self._ordered[i].startswith(term):
            found.append(self._ordered[i])
            i += 1
        return found

    def knows(self, term: str) -> bool:
        """Whether the corpus uses the stem or a derivation of it."""
        return term in self.vocabulary or bool(self.derivations(term))

    def scores(self, query: str, ignore: frozenset[str] = frozenset()) -> np.ndarray:
        # A word the corpus uses only as a derivation is looked up as that ("Taiwanese" -> "taiwan").
        asked = [t for t in tokenize(query) if t not in ignore]
        tokens = [w for t in asked for w in ([t] if t in self.vocabulary else self.derivations(t)) if w not in ignore]
        if not tokens:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self._model.get_scores(tokens), dtype=np.float32)


def name_terms(names: Sequence[str]) -> frozenset[str]:
    """The stems of the speakers' names and titles."""
    return frozenset(t for n in names for t in tokenize(n))


def framing_terms(names: Sequence[str]) -> frozenset[str]:
    """The stems lexical scoring leaves out: `FRAMING_WORDS` and the speakers' names and titles."""
    return frozenset(tokenize(" ".join(FRAMING_WORDS))) | name_terms(names)


def fuse(dense: np.ndarray, lexical: np.ndarray, context: np.ndarray, prefer_answers: bool = True) -> np.ndarray:
    """cosine + LEXICAL_WEIGHT * bm25 / max(bm25), minus CONTEXT_PENALTY for non-answer passages.

    >>> fuse(np.array([0.5, 0.6, 0.4]), np.array([2.0, 0.0, 1.0]), np.array([False, False, True])).round(3).tolist()
    [0.9, 0.6, 0.55]
    """
    top = float(lexical.max()) if lexical.size else 0.0
    scores = dense + LEXICAL_WEIGHT * (lexical / top if top > 0 else lexical)
    return scores - CONTEXT_PENALTY * context if prefer_answers else scores


@dataclass(frozen=True)
class DenseScores:
    passage: np.ndarray  # best cosine per passage (whole passage or any of its sentences)
    rows: np.ndarray  # cosine per vector row
    second_rows: np.ndarray | None = None  # cosine per row by the second encoder (None: the index has none)


class Retriever:
    """Ranks the passages of one index for a query. The encoder is passed in so tests can use a fake."""

    def __init__(
        self, index: SearchIndex, encoder: Encoder, mode: str = "hybrid", names: Sequence[str] = (), second: QueryPassageEncoder | None = None
    ) -> None:
        """`names`: how the corpus refers to its speakers (names, titles); they frame a question, like
        "say" or "view", and are left out of lexical scoring."""
        if mode not in RETRIEVAL_MODES:
            raise ValueError(f"retrieval mode must be one of {', '.join(RETRIEVAL_MODES)}, got {mode!r}")
        self.mode = mode
        self.index = index
        self.encoder = encoder
        # The second view is used only when the index was built with the same second encoder.
        self.second = second if second is not None and index.second is not None and index.manifest.second_model == second.name else None
        self._name(names)
        self.bm25 = Bm25(index.chunks)
        chunk_roles = np.array([c.role for c in index.chunks], dtype=object)
        self._context = chunk_roles != "answer"
        self.row_roles = chunk_roles[index.owners] if len(index.chunks) else np.array([], dtype=object)
        self._ranking_rows = (index.sentence_of == -1) | (self.row_roles == "answer")
        self.position = {c.id: i for i, c in enumerate(index.chunks)}
        self._row_of = {key: r for r, key in enumerate(zip(index.owners.tolist(), index.sentence_of.tolist()))}
        # The corpus's multi-word names by their initials, lower-cased: "un" -> ("United Nations",).
        acronyms: dict[str, set[str]] = {}
        for c in index.chunks:
            for m in _NAME_RUN.finditer(c.text):
                name = m.group(0)
                acronyms.setdefault("".join(w[0] for w in name.split() if w[0].isupper()).lower(), set()).add(name)
        self.acronyms = {initials: tuple(sorted(names)) for initials, names in acronyms.items()}
        # Per sentence of every passage: its stemmed words, for overlap features; and the inverse
        # document frequency of every word over the passages (BM25's idf), to weigh them.
        self.sentence_terms = [[frozenset(tokenize(s.text)) for s in c.sentences] for c in index.chunks]
        df: dict[str, int] = {}
        for c in index.chunks:
            for t in set(tokenize(c.text)):
                df[t] = df.get(t, 0) + 1
        n = max(len(index.chunks), 1)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        # An unseen word is as informative as the rarest: it names something the corpus never does.
        self.unseen_idf = math.log(1 + (n - 0.5) / 1.5)
        # The interviewer's question of each exchange, by (source, exchange): its whole-turn vector row.
        # The turn the answer replies to, when the interviewer spoke more than once (chunking.asking_positions).
        asking = asking_positions(index.chunks, lambda c: (c.source, c.exchange))
        self.question_row: dict[tuple[str, int], int] = {key: self._row_of[(i, -1)] for key, i in asking.items()}  # type: ignore[misc]
        # Single words' vectors (`word_similarity`), shared with the renamed copies (`with_names`).
        self._word_vectors: dict[str, np.ndarray] = {}

    @functools.cached_property
    def sentence_names(self) -> tuple[frozenset[str], ...]:
        """The stems of the capitalized words of each sentence of the transcripts, once per distinct set:
        the names a sentence uses together ("the China – Central Asia Summit")."""
        return tuple(dict.fromkeys(
            names for c in self.index.chunks for s in c.sentences if (names := frozenset(tokenize(" ".join(_CAPITALIZED_WORD.findall(s.text)))))
        ))

    @functools.cached_property
    def answer_words(self) -> dict[str, frozenset[str]]:
        """The stems each transcript's interviewees use in their answers, by source (built once)."""
        return self._stems_by_source(answers_only=True)

    @functools.cached_property
    def source_words(self) -> dict[str, frozenset[str]]:
        """The stems each transcript uses anywhere (narration, questions, answers), by source (built once)."""
        return self._stems_by_source(answers_only=False)

    def _stems_by_source(self, answers_only: bool) -> dict[str, frozenset[str]]:
        said: dict[str, set[str]] = {}
        for ci, chunk in enumerate(self.index.chunks):
            if chunk.role == "answer" or not answers_only:
                said.setdefault(chunk.source, set()).update(*self.sentence_terms[ci])
        return {source: frozenset(words) for source, words in said.items()}

    @functools.cached_property
    def money_units(self) -> frozenset[str]:
        """The stems of the units the transcripts give prices in ("crowns"), built once."""
        from rag.select import money_units  # select reads this module's tokenizer

        return money_units(c.text for c in self.index.chunks)

    def expand_acronyms(self, query: str) -> str:
        """The query with the corpus's spelled-out names for its acronyms, so that BM25 matches a passage
        saying "Shanghai Cooperation Organization" to a question asking about "the SCO"."""
        names = [n for word in _ACRONYM.findall(query) for n in self.acronyms.get(word.lower(), ()) if n not in query]
        return " ".join([query, *names])

    def lexical(self, query: str) -> np.ndarray:
        """BM25 of every passage for the query's topical words (framing words and names left out)."""
        return self.bm25.scores(self.expand_acronyms(query), ignore=self.framing)

    def topical_terms(self, text: str) -> list[str]:
        """The stemmed words of a question that say what it is about (framing words and names left out)."""
        return [t for t in tokenize(text) if t not in self.framing]

    def row(self, chunk_index: int, sentence_index: int) -> int:
        """The vector row of a passage's sentence (the passage's own row for a one-sentence passage)."""
        return self._row_of.get((chunk_index, sentence_index), self._row_of[(chunk_index, -1)])

    def with_names(self, names: Sequence[str]) -> Retriever:
        """The same retriever (index, BM25, vectors shared) with other speakers' names as framing words."""
        other = copy.copy(self)
        other._name(names)
        return other

    def with_second(self, second: QueryPassageEncoder) -> Retriever:
        """The same retriever reading questions with another encoder of the same vector space."""
        if self.second is None or second.name != self.second.name:
            raise ValueError(f"{second.name!r} does not share the index's second vectors ({self.second.name if self.second else None!r})")
        other = copy.copy(self)
        other.second = second
        return other

    def _name(self, names: Sequence[str]) -> None:
        """Everything derived from the speakers' names, set together so a renamed copy has none stale."""
        self.names = tuple(names)
        self.speaker_terms = name_terms(names)
        self.framing = framing_terms(names)

    def embed(self, query: str) -> np.ndarray:
        return self.encoder.encode([query])[0]

    def word_similarity(self, word: str, others: Sequence[str]) -> list[float]:
        """A word's cosine to each of `others`, the first encoder reading every word alone; the words'
        vectors are kept, since the same few nouns are compared question after question."""
        cache = self._word_vectors
        missing = [w for w in dict.fromkeys([word, *others]) if w not in cache]
        if len(cache) + len(missing) > MAX_KEPT_WORDS:  # the asked nouns come from users: keep memory bounded
            cache.clear()
        if missing:
            cache.update(zip(missing, self.encoder.encode(missing)))
        return [float(cache[w] @ cache[word]) for w in others]

    def dense(self, query_vector: np.ndarray, second_vector: np.ndarray | None = None) -> DenseScores:
        n_rows = self.index.vectors.shape[0]
        # Every row of a small index; the nearest DENSE_DEPTH of a large one (rows not reached score -1).
        depth = min(n_rows, DENSE_DEPTH)
        sims, rows = self.index.faiss_index.search(query_vector.reshape(1, -1).astype(np.float32), depth)
        row_scores = np.full(n_rows, -1.0, dtype=np.float32)
        valid = rows[0] >= 0
        row_scores[rows[0][valid]] = sims[0][valid]
        # An answer matches through its best sentence; a question or narration only as a whole, so
        # that one sentence of the interviewer's does not outrank the answers it introduces.
        passage = np.full(len(self.index.chunks), -1.0, dtype=np.float32)
        ranking = self._ranking_rows
        np.maximum.at(passage, self.index.owners[ranking], row_scores[ranking])
        second_rows = None
        if second_vector is not None and self.index.second is not None:
            second_rows = (self.index.second @ second_vector.astype(np.float32)).astype(np.float32)
        return DenseScores(passage, row_scores, second_rows)

    def second_dense(self, second_vector: np.ndarray) -> DenseScores:
        """Scores by the second encoder alone (a question the first cannot read, e.g. in Russian): its
        cosines stand in for the first's everywhere, and passages rank by them."""
        assert self.index.second is not None, "the index holds no second-encoder vectors"
        rows = (self.index.second @ second_vector.astype(np.float32)).astype(np.float32)
        passage = np.full(len(self.index.chunks), -1.0, dtype=np.float32)
        ranking = self._ranking_rows
        np.maximum.at(passage, self.index.owners[ranking], rows[ranking])
        return DenseScores(passage, rows, rows)

    def search(
        self, query: str, k: int = 5, dense_scores: DenseScores | None = None, prefer_answers: bool = True
    ) -> list[Hit]:
        """The top `k` passages; pass `dense_scores` already computed for this query to skip the encode.
        `prefer_answers=False` for questions about the interview itself, which the narration answers."""
        if k < 1:
            raise ValueError(f"k must be a positive number of passages, got {k}")
        dense = (dense_scores or self.dense(self.embed(query))).passage
        lexical = self.lexical(query)
        scores = self.fused(dense, lexical, prefer_answers)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
        return [
            Hit(self.index.chunks[i], float(scores[i]), rank, float(dense[i]), float(lexical[i]))
            for rank, i in enumerate(order[:k], start=1)
        ]

    def fused(self, dense: np.ndarray, lexical: np.ndarray, prefer_answers: bool = True) -> np.ndarray:
        """Every passage's ranking score under this retriever's mode."""
        if self.mode == "dense":
            scores = dense
        elif self.mode == "bm25":
            scores = np.where(lexical > 0, lexical, -np.inf)  # a passage without a query word is no match
        else:
            scores = fuse(dense, lexical, self._context, prefer_answers)
        return scores
