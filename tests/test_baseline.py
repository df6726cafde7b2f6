from rag.baseline import TutorialBot, fixed_windows


def test_fixed_windows_overlap_and_cover_the_file(seed):
    windows = fixed_windows(seed, size=1000, overlap=200)
    assert [w.start for w in windows] == list(range(0, 800 * len(windows), 800))
    assert windows[-1].end == len(seed.raw)
    assert all(seed.raw[w.start : w.end] == w.text for w in windows)
    assert all(len(w.text) == 1000 for w in windows[:-1])
    # no speaker awareness: every window is presented as the interviewee's words
    assert {(w.role, w.speaker) for w in windows} == {("answer", "Kassym-Jomart Tokayev")}


def test_tutorial_answers_every_question_with_its_best_window(seed, fake_encoder):
    bot = TutorialBot([seed], fake_encoder)
    answer = bot.ask("Taiwan is a part of China", k=3)
    assert not answer.abstained and answer.mode_used == "tutorial"
    assert [h.rank for h in answer.retrieved] == [1, 2, 3]
    assert "Taiwan is a part of China" in answer.retrieved[0].chunk.text
    assert answer.citations[0].text == answer.retrieved[0].chunk.text
