import numpy as np
import pytest

from rag.calibration import SENTENCE_FEATURES
from rag.corpus import parse_transcript
from rag.query import parse_query
from rag.select import candidate_keys, choose_window, choose_windows, holds_fact, score_sentences, sentence_features, turn_passages


def _scored(engine, question, fact=None):
    reading = engine.readings(parse_query(question))[0]
    answers = [i for i, c in enumerate(engine.retriever.index.chunks) if c.role == "answer"]
    return reading, score_sentences(engine.retriever, reading, answers, fact, engine.calibration)


def test_the_sentence_that_shares_the_question_words_scores_best(tiny_engine):
    _, scored = _scored(tiny_engine, "When did the harbour open?", "date")
    assert [c.span.text for c in scored][:2] == ["The harbour opened in 1996.", "It is the deepest port in the region."]


def test_features_are_exact(tiny_engine):
    reading, _ = _scored(tiny_engine, "How many cars does the bridge carry?")
    r = tiny_engine.retriever
    bridge = next(i for i, c in enumerate(r.index.chunks) if "bridge carries" in c.text)
    f = sentence_features(r, reading, [(bridge, 0), (bridge, 1)], "number")
    # topical words: "mani" is not in the corpus (unseen idf), car/bridg/carri are; sentence 0 has the
    # three known ones, sentence 1 none of them
    idf = {t: r.idf.get(t, r.unseen_idf) for t in ("mani", "car", "bridg", "carri")}
    assert f[0][7] == pytest.approx((idf["car"] + idf["bridg"] + idf["carri"]) / sum(idf.values()))
    assert f[1][7] == 0.0 and f[1][8] == pytest.approx(-f[0][7])  # overlap gap to the best
    assert (f[0][9], f[0][10], f[1][9], f[1][10]) == (1.0, 0.0, 0.0, 1.0)  # "ten thousand" is a number
    # No second encoder here: its passage and question cosines are the first's; each sentence's neighbour
    # is the other sentence of the two-sentence passage.
    assert (f[0][11], f[0][12]) == (f[0][4], f[0][6]) and (f[0][13], f[1][13]) == (f[1][0], f[0][0])
    # Each sentence read in context (rag.index.context_texts), by the same encoder: the second after the
    # first ("The bridge carries ... So it pays for itself."), both after the interviewer's question; the
    # first sentence has no sentence before it in its turn, so it reads as it is. No second encoder: the
    # second encoder's columns are the first's.
    encode = lambda text: tiny_engine.retriever.encoder.encode([text])[0]  # noqa: E731
    question = r.index.chunks[bridge].question
    assert f[0][15] == pytest.approx(f[0][0])
    assert f[1][15] == pytest.approx(float(encode("The bridge carries ten thousand cars a day. So it pays for itself.") @ reading.vector))
    assert f[0][16] == pytest.approx(float(encode(f"{question} The bridge carries ten thousand cars a day.") @ reading.vector))
    assert (f[0][17], f[0][18], f[1][17], f[1][18]) == (f[0][15], f[0][16], f[1][15], f[1][16])


def test_an_answer_no_question_was_put_for_scores_its_question_features_as_the_others_average(engine_over):
    raw = (
        "MAYOR: Good morning. The tram will cost 212 million crowns.\n"
        "Q: What will a ride cost?\n"
        "MAYOR: A ride will cost 2.40 crowns.\n"
        "Q: When will the bridge open?\n"
        "MAYOR: The bridge opens in 2027.\n"
    )
    engine = engine_over([parse_transcript(raw, "press.txt")])
    r = engine.retriever
    reading = engine.readings(parse_query("How much will a ride cost?"))[0]
    keys = candidate_keys(r, [i for i, c in enumerate(r.index.chunks) if c.role == "answer"])
    f = sentence_features(r, reading, keys, "number")
    asked, second = SENTENCE_FEATURES.index("question_cosine"), SENTENCE_FEATURES.index("second_question")
    opening = [k for k, (ci, _) in enumerate(keys) if r.index.chunks[ci].exchange == 0]
    others = [k for k in range(len(keys)) if k not in opening]
    assert len(opening) == 2 and len(others) == 2
    # The opening statement's sentences: the mean of the answered sentences' question cosines, not 0.
    for column in (asked, second):
        assert [f[k][column] for k in opening] == pytest.approx([np.mean([f[k][column] for k in others])] * 2)
        assert all(f[k][column] != 0.0 for k in others)


def test_candidates_reach_the_whole_turn(tiny_engine):
    r = tiny_engine.retriever
    first = next(i for i, c in enumerate(r.index.chunks) if c.role == "answer")
    assert turn_passages(r, [first]) == [first]
    assert candidate_keys(r, [first]) == [(first, 0), (first, 1)]


