"""The CLI as a user runs it: a new process, the real model, an index under tmp_path."""

import json
import os
import re
import subprocess
import sys

import pytest


def _rag(tmp_path, *args):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_INDEX_DIR": str(tmp_path / "index")}
    return subprocess.run([sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli")
    done = _rag(path, "index")
    assert done.returncode == 0, done.stderr
    assert "index built" in done.stderr
    return path


def test_ask_json_follows_the_schema(index_dir):
    done = _rag(index_dir, "ask", "--json", "--k", "3", "What did Tokayev say about Taiwan?")
    assert done.returncode == 0, done.stderr
    assert "rebuilding" not in done.stderr  # the index built above is current
    record = json.loads(done.stdout)
    assert set(record) >= {"id", "question", "answer", "abstained", "citations", "retrieved", "latency_ms"}
    assert record["id"] is None and record["question"] == "What did Tokayev say about Taiwan?"
    assert record["abstained"] is False and isinstance(record["latency_ms"], float)
    assert len(record["retrieved"]) == 3
    c = record["citations"][0]
    assert set(c) >= {"n", "source", "speaker", "role", "start", "end", "text"}
    assert (c["n"], c["source"], c["role"], c["text"]) == (1, "tokayev_cctv_interview.txt", "answer", "Taiwan is a part of China.")
    # The passage the reply rests on first, then the others by score.
    assert record["retrieved"][0]["id"] == c["passage_id"]
    scores = [r["score"] for r in record["retrieved"][1:]]
    assert scores == sorted(scores, reverse=True)


def test_ask_followup_through_history(index_dir):
    done = _rag(index_dir, "ask", "--json", "--history", "Tell me about the SCO", "And when did it start?")
    assert "1996" in json.loads(done.stdout)["answer"]


def test_empty_question_is_a_clear_error(index_dir):
    done = _rag(index_dir, "ask", "   ")
    assert done.returncode == 2 and "the question is empty" in done.stderr and "Traceback" not in done.stderr


def test_bad_k_names_the_valid_range(index_dir):
    done = _rag(index_dir, "ask", "--k", "0", "Taiwan?")
    assert done.returncode == 2 and "k must be a whole number from 1 to 50, got 0" in done.stderr


def test_a_bad_added_transcript_is_refused_and_the_index_kept(index_dir, tmp_path):
    live = (index_dir / "index" / "CURRENT").read_text()
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"not utf-8 \xff\xfe")
    done = _rag(index_dir, "--corpus", str(bad), "ask", "Taiwan?")
    assert done.returncode == 2 and "broken.txt: is not UTF-8 text" in done.stderr and "Traceback" not in done.stderr
    assert (index_dir / "index" / "CURRENT").read_text() == live
    again = _rag(index_dir, "ask", "--json", "What did Tokayev say about Taiwan?")
    assert again.returncode == 0 and "rebuilding" not in again.stderr


def test_an_added_labelled_interview_is_indexed_and_quoted_as_its_guest(index_dir, tmp_path):
    extra = tmp_path / "minister.txt"
    extra.write_text(
        "Host: What are your plans for the railway network?\n\n"
        "Minister: We will double the railway track between Almaty and Astana by 2030.\n",
        encoding="utf-8",
    )
    done = _rag(tmp_path, "--corpus", str(extra), "ask", "--json", "What are the plans for the railway track to Astana?")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["citations"][0]["source"] == "minister.txt"
    assert record["citations"][0]["speaker"] == "Minister"
    assert "Minister said" in record["answer"]
    # the same after the command (a user run typed it there)
    after = _rag(tmp_path, "ask", "--corpus", str(extra), "--json", "What are the plans for the railway track to Astana?")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["citations"] == record["citations"]


def test_eval_writes_its_outputs_reports_bad_lines_and_enforces_floors(index_dir, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"id": "t1", "question": "What did Tokayev say about Taiwan?", "evidence": ["Taiwan is a part of China"], "must": [["part of China"]]}\n'
        "not json\n"
        '{"id": "t2", "question": "What did Tokayev say about Bitcoin?", "kind": "out_of_scope", "abstain": true, "extra": 1}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = _rag(index_dir, "eval", "--questions", str(questions), "--out", str(out), "--config", "hybrid", "tutorial",
                "--min-metric", "answer_accuracy=1.0", "--min-metric", "tutorial:abstention_accuracy=0.5")
    assert done.returncode == 1, done.stderr
    assert "line 2: not valid JSON" in done.stderr
    assert "tutorial abstention_accuracy = 0.000 is below the floor 0.5" in done.stderr
    assert "hybrid answer_accuracy" not in done.stderr  # that floor holds
    assert "| hybrid | 2 | 1.000 [1.00, 1.00] |" in done.stdout
    records = [json.loads(line) for line in (out / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["correct"]) for r in records] == [("t1", True), ("t2", True)]
    assert {p.name for p in out.iterdir()} == {
        "answers.jsonl", "answers-tutorial.jsonl", "metrics.json", "report.md", "chart.png", "kinds.png",
        "run-hybrid.trec", "qrels-hybrid.txt", "run-tutorial.trec", "qrels-tutorial.txt",
    }
    assert (out / "qrels-hybrid.txt").read_text().startswith("t1 0 tokayev_cctv_interview.txt#t")
    # the same run again, compared with the first: nothing changed
    again = _rag(index_dir, "eval", "--questions", str(questions), "--out", str(tmp_path / "again"), "--config", "hybrid", "--compare", str(out))
    assert again.returncode == 0, again.stderr
    assert "**hybrid**: 2 → 2 right on the questions both runs asked; 0 wrong → right, 0 right → wrong, 0 reworded with the same grade." in again.stdout
    assert "## Compared with" in (tmp_path / "again" / "report.md").read_text()


