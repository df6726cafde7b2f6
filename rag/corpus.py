"""Transcript parsing: a raw interview file becomes a `Document` of speaker turns with exact offsets.

Two layouts are understood:

* the scraped news page of the seed: no speaker labels, one paragraph a line, page boilerplate around
  it; the interviewer's paragraphs are told apart from the interviewee's by their questions;
* labelled transcripts, one `Name: text` paragraph a turn, for interviews added later.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from rag.captions import ass_text, caption_text, is_ass, is_captions, is_sami, is_transcript_panel, is_ttml, sami_text, transcript_panel_text, ttml_text
from rag.chunking import TIMESTAMP, asking_positions, asking_turns, is_courtesy, opening_skip, split_sentences, unquoted
from rag.html_text import html_text, is_html
from rag.json_transcript import is_json_transcript, json_transcript_text
from rag.language import ENGLISH_MONTHS, ENGLISH_WEEKDAYS, OTHER_LANGUAGES
from rag.line_numbered import is_line_numbered, line_numbered_text
from rag.reply_text import english_list
from rag.segments import is_segment_dump, segment_text
from rag.tables import delimited_table_text, has_delimited_table, has_speaker_table, speaker_table_text
from rag.types import Document, MetaField, Role, Span, Turn
from rag.wrapping import is_hard_wrapped, unwrapped_text

MAX_FILE_BYTES = 5_000_000
SEED_FILE = "tokayev_cctv_interview.txt"

_MONTHS = "|".join(ENGLISH_MONTHS)
# "May 12", "May 12, 2023", "12 May 2023", "January 2025" (not "January 20" of it).
# The days of a month as ordinal words. English.
_ORDINAL_UNITS = "first second third fourth fifth sixth seventh eighth ninth".split()
_ORDINAL_DAYS = "(?i:" + "|".join(
    [*(f"(?:twenty|thirty)[- ]{unit}" for unit in _ORDINAL_UNITS), *_ORDINAL_UNITS, "tenth", "eleventh", "twelfth", "thirteenth",
     "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth"]
) + ")"
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?!\d)(?:,\s*\d{{4}})?|\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
    # As said aloud: "the 16th of March 2023", "the ninth of October".
    rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORDINAL_DAYS})\s+of\s+(?:{_MONTHS})(?:\s+\d{{4}})?|\b(?:{_MONTHS})\s+\d{{4}}\b"
)
# The day a presenter says it is ("It's Thursday the 16th of March 2023"; not "it goes out on Monday,
# March 10", a broadcast's date). English.
_WEEKDAY_BEFORE = rf"(?:(?:{'|'.join(ENGLISH_WEEKDAYS)}),?\s+)?"
_TODAY = re.compile(rf"\b(?i:today is|it's|it’s|it is)\s+{_WEEKDAY_BEFORE}(?:the\s+)?((?:{_DATE.pattern}))")
# The day a presenter says it was recorded ("We recorded today's conversation on the 9th of October 2023",
# "we recorded this on Thursday the 18th of April 2024", "We're recording this on Thursday the 9th of March 2023").
_RECORDED_ON = re.compile(rf"\b(?:recorded|taped|filmed|recording|taping|filming)\b[^.?!]{{0,60}}?\bon\s+{_WEEKDAY_BEFORE}(?:the\s+)?((?:{_DATE.pattern}))")
# A dateline's date with the month cut short, as a recording app writes it ("Mon, Mar 3, 2025"); the
# year is needed, so that "May 3" in a sentence is no date of this kind.
_SHORT_DATE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2},?\s+\d{4}\b|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{4}\b")
# "an interview on China's CCTV" (one word: "an interview to Tomas Ekwueme" names a person), "told Radio
# Castrel in an interview", "correspondent of Nordvik Broadcasting", "presenter Tom Essling of Radio
# Norrvik's Morning Edition programme", "Harbourline Radio's programme The Morning Ledger". English.
_BROADCASTER = re.compile(
    r"\binterview\s+(?:on|to|with|for)\s+(?:[A-Z]\w*’s\s+|[A-Z]\w*'s\s+)?([A-Z][A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)(?![\w’'-]*\s+[A-Z])"
    r"|\btold\s+((?:[A-Z][\w’'-]*\s){0,2}[A-Z][\w’'-]*)\s+(?:in|during)\s+an\s+interview"
    r"|\b(?:correspondent|reporter|journalist|presenter|anchor|host)\s+(?:(?:[A-Z][\w’'-]*\s+){1,3})?(?:of|for|at|with)\s+"
    r"((?:[A-Z][\w-]*\s){0,2}[A-Z][\w-]*)(?=[’']s\s|[\s,.;])(?!\s+(?:program|programme|show)\b)"
    # "on Harbourline Radio's programme The Morning Ledger", "Radio Norrvik's Morning Edition programme"
    r"|\b((?:[A-Z][\w-]*\s){0,2}[A-Z][\w-]*)[’']s\s+(?:[A-Z][\w’'-]*\s+){0,5}(?:program|programme|show)\b"
    # "Meridian News Agency correspondent Tobias Ferreira-Lund" (not "Senior correspondent ...")
    r"|\b(?!(?:The|A|An|Our|Senior|Chief|Special|Foreign|Political|Staff)\s)((?:[A-Z][\w-]*\s){0,2}[A-Z][\w-]*)\s+(?:correspondent|reporter|journalist|presenter|anchor)\s+[A-Z]"
    # "The Wednesday Briefing, broadcast on Radio Kestrel on 12 March 2025"
    r"|\b(?:broadcast|aired)\s+on\s+((?:[A-Z][\w-]*\s){0,2}[A-Z][\w-]*)(?![\w’'-])"
)
_PUBLICATION = re.compile(
    r"\b(?:of|for|in|to)\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s){1,3})(?:magazine|newspaper|daily|weekly|journal)\b"
    # "recorded for the winter issue of Tideline Magazine": the word in the name, it is the name's.
    r"|\b(?:of|for|in|to)\s+(?:the\s+)?((?:[A-Z][\w’'-]*\s){1,3}(?:Magazine|Newspaper|Journal))\b"
    # "Published in Freight & Shelf Monthly, issue 212"
    r"|\b[Pp]ublished\s+(?:in|by)\s+((?:[Tt]he\s+)?[A-Z][\w’'-]*(?:\s+(?:&\s+|and\s+|of\s+)?[A-Z][\w’'-]*){0,4})"
    # A newspaper by the word its name ends in ("she spoke to the Wexmoor Courier"). English titles.
    r"|\b((?:[A-Z][\w’'-]*\s+){1,3}(?:Courier|Gazette|Herald|Tribune|Chronicle|Observer|Telegraph|Examiner|Sentinel|Times))\b"
    # "the fourth edition of my newsletter, The Workbench Letter": the name after what it is.
    r"|\b(?:newsletter|magazine|blog|column)\s*[,:]?\s+((?:The\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4})"
    # "Waterworks Monthly editor Tomas Ellery spoke with ...": a name of two words or more before a print
    # job and a person (one word may be the job's own: "Trade editor Lise Moreau").
    r"|\b((?:[A-Z][\w’'-]*\s){1,2}[A-Z][\w’'-]*)\s+(?:editor|editor-in-chief|columnist|writer)\s+[A-Z]"
)
# "the Leaders Talk program", "Radio Norrvik's Morning Edition programme".
_PROGRAM = re.compile(
    r"\b(?:the|[A-Z][\w-]*[’']s)\s+((?:[A-Z][\w’'-]*\s+){1,5}?)(?:program|programme|show|series|podcast)\b"
    # "for the programme The Long Table", "Alpenfunk Radio's programme Summit Hour"
    r"|\b(?:the|[A-Z][\w-]*[’']s)\s+(?:program|programme|show)\s+((?:The\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4})"
    # "an edited transcript of The Wednesday Briefing, broadcast on Radio Kestrel"
    r"|\b(?:transcript|edition|episode)\s+of\s+((?:The\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4}),?\s+(?=(?:broadcast|aired)\b)"
)
# A presenter's opening names the programme: "Good evening and welcome to Coastline Tonight." English.
# A broadcast's station identification in the presenter's opening, the programme in capitals as radio
# transcripts write it: "This is EVENING DISPATCH from Lantern Public Radio". English.
_STATION_ID = re.compile(r"\bThis is (?P<program>[A-Z][A-Z’'&]+(?: [A-Z][A-Z’'&]+){0,4}) (?:from|on) (?P<station>(?:[A-Z][\w&’'-]*\s+){0,4}[A-Z][\w’'-]*)")
_WELCOME = re.compile(r"\b(?i:welcome (?:back )?to) ((?:[Tt]he\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4})")
# A header line that names the station ("Westmarch Broadcasting Network (WBN Two)"). English.
_STATION = re.compile(r"^((?:[A-Z][\w&’'-]*\s+){0,4}(?i:Broadcasting|Network|Radio|Television|TV|Channel)\b(?:\s+[A-Z0-9][\w’'.-]*){0,3})")
# Or inside it, named in capitals ("Harbour Voices ep. 14 - air date 12 March 2024, Westmarch Community Television").
_STATION_WITHIN = re.compile(r"\b((?:[A-Z][\w&’'-]*\s+){1,4}(?:Broadcasting|Network|Radio|Television|TV|Channel)\b(?:\s+[A-Z0-9][\w’'.-]*){0,3})")
# A header line that names the programme ("Programme: Wrenfold Talks Back, the weekly phone-in"). English.
# Or, on a radio station's page, where it was heard ("Heard on Evening Dispatch").
_PROGRAM_LINE = re.compile(r"^(?:(?:Programme|Program|Show)\s*:|(?:As\s+)?[Hh]eard\s+on)\s*((?:The\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,5})")
# "Kazinform reports", "the Brannsdal Courier reports"
_REPORTS = re.compile(r"\b(?:[Tt]he\s+)?((?:[A-Z][\w’'-]*\s+){0,2}[A-Z][A-Za-z]+)\s+reports\b")
_SOURCE_LINE = re.compile(r"^Source\s*:\s*(?P<value>.+?)\s*$")
# A copyright line names the publisher when no "Source :" line does ("© 2024 The Caldmoor Courier").
_COPYRIGHT_START = re.compile(r"^(?:©|\(c\)\s|Copyright\b)", re.IGNORECASE)
# A bar ends the name ("© 2024 The Courier | Privacy | Terms") unless the rights are reserved after it: a
# masthead's own bar ("© 2023 Marée | Tide Magazine Inc. All rights reserved.").
_COPYRIGHT_LINE = re.compile(
    r"^(?:©|\(c\)|Copyright\b)\s*(?:©\s*)?(?:\d{4}\s*)?(?P<value>[A-Z](?:[^.|]|\|(?=[^.]*\.?\s+All rights reserved))*?)\.?(?:\s+All rights reserved(?:\.\s.*|\.)?)?\s*$"
)
# Lines of the page, not of the interview: a news site's footer, a recording app's ("Transcribed by
# https://otter.ai", "Transcript generated automatically."), a meeting app's ("Aldous, Petra stopped
# transcription", "Meeting ended after 00:26:14", a bare "00:05:00" every five minutes).
_FOOTER = re.compile(
    r"^(?:Source\s*:|Read (?:also|more)\b|Share\b|Tags?\s*:|Photo\s*:|©|\(c\)\s|Copyright\b|All rights reserved"
    r"|Transcribed by\b|Sent from my\b|[^\n.?!]{1,60}\b(?:started|stopped) (?:transcription|recording)\.?$"
    r"|(?:This (?:editable )?)?transcript (?:was |is )?(?:(?:computer|machine|auto(?:matically)?)[ -])?generated\b|Meeting ended after\b"
    r"|\d{1,2}:\d{2}(?::\d{2})?\s*$)",
    re.IGNORECASE,
)
# Hashtags that close a post's paragraph ("... edited for length. #startups #cycling").
_TRAILING_HASHTAGS = re.compile(r"(?:\s+#\w+)+\s*$")
_BREADCRUMB = re.compile(r"^Home\s*»\s*(?P<title>.+?)\s*$")
# A site's menu or trail: short items between separators ("Home | News | Local | Sport", "Home > Interviews").
_MENU_SEPARATOR = re.compile(r"\s+[|>»›•·/]\s+")
MENU_ITEM_WORDS = 3


def _is_menu(text: str) -> bool:
    """Whether a line is a list of links, not a headline.

    >>> _is_menu("Home | News | Food & Farming | Log in"), _is_menu("Home > Interviews"), _is_menu("Ada Li: the vines | Opinion")
    (True, True, False)

    A page's skip links, copied with it, are links too ("Skip to main content").

    >>> _is_menu("Skip to main content"), _is_menu("Skip to key events"), _is_menu("Skipper to stay on at the harbour")
    (True, True, False)
    """
    items = _MENU_SEPARATOR.split(text)
    return bool(_SKIP_LINK.match(text)) or len(items) >= 2 and all(len(item.split()) <= MENU_ITEM_WORDS for item in items)


_SKIP_LINK = re.compile(r"^Skip to (?:the )?(?:main |page )?(?:content|navigation|menu|search|footer|key events)$", re.IGNORECASE)
# A speaker's label; a recording's transcript may time it there ("ADA LI [00:02:35]: ..."), a page copied
# from the web may set it in Markdown bold ("**Ada Li:** ...", "**Ada Li**: ...").
_BOLD = r"(?:\*\*|__)"
# A paragraph set apart by Markdown as a whole, its markup around its words: a heading ("## How did you
# get started?"), bold ("**How did you come to lead the cooperative?**") or italics ("*What made you leave
# chemistry?*", "*This interview has been edited.*"). Pages set their questions, or their notes, so.
_MARKED = (
    ("heading", re.compile(r"^#{1,6}\s+(\S.*?)\s*#*$")),
    ("bold", re.compile(r"^(?:\*\*|__)(?=\S)((?:(?!\*\*|__).)+?)(?<=\S)(?:\*\*|__)$")),
    ("italic", re.compile(r"^([*_])(?![*_\s])(.+?)(?<![*_\s])\1$")),
    # Numbered questions ("1. How did the co-operative start?"), the number left out like the markup.
    ("numbered", re.compile(r"^\d{1,2}[.)]\s+(\S.*)$")),
    # A question and its answer marked by a letter and a full stop ("Q. How did it come about?", "A. It
    # started with a kettle."), the letter left out like the markup.
    ("question_letter", re.compile(r"^Q\.\s+(\S.*)$")),
    ("answer_letter", re.compile(r"^A\.\s+(\S.*)$")),
    # An email's quoted lines ("> 3. What will the new building cost?"): the questions an answer replies under.
    ("quoted", re.compile(r"^>\s*(?:\d{1,2}[.)]\s+)?(\S.*)$")),
)
# A briefing's labels may say whose the speaker is ("QUESTION (Harbour Gazette):", "Reporter, Channel 4
# North:"): the label is the role, the rest (`of`) says who asked. A forum's username ("u/harbourfan22:") labels too.
# A messaging app's export stamps each message with its date and time ("12/03/2025, 14:02 - Ada Li: ...",
# "[12/03/2025, 14:02:11] Ada Li: ..."). A meeting app names a caller who dialled in by the number
# ("+44 7700 900123: ...").
_PHONE_LABEL = re.compile(r"\+\d[\d ()-]{5,20}\d")
_CHAT_STAMP = r"\[?\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?\]?(?:\s+-)?\s+"
_LABEL = re.compile(
    rf"^(?:{_CHAT_STAMP})?{_BOLD}?(?P<number>Q\d{{1,4}}\s+)?(?P<label>[A-Z][\w.’'\- ]{{0,40}}?|u/[\w-]{{2,40}}|{_PHONE_LABEL.pattern})(?:\s*\((?P<of>(?!\d)[^()\n]{{1,40}})\)|,\s+(?P<of2>[A-Z][\w.’'\- ]{{0,40}}?))?"
    # A word processor's export may set the words after a tab instead of a colon ("ANNA KOVAC<tab>Thank you.").
    rf"(?:\s*(?:{TIMESTAMP}\s*)?{_BOLD}?:{_BOLD}?\s+|\t+)(?=\S)"
)
_ADDRESSES_LISTENER = re.compile(r"\byou(?:r|rs|rself)?\b", re.IGNORECASE)
# A request that asks without a question mark: "Tell us about the new irrigation law."
_REQUEST = re.compile(r"^(?:(?:please|now|finally|and|so)\W+)?(?:tell|give|show|walk)\s+(?:us|me)\b", re.IGNORECASE)
_REPORTED_SPEECH = re.compile(r"\b(?:reports|answered|said|noted|stressed|added|emphasized|told)\b")
_TITLES = (
    r"President|Vice[- ]President|Head of State|Prime Minister|Minister|Chairman|Chairwoman|Chair|Director|"
    r"Ambassador|Governor|Mayor|Senator|Secretary|Chancellor|King|Queen|Premier|Commissioner|Chief Executive|CEO"
)
_TITLE = re.compile(rf"\b(?:{_TITLES})\b")
# A paragraph that opens by calling someone by a title, with or without the name: "Minister, ...",
# "Director-General Varga-Moreau, ...", "Dr. Markovic, ...". English.
_ADDRESSES_TITLED = re.compile(
    rf"^\W*(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?|Madam|Mister|Sir|(?:{_TITLES})(?:-[A-Z][a-z]+)?)(?:\s+[A-Z][\w.’'-]*){{0,3}},"
)
# What the interview was given for or before, as a news intro says it: "on the eve of the state visit to
# China", "ahead of the summit" (up to a comma or full stop, or the title that opens the guest's name:
# "... visit to China Kazakh President ..."). English grammar.
_OCCASION = re.compile(
    r"\b((?i:on the eve of|ahead of|in the run-up to|in the lead-up to|on the occasion of|on the sidelines of)\s+"
    rf"(?:the|his|her|their|a|an)\s+[^,.;:]{{3,80}}?)"
    rf"(?=\s*[,.;:]|\s+(?:[A-Z][\w’'-]+\s+)?(?:{_TITLES})\b|\s+(?:he|she|they|I|we|gave|spoke|told|said|sat)\b)"
)
# Where the interview was given, as a news intro says it: "recorded at the vault's entrance hall on the
# island of Skellholm", "took place on 2 October in the festival's offices in the old tram depot" (a date
# between them is skipped), "sat down with the Courier's correspondent, Dafydd Prenthorpe, at the
# library's temporary home", up to a comma or full stop, a date, or what else was done ("... in Karvelin
# and hosted by journalist Tomas Brevik"). English grammar.
_PLACE = re.compile(
    r"\b(?:recorded|recording|filmed|filming|taped|conducted|took place|was held|(?:sat down|spoke|talked)\s+(?:with|to)\s+[^.;:]{1,100}?)\b"
    rf"(?:\s+on\s+(?:{_DATE.pattern}))?"
    rf",?\s+(?!(?:at|in)\s+(?:{_MONTHS}|spring|summer|autumn|winter|\d{{4}})\b)"
    r"((?:at|in|inside|aboard)\s+(?:the\s+|an?\s+|[A-Z][\w-]*[’']s\s+)?(?:[^,.;:]|(?<=\d)[,.](?=\d)){3,100}?)"
    rf"(?=\s*(?:[;:]|[,.](?!\d))|\s+(?:he|she|they|about|with)\b|\s+(?:on|in)\s+(?:{_DATE.pattern})|\s+and\s+[a-z]+ed\b)"
)
# The interviewee as a news intro names them: a title, then the name ("Kazakh President Kassym-Jomart
# Tokayev gave ..."), or a title, its office's remit and the name ("Minister of Agriculture and Water
# Resources Anselm Drevik gave ..."; the remit's capitalized words are taken greedily, so the name is the
# last two or three, and it must go straight on with a verb: "Minister of Ports and Coastal Transport,
# told ..." names no one).
_INTERVIEWEE = re.compile(
    rf"\b(?:{_TITLES})(?:\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}})(?=[\s,;:]+[a-z(]|[,.;:]|$)"
    rf"|\s+of\s+(?:(?:the|and|&)\s+|[A-Z][\w’'-]+\s+)+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,2}})(?=\s+[a-z]))"
)
_FIRST_PERSON = re.compile(r"\b(?:I|I’m|I'm|me|my|we|our|us)\b")
_THANKS = re.compile(r"\bthank(?:s|\s+you)?\b", re.IGNORECASE)
# A person's name: two or three capitalized words ("Kassym-Jomart Tokayev", "Ada Nwosu").
# A possessive is the name's owner, not a part of it: "The Coastal Ledger's Daniel Ferris".
# Its words are on one line: "Tom Brackley" of a byline is not "Tom Brackley Helena" with the next line.
_NAME = r"(?<![\w’'-])[A-Z][\w’'-]+(?<![’']s)(?:[^\S\n]+[A-Z][\w’'-]+(?<![’']s)){1,2}"
# An organisation as an office names it: "the National Bank of Ostravia", "Severan Airways".
_ORGANISATION = r"[A-Z][\w’'&-]*(?:\s+(?:(?:of|and|for|the)\s+)*[A-Z][\w’'&-]*)*"
# The interviewer after their outlet and role: "Meridian News Agency correspondent Tobias Ferreira-Lund";
# a name that owns something ("Ostravia Public Radio's programme") is an outlet, not the interviewer.
_HOST = (
    rf"(?:(?:[A-Z][\w’'-]*\s+){{0,4}}(?:correspondent|reporter|journalist|presenter|anchor|editor)\s+)?"
    rf"(?P<host>{_NAME})(?<![’']s)(?![\w’'-]|\s+[A-Z])"
)
# How news intros name the two sides of an interview: "<host> spoke with <guest>", "<guest> told <host>".
_SPOKE = r"(?:spoke|speaks|talked|talks|sat down|sits down|chatted|chats)"  # "... with" or "... to"
_INTRO_PATTERNS = (
    # "journalist Pavel Dreyer of Radio Tannmark spoke with ...": the host, not the station.
    re.compile(rf"(?P<host>{_NAME})(?:\s+(?:of|from|at)\s+(?:the\s+)?{_NAME})?\s+{_SPOKE}\s+(?:with|to)\s+(?:\w+\s+){{0,3}}?(?P<guest>{_NAME})"),
    re.compile(rf"(?P<host>{_NAME})\s+interviewed\s+(?:\w+\s+){{0,3}}?(?P<guest>{_NAME})"),
    # "This week I talked to Maren Holloway, ...": the writer asked; the byline names them (`_BYLINE`).
    re.compile(rf"\b(?:I|we)\s+{_SPOKE}\s+(?:with|to)\s+(?:\w+\s+){{0,3}}?(?P<guest>{_NAME})"),
    # "... The Coastal Ledger's Daniel Ferris spoke to her": the one spoken to is the guest the intro
    # named before (`_intro_people`).
    re.compile(rf"(?P<host>{_NAME})\s+{_SPOKE}\s+(?:with|to)\s+(?:him|her|them)\b"),
    # "The chief executive of Severan Airways, Maren Castellvi, spoke to ...": the office's organisation
    # comes first, the person between the commas.
    # The interviewer may go unnamed here ("... gave an interview to Ostravia Public Radio's programme
    # The Morning Ledger"), and be named by a later sentence ("hosted by journalist Tomas Brevik").
    re.compile(rf"\b(?:of|at|for)\s+(?:the\s+)?{_ORGANISATION},\s+(?P<guest>{_NAME}),\s*(?:told|spoke to|talked to|spoke with|talked with|gave an interview to)\b(?:\s+(?:\w+\s+){{0,3}}?{_HOST})?"),
    re.compile(rf"(?P<guest>{_NAME})\s*(?:,[^,]{{1,80}},\s*)?(?:told|spoke to|talked to|gave an interview to)\b(?!\s+(?:him|her|them)\b)(?:\s+(?:\w+\s+){{0,3}}?{_HOST})?"),
    re.compile(rf"\binterview\s+with\s+(?:\w+\s+){{0,3}}?(?P<guest>{_NAME})"),
    # A writer's own intro: "I'm Tessa Morland, and every month ... This month's guest is Marisol Quennell".
    re.compile(rf"^\W*(?:(?:Hi|Hello)\W+)?(?:I['’]m|I am|My name is)\s+(?P<host>{_NAME})\b.*?\bguest\s+is\s+(?P<guest>{_NAME})", re.DOTALL),
    re.compile(rf"\b(?:[Mm]y|[Oo]ur|[Tt]oday['’]s|[Tt]his\s+(?:week|month|episode|issue|edition)['’]s)\s+guest\s+is\s+(?P<guest>{_NAME})"),
    re.compile(rf"\b(?:hosted|conducted|presented|moderated)\s+by\s+{_HOST}"),
)
# A byline: "Interview by Tom Brackley", "Posted on 14 March 2024 by Tom Ferris", "By Bo Chan | 14 May".
_WROTE = re.compile(rf"(?P<host>{_NAME})\s*(?:<[^<>\s]+>)?\s*wrote:\s*$", re.MULTILINE)
_FROM_LINE = re.compile(rf"^From:\s*(?P<guest>{_NAME})(?![\w’'-])")
_SELF_INTRO = re.compile(rf"\b(?:I['’][mM]|I am|I AM|[Mm]y name is|MY NAME IS)\s+({_NAME})(?![\w’'-])")
# Or a magazine's credit line: "Words: Tobias Quenneville · Photos: Ines Ravelcourt".
_BYLINE = re.compile(
    rf"^(?:(?:(?:Interview(?:ed)?|Questions|Words|Text|Posted|Published)\b[^|]{{0,40}}?\s)?[Bb]y\s+|(?:Words|Text|Interview|Questions)\s*:\s*)(?P<host>{_NAME})(?![\w’'-])"
)
# A second interviewer the byline names ("Questions by Ada Li of the Vale Courier and Bo Ek of the Ledger").
_AND_BYLINE = re.compile(rf"^(?:\s+(?:of|from|for)\s+(?:the\s+)?{_ORGANISATION})?,?\s+and\s+(?P<host>{_NAME})(?![\w’'-])")
_SENTENCE_END = re.compile(r"[.?!…][\"”’)\]]*$")

# ("I:" and "R:" or "P:", interviewer and respondent or participant, as research transcripts label them.)
# ("BYLINE", after a reporter's name in a radio transcript: "TOM WEBB, BYLINE:", whose report it is.)
INTERVIEWER_LABELS = {"q", "i", "question", "interviewer", "host", "anchor", "journalist", "correspondent", "reporter", "moderator", "presenter", "caller", "listener", "byline"}
# The roles that run the interview, as against those who put one question each (a reporter, a caller):
# "PRESENTER (Maddie Quarrel):" names the interviewer.
_HOST_LABELS = {"interviewer", "host", "anchor", "moderator", "presenter"}
INTERVIEWEE_LABELS = {"a", "r", "p", "answer", "respondent", "participant"}
INTERVIEWER = "Interviewer"  # who asks, when the transcript names no one
BACKCHANNEL_WORDS = 3
HEADING_WORDS = 6
HANDOVER_SENTENCES = 2  # a turn that hands the floor on names the next speaker in its last sentences
ASKING_SHARE = 4  # a speaker who asks in fewer than one turn in this many is a guest (`_label_people`)


class CorpusError(ValueError):
    """A transcript that cannot be used; the message names the file and what is wrong with it."""


@dataclass(frozen=True)
class _Para:
    start: int
    end: int
    text: str
    marked: str = ""  # "heading", "bold" or "italic" when Markdown sets it apart whole (`_MARKED`); the markup is left out
    label: str = ""  # the speaker a name on the line before names, in a script's layout (`_script_labels`)
    item: bool = False  # the line opens with a bullet or a dash ("- five packets a season")
    timed: bool = False  # the line opens with the time its words were said ("00:00:04 Welcome back ...")


@dataclass(frozen=True)
class _Label:
    """Who a paragraph's label names, and where in its text the words spoken begin."""

    name: str
    asker: str  # whose the speaker is ("QUESTION (Harbour Gazette):"), "" if the label does not say
    numbered: bool  # after a question's number ("Q44 Mr Renwick:"): someone who asks
    body: int


