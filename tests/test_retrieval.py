import pytest

from rag.corpus import parse_transcript
from rag.index import build_index
from rag.retrieval import Bm25, Retriever, reciprocal_rank_fusion, tokenize


def test_rrf_exact_scores():
    # id 1: 1/(1+1) + 1/(1+2) = 0.8333; id 3: 1/(1+3) + 1/(1+1) = 0.75; id 2: 1/(1+2) = 0.3333
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1]], k=1)
    assert [i for i, _ in fused] == [1, 3, 2]
    assert [round(s, 4) for _, s in fused] == [0.8333, 0.75, 0.3333]


def test_rrf_breaks_ties_by_id():
    assert reciprocal_rank_fusion([[2, 1], [1, 2]], k=60) == [(1, 1 / 61 + 1 / 62), (2, 1 / 61 + 1 / 62)]


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
    assert hits[0].score == pytest.approx(2 / 61)  # first in both the dense and the BM25 list
    assert hits[0].bm25_score > 0 and hits[0].dense_score > 0


def test_k_is_checked(tiny_retriever):
    with pytest.raises(ValueError, match="k must be a positive number of passages, got 0"):
        tiny_retriever.search("ports", k=0)


def test_real_model_finds_the_taiwan_answer(real_retriever):
    hits = real_retriever.search("Taiwan is part of China", k=3)
    assert hits[0].chunk.role == "answer" and hits[0].chunk.exchange == 6
