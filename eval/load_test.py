"""Load test: N concurrent gradio_client users against a fresh `rag serve`, every reply checked.

    python eval/load_test.py [--clients 20] [--seconds 30] [--port PORT] [--mixed]

Starts the server on 127.0.0.1 over a scratch copy of the checkout's index (so nothing here writes to
the checkout), waits for it to answer, sends three 10 MB request bodies (each must be refused with 413,
and the server's memory must not grow by more than a few MB), then lets each client ask questions in a
loop for the given time. A reply is wrong unless it cites the passage the question is about (or declines,
for the out-of-scope one). `--mixed` also runs `rag add` (another transcript) and `rag index --rebuild`
at once, during the load, against the same index folder: both must succeed, and the folder must end
with one generation and no leftovers. Prints the figures and exits 1 on any error or wrong answer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from serving import free_port, rss_mb, wait_until_up

from rag.metrics import percentile

CHECKOUT = Path(__file__).resolve().parent.parent
ADDED = CHECKOUT / "eval" / "transcripts" / "harbour_minister_interview.txt"
BIG_BODY_BYTES = 10 * 1024 * 1024

# (question, a string the cited passage must contain; None: the bot must decline)
CASES = (
    ("What did Tokayev say about Taiwan?", "Taiwan is a part of China"),
    ("When did the Shanghai Cooperation Organization start?", "1996"),
    ("Who did Tokayev hold talks with during his 2019 state visit?", "Xi Jinping"),
    ("What are his expectations for the summit in Xi'an?", "very high"),
    ("What does he say about the younger generation?", "younger generation"),
    ("What did Tokayev say about Bitcoin?", None),
)


def is_right(record: dict, expected: str | None) -> bool:
    if expected is None:
        return bool(record["abstained"])
    return not record["abstained"] and any(expected in c["text"] for c in record["citations"])


def scratch_environment(root: Path) -> dict[str, str]:
    """An index folder holding a copy of the checkout's live index (when there is one), an empty corpus
    folder and a data folder under `root`; the converted encoder is shared with the checkout."""
    index = root / "index"
    index.mkdir()
    live = CHECKOUT / "index" / "CURRENT"
    if live.is_file():
        generation = live.read_text().strip()
        shutil.copytree(CHECKOUT / "index" / generation, index / generation)
        shutil.copy(live, index / "CURRENT")
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "RAG_INDEX_DIR": str(index),
        "RAG_CORPUS_DIR": str(root / "corpus"),
        "RAG_DATA_DIR": str(root / "data"),
        "RAG_MODEL_CACHE": os.environ.get("RAG_MODEL_CACHE") or str(CHECKOUT / "index" / "models"),
    }


def post_big_body(url: str) -> int:
    request = urllib.request.Request(url + "gradio_api/call/ask", data=b"x" * BIG_BODY_BYTES, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # the server may close the connection before the client finished sending
        return 413


def writers(env: dict[str, str], logs: Path, results: dict[str, tuple[int, float, str]]) -> None:
    """`rag add` and `rag index --rebuild`, started together; their stderr goes to files under `logs`.
    Fills `results`: name -> (exit code, seconds until it ended, its last stderr line)."""
    commands = {
        "rag add": [sys.executable, "-m", "rag.cli", "add", str(ADDED)],
        "rag index --rebuild": [sys.executable, "-m", "rag.cli", "index", "--rebuild"],
    }
    log_paths = {name: logs / f"writer-{i}.log" for i, name in enumerate(commands)}
    started = time.perf_counter()
    running = {
        name: subprocess.Popen(cmd, cwd=CHECKOUT, env=env, stdout=subprocess.DEVNULL, stderr=log_paths[name].open("w"))
        for name, cmd in commands.items()
    }
    while len(results) < len(running):
        for name, proc in running.items():
            if name not in results and proc.poll() is not None:
                err = log_paths[name].read_text().strip()
                results[name] = (proc.returncode, time.perf_counter() - started, err.splitlines()[-1] if err else "")
        time.sleep(0.1)


def leftovers(index_dir: Path) -> list[str]:
    live = (index_dir / "CURRENT").read_text().strip()
    return sorted(p.name for p in index_dir.iterdir() if p.name not in {"CURRENT", ".lock", live})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--mixed", action="store_true", help="run `rag add` and `rag index --rebuild` during the load")
    args = parser.parse_args()
    if args.port is None:
        args.port = free_port()
    root = Path(tempfile.mkdtemp(prefix="rag-load-"))
    env = scratch_environment(root)
    server = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--port", str(args.port)],
        cwd=CHECKOUT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{args.port}/"
    problems: list[str] = []
    writes: dict[str, tuple[int, float, str]] = {}
    try:
        from gradio_client import Client

        if not wait_until_up(url, server):
            print("load test: the server did not come up", file=sys.stderr)
            return 1
        Client(url, verbose=False).predict(question=CASES[0][0], api_name="/ask")  # the model is loaded

        rss_before = rss_mb(server.pid)
        big = [post_big_body(url) for _ in range(3)]
        rss_after = rss_mb(server.pid)
        print(f"3 x {BIG_BODY_BYTES // 2**20} MB POST: statuses {big}; server RSS {rss_before} MB before, {rss_after} MB after")
        if big != [413] * 3 or rss_after - rss_before > 20:
            problems.append(f"oversize bodies: statuses {big}, RSS {rss_before} -> {rss_after} MB")

        latencies: list[float] = []
        errors: list[str] = []
        wrong: list[str] = []
        lock = threading.Lock()
        stop = threading.Event()

        def user(offset: int) -> None:
            client = Client(url, verbose=False)
            i = offset
            while not stop.is_set():
                question, expected = CASES[i % len(CASES)]
                i += 1
                started = time.perf_counter()
                try:
                    record = client.predict(question=question, history=[], k=5, api_name="/ask")
                except Exception as exc:  # every failure counts, whatever its kind
                    with lock:
                        errors.append(f"{question}: {exc}")
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if not is_right(record, expected):
                        wrong.append(f"{question}: {record['answer'][:120]}")

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.clients)]
        began = time.monotonic()
        for t in threads:
            t.start()
        writing = threading.Thread(target=writers, args=(env, root, writes))
        if args.mixed:
            time.sleep(min(2.0, args.seconds / 4))
            writing.start()
        time.sleep(max(0.0, args.seconds - (time.monotonic() - began)))
        if args.mixed:
            writing.join()  # the load goes on until both writers are done
        stop.set()
        for t in threads:
            t.join()
        wall = time.monotonic() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    requests = len(latencies) + len(errors)
    print(
        f"{args.clients} clients for {wall:.1f} s{' (mixed)' if args.mixed else ''}: {requests} requests, "
        f"{len(errors)} errors, {len(wrong)} wrong answers; {len(latencies) / wall:.1f} answers/s; "
        f"latency p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 95):.0f} ms"
    )
    if args.mixed:
        for name, (code, seconds, last) in writes.items():
            print(f"  {name}: exit {code} after {seconds:.1f} s" + (f" ({last})" if code else ""))
            if code:
                problems.append(f"{name} exited {code}: {last}")
        left = leftovers(root / "index")
        print(f"  index folder after: one live generation, leftovers {left or 'none'}")
        if left:
            problems.append(f"leftovers in the index folder: {left}")
    for line in (problems + errors + wrong)[:10]:
        print("  " + line, file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)
    return 1 if errors or wrong or problems else 0


if __name__ == "__main__":
    sys.exit(main())
