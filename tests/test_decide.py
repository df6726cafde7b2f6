import functools

import pytest

from rag.decide import coverage_features, decide_attribution, decide_coverage, find_claim, quantity_missing, unknown_names
from rag.query import parse_query


def _reading(engine, question):
    return engine.readings(parse_query(question))[0]


def _quantity_missing(engine, question):
    reading = _reading(engine, question)
    _, candidates = engine.candidates(reading, engine.router.route("x", reading.vector, 1.0).voices, 5, "number")
    return quantity_missing(question, reading, candidates, engine.retriever)


def _missing_over(make_engine, raw, source):
    """`_quantity_missing` over an engine a fixture makes from one transcript."""
    from rag.corpus import parse_transcript

    return functools.partial(_quantity_missing, make_engine([parse_transcript(raw, source)]))


def _date_missing(engine, question):
    from rag.decide import date_missing

    reading = _reading(engine, question)
    _, candidates = engine.candidates(reading, engine.router.route("x", reading.vector, 1.0).voices, 5, "date")
    return date_missing(question, reading, candidates, engine.retriever)


def test_unknown_names_are_capitalized_words_no_transcript_uses():
    assert unknown_names("What did he say about Bitcoin and the SCO?", {"sco"}.__contains__, frozenset()) == ["Bitcoin"]
    assert unknown_names("Bitcoin?", frozenset().__contains__, frozenset()) == []  # the first word is capitalized anyway


def test_a_derivation_of_a_corpus_word_is_known(tiny_engine):
    from rag.decide import names_not_mentioned

    r = tiny_engine.retriever  # TINY: "The bridge carries ten thousand cars a day." ("carri")
    assert r.bm25.derivations("carrier") == ["carri"] and r.bm25.knows("carrier") and not r.bm25.knows("zeppelin")
    assert names_not_mentioned("What about the Carrier and the Zeppelin?", r) == ["Zeppelin"]
    # BM25 looks a derivation up as the corpus's word: the same scores as for "carries" itself
    assert r.bm25.scores("carrier").tolist() == r.bm25.scores("carries").tolist() and r.bm25.scores("carries").max() > 0


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
    missing = functools.partial(_quantity_missing, tiny_engine)
    assert missing("How many cars use the bridge?") == 0.0
    assert missing("How many lorries use the bridge?") == 1.0
    assert missing("How much did the bridge cost?") == 1.0  # a sum of money: none given
    assert missing("What about the bridge?") == 0.0  # asks for no number


MUSEUM = (
    "Host: Who pays for the Harbour Museum?\n\n"
    "Ada Li: Running the Harbour Museum costs two million crowns a year. Most of it comes from the region. "
    "We sold 31,000 tickets last year. "
    "The Charter of the United Nations protects all states.\n\n"
    "Host: How many people work at the museum?\n\n"
    "Ada Li: We have 34 permanent staff.\n\n"
    "Host: What changed this winter?\n\n"
    "Ada Li: The region gave us a grant. We repaired the roof. Then we bought an old steam tug for the harbour. "
    "The tug took 40,000 crowns. We painted the halls.\n"
)


@pytest.fixture
def museum_engine(engine_over):
    from rag.corpus import parse_transcript

    return engine_over([parse_transcript(MUSEUM, "museum.txt")])


def test_a_count_must_be_of_what_the_question_asks_it_of(museum_engine):
    missing = functools.partial(_quantity_missing, museum_engine)
    assert missing("How much does running the museum cost?") == 0.0
    # The cost given is the museum's, the tickets counted are not priced.
    assert missing("How much does a ticket cost?") == 1.0
    assert missing("How many tickets did they sell?") == 0.0
    # What the staff are counted of is in the interviewer's question ("How many people work at the museum?").
    assert missing("How many permanent staff does the museum have?") == 0.0
    # "How much money ...?" asks a sum as "How much does it cost?" does: the roof was repaired, at no
    # sum given (the 40,000 crowns are the tug's); running the museum has one.
    assert missing("How much money did they spend on the roof?") == 1.0
    assert missing("How much money did they invest in the roof?") == 1.0
    assert missing("How much money does running the museum take?") == 0.0
    # The number must count the head of what is asked: "31,000 tickets" are no number of ticket offices.
    assert missing("How many ticket offices does the museum have?") == 1.0