# How a script's line is delivered, in brackets after the speaker ("ANCHOR (VO):", "REPORTER (O.S.):"),
# not whose the speaker is. English script terms.
_DELIVERY = re.compile(r"V\.?O\.?|V/O|O\.?S\.?|O\.?C\.?|SOT|CONT['’]?D|VOICE[- ]?OVER|(?:ON|OFF)[- ]CAM(?:ERA)?", re.IGNORECASE)


def _label_of(p: _Para) -> _Label | None:
    if p.label:
        return _Label(p.label, "", False, 0)
    m = _LABEL.match(p.text)
    if m is None:
        return None
    of = (m.group("of") or m.group("of2") or "").strip()
    return _Label(m.group("label").strip(), "" if _DELIVERY.fullmatch(of) else of, bool(m.group("number")), m.end())


def _outlet_of_host(content: list[_Para], people: dict[str, tuple[Role, str]], title: str) -> list[MetaField]:
    """The outlet a named host's label gives in brackets ("Petra Lindqvist (Valemont Courier): ..."),
    as a meeting app shows a visitor's company, when the title names it too ("Valemont Courier
    conversation with ..."): the questions were asked for it, a station's as its broadcaster, else as its
    publisher. (A role's brackets name the person, "PRESENTER (Jo Marsh):"; an assembly member's, the
    seat: "Mr Bo Ek (Harrowsound East):".)"""
    for p in content:
        label = _label_of(p)
        if label is None or not label.asker or label.name.lower() in _HOST_LABELS | INTERVIEWER_LABELS or label.asker not in title:
            continue
        if people.get(label.name, ("", ""))[0] == "question":
            at = p.start + p.text.index(label.asker)
            name = "broadcaster" if _STATION.match(label.asker) else "source"
            return [MetaField(name, label.asker, Span(at, at + len(label.asker), label.asker))]
    return []


