"""Plain-text rendering of a `Reply`: the words of the CLI, of the JSON record's "answer" and of the eval.

The web app renders the same structure its own way (`ui.render`). Every quote names its own speaker,
so a reply quoting two transcripts can never credit one speaker with another's words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rag.language import ENGLISH_MONTHS
from rag.types import Coverage, Quote, Reply

_FACT_TEMPLATES = {
    "date": "The interview was given on {value}.",
    "dateline": "The report is dated {value}; it does not say on which day the interview was given.",
    "program": "The interview was recorded for the {value} program.",
    "occasion": "The interview was given {value}.",
    "place": "The interview took place {value}.",
    "broadcaster": "The interview was given to {value}.",
    "source": "The transcript was published by {value}.",
    "interviewee": "The interview was given by {value}.",
    "interviewer": "The questions were asked by {value}.",
}


def short_name(speaker: str) -> str:
    """How a reply names a speaker after the first time: a person's surname, a label as it is.

    >>> short_name("Kassym-Jomart Tokayev"), short_name("Interviewer (CCTV)"), short_name("Host")
    ('Tokayev', 'Interviewer (CCTV)', 'Host')
    """
    words = speaker.split()
    if len(words) < 2 or "(" in speaker or not all(w[:1].isupper() for w in words):
        return speaker
    return words[-1]


def _quoted(q: Quote) -> str:
    return f"\u201c{q.citation.text}\u201d [{q.citation.n}]"


def _lead(q: Quote, previous: Quote | None) -> str:
    c = q.citation
    name = short_name(c.speaker)
    if c.role == "question":
        # The interviewer was not asked anything: no "Asked about ..." before their words, and a label
        # that already says "Interviewer" ("Interviewer (CCTV)") is not said twice (a user run read
        # "Asked about ..., The interviewer (Interviewer (CCTV)) said:").
        said_by = c.speaker if c.speaker.lower().startswith("interviewer") else f"The interviewer ({c.speaker})"
        also = previous is not None and previous.citation.speaker == c.speaker
        return f"{said_by} also said:" if also else f"{said_by} said:"
    elif c.role == "narration":
        return "The report says:"
    if previous is not None and previous.citation.speaker == c.speaker and previous.topic == q.topic:
        return f"{name} also said:"
    if not q.topic:
        return f"{name} said:"
    if q.topic.endswith("?"):  # no card: the topic is the interviewer's own question
        return f"Asked \u201c{q.topic}\u201d, {name} said:"
    if q.topic.endswith((".", "!")):  # no card, and the interviewer stated something rather than asked
        return f"In reply to \u201c{q.topic}\u201d, {name} said:"
    return f"Asked about {q.topic}, {name} said:"


def english_list(items: Sequence[str]) -> str:
    """Items as English lists them in a sentence.

    >>> english_list(["Ada Li"]), english_list(["Ada Li", "Bo Ek", "Cy Do"])
    ('Ada Li', 'Ada Li, Bo Ek and Cy Do')
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def topic_list(topics: Sequence[str], separator: str = "; ") -> str:
    """Topic labels in one line. A label that is a sentence (an exchange without a card: the interviewer's
    question or statement) is quoted as the interviewer put it, so that it reads as what was asked, not
    as the speaker's words or a question put to the reader.

    >>> topic_list(["Taiwan", "Critics call the dam a waste.", "How is it funded?"])
    'Taiwan; “Critics call the dam a waste.”; “How is it funded?”'
    """
    return separator.join(f"“{t}”" if is_interviewers_sentence(t) else t for t in topics)


def is_interviewers_sentence(topic: str) -> bool:
    """Whether a topic label is the interviewer's own sentence (an exchange without a card) rather than a
    label naming what the speaker talks about."""
    return topic.endswith((".", "?", "!"))


def _lists_questions(c: Coverage, language: str = "en") -> bool:
    """Whether the transcript's topics, as listed in `language`, are the interviewer's sentences: listed
    as what the speaker was asked, never as what they speak about (a user run found "Mayor Solvay speaks
    about: Shopkeepers on Anchor Street claim they have lost a fifth of their trade", the interviewer's
    words in her mouth)."""
    return not dict(c.local_topics).get(language) and any(is_interviewers_sentence(t) for t in c.topics)


