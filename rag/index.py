"""The on-disk index: FAISS vectors, the passages and a manifest that says how they were made.

Layout of an index folder:

    index/
      CURRENT               name of the live generation (replaced atomically)
      g-<hash>-<time>/      one complete build: manifest.json, chunks.json, vectors.faiss

A build writes a new generation folder and only then points CURRENT at it, so a build that dies
part-way leaves the previous index serving. Loading checks the manifest against the corpus, the model
and the chunker, and every file against its checksum; any mismatch raises `StaleIndexError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from rag.chunking import CHUNKER_VERSION, chunk_document
from rag.models import Encoder, QueryPassageEncoder
from rag.types import Chunk, Document, Span

INDEX_FORMAT = 4  # 4: the sentences read in context (`context.npy`, `second_context.npy`)
CURRENT = "CURRENT"
CONTEXT_FILE = "context.npy"
FILES = ("chunks.json", "vectors.faiss", CONTEXT_FILE)
SECOND_FILE = "second.npy"
SECOND_CONTEXT_FILE = "second_context.npy"
# The readings of a sentence in its context, in the order of the first axis of `SearchIndex.context`.
CONTEXTS = ("after_previous", "after_question")


class StaleIndexError(RuntimeError):
    """The index on disk does not match what would be built now; the message says why."""


@dataclass(frozen=True)
class Manifest:
    format: int
    model: str
    dim: int
    chunker_version: str
    corpus_hash: str
    sources: tuple[str, ...]
    n_chunks: int
    n_vectors: int
    checksums: dict[str, str]
    built_at: str
    second_model: str = ""  # the query-passage encoder of `second.npy` ("" when the index has none)


@dataclass(frozen=True)
class SearchIndex:
    """Passages and their vectors. Row i of `vectors` belongs to passage `owners[i]`: one row for the
    passage as a whole, plus one per sentence, so a single sentence can match a question."""

    chunks: tuple[Chunk, ...]
    vectors: np.ndarray  # (n_vectors, dim) float32, L2-normalized
    owners: np.ndarray  # (n_vectors,) int: passage index
    sentence_of: np.ndarray  # (n_vectors,) int: sentence index within the passage, -1 for the whole passage
    faiss_index: object
    manifest: Manifest
    # (len(CONTEXTS), n_vectors, dim): each answer sentence's row read in its context (`context_texts`);
    # any other row, and a sentence with no such context, as it is.
    context: np.ndarray
    path: Path | None = None
    second: np.ndarray | None = None  # (n_vectors, dim2): the same rows by the second encoder (passage side)
    second_context: np.ndarray | None = None  # `context` by the second encoder; present whenever `second` is


def corpus_hash(docs: Sequence[Document]) -> str:
    """The transcripts' bytes and how they were parsed: the passages store their turns' speakers, so a
    parser that now names a speaker differently ("Interviewee" -> "Anselm Drevik") makes the index stale
    as surely as an edited file does."""
    h = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.source):
        turns = "\n".join(f"{t.role}\t{t.speaker}\t{t.start}\t{t.end}" for t in doc.turns)
        h.update(doc.source.encode() + b"\0" + hashlib.sha256(doc.raw.encode("utf-8")).digest() + hashlib.sha256(turns.encode("utf-8")).digest())
    return h.hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _vector_rows(chunks: Sequence[Chunk]) -> tuple[list[str], list[int], list[int]]:
    texts, owners, sentence_of = [], [], []
    for i, chunk in enumerate(chunks):
        texts.append(chunk.embed_text)
        owners.append(i)
        sentence_of.append(-1)
        if len(chunk.sentences) > 1:
            for j, sentence in enumerate(chunk.sentences):
                texts.append(sentence.text)
                owners.append(i)
                sentence_of.append(j)
    return texts, owners, sentence_of


def context_texts(chunks: Sequence[Chunk], owners: Sequence[int], sentence_of: Sequence[int]) -> tuple[list[str | None], ...]:
    """For each vector row that stands for an answer sentence, the sentence read in context, one text per
    `CONTEXTS`: after the sentence before it in its turn, and after the interviewer's question it answers
    (None where there is no such context, and for other rows: those rows keep their own vector).
    A sentence often means what it means only there: "There should be no suspicions about that" answers
    a question about suspicions; "The new instrument is ..." answers "What have you built?".

    >>> from rag.types import Span
    >>> a = Chunk("t#1", "t.txt", "answer", "Ada", 1, 0, 5, "X. Y.", "X. Y.", "Why?", (Span(0, 2, "X."), Span(3, 5, "Y.")))
    >>> context_texts([a], [0, 0, 0], [-1, 0, 1])
    ([None, None, 'X. Y.'], [None, 'Why? X.', 'Why? Y.'])
    """
    previous: dict[tuple[int, int], str] = {}
    last_of_turn: dict[tuple[str, int, str], str] = {}
    for i, chunk in enumerate(chunks):
        for j, sentence in enumerate(chunk.sentences):
            turn = (chunk.source, chunk.exchange, chunk.role)
            if turn in last_of_turn:
                previous[(i, j)] = last_of_turn[turn]
            last_of_turn[turn] = sentence.text
    after_previous: list[str | None] = []
    after_question: list[str | None] = []
    for i, j in zip(owners, sentence_of):
        chunk = chunks[i]
        # A passage of one sentence has no sentence rows: its own row stands for the sentence.
        j = 0 if j < 0 and len(chunk.sentences) == 1 else j
        if chunk.role != "answer" or j < 0:
            after_previous.append(None)
            after_question.append(None)
            continue
        text = chunk.sentences[j].text
        after_previous.append(f"{previous[(i, j)]} {text}" if (i, j) in previous else None)
        after_question.append(f"{chunk.question} {text}" if chunk.question else None)
    return after_previous, after_question


def _in_context(plain: np.ndarray, texts: Sequence[str | None], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """`plain` with the rows that have a text in context re-encoded from it."""
    out = plain.copy()
    rows = [r for r, t in enumerate(texts) if t is not None]
    if rows:
        out[rows] = encode([texts[r] for r in rows])  # type: ignore[misc]
    return out


# The one setting that picks the vector backend: exact search below this many vectors, HNSW from it on.
# Exact search costs ~2 ms a query at 10k vectors and ~21 ms at 100k here (`make bench`, README "Growth").
ANN_MIN_VECTORS = int(os.environ.get("RAG_ANN_MIN_VECTORS", 50_000))
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128


def faiss_index_for(vectors: np.ndarray, force_approximate: bool = False):  # type: ignore[no-untyped-def]
    """Exact inner-product search for small corpora; an HNSW graph (approximate) for large ones."""
    import faiss

    if force_approximate or len(vectors) >= ANN_MIN_VECTORS:
        index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def build_index(
    docs: Sequence[Document],
    encoder: Encoder,
    progress: bool = False,
    second: QueryPassageEncoder | None = None,
    on_fraction: Callable[[float], None] | None = None,
) -> SearchIndex:
    """Chunk and embed the corpus in memory (with `second`, every row also by the second encoder);
    `on_fraction` hears the share of rows embedded so far, for a page that shows the build."""
    chunks = tuple(c for doc in docs for c in chunk_document(doc))
    texts, owners, sentence_of = _vector_rows(chunks)
    passes = 2 if second is not None else 1
    counted = (lambda done, of_pass: on_fraction((of_pass + done / max(len(texts), 1)) / passes)) if on_fraction else None
    vectors = _encode_batched(encoder, texts, progress, on_rows=counted and (lambda done: counted(done, 0)))
    second_vectors = (
        _encode_batched_second(second, texts, on_rows=counted and (lambda done: counted(done, 1))) if second is not None else None
    )
    contexts = context_texts(chunks, owners, sentence_of)
    context = np.stack([_in_context(vectors, t, lambda batch: _encode_batched(encoder, batch, False)) for t in contexts])
    second_context = (
        np.stack([_in_context(second_vectors, t, lambda batch: _encode_batched_second(second, batch)) for t in contexts])  # type: ignore[arg-type]
        if second is not None and second_vectors is not None else None
    )
    manifest = Manifest(
        format=INDEX_FORMAT,
        model=encoder.name,
        dim=encoder.dim,
        chunker_version=CHUNKER_VERSION,
        corpus_hash=corpus_hash(docs),
        sources=tuple(sorted(d.source for d in docs)),
        n_chunks=len(chunks),
        n_vectors=len(texts),
        checksums={},
        built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        second_model=second.name if second is not None else "",
    )
    return SearchIndex(
        chunks,
        vectors,
        np.asarray(owners, dtype=np.int64),
        np.asarray(sentence_of, dtype=np.int64),
        faiss_index_for(vectors),
        manifest,
        context,
        second=second_vectors,
        second_context=second_context,
    )


def _encode_batched_second(
    second: QueryPassageEncoder, texts: list[str], batch: int = 64, on_rows: Callable[[int], None] | None = None
) -> np.ndarray:
    parts = []
    for i in range(0, len(texts), batch):
        parts.append(second.passage(texts[i : i + batch]))
        if on_rows:
            on_rows(min(i + batch, len(texts)))
    vectors = np.ascontiguousarray(np.vstack(parts) if parts else np.zeros((0, second.dim)), dtype=np.float32)
    if vectors.shape != (len(texts), second.dim):
        raise ValueError(f"encoder {second.name} returned shape {vectors.shape}, expected ({len(texts)}, {second.dim})")
    return vectors


def _encode_batched(
    encoder: Encoder, texts: list[str], progress: bool, batch: int = 256, on_rows: Callable[[int], None] | None = None
) -> np.ndarray:
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    if on_rows:
        batch = 32  # small enough that a page showing the build moves every second or so
    batches = range(0, len(texts), batch)
    if progress and len(texts) > batch:
        from tqdm import tqdm

        batches = tqdm(batches, desc="embedding passages", unit="batch", file=sys.stderr)
    parts = []
    for i in batches:
        parts.append(encoder.encode(texts[i : i + batch]))
        if on_rows:
            on_rows(min(i + batch, len(texts)))
    vectors = np.ascontiguousarray(np.vstack(parts), dtype=np.float32)
    if vectors.shape != (len(texts), encoder.dim):
        raise ValueError(f"encoder {encoder.name} returned shape {vectors.shape}, expected ({len(texts)}, {encoder.dim})")
    return vectors


def save_index(index: SearchIndex, index_dir: Path) -> Path:
    """Write a new generation, then atomically point CURRENT at it; older generations are removed."""
    import faiss

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    generation = Path(tempfile.mkdtemp(prefix=".building-", dir=index_dir))
    chunk_rows = {
        "chunks": [_chunk_record(c) for c in index.chunks],
        "owners": index.owners.tolist(),
        "sentence_of": index.sentence_of.tolist(),
    }
    (generation / "chunks.json").write_text(json.dumps(chunk_rows, ensure_ascii=False), encoding="utf-8")
    faiss.write_index(index.faiss_index, str(generation / "vectors.faiss"))
    files = FILES
    np.save(generation / CONTEXT_FILE, index.context)
    if index.second is not None:
        np.save(generation / SECOND_FILE, index.second)
        files = (*FILES, SECOND_FILE)
        if index.second_context is not None:
            np.save(generation / SECOND_CONTEXT_FILE, index.second_context)
            files = (*files, SECOND_CONTEXT_FILE)
    checksums = {name: _sha256(generation / name) for name in files}
    manifest = Manifest(**{**asdict(index.manifest), "checksums": checksums})
    (generation / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    for name in (*files, "manifest.json"):
        _fsync(generation / name)
    final = index_dir / f"g-{manifest.corpus_hash[:12]}-{time.time_ns()}"
    os.replace(generation, final)
    pointer = index_dir / CURRENT
    if pointer.is_dir() and not pointer.is_symlink():  # damaged into a folder: a file cannot replace it
        shutil.rmtree(pointer)
    _atomic_write_text(pointer, final.name + "\n")
    remove_leftovers(index_dir, keep=final)
    return final


def remove_leftovers(index_dir: Path, keep: Path | None) -> None:
    """Everything a build leaves behind but the live generation: older and orphan `g-*` folders, the
    `.building-*` folders and `.CURRENT.*` temporary files of dead builds. Only the holder of the
    writer lock calls this, so nothing here belongs to a build still running."""
    for old in index_dir.iterdir():
        if old == keep:
            continue
        if old.is_dir() and not old.is_symlink() and (old.name.startswith("g-") or old.name.startswith(".building-")):
            shutil.rmtree(old, ignore_errors=True)
        elif old.name.startswith(f".{CURRENT}.") and old.is_file():
            old.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _chunk_record(c: Chunk) -> dict:
    record = asdict(c)
    record["sentences"] = [[s.start, s.end] for s in c.sentences]
    return record


def _chunk_from_record(r: dict, raw_by_source: dict[str, str]) -> Chunk:
    raw = raw_by_source[r["source"]]
    sentences = tuple(Span(s, e, raw[s:e]) for s, e in r["sentences"])
    return Chunk(**{**r, "sentences": sentences})


def live_generation(index_dir: Path) -> Path:
    """The generation folder CURRENT names, or StaleIndexError for a missing, unreadable, malformed or
    dangling CURRENT (any of which means: no usable index, rebuild)."""
    pointer = index_dir / CURRENT
    if not pointer.exists():
        raise StaleIndexError(f"no index in {index_dir}")
    try:
        name = pointer.read_bytes().decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise StaleIndexError(f"{pointer} is unreadable ({exc.__class__.__name__})") from None
    if not name.startswith("g-") or "/" in name or "\\" in name or len(name) > 200:
        raise StaleIndexError(f"{pointer} does not name a generation folder")
    generation = index_dir / name
    if not generation.is_dir():
        raise StaleIndexError(f"{pointer} names {name}, which does not exist")
    return generation


_MANIFEST_TYPES = {
    "format": int, "model": str, "dim": int, "chunker_version": str, "corpus_hash": str, "sources": list,
    "n_chunks": int, "n_vectors": int, "checksums": dict, "built_at": str, "second_model": str,
}


def read_manifest(generation: Path) -> Manifest:
    """The manifest, checked field by field: a wrong type is as unusable as a missing file."""
    try:
        data = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StaleIndexError(f"unreadable manifest in {generation} ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or set(data) - set(_MANIFEST_TYPES):
        raise StaleIndexError(f"malformed manifest in {generation}")
    for key, kind in _MANIFEST_TYPES.items():
        if key in data and (not isinstance(data[key], kind) or isinstance(data[key], bool)):
            raise StaleIndexError(f"malformed manifest in {generation}: {key} is not {kind.__name__}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.get("checksums", {}).items()):
        raise StaleIndexError(f"malformed manifest in {generation}: checksums")
    try:
        return Manifest(**{**data, "sources": tuple(data.get("sources", ()))})
    except TypeError as exc:
        raise StaleIndexError(f"malformed manifest in {generation} ({exc})") from None


def load_index(index_dir: Path, docs: Sequence[Document], model: str, dim: int, second_model: str = "") -> SearchIndex:
    """Load the live generation, or raise StaleIndexError saying what does not match."""
    import faiss

    index_dir = Path(index_dir)
    generation = live_generation(index_dir)
    manifest = read_manifest(generation)
    expected = {
        "format": INDEX_FORMAT,
        "model": model,
        "dim": dim,
        "chunker_version": CHUNKER_VERSION,
        "corpus_hash": corpus_hash(docs),
        "second_model": second_model,
    }
    for key, want in expected.items():
        have = getattr(manifest, key)
        if have != want:
            raise StaleIndexError(f"index {key} is {have!r}, expected {want!r}")
    for name in (*FILES, SECOND_FILE, SECOND_CONTEXT_FILE) if second_model else FILES:
        path = generation / name
        try:
            intact = _sha256(path) == manifest.checksums.get(name)
        except OSError:  # missing, or removed by a newer build since CURRENT was read (a load test's race)
            intact = False
        if not intact:
            raise StaleIndexError(f"{path} is missing or corrupt (checksum mismatch)")
    try:
        rows = json.loads((generation / "chunks.json").read_text(encoding="utf-8"))
        raw_by_source = {d.source: d.raw for d in docs}
        chunks = tuple(_chunk_from_record(r, raw_by_source) for r in rows["chunks"])
        faiss_index = faiss.read_index(str(generation / "vectors.faiss"))
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        # a generation removed by a newer build while this process read it, or damaged past its checksum
        raise StaleIndexError(f"cannot read {generation} ({exc.__class__.__name__})") from None
    if faiss_index.ntotal != manifest.n_vectors or faiss_index.d != dim:
        raise StaleIndexError(f"{generation}/vectors.faiss holds {faiss_index.ntotal}x{faiss_index.d}, manifest says {manifest.n_vectors}x{dim}")
    vectors = faiss_index.reconstruct_n(0, faiss_index.ntotal)
    try:
        second = np.load(generation / SECOND_FILE) if second_model else None
        context = np.load(generation / CONTEXT_FILE)
        second_context = np.load(generation / SECOND_CONTEXT_FILE) if second_model else None
    except (OSError, ValueError) as exc:
        raise StaleIndexError(f"cannot read the vectors of {generation} ({exc.__class__.__name__})") from None
    if second is not None and second.shape[0] != manifest.n_vectors:
        raise StaleIndexError(f"{generation}/{SECOND_FILE} holds {second.shape[0]} rows, manifest says {manifest.n_vectors}")
    for name, array, width in ((CONTEXT_FILE, context, dim), (SECOND_CONTEXT_FILE, second_context, None)):
        if array is not None and (array.ndim != 3 or array.shape[:2] != (len(CONTEXTS), manifest.n_vectors) or (width and array.shape[2] != width)):
            raise StaleIndexError(f"{generation}/{name} holds {array.shape}, expected ({len(CONTEXTS)}, {manifest.n_vectors}, dim)")
    return SearchIndex(
        chunks,
        np.ascontiguousarray(vectors, dtype=np.float32),
        np.asarray(rows["owners"], dtype=np.int64),
        np.asarray(rows["sentence_of"], dtype=np.int64),
        faiss_index,
        manifest,
        np.ascontiguousarray(context, dtype=np.float32),
        path=generation,
        second=second,
        second_context=None if second_context is None else np.ascontiguousarray(second_context, dtype=np.float32),
    )


# How long a process waits for another's build before giving up with a message.
BUILD_WAIT_S = float(os.environ.get("RAG_BUILD_WAIT_S", 600))
LOCK_FILE = ".lock"
_locks: dict[str, object] = {}


def writer_lock(index_dir: Path):  # type: ignore[no-untyped-def]
    """The index folder's single-writer lock (an OS file lock, `filelock`): held by every build,
    `rag add` and `rag index`. One object per folder and process, so holding it twice nests."""
    from filelock import FileLock

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str((index_dir / LOCK_FILE).resolve())
    if key not in _locks:
        _locks[key] = FileLock(key, timeout=BUILD_WAIT_S)
    return _locks[key]


def ensure_index(
    index_dir: Path,
    docs: Sequence[Document],
    encoder: Encoder,
    rebuild: bool = False,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    progress: bool = True,
    second: QueryPassageEncoder | None = None,
) -> SearchIndex:
    """The index of `docs` (see `open_index`, for a corpus that other processes may change)."""
    return open_index(index_dir, lambda: docs, encoder, rebuild, log, progress, second)[1]


def open_index(
    index_dir: Path,
    read_docs: Callable[[], Sequence[Document]],
    encoder: Encoder,
    rebuild: bool = False,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    progress: bool = True,
    second: QueryPassageEncoder | None = None,
    on_fraction: Callable[[float], None] | None = None,
) -> tuple[Sequence[Document], SearchIndex]:
    """The corpus and its index: loaded if the index matches the corpus and models; otherwise say why
    and rebuild it, holding the writer lock. A process that finds the index stale while another builds
    waits for that build and then loads its result instead of building a second time. The corpus is read
    again under the lock: a stale index may only mean that `rag add` changed the corpus after this process
    read it, and building from the older reading would undo that add. `on_fraction` hears a build's progress."""
    from filelock import Timeout

    second_model = second.name if second is not None else ""
    docs = read_docs()
    load = lambda: load_index(index_dir, docs, encoder.name, encoder.dim, second_model)  # noqa: E731
    if not rebuild:
        try:
            return docs, load()
        except StaleIndexError as exc:
            reason = str(exc)
    lock = writer_lock(index_dir)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log(f"waiting for another process to finish building the index in {index_dir} (up to {BUILD_WAIT_S:.0f} s)")
        try:
            lock.acquire()
        except Timeout:
            raise StaleIndexError(f"another process has been building the index in {index_dir} for {BUILD_WAIT_S:.0f} s; try again later") from None
    try:
        docs = read_docs()
        if not rebuild:  # a build that ended while this process waited may have made exactly the index wanted
            try:
                return docs, load()
            except StaleIndexError as exc:
                reason = str(exc)
            log(f"rebuilding the index: {reason}")
        started = time.perf_counter()
        index = build_index(docs, encoder, progress=progress, second=second, on_fraction=on_fraction)
        path = save_index(index, index_dir)
        log(f"index built in {time.perf_counter() - started:.1f}s: {index.manifest.n_chunks} passages, {path}")
        return docs, load()
    finally:
        lock.release()
