import numpy as np
import pytest

from rag.route import (
    Route,
    Router,
    Voice,
    absent_person,
    asks_interviewer_words,
    asks_interviewer_words_in_other_language,
    interview_field_in_other_language,
    is_attributive,
    named_voices,
    names_interviewer_speech,
    refers_to_interview,
    spoken_words,
)


def test_the_tiny_transcript_names_its_speakers(tiny_doc):
    assert (tiny_doc.interviewee, tiny_doc.aliases) == ("Ada Li", ("Ada Li", "Li"))
    assert (tiny_doc.interviewer, tiny_doc.interviewer_aliases) == ("Interviewer", ("interviewer", "journalist", "reporter", "correspondent", "presenter"))


@pytest.mark.parametrize(
    ("question", "voices"),
    [
        ("What did Li say about the harbour?", (Voice("tiny.txt", "answer"),)),
        ("What did ada li say?", (Voice("tiny.txt", "answer"),)),
        ("What did the interviewer say about the bridge?", (Voice("tiny.txt", "question"),)),
        ("What about the harbour?", ()),
        ("What did Lina say?", ()),  # a name is matched as a whole word
        # the interviewer's things are not the interviewer's words; the interviewee's are what she talks about
        ("What does she want for the interviewer's city?", ()),
        ("What was the interviewer's question about the bridge?", (Voice("tiny.txt", "question"),)),
        ("What are Li's plans for the harbour?", (Voice("tiny.txt", "answer"),)),
    ],
)
def test_named_voices(tiny_doc, question, voices):
    assert named_voices(question, [tiny_doc]) == voices


def test_absent_person_is_someone_the_transcripts_do_not_have_as_a_speaker(tiny_doc):
    assert absent_person("What did Bo Chen say about the bridge?", [tiny_doc]) == "Bo Chen"
    assert absent_person("What did Ada Li say about the bridge?", [tiny_doc]) == ""
    assert absent_person("What did he say about the bridge?", [tiny_doc]) == ""


def test_a_place_the_speakers_talk_about_is_no_absent_speaker_and_a_titled_name_is():
    from rag.corpus import parse_transcript

    doc = parse_transcript(
        "Host: What about Norland?\n\nAda Li: Norland is our neighbour. I met Mayor Bo Chen there.\n", "n.txt"
    )
    # "What does Norland think?" asks what its neighbour's speaker says about it; Bo Chen is a person
    assert absent_person("What does Norland think about the bridge?", [doc]) == ""
    assert absent_person("What did Bo Chen tell Ada Li?", [doc]) == "Bo Chen"
    assert absent_person("What did Tom Ek say?", [doc]) == "Tom Ek"  # never mentioned: a person


def test_a_question_for_someone_elses_words_that_names_a_speaker_too_is_about_that_person(tiny_doc, fake_encoder):
    from rag.answer import speaker_names
    from rag.retrieval import framing_terms

    router = Router([tiny_doc], fake_encoder, framing_terms(speaker_names([tiny_doc])))
    q = "What did Bo Chen say during his talks with Ada Li?"
    assert router.route(q, fake_encoder.encode([q])[0], 0.9) == Route("absent_speaker", (), absent="Bo Chen")


@pytest.mark.parametrize(
    ("question", "names_speaker", "attributive"),
    [
        ("Did Li say the bridge is a failure?", True, True),
        ("Why did she call the bridge a failure?", False, True),
        ("Did she open the harbour?", False, True),
        ("Is the region in favour of the bridge?", False, False),  # a yes/no question about no speaker
        ("What year did the harbour open?", False, False),
        # A reporting verb that asks the bot credits no one (a user run got the trap for "Tell me about the flood.").
        ("Tell me about the flood.", False, False),
        ("Please tell us about the bridge.", False, False),
        ("Could you describe the harbour?", False, False),
        ("Tell me what she said about the bridge.", False, True),
    ],
)
def test_is_attributive(question, names_speaker, attributive):
    assert is_attributive(question, names_speaker) is attributive