def read_transcript(path: Path) -> str:
    """Read a transcript as text exactly as stored (no newline translation), or raise CorpusError."""
    path = Path(path)
    try:
        size = path.stat().st_size  # checked before reading: a huge file is refused without loading it
        if size > MAX_FILE_BYTES:
            raise CorpusError(f"{path}: {size:,} bytes is larger than the {MAX_FILE_BYTES:,}-byte limit for a transcript")
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the transcript ({exc.strerror or exc})") from exc
    if len(data) > MAX_FILE_BYTES:
        raise CorpusError(f"{path}: more than the {MAX_FILE_BYTES:,}-byte limit for a transcript")
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(bom):
            raise CorpusError(f"{path}: is {name}; save it as UTF-8")
    if b"\x00" in data:
        raise CorpusError(f"{path}: looks binary (contains NUL bytes); a transcript must be UTF-8 text")
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: is not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not raw.strip():
        raise CorpusError(f"{path}: is empty")
    return raw


def load_document(path: Path) -> Document:
    path = Path(path)
    doc = parse_transcript(read_transcript(path), source=path.name)
    return with_card(doc, card_path(path))


def card_path(transcript: Path) -> Path:
    """Where a transcript's optional card lies: beside it, `<file>.card.json`."""
    return transcript.with_name(transcript.name + ".card.json")


def seed_path() -> Path:
    return Path(str(resources.files("rag") / "data" / SEED_FILE))


def load_seed() -> Document:
    return load_document(seed_path())


_RTF_START = re.compile(r"\A\s*(?:\ufeff)?\{\\rtf\d")


def parse_transcript(raw: str, source: str) -> Document:
    """Split a transcript into narration, question and answer turns; raise CorpusError if none are found.
    A file in another layout is first read as the text it makes, and that text is the document's: a
    transcription service's JSON export (`rag.json_transcript`), TTML, SRT, WebVTT, SBV, ASS or SAMI
    captions (`rag.captions`), a recognizer's segments a line each (`rag.segments`), a web page's HTML source
    (`rag.html_text`), a conversation as CSV rows or a Markdown table (`rag.tables`), a court reporter's
    line-numbered pages (`rag.line_numbered`), a PDF's hard-wrapped text (`rag.wrapping`); an RTF
    file's text is read first (striprtf)."""
    if _RTF_START.match(raw):
        # A word processor's file: its text, paragraph by paragraph, then read like any other.
        raw = rtf_to_text(raw)
    if is_json_transcript(raw):
        raw = json_transcript_text(raw)
    elif is_ttml(raw):
        raw = ttml_text(raw)
    elif is_ass(raw):
        raw = ass_text(raw)
    elif is_sami(raw):  # before HTML: its cues are tags too
        raw = sami_text(raw)
    elif is_segment_dump(raw):
        raw = segment_text(raw)
    elif is_html(raw):
        raw = html_text(raw)
    elif is_captions(raw):
        raw = caption_text(raw)
    elif is_transcript_panel(raw):
        raw = transcript_panel_text(raw)
    elif has_delimited_table(raw):
        raw = delimited_table_text(raw)
    elif has_speaker_table(raw):
        raw = speaker_table_text(raw)
    elif is_line_numbered(raw):
        raw = line_numbered_text(raw)
    elif is_hard_wrapped(raw):
        raw = unwrapped_text(raw)
    paras = _script_labels(list(_paragraphs(raw)), raw)
    title, header, footer_meta = _strip_boilerplate(paras)
    content = [p for p in paras[: _copyright_end(paras)] if p not in header and not _FOOTER.match(p.text)]
    properties = _properties_block(paras)
    notes = _page_notes(content) | properties
    content = [p for p in content if p not in notes]
    labelled = _labelled_share(content) >= 0.5
    if not labelled:
        furniture = _page_furniture(content)
        notes |= furniture
        content = [p for p in content if p not in furniture]
    op = _original_poster(content) if labelled else ""
    people = _label_people(content, op, raw) if labelled else {}
    turns_spec = _label_turns(content, people, op) if labelled else _infer_turns(content)
    kept = set(content)
    turns_spec = _split_at_gaps(turns_spec, content, [p for p in paras if p not in header and p not in kept])
    if not any(role == "answer" for role, _, _, _ in turns_spec):
        raise CorpusError(f"{source}: found no answers in the transcript (no questions followed by replies)")

    datelines = [p for p in paras if p in header and p.text != title]
    meta = _extract_meta(raw, turns_spec, footer_meta, title, datelines, properties)
    if labelled and not any(f.name in ("source", "broadcaster") for f in meta):
        meta += _outlet_of_host(content, people, title)
    narration = " ".join(raw[s:e] for role, s, e, _ in turns_spec if role == "narration")
    guest, host = _intro_people(narration)
    # The page's byline names who asked when the intro does not ("Interview by Tom Brackley").
    # An email thread: the one whose message the reply quotes asked ("On Mon, 3 Mar 2025, Nell Ashcombe
    # <nell@...> wrote:"), the reply's sender answers ("From: Idris Kellaway <idris@...>").
    wrote = _WROTE.search(raw)
    host = host or (wrote["host"] if wrote else "")
    sender = next((m for p in paras if (m := _FROM_LINE.match(p.text))), None) if wrote else None
    guest = guest or (sender["guest"] if sender and sender["guest"] != host else "")
    byline = next((m for p in content + datelines if p.text and (m := _BYLINE.match(p.text))), None)
    if not host and byline is not None:
        second = _AND_BYLINE.match(byline.string[byline.end() :])
        host = english_list([_strip_title(m["host"]) for m in (byline, second) if m is not None])
    # An intro that names people without saying who spoke to whom ("Helena Varga is the head winemaker
    # of ..."): the first it names who is not the interviewer, by words the page never writes in lower
    # case (a name, not "On May").
    guest = guest or _first_named(narration, raw, host, title)
    labelled_guests, labelled_host = _labelled_speakers(content, people, op) if labelled else ((), "")
    panel = tuple((_as_written(g, raw), g) for g in labelled_guests) if len(labelled_guests) > 1 else ()
    # An office's label names its holder in brackets ("The Minister for Coastal Transport (Mr Emlyn Carradyce):").
    holders = _office_holders(content, people) if labelled else {}
    labelled_guest = (_strip_title(holders[labelled_guests[0]]) if labelled_guests[0] in holders else _as_written(labelled_guests[0], raw)) if labelled_guests else ""
    # The interviewees are the panel's who answer more than once, when some do: a voice heard once in a
    # report ("HAMISH ORRIN", a shopkeeper) speaks for himself but was not interviewed.
    # (In exchanges, not turns: a chat's engineer sends her one answer as two messages.)
    answered: dict[str, set[int]] = {}
    asked = 0
    for before, (role, _, _, who) in zip(["narration", *(t[0] for t in turns_spec)], turns_spec):
        asked += role == "question" and before != "question"
        if role == "answer":
            answered.setdefault(who, set()).add(asked)
    # So is one who answers only now and then beside the one who answers most (a producer saying the
    # recording is on, in a user run's video call).
    most = max((len(exchanges) for exchanges in answered.values()), default=0)
    interviewed = [
        name for name, label in panel if len(answered.get(label, ())) > max(1, PANEL_SHARE * most)
    ] or [name for name, _ in panel]
    interviewee = english_list(interviewed) if panel else _meta_value(meta, "interviewee") or labelled_guest or guest or "Interviewee"
    broadcaster = _meta_value(meta, "broadcaster")
    # A presenter named in the label's brackets ("PRESENTER (Maddie Quarrel):") when no label names one.
    presenters = {label.asker for p in content if labelled and (label := _label_of(p)) and label.name.lower() in _HOST_LABELS and re.fullmatch(_NAME, label.asker)}
    host = _as_written(labelled_host, raw) or (next(iter(presenters)) if len(presenters) == 1 else "") or host or _meta_value(meta, "interviewer")
    # A host labelled only by role introduces themself before anyone answers ("ANCHOR: Good evening ...
    # I'm Marisol Treadway."), or signs off last ("I'M PAUL ADEYEMI, AND THIS IS THE EVENING REPORT.");
    # an interviewee's "I'm ..." in between is no host's.
    spoken = [turn for turn in turns_spec if turn[0] != "narration"]
    for turn in spoken[:1] + spoken[-1:]:
        if not host and labelled and turn[0] == "question" and (introduced := _SELF_INTRO.search(raw, turn[1], turn[2])):
            host = _in_usual_case(introduced.group(1))
    # Without labels, the words before the first question that introduce their speaker ("Hi everyone and
    # welcome back ... I'm Tamsin Orley") are the host's opening (a video's transcript panel).
    lead = list(itertools.takewhile(lambda turn: turn[0] == "narration", turns_spec))
    if not host and not labelled and lead and (introduced := _SELF_INTRO.search(raw, lead[0][1], lead[-1][2])):
        host = introduced.group(1)
    interviewer = host or (f"{INTERVIEWER} ({broadcaster})" if broadcaster else INTERVIEWER)
    narrator = f"Narration ({_meta_value(meta, 'source')})" if _meta_value(meta, "source") else "Narration"
    speakers: dict[Role, str] = {"answer": interviewee, "question": interviewer, "narration": narrator}
    # In a panel each answer is its own speaker's, by the name its label gives.
    panelist = {label: name for name, label in panel}

    # The page's notes are narration, but name no one who spoke and date nothing: "[Editor's note: the
    # council told the Ledger that ...]" is not the intro.
    turns_spec = sorted(turns_spec + [("narration", p.start, p.end, "") for p in notes], key=lambda t: t[1])
    # The label a recording app gave a voice before it was named ("Speaker 2") still names that person.
    placeholders = lambda who: tuple(label for label, (_, person) in people.items() if person == who and label != who and _PLACEHOLDER.fullmatch(label))  # noqa: E731
    guest_aliases = (
        tuple(dict.fromkeys(a for name, label in panel for a in _aliases(name, narration, raw) + placeholders(label)))
        if panel else _aliases(interviewee, narration, raw) + tuple(a for label in labelled_guests for a in placeholders(label))
    )
    # A title the intro gives that labels someone who asks ("Chair" at a hearing) is not the guest's.
    asking_labels = {who.lower() for role, _, _, who in turns_spec if role == "question"}
    askers = {who for role, _, _, who in turns_spec if role == "question" and who and who.lower() not in INTERVIEWER_LABELS}
    turns: list[Turn] = []
    exchange = 0
    for i, (role, start, end, who) in enumerate(turns_spec):
        text = raw[start:end]
        # The interviewer's turns in a row ask one question ("Next question, please." before a reporter's),
        # and a word that only marks listening ("Wow.", "Right.") between two answers opens no exchange.
        before = turns[-1].role if turns else "narration"
        listening = before == "answer" and i + 1 < len(turns_spec) and turns_spec[i + 1][0] == "answer" and _backchannel(text)
        if role == "question" and before != "question" and not listening:
            exchange += 1
        if role == "answer":
            speaker = panelist.get(who, speakers[role])
        elif role == "question" and who.startswith(f"{INTERVIEWER} ("):
            speaker = who
        elif role == "question" and labelled_host and who.lower() in INTERVIEWER_LABELS and who.lower() not in ("q", "question"):
            speaker = who.title() if who.isupper() else who  # a named presenter's reporter, in a report: "Reporter"
        elif role == "question" and len(askers) > 1 and who.lower() not in INTERVIEWER_LABELS and who not in (labelled_host, host):
            speaker = f"{INTERVIEWER} ({_as_written(who, raw)})"  # one of a committee: "Interviewer (Mr Renwick)"
        else:
            speaker = speakers[role]
        turns.append(Turn(role, speaker, start, end, text, exchange))
    return Document(
        source=source,
        raw=raw,
        title=title or source,
        interviewee=interviewee,
        interviewer=interviewer,
        narrator=narrator,
        turns=tuple(turns),
        meta=tuple(meta),
        topics=_default_topics(turns),
        aliases=tuple(a for a in guest_aliases if a.lower() not in asking_labels),
        interviewer_aliases=tuple(a for name in host.split(" and ") for a in _aliases(name, "", raw)) + INTERVIEWER_ROLE_WORDS,
        panel=tuple((name, _aliases(name, narration, raw) + placeholders(label)) for name, label in panel),
    )


# What any interviewer is called in English, whoever the transcript says asked: "What did the journalist
# ask about the port?" asks for the interviewer's words. Not "host", also a host country or city.
INTERVIEWER_ROLE_WORDS = ("interviewer", "journalist", "reporter", "correspondent", "presenter")


