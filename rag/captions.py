"""A subtitle file (SRT, WebVTT, YouTube's SBV or a broadcaster's TTML) read as the transcript its captions make.

A caption file cuts the words into cues of a line or two ("12" / "00:00:45,847 --> 00:00:49,647" /
"The budget is £310 million, three"), so its sentences run across cues and its numbers and times are no
one's words. The bot reads it as the text of its captions instead: cue numbers, times and the WebVTT
header left out, each speaker's caption lines joined into one paragraph under the speaker's label, a
sound note ("[MUSIC]", "(CROSSTALK)") a line of its own. That text is the document's: quotes and their
offsets are into it, not into the file.

Broadcast captions mark a change of speaker with ">>" and name the speaker only sometimes (">> ANCHOR:",
">> DR. NWOSU:" the first time, a bare ">>" after). A change not named is taken to be the other of the
two who spoke first (the host and the guest), from whichever of them spoke before it: a third voice
(a correspondent's report) speaks only where it is named. WebVTT names its voices in a tag
("<v Ada Li>Hello."). A file whose changes are never named (YouTube's captions: ">> Thank you, Marta.")
has two voices that take turns, from its first cue: "Speaker 1" and "Speaker 2", whom the parser names
from their own words ("I'm Marta Quinlan") as it names a recording app's speakers.

TTML (DFXP), the XML captions of broadcasters and streaming services, is read with Python's own XML
parser: a caption per `<p>`, its speaker the `ttm:agent` it names (the head declares each agent's name),
the head's title and description first, as a caption file's title card.

An Advanced SubStation Alpha file (.ass/.ssa, what Aegisub writes) holds its captions in an `[Events]`
section, a `Dialogue:` line each with comma-separated fields its `Format:` line names; the speaker is the
`Name` field (a subtitler may shorten it after the first lines: "Maren" for "Maren Holloway"), the words
the last field, with override tags ("{\\an8}") and line breaks ("\\N") in them. A caption naming no one is
a sign (a lower third), set with the title; a `Comment:` before the first caption describes the file, as
its title does, and one after it is a note to the editor, left out.

A transcript copied from a video site's transcript panel (YouTube's "Show transcript") alternates a time
alone on its line ("0:43") with the words of that segment, recognized speech in lower case without
punctuation or speakers. The bot keeps the lines above the first time (the video's title and channel),
drops the times and the sound segments ("[Music]"), writes "I" for "i" and, in capitals, a run of words
the title or channel writes so ("greenmargin conversations") and a word the English lexicon does not
know (lemminflect's), which is no function word or number: a name ("ilse brenna", "tamsin orley"), a
weekday, a month ("september"; "march" or "may" beside a number or after "of"); joins a segment cut after a word no
sentence ends on ("... I'm sitting in a very" / "noisy tent with ...") to the next, and makes each
segment a sentence: a capital, and "?" when it asks (a question word then a verb that asks, "and when
did you open there"; "do you ...", "tell me ...") or else ".". A question is a paragraph of its own and
the sentences between two questions are one, so that the parser tells the host's questions from the
guest's answers as it does in a page without labels. A quote is one or more of those sentences, with the
capital and the stop the bot wrote.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

from rag.language import ENGLISH_MONTHS

# "00:00:02,000 --> 00:00:05,700" (SRT), "00:02.000 --> 00:05.700 align:start" (WebVTT),
# "0:00:01.599,0:00:04.925" (SBV).
_TIMING = re.compile(
    r"^\s*(?:(?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s+-->\s+(?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}\b.*"
    r"|\d{1,2}:\d{2}:\d{2}\.\d{3},\d{1,2}:\d{2}:\d{2}\.\d{3}\s*)$"
)
# A file is a caption file when this many lines are cue times.
MIN_CUES = 3
_CUE_NUMBER = re.compile(r"^\s*\d+\s*$")
_CHANGE = re.compile(r"^\s*>>+\s*")
# A name given at a change of speaker: ">> DR. VARKONYI: Thank you."
_NAMED = re.compile(r"^(?P<name>[A-Z][A-Z.’'\- ]{0,40}?[A-Z.]|[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}):\s+(?=\S)")
_VOICE = re.compile(r"^\s*<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(r"</?[a-z][^>]*>|\{\\[^}]*\}")
# A display name opening a cue: up to the first colon, no tag, no sentence before it.
_DISPLAY_NAME = re.compile(r"^(?P<name>[^\s:<>\[(][^:<>.?!]{0,40}?):\s+(?=\S)")
# A file names its voices so when this share of its cues opens with a display name.
NAMED_CUE_SHARE = 0.6
_NOTE = re.compile(r"^NOTE\b\s*(.*)$")
_SOUND = re.compile(r"^\s*(?:\[[^\[\]]+\]|\([^()]+\))\s*$")


def is_captions(raw: str) -> bool:
    """Whether a text is a subtitle file: several cue times ("00:00:02,000 --> 00:00:05,700").

    >>> is_captions("1\\n00:00:01,000 --> 00:00:02,000\\nHi.\\n\\n2\\n00:00:02,500 --> 00:00:04,000\\nYes.\\n\\n3\\n00:00:04,000 --> 00:00:05,000\\nNo.\\n")
    True
    >>> is_captions("Q: When did it open?\\nA: At 10:00 --> on time.\\n")
    False
    """
    return sum(1 for line in raw.splitlines() if _TIMING.match(line)) >= MIN_CUES


# A transcript panel's time alone on its line ("0:43", "1:02:15").
_PANEL_TIME = re.compile(r"^\s*\d{1,2}(?::\d{2}){1,2}\s*$")
# A segment that asks, in speech recognized without punctuation: a question word right before a verb that
# asks ("where is the library", "so how did it start"), or a verb that asks opening the segment before
# "you" or "there" ("do you still", "is there"), or a request ("tell me about"). English.
_ASKING_VERB = r"(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should)(?:n't)?"
_PANEL_ASKS = re.compile(
    rf"\b(?:what|what's|where|where's|when|why|how|how's)\s+{_ASKING_VERB}\b"
    rf"|^(?:(?:and|so|but|now|okay|ok|well|right)\s+)*{_ASKING_VERB}\s+(?:you|there|it|they|she|he|we)\b"
    r"|^(?:(?:and|so|now|okay|ok)\s+)*(?:tell|give)\s+(?:me|us)\b",
    re.IGNORECASE,
)
MIN_PANEL_SEGMENTS = 8
# Words no sentence ends on: a segment ending on one runs on into the next. English.
_RUNS_ON = frozenset(
    "a an the very of to and or but in on at with my our your their his her its for from by is are was were "
    "that which who than as so into about because if when where how what".split()
)


# A month's name in lower case beside a number or after "of" ("in march 2016", "the 14th of may"); "march"
# and "may" are words the lexicon knows.
_MONTHS = "|".join(month.lower() for month in ENGLISH_MONTHS)
_MONTH_BESIDE_NUMBER = re.compile(rf"\b(?:{_MONTHS})\b(?=\s+\d)|(?<=\bof )(?:{_MONTHS})\b|(?<=\d )(?:{_MONTHS})\b")


def _capitalized_unknown(words: str) -> str:
    """`words` with each word that the lexicon does not know in capitals (module docstring)."""
    import lemminflect  # a parse-time dependency only here and in `rag.query`

    from rag.retrieval import STOPWORDS
    from rag.select import FACT_PATTERNS

    def known(word: str) -> bool:
        base = re.split(r"['’]", word)[0]
        return (
            base in STOPWORDS or "n't" in word or "n’t" in word or len(base) < 3
            or bool(FACT_PATTERNS["number"].fullmatch(base)) or bool(lemminflect.getAllLemmas(base))
        )

    words = re.sub(r"\b[a-z][a-z'’-]*", lambda m: m.group(0) if known(m.group(0)) else m.group(0).capitalize(), words)
    return _MONTH_BESIDE_NUMBER.sub(lambda m: m.group(0).capitalize(), words)


def is_transcript_panel(raw: str) -> bool:
    r"""Whether a text is a video site's transcript panel copied out: a time alone on its line, then the
    words, several times over, and no sentence punctuation in the words.

    >>> is_transcript_panel("Title\n" + "".join(f"0:0{i}\nwe grew it out\n" for i in range(9)))
    True
    >>> is_transcript_panel("0:00\nHello. I'm Ada.\n" * 9)
    False
    """
    lines = [line for line in raw.splitlines() if line.strip()]
    words = [below for line, below in zip(lines, lines[1:]) if _PANEL_TIME.match(line) and not _PANEL_TIME.match(below)]
    return len(words) >= MIN_PANEL_SEGMENTS and not any(re.search(r"[.?!](?:\s|$)", w) for w in words)


def transcript_panel_text(raw: str) -> str:
    r"""The transcript a transcript panel's segments make (module docstring): a line each, times and sound
    segments left out, questions ending in "?".

    >>> print(transcript_panel_text("Talks with Ada Li | Harbour Voices\n0:00\n[Music]\n0:04\ni'm bo and this is harbour voices\n0:09\nand when did you open there\n0:12\nin march of\n0:14\n2016 we did\n"), end="")
    Talks with Ada Li | Harbour Voices
    <BLANKLINE>
    I'm bo and this is Harbour Voices.
    <BLANKLINE>
    And when did you open there?
    <BLANKLINE>
    In march of 2016 we did.
    """
    lines = raw.splitlines()
    first = next(i for i, line in enumerate(lines) if _PANEL_TIME.match(line))
    above = [line.strip() for line in lines[:first] if line.strip()]
    # Runs of two words or more that the title or channel capitalizes ("Harbour Voices").
    runs = {m.group(0) for line in above for m in re.finditer(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+", line)}
    segments: list[str] = []
    running = False
    for line in lines[first:]:
        words = line.strip()
        if not words or _PANEL_TIME.match(words) or _SOUND.match(words):
            continue
        words = _capitalized_unknown(re.sub(r"\bi(?=\b|['’])", "I", words))
        for run in runs:
            words = re.sub(rf"\b{re.escape(run)}\b", run, words, flags=re.IGNORECASE)
        if running and segments:
            segments[-1] += " " + words
        else:
            segments.append(words)
        running = words.split()[-1].lower() in _RUNS_ON
    paragraphs: list[str] = []
    stated = False  # the last paragraph states, and the next statement joins it
    for text in segments:
        asks = bool(_PANEL_ASKS.search(text))
        sentence = text[0].upper() + text[1:] + ("?" if asks else ".")
        if stated and not asks:
            paragraphs[-1] += " " + sentence
        else:
            paragraphs.append(sentence)
        stated = not asks
    return "\n".join(above) + "\n\n" + "\n\n".join(paragraphs) + "\n"


# TTML's namespaces (W3C): the document's, and its metadata's (agents, titles).
_TT = "{http://www.w3.org/ns/ttml}"
_TTM = "{http://www.w3.org/ns/ttml#metadata}"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def is_ttml(raw: str) -> bool:
    """Whether a text is a TTML caption document (`<tt xmlns="http://www.w3.org/ns/ttml">`).

    >>> is_ttml('<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s">Hi.</p></div></body></tt>')
    True
    >>> is_ttml("<html><body><p>Hi.</p></body></html>"), is_ttml("Q: What is <tt>?")
    (False, False)
    """
    return _ttml_root(raw) is not None


def ttml_text(raw: str) -> str:
    """The transcript a TTML document's captions make: its title and description a line each, then a
    paragraph per speaker's turn under the name its agent is declared with; a sound note a line of its own.

    >>> print(ttml_text(
    ...     '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"><head><metadata>'
    ...     '<ttm:title>Coastlines 112</ttm:title><ttm:agent xml:id="h"><ttm:name>Bo Chan</ttm:name></ttm:agent>'
    ...     '<ttm:agent xml:id="g"><ttm:name>Ada Li</ttm:name></ttm:agent></metadata></head><body><div>'
    ...     '<p begin="1s">[MUSIC]</p><p begin="2s" ttm:agent="h">When did the trust<br/>begin?</p>'
    ...     '<p begin="3s" ttm:agent="g"><span>In 2017, with</span><br/><span>six divers.</span></p>'
    ...     '<p begin="4s" ttm:agent="g">We met in a pub.</p></div></body></tt>'))
    Coastlines 112
    <BLANKLINE>
    [MUSIC]
    <BLANKLINE>
    Bo Chan: When did the trust begin?
    <BLANKLINE>
    Ada Li: In 2017, with six divers. We met in a pub.
    <BLANKLINE>
    """
    root = _ttml_root(raw)
    if root is None:
        raise ValueError("not a TTML document")
    head = [" ".join("".join(e.itertext()).split()) for tag in ("title", "desc") for e in root.iter(f"{_TTM}{tag}")]
    names = {
        agent.get(_XML_ID, ""): " ".join("".join(name.itertext()).split())
        for agent in root.iter(f"{_TTM}agent") for name in agent.iter(f"{_TTM}name")
    }
    paragraphs: list[list[str]] = [["", line] for line in head if line]
    speaker = ""
    for p in root.iter(f"{_TT}p"):
        words = " ".join(" ".join(p.itertext()).split())  # a line break (`<br/>`) or a span apart is a space
        if not words:
            continue
        if _SOUND.match(words):
            paragraphs.append(["", words])
            continue
        agent = next((e.get(f"{_TTM}agent") for e in p.iter() if e.get(f"{_TTM}agent")), None)  # the <p>'s, else a span's
        if agent:  # a caption naming no agent is its speaker's before it
            speaker = names.get(agent.split()[0]) or agent.split()[0].capitalize()
        if paragraphs and paragraphs[-1][0] == speaker and speaker:
            paragraphs[-1].append(words)
        else:
            paragraphs.append([speaker, words])
    return _text_of(paragraphs)


def _ttml_root(raw: str) -> ElementTree.Element | None:
    if "<tt" not in raw[:2000] or "ns/ttml" not in raw[:2000]:
        return None
    try:
        root = ElementTree.fromstring(raw.lstrip())
    except ElementTree.ParseError:
        return None
    return root if root.tag == f"{_TT}tt" else None


_ASS_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]\s*$")
_ASS_LINE = re.compile(r"^(?P<kind>Dialogue|Comment|Format|Title)\s*:\s*(?P<value>.*)$")
# Override tags ("{\\i1}", "{\\an8}") and hard or soft line breaks and spaces ("\\N", "\\n", "\\h").
_ASS_TAG = re.compile(r"\{[^}]*\}")
_ASS_BREAK = re.compile(r"\\[Nnh]")
# The fields of an event when its section gives no `Format:` line (the v4.00+ default).
_ASS_FORMAT = ("layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text")


def is_ass(raw: str) -> bool:
    """Whether a text is an Advanced SubStation Alpha subtitle file: an `[Events]` section of captions.

    >>> is_ass("[Script Info]\\nTitle: x\\n\\n[Events]\\n" + "Dialogue: 0,0:00:01.00,0:00:02.00,Default,Bo,0,0,0,,Hi.\\n" * 3)
    True
    >>> is_ass("Dialogue: Hello.\\nDialogue: Again.\\nDialogue: And again.\\n")
    False
    """
    sections = {m.group("name").strip().lower() for line in raw.splitlines() if (m := _ASS_SECTION.match(line))}
    return "events" in sections and sum(1 for line in raw.splitlines() if line.startswith("Dialogue:")) >= MIN_CUES


def ass_text(raw: str) -> str:
    """The transcript an Advanced SubStation Alpha file's captions make: its title and the comments before
    the first caption and the signs a line each, then a paragraph per speaker's turn under the `Name`
    field's speaker.

    >>> print(ass_text(
    ...     "[Script Info]\\nTitle: Harbour Voices 14\\n\\n[Events]\\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\\n"
    ...     "Comment: 0,0:00:00.00,0:00:00.00,Default,,0,0,0,,Aired 12 March 2024.\\n"
    ...     "Dialogue: 0,0:00:01.20,0:00:04.80,Default,Bo Chan,0,0,0,,When did the library\\\\Nopen, Ada?\\n"
    ...     "Dialogue: 0,0:00:05.00,0:00:07.00,Sign,,0,0,0,,{\\\\an1}Ada Li\\\\NFounder\\n"
    ...     "Dialogue: 0,0:00:07.20,0:00:09.80,Default,Ada Li,0,0,0,,In April 2017, with\\n"
    ...     "Dialogue: 0,0:00:10.00,0:00:12.00,Default,Ada,0,0,0,,{\\\\i1}sixty{\\\\i0} packets, mostly swapped.\\n"
    ...     "Comment: 0,0:00:12.00,0:00:12.00,Default,,0,0,0,,EDITOR: hold the wide shot.\\n"))
    Harbour Voices 14
    <BLANKLINE>
    Aired 12 March 2024.
    <BLANKLINE>
    Ada Li, Founder
    <BLANKLINE>
    Bo Chan: When did the library open, Ada?
    <BLANKLINE>
    Ada Li: In April 2017, with sixty packets, mostly swapped.
    <BLANKLINE>
    """
    paragraphs: list[list[str]] = []
    events: list[tuple[str, str, str]] = []  # (kind, name, words)
    section, fields = "", list(_ASS_FORMAT)
    for line in raw.splitlines():
        if m := _ASS_SECTION.match(line):
            section = m.group("name").strip().lower()
            continue
        m = _ASS_LINE.match(line.strip())
        if m is None:
            continue
        kind, value = m.group("kind"), m.group("value")
        if kind == "Title" and section == "script info" and value.strip():
            paragraphs.append(["", value.strip()])
        elif kind == "Format" and section == "events":
            fields = [f.strip().lower() for f in value.split(",")]
        elif kind in ("Dialogue", "Comment") and section == "events":
            parts = dict(zip(fields, value.split(",", len(fields) - 1)))
            name = parts.get("name", "").strip()
            # A sign sets a name over a role ("Ada Li\\NFounder"): its lines are items, not one sentence.
            words = _ASS_BREAK.sub(" " if name else ", ", _ASS_TAG.sub("", parts.get("text", "")))
            events.append((kind, name, " ".join(words.split())))
    full_names = {name for kind, name, _ in events if kind == "Dialogue" and " " in name}
    # What the screen shows and no one says (a sign naming no speaker) stands with the title, apart from
    # the turns it would cut; so do the comments before the first caption.
    # (In a file that names no one, every caption is speech, a paragraph each, as in a caption file's.)
    named = [i for i, (kind, name, _) in enumerate(events) if kind == "Dialogue" and name]
    first = next((i for i, (kind, _, _) in enumerate(events) if kind == "Dialogue"), len(events))
    shown = lambda kind, name: kind == "Dialogue" and not name and bool(named)  # noqa: E731
    paragraphs += [["", words] for i, (kind, name, words) in enumerate(events) if words and (shown(kind, name) or (kind == "Comment" and i < first))]
    for kind, name, words in events:
        if kind == "Comment" or shown(kind, name) or not words:
            continue
        fuller = [n for n in full_names if name and name.lower() in n.lower().split()]
        speaker = fuller[0] if " " not in name and len(fuller) == 1 else name
        if speaker and paragraphs and paragraphs[-1][0] == speaker:
            paragraphs[-1].append(words)
        else:
            paragraphs.append([speaker, words])
    return _text_of(paragraphs)


def caption_text(raw: str) -> str:
    """The transcript a caption file's cues make: a paragraph per speaker's turn, labelled with the
    speaker's name ("DR. VARKONYI: ..."), the cues before the first change of speaker (a title card) a
    line each, sound notes a line each.

    >>> print(caption_text(
    ...     "1\\n00:00:01,000 --> 00:00:03,000\\nNEWS AT TEN\\n\\n"
    ...     "2\\n00:00:03,000 --> 00:00:05,000\\n>> ANCHOR: Good evening. How big\\nis the scheme?\\n\\n"
    ...     "3\\n00:00:05,000 --> 00:00:07,000\\n>> BO LI: Forty-two\\nturbines.\\n\\n"
    ...     "4\\n00:00:07,000 --> 00:00:09,000\\n[MUSIC]\\n>> And the cost?\\n\\n"
    ...     "5\\n00:00:09,000 --> 00:00:11,000\\n>> £310 million.\\n"))
    NEWS AT TEN
    <BLANKLINE>
    ANCHOR: Good evening. How big is the scheme?
    <BLANKLINE>
    BO LI: Forty-two turbines.
    <BLANKLINE>
    [MUSIC]
    <BLANKLINE>
    ANCHOR: And the cost?
    <BLANKLINE>
    BO LI: £310 million.
    <BLANKLINE>
    """
    return _cues_text(_caption_cues(raw))


def _cues_text(cues: list[list[str]]) -> str:
    """The paragraphs of `caption_text` from the cues' own lines."""
    paragraphs: list[list[str]] = []  # each: [label, words...]; label "" for a title card's line or a sound note
    first_two: list[str] = []
    speaker = ""
    # A recording app may open every cue with its speaker's display name instead of a voice tag
    # ("Desmond Achterberg: Okay, ...", "ingrid's iPad: I can, yes."): such names are voices, however written.
    named_cues = sum(bool(_DISPLAY_NAME.match(cue[0])) for cue in cues) >= NAMED_CUE_SHARE * len(cues) > 0
    if not named_cues and _takes_turns_unnamed([line for cue in cues for line in cue]):
        first_two, speaker = list(UNNAMED_VOICES), UNNAMED_VOICES[0]
    for line, opens_cue in ((line, i == 0) for cue in cues for i, line in enumerate(cue)):
        voice = _VOICE.match(line) or (_DISPLAY_NAME.match(line) if named_cues and opens_cue else None)
        change = _CHANGE.match(line)
        if _SOUND.match(line):
            paragraphs.append(["", line.strip()])
            continue
        if voice or change:
            line = _TAG.sub("", line[(voice or change).end() :]).strip()  # type: ignore[union-attr]
            named = _NAMED.match(line)
            if voice:
                name = voice.group("name").strip()
                speaker = name[:1].upper() + name[1:]  # a display name typed in lower case is still a name
            elif named:
                speaker, line = named.group("name").strip(), line[named.end() :]
            else:
                speaker = _other(first_two, speaker)
            if speaker and speaker not in first_two and len(first_two) < 2:
                first_two.append(speaker)
            if voice and paragraphs and paragraphs[-1][0] == speaker:  # a meeting app tags every cue with its voice
                paragraphs[-1].append(line)
            else:
                paragraphs.append([speaker, line])
        elif speaker and paragraphs and paragraphs[-1][0] == speaker:
            paragraphs[-1].append(_TAG.sub("", line).strip())
        else:  # before anyone speaks (a title card), or after a sound note: the speaker goes on
            paragraphs.append([speaker, _TAG.sub("", line).strip()])
    return _text_of(paragraphs)


