"""eval/questions.jsonl: valid, honest (every evidence string is in the transcript) and covering."""

from collections import Counter
from pathlib import Path

import pytest

from rag.evaluate import load_questions

QUESTIONS = Path(__file__).resolve().parent.parent / "eval" / "questions.jsonl"


@pytest.fixture(scope="module")
def questions():
    questions, problems = load_questions(QUESTIONS)
    assert problems == []
    return questions


def test_ids_are_unique_and_there_are_enough(questions):
    assert len(questions) >= 80
    assert len({q.id for q in questions}) == len(questions)


def test_every_kind_has_its_minimum(questions):
    kinds = Counter(q.kind for q in questions)
    assert kinds["followup"] >= 10 and kinds["out_of_scope"] >= 10
    assert kinds["attribution"] >= 5 and kinds["injection"] >= 5 and kinds["meta"] >= 3
    assert kinds["multilingual"] >= 3


def test_evidence_is_verbatim_and_within_one_paragraph(questions, seed):
    for q in questions:
        for e in q.evidence:
            assert e in seed.raw, (q.id, e)
            assert "\n" not in e, (q.id, e)


def test_fields_fit_their_kind(questions):
    for q in questions:
        assert q.abstain == (q.kind == "out_of_scope" or (q.kind == "injection" and not q.evidence)), q.id
        assert bool(q.evidence) != q.abstain, q.id
        assert (q.kind == "followup") == bool(q.history), q.id
        if q.kind == "injection":
            assert q.must_not, q.id
        if not q.abstain:
            assert q.must, q.id


def test_every_answer_is_asked_about_several_times(questions, seed):
    answers = [t for t in seed.turns if t.role == "answer"]
    for turn in answers:
        asked = [q.id for q in questions if any(e in turn.text for e in q.evidence)]
        assert len(asked) >= 5, (turn.exchange, asked)


TRANSCRIPTS = Path(__file__).resolve().parent.parent / "eval" / "transcripts"
DEV = Path(__file__).resolve().parent.parent / "eval" / "dev_questions.jsonl"


DEV_TRANSCRIPTS = TRANSCRIPTS.parent / "dev_transcripts"


@pytest.mark.parametrize(
    ("folder", "name"),
    [(TRANSCRIPTS, "harbour_minister"), (TRANSCRIPTS, "festival_director"), (DEV_TRANSCRIPTS, "agriculture_minister"), (DEV_TRANSCRIPTS, "observatory_director"),
     (DEV_TRANSCRIPTS, "water_minister"), (DEV_TRANSCRIPTS, "park_director"), (DEV_TRANSCRIPTS, "railway_trust"),
     (DEV_TRANSCRIPTS, "barrier_trust"), (DEV_TRANSCRIPTS, "fishing_coop"), (DEV_TRANSCRIPTS, "airport_panel"),
     (DEV_TRANSCRIPTS, "winery"), (DEV_TRANSCRIPTS, "ebike_blog"), (DEV_TRANSCRIPTS, "tidal_podcast"), (DEV_TRANSCRIPTS, "water_briefing"),
     (DEV_TRANSCRIPTS, "seed_library"), (DEV_TRANSCRIPTS, "signalling_hearing"), (DEV_TRANSCRIPTS, "tv_harbour"), (DEV_TRANSCRIPTS, "joint_freight"),
     (DEV_TRANSCRIPTS, "phone_in"), (DEV_TRANSCRIPTS, "ama_thread"), (DEV_TRANSCRIPTS, "otter_export"), (DEV_TRANSCRIPTS, "press_conference"),
     (DEV_TRANSCRIPTS, "srt_captions"), (DEV_TRANSCRIPTS, "interpreter_interview"), (DEV_TRANSCRIPTS, "email_thread"), (DEV_TRANSCRIPTS, "chat_export"),
     (DEV_TRANSCRIPTS, "earnings_call"), (DEV_TRANSCRIPTS, "news_page"), (DEV_TRANSCRIPTS, "pdf_export"), (DEV_TRANSCRIPTS, "magazine_inline"),
     (DEV_TRANSCRIPTS, "hansard_record"), (DEV_TRANSCRIPTS, "tab_labels"), (DEV_TRANSCRIPTS, "html_source"), (DEV_TRANSCRIPTS, "webvtt_call"),
     (DEV_TRANSCRIPTS, "markdown_table"), (DEV_TRANSCRIPTS, "zoom_vtt"), (DEV_TRANSCRIPTS, "json_export"), (DEV_TRANSCRIPTS, "bracket_labels"),
     (DEV_TRANSCRIPTS, "oral_history"), (DEV_TRANSCRIPTS, "csv_export"), (DEV_TRANSCRIPTS, "steno_transcript"), (DEV_TRANSCRIPTS, "sbv_captions"),
     (DEV_TRANSCRIPTS, "ttml_captions"), (DEV_TRANSCRIPTS, "asr_segments"), (DEV_TRANSCRIPTS, "ass_subtitles"), (DEV_TRANSCRIPTS, "teams_export"),
     (DEV_TRANSCRIPTS, "google_meet"), (DEV_TRANSCRIPTS, "podcast_app"), (DEV_TRANSCRIPTS, "rev_export"), (DEV_TRANSCRIPTS, "tv_script"),
     (DEV_TRANSCRIPTS, "blog_comments"), (DEV_TRANSCRIPTS, "youtube_panel"), (DEV_TRANSCRIPTS, "research_interview"),
     (DEV_TRANSCRIPTS, "discord_ama"), (DEV_TRANSCRIPTS, "public_radio"), (DEV_TRANSCRIPTS, "social_post"),
     (DEV_TRANSCRIPTS, "journal_qa"), (DEV_TRANSCRIPTS, "podcast_chapters"), (DEV_TRANSCRIPTS, "cohost_podcast"),
     (DEV_TRANSCRIPTS, "print_capitals"), (DEV_TRANSCRIPTS, "live_blog"), (DEV_TRANSCRIPTS, "rtf_file"),
     (DEV_TRANSCRIPTS, "slack_export"), (DEV_TRANSCRIPTS, "bilingual_page"), (DEV_TRANSCRIPTS, "sami_captions"),
     (DEV_TRANSCRIPTS, "town_hall")],
)
def test_the_generality_transcripts_have_their_questions(folder, name):
    from rag.corpus import load_document

    doc = load_document(folder / f"{name}_interview.txt")
    questions, problems = load_questions(folder / f"{name}_questions.jsonl")
    assert problems == [] and len(questions) >= 20
    kinds = Counter(q.kind for q in questions)
    assert kinds["followup"] >= 2 and kinds["out_of_scope"] >= 2 and kinds["attribution"] >= 2 and kinds["paraphrase"] >= 2
    for q in questions:
        assert all(e in doc.raw for e in q.evidence), q.id


