from dataclasses import replace

from rag.decide import coverage_features, decide_coverage, find_claim, unknown_names
from rag.query import parse_query


def _reading(engine, question):
    return engine.readings(parse_query(question))[0]


def test_unknown_names_are_capitalized_words_no_transcript_uses():
    assert unknown_names("What did he say about Bitcoin and the SCO?", frozenset({"sco"}), frozenset()) == ["Bitcoin"]
    assert unknown_names("Bitcoin?", frozenset(), frozenset()) == []  # the first word is capitalized anyway


def test_coverage_follows_the_calibrated_model(tiny_engine):
    # tiny_calibration: logit = 6 x best_overlap - 6 x unknown_name - 2, answered from P >= 0.5
    reading = _reading(tiny_engine, "When did the harbour open?")
    _, candidates = tiny_engine.candidates(reading, [v for v in tiny_engine.router.route("x", reading.vector, 1.0).voices], 5, "date")
    covered = decide_coverage("When did the harbour open?", reading, candidates, tiny_engine.retriever, tiny_engine.calibration)
    assert covered.covered and covered.features[2] == 1.0  # "harbour open": both words in one sentence
    reading = _reading(tiny_engine, "What about the Zeppelin museum?")
    _, candidates = tiny_engine.candidates(reading, tiny_engine.router.route("x", reading.vector, 1.0).voices, 5, None)
    f = coverage_features("What about the Zeppelin museum?", reading, candidates, tiny_engine.retriever)
    assert (f[2], f[3], f[4]) == (0.0, 0.0, 1.0)  # no word of it in any sentence, none in the corpus, a name
    assert not decide_coverage("What about the Zeppelin museum?", reading, candidates, tiny_engine.retriever, tiny_engine.calibration).covered


def test_a_claim_is_found_only_when_the_question_credits_it_to_the_speaker(tiny_engine):
    r = tiny_engine.retriever
    lenient = replace(tiny_engine.calibration, attribution_margin=-1.0, attribution_unmatched=0.3, attribution_contained=0.5)
    claim = find_claim(_reading(tiny_engine, "Did Li say critics call the bridge a failure?"), 0.0, ["tiny.txt"], r, lenient)
    assert claim is not None
    assert r.index.chunks[claim.chunk_index].sentences[claim.sentence_index].text == "Critics call the bridge a failure."
    assert claim.unmatched > 0.3  # "critic", "failur": words only the interviewer uses
    # the interviewer's "What about the bridge?" asks, it claims nothing; the bridge is in her answer too
    assert find_claim(_reading(tiny_engine, "What did Li say about the bridge?"), 0.0, ["tiny.txt"], r, lenient) is None
