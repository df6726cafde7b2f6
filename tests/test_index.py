import dataclasses
import json

import numpy as np
import pytest

from rag import index as index_module
from rag.corpus import parse_transcript
from rag.index import CURRENT, StaleIndexError, build_index, ensure_index, load_index, open_index, save_index

TRANSCRIPT = """Host: What about trains?

Guest: Trains will run on time. We bought new engines.

Host: And ports?

Guest: Ports come next year.
"""


@pytest.fixture
def docs():
    return [parse_transcript(TRANSCRIPT, "tiny.txt")]


def test_save_then_load_round_trips(tmp_path, docs, fake_encoder):
    built = build_index(docs, fake_encoder)
    save_index(built, tmp_path)
    loaded = load_index(tmp_path, docs, fake_encoder.name, fake_encoder.dim)
    assert [c.id for c in loaded.chunks] == ["tiny.txt#t0", "tiny.txt#t1.1", "tiny.txt#t2", "tiny.txt#t3.1"]
    assert loaded.chunks == built.chunks
    # One row per passage plus one per sentence of a multi-sentence passage.
    assert loaded.owners.tolist() == [0, 1, 1, 1, 2, 3]
    assert loaded.sentence_of.tolist() == [-1, -1, 0, 1, -1, -1]
    manifest = json.loads((loaded.path / "manifest.json").read_text())
    assert manifest["model"] == "fake/bag-of-words" and manifest["dim"] == 64
    assert manifest["chunker_version"] == index_module.CHUNKER_VERSION
    assert set(manifest["checksums"]) == {"chunks.json", "vectors.faiss", "context.npy"}
    # Each answer sentence also read in context: after the sentence before it in its turn, and after the
    # interviewer's question; every other row keeps its own vector.
    assert index_module.context_texts(built.chunks, built.owners, built.sentence_of) == (
        [None, None, None, "Trains will run on time. We bought new engines.", None, None],
        [None, None, "What about trains? Trains will run on time.", "What about trains? We bought new engines.", None, "And ports? Ports come next year."],
    )
    assert loaded.context.shape == (2, 6, 64) and np.array_equal(loaded.context, built.context)
    assert np.array_equal(loaded.context[0, [0, 1, 2, 4, 5]], loaded.vectors[[0, 1, 2, 4, 5]])
    assert np.array_equal(loaded.context[0, 3], fake_encoder.encode(["Trains will run on time. We bought new engines."])[0])
    assert np.array_equal(loaded.context[1, 5], fake_encoder.encode(["And ports? Ports come next year."])[0])


def test_a_build_reports_its_share_done_for_both_encoders(docs, fake_encoder):
    from conftest import BagOfWordsPairEncoder

    shares = []
    build_index(docs, fake_encoder, second=BagOfWordsPairEncoder(), on_fraction=shares.append)
    # 6 rows, embedded once by each encoder, in one batch each
    assert shares == [0.5, 1.0]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("corpus", "corpus_hash"),
        ("model", "model"),
        ("chunker", "chunker_version"),
        ("parser", "corpus_hash"),
    ],
)
def test_stale_index_is_refused(tmp_path, docs, fake_encoder, monkeypatch, change, reason):
    save_index(build_index(docs, fake_encoder), tmp_path)
    model = fake_encoder.name
    if change == "corpus":
        docs = [parse_transcript(TRANSCRIPT.replace("next year", "in May"), "tiny.txt")]
    elif change == "parser":
        # The same bytes parsed differently: the stored passages would name the old speaker.
        docs = [dataclasses.replace(docs[0], turns=tuple(dataclasses.replace(t, speaker=t.speaker + " Jr") for t in docs[0].turns))]
    elif change == "model":
        model = "another/model"
    else:
        monkeypatch.setattr(index_module, "CHUNKER_VERSION", "999")
    with pytest.raises(StaleIndexError, match=reason):
        load_index(tmp_path, docs, model, fake_encoder.dim)


