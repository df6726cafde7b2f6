from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_document, group_sentences, split_sentences
from rag.corpus import CorpusError, parse_transcript
from rag.types import Span


def test_split_sentences_keeps_offsets_and_abbreviations():
    raw = "  Mr. Li came at 5 p.m. today. Did he? Yes!\nNew line here"
    spans = split_sentences(raw)
    assert [s.text for s in spans] == ["Mr. Li came at 5 p.m. today.", "Did he?", "Yes!", "New line here"]
    for s in spans:
        assert raw[s.start : s.end] == s.text


def test_split_sentences_on_a_slice():
    raw = "Skip me. Take this. And this."
    spans = split_sentences(raw, 9, len(raw))
    assert [(s.start, s.end) for s in spans] == [(9, 19), (20, 29)]


def _spans(n):
    return [Span(i * 10, i * 10 + 9, "x" * 9) for i in range(n)]


def test_group_sentences_makes_even_groups():
    assert [len(g) for g in group_sentences(_spans(7))] == [3, 2, 2]
    assert [len(g) for g in group_sentences(_spans(6))] == [3, 3]
    assert [len(g) for g in group_sentences(_spans(4))] == [2, 2]
    assert [len(g) for g in group_sentences(_spans(2))] == [2]
    assert group_sentences([]) == []


def test_group_sentences_respects_the_character_limit():
    assert [len(g) for g in group_sentences(_spans(3), max_chars=15)] == [1, 1, 1]


def test_seed_chunks(seed):
    chunks = chunk_document(seed)
    answers = [c for c in chunks if c.role == "answer"]
    assert [c.id.split("#")[1] for c in answers] == [
        "t2.1", "t2.2", "t2.3", "t4.1", "t4.2", "t4.3", "t6.1", "t8.1", "t8.2",
        "t10.1", "t10.2", "t12.1", "t12.2", "t12.3", "t14.1", "t14.2", "t14.3",
    ]
    assert [c.role for c in chunks if c.role != "answer"] == ["narration"] + ["question"] * 7
    for c in chunks:
        assert seed.raw[c.start : c.end] == c.text
        assert all(seed.raw[s.start : s.end] == s.text for s in c.sentences)
        assert c.text[0].isupper() and c.text[-1] in ".?!"  # whole sentences, no cut words


def test_answer_chunks_carry_their_question_but_quote_only_the_answer(seed):
    chunk = next(c for c in chunk_document(seed) if c.id.endswith("#t12.1"))
    assert chunk.exchange == 6 and chunk.speaker == "Kassym-Jomart Tokayev"
    assert chunk.question.startswith("Talking about Taiwan")
    assert chunk.text.startswith("We believe that it’s a question") and "Talking about Taiwan" not in chunk.text
    assert chunk.embed_text == chunk.text + "\nAsked: " + chunk.question

_PIECES = st.sampled_from(["What about trains?", "Trains run on time.", "Host: ", "Guest: ", "\n\n", "\n", " ", "Mr. Li", "e.g.", "U.S.", "1996.", "?!", "…", "😀", "\u202e"])
_TEXTS = st.one_of(st.text(max_size=400), st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=80).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_every_chunk_and_sentence_is_an_exact_span(raw):
    for s in split_sentences(raw):
        assert raw[s.start : s.end] == s.text and s.text
    try:
        doc = parse_transcript(raw, "x.txt")
    except CorpusError:
        return
    for c in chunk_document(doc):
        assert raw[c.start : c.end] == c.text
        assert all(raw[s.start : s.end] == s.text for s in c.sentences)


def test_an_answer_that_only_returns_the_sign_off_is_no_passage():
    # A user run: "Who did Kesteven take over from as director?" quoted "Thank you for coming up.", whose
    # passage was embedded with the interviewer's "Director Kesteven, thank you."
    raw = (
        "HOST: Director Kesteven, how long have you run the park?\n\nKESTEVEN: Thank you. Since 2017; I took over from Ilse Brannock.\n\n"
        "HOST: Director Kesteven, thank you.\n\nKESTEVEN: Thank you for coming up.\n"
    )
    doc = parse_transcript(raw, "park.txt")
    answers = [c for c in chunk_document(doc) if c.role == "answer"]
    # The first answer opens with thanks but says something; the last only thanks.
    assert [c.text for c in answers] == ["Thank you. Since 2017; I took over from Ilse Brannock."]
    assert [t.text for t in doc.turns if t.role == "answer"][-1] == "Thank you for coming up."