def test_a_factoid_gets_the_sentence_that_holds_the_fact(tiny_engine):
    _, scored = _scored(tiny_engine, "When did the harbour open?", "date")
    window = choose_window(scored[0], scored, tiny_engine.retriever, tiny_engine.raw_of["tiny.txt"], "date", tiny_engine.calibration)
    assert window.span.text == "The harbour opened in 1996."


def test_a_broad_question_gets_the_neighbours_that_score_nearly_as_well(tiny_engine):
    from dataclasses import replace

    _, scored = _scored(tiny_engine, "Tell me about the harbour")
    keep_all = replace(tiny_engine.calibration, window_keep=0.0)
    window = choose_window(scored[0], scored, tiny_engine.retriever, tiny_engine.raw_of["tiny.txt"], None, keep_all)
    assert window.span.text == "The harbour opened in 1996. It is the deepest port in the region."


def test_a_broad_question_gets_the_sentences_that_go_on_about_the_best_one_however_they_score(engine_over):
    from dataclasses import replace

    from rag.corpus import parse_transcript

    text = (
        "Host: Let's talk about the pilot.\n\n"
        "Ada Li: The pilot of the new card starts in September. It will run in three cities. "
        "Farmers welcome the rain.\n"
    )
    doc = parse_transcript(text, "p.txt")
    engine = engine_over([doc])
    _, scored = _scored(engine, "Tell me about the pilot of the new card")
    assert scored[0].span.text.startswith("The pilot")
    keep_none = replace(engine.calibration, window_keep=1.0)
    window = choose_window(scored[0], scored, engine.retriever, engine.raw_of["p.txt"], None, keep_none)
    # "It will run ..." goes on about the pilot (a user run got only the first sentence); the rain does not.
    assert window.span.text == "The pilot of the new card starts in September. It will run in three cities."
    # A factoid still gets the sentence that holds the fact.
    _, scored = _scored(engine, "When does the pilot of the new card start?", "date")
    window = choose_window(scored[0], scored, engine.retriever, engine.raw_of["p.txt"], "date", keep_none)
    assert window.span.text == "The pilot of the new card starts in September."


def test_a_second_window_comes_only_from_another_exchange(tiny_engine):
    from dataclasses import replace

    _, scored = _scored(tiny_engine, "Tell me about the harbour and the bridge")
    generous = replace(tiny_engine.calibration, second_quote=0.0, window_keep=1.0)
    windows = choose_windows(scored, tiny_engine.retriever, tiny_engine.raw_of, None, generous)
    chunks = tiny_engine.retriever.index.chunks
    assert len(windows) == 2 and chunks[windows[0].chunk_index].exchange != chunks[windows[1].chunk_index].exchange
    assert len(choose_windows(scored, tiny_engine.retriever, tiny_engine.raw_of, "date", generous)) == 1  # factoid: one


@pytest.mark.parametrize(
    ("kind", "text", "found"),
    [
        ("date", "It started in 1996.", True),
        ("date", "In September we met.", True),
        ("date", "We met often.", False),
        ("number", "China is number two.", True),
        ("number", "Construction began in April 2021.", False),  # a year is a date, not a count
        ("number", "The canal will run 214 kilometres.", True),
        ("person", "We had talks with Chairman Xi Jinping.", True),
        ("person", "Taiwan is a part of China.", False),
        ("person", "I am hopeful about my future visit to Xi An, a cradle of civilization.", False),
        ("person", "From Xi An we went on to meet President Tokayev.", True),
        ("place", "It is going to take place in Xi An.", True),
    ],
)
def test_fact_patterns(kind, text, found):
    assert holds_fact(kind, text) is found


def test_a_who_question_keeps_its_best_sentence_though_a_neighbour_holds_a_name(engine_over):
    from rag.corpus import parse_transcript

    text = "Host: Who rides the ferry for free?\n\nAda Li: Pensioners ride the ferry for free. The ferry was built by Kors Yard.\n"
    doc = parse_transcript(text, "f.txt")
    engine = engine_over([doc])
    _, scored = _scored(engine, "Who rides the ferry for free?", "person")
    best, other = scored
    assert best.span.text == "Pensioners ride the ferry for free." and holds_fact("person", other.span.text)
    assert other.probability >= engine.calibration.window_keep * best.probability  # near enough to be switched to
    window = choose_window(best, scored, engine.retriever, engine.raw_of["f.txt"], "person", engine.calibration)
    assert window.span.text == "Pensioners ride the ferry for free."


