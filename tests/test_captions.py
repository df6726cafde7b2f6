from rag.captions import caption_text, is_captions, is_sami, sami_text
from rag.corpus import parse_transcript

SRT = (
    "1\n00:00:02,000 --> 00:00:05,700\nHARBOURLINE TONIGHT - KVT NEWS\nTUESDAY 11 NOVEMBER 2025, PORT EDDA\n\n"
    "2\n00:00:06,037 --> 00:00:07,537\n[MUSIC]\n\n"
    "3\n00:00:07,911 --> 00:00:11,811\n>> ANCHOR: Good evening. I'm Marisol Treadway.\nHow big is the scheme?\n\n"
    "4\n00:00:12,222 --> 00:00:16,222\n>> DR. VARKONYI: Forty-two turbines, that is\n42 in all, off Saltmere Point.\n\n"
    "5\n00:00:16,670 --> 00:00:20,270\n>> Let's go to our correspondent.\n\n"
    "6\n00:00:20,755 --> 00:00:24,455\n>> TOBIAS RENFREW: The crab catch fell by a\nthird. Tobias Renfrew, KVT News.\n\n"
    "7\n00:00:24,977 --> 00:00:28,777\n>> Thank you, Tobias. Is the noise to blame?\n\n"
    "8\n00:00:29,077 --> 00:00:32,977\n>> We don't think so. Twenty-four women and thirty-\nsix men start in May.\n\n"
)


def test_a_subtitle_file_is_told_by_its_cue_times():
    assert is_captions(SRT)
    assert not is_captions("Q: When does it open?\nA: At 10:00 --> on the hour.\n\nQ: Why?\nA: Demand.\n")


def test_captions_become_a_paragraph_per_turn_under_the_speakers_label():
    # Cue numbers and times go; a speaker's caption lines join, a word broken at a line's end is whole
    # again; a change of speaker not named is the other of the two who spoke first, whoever spoke before.
    assert caption_text(SRT) == (
        "HARBOURLINE TONIGHT - KVT NEWS\n\nTUESDAY 11 NOVEMBER 2025, PORT EDDA\n\n[MUSIC]\n\n"
        "ANCHOR: Good evening. I'm Marisol Treadway. How big is the scheme?\n\n"
        "DR. VARKONYI: Forty-two turbines, that is 42 in all, off Saltmere Point.\n\n"
        "ANCHOR: Let's go to our correspondent.\n\n"
        "TOBIAS RENFREW: The crab catch fell by a third. Tobias Renfrew, KVT News.\n\n"
        "ANCHOR: Thank you, Tobias. Is the noise to blame?\n\n"
        "DR. VARKONYI: We don't think so. Twenty-four women and thirty-six men start in May.\n"
    )


def test_webvtt_voices_and_tags():
    vtt = (
        "WEBVTT\n\nNOTE made by hand\n\n"
        "intro\n00:01.000 --> 00:03.000 align:start\n<v Ada Li>How big is it?\n\n"
        "00:03.000 --> 00:05.000\n<v Bo Ek><i>Huge</i>, about\n42 turbines.\n\n"
        "00:05.000 --> 00:07.000\n<v Ada Li>Thanks.\n"
    )
    assert is_captions(vtt)
    assert caption_text(vtt) == "made by hand\n\nAda Li: How big is it?\n\nBo Ek: Huge, about 42 turbines.\n\nAda Li: Thanks.\n"