def test_refers_to_interview_by_its_words_or_its_metadata(seed):
    assert refers_to_interview("Which channel aired it?", [seed])
    assert refers_to_interview("What is Leaders Talk?", [seed])
    assert not refers_to_interview("What program of cooperation did he propose?", [seed])
    # A word before the noun makes it another programme (a user run got "The transcript does not say.",
    # the interview's program, for a frequent-flyer programme); an article or a question word does not.
    assert not refers_to_interview("What did Tokayev say about the frequent-flyer programme?", [seed])
    assert refers_to_interview("Which programme was it for?", [seed])
    assert refers_to_interview("On which TV show was it broadcast?", [seed])


def test_a_word_for_the_interview_that_the_speakers_use_names_their_subject():
    from rag.corpus import parse_transcript

    doc = parse_transcript("Host: What about the harbour?\n\nAda Li: We dredged the channel to twelve metres.\n", "canal.txt")
    spoken = spoken_words([doc])
    assert not refers_to_interview("How deep is the channel now?", [doc], spoken)
    assert refers_to_interview("Which channel aired the interview?", [doc], spoken)  # "interview" always does
    assert refers_to_interview("How deep is the channel now?", [doc])  # with no speaker's words known
    # "this" points at the one in hand, a "segment" is a broadcast's piece (a radio transcript's user run).
    radio = parse_transcript("Host: What about the broadcast?\n\nAda Li: Our broadcast runs at nine.\n", "radio.txt")
    assert not refers_to_interview("When does the broadcast run?", [radio], spoken_words([radio]))
    assert refers_to_interview("When was this broadcast?", [radio], spoken_words([radio]))
    assert refers_to_interview("When did this segment air?", [radio], spoken_words([radio]))


def test_one_of_several_askers_is_a_voice_by_their_name():
    from rag.corpus import parse_transcript

    doc = parse_transcript(
        "ADA ORTEGA, HOST: Our reporter went up the hill.\n\nTOM WEBB, BYLINE: The dome cracked in 2019.\n\n"
        "ORTEGA: When did it reopen?\n\nLI: In March.\n\nORTEGA: And the cost?\n\nLI: Two million.\n\nWEBB: Residents were split.\n",
        "radio.txt",
    )
    assert named_voices("What did Webb report about the residents?", [doc]) == (Voice("radio.txt", "question", "Interviewer (Tom Webb)"),)
    assert named_voices("What did Li say?", [doc]) == (Voice("radio.txt", "answer"),)


def test_router(tiny_doc, fake_encoder):
    from rag.answer import speaker_names
    from rag.retrieval import framing_terms

    router = Router([tiny_doc], fake_encoder, framing_terms(speaker_names([tiny_doc])))
    vector = lambda text: fake_encoder.encode([text])[0]  # noqa: E731
    q = "Which channel aired the interview?"
    assert router.route(q, vector(q), best_answer_cosine=0.9) == Route("about_interview", (), fact="broadcaster")
    # the parser files a magazine or newspaper as the source; the field's description names them too
    q = "Which magazine was the interview for?"
    assert router.route(q, vector(q), best_answer_cosine=0.9) == Route("about_interview", (), fact="source")
    q = "On the eve of what event was the interview given?"
    assert router.route(q, vector(q), best_answer_cosine=0.9) == Route("about_interview", (), fact="occasion")
    q = "What did Bo Chen say?"
    assert router.route(q, vector(q), 0.9) == Route("absent_speaker", (), absent="Bo Chen")
    q = "Did Li say the bridge is a failure?"
    assert router.route(q, vector(q), 0.9) == Route("speaker_words", (Voice("tiny.txt", "answer"),), named=True, attributive=True)
    q = "Does she talk about her children in the interview?"  # names the interview, asks about what was said
    assert router.route(q, vector(q), 0.0).kind == "speaker_words"
    assert np.allclose(router.field_vectors(), router.field_vectors())


def test_a_follow_up_naming_only_a_field_is_about_the_interview_when_the_chat_was(tiny_doc, fake_encoder):
    from rag.answer import speaker_names
    from rag.retrieval import framing_terms

    router = Router([tiny_doc], fake_encoder, framing_terms(speaker_names([tiny_doc])))
    assert router.asks_only_field_words("Which program was it on?") and router.asks_only_field_words("And when?")
    assert not router.asks_only_field_words("And what about the bridge?")
    q = "Which program was it on?"
    vector = fake_encoder.encode([q])[0]
    assert router.route(q, vector, best_answer_cosine=0.0).kind == "speaker_words"  # names no interview
    assert router.route(q, vector, best_answer_cosine=0.0, chat_about_it=True) == Route("about_interview", (), fact="program")


