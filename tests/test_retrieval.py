import pytest

from rag.corpus import parse_transcript
from rag.index import build_index
import numpy as np

from rag.retrieval import Bm25, Retriever, fuse, tokenize


def test_fuse_adds_normalized_bm25_and_penalizes_context_passages():
    dense = np.array([0.5, 0.6, 0.4, 0.3])
    lexical = np.array([4.0, 0.0, 2.0, 0.0])
    context = np.array([False, False, True, False])
    # 0.5 + 0.4 * 4/4 = 0.9; 0.6 + 0 = 0.6; 0.4 + 0.4 * 2/4 - 0.05 = 0.55; 0.3
    assert fuse(dense, lexical, context).round(4).tolist() == [0.9, 0.6, 0.55, 0.3]
    assert fuse(dense, lexical, context, prefer_answers=False).round(4).tolist() == [0.9, 0.6, 0.6, 0.3]
    assert fuse(dense, np.zeros(4), context, prefer_answers=False).tolist() == dense.tolist()


def test_tokenize_stems_and_drops_stop_words():
    assert tokenize("When did the organization start its activities?") == ["organiz", "start", "activ"]
    assert tokenize("Kazakhstan’s youth") == ["kazakhstan", "youth"]


TINY = """Host: What about trains?

Guest: Trains will run on time. We bought new engines for the railway.

Host: And the sea ports?

Guest: Ports come next year. The harbour gets deeper.

Host: What about schools?

Guest: Every village gets a school.
"""


@pytest.fixture
def tiny_retriever(fake_encoder):
    doc = parse_transcript(TINY, "tiny.txt")
    return Retriever(build_index([doc], fake_encoder), fake_encoder)


def test_bm25_scores_only_passages_with_query_words(tiny_retriever):
    bm25 = Bm25(tiny_retriever.index.chunks)
    scores = bm25.scores("new engines")
    ids = [c.id for c in tiny_retriever.index.chunks]
    assert [ids[i] for i, s in enumerate(scores) if s > 0] == ["tiny.txt#t1.1"]


def test_hybrid_ranks_the_answer_that_matches_both_ways_first(tiny_retriever):
    hits = tiny_retriever.search("harbour ports next year", k=3)
    assert hits[0].chunk.id == "tiny.txt#t3.1"
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].score == pytest.approx(hits[0].dense_score + 0.4)  # the best BM25 score normalizes to 1
    assert hits[0].bm25_score > 0 and hits[0].dense_score > 0


def test_single_signal_modes(tiny_retriever):
    dense = Retriever(tiny_retriever.index, tiny_retriever.encoder, mode="dense")
    bm25 = Retriever(tiny_retriever.index, tiny_retriever.encoder, mode="bm25")
    assert [h.score for h in dense.search("harbour", k=2)] == [h.dense_score for h in dense.search("harbour", k=2)]
    # BM25 alone returns only passages that share a word with the query
    assert [h.chunk.id for h in bm25.search("new engines", k=5)] == ["tiny.txt#t1.1"]
    with pytest.raises(ValueError, match="retrieval mode must be one of hybrid, dense, bm25, got 'sparse'"):
        Retriever(tiny_retriever.index, tiny_retriever.encoder, mode="sparse")


def test_acronyms_are_spelled_out_from_the_corpus(real_retriever):
    assert real_retriever.acronyms["sco"] == ("Shanghai Cooperation Organization",)
    assert real_retriever.expand_acronyms("Tell me about the SCO and the UN") == (
        "Tell me about the SCO and the UN Shanghai Cooperation Organization United Nations"
    )
    assert real_retriever.expand_acronyms("What about NATO?") == "What about NATO?"


def test_k_is_checked(tiny_retriever):
    with pytest.raises(ValueError, match="k must be a positive number of passages, got 0"):
        tiny_retriever.search("ports", k=0)


def test_real_model_finds_the_taiwan_answer(real_retriever):
    hits = real_retriever.search("Taiwan is part of China", k=3)
    assert hits[0].chunk.role == "answer" and hits[0].chunk.exchange == 6


def test_a_renamed_retriever_derives_everything_from_its_new_names(tiny_retriever):
    renamed = tiny_retriever.with_names(["Minister Ada Li"])
    assert renamed.names == ("Minister Ada Li",)
    assert renamed.speaker_terms == frozenset({"minist", "ada", "li"})
    assert renamed.speaker_terms <= renamed.framing and "say" in renamed.framing
    assert "minist" not in tiny_retriever.speaker_terms  # the original keeps its own


def test_irregular_forms_share_their_base_forms_stem():
    # A user run's "Who did he take over from?" missed "I took over from Ilse Brannock" (and "How many
    # tickets did they sell?" / "we sold 31,000 tickets"): the stemmer keeps irregular forms apart.
    from rag.retrieval import tokenize

    assert tokenize("I took over; we sold tickets; the children") == ["take", "sell", "ticket", "child"]
    assert tokenize("It was given; they found it") == ["give", "found"]  # "found" is a verb of its own too