MEETING_VTT = (
    "WEBVTT\n\nNOTE\nMeeting: Harbour Lives - Bo Ek\nDate: Thursday 14 March 2024, 10:30 GMT\n\n"
    "8e91/12-0\n00:00:04.120 --> 00:00:08.638\n<v Ada Li>How many boats have you restored?</v>\n\n"
    "8e91/13-0\n00:00:10.096 --> 00:00:14.131\n<v Bo Ek>Thirty-seven boats, and we built</v>\n\n"
    "8e91/14-0\n00:00:14.200 --> 00:00:17.131\n<v Bo Ek>four new ones from scratch.</v>\n\n"
    "8e91/15-0\n00:00:17.853 --> 00:00:20.350\n<v Ada Li>And what did the grant come to?</v>\n\n"
    "8e91/16-0\n00:00:21.000 --> 00:00:24.000\n<v Bo Ek>Forty-eight thousand pounds.</v>\n\n"
    "8e91/17-0\n00:00:24.500 --> 00:00:27.000\n<v +44 7700 900123>Forty-eight and a half, actually.</v>\n\n"
    "8e91/18-0\n00:00:27.500 --> 00:00:30.000\n<v Bo Ek>Thank you, Dennis.</v>\n"
)


def test_a_meeting_apps_captions_one_voice_tag_a_cue():
    # A meeting app tags every cue with its voice: a voice's cues in a row are one turn, a sentence split
    # between two cues whole again. The note before the first cue (the meeting's title and date) heads
    # the text like a title card.
    assert caption_text(MEETING_VTT) == (
        "Meeting: Harbour Lives - Bo Ek\n\nDate: Thursday 14 March 2024, 10:30 GMT\n\n"
        "Ada Li: How many boats have you restored?\n\n"
        "Bo Ek: Thirty-seven boats, and we built four new ones from scratch.\n\n"
        "Ada Li: And what did the grant come to?\n\n"
        "Bo Ek: Forty-eight thousand pounds.\n\n"
        "+44 7700 900123: Forty-eight and a half, actually.\n\n"
        "Bo Ek: Thank you, Dennis.\n"
    )
    doc = parse_transcript(MEETING_VTT, "meeting.vtt")
    # A caller named by the number they dialled in from speaks for themself, heard once.
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"] == [
        ("question", "Ada Li"), ("answer", "Bo Ek"), ("question", "Ada Li"), ("answer", "Bo Ek"),
        ("answer", "+44 7700 900123"), ("answer", "Bo Ek"),
    ]
    assert [(m.name, m.value) for m in doc.meta if m.name == "dateline"] == [("dateline", "14 March 2024")]


def test_a_subtitle_file_parses_as_the_text_of_its_captions():
    doc = parse_transcript(SRT, "captions.srt")
    assert doc.raw == caption_text(SRT)
    # The anchor named by her own introduction; the correspondent, named once and signing off by name,
    # speaks for himself and is not the interviewee; the title card's date in capitals is the dateline.
    assert (doc.interviewee, doc.interviewer) == ("Dr. Varkonyi", "Marisol Treadway")
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"] == [
        ("question", "Marisol Treadway"), ("answer", "Dr. Varkonyi"), ("question", "Marisol Treadway"),
        ("answer", "Tobias Renfrew"), ("question", "Marisol Treadway"), ("answer", "Dr. Varkonyi"),
    ]
    assert [(m.name, m.value) for m in doc.meta if m.name == "dateline"] == [("dateline", "11 November 2025")]


def _cue(n: int, line: str) -> str:
    return f"{n}\n00:00:{n:02d}.000 --> 00:00:{n + 1:02d}.000\n{line}\n\n"


ZOOM_LINES = [
    "Des Achter: Okay, I think we're recording now.",
    "Oona Treb (she/her): Yep, cloud recording is on.",
    "Des Achter: Great. Ingrid, can you hear me?",
    "ingrid's iPad: I can, yes.",
    "Des Achter: Let me just rename you.",
    "ingrid's iPad: Oh, of course.",
    "Ingrid Vask: There we are. Sorry about that.",
    "Des Achter: So, welcome. It's Thursday the 16th of March 2023, and this is for the Estuary Society's Tideway Voices series. How did you come to the ferry?",
    "Ingrid Vask: I moved to Brackenmouth in 2009, when my husband took a job at the boatyard, and the ferry",
    "Ingrid Vask: had stopped running five years before that.",
    "Des Achter: What did the repairs cost?",
    "Ingrid Vask: About three hundred thousand pounds in all, most of it from the lottery.",
    "Oona Treb (she/her): Sorry, Des, your sound dropped for a second.",
    "Des Achter: And when did she sail again?",
    "Ingrid Vask: In June 2022, on a Saturday, with the whole town on the slipway.",
    *(
        line
        for year, what in ((2016, "the first survey"), (2017, "the lottery bid"), (2018, "the hull repairs"), (2019, "the new engine"), (2020, "the slipway"))
        for line in (f"Des Achter: And {what}?", f"Ingrid Vask: That was {year}, and it took most of the year.")
    ),
]
ZOOM = "WEBVTT\n\n" + "".join(_cue(n, line) for n, line in enumerate(ZOOM_LINES, 1))


