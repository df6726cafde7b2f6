from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunking import chunk_document, split_sentences
from rag.corpus import _COPYRIGHT_LINE, CorpusError, load_document, parse_transcript, read_transcript, seed_path


def test_seed_is_byte_for_byte_the_shared_transcript():
    shared = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tokayev_cctv_interview.txt"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert seed_path().read_bytes() == shared.read_bytes()


def test_seed_parses_into_narration_and_seven_exchanges(seed):
    roles = [t.role for t in seed.turns]
    assert roles == ["narration"] + ["question", "answer"] * 7
    assert [t.exchange for t in seed.turns] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]
    for turn in seed.turns:
        assert seed.raw[turn.start : turn.end] == turn.text


def test_seed_turn_boundaries_are_exact(seed):
    narration, q1, a1, q2, a2, q3 = seed.turns[:6]
    assert narration.text.startswith("On May 12 on the eve of the state visit")
    assert narration.text.endswith("global and regional policy.")
    assert q1.text.startswith("You repeatedly said") and q1.text.endswith("where do you want to take Kazakhstan?")
    # The first answer runs over two paragraphs.
    assert a1.text.startswith("I want to put my country") and a1.text.endswith("plays an extremely important role.")
    assert "\n\n" in a1.text
    # The third question ends in "." and is still a question.
    assert q3.role == "question" and q3.text.endswith("intimacy in this geopolitical balance.")
    assert seed.turns[-1].text.endswith("very influential one in the current world.")


def test_seed_boilerplate_is_not_a_turn(seed):
    texts = " ".join(t.text for t in seed.turns)
    assert "Home »" not in texts
    assert "China Featured Kazakhstan News Politics World News" not in texts
    assert "Source : Kazinform" not in texts


def test_seed_speakers_and_metadata(seed):
    assert {t.speaker for t in seed.turns if t.role == "answer"} == {"Kassym-Jomart Tokayev"}
    assert {t.speaker for t in seed.turns if t.role == "question"} == {"Interviewer (CCTV)"}
    meta = {m.name: m.value for m in seed.meta}
    assert meta == {
        "title": "What Kassym-Jomart Tokayev Talks About in an Interview on China’s CCTV",
        "date": "May 12",
        "occasion": "on the eve of the state visit to China",
        "interviewee": "Kassym-Jomart Tokayev",
        "broadcaster": "CCTV",
        "program": "Leaders Talk",
        "source": "Kazinform",
    }
    for m in seed.meta:
        assert seed.raw[m.span.start : m.span.end] == m.value
    assert len(seed.topics) == 7 and seed.topics[5] == "Taiwan and the territorial integrity of states"


@pytest.mark.parametrize(
    ("narration", "occasion"),
    [
        ("Ahead of the summit, Minister Tomas Ardell told Radio Norrvik about ports.", "ahead of the summit"),
        ("On 3 May, in the run-up to the election Mayor Ilse Varga spoke to Radio Norrvik.", "in the run-up to the election"),
        ("On the sidelines of the forum in Davos she spoke to Radio Norrvik.", "on the sidelines of the forum in Davos"),
        ("Mayor Ilse Varga spoke to Radio Norrvik before lunch.", None),
    ],
)
def test_the_occasion_an_intro_gives_is_a_field_of_the_interview(narration, occasion):
    doc = parse_transcript(f"{narration}\n\nHost: What about the port?\n\nIlse Varga: It opens in June.\n", "o.txt")
    found = doc.meta_field("occasion")
    assert (found.value if found else None) == occasion
    if found:  # the span is the page's own words (a sentence's opening capital kept there)
        assert doc.raw[found.span.start : found.span.end].lower() == occasion.lower()


@pytest.mark.parametrize(
    ("narration", "place"),
    [
        ("Ilse Varga spoke to Radio Norrvik. The interview was recorded at the vault's entrance hall on the island of Skellholm.",
         "at the vault's entrance hall on the island of Skellholm"),
        # a date between the verb and the place is skipped; a comma inside a figure does not end it
        ("The conversation took place on 2 October in the festival’s offices in the old tram depot.", "in the festival’s offices in the old tram depot"),
        ("During the conversation, recorded at the visitor centre 2,140 metres above sea level, she spoke of snow.", "at the visitor centre 2,140 metres above sea level"),
        # a date after the place is no part of it
        ("The interview was recorded at the service's base in Brannsdal on 11 November.", "at the service's base in Brannsdal"),
        ("Mayor Ilse Varga spoke to Radio Norrvik in March.", None),
        # where a news intro says they sat down together, past the interviewer's name
        ("This week she sat down with the Courier's correspondent, Dafydd Prenthorpe, at the library's temporary home above the bakery.",
         "at the library's temporary home above the bakery"),
    ],
)
def test_the_place_an_intro_gives_is_a_field_of_the_interview(narration, place):
    doc = parse_transcript(f"{narration}\n\nHost: What about the port?\n\nIlse Varga: It opens in June.\n", "p.txt")
    found = doc.meta_field("place")
    assert (found.value if found else None) == place
    if found:
        assert doc.raw[found.span.start : found.span.end] == place


LABELLED = """Interview with the Minister

Host: Welcome. What are your plans for the railway?

Minister: We will double the track by 2030.

It will carry more freight.

Host: And the ports?

Minister: The ports come next year.
"""


def test_labelled_transcript():
    doc = parse_transcript(LABELLED, "minister.txt")
    assert [(t.role, t.speaker, t.text) for t in doc.turns] == [
        ("question", "Interviewer", "Welcome. What are your plans for the railway?"),
        ("answer", "Minister", "We will double the track by 2030.\n\nIt will carry more freight."),
        ("question", "Interviewer", "And the ports?"),
        ("answer", "Minister", "The ports come next year."),
    ]
    for t in doc.turns:
        assert LABELLED[t.start : t.end] == t.text


NEWS_PAGE = """Home » What the Minister Said
Economy Featured News

On June 18 Orsenian Minister of Agriculture and Water Resources Anselm Drevik gave an interview on Tervany’s TVR-1 channel, OrsenPress reports.

Critics call the new dam a waste of money. How do you respond?

The dam pays for itself within ten years. We measured it.

Tell us about the new irrigation law.

It starts in May. Every farm must meter its water.

Source : OrsenPress
"""


def test_a_news_page_names_a_minister_by_the_office_and_labels_topics_by_what_is_asked():
    doc = parse_transcript(NEWS_PAGE, "dam.txt")
    assert (doc.interviewee, doc.interviewer) == ("Anselm Drevik", "Interviewer (TVR-1)")
    assert {m.name: m.value for m in doc.meta} == {
        "title": "What the Minister Said", "date": "June 18", "interviewee": "Anselm Drevik", "broadcaster": "TVR-1", "source": "OrsenPress",
    }
    assert [t.speaker for t in doc.turns if t.role == "answer"] == ["Anselm Drevik", "Anselm Drevik"]
    # "How do you respond?" says nothing of its own: the claim before it goes with it.
    assert doc.topics == ("Critics call the new dam a waste of money. How do you respond?", "Tell us about the new irrigation law.")


def test_an_intro_names_the_broadcaster_after_its_correspondent_and_the_program_after_the_word():
    raw = (
        "Ilse Varga, Director-General of the Seed Vault, gave an interview to Tomas Ek, senior correspondent "
        "of Nordvik Broadcasting, for the programme The Long Table on 14 March 2024.\n\n"
        "How many samples do you hold?\n\n"
        "We hold 212,000 samples.\n"
    )
    meta = {m.name: m.value for m in parse_transcript(raw, "vault.txt").meta}
    # A user run's intro: the broadcaster was read as "Tomas" (whom the interview was given to) and no program.
    assert (meta["broadcaster"], meta["program"], meta["date"]) == ("Nordvik Broadcasting", "The Long Table", "14 March 2024")
    intro = "Dr. Lena Berg spoke to presenter Tom Ek of Radio Norrvik's Morning Edition programme on 9 May.\n\nWhy?\n\nBecause.\n"
    assert {m.name: m.value for m in parse_transcript(intro, "obs.txt").meta}["broadcaster"] == "Radio Norrvik"


def test_a_closing_thank_you_to_the_guest_by_title_is_the_interviewers_turn():
    raw = (
        "Reporter Tom Ek spoke with Mayor Ilse Varga for Harbour Hour.\n\n"
        "How many apartments are you building?\n\n"
        "We are building three hundred apartments.\n\n"
        "Mayor Varga, thank you.\n\n"
        "Thank you for coming. Mind the ice.\n"
    )
    doc = parse_transcript(raw, "town.txt")
    # A user run found the sign-off quoted as the mayor's words, and her reply as the end of her answer.
    assert [(t.role, t.text) for t in doc.turns[1:]] == [
        ("question", "How many apartments are you building?"),
        ("answer", "We are building three hundred apartments."),
        ("question", "Mayor Varga, thank you."),
        ("answer", "Thank you for coming. Mind the ice."),
    ]


def test_a_statement_put_to_the_guest_between_answers_is_the_interviewers_turn():
    raw = (
        "Marta Olsen, chief of the Kell Rescue Service, spoke to journalist Piet Ek of Alpen Radio's programme Summit Hour, "
        "the Brann Courier reports.\n\n"
        "How many times were you called out?\n\n"
        "We were called out 412 times.\n\n"
        "Some hoteliers say that free rescues encourage reckless risks.\n\n"
        "I hear that argument every winter. Nobody should fear a bill.\n\n"
        "What has changed since 2019?\n\n"
        "In 2021 we built a dispatch centre.\n\n"
        "The second change is that we work with the Valmora Guard.\n\n"
        "The glaciers have lost 40 metres since 1990.\n"
    )
    doc = parse_transcript(raw, "rescue.txt")
    # A user run found the hoteliers' claim quoted as the chief's words, and a trap about it answered "yes".
    # A paragraph that says "we" goes on with the answer, and so does one with nothing after it to answer it.
    assert [(t.role, t.exchange, t.text) for t in doc.turns[1:]] == [
        ("question", 1, "How many times were you called out?"),
        ("answer", 1, "We were called out 412 times."),
        ("question", 2, "Some hoteliers say that free rescues encourage reckless risks."),
        ("answer", 2, "I hear that argument every winter. Nobody should fear a bill."),
        ("question", 3, "What has changed since 2019?"),
        ("answer", 3, "In 2021 we built a dispatch centre.\n\nThe second change is that we work with the Valmora Guard.\n\n"
         "The glaciers have lost 40 metres since 1990."),
    ]
    meta = {m.name: m.value for m in doc.meta}
    # The program after "<broadcaster>'s programme", and a publisher of several words before "reports".
    assert (meta["broadcaster"], meta["program"], meta["source"]) == ("Alpen Radio", "Summit Hour", "Brann Courier")


def test_a_labelled_page_keeps_its_headline_dateline_and_footer_out_of_the_turns():
    raw = (
        'Rail chief: "We cannot run a 2025 railway on 1970s signals"\n\n'
        "14 October 2025, 08:40\n\n"
        "Dr. Oskar Lind, chief executive of Nord Rail, spoke to Priya Cast on Harbour Radio's programme The Morning Ledger.\n\n"
        "Priya Cast: How late are the trains?\n\n"
        "Dr. Oskar Lind: Last year 87 per cent arrived on time.\n\n"
        "Our target is 92 per cent.\n\n"
        "Cast: And the storm?\n\n"
        "Dr. Oskar Lind: It shut the line for eleven days.\n\n"
        "Priya Cast: Thank you.\n\n"
        "Dr. Oskar Lind: Thank you, Priya.\n\n"
        "© 2025 Harbour Radio. All rights reserved.\n"
    )
    doc = parse_transcript(raw, "rail.txt")
    # A user run: the headline's colon made it a speaker's label, so the headline, the dateline and the
    # intro became one interviewer's question, the page had no date or program, and the footer was the
    # guest's last words. "Cast:", once, is a short form of a label that recurs: the interviewer's.
    assert (doc.interviewee, doc.interviewer, doc.title) == ("Dr. Oskar Lind", "Priya Cast", 'Rail chief: "We cannot run a 2025 railway on 1970s signals"')
    assert [(t.role, t.text) for t in doc.turns] == [
        ("narration", "Dr. Oskar Lind, chief executive of Nord Rail, spoke to Priya Cast on Harbour Radio's programme The Morning Ledger."),
        ("question", "How late are the trains?"),
        ("answer", "Last year 87 per cent arrived on time.\n\nOur target is 92 per cent."),
        ("question", "And the storm?"),
        ("answer", "It shut the line for eleven days."),
        ("question", "Thank you."),
        ("answer", "Thank you, Priya."),
    ]
    meta = {m.name: m.value for m in doc.meta}
    # The dateline is the day the page is dated, kept apart from the day the interview was given.
    assert (meta["dateline"], meta["broadcaster"], meta["program"]) == ("14 October 2025", "Harbour Radio", "The Morning Ledger")
    assert "date" not in meta and doc.date_field() == doc.meta_field("dateline")
    assert doc.raw[doc.date_field().span.start : doc.date_field().span.end] == "14 October 2025"


