"""`rag add`'s checks (rag/pipeline.py add_transcript): what a transcript must be before it joins the corpus."""

import os
from pathlib import Path

import pytest

from rag.corpus import MAX_FILE_BYTES, CorpusError
from rag.pipeline import add_transcript

GOOD = "Interviewer: What about trade?\n\nAda Li: Trade grew by a third.\n"


def test_a_good_transcript_is_added(tmp_path):
    source = tmp_path / "good.txt"
    source.write_text(GOOD, encoding="utf-8")
    target = add_transcript(source, corpus_dir=tmp_path / "corpus")
    assert target.read_text(encoding="utf-8") == GOOD


def test_a_transcripts_card_comes_with_it_and_a_bad_one_is_refused(tmp_path):
    import json

    from rag.corpus import load_document

    source = tmp_path / "good.txt"
    source.write_text(GOOD, encoding="utf-8")
    card = tmp_path / "good.txt.card.json"
    card.write_text(json.dumps({"other_language_names": {"Ada Li": ["Ада Ли"]}}), encoding="utf-8")
    corpus = tmp_path / "corpus"
    target = add_transcript(source, corpus_dir=corpus)
    assert load_document(target).other_language_names == (("Ada Li", ("Ада Ли",)),)
    # Replaced by a file without a card: the old card goes with the old file.
    card.unlink()
    add_transcript(source, corpus_dir=corpus, replace=True)
    assert sorted(p.name for p in corpus.iterdir()) == ["good.txt"]
    card.write_text(json.dumps({"other_language_names": {"Bo Wen": ["Бо Вэнь"]}}), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"never uses: \['Bo Wen'\]"):
        add_transcript(source, corpus_dir=corpus, replace=True)


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


# --- `rag add`, questions and rebuilds at once ------------------------------------------------------------

ROUNDS = 20
ASKERS = 8
ROUND_SECONDS = 120  # a round takes about a second; this only bounds a hang


def _child(job, index_dir, corpus_dir, conn):
    """One process of a round: `add` FILE, `ask`, or `rebuild`. Reports ("ok", built?) or the error. The
    fake encoders keep a build at ~0.1 s, so a round of 10 processes takes about two seconds."""
    from conftest import BagOfWordsEncoder, BagOfWordsPairEncoder

    import rag.index as index_module
    from rag.pipeline import add_and_index, open_bot

    os.environ["RAG_CORPUS_DIR"] = str(corpus_dir)  # the fork server's environment is not this test's
    builds = []
    real_build = index_module.build_index
    index_module.build_index = lambda *a, **kw: builds.append(1) or real_build(*a, **kw)
    models = {"encoder": BagOfWordsEncoder(), "second": BagOfWordsPairEncoder()}
    try:
        kind, _, arg = job.partition(" ")
        if kind == "add":
            add_and_index(Path(arg), index_dir, **models)
        elif kind == "ask":
            bot = open_bot(index_dir, progress=False, **models)
            # the corpus read and the index loaded are the same generation's, and a question is answered
            assert tuple(sorted(d.source for d in bot.docs)) == bot.retriever.index.manifest.sources
            assert bot.ask("What did he say about the harbour?").question
        else:
            open_bot(index_dir, rebuild=True, progress=False, **models)
        conn.send(("ok", bool(builds)))
    except BaseException as exc:  # reported, so the test shows what failed
        conn.send((repr(exc), bool(builds)))


def test_add_while_questions_and_a_rebuild_run_20_rounds(tmp_path, monkeypatch):
    """Issue 12, item 1-2: every round adds a transcript while 8 questions and a second rebuild start
    together. No process fails, no question builds the index itself, and no leftover stays."""
    import rag.index as index_module

    index_dir, corpus_dir = tmp_path / "index", tmp_path / "corpus"
    monkeypatch.setenv("RAG_CORPUS_DIR", str(corpus_dir))
    from conftest import BagOfWordsEncoder, BagOfWordsPairEncoder, child_processes, replies_within

    open_bot_models = {"encoder": BagOfWordsEncoder(), "second": BagOfWordsPairEncoder()}
    from rag.pipeline import open_bot

    open_bot(index_dir, progress=False, **open_bot_models)  # the seed's index, as after `make index`
    context = child_processes()
    failures, asks_that_built, adds_that_built = [], 0, 0
    for round_ in range(ROUNDS):
        source = tmp_path / f"harbour_{round_}.txt"
        source.write_text(f"Interviewer: What about the harbour?\n\nAda Li: Harbour {round_} grew by a third.\n", encoding="utf-8")
        jobs = [f"add {source}", *["ask"] * ASKERS, "rebuild"]
        pipes = [context.Pipe() for _ in jobs]
        workers = [context.Process(target=_child, args=(job, index_dir, corpus_dir, theirs)) for job, (_, theirs) in zip(jobs, pipes)]
        for w in workers:
            w.start()
        results = replies_within(pipes, workers, ROUND_SECONDS, (f"no answer in {ROUND_SECONDS} s", False))
        failures += [f"round {round_} {job}: {status}" for job, (status, _) in zip(jobs, results) if status != "ok"]
        if failures:
            break  # one failed round says what is wrong; more would only add minutes
        asks_that_built += sum(built for job, (_, built) in zip(jobs, results) if job == "ask")
        adds_that_built += results[0][1]
    assert failures == []
    assert asks_that_built == 0
    assert adds_that_built == ROUNDS
    assert sorted(p.name for p in corpus_dir.iterdir()) == sorted(f"harbour_{r}.txt" for r in range(ROUNDS))
    live = index_module.live_generation(index_dir)
    assert sorted(p.name for p in index_dir.iterdir()) == sorted([index_module.CURRENT, index_module.LOCK_FILE, live.name])
    assert len(index_module.read_manifest(live).sources) == 1 + ROUNDS
