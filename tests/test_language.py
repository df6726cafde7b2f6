"""rag/language.py: the question's language from its script and letters."""

import pytest

from rag.language import detect_language


@pytest.mark.parametrize(
    "text, language",
    [
        ("What did Tokayev say about Taiwan?", "en"),
        ("Что Токаев сказал о Тайване?", "ru"),
        ("А когда она начала работу?", "ru"),
        ("Тоқаев Тайвань туралы не айтты?", "kk"),
        ("ШЫҰ қай жылы құрылды?", "kk"),
        # Kazakh in letters Russian shares: its own words tell it ("туралы", "айтты"), not Russian's "не".
        ("Токаев Украина туралы не айтты?", "kk"),
        ("Токаев Тайвань жайлы не деп жауап берді?", "kk"),
        ("Что он не сказал о Казахстане?", "ru"),
        ("Токаев Си Цзиньпинмен кашан кездести?", "kk"),  # "қашан" typed on a Russian keyboard
        ("Саммит кай калада отеди?", "kk"),
        ("托卡耶夫对台湾问题怎么说？", "zh"),
        ("上合组织是哪一年成立的？", "zh"),
        ("SCO 1996 年？", "zh"),
        ("When did the SCO (ШОС) start?", "en"),
        ("1996", "en"),
        ("???", "en"),
    ],
)
def test_languages(text, language):
    assert detect_language(text) == language