def test_corrupt_file_is_detected_and_rebuilt(tmp_path, docs, fake_encoder):
    generation = save_index(build_index(docs, fake_encoder), tmp_path)
    with open(generation / "vectors.faiss", "r+b") as f:
        f.seek(40)
        f.write(b"garbage")
    with pytest.raises(StaleIndexError, match="checksum"):
        load_index(tmp_path, docs, fake_encoder.name, fake_encoder.dim)
    messages = []
    rebuilt = ensure_index(tmp_path, docs, fake_encoder, log=messages.append, progress=False)
    assert messages[0].startswith("rebuilding the index:") and "checksum" in messages[0]
    assert rebuilt.path != generation and not generation.exists()


def test_a_file_removed_while_it_is_checked_means_stale_not_a_traceback(tmp_path, docs, fake_encoder, monkeypatch):
    """A newer build may remove this generation between reading CURRENT and checking a file's checksum:
    an asker got FileNotFoundError under `rag add` and a rebuild; now it waits for the lock and loads anew."""
    save_index(build_index(docs, fake_encoder), tmp_path)

    def removed(path):
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(index_module, "_sha256", removed)
    with pytest.raises(StaleIndexError, match="chunks.json is missing or corrupt"):
        load_index(tmp_path, docs, fake_encoder.name, fake_encoder.dim)


def test_current_index_is_loaded_without_rebuilding(tmp_path, docs, fake_encoder):
    first = ensure_index(tmp_path, docs, fake_encoder, log=lambda m: None, progress=False)
    messages = []
    again = ensure_index(tmp_path, docs, fake_encoder, log=messages.append, progress=False)
    assert messages == [] and again.path == first.path


def test_a_half_written_build_leaves_the_live_index_serving(tmp_path, docs, fake_encoder):
    live = save_index(build_index(docs, fake_encoder), tmp_path)
    # What a build killed before its final rename leaves behind:
    (tmp_path / ".building-dead").mkdir()
    (tmp_path / ".building-dead" / "chunks.json").write_text("{trunc")
    assert (tmp_path / CURRENT).read_text().strip() == live.name
    assert load_index(tmp_path, docs, fake_encoder.name, fake_encoder.dim).path == live
    # The next build cleans the debris up and switches over.
    newer = save_index(build_index(docs, fake_encoder), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([CURRENT, newer.name])


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: (d / CURRENT).write_bytes(b"\xff\xfe\xfa"), "is unreadable"),
        (lambda d: ((d / CURRENT).unlink(), (d / CURRENT).mkdir()), "is unreadable"),
        (lambda d: (d / CURRENT).write_text("g-gone\n"), "names g-gone, which does not exist"),
        (lambda d: (d / CURRENT).write_text("../elsewhere\n"), "does not name a generation folder"),
    ],
)
def test_a_damaged_current_means_rebuild_never_a_traceback(tmp_path, docs, fake_encoder, damage, reason):
    save_index(build_index(docs, fake_encoder), tmp_path)
    damage(tmp_path)
    messages = []
    rebuilt = ensure_index(tmp_path, docs, fake_encoder, log=messages.append, progress=False)
    assert reason in messages[0] and rebuilt.manifest.n_chunks == 4
    assert load_index(tmp_path, docs, fake_encoder.name, fake_encoder.dim).path == rebuilt.path


@pytest.mark.parametrize("field, value", [("checksums", "not a dict"), ("n_vectors", "9"), ("format", True), ("surprise", 1)])
def test_a_malformed_manifest_means_rebuild(tmp_path, docs, fake_encoder, field, value):
    generation = save_index(build_index(docs, fake_encoder), tmp_path)
    manifest = json.loads((generation / "manifest.json").read_text())
    manifest[field] = value
    (generation / "manifest.json").write_text(json.dumps(manifest))
    messages = []
    ensure_index(tmp_path, docs, fake_encoder, log=messages.append, progress=False)
    assert "malformed manifest" in messages[0]


