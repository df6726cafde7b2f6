import json
import threading

from rag.feedback import FeedbackLog


def test_records_survive_a_new_log_object(tmp_path):
    path = tmp_path / "data" / "feedback.jsonl"
    FeedbackLog(path).append({"rating": "up", "question": "Taiwan?"})
    FeedbackLog(path).append({"rating": "down", "question": "SCO?"})
    assert FeedbackLog(path).records() == [{"rating": "up", "question": "Taiwan?"}, {"rating": "down", "question": "SCO?"}]


def test_concurrent_writers_never_interleave_lines(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    long_text = "x" * 5000  # longer than one pipe buffer's worth of a partial write would hide

    def write(worker):
        for i in range(50):
            log.append({"worker": worker, "i": i, "text": long_text})

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400
    assert sorted((r["worker"], r["i"]) for r in map(json.loads, lines)) == [(w, i) for w in range(8) for i in range(50)]


def test_a_torn_last_line_is_skipped(tmp_path):
    path = tmp_path / "feedback.jsonl"
    FeedbackLog(path).append({"rating": "up"})
    with path.open("a", encoding="utf-8") as f:
        f.write('{"rating": "do')  # a crash mid-write
    assert FeedbackLog(path).records() == [{"rating": "up"}]
    assert FeedbackLog(tmp_path / "missing.jsonl").records() == []
