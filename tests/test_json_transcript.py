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
