"""Load test: N concurrent users against a fresh `rag serve`, through the JSON API and through Gradio,
every reply checked, beside the bot's own limit.

    python eval/load_test.py [--clients 20] [--seconds 30] [--overload 200] [--port PORT] [--mixed]

Starts the server on 127.0.0.1 over a scratch copy of the checkout's index (so nothing here writes to
the checkout), waits for it to answer, sends three 10 MB request bodies (each must be refused with 413,
and the server's memory must not grow by more than a few MB), then measures, in one run:
1. the limit: answers/s of a tight loop over the eval questions in this process (the bot alone, no HTTP),
   with one thread and with one per core; its answers are the reference the served ones must equal;
2. one user, warm, through `POST /api/ask`;
3. N users through `/api/ask` (a light asyncio client on raw keep-alive connections), then N users
   through Gradio's queue (`gradio_client`), each for the given time;
4. overload: `--overload` users through `/api/ask` for 10 s; every request must be answered or refused
   with 503 (the clients wait its Retry-After), and the server's memory must stay within 200 MB of before.
A reply is wrong unless it equals the in-process reply to the same question (same abstention, same cited
spans). `--mixed` instead runs `rag add` (another transcript) and `rag index --rebuild` at once, during a
load through both paths, against the same index folder: both must succeed, the folder must end with one
generation and no leftovers, and a reply is wrong unless it cites the passage the question is about.
Prints the figures and exits 1 on any error or wrong answer.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
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
from dataclasses import dataclass, field
from pathlib import Path

from serving import free_port, peak_rss_mb, rss_mb, wait_until_up

from rag.metrics import percentile
from rag.evaluate import load_questions

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


MEMORY_BOUND_MB = 200


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
    request = urllib.request.Request(url, data=b"x" * BIG_BODY_BYTES, method="POST")
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


# (question, history) -> what a right reply is: the in-process bot's (abstained, cited spans)
Reference = dict[tuple[str, tuple[str, ...]], tuple[bool, tuple[tuple[str, int, int], ...]]]


def fingerprint(record: dict) -> tuple[bool, tuple[tuple[str, int, int], ...]]:
    return bool(record["abstained"]), tuple((c["source"], c["start"], c["end"]) for c in record["citations"])


@dataclass
class Run:
    """What one load produced: latencies of the answered requests, refusals (503), errors, wrong replies."""

    name: str
    clients: int
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    retried: int = 0  # gradio_client's own cancels, asked again once (see gradio_load)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def line(self) -> str:
        requests = len(self.latencies) + self.refused + len(self.errors)
        refused = f", {self.refused} refused (503)" if self.refused else ""
        refused += f", {self.retried} client cancels asked again" if self.retried else ""
        p50 = statistics.median(self.latencies) if self.latencies else float("nan")
        p95 = percentile(self.latencies, 95) if self.latencies else float("nan")
        return (
            f"{self.name:<28} {self.clients:>4} users {self.wall:5.1f} s: {requests:>5} requests, {len(self.errors)} errors, "
            f"{len(self.wrong)} wrong{refused}; {self.rate:6.1f} answers/s; p50 {p50:6.0f} ms, p95 {p95:6.0f} ms"
        )


class Checker:
    """Whether a served reply is right: equal to the in-process reply (`reference`), or, without one (a
    load during writes, when the corpus changes), citing the passage its CASES entry names."""

    def __init__(self, reference: Reference | None = None) -> None:
        self.reference = reference

    def __call__(self, item: tuple[str, tuple[str, ...], str | None], record: dict) -> bool:
        question, history, expected = item
        if self.reference is None:
            return is_right(record, expected)
        return fingerprint(record) == self.reference[(question, history)]


def in_process_limit(bot, items: list[tuple[str, tuple[str, ...]]], seconds: float, threads: int) -> float:
    """Answers/s of `threads` tight loops over `items` for about `seconds` (the bot alone, no HTTP)."""
    counts = [0] * threads

    def loop(n: int) -> None:
        end = time.perf_counter() + seconds
        i = n
        while time.perf_counter() < end:
            question, history = items[i % len(items)]
            bot.ask(question, list(history))
            counts[n] += 1
            i += 1

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.perf_counter() - started)


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> tuple[int, bytes, dict[str, str]]:
    writer.write(
        b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    )
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status = int(head.split(" ", 2)[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head.split("\r\n")[1:] if line)}
    return status, await reader.readexactly(int(headers.get("content-length", "0"))), headers


async def _api_load(port: int, run: Run, items: list, seconds: float, check: Checker, lock: threading.Lock, stop: threading.Event) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds

    async def user(offset: int) -> None:
        connection = None
        i = offset
        while loop.time() < deadline and not stop.is_set():
            item = items[i % len(items)]
            i += 1
            body = json.dumps({"question": item[0], "history": list(item[1])}).encode()
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", port)
                status, payload, headers = await _post(*connection, body)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:  # every failure counts
                with lock:
                    run.errors.append(f"{item[0]}: {type(exc).__name__} {exc}")
                connection = None
                continue
            if status == 503:
                with lock:
                    run.refused += 1
                await asyncio.sleep(float(headers.get("retry-after", "1")))
                continue
            if status != 200:
                with lock:
                    run.errors.append(f"{item[0]}: HTTP {status} {payload[:120]!r}")
                continue
            record = json.loads(payload)
            with lock:
                run.latencies.append((time.perf_counter() - started) * 1000)
                if not check(item, record):
                    run.wrong.append(f"{item[0]}: {record['answer'][:120]}")
        if connection is not None:
            connection[1].close()

    began = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(run.clients)))
    run.wall = time.perf_counter() - began


def api_load(
    port: int, clients: int, seconds: float, items: list, check: Checker, name: str = "JSON API (/api/ask)", stop: threading.Event | None = None
) -> Run:
    """`clients` users asking through `/api/ask` for `seconds`, or until `stop` is set."""
    run = Run(name, clients)
    asyncio.run(_api_load(port, run, items, seconds, check, threading.Lock(), stop or threading.Event()))
    return run


def gradio_load(url: str, clients: int, stop: threading.Event, items: list, check: Checker) -> tuple[Run, list[threading.Thread]]:
    """`clients` gradio_client users asking in a loop until `stop` is set; join the threads, then read the run."""
    from gradio_client import Client

    run = Run("Gradio queue (gradio_client)", clients)
    lock = threading.Lock()

    def user(offset: int) -> None:
        # gradio_client joins the queue with httpx's default 5 s timeout; a browser waits longer, and a
        # runner starved by the index rebuild may take that long to accept the request.
        client = Client(url, verbose=False, httpx_kwargs={"timeout": 60.0})
        i = offset
        while not stop.is_set():
            item = items[i % len(items)]
            i += 1
            started = time.perf_counter()
            try:
                try:
                    record = client.predict(question=item[0], history=list(item[1]), k=5, api_name="/ask")
                except concurrent.futures.CancelledError:
                    # Nothing here cancels a job: gradio_client raises this when its reader of the session's
                    # event stream ends (the server closed the stream after the previous job) while this job
                    # was already registered with that reader. Seen once in 5526 asks under a rebuild. The
                    # same question is asked once more on a new client; a second failure is an error.
                    with lock:
                        run.retried += 1
                    client = Client(url, verbose=False, httpx_kwargs={"timeout": 60.0})
                    started = time.perf_counter()
                    record = client.predict(question=item[0], history=list(item[1]), k=5, api_name="/ask")
            except Exception as exc:  # every failure counts, whatever its kind
                with lock:
                    run.errors.append(f"{item[0]}: {type(exc).__name__} {exc}")
                continue
            with lock:
                run.latencies.append((time.perf_counter() - started) * 1000)
                if not check(item, record):
                    run.wrong.append(f"{item[0]}: {record['answer'][:120]}")

    threads = [threading.Thread(target=user, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    return run, threads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--overload", type=int, default=200, help="users in the overload run (0: none)")
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--mixed", action="store_true", help="run `rag add` and `rag index --rebuild` during the load")
    args = parser.parse_args()
    if args.port is None:
        args.port = free_port()
    root = Path(tempfile.mkdtemp(prefix="rag-load-"))
    env = scratch_environment(root)
    server_log = root / "server.log"  # its tracebacks are printed if anything fails
    server = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--port", str(args.port)],
        cwd=CHECKOUT, env=env, stdout=subprocess.DEVNULL, stderr=server_log.open("w"), start_new_session=True,
    )
    url = f"http://127.0.0.1:{args.port}/"
    problems: list[str] = []
    writes: dict[str, tuple[int, float, str]] = {}
    runs: list[Run] = []
    try:
        if not wait_until_up(url, server) or not wait_until_up(url + "api/health", server):
            print("load test: the server did not come up", file=sys.stderr)
            return 1
        rss_before = rss_mb(server.pid)
        big = [post_big_body(url + path) for path in ("gradio_api/call/ask", "api/ask", "v1/chat/completions")]
        rss_after = rss_mb(server.pid)
        print(f"3 x {BIG_BODY_BYTES // 2**20} MB POST: statuses {big}; server RSS {rss_before} MB before, {rss_after} MB after")
        if big != [413] * 3 or rss_after - rss_before > 20:
            problems.append(f"oversize bodies: statuses {big}, RSS {rss_before} -> {rss_after} MB")

        if args.mixed:
            items = [(q, (), expected) for q, expected in CASES]
            check = Checker()
        else:
            os.environ.update({k: env[k] for k in ("RAG_INDEX_DIR", "RAG_CORPUS_DIR", "RAG_MODEL_CACHE")})
            from rag.pipeline import open_bot

            bot = open_bot(progress=False, serving=True)  # as the server does: the limit is the bot's, configured alike
            questions, _ = load_questions(CHECKOUT / "eval" / "questions.jsonl")
            pairs = [(q.question, tuple(q.history)) for q in questions]
            from rag.types import answer_record

            for question, history in pairs:  # warm: every question once
                bot.ask(question, list(history))
            timings = []
            reference: Reference = {}
            for question, history in pairs:
                started = time.perf_counter()
                answer = bot.ask(question, list(history))
                timings.append((time.perf_counter() - started) * 1000)
                reference[(question, history)] = fingerprint(answer_record(answer))
            items = [(q, h, None) for q, h in pairs]
            check = Checker(reference)
            one = in_process_limit(bot, pairs, 8.0, 1)
            cores = os.cpu_count() or 1
            limit = in_process_limit(bot, pairs, 8.0, cores)
            print(
                f"in-process limit over {len(pairs)} eval questions (the bot alone): {one:.1f} answers/s with 1 thread, "
                f"{limit:.1f} with {cores}; one answer p50 {statistics.median(timings):.1f} ms"
            )
            single = api_load(args.port, 1, 8.0, items, check, "JSON API, one user")
            runs.append(single)
            ratio = statistics.median(single.latencies) / statistics.median(timings)
            print(f"one user through /api/ask: p50 {statistics.median(single.latencies):.1f} ms = {ratio:.2f}x the in-process answer")

        stop = threading.Event()
        writing = threading.Thread(target=writers, args=(env, root, writes))
        if args.mixed:  # both paths at once, while the corpus and the index are written
            gradio_run, threads = gradio_load(url, args.clients // 2, stop, items, check)
            api_thread_run: list[Run] = []
            api_thread = threading.Thread(
                target=lambda: api_thread_run.append(api_load(args.port, args.clients - args.clients // 2, float("inf"), items, check, stop=stop))
            )
            began = time.monotonic()
            api_thread.start()
            time.sleep(min(2.0, args.seconds / 4))
            writing.start()
            time.sleep(max(0.0, args.seconds - (time.monotonic() - began)))
            writing.join()  # the load goes on until both writers are done
            stop.set()
            api_thread.join()
            if api_thread_run:
                runs.append(api_thread_run[0])
        else:
            runs.append(api_load(args.port, args.clients, args.seconds, items, check))
            gradio_run, threads = gradio_load(url, args.clients, stop, items, check)
            began = time.monotonic()
            time.sleep(args.seconds)
        stop.set()
        for t in threads:
            t.join()
        gradio_run.wall = time.monotonic() - began
        runs.append(gradio_run)

        if args.overload and not args.mixed:
            before = rss_mb(server.pid)
            overload = api_load(args.port, args.overload, 10.0, items, check, "JSON API, overload")
            runs.append(overload)
            after, peak = rss_mb(server.pid), peak_rss_mb(server.pid)
            print(f"overload: server RSS {before} MB before, {after} MB after, peak {peak} MB (bound: +{MEMORY_BOUND_MB} MB)")
            if after - before > MEMORY_BOUND_MB or server.poll() is not None:
                problems.append(f"overload: RSS {before} -> {after} MB, server {'exited' if server.poll() is not None else 'up'}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    for run in runs:
        print(run.line())
    if args.mixed:
        for name, (code, seconds, last) in writes.items():
            print(f"  {name}: exit {code} after {seconds:.1f} s" + (f" ({last})" if code else ""))
            if code:
                problems.append(f"{name} exited {code}: {last}")
        left = leftovers(root / "index")
        print(f"  index folder after: one live generation, leftovers {left or 'none'}")
        if left:
            problems.append(f"leftovers in the index folder: {left}")
    failures = [line for run in runs for line in run.errors + run.wrong]
    for line in (problems + failures)[:10]:
        print("  " + line, file=sys.stderr)
    if failures or problems:
        print("the server's log, last 40 lines:", *server_log.read_text().splitlines()[-40:], sep="\n  ", file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