def is_sami(raw: str) -> bool:
    """Whether a text is a SAMI caption file (.smi, Microsoft's captions that broadcasters publish).

    >>> is_sami("<SAMI>\\n<HEAD><TITLE>News</TITLE></HEAD>\\n<BODY>\\n<SYNC Start=0><P Class=ENUSCC>Hi."), is_sami("<html><p>Hi.</p>")
    (True, False)
    """
    return bool(_SAMI_START.match(raw)) and _SYNC.search(raw) is not None


def sami_text(raw: str) -> str:
    """The transcript a SAMI file's captions make, as `caption_text` makes an SRT file's: a cue per
    `<SYNC>`, its lines broken at `<br>`, entities decoded, a cue of only "&nbsp;" (a cleared screen)
    left out. The head's title and its comments (a broadcaster's note of the programme and the air date)
    stand first, as a title card's lines; its style block and parameters are the file's settings.

    >>> print(sami_text(
    ...     "<SAMI><HEAD><TITLE>NEWS AT TEN</TITLE>\\n<!-- KBTV :: TX 15/06/2023 -->\\n<STYLE><!-- P { color: #fff; } --></STYLE></HEAD><BODY>\\n"
    ...     "<SYNC Start=0><P Class=ENUSCC>&nbsp;\\n"
    ...     "<SYNC Start=1000><P Class=ENUSCC>&gt;&gt; ANCHOR: How big<br>is the scheme?\\n"
    ...     "<SYNC Start=3000><P Class=ENUSCC>&gt;&gt; BO LI: Forty-two<br>turbines.\\n</BODY></SAMI>"))
    NEWS AT TEN
    <BLANKLINE>
    KBTV :: TX 15/06/2023
    <BLANKLINE>
    ANCHOR: How big is the scheme?
    <BLANKLINE>
    BO LI: Forty-two turbines.
    <BLANKLINE>
    """
    body = _SAMI_BODY.search(raw)
    head = raw[: body.start()] if body else ""
    head = _SAMI_SETTINGS.sub("", head)
    title = [html.unescape(m.group(1)).strip() for m in _SAMI_TITLE.finditer(head)]
    notes = [" ".join(m.group(1).split()) for m in _SAMI_COMMENT.finditer(head)]
    cues = [[line] for line in (*title, *notes) if line]
    syncs = list(_SYNC.finditer(raw))
    for sync, after in zip(syncs, [*syncs[1:], None]):
        shown = _SAMI_END.sub("", raw[sync.end() : after.start() if after else len(raw)])
        lines = [html.unescape(_SAMI_TAG.sub("", line)).replace("\xa0", " ").strip() for line in _SAMI_BREAK.split(shown)]
        if any(lines):
            cues.append([line for line in lines if line])
    return _cues_text(cues)


