"""Load test: N concurrent gradio_client users against a fresh `rag serve`, every reply checked.

    python eval/load_test.py [--clients 20] [--seconds 30] [--port PORT]

Starts the server on 127.0.0.1 (the checkout's index), waits for it to answer, then lets each client ask
questions in a loop for the given time. A reply is wrong unless it cites the passage the question is
about (or declines, for the out-of-scope one). Prints clients, requests, errors, wrong answers,
throughput and latency p50/p95, and exits 1 if there was any error or wrong answer.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from serving import free_port, wait_until_up

from rag.metrics import percentile

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    args = parser.parse_args()
    if args.port is None:
        args.port = free_port()
    checkout = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "serve", "--port", str(args.port)],
        cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{args.port}/"
    try:
        from gradio_client import Client

        if not wait_until_up(url, server):
            print("load test: the server did not come up", file=sys.stderr)
            return 1
        Client(url, verbose=False).predict(question=CASES[0][0], api_name="/ask")  # the model is loaded

        latencies: list[float] = []
        errors: list[str] = []
        wrong: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def user(offset: int) -> None:
            client = Client(url, verbose=False)
            i = offset
            while time.monotonic() < stop_at:
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
        for t in threads:
            t.join()
        wall = time.monotonic() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    requests = len(latencies) + len(errors)
    print(
        f"{args.clients} clients for {wall:.1f} s: {requests} requests, {len(errors)} errors, {len(wrong)} wrong answers; "
        f"{len(latencies) / wall:.1f} answers/s; latency p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {percentile(latencies, 95):.0f} ms"
    )
    for line in (errors + wrong)[:10]:
        print("  " + line, file=sys.stderr)
    return 1 if errors or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