def test_a_question_that_names_the_kind_of_number_wants_any_number_about_its_subject(museum_engine):
    missing = functools.partial(_quantity_missing, museum_engine)
    # "We repaired the roof." gives no number; the 40,000 crowns beside it are the tug's.
    assert missing("What figure did they give for the roof repair?") == 1.0
    assert missing("What number of permanent staff does the museum have?") == 0.0  # "We have 34 permanent staff."


def test_a_physical_measure_is_a_number_in_its_units(engine_over):
    missing = _missing_over(
        engine_over,
        "Host: Tell me about the tug.\n\n"
        "Ada Li: The tug was built in 1931 and carries 12 passengers. Its mast is 18 metres high.\n\n"
        "Host: And the harbour?\n\n"
        "Ada Li: The harbour is at 62 percent of its capacity.\n",
        "tug.txt",
    )
    assert missing("How tall is the mast?") == 0.0
    # A share, a year or a count of passengers is no depth, speed or weight.
    assert missing("How deep is the harbour?") == 1.0
    assert missing("What is the top speed of the tug?") == 1.0
    assert missing("How heavy is the tug?") == 1.0


def test_a_date_asked_for_in_so_many_words_must_be_given_about_the_subject(museum_engine):
    missing = functools.partial(_date_missing, museum_engine)
    # "We sold 31,000 tickets last year.": a date, but no year.
    assert missing("By when had they sold 31,000 tickets?") is False
    assert missing("In what year did they sell 31,000 tickets?") is True
    assert missing("When did they sell 31,000 tickets?") is False  # a bare "when" is not checked
    question = "In what year did they sell 31,000 tickets?"
    reading = _reading(museum_engine, question)
    _, candidates = museum_engine.candidates(reading, museum_engine.router.route("x", reading.vector, 1.0).voices, 5, "date")
    decision = decide_coverage(question, reading, candidates, museum_engine.retriever, museum_engine.calibration)
    assert decision.probability >= museum_engine.calibration.coverage_threshold and not decision.covered


def test_the_interviewer_question_names_a_dated_fact_only_with_words_the_answer_uses_nowhere_else(engine_over):
    from rag.corpus import parse_transcript

    engine = engine_over(
        [
            parse_transcript(
                "Host: This year the museum will chair the harbour league. What will that bring?\n\n"
                "Ada Li: The league started its work in 1998. We were proud to be there. Our teams have grown since. "
                "As its future chair, the museum will host the games.\n",
                "league.txt",
            )
        ]
    )
    missing = functools.partial(_date_missing, engine)
    assert missing("In what year did the league start its work?") is False
    # 1998 is the league's start: the chair is spoken of further on in the answer, with no year.
    assert missing("In what year will the museum chair the league?") is True


def test_a_name_asked_for_in_so_many_words_must_be_given_about_the_subject(museum_engine):
    from rag.decide import name_missing

    def missing(question):
        reading = _reading(museum_engine, question)
        _, candidates = museum_engine.candidates(reading, museum_engine.router.route("x", reading.vector, 1.0).voices, 5, None)
        return name_missing(question, reading, candidates, museum_engine.retriever)

    assert missing("What is the name of the museum?") is False  # "Running the Harbour Museum costs ..."
    assert missing("What is the name of the old steam tug?") is True  # "we bought an old steam tug for the harbour"
    assert missing("Who bought the old steam tug?") is False  # not asked in so many words


def test_a_price_is_a_sum_in_the_corpus_currency_and_its_subject_may_be_in_the_passage_before(museum_engine):
    r = museum_engine.retriever
    # "costs two million crowns": crowns are what the corpus gives prices in.
    assert r.money_units == frozenset({"crown"})
    # The answer runs over two passages (three sentences at most each): the sum opens the second, what
    # it bought ends the first.
    chunks = [c for c in r.index.chunks if c.role == "answer" and c.exchange == 3]
    assert [s.text for s in chunks[1].sentences] == ["The tug took 40,000 crowns.", "We painted the halls."]
    missing = functools.partial(_quantity_missing, museum_engine)
    assert missing("How much did the old steam tug cost?") == 0.0
    assert missing("How much did the roof repair cost?") == 1.0  # no sum beside the roof