def test_a_field_noun_in_a_question_that_matches_an_answer_better_is_about_what_was_said(tiny_doc, fake_encoder):
    from rag.answer import speaker_names
    from rag.retrieval import framing_terms

    router = Router([tiny_doc], fake_encoder, framing_terms(speaker_names([tiny_doc])))
    q = "What show of support for the bridge did the interview mention?"
    vector = fake_encoder.encode([q])[0]
    assert router.route(q, vector, best_answer_cosine=0.95).kind == "speaker_words"
    assert router.route(q, vector, best_answer_cosine=0.0) == Route("about_interview", (), fact="program")


def test_a_who_or_when_question_about_the_interview_gets_a_field_of_that_kind_it_does_not_state(fake_encoder):
    from rag.answer import speaker_names
    from rag.corpus import parse_transcript
    from rag.retrieval import framing_terms

    doc = parse_transcript(
        "On 14 April, journalist Pavel Dreyer of Radio Tannmark spoke with Marit Oskland, chair of the co-op.\n\n"
        "Q: How did the bees come through the winter?\n\nA: Badly, the frost came early.\n",
        "bees.txt",
    )
    assert (doc.interviewee, doc.interviewer) == ("Marit Oskland", "Pavel Dreyer")  # the host, not the station
    router = Router([doc], fake_encoder, framing_terms(speaker_names([doc])))
    field = lambda q: router.about_interview(q, fake_encoder.encode([q])[0], best_answer_cosine=-1.0)  # noqa: E731
    # The question names the interviewee, so it asks for the other person ("interviewed" names no field).
    assert field("Who interviewed Marit Oskland?") == "interviewer"
    assert field("Who was the interviewer?") == "interviewer"  # stemmed, "interviewer" is the interview itself
    assert field("Who was the interviewee?") == "interviewee"
    assert field("When was the interview given?") == "date"
    # The interview as the event a "when" or "who" asks about, however many words name its people and
    # however well an answer matches; not where something was said.
    beaten = lambda q: router.about_interview(q, fake_encoder.encode([q])[0], best_answer_cosine=1.0)  # noqa: E731
    assert beaten("When did Pavel Dreyer interview the chair of the co-op?") == "date"
    assert beaten("Who interviewed the chair of the co-op from Tannmark?") == "interviewer"
    assert beaten("When did she say in the interview that the frost came early?") == ""
    assert beaten("When did the frost come, as the interview says?") == ""
    # Only the interviewer asks: "who asked" is about the interview, "asked for" is a request.
    assert beaten("Who asked Marit Oskland the questions about the bees?") == "interviewer"
    assert refers_to_interview("Who asked for the co-op to be founded?", [doc]) is False
    assert beaten("Who asked Oskland about the frost?") == "interviewer"  # asking the interviewee
    assert refers_to_interview("Who asked the council to fund the hives?", [doc]) is False  # a request


@pytest.mark.parametrize(
    ("question", "asking", "by_noun"),
    [
        ("What did the interviewer ask about the bridge?", True, False),
        ("What did the interviewer really want to know about the harbour?", True, False),
        ("Did the interviewer say the bridge is a failure?", True, False),
        ("What was the interviewer's question about the bridge?", False, True),
        ("What was the interviewer's first question?", False, True),
        ("What did Li answer to the interviewer's question on the bridge?", False, True),
        ("Who was the interviewer?", False, False),
        ("What does she want for the interviewer's city?", False, False),
    ],
)
def test_a_question_about_the_interviewers_words(tiny_doc, question, asking, by_noun):
    assert asks_interviewer_words(question, [tiny_doc]) == ((Voice("tiny.txt", "question"),) if asking else ())
    assert names_interviewer_speech(question, [tiny_doc]) is by_noun


