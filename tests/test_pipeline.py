"""`rag add`'s checks (rag/pipeline.py add_transcript): what a transcript must be before it joins the corpus."""

import os

import pytest

from rag.corpus import MAX_FILE_BYTES, CorpusError
from rag.pipeline import add_transcript

GOOD = "Interviewer: What about trade?\n\nAda Li: Trade grew by a third.\n"


def test_a_good_transcript_is_added(tmp_path):
    source = tmp_path / "good.txt"
    source.write_text(GOOD, encoding="utf-8")
    target = add_transcript(source, corpus_dir=tmp_path / "corpus")
    assert target.read_text(encoding="utf-8") == GOOD


@pytest.mark.parametrize("label", ["Interviewer", "Q", "Host"])
def test_questions_without_answers_are_refused(tmp_path, label):
    source = tmp_path / "questions.txt"
    source.write_text(f"{label}: What about trade?\n\n{label}: And ports?\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="found no answers"):
        add_transcript(source, corpus_dir=tmp_path / "corpus")
    assert not (tmp_path / "corpus").exists()


def test_utf16_is_named(tmp_path):
    source = tmp_path / "wide.txt"
    source.write_text(GOOD, encoding="utf-16")
    with pytest.raises(CorpusError, match=r"wide.txt: is UTF-16; save it as UTF-8"):
        add_transcript(source, corpus_dir=tmp_path / "corpus")


def test_a_symlink_is_refused_naming_its_target(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(GOOD, encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(CorpusError, match=r"link.txt: is a symbolic link \(to .*real.txt\); add the file itself"):
        add_transcript(link, corpus_dir=tmp_path / "corpus")


def test_a_huge_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(3 * 1024**3)  # 3 GB, sparse: reading it whole would take seconds and gigabytes
    with pytest.raises(CorpusError, match=f"larger than the {MAX_FILE_BYTES:,}-byte limit"):
        add_transcript(huge, corpus_dir=tmp_path / "corpus")
    os.unlink(huge)