def test_a_zoom_transcript_names_each_cues_speaker_in_its_words():
    # Every cue opens with its speaker's display name: a voice's cues in a row are one turn, a sentence
    # split between two cues whole again; a name typed in lower case is still a name.
    text = caption_text(ZOOM)
    assert "Ingrid Vask: I moved to Brackenmouth in 2009, when my husband took a job at the boatyard, and the ferry had stopped running five years before that.\n" in text
    assert "Ingrid's iPad: I can, yes.\n" in text
    doc = parse_transcript(ZOOM, "zoom.vtt")
    # The device's name was hers until the host renamed her; the producer, heard twice beside the
    # guest's ten answers, was not interviewed.
    assert (doc.interviewee, doc.interviewer) == ("Ingrid Vask", "Des Achter")
    assert {t.speaker for t in doc.turns if t.role == "answer"} == {"Ingrid Vask", "Oona Treb"}
    # What the host says before the conversation proper: the day it is, the programme it is for.
    assert [(m.name, m.value) for m in doc.meta if m.name in ("date", "program")] == [("date", "16th of March 2023"), ("program", "Tideway Voices")]


SBV = (
    "0:00:01.599,0:00:04.925\nHello and welcome back\nto Working Rivers. I'm\n\n"
    "0:00:05.225,0:00:09.033\nMarta Quinlan, and my guest\ntoday is Ines Varga.\n\n"
    "0:00:09.033,0:00:12.104\nInes, how old is this building?\n\n"
    "0:00:12.404,0:00:15.000\n>> The mill was built in 1786\nby Absalom Pellow.\n\n"
    "0:00:15.300,0:00:18.000\nIt worked until 1961.\n\n"
    "0:00:18.500,0:00:20.000\n>> And it reopened when?\n\n"
    "0:00:20.300,0:00:24.000\n>> We ground our first flour on\nthe 16th of September 2023.\n"
)


def test_youtubes_sbv_captions_take_turns_between_two_voices_the_parser_names():
    assert is_captions(SBV)
    # No change of speaker is named: the first voice speaks until the first ">>", then they take turns.
    assert caption_text(SBV) == (
        "Speaker 1: Hello and welcome back to Working Rivers. I'm Marta Quinlan, and my guest today is Ines Varga. "
        "Ines, how old is this building?\n\n"
        "Speaker 2: The mill was built in 1786 by Absalom Pellow. It worked until 1961.\n\n"
        "Speaker 1: And it reopened when?\n\n"
        "Speaker 2: We ground our first flour on the 16th of September 2023.\n"
    )
    doc = parse_transcript(SBV, "mill.sbv")
    # The host names herself, and calls the guest by the first name the intro gives in full.
    assert (doc.interviewee, doc.interviewer) == ("Ines Varga", "Marta Quinlan")
    assert [(t.role, t.speaker) for t in doc.turns] == [
        ("question", "Marta Quinlan"), ("answer", "Ines Varga"), ("question", "Marta Quinlan"), ("answer", "Ines Varga"),
    ]


