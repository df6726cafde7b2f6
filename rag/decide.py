"""Decide: answer, "the interview does not cover that", or the attribution trap.

- Covered or not is one fitted logistic model (`Calibration.coverage`) over named features of the
  question and its best-scoring sentence; the eval report shows its precision/recall curve.
- The attribution trap: the question credits a speaker with words ("Did he say it is unique?") that
  are found only in a claim the interviewer made (a declarative sentence of a question turn), and that
  claim matches the question better than anything the speaker said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.calibration import COVERAGE_FEATURES, SENTENCE_FEATURES, Calibration, sigmoid
from rag.corpus import is_request
from rag.query import MONEY_NOUNS, MONEY_WORDS, NUMBER_NOUNS, asked_date, asks_count_in_other_language, asks_name, counted_noun, measure_units, quantity_measure, span_asked
from rag.retrieval import Retriever, tokenize
from rag.select import Candidate, Reading, counts_in_other_words, holds_term, opens_reply, states_date, states_name, states_quantity, states_span, term_overlap, turn_of, turn_passages
from rag.types import Chunk

# A capitalized word inside a sentence ("... about Bitcoin?"): a name, when the corpus does not use it.
# Capitals of the Latin and Cyrillic alphabets: a name the multilingual reading keeps as written ("Украине").
_CAPITALIZED = re.compile(r"(?<=[\w,;:] )[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w-]+")


@dataclass(frozen=True)
class CoverageDecision:
    """Whether the transcripts answer the question at all, and the figures it was decided on."""

    features: tuple[float, ...]
    probability: float
    covered: bool
    missing: str = ""  # the count, date or name asked for that none of the best sentences gives: "number", "date", "name"

    @property
    def fact_missing(self) -> bool:
        return bool(self.missing)


def question_names(question: str) -> list[str]:
    """The capitalized words inside the question (not the one opening it).

    >>> question_names("How much does a ticket cost on the Corrowmere railway?")
    ['Corrowmere']
    """
    return _CAPITALIZED.findall(question)


def unknown_names(question: str, known: Callable[[str], bool], acronyms: frozenset[str]) -> list[str]:
    """Capitalized words inside the question none of whose stems the corpus `known`s: "Bitcoin", "Russia".

    >>> unknown_names("What about Bitcoin and the SCO?", {"sco"}.__contains__, frozenset())
    ['Bitcoin']
    """
    names = []
    for word in question_names(question):
        if word.lower() in acronyms:
            continue
        tokens = tokenize(word)
        if tokens and not any(known(t) for t in tokens):
            names.append(word)
    return names


# A name of several capitalized words inside a sentence ("... of the United States?"). "and" is left out:
# it joins two names ("Tokayev and Xi Jinping") as often as it belongs to one.
_COMPOUND_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][\w'’-]+(?:\s+(?:of\s+(?:the\s+)?|the\s+)?[A-Z][\w'’-]+)+")


def unknown_compound_names(question: str, retriever: Retriever) -> list[str]:
    """Names of several words inside the question whose words no sentence of the transcripts names
    together, though it may use each: "the United States" in a corpus that names the United Nations and
    "all states". An acronym stands for the corpus's spelled-out name ("UN Charter": "Charter of the
    United Nations"), a derivation for its word ("Organisation"); a speaker's title or name opening it
    is left out ("President Xi Jinping")."""
    unknown = []
    # A possessive ends one name and starts another: "Kazakhstan's Foreign Minister".
    for name in (re.sub(r"['’]s?$", "", part) for match in _COMPOUND_NAME.finditer(question) for part in re.split(r"['’]s\s+", match.group(0))):
        terms = tokenize(name)
        while terms and terms[0] in retriever.speaker_terms:  # a speaker's title or name before a name: "President Xi Jinping"
            terms = terms[1:]
        if len(terms) >= 2 and not any(all(_uses(sentence, t, retriever) for t in terms) for sentence in retriever.sentence_names):
            unknown.append(name)
    return unknown


def names_not_mentioned(question: str, retriever: Retriever, compounds: bool = True) -> list[str]:
    """What the question names that no transcript mentions (unknown words and, with `compounds`, names
    of several words), each as the question writes it: pieces of one name next to each other are one
    ("Belt", "Road Initiative": "Belt and Road Initiative")."""
    # The speakers' names are known even where only a label uses them ("Smith: ...").
    # A derivation of a corpus word is known too: "Taiwanese" to a corpus that says "Taiwan".
    known = lambda t: t in retriever.framing or retriever.bm25.knows(t)  # noqa: E731
    words = unknown_names(question, known, frozenset(retriever.acronyms))
    spans: list[list[int]] = []
    for name in dict.fromkeys(words + (unknown_compound_names(question, retriever) if compounds else [])):
        for match in re.finditer(rf"\b{re.escape(name)}\b", question):
            spans.append([match.start(), match.end()])
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        # Joined by "of (the)" or a bare "and" ("Belt and Road"); "and the" starts another name ("Russia and the United States").
        if merged and re.fullmatch(r"\s*(?:(?:of|for)\s+(?:the\s+)?|and\s+)?", question[merged[-1][1] : start] if start > merged[-1][1] else ""):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return list(dict.fromkeys(question[start:end] for start, end in merged))


def question_features(question: str, reading: Reading, retriever: Retriever) -> tuple[float, float]:
    """The coverage features of the question alone: the share of its words the corpus uses at all, a
    derivation counting as its word (idf-weighted), and whether it names something no transcript mentions."""
    total = sum(reading.terms.values())
    known = sum(w for t, w in reading.terms.items() if retriever.bm25.knows(t))
    return (
        known / total if total else 1.0,
        1.0 if names_not_mentioned_in(question, reading, retriever) else 0.0,
    )


def names_not_mentioned_in(question: str, reading: Reading, retriever: Retriever) -> list[str]:
    """`names_not_mentioned` of the question as asked or, read in the corpus's words from another
    language, of that reading: its names the corpus has are in the corpus's spelling, the rest as
    written ("Украине"). Not its names of several words: the reading's words are in no sentence's order."""
    if reading.words == reading.text:
        return names_not_mentioned(question, retriever)
    return names_not_mentioned(reading.words, retriever, compounds=False)


def best_feature(candidates: Sequence[Candidate], name: str, default: float = 0.0) -> float:
    """The highest value of one of `SENTENCE_FEATURES` among the candidates (`default` if there are none)."""
    column = SENTENCE_FEATURES.index(name)
    return max((c.features[column] for c in candidates), default=default)


# The candidates a "how many" question's count is looked for in: the ones a quote would come from.
QUANTITY_CANDIDATES = 3
_HOW_WORDS = frozenset(tokenize("how many much"))  # "many" is no stopword, but here it only asks
_SPAN_WORDS = frozenset(tokenize("long old"))
_DATE_WORDS = frozenset(tokenize("year date day month when"))
_NAME_WORDS = frozenset(tokenize("name names"))


# A sentence that opens with a pronoun ("It weighed about fourteen kilos.") is about something named
# before it, perhaps two sentences back ("... this big copper signal lantern." | "I asked the foreman if I
# could take it." | "It weighed ..."). English.
_OPENS_WITH_PRONOUN = re.compile(r"^\W*(?:it|they|she|he|this|these)\b", re.IGNORECASE)


def _sentence_and_neighbours(retriever: Retriever, chunk_index: int, sentence_index: int) -> list[frozenset[str]]:
    """The words of a sentence and of the sentences on either side of it in its turn, which may run on
    in the passage before or after ("... two new electric ferries." | "Each ferry carries 240 ..."), and
    of the one before those when it opens with a pronoun."""
    chunks, terms = retriever.index.chunks, retriever.sentence_terms
    same_turn = lambda i: 0 <= i < len(chunks) and turn_of(chunks[i]) == turn_of(chunks[chunk_index]) and bool(terms[i])  # noqa: E731
    own = terms[chunk_index]
    back = 2 if _OPENS_WITH_PRONOUN.match(chunks[chunk_index].sentences[sentence_index].text) else 1
    near = list(own[max(0, sentence_index - back) : sentence_index + 2])
    if sentence_index < back and same_turn(chunk_index - 1):
        near.extend(terms[chunk_index - 1][sentence_index - back :])
    if sentence_index == len(own) - 1 and same_turn(chunk_index + 1):
        near.append(terms[chunk_index + 1][0])
    return near


@dataclass(frozen=True)
class AskedFact:
    """A fact a question asks for in so many words (a count, a date, a name): a test of whether a
    sentence gives it, and of whether a question word is part of the asking rather than the subject."""

    gives: Callable[[str], bool]
    asking: Callable[[str], bool]
    # Whether a sentence opening the reply to an interviewer's question gives the fact without naming
    # what it counts, because that question asked for the same count: "How many people work for you?"
    # answered "Thirty-eight at the moment." (the question, then the sentence).
    answers_alike: Callable[[str, str], bool] = lambda asked, text: False
    # Whether the fact is someone's own (an age): the sentence must speak of the one the question names
    # (or be theirs, in the first person), not merely be as near the question as any is ("How old is
    # Henrike?" is not answered by "the youngest is nine").
    someones: bool = False


def count_asked(question: str, retriever: Retriever) -> AskedFact | None:
    """A "how many" or "how much" question's count (`quantity_measure`): a number of the thing counted,
    for a price also in the corpus's currency ("bought it for 240,000 crowns"); for "What share ...?"
    any number ("87 percent")."""
    measure = quantity_measure(question)
    if measure is None and asks_count_in_other_language(question):
        # What is counted is not read in those languages: any number (not a year) answers, about the subject.
        return AskedFact(lambda text: states_quantity(None, text), lambda t: False)
    if measure is None and (physical := measure_units(question)) is not None:
        # A depth or a speed is a number in its units, about the question's subject.
        word, units = physical
        return AskedFact(lambda text: states_quantity(set(tokenize(units)), text), lambda t: t in _HOW_WORDS or holds_term(t, set(tokenize(word))))
    if measure is None and (span := span_asked(question)) is not None:
        # "How long was the ferry out of service?": a number of days or weeks; "How old is she?": an age.
        return AskedFact(lambda text: states_span(span, text), lambda t: t in _HOW_WORDS or t in _SPAN_WORDS, someones=span == "age")
    if measure is None or not (measured := set(tokenize(measure))):
        return None
    money = bool(MONEY_WORDS.fullmatch(measure))
    # The number must count the phrase's head noun; a word before it only says which ones: "How many
    # parking spaces ...?" is not answered by "50 pence from every car park ticket".
    counted = counted_noun(question)
    noun = (counted or measure).split()[-1]
    head = set(tokenize(noun)) or measured
    # "How many times ...?" counts what happened, by its own noun ("41 water main breaks"), or by none.
    beside = None if measure.lower() in NUMBER_NOUNS or measure.lower() == "times" else head | (retriever.money_units if money else set())
    # "How much are the skippers paid?": the verb of paying states a sum after it, not a number before it.
    leading: set[str] = set()
    if money and beside is not None and not counted and not MONEY_NOUNS.fullmatch(measure):
        leading, beside = head, beside - head

    def answers_alike(asked: str, text: str) -> bool:
        counts = quantity_measure(asked)
        return counts is not None and bool(head & set(tokenize(counts))) and states_quantity(None, text, money)

    # Or in another word for the same thing: "How many kinds of seed ...?" by "We hold 212 varieties",
    # "How much money ...?" by "three hundred dollars" (not "How much are they paid?" by "14 paid staff").
    other_words = beside is not None and (not money or bool(MONEY_NOUNS.fullmatch(measure)))

    def gives(text: str) -> bool:
        if states_quantity(beside, text, money, leading, "" if money else noun):
            return True
        return other_words and counts_in_other_words(noun.lower(), text, retriever.word_similarity)

    return AskedFact(gives, lambda t: holds_term(t, measured) or t in _HOW_WORDS, answers_alike)


def date_asked(question: str) -> AskedFact | None:
    """A date asked for in so many words ("In what year ...?", "On what date ...?", "By when ...?"; not a
    bare "when", often answered "from the very beginning")."""
    kind = asked_date(question)
    if kind is None:
        return None
    return AskedFact(lambda text: states_date(kind, text), lambda t: t in _DATE_WORDS)


def name_asked(question: str, read_as: str = "") -> AskedFact | None:
    """A name asked for in so many words ("What are the names of ...?"): a capitalized word the question
    does not use (nor its reading in the corpus's words, `read_as`, for a question in another language)."""
    if not asks_name(question):
        return None
    asked = set(tokenize(question)) | set(tokenize(read_as))
    return AskedFact(lambda text: states_name(text, asked), lambda t: t in _NAME_WORDS)


def asked_facts(question: str, retriever: Retriever) -> list[AskedFact]:
    return [f for f in (count_asked(question, retriever), date_asked(question), name_asked(question)) if f is not None]


def _subject(fact: AskedFact, reading: Reading) -> dict[str, float]:
    return {t: w for t, w in reading.terms.items() if not fact.asking(t)}


def _missing(fact: AskedFact | None, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever) -> bool:
    if fact is None:
        return False
    return _giving(_subject(fact, reading), candidates, retriever, fact) is None


def subject_share(question: str, kind: str, reading: Reading, candidate: Candidate, retriever: Retriever) -> float:
    """The idf-weighted share of what the question asks its `kind` of fact ("number", "date", "name")
    about that the candidate sentence speaks of: "How much will large holdings pay for water?" of "Large
    holdings will pay more, but the exact figure is not set" (all of it) and of "There are no two Chinas"
    (none)."""
    asked = {"number": lambda: count_asked(question, retriever), "date": lambda: date_asked(question), "name": lambda: name_asked(question, reading.words)}
    fact = asked[kind]()
    subject = _subject(fact, reading) if fact is not None else reading.terms
    return term_overlap(subject, retriever.sentence_terms[candidate.chunk_index][candidate.sentence_index])


def giving_first(question: str, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever) -> list[Candidate]:
    """The candidates with, first, the best one that gives the count, date or name the question asks
    for in so many words (the sentence that made coverage decide it is answered): "How much money is the
    scheme getting?" quotes "The budget is 240 million dollars", not "we will build 1,100 kilometres of
    pipelines", though that one matches the question's other words better."""
    ordered = list(candidates)
    for fact in (f for f in asked_facts(question, retriever) if ordered):
        giver = _giving(_subject(fact, reading), ordered, retriever, fact)
        if giver is not None and giver is not ordered[0]:
            ordered.remove(giver)
            ordered.insert(0, giver)
    return ordered


def quantity_missing(question: str, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever) -> float:
    """1 when the question asks how many or how much of something and none of the best candidate
    sentences gives a number of it, about what the question asks it of: "How many students will the
    college admit?" is not answered by a sentence about the college that counts hectares, nor by one
    that counts students elsewhere."""
    return 1.0 if _missing(count_asked(question, retriever), reading, candidates, retriever) else 0.0


def date_missing(question: str, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever) -> bool:
    """Whether a question that asks for a date in so many words finds none about its subject among the
    best candidate sentences ("On what date will the summit take place?" is not answered by "the
    Summit, which is going to take place in Xi An")."""
    return _missing(date_asked(question), reading, candidates, retriever)


def name_missing(question: str, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever) -> bool:
    """Whether a question that asks for a name in so many words ("What are the names of the two girls
    ...?") finds none about its subject among the best candidate sentences ("... and their names are
    now on the discovery notice" names no one)."""
    return _missing(name_asked(question, reading.words), reading, candidates, retriever)


def _giving(subject: dict[str, float], candidates: Sequence[Candidate], retriever: Retriever, fact: AskedFact) -> Candidate | None:
    """The first of the best candidate sentences that gives the fact asked for (`gives`) about the
    question's subject: its sentence, with what surrounds it, must be as much about the question's
    other words as any best sentence is. "How much does a ticket cost?" is answered neither by "Running
    the observatory costs 3.8 million crowns" nor by "we sold 31,000 tickets"."""
    best = candidates[:QUANTITY_CANDIDATES]
    # Someone's own fact is told of them by a pronoun ("Dmitri, without question. He is 71 now ..."): the
    # sentence that gives it need only be as much about them as any other that gives such a fact, not as
    # the one that names them in full ("... a retired welder called Dmitri Ashgrove, helped me ...").
    measured = [c for c in best if fact.gives(c.span.text)] if fact.someones else best
    most = max((term_overlap(subject, retriever.sentence_terms[c.chunk_index][c.sentence_index]) for c in measured), default=0.0)
    chunks = retriever.index.chunks
    # The opening of a best sentence's reply too: the bare count may open it ("Thirty-eight at the
    # moment, including me. Fourteen of them are in the frame shop ...").
    turns = {turn_of(chunks[c.chunk_index]) for c in best}
    openings = [c for c in candidates[QUANTITY_CANDIDATES:] if opens_reply(c, retriever) and turn_of(chunks[c.chunk_index]) in turns]
    for c in [*best, *openings]:
        alike = opens_reply(c, retriever) and fact.answers_alike(chunks[c.chunk_index].question, c.span.text)
        if not (alike or (c in best and fact.gives(c.span.text))):
            continue
        # What the fact is about is said beside it, or by the interviewer's question it answers
        # ("How many people work up there?" ... "We have 34 permanent staff"), but not a word the answer
        # says elsewhere, away from the fact: asked "This year the museum will chair the league ...?",
        # answered "The league started in 1998. ... As its future chair, the museum ...": 1998 is no chair's.
        beside = frozenset().union(*_sentence_and_neighbours(retriever, c.chunk_index, c.sentence_index))
        turn = turn_passages(retriever, [c.chunk_index])
        elsewhere = frozenset().union(*(terms for i in turn for terms in retriever.sentence_terms[i])) - beside
        asked = {t for t in tokenize(retriever.index.chunks[c.chunk_index].question) if not holds_term(t, elsewhere)}
        # "We" is the interviewee's side, as the intro describes it: "How many full-time staff does the
        # estate have?" is answered by "We have fourteen full-time staff" of the head of "Castellane
        # Ridge Estate", though the sentence does not say "estate" and a passing one elsewhere does
        # (a sentence that speaks as "we" speaks for the side, and so does a bare count answering "How
        # many people work for you?").
        ours = _described_as(retriever, chunks[c.chunk_index]) if alike or _WE.search(c.span.text) else frozenset()
        if fact.someones and _I.search(c.span.text):
            ours |= frozenset(tokenize(chunks[c.chunk_index].speaker))
        overlap = term_overlap(subject, beside | asked | ours)
        if overlap >= most and (overlap > 0 or not fact.someones):
            return c
    return None


_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_I = re.compile(r"\bI\b")


def _described_as(retriever: Retriever, answer: Chunk) -> frozenset[str]:
    """The words of the narration's sentences that name the speaker of an answer (by surname): who they
    are and what they run."""
    surname = answer.speaker.split()[-1] if answer.speaker.split() else ""
    return frozenset(
        t for i, c in enumerate(retriever.index.chunks) if c.source == answer.source and c.role == "narration"
        for s, terms in zip(c.sentences, retriever.sentence_terms[i]) if surname and re.search(rf"\b{re.escape(surname)}\b", s.text)
        for t in terms
    )


def coverage_features(question: str, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever) -> tuple[float, ...]:
    best = lambda name: best_feature(candidates, name)  # noqa: E731
    return (
        best("sentence_cosine"),
        best("second_cosine"),
        best("term_overlap"),
        *question_features(question, reading, retriever),
        quantity_missing(question, reading, candidates, retriever),
    )


def covered_probability(features: Sequence[float], calibration: Calibration) -> float:
    return float(sigmoid(float(calibration.coverage.logit(np.array(features)))))


def decide_coverage(
    question: str, reading: Reading, candidates: Sequence[Candidate], retriever: Retriever, calibration: Calibration
) -> CoverageDecision:
    features = coverage_features(question, reading, candidates, retriever)
    probability = covered_probability(features, calibration)
    # The model weighs how well the interview covers the question's topic; a count, date or name asked for
    # that its best sentences do not give is a fact the interview lacks however well the topic matches
    # ("How many students will the new college admit?" where the college is named but its size never is).
    if features[COVERAGE_FEATURES.index("quantity_missing")]:
        missing = "number"
    elif date_missing(question, reading, candidates, retriever):
        missing = "date"
    elif name_missing(question, reading, candidates, retriever):
        missing = "name"
    else:
        missing = ""
    covered = bool(candidates) and not missing and probability >= calibration.coverage_threshold
    return CoverageDecision(features, probability, covered, missing)


@dataclass(frozen=True)
class Claim:
    """An interviewer's sentence that a question may have credited to the speaker."""

    chunk_index: int
    sentence_index: int
    cosine: float
    second_cosine: float
    unmatched: float  # share of the question's topical words (idf-weighted) in the claim, never in the speaker's answers
    contained: float  # share of the question's topical words (idf-weighted) in the claim at all


@dataclass(frozen=True)
class AttributionDecision:
    """Whether the question is about the interviewer's claim, and the figures it was decided on."""

    claim: Claim
    features: tuple[float, ...]
    probability: float
    fires: bool


def _is_claim(text: str) -> bool:
    """A declarative sentence states something; a question ("...?") or a request ("Tell us about the
    flood.") only asks, so it cannot be misquoted (a user run's "And what did she say about the flood?"
    got the trap over "Tell us about the flood of 2021.").

    >>> _is_claim("Critics call it a bunker."), _is_claim("Tell us about the flood of 2021."), _is_claim("Is it?")
    (True, False, False)

    Nor does a phrase without a verb, which names a topic ("And the climate."): a user run's "What did
    Hartigan say about the climate?" got "That comes from the interviewer's question".

    >>> _is_claim("And the climate."), _is_claim("Owen Pritchard, eight a week.")
    (False, False)

    A statement with a question tagged on states what comes before the tag ("I heard the council cut
    your funding in half, is that right?"; a user run's channel export had its trap so); a question
    before a comma asks ("How do you fund it, with the cuts?").

    >>> _is_claim("I heard the council cut your funding in half, is that right?"), _is_claim("You were named Artisan of the Year, weren't you?")
    (True, True)
    >>> _is_claim("How do you fund it, with the cuts?"), _is_claim("So the fund is too small, in your view, and what would be enough?")
    (False, False)
    """
    import lemminflect  # ~0.1 s on first use, not on importing rag

    stated = text.rstrip("\"”’) ")
    if stated.endswith("?"):
        head, _, tag = stated.rpartition(",")
        if not head or len(tag.split()) > TAG_WORDS or _ASKING.match(head) or _WH.match(tag.strip()):
            return False
        text = head
    has_verb = any({"VERB", "AUX"} & set(lemminflect.getAllLemmas(w.lower())) for w in re.findall(r"[A-Za-z’'-]+", text))
    return has_verb and not is_request(text)


# A tag after a statement is short ("is that right", "weren't you", "am I right"). English.
TAG_WORDS = 4
_WH = re.compile(r"(?i)(?:and\s+|so\s+|but\s+)?(?:what|who|whom|whose|which|when|where|why|how)\b")
_ASKING = re.compile(
    r"(?i)\W*(?:and\s+|so\s+|but\s+|then\s+)?(?:what|who|whom|whose|which|when|where|why|how"
    r"|(?:is|are|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|have|has|had)(?:n[’']t)?|am|won[’']t)\b"
)


def _uses(words: frozenset[str], term: str, retriever: Retriever) -> bool:
    """Whether a speaker whose stemmed words are `words` uses `term`: as it is, as a word it begins or
    that begins it (the stemmer keeps derivations apart: "chairman", "chairmanship"), or, for an acronym,
    through the corpus's spelled-out name ("sco": "Shanghai ... Organization")."""
    if holds_term(term, words):
        return True
    names = retriever.acronyms.get(term, ())
    return any(all(t in words for t in tokenize(name)) for name in names)


def find_claim(reading: Reading, sources: Sequence[str], retriever: Retriever, panelist: str = "") -> Claim | None:
    """The interviewer's claim (a declarative sentence of a question turn) the question is most about:
    by meaning and by the words it shares with the question. A note the page puts between the turns
    ("[Editor's note: the council told us the culvert was cleared on 23 January 2023.]") is someone
    else's words too; the intro, which says who spoke, is not searched. With a panel's `panelist` named
    ("Did Rukmini say the project is budgeted at £41 million?"), so are the other panelists' answers."""
    chunks = retriever.index.chunks
    said = {source: words for source, words in retriever.answer_words.items() if source in sources}
    if panelist:
        said = {source: frozenset(t for i, c in enumerate(chunks) if c.source == source and c.role == "answer" and c.speaker == panelist
                                  for terms in retriever.sentence_terms[i] for t in terms) for source in said}
    # The question's words each speaker uses (once per question, not per claim).
    used = {source: {t for t in reading.terms if _uses(words, t, retriever)} for source, words in said.items()}
    total = sum(reading.terms.values())
    second = reading.dense.second_rows if reading.dense.second_rows is not None else reading.dense.rows
    best: Claim | None = None
    for ci, chunk in enumerate(chunks):
        another = bool(panelist) and chunk.role == "answer" and chunk.speaker != panelist
        if chunk.source not in sources or not (chunk.role == "question" or (chunk.role == "narration" and chunk.exchange > 0) or another):
            continue
        for j, sentence in enumerate(chunk.sentences):
            if not _is_claim(sentence.text):
                continue
            row = retriever.row(ci, j)
            cosine = float(reading.dense.rows[row])
            words = retriever.sentence_terms[ci][j]
            his = used.get(chunk.source, set())
            unmatched = sum(w for t, w in reading.terms.items() if t in words and t not in his) / total if total else 0.0
            contained = sum(w for t, w in reading.terms.items() if t in words) / total if total else 0.0
            if best is None or cosine + contained > best.cosine + best.contained:
                best = Claim(ci, j, cosine, float(second[row]), unmatched, contained)
    return best


def claim_gives_asked(question: str, claim: Claim, retriever: Retriever) -> bool:
    """Whether the claim gives every fact the question asks for in so many words: "How many medals did
    he win at the Olympics?" is not the interviewer's "you attended the opening of the Olympics", which
    counts no medals; the interview does not cover it."""
    text = retriever.index.chunks[claim.chunk_index].sentences[claim.sentence_index].text
    return all(fact.gives(text) for fact in asked_facts(question, retriever))


def decide_attribution(claim: Claim, best_answer: tuple[float, float], calibration: Calibration, gives_asked: bool = True) -> AttributionDecision:
    """Whether the words the question credits are the claim's rather than the speaker's: one fitted
    logistic model over how much better the claim matches than the best answer sentence (by each
    encoder) and how many of the question's words it holds. Only a claim holding some word of the
    question that the speaker never uses can be one ("What did he say about Taiwan?" credits him with
    nothing the interviewer alone said, however well the interviewer's Taiwan sentence matches), and
    only one that gives the fact the question asks for (`claim_gives_asked`)."""
    features = (claim.cosine - best_answer[0], claim.second_cosine - best_answer[1], claim.unmatched, claim.contained)
    can_fire = claim.unmatched > 0 and gives_asked
    probability = float(sigmoid(float(calibration.attribution.logit(np.array(features))))) if can_fire else 0.0
    return AttributionDecision(claim, features, probability, can_fire and probability >= calibration.attribution_threshold)
