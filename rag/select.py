"""Select: score every sentence that could answer, then cut the quote around the best one.

A sentence's score is one fitted logistic model (`Calibration.sentence`) over a few named features, the
same for every corpus; the quote is a contiguous window of one to three sentences of one paragraph of
one answer, centred on the best sentence and widened to neighbours that score nearly as well. A factoid
question ("when", "who", "how many") gets the sentence that holds the fact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.chunking import is_courtesy
from rag.calibration import SENTENCE_FEATURES, Calibration, sigmoid
from rag.language import ENGLISH_MONTHS, ENGLISH_WEEKDAYS
from rag.retrieval import MIN_DERIVATION_STEM, STOPWORDS, DenseScores, Retriever, derives, tokenize
from rag.types import Chunk, Span

_PLACE_PREPOSITION = r"\b(?:in|at|to|from|near|across|into)\s+(?:the\s+)?"
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
_MONTHS = "|".join(ENGLISH_MONTHS)
# Connectives, as English writes them, of a sentence that gives a reason ("..., because our intentions
# are open") and of one that draws a consequence from what came before ("That's why I'm hopeful ...").
_GIVES_REASON = r"because|since|due to|thanks to|the reason"
_CONSEQUENCE = r"that[’']s why|this is why|therefore|thus|hence"
# Kinds of fact, as English writes them; what a factoid question's answer must hold.
FACT_PATTERNS = {
    "date": re.compile(rf"{_YEAR.pattern}|\b(?:{_MONTHS})\b|\b(?:last|next|this) (?:year|month|week)\b"),
    "number": re.compile(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|"
        r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|million|billion|trillion|dozens?|half|double|twice)\b",
        re.IGNORECASE,
    ),
    "person": re.compile(r"(?<=\w[\s,])(?:[A-Z][\w’'-]+\s){1,2}[A-Z][\w’'-]+|\b(?:Mr|Mrs|Ms|Dr)\.?\s[A-Z]"),
    "place": re.compile(rf"{_PLACE_PREPOSITION}[A-Z][\w’'-]+"),
    # A reason, by the connectives English states one with: one that gives it ("because"), one that draws
    # a consequence from it ("that's why", or "So ..." opening the sentence), one of purpose ("in order to").
    "reason": re.compile(rf"\b(?:{_GIVES_REASON}|{_CONSEQUENCE}|as a result|so that|in order to)\b|^\W*so\b", re.IGNORECASE),
}
# The kinds of fact a factoid question asks for: the sentence that holds it is the answer. A reason is
# not one (it may run over two sentences).
FACTOIDS = ("date", "number", "person", "place")
# The kinds of fact an answer nearly always writes as such (a year, a figure, "in Shanghai"), unlike a
# "who": a "where" answered "in the center of the continent" names no place, but then no sentence near does.
WRITTEN_AS_SUCH = ("date", "number", "place")
# A capitalized name right after a place preposition is where something is ("a visit to Xi An"), not who.
_PLACE_BEFORE = re.compile(rf"{_PLACE_PREPOSITION}$")


def holds_fact(kind: str, text: str, asked: Collection[str] = ()) -> bool:
    """Whether `text` holds the kind of fact a factoid question asks for; a name or place counts only if
    the question (its stems `asked`) does not name it itself: "Who finances the Green Canal?" is not
    answered by "Construction of the Green Canal began in April 2021".

    >>> holds_fact("person", "I am hopeful about my visit to Xi An."), holds_fact("person", "We met Chairman Xi Jinping.")
    (False, True)
    >>> holds_fact("number", "Construction began in April 2021."), holds_fact("number", "It runs 214 kilometres.")
    (False, True)
    >>> holds_fact("person", "The Green Canal began in 2021.", {"green", "canal"}), holds_fact("person", "The Regional Bank pays.", {"green", "canal"})
    (False, True)
    """
    if kind == "number":  # a count; a year is a date ("How long is the canal?" is not "It began in 2021")
        return states_quantity(None, text)
    asked_stems = set(asked)
    new = lambda name: not set(tokenize(name)) <= asked_stems  # noqa: E731
    if kind == "place":  # the name after the preposition: "in Shanghai"
        return any(new(m.group(0).split()[-1]) for m in FACT_PATTERNS["place"].finditer(text))
    if kind != "person":
        return bool(FACT_PATTERNS[kind].search(text))
    return any(not _PLACE_BEFORE.search(text[: m.start()]) and new(m.group(0)) for m in FACT_PATTERNS["person"].finditer(text))


# The units a span of time or a length is counted in: "closed for eleven weeks", "three growing seasons",
# "23 kilometres long"; or where it began ("since 2010", "from the very beginning"). Not "night": "until
# eleven at night" is a time of day. English.
_SPAN_UNITS = frozenset(tokenize(
    "second minute hour day week weekend fortnight month season winter summer year decade century "
    "metre meter kilometre kilometer km mile foot feet yard"
))
_SPAN_START = re.compile(r"\bsince\b|\bfrom the (?:very )?(?:beginning|start|outset)\b", re.IGNORECASE)
# An age as English states it: "84 years old", "a 47-year-old", "aged 60", "He was sixty-one.", "who's
# nineteen and ...", "I'm forty-seven" (a number said of someone, that counts nothing after it).
_AGE_AFTER = re.compile(r"^[\s-]*(?:years?[\s-]+old|years?[\s-]+of[\s-]+age|-?year-old)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age of|turned|turns|(?:is|was|['’]s|['’]m|am)(?:\s+now)?)\s+$", re.IGNORECASE)
_AGE_ENDS = re.compile(r"^\s*(?:$|[.,;!?)]|and\b|now\b|then\b|at the time\b|when\b)", re.IGNORECASE)


def states_span(kind: str, text: str) -> bool:
    """Whether `text` gives a "duration" (a number of units of time or length, or when it has lasted
    since) or an "age".

    >>> states_span("duration", "We were closed for nineteen days."), states_span("duration", "Running until eleven at night.")
    (True, False)
    >>> states_span("duration", "He has been my deckhand since 2010."), states_span("duration", "It opened in 2017.")
    (True, False)
    >>> states_span("duration", "They estimated it would take three growing seasons."), states_span("duration", "I was involved from the very beginning.")
    (True, True)
    >>> states_span("age", "Bill is ninety-four years old."), states_span("age", "He was sixty-one."), states_span("age", "It is 5 km away.")
    (True, True, False)
    >>> states_span("age", "I'm forty-seven now."), states_span("age", "Jude, who's nineteen and far better at it."), states_span("age", "It was 1,912 lanterns.")
    (True, True, False)
    """
    if kind == "duration":
        return states_quantity(_SPAN_UNITS, text) or bool(_SPAN_START.search(text))
    for m in _NUMBER_WORDS.finditer(text):
        if not _is_count(m.group(0)):
            continue
        if _AGE_AFTER.match(text[m.end() :]) or (_AGE_BEFORE.search(text[: m.start()]) and _AGE_ENDS.match(text[m.end() :])):
            return True
    return False


# Words with the figures among them whole ("3.8", "240,000").
_NUMBER_WORDS = re.compile(r"[\w’'.,-]*\w")
# Words on either side of a number that say what it counts: "we harvested 4.1 million tonnes of grain".
QUANTITY_REACH = (3, 5)


def _is_count(word: str) -> bool:
    return bool(FACT_PATTERNS["number"].search(word)) and not FACT_PATTERNS["date"].fullmatch(word)


# Currency signs (Unicode's category Sc): "$2 million" is a sum of money in any corpus.
_CURRENCY_SIGNED = re.compile(
    "[" + re.escape("".join(chr(c) for c in range(0x20, 0x10000) if unicodedata.category(chr(c)) == "Sc")) + r"]\s?\d"
)


# The words that state a price just before it. English.
_PRICE_WORDS = re.compile(r"costs?|costed|costing|priced?|worth", re.IGNORECASE)
# Words for spending that state a sum before it only as a sum of millions and the like: "we spent 6.2
# million krona", "our budget is 14 million krona", but "we pay 60 percent ...", "we spent three days".
_SPENDING_WORDS = re.compile(r"spend|spends|spent|pay|pays|paid|invest|invests|invested|budgets?|donated|contributed|raised", re.IGNORECASE)
_SCALE_WORDS = re.compile(r"thousand|million|billion|trillion|mln|bn", re.IGNORECASE)
# Words for a sale, which state its sum after "for" later in the sentence, again only as thousands and the
# like: "I bought the boat from a man in the next cove for eleven thousand pounds". English.
_SALE_WORDS = re.compile(r"buy|buys|bought|sell|sells|sold|purchased?", re.IGNORECASE)
# How far back from a sale's "for" its verb may stand: a clause, not the sentence before.
_SALE_REACH = 12


def money_units(texts: Iterable[str]) -> frozenset[str]:
    """The stems of the units that `texts` give prices in, read where a word for what something costs
    comes just before a number ("costs about 3.8 million crowns"): the corpus's own currencies, so that
    "How much did it cost?" finds "we bought it for 240,000 crowns" (and not "60 percent of the cost").

    >>> sorted(money_units(["It costs about 3.8 million crowns a year.", "We pay 60 percent of the cost.", "It costs 5 percent of that."]))
    ['crown']
    >>> sorted(money_units(["We spent 6.2 million krona on it.", "We spent three days there.", "Our budget is 14 million lira."]))
    ['krona', 'lira']
    >>> sorted(money_units(["The total cost is 1.9 billion dollars, of which the bank provides 700 million."]))
    ['dollar']
    >>> sorted(money_units(["I bought her from a man in the next cove for eleven thousand pounds.", "We sold them for two weeks."]))
    ['pound']
    """
    units: set[str] = set()
    for text in texts:
        matches = list(_NUMBER_WORDS.finditer(text))
        words = [m.group(0) for m in matches]
        for i, word in enumerate(words):
            price = bool(_PRICE_WORDS.fullmatch(word))
            sale = word.lower() == "for" and any(_SALE_WORDS.fullmatch(w) for w in words[max(0, i - _SALE_REACH) : i])
            if not (price or sale or _SPENDING_WORDS.fullmatch(word)):
                continue
            # Up to two words ("about", "around", "is") between the word and the sum; the unit follows the
            # sum's last number word ("3.8 million crowns").
            j = next((j for j in range(i + 1, min(len(words), i + 4)) if _is_count(words[j])), None)
            if j is None:
                continue
            start = j
            while j < len(words) and _is_count(words[j]):
                j += 1
            if not price and not any(_SCALE_WORDS.fullmatch(w) for w in words[start:j]):
                continue
            # "60 percent of the budget" is a share of something, not a currency; "1.9 billion dollars, of
            # which ..." is a sum.
            share = j + 1 < len(words) and words[j + 1].lower() == "of" and not text[matches[j].end() : matches[j + 1].start()].strip()
            if j < len(words) and not share:
                units.update(tokenize(words[j]))
    return frozenset(units)


def states_name(text: str, asked: Collection[str]) -> bool:
    """Whether `text` names something the question (its stems `asked`) does not: a capitalized word
    that does not open the sentence.

    >>> states_name("A tugboat called the Greyling.", {"tugboat"}), states_name("Two girls from Vestby found it.", {"girl", "vestbi"})
    (True, False)
    >>> states_name("It was signed on 21 October with Halden.", {"halden"})
    False
    """
    words = re.findall(r"[\w’'-]+", text)
    return any(w[:1].isupper() and w not in _NOT_NAMES and not set(tokenize(w)) <= set(asked) for w in words[1:])


# Capitalized words that name no one and nothing asked for by name: "awarded on 21 October to Halden
# and Marsh" names no chief executive of Halden and Marsh (a user run). English.
_NOT_NAMES = frozenset(("I", *ENGLISH_MONTHS, *ENGLISH_WEEKDAYS))


def states_date(kind: str, text: str) -> bool:
    """Whether `text` gives a date: a year for `kind` "year" ("last year" is none), a day of the week or
    a date for "weekday", any date otherwise (a weekday is none: "On what date ...?" is not answered "come
    on a Thursday").

    >>> states_date("year", "Trade doubled last year."), states_date("date", "Trade doubled last year."), states_date("year", "It opened in 1996.")
    (False, True, True)
    >>> states_date("weekday", "Mondays we close."), states_date("date", "Mondays we close.")
    (True, False)
    """
    if kind == "weekday" and _WEEKDAY.search(text):
        return True
    return bool((_YEAR if kind == "year" else FACT_PATTERNS["date"]).search(text))


_WEEKDAY = re.compile(rf"\b(?:{'|'.join(ENGLISH_WEEKDAYS)})s?\b")


def _pronoun_one(words: Sequence[str], i: int) -> bool:
    """Whether `words[i]` is "one" standing for a noun ("a very influential one in the world"), not
    counting one: nothing but a stopword or the sentence's end follows it. English.

    >>> _pronoun_one(["an", "influential", "one", "in", "the", "world"], 2), _pronoun_one(["one", "country"], 0)
    (True, False)
    """
    return words[i].lower() == "one" and (i + 1 == len(words) or words[i + 1].lower() in STOPWORDS)


def _is_share(words: Sequence[str], i: int, text: str) -> bool:
    """Whether the number at `words[i]` is a percentage ("60 percent", "60 per cent", "60%")."""
    j = i + 1
    while j < len(words) and _is_count(words[j]):
        j += 1
    if j < len(words) and words[j].lower() in ("percent", "per", "percentage"):
        return True
    return re.search(rf"(?<![\w.,]){re.escape(words[i])}\s?%", text) is not None


def _is_plural(word: str) -> bool:
    """A noun in the English plural by its ending ("volunteers", not "glass" or "bus"). English."""
    return len(word) > 3 and word.lower().endswith("s") and not word.lower().endswith(("ss", "us", "is"))


def states_quantity(measure: Collection[str] | None, text: str, money: bool = False, leading: Collection[str] = (), counted: str = "") -> bool:
    """Whether `text` gives a number (not a year) with one of the `measure` stems beside it (a
    derivation counts; with no measure, any number); with `money`, a sum after a currency sign counts too.
    A `leading` stem counts only before the number: a verb of paying states the sum it pays ("they are
    paid 31,000 a year"), not a number of what it describes ("14 paid staff").

    >>> states_quantity({"farmer"}, "It has supported 1,200 young farmers."), states_quantity({"farmer"}, "Farmers came in 2023 and 2024.")
    (True, False)
    >>> states_quantity({"cost"}, "It took $2 million.", money=True), states_quantity({"cost"}, "It took $2 million.")
    (True, False)
    >>> states_quantity({"cost"}, "The state pays 60 percent of the cost.", money=True), states_quantity({"cost"}, "It is 5% of the cost.", money=True)
    (False, False)
    >>> states_quantity({"peopl"}, "There are eleven of us."), states_quantity({"boat"}, "There are eleven of us.")
    (True, False)
    >>> states_quantity({"staff"}, "We have 340 of them on the books.")
    False
    >>> states_quantity(set(), "Fourteen (14) paid staff.", True, {"pay"}), states_quantity(set(), "Each is paid 31,000 a year.", True, {"pay"})
    (False, True)

    Things `counted` in the plural are not counted by a number said of one of them before it: "How many
    volunteers ...?" is not answered by "The youngest volunteer is 15", but by "Volunteers? We have 37".

    >>> states_quantity({"volunt"}, "The youngest volunteer is 15.", counted="volunteers"), states_quantity({"volunt"}, "Volunteers? We have 37.", counted="volunteers")
    (False, True)
    >>> states_quantity({"year"}, "The co-op has a twenty-five-year lease.", counted="years")
    True
    """
    if money and _CURRENCY_SIGNED.search(text):
        return True
    words = _NUMBER_WORDS.findall(text)
    before, after = QUANTITY_REACH
    for i, word in enumerate(words):
        # With `money`, "60 percent of the cost" is a share of a sum, not a sum.
        if _is_count(word) and not _pronoun_one(words, i) and not (money and _is_share(words, i, text)):
            if measure is None:
                return True
            # Said of one of them before the number, it is no count of them (see above).
            one_before = _is_plural(counted) and not any(_is_plural(w) for w in words[max(0, i - before) : i])
            # The number's own word counts with what follows it ("a twenty-five-year lease").
            near = tokenize(" ".join(words[i : i + after + 1] if one_before else words[max(0, i - before) : i + after + 1]))
            if any(holds_term(t, near) for t in measure):
                return True
            if leading:
                preceding = tokenize(" ".join(words[max(0, i - before) : i]))
                if any(holds_term(t, preceding) for t in leading):
                    return True
            # "There are eleven of us" counts the speaker's people: how many people, staff or members there
            # are ("of them" counts whatever was named before: "340 of them" volunteers, not paid staff).
            if [w.lower() for w in words[i + 1 : i + 3]] == ["of", "us"] and _PEOPLE & set(measure):
                return True
    return False


# Two words name the same kind of thing when the first encoder, reading each alone, puts them this
# close: "kinds" and "varieties" 0.66, "vessels" and "boats" 0.65, "employees" and "staff" 0.72, but
# "staff" and "volunteers" 0.51, "homes" and "families" 0.52, "boats" and "years" 0.21 (all-MiniLM-L6-v2;
# pairs from the dev transcripts' counts).
SAME_THING_COSINE = 0.6


def counts_in_other_words(noun: str, text: str, similarity: Callable[[str, Sequence[str]], Sequence[float]]) -> bool:
    """Whether `text` gives a number (not a year) of what `noun` names in another word just after it:
    "How many kinds of seed ...?" by "We hold 212 varieties"; `similarity` gives the noun's cosine to
    each word (`Retriever.word_similarity`).

    >>> alike = lambda noun, words: [1.0 if w == "varieties" else 0.0 for w in words]
    >>> counts_in_other_words("kinds", "We hold 212 varieties at the moment.", alike), counts_in_other_words("kinds", "We lent 4,300 packets.", alike)
    (True, False)
    >>> counts_in_other_words("kinds", "Half of the varieties came from farms.", alike)
    False
    """
    words = _NUMBER_WORDS.findall(text)
    after = [
        w for i, word in enumerate(words) if _is_count(word) and not _pronoun_one(words, i)
        for w in _up_to_of(words[i + 1 : i + 1 + QUANTITY_REACH[1]]) if w.lower() not in STOPWORDS and not _is_count(w)
    ]
    return bool(after) and max(similarity(noun, after)) >= SAME_THING_COSINE


def _up_to_of(words: Sequence[str]) -> Sequence[str]:
    """The words before an "of": "half of my classmates" is a share of them, not a count."""
    lowered = [w.lower() for w in words]
    return words[: lowered.index("of")] if "of" in lowered else words


# Nouns that count people, which "eleven of us" gives the number of. English.
_PEOPLE = frozenset(tokenize("people persons staff employees workers members colleagues"))


@dataclass(frozen=True)
class Reading:
    """One reading of the question (as asked, or completed with the chat before it) and its scores."""

    text: str
    completed: bool
    vector: np.ndarray
    dense: DenseScores
    lexical: np.ndarray  # BM25 per passage
    fused: np.ndarray  # the retriever's score per passage
    terms: dict[str, float]  # topical stems and their idf weights
    words: str = ""  # what the lexical side read: the question, or its words in the corpus's language
    second_vector: np.ndarray | None = None  # the question by the second encoder (`vector` itself when second_only)
    second_only: bool = False  # read by the second encoder alone (a language the first cannot read)


@dataclass(frozen=True)
class Candidate:
    """One sentence of an answer that might be quoted, with its features and score."""

    chunk_index: int
    sentence_index: int
    span: Span
    features: tuple[float, ...]
    logit: float

    @property
    def probability(self) -> float:
        return float(sigmoid(self.logit))

    @property
    def holds_asked_fact(self) -> bool:
        """Whether the sentence holds the kind of fact its factoid question asks for (`type_match`)."""
        return self.features[_TYPE_MATCH] > 0


_TYPE_MATCH = SENTENCE_FEATURES.index("type_match")


@dataclass(frozen=True)
class Window:
    """A quote: consecutive sentences of one paragraph, and the passage each starts in."""

    chunk_index: int  # the passage of the best sentence: the citation's passage
    span: Span
    chunks: tuple[int, ...]  # every passage the window touches


def make_reading(
    retriever: Retriever,
    text: str,
    completed: bool,
    vector: np.ndarray,
    second_vector: np.ndarray | None = None,
    second_only: bool = False,
    lexical_text: str | None = None,
) -> Reading:
    """`second_only`: the question is in a language only the second encoder reads; `vector` is then
    the second encoder's too, and `lexical_text` its words in the corpus's language (rag.crosslingual)."""
    words = text if lexical_text is None else lexical_text
    # "SCO" also stands for the corpus's own spelled-out name, so it matches "Shanghai ... Organization".
    terms = {t: retriever.idf.get(t, retriever.unseen_idf) for t in retriever.topical_terms(retriever.expand_acronyms(words))}
    dense = retriever.second_dense(vector) if second_only else retriever.dense(vector, second_vector)
    lexical = retriever.lexical(words)
    return Reading(
        text, completed, vector, dense, lexical, retriever.fused(dense.passage, lexical), terms, words,
        vector if second_only else second_vector, second_only,
    )


def holds_term(term: str, words: Collection[str]) -> bool:
    if term in words:
        return True
    if len(term) < MIN_DERIVATION_STEM:  # too short to be derived from (`derives`): no word to scan
        return False
    return any(derives(term, w) for w in words)


def term_overlap(terms: dict[str, float], words: Collection[str]) -> float:
    """The idf-weighted share of a question's topical words among `words`, a derivation counting as its
    word ("suspicious" matches "suspicions")."""
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if holds_term(t, words)) / total if total else 0.0


def _context_cosines(retriever: Retriever, reading: Reading, row: int) -> tuple[float, ...]:
    """The question's cosine to the sentence read in each of its contexts (rag.index.CONTEXTS), by the
    first encoder and by the second (the first's when the index or the question has no second)."""
    index = retriever.index
    first = index.context
    if reading.second_only:  # a question in a language only the second encoder reads: `reading.vector` is its
        assert index.second_context is not None, "a second-encoder reading needs the index's second-encoder vectors"
        first = index.second_context
    by_first = first[:, row] @ reading.vector
    has_second = index.second_context is not None and reading.second_vector is not None
    by_second = index.second_context[:, row] @ reading.second_vector if has_second else by_first  # type: ignore[index]
    return (float(by_first[0]), float(by_first[1]), float(by_second[0]), float(by_second[1]))


def _base_features(
    retriever: Retriever, reading: Reading, chunk_index: int, sentence_index: int, fact: str | None, asked: frozenset[str]
) -> tuple[float, ...]:
    chunk = retriever.index.chunks[chunk_index]
    span = chunk.sentences[sentence_index]
    question_row = retriever.question_row.get((chunk.source, chunk.exchange))
    has_fact = bool(fact and holds_fact(fact, span.text, asked))
    whole = retriever.row(chunk_index, -1) if len(chunk.sentences) > 1 else retriever.row(chunk_index, 0)
    row = retriever.row(chunk_index, sentence_index)
    second = reading.dense.second_rows if reading.dense.second_rows is not None else reading.dense.rows
    # The sentences next to it in its passage: an answer often spans two ("There should be no suspicions
    # about that, because ..." continues the sentence before it).
    neighbours = [retriever.row(chunk_index, j) for j in (sentence_index - 1, sentence_index + 1) if 0 <= j < len(chunk.sentences)]
    return (
        float(reading.dense.rows[row]),
        float(second[row]),
        float(reading.dense.rows[whole]),
        # (BM25 alone scores a passage without a question word -inf; when every passage is such, none is behind.)
        float(reading.fused[chunk_index] - top) if np.isfinite(top := reading.fused.max()) else 0.0,
        float(reading.dense.rows[question_row]) if question_row is not None else 0.0,
        term_overlap(reading.terms, retriever.sentence_terms[chunk_index][sentence_index]),
        1.0 if has_fact else 0.0,
        1.0 if fact and not has_fact else 0.0,
        float(second[whole]),
        float(second[question_row]) if question_row is not None else 0.0,
        max((float(second[n]) for n in neighbours), default=float(second[row])),
        *_context_cosines(retriever, reading, row),
    )


# The features computed across the candidates (each sentence against the best of them), not per sentence.
_GAPS = ("cosine_gap", "second_gap", "overlap_gap", "question_gap")


def sentence_features(
    retriever: Retriever, reading: Reading, keys: Sequence[tuple[int, int]], fact: str | None
) -> np.ndarray:
    """One row of `SENTENCE_FEATURES` per (passage, sentence) key. The gaps compare each sentence with
    the best of the others, since how well the best sentence matches varies from question to question."""
    # The question's own words, not the names its acronyms stand for: "Where was the SCO launched?" does
    # not itself name Shanghai, where it was.
    asked = frozenset(tokenize(reading.words))
    base = np.array([_base_features(retriever, reading, ci, j, fact, asked) for ci, j in keys]).reshape(len(keys), len(SENTENCE_FEATURES) - len(_GAPS))
    cosine, second, passage, passage_gap, question, overlap, match, missing, second_passage, second_question, neighbour, *context = base.T
    # A turn no question was put for (an opening statement before the first question) is scored as
    # if its question matched as well as the others' do on average: a cosine of 0 to a missing
    # question read as "far off" put such a sentence first whatever it said (user run 36).
    unasked = np.array([retriever.question_row.get((retriever.index.chunks[ci].source, retriever.index.chunks[ci].exchange)) is None for ci, _ in keys])
    if unasked.any() and not unasked.all():
        question[unasked], second_question[unasked] = question[~unasked].mean(), second_question[~unasked].mean()
    gap = cosine - (cosine.max() if len(keys) else 0.0)
    second_gap = second - (second.max() if len(keys) else 0.0)
    overlap_gap = overlap - (overlap.max() if len(keys) else 0.0)
    asked = question + second_question
    question_gap = asked - (asked.max() if len(keys) else 0.0)
    return np.column_stack(
        [cosine, gap, second, second_gap, passage, passage_gap, question, overlap, overlap_gap, match, missing, second_passage, second_question, neighbour, question_gap, *context]
    )


def candidate_keys(retriever: Retriever, chunk_indices: Sequence[int]) -> list[tuple[int, int]]:
    return [(ci, j) for ci in chunk_indices for j in range(len(retriever.index.chunks[ci].sentences))]


def score_sentences(
    retriever: Retriever, reading: Reading, chunk_indices: Sequence[int], fact: str | None, calibration: Calibration
) -> list[Candidate]:
    """Every sentence of the given passages, scored, best first."""
    keys = candidate_keys(retriever, chunk_indices)
    if not keys:
        return []
    features = sentence_features(retriever, reading, keys, fact)
    logits = calibration.sentence.logit(features)
    out = [
        Candidate(ci, j, retriever.index.chunks[ci].sentences[j], tuple(float(v) for v in f), float(z))
        for (ci, j), f, z in zip(keys, features, logits)
    ]
    return sorted(out, key=lambda c: -c.logit)


def turn_of(chunk: Chunk) -> tuple[str, int, str, str]:
    """The turn a passage belongs to: one speaker's side of one exchange of one transcript (in a panel,
    each interviewee's answer to the same question is a turn of its own)."""
    return chunk.source, chunk.exchange, chunk.role, chunk.speaker


def turn_passages(retriever: Retriever, chunk_indices: Sequence[int]) -> list[int]:
    """Every passage of the turns the given passages belong to (so a quote can reach a neighbour)."""
    wanted = {turn_of(retriever.index.chunks[ci]) for ci in chunk_indices}
    return [i for i, c in enumerate(retriever.index.chunks) if turn_of(c) in wanted]


# A sentence that gives its own reason, and one that draws a consequence from the sentence before it
# ("So we should acknowledge the role of China").
_STATES_REASON = re.compile(rf"\b(?:{_GIVES_REASON})\b", re.IGNORECASE)
_DRAWS_CONSEQUENCE = re.compile(rf"^\W*(?:so|{_CONSEQUENCE})\b", re.IGNORECASE)


def reason_first(turn: Sequence[Candidate], quoted: Callable[[Candidate], bool]) -> list[Candidate]:
    """The sentences of the turn a chat quoted from, ordered for a bare "Why?" asked of that quote: the
    sentence a quoted one draws its consequence from ("X. | So Y." gives X as Y's reason), then a quoted
    sentence that states its reason ("..., because ..."), then the unquoted ones as scored (a reason
    among them first: "Taiwan is a part of China." | "So the principle of ... has been fixed in the
    Charter ..."). Nothing quoted again unless it is the reason.

    >>> mk = lambda i, text: Candidate(0, i, Span(i * 100, i * 100 + len(text), text), (), -float(i))
    >>> turn = [mk(0, "China is the number two economy."), mk(1, "So we should acknowledge its role."), mk(2, "We need ties.")]
    >>> [c.sentence_index for c in reason_first(turn, lambda c: c.sentence_index == 1)]
    [0, 2]
    >>> [c.sentence_index for c in reason_first(turn, lambda c: c.sentence_index == 0)]
    [1, 2]
    """
    ordered = sorted(turn, key=lambda c: c.span.start)
    said = [i for i, c in enumerate(ordered) if quoted(c)]
    own = [ordered[i] for i in said if _STATES_REASON.search(ordered[i].span.text)]
    # Quoted already or not: the reason is what "Why?" asks for.
    before = [ordered[i - 1] for i in said if i > 0 and _DRAWS_CONSEQUENCE.match(ordered[i].span.text)]
    rest = sorted((c for c in turn if not quoted(c) and c not in before), key=lambda c: (not holds_fact("reason", c.span.text), -c.probability))
    return list(dict.fromkeys([*before, *own, *rest]))


def _paragraph_sentences(raw: str, scored: Sequence[Candidate], best: Candidate, retriever: Retriever) -> list[Candidate]:
    """The scored sentences of the best sentence's paragraph, in order."""
    turn = turn_of(retriever.index.chunks[best.chunk_index])
    same_turn = sorted((c for c in scored if turn_of(retriever.index.chunks[c.chunk_index]) == turn), key=lambda c: c.span.start)

    def adjacent(a: Candidate, b: Candidate) -> bool:
        # Nothing but spaces between them: no line break, and no sentence left out of `scored`.
        gap = raw[a.span.end : b.span.start]
        return "\n" not in gap and not gap.strip()

    i = same_turn.index(best)
    lo = i
    while lo > 0 and adjacent(same_turn[lo - 1], same_turn[lo]):
        lo -= 1
    hi = i
    while hi + 1 < len(same_turn) and adjacent(same_turn[hi], same_turn[hi + 1]):
        hi += 1
    return same_turn[lo : hi + 1]


# A pronoun standing for something named before: "It ...", "They ...", "That's why ...", "This is ...",
# "Of that, ..." (user run 36: "The extension will cost 212 million crowns." | "Of that, 140 million ...");
# not a demonstrative that names what it points at ("This organization started ..."). English grammar.
_POINTING_BACK = re.compile(
    r"(?:(?:and|but|so|yet)\s+)?(?:it|its|they|their|he|she|his|her)\b|(?:this|that|these|those)(?:['’]s\b|\s+(?:is|was|are|were|means|meant|will|would|has|had)\b)"
    r"|(?:of|from|besides|beyond|after|before|apart from|on top of|in addition to|because of|despite)\s+(?:this|that|these|those|them|it)\s*,",
    re.IGNORECASE,
)


def opens_pointing_back(sentence: str) -> bool:
    """Whether a sentence opens with a pronoun pointing back at the one before it.

    >>> opens_pointing_back("It saw first light in June."), opens_pointing_back("That’s why I came."), opens_pointing_back("Italy won.")
    (True, True, False)
    >>> opens_pointing_back("This organization started in 1996."), opens_pointing_back("This is why.")
    (False, True)
    >>> opens_pointing_back("And it’s about China."), opens_pointing_back("And Italy won.")
    (True, False)
    >>> opens_pointing_back("Of that, 140 million comes from the fund."), opens_pointing_back("For this reason we wait.")
    (True, False)
    """
    return bool(_POINTING_BACK.match(sentence.lstrip("“\"'‘ ")))


# A sentence this short opening an answer ("Mostly locally.", "No.") leads in to what the next one says;
# one of six words may already be the answer ("The tunnel will not be built.").
LEAD_IN_WORDS = 3


def opens_reply(candidate: Candidate, retriever: Retriever) -> bool:
    """Whether the sentence is the first of its turn (the first of a passage whose turn the passage
    before it is not)."""
    chunks = retriever.index.chunks
    i = candidate.chunk_index
    return candidate.sentence_index == 0 and (i == 0 or turn_of(chunks[i - 1]) != turn_of(chunks[i]))


def _lead_in(candidate: Candidate, retriever: Retriever) -> bool:
    return opens_reply(candidate, retriever) and len(candidate.span.text.split()) <= LEAD_IN_WORDS


def choose_window(
    best: Candidate, scored: Sequence[Candidate], retriever: Retriever, raw: str, fact: str | None, calibration: Calibration
) -> Window:
    """The window of 1-3 sentences around `best` with the most evidence: sentences whose probability is at
    least `window_keep` x the best's add to it, weaker ones take away; a factoid gets `best` alone."""
    paragraph = _paragraph_sentences(raw, scored, best, retriever)
    i = paragraph.index(best)
    floor = calibration.window_keep * best.probability
    options = [(lo, hi) for lo in range(max(0, i - 2), i + 1) for hi in range(i, min(len(paragraph), i + 3)) if hi - lo < 3]
    if fact in FACTOIDS:
        # One sentence: the best, unless it lacks the date, number or place asked for and a sentence of the
        # same paragraph that scores nearly as well holds one ("When ...?": "... started in Shanghai in 1996.").
        # Not for a name: "who" is often answered without one ("pensioners travel free", "the Oskarsson
        # optical works"), so a sentence lacking two capitalized words in a row may still be the answer.
        facts = [j for j, c in enumerate(paragraph) if c.holds_asked_fact and c.probability >= floor]
        switch = fact in WRITTEN_AS_SUCH and not best.holds_asked_fact and facts
        j = max(facts, key=lambda j: paragraph[j].probability) if switch else i
        best = paragraph[j]
        options = [(j, j)]
        # The fact may be in the next sentence, said of what this one names ("... named the Astrid Vell
        # Telescope." | "It saw first light on 21 June 2025."): both, when that one points back to it.
        after = paragraph[j + 1] if j + 1 < len(paragraph) else None
        if after is not None and opens_pointing_back(after.span.text) and after.holds_asked_fact and after.probability >= floor:
            options = [(j, j + 1)]
    lo, hi = max(options, key=lambda o: (sum(c.probability - floor for c in paragraph[o[0] : o[1] + 1]), -(o[1] - o[0])))
    if fact not in FACTOIDS:
        # A sentence that goes on about what the window's last one names ("The pilot of the digital lev
        # starts on 1 September." | "It will run in three cities.") continues it, though it scores low
        # without the question's words: a user run got one sentence for "Tell me about the pilot".
        # So does the sentence after a short opening of an answer, a lead-in that says little itself
        # ("Mostly locally."): a user run got the lead-in alone.
        while hi - lo < 2 and hi + 1 < len(paragraph) and (opens_pointing_back(paragraph[hi + 1].span.text) or _lead_in(paragraph[hi], retriever)):
            hi += 1
    if lo > 0 and opens_pointing_back(paragraph[lo].span.text):
        # A quote does not open on "It ..." / "That's why ...": what it points back to comes first, in
        # place of the window's last sentence if it has three already (never the best one).
        if hi - lo == 2 and paragraph[hi] is not best:
            hi -= 1
        if hi - lo < 2:
            lo -= 1
    start, end = paragraph[lo].span.start, paragraph[hi].span.end
    touched = tuple(dict.fromkeys(c.chunk_index for c in paragraph[lo : hi + 1]))
    return Window(best.chunk_index, Span(start, end, raw[start:end]), touched)


# A request for what was said on a topic as a whole: "Tell me about the wind farm.", "Can you talk about
# the strike?". Not "And what about the younger generation?", which in a chat narrows the answer before
# it to a part (dev d73). English grammar.
_BROAD_REQUEST = re.compile(
    r"^\W*(?:(?:and|so|now)\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:(?:please\s+)?tell\s+(?:me|us)|talk)\s+(?:(?:a\s+bit|a\s+little|more)\s+)?about\b",
    re.IGNORECASE,
)


# A question the interviewer asked in nearly the same words ("Who is paying for it?", "And when will it
# open?" for "So when will it actually open?") is answered by that exchange. The first encoder's cosine
# to the interviewer's question at least this, and this far ahead of the next exchange's: on the dev
# files (the seed's and six transcripts') every answerable question at 0.81 or more, 9 of them, had its
# evidence in that exchange, and the first at 0.80 did not.
RESTATED_QUESTION = 0.85
RESTATED_MARGIN = 0.2


def restated_exchange(retriever: Retriever, reading: Reading, sources: Collection[str]) -> tuple[str, int] | None:
    """The exchange of `sources` whose interviewer's question the reading restates, if one does. Not for
    a question read from another language: its encoder's cosines sit in another range."""
    if reading.second_only:
        return None
    asked = sorted(
        ((float(reading.dense.rows[row]), key) for key, row in retriever.question_row.items() if key[0] in sources), reverse=True
    )
    if not asked or asked[0][0] < RESTATED_QUESTION or (len(asked) > 1 and asked[0][0] - asked[1][0] < RESTATED_MARGIN):
        return None
    return asked[0][1]


def asks_broadly(question: str) -> bool:
    """
    >>> asks_broadly("Tell me about the wind farm."), asks_broadly("And what about the railway?"), asks_broadly("What did he tell you about it?")
    (True, False, False)
    """
    return bool(_BROAD_REQUEST.search(question))


def _opening_window(
    scored: Sequence[Candidate], retriever: Retriever, raw_of: dict[str, str], fact: str | None = None, topic: Collection[str] = ()
) -> tuple[Window, Candidate] | None:
    """The opening of the answer to the interviewer's question that the user's matches best: its first
    paragraph's first sentences, up to 3. Asked "Tell me about the wind farm.", the guest's own reply to
    "What is the park's position on the wind farm?" starts "We have formally objected. The plan is for 18
    turbines ...", which scores low without the question's words, while a later sentence that repeats
    them ("I am not against wind power ...") does not say what happened (two user runs, three dev files).
    None unless the best-scored sentence is in that answer too, or that interviewer's question names every
    one of the request's `topic` stems ("Tell me about Pellick Ford." and "The centrepiece of your plan is
    the new treatment works at Pellick Ford. What exactly are you building?", while its best sentence is
    a passing mention elsewhere); else the window and its first sentence. For a factoid `fact`, the
    opening ends with the first sentence that holds such a fact, if one does, and is None when another
    sentence of that answer that holds one scored better."""
    column = SENTENCE_FEATURES.index("question_cosine")
    chunks = retriever.index.chunks
    asked = max(scored, key=lambda c: c.features[column])
    turn = turn_of(chunks[asked.chunk_index])
    if is_courtesy(chunks[asked.chunk_index].question):
        # A greeting asks about nothing ("Good morning, everyone. The Commissioner will make a statement."):
        # the statement after it opens with no topic of the request's (a user run's briefing).
        return None
    asked_about = set(tokenize(chunks[asked.chunk_index].question))
    # A topic word the transcript never uses cannot be named by its interviewer ("the sparkling wine
    # project" of a page that never says "project"): the request names its topic by the others.
    used = retriever.source_words[chunks[asked.chunk_index].source]
    named_by = [t for t in topic if holds_term(t, used)]
    named = bool(named_by) and all(holds_term(t, asked_about) for t in named_by)
    if turn_of(chunks[scored[0].chunk_index]) != turn and not named:
        # Only when the best sentence is that answer's too, or the interviewer asked about it by name: a
        # topic never asked about by name ("the 2019 trip", told inside an answer about relations) has
        # no opening of its own.
        return None
    raw = raw_of[chunks[asked.chunk_index].source]
    own = sorted((c for c in scored if turn_of(chunks[c.chunk_index]) == turn), key=lambda c: c.span.start)
    first = own[0]
    # A turn's passages are consecutive: its first sentence opens the passage with none of the turn before it.
    if first.sentence_index != 0 or (first.chunk_index > 0 and turn_of(chunks[first.chunk_index - 1]) == turn):
        return None  # the answer's first sentence is not among the candidates: no opening to quote
    paragraph = _paragraph_sentences(raw, own, first, retriever)[:3]
    if fact in FACTOIDS:
        paragraph = paragraph[: next((j + 1 for j, c in enumerate(paragraph) if c.holds_asked_fact), len(paragraph))]
        giving = next((c for c in scored if turn_of(chunks[c.chunk_index]) == turn and c.holds_asked_fact), None)
        if giving is not None and paragraph[-1].holds_asked_fact and giving is not paragraph[-1]:
            # The opening's count or date is not the one the answer gives for the question: "When did the
            # library open?" restating "How did it start?" is "We opened on 3 May 2020" in the answer's
            # second paragraph, not the opening's "When she died in 2019 ..." (a user run's news page).
            return None
    start, end = first.span.start, paragraph[-1].span.end
    return Window(first.chunk_index, Span(start, end, raw[start:end]), tuple(dict.fromkeys(c.chunk_index for c in paragraph))), first


def choose_windows(
    scored: Sequence[Candidate], retriever: Retriever, raw_of: dict[str, str], fact: str | None, calibration: Calibration, max_windows: int = 2,
    broad: bool = False, restated: bool = False, topic: Collection[str] = (), each_of: Collection[str] = (),
) -> list[Window]:
    """The best window, and one more from another exchange when the question spans two (for a factoid, only
    another panel interviewee's answer to the same question); asked of several panel interviewees
    (`each_of`, their names), each one's best window;
    for a `broad` request, the opening of the answer whose question it matches best in place of the best;
    for a question that `restated` an interviewer's (`restated_exchange`), whatever it asks for, the opening
    of the answer to it: "Who is paying for it?" was answered "Two-thirds comes from the national Coastal
    Resilience Fund. The rest is ours: ..."."""
    if not scored:
        return []
    best = scored[0]
    chunks = retriever.index.chunks
    opening = _opening_window(scored, retriever, raw_of, fact, topic) if (broad and fact not in FACTOIDS) or restated else None
    if opening is not None:
        window, best = opening
    else:
        window = choose_window(best, scored, retriever, raw_of[chunks[best.chunk_index].source], fact, calibration)
    windows = [window]
    if len(each_of) > 1:
        # Asked of several panel interviewees together ("Do the two guests agree about night flights?"):
        # each one's best answer, whatever its score beside the others'.
        spoken = {chunks[best.chunk_index].speaker}
        for c in scored:
            speaker = chunks[c.chunk_index].speaker
            if speaker in each_of and speaker not in spoken and chunks[c.chunk_index].role == "answer":
                spoken.add(speaker)
                windows.append(choose_window(c, scored, retriever, raw_of[chunks[c.chunk_index].source], fact, calibration))
        return windows
    if max_windows < 2:
        return windows
    exchange = lambda c: (chunks[c.chunk_index].source, chunks[c.chunk_index].exchange)  # noqa: E731
    # In a panel, another interviewee's answer to the same question is a view of its own: "How many night
    # flights should be allowed?" put to two guests who disagree has two answers, each its speaker's.
    other_panelist = lambda c: (  # noqa: E731
        exchange(c) == exchange(best) and chunks[c.chunk_index].role == chunks[best.chunk_index].role == "answer"
        and chunks[c.chunk_index].speaker != chunks[best.chunk_index].speaker
    )
    if fact in FACTOIDS:
        runner_up = next((c for c in scored if other_panelist(c)), None)
    else:
        runner_up = next((c for c in scored if exchange(c) != exchange(best) or other_panelist(c)), None)
    if runner_up is not None and runner_up.probability >= max(0.5, calibration.second_quote * best.probability):
        windows.append(choose_window(runner_up, scored, retriever, raw_of[chunks[runner_up.chunk_index].source], fact, calibration))
    return windows
