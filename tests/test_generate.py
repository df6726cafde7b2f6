"""Generative mode with a scripted generator: which sentences the grounding check keeps, and why."""

from rag.answer import AnswerSettings, Engine
from rag.generate import GroundingCheck, GroundingSettings, build_messages, generate_answer, reply_sentences
from rag.types import FinalEvent, TextEvent


class ScriptedGenerator:
    """Emits a fixed reply word by word after the prefix, like a streaming model; records its prompts."""

    name = "scripted"

    def __init__(self, continuation):
        self.continuation = continuation
        self.prompts = []

    def stream(self, messages, max_new_tokens, reply_prefix="", stop=None):
        self.prompts.append(messages)
        yield reply_prefix
        for word in self.continuation.split(" "):
            if stop is not None and stop.is_set():
                return
            yield " " + word

    def count_tokens(self, text):
        return len(text.split())


def _run(question, generator, real_retriever, seed, history=()):
    events = list(generate_answer(question, Engine(real_retriever, [seed]), generator, history, AnswerSettings()))
    assert isinstance(events[-1], FinalEvent) and all(isinstance(e, TextEvent) for e in events[:-1])
    return [e.text for e in events[:-1]], events[-1].answer


def test_invented_facts_are_dropped_and_supported_ones_cited(real_retriever, seed):
    # The case: SmolLM2 said the SCO existed "since the beginning of the 20th century".
    generator = ScriptedGenerator(
        "that the organization started its activities in Shanghai in 1996 [1]. "
        "It has been active since the beginning of the 20th century [2]. "
        "He said the organization was founded by Russia and India."
    )
    shown, answer = _run("What did Tokayev say about the SCO?", generator, real_retriever, seed)
    assert answer.mode_used == "generative"
    assert answer.answer == "Tokayev said that the organization started its activities in Shanghai in 1996. [1]"
    assert [c.text for c in answer.citations] == ["This organization started its activities in Shanghai in 1996."]
    assert answer.citations[0].role == "answer" and answer.citations[0].speaker == "Kassym-Jomart Tokayev"
    g = answer.generation
    assert g.sentences == (
        "Tokayev said that the organization started its activities in Shanghai in 1996.",
        "It has been active since the beginning of the 20th century.",
        "He said the organization was founded by Russia and India.",
    )
    assert g.kept == (True, False, False)
    assert g.tokens == len(g.raw_reply.split())
    assert shown == ["Tokayev said that the organization started its activities in Shanghai in 1996. [1]"]


def test_nothing_supported_falls_back_to_quotes(real_retriever, seed):
    generator = ScriptedGenerator("he was born in Almaty in 1953 and likes football.")
    shown, answer = _run("What did Tokayev say about the SCO?", generator, real_retriever, seed)
    assert shown == []
    assert answer.mode_used == "extractive_fallback"
    assert answer.generation.kept == (False,)
    assert "Shanghai" in answer.citations[0].text or "SCO" in answer.citations[0].text
    assert answer.answer.endswith("(No generated sentence could be matched to the transcript, so these are his own words instead.)")


def test_a_set_stop_ends_the_generation_with_what_was_checked(real_retriever, seed):
    import threading

    stop = threading.Event()
    generator = ScriptedGenerator(
        "that the organization started its activities in Shanghai in 1996. "
        "This organization started its activities in Shanghai in 1996 and more words follow here."
    )
    events = []
    for event in generate_answer("What did Tokayev say about the SCO?", Engine(real_retriever, [seed]), generator, (), AnswerSettings(), stop=stop):
        events.append(event)
        if isinstance(event, TextEvent):
            stop.set()  # the user pressed Stop after the first checked sentence
    answer = events[-1].answer
    assert [e.text for e in events[:-1]] == ["Tokayev said that the organization started its activities in Shanghai in 1996. [1]"]
    # the model stops within a piece: the one in flight when Stop was set ("This") is the last it wrote
    assert answer.generation.raw_reply.endswith("in 1996. This")
    assert answer.generation.kept == (True, False)
    assert answer.mode_used == "generative" and len(answer.citations) == 1


def test_out_of_scope_and_attribution_questions_never_reach_the_generator(real_retriever, seed):
    generator = ScriptedGenerator("anything.")
    _, out_of_scope = _run("What did Tokayev say about Bitcoin?", generator, real_retriever, seed)
    assert out_of_scope.abstained and out_of_scope.mode_used == "extractive"
    _, trap = _run("Did Tokayev attend the opening of the Beijing Winter Olympics?", generator, real_retriever, seed)
    assert trap.citations[0].role == "question" and trap.generation is None
    assert generator.prompts == []


def test_follow_ups_are_resolved_before_generation(real_retriever, seed):
    generator = ScriptedGenerator("that this organization started its activities in Shanghai in 1996.")
    _, answer = _run("And when did it start?", generator, real_retriever, seed, history=["Tell me about the SCO"])
    prompt = generator.prompts[0][1]["content"]
    assert "Earlier question: Tell me about the SCO" in prompt
    assert "This organization started its activities in Shanghai in 1996." in prompt
    assert answer.mode_used == "generative" and answer.citations[0].text.endswith("in 1996.")


def test_prompt_numbers_only_the_interviewees_words(real_retriever, seed):
    chunks = [c for c in real_retriever.index.chunks if c.role == "answer" and c.exchange == 7][:2]
    messages = build_messages("When did it start?", chunks, "Kassym-Jomart Tokayev")
    user = messages[1]["content"]
    assert user.startswith("Text (Kassym-Jomart Tokayev's words):\n[1] The Shanghai Organization for Cooperation")
    assert "\n[2] " in user and "\n[3] " not in user
    assert "Another very important regional organization" not in user  # the interviewer's question
    assert user.endswith("Question: When did it start?\nAnswer briefly, in at most three sentences, in Kassym-Jomart Tokayev's words from the text:")


def test_grounding_scores(real_retriever):
    chunks = [c for c in real_retriever.index.chunks if c.role == "answer" and c.exchange == 7]
    check = GroundingCheck(chunks, real_retriever.encoder, "Kassym-Jomart Tokayev", GroundingSettings())
    same = check.check("Tokayev said he took part in the launching ceremony as Foreign Minister.")
    assert same.supported and same.span.text.startswith("And as Foreign Minister of this country")
    wrong_year = check.check("The organization started its activities in Shanghai in 1991.")
    assert not wrong_year.numbers_found and not wrong_year.supported


def test_reply_sentences_drop_markers_and_empty_pieces():
    assert reply_sentences("Tokayev said yes [1, 2]. [3] The SCO grew.") == ["Tokayev said yes.", "The SCO grew."]
    assert reply_sentences(" [1] ") == []


def test_invented_names_are_caught(real_retriever):
    # Two sentences SmolLM2 wrote in the eval run, each adding a name the passage does not have.
    chunks = [c for c in real_retriever.index.chunks if c.role == "answer" and c.exchange == 6]
    check = GroundingCheck(chunks, real_retriever.encoder, "Kassym-Jomart Tokayev", GroundingSettings())
    invented = check.check(
        "Tokayev said that his country respects the principle of territorial integrity enshrined by the Charter of "
        "the United Nations and upholds its own Declaration on the Principles of International Law."
    )
    assert not invented.names_found and not invented.supported
    faithful = check.check("Tokayev said the principle of territorial integrity is fixed in the Charter of the United Nations.")
    assert faithful.names_found and faithful.supported
