"""What the web page shows, as text: every piece of document or user text is escaped here, so a passage
holding HTML or a Markdown link is shown as the characters it is, never rendered as markup.

The chat renders messages as HTML without Markdown (`render_markdown=False`), so chat text is only
HTML-escaped; the Markdown header and the downloaded conversation are Markdown-escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from rag.reply_text import VERDICT_NOTES, absent_speaker_verdict, english_list, is_interviewers_sentence, more_topics, note_text, topic_list
from rag.types import Answer, Chunk, Citation, Document
from ui.conversation import Conversation, Exchange

# The characters that start Markdown or HTML markup inside a line (links, images, emphasis, code, tags,
# entities, tables, strike-through); CommonMark shows each literally after a backslash.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>&!|~])")


def escape_markdown(text: str) -> str:
    r"""Text that a Markdown renderer shows literally.

    >>> print(escape_markdown('<b>[link](http://x)</b> 1996.'))
    \<b\>\[link\](http://x)\</b\> 1996.
    """
    return _MARKDOWN_ACTIVE.sub(r"\\\1", text)


def escape_html(text: str) -> str:
    r"""Text for an HTML context, line breaks kept.

    >>> escape_html('<script>x</script>\n&')
    '&lt;script&gt;x&lt;/script&gt;<br>&amp;'
    """
    return html.escape(text, quote=True).replace("\n", "<br>")


NO_SOURCES = '<div class="sources-empty">Cited passages appear here.</div>'


def chat_message(answer: Answer, clickable: bool = True) -> str:
    """The reply as the chat shows it. "Not covered" and "not a speaker" (in English) read as one short sentence and the
    topics as a list, not as one long sentence. `clickable` marks up its citations [n] (not while the
    reply is shown growing, cut between words)."""
    reply = answer.reply
    if reply is not None and reply.kind in ("not_covered", "absent_speaker") and reply.language == "en":
        # A question that says nothing of what it is about is not something the interview lacks: the
        # request to name a topic is the verdict. Any other note says why ("The interview never mentions
        # ..."): it belongs with the verdict, before the list.
        verdicts = [note_text(key) for key in VERDICT_NOTES]
        default = absent_speaker_verdict(reply) if reply.kind == "absent_speaker" else "The interview does not cover that."
        verdict = next((note for note in reply.notes if note in verdicts), default)
        notes = [escape_html(f"({note})") for note in reply.notes if note != verdict]
        lines = [escape_html(verdict), *notes, "You can ask about:"] if notes or verdict in verdicts else [f"{verdict} You can ask about:"]
        for c in reply.coverage:
            for topic in c.topics:
                # A transcript without a card lists its interviewer's sentences: quoted, put to the speaker.
                asked = is_interviewers_sentence(topic)
                who = f" ({'asked of ' if asked else ''}{escape_html(c.speaker)})" if len(reply.coverage) > 1 else ""
                lines.append(f"• {escape_html(topic_list([topic]))}{who}")
            if c.more:
                lines.append(f"• {escape_html(more_topics(c))}")
        return "<br>".join(lines)
    text = escape_html(answer.answer)
    return _clickable_citations(text, {c.n for c in answer.citations}) if clickable else text


_CITATION_MARK = re.compile(r"\[(\d+)\]")


def _clickable_citations(escaped: str, numbers: set[int]) -> str:
    """Each [n] of the answer's citations as an element the page's script makes clickable (the chat's
    sanitizer keeps a class but drops data attributes, so the number is read from the text); any other
    bracketed number (one quoted from a document) stays text.

    >>> _clickable_citations("in 1996. [1] See [3]", {1})
    'in 1996. <span class="cite">[1]</span> See [3]'
    """
    def mark(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f'<span class="cite">[{n}]</span>' if n in numbers else match.group(0)

    return _CITATION_MARK.sub(mark, escaped)


def chat_messages(conversation: Conversation) -> list[dict[str, str]]:
    """The chat, derived from the conversation: the question, then what is shown for it (an empty
    question shows only the request to type one, not an empty bubble)."""
    messages = []
    for e in conversation.exchanges:
        if e.messages == 2:
            messages.append({"role": "user", "content": escape_html(e.question)})
        messages.append({"role": "assistant", "content": e.shown})
    return messages


def friendly_refusal(message: str) -> str:
    """A refused question's message as a sentence for people (the CLI keeps its one-line error form).

    >>> friendly_refusal("the question is empty: ask something about the interview")
    'Please type a question first, for example: What did Tokayev say about Taiwan?'
    """
    if message.startswith("the question is empty"):
        return "Please type a question first, for example: What did Tokayev say about Taiwan?"
    return message[:1].upper() + message[1:]


def _interview_line(doc: Document) -> str:
    facts = {name: (doc.meta_field(name).value if doc.meta_field(name) else "") for name in ("date", "dateline", "program", "broadcaster", "source")}
    when = f", given on {facts['date']}" if facts["date"] else f", reported on {facts['dateline']}" if facts["dateline"] else ""
    program = f" for the *{escape_markdown(facts['program'])}* program" if facts["program"] else ""
    source = f" (transcript published by {escape_markdown(facts['source'])})" if facts["source"] else ""
    return (
        f"{escape_markdown(doc.interviewee)}'s interview with {escape_markdown(facts['broadcaster'] or 'the broadcaster')}"
        f"{program}{escape_markdown(when)}{source}"
    )


def header_markdown(docs: Sequence[Document]) -> str:
    """The page's title and what it answers from: every transcript of the corpus (a browser run found the
    page naming only the seed's guest with a second transcript loaded)."""
    count = "one document" if len(docs) == 1 else f"{len(docs)} documents"
    return (
        f"# What did {escape_markdown(english_list([d.interviewee for d in docs]))} say?\n"
        f"Answers come only from {count}: {'; '.join(_interview_line(d) for d in docs)}. Every reply quotes the speakers' "
        "words and cites the passage; questions the interviews do not cover get \"the interview does not cover that\".\n\n"
        + escape_markdown(LANGUAGES_LINE)
    )


def download_title(docs: Sequence[Document]) -> str:
    """The downloaded chat's title: the one transcript's, or whose interviews the chat could quote."""
    return f"Conversation about {docs[0].title}" if len(docs) == 1 else f"Conversation about the interviews of {english_list([d.interviewee for d in docs])}"


# The source cards' own words, in the asker's language (the passages stay as spoken).
CARD_LABELS = {
    "en": {"answering": "Answering", "score": "score", "characters": "characters", "answer": "answer", "question": "interviewer's question", "narration": "narration", "none": "No passage is cited for this reply."},
    "ru": {"answering": "Ответ на вопрос", "score": "оценка", "characters": "символы", "answer": "ответ", "question": "вопрос интервьюера", "narration": "текст публикации", "none": "Этот ответ не цитирует ни одного фрагмента."},
    "kk": {"answering": "Сұраққа жауап", "score": "баға", "characters": "таңбалар", "answer": "жауап", "question": "сұхбат алушының сұрағы", "narration": "жарияланым мәтіні", "none": "Бұл жауапта ешбір үзінді келтірілмеген."},
    "zh": {"answering": "回答的问题", "score": "得分", "characters": "字符", "answer": "回答", "question": "采访者的问题", "narration": "报道正文", "none": "此回复未引用任何段落。"},
}
LANGUAGES_LINE = "Ask in English, Russian, Kazakh or Chinese (Спросите по-русски · Қазақша сұраңыз · 可用中文提问): the quotes stay in the interview's English."


def _labels(answer: Answer) -> dict[str, str]:
    language = answer.reply.language if answer.reply is not None else "en"
    return CARD_LABELS.get(language, CARD_LABELS["en"])


def _who(c: Citation, labels: dict[str, str] = CARD_LABELS["en"]) -> str:
    return c.speaker if c.role == "answer" else f"{c.speaker} · {labels[c.role]}"


def sources_html(
    answer: Answer, raw_of: Callable[[str], str], passage: Callable[[str], Chunk | None], selected: int | None = None
) -> str:
    """One card per citation: who spoke, the question answered, the passage with the quote highlighted;
    the card of citation `selected` (a clicked [n]) is marked."""
    labels = _labels(answer)
    if not answer.citations:
        return f'<div class="sources-empty">{html.escape(labels["none"])}</div>'
    scores = {h.chunk.id: h.score for h in answer.retrieved}
    cards = []
    for c in answer.citations:
        raw = raw_of(c.source)
        before = raw[c.passage_start : c.start]
        after = raw[c.end : c.passage_end]
        chunk = passage(c.passage_id)
        asked = (
            f'<div class="asked">{labels["answering"]}: {html.escape(chunk.question)}</div>'
            if chunk is not None and chunk.question else ""
        )
        score = f'<span class="score">{labels["score"]} {scores[c.passage_id]:.3f}</span>' if c.passage_id in scores else ""
        cards.append(
            f'<div class="source role-{c.role}{" selected" if c.n == selected else ""}" data-n="{c.n}">'
            f'<div class="who"><b>[{c.n}]</b> {html.escape(_who(c, labels))} {score}</div>{asked}'
            f'<div class="passage">{html.escape(before)}<mark>{html.escape(c.text)}</mark>{html.escape(after)}</div>'
            f'<div class="where">{html.escape(c.source)}, {labels["characters"]} {c.start}–{c.end}</div></div>'
        )
    return "\n".join(cards)


def conversation_markdown(exchanges: Sequence[Exchange], title: str) -> str:
    """The chat as shown, as a Markdown file: each reply followed by its citations with their exact spans."""
    lines = [f"# {escape_markdown(title)}", ""]
    for e in exchanges:
        # The reply as the chat shows it ("not covered" with its list of topics), as text.
        shown = chat_message(e.answer, clickable=False) if e.answer is not None else e.shown
        reply = html.unescape(shown.replace("<br>", "\n"))
        # A line break of the chat is a hard break in Markdown (two spaces), or its lines run together.
        reply_lines = escape_markdown(reply).replace("\n", "  \n")
        if e.messages == 2:  # as the chat: an empty question has no line of its own
            lines += [f"**You:** {escape_markdown(e.question)}", ""]
        lines += [f"**Bot:** {reply_lines}", ""]
        for c in e.answer.citations if e.answer is not None else ():
            lines.append(f"- \\[{c.n}\\] {escape_markdown(_who(c))}, {escape_markdown(c.source)} characters {c.start}–{c.end}: “{escape_markdown(c.text)}”")
        lines.append("")
    return "\n".join(lines)
