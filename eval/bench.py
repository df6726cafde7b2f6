"""Benchmark: every stage of answering, cold starts, index build, and the cost curve as the corpus grows.

    python eval/bench.py [--out eval/out/bench.json] [--sizes 10000 100000] [--full]

Uses the real bundled model. Prints a report and writes it as JSON (and a PNG of the growth curve next
to it). `--full` adds the 1,000,000-chunk row. Timings are medians and nearest-rank p95 over the eval
questions, model loaded, unless marked cold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from serving import free_port, peak_rss_mb, wait_until_up

from rag.metrics import percentile

CHECKOUT = Path(__file__).resolve().parent.parent


def summary(values_ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values_ms), 3), "p95_ms": round(percentile(values_ms, 95), 3)}


def timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) * 1000


def stage_times(questions: list[dict], foreign: list[dict]) -> dict:
    """Per question: the two query encodes (MiniLM, then multilingual-e5), the dense search, BM25 and
    fusion as the pipeline runs them, then the whole answer through `Bot.ask`; and the whole answer to
    each question in Russian, Kazakh or Chinese (`foreign`, read by multilingual-e5 alone)."""
    from rag.models import SentenceTransformerEncoder, embedding_model_path
    from rag.pipeline import open_bot
    from rag.retrieval import fuse

    bot = open_bot(progress=False)
    r = bot.retriever
    bot.ask("warm-up question about the first topic")
    keys = ("embed", "embed_second", "dense_search", "bm25", "fusion", "answer_rest", "total", "floor_bare_encode")
    stages: dict[str, list[float]] = {k: [] for k in keys}
    for q in questions:
        text = q["question"]
        _, floor = timed(r.encoder.encode, [text])
        vector, embed = timed(r.embed, text)
        second, embed_second = timed(r.second.query, [text]) if r.second is not None else ([None], 0.0)
        dense, dense_ms = timed(r.dense, vector, second[0])
        lexical, bm25_ms = timed(r.lexical, text)
        _, fusion_ms = timed(lambda: np.argsort(-fuse(dense.passage, lexical, r._context))[:5])
        _, total = timed(bot.ask, text, q.get("history", []))
        for key, value in (("embed", embed), ("embed_second", embed_second), ("dense_search", dense_ms), ("bm25", bm25_ms),
                           ("fusion", fusion_ms), ("total", total), ("floor_bare_encode", floor)):
            stages[key].append(value)
        stages["answer_rest"].append(max(0.0, total - embed - embed_second - dense_ms - bm25_ms - fusion_ms))
    st = SentenceTransformerEncoder(embedding_model_path())
    st.encode(["warm-up"])
    st_floor = [timed(st.encode, [q["question"]])[1] for q in questions]
    out = {k: summary(v) for k, v in stages.items()}
    if foreign:
        out["total_non_english"] = summary([timed(bot.ask, q["question"], q.get("history", []))[1] for q in foreign])
        out["non_english_questions"] = len(foreign)
    out["floor_sentence_transformers_encode"] = summary(st_floor)
    out["ratio_total_to_floor_p50"] = round(out["total"]["p50_ms"] / out["floor_bare_encode"]["p50_ms"], 2)
    both = out["embed"]["p50_ms"] + out["embed_second"]["p50_ms"]
    out["ratio_total_to_both_encodes_p50"] = round(out["total"]["p50_ms"] / both, 2) if both else None
    out["questions"] = len(questions)
    out["encoder"] = type(r.encoder).__name__
    return out


def cold_ask() -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "What did Tokayev say about Taiwan?"], capture_output=True, text=True, cwd=CHECKOUT)
    wall = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(max(peak, before) / 1024), "answered": "Taiwan is a part of China" in " ".join(done.stdout.split())}


def cold_server() -> dict:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)], cwd=CHECKOUT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_until_up(url, server):
            raise SystemExit("bench: the server did not come up")
        page = time.perf_counter() - started
        from gradio_client import Client

        Client(url, verbose=False).predict(question="What did Tokayev say about Taiwan?", api_name="/ask")
        first = time.perf_counter() - started
        rss = peak_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"page_up_s": round(page, 2), "first_answer_s": round(first, 2), "peak_rss_mb": rss}


def index_build() -> dict:
    from rag.index import build_index
    from rag.pipeline import load_corpus, open_bot

    encoder = open_bot(progress=False).retriever.encoder
    docs = load_corpus()
    index, ms = timed(build_index, docs, encoder)
    return {"seconds": round(ms / 1000, 3), "chunks": len(index.chunks), "vectors": int(index.vectors.shape[0]),
            "chunks_per_s": round(len(index.chunks) / (ms / 1000), 1)}


def synthetic_texts(n: int, vocabulary: list[str], rng: np.random.Generator) -> list[str]:
    lengths = rng.integers(12, 40, size=n)
    words = rng.choice(vocabulary, size=int(lengths.sum()))
    out, at = [], 0
    for length in lengths:
        out.append(" ".join(words[at : at + length]))
        at += length
    return out


def growth(sizes: list[int], queries: list[str]) -> list[dict]:
    """Flat (exact) and the approximate backend the index picks by size, on synthetic corpora."""
    import bm25s
    import faiss

    from rag.index import ANN_MIN_VECTORS, faiss_index_for
    from rag.pipeline import load_corpus, open_bot
    from rag.retrieval import tokenize

    encoder = open_bot(progress=False).retriever.encoder
    vocabulary = re.findall(r"[A-Za-z’']+", " ".join(t.text for d in load_corpus() for t in d.turns if t.role == "answer"))
    rng = np.random.default_rng(0)
    query_vectors = encoder.encode(queries)
    real_n = min(10_000, max(sizes))
    base_texts = synthetic_texts(real_n, vocabulary, rng)
    started = time.perf_counter()
    base = encoder.encode(base_texts)  # real-text embeddings
    encode_rate = real_n / (time.perf_counter() - started)
    rows = []
    for n in sizes:
        if n <= real_n:
            vectors = base[:n]
        else:  # beyond the embedded ones: noisy copies of real vectors (the issue allows random ones)
            picks = base[rng.integers(0, real_n, size=n)]
            vectors = picks + rng.normal(0, 0.05, size=picks.shape).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        row: dict = {"chunks": n, "real_text_vectors": n <= real_n}
        flat, flat_ms = timed(lambda: _flat(vectors))
        approx, approx_ms = timed(lambda: faiss_index_for(vectors, force_approximate=True))
        exact_ids = flat.search(query_vectors, 10)[1]
        approx_ids = approx.search(query_vectors, 10)[1]
        recall = float(np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx_ids, exact_ids)]))
        row["flat"] = {"build_s": round(flat_ms / 1000, 3), **summary([timed(flat.search, q[None, :], 10)[1] for q in query_vectors]),
                       "memory_mb": round(len(faiss.serialize_index(flat)) / 2**20, 1)}
        row["approximate"] = {"kind": type(approx).__name__, "build_s": round(approx_ms / 1000, 3),
                              **summary([timed(approx.search, q[None, :], 10)[1] for q in query_vectors]),
                              "memory_mb": round(len(faiss.serialize_index(approx)) / 2**20, 1), "recall@10_vs_exact": round(recall, 3)}
        row["chosen_backend"] = "approximate" if n >= ANN_MIN_VECTORS else "flat"
        texts = base_texts if n <= real_n else synthetic_texts(n, vocabulary, rng)
        model = bm25s.BM25()
        _, bm25_build = timed(lambda: model.index([tokenize(t) or ["\u2400"] for t in texts[:n]], show_progress=False))
        row["bm25"] = {"build_s": round(bm25_build / 1000, 2), **summary([timed(model.get_scores, tokenize(q))[1] for q in queries])}
        rows.append(row)
        print(f"  {n:>9,} chunks: flat p50 {row['flat']['p50_ms']:.2f} ms, {row['approximate']['kind']} p50 "
              f"{row['approximate']['p50_ms']:.2f} ms recall@10 {recall:.3f}, bm25 p50 {row['bm25']['p50_ms']:.1f} ms", flush=True)
    return [{"encode_texts_per_s": round(encode_rate, 1)}, *rows]


def _flat(vectors: np.ndarray):  # type: ignore[no-untyped-def]
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def chart(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["chunks"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    ax.plot(sizes, [r["flat"]["p50_ms"] for r in rows], "o-", label="dense, exact (flat) p50")
    ax.plot(sizes, [r["approximate"]["p50_ms"] for r in rows], "o-", label=f"dense, {rows[-1]['approximate']['kind']} p50")
    ax.plot(sizes, [r["bm25"]["p50_ms"] for r in rows], "o-", label="BM25 p50")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the corpus")
    ax.set_ylabel("ms per query")
    ax.set_title("Query cost as the corpus grows (2-core CPU)", fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CHECKOUT / "eval" / "out" / "bench.json")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--full", action="store_true", help="add the 1,000,000-chunk row")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes + ([1_000_000] if args.full else [])))
    questions = [json.loads(line) for line in (CHECKOUT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [q for q in questions if q["kind"] != "multilingual"]
    foreign_file = CHECKOUT / "eval" / "multilingual_questions.jsonl"
    foreign = [json.loads(line) for line in foreign_file.read_text(encoding="utf-8").splitlines() if line.strip()] if foreign_file.exists() else []
    report: dict = {}
    print("cold `rag ask` ...", flush=True)
    report["cold_ask"] = cold_ask()
    print(f"  {report['cold_ask']}\ncold server ...", flush=True)
    report["cold_server"] = cold_server()
    print(f"  {report['cold_server']}\nstages ...", flush=True)
    report["stages"] = stage_times(questions, foreign)
    print(json.dumps(report["stages"], indent=1))
    report["index_build"] = index_build()
    print(f"index build: {report['index_build']}\ngrowth ...", flush=True)
    curve = growth(sizes, [q["question"] for q in questions])
    report["encode_texts_per_s"] = curve[0]["encode_texts_per_s"]
    report["growth"] = curve[1:]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    chart(report["growth"], args.out.with_name("growth.png"))
    print(f"wrote {args.out} and {args.out.with_name('growth.png')}")


if __name__ == "__main__":
    main()
