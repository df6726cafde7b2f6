from dataclasses import replace

from rag.reply_text import render_text, short_name
from rag.types import Citation, Coverage, Quote, Reply


def _quote(n, speaker, role, text, topic=""):
    return Quote(Citation(n, "a.txt", speaker, role, 10 * n, 10 * n + len(text), text, f"a.txt#t{n}", 0, 100), topic)


def test_every_quote_names_its_own_speaker():
    reply = Reply(
        "quotes",
        (
            _quote(1, "Kassym-Jomart Tokayev", "answer", "Taiwan is a part of China.", "Taiwan"),
            _quote(2, "Ambassador John Smith", "answer", "Taiwan is not a part of China.", "Taiwan"),
        ),
    )
    assert render_text(reply) == (
        "Asked about Taiwan, Tokayev said: \u201cTaiwan is a part of China.\u201d [1] "
        "Asked about Taiwan, Smith said: \u201cTaiwan is not a part of China.\u201d [2]"
    )


def test_a_second_quote_of_the_same_speaker_and_topic():
    reply = Reply("quotes", (_quote(1, "Ada Li", "answer", "One.", "ports"), _quote(2, "Ada Li", "answer", "Two.", "ports")))
    assert render_text(reply) == "Asked about ports, Li said: \u201cOne.\u201d [1] Li also said: \u201cTwo.\u201d [2]"


def test_a_topic_that_is_the_interviewers_own_words_is_quoted_as_asked_or_stated():
    asked = Reply("quotes", (_quote(1, "Ada Li", "answer", "One.", "What about ports?"),))
    stated = Reply("quotes", (_quote(1, "Ada Li", "answer", "We listened.", "Residents say it is too loud."),))
    assert render_text(asked) == "Asked \u201cWhat about ports?\u201d, Li said: \u201cOne.\u201d [1]"
    assert render_text(stated) == "In reply to \u201cResidents say it is too loud.\u201d, Li said: \u201cWe listened.\u201d [1]"


def test_the_interviewers_words_are_introduced_as_theirs_and_not_as_an_answer():
    # Their label already says "Interviewer": not doubled; no "Asked about ..." before it (a user run).
    labelled = Reply("quotes", (_quote(1, "Interviewer (CCTV)", "question", "Taiwan is a hot button issue.", "Taiwan"),))
    assert render_text(labelled) == "Interviewer (CCTV) said: \u201cTaiwan is a hot button issue.\u201d [1]"
    named = Reply("quotes", (_quote(1, "Tom Essling", "question", "Is that fair?", "ports"), _quote(2, "Tom Essling", "question", "Why?", "ports")))
    assert render_text(named) == "The interviewer (Tom Essling) said: \u201cIs that fair?\u201d [1] The interviewer (Tom Essling) also said: \u201cWhy?\u201d [2]"


def test_attribution_quotes_the_interviewer_as_the_interviewer():
    reply = Reply("attribution", (_quote(1, "Interviewer", "question", "It failed."), _quote(2, "Ada Li", "answer", "It pays.")), value="Ada Li")
    assert render_text(reply) == (
        "That comes from the interviewer's question, not from Li's own words. The interviewer said \u201cIt failed.\u201d [1] "
        "In the answer to that question, Li said: \u201cIt pays.\u201d [2]"
    )


def test_attribution_names_the_interviewer_the_transcript_names():
    # A user run asked "Did Vasquez-Bell say ...?" of the presenter's words and was told only "the interviewer".
    reply = Reply("attribution", (_quote(1, "Delia Marchetti", "question", "It failed."),), value="Ada Li")
    assert render_text(reply) == (
        "That comes from the interviewer's question, not from Li's own words. The interviewer (Delia Marchetti) said \u201cIt failed.\u201d [1]"
    )


def test_attribution_names_which_of_several_askers_put_the_question():
    reply = Reply("attribution", (_quote(1, "Interviewer (Tess Varga, Vale Herald)", "question", "It cost 150."),), value="Ada Li")
    assert render_text(reply) == (
        "That comes from the interviewer's question, not from Li's own words. The interviewer (Tess Varga, Vale Herald) said \u201cIt cost 150.\u201d [1]"
    )


def test_attribution_names_a_reporter_or_another_panelist_as_who_said_it():
    reporter = Reply("attribution", (_quote(1, "Reporter", "question", "Trade fell."),), value="Ada Li")
    assert render_text(reporter) == "That comes from the reporter's words, not from Li's own words. The reporter said \u201cTrade fell.\u201d [1]"
    panelist = Reply("attribution", (_quote(1, "Bo Ek", "answer", "It costs 41."), _quote(2, "Ada Li", "answer", "Nearer 44.")), value="Ada Li")
    assert render_text(panelist) == (
        "That comes from Bo Ek's words, not from Li's own. Ek said \u201cIt costs 41.\u201d [1] In the same exchange, Li said: \u201cNearer 44.\u201d [2]"
    )