def _as_written(label: str, raw: str) -> str:
    """A label in capitals ("INGRID HALVORSEN-PIKE:") as the transcript writes the name elsewhere
    ("Guest: Ingrid Halvorsen-Pike"), for replies that do not shout it; else the label itself.

    >>> _as_written("ADA LI", "Host: Bo Chan. Guest: Ada Li. ADA LI: Yes."), _as_written("ADA LI", "ADA LI: Yes."), _as_written("Ada", "Ada: Yes.")
    ('Ada Li', 'ADA LI', 'Ada')

    Initials stand for the name the intro gives them to ("Orla Penhallow (OP) sits down with ..."):

    >>> _as_written("OP", "Our editor Orla Penhallow (OP) sits down with Ada Li (AL). OP: Why?")
    'Orla Penhallow'
    >>> _as_written("MK", "Our editor Mira Kovane sat down with Delphine Orsat. MK: Why? DO: Salt.")
    'Mira Kovane'

    Or with more of the name between its words, else in the usual case (not a word of two letters,
    which may be initials):

    >>> _as_written("MAYOR OKONJO", "Mayor Ada Okonjo spoke. MAYOR OKONJO: Yes."), _as_written("PRESS SECRETARY BO CHAN", "")
    ('Mayor Ada Okonjo', 'PRESS SECRETARY BO CHAN')
    >>> _as_written("PRESS SECRETARY LUCIA FERRANTE", "")
    'Press Secretary Lucia Ferrante'

    A first name stands for the one fuller name the page writes with it:

    >>> _as_written("Ada", "Guest: Ada Li. Ada: Yes."), _as_written("Ada", "Ada Li met Ada Moss. Ada: Yes.")
    ('Ada Li', 'Ada')
    >>> _as_written("TEODOR", "Our guest is Teodor Brannvik. TEODOR: Thank you.")
    'Teodor Brannvik'
    """
    initials = re.search(rf"({_NAME})\s*\(\s*{re.escape(label)}\s*\)", raw) if re.fullmatch(r"[A-Z]{2,4}", label) else None
    if initials:
        return _strip_title(initials.group(1))
    if re.fullmatch(r"[A-Z]{2,4}", label):
        # Or the one name the page writes whose initials they are ("MK:" for "our features editor Mira
        # Kovane", a user run's PDF).
        named = {bare for m in re.finditer(_NAME, raw) if not m.group(0).isupper() and (bare := _strip_title(m.group(0)))}
        having = [n for n in named if "".join(w[0] for w in re.split(r"[\s-]+", n) if w) == label]
        if len(having) == 1:
            return having[0]
    if re.fullmatch(r"[A-Z][a-z][\w’'-]*", label) and label.lower() not in INTERVIEWER_LABELS | INTERVIEWEE_LABELS:
        # A first name ("Ingrid:") stands for the one full name the page writes with it ("Interviewee:
        # Ingrid Halvorsen, chair of ...", a user run's wiki table).
        if fuller := _one_fuller_name(label, raw):
            return fuller
    if re.fullmatch(r"[A-Z]{3,}", label) and label.lower() not in INTERVIEWER_LABELS | INTERVIEWEE_LABELS:
        # So does one in capitals ("TEODOR:" for the host's "Our guest today is Teodor Brannvik, ...").
        if fuller := _one_fuller_name(label.title(), raw):
            return fuller
    if not label.isupper():
        return label
    spelled = (m.group(0) for m in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", raw, re.IGNORECASE))
    # Or with more of the name between its words ("MAYOR OKONJO" as "Mayor Adaeze Okonjo"); else a
    # name of two words or more in the usual case ("PRESS SECRETARY LUCIA FERRANTE").
    longer = r"(?:\s+[A-Z][\w’'-]+){0,2}\s+".join(rf"(?i:{re.escape(word)})" for word in label.split())
    fuller = (m.group(0) for m in re.finditer(rf"(?<![\w’'-]){longer}(?![\w’'-])", raw))
    fallback = label.title() if len(label.split()) > 1 and all(len(w) > 2 for w in label.split()) else label
    return next((name for name in spelled if not name.isupper()), None) or next((name for name in fuller if not name.isupper()), fallback)


def _one_fuller_name(first: str, text: str) -> str:
    """The one name of two or three words the text writes starting with `first` ("Ingrid Halvorsen"
    for "Ingrid"), on one line; "" when it writes none or several.

    >>> _one_fuller_name("Ada", "Guest: Ada Li. Ada: Yes."), _one_fuller_name("Ada", "Ada Li met Ada Moss.")
    ('Ada Li', '')
    """
    fuller = {m.group(0) for m in re.finditer(rf"\b{re.escape(first)}(?:[^\S\n]+[A-Z][\w’'-]+){{1,2}}", text)}
    return fuller.pop() if len(fuller) == 1 else ""


def _in_usual_case(text: str) -> str:
    """Text all in capitals ("I'M PAUL ADEYEMI", a caption's "TUESDAY 11 NOVEMBER 2025") in title case."""
    return text.title() if text.isupper() else text


def _spelled(name: str, raw: str) -> str:
    """A name in capitals ("RADIO WRENFOLD 101.3 FM") with its longest opening the transcript writes in
    mixed case elsewhere ("the Radio Wrenfold newsroom") so written.

    >>> _spelled("RADIO VALE 101.3 FM", "RADIO VALE 101.3 FM ... the Radio Vale newsroom"), _spelled("Radio Vale", "")
    ('Radio Vale 101.3 FM', 'Radio Vale')
    """
    words = name.split()
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n])
        written = _as_written(head, raw) if head.isupper() and n > 1 else head
        if written != head:
            return " ".join([written, *words[n:]])
    return name


_PRONOUN_SPOKE = re.compile(rf"\b(?:[Ss]he|[Hh]e)\s+(?:{_SPOKE}\s+(?:with|to)|told)\s+(?:the\s+)?[A-Z]")


def _intro_people(narration: str) -> tuple[str, str]:
    """(interviewee, interviewer) as a news intro names them, "" where it does not.

    >>> _intro_people("Film critic Ada Nwosu spoke with Rafael Quint, director of the festival.")
    ('Rafael Quint', 'Ada Nwosu')
    >>> _intro_people("Marta Quillan chairs the co-op. The Coastal Ledger's Daniel Ferris spoke to her about prices.")
    ('Marta Quillan', 'Daniel Ferris')
    >>> _intro_people("On 14 April, journalist Pavel Dreyer of Radio Tannmark spoke with Marit Oskland, chair of the co-op.")
    ('Marit Oskland', 'Pavel Dreyer')
    >>> _intro_people("The governor of the National Bank of Ostravia, Daria Velikanova, gave an interview to "
    ...               "Ostravia Public Radio's programme The Morning Ledger. It was hosted by journalist Tomas Brevik.")
    ('Daria Velikanova', 'Tomas Brevik')
    >>> _intro_people("Boats will climb between Wexmoor Wharf and Cardle.\\nCorvina Aldous-Pike, 52, leads the Trust. She spoke to the Wexmoor Courier.")
    ('Corvina Aldous-Pike', '')
    """
    guest = host = ""
    # "Corvina Aldous-Pike, 52, has led the Trust since 2017. ..., she spoke to the Wexmoor Courier": the
    # one who spoke is the paragraph's first name (not a place the paragraph before names).
    spoke = _PRONOUN_SPOKE.search(narration)
    if spoke:
        paragraph = narration[narration.rfind("\n", 0, spoke.start()) + 1 : spoke.start()]
        guest = next((_strip_title(n) for n in re.findall(_NAME, paragraph)), "")
    for pattern in _INTRO_PATTERNS:
        m = pattern.search(narration)
        if m:
            found = m.groupdict()
            if not guest and re.search(r"\b(?:him|her|them)$", m.group()):  # spoken to "her": the person named before
                guest = next((_strip_title(n) for n in re.findall(_NAME, narration[: m.start()]) if _strip_title(n) != _strip_title(m["host"])), "")
            guest = guest or _strip_title(found.get("guest") or "")
            host = host or _strip_title(found.get("host") or "")
    return guest, host


def _first_named(narration: str, raw: str, other: str, title: str = "") -> str:
    """The first name the intro gives that the headline gives too (a headline names its interviewee:
    'Helena Varga: "The vines don't read the forecast"'), else the first it gives.

    >>> _first_named("On May 12 Ada Li, head of Vale Wines, spoke.", "On May 12 Ada Li ... we may go on", "")
    'Ada Li'
    >>> _first_named("The Vale Ridge winemaker has rebuilt. Ada Li runs Vale Ridge.", "", "", "Ada Li: wine")
    'Ada Li'
    """
    from rag.retrieval import STOPWORDS  # the retriever's function words; rag.retrieval does not import this module

    lower = set(re.findall(r"\b[a-z][\w’'-]*", raw))
    # A word the page also writes in lower case, or a function word, opening a name is no part of it: "When
    # Wrenna Palisade took over ..." (a user run's intro named the street after her instead).
    opening = lambda w: w.lower() in lower or w.lower() in STOPWORDS  # noqa: E731
    found = [" ".join(itertools.dropwhile(opening, n.split())) for n in re.findall(_NAME, narration)]
    names = [_strip_title(n) for n in found if len(n.split()) > 1 and n != other and not any(w.lower() in lower for w in n.split())]
    return next((n for n in names if n in title), names[0] if names else "")


# How English addresses a person before the name ("Dr Hartigan", "Mrs Okafor"): no word of the name.
_HONORIFIC = re.compile(r"^(?i:Mr|Mrs|Ms|Dr|Prof|Professor|Dame|Sir)\.?\s+(?=[A-Z])")  # "MS. ODILE BRANNOCK" too


def _strip_title(name: str) -> str:
    """ "Minister Tomas Ardell" -> "Tomas Ardell", "Reporter Piet Anwarr" -> "Piet Anwarr" (the words an
    interviewer label uses, capitalized at a sentence's start); a name that is only a title stays as it is.

    >>> _strip_title("Minister Tomas Ardell"), _strip_title("Reporter Piet Anwarr"), _strip_title("Minister")
    ('Tomas Ardell', 'Piet Anwarr', 'Minister')
    >>> _strip_title("Dr Oswin Hartigan"), _strip_title("Dr. Hartigan")
    ('Oswin Hartigan', 'Hartigan')
    """
    rest = _HONORIFIC.sub("", _TITLE.sub(" ", name).strip())
    first, _, after = rest.partition(" ")
    if first.lower() in INTERVIEWER_LABELS and after[:1].isupper():
        rest = after
    return rest if rest[:1].isupper() else name


def _aliases(name: str, narration: str, raw: str = "") -> tuple[str, ...]:
    """The ways a transcript refers to a speaker: the name, the name without a title, its last word
    (the surname), the first name when the transcript (`raw`) uses it alone ("Ingrid, thank you for
    having me"), and the titles its narration uses ("President", "Head of State").

    >>> _aliases("Minister Tomas Ardell", "")
    ('Minister Tomas Ardell', 'Tomas Ardell', 'Ardell', 'Minister')
    >>> _aliases("Ada Li", "", "Ada Li: Yes. Bo: Ada, why?"), _aliases("Ada Li", "", "Ada Li: Yes.")
    (('Ada Li', 'Li', 'Ada'), ('Ada Li', 'Li'))
    """
    if not name or name in ("Interviewee", "Interviewer"):
        return ()
    if _UNIDENTIFIED.fullmatch(name):
        return (name,)  # "Unidentified Person" has no surname: "the person" is anyone
    bare = _strip_title(name)
    surname = bare.split()[-1]
    # Titles the narration gives: capitalized anywhere ("The Head of State answered"), in any case
    # beside the name ("Ines Valdrup, director of the festival").
    beside = [
        t if t.isupper() else t.title() for sentence in re.split(r"(?<=[.!?])\s+", narration) if surname in sentence
        for t in re.findall(rf"\b(?:{_TITLES})\b", sentence, re.IGNORECASE)
    ]
    words = bare.split()
    first = words[0] if len(words) > 1 else ""
    if first and not re.search(rf"(?<![\w’'-]){re.escape(first)}(?!\s+{re.escape(words[1])})(?![\w’'-])", raw):
        first = ""
    found = [name, bare, surname, first, *_TITLE.findall(name), *_TITLE.findall(narration), *beside]
    return tuple(dict.fromkeys(a for a in found if a))


_BULLET = re.compile(r"\s*[-*•–—]\s+\S")
# A magazine's question in bold with its answer after it on the same line; three words or more, ending
# a sentence (not a bold label, "**Q.**" or "**Ada Li:**").
_INLINE_QUESTION = re.compile(r"^(?:\*\*|__)(?=\S)((?:(?!\*\*|__)\S+\s+){2,}(?:(?!\*\*|__)\S)*?[?.!])(?:\*\*|__)\s+(\S.*)$")


def _paragraphs(raw: str) -> Iterator[_Para]:
    """Each non-blank line, stripped, with its offsets: the scraped page keeps one paragraph a line."""
    pos = 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            skip = opening_skip(body)  # a dialogue dash opens a turn ("— How has the airline changed?")
            stripped = body[skip:].rstrip()
            marked = next(((style, m) for style, pattern in _MARKED if (m := pattern.match(stripped))), None)
            inline = _INLINE_QUESTION.match(stripped) if marked is None else None
            if inline:  # "**How did the bakery start?** In my mother's kitchen.": the question, then its answer
                at = pos + skip
                yield _Para(at + inline.start(1), at + inline.end(1), inline.group(1), marked="bold")
                yield _Para(at + inline.start(2), at + inline.end(2), inline.group(2))
            elif marked:  # quotes and topics show the words, not the markup
                style, m = marked
                inner = m.lastindex or 1
                yield _Para(pos + skip + m.start(inner), pos + skip + m.end(inner), m.group(inner), marked=style)
            else:
                yield _Para(pos + skip, pos + skip + len(stripped), stripped, item=bool(_BULLET.match(body)), timed=bool(_TIMED_LINE.match(body)))
        pos += len(line)


# A line that opens with the time its words were said ("00:00:04 Welcome back ...").
_TIMED_LINE = re.compile(rf"\s*{TIMESTAMP}\s")


# A script's speaker line: a name in capitals alone on its line ("TEODORA VINNIK", "REPORTER (VOICEOVER)"),
# its words on the lines below; what the brackets say is how it is spoken, not whose.
_NAME_LINE = re.compile(r"^(?P<label>[A-Z][A-Z.’'\- ]{0,40}?[A-Z.])(?:\s*\([^()\n]{1,30}\))?$")


# A speaker named in brackets on a line of their own, with their role the first time: "[HOST: Jonah
# Pellworth]", then "[JONAH]".
_BRACKETED_NAME_LINE = re.compile(r"^\[(?:(?P<role>[A-Za-z][\w ]{0,20}?)\s*:\s*)?(?P<label>[A-Z][\w.’' -]{0,40}?)\]$")


# A recording app's speaker line: the name and when the turn starts, the words on the lines below
# ("Priya Lanford  0:02", "Speaker 2  3:41", "Ada Li (00:01:12):"); a meeting app's may put the surname
# first and tag a visitor ("Marchetti, Sunniva (Guest)   0:32"), the name then read in speaking order.
_TIMED_NAME_LINE = re.compile(
    # A podcast's page may set the name in bold ("**Rosalind Teague** [00:00:04]").
    rf"^(?:\*\*|__)?(?P<label>[A-Z][\w’'.-]*(?:[^\S\n]+[A-Z0-9][\w’'.-]*){{0,3}})(?:\*\*|__)?(?:,[^\S\n]+(?P<given>[A-Z][\w’'.-]*(?:[^\S\n]+[A-Z][\w’'.-]*)?))?"
    rf"(?:[^\S\n]+\([A-Za-z][\w ]{{0,20}}\))?[^\S\n]+(?:{TIMESTAMP}|\d{{1,2}}:\d{{2}})\s*:?$"
)


# A published call's speaker line: the name, then the role or firm after a dash, the words below, perhaps
# after a blank line ("Dana Whitcomb - Chief Executive Officer", "Tobias Quarrie -- Selwyn Bank - Analyst");
# or the one role such a call names alone ("Operator"). English.
_ROLE_LINE = re.compile(r"^(?P<label>[A-Z][\w’'.-]*(?:[^\S\n]+[A-Z][\w’'.-]*){1,3})[^\S\n]+-{1,2}[^\S\n]+[A-Z][^.?!:\n]{1,80}$|^(?P<role>Operator|Moderator|Host)$")
# A forum post's header over its words: "u/harbourfan22 · 412 points", "u/DrX_official (verified) · 2,340 points".
_POST_HEADER = re.compile(r"^(?P<label>\S{2,40})(?:\s*\([^()\n]{1,20}\))?\s*·\s*[\d,]+\s+(?:points?|votes?|likes?)$")
# A chat server's message header over its words, copied from the app: the sender's name (perhaps after a
# role tag, "Mod | Tobias", or before a role in brackets, "Maren (Guest)"), a dash and when it was sent
# ("harbourfan22 — Today at 7:02 PM", "Ada — 14/03/2024 19:02"). English, as the app writes it.
_MESSAGE_HEADER = re.compile(
    r"^(?:[^|\n]{1,12}\|\s*)?(?P<label>[^\s—–|][^—–|\n]{0,40}?)(?:\s*\([^()\n]{1,20}\))?\s+[—–]\s+"
    r"(?:(?:Today|Yesterday)\s+at\s+|\d{1,2}[/.]\d{1,2}[/.]\d{2,4},?\s+)\d{1,2}:\d{2}(?:\s*[AP]M)?$",
    re.IGNORECASE,
)
# A forum page's own controls between the posts: "Reply · Share · Report", "level 2", "Sort by: Best"; a
# chat app's "Replying to @harbourfan22" over a reply. English.
_INTERFACE = re.compile(r"^(?:[A-Z][a-z]+(?:\s·\s[A-Z][a-z]+)+|level \d+|Sort by:\s*\w+|Replying to @\S+)$")


