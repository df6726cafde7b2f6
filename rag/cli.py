"""`rag index | ask | chat`: the terminal face of the bot."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from rag.answer import MAX_K
from rag.corpus import CorpusError
from rag.index import StaleIndexError
from rag.evaluate import CONFIGS, DEFAULT_CONFIGS, parse_floor
from rag.metrics import QUALITY_METRICS
from rag.models import ModelNotInstalledError
from rag.pipeline import ANSWER_MODES
from rag.query import QuestionError
from rag.reply_text import english_list
from rag.types import Answer, Document, FinalEvent, TextEvent, answer_record


def _positive_k(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"k must be a whole number from 1 to {MAX_K}, got {value!r}") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"k must be a whole number from 1 to {MAX_K}, got {k}")
    return k


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        # Which interview is the corpus's to say (`rag chat` names it from the parsed transcript).
        description="Ask what was said in the bundled interview transcript (and any added with `rag add`), in English, "
        "Russian, Kazakh or Chinese (quotes stay in the transcript's English).",
    )
    parser.add_argument("--index-dir", type=Path, default=None, help="index folder (default: index/ of the checkout)")
    parser.add_argument(
        "--corpus", type=Path, action="append", default=[], metavar="FILE",
        help=(
            "a further transcript (UTF-8: `Name: text` or `Q:`/`A:` paragraphs, dash-led ones, the seed's unlabelled layout,"
            " a subtitle file (SRT, WebVTT, SBV, TTML, ASS, SAMI), a JSON export (a transcription service's or a chat channel's),"
            " a recognizer's segment dump, a web page's HTML source, a Markdown table, a CSV export, a court reporter's"
            " numbered pages, a PDF's text or an RTF file); repeatable"
        ),
    )
    parser.add_argument(
        "--generator", type=Path, default=None, metavar="DIR",
        help="a local Hugging Face causal-LM folder for --mode generative (default: the bundled SmolLM2-135M-Instruct)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p_add = sub.add_parser("add", help="check a transcript, add it to the corpus folder and rebuild the index")
    p_add.add_argument("file", type=Path)
    p_add.add_argument("--replace", action="store_true", help="overwrite an added transcript of the same name")

    p_index = sub.add_parser("index", help="build the index if it is missing or stale")
    p_index.add_argument("--rebuild", action="store_true", help="rebuild even if the index is current")

    p_ask = sub.add_parser("ask", help="answer one question (English, Russian, Kazakh or Chinese)")
    p_ask.add_argument("question")
    p_ask.add_argument("--json", action="store_true", help="print one JSON record (schema in README)")
    p_ask.add_argument("--k", type=_positive_k, default=5, help="passages to retrieve (1-50, default 5)")
    p_ask.add_argument("--history", action="append", default=[], help="an earlier question of the same chat (repeatable)")
    p_ask.add_argument("--mode", choices=ANSWER_MODES, default="extractive", help="extractive quotes (default) or a generated, grounding-checked reply")

    p_eval = sub.add_parser("eval", help="answer a question file under several configs; write answers, metrics, report, chart")
    p_eval.add_argument("--questions", type=Path, default=None, help="JSONL question file (default: eval/questions.jsonl)")
    p_eval.add_argument("--out", type=Path, default=None, help="output folder (default: eval/out)")
    p_eval.add_argument("--k", type=_positive_k, default=5, help="passages to retrieve (1-50, default 5)")
    p_eval.add_argument(
        "--config", nargs="+", choices=CONFIGS, default=list(DEFAULT_CONFIGS), metavar="NAME",
        help=f"configs to compare, the first is the one floors apply to by default (choices: {', '.join(CONFIGS)}; "
        f"default: {' '.join(DEFAULT_CONFIGS)}; generative takes ~8 s a question)",
    )
    p_eval.add_argument(
        "--compare", type=Path, default=None, metavar="OLD_DIR",
        help="an earlier run's --out folder: list the questions whose grade changed, with both replies",
    )
    p_eval.add_argument(
        "--min-metric", action="append", default=[], metavar="[CONFIG:]NAME=VALUE",
        help=f"exit 1 if an overall metric falls below VALUE (NAME: {', '.join(QUALITY_METRICS)}); repeatable",
    )

    for name, command in extension_commands().items():
        command.add_arguments(sub.add_parser(name, help=command.HELP))

    p_chat = sub.add_parser("chat", help="chat in the terminal; follow-up questions use the chat so far")
    p_chat.add_argument("--k", type=_positive_k, default=5)
    p_chat.add_argument("--mode", choices=ANSWER_MODES, default="extractive")
    # "rag ask --corpus FILE ..." as well as "rag --corpus FILE ask ...": a user run tried the first.
    for command in (p_ask, p_eval, p_chat, p_index):
        command.add_argument(
            "--corpus", dest="command_corpus", type=Path, action="append", default=[], metavar="FILE",
            help="a further transcript (as the global --corpus); repeatable",
        )
    return parser


def extension_commands() -> dict:
    """Commands other packages register under the `rag.commands` entry point (`rag serve` from `ui`)."""
    from importlib.metadata import entry_points

    return {ep.name: ep.load() for ep in entry_points(group="rag.commands")}


def format_sources(answer: Answer) -> str:
    lines = ["Sources:"]
    for c in answer.citations:
        # A narration's speaker already says so ("Narration (Kazinform)"); an interviewer's may be a bare name.
        who = f"{c.speaker}, interviewer" if c.role == "question" else c.speaker
        lines.append(f"  [{c.n}] {who} — {c.source} chars {c.start}-{c.end}")
    return "\n".join(lines)


def format_answer(answer: Answer) -> str:
    reply = textwrap.fill(answer.answer, width=100, replace_whitespace=False)
    return f"{reply}\n\n{format_sources(answer)}" if answer.citations else reply


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`rag ask ... | head -1`): not an error of ours. Point stdout at devnull so
        # that the interpreter's final flush does not raise again (the Python docs' recipe for SIGPIPE).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process ended by SIGPIPE


def _main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    extensions = extension_commands()
    if args.command in extensions:
        try:
            return extensions[args.command].run(args)
        except CorpusError as exc:
            print(f"rag: {exc}", file=sys.stderr)
            return 2
    if args.command == "eval":
        try:
            args.floors = [parse_floor(f, args.config) for f in args.min_metric]
        except ValueError as exc:
            parser.error(str(exc))
        if args.compare and not args.compare.is_dir():
            parser.error(f"--compare takes the folder of an earlier run (its --out), got {str(args.compare)!r}, which is not a folder")
    from rag.pipeline import add_and_index, open_bot  # deferred: `rag --help` should not import the model stack

    args.corpus = [*args.corpus, *getattr(args, "command_corpus", [])]
    if args.command == "add":
        try:
            add_and_index(args.file, args.index_dir, args.replace, log=lambda m: print(m, file=sys.stderr), corpus=args.corpus)
        except (CorpusError, StaleIndexError) as exc:
            print(f"rag: {exc}", file=sys.stderr)
            return 2
        return 0

    try:
        bot = open_bot(args.index_dir, rebuild=getattr(args, "rebuild", False), corpus=args.corpus, generator_dir=args.generator)
    except (CorpusError, StaleIndexError) as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return 2
    if args.command in ("index", "add"):
        return 0
    if args.command == "eval":
        return _eval(bot, args)
    if args.command == "ask":
        try:
            answer = _answer(bot, args.question, args.history, args.k, args.mode, stream=not args.json)
        except (QuestionError, ModelNotInstalledError) as exc:
            print(f"rag: {exc}", file=sys.stderr)
            return 2
        if args.json:
            print(json.dumps(answer_record(answer), ensure_ascii=False))
        return 0
    return _chat(bot, args.k, args.mode)


def _eval(bot, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from rag.evaluate import (
        QuestionFileError, build_systems, compare_lines, compare_runs, evaluate, evidence_problems, failed_floors, load_questions,
        summary_table, write_outputs,
    )
    from rag.pipeline import checkout_dir

    checkout = checkout_dir() or Path.cwd()
    questions_path = args.questions or checkout / "eval" / "questions.jsonl"
    out_dir = args.out or checkout / "eval" / "out"
    try:
        questions, problems = load_questions(questions_path)
    except QuestionFileError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return 2
    for problem in problems + evidence_problems(questions, bot.docs):
        print(f"rag eval: {questions_path}: {problem}", file=sys.stderr)
    shown = questions_path.resolve()
    shown = shown.relative_to(Path.cwd()) if shown.is_relative_to(Path.cwd()) else shown
    systems = build_systems(bot, args.config)
    metrics, graded = evaluate(systems, questions, bot.docs, args.k, str(shown))
    if args.compare:
        try:  # read before writing: --compare may name the folder this run writes to
            metrics["compare"] = compare_runs(args.compare, graded)
        except (QuestionFileError, OSError, ValueError, KeyError) as exc:
            print(f"rag: --compare {args.compare}: {exc}", file=sys.stderr)
            return 2
    write_outputs(out_dir, metrics, graded, {s.name: s.passages for s in systems})
    print(summary_table(metrics))
    if metrics.get("compare"):
        print("\n" + "\n".join(compare_lines(metrics["compare"])).rstrip())
    print(f"\nWrote {out_dir}/answers.jsonl, metrics.json, report.md, chart.png, kinds.png, run-<config>.trec, qrels-<config>.txt")
    failures = failed_floors(metrics, args.floors)
    for failure in failures:
        print(f"rag eval: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _answer(bot, question: str, history: list[str], k: int, mode: str, stream: bool, prompt: str = "") -> Answer:  # type: ignore[no-untyped-def]
    """Answers; with `stream`, prints a generated reply sentence by sentence as each passes the grounding
    check, then its sources (any other reply is printed whole)."""
    shown = ""
    final = None
    for event in bot.stream(question, history, k, mode):
        if isinstance(event, FinalEvent):
            final = event.answer
        elif isinstance(event, TextEvent) and stream:
            print((prompt if not shown else " ") + event.text[len(shown):].strip(), end="", flush=True)
            shown = event.text
    assert final is not None
    if stream and shown:
        print("\n\n" + format_sources(final))
    elif stream:
        print(prompt + format_answer(final))
    return final


def chat_subject(docs: Sequence[Document]) -> str:
    """What the chat is about: every transcript's interview, each with its date (a user run found an
    added transcript missing from the greeting).

    >>> from rag.types import Document
    >>> chat_subject([Document("a.txt", "", "a", "Ada Li", "Bo Ek", "", ()), Document("b.txt", "", "b", "Cy Do", "Bo Ek", "", ())])
    "Ada Li's interview and Cy Do's interview"
    """
    return english_list([f"{doc.interviewee}'s interview" + (f" ({date.value})" if (date := doc.date_field()) else "") for doc in docs])


def _chat(bot, k: int, mode: str) -> int:  # type: ignore[no-untyped-def]
    print(f"Ask about {chat_subject(bot.docs)} in English, Russian, Kazakh or Chinese. Empty line or Ctrl-D to quit.")
    history: list[str] = []
    while True:
        try:
            question = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            return 0
        try:
            _answer(bot, question, history, k, mode, stream=True, prompt="bot> ")
        except (QuestionError, ModelNotInstalledError) as exc:
            print(f"bot> {exc}")
            continue
        history.append(question)


if __name__ == "__main__":
    sys.exit(main())