TTML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata" xml:lang="en-GB">\n'
    "  <head><metadata>\n"
    "    <ttm:title>Coastlines, episode 112</ttm:title>\n"
    "    <ttm:desc>Tobias Wendt talks to Maren Oyelaran. Recorded in Lerrick on 14 March 2023.</ttm:desc>\n"
    '    <ttm:agent xml:id="host" type="person"><ttm:name type="full">Tobias Wendt</ttm:name></ttm:agent>\n'
    '    <ttm:agent xml:id="guest" type="person"><ttm:name type="full">Maren Oyelaran</ttm:name></ttm:agent>\n'
    '    <ttm:agent xml:id="announcer" type="person"><ttm:name type="alias">Continuity announcer</ttm:name></ttm:agent>\n'
    "  </metadata></head>\n"
    "  <body><div>\n"
    '    <p begin="00:00:01.200" end="00:00:03.000">[THEME MUSIC]</p>\n'
    '    <p begin="00:00:03.480" end="00:00:05.867" ttm:agent="announcer"><span>Northwater Radio.</span></p>\n'
    '    <p begin="00:00:06.347" end="00:00:10.089" ttm:agent="host"><span>Good evening. I\'m Tobias Wendt,</span><br/><span>and my guest is Maren Oyelaran.</span></p>\n'
    '    <p begin="00:00:10.169" end="00:00:13.846" ttm:agent="guest">Thank you, Tobias.</p>\n'
    '    <p begin="00:00:14.000" end="00:00:16.000" ttm:agent="host">When did the kelp<br/>work start?</p>\n'
    '    <p begin="00:00:16.500" end="00:00:19.000" ttm:agent="guest">The kelp started in 2017. A diver</p>\n'
    '    <p begin="00:00:19.000" end="00:00:22.000" ttm:agent="guest">friend said the forest was gone.</p>\n'
    '    <p begin="00:00:22.500" end="00:00:24.000" ttm:agent="host">And the Trust?</p>\n'
    '    <p begin="00:00:24.500" end="00:00:27.000" ttm:agent="guest">We founded it in 2018.</p>\n'
    "  </div></body>\n"
    "</tt>\n"
)


def test_a_broadcasters_ttml_captions_are_read_by_their_agents():
    from rag.captions import is_ttml, ttml_text

    assert is_ttml(TTML) and not is_ttml("<html><body><p>Hi.</p></body></html>") and not is_captions(TTML)
    # The head's title and description first; a caption's agent is the name its head declares; a
    # voice's captions in a row are one paragraph, lines and spans apart joined by a space.
    assert ttml_text(TTML).split("\n\n") == [
        "Coastlines, episode 112",
        "Tobias Wendt talks to Maren Oyelaran. Recorded in Lerrick on 14 March 2023.",
        "[THEME MUSIC]",
        "Continuity announcer: Northwater Radio.",
        "Tobias Wendt: Good evening. I'm Tobias Wendt, and my guest is Maren Oyelaran.",
        "Maren Oyelaran: Thank you, Tobias.",
        "Tobias Wendt: When did the kelp work start?",
        "Maren Oyelaran: The kelp started in 2017. A diver friend said the forest was gone.",
        "Tobias Wendt: And the Trust?",
        "Maren Oyelaran: We founded it in 2018.\n",
    ]
    doc = parse_transcript(TTML, "coastlines.ttml")
    assert (doc.interviewee, doc.interviewer) == ("Maren Oyelaran", "Tobias Wendt")
    # The host's and the guest's opening lines are turns, not a properties block, though each opens
    # with a "Name:" once before the first question: their names label later lines too.
    assert [(t.role, t.speaker) for t in doc.turns if t.role != "narration"][:2] == [("question", "Tobias Wendt"), ("answer", "Maren Oyelaran")]
    assert [a.text for a in doc.turns if a.role == "answer"][1:] == ["The kelp started in 2017. A diver friend said the forest was gone.", "We founded it in 2018."]


