from rag.chunking import chunk_document, group_sentences, split_sentences
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
