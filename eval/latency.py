"""Warm answer latency over a question file, and the peak memory of the process.

    python eval/latency.py [--questions eval/dev_questions.jsonl] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from rag.metrics import percentile
from rag.pipeline import open_bot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=Path(__file__).with_name("dev_questions.jsonl"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]

    started = time.perf_counter()
    bot = open_bot(progress=False)
    bot.ask("warm-up question about Taiwan")
    load_s = time.perf_counter() - started
    timings = []
    for _ in range(args.repeat):
        for q in questions:
            t = time.perf_counter()
            bot.ask(q["question"], q.get("history", []))
            timings.append((time.perf_counter() - t) * 1000)
    p95 = percentile(timings, 95)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(timings)} answers: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms; "
        f"load+first answer {load_s:.1f} s; peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
