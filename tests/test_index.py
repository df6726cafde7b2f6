import json

import pytest

from rag import index as index_module
from rag.corpus import parse_transcript
from rag.index import CURRENT, StaleIndexError, build_index, ensure_index, load_index, save_index

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
    assert set(manifest["checksums"]) == {"chunks.json", "vectors.faiss"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("corpus", "corpus_hash"),
        ("model", "model"),
        ("chunker", "chunker_version"),
    ],
)
def test_stale_index_is_refused(tmp_path, docs, fake_encoder, monkeypatch, change, reason):
    save_index(build_index(docs, fake_encoder), tmp_path)
    model = fake_encoder.name
    if change == "corpus":
        docs = [parse_transcript(TRANSCRIPT.replace("next year", "in May"), "tiny.txt")]
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