ASS = (
    "[Script Info]\n"
    "; Script generated by Aegisub 3.2.2\n"
    "Title: Harbour Voices - Episode 14: The Seed Keepers\n"
    "ScriptType: v4.00+\n"
    "PlayResX: 1920\n"
    "\n"
    "[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, Bold, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,64,&H00FFFFFF,0,2,60,60,55,1\n"
    "\n"
    "[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Comment: 0,0:00:00.00,0:00:00.00,Default,,0,0,0,,Air date 12 March 2024, Westmarch Community Television (WCTV).\n"
    "Dialogue: 0,0:00:01.20,0:00:04.80,Default,Bo Chan,0,0,0,,Good evening. I'm Bo Chan, and my guest\\Nis Ada Li.\n"
    "Dialogue: 0,0:00:05.00,0:00:08.00,Sign,,0,0,0,,{\\an1}Ada Li\\NFounder, Ashcombe Seed Library\n"
    "Dialogue: 0,0:00:08.10,0:00:11.00,Default,Bo Chan,0,0,0,,How did a seed library end up here?\n"
    "Dialogue: 0,0:00:11.20,0:00:14.00,Default,Ada Li,0,0,0,,It started with my grandmother's beans.\n"
    "Dialogue: 0,0:00:14.10,0:00:17.00,Default,Ada,0,0,0,,I opened the library in April 2017, with\n"
    "Dialogue: 0,0:00:17.10,0:00:20.00,Default,Ada,0,0,0,,{\\i1}sixty{\\i0} packets.\n"
    "Comment: 0,0:00:20.00,0:00:20.00,Default,,0,0,0,,EDITOR: hold the wide shot here.\n"
    "Dialogue: 0,0:00:20.10,0:00:23.00,Default,Bo Chan,0,0,0,,And when was the flood?\n"
    "Dialogue: 0,0:00:23.10,0:00:26.00,Default,Ada,0,0,0,,On the night of 9 November 2021.\n"
)


def test_an_advanced_substation_alpha_file_is_read_by_its_name_field():
    from rag.captions import is_ass

    assert is_ass(ASS) and not is_captions(ASS)
    doc = parse_transcript(ASS, "seed.ass")
    # The Name field is the speaker, a first name the one full name it is short for; a sign's name and
    # role are a line of the page, an editor's comment after the first caption no one's; tags and "\\N" go.
    assert (doc.interviewee, doc.interviewer) == ("Ada Li", "Bo Chan")
    assert [(t.role, t.speaker, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Bo Chan", "Good evening. I'm Bo Chan, and my guest is Ada Li. How did a seed library end up here?"),
        ("answer", "Ada Li", "It started with my grandmother's beans. I opened the library in April 2017, with sixty packets."),
        ("question", "Bo Chan", "And when was the flood?"),
        ("answer", "Ada Li", "On the night of 9 November 2021."),
    ]
    assert doc.raw.split("\n\n")[:3] == [
        "Harbour Voices - Episode 14: The Seed Keepers",
        "Air date 12 March 2024, Westmarch Community Television (WCTV).",
        "Ada Li, Founder, Ashcombe Seed Library",
    ]
    assert "EDITOR" not in doc.raw and "Dialogue" not in doc.raw
    # The comment before the first caption dates the broadcast and names the channel.
    assert {m.name: m.value for m in doc.meta if m.name in ("date", "broadcaster")} == {"date": "12 March 2024", "broadcaster": "Westmarch Community Television"}


def test_a_video_sites_transcript_panel_is_read_as_questions_and_answers():
    raw = (
        "Saving Seeds | Ilse Brennagh at the Garden Show\n"
        "Greenmargin Conversations\n"
        "1,204 views  3 months ago\n"
        "\n"
        "0:00\n[Music]\n"
        "0:05\nhi everyone and welcome back to greenmargin conversations\n"
        "0:09\ni'm tamsin orley and today I'm sitting in a very\n"
        "0:14\nnoisy tent with ilse brenna who runs the seed library\n"
        "0:20\nand where is the library actually based\n"
        "0:25\nwe're in the old bus depot on gallard street\n"
        "0:30\nthe buses moved out in 2014\n"
        "0:36\nand when did you open there\n"
        "0:40\nwe opened the doors in march 2016\n"
        "0:45\ndo you still run it yourself\n"
        "0:49\nmostly yes with a lot of help\n"
    )
    doc = parse_transcript(raw, "panel.txt")
    # Times and sound segments go; a segment cut after "a very" runs on; the host's opening introduces
    # both by names the lexicon does not know (written in capitals); a segment that asks ends in "?".
    assert (doc.interviewee, doc.interviewer) == ("Ilse Brenna", "Tamsin Orley")
    assert [(f.name, f.value) for f in doc.meta if f.name == "program"] == [("program", "Greenmargin Conversations")]
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "And where is the library actually based?"),
        ("answer", "We're in the old bus depot on Gallard street. The buses moved out in 2014."),
        ("question", "And when did you open there?"),
        ("answer", "We opened the doors in March 2016."),
        ("question", "Do you still run it yourself?"),
        ("answer", "Mostly yes with a lot of help."),
    ]