def test_the_dev_transcripts_are_other_interviews_than_the_held_out_ones():
    from rag.calibrate import dev_transcripts

    pairs = dev_transcripts(DEV_TRANSCRIPTS)
    assert [(t.name, q.name) for t, q in pairs] == [
        ("agriculture_minister_interview.txt", "agriculture_minister_questions.jsonl"),
        ("airport_panel_interview.txt", "airport_panel_questions.jsonl"),
        ("ama_thread_interview.txt", "ama_thread_questions.jsonl"),
        ("asr_segments_interview.txt", "asr_segments_questions.jsonl"),
        ("ass_subtitles_interview.txt", "ass_subtitles_questions.jsonl"),
        ("barrier_trust_interview.txt", "barrier_trust_questions.jsonl"),
        ("bilingual_page_interview.txt", "bilingual_page_questions.jsonl"),
        ("blog_comments_interview.txt", "blog_comments_questions.jsonl"),
        ("bracket_labels_interview.txt", "bracket_labels_questions.jsonl"),
        ("chat_export_interview.txt", "chat_export_questions.jsonl"),
        ("cohost_podcast_interview.txt", "cohost_podcast_questions.jsonl"),
        ("csv_export_interview.txt", "csv_export_questions.jsonl"),
        ("discord_ama_interview.txt", "discord_ama_questions.jsonl"),
        ("earnings_call_interview.txt", "earnings_call_questions.jsonl"),
        ("ebike_blog_interview.txt", "ebike_blog_questions.jsonl"),
        ("email_thread_interview.txt", "email_thread_questions.jsonl"),
        ("fishing_coop_interview.txt", "fishing_coop_questions.jsonl"),
        ("google_meet_interview.txt", "google_meet_questions.jsonl"),
        ("hansard_record_interview.txt", "hansard_record_questions.jsonl"),
        ("html_source_interview.txt", "html_source_questions.jsonl"),
        ("interpreter_interview_interview.txt", "interpreter_interview_questions.jsonl"),
        ("joint_freight_interview.txt", "joint_freight_questions.jsonl"),
        ("journal_qa_interview.txt", "journal_qa_questions.jsonl"),
        ("json_export_interview.txt", "json_export_questions.jsonl"),
        ("live_blog_interview.txt", "live_blog_questions.jsonl"),
        ("magazine_inline_interview.txt", "magazine_inline_questions.jsonl"),
        ("markdown_table_interview.txt", "markdown_table_questions.jsonl"),
        ("news_page_interview.txt", "news_page_questions.jsonl"),
        ("observatory_director_interview.txt", "observatory_director_questions.jsonl"),
        ("oral_history_interview.txt", "oral_history_questions.jsonl"),
        ("otter_export_interview.txt", "otter_export_questions.jsonl"),
        ("park_director_interview.txt", "park_director_questions.jsonl"),
        ("pdf_export_interview.txt", "pdf_export_questions.jsonl"),
        ("phone_in_interview.txt", "phone_in_questions.jsonl"),
        ("podcast_app_interview.txt", "podcast_app_questions.jsonl"),
        ("podcast_chapters_interview.txt", "podcast_chapters_questions.jsonl"),
        ("press_conference_interview.txt", "press_conference_questions.jsonl"),
        ("print_capitals_interview.txt", "print_capitals_questions.jsonl"),
        ("public_radio_interview.txt", "public_radio_questions.jsonl"),
        ("railway_trust_interview.txt", "railway_trust_questions.jsonl"),
        ("research_interview_interview.txt", "research_interview_questions.jsonl"),
        ("rev_export_interview.txt", "rev_export_questions.jsonl"),
        ("rtf_file_interview.txt", "rtf_file_questions.jsonl"),
        ("sami_captions_interview.txt", "sami_captions_questions.jsonl"),
        ("sbv_captions_interview.txt", "sbv_captions_questions.jsonl"),
        ("seed_library_interview.txt", "seed_library_questions.jsonl"),
        ("signalling_hearing_interview.txt", "signalling_hearing_questions.jsonl"),
        ("slack_export_interview.txt", "slack_export_questions.jsonl"),
        ("social_post_interview.txt", "social_post_questions.jsonl"),
        ("srt_captions_interview.txt", "srt_captions_questions.jsonl"),
        ("steno_transcript_interview.txt", "steno_transcript_questions.jsonl"),
        ("tab_labels_interview.txt", "tab_labels_questions.jsonl"),
        ("teams_export_interview.txt", "teams_export_questions.jsonl"),
        ("tidal_podcast_interview.txt", "tidal_podcast_questions.jsonl"),
        ("town_hall_interview.txt", "town_hall_questions.jsonl"),
        ("ttml_captions_interview.txt", "ttml_captions_questions.jsonl"),
        ("tv_harbour_interview.txt", "tv_harbour_questions.jsonl"),
        ("tv_script_interview.txt", "tv_script_questions.jsonl"),
        ("water_briefing_interview.txt", "water_briefing_questions.jsonl"),
        ("water_minister_interview.txt", "water_minister_questions.jsonl"),
        ("webvtt_call_interview.txt", "webvtt_call_questions.jsonl"),
        ("winery_interview.txt", "winery_questions.jsonl"),
        ("youtube_panel_interview.txt", "youtube_panel_questions.jsonl"),
        ("zoom_vtt_interview.txt", "zoom_vtt_questions.jsonl"),
    ]
    held_out = {p.read_text(encoding="utf-8") for p in TRANSCRIPTS.glob("*_interview.txt")}
    assert not {t.read_text(encoding="utf-8") for t, _ in pairs} & held_out