_SAMI_START = re.compile(r"\A\s*(?:\ufeff)?<SAMI\b", re.IGNORECASE)
_SYNC = re.compile(r"<SYNC\b[^>]*>", re.IGNORECASE)
_SAMI_BODY = re.compile(r"<BODY\b[^>]*>", re.IGNORECASE)
_SAMI_SETTINGS = re.compile(r"<STYLE\b.*?</STYLE>|<SAMIParam\b.*?</SAMIParam>", re.IGNORECASE | re.DOTALL)
_SAMI_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.IGNORECASE | re.DOTALL)
_SAMI_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_SAMI_BREAK = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)
_SAMI_END = re.compile(r"</?(?:BODY|SAMI)\b[^>]*>", re.IGNORECASE)
_SAMI_TAG = re.compile(r"</?[A-Za-z][^>]*>")  # SAMI's tags are in capitals as often as not ("<P Class=ENUSCC>")


def _text_of(paragraphs: list[list[str]]) -> str:
    """Paragraphs ([label, caption lines...], label "" for none) as the text: "Label: words", blank lines between."""
    return "\n\n".join(f"{label}: {_joined(words)}" if label else _joined(words) for label, *words in paragraphs if _joined(words)) + "\n"


# The voices of a file whose changes of speaker are never named, the one who speaks first the first. A
# recording app's placeholders, which the parser reads as such.
UNNAMED_VOICES = ("Speaker 1", "Speaker 2")