# A broadcaster's SAMI file: a head with a title, a note of the programme in a comment and a style block;
# cues per <SYNC>, ">>" as &gt;&gt;, names at their first appearance, lines broken mid-sentence, &nbsp; cues.
SAMI = (
    "<SAMI>\n<HEAD>\n<TITLE>THE WESTERLY HOUR #412 - PORT ARDWYN</TITLE>\n"
    "<!-- KBTV Kestrel Bay Television :: The Westerly Hour :: TX 15/06/2023 19:30 -->\n"
    "<SAMIParam>\n  Metrics {time:ms;}\n</SAMIParam>\n"
    "<STYLE TYPE=\"text/css\">\n<!--\nP { margin-left: 8pt; }\n.ENUSCC { Name: English Captions; lang: en-US; }\n-->\n</STYLE>\n</HEAD>\n<BODY>\n"
    "<SYNC Start=0><P Class=ENUSCC>&nbsp;\n"
    "<SYNC Start=1001><P Class=ENUSCC>[MUSIC]\n"
    "<SYNC Start=7487><P Class=ENUSCC>&gt;&gt; DELIA MARCHBANK: Good<br>evening. How long have you\n"
    "<SYNC Start=10739><P Class=ENUSCC>been harbourmaster here?\n"
    "<SYNC Start=12000><P Class=ENUSCC>&gt;&gt; HANNELORE QUIST: Since April<br>2014. Before that I was a pilot.\n"
    "<SYNC Start=15000><P Class=ENUSCC>&gt;&gt; Who built the new wall?\n"
    "<SYNC Start=17000><P Class=ENUSCC>&gt;&gt; Penhallow &amp; Dray Marine<br>Works, out of Caerwen.\n"
    "</BODY>\n</SAMI>\n"
)


def test_a_sami_file_is_read_as_the_turns_its_cues_make():
    assert is_sami(SAMI) and not is_captions("<html><body><p>Hello.</p></body></html>")
    assert sami_text(SAMI).split("\n\n") == [
        "THE WESTERLY HOUR #412 - PORT ARDWYN",
        "KBTV Kestrel Bay Television :: The Westerly Hour :: TX 15/06/2023 19:30",
        "[MUSIC]",
        "DELIA MARCHBANK: Good evening. How long have you been harbourmaster here?",
        "HANNELORE QUIST: Since April 2014. Before that I was a pilot.",
        "DELIA MARCHBANK: Who built the new wall?",
        "HANNELORE QUIST: Penhallow & Dray Marine Works, out of Caerwen.\n",
    ]
    doc = parse_transcript(SAMI, "westerly.smi")
    assert (doc.interviewee, doc.interviewer) == ("Hannelore Quist", "Delia Marchbank")
    assert [(t.role, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", "Good evening. How long have you been harbourmaster here?"),
        ("answer", "Since April 2014. Before that I was a pilot."),
        ("question", "Who built the new wall?"),
        ("answer", "Penhallow & Dray Marine Works, out of Caerwen."),
    ]
    # The head's note names the broadcaster and the programme; its style block is no one's words.
    assert {m.name: m.value for m in doc.meta}["broadcaster"] == "KBTV Kestrel Bay Television"
    assert "margin-left" not in doc.raw and "Metrics" not in doc.raw