def test_a_question_whose_count_is_missing_is_not_covered_however_close_its_topic(museum_engine):
    # "We repaired the roof." holds every word of it but no sum; the 40,000 crowns are the tug's.
    question = "How many crowns did the roof repair cost?"
    reading = _reading(museum_engine, question)
    _, candidates = museum_engine.candidates(reading, museum_engine.router.route("x", reading.vector, 1.0).voices, 5, "number")
    decision = decide_coverage(question, reading, candidates, museum_engine.retriever, museum_engine.calibration)
    assert decision.features[-1] == 1.0 and decision.probability >= museum_engine.calibration.coverage_threshold
    assert not decision.covered


def test_names_of_several_words_are_unknown_unless_one_sentence_names_their_words_together(museum_engine):
    from rag.decide import unknown_compound_names

    r = museum_engine.retriever
    assert unknown_compound_names("What about the United States?", r) == ["United States"]  # "United Nations", "all states"
    assert unknown_compound_names("What about the UN Charter?", r) == []  # the acronym stands for "United Nations"
    assert unknown_compound_names("What does the Harbour Museum Organisation do?", r) == ["Harbour Museum Organisation"]
    # A possessive ending the question's name is not part of it (a user run's note read "European Union's").
    assert unknown_compound_names("What about the Harbour Museum Organisation's budget?", r) == ["Harbour Museum Organisation"]
    assert unknown_compound_names("What about the United States' tariffs?", r) == ["United States"]
    assert unknown_compound_names("Who runs the Museum of the Harbour?", r) == []  # its words, named together
    assert unknown_compound_names("What did Ada Li say about the Harbour Museum's Night Gallery?", r) == ["Night Gallery"]
    assert unknown_compound_names("Did Ada Li praise the United Nations?", r) == []
    # What a reply says is never mentioned: pieces of one name as one, two names apart.
    from rag.decide import names_not_mentioned

    assert names_not_mentioned("What about the Belt and Road Initiative?", r) == ["Belt and Road Initiative"]
    assert names_not_mentioned("What about Bitcoin and the United States?", r) == ["Bitcoin", "United States"]
    # The question's own words count: "Tokayev and Xi Jinping" are two names, not one.
    assert unknown_compound_names("Did Ada Li and Museum staff agree?", r) == []


def test_the_trap_needs_a_claim_that_gives_the_fact_asked_for(tiny_engine):
    from rag.decide import claim_gives_asked

    r = tiny_engine.retriever
    counting = "According to Li, how many critics call the bridge a failure?"
    claim = find_claim(_reading(tiny_engine, counting), ["tiny.txt"], r)
    assert r.index.chunks[claim.chunk_index].sentences[claim.sentence_index].text == "Critics call the bridge a failure."
    # The interviewer's claim counts no critics: the premise is not hers, the count is nowhere.
    assert not claim_gives_asked(counting, claim, r)
    assert claim_gives_asked("Did Li say critics call the bridge a failure?", claim, r)  # asks for no fact
    assert not decide_attribution(claim, (claim.cosine, 0.0), tiny_engine.calibration, gives_asked=False).fires
    assert tiny_engine.answer(counting).reply.kind == "not_covered"