def _script_labels(paras: list[_Para], raw: str) -> list[_Para]:
    r"""The paragraphs of a script's layout (a speaker's name in capitals on its own line, the words on
    the next): each name line dropped and its name made the label of the paragraph below it. A name that
    labels two turns or more marks the layout (none does in a page of another layout: a headline in
    capitals opens one paragraph); from its first use on, a name line labels its turn even once (a
    voice in a report), while one before it ("COASTLINE TONIGHT" over the programme's details) is the page's.

    >>> t = "NEWS AT TEN\nMay 1\n\nBO LI\nWhy?\n\nADA (V.O.)\nNo.\n\nBO LI\nAnd?\n"
    >>> [(p.label, p.text) for p in _script_labels(list(_paragraphs(t)), t)]
    [('', 'NEWS AT TEN'), ('', 'May 1'), ('BO LI', 'Why?'), ('ADA', 'No.'), ('BO LI', 'And?')]
    """
    # A podcast's transcript may name each speaker in brackets, in full with the role the first time
    # ("[HOST: Jonah Pellworth]"), then by one word of the name ("[JONAH]"); a bracketed line that is not
    # such a word is a sound cue ("[MUSIC IN]", "[LAUGHTER]").
    given = [m.group("label").strip() for p in paras if (m := _BRACKETED_NAME_LINE.match(p.text)) and m.group("role")]

    def bracketed(text: str) -> str:
        m = _BRACKETED_NAME_LINE.match(text)
        if m is None:
            return ""
        if m.group("role"):
            return m.group("label").strip()
        named = [name for name in given if set(m.group("label").lower().split()) <= set(name.lower().split())]
        return named[0] if len(set(named)) == 1 else ""

    def speaker_line(text: str) -> re.Match[str] | None:
        return _NAME_LINE.match(text) or _TIMED_NAME_LINE.match(text) or _POST_HEADER.match(text) or _ROLE_LINE.match(text) or _MESSAGE_HEADER.match(text)

    # A newsroom script's direction in capitals ("TAKE VO") stands over a stage direction ("[VIDEO: ...]")
    # or over a line that names its own speaker ("ANCHOR (VO): ..."), not over anyone's words.
    colon_labels = Counter(label.name for p in paras if (label := _label_of(p)))

    def says_something(p: _Para) -> bool:
        own = _label_of(p)
        return not (_BRACKETED_NOTE.match(p.text) or (own and colon_labels[own.name] >= 2))

    def names(i: int) -> str:
        below = paras[i + 1] if i + 1 < len(paras) else None
        if (name := bracketed(paras[i].text)) and below is not None and not bracketed(below.text):
            return name
        m = speaker_line(paras[i].text)
        if m is None or below is None or speaker_line(below.text) or not says_something(below):
            return ""
        # The words follow on the very next line, and are not a speaker's line themselves; under a role
        # line, perhaps after a blank line, and they say something (not a heading: "Presentation").
        gap = raw.count("\n", paras[i].end, below.start)
        role_line = m.re is _ROLE_LINE
        if gap > (2 if role_line else 1) or (role_line and not _SENTENCE_END.search(below.text)):
            return ""
        given = m.groupdict().get("given")
        return f"{given} {m.group('label')}" if given else (m.group("label") or m.group("role")).strip()

    lines = {i: name for i in range(len(paras)) if (name := names(i))}
    counts = Counter(lines.values())
    # Two posts' headers ("u/harbourfan22 · 412 points") mark a thread as surely as a name used twice.
    posts = [i for i in lines if _POST_HEADER.match(paras[i].text) or _MESSAGE_HEADER.match(paras[i].text)]
    recurring = [i for i, name in lines.items() if counts[name] >= 2] + (posts if len(posts) >= 2 else [])
    if not recurring:
        return paras
    first = min(recurring)
    # A name line that times its turn ("Osei, Jonah   0:03") is a speaker's wherever it stands: a page's
    # own line gives no time (a producer's one line before the host's opening).
    timed = {i for i in lines if _TIMED_NAME_LINE.match(paras[i].text)}
    labelled = {i + 1: name for i, name in lines.items() if i >= first or (i in timed and len(timed) >= 2)}
    name_lines = {i - 1 for i in labelled}
    return [replace(p, label=labelled[i]) if i in labelled else p for i, p in enumerate(paras) if i not in name_lines]


def _strip_boilerplate(paras: list[_Para]) -> tuple[str, set[_Para], list[MetaField]]:
    """Header lines (breadcrumb, categories, title) come before the first sentence; footers match _FOOTER."""
    title = ""
    header: set[_Para] = set()
    # A headline may have a colon ('Rescue chief: "Nobody should fear a bill"'): a label ends the header
    # only when it names a speaker for certain.
    speakers = _speaker_labels(paras, one_exchange_labels=False)
    for p in paras:
        if _SENTENCE_END.search(_TRAILING_HASHTAGS.sub("", p.text)) or _speaker_label(p, speakers):
            break
        header.add(p)
        crumb = _BREADCRUMB.match(p.text)
        if crumb and not title:
            title = crumb.group("title")
    if not title:
        # A page's headline is its first Markdown heading, whatever tagline or menu comes before it.
        headline = (p.text for p in paras if p in header and p.marked == "heading")
        title = next(headline, "") or next((p.text for p in paras if p in header and len(p.text.split()) >= 4 and not _is_menu(p.text)), "")
    footer_meta = []
    for pattern in (_SOURCE_LINE, _COPYRIGHT_LINE):
        for p in paras:
            m = pattern.match(p.text)
            if m:
                s = p.start + m.start("value")
                footer_meta.append(MetaField("source", m.group("value"), Span(s, s + len(m.group("value")), m.group("value"))))
        if footer_meta:
            break
    return title, header, footer_meta


def is_request(text: str) -> bool:
    """Whether a sentence asks without a question mark ("Tell us about the flood of 2021."): it states nothing.

    >>> is_request("Tell us about the new irrigation law."), is_request("Critics call it a waste.")
    (True, False)
    """
    return bool(_REQUEST.match(text))


def _backchannel(text: str) -> bool:
    """A turn of a few words that asks nothing: the interviewer listening ("Wow.", "Right.", "I see."),
    not prompting ("And the climate?", "Go on about the fund.")."""
    return len(text.split()) <= BACKCHANNEL_WORDS and not _is_question(text) and not is_courtesy(text)


def _is_question(text: str) -> bool:
    # A question need not end in "?" ("... in this geopolitical balance."), but it asks something and
    # addresses the guest; a rhetorical "Why? Because ..." inside an answer does not say "you". A
    # request ("Tell us about ...") asks too, and so does a paragraph opening on the guest's title that
    # speaks to them ("Director-General Varga-Moreau, thank you."): the interviewer's, though it asks nothing.
    return (
        text.rstrip("\"”’) ").endswith("?")
        or ("?" in text and bool(_ADDRESSES_LISTENER.search(text)))
        or is_request(text)
        or (bool(_ADDRESSES_TITLED.match(text)) and bool(_ADDRESSES_LISTENER.search(text)))
    )


def _is_put_to_guest(text: str, following: list[_Para]) -> bool:
    """Whether a paragraph after an answer is the interviewer's statement for the guest to answer ("Some
    hoteliers say that free rescues encourage reckless risks."), not the answer going on: it does not
    speak for the guest (every answer's second paragraph in the transcripts at hand says "I", "we" or
    "our"), and what follows it answers it rather than asking."""
    return not _FIRST_PERSON.search(text) and bool(following) and not _is_question(following[0].text)


def _merge(spec: list[tuple[Role, int, int, str]], role: Role, p: _Para) -> None:
    if spec and spec[-1][0] == role:
        spec[-1] = (role, spec[-1][1], p.end, spec[-1][3])
    else:
        spec.append((role, p.start, p.end, ""))


# The page's own words among the turns: an editor's note in square brackets ("[Editor's note: the award
# carries a prize of €5,000.]") or a direction in round ones ("(VIDEO REPORT)"), and a closing note
# that the piece was edited, with whatever follows it (the author's bio). English.
_BRACKETED_NOTE = re.compile(r"^(?:\[[^\[\]]+\]|\([^()]+\))$")
# A closing section about the people or firms ("About the companies", "About the author") and what follows.
_ABOUT_HEADING = re.compile(r"^About\s+(?:the\s+|our\s+)?[\w ]{2,30}$|^About us$|^About(?:\s+the\s+\w+)?\s*:\s+\S")
# A press release's end mark ("###", "-- END --", "-30-"), before its media contact.
_END_MARK = re.compile(r"^(?:#{3}|-{1,3}\s*ENDS?\s*-{1,3}|ENDS|-30-|\[?END OF (?:THE )?(?:TRANSCRIPT|INTERVIEW|RECORDING)\]?)$", re.IGNORECASE)
# A closing note that the text is a translation ("Unofficial translation. The Spanish text prevails.").
_TRANSLATION_NOTE = re.compile(r"^(?:Unofficial|Official|Informal) translation\b|\btext (?:prevails|is authoritative)\b|^Translated (?:from|by)\b", re.IGNORECASE)
_EDITED_NOTE = re.compile(r"\b(?:interview|conversation|transcript|exchange)\b[^.]*\b(?:edited|condensed)\b", re.IGNORECASE)
CLOSING_NOTE_REACH = 3  # paragraphs from the end
SIGNATURE_LINES = 4  # a sign-off may stand this much further up, over a name, a title, a phone number, an address


# A messaging app's own lines in its export: a stamped line that no one sends ("12/03/2025, 14:00 -
# Messages and calls are end-to-end encrypted.", "... - You added Priya"), and a message that holds no
# words ("<Media omitted>", "This message was deleted"). English, as the app writes them.
_CHAT_SYSTEM = re.compile(rf"^{_CHAT_STAMP}(?![^:\n]{{1,40}}:\s)")
_NO_WORDS = re.compile(r"^(?:(?::[\w+-]+:\s*)+|<Media omitted>|<attached: [^>]*>|This message was deleted\.?|You deleted this message\.?|(?:image|video|audio|sticker|GIF|document) omitted)$", re.IGNORECASE)


def _app_line(p: _Para) -> bool:
    label = _label_of(p)
    return bool(_CHAT_SYSTEM.match(p.text)) if label is None else bool(_NO_WORDS.match(p.text[label.body :].strip()))


# An email's sign-off, over the signature block. English.
_SIGN_OFF = re.compile(r"^(?:Best wishes|Kind regards|Best regards|Warm regards|With best wishes|Many thanks|Regards|Cheers|All the best|Best|Thanks again),?$", re.IGNORECASE)


def _closes_page(text: str) -> bool:
    return bool(_EDITED_NOTE.search(text) or _ABOUT_HEADING.match(text) or _END_MARK.match(text) or _TRANSLATION_NOTE.search(text) or _SIGN_OFF.match(text))


# A cast line naming the sides in turn ("Interviewer: David Halloran. Guest: Mirela Ostrovska, director of
# the Trust."): the page's, not a turn of the interviewer's. English role words.
_CAST_LINE = re.compile(rf"^(?:(?:Interviewer|Host|Presenter|Guest|Interviewee)\s*:\s*{_NAME}[^:]*?\.\s*){{2,}}$")


# A script's line of short fields ("IN: "We've had to..." OUT: "...it adds up." RUNTIME: :07"): a cue for
# the studio, no one's words. Two keys or more in capitals, each over a few words.
_FIELD = r"[A-Z]{2,}(?:[^\S\n][A-Z]{2,})?:"
_FIELDS_LINE = re.compile(rf"^(?:{_FIELD}(?:[^\S\n]+(?!{_FIELD})\S+){{1,6}}[^\S\n]*){{2,}}$")


def _says_nothing(label: _Label, p: _Para) -> bool:
    """A labelled line with no word after its label ("RUNTIME: :14"): a timing, not speech."""
    return not re.search(r"[^\W\d_]", p.text[label.body :])


# Many voices at once, recorded as one ("Hon. Members: Hear, hear.", "AUDIENCE: [laughter]"): no one's answer. English.
_GROUP_LABEL = re.compile(r"(?:(?:Hon(?:ourable)?\.?|Several|Some|Other)\s+)?(?:Members|Audience|Crowd|Voices|Everyone|All)", re.IGNORECASE)


# A blog post's footer, where the post ends and its sharing buttons and readers' comments begin ("Share
# this:", '4 thoughts on "Fixing Things Together"', "12 Comments", "Leave a Reply"). English, as blog
# software writes it.
_POST_FOOTER = re.compile(
    r"^(?:Share this:?|Like this:?|\d+\s+(?:thoughts?|comments?|responses?|replies)(?:\s+(?:on|to)\b.*)?|Leave a (?:Reply|Comment)|Comments?)$",
    re.IGNORECASE,
)


def _copyright_end(paras: list[_Para]) -> int:
    """Where a page's copyright line ends it: the first one after the interview's last question, from
    which on every line is the site's ("Copyright © 2025 ... All rights reserved." and then "... transcripts
    are created on a rush deadline ...", which a user run found quoted as the guest's); else the end. A
    credit with questions after it ("© Photo agency" under a picture) ends nothing."""
    return next((i for i in range(_last_question(paras) + 1, len(paras)) if _COPYRIGHT_START.match(paras[i].text)), len(paras))


def _first_question(content: list[_Para]) -> int:
    """The index of the first paragraph that asks (`len(content)` if none does)."""
    return next((i for i, p in enumerate(content) if _is_question(p.text)), len(content))


def _last_question(content: list[_Para]) -> int:
    """The index of the last paragraph that asks (`len(content)` if none does)."""
    return max((i for i, p in enumerate(content) if _is_question(p.text)), default=len(content))


def _page_notes(content: list[_Para]) -> set[_Para]:
    """Paragraphs that are the page's, not anyone's turn: a bracketed editor's note anywhere, and from a
    closing "This interview has been edited for length.", a press release's "###" or a translation note
    on (a user run found the note's fact credited to the guest, and the author's bio quoted as her answer)."""
    notes = {
        p for p in content
        if _BRACKETED_NOTE.match(p.text) or _INTERFACE.match(p.text) or _app_line(p) or _CAST_LINE.match(p.text) or _FIELDS_LINE.match(p.text)
        or ((label := _label_of(p)) is not None and (_GROUP_LABEL.fullmatch(label.name) or _says_nothing(label, p)))
    }
    closing = next(
        (i for i in range(max(0, len(content) - CLOSING_NOTE_REACH - SIGNATURE_LINES), len(content))
         if _closes_page(content[i].text) and (i >= len(content) - CLOSING_NOTE_REACH or _SIGN_OFF.match(content[i].text))),
        None,
    )
    if closing is None:
        # Further up, after the last question: a note that the interview was edited, with a journal's
        # references and competing interests below it (a user run found those quoted as the guest's).
        closing = next((i for i in range(_last_question(content) + 1, len(content)) if _closes_page(content[i].text) and not _SIGN_OFF.match(content[i].text)), None)
    if closing is not None and closing > 0:
        notes.update(content[closing:])
    # A blog post's footer, after the interview has begun: readers' comments are no one's answers (a user
    # run found them quoted as the guest's).
    begun = _first_question(content)
    footer = next((i for i in range(begun + 1, len(content)) if _POST_FOOTER.match(content[i].text)), None)
    if footer is not None:
        notes.update(content[footer:])
    return notes