def test_dash_led_dialogue_and_an_intro_naming_the_office_before_the_person():
    raw = (
        "Varnesk, 14 March 2025\n\n"
        "The chief executive of Severan Airways, Maren Castellvi, spoke to Meridian News Agency correspondent "
        "Tobias Ferreira-Lund about the airline.\n\n"
        "— How many passengers did you carry?\n\n"
        "— Last year we carried 5.3 million passengers.\n\n"
        "— Some economists say the state loan was a hidden subsidy.\n\n"
        "— We repaid it in 2023. Every euro of it.\n\n"
        "— And we paid interest.\n\n"
        "Tags: aviation\n"
    )
    doc = parse_transcript(raw, "air.txt")
    # A user run: every quote began with the dialogue dash, and the company was taken for the guest and
    # the news agency for the interviewer.
    assert (doc.interviewee, doc.interviewer) == ("Maren Castellvi", "Tobias Ferreira-Lund")
    assert doc.meta_field("broadcaster").value == "Meridian News Agency"
    assert [(t.role, t.text) for t in doc.turns[1:]] == [
        ("question", "How many passengers did you carry?"),
        ("answer", "Last year we carried 5.3 million passengers."),
        ("question", "Some economists say the state loan was a hidden subsidy."),
        ("answer", "We repaid it in 2023. Every euro of it.\n\n— And we paid interest."),
    ]
    assert all(doc.raw[t.start : t.end] == t.text for t in doc.turns)


def test_an_intro_naming_an_organisation_of_several_words_and_the_host_in_a_later_sentence():
    raw = (
        "Home » Economy\n\n"
        "The governor of the National Bank of Ostravia, Daria Velikanova, gave an interview to Ostravia Public "
        "Radio's programme The Morning Ledger on 3 March 2025. The conversation was recorded in the studio in "
        "Karvelin and hosted by journalist Tomas Brevik.\n\n"
        "Where does inflation stand today?\n\n"
        "Annual inflation in January was 8.4 percent.\n\n"
        "Source : Ostravian News Agency\n"
    )
    doc = parse_transcript(raw, "bank.txt")
    # A user run: the guest went unnamed ("Interviewee said") and the interviewer too, as the bank's name
    # has "of" in it and the radio was read as the interviewer; the place ran on into "and hosted by".
    assert (doc.interviewee, doc.interviewer) == ("Daria Velikanova", "Tomas Brevik")
    meta = {m.name: m.value for m in doc.meta}
    assert (meta["broadcaster"], meta["program"], meta["date"], meta["place"]) == (
        "Ostravia Public Radio", "The Morning Ledger", "3 March 2025", "in the studio in Karvelin"
    )
    assert [(t.role, t.text) for t in doc.turns[1:]] == [
        ("question", "Where does inflation stand today?"),
        ("answer", "Annual inflation in January was 8.4 percent."),
    ]


def test_an_opening_greeting_and_a_closing_thank_you_are_no_topics():
    raw = (
        "Host: Welcome to Harbour Hour. Mayor, thank you for joining us.\n\n"
        "Mayor Ilse Varga: Thank you for having me.\n\n"
        "Host: Housing is the other big issue.\n\n"
        "Mayor Ilse Varga: We are building three hundred apartments.\n\n"
        "Host: Mayor Varga, thank you.\n"
    )
    # a statement between them is a topic; the courtesies were listed as the mayor's topics
    # (each label stays with its exchange: the courtesies' are empty)
    assert parse_transcript(raw, "town.txt").topics == ("", "Housing is the other big issue.", "")


