"""Compose: the structured reply (`Reply`) with its citations, from what the earlier stages chose.

Nothing here writes prose: `rag.reply_text` (plain text, for the CLI, the JSON record and the eval) and
`ui.render` (the web page) turn a `Reply` into words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.corpus import INTERVIEWER_ROLE_WORDS, is_request
from rag.chunking import split_sentences
from rag.retrieval import Retriever
from rag.select import Window
from rag.reply_text import asker_of, english_list
from rag.types import Chunk, Citation, Coverage, Document, Quote, Reply, Span


def citation(n: int, chunk: Chunk, span: Span, passage: Span | None = None) -> Citation:
    passage = passage or Span(chunk.start, chunk.end, chunk.text)
    return Citation(n, chunk.source, chunk.speaker, chunk.role, span.start, span.end, span.text, chunk.id, passage.start, passage.end)


def topic_of(docs: Sequence[Document], chunk: Chunk) -> str:
    """The exchange's topic label: the card's, else the interviewer's question itself."""
    doc = next((d for d in docs if d.source == chunk.source), None)
    if doc is None or not 1 <= chunk.exchange <= len(doc.topics):
        return ""
    return doc.topics[chunk.exchange - 1]


def window_quote(n: int, window: Window, retriever: Retriever, docs: Sequence[Document]) -> Quote:
    chunks = retriever.index.chunks
    chunk = chunks[window.chunk_index]
    start = min(chunks[i].start for i in window.chunks)
    end = max(chunks[i].end for i in window.chunks)
    raw = next(d.raw for d in docs if d.source == chunk.source)
    return Quote(citation(n, chunk, window.span, Span(start, end, raw[start:end])), topic_of(docs, chunk))


# A "not covered" reply lists at most this many topics of a transcript: a transcript without a card has
# one per question (a user run got 17 of the interviewer's questions in one reply). The seed has 7.
MAX_LISTED_TOPICS = 8


def coverage(docs: Sequence[Document], nearness: Mapping[tuple[str, int], float] | None = None) -> tuple[Coverage, ...]:
    """What each transcript covers. With `nearness` (how well the question matches each exchange, by
    source and exchange number), a transcript with more than MAX_LISTED_TOPICS topics lists the nearest
    ones, in the interview's order, and counts the rest."""
    out = []
    for d in docs:
        # An exchange without a label (a greeting: rag.corpus._default_topics) is no topic to list.
        kept = [i for i, t in enumerate(d.topics) if t]
        more = 0
        if nearness is not None and len(kept) > MAX_LISTED_TOPICS:
            # Topic i labels exchange i + 1 (exchange 0 is the narration before the first question).
            nearest = sorted(kept, key=lambda i: -nearness.get((d.source, i + 1), float("-inf")))[:MAX_LISTED_TOPICS]
            more, kept = len(kept) - MAX_LISTED_TOPICS, sorted(nearest)
        local = tuple((language, tuple(topics[i] for i in kept if i < len(topics))) for language, topics in d.other_language_topics)
        out.append(Coverage(d.source, d.interviewee, tuple(d.topics[i] for i in kept), d.interviewer, local, more, panel=sum(name in d.interviewee for name, _ in d.panel) > 1))
    return tuple(out)


def quotes_reply(windows: Sequence[Window], retriever: Retriever, docs: Sequence[Document], notes: tuple[str, ...]) -> Reply:
    return Reply("quotes", tuple(window_quote(n, w, retriever, docs) for n, w in enumerate(windows, start=1)), notes=notes)


def attribution_reply(
    claim_chunk: Chunk, claim: Span, answer: Window | None, speaker: str, retriever: Retriever, docs: Sequence[Document], notes: tuple[str, ...]
) -> Reply:
    quotes = [Quote(citation(1, claim_chunk, claim), topic_of(docs, claim_chunk))]
    if answer is not None:
        quotes.append(window_quote(2, answer, retriever, docs))
    return Reply("attribution", tuple(quotes), value=speaker, notes=notes)


def not_covered_reply(docs: Sequence[Document], notes: tuple[str, ...], nearness: Mapping[tuple[str, int], float] | None = None) -> Reply:
    return Reply("not_covered", coverage=coverage(docs, nearness), notes=notes)


def not_given_reply(
    fact: str, nearest: Window, retriever: Retriever, docs: Sequence[Document], notes: tuple[str, ...], asked: str = ""
) -> Reply:
    return Reply("not_given", (window_quote(1, nearest, retriever, docs),), fact=fact, value=asked, notes=notes)


def absent_speaker_reply(who: str, docs: Sequence[Document], notes: tuple[str, ...]) -> Reply:
    return Reply("absent_speaker", value=who, coverage=coverage(docs), notes=notes)


