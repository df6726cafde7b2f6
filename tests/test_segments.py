from rag.corpus import parse_transcript
from rag.segments import is_segment_dump, segment_text

DUMP = (
    "spk_0 [0.08-7.29]: hello and welcome to harbour voices um i'm mara lindqvist\n"
    "spk_0 [7.46-12.10]: and my guest today is edda halvorsen welcome edda\n"
    "spk_1 [12.45-14.80]: thank you mara\n"
    "spk_0 [15.13-20.51]: so when did a ferry first run between port caddow and skellmoor\n"
    "spk_1 [20.87-31.12]: well the first crossing anybody wrote down was in 1911\n"
    "spk_1 [31.23-38.15]: my great grandfather rowed people across in a boat called the gannet\n"
    "spk_0 [38.82-40.18]: is the gannet still around\n"
    "spk_1 [41.26-47.03]: she is she's in the maritime museum in port caddow on the first floor my daughter goes to see her\n"
)


def test_a_recognizers_segment_dump_is_told_by_its_lines():
    assert is_segment_dump(DUMP)
    assert is_segment_dump(DUMP.replace("spk_", "SPEAKER_0"))
    # A transcript whose labels carry one time, not a segment's two, is another layout.
    assert not is_segment_dump("Ada Li [00:02:35]: Hello.\nBo Chan [00:02:40]: Hi.\n" * 3)


def test_segments_become_paragraphs_of_numbered_speakers_in_the_order_heard():
    assert segment_text(DUMP.replace("spk_0", "spk_7")).split("\n\n")[:3] == [
        "Speaker 1: hello and welcome to harbour voices um i'm mara lindqvist",
        "Speaker 1: and my guest today is edda halvorsen welcome edda",
        "Speaker 2: thank you mara",
    ]


def test_an_unpunctuated_dump_parses_by_who_speaks_most():
    doc = parse_transcript(DUMP, "harbour.txt")
    assert doc.raw == segment_text(DUMP)
    # No question mark anywhere: the one who speaks most answers, the other asks.
    assert doc.interviewee == "Speaker 2"
    assert [t.role for t in doc.turns] == ["question", "question", "answer", "question", "answer", "answer", "question", "answer"]
