"""A question's Vietnamese words and their parts of speech (underthesea).

Only nouns, proper nouns, numbers and units say what a question is about. A verb, adjective,
adverb, particle, chat word or question word the documents never write ("nhắm", "nổi bật",
"xong", "ad") is no evidence that they do not answer it; a noun or a name they never write
("xi măng", "Nghệ An") is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.data import load_yaml
from assistant.vietnamese import fold, has_diacritics, syllables

# underthesea's tags for words that name things: nouns (common, proper, classifier, unit,
# abbreviation, borrowed) and numbers.
NAMING_TAGS = frozenset({"N", "Np", "Nc", "Nu", "Ny", "Nb", "M"})


@dataclass(frozen=True)
class Word:
    """One word of a question as underthesea cuts and tags it ("nổi bật", "A")."""

    text: str
    tag: str

    @property
    def naming(self) -> bool:
        """Whether the word names something (a noun, a name, a number), chat words aside.

        The tagger takes a noun after a verb for a verb now and then ("hỗ trợ xi măng": V V), so
        only a verb of one syllable ("xong", "nhắm", "kể") is trusted to name nothing."""
        if fold(self.text) in chat_words():
            return False
        if self.tag == "V":
            return len(syllables(self.text)) > 1 and fold(self.text).lower() not in saying_verbs()
        return self.tag in NAMING_TAGS


@lru_cache(maxsize=1)
def chat_words() -> frozenset[str]:
    """Folded words people add to a chat message that name nothing ("ad", "ạ", "nha")."""
    return frozenset(str(w) for w in load_yaml("question_words.yaml")["chat_words"])


@lru_cache(maxsize=1)
def saying_verbs() -> frozenset[str]:
    """Folded verbs of two syllables or more that say how a document speaks or what it allows ("nhấn
    mạnh", "cho phép"): trusted to name nothing, though the tagger's longer verbs are not."""
    return frozenset(str(w) for w in load_yaml("question_words.yaml")["saying_verbs"])


@lru_cache(maxsize=4096)
def tag(text: str) -> tuple[Word, ...]:
    """The words of ``text`` with their parts of speech (underthesea's ``pos_tag``)."""
    if not text.strip():
        return ()
    from underthesea import pos_tag

    return tuple(Word(word, pos) for word, pos in pos_tag(text))


def warm() -> None:
    """Load underthesea's models now (about 3 s once) rather than at the first question."""
    tag("Xin chào")


@dataclass(frozen=True)
class WordRoles:
    """Which folded syllables of a question belong to naming words, and which only to others."""

    naming: frozenset[str]
    other: frozenset[str]
    words: tuple[tuple[str, str], ...] = ()  # (folded syllable, the whole word it belongs to), in order
    aside: frozenset[str] = frozenset()  # syllables only of clauses that say why one asks ("Để viết bài, …")
    own: frozenset[str] = frozenset()  # of those, the clauses where askers speak of themselves ("…, e đang làm bài")
    heads: frozenset[str] = frozenset()  # syllables of the nouns a question word asks for ("những mốc nào")
    told: frozenset[str] = frozenset()  # of the asides, whole sentences before the question ("… bờ mương suốt.")
    # syllables only of the sentences before the one that asks, every clause of them ("Nhà tôi làm nước
    # mắm trong xóm, có nước rửa thùng chượp thải ra. Luật … đòi hộ sản xuất nhỏ phải có gì?")
    before: frozenset[str] = frozenset()
    # syllables of the words that relay who asks, up to a colon ("Có bác ở thôn Trung gọi vô hỏi: …",
    # "Anh Hùng ở xóm Hạ nhắn: …"): the caller and their hamlet, never what is asked, claims included
    relay: frozenset[str] = frozenset()

    def names_nothing(self, syllable: str) -> bool:
        """The syllable belongs only to words that name nothing (a verb, an adjective, a chat word)."""
        folded = fold(syllable)
        return folded in self.other and folded not in self.naming

    def word_of(self, syllable: str) -> str:
        """The whole word a syllable of the question belongs to ("tượng" → "đối tượng"), or the syllable."""
        folded = fold(syllable)
        candidates = [word for s, word in self.words if s == folded]
        # "tiền" is of "tiền bạc", not of "ưu tiên" beside it: its own spelling first
        exact = [w for w in candidates if syllable.lower() in w.lower().split()]
        return (exact or candidates or [syllable])[0]

    @classmethod
    def of(cls, words: tuple[Word, ...]) -> WordRoles:
        # a chat word names nothing even where the tagger joins it to a neighbour ("lam slide": N)
        # a verb after "mức" is the thing measured ("mức phạt", "mức thưởng"): it names something
        names = [
            w.naming or (w.tag == "V" and i > 0 and fold(words[i - 1].text).lower() == "muc")
            for i, w in enumerate(words)
        ]
        naming = {fold(s) for w, n in zip(words, names) if n for s in syllables(w.text) if fold(s) not in chat_words()}
        other = {fold(s) for w, n in zip(words, names) for s in syllables(w.text) if not n or fold(s) in chat_words()}
        pieces = tuple((fold(s), w.text) for w in words for s in syllables(w.text))
        aside, own, told, before = _aside(words)
        relay = _relay(words)
        return cls(frozenset(naming), frozenset(other), pieces, aside, own, _heads(words), told, before, relay)


def _relay(words: tuple[Word, ...]) -> frozenset[str]:
    """The syllables of the words before the first colon, back to the sentence's start, when they end
    in a verb of relaying a question ("… gọi vô hỏi:", "… nhắn tin về đài hỏi:", "Bà con thắc mắc:"),
    less those the words after it use too."""
    colon = next((i for i, w in enumerate(words) if w.tag == "CH" and w.text == ":"), None)
    if colon is None or colon == 0:
        return frozenset()
    ending = " ".join(fold(s) for w in words[max(0, colon - 3) : colon] for s in syllables(w.text))
    if not re.search(rf"\b(?:{'|'.join(_relay_verbs())})$", ending):
        return frozenset()
    start = max((i + 1 for i, w in enumerate(words[:colon]) if w.tag == "CH" and w.text in ".!?"), default=0)
    frame = {fold(s) for w in words[start:colon] for s in syllables(w.text)}
    rest = {fold(s) for w in words[colon + 1 :] for s in syllables(w.text)}
    return frozenset(frame - rest)


@lru_cache(maxsize=1)
def _relay_verbs() -> tuple[str, ...]:
    """How a relayed question is introduced, at the end of the words before the colon (folded)."""
    return tuple(str(w) for w in load_yaml("question_words.yaml")["relay_verbs"])


def _aside(words: tuple[Word, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """The syllables of the clauses that only say why or when one asks ("Để mở đầu bài phát thanh,
    …", "Họp huyện tuần tới, cho hỏi …", "…, e đang làm bài đăng fb"): a clause set off by a comma
    that opens with "để" or a verb, or with the asker ("em", "mình", "tôi": "em đang làm slide cho chi
    đoàn, …", "…, e đang làm bài đăng fb"), and
    holds no question word, beside another that holds one; or a whole sentence before the one that
    asks, asking nothing. What they name is the asker's occasion, not what the question is about
    ("Về xi măng, …" and "Xi măng, …" are about it).
    Second, the syllables of those clauses where askers speak of themselves; third, of the sentences;
    fourth, of every clause of the sentences before the one that asks."""
    clauses: list[list[Word]] = [[]]
    ended: list[bool] = [False]  # whether the clause ends a sentence ("… đổ bậy ra bờ mương suốt.")
    for word in words:
        if word.tag == "CH" and word.text in ",;:.!":
            ended[-1] = word.text in ".!"
            clauses.append([])
            ended.append(False)
        elif word.tag != "CH":
            clauses[-1].append(word)
    ended = [e for c, e in zip(clauses, ended) if c]
    clauses = [c for c in clauses if c]
    # "OCOP 3 sao" rates, it does not ask "why"
    asking = [
        any(_asks(w) and not (j and fold(w.text) == "sao" and c[j - 1].tag == "M") for j, w in enumerate(c))
        for c in clauses
    ]
    sentence = [sum(ended[:i]) for i in range(len(clauses))]
    if asking[-1]:
        # a sentence ended by a full stop before the one that asks tells, it does not ask ("Tết vừa rồi
        # ở thôn có mấy thanh niên đốt pháo. Có đúng là luật cấm pháo nổ không?")
        asking = [asks and sentence[i] == sentence[-1] for i, asks in enumerate(asking)]
    if len(clauses) < 2 or not any(asking):
        return _NO_ASIDES
    # a whole sentence before the one that asks, asking nothing itself, tells the asker's situation
    # ("ờ cái vụ rác ở xóm tui bà con đổ bậy ra bờ mương suốt. tỉnh đặt mục tiêu bao nhiêu …")
    last = max(i for i, asks in enumerate(asking) if asks)
    if _POINTS_BACK.search(" ".join(fold(w.text) for w in clauses[last])):
        # "Em cần trích đoạn nói về chất lượng y tế. Nội dung đó nằm ở mục nào?": what is asked about
        # is said before
        return _NO_ASIDES
    told = [c for i, c in enumerate(clauses) if i < last and ended[i] and not asking[i]]
    asks_in = {sentence[i] for i, asks in enumerate(asking) if asks}
    before = [c for i, c in enumerate(clauses) if sentence[i] < sentence[last] and sentence[i] not in asks_in]
    # "chú nghe nói …": what one heard is the claim asked about, not an aside
    own = [
        c
        for c, asks in zip(clauses, asking)
        if not asks and _first_person(c[0].text) and not (len(c) > 1 and fold(c[1].text).startswith("nghe"))
    ]
    aside = own + [c for c, asks in zip(clauses, asking) if not asks and (fold(c[0].text) == "de" or c[0].tag == "V")]
    aside += [c for c in told if c not in aside]
    core = _folded([c for c in clauses if c not in aside])
    rest = _folded([c for c in clauses if c not in before])
    return _folded(aside) - core, _folded(own) - core, _folded(told) - core, _folded(before) - rest


_NO_ASIDES: tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]] = (
    frozenset(),
    frozenset(),
    frozenset(),
    frozenset(),
)


def _folded(clauses: list[list[Word]]) -> frozenset[str]:
    """The folded syllables of the clauses' words."""
    return frozenset(fold(s) for c in clauses for w in c for s in syllables(w.text))


# the asking clause names its subject by pointing back to the sentence before it
_POINTS_BACK = re.compile(
    r"\b(?:noi dung|viec|dieu|doan|van de|chuyen|y|cau) (?:do|nay|ay|kia|tren)\b"
    r"|\b(?:that|this) (?:part|passage|point|topic)\b"
)


def _asks(word: Word) -> bool:
    """A question word, or a word the tagger joins it to ("làm gì"); typed with accents, a dialect
    question word only as it is spelt ("rứa", not "rửa"; "hỏi", not "hôi")."""
    folded = fold(word.text).split()
    last = word.text.lower().split()[-1] if folded else ""
    if folded and folded[-1] in _SPELT and has_diacritics(word.text) and last not in _SPELT[folded[-1]]:
        return False
    return "_".join(folded) in _interrogatives() or (len(folded) > 1 and folded[-1] in _interrogatives())


# question words that fold onto other words, as they are spelt ("rửa", "hôi", "mở", "ràng" ask nothing)
_SPELT = {"rua": {"rứa"}, "hoi": {"hỏi"}, "mo": {"mô"}, "rang": {"răng"}, "chi": {"chi"}}


def _first_person(word: str) -> bool:
    """The asker: "em", "mình", "tôi", "tui" and how chat writes them ("e", "mk")."""
    return fold(word) in _askers()


@lru_cache(maxsize=1)
def _askers() -> frozenset[str]:
    return frozenset(str(w) for w in load_yaml("question_words.yaml")["first_person"])


def _heads(words: tuple[Word, ...]) -> frozenset[str]:
    """The syllables of the nouns a question word asks an instance of ("những mốc nào", "đối tượng
    gì", "mấy chữ"): the answer names the instance, not the kind, so the documents need not write it."""
    heads: set[str] = set()
    for i, word in enumerate(words):
        asked = fold(word.text)
        if asked in ("nao", "gi", "chi", "j") and i > 0 and words[i - 1].naming:
            heads.update(fold(s) for s in syllables(words[i - 1].text))
        if asked in ("may", "bao nhieu", "bn") and i + 1 < len(words) and words[i + 1].naming:
            heads.update(fold(s) for s in syllables(words[i + 1].text))
    return frozenset(heads)


@lru_cache(maxsize=1)
def _interrogatives() -> frozenset[str]:
    """Folded question words, a phrase's syllables joined by "_" ("bao_nhieu", "chi" for "gì" in Hà Tĩnh)."""
    return frozenset(str(w) for w in load_yaml("question_words.yaml")["interrogatives"])