def _sentence_around(doc: Document, pos: int) -> tuple[Citation | None, Span | None]:
    """The turn and sentence of `doc` holding character `pos`, as a citation of the narration."""
    for turn_index, turn in enumerate(doc.turns):
        if turn.start <= pos < turn.end:
            sentence = next((s for s in split_sentences(doc.raw, turn.start, turn.end) if s.start <= pos < s.end), None)
            sentence = sentence or Span(turn.start, turn.end, turn.text)
            c = Citation(1, doc.source, turn.speaker, turn.role, sentence.start, sentence.end, sentence.text, f"{doc.source}#t{turn_index}", turn.start, turn.end)
            return c, sentence
    return None, None


def _askers(doc: Document) -> dict[str, int]:
    """The askers a transcript cites one by one ("Interviewer (Tess Varga, Northgate Herald)"), as a reply
    names them ("Tess Varga (Northgate Herald)"), each with the first turn they ask in; one whose turns
    ask nothing (a press secretary calling on the next reporter) puts no question."""
    found: dict[str, int] = {}
    for i, turn in enumerate(doc.turns):
        asker = asker_of(turn.speaker)
        if turn.role == "question" and asker and ("?" in turn.text or is_request(turn.text)):
            name, _, outlet = asker.partition(", ")
            found.setdefault(f"{name} ({outlet})" if outlet else name, i)
    return found


def interview_reply(fact: str, doc: Document, docs: Sequence[Document], notes: tuple[str, ...]) -> Reply:
    """A fact about the interview itself, quoting the sentence of the page that states it."""
    context = tuple((f.name, f.value) for f in doc.meta)
    if fact == "topics":
        return Reply("about_interview", fact=fact, coverage=coverage([doc]), context=context, notes=notes)
    if fact == "interviewer":
        named = doc.interviewer if set(doc.interviewer_aliases) - set(INTERVIEWER_ROLE_WORDS) else ""
        askers = _askers(doc)
        if not named and len(askers) > 1:
            # No one interviewer, several reporters or callers: each, cited at the first question they put.
            turn = doc.turns[min(askers.values())]
            quote = _sentence_around(doc, turn.start + max(turn.text.find("?"), 0))[0]
            return Reply("about_interview", (Quote(quote),) if quote else (), fact=fact, value=english_list(list(askers)), context=context, notes=notes)
        # Unnamed, the reply says whom the questions were asked for: the sentence naming the program (or
        # the broadcaster) is its citation (a browser run found that reply citing nothing).
        where = next((f for f in (doc.meta_field("program"), doc.meta_field("broadcaster")) if f is not None), None)
        # (Two interviewers a byline names, "Ada Li and Bo Ek", are cited where the first is named; one a
        # cover page names in capitals, "Interviewer: MR. DESMOND PELL", where it does.)
        pos = doc.raw.find(named.split(" and ")[0]) if named else where.span.start if where is not None else -1
        if pos < 0 and named and (given := doc.meta_field("interviewer")) is not None:
            pos = given.span.start
        quote = _sentence_around(doc, pos)[0] if pos >= 0 else None
        return Reply("about_interview", (Quote(quote),) if quote else (), fact=fact, value=named, context=context, notes=notes)
    field = doc.date_field() if fact == "date" else doc.meta_field(fact)
    if field is None and fact == "interviewee" and doc.interviewee != "Interviewee":
        # Named by the labels, not by an intro's sentence: the first sentence that names them is the citation.
        names = [name for name, _ in doc.panel] or [doc.interviewee]
        pos = min((at for name in names if (at := doc.raw.find(name)) >= 0), default=-1)
        quote = _sentence_around(doc, pos)[0] if pos >= 0 else None
        return Reply("about_interview", (Quote(quote),) if quote else (), fact=fact, value=doc.interviewee, context=context, notes=notes)
    if field is None and fact in ("broadcaster", "source"):
        # No publisher named, but the programme or the station it was given for is: the reply says so,
        # citing the sentence that names it.
        where = next((f for f in (doc.meta_field("program"), doc.meta_field("broadcaster")) if f is not None and f.name != fact), None)
        quote = _sentence_around(doc, where.span.start)[0] if where is not None else None
        return Reply("about_interview", (Quote(quote),) if quote else (), fact=fact, context=context, notes=notes)
    if field is None:
        return Reply("about_interview", fact=fact, context=context, notes=notes)
    # Only a byline's date: the reply says the report is dated so, not that the interview was given then.
    fact = field.name
    found, _ = _sentence_around(doc, field.span.start)
    if found is None:  # a page footer such as "Source : <publisher>"
        s = field.span
        found = Citation(1, doc.source, doc.narrator, "narration", s.start, s.end, s.text, f"{doc.source}#meta", s.start, s.end)
    return Reply("about_interview", (Quote(found),), fact=fact, value=field.value, context=context, notes=notes)