def test_a_count_date_or_name_asked_in_another_language_is_checked_as_in_english(museum_engine):
    from rag.decide import date_missing, name_missing

    def missing(check, question, read_as, fact=None):
        # A multilingual reading's words are the question's nearest corpus words (rag.crosslingual);
        # `read_as` stands for them here, the question as written says what it asks for.
        reading = _reading(museum_engine, read_as)
        _, candidates = museum_engine.candidates(reading, museum_engine.router.route("x", reading.vector, 1.0).voices, 5, fact)
        return check(question, reading, candidates, museum_engine.retriever)

    assert missing(quantity_missing, "Сколько постоянных сотрудников в музее?", "permanent staff museum") == 0.0
    assert missing(quantity_missing, "博物馆有多少名员工修了屋顶？", "staff repaired roof") == 1.0
    assert missing(quantity_missing, "Музей қаншалықты танымал?", "museum popular") == 0.0  # a degree, not a count
    # A number asked for by naming its kind ("what is the volume/size/cost of"), as English `NUMBER_NOUNS`.
    assert missing(quantity_missing, "Каков объём ремонта крыши?", "roof repaired") == 1.0
    assert missing(quantity_missing, "Каков объём продаж билетов?", "tickets sold") == 0.0
    assert missing(quantity_missing, "Шатыр жөндеуінің құны қандай?", "roof repaired") == 1.0
    assert missing(quantity_missing, "修屋顶的规模有多大？", "roof repaired") == 1.0
    assert missing(quantity_missing, "修屋顶在多大程度上重要？", "roof repaired") == 0.0  # "to what extent": no number asked
    assert missing(date_missing, "В каком году продали 31 000 билетов?", "sold 31,000 tickets") is True  # "last year"
    assert missing(date_missing, "Когда продали 31 000 билетов?", "sold 31,000 tickets") is False  # a bare "when"
    assert missing(name_missing, "Как называется старый паровой буксир?", "old steam tug") is True
    assert missing(name_missing, "Мұражайдың атауы қандай?", "museum") is False  # "the Harbour Museum"


def test_the_sentence_that_gives_the_count_asked_for_is_quoted_first(museum_engine):
    from rag.decide import giving_first

    question = "How many tickets did they sell?"
    reading = _reading(museum_engine, question)
    _, candidates = museum_engine.candidates(reading, museum_engine.router.route("x", reading.vector, 1.0).voices, 5, "number")
    tickets = next(c for c in candidates if c.span.text == "We sold 31,000 tickets last year.")
    # Put a sentence that gives no count of tickets first, as a better match of the other words would.
    other = next(c for c in candidates if c.span.text == "Most of it comes from the region.")
    ordered = [other, tickets] + [c for c in candidates if c not in (other, tickets)]
    assert [c.span.text for c in giving_first(question, reading, ordered, museum_engine.retriever)[:2]] == [
        "We sold 31,000 tickets last year.",
        "Most of it comes from the region.",
    ]
    # A question that asks for no count, date or name keeps the order it was scored in.
    plain = "What did they say about tickets?"
    assert giving_first(plain, _reading(museum_engine, plain), ordered, museum_engine.retriever) == ordered


def test_a_bare_count_opening_the_reply_to_the_same_count_and_we_for_the_guests_side(engine_over):
    raw = (
        "Bo Chan talked to Ada Li, founder of Vale Cycles, at the Vale Cycles works.\n\n"
        "Bo Chan: How many people work for you?\n\n"
        "Ada Li: Thirty-eight at the moment. Fourteen of them build frames.\n\n"
        "Bo Chan: Who else is on the team?\n\n"
        "Ada Li: We have six battery staff. Priya came from a works on the coast.\n\n"
        "Bo Chan: How did it start?\n\n"
        "Ada Li: Vale Cycles began in a garage, with battery staff of one.\n"
    )
    missing = _missing_over(engine_over, raw, "cycles.txt")
    # The reply to "How many people work for you?" opens with the count, naming no people.
    assert missing("How many people work at Vale Cycles?") == 0.0
    # "We" is Vale Cycles, as the intro says who Ada Li is, though only another exchange names it.
    assert missing("How many battery staff does Vale Cycles have?") == 0.0
    assert missing("How many bikes does Vale Cycles sell?") == 1.0