def _takes_turns_unnamed(lines: list[str]) -> bool:
    """Whether captions mark changes of speaker (">>") but never name a speaker, in a tag or after ">>"."""
    changes = [line[m.end() :] for line in lines if (m := _CHANGE.match(line))]
    return bool(changes) and not any(_VOICE.match(line) for line in lines) and not any(_NAMED.match(_TAG.sub("", c).strip()) for c in changes)


def _caption_cues(raw: str) -> list[list[str]]:
    """Each cue's own lines: no WebVTT header, cue number or cue time. A note before the first cue is
    the file's header (a meeting app writes the meeting's title and date there): its lines stand before
    the captions like a title card's, each a cue of its own."""
    cues: list[list[str]] = []
    block: list[str] = []
    for line in [*raw.splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        timing = next((i for i, b in enumerate(block) if _TIMING.match(b)), None)
        if timing is not None:  # a cue: its number (or WebVTT identifier) and time go
            cues.append([b for b in block[timing + 1 :] if not _CUE_NUMBER.match(b)])
        elif block and not cues and (note := _NOTE.match(block[0])):
            cues.extend([text] for text in (note.group(1), *block[1:]) if text.strip())
        block = []
    return [cue for cue in cues if cue]


def _other(first_two: list[str], speaker: str) -> str:
    """Who speaks at a change not named: of the two who spoke first, the one who did not speak last."""
    if len(first_two) < 2:
        return ""
    return first_two[1] if speaker == first_two[0] else first_two[0]


def _joined(words: list[str]) -> str:
    """Caption lines as one line of text; a word broken at a line's end ("thirty-" / "six") is whole again."""
    text = ""
    for piece in (w for w in words if w):
        text = text + piece if text.endswith("-") and piece[:1].islower() else f"{text} {piece}".strip()
    return text