def test_a_question_about_what_the_interviewer_asked_is_about_their_words_not_their_name(tiny_doc, fake_encoder):
    from rag.answer import speaker_names
    from rag.retrieval import framing_terms

    router = Router([tiny_doc], fake_encoder, framing_terms(speaker_names([tiny_doc])))
    vector = lambda text: fake_encoder.encode([text])[0]  # noqa: E731
    asker, interviewee = Voice("tiny.txt", "question"), Voice("tiny.txt", "answer")
    # every best_answer_cosine of 0.0: a question about the interview would win if it were one
    q = "What did the interviewer ask about the bridge?"
    assert router.route(q, vector(q), 0.0) == Route("speaker_words", (asker,), named=True, attributive=False)
    q = "What was the interviewer's question about the bridge?"
    assert router.route(q, vector(q), 0.0) == Route("speaker_words", (asker,), named=True, attributive=False)
    q = "What did Li answer to the interviewer's question about the bridge?"
    assert router.route(q, vector(q), 0.0) == Route("speaker_words", (interviewee,), named=True, attributive=False)
    q = "Who was the interviewer?"
    assert router.route(q, vector(q), 0.0) == Route("about_interview", (), fact="interviewer")


@pytest.mark.parametrize(
    ("question", "asking"),
    [
        ("О чём журналист спросил про мост?", True),
        ("Какой вопрос задал ведущий о гавани?", True),
        ("Журналист көпір туралы не сұрады?", True),
        ("主持人问了关于大桥的什么问题？", True),
        ("Что Ли ответила на вопрос журналиста о мосте?", False),  # names the interviewee: her answer
        ("Что журналист думает о мосте?", False),  # no asking
        ("Что Ли сказала о мосте?", False),
    ],
)
def test_a_question_in_another_language_about_the_interviewers_words(question, asking):
    from rag.types import Document

    doc = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), aliases=("Ada Li", "Li"), interviewer_aliases=("interviewer",), other_language_names=(("Li", ("Ли",)),))
    assert asks_interviewer_words_in_other_language(question, [doc]) == ((Voice("a.txt", "question"),) if asking else ())


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Когда было дано интервью?", "date"),
        ("На каком телеканале вышло интервью?", "broadcaster"),
        ("Как называлась программа?", "program"),
        ("Кто брал интервью у Ли?", "interviewer"),
        ("Кто дал интервью?", "interviewee"),
        ("Кто опубликовал интервью?", "source"),
        ("О чём было интервью?", "topics"),
        ("Сұхбат қай күні берілді?", "date"),
        ("Сұхбатты кім жүргізді?", "interviewer"),
        ("Ли сұхбатты қай телеарнаға берді?", "broadcaster"),
        ("采访是哪一天进行的？", "date"),
        ("谁采访了阿达·李？", "interviewer"),
        ("这次采访的节目叫什么名字？", "program"),
        ("Накануне какого события Ли дала интервью?", "occasion"),
        ("Сұхбат қандай оқиға қарсаңында берілді?", "occasion"),
        ("这次采访是在什么事件前夕进行的？", "occasion"),
        ("Где проходило интервью?", "place"),
        ("Сұхбат қайда өтті?", "place"),
        ("采访是在哪里进行的？", "place"),
        ("Где Ли говорила в интервью о мосте?", ""),  # where in the interview, not where it was given
        ("Когда вышла программа Harbour Hour?", "date"),  # the card's program, by name
        # where something was said, or nothing asked about the interview
        ("Что Ли сказала в интервью о мосте?", ""),
        ("Когда Ли в интервью говорила о мосте?", ""),
        ("Ли сұхбатта көпір туралы не айтты?", ""),
        ("在采访中她什么时候谈到大桥？", ""),
        ("Когда открылась гавань?", ""),
    ],
)
def test_a_question_in_another_language_about_the_interview_itself(question, field):
    from rag.types import Document, MetaField, Span

    program = MetaField("program", "Harbour Hour", Span(0, 12, "Harbour Hour"))
    doc = Document("a.txt", "", "", "Ada Li", "Interviewer", "", (), meta=(program,), other_language_names=(("Ada Li", ("Ада Ли", "阿达·李")),))
    assert interview_field_in_other_language(question, [doc]) == field
