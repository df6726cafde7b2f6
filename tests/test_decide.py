from rag.decide import coverage_features, decide_attribution, decide_coverage, find_claim, unknown_names
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


def test_the_claim_is_the_interviewer_statement_the_question_is_most_about(tiny_engine):
    r = tiny_engine.retriever
    claim = find_claim(_reading(tiny_engine, "Did Li say critics call the bridge a failure?"), ["tiny.txt"], r)
    assert r.index.chunks[claim.chunk_index].sentences[claim.sentence_index].text == "Critics call the bridge a failure."
    # "critic", "failur": words only the interviewer uses; "bridg", "call" the rest, "bridg" also in her answer
    assert claim.contained == 1.0 and 0.8 < claim.unmatched < 1.0
    # the interviewer's "What about the bridge?" asks, it claims nothing: never a claim
    assert find_claim(_reading(tiny_engine, "Did Li say the bridge carries cars?"), ["tiny.txt"], r).sentence_index == 0


def test_attribution_follows_the_calibrated_model(tiny_engine):
    # The default model: logit = 10 x claim_margin + 10 x unmatched + 10 x contained - 13, fires from P >= 0.5.
    r = tiny_engine.retriever
    claim = find_claim(_reading(tiny_engine, "Did Li say critics call the bridge a failure?"), ["tiny.txt"], r)
    decision = decide_attribution(claim, (claim.cosine, 0.0), tiny_engine.calibration)
    assert decision.features == (0.0, claim.second_cosine, claim.unmatched, 1.0) and decision.fires
    other = find_claim(_reading(tiny_engine, "Did Li say the bridge carries cars?"), ["tiny.txt"], r)
    assert not decide_attribution(other, (other.cosine, other.second_cosine), tiny_engine.calibration).fires  # "unmatched" 0
    assert tiny_engine.answer("Did Li say critics call the bridge a failure?").reply.kind == "attribution"
    assert tiny_engine.answer("Did Li say the bridge carries cars?").reply.kind == "quotes"


def test_a_count_is_missing_when_no_best_sentence_counts_what_is_asked(tiny_engine):
    # TINY: "The bridge carries ten thousand cars a day." counts cars, nothing else.
    from rag.decide import quantity_missing

    reading = _reading(tiny_engine, "How many cars use the bridge?")
    _, candidates = tiny_engine.candidates(reading, tiny_engine.router.route("x", reading.vector, 1.0).voices, 5, "number")
    assert quantity_missing("How many cars use the bridge?", candidates) == 0.0
    assert quantity_missing("How many lorries use the bridge?", candidates) == 1.0
    assert quantity_missing("How much did the bridge cost?", candidates) == 1.0  # a sum of money: none given
    assert quantity_missing("What about the bridge?", candidates) == 0.0  # asks for no number
