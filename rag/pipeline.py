"""Wiring: the corpus, the index on disk and the retriever, opened once and asked many times."""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.answer import AnswerSettings, Engine, speaker_names
from rag.corpus import CorpusError, card_path, load_document, parse_transcript, read_transcript, seed_path, with_card
from rag.index import corpus_hash, open_index, writer_lock
from rag.generate import generate_answer
from rag.models import (
    Encoder, Generator, QueryPassageEncoder, generator_is_converted, get_encoder, get_generator, get_second_encoder,
    use_one_thread_per_answer,
)
from rag.progress import Report, ignore
from rag.retrieval import Retriever
from rag.types import Answer, Chunk, Document, FinalEvent, StreamEvent


def checkout_dir() -> Path | None:
    """The source checkout this package runs from (an editable install), if any."""
    checkout = Path(__file__).resolve().parent.parent
    return checkout if (checkout / "pyproject.toml").exists() else None


def default_data_dir() -> Path:
    """Where the web app keeps feedback and exported conversations: RAG_DATA_DIR, else `index/data/` of
    the checkout, else a per-user folder."""
    if os.environ.get("RAG_DATA_DIR"):
        return Path(os.environ["RAG_DATA_DIR"])
    checkout = checkout_dir()
    if checkout:
        return checkout / "index" / "data"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "tokayev-rag"


def default_index_dir() -> Path:
    """`index/` of the source checkout (where `make run` works), else a per-user cache folder."""
    if os.environ.get("RAG_INDEX_DIR"):
        return Path(os.environ["RAG_INDEX_DIR"])
    checkout = checkout_dir()
    if checkout:
        return checkout / "index"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tokayev-rag" / "index"


def default_corpus_dir() -> Path:
    """Where `rag add` keeps added transcripts: RAG_CORPUS_DIR, else `index/corpus/` of the checkout,
    else a per-user folder. Every `*.txt` there is part of the corpus."""
    if os.environ.get("RAG_CORPUS_DIR"):
        return Path(os.environ["RAG_CORPUS_DIR"])
    checkout = checkout_dir()
    if checkout:
        return checkout / "index" / "corpus"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "tokayev-rag" / "corpus"


def added_transcripts(corpus_dir: Path | None = None) -> list[Path]:
    folder = corpus_dir or default_corpus_dir()
    return sorted(p for p in folder.glob("*.txt") if p.is_file()) if folder.is_dir() else []


def load_corpus(paths: Sequence[Path] = ()) -> list[Document]:
    """The seed interview, the transcripts added with `rag add`, then any further ones named."""
    return [load_document(p) for p in (seed_path(), *added_transcripts(), *paths)]


_SAFE_NAME = re.compile(r"[^\w.-]+")


def add_transcript(path: Path, corpus_dir: Path | None = None, replace: bool = False) -> Path:
    """Check a transcript and copy it into the corpus folder (atomically); raise CorpusError, naming the
    file, if it is not a usable transcript or would clash with one already there. Nothing is written then."""
    path = Path(path)
    if path.is_symlink():
        raise CorpusError(f"{path}: is a symbolic link (to {path.resolve()}); add the file itself")
    if not path.is_file():
        raise CorpusError(f"{path}: not a regular file")
    doc = parse_transcript(read_transcript(path), str(path))  # refuses empty, binary, non-UTF-8, huge, answerless
    if not any(t.role == "answer" and t.speaker != doc.interviewer for t in doc.turns):
        raise CorpusError(f"{path}: holds no answer by an interviewee, only the interviewer's questions")
    card = card_path(path)
    if card.exists():
        with_card(doc, card)  # its topics and names must fit the transcript: refused like it otherwise
    folder = corpus_dir or default_corpus_dir()
    name = _SAFE_NAME.sub("_", path.stem).strip("._") or "transcript"
    target = folder / f"{name}.txt"
    if target.name == seed_path().name:
        raise CorpusError(f"{path}: the name {target.name} is the seed interview's; rename the file")
    if target.exists() and not replace:
        raise CorpusError(f"{path}: {target} already exists; use --replace to overwrite it")
    folder.mkdir(parents=True, exist_ok=True)
    # The card first: a transcript is never served with the card of the file it replaced.
    for source, destination in ((card, card_path(target)), (path, target)):
        if source.exists():
            staging = folder / f".{destination.name}.{os.getpid()}.tmp"
            staging.write_bytes(source.read_bytes())
            os.replace(staging, destination)
        elif destination.exists():
            destination.unlink()
    return target


ANSWER_MODES = ("extractive", "generative")
OPEN_STEPS = 3  # the steps `open_bot` reports