# A page's properties, a line each ("**Date:** 14 March 2024", "Interviewer: Priya Lindqvist", "Tags:
# #food"): a wiki's or a recording app's header, not turns.
_PROPERTY = re.compile(rf"^{_BOLD}?(?P<key>[A-Z][\w ]{{0,20}}?){_BOLD}?\s*:{_BOLD}?\s+(?P<value>\S.*)$")
MIN_PROPERTIES = 3


def _properties_block(content: list[_Para]) -> set[_Para]:
    """The lines of a properties block before the first question: at least `MIN_PROPERTIES` lines in a
    row, at most a blank line between, each "Key: value" under a key the page uses once. (Speakers'
    labels recur: a caption file's host, guest and announcer open it with a line each, and the host and
    guest speak again.)"""
    begun = _first_question(content)
    used = Counter(m.group("key") for p in content if (m := _PROPERTY.match(p.text)))
    block: list[_Para] = []
    keys: set[str] = set()
    for p in content[:begun]:
        match = _PROPERTY.match(p.text)
        match = match if match and used[match.group("key")] == 1 else None
        joined = bool(block) and 0 < p.start - block[-1].end <= 2
        if match and (joined or not block) and match.group("key") not in keys:
            block.append(p)
            keys.add(match.group("key"))
            continue
        if len(block) >= MIN_PROPERTIES:
            return set(block)
        block, keys = ([p], {match.group("key")}) if match else ([], set())
    return set(block) if len(block) >= MIN_PROPERTIES else set()


def _page_furniture(content: list[_Para]) -> set[_Para]:
    """The page's own lines between the turns of a page without labels, once the questions have begun:
    a line that ends no sentence ("Advertisement", "Continue reading below", "SIGN UP: Get the
    newsletter | Subscribe", a related article's headline), and a pull quote, a paragraph in quotation
    marks repeating words said in another (a user run's news page had them read as questions and answers).
    A line set apart in the page's question style is a question however it ends, and a list's items
    after the line that opens it ("For that, a member gets:") are that speaker's words."""
    begun = _first_question(content)
    items = _list_items(content[begun:])
    furniture = {
        p for p in content[begun:]
        if not p.marked and not p.text.endswith(":") and p not in items
        and (not _SENTENCE_END.search(p.text) or _pull_quote(p, content))
    }
    # A pull quote may be set as a blockquote ("> “If you can build a good dory ...”"), with the other
    # lines of its block (a translation of it).
    block: list[_Para] = []
    for p in [*content[begun:], None]:
        if p is not None and p.marked == "quoted":
            block.append(p)
            continue
        if any(_pull_quote(q, content) for q in block):
            furniture.update(block)
        block = []
    return furniture


def _list_items(content: list[_Para]) -> set[_Para]:
    """The items of each list a line opens ("For that, a member gets:" over "- five packets a season"):
    the paragraphs opening with a bullet or a dash right after it, which go on with its speaker's words."""
    items: set[_Para] = set()
    opened = False  # the paragraph before opens a list, or is one of its items
    for p in content:
        if opened and p.item:
            items.add(p)
        else:
            opened = p.text.endswith(":")
    return items


_QUOTED_WHOLE = re.compile(r"^[\"“‘'«]\s*(?P<words>[^\"“”«»]+?)\s*[\"”’'»]$")
PULL_QUOTE_SHARE = 0.9  # of a pull quote's words in the paragraph it repeats: a page may trim them ("(4,000)")


def _pull_quote(p: _Para, content: list[_Para]) -> bool:
    """Whether a paragraph wholly in quotation marks repeats another paragraph's words.

    >>> paras = list(_paragraphs('We lost 4,000 (four thousand) packets, half our stock.\\n"We lost 4,000 packets, half our stock."'))
    >>> _pull_quote(paras[1], paras), _pull_quote(paras[0], paras)
    (True, False)
    """
    m = _QUOTED_WHOLE.match(p.text)
    if m is None:
        return False
    words = re.findall(r"[\w’'-]+", m["words"].lower())
    for other in content:
        if other is not p and len(other.text) > len(m["words"]):
            said = set(re.findall(r"[\w’'-]+", other.text.lower()))
            if words and sum(w in said for w in words) >= PULL_QUOTE_SHARE * len(words):
                return True
    return False


def _split_at_gaps(spec: list[tuple[Role, int, int, str]], content: list[_Para], removed: Collection[_Para]) -> list[tuple[Role, int, int, str]]:
    """Each turn cut where a paragraph `removed` from the conversation stands inside it (an
    advertisement, a "READ MORE:" line, an editor's note between two paragraphs of an answer): a turn's
    text is its speaker's words only, so no quote of it holds the page's."""
    cuts = sorted(p.start for p in removed)
    out: list[tuple[Role, int, int, str]] = []
    for role, start, end, who in spec:
        if not any(start < cut < end for cut in cuts):
            out.append((role, start, end, who))
            continue
        # (The first paragraph starts before the turn, at its label.)
        inside = [p for p in content if p.start < end and start < p.end]
        pieces = itertools.groupby(inside, key=lambda p: bisect.bisect(cuts, p.start))
        for _, piece in pieces:
            paras = list(piece)
            # The first piece keeps where the turn starts (after a label), the last where it ends.
            out.append((role, max(start, paras[0].start), min(end, paras[-1].end), who))
    return out


def _infer_turns(content: list[_Para]) -> list[tuple[Role, int, int, str]]:
    spec: list[tuple[Role, int, int, str]] = []
    seen_question = False
    style = _question_style(content)
    if style:
        return _marked_turns(content, style)
    # A print Q&A sets its questions in capitals ("HOW BIG IS THE SALTREACH?"), as a page sets them in
    # bold: an answer's paragraph that asks nothing and says no "I" is still the answer's (a user run found
    # "People forget how much of the work is invisible. ..." read as the reporter's).
    capitals = [replace(p, marked="capitals") if not p.marked and _in_capitals(p.text) else p for p in content]
    if _question_style(capitals) == "capitals":
        return _marked_turns(capitals, "capitals")
    items = _list_items(content)
    for i, p in enumerate(content):
        if p in items and spec:
            _merge(spec, spec[-1][0], p)
            continue
        # A recording's words open with the time they were said ("00:00:04 Welcome back to ..."): the
        # first such is the host's opening, however it ends, not the page's narration above it.
        opening = not seen_question and p.timed
        if opening or _is_question(p.text) or (spec and spec[-1][0] == "answer" and _is_put_to_guest(p.text, content[i + 1 :])):
            role: Role = "question"
            seen_question = True
        elif not seen_question or (
            _REPORTED_SPEECH.search(p.text) and _TITLE.search(p.text) and not _FIRST_PERSON.search(p.text)
        ):
            role = "narration"
        else:
            role = "answer"
        _merge(spec, role, p)
    return spec


def _in_capitals(text: str) -> bool:
    """A paragraph of three words or more written in capitals."""
    return text.isupper() and len(text.split()) >= 3


def _question_style(content: list[_Para]) -> str:
    """The Markdown style a page sets its questions in ("heading", "bold", "italic"), "" if none: the
    style of two paragraphs or more, most of which ask."""
    # Paragraphs in a style one after another count as one (an email's question quoted over two lines).
    runs = [(style, " ".join(p.text for p in run)) for style, run in itertools.groupby(content, key=lambda p: p.marked) if style]
    styles = Counter(style for style, _ in runs)
    for style, n in styles.most_common():
        asking = sum(1 for marked, text in runs if marked == style and _is_question(text))
        if n >= 2 and 2 * asking >= n:
            return style
    return ""


def _marked_turns(content: list[_Para], style: str) -> list[tuple[Role, int, int, str]]:
    """A page that sets its questions apart says by that which paragraphs ask ("## Tell me about the new
    depot." asks, though it looks like a statement) and which answer (a rhetorical "Why? ..." does not).
    A paragraph in that style that nothing answers (the closing "*This interview has been edited.*"), or
    that comes before any question and asks nothing (a standfirst), is the page's; so is a closing line
    that names, by their full name from the intro, someone it thanks ("Thanks to Maren Holloway for
    talking to us."): no one thanks themselves so; nor is what follows it (a post's "Follow me for more").
    A paragraph in italics whole between answers to questions in another style is the writer's aside."""
    spec: list[tuple[Role, int, int, str]] = []
    intro_names = set(re.findall(_NAME, " ".join(p.text for p in itertools.takewhile(lambda p: p.marked != style, content))))
    thanked = lambda p: bool(_THANKS.search(p.text)) and any(n in p.text for n in intro_names)  # noqa: E731
    # Not the first paragraph after the last question, which answers it ("Thank you for coming, Dana.").
    last_marked = max((i for i, p in enumerate(content) if p.marked == style), default=len(content))
    closing = next((i for i in range(last_marked + 2, len(content)) if thanked(content[i])), len(content))
    seen_question = False
    for i, p in enumerate(content):
        # Paragraphs in the style one after another are one block (an email's question quoted over two
        # lines, or two questions answered together): what follows the block answers it.
        after = next((j for j in range(i + 1, len(content)) if content[j].marked != style), len(content))
        answered = after < len(content) and (content[i + 1].marked != style or style == "quoted")
        if p.marked == style:
            block = " ".join(q.text for q in content[i:after])
            asks = answered and (seen_question or _is_question(p.text) or (style == "quoted" and _is_question(block)))
            seen_question = seen_question or asks
            role: Role = "question" if asks else "narration"
        elif not seen_question or (i == len(content) - 1 and thanked(p)) or i >= closing or (p.marked == "italic" and style != "italic"):
            role = "narration"
        else:
            role = "answer"
        _merge(spec, role, p)
    return spec


def _labelled_share(content: list[_Para]) -> float:
    if not content:
        return 0.0
    return sum(1 for p in content if _label_of(p)) / len(content)


def _label_words(label: str) -> set[str]:
    return set(re.findall(r"[\w’'-]+", label.lower()))


def _speaker_labels(paras: Iterable[_Para], one_exchange_labels: bool = True, page: str = "") -> frozenset[str]:
    r"""The labels that name a speaker: those that open two paragraphs or more, and those made of their
    words ("Castellane:" once, beside "Priya Castellane:") or holding one as their surname ("Niamh
    Calloway:" on first use, "Calloway:" after); when none recurs (one exchange, or a page in the seed's
    layout under a headline with a colon), every label with `one_exchange_labels`, else none.
    A headline with a colon ('Railways chief: "We cannot run ..."') opens one paragraph and names no one.

    >>> sorted(_speaker_labels(_paragraphs('Rail chief: "No"\n\nAda Li: Why?\n\nBo: No.\n\nAda Li: And?\n\nBo: So.\n\nLi: Bye.')))
    ['Ada Li', 'Bo', 'Li']
    >>> sorted(_speaker_labels(_paragraphs('Cy Do: Why?\n\nBo Ek: No.\n\nDo: And?\n\nEk: So.\n\nDo: Bye.\n\nEk: Bye.')))
    ['Bo Ek', 'Cy Do', 'Do', 'Ek']
    """
    paras = list(paras)
    counts = Counter(label.name for p in paras if (label := _label_of(p)))
    # A name on its own line over the words is a speaker's in a script (`_script_labels`), even once.
    scripted = {p.label for p in paras if p.label}
    # A person's labels count together: "Ada Li:" once and "Li:" once is a speaker who spoke twice.
    person = {label: _same_person(label, counts) for label in counts}
    spoke = Counter(person[label] for label in counts.elements())
    recurring = {label for label in counts if spoke[person[label]] >= 2}
    if not recurring:
        return frozenset(counts) if one_exchange_labels else frozenset(scripted)
    known = set().union(*(_label_words(label) for label in recurring))
    # And the name a recurring label gives in brackets: "Mr Carradyce:" after "The Minister for Coastal
    # Transport (Mr Emlyn Carradyce):".
    known |= set().union(*(_label_words(label.asker) for p in paras if (label := _label_of(p)) and label.name in recurring and re.fullmatch(_NAME, label.asker)))
    # A role ("Reporter, Radio Vale:" once, at a briefing) names a speaker by its word, and so does a
    # label after a question's number ("Q44 Mr Renwick:" once, at a committee hearing).
    roles = INTERVIEWER_LABELS | INTERVIEWEE_LABELS
    numbered = _numbered_labels(paras)
    # A name used once as a label, inside the conversation, that the transcript also writes in its words
    # ("Minister Ruiz:" after "I would ask Minister Ruiz to give you the figure", "TOBIAS RENFREW:"
    # signing off "Tobias Renfrew, KVT News"): an aide or a correspondent heard once. Two words or more,
    # each capitalized (not a headline's "Dunmore Airport's Expansion: ...", above the first speaker).
    # The `page`'s notes count: a script's direction names the voice of a clip ("[SOT: JANET COLE, OWNER]").
    text = page or "\n".join(p.text for p in paras)
    labelled = [label.name for p in paras if (label := _label_of(p))]
    opened = min((labelled.index(label) for label in recurring), default=len(labelled))
    named = {
        label for label in counts
        if re.fullmatch(r"[A-Z][\w.-]*(?: [A-Z][\w.-]*)+", label) and labelled.index(label) > opened and _named_in(label, text, counts[label])
    }
    # A caller's number ("+44 7700 900123:") names no headline: a voice heard once; so does an unnamed
    # voice inside the conversation ("UNIDENTIFIED PERSON:" after a sound cue).
    called = {label for label in counts if _PHONE_LABEL.fullmatch(label) or (_UNIDENTIFIED.fullmatch(label) and labelled.index(label) > opened)}
    return frozenset(
        label for label in counts
        if label in recurring or _label_words(label) <= known or label.lower() in roles or label in numbered or label in scripted or label in named or label in called
    )


def _named_in(label: str, text: str, uses: int) -> bool:
    """Whether the text writes a label's name beyond the label's own uses; for a title and a surname in
    capitals ("DIRECTOR QUIST:", a town hall's staffer who answers once), the surname as a name is
    written ("Oren Quist is our Director of Public Works.").

    >>> _named_in("DIRECTOR QUIST", "DIRECTOR QUIST: Thank you. Oren Quist is our Director.", 1), _named_in("DIRECTOR QUIST", "DIRECTOR QUIST: A quist.", 1)
    (True, False)
    """
    if len(re.findall(rf"(?<![\w’'-]){re.escape(label)}(?![\w’'-])", text, re.IGNORECASE)) > uses:
        return True
    words = label.split()
    return label.isupper() and len(words) == 2 and re.search(rf"(?<![\w’'-]){re.escape(words[-1].title())}(?![\w’'-])", text) is not None


