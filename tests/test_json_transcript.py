import json

from rag.corpus import parse_transcript
from rag.json_transcript import is_json_transcript, json_transcript_text

EXPORT = json.dumps(
    {
        "metadata": {"file_name": "furrow_ep47.wav", "language": "en", "created_at": "2024-10-09T15:48:22Z"},
        "utterances": [
            {"speaker": "SPEAKER_00", "start": 0.42, "end": 19.86, "confidence": 0.91,
             "text": "Hello and welcome to The Long Furrow. I'm Dana Pruett. Today is the ninth of October, and I'm with Ilse Varnhagen, who founded the Brackwater Seed Library. Ilse, thanks for having me."},
            {"speaker": "SPEAKER_01", "start": 20.3, "end": 29.4, "confidence": 0.88, "text": "Thank you for coming, Dana."},
            {"speaker": "SPEAKER_00", "start": 30.3, "end": 35.6, "confidence": 0.9, "text": "How did the seed library come about?"},
            {"speaker": "SPEAKER_01", "start": 36.9, "end": 64.0, "confidence": 0.92, "text": "It started in the spring of 2013, really by accident."},
            {"speaker": "SPEAKER_01", "start": 65.0, "end": 80.1, "confidence": 0.9, "text": "My neighbour gave me a tin of bean seeds."},
            {"speaker": "SPEAKER_00", "start": 81.0, "end": 84.0, "confidence": 0.9, "text": "How big is it now?"},
            {"speaker": "SPEAKER_01", "start": 85.0, "end": 90.0, "confidence": 0.9, "text": "We keep 212 varieties."},
        ],
    },
    indent=2,
)


def test_a_json_export_is_told_by_its_utterances():
    assert is_json_transcript(EXPORT)
    # JSON that holds no utterances with speakers, or text that only looks like JSON, is not one.
    assert not is_json_transcript(json.dumps({"utterances": [{"text": "Hi."}] * 5}))
    assert not is_json_transcript("{Q: Why?}\nA: Because.\n")


def test_a_json_exports_utterances_become_labelled_paragraphs():
    assert json_transcript_text(EXPORT).splitlines()[2:] == [
        "SPEAKER_01: Thank you for coming, Dana.", "",
        "SPEAKER_00: How did the seed library come about?", "",
        "SPEAKER_01: It started in the spring of 2013, really by accident.", "",
        "SPEAKER_01: My neighbour gave me a tin of bean seeds.", "",
        "SPEAKER_00: How big is it now?", "",
        "SPEAKER_01: We keep 212 varieties.",
    ]
    # A speaker known only by a number or a letter is labelled as a speaker, not read as Q/A's "A:".
    assert json_transcript_text(json.dumps([{"speaker": s, "text": "Yes."} for s in ("A", "B", "A", "B")])).startswith("Speaker A: Yes.")


def test_generic_speakers_are_named_by_what_they_say():
    doc = parse_transcript(EXPORT, "furrow.json")
    assert doc.raw == json_transcript_text(EXPORT)
    # The host names herself; the guest is the one she calls "Ilse", whom she names in full.
    assert (doc.interviewee, doc.interviewer) == ("Ilse Varnhagen", "Dana Pruett")
    assert [m.value for m in doc.meta if m.name == "date"] == ["ninth of October"]


def _message(ts: float, user: str, text: str, thread: float | None = None, **extra) -> dict:
    names = {"U1": "Priya Vanterpool", "U2": "Noor Abernathy-Sato", "U3": "Dario Castellane"}
    message = {"type": "message", "ts": f"{ts:.6f}", "user": user, "user_profile": {"real_name": names[user]}, "text": text}
    if thread is not None:
        message["thread_ts"] = f"{thread:.6f}"
    return message | extra


# A chat channel's day file as Slack exports it: replies in threads, listed by time between later questions.
SLACK = json.dumps(
    [
        {"type": "message", "subtype": "channel_join", "ts": "1699983660.123106", "user": "U2", "text": "<@U2> has joined the channel"},
        _message(1699984860.0, "U1", "Welcome to AMA #14! Our guest is <@U2>, who founded the Tidewell Repair Caf\u00e9 network. :wave:"),
        _message(1699984980.0, "U1", "*Q1:* How did the first caf\u00e9 come about?", 1699984980.0),
        _message(1699985100.0, "U3", "How do you fund all this? I heard the council cut your funding in half.", 1699985100.0),
        _message(1699985160.0, "U2", "It started with a kettle in January 2016.", 1699984980.0),
        _message(1699985340.0, "U2", "Our running costs are about \u00a3112,000 a year.", 1699985100.0),
        _message(1699985400.0, "U1", "*Q2:* How big is the network today?", 1699985400.0),
        _message(1699985460.0, "U2", "We're at 23 caf\u00e9s now &amp; growing.", 1699985400.0),
        {"type": "message", "subtype": "bot_message", "ts": "1699988420.678497", "username": "AMA Helper", "bot_id": "B1",
         "text": ":memo: This AMA has been archived at <https://estuarymakers.org/ama/14|estuarymakers.org/ama/14>"},
    ]
)


def test_a_chat_channels_export_is_read_thread_by_thread_under_the_names_its_profiles_give():
    assert is_json_transcript(SLACK)
    doc = parse_transcript(SLACK, "ama.json")
    assert doc.interviewee == "Noor Abernathy-Sato"
    # Each reply under the question that opened its thread, escapes and markup read as the words they are.
    assert [(t.role, t.exchange, t.text) for t in doc.turns if t.role != "narration"] == [
        ("question", 1, "Welcome to AMA #14! Our guest is Noor Abernathy-Sato, who founded the Tidewell Repair Café network."),
        ("question", 1, "Q1: How did the first café come about?"),
        ("answer", 1, "It started with a kettle in January 2016."),
        ("question", 2, "How do you fund all this? I heard the council cut your funding in half."),
        ("answer", 2, "Our running costs are about £112,000 a year."),
        ("question", 3, "Q2: How big is the network today?"),
        ("answer", 3, "We're at 23 cafés now & growing."),
    ]
    # The day of its messages is the day it was held; the join and the bot's closing notice are the app's.
    assert [(m.name, m.value) for m in doc.meta if m.name == "date"] == [("date", "14 November 2023")]
    assert "joined the channel" not in doc.raw and "archived" not in doc.raw
    # Every sender is a voice of their own, the one who asked once too.
    assert [t.speaker for t in doc.turns if t.role == "question"] == ["Interviewer (Priya Vanterpool)", "Interviewer (Priya Vanterpool)", "Interviewer (Dario Castellane)", "Interviewer (Priya Vanterpool)"]
