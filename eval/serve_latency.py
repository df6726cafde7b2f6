"""Cold start of the web app and its per-answer latency, as a user meets them.

    python eval/serve_latency.py [--port 7862] [--rounds 6]

Starts `make run` as a new process, times the page coming up and the first answer through the API
(`/ask`, gradio_client), then asks a few questions repeatedly: the round trip through Gradio's queue, and
the answer's own `latency_ms`. Prints the server's peak RSS, then stops the server.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import time
from pathlib import Path

from serving import peak_rss_mb, wait_until_up

from rag.metrics import percentile

QUESTIONS = (
    "What did Tokayev say about Taiwan?",
    "When did the SCO start?",
    "What did he say about young people?",
    "What does he expect from the summit in Xi'an?",
    "What did Tokayev say about Bitcoin?",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=7862)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    checkout = Path(__file__).resolve().parent.parent
    started = time.perf_counter()
    server = subprocess.Popen(
        ["make", "run", f"SERVE_ARGS=--port {args.port}"], cwd=checkout,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{args.port}/"
    try:
        if not wait_until_up(url, server):
            raise SystemExit("serve_latency: the server did not come up")
        page_s = time.perf_counter() - started
        from gradio_client import Client

        client = Client(url, verbose=False)
        client.predict(question=QUESTIONS[0], history=[], k=5, api_name="/ask")
        first_s = time.perf_counter() - started
        round_trips, answers = [], []
        for _ in range(args.rounds):
            for q in QUESTIONS:
                t = time.perf_counter()
                record = client.predict(question=q, history=[], k=5, api_name="/ask")
                round_trips.append((time.perf_counter() - t) * 1000)
                answers.append(record["latency_ms"])
        pid = subprocess.run(["pgrep", "-f", f"rag serve --port {args.port}"], capture_output=True, text=True).stdout.split()[0]
        rss_mb = peak_rss_mb(int(pid))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
    print(f"page up {page_s:.1f} s and first answer {first_s:.1f} s after `make run`")
    print(
        f"{len(answers)} answers: API round trip p50 {statistics.median(round_trips):.0f} ms, p95 {percentile(round_trips, 95):.0f} ms; "
        f"answer itself p50 {statistics.median(answers):.1f} ms, p95 {percentile(answers, 95):.1f} ms; server peak RSS {rss_mb} MB"
    )


if __name__ == "__main__":
    main()