def test_a_build_removes_every_leftover_of_dead_builds(tmp_path, docs, fake_encoder):
    (tmp_path / ".CURRENT.abc123").write_text("g-x\n")
    (tmp_path / ".building-dead").mkdir()
    (tmp_path / "g-orphan-1").mkdir()
    live = save_index(build_index(docs, fake_encoder), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([CURRENT, live.name])


def _reader(index_dir, conn):
    """Another process asking a question: finds no index, must wait for the build, never build itself."""
    from conftest import BagOfWordsEncoder

    messages = []

    def log(message: str) -> None:
        messages.append(message)
        conn.send(("log", message))  # tells the test the reader has reached the lock, however slow the machine

    index = ensure_index(index_dir, [parse_transcript(TRANSCRIPT, "tiny.txt")], BagOfWordsEncoder(), log=log, progress=False)
    conn.send(("done", messages, index.path.name))


def test_a_reader_waits_for_the_running_build_instead_of_building(tmp_path, docs, fake_encoder):
    from conftest import child_processes

    lock = index_module.writer_lock(tmp_path)
    lock.acquire()  # this process is "building"
    context = child_processes()
    mine, theirs = context.Pipe()
    reader = context.Process(target=_reader, args=(tmp_path, theirs))
    reader.start()
    try:
        assert mine.poll(60), "the reader never reached the lock"
        kind, first_message = mine.recv()
        assert kind == "log" and first_message.startswith("waiting for another process to finish building")
        assert not mine.poll(0.5)  # it waits for the lock rather than building an index of its own
        live = save_index(build_index(docs, fake_encoder), tmp_path)
    finally:
        lock.release()
    assert mine.poll(60), "the reader never answered"
    kind, messages, loaded = mine.recv()
    reader.join(10)
    assert kind == "done"
    assert loaded == live.name
    assert len(messages) == 1 and messages[0].startswith("waiting for another process to finish building")


def _rebuilder(index_dir, rounds, conn):
    from conftest import BagOfWordsEncoder

    docs = [parse_transcript(TRANSCRIPT, "tiny.txt")]
    try:
        for _ in range(rounds):
            ensure_index(index_dir, docs, BagOfWordsEncoder(), rebuild=True, log=lambda m: None, progress=False)
        conn.send("ok")
    except Exception as exc:  # reported, so the test shows what failed
        conn.send(repr(exc))


def test_concurrent_rebuilds_take_turns(tmp_path, docs, fake_encoder):
    from conftest import child_processes, replies_within

    context = child_processes()
    pipes = [context.Pipe() for _ in range(3)]
    workers = [context.Process(target=_rebuilder, args=(tmp_path, 10, theirs)) for _, theirs in pipes]
    for w in workers:
        w.start()
    results = replies_within(pipes, workers, 120, "no answer in 120 s")
    assert results == ["ok"] * 3
    live = load_index(tmp_path, docs, fake_encoder.name, fake_encoder.dim).path
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([CURRENT, index_module.LOCK_FILE, live.name])


def test_a_corpus_changed_since_it_was_read_is_read_again_under_the_lock(tmp_path, docs, fake_encoder):
    """A question read the corpus just before `rag add` copied a file and rebuilt: the index now looks
    stale to it, but building from its older reading would undo the add. It reads the corpus again."""
    added = [*docs, parse_transcript("Host: Why?\n\nAda Li: Because the tide turned.\n", "added.txt")]
    ensure_index(tmp_path, added, fake_encoder, log=lambda m: None, progress=False)  # the add's build
    readings = iter([docs, added])
    messages = []
    read, index = open_index(tmp_path, lambda: next(readings), fake_encoder, log=messages.append, progress=False)
    assert [d.source for d in read] == ["tiny.txt", "added.txt"]
    assert index.manifest.sources == ("added.txt", "tiny.txt")
    assert messages == []  # loaded, not rebuilt
