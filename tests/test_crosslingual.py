"""rag/crosslingual.py with a fake encoder whose "translations" share a vector."""

import hashlib

import numpy as np

from rag.crosslingual import WordAligner, corpus_names, corpus_words, question_pieces

# Each group of words is one meaning: the fake encoder gives them the same vector.
MEANINGS = [("taiwan", "тайвань", "台湾"), ("youth", "молодёжь", "жастар"), ("when", "когда"), ("country", "россии", "страна")]


class DictionaryEncoder:
    name = "fake/dictionary"
    dim = 64

    def query(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            meaning = next((m for m, words in enumerate(MEANINGS) if text.lower() in words), None)
            if meaning is None:  # an unknown word: a direction of its own (fixed by its md5), far from every meaning
                out[i, 3 + int(hashlib.md5(text.lower().encode()).hexdigest(), 16) % (self.dim - 3)] = 1.0
            else:
                out[i, meaning] = 1.0
        return out

    passage = query


def test_corpus_words_are_lower_cased_once_each():
    assert corpus_words(["Taiwan is part of China.", "TAIWAN and youth"]) == ["taiwan", "part", "china", "and", "youth"]


def test_pieces_split_chinese_into_two_character_pieces_and_keep_latin_and_digits():
    assert question_pieces("Что сказал Токаев о SCO в 1996?") == (["Что", "сказал", "Токаев"], ["SCO", "1996"])
    assert question_pieces("托卡耶夫 台湾") == (["托卡", "卡耶", "耶夫", "台湾"], [])


def test_words_become_the_corpus_words_they_translate():
    aligner = WordAligner(DictionaryEncoder(), ["taiwan", "youth", "when", "china"])
    assert aligner.english("Когда Тайвань?", threshold=0.9) == "when taiwan"
    # an unknown Cyrillic word stays (it counts against coverage); an unknown Chinese piece is dropped
    assert aligner.english("Что о биткоине и SCO 1996?", threshold=0.9) == "SCO 1996 что биткоине"
    assert aligner.english("台湾的青年", threshold=0.9) == "taiwan"
    assert aligner.english("Когда?", threshold=1.01) == "когда"  # nothing near enough


class CountingEncoder(DictionaryEncoder):
    def __init__(self):
        self.asked: list[list[str]] = []

    def query(self, texts):
        self.asked.append(list(texts))
        return super().query(texts)


def test_a_piece_is_encoded_once_and_the_oldest_is_forgotten_past_the_bound():
    encoder = CountingEncoder()
    aligner = WordAligner(encoder, ["taiwan", "youth", "when"], cache_size=2)
    aligner.vectors()
    encoder.asked.clear()
    assert aligner.english("Когда Тайвань?", threshold=0.9) == "when taiwan"
    assert aligner.english("Тайвань Когда", threshold=0.9) == "taiwan when"  # the same answer from memory
    assert encoder.asked == [["Когда", "Тайвань"]]
    aligner.english("молодёжь", threshold=0.9)  # a third piece: "Тайвань" (used before "Когда" last time) goes
    aligner.english("Когда Тайвань", threshold=0.9)
    assert encoder.asked == [["Когда", "Тайвань"], ["молодёжь"], ["Тайвань"]]


def test_names_the_card_gives_in_other_languages_are_written_as_the_corpus_writes_them():
    from rag.crosslingual import english_names

    names = [("SCO", ["ШОС", "ШЫҰ", "上合组织", "上合"]), ("Xi An", ["Сиань", "西安"]), ("Foreign Minister", ["министр иностранных дел"])]
    assert english_names("Что он сказал о ШОС в Сиане?", names) == "Что он сказал о SCO в Xi An?"
    assert english_names("ШЫҰ-ға кім төраға?", names) == "SCO-ға кім төраға?"  # an acronym before a case ending
    assert english_names("Был ли он министром иностранных дел?", names) == "Был ли он Foreign Minister?"
    assert english_names("他对上合组织和西安说了什么？", names) == "他对 SCO 和 Xi An 说了什么？"  # the longer form first
    # An acronym is a whole word, whatever follows: "шоссе" (a road) is no SCO.
    assert english_names("Какое шоссе ведёт в ШОСТКА?", names) == "Какое шоссе ведёт в ШОСТКА?"


def test_the_aligner_reads_a_card_name_before_looking_words_up():
    aligner = WordAligner(DictionaryEncoder(), ["taiwan", "youth", "when", "sco"], names=[("SCO", ["ШОС"])])
    assert aligner.english("Когда ШОС?", threshold=0.9) == "SCO when"
    # Without the card's name it is a name the corpus never mentions, kept as written (below).
    assert WordAligner(DictionaryEncoder(), ["taiwan", "sco"]).english("Когда ШОС?", threshold=0.9) == "когда ШОС"


def test_a_name_with_no_near_corpus_word_is_kept_as_written_inside_a_sentence():
    aligner = WordAligner(DictionaryEncoder(), ["taiwan", "when"])
    # "Украине" is capitalized inside the sentence: a name, kept so that "not covered" can name it;
    # "Что" opens the sentence and is lower-cased like any unknown word.
    assert aligner.english("Что Тайвань или Украине?", threshold=0.9) == "что taiwan или Украине"


def test_a_name_reads_as_a_name_of_the_corpus_or_as_itself_never_as_a_common_word():
    texts = ["Taiwan is a part of China.", "I put my country in the center."]
    names = corpus_names(texts)
    assert names == {"china"}  # "Taiwan" opens its sentence; "country" is no name
    aligner = WordAligner(DictionaryEncoder(), corpus_words(texts), name_words=names | {"taiwan"})
    # this encoder puts "России" beside "country": a name inside the sentence stays itself (and counts
    # against coverage as a name the corpus never mentions); a common word still reads as the corpus's
    assert aligner.english("Что он сказал о России?", threshold=0.9) == "что сказал России"
    assert aligner.english("Что он сказал о Тайвань и страна?", threshold=0.9) == "что сказал taiwan country"


def test_chinese_the_lookup_reads_as_nothing_is_what_is_left_after_corpus_words_names_and_stopwords():
    aligner = WordAligner(DictionaryEncoder(), ["taiwan", "tokayev"], names=[("Tokayev", ["托卡耶夫"])])
    # "台湾" is a corpus word, "托卡耶夫" a card name, "对", "了", "什么", "怎么" stopwords (a lone "说" is
    # too short to count); "足球" is left.
    assert aligner.unread("托卡耶夫对台湾说了什么？", threshold=0.9) == []
    assert aligner.unread("托卡耶夫对足球怎么看？", threshold=0.9) == ["足球"]
    assert aligner.unread("他还说了什么？", threshold=0.9) == []
    assert aligner.unread("What about Taiwan?", threshold=0.9) == []  # no Chinese at all