def test_a_timestamped_recording_transcript_is_read_by_its_labels_and_names_as_written():
    raw = (
        "THE LONG PLATFORM - Episode 47\n"
        "Recorded 14 March 2023. Host: Bo Chan. Guest: Ada Li-Hart, director of the Vale Railway.\n\n"
        "[00:00:04] BO CHAN: Welcome. Ada, how long is the line?\n\n"
        "[00:00:15] ADA LI-HART: It is fourteen miles, and we run trains over nine of them.\n\n"
        "[00:01:02] BO CHAN: That delay was down to the viaduct.\n\n"
        "[00:01:10] ADA LI-HART: Almost entirely.\n\n"
        "(00:01:40) ADA LI-HART: The repairs cost 1.8 million pounds.\n\n"
        "BO CHAN [00:02:05]: Thank you.\n"
    )
    doc = parse_transcript(raw, "rail.txt")
    # Capitals in the labels, the name as the header writes it; the first name, which the host uses alone, is one of hers.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li-Hart", "Bo Chan")
    assert doc.aliases == ("Ada Li-Hart", "Li-Hart", "Ada", "Director")
    assert [(t.role, t.exchange, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", 1, "Welcome. Ada, how long is the line?"),
        ("answer", 1, "It is fourteen miles, and we run trains over nine of them."),
        ("question", 2, "That delay was down to the viaduct."),
        ("answer", 2, "Almost entirely."),
        ("answer", 2, "The repairs cost 1.8 million pounds."),
        ("question", 3, "Thank you."),
    ]
    for t in doc.turns:
        assert raw[t.start : t.end] == t.text
    # The sign-off, which no answer follows, is no topic.
    assert doc.topics == ("Ada, how long is the line?", "That delay was down to the viaduct.", "")


def test_a_web_page_with_bold_labels_an_italic_note_and_a_copyright_line():
    raw = (
        "'We will not build this twice': Ada Li on the barrier\n\n"
        "Ada Li, chief executive of the Vale Trust, spoke to our reporter Bo Chan.\n\n"
        "**Bo Chan:** Why a barrier?\n\n"
        "**Ada Li:** Because the sea told us so. The surge flooded 140 homes.\n\n"
        "It took two years to recover.\n\n"
        "**Bo Chan**: Thank you.\n\n"
        "**Ada Li:** Thank you, Bo.\n\n"
        "*This interview has been edited for length and clarity.*\n\n"
        "© 2024 The Vale Courier\n"
    )
    doc = parse_transcript(raw, "vale.txt")
    assert (doc.interviewee, doc.interviewer, doc.narrator) == ("Ada Li", "Bo Chan", "Narration (The Vale Courier)")
    assert [(t.role, t.text) for t in doc.turns] == [
        ("narration", "Ada Li, chief executive of the Vale Trust, spoke to our reporter Bo Chan."),
        ("question", "Why a barrier?"),
        ("answer", "Because the sea told us so. The surge flooded 140 homes.\n\nIt took two years to recover."),
        ("question", "Thank you."),
        ("answer", "Thank you, Bo."),
        # The page's note in italics is no one's answer.
        ("narration", "This interview has been edited for length and clarity."),
    ]
    assert [(m.name, m.value) for m in doc.meta if m.name == "source"] == [("source", "The Vale Courier")]


def test_a_trade_magazine_intro_names_its_publication_before_the_editor_and_a_month_of_a_year():
    raw = (
        "Plugging the leaks\n\n"
        "Waterworks Monthly editor Tomas Ellery spoke with Margit Hale, managing director of the Vell Water Board, in January 2025.\n\n"
        "Q: What did you find?\n\nA: A leaking network, 3,900 km of old mains.\n"
    )
    doc = parse_transcript(raw, "water.txt")
    assert {m.name: m.value for m in doc.meta if m.name in ("date", "source")} == {"date": "January 2025", "source": "Waterworks Monthly"}
    # One capitalized word before the job is the job's own ("Trade editor"), no publication.
    other = parse_transcript(raw.replace("Waterworks Monthly editor", "Trade editor"), "trade.txt")
    assert [m.name for m in other.meta if m.name == "source"] == []


def test_an_office_followed_by_a_comma_names_no_one_and_the_label_names_the_speaker():
    raw = (
        "Davor Hallgren, Velmaria's Minister of Ports and Coastal Transport, told Radio Castrel's Harbour Hour programme about ferries.\n\n"
        "Ilse Korrigan: When will the terminal open?\n\n"
        "Minister Davor Hallgren: In March, two years ahead of schedule, and it will handle twice the cargo.\n\n"
        "Ilse Korrigan: And the ferries?\n\n"
        "Minister Davor Hallgren: Two new electric ferries start in June on the island route.\n"
    )
    doc = parse_transcript(raw, "ports.txt")
    assert doc.interviewee == "Minister Davor Hallgren"
    assert {m.name: m.value for m in doc.meta if m.name in ("interviewee", "program")} == {"program": "Harbour Hour"}


def test_a_page_that_sets_its_questions_in_bold_and_names_the_reporter_by_his_paper():
    raw = (
        "'We cannot fish our way out': the co-op chief on quotas\n\n"
        "By Bo Chan | 14 March 2024\n\n"
        "Ada Li has chaired the Vale Co-op since 2017. The Vale Ledger's Bo Chan spoke to her about prices.\n\n"
        "**How did you come to lead the co-op?**\n\n"
        "I was elected in 2017. Why? Nobody else wanted it.\n\n"
        "**Tell me about the new quay.**\n\n"
        "It opens in April.\n\n"
        "It cost 14 million pounds.\n\n"
        "Source: The Vale Ledger\n"
    )
    doc = parse_transcript(raw, "coop.txt")
    # "<reporter> spoke to her": the one spoken to is the person the intro named first; the paper's
    # possessive is no part of the reporter's name.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Bo Chan")
    # Bold paragraphs ask (a request without "?" too), plain ones answer (a rhetorical "Why?" too), and
    # the asterisks are markup, outside every turn.
    assert [(t.role, t.text) for t in doc.turns] == [
        ("narration", "Ada Li has chaired the Vale Co-op since 2017. The Vale Ledger's Bo Chan spoke to her about prices."),
        ("question", "How did you come to lead the co-op?"),
        ("answer", "I was elected in 2017. Why? Nobody else wanted it."),
        ("question", "Tell me about the new quay."),
        ("answer", "It opens in April.\n\nIt cost 14 million pounds."),
    ]
    assert all(raw[t.start : t.end] == t.text for t in doc.turns)


def test_a_magazine_page_with_italic_questions_a_byline_and_an_intro_naming_the_guest_by_her_role():
    raw = (
        'Ada Li: "The vines do not read the forecast"\n\n'
        "*After a frost, the Vale Ridge winemaker has rebuilt her estate.*\n\n"
        "Interview by Bo Chan\n\n"
        "Ada Li is the head winemaker of Vale Ridge Estate. We met in the tasting room on 24 September 2024.\n\n"
        "*What made you leave chemistry?*\n\n"
        "I was a chemist for six years.\n\n"
        "*Tell me about the frost.*\n\n"
        "We lost seventy percent of the Pinot.\n\n"
        "The Chardonnay came through.\n\n"
        "*This interview has been condensed.*\n\n"
        "© 2024 Cellar & Table\n"
    )
    doc = parse_transcript(raw, "wine.txt")
    # The byline names the interviewer; the intro names the guest without saying who spoke to whom, so
    # the guest is the person it names whom the headline names too, not the estate named before her.
    assert (doc.interviewee, doc.interviewer, doc.narrator) == ("Ada Li", "Bo Chan", "Narration (Cellar & Table)")
    assert [(t.role, t.text) for t in doc.turns] == [
        # The standfirst, the byline and the intro, as one span of the page (the standfirst's closing asterisk inside it).
        ("narration", "After a frost, the Vale Ridge winemaker has rebuilt her estate.*\n\nInterview by Bo Chan\n\n"
         "Ada Li is the head winemaker of Vale Ridge Estate. We met in the tasting room on 24 September 2024."),
        ("question", "What made you leave chemistry?"),
        ("answer", "I was a chemist for six years."),
        # Italics ask here, a request too; the closing note in italics that nothing answers is the page's.
        ("question", "Tell me about the frost."),
        ("answer", "We lost seventy percent of the Pinot.\n\nThe Chardonnay came through."),
        ("narration", "This interview has been condensed."),
    ]


def test_a_blog_post_with_questions_as_headings_and_a_closing_thank_you():
    raw = (
        "# Bikes in a Biscuit Factory: An Interview with Ada Li\n\n"
        "Posted on 14 March 2024 by Bo Chan\n\n"
        "This week I talked to Ada Li, founder of Vale Cycles.\n\n"
        "Key takeaways:\n\n"
        "- Output will double.\n\n"
        "## How did you get started?\n\n"
        "I built frames in my garage in 2017.\n\n"
        "## Tell me about the new depot.\n\n"
        "It opens in May. Callum Reyes will run it.\n\n"
        "Thanks to Ada Li for talking to us. Subscribe for more interviews.\n"
    )
    doc = parse_transcript(raw, "bikes.txt")
    assert (doc.interviewee, doc.interviewer, doc.title) == ("Ada Li", "Bo Chan", "Bikes in a Biscuit Factory: An Interview with Ada Li")
    assert [(t.role, t.text) for t in doc.turns] == [
        ("narration", "This week I talked to Ada Li, founder of Vale Cycles.\n\nKey takeaways:\n\n- Output will double."),
        ("question", "How did you get started?"),
        ("answer", "I built frames in my garage in 2017."),
        ("question", "Tell me about the new depot."),
        ("answer", "It opens in May. Callum Reyes will run it."),
        # No one thanks themselves by their full name: the writer's closing line.
        ("narration", "Thanks to Ada Li for talking to us. Subscribe for more interviews."),
    ]
    assert doc.date_field().value == "14 March 2024"


def test_a_panel_of_two_interviewees_labelled_in_full_then_by_surname():
    raw = (
        "This is an edited transcript of The Morning Desk, broadcast on Radio Vale on 12 March 2025.\n\n"
        "Cy Do: Good morning. Bo Ek, where is the terminal up to?\n\n"
        "Bo Ek: Work started in June 2024.\n\n"
        "Do: Ada Li, how much is the council paying?\n\n"
        "Ada Li: We pay 11 million pounds.\n\n"
        "Ek: And we borrow the rest.\n\n"
        "It comes from two banks.\n\n"
        "Do: How many night flights should there be?\n\n"
        "Li: No more than 8 a week.\n\n"
        "Ek: We need 24 a week.\n\n"
        "Do: Thank you both.\n"
    )
    doc = parse_transcript(raw, "panel.txt")
    # The labels in full on first use ("Cy Do:") and by surname after ("Do:") are one speaker; both
    # guests answer more often than they ask, so both are interviewees, each credited with their own words.
    assert (doc.interviewee, doc.interviewer) == ("Bo Ek and Ada Li", "Cy Do")
    assert [(name, aliases) for name, aliases in doc.panel] == [("Bo Ek", ("Bo Ek", "Ek")), ("Ada Li", ("Ada Li", "Li"))]
    assert [(t.role, t.speaker, t.exchange, t.text) for t in doc.turns] == [
        ("narration", "Narration", 0, "This is an edited transcript of The Morning Desk, broadcast on Radio Vale on 12 March 2025."),
        ("question", "Cy Do", 1, "Good morning. Bo Ek, where is the terminal up to?"),
        ("answer", "Bo Ek", 1, "Work started in June 2024."),
        ("question", "Cy Do", 2, "Ada Li, how much is the council paying?"),
        ("answer", "Ada Li", 2, "We pay 11 million pounds."),
        ("answer", "Bo Ek", 2, "And we borrow the rest.\n\nIt comes from two banks."),
        ("question", "Cy Do", 3, "How many night flights should there be?"),
        ("answer", "Ada Li", 3, "No more than 8 a week."),
        ("answer", "Bo Ek", 3, "We need 24 a week."),
        ("question", "Cy Do", 4, "Thank you both."),
    ]
    assert {m.name: m.value for m in doc.meta if m.name in ("program", "broadcaster", "date")} == {
        "program": "The Morning Desk", "broadcaster": "Radio Vale", "date": "12 March 2025",
    }
    # Two speakers, one of whom asks: an interviewer and one interviewee, as before.
    pair = parse_transcript(raw.replace("Ada Li: ", "Bo Ek: ").replace("Li: ", "Ek: "), "pair.txt")
    assert (pair.interviewee, pair.interviewer, pair.panel) == ("Bo Ek", "Cy Do", ())


def test_a_press_briefing_with_reporters_labelled_by_their_paper_and_a_moderator():
    raw = (
        "Water Board - Press Briefing\n\n"
        "The following is the transcript of a briefing given by Commissioner Ada Li.\n\n"
        "MODERATOR: Good morning, everyone. The Commissioner will make a statement.\n\n"
        "COMMISSIONER LI: The dam will open in May.\n\n"
        "MODERATOR: First question, please.\n\n"
        "QUESTION (Vale Gazette): What will it cost?\n\n"
        "COMMISSIONER LI: 48 million pounds.\n\n"
        "QUESTION (Vale Gazette): Just to follow up, who pays?\n\n"
        "COMMISSIONER LI: The board does.\n\n"
        "Reporter, Radio Vale: Our sources say 60 million. Can you confirm that?\n\n"
        "COMMISSIONER LI: No.\n\n"
        "MODERATOR: Thank you, that concludes the briefing.\n"
    )
    doc = parse_transcript(raw, "briefing.txt")
    # A label may say whose paper asks; the moderator's "First question, please." and the reporter's
    # question are one question, and no reporter's words are the commissioner's.
    assert (doc.interviewee, doc.interviewer, doc.panel) == ("Ada Li", "Interviewer", ())
    assert [(t.role, t.speaker, t.exchange, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Interviewer", 1, "Good morning, everyone. The Commissioner will make a statement."),
        ("answer", "Ada Li", 1, "The dam will open in May."),
        ("question", "Interviewer", 2, "First question, please."),
        ("question", "Interviewer (Vale Gazette)", 2, "What will it cost?"),
        ("answer", "Ada Li", 2, "48 million pounds."),
        ("question", "Interviewer (Vale Gazette)", 3, "Just to follow up, who pays?"),
        ("answer", "Ada Li", 3, "The board does."),
        ("question", "Interviewer (Radio Vale)", 4, "Our sources say 60 million. Can you confirm that?"),
        ("answer", "Ada Li", 4, "No."),
        ("question", "Interviewer", 5, "Thank you, that concludes the briefing."),
    ]
    # One topic an exchange: the question the answer replies to; a greeting and the close are none.
    assert doc.topics == ("", "What will it cost?", "Just to follow up, who pays?", "Our sources say 60 million. Can you confirm that?", "")


def test_a_word_said_while_listening_opens_no_exchange():
    raw = (
        "BO CHAN: Tell me about the storm.\n\n"
        "ADA LI: The chain parted at night.\n\n"
        "BO CHAN: Wow.\n\n"
        "ADA LI: The repair cost 640,000 euros.\n\n"
        "BO CHAN: Next question. Who pays?\n\n"
        "ADA LI: The fund.\n\n"
        "BO CHAN: Right.\n"
    )
    doc = parse_transcript(raw, "pod.txt")
    assert [(t.role, t.exchange, t.text) for t in doc.turns] == [
        ("question", 1, "Tell me about the storm."),
        ("answer", 1, "The chain parted at night."),
        ("question", 1, "Wow."),
        ("answer", 1, "The repair cost 640,000 euros."),
        ("question", 2, "Next question. Who pays?"),
        ("answer", 2, "The fund."),
        # Nothing follows: a last word of its own, as a closing thank-you is.
        ("question", 3, "Right."),
    ]
    assert doc.topics == ("Tell me about the storm.", "Next question. Who pays?", "")


def test_a_written_interview_with_numbered_questions_a_list_an_editors_note_and_a_bio():
    raw = (
        "The seed library that rebuilt itself\n\n"
        "By Bo Chan · 9 April 2025\n\n"
        "Ada Li runs the Vale Seed Library. She answered our questions by email.\n\n"
        "1. How big is the library today?\n\n"
        "We have 214 members. For the fee, a member gets:\n\n"
        "- five packets of seed each season\n\n"
        "- a vote at the annual meeting\n\n"
        "2. Tell us about the flood.\n\n"
        "It rained all night and we lost forty per cent of the seed.\n\n"
        "[Editor's note: the council told us the drain was cleared in 2021.]\n\n"
        "3. What comes next?\n\n"
        "Schools.\n\n"
        "This interview has been edited for length.\n\n"
        "Bo Chan is a freelance journalist based in Vale.\n"
    )
    doc = parse_transcript(raw, "seeds.txt")
    # The numbers are left out like markup; a request without "?" asks; the list is the answer's; the
    # editor's note and the closing lines are the page's, and the note names no one who spoke.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Bo Chan")
    assert [(t.role, t.exchange, t.text) for t in doc.turns] == [
        ("narration", 0, "Ada Li runs the Vale Seed Library. She answered our questions by email."),
        ("question", 1, "How big is the library today?"),
        ("answer", 1, "We have 214 members. For the fee, a member gets:\n\n- five packets of seed each season\n\n- a vote at the annual meeting"),
        ("question", 2, "Tell us about the flood."),
        ("answer", 2, "It rained all night and we lost forty per cent of the seed."),
        ("narration", 2, "[Editor's note: the council told us the drain was cleared in 2021.]"),
        ("question", 3, "What comes next?"),
        ("answer", 3, "Schools."),
        ("narration", 3, "This interview has been edited for length."),
        ("narration", 3, "Bo Chan is a freelance journalist based in Vale."),
    ]
    for t in doc.turns:
        assert raw[t.start : t.end] == t.text


def test_a_committee_hearing_with_numbered_questions_from_several_members():
    raw = (
        "Transport Committee\n\n"
        "Members present: Dame Ada Pell (Chair); Mr Bo Renwick.\n\n"
        "Witness: Dr Cy Hartigan, Chief Executive, Vale Signalling.\n\n"
        "Q41 Chair: Good morning. What happened on 14 October?\n\n"
        "Dr Hartigan: Good morning, Chair. The interlocking failed at 6.52 am.\n\n"
        "Q42 Mr Renwick: The outage cost £9 million. Is that right?\n\n"
        "Dr Hartigan: No. We paid £3.4 million.\n\n"
        "Q43 Chair: Thank you.\n"
    )
    doc = parse_transcript(raw, "hearing.txt")
    # A label after a question's number is someone who asks, however often; the title the intro gives
    # the chair is not the witness's, and the honorific is no word of his name.
    assert (doc.interviewee, doc.interviewer) == ("Dr Hartigan", "Interviewer")
    assert doc.aliases == ("Dr Hartigan", "Hartigan", "Chief Executive")
    assert [(t.role, t.speaker, t.exchange, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Interviewer (Chair)", 1, "Good morning. What happened on 14 October?"),
        ("answer", "Dr Hartigan", 1, "Good morning, Chair. The interlocking failed at 6.52 am."),
        ("question", "Interviewer (Mr Renwick)", 2, "The outage cost £9 million. Is that right?"),
        ("answer", "Dr Hartigan", 2, "No. We paid £3.4 million."),
        ("question", "Interviewer (Chair)", 3, "Thank you."),
    ]


def test_a_tv_script_with_names_on_their_own_lines_a_video_report_and_a_voice_heard_once():
    raw = (
        "HARBOUR NIGHT\n"
        "Vale Broadcasting Network (VBN Two)\n"
        "Air date: 14 March 2024\n\n"
        "BO CHAN\n"
        "Good evening and welcome to Harbour Night. I'm Bo Chan. With me is Ada Li, head of the port.\n\n"
        "ADA LI\n"
        "Thank you, Bo.\n\n"
        "BO CHAN\n"
        "Why is the night ferry being cut?\n\n"
        "ADA LI\n"
        "It lost £2.3 million last year.\n\n"
        "We could not justify that.\n\n"
        "BO CHAN\n"
        "Our reporter has been to the island.\n\n"
        "(VIDEO REPORT)\n\n"
        "REPORTER (VOICEOVER)\n"
        "The crossing has run since 1962. Shopkeeper Cy Orr says trade has fallen by a third.\n\n"
        "CY ORR\n"
        "If the boat stops at night, the island stops at night.\n\n"
        "(END VIDEO)\n\n"
        "BO CHAN\n"
        "What do you say to him?\n\n"
        "ADA LI\n"
        "I understand his frustration.\n"
    )
    doc = parse_transcript(raw, "tv.txt")
    # The names over the words label the turns, even one heard once; the programme's header is the
    # page's, and the presenter's opening names the programme. A shopkeeper heard once in the report
    # speaks for himself but was not interviewed.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Bo Chan")
    assert [name for name, _ in doc.panel] == ["Ada Li", "Cy Orr"]
    assert [(m.name, m.value) for m in doc.meta if m.name in ("broadcaster", "program", "dateline")] == [
        ("dateline", "14 March 2024"), ("broadcaster", "Vale Broadcasting Network"), ("program", "Harbour Night"),
    ]
    assert [(t.role, t.speaker, t.exchange, t.text) for t in doc.turns] == [
        ("question", "Bo Chan", 1, "Good evening and welcome to Harbour Night. I'm Bo Chan. With me is Ada Li, head of the port."),
        ("answer", "Ada Li", 1, "Thank you, Bo."),
        ("question", "Bo Chan", 2, "Why is the night ferry being cut?"),
        ("answer", "Ada Li", 2, "It lost £2.3 million last year.\n\nWe could not justify that."),
        ("question", "Bo Chan", 3, "Our reporter has been to the island."),
        ("narration", "Narration", 3, "(VIDEO REPORT)"),
        # The reporter's words are the reporter's, not the presenter's.
        ("question", "Reporter", 4, "The crossing has run since 1962. Shopkeeper Cy Orr says trade has fallen by a third."),
        ("answer", "Cy Orr", 4, "If the boat stops at night, the island stops at night."),
        ("narration", "Narration", 4, "(END VIDEO)"),
        ("question", "Bo Chan", 5, "What do you say to him?"),
        ("answer", "Ada Li", 5, "I understand his frustration."),
    ]


def test_a_joint_interview_labelled_by_the_initials_its_intro_gives_and_a_closing_about_section():
    raw = (
        "Published in Freight & Shelf Monthly, issue 212. Our editor Orla Penn (OP) sits down with "
        "Ada Hale (AH) and Bo Marr (BM).\n"
        "OP: Where is the depot?\n"
        "BM: At Larkspur Ferry.\n"
        "AH: Near our growers.\n"
        "OP: When does it open?\n"
        "BM: On 3 March 2025.\n"
        "AH: Our chamber opens in the autumn.\n"
        "OP: Thank you both.\n"
        "About the companies\n"
        "Hale Foods packs fruit.\n"
    )
    doc = parse_transcript(raw, "joint.txt")
    assert (doc.interviewee, doc.interviewer) == ("Bo Marr and Ada Hale", "Orla Penn")
    assert [(m.name, m.value) for m in doc.meta if m.name == "source"] == [("source", "Freight & Shelf Monthly")]
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"] == [
        ("question", "Orla Penn"), ("answer", "Bo Marr"), ("answer", "Ada Hale"), ("question", "Orla Penn"), ("answer", "Bo Marr"), ("answer", "Ada Hale"), ("question", "Orla Penn"),
    ]
    # The section about the firms is the page's, not the interviewer's closing turn.
    assert [t.text for t in doc.turns if t.role == "narration"][-2:] == ["About the companies", "Hale Foods packs fruit."]


def test_a_radio_phone_in_with_a_named_presenter_callers_and_a_header():
    raw = (
        "RADIO VALE 101.3 FM\n"
        "Programme: Vale Talks Back, the weekly phone-in with Jo Marsh\n"
        "Broadcast: Thursday 6 March 2031\n"
        "Transcript prepared by the Radio Vale newsroom.\n"
        "PRESENTER (Jo Marsh): Good morning. My guest is Ada Li, leader of the council.\n"
        "ADA LI: Thanks, Jo.\n"
        "CALLER (Derek, Millbrook): I heard the bridge will cost 90 million. Is that right?\n"
        "ADA LI: No, Derek. The contract is for £46.5 million.\n"
        "PRESENTER (Jo Marsh): Next caller, please.\n"
        "CALLER (Gwen, Oxley): When does the depot open?\n"
        "ADA LI: On 3 November 2031.\n"
    )
    doc = parse_transcript(raw, "phone.txt")
    # The presenter named in the label's brackets is the interviewer; each caller is an asker by name.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Jo Marsh")
    assert [(t.role, t.speaker) for t in doc.turns if t.role == "question"] == [
        ("question", "Jo Marsh"), ("question", "Interviewer (Derek, Millbrook)"), ("question", "Jo Marsh"), ("question", "Interviewer (Gwen, Oxley)"),
    ]
    # The header names the station (as the page writes it elsewhere) and the programme.
    assert [(m.name, m.value) for m in doc.meta if m.name in ("dateline", "broadcaster", "program")] == [
        ("dateline", "6 March 2031"), ("broadcaster", "Radio Vale 101.3 FM"), ("program", "Vale Talks Back"),
    ]


def test_a_forum_thread_of_posts_under_usernames_with_the_original_posters_replies_labelled_op():
    raw = (
        "I am Ada Li, harbour master. AMA! (r/Harbours · posted 14 March 2031)\n"
        "Sort by: Best\n"
        "u/AdaLi_official (verified) · 2,340 points\n"
        "Hi, I am Ada Li, harbour master of Vale. Ask me anything!\n"
        "u/harbourfan22 · 412 points\n"
        "When will the barrage open?\n"
        "OP: In September 2032.\n"
        "Reply · Share · Report\n"
        "level 2\n"
        "u/harbourfan22: Follow-up: who paid for it?\n"
        "OP: The Vale Energy Trust.\n"
        "u/saltmarsh · 388 points\n"
        "I read the barrage killed half the seals.\n"
        "OP: That is not true.\n"
    )
    doc = parse_transcript(raw, "ama.txt")
    # The opening post introduces the one who answers; each asker is cited by username; the forum's
    # controls are the page's, and "OP:" is left out of the words.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Interviewer")
    assert [(t.role, t.speaker, t.text) for t in doc.turns] == [
        ("narration", "Narration", "Hi, I am Ada Li, harbour master of Vale. Ask me anything!"),
        ("question", "Interviewer (u/harbourfan22)", "When will the barrage open?"),
        ("answer", "Ada Li", "In September 2032."),
        ("narration", "Narration", "Reply · Share · Report"),
        ("narration", "Narration", "level 2"),
        ("question", "Interviewer (u/harbourfan22)", "Follow-up: who paid for it?"),
        ("answer", "Ada Li", "The Vale Energy Trust."),
        ("question", "Interviewer (u/saltmarsh)", "I read the barrage killed half the seals."),
        ("answer", "Ada Li", "That is not true."),
    ]


def test_a_recording_apps_export_with_timed_speaker_lines_and_a_voice_named_later():
    raw = (
        "Harbour Podcast Ep 14\n"
        "Mon, Mar 3, 2025 · 47 min\n"
        "\n"
        "Ada Li  0:02\n"
        "Welcome back to the Harbour Podcast. We're recording in the back room of the Saltgate Library.\n"
        "\n"
        "Speaker 2  0:21\n"
        "Thanks, Ada. Happy to be here.\n"
        "\n"
        "Ada Li  0:30\n"
        "How did the ferry start?\n"
        "\n"
        "Speaker 2  0:34\n"
        "In 2019 a group of us met in the church hall.\n"
        "There were eleven of us.\n"
        "\n"
        "Ada Li  2:49\n"
        "My guest is Bo Chan, chair of the co-op. Bo, what did you do before?\n"
        "\n"
        "Bo Chan  2:58\n"
        "I was a harbour pilot for 22 years.\n"
        "\n"
        "Ada Li  3:20\n"
        "What is next?\n"
        "\n"
        "Bo Chan  3:24\n"
        "An electric boat, in April 2026.\n"
        "\n"
        "Transcribed by https://otter.example\n"
    )
    doc = parse_transcript(raw, "otter.txt")
    # The app's "Speaker 2" is the first name heard after its last turn; the speaker lines are no one's
    # words, a turn's second line is its own, and the app's footer is the page's.
    assert (doc.interviewee, doc.interviewer, doc.aliases) == ("Bo Chan", "Ada Li", ("Bo Chan", "Chan", "Bo", "Speaker 2"))
    assert [(t.role, t.speaker, t.text) for t in doc.turns] == [
        ("question", "Ada Li", "Welcome back to the Harbour Podcast. We're recording in the back room of the Saltgate Library."),
        ("answer", "Bo Chan", "Thanks, Ada. Happy to be here."),
        ("question", "Ada Li", "How did the ferry start?"),
        ("answer", "Bo Chan", "In 2019 a group of us met in the church hall.\nThere were eleven of us."),
        ("question", "Ada Li", "My guest is Bo Chan, chair of the co-op. Bo, what did you do before?"),
        ("answer", "Bo Chan", "I was a harbour pilot for 22 years."),
        ("question", "Ada Li", "What is next?"),
        ("answer", "Bo Chan", "An electric boat, in April 2026."),
    ]
    # The header's date as the app writes it, the programme and place from the host's opening.
    assert [(m.name, m.value) for m in doc.meta if m.name != "title"] == [
        ("dateline", "Mar 3, 2025"), ("place", "in the back room of the Saltgate Library"), ("program", "the Harbour Podcast"),
    ]


def test_a_meeting_apps_transcript_names_its_speakers_surname_first():
    raw = (
        "Tideline Magazine – Interview with Ada Li\n"
        "Transcript\n"
        "October 14, 2025, 3:02PM\n"
        "\n"
        "Osei, Jonah   0:03\n"
        "We're recording now, Bo.\n"
        "\n"
        "Chan, Bo   0:07\n"
        "Thanks. This is for the winter issue of Tideline Magazine. When did you move to Kelderwick?\n"
        "\n"
        "Li, Ada (Guest)   0:32\n"
        "I moved up from Brannock in March 2017.\n"
        "\n"
        "Li, Ada (Guest)   0:58\n"
        "By the end of three weeks I had handed in my notice.\n"
        "\n"
        "Chan, Bo   1:09\n"
        "And the long version.\n"
        "\n"
        "Li, Ada (Guest)   1:12\n"
        "I was tired of designing things I never touched.\n"
        "\n"
        "Chan, Bo stopped transcription\n"
    )
    doc = parse_transcript(raw, "teams.txt")
    # "Surname, First" is the person's name in speaking order, a guest's tag left out; a producer's one
    # line before the host's is his, timed as theirs are; a question may end in "." (its speaker asks);
    # the app's line that transcription stopped is no one's words.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Bo Chan")
    assert [(t.role, t.speaker, t.text) for t in doc.turns] == [
        ("answer", "Jonah Osei", "We're recording now, Bo."),
        ("question", "Bo Chan", "Thanks. This is for the winter issue of Tideline Magazine. When did you move to Kelderwick?"),
        ("answer", "Ada Li", "I moved up from Brannock in March 2017."),
        ("answer", "Ada Li", "By the end of three weeks I had handed in my notice."),
        ("question", "Bo Chan", "And the long version."),
        ("answer", "Ada Li", "I was tired of designing things I never touched."),
    ]
    # The magazine it is recorded for, from the host's opening; the header's date.
    assert [(m.name, m.value) for m in doc.meta if m.name != "title"] == [("dateline", "October 14, 2025"), ("source", "Tideline Magazine")]


def test_a_meeting_transcript_with_five_minute_marks_an_outlet_in_the_hosts_label_and_the_apps_footer():
    raw = (
        "Valemont Courier conversation with Ada Li - Transcript\n"
        "Oct 9, 2025\n"
        "\n"
        "Attendees\n"
        "Ada Li, Bo Chan (Valemont Courier)\n"
        "\n"
        "Transcript\n"
        "00:00:00\n"
        "Bo Chan (Valemont Courier): Thanks for joining us. How did the studio begin?\n"
        "Ada Li: With a lease nobody else wanted, in March 2016.\n"
        "00:05:00\n"
        "Bo Chan (Valemont Courier): How many members do you have now?\n"
        "Ada Li: We have 212 paying members.\n"
        "Meeting ended after 00:06:14 👋\n"
        "This editable transcript was computer generated and might contain errors.\n"
    )
    doc = parse_transcript(raw, "meet.txt")
    # The marks every five minutes and the app's closing lines are nobody's words; the outlet in the
    # host's label, which the title names too, is the one the questions were asked for.
    assert [(t.role, t.speaker, t.text) for t in doc.turns] == [
        ("question", "Bo Chan", "Thanks for joining us. How did the studio begin?"),
        ("answer", "Ada Li", "With a lease nobody else wanted, in March 2016."),
        ("question", "Bo Chan", "How many members do you have now?"),
        ("answer", "Ada Li", "We have 212 paying members."),
    ]
    assert [(m.name, m.value) for m in doc.meta if m.name == "source"] == [("source", "Valemont Courier")]


def test_a_podcast_apps_transcript_timed_paragraphs_without_names():
    raw = (
        "Ep. 47 – Rowing Against the Tide: Hollin Skerry's Community Ferry\n"
        "Tidewater Voices · 14 March 2024\n"
        "\n"
        "Episode description\n"
        "Host Maren Holt sits down with Agnes Pellow, who led the campaign that bought the ferry.\n"
        "\n"
        "Transcript\n"
        "\n"
        "00:00:04 Welcome back to Tidewater Voices. I'm Maren Holt. My guest is Agnes Pellow. Agnes, thanks for having me aboard.\n"
        "\n"
        "00:00:21 Thanks, Maren. You picked a calm day for it.\n"
        "\n"
        "00:00:30 How did the island end up owning its own ferry?\n"
        "\n"
        "00:00:37 Calder Marine cut the winter timetable in 2018.\n"
        "\n"
        "00:01:18 So we had a meeting in the church hall.\n"
        "\n"
        "Transcript generated automatically. May contain errors.\n"
    )
    doc = parse_transcript(raw, "podcast.txt")
    # The description names both ("sits down with"), not the title's island; the first timed paragraph
    # is the host's opening, though it asks nothing; the app's note is the page's.
    assert (doc.interviewee, doc.interviewer) == ("Agnes Pellow", "Maren Holt")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Welcome back to Tidewater Voices. I'm Maren Holt. My guest is Agnes Pellow. Agnes, thanks for having me aboard."),
        ("answer", "Thanks, Maren. You picked a calm day for it."),
        ("question", "How did the island end up owning its own ferry?"),
        ("answer", "Calder Marine cut the winter timetable in 2018.\n\n00:01:18 So we had a meeting in the church hall."),
    ]


def test_a_press_conference_with_reporters_by_outlet_a_press_secretary_chairing_and_an_end_mark():
    raw = (
        "CITY OF VALE — OFFICE OF THE MAYOR\n"
        "FOR IMMEDIATE RELEASE\n"
        "Transcript: Mayor Ada Okonjo announces the tram extension.\n"
        "MAYOR OKONJO: Good morning. The extension will cost 212 million crowns.\n"
        "MAYOR OKONJO: The line will have nine stops.\n"
        "PRESS SECRETARY LUCIA FERRANTE: Thank you, Mayor. Tess, you first.\n"
        "Q (Tess Varga, Vale Herald): What will a ride cost?\n"
        "MAYOR OKONJO: The same 2.40 crowns as anywhere else.\n"
        "PRESS SECRETARY LUCIA FERRANTE: Next, Channel 6.\n"
        "REPORTER (Marcus Odell, Channel 6): When will the bridge be finished?\n"
        "MAYOR OKONJO: By the end of 2027.\n"
        "PRESS SECRETARY LUCIA FERRANTE: Daniel, go ahead.\n"
        "Q (Daniel Achterberg, Vale Courier): Will there be a walk for the media?\n"
        "PRESS SECRETARY LUCIA FERRANTE: I'll take that one. There will be a guided walk on 16 March.\n"
        "PRESS SECRETARY LUCIA FERRANTE: That's all. Thank you, Mayor.\n"
        "###\n"
        "Media contact: Lucia Ferrante, Press Secretary\n"
    )
    doc = parse_transcript(raw, "press.txt")
    # The one who hands the floor to the next reporter by name chairs: the asking side, not a second
    # interviewee, and no interviewer either (the reporters ask). The mayor is named as the page writes her.
    assert (doc.interviewee, doc.interviewer, doc.panel) == ("Ada Okonjo", "Interviewer", ())
    assert [(t.role, t.speaker) for t in doc.turns] == [
        ("narration", "Narration"),
        ("answer", "Ada Okonjo"), ("answer", "Ada Okonjo"),
        ("question", "Interviewer (Press Secretary Lucia Ferrante)"), ("question", "Interviewer (Tess Varga, Vale Herald)"),
        ("answer", "Ada Okonjo"),
        ("question", "Interviewer (Press Secretary Lucia Ferrante)"), ("question", "Interviewer (Marcus Odell, Channel 6)"),
        ("answer", "Ada Okonjo"),
        ("question", "Interviewer (Press Secretary Lucia Ferrante)"), ("question", "Interviewer (Daniel Achterberg, Vale Courier)"),
        ("question", "Interviewer (Press Secretary Lucia Ferrante)"), ("question", "Interviewer (Press Secretary Lucia Ferrante)"),
        # The end mark and what follows it are the page's.
        ("narration", "Narration"), ("narration", "Narration"),
    ]
    assert doc.turns[-1].text == "Media contact: Lucia Ferrante, Press Secretary"


def test_an_interview_through_an_interpreter_with_an_aide_heard_once_and_a_translation_note():
    raw = (
        "Interview of President Tomas Alvaro to the Vale Courier\n"
        "Questions by Ada Li of the Vale Courier and Bo Ek of the Harbour Ledger.\n"
        "Question: How much has the terminal cost?\n"
        "President Alvaro: (Through interpreter) The budget is 860 million. I would ask Minister Ruiz to give the loan.\n"
        "Minister Ruiz: The loan is 412 million, at 2.1 per cent.\n"
        "Question: Was it built too fast?\n"
        "President Alvaro: [interpreter's note: he laughed] There was urgency, but no haste.\n"
        "Question: Thank you.\n"
        "President Alvaro: Thank you.\n"
        "Unofficial translation. The Spanish text prevails.\n"
    )
    doc = parse_transcript(raw, "alvaro.txt")
    # A name used once as a label, which the words name too, is a speaker: the aide, heard once, is no
    # interviewee. A closing note that the text is a translation is the page's.
    # The byline names both who put the questions.
    assert (doc.interviewee, doc.interviewer) == ("President Alvaro", "Ada Li and Bo Ek")
    assert doc.interviewer_aliases[:4] == ("Ada Li", "Li", "Bo Ek", "Ek")
    asked = "Ada Li and Bo Ek"
    # The paper the interview was given to publishes it (its name ends in a newspaper's word).
    page = "Narration (Vale Courier)"
    assert [(t.role, t.speaker) for t in doc.turns] == [
        ("narration", page),
        ("question", asked), ("answer", "President Alvaro"), ("answer", "Minister Ruiz"),
        ("question", asked), ("answer", "President Alvaro"),
        ("question", asked), ("answer", "President Alvaro"),
        ("narration", page),
    ]
    # A direction in brackets before the words is no sentence of theirs.
    first = split_sentences(raw, doc.turns[2].start, doc.turns[2].end)[0]
    assert first.text == "The budget is 860 million."


def test_a_chat_exported_from_a_messaging_app():
    raw = (
        "12/03/2025, 14:00 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.\n"
        "12/03/2025, 14:01 - Tomas Ferreira: Hi Odile, Tomas from the Courier here.\n"
        "12/03/2025, 14:05 - Tomas Ferreira: How did the co-op start?\n"
        "12/03/2025, 14:09 - Odile Marchetti: In a kitchen, in October 2022.\n"
        "12/03/2025, 14:09 - Odile Marchetti: Seven of us met at my sister's house.\n"
        "The next week we had a lawyer.\n"
        "12/03/2025, 14:18 - Tomas Ferreira: <Media omitted>\n"
        "12/03/2025, 14:20 - You added Priya\n"
        "12/03/2025, 14:22 - Tomas Ferreira: Priya, how much fuel does the boat use?\n"
        "12/03/2025, 14:25 - Priya: About 110 litres a day.\n"
        "12/03/2025, 14:25 - Priya: Less in summer.\n"
        "12/03/2025, 14:30 - Tomas Ferreira: And what are the fares?\n"
        "12/03/2025, 14:31 - Odile Marchetti: £4 for islanders.\n"
    )
    doc = parse_transcript(raw, "chat.txt")
    # Each message's date and time are no one's words; the app's own lines and a message without words
    # are the page's; a line without a stamp goes on with the message before it. Priya answers in one
    # exchange only (in two messages): she speaks for herself, but was not interviewed.
    assert (doc.interviewee, doc.interviewer) == ("Odile Marchetti", "Tomas Ferreira")
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Tomas Ferreira", "Hi Odile, Tomas from the Courier here."),
        ("question", "Tomas Ferreira", "How did the co-op start?"),
        ("answer", "Odile Marchetti", "In a kitchen, in October 2022."),
        ("answer", "Odile Marchetti", "Seven of us met at my sister's house.\nThe next week we had a lawyer."),
        ("question", "Tomas Ferreira", "Priya, how much fuel does the boat use?"),
        ("answer", "Priya", "About 110 litres a day."),
        ("answer", "Priya", "Less in summer."),
        ("question", "Tomas Ferreira", "And what are the fares?"),
        ("answer", "Odile Marchetti", "£4 for islanders."),
    ]
    assert [t.text for t in doc.turns if t.role == "narration"] == [
        "12/03/2025, 14:00 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
        "12/03/2025, 14:18 - Tomas Ferreira: <Media omitted>",
        "12/03/2025, 14:20 - You added Priya",
    ]


