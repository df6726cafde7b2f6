"""Which language a question is in: English, Russian, Kazakh or Chinese, by script and letters.

Why not a library: the four languages differ by script (Han, Cyrillic, Latin), and Kazakh Cyrillic has
nine letters Russian lacks, so a script count settles them with no model; the maintained detectors
(e.g. lingua, fasttext-langid) ship tens of MB of models and still confuse short Kazakh with Russian.
A Kazakh question may use none of those letters ("Токаев Украина туралы не айтты?"): a few of the
commonest Kazakh words written only in letters Russian shares, none of them a Russian word, settle it.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "ru", "kk", "zh")
OTHER_LANGUAGES = LANGUAGES[1:]  # the transcripts' is English; these are read by the multilingual engine
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша", "zh": "中文"}
# The transcripts' months, as English writes them: dates are read (rag.corpus, rag.select) and written
# in the asker's language (rag.reply_text) by them.
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Kazakh words in the letters Russian shares: "about", "said", "in the year", "when", "this", "he/she",
# "his/her", "according to", the question particles. "не" ("what"; Russian "not") and "бар" are both languages'.
# Also question words as typed on a Russian keyboard, the Kazakh letter written as its Russian look-alike
# ("қашан" as "кашан", "қай қалада" as "кай калада"; found by a user run). A short follow-up may hold
# nothing else: "ал" ("and, but"), "неге" ("why"), "осы" ("this"), "неше" ("how many") ("Ал неге?" was
# read as Russian, a user run).
_KAZAKH_WORDS = frozenset(
    "туралы жайлы жайында айтты айтып деп мен жылы кезде сол ол оны оның олар бойынша екен ма ме ба бе па пе"
    " ал неге осы неше"
    " кашан кай кайда кандай канша калай кимен".split()
)
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def detect_language(text: str) -> str:
    """One of LANGUAGES: the script most of the letters are in; Cyrillic with a Kazakh letter or word is
    Kazakh. Anything else (Latin, digits only, other scripts) is read as English.

    >>> [detect_language(t) for t in ("What about Taiwan?", "Что Токаев сказал о Тайване?", "Тоқаев Тайвань туралы не айтты?")]
    ['en', 'ru', 'kk']
    >>> [detect_language(t) for t in ("Токаев Украина туралы не айтты?", "Что он не сказал о Казахстане?")]
    ['kk', 'ru']
    >>> [detect_language(t) for t in ("Ал неге?", "А почему?", "Ал олар не туралы келісті?")]
    ['kk', 'ru', 'kk']
    >>> [detect_language(t) for t in ("托卡耶夫对台湾问题怎么说？", "SCO 是哪一年成立的？", "1996?", "Was sagte er über Taiwan?")]
    ['zh', 'zh', 'en', 'en']
    """
    han = sum(1 for ch in text if _is_han(ch))
    cyrillic = sum(1 for ch in text if _is_cyrillic(ch))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    # A Han character carries a word or more: weigh it like a short word of letters.
    if han and han * 3 >= max(cyrillic, latin):
        return "zh"
    if cyrillic > latin:
        kazakh = any(ch in _KAZAKH_LETTERS for ch in text) or any(w.lower() in _KAZAKH_WORDS for w in _CYRILLIC_WORD.findall(text))
        return "kk" if kazakh else "ru"
    return "en"