def more_topics(c: Coverage) -> str:
    """What a shortened list of topics leaves out, and how to see it all.

    >>> more_topics(Coverage("a.txt", "Bo Ek", ("Dams",), more=9))
    '… and 9 more (ask “What topics does the interview with Bo Ek cover?”)'
    """
    return f"… and {c.more} more (ask “What topics does the interview with {c.speaker} cover?”)" if c.more else ""


def _verb(c: Coverage) -> str:
    """
    >>> _verb(Coverage("a.txt", "Bo Ek", ("Dams",))), _verb(Coverage("p.txt", "Bo Ek and Ada Li", ("What about dams?",), panel=True))
    ('speaks about', 'were asked')
    """
    if _lists_questions(c):
        return "were asked" if c.panel else "was asked"
    return "speak about" if c.panel else "speaks about"


def _topics(reply: Reply) -> str:
    return " ".join(
        f"{c.speaker} {_verb(c)}: {topic_list(c.topics)}{'; ' + more_topics(c) if c.more else ''}."
        for c in reply.coverage
        if c.topics
    )


# The framing of a reply to a question in another language (rag.language). Written by hand, not
# machine-translated; the quotes stay in the interview's own words (English) with their citations.
FRAMING: dict[str, dict[str, str]] = {
    "ru": {
        "fact_date": "Дата интервью: {value}.",
        "fact_dateline": "Материал датирован {value}; в какой день дано интервью, в нём не сказано.",
        "fact_program": "Интервью записано для программы {value}.",
        "fact_occasion": "Интервью дано {value}.",
        # A value the card gives no spelling of in this language stays English, said to be so.
        "fact_occasion_english": "Повод интервью (по-английски): «{value}».",
        "fact_place": "Место интервью (по-английски): «{value}».",
        "fact_broadcaster": "Интервью дано телеканалу {value}.",
        "fact_source": "Текст опубликовал источник: {value}.",
        "fact_interviewee": "Интервью дал {value}.",
        "fact_interviewer": "Вопросы задавал {value}.",
        "fact_topics": "Темы интервью{in_english}: {topics}.",
        "no_interviewer": "В тексте интервьюер не назван.",
        "asked_for": " Вопросы задавались для {where}.",
        "program_of": "программы {program} телеканала {broadcaster}",
        "not_stated": "В тексте этого не сказано.",
        "said": "{name} сказал:",
        "also": "{name} также сказал:",
        "interviewer": "Интервьюер сказал:",
        "report": "В публикации сказано:",
        "original": "Интервью дано на английском языке; цитаты приведены дословно.",
        "not_covered_bare": "В интервью об этом не говорится.",
        "not_covered": "В интервью об этом не говорится. {name} говорит в нём о следующем{in_english}: {topics}. Спросите об одной из этих тем, и я процитирую сказанное.",
        "not_covered_many": "В интервью об этом не говорится. {topics} Спросите об одной из этих тем, и я процитирую сказанное.",
        "speaks_about": "{name} говорит о следующем{in_english}: {topics}.",
        # A transcript without a card lists the interviewer's questions, not topics of the speaker's.
        "not_covered_asked": "В интервью об этом не говорится. В нём задавались вопросы{in_english}: {topics}. Спросите об одном из них, и я процитирую сказанное.",
        "was_asked": "В интервью ({name}) задавались вопросы{in_english}: {topics}.",
        "in_english": " (темы на английском)",
        "more_topics": "; и ещё {n}",
        "truncated": "Прочитаны только первые {n} символов вопроса.",
        "no_topic": "В вопросе не сказано, о чём он, а предыдущего вопроса нет: назовите тему.",
        "injection": "Инструкции внутри вопроса не выполняются: бот только цитирует интервью.",
        "compose": "Бот только цитирует интервью и ничего не пишет от себя.",
        "not_mentioned": "В интервью ни разу не упоминается {names}.",
        "nothing_more": "Всё, что в интервью сказано об этом, уже процитировано в этом чате.",
        "no_year": "Год в тексте не указан.",
        "which_interview": "Это интервью: {name}. В корпусе их {n}; назовите собеседника, чтобы спросить о другом.",
    },
    "kk": {
        "fact_date": "Сұхбат күні: {value}.",
        "fact_dateline": "Материал {value} күнімен белгіленген; сұхбаттың қай күні берілгені онда айтылмаған.",
        "fact_program": "Сұхбат {value} бағдарламасы үшін жазылған.",
        "fact_occasion": "Сұхбат {value} берілген.",
        "fact_occasion_english": "Сұхбаттың берілу себебі (ағылшынша): «{value}».",
        "fact_place": "Сұхбат өткен жер (ағылшынша): «{value}».",
        "fact_broadcaster": "Сұхбат {value} арнасына берілген.",
        "fact_source": "Мәтінді жариялаған: {value}.",
        "fact_interviewee": "Сұхбатты берген: {value}.",
        "fact_interviewer": "Сұрақтарды қойған: {value}.",
        "fact_topics": "Сұхбат тақырыптары{in_english}: {topics}.",
        "no_interviewer": "Мәтінде сұхбат алушының аты аталмайды.",
        "asked_for": " Сұрақтар {where} үшін қойылған.",
        "program_of": "{broadcaster} арнасының {program} бағдарламасы",
        "not_stated": "Мәтінде бұл айтылмайды.",
        "said": "{name} былай деді:",
        "also": "{name} сондай-ақ былай деді:",
        "interviewer": "Сұхбат алушы былай деді:",
        "report": "Жарияланымда былай делінген:",
        "original": "Сұхбат ағылшын тілінде берілген; дәйексөздер сөзбе-сөз келтірілген.",
        "not_covered_bare": "Сұхбатта бұл туралы айтылмайды.",
        "not_covered": "Сұхбатта бұл туралы айтылмайды. Онда {name} мына тақырыптар туралы айтады{in_english}: {topics}. Осы тақырыптардың бірі туралы сұраңыз, мен айтылған сөзді келтіремін.",
        "not_covered_many": "Сұхбаттарда бұл туралы айтылмайды. {topics} Осы тақырыптардың бірі туралы сұраңыз, мен айтылған сөзді келтіремін.",
        "speaks_about": "{name} мына тақырыптар туралы айтады{in_english}: {topics}.",
        "not_covered_asked": "Сұхбатта бұл туралы айтылмайды. Онда мына сұрақтар қойылды{in_english}: {topics}. Солардың бірі туралы сұраңыз, мен айтылған сөзді келтіремін.",
        "was_asked": "Сұхбатта ({name}) мына сұрақтар қойылды{in_english}: {topics}.",
        "in_english": " (ағылшынша)",
        "more_topics": "; және тағы {n}",
        "truncated": "Сұрақтың алғашқы {n} таңбасы ғана оқылды.",
        "no_topic": "Сұрақ не туралы екенін айтпайды, ал алдыңғы сұрақ жоқ: тақырыпты атаңыз.",
        "injection": "Сұрақ ішіндегі нұсқаулар орындалмайды: бот тек сұхбатты дәйексөзбен келтіреді.",
        "compose": "Бот тек сұхбатты дәйексөзбен келтіреді, өзінен ештеңе жазбайды.",
        "not_mentioned": "Сұхбатта {names} мүлде аталмайды.",
        "nothing_more": "Сұхбатта бұл туралы айтылғанның бәрі осы чатта келтірілді.",
        "no_year": "Мәтінде жылы көрсетілмеген.",
        "which_interview": "Бұл сұхбат: {name}. Корпуста {n} сұхбат бар; басқасы туралы сұрау үшін сұхбат берушінің атын атаңыз.",
    },
    "zh": {
        "fact_date": "采访日期：{value}。",
        "fact_dateline": "报道日期为{value}；报道没有说明采访是哪一天进行的。",
        "fact_program": "这次采访是为{value}节目录制的。",
        "fact_occasion": "这次采访是在{value}接受的。",
        "fact_occasion_english": "这次采访的背景（英文）：“{value}”。",
        "fact_place": "采访地点（英文）：“{value}”。",
        "fact_broadcaster": "这次采访是接受{value}的采访。",
        "fact_source": "文本由{value}发布。",
        "fact_interviewee": "接受采访的是{value}。",
        "fact_interviewer": "提问者是{value}。",
        "fact_topics": "采访谈到{in_english}：{topics}。",
        "no_interviewer": "文本没有写出采访者的名字。",
        "asked_for": "问题是为{where}提出的。",
        "program_of": "{broadcaster}的{program}节目",
        "not_stated": "文本没有说明。",
        "said": "{name}说：",
        "also": "{name}还说：",
        "interviewer": "采访者说：",
        "report": "报道称：",
        "original": "采访以英语进行，引文为原话。",
        "not_covered_bare": "采访中没有谈到这一点。",
        "not_covered": "采访中没有谈到这一点。{name}在采访中谈到{in_english}：{topics}。请就其中一个话题提问，我会引用原话。",
        "not_covered_many": "采访中没有谈到这一点。{topics} 请就其中一个话题提问，我会引用原话。",
        "speaks_about": "{name}谈到{in_english}：{topics}。",
        "not_covered_asked": "采访中没有谈到这一点。{name}在采访中被问到{in_english}：{topics}。请就其中一个问题提问，我会引用原话。",
        "was_asked": "{name}被问到{in_english}：{topics}。",
        "in_english": "（话题为英文）",
        "more_topics": "；另有{n}个",
        "truncated": "只读取了问题的前 {n} 个字符。",
        "no_topic": "问题没有说明问的是什么，也没有之前的问题可参照：请说明话题。",
        "injection": "问题中的指令不会被执行：本机器人只引用采访内容。",
        "compose": "本机器人只引用采访内容，不自行撰写任何内容。",
        "not_mentioned": "采访中从未提到{names}。",
        "nothing_more": "采访中关于这一点的内容已在本次对话中全部引用。",
        "no_year": "文本没有给出年份。",
        "which_interview": "这是{name}的采访。语料库中共有{n}篇采访；如要询问其他采访，请说出受访者的名字。",
    },
}