def test_an_email_thread_with_the_questions_quoted_under_the_answers():
    raw = (
        "From: Idris Kellaway <idris@rowing.example>\n"
        "To: Nell Ashcombe <nell@gazette.example>\n"
        "Subject: Re: Interview questions\n\n"
        "Hi Nell,\n\n"
        "My answers are under each of your questions.\n\n"
        "On Mon, 3 Mar 2025 at 09:12, Nell Ashcombe <nell@gazette.example> wrote:\n"
        "> 1. How did the Trust start?\n\n"
        "It was founded in 1988 by Hollis Brandreth.\n\n"
        "> 2. What will the new building cost, and where is the money\n"
        "> coming from?\n\n"
        "It will cost £412,000. Most of it is a grant.\n\n"
        "> 3. Tell me about the juniors.\n\n"
        "Fenna Drust runs the junior section.\n\n"
        "Best wishes,\n"
        "Idris Kellaway\n"
        "Chair, Harbour Rowing Trust\n"
        "07700 900412\n\n"
        "Sent from my phone\n"
    )
    doc = parse_transcript(raw, "email.txt")
    # The quoted lines ask (a question quoted over two lines is one), the reply's lines answer; the one
    # whose message is quoted asked, the reply's sender answers; the signature is the page's.
    assert (doc.interviewee, doc.interviewer) == ("Idris Kellaway", "Nell Ashcombe")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "How did the Trust start?"),
        ("answer", "It was founded in 1988 by Hollis Brandreth."),
        ("question", "What will the new building cost, and where is the money\n> coming from?"),
        ("answer", "It will cost £412,000. Most of it is a grant."),
        ("question", "Tell me about the juniors."),
        ("answer", "Fenna Drust runs the junior section."),
    ]
    assert [t.text for t in doc.turns if t.role == "narration"][-4:] == ["Best wishes,", "Idris Kellaway", "Chair, Harbour Rowing Trust", "07700 900412"]
    # The question quoted over two lines is one line where it leads a quote in, and as its exchange's topic.
    (chunk,) = [c for c in chunk_document(doc) if c.text.startswith("It will cost")]
    assert chunk.question == doc.topics[1] == "What will the new building cost, and where is the money coming from?"