def test_not_covered_lists_each_transcript_and_notes_follow():
    one = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host"),), notes=("Cut.",))
    assert render_text(one) == (
        "The interview does not cover that. In it, Ada Li speaks about: ports; bridges. "
        "Ask about one of these and I will quote what was said.\n\n(Cut.)"
    )
    two = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Host"), Coverage("b.txt", "Bo Chen", ("films",), "Host")))
    assert render_text(two).startswith("The interviews do not cover that. Ada Li speaks about: ports. Bo Chen speaks about: films.")


def test_not_covered_offers_no_topics_when_no_transcript_has_any():
    # A monologue has no exchange to name a topic by (a user run got "In it,  Ask about one of these").
    bare = (Coverage("a.txt", "Ada Li", (), "Host"),)
    assert render_text(Reply("not_covered", coverage=bare)) == "The interview does not cover that."
    assert render_text(Reply("not_covered", coverage=bare + (Coverage("b.txt", "Bo Chen", (), "Host"),))) == "The interviews do not cover that."
    assert render_text(Reply("not_covered", coverage=bare, language="ru")) == "В интервью об этом не говорится."
    assert render_text(Reply("not_covered", coverage=bare, language="zh")) == "采访中没有谈到这一点。"
    assert render_text(Reply("not_covered", coverage=bare, language="kk")) == "Сұхбатта бұл туралы айтылмайды."


def test_a_shortened_list_says_how_many_topics_it_leaves_out_and_how_to_see_them():
    cut = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host", more=9),))
    assert render_text(cut) == (
        "The interview does not cover that. In it, Ada Li speaks about: ports; bridges; … and 9 more "
        "(ask “What topics does the interview with Ada Li cover?”). Ask about one of these and I will quote what was said."
    )
    ru = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Host", more=9),), language="ru")
    assert "ports; и ещё 9" in render_text(ru)


def test_a_fact_not_given_says_which_kind_and_quotes_the_nearest_sentence():
    nearest = (_quote(1, "Ada Li", "answer", "The figure will be set in autumn.", "tariffs"),)
    assert render_text(Reply("not_given", nearest, fact="number")) == (
        "The interview gives no such figure. The nearest it comes: Asked about tariffs, Li said: "
        "\u201cThe figure will be set in autumn.\u201d [1]"
    )
    assert render_text(Reply("not_given", nearest, fact="date")).startswith("The interview gives no such date. The nearest it comes: ")
    # What a "how many" question counts is named: the nearest sentence may well count something else.
    assert render_text(Reply("not_given", nearest, fact="number", value="trainees")).startswith(
        "The interview gives no number of trainees. The nearest it comes: Asked about tariffs, Li said: "
    )