def test_a_where_question_takes_the_nearly_as_good_sentence_that_names_a_place(engine_over):
    from rag.corpus import parse_transcript

    text = (
        "Host: Tell me about the league.\n\n"
        "Ada Li: The league has grown from the very beginning. Our league began its work in Tallinn.\n"
    )
    doc = parse_transcript(text, "l.txt")
    engine = engine_over([doc])
    _, scored = _scored(engine, "Where did the league grow from the beginning?", "place")
    best, other = scored
    assert best.span.text == "The league has grown from the very beginning." and holds_fact("place", other.span.text)
    assert other.probability >= engine.calibration.window_keep * best.probability
    window = choose_window(best, scored, engine.retriever, engine.raw_of["l.txt"], "place", engine.calibration)
    assert window.span.text == "Our league began its work in Tallinn."


def test_a_quote_does_not_open_on_a_pronoun_pointing_back(tiny_engine):
    from dataclasses import replace

    _, scored = _scored(tiny_engine, "Which is the deepest port in the region?")
    best = next(c for c in scored if c.span.text == "It is the deepest port in the region.")
    keep_none = replace(tiny_engine.calibration, window_keep=1.0)
    window = choose_window(best, scored, tiny_engine.retriever, tiny_engine.raw_of["tiny.txt"], None, keep_none)
    assert window.span.text == "The harbour opened in 1996. It is the deepest port in the region."


def test_a_factoid_takes_the_next_sentence_when_it_gives_the_fact_of_what_this_one_names(engine_over):
    from dataclasses import replace

    from rag.corpus import parse_transcript

    text = (
        "Host: Tell me about the telescope.\n\n"
        "Ada Li: We named the new telescope after Vell, who founded the observatory in 1958. "
        "It saw first light on 21 June 2025. This telescope is our pride.\n"
    )
    doc = parse_transcript(text, "t.txt")
    engine = engine_over([doc])
    _, scored = _scored(engine, "When did the new Vell telescope see first light?", "date")
    first = scored[0]
    assert first.span.text.startswith("We named")  # more of the question's words than "It saw first light ..."
    window = choose_window(first, scored, engine.retriever, engine.raw_of["t.txt"], "date", engine.calibration)
    assert window.span.text == "We named the new telescope after Vell, who founded the observatory in 1958. It saw first light on 21 June 2025."
    # Too weak a next sentence is not taken, pointing back or not.
    keep_none = replace(engine.calibration, window_keep=1.0)
    assert choose_window(first, scored, engine.retriever, engine.raw_of["t.txt"], "date", keep_none).span.text == first.span.text


def test_a_three_sentence_window_opening_on_a_pronoun_gives_its_last_sentence_for_the_one_before(engine_over):
    from dataclasses import replace

    from rag.corpus import parse_transcript

    text = (
        "Host: Tell me about the harbour.\n\n"
        "Ada Li: We opened a harbour in 1996. It has the deepest berth for ferries. "
        "The deepest berth takes ferries and ships from the region. Ships from the region dock there.\n"
    )
    doc = parse_transcript(text, "h.txt")
    engine = engine_over([doc])
    _, scored = _scored(engine, "Which deepest berth takes ferries and ships from the region?")
    assert scored[0].span.text.startswith("The deepest berth")
    keep_all = replace(engine.calibration, window_keep=0.0)
    window = choose_window(scored[0], scored, engine.retriever, engine.raw_of["h.txt"], None, keep_all)
    # The three best sentences would open on "It has ...": the one before comes in, the last goes.
    assert window.span.text == (
        "We opened a harbour in 1996. It has the deepest berth for ferries. The deepest berth takes ferries and ships from the region."
    )


def test_one_standing_for_a_noun_is_no_count():
    from rag.select import states_quantity

    assert states_quantity(None, "It became a very influential one in the current world.") is False
    assert states_quantity(None, "One country joined.") is True
    assert states_quantity({"member"}, "It has one member left.") is True


def test_money_units_are_read_after_a_price_word_or_after_spending_a_sum_of_millions():
    from rag.select import money_units

    # A user run's "How much did the new drainage system cost?" was declined: its sum was "spent".
    assert money_units(["We spent 6.2 million krona on a new drainage system."]) == frozenset({"krona"})
    assert money_units(["Our annual budget is 14 million krona."]) == frozenset({"krona"})
    # Spending that is no sum of money, or a share of one.
    assert money_units(["We spent three days there.", "We pay 60 percent of the cost."]) == frozenset()
    assert money_units(["The roof costs 40,000 crowns."]) == frozenset({"crown"})