def test_a_count_may_name_what_it_counts_in_another_word(real_engine_over):
    missing = _missing_over(
        real_engine_over,
        "Host: How big is the seed library now?\n\n"
        "Ada Li: We hold 212 varieties at the moment, mostly vegetables. Last year we lent out about 4,300 packets.\n\n"
        "Host: Who does the work?\n\n"
        "Ada Li: Volunteers, 38 of them on the rota, and our coordinator.\n",
        "library.txt",
    )
    # "varieties" are the kinds asked for (the bundled encoder reads them alike); volunteers are no paid staff.
    assert missing("How many kinds of seed does the library keep?") == 0.0
    assert missing("How many paid employees does the library have?") == 1.0


def test_a_sum_of_money_is_counted_in_the_transcripts_currency(real_engine_over):
    missing = _missing_over(
        real_engine_over,
        "Host: Where did you train?\n\n"
        "Ada Li: At the Kelderwick school, where we blew the same tumbler two hundred times.\n\n"
        "Host: How did you pay for the furnace?\n\n"
        "Ada Li: My uncle lent me six thousand four hundred dollars, most of his savings.\n",
        "glass.txt",
    )
    # "money" and "dollars" are the same thing (the bundled encoder reads them alike), though no price
    # word stands before the sum to teach the corpus its currency.
    assert missing("How much money did her uncle lend her?") == 0.0
    assert missing("How many furnaces did she build?") == 1.0


def test_how_many_times_is_answered_by_a_count_of_what_happened(engine_over):
    missing = _missing_over(
        engine_over,
        "Host: What is going on with the pipes?\n\n"
        "Oren Quist: We had 41 water main breaks citywide in 2023. The pipes are cast iron.\n\n"
        "Host: And the bridge?\n\n"
        "Oren Quist: The bridge reopens in June.\n",
        "pipes.txt",
    )
    # "41 water main breaks" says how many times, though it never says "times"; the bridge has no count.
    assert missing("How many times did water pipes burst in 2023?") == 0.0
    assert missing("How many times was the bridge closed?") == 1.0


def test_an_age_told_by_a_pronoun_beside_the_name_answers_for_the_one_the_chat_named(real_engine_over):
    from rag.corpus import parse_transcript

    engine = real_engine_over([parse_transcript(
        "Host: How did the shop start?\n\n"
        "Marisol Quennell: My neighbour, a retired welder called Dmitri Ashgrove, helped me build a jig in 2019.\n\n"
        "Host: Who has helped you most along the way?\n\n"
        "Marisol Quennell: Dmitri, without question. He is 71 now and still comes in every Tuesday.\n\n"
        "Host: What do you ride?\n\n"
        "Marisol Quennell: A green bike from 2019, frame number 7.\n",
        "shop.txt",
    )])
    question = "How old is he now?"
    completed = engine.readings(parse_query(question, ["Who is Dmitri Ashgrove?"]))[1]
    _, candidates = engine.candidates(completed, engine.router.route("x", completed.vector, 1.0).voices, 5, "number")
    # Read with the chat, the age is found in "He is 71 now ..." beside "Dmitri, without question.",
    # though the sentence naming him in full is more about him; alone, nothing says whose age it is.
    assert quantity_missing(question, completed, candidates, engine.retriever) == 0.0
    assert _quantity_missing(engine, question) == 1.0


def test_a_statement_with_a_question_tagged_on_is_a_claim_the_trap_finds(engine_over):
    from rag.corpus import parse_transcript
    from rag.decide import _is_claim

    assert _is_claim("I heard the council cut your funding in half last year, is that right?")
    assert not _is_claim("How do you fund all this, given the cuts?")
    engine = engine_over([parse_transcript(
        "Host: How do you fund all this? I heard the council cut your funding in half last year, is that right?\n\n"
        "Noor Sato: Our running costs are about £112,000 a year, mostly insurance.\n\n"
        "Host: How big is the network?\n\n"
        "Noor Sato: We have 23 cafés.\n",
        "cafes.txt",
    )])
    claim = find_claim(_reading(engine, "Did Noor say that the council cut the funding in half?"), ["cafes.txt"], engine.retriever)
    chunk = engine.retriever.index.chunks[claim.chunk_index]
    assert chunk.sentences[claim.sentence_index].text == "I heard the council cut your funding in half last year, is that right?"
