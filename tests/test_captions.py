from rag.captions import caption_text, is_captions
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
