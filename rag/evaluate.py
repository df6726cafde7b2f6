"""`rag eval`: put a question file through the chat's code path under several configs, grade, report.

Configs, side by side in one run:
- hybrid: the bot as users get it (dense + BM25 fused, speaker-aware passages, extractive answers);
- dense / bm25: the same bot ranking passages by one signal alone;
- tutorial: the common tutorial pipeline (`rag.baseline`), the reference every ratio is taken against.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rag.baseline import TutorialBot
from rag.language import detect_language
from rag.metrics import QUALITY_METRICS, answer_matches, first_hit_rank, holds_evidence, summarize
from rag.pipeline import Bot
from rag.retrieval import Retriever
from rag.stats import LEVEL, RESAMPLES, SEED, intervals, paired_differences
from rag.trec import write_trec
from rag.types import QUESTION_KINDS, Answer, Chunk, Document, EvalQuestion, Graded, answer_record

CONFIGS = ("hybrid", "dense", "bm25", "tutorial", "generative")
# generative takes seconds a question, so it runs only when asked for (`--config hybrid generative`)
DEFAULT_CONFIGS = ("hybrid", "dense", "bm25", "tutorial")
CONFIG_DESCRIPTIONS = {
    "hybrid": "this project: speaker-aware passages, dense + BM25 by reciprocal rank fusion",
    "dense": "this project's passages and answers, ranked by embedding similarity only",
    "bm25": "this project's passages and answers, ranked by BM25 only",
    "tutorial": "tutorial baseline: 1000-char windows, 200 overlap, same embedding model, best window as answer",
    "generative": "hybrid retrieval, reply worded by the generator and held to the passages by the grounding check",
}
# Reported on their own: the embedding model is English-only, so they measure a known gap.
SEPARATE_KINDS = ("multilingual",)
DEFINITIONS = {
    "recall@k": "share of answerable questions with evidence whose first retrieved passage containing an evidence string ranks within the top k",
    "mrr": "mean of 1/rank of that first passage (0 when none of the retrieved passages holds evidence)",
    "ndcg@5": "binary-relevance nDCG over the top 5 (a passage is relevant when it contains an evidence string), against the best possible list",
    "answer_accuracy": "share of questions whose reply matches every `must` group, no `must_not` string, and abstains exactly when `abstain` says so",
    "abstention_accuracy": "share of questions marked `abstain` (the interview does not cover them) that the bot declined",
    "false_abstention": "share of answerable questions the bot declined (lower is better)",
    "citation_precision": "share of citations presented as an interviewee's words whose span lies inside one of that interviewee's answers",
    "injection_resistance": "share of `injection` questions whose reply contains none of their `must_not` strings",
    "latency_p50_ms / latency_p95_ms": "nearest-rank percentiles of the per-answer time, model already loaded",
    "faithfulness before / after check": "share of generated sentences (all, then only those the grounding check kept) in which every number and at least 80% of the content words occur in the passages the generator was given (`rag.metrics.faithful`, a judge separate from the check)",
    "fallback_rate": "share of generated answers where no sentence passed the check, so the extractive reply was given",
    "tokens/s": "generated tokens over generation time, prompt processing included",
    "[low, high]": "95% percentile-bootstrap interval over the questions (rag.stats: 2000 resamples, seed 0)",
    "paired p / McNemar p": "two-sided paired-bootstrap p-value of a difference between configs on the same questions (ties at zero counted half to each side); exact McNemar test on the questions only one config got right (0/1 metrics)",
}


class QuestionFileError(ValueError):
    """A question file that cannot be read at all (a bad line is only reported, see `parse_questions`)."""


def _strings(value: Any, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{field}` must be a list of strings")
    return tuple(value)


def question_from_record(record: Any, default_id: str) -> EvalQuestion:
    """One question from its JSON object; unknown fields are ignored, missing optional ones default."""
    if not isinstance(record, dict):
        raise ValueError("a line must be a JSON object")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("`question` must be a non-empty string")
    kind = record.get("kind", "fact")
    if kind not in QUESTION_KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid kinds: {', '.join(QUESTION_KINDS)}")
    must = record.get("must", [])
    if not isinstance(must, list):
        raise ValueError("`must` must be a list of lists of alternatives")
    abstain = record.get("abstain", False)
    if not isinstance(abstain, bool):
        raise ValueError("`abstain` must be true or false")
    return EvalQuestion(
        id=str(record.get("id") or default_id),
        question=question,
        kind=kind,
        history=_strings(record.get("history", []), "history"),
        evidence=_strings(record.get("evidence", []), "evidence"),
        must=tuple(_strings(group, "must") for group in must),
        must_not=_strings(record.get("must_not", []), "must_not"),
        abstain=abstain,
    )


def parse_questions(lines: Iterable[str]) -> tuple[list[EvalQuestion], list[str]]:
    """The questions of a JSONL file, and one problem message per line that was skipped."""
    questions: list[EvalQuestion] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            q = question_from_record(json.loads(line), default_id=f"line{number}")
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg}); skipped")
            continue
        except ValueError as exc:
            problems.append(f"line {number}: {exc}; skipped")
            continue
        if q.id in seen:
            problems.append(f"line {number}: duplicate id {q.id!r}; skipped")
            continue
        seen.add(q.id)
        questions.append(q)
    return questions, problems


def load_questions(path: Path) -> tuple[list[EvalQuestion], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionFileError(f"cannot read question file {path}: {exc}") from exc
    questions, problems = parse_questions(text.splitlines())
    if not questions:
        raise QuestionFileError(f"question file {path} holds no valid question")
    return questions, problems


def evidence_problems(questions: Sequence[EvalQuestion], docs: Sequence[Document]) -> list[str]:
    """Evidence that no transcript contains can never be retrieved: say so before the figures mislead."""
    return [
        f"{q.id}: evidence not found in any transcript: {e!r}"
        for q in questions
        for e in q.evidence
        if not any(e in d.raw for d in docs)
    ]


@dataclass(frozen=True)
class System:
    """One config under test: how it answers, and the passages its index holds (for nDCG's ideal list)."""

    name: str
    ask: Callable[[str, Sequence[str], int], Answer]
    passages: tuple[Chunk, ...]


def build_systems(bot: Bot, names: Sequence[str]) -> list[System]:
    """The configs named, all sharing the bot's loaded model and index."""
    systems = []
    for name in names:
        if name not in CONFIGS:
            raise ValueError(f"unknown config {name!r}; valid configs: {', '.join(CONFIGS)}")
        if name == "tutorial":
            tutorial = TutorialBot(bot.docs, bot.retriever.encoder)
            systems.append(System(name, tutorial.ask, tuple(tutorial.chunks)))
            continue
        index = bot.retriever.index
        passages = index.chunks
        if name == "generative":
            systems.append(System(name, lambda q, h, k: bot.ask(q, h, k, mode="generative"), passages))
            continue
        retriever = bot.retriever if name == bot.retriever.mode else Retriever(index, bot.retriever.encoder, mode=name, names=bot.retriever.names, second=bot.retriever.second)
        engine = bot.engine if retriever is bot.retriever else None
        systems.append(System(name, Bot(bot.docs, retriever, engine=engine).ask, passages))
    return systems


def grade(question: EvalQuestion, answer: Answer, system: System, docs: Sequence[Document]) -> Graded:
    retrieved = [h.chunk.text for h in answer.retrieved]
    # Each answer's speaker (a panel's answers are each their own interviewee's).
    answers_of = {d.source: [(t.start, t.end, t.speaker) for t in d.turns if t.role == "answer"] for d in docs}
    interviewees = {d.source: {speaker for _, _, speaker in answers_of[d.source]} for d in docs}
    presented_as_his = [c for c in answer.citations if c.speaker in interviewees.get(c.source, ())]
    precise = [
        c for c in presented_as_his if any(start <= c.start and c.end <= end and c.speaker == speaker for start, end, speaker in answers_of[c.source])
    ]
    correct = answer.abstained == question.abstain and answer_matches(answer.answer, question.must, question.must_not)
    return Graded(
        question=question,
        answer=answer,
        config=system.name,
        first_hit_rank=first_hit_rank(retrieved, question.evidence),
        relevant_retrieved=tuple(holds_evidence(t, question.evidence) for t in retrieved),
        n_relevant=sum(holds_evidence(c.text, question.evidence) for c in system.passages),
        correct=correct,
        interviewee_citations=len(presented_as_his),
        precise_citations=len(precise),
    )


def run_system(system: System, questions: Sequence[EvalQuestion], docs: Sequence[Document], k: int) -> list[Graded]:
    return [grade(q, system.ask(q.question, q.history, k), system, docs) for q in questions]


def metrics_of(graded: Sequence[Graded]) -> dict[str, Any]:
    """Overall figures (without the separately reported kinds) and figures per kind, each with its 95%
    bootstrap interval (`rag.stats`)."""
    # A file of only multilingual questions has them as its overall figures (its floors apply to them).
    main = [g for g in graded if g.question.kind not in SEPARATE_KINDS] or list(graded)
    kinds = [k for k in QUESTION_KINDS if any(g.question.kind == k for g in graded)]
    by_kind = {k: [g for g in graded if g.question.kind == k] for k in kinds}
    by_language: dict[str, list[Graded]] = {}
    for g in graded:
        language = detect_language(g.question.question)
        if language != "en":
            by_language.setdefault(language, []).append(g)
    return {
        "overall": summarize(main),
        "overall_ci": intervals(main),
        "by_kind": {k: summarize(group) for k, group in by_kind.items()},
        "by_kind_ci": {k: intervals(group) for k, group in by_kind.items()},
        "by_language": {k: summarize(group) for k, group in sorted(by_language.items())},
        "by_language_ci": {k: intervals(group) for k, group in sorted(by_language.items())},
    }


def comparisons(graded: dict[str, list[Graded]]) -> list[dict[str, Any]]:
    """The first config against every other, on the questions of the overall figures."""
    names = list(graded)
    main = {n: [g for g in graded[n] if g.question.kind not in SEPARATE_KINDS] for n in names}
    return [asdict(d) for other in names[1:] for d in paired_differences(main[names[0]], main[other])]


def graded_record(g: Graded) -> dict[str, Any]:
    record = answer_record(g.answer, g.question.id)
    record.update(
        kind=g.question.kind,
        config=g.config,
        history=list(g.question.history),
        correct=g.correct,
        first_hit_rank=g.first_hit_rank,
    )
    return record


def parse_floor(text: str, configs: Sequence[str]) -> tuple[str, str, float]:
    """`recall@1=0.9` (first config) or `dense:recall@1=0.8` -> (config, metric, floor)."""
    name, sep, value = text.partition("=")
    config, _, metric = name.rpartition(":")
    config = config or configs[0]
    if not sep or metric not in QUALITY_METRICS:
        raise ValueError(f"--min-metric takes NAME=VALUE with NAME one of {', '.join(QUALITY_METRICS)}, got {text!r}")
    if config not in configs:
        raise ValueError(f"--min-metric names config {config!r}, which this run does not include ({', '.join(configs)})")
    try:
        floor = float(value)
    except ValueError:
        raise ValueError(f"--min-metric needs a number after '=', got {text!r}") from None
    return config, metric, floor


def failed_floors(metrics: dict[str, Any], floors: Sequence[tuple[str, str, float]]) -> list[str]:
    failures = []
    for config, metric, floor in floors:
        value = metrics["configs"][config]["overall"][metric]
        if value is None or value < floor:
            failures.append(f"{config} {metric} = {_fmt(value)} is below the floor {floor}")
    return failures


def _fmt(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    return str(value) if isinstance(value, int) else f"{value:.{digits}f}"


TABLE_COLUMNS = (
    ("recall@1", "R@1"), ("recall@3", "R@3"), ("recall@5", "R@5"), ("mrr", "MRR"), ("ndcg@5", "nDCG@5"),
    ("answer_accuracy", "answer acc"), ("abstention_accuracy", "abstain acc"), ("false_abstention", "false abst"),
    ("citation_precision", "cite prec"), ("injection_resistance", "injection"),
    ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
)


def _cell(key: str, m: dict[str, Any], ci: dict[str, Any]) -> str:
    value = _fmt(m[key], 1 if key.startswith("latency") else 3)
    interval = ci.get(key)
    return f"{value} [{interval[0]:.2f}, {interval[1]:.2f}]" if interval and m[key] is not None else value


def _row(label: str, m: dict[str, Any], ci: dict[str, Any] | None = None) -> str:
    cells = [_cell(key, m, ci or {}) for key, _ in TABLE_COLUMNS]
    return "| " + " | ".join([label, str(m["questions"]), *cells]) + " |"


def _header(first: str) -> list[str]:
    names = [first, "n", *(short for _, short in TABLE_COLUMNS)]
    return ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]


def summary_table(metrics: dict[str, Any]) -> str:
    """Markdown table, one row per config, overall figures with their 95% intervals."""
    rows = _header("config") + [_row(name, m["overall"], m.get("overall_ci")) for name, m in metrics["configs"].items()]
    return "\n".join(rows)


def kind_table(config_metrics: dict[str, Any]) -> str:
    cis = config_metrics.get("by_kind_ci", {})
    rows = _header("kind") + [_row(kind, m, cis.get(kind)) for kind, m in config_metrics["by_kind"].items()]
    return "\n".join(rows)


def comparison_table(metrics: dict[str, Any]) -> str:
    """The first config against each other one, metric by metric, on the same questions."""
    rows = [
        "| comparison | metric | difference [95% CI] | paired bootstrap p | McNemar p | questions scoring 1 for the first only / the second only |",
        "|---|---|---|---|---|---|",
    ]
    for d in metrics.get("comparisons", []):
        interval = d["interval"]
        diff = f"{d['difference']:+.3f}" + (f" [{interval[0]:+.3f}, {interval[1]:+.3f}]" if interval else "")
        mcnemar = "" if d["mcnemar_p"] is None else f"{d['mcnemar_p']:.3g}"
        counts = "" if d["a_only"] is None else f"{d['a_only']} / {d['b_only']}"
        p = f"< {1 / RESAMPLES:g}" if d["p_value"] < 1 / RESAMPLES else f"{d['p_value']:.3g}"
        rows.append(f"| {d['a']} vs {d['b']} | {d['metric']} | {diff} | {p} | {mcnemar} | {counts} |")
    return "\n".join(rows)


def _ratio_lines(metrics: dict[str, Any]) -> list[str]:
    configs = metrics["configs"]
    if "tutorial" not in configs or len(configs) < 2:
        return []
    base = configs["tutorial"]["overall"]
    lines = []
    for name, m in configs.items():
        if name == "tutorial":
            continue
        parts = []
        for key in ("recall@1", "mrr", "answer_accuracy", "citation_precision"):
            mine, theirs = m["overall"][key], base[key]
            if mine is not None and theirs:
                parts.append(f"{key} ×{mine / theirs:.2f}")
        lines.append(f"- {name} vs tutorial: " + ", ".join(parts))
    return lines


GENERATION_COLUMNS = (
    ("answer_accuracy", "answer acc"), ("faithfulness_before_check", "faithful before check"),
    ("faithfulness_after_check", "faithful after check"), ("fallback_rate", "fallback rate"),
    ("sentences_generated", "sentences"), ("sentences_shown", "shown"), ("tokens_per_s", "tokens/s"),
    ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
)


def generation_table(metrics: dict[str, Any]) -> str:
    """Configs that used the generator, beside the first config (extractive) for comparison."""
    rows = ["| config | " + " | ".join(short for _, short in GENERATION_COLUMNS) + " |", "|" + "---|" * (len(GENERATION_COLUMNS) + 1)]
    for name, m in metrics["configs"].items():
        o = m["overall"]
        if o["generated_answers"] or name == next(iter(metrics["configs"])):
            rows.append("| " + " | ".join([name, *(_fmt(o[key], 1 if key.startswith(("latency", "tokens")) else 3) for key, _ in GENERATION_COLUMNS)]) + " |")
    return "\n".join(rows)


def render_report(metrics: dict[str, Any], graded: dict[str, list[Graded]], chart_name: str | None) -> str:
    first = next(iter(metrics["configs"]))
    lines = [
        "# Evaluation report",
        "",
        f"Questions: `{metrics['questions_file']}` ({metrics['n_questions']} questions; "
        + ", ".join(f"{k} {n}" for k, n in metrics["kinds"].items())
        + f"). Passages retrieved per question: {metrics['k']}.",
        f"Overall figures leave out the {', '.join(SEPARATE_KINDS)} questions, which are reported per kind below.",
        "",
        "## Configs, side by side",
        "",
        summary_table(metrics),
        "",
        _interval_note(metrics),
        "",
        *_ratio_lines(metrics),
        "",
    ]
    if chart_name:
        lines += [f"![metrics per config]({chart_name})", ""]
    if metrics.get("comparisons"):
        lines += [
            f"## Paired comparisons: {first} against the other configs",
            "",
            "Differences on the same questions (first minus second), with the paired-bootstrap 95% interval and "
            "two-sided p-value (the same resamples for both configs), and the exact McNemar test for the 0/1 "
            "metrics (it reads only the questions one config got right and the other wrong).",
            "",
            comparison_table(metrics),
            "",
        ]
    if metrics.get("compare"):
        lines += compare_lines(metrics["compare"])
    if any(m["overall"]["generated_answers"] for m in metrics["configs"].values()):
        lines += ["## Generative mode", "", generation_table(metrics), ""]
    lines += ["Configs:", ""]
    lines += [f"- **{name}**: {CONFIG_DESCRIPTIONS[name]}" for name in metrics["configs"]]
    if chart_name:
        lines += ["", f"![answer accuracy and recall@1 per kind, with 95% intervals]({KINDS_CHART})"]
    for name, m in metrics["configs"].items():
        lines += ["", f"## Per kind: {name}", "", kind_table(m)]
        if m.get("by_language"):
            cis = m.get("by_language_ci", {})
            lines += ["", f"Questions not in English, by language ({name}):", ""]
            lines += _header("language") + [_row(lang, lm, cis.get(lang)) for lang, lm in m["by_language"].items()]
    curve = metrics.get("coverage_curve")
    if curve:
        lines += [
            f"## The \"not covered\" decision: precision and recall ({first})",
            "",
            "Declining is the positive class: a question is declined when P(covered) < t (the shipped threshold is "
            f"{curve['threshold']}, fitted on the dev questions). Over the {curve['n']} questions the decision was made for "
            f"({curve['positives']} marked not covered):",
            "",
            "| t | precision | recall | declined |",
            "|---|---|---|---|",
            *[f"| {p['t']:.1f}{' (shipped)' if abs(p['t'] - curve['threshold']) < 1e-9 else ''} | {_fmt(p['precision'])} | {_fmt(p['recall'])} | {p['declined']} |" for p in curve["points"]],
            "",
        ]
    misses = [g for g in graded[first] if not g.correct or (g.question.evidence and not g.question.abstain and g.first_hit_rank != 1)]
    lines += ["", f"## Questions {first} got wrong or ranked below 1", ""]
    if not misses:
        lines.append("None.")
    for g in misses:
        why = []
        if not g.correct:
            why.append("abstained" if g.answer.abstained and not g.question.abstain else "answer does not match")
        if g.question.evidence and not g.question.abstain and g.first_hit_rank != 1:
            why.append(f"evidence at rank {g.first_hit_rank or 'none'}")
        lines.append(f"- {g.question.id} ({g.question.kind}) {g.question.question!r}: {'; '.join(why)}")
    lines += ["", "## Definitions", ""]
    lines += [f"- **{name}**: {text}." for name, text in DEFINITIONS.items()]
    return "\n".join(lines) + "\n"


def coverage_curve(graded: Sequence[Graded]) -> dict[str, Any] | None:
    """Precision and recall of declining ("not covered") at thresholds 0.1 ... 0.9 of P(covered), over
    the questions whose answer went through the decision (not meta, absent-speaker or attribution replies)."""
    from rag.calibration import load_calibration

    decided = [g for g in graded if g.answer.covered_probability is not None and g.question.kind not in SEPARATE_KINDS]
    if not decided:
        return None
    positives = sum(g.question.abstain for g in decided)
    points = []
    for t in [round(0.1 * i, 1) for i in range(1, 10)]:
        declined = [g for g in decided if g.answer.covered_probability < t]
        right = sum(g.question.abstain for g in declined)
        points.append({"t": t, "declined": len(declined), "precision": right / len(declined) if declined else None, "recall": right / positives if positives else None})
    return {"threshold": load_calibration().coverage_threshold, "n": len(decided), "positives": positives, "points": points}


CHART_METRICS = ("recall@1", "recall@3", "mrr", "ndcg@5", "answer_accuracy", "abstention_accuracy", "citation_precision")


def write_chart(metrics: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = list(metrics["configs"])
    width = 0.8 / len(configs)
    fig, ax = plt.subplots(figsize=(11, 4.2), dpi=110)
    for i, name in enumerate(configs):
        values = [metrics["configs"][name]["overall"][m] or 0.0 for m in CHART_METRICS]
        xs = [x + (i - (len(configs) - 1) / 2) * width for x in range(len(CHART_METRICS))]
        bars = ax.bar(xs, values, width, label=name)
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in values], fontsize=6, padding=1)
    ax.set_xticks(range(len(CHART_METRICS)), [m.replace("_", "\n") for m in CHART_METRICS], fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share (higher is better)")
    first = metrics["configs"][configs[0]]["overall"]["questions"]
    ax.set_title(f"{Path(metrics['questions_file']).name}: overall figures over {first} questions", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


KINDS_CHART = "kinds.png"


def write_kinds_chart(metrics: dict[str, Any], path: Path) -> None:
    """Answer accuracy and recall@1 per question kind, one bar per config, the 95% intervals as error bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = list(metrics["configs"])
    kinds = list(metrics["kinds"])
    width = 0.8 / len(configs)
    fig, axes = plt.subplots(2, 1, figsize=(11, 6.4), dpi=110, sharex=True)
    for ax, metric in zip(axes, ("answer_accuracy", "recall@1")):
        for i, name in enumerate(configs):
            m = metrics["configs"][name]
            values, low, high = [], [], []
            for kind in kinds:
                value = m["by_kind"].get(kind, {}).get(metric)
                interval = m["by_kind_ci"].get(kind, {}).get(metric)
                values.append(value or 0.0)
                low.append(value - interval[0] if value is not None and interval else 0.0)
                high.append(interval[1] - value if value is not None and interval else 0.0)
            xs = [x + (i - (len(configs) - 1) / 2) * width for x in range(len(kinds))]
            ax.bar(xs, values, width, yerr=[low, high], capsize=2, label=name, error_kw={"elinewidth": 0.8})
        ax.set_ylim(0, 1.08)
        ax.set_ylabel(metric.replace("_", " "))
        ax.grid(axis="y", alpha=0.3)
    axes[1].set_xticks(range(len(kinds)), [f"{k}\n(n={metrics['kinds'][k]})" for k in kinds], fontsize=8)
    axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axes[0].set_title(f"{Path(metrics['questions_file']).name}: per kind, 95% bootstrap intervals", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_outputs(
    out_dir: Path, metrics: dict[str, Any], graded: dict[str, list[Graded]], passages: dict[str, Sequence[Chunk]] | None = None
) -> None:
    """answers.jsonl (first config; answers-<config>.jsonl for the others), metrics.json, chart.png,
    kinds.png, report.md, and per config with known passages a TREC run file and its qrels."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for i, (name, results) in enumerate(graded.items()):
        path = out_dir / ("answers.jsonl" if i == 0 else f"answers-{name}.jsonl")
        path.write_text("".join(json.dumps(graded_record(g), ensure_ascii=False) + "\n" for g in results), encoding="utf-8")
        if passages and name in passages:
            write_trec(out_dir, name, results, passages[name])
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    write_chart(metrics, out_dir / "chart.png")
    write_kinds_chart(metrics, out_dir / KINDS_CHART)
    (out_dir / "report.md").write_text(render_report(metrics, graded, "chart.png"), encoding="utf-8")


def _interval_note(metrics: dict[str, Any]) -> str:
    b = metrics.get("bootstrap")
    if not b:
        return ""
    return (
        f"In brackets: the {b['level']:.0%} {b['method']} ({b['resamples']} resamples, seed {b['seed']}): how far a figure "
        "could move on another sample of questions like these."
    )


def compare_runs(old_dir: Path, graded: dict[str, list[Graded]]) -> dict[str, Any]:
    """This run against an earlier one (`rag eval --out OLD_DIR`), question by question and config by config:
    which answers went from right to wrong and back, with both replies. Raises QuestionFileError if the
    earlier run holds none of these configs."""
    old_records: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(old_dir.glob("answers*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            old_records.setdefault(record["config"], {})[record["id"]] = record
    if not any(name in old_records for name in graded):
        raise QuestionFileError(f"{old_dir}: holds no answers of the configs {', '.join(graded)} (answers*.jsonl from `rag eval --out`)")
    out: dict[str, Any] = {"old": str(old_dir), "configs": {}}
    for name, results in graded.items():
        before = old_records.get(name)
        if before is None:
            continue
        changed: dict[str, list[dict[str, Any]]] = {"right_to_wrong": [], "wrong_to_right": []}
        reworded = 0
        for g in results:
            old = before.get(g.question.id)
            if old is None:
                continue
            if old["correct"] != g.correct:
                key = "wrong_to_right" if g.correct else "right_to_wrong"
                changed[key].append(
                    {"id": g.question.id, "kind": g.question.kind, "question": g.question.question, "before": old["answer"], "after": g.answer.answer}
                )
            elif old["answer"] != g.answer.answer:
                reworded += 1
        ids = {g.question.id for g in results}
        out["configs"][name] = {
            **changed,
            "reworded_same_grade": reworded,
            "only_in_old": len(set(before) - ids),
            "only_in_new": len(ids - set(before)),
            "old_correct": sum(1 for i in ids if i in before and before[i]["correct"]),
            "new_correct": sum(1 for g in results if g.question.id in before and g.correct),
        }
    return out


def compare_lines(compare: dict[str, Any]) -> list[str]:
    lines = [f"## Compared with `{compare['old']}`", ""]
    for name, c in compare["configs"].items():
        lines.append(
            f"**{name}**: {c['old_correct']} → {c['new_correct']} right on the questions both runs asked; "
            f"{len(c['wrong_to_right'])} wrong → right, {len(c['right_to_wrong'])} right → wrong, "
            f"{c['reworded_same_grade']} reworded with the same grade"
            + (f"; {c['only_in_old']} only in the earlier run, {c['only_in_new']} only in this one" if c["only_in_old"] or c["only_in_new"] else "")
            + "."
        )
        lines.append("")
        for key, title in (("right_to_wrong", "right → wrong"), ("wrong_to_right", "wrong → right")):
            for item in c[key]:
                lines += [
                    f"- {title}: {item['id']} ({item['kind']}) {item['question']!r}",
                    f"  - before: {' '.join(item['before'].split())}",
                    f"  - after: {' '.join(item['after'].split())}",
                ]
        lines.append("")
    return lines


def evaluate(
    systems: Sequence[System], questions: Sequence[EvalQuestion], docs: Sequence[Document], k: int, questions_file: str
) -> tuple[dict[str, Any], dict[str, list[Graded]]]:
    graded = {s.name: run_system(s, questions, docs, k) for s in systems}
    kinds: dict[str, int] = {}
    for q in questions:
        kinds[q.kind] = kinds.get(q.kind, 0) + 1
    metrics = {
        "questions_file": questions_file,
        "n_questions": len(questions),
        "kinds": kinds,
        "k": k,
        "definitions": DEFINITIONS,
        "configs": {name: metrics_of(results) for name, results in graded.items()},
        "coverage_curve": coverage_curve(next(iter(graded.values()))) if graded else None,
        "bootstrap": {"method": "percentile bootstrap over questions", "resamples": RESAMPLES, "seed": SEED, "level": LEVEL},
        "comparisons": comparisons(graded),
    }
    return metrics, graded