def test_an_earnings_call_with_speaker_lines_an_operator_and_analysts_who_ask_without_question_marks():
    raw = (
        "Brackenfield Cold Chain Corporation\nQ3 2025 Earnings Call\nOctober 29, 2025\n\n"
        "Corporate Participants\nMarisol Ketterby - Chief Executive Officer\nOren Haldane - Chief Financial Officer\n\n"
        "Conference Call Participants\nTobias Quarrie -- Selwyn Bank - Analyst\nGideon Farrow -- Ashgrove Capital - Analyst\n\n"
        "Presentation\n\nOperator\n\nWelcome to the call. I will now turn it over to Marisol Ketterby.\n\n"
        "Marisol Ketterby - Chief Executive Officer\n\nRevenue was $412.6 million.\n\nOren will give the details.\n\n"
        "Oren Haldane - Chief Financial Officer\n\nGross margin was 23.4 percent.\n\n"
        "Questions and Answers\n\nOperator\n\nOur first question comes from Tobias Quarrie with Selwyn Bank. Please go ahead.\n\n"
        "Tobias Quarrie -- Selwyn Bank - Analyst\n\nHow is the Fennick Bay hub ramping?\n\n"
        "Marisol Ketterby - Chief Executive Officer\n\nThanks, Tobias. It runs at 64 percent.\n\n"
        "Operator\n\nOur next question comes from Gideon Farrow with Ashgrove Capital. Please go ahead.\n\n"
        "Gideon Farrow -- Ashgrove Capital - Analyst\n\nMaybe just talk about the truck pilot.\n\n"
        "Oren Haldane - Chief Financial Officer\n\nWe run 24 electric trucks.\n\n"
        "Operator\n\nThat concludes today's call.\n"
    )
    doc = parse_transcript(raw, "call.txt")
    # A name over the words, with a role after a dash, labels them even across a blank line; the lists
    # of participants and the section headings label nothing. The operator gives the floor to each
    # analyst by name, so the analysts ask, whatever their words; the executives answer.
    assert doc.interviewee == "Marisol Ketterby and Oren Haldane"
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Interviewer (Operator)", "Welcome to the call. I will now turn it over to Marisol Ketterby."),
        ("answer", "Marisol Ketterby", "Revenue was $412.6 million.\n\nOren will give the details."),
        ("answer", "Oren Haldane", "Gross margin was 23.4 percent."),
        ("question", "Interviewer (Operator)", "Our first question comes from Tobias Quarrie with Selwyn Bank. Please go ahead."),
        ("question", "Interviewer (Tobias Quarrie)", "How is the Fennick Bay hub ramping?"),
        ("answer", "Marisol Ketterby", "Thanks, Tobias. It runs at 64 percent."),
        ("question", "Interviewer (Operator)", "Our next question comes from Gideon Farrow with Ashgrove Capital. Please go ahead."),
        ("question", "Interviewer (Gideon Farrow)", "Maybe just talk about the truck pilot."),
        ("answer", "Oren Haldane", "We run 24 electric trucks."),
        ("question", "Interviewer (Operator)", "That concludes today's call."),
    ]


def test_a_magazine_page_with_each_question_in_bold_before_its_answer_on_the_same_line():
    raw = (
        "THE ESTUARY LEDGER · Makers · Issue 47 · 14 March 2024\n\n"
        "Knots and Tides: Wrenna Palisade on saving the Harrowmere ropewalk\n\n"
        "Words: Tobias Quenneville · Photos: Ines Ravelcourt\n\n"
        "When Wrenna Palisade took over the derelict ropewalk on Gullet Lane, half the building had no roof.\n\n"
        "**How did you come to own a ropewalk?** Honestly, by accident. The auction was in June 2016.\n\n"
        "I bid £42,000, every penny I had.\n\n"
        "**You call the company Palisade & Daughters, but you started alone.** That's right.\n\n"
        "**Q.** Not a question.\n\n"
        "**How many people work here now?** Fourteen, including me.\n\n"
        "About: Wrenna Palisade was born in Sallow Cross in 1979.\n\n"
        "Palisade & Daughters Cordage, 3 Gullet Lane, Harrowmere.\n"
    )
    doc = parse_transcript(raw, "ledger.txt")
    # A question in bold opens its line and the answer follows on it: two turns, the bold one asking
    # (one ending in "." too). "**Q.**" is too short to be a question. The credit line names the
    # interviewer; "When" opening the intro is no part of her name, so the street is not taken for her.
    assert (doc.interviewee, doc.interviewer) == ("Wrenna Palisade", "Tobias Quenneville")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "How did you come to own a ropewalk?"),
        ("answer", "Honestly, by accident. The auction was in June 2016.\n\nI bid £42,000, every penny I had."),
        ("question", "You call the company Palisade & Daughters, but you started alone."),
        ("answer", "That's right.\n\n**Q.** Not a question."),
        ("question", "How many people work here now?"),
        ("answer", "Fourteen, including me."),
    ]
    # The closing "About:" box and what follows are the page's.
    assert [t.text for t in doc.turns if t.role == "narration"][-2:] == [
        "About: Wrenna Palisade was born in Sallow Cross in 1979.", "Palisade & Daughters Cordage, 3 Gullet Lane, Harrowmere.",
    ]


