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
    assert caption_text(vtt) == "Ada Li: How big is it?\n\nBo Ek: Huge, about 42 turbines.\n\nAda Li: Thanks.\n"


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