@dataclass
class Bot:
    """A loaded corpus and its answering pipeline; `ask` is safe to call from many threads (it keeps no
    per-call state). `generator` is called the first time a generative answer is asked for (it loads the
    model, telling `Report` its GENERATOR_STEPS steps)."""

    docs: list[Document]
    retriever: Retriever
    generator: Callable[[Report], Generator] | None = None
    engine: Engine | None = None

    def __post_init__(self) -> None:
        if self.engine is None:
            self.engine = Engine(self.retriever, self.docs)
        self.retriever = self.engine.retriever

    def ask(self, question: str, history: Sequence[str] = (), k: int = 5, mode: str = "extractive") -> Answer:
        final = None
        for event in self.stream(question, history, k, mode):
            if isinstance(event, FinalEvent):
                final = event.answer
        assert final is not None
        return final

    def stream(
        self, question: str, history: Sequence[str] = (), k: int = 5, mode: str = "extractive", stop: threading.Event | None = None
    ) -> Iterator[StreamEvent]:
        """Typed events: each quote as it is ready (or the generated text as it grows), notes, then the
        final answer (`FinalEvent`). Setting `stop` ends a generated reply early (its final answer holds
        what was checked so far)."""
        if mode not in ANSWER_MODES:
            raise ValueError(f"answer mode must be one of {', '.join(ANSWER_MODES)}, got {mode!r}")
        assert self.engine is not None
        settings = AnswerSettings(k=k)
        if mode == "extractive":
            yield from self.engine.stream(question, history, settings)
            return
        yield from generate_answer(question, self.engine, self.prepare_generator(), history, settings, stop=stop)

    def prepare_generator(self, report: Report = ignore) -> Generator:
        """The generator, loaded: call it ahead of a first generative answer to show its progress."""
        if self.generator is None:
            raise ValueError("generative mode needs a generator; this bot was opened without one")
        return self.generator(report)

    def passage(self, passage_id: str) -> Chunk | None:
        """The indexed passage a citation points to (None for the page's metadata lines)."""
        position = self.retriever.position.get(passage_id)
        return None if position is None else self.retriever.index.chunks[position]


def open_bot(
    index_dir: Path | None = None,
    rebuild: bool = False,
    encoder: Encoder | None = None,
    corpus: Sequence[Path] = (),
    progress: bool = True,
    generator_dir: Path | None = None,
    second: QueryPassageEncoder | None = None,
    report: Report = ignore,
    serving: bool = False,
) -> Bot:
    """The bot over the seed and `corpus`. Its generator (generative mode) is `generator_dir`, any local
    causal-LM folder, else SmolLM2 converted once into RAG_MODEL_CACHE or `<index dir>/models/`; it is
    loaded on first use. `report` hears the OPEN_STEPS steps (a first start takes 15-40 s).

    `serving`: the process answers many questions at once (the server, the load test's limit): every
    encode then runs on one thread. Every process reads questions through e5's int8 ONNX graph (made
    once into the model cache), so that the CLI, the eval and the server give the same answers."""
    if serving:
        use_one_thread_per_answer()
    if index_dir is None and corpus:
        # A corpus named for one run gets an index of its own, so the usual one is not rebuilt back and forth.
        index_dir = default_index_dir() / f"with-{corpus_hash(load_corpus(corpus))[:12]}"
    index_dir = index_dir or default_index_dir()
    model_cache = Path(os.environ.get("RAG_MODEL_CACHE") or default_index_dir() / "models")
    report(1, "loading the embedding models (the first start also converts them, ~15 s)")
    encoder = encoder or get_encoder(model_cache)
    second = second or get_second_encoder(model_cache)
    encoder.encode(["warm-up"])  # load the weights now, so that no answer's latency includes it
    second.query(["warm-up"])
    report(2, "opening the index (building it if it is missing or stale)")
    docs, index = open_index(
        index_dir, lambda: load_corpus(corpus), encoder, rebuild=rebuild, progress=progress, second=second,
        on_fraction=lambda done: report(2, "building the index: embedding the transcripts' passages", done),
    )
    report(3, "preparing the answering engine")
    engine = Engine(Retriever(index, encoder, names=speaker_names(docs), second=second), docs)
    engine.warm_up()
    return Bot(docs, engine.retriever, functools.partial(_load_generator, generator_dir, model_cache), engine)


GENERATOR_STEPS = 2  # the steps a generator's first load reports


_generator_lock = threading.Lock()  # two first generative questions at once must not both convert the model


def _load_generator(folder: Path | None, model_cache: Path, report: Report = ignore) -> Generator:
    with _generator_lock:
        if folder is None and not generator_is_converted(model_cache):
            report(1, "converting the bundled model for its first use (about 20 s on a 2-core laptop; later starts skip this)")
        else:
            report(1, "finding the generative model")
        generator = get_generator(folder, model_cache)
        report(2, "loading the generative model into memory")
        generator.load()
        return generator


def add_and_index(
    path: Path,
    index_dir: Path | None = None,
    replace: bool = False,
    log: Callable[[str], None] = lambda msg: None,
    corpus: Sequence[Path] = (),
    encoder: Encoder | None = None,
    second: QueryPassageEncoder | None = None,
) -> Bot:
    """`rag add`: the transcript copied into the corpus and the index rebuilt under one writer lock, so
    a question asked meanwhile waits for this build instead of starting its own."""
    with writer_lock(index_dir or default_index_dir()):
        target = add_transcript(path, replace=replace)
        log(f"added {path} as {target}")
        return open_bot(index_dir, corpus=corpus, progress=False, encoder=encoder, second=second)