def test_a_word_processors_export_with_names_before_a_tab_a_cast_line_and_an_end_marker():
    raw = (
        "HARBOUR LIGHTS - Conversations from the Tessary Coast\n"
        "Programme 112, first broadcast on Radio Kestrel Bay on 21 March 2023\n"
        "Recorded at the Kestrel Bay studio, 4 Pellam Quay, Orrinford, on 9 March 2023\n"
        "Interviewer: David Halloran. Guest: Mirela Ostrovska, director of the Vantrell Canal Trust.\n\n"
        "DAVID HALLORAN\tAnd you became director when?\n"
        "MIRELA OSTROVSKA\tIn September 2019.\n"
        "\tBefore that I was an engineer.\n"
        "DAVID HALLORAN\tHow much will the repair cost?\n"
        "MIRELA OSTROVSKA\tThe full budget is £4.2 million.\n"
        "[END OF TRANSCRIPT]\n"
        "This transcript is confidential.\n"
    )
    doc = parse_transcript(raw, "canal.txt")
    # A name before a tab labels the words after it; a line opening with a tab goes on with the speaker
    # before. The cast line and what follows the end marker are the page's; the header's line that says
    # where and when it was recorded gives the interview's date and place, not the broadcast's.
    assert (doc.interviewee, doc.interviewer) == ("Mirela Ostrovska", "David Halloran")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "And you became director when?"),
        ("answer", "In September 2019.\n\tBefore that I was an engineer."),
        ("question", "How much will the repair cost?"),
        ("answer", "The full budget is £4.2 million."),
    ]
    assert [t.text for t in doc.turns if t.role == "narration"] == [
        "Interviewer: David Halloran. Guest: Mirela Ostrovska, director of the Vantrell Canal Trust.",
        "[END OF TRANSCRIPT]", "This transcript is confidential.",
    ]
    assert (doc.meta_field("date").value, doc.meta_field("place").value) == ("9 March 2023", "at the Kestrel Bay studio")


def test_an_assemblys_record_with_an_office_naming_its_holder_interjections_and_the_order_paper():
    raw = (
        "NORTHREACH REGIONAL ASSEMBLY\n\nOfficial Report\n\n"
        "The Assembly met at 10.30 am.\n\n"
        "1. Mr Callum Dreyvance (Harrowsound East) asked the Minister for Coastal Transport about the ferry. (AQ 1123/25)\n\n"
        "The Presiding Officer: I call Mr Callum Dreyvance.\n\n"
        "Mr Callum Dreyvance (Harrowsound East): Can the Minister tell us when the ferry returns?\n\n"
        "The Minister for Coastal Transport (Mr Emlyn Carradyce): The refit ends in November.\n\n"
        "Mr Dreyvance: Islanders deserve better. What will the Minister do?\n\n"
        "Hon. Members: Hear, hear.\n\n"
        "Mr Carradyce: From 5 November a freight barge will sail twice a week.\n\n"
        "2. Mrs Annika Pelloway (Skerrin and Tolbay) asked the Minister about new vessels. (AQ 2231/25)\n\n"
        "The Presiding Officer: I call Mrs Annika Pelloway.\n\n"
        "Mrs Annika Pelloway (Skerrin and Tolbay): What is the plan for new boats?\n\n"
        "The Minister: We have ordered two ferries. Our plan has three parts:\n\n"
        "1. build them in Port Mellick;\n\n"
        "2. train 38 crew.\n"
    )
    doc = parse_transcript(raw, "record.txt")
    # The office, its holder's own label later and the office cut short are one person, named as the
    # brackets name him; many voices at once are no one's answer; the order paper's numbered questions
    # are the page's, while a list the minister opens is his.
    assert doc.interviewee == "Emlyn Carradyce"
    answers = [t.text for t in doc.turns if t.role == "answer"]
    assert answers == [
        "The refit ends in November.", "From 5 November a freight barge will sail twice a week.",
        "We have ordered two ferries. Our plan has three parts:\n\n1. build them in Port Mellick;\n\n2. train 38 crew.",
    ]
    assert {t.speaker for t in doc.turns if t.role == "answer"} == {"Emlyn Carradyce"}
    narration = [t.text for t in doc.turns if t.role == "narration"]
    assert "Hon. Members: Hear, hear." in narration
    assert [t for t in narration if "asked the Minister" in t] == [
        "The Assembly met at 10.30 am.\n\n1. Mr Callum Dreyvance (Harrowsound East) asked the Minister for Coastal Transport about the ferry. (AQ 1123/25)",
        "Mrs Annika Pelloway (Skerrin and Tolbay) asked the Minister about new vessels. (AQ 2231/25)",
    ]


def test_a_news_page_with_a_menu_and_clutter_between_the_paragraphs():
    raw = (
        "Home | News | Local | Food & Farming | Log in\n"
        "Home > Interviews\n"
        "'We lend seeds': Marisol Quennell on five years of the Anverley Seed Library\n"
        "The founder of the valley's seed library talks floods and a new greenhouse on Tollbridge Lane.\n"
        "By Dafydd Prenthorpe | Published 14 March 2025, 09:12\n"
        "Marisol Quennell founded the Anverley Seed Library in 2020.\n"
        "How did it start?\n"
        "With my grandmother's beans.\n"
        "Advertisement\n"
        "We opened on 3 May 2020 with 310 packets.\n"
        "What happened in the flood?\n"
        "We lost four thousand (4,000) packets, half our stock.\n"
        "READ MORE: Council approves flood barrier\n"
        "It was the worst night of my life.\n"
        '"We lost four thousand packets, half our stock."\n'
        "Tell me about the money side.\n"
        "For that, a member gets:\n"
        "- five packets a season\n"
        "- a vote at the meeting\n"
        "47 comments\n"
        "Related articles\n"
        "Wendbury library hours cut\n"
    )
    doc = parse_transcript(raw, "page.txt")
    # The headline names the interviewee, not the menu over it; the standfirst's street is no one.
    assert (doc.interviewee, doc.interviewer) == ("Marisol Quennell", "Dafydd Prenthorpe")
    assert doc.title.startswith("'We lend seeds'")
    # A line that ends no sentence, a "READ MORE" line and a pull quote are the page's, and an answer
    # they stand inside is cut there: its quotes hold only what she said. A list's items are hers.
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "How did it start?"),
        ("answer", "With my grandmother's beans."),
        ("answer", "We opened on 3 May 2020 with 310 packets."),
        ("question", "What happened in the flood?"),
        ("answer", "We lost four thousand (4,000) packets, half our stock."),
        ("answer", "It was the worst night of my life."),
        ("question", "Tell me about the money side."),
        ("answer", "For that, a member gets:\n- five packets a season\n- a vote at the meeting"),
    ]
    assert [t.text for t in doc.turns if t.role == "narration"][1:] == [
        "Advertisement", '"We lost four thousand packets, half our stock."',
        "47 comments", "Related articles", "Wendbury library hours cut",
    ]


def test_a_bilingual_page_keeps_its_headline_its_blockquoted_pull_quote_and_its_piped_publisher_apart():
    raw = (
        "MARÉE | TIDE\n"
        "The bilingual magazine of the Atlantic coast · Le magazine bilingue de la côte atlantique\n\n"
        "# The Dory Maker of Port-Sableux\n"
        "# La bâtisseuse de doris de Port-Sableux\n\n"
        "By / Par Daniel Kerrigan\n\n"
        "Daniel Kerrigan spoke with Hélène Vasquez-Morin in the yard.\n\n"
        "**Why dories?**\n\n"
        "Because that is what this coast fished from. If you can build a good dory, you can learn to build anything.\n\n"
        "*FR : Parce que c’est à partir de ça qu’on pêchait sur cette côte.*\n\n"
        "> “If you can build a good dory, you can learn to build anything.”\n"
        "> « Si on sait construire un bon doris, on peut apprendre à construire n’importe quoi. »\n\n"
        "**Where does your wood come from?**\n\n"
        "From the Pelletier sawmill.\n\n"
        "© 2023 Marée | Tide Magazine Inc. All rights reserved. / Tous droits réservés.\n"
    )
    doc = parse_transcript(raw, "page.txt")
    # The headline is the first Markdown heading, not the tagline above it.
    assert doc.title == "The Dory Maker of Port-Sableux"
    # The pull quote and its translation, one blockquote, are the page's, not a second answer.
    assert [(t.role, t.exchange, t.text) for t in doc.turns if t.role == "answer"] == [
        ("answer", 1, "Because that is what this coast fished from. If you can build a good dory, you can learn to build anything."),
        ("answer", 2, "From the Pelletier sawmill."),
    ]
    # A bar inside the publisher's name is kept when the rights are reserved after it.
    assert [m.value for m in doc.meta if m.name == "source"] == ["Marée | Tide Magazine Inc"]


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        # A bar with a menu after it ends the line's reading: no name is read from it.
        ("© 2024 The Vale Courier | Privacy | Terms", None),
        ("© 2023 Marée | Tide Magazine Inc. All rights reserved.", "Marée | Tide Magazine Inc"),
        ("Copyright © 2025 Lantern Public Radio. All rights reserved. | Privacy", "Lantern Public Radio"),
    ],
)
def test_a_copyright_line_keeps_a_bar_in_the_publisher_s_name_only_when_the_rights_follow_it(line, publisher):
    m = _COPYRIGHT_LINE.match(line)
    assert (m.group("value") if m else None) == publisher


def test_an_rtf_file_is_read_as_its_text():
    raw = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\froman\\fcharset0 Georgia;}}\n"
        "{\\colortbl;\\red0\\green0\\blue0;}\n"
        "{\\header \\pard\\plain\\f0\\fs16 EMBARGOED until 00:01 Sat 16 March\\par}\n"
        "\\pard\\plain\\f0\\fs22 THE HARROWGATE COURIER\\par\n"
        "\\pard\\plain\\f0\\fs22 Business editor Priya Lindqvist spoke to Benedikt Varro on 12 March 2024.\\par\n"
        "\\pard\\plain\\ltrpar\\ql\\sa160\\f0\\fs22 {\\b PRIYA LINDQVIST:}\\b0  Let\\'92s start at the beginning \\u8212? how did it come about?\\par\n"
        "\\pard\\plain\\ltrpar\\ql\\sa160\\f0\\fs22 {\\b BENEDIKT VARRO:}\\b0  It started in my kitchen. We paid \\'a362 a tonne.\\par\n"
        "\\pard\\plain\\ltrpar\\ql\\sa160\\f0\\fs22 {\\b LINDQVIST:}\\b0  How big are you now?\\par\n"
        "\\pard\\plain\\ltrpar\\ql\\sa160\\f0\\fs22 {\\b VARRO:}\\b0  We have 63 member farms.\\par\n"
        "}"
    )
    doc = parse_transcript(raw, "cider.rtf")
    # Control words, groups and escapes are the file's settings; the labels in bold name the speakers.
    assert (doc.interviewee, doc.interviewer) == ("Benedikt Varro", "Priya Lindqvist")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Let’s start at the beginning — how did it come about?"),
        ("answer", "It started in my kitchen. We paid £62 a tonne."),
        ("question", "How big are you now?"),
        ("answer", "We have 63 member farms."),
    ]
    assert "\\par" not in doc.raw and "fonttbl" not in doc.raw


def test_a_staffer_labelled_once_by_title_and_surname_speaks_for_himself():
    raw = (
        "MODERATOR: Welcome to the town hall. The Mayor will take your questions.\n\n"
        "MAYOR PENWARDEN: Thank you all for coming.\n\n"
        "AUDIENCE MEMBER: What is going on with the pipes in this city?\n\n"
        "MAYOR PENWARDEN: I'm going to ask Oren to take this one. Oren Quist is our Director of Public Works.\n\n"
        "DIRECTOR QUIST: Thank you, Mayor. We had 41 water main breaks in 2023.\n\n"
        "AUDIENCE MEMBER: When will the bridge reopen?\n\n"
        "MAYOR PENWARDEN: In June.\n"
    )
    doc = parse_transcript(raw, "townhall.txt")
    # Heard once, but named by the mayor: his words are his, not the mayor's.
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.exchange == 2] == [
        ("question", "Audience Member", "What is going on with the pipes in this city?"),
        ("answer", "Mayor Penwarden", "I'm going to ask Oren to take this one. Oren Quist is our Director of Public Works."),
        ("answer", "Director Quist", "Thank you, Mayor. We had 41 water main breaks in 2023."),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"abc\x00def", "looks binary"),
        (b"caf\xe9 \xff\xfe", "is not UTF-8"),
        (b"Just a line of text.\n", "found no answers"),
    ],
)
def test_unusable_files_are_refused_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as info:
        load_document(path)
    assert "bad.txt" in str(info.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(CorpusError, match="missing.txt: cannot read"):
        read_transcript(tmp_path / "missing.txt")

# Text built from the pieces transcripts are made of: sentences, "?", labels, blank lines, odd characters.
_PIECES = st.sampled_from(["What about trains?", "Trains run.", "Host:", "Guest:", "\n\n", "\n", " ", "?", ".", "Mr.", "»", "\u202e", "😀", "\r\n", "Source : X", "Home » x"])
_TEXTS = st.one_of(st.text(max_size=400), st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=60).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS)
def test_any_text_parses_into_exact_turns_or_raises_corpus_error(raw):
    try:
        doc = parse_transcript(raw, "x.txt")
    except CorpusError:
        return
    assert doc.turns
    for t in doc.turns:
        assert raw[t.start : t.end] == t.text and t.text.strip() == t.text and t.text
    assert [t.start for t in doc.turns] == sorted(t.start for t in doc.turns)
    assert all(a.end <= b.start for a, b in zip(doc.turns, doc.turns[1:]))