def _numbered_labels(paras: Iterable[_Para]) -> frozenset[str]:
    """The labels that follow a question's number ("Q44 Mr Renwick:"): those of the people who ask."""
    return frozenset(label.name for p in paras if (label := _label_of(p)) and label.numbered)


def _speaker_label(p: _Para, speakers: Collection[str]) -> _Label | None:
    label = _label_of(p)
    return label if label and label.name in speakers else None


def _same_person(label: str, others: Iterable[str]) -> str:
    """The longest of `others` that names the person `label` does: the same surname, and one label's words
    all in the other ("Calloway" and "Niamh Calloway"); "" when none does."""
    last = label.split()[-1].lower() if label.split() else ""
    same = [o for o in others if o.split() and o.split()[-1].lower() == last and (_label_words(o) <= _label_words(label) or _label_words(label) <= _label_words(o))]
    # An office cut short: "The Minister" for "The Minister for Coastal Transport" (two words or more).
    same += [o for o in others if len(label.split()) > 1 and o.startswith(f"{label} ")]
    return max(same, key=len, default="")


def _original_poster(content: list[_Para]) -> str:
    """In a forum thread whose replies are labelled "OP", the username over the first post; else ""."""
    first = next((p.label for p in content if p.label), "")
    return first if first and any((label := _label_of(p)) and label.name == "OP" for p in content) else ""


# What a broadcast transcript calls a voice it does not name ("UNIDENTIFIED PERSON:", "UNIDENTIFIED
# MALE #2:"): a speaker heard once, in a clip, whom no later name is. English.
_UNIDENTIFIED = re.compile(r"(?:unknown|unidentified)\s+(?:person|man|woman|male|female|child|boy|girl|caller)(?:\s*#?\s*\d{1,2})?", re.IGNORECASE)
# What a recording app calls a voice it has no name for. English.
_PLACEHOLDER = re.compile(
    r"(?:(?:unknown|unidentified)\s+)?(?:speaker|voice|participant)(?:[\s_]+(?:\d{1,2}|[A-Z]))?"
    # A meeting app names a caller by the device until the host renames them ("Ingrid's iPad").
    r"|[\w-]+[’']s\s+(?:iPad|iPhone|phone|laptop|MacBook(?:\s+(?:Pro|Air))?|PC|computer|tablet|Galaxy(?:\s+\w+)?|Pixel(?:\s+\d+)?)",
    re.IGNORECASE,
)


# A voice called by its first name at the start or the end of a turn: "Ilse, thanks for having me.",
# "Thank you for coming, Dana."
_VOCATIVE = re.compile(r"^([A-Z][a-z][\w’'-]*),\s|,\s([A-Z][a-z][\w’'-]*)[.?!]$")


def _name_placeholders(person: dict[str, str], spoken: list[tuple[_Label, _Para]], text: str) -> None:
    """Name the voices still known only as placeholders ("SPEAKER_00", "Speaker 2"): by the name one
    gives itself ("I'm Dana Pruett."), else, of two voices, by the first name the other calls it by
    when the transcript writes that name in full once ("Ilse, ..." and "... with Ilse Varnhagen, who
    ...")."""
    unnamed = [lb for lb in dict.fromkeys(label.name for label, _ in spoken) if _PLACEHOLDER.fullmatch(person[lb])]
    for voice in unnamed:
        own = next((m.group(1) for label, p in spoken if label.name == voice and (m := _SELF_INTRO.search(p.text[label.body :]))), "")
        if own:
            person[voice] = own
    left = [lb for lb in unnamed if _PLACEHOLDER.fullmatch(person[lb])]
    voices = list(dict.fromkeys(label.name for label, _ in spoken))
    if len(left) != 1 or len(voices) != 2:
        return
    other = next(lb for lb in voices if lb != left[0])
    called = Counter(
        m.group(1) or m.group(2) for label, p in spoken if label.name == other
        for sentence in split_sentences(p.text[label.body :]) if (m := _VOCATIVE.search(sentence.text.strip()))
    )
    for first, _ in called.most_common():
        if fuller := _one_fuller_name(first, text):
            person[left[0]] = fuller
            return


def _label_people(content: list[_Para], op: str = "", page: str = "") -> dict[str, tuple[Role, str]]:
    """Each speaker label's side and the person it names, by the longest label that names them ("Calloway:"
    -> ("question", "Niamh Calloway")). The interviewees are those who ask in fewer than one turn in four,
    so long as someone is left to ask (or a label says who does: "Host:"): one, or a panel. Failing that,
    the one who speaks most and is not called the interviewer. In a forum thread (posts under "u/name ·
    412 points") `op` is the username over the first post, whose replies are labelled "OP" (`_original_poster`).
    `page` is the page's whole text, its notes too (`_speaker_labels`)."""
    speakers = _speaker_labels(content, page=page)
    person = {label: _same_person(label, speakers) for label in speakers}
    # An office's label may name its holder in brackets ("The Minister for Coastal Transport (Mr Emlyn
    # Carradyce):"); the holder's own label later ("Mr Carradyce:") is the same person.
    held = _office_holders(content, speakers)
    for lb in speakers:
        owner = next((office for office, holder in held.items() if lb != office and _same_person(lb, [_strip_title(holder), holder])), "")
        if owner:
            person[lb] = person[owner]
    # A recording app calls a voice it cannot name "Speaker 2" until someone names it there: the first
    # name heard after that voice's last turn is its.
    spoken = [(label, p) for p in content if (label := _speaker_label(p, speakers))]
    order = [label.name for label, _ in spoken]
    for placeholder in (lb for lb in speakers if _PLACEHOLDER.fullmatch(lb)):
        last = max(i for i, lb in enumerate(order) if lb == placeholder)
        named = next((lb for lb in order[last + 1 :] if lb not in order[: last + 1] and not _PLACEHOLDER.fullmatch(lb)), "")
        if named:
            person[placeholder] = person[named]
    _name_placeholders(person, spoken, "\n".join(p.text for p in content))
    if op:
        person[op] = person["OP"]
    words: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    asking: Counter[str] = Counter()
    for label, p in spoken:
        who = person[label.name]
        words[who] += len(p.text.split())
        turns[who] += 1
        asking[who] += _is_question(p.text[label.body :])
    people = list(words)
    named_guest = [lb for lb in people if lb.lower() in INTERVIEWEE_LABELS or (op and lb == "OP")]
    numbered = {person[label] for label in _numbered_labels(content) if label in person}
    # Or by the role its label gives after the name: "MAYA ORTEGA, HOST:", "TOM WEBB, BYLINE:" (a radio
    # transcript's reporter, whose report is no answer; a user run found it quoted as the guest's).
    roled = {person[label.name] for label, _ in spoken if label.asker.lower() in INTERVIEWER_LABELS}
    hosts = [lb for lb in people if lb.lower() in INTERVIEWER_LABELS or lb in numbered or lb in roled]
    candidates = named_guest or [lb for lb in people if lb not in hosts]
    if not candidates:  # only interviewer labels ("Q:", "Host:"): questions without answers
        return {label: ("question", who) for label, who in person.items()}
    guest = max(candidates, key=lambda lb: words[lb])
    guests = {guest}
    # A guest asks in hardly any turn; a host in a third to nearly all of theirs (a podcast host chatting
    # back, a presenter who also introduces a report).
    answering = {lb for lb in candidates if ASKING_SHARE * asking[lb] < turns[lb]}
    # One who hands the floor to the next asker by name in most of their turns ("Tess, you first.",
    # "Next, Channel 6.") chairs a press conference: they answer no question, they run it.
    handed, handed_to = _handovers([(person[label.name], label, p.text[label.body :]) for label, p in spoken])
    chairs = {lb for lb in answering if handed[lb] >= 2 and 2 * handed[lb] > turns[lb]}
    if len(chairs) < len(answering):
        # Those who speak, in most of their turns, when a chair gives them the floor ask ("Our next
        # question comes from Annika Vost. Please go ahead."), however they put it ("Maybe just talk
        # about the truck pilot."); not the chief executive the call is first handed to.
        given = sum((handed_to[chair] for chair in chairs), Counter())
        answering -= chairs | {lb for lb in answering if 2 * given[lb] > turns[lb]}
    if not named_guest and answering and (hosts or len(answering) < len(people)):
        guests = answering
    return {label: ("answer" if who in guests else "question", who) for label, who in person.items()}


def _office_holders(content: list[_Para], speakers: Collection[str]) -> dict[str, str]:
    """The person each label names in its brackets, by label: "The Minister for Coastal Transport (Mr
    Emlyn Carradyce):" -> "Mr Emlyn Carradyce"."""
    return {label.name: label.asker for p in content if (label := _speaker_label(p, speakers)) and re.fullmatch(_NAME, label.asker)}