def test_a_count_written_in_words_is_a_count():
    # A user run's "How many lynx are in the park today?" was told the interview gives no such figure
    # while quoting "nineteen lynx": the teens and tens were missing from the number words.
    from rag.select import states_quantity

    assert states_quantity({"lynx"}, "Today we believe there are nineteen lynx in the park.") is True
    assert states_quantity({"ranger"}, "We employ forty-two full-time rangers.") is True
    assert states_quantity({"ranger"}, "Seventy volunteers help the rangers.") is True
    assert states_quantity({"ranger"}, "The rangers are thorough.") is False


def test_a_broad_request_quotes_the_opening_of_the_answer_to_the_question_it_matches(engine_over):
    from rag.corpus import parse_transcript

    # Two user runs: "Tell me about the wind farm." quoted the later sentence that repeats the question's
    # words, not the reply's opening, "We have formally objected.", which says what happened.
    text = (
        "Host: What is your position on the wind farm?\n\n"
        "Kes Dran: We have formally objected. The plan is for 18 turbines. They would be seen from every summit. "
        "I am not against a wind farm, but that is the wrong place for the wind farm.\n\n"
        "Host: And the lynx?\n\n"
        "Kes Dran: Nineteen lynx live in the park.\n"
    )
    engine = engine_over([parse_transcript(text, "w.txt")])
    _, scored = _scored(engine, "Tell me about the wind farm.")
    assert scored[0].span.text.startswith("I am not against a wind farm")
    windows = choose_windows(scored, engine.retriever, engine.raw_of, None, engine.calibration, max_windows=1, broad=True)
    assert [w.span.text for w in windows] == ["We have formally objected. The plan is for 18 turbines. They would be seen from every summit."]
    plain = choose_windows(scored, engine.retriever, engine.raw_of, None, engine.calibration, max_windows=1)
    assert plain[0].span.text.endswith("that is the wrong place for the wind farm.")
    # A factoid keeps the sentence that holds its fact.
    _, scored = _scored(engine, "Tell me how many turbines are planned for the wind farm.", "number")
    assert choose_windows(scored, engine.retriever, engine.raw_of, "number", engine.calibration, max_windows=1, broad=True)[0].span.text == (
        "The plan is for 18 turbines."
    )


def test_a_question_the_interviewer_asked_in_nearly_the_same_words_is_answered_by_the_opening_of_its_answer(engine_over):
    """The twenty-first user run's "Who is paying for it?" quoted "We have paid for their moves ..." from
    another exchange, on the word "pay"; the interviewer had asked just that, and the answer opens with it."""
    from rag.corpus import parse_transcript
    from rag.select import restated_exchange

    raw = (
        "Host: What is the Vale bridge?\n\nAda Li: The Vale bridge is a new crossing of the river for trains.\n\n"
        "Host: Who is paying for it?\n\nAda Li: Two thirds is paid by the Vale Fund. The rest is ours. We borrowed it in 2023.\n\n"
        "Host: What about the residents?\n\nAda Li: We have paid for their moves, and Bo Lund is paying for it all.\n"
    )
    engine = engine_over([parse_transcript(raw, "vale.txt")])
    reading = engine.readings(parse_query("Who is paying for it?", ["What is the Vale bridge?"]))[0]
    assert restated_exchange(engine.retriever, reading, {"vale.txt"}) == ("vale.txt", 2)
    assert restated_exchange(engine.retriever, reading, {"other.txt"}) is None
    answer = engine.answer("Who is paying for it?", ["What is the Vale bridge?"])
    # A factoid: the opening up to the first sentence that holds a name.
    assert [c.text for c in answer.citations] == ["Two thirds is paid by the Vale Fund."]


def test_a_broad_request_for_what_the_interviewer_asked_about_by_name_quotes_the_opening_of_that_answer(engine_over):
    """The twenty-second user run's "Tell me about Pellick Ford." quoted a passing mention ("If Pellick
    Ford is running, ...") over the answer to the question that named the plant."""
    from rag.corpus import parse_transcript

    raw = (
        "Host: The new works are at Pellick Ford. What are you building?\n\n"
        "Ada Li: Our first membrane plant. It treats 60 million litres a day.\n\n"
        "Host: What would success look like?\n\n"
        "Ada Li: If Pellick Ford is running, I will be content.\n"
    )
    engine = engine_over([parse_transcript(raw, "vell.txt")])
    answer = engine.answer("Tell me about Pellick Ford.")
    assert answer.citations[0].text == "Our first membrane plant. It treats 60 million litres a day."
    # A word of the request the transcript never uses ("project") is no part of the name to look for.
    assert engine.answer("Tell me about the Pellick Ford project.").citations[0].text == "Our first membrane plant. It treats 60 million litres a day."