def test_a_card_gives_the_transcripts_names_in_other_languages_and_only_names_it_uses(tmp_path):
    import json

    transcript = tmp_path / "t.txt"
    transcript.write_text("Host: What about the SCO?\n\nAda Li: The SCO began in Xi An.\n", encoding="utf-8")
    card = tmp_path / "t.txt.card.json"
    card.write_text(json.dumps({"other_language_names": {"SCO": ["ШОС", "上合组织"], "Xi An": ["Сиань"]}}), encoding="utf-8")
    assert load_document(transcript).other_language_names == (("SCO", ("ШОС", "上合组织")), ("Xi An", ("Сиань",)))
    card.write_text(json.dumps({"other_language_names": {"NATO": ["НАТО"]}}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"names the transcript never uses: \['NATO'\]"):
        load_document(transcript)
    card.write_text(json.dumps({"other_language_names": {"SCO": "ШОС"}}), encoding="utf-8")
    with pytest.raises(CorpusError, match="must map each name to a list of its spellings"):
        load_document(transcript)


def test_a_card_gives_the_topics_in_other_languages_one_per_question(tmp_path):
    import json

    transcript = tmp_path / "t.txt"
    transcript.write_text("Host: What about ports?\n\nAda Li: Ports open in May.\n\nHost: And bridges?\n\nAda Li: Two.\n", encoding="utf-8")
    card = tmp_path / "t.txt.card.json"
    card.write_text(json.dumps({"topics": ["ports", "bridges"], "other_language_topics": {"ru": ["порты", "мосты"], "zh": ["港口", "桥梁"]}}), encoding="utf-8")
    doc = load_document(transcript)
    assert doc.other_language_topics == (("ru", ("порты", "мосты")), ("zh", ("港口", "桥梁")))
    card.write_text(json.dumps({"other_language_topics": {"de": ["Häfen", "Brücken"]}}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"must map a language \(ru, kk, zh\) to its labels; got \['de'\]"):
        load_document(transcript)
    card.write_text(json.dumps({"other_language_topics": {"ru": ["порты"]}}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"\['ru'\] must be a list of 2 strings, one per question"):
        load_document(transcript)


def test_the_seed_card_names_only_what_the_seed_says(seed):
    assert dict(seed.other_language_names)["SCO"] == ("ШОС", "ШЫҰ", "上海合作组织", "上合组织", "上合")
    assert all(name in seed.raw for name, _ in seed.other_language_names)
    # Its topics in each language the bot reads, one label per exchange as in English.
    assert [lang for lang, _ in seed.other_language_topics] == ["ru", "kk", "zh"]
    assert all(len(labels) == len(seed.topics) == 7 for _, labels in seed.other_language_topics)
    assert dict(seed.other_language_topics)["ru"][5] == "Тайвань и территориальная целостность государств"


def test_a_podcast_names_its_speakers_in_brackets_on_lines_of_their_own():
    # In full with the role the first time, then by one word of the name; a bracketed line that is no
    # such word is a sound cue, and the day the host says it was recorded is the interview's date.
    raw = (
        "Slow Roots\nEpisode 47: The Orchard on the Roof\n\nTranscript\n\n[MUSIC IN]\n\n"
        "[HOST: Jonah Pellworth]\nWelcome to Slow Roots. We recorded today's conversation on the 9th of October 2023 in Castelbruck. Henrike, welcome.\n\n"
        "[GUEST: Henrike Vosberg]\nThanks, Jonah.\n\n[MUSIC OUT]\n\n"
        "[JONAH]\nHow does a bus mechanic end up planting apple trees?\n\n"
        "[HENRIKE]\nHonestly, by accident. In 2016 I was working nights at the bus depot.\n\nThe depot had an enormous flat roof.\n\n"
        "[JONAH]\nAnd the money?\n\n[HENRIKE]\nWe raised fourteen thousand pounds. [LAUGHTER] Mostly in small amounts.\n"
    )
    doc = parse_transcript(raw, "roots.txt")
    assert (doc.interviewee, doc.interviewer) == ("Henrike Vosberg", "Jonah Pellworth")
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"][2:] == [
        ("question", "Jonah Pellworth", "How does a bus mechanic end up planting apple trees?"),
        ("answer", "Henrike Vosberg", "Honestly, by accident. In 2016 I was working nights at the bus depot.\n\nThe depot had an enormous flat roof."),
        ("question", "Jonah Pellworth", "And the money?"),
        ("answer", "Henrike Vosberg", "We raised fourteen thousand pounds. [LAUGHTER] Mostly in small amounts."),
    ]
    assert "[MUSIC OUT]" in [t.text for t in doc.turns if t.role == "narration"]
    assert [m.value for m in doc.meta if m.name == "date"] == ["9th of October 2023"]


def test_a_newsroom_script_directions_cues_and_a_clip_are_nobodys_answers():
    raw = (
        "SLUG: DROUGHT INTV\n"
        "SHOW: EVENING REPORT\n"
        "AIR DATE: TUE 14 OCT 2025\n"
        "PAGE: B4\n"
        "\n"
        "ANCHOR: GOOD EVENING. THE RESERVOIR IS AT THIRTY-EIGHT PERCENT.\n"
        "\n"
        "TAKE VO\n"
        "[VIDEO: CRACKED RESERVOIR BED]\n"
        "\n"
        "ANCHOR (VO): DOWNSTREAM, BUSINESSES ARE COUNTING THE COST.\n"
        "\n"
        "[SOT: JANET COLE, OWNER, THE MILLRACE CAFE]\n"
        "JANET COLE: We've had to put paper cups back on.\n"
        "IN: \"We've had to...\" OUT: \"...cups back on.\" RUNTIME: :04\n"
        "\n"
        "TAKE VO\n"
        "ANCHOR (VO): DR. HELENA MARSH JOINS ME NOW.\n"
        "\n"
        "SUPER: Dr. Helena Marsh / Chief Hydrologist\n"
        "\n"
        "ANCHOR: HOW DID WE END UP HERE?\n"
        "\n"
        "DR. MARSH: We've had the driest eighteen months since 1879.\n"
        "RUNTIME: :06\n"
        "\n"
        "ANCHOR: WHAT ARE YOU DOING ABOUT IT?\n"
        "\n"
        "DR. MARSH: We've taken on forty extra leak technicians.\n"
        "\n"
        "ANCHOR: I'M PAUL ADEYEMI, AND THIS IS THE EVENING REPORT.\n"
    )
    doc = parse_transcript(raw, "script.txt")
    # "TAKE VO" stands over a direction or a line that names its own speaker, so it names no one; the
    # cue and timing lines are the studio's; "(VO)" says how the anchor speaks; the clip's voice is the
    # one the direction names, and the caption ("SUPER: ...") the page's; the anchor signs off by name;
    # the header gives the air date.
    assert (doc.interviewee, doc.interviewer) == ("Dr. Helena Marsh", "Paul Adeyemi")
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Paul Adeyemi", "GOOD EVENING. THE RESERVOIR IS AT THIRTY-EIGHT PERCENT."),
        ("question", "Paul Adeyemi", "DOWNSTREAM, BUSINESSES ARE COUNTING THE COST."),
        ("answer", "Janet Cole", "We've had to put paper cups back on."),
        ("question", "Paul Adeyemi", "DR. HELENA MARSH JOINS ME NOW."),
        ("question", "Paul Adeyemi", "HOW DID WE END UP HERE?"),
        ("answer", "Dr. Helena Marsh", "We've had the driest eighteen months since 1879."),
        ("question", "Paul Adeyemi", "WHAT ARE YOU DOING ABOUT IT?"),
        ("answer", "Dr. Helena Marsh", "We've taken on forty extra leak technicians."),
        ("question", "Paul Adeyemi", "I'M PAUL ADEYEMI, AND THIS IS THE EVENING REPORT."),
    ]
    assert [(f.name, f.value) for f in doc.meta if f.name in ("date", "program")] == [("date", "TUE 14 OCT 2025"), ("program", "EVENING REPORT")]


def test_a_transcription_services_export_dates_the_recording_from_the_hosts_opening():
    raw = (
        "Workshop_Ep42_FINAL.mp3 (Completed 04/23/24)\n"
        "Transcript by Rev.com\n"
        "\n"
        "Tobias Renwick (00:00:11):\n"
        "Welcome back to Coastline Makers. I'm Tobias Renwick, and we recorded this on Thursday the 18th of April 2024 in Brackenholm.\n"
        "\n"
        "Ilona Marsh (00:00:38):\n"
        "Thanks for coming all the way up.\n"
        "\n"
        "Tobias Renwick (00:00:44):\n"
        "You weren't always a lantern restorer.\n"
        "\n"
        "Ilona Marsh (00:00:49):\n"
        "No, not at all. I grew up in Wexcombe, about twenty miles down the coast.\n"
        "\n"
        "Tobias Renwick (00:01:27):\n"
        "And the workshop came straight after that?\n"
        "\n"
        "Ilona Marsh (00:01:30):\n"
        "Pretty much. I signed the lease in January 2017.\n"
    )
    doc = parse_transcript(raw, "rev.txt")
    assert (doc.interviewee, doc.interviewer) == ("Ilona Marsh", "Tobias Renwick")
    # A weekday may stand between "recorded this on" and the date.
    assert [(f.name, f.value) for f in doc.meta if f.name in ("date", "program")] == [("date", "18th of April 2024"), ("program", "Coastline Makers")]


def test_a_blog_posts_q_and_a_by_letters_and_its_readers_comments():
    raw = (
        "Home | About | Events | Blog | Contact\n"
        "\n"
        "Fixing Things Together: An Interview with Delphine Marsh of the Millbrook Repair Café\n"
        "\n"
        "Posted on 14 March 2024 by Tom Ashworth\n"
        "Categories: Interviews, Community | Tags: repair café, volunteering\n"
        "\n"
        "I sat down with Delphine Marsh, who runs the Millbrook Repair Café, on 2 March.\n"
        "\n"
        "Q. How did the Repair Café come about?\n"
        "\n"
        "A. It started with a kettle, honestly.\n"
        "\n"
        "Q. How many people turn up these days?\n"
        "\n"
        "A. Between thirty and forty visitors.\n"
        "\n"
        "We have twenty-two volunteers on the list now.\n"
        "\n"
        "Share this:\n"
        "\n"
        "2 thoughts on \"Fixing Things Together\"\n"
        "\n"
        "Colin Fairweather says:\n"
        "15 March 2024 at 9:17 am\n"
        "Does the Fix It Club need adult helpers? I'm a retired engineer.\n"
        "\n"
        "Delphine says:\n"
        "15 March 2024 at 7:30 pm\n"
        "Yes please, Colin! We start on 18 September.\n"
        "\n"
        "Leave a Reply\n"
    )
    doc = parse_transcript(raw, "blog.txt")
    # "Q." and "A." mark the sides and are left out like markup; from the post's footer on, readers'
    # comments (one of them the guest's own) are the page's, not the interview.
    assert (doc.interviewee, doc.interviewer) == ("Delphine Marsh", "Tom Ashworth")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "How did the Repair Café come about?"),
        ("answer", "It started with a kettle, honestly."),
        ("question", "How many people turn up these days?"),
        ("answer", "Between thirty and forty visitors.\n\nWe have twenty-two volunteers on the list now."),
    ]


def test_a_chat_servers_ama_names_each_message_by_its_header():
    raw = (
        "Mod | Tobias — Today at 7:00 PM\n"
        "Welcome to tonight's AMA! Our guest is Maren Tallis, Chief Restoration Engineer at the Steam Ferry Trust.\n"
        "\n"
        "Maren (Guest) — Today at 7:01 PM\n"
        "Hi all, thanks for having me!\n"
        "\n"
        "harbourfan22 — Today at 7:02 PM\n"
        "Where was the Saltwren built?\n"
        "\n"
        "Replying to @harbourfan22\n"
        "Maren (Guest) — Today at 7:04 PM\n"
        "She was launched in June 1931 at the Pellow Yard in Dunmore.\n"
        "\n"
        "rivetqueen — Today at 7:05 PM\n"
        ":ship: :ship:\n"
        "\n"
        "brackenwake — Today at 7:07 PM\n"
        "Isn't the restoration just a vanity project?\n"
        "\n"
        "Replying to @brackenwake\n"
        "Maren (Guest) — Today at 7:09 PM\n"
        "No. She carried passengers for fifty-six years.\n"
        "\n"
        "old_salt — Today at 7:10 PM\n"
        "Parking at the Drill Hall is hopeless.\n"
    )
    doc = parse_transcript(raw, "ama.txt")
    # The header names the sender (without the server's tag or role), so a member's words are not the
    # guest's; "Replying to @..." and a message of reactions only are the app's.
    assert doc.interviewee == "Maren Tallis"
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"][2:] == [
        ("question", "Interviewer (harbourfan22)", "Where was the Saltwren built?"),
        ("answer", "Maren Tallis", "She was launched in June 1931 at the Pellow Yard in Dunmore."),
        ("question", "Interviewer (brackenwake)", "Isn't the restoration just a vanity project?"),
        ("answer", "Maren Tallis", "No. She carried passengers for fifty-six years."),
        # A member who asks nothing is a voice of their own, still not the guest.
        ("answer", "old_salt", "Parking at the Drill Hall is hopeless."),
    ]