def _handovers(labelled: list[tuple[str, _Label, str]]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """How many of each person's turns (person, label, words said, in order) end by naming the one who
    speaks next, by a capitalized word of the next turn's label ("Tess, you first." before "Q (Tess
    Varga, Northgate Herald):"; "Our next question comes from Annika Vost. Please go ahead."), and whom
    how often each gave it to whom. A guest who thanks the host by name opens the answer with it, and does not count."""
    handed: Counter[str] = Counter()
    handed_to: dict[str, Counter[str]] = {}
    for (who, _, text), (after, label, _) in zip(labelled, labelled[1:]):
        if after != who:
            named = (_label_words(label.name) | _label_words(label.asker)) - INTERVIEWER_LABELS
            closing = " ".join(s.text for s in split_sentences(text)[-HANDOVER_SENTENCES:])
            if named & {w.lower() for w in re.findall(r"\b[A-Z0-9][\w’'-]*", closing)}:
                handed[who] += 1
                handed_to.setdefault(who, Counter())[after] += 1
    return handed, handed_to


def _labelled_speakers(content: list[_Para], people: dict[str, tuple[Role, str]], op: str = "") -> tuple[tuple[str, ...], str]:
    """(interviewees, interviewer) as their labels name them, in the order they first speak; none for
    generic labels such as "A" or "Host"."""
    # A thread's "OP" is a role too: the name is the one the opening post gives.
    generic = INTERVIEWEE_LABELS | INTERVIEWER_LABELS | ({"op"} if op else set())
    labelled = [(label, p) for p in content if (label := _speaker_label(p, people))]
    speaking = [people[label.name] for label, _ in labelled]
    guests = dict.fromkeys(who for role, who in speaking if role == "answer" and who.lower() not in generic)
    # Who puts no question is no interviewer: a press secretary who chairs ("Tess, you first."),
    # while the reporters ask.
    asks = {people[label.name][1] for label, p in labelled if _is_question(p.text[label.body :])}
    hosts = list(dict.fromkeys(who for role, who in speaking if role == "question" and who.lower() not in generic))
    # Of several, the one whose label says they run it ("MAYA ORTEGA, HOST:" beside "TOM WEBB, BYLINE:").
    presenting = list(dict.fromkeys(people[label.name][1] for label, _ in labelled if label.asker.lower() in _HOST_LABELS))
    hosts = presenting if len(hosts) > 1 and len(presenting) == 1 and presenting[0] in hosts else hosts
    return tuple(guests), (hosts[0] if len(hosts) == 1 and hosts[0] in asks else "")


def _label_turns(content: list[_Para], people: dict[str, tuple[Role, str]], op: str = "") -> list[tuple[Role, int, int, str]]:
    """(side, start, end, person) of each turn, by each label's side and person (`_label_people`); the
    person is "" where no label names one."""
    spec: list[tuple[Role, int, int, str]] = []
    # In a layout whose names stand on their own lines, a few words before the next speaker's that
    # end no sentence, nor break off one (a recording app cuts a turn at "... £900,"), are a heading
    # ("Questions and Answers"), not the end of the turn above; in any labelled layout, so are a few
    # such words in capitals (a newsroom script's "TAKE VO" before "ANCHOR (VO): ..."), and a field in
    # capitals that ends no sentence (its caption's "SUPER: Dr. Helena Marsh / Chief Hydrologist").
    scripted = any(p.label for p in content)
    listing = False
    for i, p in enumerate(content):
        label = _speaker_label(p, people)
        last = i + 1 == len(content)
        short = not label and len(p.text.split()) <= HEADING_WORDS and p.text[-1:].isalnum()
        before_name_line = scripted and (last or bool(content[i + 1].label))
        capitals_before_speaker = p.text.isupper() and not last and bool(_speaker_label(content[i + 1], people))
        field = not label and bool(re.match(rf"{_FIELD}\s", p.text)) and not _SENTENCE_END.search(p.text)
        # A Markdown heading between labelled turns is the page's section title ("## 00:12:40 — Rebuilding").
        heading = (short and (before_name_line or capitals_before_speaker)) or field or (not label and p.marked == "heading")
        if label:
            # A direction that opens the words ("(Laughter) We'll try to finish ...") is no one's words.
            skip = label.body + opening_skip(p.text[label.body :])
            body = _Para(p.start + skip, p.end, p.text[skip:])
            role, who = people[label.name]
            if role == "question" and who.lower() in _HOST_LABELS and re.fullmatch(_NAME, label.asker):
                who = label.asker  # the presenter, by name
            elif role == "question" and who.lower() in INTERVIEWER_LABELS and label.asker:
                who = f"{INTERVIEWER} ({label.asker})"  # one of several askers: "Interviewer (Harbour Gazette)"
            if role == "answer" and not spec and label.name == op:
                role = "narration"  # a thread's opening post introduces the one who will answer
            # A new labelled paragraph is a new turn even when the same side speaks again.
            spec.append((role, body.start, body.end, who))
        elif spec:
            # An unlabelled paragraph continues the current speaker, unless it is all in italics: the
            # page's note ("*This interview has been edited for length and clarity.*"), no one's words;
            # nor does a numbered one outside a list the speaker opened ("... three things:"): the order
            # paper's question ("3. Dr Rhodri Maskelyne (Inverclast) asked the Minister ...").
            listing = listing and p.marked == "numbered" or bool(i) and content[i - 1].text.endswith(":")
            agenda = p.marked == "numbered" and not listing
            _merge(spec, "narration" if p.marked == "italic" or heading or agenda else spec[-1][0], p)
        else:
            _merge(spec, "narration", p)
    return spec


# A panel's interviewee answers in more than this share of the exchanges that the one who answers
# most answers in (the dev transcripts' panels: 0.9 and more; a producer or an aide: 0.1 to 0.2).
PANEL_SHARE = 1 / 3
# An answer this long is the conversation proper: what the host says before it is the opening.
OPENING_ANSWER_WORDS = 30


def _opening_questions(raw: str, spec: Sequence[tuple[Role, int, int, str]]) -> list[tuple[Role, int, int, str]]:
    """The presenter's turns before the guest first answers at length: the greeting and the programme's
    introduction ("Can you hear me?" / "Yes, loud and clear." / "So this is for the Ledger's Harbour Lives
    series ...")."""
    opening = []
    for turn in (t for t in spec if t[0] != "narration"):
        if turn[0] == "answer" and len(raw[turn[1] : turn[2]].split()) >= OPENING_ANSWER_WORDS:
            break
        if turn[0] == "question":
            opening.append(turn)
    return opening


# The properties that state a field of the interview's record, by their key. English.
_PROPERTY_FIELDS = {
    "date": "date", "recorded": "date", "location": "place", "place": "place", "venue": "place",
    "air date": "date", "aired": "date", "broadcast": "date",
    "series": "program", "programme": "program", "program": "program", "show": "program", "podcast": "program",
    "interviewee": "interviewee", "narrator": "interviewee", "guest": "interviewee", "interviewer": "interviewer",
    "participant": "interviewee", "respondent": "interviewee",
    "host": "interviewer", "presenter": "interviewer", "anchor": "interviewer",
}  # fmt: skip
# A person's property may add a former name in brackets or a role after a comma: "Edith Mae Vannoy (nee
# Kessling)", "Ingrid Halvorsen, chair of the Mill Cooperative"; initials may give the name in brackets
# ("O.P. (Owen Pryce)").
_PERSON_TAIL = re.compile(r"\s*(?:\([^()]*\)|[,;]\s.*|\s[-—–]\s.*)$")
_INITIALS_NAMED = re.compile(rf"^(?:[A-Z]\.\s?){{1,3}}\s*\(({_NAME})\)$")


def _extract_meta(
    raw: str,
    spec: list[tuple[Role, int, int, str]],
    footer_meta: list[MetaField],
    title: str,
    datelines: Sequence[_Para] = (),
    properties: Collection[_Para] = (),
) -> list[MetaField]:
    # A properties block says in so many words when and where, and for which programme.
    found: dict[str, MetaField] = {}
    for p in sorted(properties, key=lambda p: p.start):
        match = _PROPERTY.match(p.text)
        name = _PROPERTY_FIELDS.get(match.group("key").strip().lower(), "") if match else ""
        if match and name and name not in found:
            person = name in ("interviewee", "interviewer")
            value = match.group("value").strip()
            initials = _INITIALS_NAMED.match(value) if person else None
            written = initials.group(1) if initials else _PERSON_TAIL.sub("", value) if person else value
            field = _field_at(name, raw, p.start + match.start("value"), written)
            if person:  # "MS. ODILE BRANNOCK" is the Odile Brannock the transcript writes elsewhere (cited as written)
                named = _strip_title(written)
                field = replace(field, value=_as_written(named, raw) if named.isupper() else named)
            found[name] = field
    for role, start, end, _ in spec:
        if role != "narration":
            continue
        text = raw[start:end]
        for name, pattern in (
            ("date", _DATE),
            ("interviewee", _INTERVIEWEE),
            ("broadcaster", _BROADCASTER),
            ("program", _PROGRAM),
            ("program", _WELCOME),  # a recording whose host's opening is read as the page's (a transcript panel)
            ("occasion", _OCCASION),
            ("place", _PLACE),
            ("source", _REPORTS),
            ("source", _PUBLICATION),
        ):
            m = _interview_date(text) if name == "date" else pattern.search(text)
            if m and name not in found:
                group = _first_group(m)
                value = m.group(group).strip()
                if name == "occasion":  # "Ahead of the summit, ..." opens a sentence; the value goes after a verb
                    value = value[0].lower() + value[1:]
                found[name] = _field_at(name, raw, start + m.start(group), value)
    # Before anyone answers, the presenter's opening says which programme this is ("Welcome to ...", "this
    # is for the Ledger's Harbour Lives series"), where it is recorded ("we're recording in the back room
    # of the Saltgate Library"), when ("It's Thursday the 16th of March 2023", "We recorded today's
    # conversation on the 9th of October 2023") and for whom ("recorded for the winter issue of Tideline Magazine").
    opening = _opening_questions(raw, spec)
    for name, pattern in (("program", _WELCOME), ("program", _PROGRAM), ("place", _PLACE), ("date", _TODAY), ("date", _RECORDED_ON), ("source", _PUBLICATION)):
        for _, start, end, _ in opening:
            if name not in found and (m := pattern.search(raw, start, end)):
                # The name, not whose it is: "the Estuary Society's Harbour Lives series" is Harbour Lives.
                group = _first_group(m)
                owner = re.match(r"(?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*[’']s\s+(?=[A-Z])", m.group(group))
                at = m.start(group) + (owner.end() if owner else 0)
                found[name] = _field_at(name, raw, at, raw[at : m.end(group)].strip())
    identified = next((m for _, start, end, _ in opening if (m := _STATION_ID.search(raw, start, end))), None)
    for name, group in (("program", "program"), ("broadcaster", "station")) if identified else ():
        if name not in found:
            found[name] = MetaField(name, _spelled(identified[group], raw), Span(identified.start(group), identified.end(group), identified[group]))
    programme = next(((m, p.start) for p in datelines if (m := _PROGRAM_LINE.match(p.text))), None)
    if programme is not None and "program" not in found:
        found["program"] = _matched_field("program", *programme)
    header = [(title, raw.find(title))] if title else []
    # And the narration before anyone speaks (a subtitle file's note: "... air date 12 March 2024, Westmarch
    # Community Television (WCTV).").
    lead = list(itertools.takewhile(lambda turn: turn[0] == "narration", spec))
    header += [(p.text, p.start) for p in datelines] + [(raw[start:end], start) for _, start, end, _ in lead]
    station = next(((m, at) for text, at in header if at >= 0 and (m := _STATION.match(text) or _STATION_WITHIN.search(text))), None)
    if station is not None and "broadcaster" not in found:
        m, at = station
        found["broadcaster"] = _matched_field("broadcaster", m, at, _spelled(m.group(1), raw))
    for f in footer_meta:
        found.setdefault(f.name, f)
    # A page's dateline or byline above the story ("14 October 2025, 08:40", "By Bo Chan | 14 March 2024"),
    # when the intro gives no date: the day the report is dated, which need not be the interview's.
    # (A caption file's title card is in capitals: "TUESDAY 11 NOVEMBER 2025, PORT EDDA".)
    # A header line that says when and where it was recorded ("Recorded at the Kestrel Bay studio, ...,
    # on 9 March 2023") gives the interview's date and place, whatever else the header dates.
    opened = lambda text: text[:1].lower() + text[1:]  # noqa: E731
    for p in datelines:
        given = _DATE.search(_in_usual_case(p.text)) if _GIVEN.search(opened(p.text)) else None
        if given is not None and "date" not in found:
            found["date"] = _field_at("date", raw, p.start + given.start(), given.group())
        place = _PLACE.search(opened(p.text))
        if place is not None and "place" not in found:
            found["place"] = _matched_field("place", place, p.start)
    dated = next(((p, m) for p in datelines if (m := _DATE.search(_in_usual_case(p.text)) or _SHORT_DATE.search(p.text))), None) if "date" not in found else None
    if dated is not None:
        p, m = dated
        found["dateline"] = _field_at("dateline", raw, p.start + m.start(), m.group())
    if title:
        s = raw.find(title)
        if s >= 0:
            found["title"] = MetaField("title", title, Span(s, s + len(title), title))
    return [found[k] for k in ("title", "date", "dateline", "occasion", "place", "interviewee", "interviewer", "broadcaster", "program", "source") if k in found]


# What a sentence says of the interview itself, beside a date: "The interview was recorded on 11 March".
_GIVEN = re.compile(r"\b(?:recorded|filmed|taped|given|conducted|took place|held|interviewed|spoke|sat down)\b")


def _interview_date(text: str) -> re.Match[str] | None:
    """The first date of an intro, or of its sentences the first that says the interview was given then
    ("Published 14 March. The interview was recorded on 11 March ..." gives 11 March).

    >>> _interview_date("Published 14 March 2031. The interview was recorded on 11 March 2031 at home.").group()
    '11 March 2031'
    """
    dates = list(_DATE.finditer(text))
    sentences = split_sentences(text)
    sentence = lambda m: next((s.text for s in sentences if s.start <= m.start() < s.end), "")  # noqa: E731
    return next((m for m in dates if _GIVEN.search(sentence(m))), dates[0] if dates else None)


def _first_group(m: re.Match[str]) -> int:
    """The first group of a pattern's alternatives that matched (0, the whole match, when it has none)."""
    return next((g for g in range(1, m.re.groups + 1) if m.group(g)), 0)


def _field_at(name: str, raw: str, start: int, value: str) -> MetaField:
    """A field whose value is written at `start` of the transcript."""
    return MetaField(name, value, Span(start, start + len(value), raw[start : start + len(value)]))


def _matched_field(name: str, m: re.Match[str], at: int, value: str = "") -> MetaField:
    """The field a match's first group states, in a text that starts at `at` of the transcript; its
    value as given (`value`) or as written."""
    return MetaField(name, value or m.group(1), Span(at + m.start(1), at + m.end(1), m.group(1)))


def _meta_value(meta: list[MetaField], name: str) -> str:
    return next((m.value for m in meta if m.name == name), "")


def _default_topics(turns: list[Turn]) -> tuple[str, ...]:
    """Stand-in topic labels for a transcript with no card, one per interviewer turn (a topic belongs to
    its exchange by place): "" for an opening or closing courtesy, a greeting or a thank-you ("Mayor
    Varga, thank you."), which is no topic of the guest's (a user run found "Mayor Ilse Varga speaks
    about: Mayor, thank you for joining us; ...; Mayor Varga, thank you"). A statement between them
    ("Housing is the other big issue.") is one. So is "" a question no answer follows: the guest spoke of
    nothing there ("That's all for this episode." closing a recording, after the thank-you)."""
    asking = asking_positions(turns, lambda t: t.exchange)
    at = [asking[e] for e in sorted(asking)]  # type: ignore[type-var]
    questions = [turns[i] for i in at]
    # The answer each question got: the turn right after it, when that is one.
    answers = [turns[i + 1].text if i + 1 < len(turns) and turns[i + 1].role == "answer" else "" for i in at]
    courtesy = [False] * len(questions)
    for order in (range(len(questions)), range(len(questions) - 1, -1, -1)):
        for i in order:
            if not is_courtesy(questions[i].text) and answers[i]:
                break
            courtesy[i] = True
    return tuple("" if skip or not a else _default_topic(unquoted(q.text), a) for q, a, skip in zip(questions, answers, courtesy))


def _default_topic(question: str, answer: str = "") -> str:
    """The sentence of a question turn that says what it is about, as a stand-in label for an exchange
    with no card: the last one that asks, unless it leans on what came before ("Critics say the
    telescope is a white elephant. How do you respond?"); then the sentence before it with the most
    words of its own.

    >>> _default_topic("Critics call the dam a waste of money. How do you respond?")
    'Critics call the dam a waste of money. How do you respond?'
    >>> _default_topic("Critics call the dam a waste. Others disagree. How do you respond?")
    'Critics call the dam a waste.'
    >>> _default_topic("You met the minister. Who else did you meet in Lorvic?")
    'Who else did you meet in Lorvic?'

    One that points back keeps the sentence it points to: "Are you seeing its effects?" alone, or the
    statement alone, was a label a user could not make sense of.

    >>> _default_topic("Thank you. Climate change is on everyone's mind. Are you seeing its effects in your work?")
    "Climate change is on everyone's mind. Are you seeing its effects in your work?"

    So does one after a statement whose words the answer takes up ("Will the National Bank intervene?"
    alone named no topic); not after one it leaves ("Final question.").

    >>> _default_topic("The lev fell against the euro. Will the bank intervene?", "We will not defend the lev.")
    'The lev fell against the euro. Will the bank intervene?'
    >>> _default_topic("Final question. Will you stand for a second term?", "I will not stand.")
    'Will you stand for a second term?'
    """
    # Imported here, not at the top, so that importing rag.corpus does not bring numpy (~0.2 s) with rag.retrieval.
    from rag.query import leans_on_context, points_back
    from rag.retrieval import tokenize

    sentences = re.split(r"(?<=[.?!])\s+", question.strip())
    asking = [i for i, s in enumerate(sentences) if s.endswith("?")] or [len(sentences) - 1]
    last = asking[-1]
    own = [len(set(tokenize(s))) for s in sentences]
    if last == 0 or (own[last] > 1 and not leans_on_context(sentences[last], own[last])):
        chosen, with_question = last, last > 0 and (points_back(sentences[last]) or _answer_takes_up(sentences[last - 1], sentences[last], answer))
    else:
        chosen = max(range(last), key=lambda i: (own[i], -i))
        with_question = chosen == last - 1
    return f"{sentences[last - 1]} {sentences[last]}" if with_question else sentences[chosen]


def _answer_takes_up(statement: str, question: str, answer: str) -> bool:
    """Whether the statement before a question sets what it asks about: it asks nothing itself, and
    the answer uses a word of it that the question does not."""
    from rag.retrieval import tokenize

    if statement.endswith("?"):
        return False
    return bool((set(tokenize(statement)) - set(tokenize(question))) & set(tokenize(answer)))


def with_card(doc: Document, card_path: Path) -> Document:
    """Apply an optional `<file>.card.json`: hand-written topic labels, one per exchange, the same
    labels in other languages ("other_language_topics": {"ru": [...], "kk": [...], "zh": [...]}), for
    "not covered" replies to questions in those languages, and the transcript's names as other
    languages write them ("other_language_names": {"SCO": ["ШОС", ...]}), which the multilingual
    encoder alone does not match (rag.crosslingual.english_names)."""
    if not card_path.exists():
        return doc
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{card_path}: unreadable corpus card ({exc})") from exc
    topics = card.get("topics", list(doc.topics))  # a card may give names alone
    questions = len(asking_turns(doc.turns))
    if not isinstance(topics, list) or len(topics) != questions or not all(isinstance(t, str) for t in topics):
        raise CorpusError(f"{card_path}: 'topics' must be a list of {questions} strings, one per question")
    names = card.get("other_language_names", {})
    if not isinstance(names, dict) or not all(isinstance(v, list) and v and all(isinstance(f, str) and f.strip() for f in v) for v in names.values()):
        raise CorpusError(f"{card_path}: 'other_language_names' must map each name to a list of its spellings in other languages")
    if unused := [name for name in names if name not in doc.raw]:
        raise CorpusError(f"{card_path}: 'other_language_names' gives names the transcript never uses: {unused}")
    local_topics = card.get("other_language_topics", {})
    if not isinstance(local_topics, dict) or (unknown := [lang for lang in local_topics if lang not in OTHER_LANGUAGES]):
        shown = unknown if isinstance(local_topics, dict) else type(local_topics).__name__
        raise CorpusError(f"{card_path}: 'other_language_topics' must map a language ({', '.join(OTHER_LANGUAGES)}) to its labels; got {shown}")
    for lang, labels in local_topics.items():
        if not isinstance(labels, list) or len(labels) != questions or not all(isinstance(t, str) and t.strip() for t in labels):
            raise CorpusError(f"{card_path}: 'other_language_topics'['{lang}'] must be a list of {questions} strings, one per question")
    return replace(
        doc,
        topics=tuple(topics),
        other_language_names=tuple((name, tuple(forms)) for name, forms in names.items()),
        other_language_topics=tuple((lang, tuple(labels)) for lang, labels in local_topics.items()),
    )