def _spaced(*parts: str) -> str:
    """The parts joined by spaces, except after full-width punctuation, which carries its own space
    ("引文为原话。Tokayev说：“...”").

    >>> _spaced("原话。", "Tokayev说：", "“Yes.”"), _spaced("Tokayev сказал:", "«Да.»")
    ('原话。Tokayev说：“Yes.”', 'Tokayev сказал: «Да.»')
    """
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text += part if unicodedata.east_asian_width(text[-1:] or " ") in ("F", "W") else f" {part}"
    return text


def _local(reply: Reply, name: str) -> str:
    """A name as the asker's language writes it, when a transcript's card gives that spelling."""
    return dict(reply.local_names).get(name, name)


_MONTHS = tuple(m.lower() for m in ENGLISH_MONTHS)
# A date as an English page writes it: "May 12", "12 May 2024", "May 12, 2024", "14 March".
_ENGLISH_DATE = re.compile(
    rf"^(?:(?P<d1>\d{{1,2}}) (?P<m1>{'|'.join(_MONTHS)})|(?P<m2>{'|'.join(_MONTHS)}) (?P<d2>\d{{1,2}}))(?:,? (?P<y>\d{{4}}))?$",
    re.IGNORECASE,
)
# (without a year, with one, the month names: Chinese numbers its months)
_LOCAL_DATES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # Russian months in the genitive, as a date writes them ("12 мая").
    "ru": ("{d} {m}", "{d} {m} {y} года", tuple("января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())),
    "kk": ("{d} {m}", "{y} жылғы {d} {m}", tuple("қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split())),
    "zh": ("{n}月{d}日", "{y}年{n}月{d}日", ()),
}


def local_date(value: str, language: str) -> str:
    """An English date as the asker's language writes it; anything else as it is (a user run found
    "Дата интервью: May 12").

    >>> local_date("May 12", "ru"), local_date("14 March 2024", "kk"), local_date("May 12, 2024", "zh")
    ('12 мая', '2024 жылғы 14 наурыз', '2024年5月12日')
    >>> local_date("on the eve of the visit", "ru"), local_date("May 12", "en")
    ('on the eve of the visit', 'May 12')
    """
    m = _ENGLISH_DATE.match(value.strip())
    if m is None or language not in _LOCAL_DATES:
        return value
    short, full, months = _LOCAL_DATES[language]
    n = _MONTHS.index((m["m1"] or m["m2"]).lower())
    fields = {"d": int(m["d1"] or m["d2"]), "n": n + 1, "m": months[n] if months else "", "y": m["y"]}
    return (full if m["y"] else short).format(**fields)


def _local_topics(c: Coverage, language: str) -> dict[str, str]:
    """A transcript's topics as a framing lists them: in the asker's language when its card gives them,
    else in English, said so ("(темы на английском)")."""
    local = dict(c.local_topics).get(language)
    separator = "；" if language == "zh" else "; "
    more = FRAMING[language]["more_topics"].format(n=c.more) if c.more else ""
    if local:
        return {"topics": topic_list(local, separator) + more, "in_english": ""}
    return {"topics": topic_list(c.topics, separator) + more, "in_english": FRAMING[language]["in_english"]}


def _framed_fact(reply: Reply, words: dict[str, str]) -> str:
    """A fact about the interview in the asker's language: the value as the card spells it there, and
    the page's sentence that states it, quoted in English."""
    if reply.fact == "topics":
        return _spaced(*(words["fact_topics"].format(**_local_topics(c, reply.language)) for c in reply.coverage if c.topics))
    if not reply.value:
        if reply.fact != "interviewer":
            return words["not_stated"]
        context = dict(reply.context)
        broadcaster, program = (_local(reply, context.get(f, "")) for f in ("broadcaster", "program"))
        where = words["program_of"].format(broadcaster=broadcaster, program=program) if broadcaster and program else broadcaster or program
        text = words["no_interviewer"] + (words["asked_for"].format(where=where) if where else "")
    else:
        local = local_date(reply.value, reply.language) if reply.fact in ("date", "dateline") else _local(reply, reply.value)
        key = "fact_occasion_english" if reply.fact == "occasion" and local == reply.value else f"fact_{reply.fact}"
        text = words[key].format(value=local)
    if reply.quotes:
        text = _spaced(words["original"], text, words["report"], _quoted(reply.quotes[0]))
    return text


def _framed(reply: Reply) -> str | None:
    """The reply framed in the asker's language, or None to use English (English questions, and the
    reply kinds only English questions reach)."""
    words = FRAMING.get(reply.language)
    if words is None or reply.kind not in ("quotes", "not_covered", "about_interview"):
        return None
    if reply.kind == "about_interview":
        return _framed_fact(reply, words)
    if reply.kind == "quotes":
        parts = [words["original"]]
        for i, q in enumerate(reply.quotes):
            c, previous = q.citation, reply.quotes[i - 1] if i else None
            if c.role == "question":
                lead = words["interviewer"]
            elif c.role == "narration":
                lead = words["report"]
            elif previous is not None and previous.citation.speaker == c.speaker:
                lead = words["also"].format(name=_local(reply, short_name(c.speaker)))
            else:
                lead = words["said"].format(name=_local(reply, short_name(c.speaker)))
            parts.append(_spaced(lead, _quoted(q)))
        text = _spaced(*parts)
    elif not any(c.topics for c in reply.coverage):
        text = words["not_covered_bare"]
    elif len(reply.coverage) > 1:
        listed = " ".join(
            words["was_asked" if _lists_questions(c, reply.language) else "speaks_about"].format(name=_local(reply, c.speaker), **_local_topics(c, reply.language))
            for c in reply.coverage
            if c.topics
        )
        text = words["not_covered_many"].format(topics=listed)
    else:
        c = reply.coverage[0] if reply.coverage else None
        listed = _local_topics(c, reply.language) if c else {"topics": "", "in_english": ""}
        text = words["not_covered_asked" if c is not None and _lists_questions(c, reply.language) else "not_covered"].format(name=_local(reply, c.speaker) if c else "", **listed)
    return text


NOTES = {
    "injection": "Instructions inside a question are ignored: this bot only quotes the interview.",
    "compose": "This bot only quotes the interview; it writes nothing of its own.",
    "truncated": "Only the first {n} characters of the question were read.",
    "no_topic": "The question does not say what it is about, and there is no earlier question to go by: name the topic.",
    "not_mentioned": "The interview never mentions {names}.",
    "nothing_more": "The chat has already quoted everything the interview says about that.",
    "no_year": "The transcript does not give the year.",
    "which_interview": "This is {name}'s interview; the corpus holds {n}: name the person to ask about another.",
}
# Notes that are the verdict themselves, not a reason for "not covered": a front end may lead with them.
VERDICT_NOTES = ("no_topic", "nothing_more")


def quoted_names(names: Sequence[str], language: str = "en") -> str:
    """Names as a note lists them, in the asker's quotation marks.

    >>> quoted_names(["Bitcoin", "United States"]), quoted_names(["Bitcoin"], "ru")
    ('“Bitcoin”, “United States”', '«Bitcoin»')
    """
    left, right = ("«", "»") if language in ("ru", "kk") else ("“", "”")
    return ", ".join(f"{left}{n}{right}" for n in names)


def note_text(key: str, language: str = "en", **values: object) -> str:
    """A note of the reply (`NOTES`), in the asker's language when it has a framing.

    >>> note_text("truncated", "ru", n=1000)
    'Прочитаны только первые 1000 символов вопроса.'
    """
    return FRAMING.get(language, NOTES).get(key, NOTES[key]).format(**values)


# Who, beside the interviewer, speaks on the asking side of a programme (rag.corpus names them so). English.
_OTHER_VOICES = ("reporter", "correspondent", "journalist", "presenter", "anchor")
# What a "not given" reply says the interview lacks, by the kind of fact asked for.
_NOT_GIVEN = {"number": "figure", "date": "date", "name": "name"}


def asker_of(speaker: str) -> str:
    """Which of several askers put a question, as the transcript cites them: "Tess Varga, Northgate
    Herald" of "Interviewer (Tess Varga, Northgate Herald)"; "" for the one interviewer.

    >>> asker_of("Interviewer (Tess Varga, Northgate Herald)"), asker_of("Interviewer"), asker_of("Tom Essling")
    ('Tess Varga, Northgate Herald', '', '')
    """
    m = re.fullmatch(r"Interviewer \((.+)\)", speaker)  # rag.corpus.INTERVIEWER, which imports this module
    return m.group(1) if m else ""


def _asker(speaker: str) -> str:
    # The one interviewer by name, when the transcript names them ("The interviewer (Delia Marchetti) said").
    asker = asker_of(speaker) or ("" if speaker == "Interviewer" else speaker)
    return f" ({asker})" if asker else ""


def render_text(reply: Reply) -> str:
    """The reply as one paragraph of plain text, each quote followed by its citation number."""
    framed = _framed(reply)
    if framed is not None:
        return framed + "".join(f"\n\n({note})" for note in reply.notes)
    if reply.kind == "quotes":
        parts = [f"{_lead(q, reply.quotes[i - 1] if i else None)} {_quoted(q)}" for i, q in enumerate(reply.quotes)]
        text = " ".join(parts)
    elif reply.kind == "attribution":
        claim, *answer = reply.quotes
        name = short_name(reply.value)
        by_page = claim.citation.role == "narration"
        if claim.citation.role == "answer":  # another panelist's words
            # In full the first time: the panelist may be one the user has not heard of ("Jonah Pell", a producer).
            other = short_name(claim.citation.speaker)
            text = f"That comes from {claim.citation.speaker}'s words, not from {name}'s own. {other} said {_quoted(claim)}"
            if answer:
                text += f" In the same exchange, {name} said: " + " ".join(_quoted(q) for q in answer)
            return text + "".join(f"\n\n({note})" for note in reply.notes)
        # A reporter's words in a presenter's programme are the reporter's, not the interviewer's question.
        voice = claim.citation.speaker.lower() if claim.citation.speaker.lower() in _OTHER_VOICES else ""
        text = (
            # "Did he attend ...?" credits a deed, not words: say where the claim comes from, not that it is false.
            f"That comes from the report, not from {name}'s own words. The report says {_quoted(claim)}"
            if by_page else
            f"That comes from the {voice}'s words, not from {name}'s own words. The {voice} said {_quoted(claim)}"
            if voice else
            f"That comes from the interviewer's question, not from {name}'s own words. "
            f"The interviewer{_asker(claim.citation.speaker)} said {_quoted(claim)}"
        )
        if answer:
            text += f" In the answer to that question, {name} said: " + " ".join(_quoted(q) for q in answer)
    elif reply.kind == "not_given":
        (q,) = reply.quotes
        # Named, "no number of trainees" is true of a nearest sentence that counts apprentices, where "no
        # such figure" before a figure reads as a contradiction (user runs 18 and 20).
        missing = f"number of {reply.value}" if reply.fact == "number" and reply.value else f"such {_NOT_GIVEN[reply.fact]}"
        text = f"The interview gives no {missing}. The nearest it comes: {_lead(q, None)} {_quoted(q)}"
    elif reply.kind == "not_covered":
        many = len(reply.coverage) > 1
        topics = _topics(reply)
        text = "The interviews do not cover that." if many else "The interview does not cover that."
        if topics:  # a transcript with no exchange to name a topic by (a monologue) lists none: nothing to offer
            text += f"{'' if many else ' In it,'} {topics} Ask about one of these and I will quote what was said."
    elif reply.kind == "absent_speaker":
        text = f"{absent_speaker_verdict(reply)} {_topics(reply)}"
    else:
        text = " ".join([_interview_fact(reply), *(_interview_fact(more, further=True) for more in reply.also)])
    return text + "".join(f"\n\n({note})" for note in reply.notes)


def absent_speaker_verdict(reply: Reply) -> str:
    """Why a question about someone who does not speak in the corpus gets no quote: who does speak.

    >>> from rag.types import Coverage
    >>> absent_speaker_verdict(Reply("absent_speaker", value="Ada Li", coverage=(Coverage("a.txt", "Bo Ek", (), "Interviewer (TV)"),)))
    'The interview does not cover what Ada Li said: it holds only the answers of Bo Ek to questions asked by Interviewer (TV).'
    """
    holds = "; ".join(f"the answers of {c.speaker} to questions asked by {c.interviewer}" for c in reply.coverage)
    if len(reply.coverage) > 1:
        return f"The interviews do not cover what {reply.value} said: they hold only {holds}."
    return f"The interview does not cover what {reply.value} said: it holds only {holds}."


# What a further field asked for is, when the page does not give it ("Who interviewed her, and when?").
_UNSTATED = {
    "date": "when it was given", "place": "where it took place", "program": "which program it was for",
    "broadcaster": "which broadcaster it was given to", "source": "who published it",
    "occasion": "what occasion it was given for", "interviewee": "who gave it",
}


def _interview_fact(reply: Reply, further: bool = False) -> str:
    """The fact asked for, stated; `further`: one more fact of the same reply ("..., and when?"), so an
    unstated one says which it is."""
    if further and not reply.value and reply.fact in _UNSTATED:
        return f"The transcript does not say {_UNSTATED[reply.fact]}."
    if reply.fact == "topics":
        return f"The interview covers: {topic_list([t for c in reply.coverage for t in c.topics])}."
    context = dict(reply.context)
    if not reply.value:
        broadcaster, program = context.get("broadcaster", ""), context.get("program", "")
        where = (
            f" for {broadcaster}'s {program} program" if broadcaster and program
            else f" for the {program} program" if program
            else f" for {broadcaster}" if broadcaster
            else ""
        )
        if reply.fact == "interviewer":
            text = f"The transcript does not name the interviewer; the questions were asked{where}." if where else "The transcript does not name the interviewer."
        elif reply.fact in ("source", "broadcaster") and where:
            # What the page does say of where it went out ("Where was it published?" of a podcast's transcript).
            text = f"The transcript does not say {_UNSTATED[reply.fact]}; the interview was given{where}."
        else:
            return "The transcript does not say."
    else:
        text = _FACT_TEMPLATES[reply.fact].format(value=reply.value)
    # A name that brings its own article: "for The Long Table program", not "the The Long Table".
    text = re.sub(r"\bthe (?=the\s)", "", text, flags=re.IGNORECASE)
    if reply.quotes:
        # Whoever says it: the report's narration, or the host in a transcript without one.
        text += f" {_lead(reply.quotes[0], None)} {_quoted(reply.quotes[0])}"
    return text