def test_eval_compare_needs_an_earlier_run_folder(tmp_path):
    done = _rag(tmp_path, "eval", "--compare", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert f"--compare takes the folder of an earlier run (its --out), got '{tmp_path / 'nowhere'}', which is not a folder" in done.stderr


def test_eval_rejects_an_unknown_metric_before_loading_anything(tmp_path):
    done = _rag(tmp_path, "eval", "--min-metric", "speed=1")
    assert done.returncode == 2
    assert "NAME one of recall@1" in done.stderr and "got 'speed=1'" in done.stderr


def test_generative_reply_cites_every_sentence_or_falls_back(index_dir):
    # The real SmolLM2, converted from its GGUF into the test's index folder on first use.
    done = _rag(index_dir, "ask", "--json", "--mode", "generative", "What did Tokayev say about the SCO?")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["mode_used"] in ("generative", "extractive_fallback")
    assert record["citations"] and all(c["role"] == "answer" and c["speaker"] == "Kassym-Jomart Tokayev" for c in record["citations"])
    generation = record["generation"]
    assert generation["tokens"] > 0 and len(generation["sentences"]) == len(generation["kept"])
    if record["mode_used"] == "generative":
        # every shown sentence is one the check kept, followed by its citation number
        kept = [s for s, k in zip(generation["sentences"], generation["kept"]) if k]
        cited = re.findall(r"(.+?) \[(\d+)\](?: |$)", record["answer"])
        assert [s for s, _ in cited] == kept
        assert {int(n) for _, n in cited} == {c["n"] for c in record["citations"]}
    else:
        assert record["notes"][-1].startswith("No generated sentence could be matched to the transcript")


def test_a_generator_folder_that_is_not_a_model_is_an_error(index_dir, tmp_path):
    done = _rag(index_dir, "--generator", str(tmp_path), "ask", "--mode", "generative", "What did Tokayev say about the SCO?")
    assert done.returncode == 2
    assert f"rag: {tmp_path} is not a Hugging Face model folder" in done.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly():
    import subprocess
    import sys

    # `rag ask ... | head -1`: the reply is written to a pipe whose reader has closed it
    code = "import rag.cli as c; c._main = lambda argv: print('x' * 1_000_000) or 0; raise SystemExit(c.main([]))"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert (proc.wait(), stderr) == (141, "")