def test_a_research_interview_labels_interviewer_and_participant_by_letter_and_id():
    raw = (
        "Project: Small Harbours Oral History Study\n"
        "Interview ID: P07\n"
        "Date: 14 March 2023\n"
        "Interviewer: O.P. (Owen Pryce)\n"
        "Participant: Morwenna Talbot-Rees (consented to be named)\n"
        "\n"
        "I: Could you start by telling me how you first got into fishing?\n"
        "\n"
        "P07: It was my grandfather's boat, really. [laughs] I went out with him when I was nine.\n"
        "\n"
        "I: And when did you get a boat of your own?\n"
        "\n"
        "P07: In 1994. I bought the Kestrel Dawn for eleven thousand pounds.\n"
    )
    doc = parse_transcript(raw, "p07.txt")
    # "I:" is the interviewer, named by the header's initials in brackets; the participant, by the header.
    assert (doc.interviewee, doc.interviewer) == ("Morwenna Talbot-Rees", "Owen Pryce")
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"] == [
        ("question", "Owen Pryce"), ("answer", "Morwenna Talbot-Rees"), ("question", "Owen Pryce"), ("answer", "Morwenna Talbot-Rees"),
    ]


def test_a_radio_transcript_keeps_its_reporter_clips_cues_and_footer_apart_from_the_guest():
    raw = (
        "Evening Dispatch\n\n"
        "A 1911 telescope sees the sky again\n\n"
        "May 9, 2025 · 5:14 PM ET\n\n"
        "Heard on Evening Dispatch\n\n"
        "Transcript\n\n"
        "DELIA MARCHETTI, HOST: This is EVENING DISPATCH from Lantern Public Radio. I'm Delia Marchetti. First, reporter Owen Pradley went up the hill.\n\n"
        "OWEN PRADLEY, BYLINE: Then, in February 2019, heavy snow cracked the dome's ribs.\n\n"
        "(SOUNDBITE OF ARCHIVED RECORDING)\n\n"
        "UNIDENTIFIED PERSON: I grew up here, and I had never once looked through it.\n\n"
        "PRADLEY: For EVENING DISPATCH, I'm Owen Pradley in Pellmoor.\n\n"
        "MARCHETTI: Lenora Vasquez-Bell joins us now. Tell me about the night it reopened.\n\n"
        "LENORA VASQUEZ-BELL: We opened the doors on March 14, 2025, at seven in the evening.\n\n"
        "MARCHETTI: (Laughter) How did you end up here yourself?\n\n"
        "LENORA VASQUEZ-BELL: I grew up in Pellmoor, actually.\n\n"
        "Copyright © 2025 Lantern Public Radio. All rights reserved. Visit our website terms of use.\n\n"
        "Lantern Public Radio transcripts are created on a rush deadline. The authoritative record is the audio record.\n"
    )
    doc = parse_transcript(raw, "radio.txt")
    # The label's role says who asks: the host, and the reporter whose report it is ("BYLINE"); an
    # unnamed voice heard once in a clip speaks for itself; a cue before the words is no one's; after
    # the copyright line the page is the network's.
    assert (doc.interviewee, doc.interviewer) == ("Lenora Vasquez-Bell", "Delia Marchetti")
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Delia Marchetti", "This is EVENING DISPATCH from Lantern Public Radio. I'm Delia Marchetti. First, reporter Owen Pradley went up the hill."),
        ("question", "Interviewer (Owen Pradley)", "Then, in February 2019, heavy snow cracked the dome's ribs."),
        ("answer", "Unidentified Person", "I grew up here, and I had never once looked through it."),
        ("question", "Interviewer (Owen Pradley)", "For EVENING DISPATCH, I'm Owen Pradley in Pellmoor."),
        ("question", "Delia Marchetti", "Lenora Vasquez-Bell joins us now. Tell me about the night it reopened."),
        ("answer", "Lenora Vasquez-Bell", "We opened the doors on March 14, 2025, at seven in the evening."),
        ("question", "Delia Marchetti", "How did you end up here yourself?"),
        ("answer", "Lenora Vasquez-Bell", "I grew up in Pellmoor, actually."),
    ]
    assert not any("rush deadline" in t.text for t in doc.turns)
    assert dict((m.name, m.value) for m in doc.meta if m.name in ("program", "broadcaster")) == {"program": "Evening Dispatch", "broadcaster": "Lantern Public Radio"}
    # "Unidentified Person" goes by no surname: "the person" is anyone.
    assert dict(doc.panel)["Unidentified Person"] == ("Unidentified Person",)


def test_a_social_post_with_emoji_led_bold_questions_an_aside_and_a_sign_off():
    raw = (
        "I'm Tessa Morland, and every month I sit down with a maker. This month's guest is Marisol Quennell, founder of "
        "Fernhollow Composites. We talked on 6 March 2025 for my newsletter, The Workbench Letter. #manufacturing #cycling\n\n"
        "🎙️ **How did Fernhollow start?**\n\n"
        "I started Fernhollow in September 2017 in a rented garage.\n\n"
        "❓ **How many frames are you making these days?**\n\n"
        "Last year we shipped 3,150 frames.\n\n"
        "*I rode one of the frames along the harbour, and it felt like riding on a cushion.*\n\n"
        "🎙️ **Thank you, Marisol.**\n\n"
        "Please do come back!\n\n"
        "Thanks to Marisol Quennell for her time and the very strong coffee.\n\n"
        "👉 Follow me for more interviews\n"
        "#TheWorkbenchLetter #flax\n\n"
        "👍 214  💬 37 comments  🔁 12 reposts\n"
    )
    doc = parse_transcript(raw, "post.txt")
    # The writer's intro names both ("I'm ...", "This month's guest is ..."); its hashtags make it no headline.
    assert (doc.interviewee, doc.interviewer) == ("Marisol Quennell", "Tessa Morland")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "How did Fernhollow start?"),
        ("answer", "I started Fernhollow in September 2017 in a rented garage."),
        ("question", "How many frames are you making these days?"),
        ("answer", "Last year we shipped 3,150 frames."),
        ("question", "Thank you, Marisol."),
        ("answer", "Please do come back!"),
    ]
    assert dict((m.name, m.value) for m in doc.meta) == {"date": "6 March 2025", "source": "The Workbench Letter"}


def test_a_podcast_page_names_speakers_in_bold_over_their_words_between_chapter_headings():
    raw = (
        "Back from the Water\n\n"
        "Episode 48 · 52 min · 3 April 2025\n\n"
        "This week on Slow Trades, host Rosalind Teague visits Emrys Halloway, the miller at Cadder Mill.\n\n"
        "Transcript\n\n"
        "## 00:00:00 — Welcome to the granary loft\n\n"
        "**Rosalind Teague** [00:00:04]\n"
        "Hello and welcome to Slow Trades. How long has your family run Cadder Mill?\n\n"
        "**Emrys Halloway** [00:00:33]\n"
        "Since 1911. My great-grandfather took the lease that spring.\n\n"
        "## 00:06:15 — The night of the flood, and everything that came after it\n\n"
        "**Rosalind Teague** [00:06:15]\n"
        "Take me back to the night the water came in.\n\n"
        "**Emrys Halloway** [00:06:19]\n"
        "It was the 19th of November 2022, a Saturday.\n"
    )
    doc = parse_transcript(raw, "podcast.txt")
    # The bold name and its time over the words label the turn; a chapter heading is the page's, however long.
    assert (doc.interviewee, doc.interviewer) == ("Emrys Halloway", "Rosalind Teague")
    assert [(t.role, t.text) for t in doc.turns] == [
        ("narration", "This week on Slow Trades, host Rosalind Teague visits Emrys Halloway, the miller at Cadder Mill.\n\nTranscript\n\n## 00:00:00 — Welcome to the granary loft"),
        ("question", "Hello and welcome to Slow Trades. How long has your family run Cadder Mill?"),
        ("answer", "Since 1911. My great-grandfather took the lease that spring."),
        ("narration", "00:06:15 — The night of the flood, and everything that came after it"),
        ("question", "Take me back to the night the water came in."),
        ("answer", "It was the 19th of November 2022, a Saturday."),
    ]


def test_a_journal_qa_keeps_its_references_and_competing_interests_out_of_the_last_answer():
    raw = (
        "Q&A: The bog keeper\n\n"
        "Staff writer Tomasz Wrenfield spoke with Ilse Varnhagen, director of the Korvel Peatland Observatory.\n\n"
        "**When did the observatory start measuring?**\n\n"
        "In April 2009, with one tower, as we showed in 2021 [1].\n\n"
        "**What comes next for Korvel?**\n\n"
        "In September we will put up a fifth tower.\n\n"
        "*This interview has been edited for length and clarity.*\n\n"
        "References\n\n"
        "1. Varnhagen, I. et al. Carbon uptake after rewetting. Mire Sci. 12, 34–56 (2021).\n"
        "2. Oksanen, B. et al. Methane and rewetted peatlands. J. Wetl. Carbon 8, 101–118 (2023).\n"
        "3. Lindqvist, S. et al. Thermal refuges in raised bogs. Peat Mire Res. 5, 212–229 (2024).\n\n"
        "Competing interests: I.V. sits on the advisory board of the Esterwald Nature Trust.\n\n"
        "Related articles\n\n"
        "Rewetted fens turn from carbon source to sink within a decade\n"
    )
    doc = parse_transcript(raw, "journal.txt")
    assert [(t.role, t.text) for t in doc.turns if t.role == "answer"] == [
        ("answer", "In April 2009, with one tower, as we showed in 2021 [1]."),
        ("answer", "In September we will put up a fifth tower."),
    ]


def test_a_co_hosted_podcast_names_its_guest_in_full_and_the_day_it_was_recorded():
    raw = (
        "MAYA: Hello and welcome to Saltwater Hours. I'm Maya.\n\n"
        "JONAS: And I'm Jonas. We're recording this on Thursday the 9th of March 2023, in our studio.\n\n"
        "MAYA: Our guest today is Teodor Brannvik, chair of the Skarholm Light Trust. Teodor, welcome.\n\n"
        "TEODOR: Thank you, Maya, and thank you, Jonas.\n\n"
        "JONAS: How does a ferry engineer end up in charge of a lighthouse?\n\n"
        "TEODOR: By accident, mostly. I worked on the Skarholm ferry for thirty-one years.\n\n"
        "MAYA: Who else was in the Trust at the start?\n\n"
        "TEODOR: Hedda Marsk, who kept the books.\n"
    )
    doc = parse_transcript(raw, "cohost.txt")
    # A first name in capitals stands for the one full name the page writes with it; two hosts ask in turn.
    assert doc.interviewee == "Teodor Brannvik"
    assert {t.speaker for t in doc.turns if t.role == "question"} == {"Interviewer (Maya)", "Interviewer (Jonas)"}
    assert doc.meta_field("date").value == "9th of March 2023"


def test_an_intro_whose_guest_spoke_to_the_paper_as_she_names_her_and_the_paper():
    raw = (
        "Reopening the Saltreach: canal trust chief on locks and lottery money\n\n"
        "By Halvard Quenby, Staff Reporter\n\n"
        "This spring boats will once again climb the locks between Wexmoor Wharf and Cardle Reach.\n\n"
        "Corvina Aldous-Pike, 52, has led the Saltreach Canal Trust since 2017. A former bridge engineer, "
        "she spoke to the Wexmoor Courier about money and volunteers.\n\n"
        "HOW MANY VOLUNTEERS DO YOU HAVE?\n\n"
        "We have 212 registered volunteers.\n\n"
        "Most of the work is invisible. Three things took most of the hours: the bed, the aqueduct and the tunnel.\n\n"
        "WHEN WILL THE FIRST BOAT GO THROUGH?\n\n"
        "On 2 May, if the weather holds.\n"
    )
    doc = parse_transcript(raw, "print.txt")
    # Not the wharf the paragraph before names: the first name of the paragraph in which "she spoke to" it.
    assert (doc.interviewee, doc.interviewer) == ("Corvina Aldous-Pike", "Halvard Quenby")
    assert doc.meta_field("source").value == "Wexmoor Courier"
    # Questions in capitals mark the page's questions as bold would: a paragraph that asks nothing and
    # says no "I" under one is still the answer's.
    assert [(t.role, t.text[:30]) for t in doc.turns if t.role != "narration"] == [
        ("question", "HOW MANY VOLUNTEERS DO YOU HAV"), ("answer", "We have 212 registered volunte"),
        ("question", "WHEN WILL THE FIRST BOAT GO TH"), ("answer", "On 2 May, if the weather holds"),
    ]
    assert doc.turns[2].text.endswith("the bed, the aqueduct and the tunnel.")