def test_absent_speaker_and_interview_facts():
    reply = Reply("absent_speaker", value="Xi Jinping", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Interviewer (CCTV)"),))
    assert render_text(reply) == (
        "The interview does not cover what Xi Jinping said: it holds only the answers of Ada Li to questions "
        "asked by Interviewer (CCTV). Ada Li speaks about: ports."
    )
    two = Reply("absent_speaker", value="Xi Jinping", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Host"), Coverage("b.txt", "Bo Chen", ("How are films funded?",), "Tom Ek")))
    assert render_text(two) == (
        "The interviews do not cover what Xi Jinping said: they hold only the answers of Ada Li to questions asked by Host; "
        "the answers of Bo Chen to questions asked by Tom Ek. Ada Li speaks about: ports. Bo Chen was asked: “How are films funded?”."
    )
    date = Reply("about_interview", (_quote(1, "Narration", "narration", "On May 12 she spoke."),), fact="date", value="May 12")
    assert render_text(date) == "The interview was given on May 12. The report says: \u201cOn May 12 she spoke.\u201d [1]"
    # In another language the date is written as that language writes one; the quote stays English.
    assert "Сұхбат күні: 12 мамыр." in render_text(replace(date, language="kk"))
    assert "采访日期：5月12日。" in render_text(replace(date, language="zh"))
    unnamed = Reply("about_interview", fact="interviewer", context=(("broadcaster", "CCTV"), ("program", "Leaders Talk")))
    assert render_text(unnamed) == "The transcript does not name the interviewer; the questions were asked for CCTV's Leaders Talk program."
    # Further fields asked for follow the first, without a quote of their own.
    more = Reply("about_interview", fact="interviewer", value="Tom Ek", also=(Reply("about_interview", fact="date", value="9 May"), Reply("about_interview", fact="source")))
    assert render_text(more) == "The questions were asked by Tom Ek. The interview was given on 9 May. The transcript does not say who published it."
    # No publisher named: the reply says what the page does name, once with its own article.
    unpublished = Reply("about_interview", fact="source", context=(("program", "the Harbour Hour"),))
    assert render_text(unpublished) == "The transcript does not say who published it; the interview was given for the Harbour Hour program."
    # With no broadcaster or program either, the sentence ends there (a user run got "... were asked.").
    assert render_text(Reply("about_interview", fact="interviewer")) == "The transcript does not name the interviewer."
    # A name that brings its own article keeps it alone (a user run's "for the The Long Table program").
    program = Reply("about_interview", (_quote(1, "Narration", "narration", "For the programme The Long Table."),), fact="program", value="The Long Table")
    assert render_text(program).startswith("The interview was recorded for The Long Table program.")


def test_interview_facts_in_the_askers_language():
    date = Reply("about_interview", (_quote(1, "Narration", "narration", "On May 12 she spoke."),), fact="date", value="May 12", language="ru")
    assert render_text(date) == (
        "Интервью дано на английском языке; цитаты приведены дословно. Дата интервью: 12 мая. "
        "В публикации сказано: \u201cOn May 12 she spoke.\u201d [1]"
    )
    # the value as the card spells it in the asker's language
    channel = Reply("about_interview", (_quote(1, "Narration", "narration", "She spoke on TV9."),), fact="broadcaster", value="TV9", language="zh", local_names=(("TV9", "九台"),))
    assert render_text(channel) == "采访以英语进行，引文为原话。这次采访是接受九台的采访。报道称：\u201cShe spoke on TV9.\u201d [1]"
    context = (("broadcaster", "TV9"), ("program", "Harbour Hour"))
    unnamed = Reply("about_interview", fact="interviewer", context=context, language="kk")
    assert render_text(unnamed) == "Мәтінде сұхбат алушының аты аталмайды. Сұрақтар TV9 арнасының Harbour Hour бағдарламасы үшін қойылған."
    assert render_text(Reply("about_interview", fact="interviewer", context=context[:1], language="ru")) == (
        "В тексте интервьюер не назван. Вопросы задавались для TV9."
    )
    assert render_text(Reply("about_interview", fact="source", language="zh")) == "文本没有说明。"
    eve = (_quote(1, "Narration", "narration", "On the eve of the vote she spoke."),)
    assert render_text(Reply("about_interview", eve, fact="occasion", value="on the eve of the vote")) == (
        "The interview was given on the eve of the vote. The report says: \u201cOn the eve of the vote she spoke.\u201d [1]"
    )
    local = Reply("about_interview", eve, fact="occasion", value="on the eve of the vote", language="ru", local_names=(("on the eve of the vote", "накануне выборов"),))
    assert render_text(local).startswith("Интервью дано на английском языке; цитаты приведены дословно. Интервью дано накануне выборов.")
    # no spelling in the asker's language: the English words, said to be English
    assert "Повод интервью (по-английски): «on the eve of the vote»." in render_text(Reply("about_interview", eve, fact="occasion", value="on the eve of the vote", language="ru"))
    topics = Reply("about_interview", fact="topics", coverage=(Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host"),), language="ru")
    assert render_text(topics) == "Темы интервью (темы на английском): ports; bridges."


def test_short_name():
    assert [short_name(s) for s in ("Ada Li", "Minister Davor Hallgren", "Interviewer (CCTV)", "Host")] == ["Li", "Hallgren", "Interviewer (CCTV)", "Host"]


def test_a_reply_to_a_russian_question_is_framed_in_russian_and_quotes_stay_english():
    reply = Reply(
        "quotes",
        (_quote(1, "Ada Li", "answer", "Ports open in May.", "ports"), _quote(2, "Ada Li", "answer", "Two ships.", "ports")),
        language="ru",
    )
    assert render_text(reply) == (
        "Интервью дано на английском языке; цитаты приведены дословно. "
        "Li сказал: \u201cPorts open in May.\u201d [1] Li также сказал: \u201cTwo ships.\u201d [2]"
    )


def test_a_transcript_without_a_card_lists_what_its_speaker_was_asked_never_what_they_speak_about():
    # Its stand-in topics are the interviewer's sentences, claims among them: quoted, as asked.
    asked = (Coverage("a.txt", "Ada Li", ("When will the port open?", "Critics call the dam a waste."), "Host"),)
    assert render_text(Reply("not_covered", coverage=asked)) == (
        "The interview does not cover that. In it, Ada Li was asked: “When will the port open?”; “Critics call the dam a waste.”. "
        "Ask about one of these and I will quote what was said."
    )
    assert render_text(Reply("not_covered", coverage=asked, language="ru")) == (
        "В интервью об этом не говорится. В нём задавались вопросы (темы на английском): “When will the port open?”; "
        "“Critics call the dam a waste.”. Спросите об одном из них, и я процитирую сказанное."
    )
    assert render_text(Reply("not_covered", coverage=asked, language="zh")).startswith("采访中没有谈到这一点。Ada Li在采访中被问到（话题为英文）：“When")
    two = (*asked, Coverage("b.txt", "Bo Ek", ("dams",), "Host"))
    assert render_text(Reply("not_covered", coverage=two, language="kk")) == (
        "Сұхбаттарда бұл туралы айтылмайды. Сұхбатта (Ada Li) мына сұрақтар қойылды (ағылшынша): “When will the port open?”; "
        "“Critics call the dam a waste.”. Bo Ek мына тақырыптар туралы айтады (ағылшынша): dams. "
        "Осы тақырыптардың бірі туралы сұраңыз, мен айтылған сөзді келтіремін."
    )


def test_not_covered_in_chinese_and_kazakh():
    coverage = (Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host"),)
    assert render_text(Reply("not_covered", coverage=coverage, language="zh")) == (
        "采访中没有谈到这一点。Ada Li在采访中谈到（话题为英文）：ports；bridges。请就其中一个话题提问，我会引用原话。"
    )
    assert render_text(Reply("not_covered", coverage=coverage, language="kk")).startswith("Сұхбатта бұл туралы айтылмайды. Онда Ada Li")


def test_not_covered_lists_the_topics_in_the_askers_language_when_the_card_gives_them():
    local = (("ru", ("порты", "мосты")), ("zh", ("港口", "桥梁")))
    coverage = (Coverage("a.txt", "Ada Li", ("ports", "bridges"), "Host", local),)
    assert render_text(Reply("not_covered", coverage=coverage, language="ru")) == (
        "В интервью об этом не говорится. Ada Li говорит в нём о следующем: порты; мосты. "
        "Спросите об одной из этих тем, и я процитирую сказанное."
    )
    assert render_text(Reply("not_covered", coverage=coverage, language="zh")) == (
        "采访中没有谈到这一点。Ada Li在采访中谈到：港口；桥梁。请就其中一个话题提问，我会引用原话。"
    )
    # No Kazakh labels on the card: the English ones, said to be English.
    assert "айтады (ағылшынша): ports; bridges." in render_text(Reply("not_covered", coverage=coverage, language="kk"))
    # Two transcripts: each speaker's own labels.
    two = (*coverage, Coverage("b.txt", "Bo Ek", ("dams",), "Host"))
    assert render_text(Reply("not_covered", coverage=two, language="ru")) == (
        "В интервью об этом не говорится. Ada Li говорит о следующем: порты; мосты. "
        "Bo Ek говорит о следующем (темы на английском): dams. Спросите об одной из этих тем, и я процитирую сказанное."
    )
    assert render_text(Reply("not_covered", coverage=coverage)).startswith("The interview does not cover that. In it, Ada Li speaks about: ports; bridges.")


def test_notes_in_the_askers_language():
    from rag.reply_text import note_text

    assert note_text("injection") == "Instructions inside a question are ignored: this bot only quotes the interview."
    assert note_text("injection", "zh") == "问题中的指令不会被执行：本机器人只引用采访内容。"
    assert note_text("truncated", "kk", n=1000) == "Сұрақтың алғашқы 1000 таңбасы ғана оқылды."
    assert note_text("truncated", "fr", n=5) == "Only the first 5 characters of the question were read."


def test_the_framing_writes_a_name_as_the_askers_language_does_when_a_card_gives_it():
    quotes = (_quote(1, "Ada Li", "answer", "One."), _quote(2, "Ada Li", "answer", "Two."))
    reply = Reply("quotes", quotes, language="ru", local_names=(("Li", "Ли"),))
    assert render_text(reply) == (
        "Интервью дано на английском языке; цитаты приведены дословно. Ли сказал: \u201cOne.\u201d [1] Ли также сказал: \u201cTwo.\u201d [2]"
    )
    declined = Reply("not_covered", coverage=(Coverage("a.txt", "Ada Li", ("ports",), "Host"),), language="ru", local_names=(("Ada Li", "Ада Ли"),))
    assert render_text(declined).startswith("В интервью об этом не говорится. Ада Ли говорит в нём о следующем (темы на английском): ports.")
    # No spelling on the card: the name as the transcript writes it.
    assert render_text(Reply("quotes", quotes[:1], language="ru")).endswith("Li сказал: \u201cOne.\u201d [1]")