def test_the_dev_questions_are_apart_from_the_held_out_ones(questions):
    dev, problems = load_questions(DEV)
    assert problems == [] and len(dev) >= 100
    assert not {q.question.lower() for q in dev} & {q.question.lower() for q in questions}


MULTILINGUAL = Path(__file__).resolve().parent.parent / "eval" / "multilingual_questions.jsonl"
DEV_MULTILINGUAL = Path(__file__).resolve().parent.parent / "eval" / "dev_multilingual_questions.jsonl"


FRESH = Path(__file__).resolve().parent.parent / "eval" / "fresh_questions.jsonl"
FRESH_MULTILINGUAL = Path(__file__).resolve().parent.parent / "eval" / "fresh_multilingual_questions.jsonl"


# Questions a language, and (not covered, follow-ups) of each file
@pytest.mark.parametrize(
    ("path", "per_language", "counts"), [(MULTILINGUAL, 10, (6, 6)), (DEV_MULTILINGUAL, 20, (12, 12)), (FRESH_MULTILINGUAL, 10, (12, 3))]
)
def test_the_multilingual_files_hold_as_many_questions_in_each_language(path, per_language, counts, seed):
    import json

    from rag.language import detect_language

    questions, problems = load_questions(path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert problems == [] and len(questions) == 3 * per_language
    assert Counter(detect_language(q.question) for q in questions) == dict.fromkeys(("ru", "kk", "zh"), per_language)
    assert Counter(r["lang"] for r in records) == dict.fromkeys(("ru", "kk", "zh"), per_language)
    assert (sum(q.abstain for q in questions), sum(bool(q.history) for q in questions)) == counts
    for q in questions:
        assert all(e in seed.raw for e in q.evidence), q.id


def test_the_multilingual_dev_questions_are_apart_from_the_held_out_ones():
    held_out, _ = load_questions(MULTILINGUAL)
    dev, _ = load_questions(DEV_MULTILINGUAL)
    assert not {q.question.lower() for q in dev} & {q.question.lower() for q in held_out}


def test_the_fresh_files_are_apart_from_every_other_and_quote_the_transcript(seed):
    files = {p: load_questions(p) for p in (QUESTIONS, DEV, FRESH, MULTILINGUAL, DEV_MULTILINGUAL, FRESH_MULTILINGUAL)}
    assert all(problems == [] for _, problems in files.values())
    fresh = files[FRESH][0]
    assert len(fresh) == 40 and len({q.id for q in fresh}) == 40
    assert Counter(q.kind for q in fresh) == {"paraphrase": 14, "out_of_scope": 12, "followup": 6, "fact": 5, "attribution": 3}
    for new in (FRESH, FRESH_MULTILINGUAL):
        for q in files[new][0]:
            assert all(e in seed.raw for e in q.evidence), q.id
        others = {q.question.lower() for p, (qs, _) in files.items() if p != new for q in qs}
        assert not {q.question.lower() for q in files[new][0]} & others
