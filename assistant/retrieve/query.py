"""Understand a question: language (accented, unaccented, English), abbreviations, content terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from assistant.data import load_yaml
from assistant.retrieve.english import english_word, translate
from assistant.retrieve.spoken_numbers import digits_for_spoken_numbers, letters_for_spoken_acronyms
from assistant.retrieve.words import NAMING_TAGS, WordRoles, chat_words, tag
from assistant.vietnamese import canonical_syllable, fold, has_diacritics, nfc, syllables


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    table = load_yaml("abbreviations.yaml")
    return {fold(k): v for k, v in table.items()}


@lru_cache(maxsize=1)
def _abbreviation_spellings() -> dict[str, str]:
    """Folded abbreviation → how it is written ("hdnd" → "HĐND", the spelling with its marks first)."""
    keys = sorted(load_yaml("abbreviations.yaml"), key=lambda k: k == fold(k))
    return {fold(k): k for k in reversed(keys)}


def abbreviations() -> dict[str, str]:
    """Folded abbreviation → its full Vietnamese form ("bhyt" → "bảo hiểm y tế")."""
    return dict(_abbreviations())


@lru_cache(maxsize=1)
def _lexicon() -> list[tuple[str, str, list[str]]]:
    """(key phrase in tone-canonical syllables, folded key phrase, the documents' wordings)."""
    return [
        (" ".join(canonical_syllable(w) for w in syllables(k)), fold(k), [str(a) for a in v])
        for k, v in load_yaml("lexicon.yaml").items()
    ]


@lru_cache(maxsize=2)
def _lexicon_by_first_word(accented: bool) -> dict[str, list[tuple[list[str], list[str]]]]:
    """Lexicon keys (as word lists) grouped by their first word, accented or folded."""
    index: dict[str, list[tuple[list[str], list[str]]]] = {}
    for accented_key, folded_key, alternatives in _lexicon():
        key = (accented_key if accented else folded_key).split()
        index.setdefault(key[0], []).append((key, alternatives))
    return index


def lexicon_matches(words: list[str], accented: bool) -> list[tuple[int, int, list[str]]]:
    """(start, end, alternatives) of every lexicon key in the question's words.

    A question typed with accents is matched on its accented words ("dẫn" is not "dân");
    one typed without them, on the folded ones.
    """
    return list(_matches(tuple(words), accented))


@lru_cache(maxsize=4096)
def _matches(words: tuple[str, ...], accented: bool) -> tuple[tuple[int, int, list[str]], ...]:
    keyed = [canonical_syllable(w) for w in words] if accented else [fold(w) for w in words]
    index = _lexicon_by_first_word(accented)
    found = []
    for i, word in enumerate(keyed):
        for key, alternatives in index.get(word, ()):
            if keyed[i : i + len(key)] == key:
                found.append((i, i + len(key), alternatives))
    return tuple(found)


@lru_cache(maxsize=1)
def _kinds() -> dict[str, re.Pattern]:
    data = load_yaml("question_kinds.yaml")
    return {kind: re.compile(r"\b(?:" + "|".join(cues) + r")\b") for kind, cues in data["kinds"].items()}


@lru_cache(maxsize=4096)
def question_kinds(text: str) -> frozenset[str]:
    """What a question asks for: "who", "quantity", "time", "list", "task", "compare"."""
    # a colon or question mark ends a phrase: "theo hướng dẫn của Sở: bao nhiêu %" asks no "số bao nhiêu"
    text = _MACHINE.sub("thiet bi", text)  # "nhà máy" is a factory, not "mấy"
    folded = asked_words(" ".join(re.findall(r"\w+|[:;?!]", fold(text))))
    kinds = {kind for kind, pattern in _kinds().items() if pattern.search(folded)}
    if "frequency" in kinds:  # "mấy lần", "bao lâu": a period asked, neither a figure nor a year
        kinds -= {"quantity", "time"}
    if "quantity" in kinds and (asking := _ASKING_SENTENCE.search(text)):
        # "ở thôn có mấy thanh niên đốt pháo. Có đúng là luật cấm pháo nổ không?": "mấy" in a sentence
        # that tells asks nothing
        told = _MAY.sub(" ", text[: asking.start()])
        if "quantity" not in question_kinds(told) | question_kinds(asking.group(0)):
            kinds -= {"quantity"}
    if "location" in kinds:  # "mục mấy": the clause asked, not a figure
        kinds -= {"quantity", "identifier"}
    if _HOW_MANY_YEARS.search(folded):  # "có thời hạn mấy năm": a length of time, not a year
        kinds -= {"time"}
    return frozenset(kinds)


# "mấy" that asks no number: said as "some" ("mấy trạm … đó thì"; "mấy cái" see ``asked_words``), or
# asking which ("còn mấy cuộc vận động nào", dialect "mấy loại hạ tầng chi"); in a yes/no question
# about some communes see ``asked_words``; after "gồm" it counts ("gồm mấy nhóm lớn, đó là những nhóm nào")
_PLURAL_MAY = re.compile(
    r"(?<!\bgom )\bmay (?=(?:\w+ ){1,5}(?:do|ni|kia|ay) (?:thi|la|co|nghi|em|a)\b"
    r"|(?:(?!nhung\b|la\b|gom\b)\w+ ){1,3}nao\b)"
    r"|(?<!\bco )(?<!\bgom )\bmay (?=(?:\w+ ){1,3}(?:gi|chi|j)\b)"
)
_HOW_MANY_YEARS = re.compile(r"\b(?:may|bao nhieu) (?:nam|thang)\b(?! (?:nao|gi)\b)")
_YES_NO_END = re.compile(r"\b(?:khong|ko|hong|chua)(?: (?:em|a|ad|anh|chi|nha|nhe|ha|vay))*\s*\??\s*$")
# Hà Tĩnh's "mô" is "nào" ("cơ quan mô", "năm mô"), but not in "mô hình", "mô tả"
_DIALECT_WHICH = re.compile(r"\bmo\b(?! (?:hinh|ta|phong)\b)")


# the last sentence, when it asks and a sentence ended by a full stop comes before it
_ASKING_SENTENCE = re.compile(r"(?<=[.!])\s+[^.!?]+\?\s*$")
_MAY = re.compile(r"\bmấy\b", re.IGNORECASE)
# "máy" (a machine) folds onto "mấy": written with its accent, or in the words it makes
_MACHINE = re.compile(r"\b[Mm]áy\b|\b(?<=nha )may\b|\bmay (?=moc|tinh|bay|cay|gat|mac|bom|phat)\b", re.IGNORECASE)


def asked_words(folded: str) -> str:
    """A folded question as its question words read: "mấy" said as "some" dropped ("mấy cái phong
    tục", "… cho mấy xã … không em?"), "mấy cái" as "những", Hà Tĩnh's "mô" read as "nào"."""
    folded = re.sub(r"\bmay cai\b", "nhung", folded)  # "mấy cái quan điểm chính": the main views
    folded = _PLURAL_MAY.sub("", _DIALECT_WHICH.sub("nao", folded))
    if _YES_NO_END.search(folded) and not re.search(r"\b(?:co|duoc|la|bao nhieu|gom|bao gom) may\b", folded):
        folded = re.sub(r"\bmay\b", "", folded)
    return folded


@lru_cache(maxsize=1)
def _time_cues() -> dict[str, dict[str, re.Pattern]]:
    cues = load_yaml("time_cues.yaml")
    return {
        side: {frame: re.compile(r"\b(?:" + "|".join(patterns) + r")\b") for frame, patterns in frames.items()}
        for side, frames in cues.items()
    }


@lru_cache(maxsize=16384)
def time_frame(text: str, side: str = "passage") -> str | None:
    """ "baseline" (the situation reached so far), "target" (what is to be reached) or None."""
    folded = fold(text)
    found = [frame for frame, pattern in _time_cues()[side].items() if pattern.search(folded)]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Folded words that say when or how a figure is asked ("hiện nay", "mục tiêu", "còn thiếu"),
    not what it is about (``data/question_kinds.yaml``)."""
    return frozenset(load_yaml("question_kinds.yaml")["cue_words"])


def time_cue(question: str) -> str:
    """The words that say which time a question asks of, as written ("hiện nay", "đến năm 2025"),
    when it says one time only; else ""."""
    folded = fold(question)
    found = [m for pattern in _time_cues()["question"].values() if (m := pattern.search(folded))]
    if len(found) != 1:
        return ""
    return question[found[0].start() : found[0].end()] if len(folded) == len(question) else found[0].group(0)


# a figure, not a year ("95%", "8/13", "171")
_STATED_FIGURE = re.compile(r"(?<!\d)(?!(?:19|20)\d\d\b)\d+(?:[.,/]\d+)?\s*%?")


def stated_frame(question: str) -> str | None:
    """The time whose figure the question states rather than asks ("hiện nay 8/13 huyện rồi, tới 2025
    phải bao nhiêu": today's; "the current rate, i.e. the baseline for the 95% target": the target's),
    when one time is stated and the other asked: every clause naming it gives a figure and asks nothing."""
    from assistant.retrieve.parts import asks_something

    folded = fold(question)
    clauses = [c for c in re.split(r"[,;?]|\bi\.?e\.?\b|\bthat is\b", folded) if c.strip()]
    stated: set[str] = set()
    asked: set[str] = set()
    for clause in clauses:
        for frame, pattern in _time_cues()["question"].items():
            if pattern.search(clause):
                (stated if _STATED_FIGURE.search(clause) and not asks_something(clause) else asked).add(frame)
    only = stated - asked
    return only.pop() if len(only) == 1 and asked else None


def time_frames(text: str, side: str = "question") -> frozenset[str]:
    """Every time frame a text speaks of ("baseline", "target" or both)."""
    folded = fold(text)
    return frozenset(frame for frame, pattern in _time_cues()[side].items() if pattern.search(folded))


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    return frozenset(load_yaml("question_words.yaml")["words"])


def is_follow_up(query: Query) -> bool:
    """Whether a question leans on the previous one: it says so ("còn BHYT thì sao?", "việc đó",
    "như vậy"), or it lacks a subject or a question word of its own ("thế còn nước sạch?", "Ai chủ
    trì?", "nước sạch?"). A question with both ("Ai chủ trì biên soạn tài liệu?") stands alone."""
    return _points_back(query.text) or not (_names_a_subject(query) and _asks_something(query))


@lru_cache(maxsize=2)
def _follow_up_patterns(accented: bool) -> re.Pattern:
    """One pattern for how a question points back (``data/question_words.yaml``), with accents or folded."""
    data = load_yaml("question_words.yaml")["follow_up"]

    def spelt(patterns: list[str]) -> str:
        return "|".join(patterns if accented else [fold(p) for p in patterns])

    refers = data["refers"] + (data["refers_accented"] if accented else [])
    return re.compile(rf"^(?:{spelt(data['starts'])})\b|\b(?:{spelt(data['ends'])})[\s?.!…]*$|\b(?:{spelt(refers)})\b")


def _points_back(text: str) -> bool:
    accented = has_diacritics(text)
    spelt = nfc(" ".join(text.split())).lower() if accented else fold(" ".join(text.split()))
    return bool(_follow_up_patterns(accented).search(spelt))


@lru_cache(maxsize=1)
def _subjectless() -> frozenset[str]:
    return frozenset(load_yaml("question_words.yaml")["subjectless"]) | cue_words()


def _names_a_subject(query: Query) -> bool:
    """Whether a word of the question names something besides question frames ("tỷ lệ", "năm")."""
    if query.mode == "english":
        words = re.findall(r"[a-z][a-z'-]*", query.text.lower())
        return any(w not in question_words() and w not in cue_words() for w in words)
    if _document_words().search(fold(query.text)):
        return True
    # Nouns only: a verb of two syllables may name something elsewhere, but "chủ trì" is no subject.
    nouns = {
        fold(s)
        for w in tag(query.vietnamese)
        if w.tag in NAMING_TAGS and fold(w.text) not in chat_words()
        for s in syllables(w.text)
    }
    return any(
        t.token in nouns and t.token not in _subjectless() and not t.token.isdigit()
        for t in query.terms()
        if "_" not in t.token
    )


@lru_cache(maxsize=1)
def _document_words() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(load_yaml("question_words.yaml")["document_words"]) + r")\b")


@lru_cache(maxsize=1)
def _asking() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(load_yaml("question_words.yaml")["asking"]) + r")\b")


def _asks_something(query: Query) -> bool:
    return bool(query.kinds) or bool(_asking().search(fold(query.text)))


def question_phrases() -> list[str]:
    """Question frames and the words people ask with, written with their accents (the documents
    rarely ask, so these teach the diacritic restorer how questions are spelt)."""
    return list(load_yaml("question_words.yaml")["accented"]) + sorted(_accented_question_words())


@lru_cache(maxsize=1)
def _accented_question_words() -> frozenset[str]:
    return frozenset(load_yaml("question_words.yaml")["accented_words"])


@lru_cache(maxsize=1)
def _question_frames() -> list[list[str]]:
    return [p.split() for p in load_yaml("question_words.yaml")["phrases"]]


def _is_frame_word(word: str) -> bool:
    if has_diacritics(word):
        return word.lower() in _accented_question_words()
    return word.lower() in question_words()


def _held_positions(words: list[str], phrases: frozenset[str]) -> set[int]:
    """Positions of the folded words that name the documents asked of: a phrase of ``phrases``
    written whole, or its first three words."""
    positions: set[int] = set()
    for phrase in phrases:
        parts = phrase.split()
        for length in dict.fromkeys((len(parts), min(3, len(parts)))):
            head = parts[:length]
            for i in range(len(words) - length + 1):
                if words[i : i + length] == head:
                    positions.update(range(i, i + length))
    return positions


@lru_cache(maxsize=1)
def answer_length() -> re.Pattern:
    """How long the answer should be ("tóm tắt 1 câu", "trong 2-3 ý"), folded: no subject, no figure."""
    return re.compile(load_yaml("question_words.yaml")["answer_length"])


def _frame_positions(words: list[str], source: list[str] | None = None) -> set[int]:
    """Positions of the folded words that belong to a multi-word question frame ("bao nhieu") or
    say how long the answer should be ("1 cau"), and of Hà Tĩnh's "mô" asking "nào" as written
    (``source``: "năm mô"; not "mô hình", nor "mở")."""
    positions: set[int] = {
        i
        for i, word in enumerate(source or ())
        if word.lower() == "mô" and _DIALECT_WHICH.match(" ".join(words[i : i + 2]))
    }
    joined = " ".join(words)
    for m in answer_length().finditer(joined):
        first = joined.count(" ", 0, m.start())
        positions.update(range(first, first + m.group().count(" ") + 1))
    for frame in _question_frames():
        for i in range(len(words) - len(frame) + 1):
            if words[i : i + len(frame)] == frame:
                positions.update(range(i, i + len(frame)))
    return positions


# who a claim was heard from ("ông bí thư chi bộ thôn tui nói …", "tui nghe mấy ông trong thôn nói …"):
# a person, the asker, a commune or the press, then "nói"/"bảo"/"báo cáo" within a few words, at the start
# of the question (folded)
_HEARSAY = re.compile(
    r"^(?:\w+ ){0,3}?(?:ong|ba|tui|toi|em|e|chi|anh|o|chu|bac|may|nguoi ta|ho|co nguoi|nghe|xa|huyen|thon|dai|bao"
    r"|du luan|y kien)\b(?: \w+){0,8}? (?:bao cao|cho rang|dua tin|viet|noi|ns|bao|ke)(?: (?:la|rang))?(?= )"
)


def _hearsay_source(words: list[str]) -> int:
    """How many of a claim's first (folded) words say who it was heard from, up to "nói (là)": they
    are not what is asked, nor what the quote must hold."""
    found = _HEARSAY.match(" ".join(words))
    return found.group().count(" ") + 1 if found else 0


@dataclass(frozen=True)
class Term:
    """A content term of a question; an abbreviation also counts as present through its full form."""

    token: str
    alternatives: tuple[tuple[str, ...], ...] = ()


@dataclass
class Query:
    """A question as retrieval and answering see it."""

    text: str
    mode: str  # "accented", "folded" (typed without diacritics) or "english"
    expansions: list[str] = field(default_factory=list)
    restored: str = ""  # a folded question with its diacritics put back from the corpus
    frame: str | None = None  # "baseline" or "target" when the question says which
    understood: float = 1.0  # for English: share of its content words the glossary knows
    translated: tuple[str, ...] = ()  # for English: the glossary's Vietnamese for the words it knew
    wording: str = ""  # for English: its abbreviations and the Vietnamese of its domain terms
    # Folded phrases that name the documents it is asked of (their type, number, issuer, place:
    # "kế hoạch của xã Thạch Kim"): the question is answered from them, so no quote need hold these.
    held: frozenset[str] = frozenset()

    @property
    def kinds(self) -> frozenset[str]:
        """What the question asks for ("who", "quantity", "time", "list", "task", "compare")."""
        return question_kinds(self.text)

    @cached_property
    def words(self) -> WordRoles:
        """Which of the question's syllables belong to words that name something (underthesea's
        nouns, names, numbers) and which only to words that do not (verbs, adjectives, chat words).
        An English question has none: its Vietnamese wording is the glossary's."""
        if self.mode == "english":
            return WordRoles(frozenset(), frozenset())
        return WordRoles.of(tag(self.vietnamese))

    def asks(self, kind: str) -> bool:
        """Whether the question asks for ``kind`` (see ``data/question_kinds.yaml``)."""
        return kind in self.kinds

    @property
    def vietnamese(self) -> str:
        """The question's Vietnamese wording: as typed, with its diacritics put back, or for an
        English question the glossary's Vietnamese for its terms."""
        if self.mode == "english":
            return self.wording
        return self.restored or self.text

    @property
    def expanded(self) -> str:
        """The question (restored when typed without accents) with the full forms of its
        abbreviations, synonyms or English terms appended."""
        return " ".join([self.restored or self.text] + self.expansions)

    @cached_property
    def asked_folded(self) -> str:
        """The question folded as its question words read (``asked_words``), worked out once: the
        figure checks read it for every candidate sentence."""
        return asked_words(fold(self.text))

    @cached_property
    def _terms(self) -> list[Term]:
        return self._content_terms()

    def terms(self) -> list[Term]:
        """The question's content terms (computed once per question; see ``_content_terms``)."""
        return self._terms

    @cached_property
    def scene(self) -> frozenset[str]:
        """The folded syllables only of sentences before the one that asks ("Công an xã tôi kiểm tra xe
        chở lợn, có xe nhồi nhét rất chật. Luật Chăn nuôi đòi người chở vật nuôi phải bảo đảm gì?"),
        when that one says what it asks in words of its own: two, three for a yes/no claim (which may
        be said before: "Nghe nói …. Có đúng không?")."""
        before = self.words.before
        own = {t.token for t in self._terms if "_" not in t.token and t.token not in before}
        return before if before and len(own) >= (3 if "yes_no" in self.kinds else 2) else frozenset()

    @cached_property
    def asked_terms(self) -> list[Term]:
        """The content terms less those of the ``scene``: they find the passage, but what the quote
        must hold is what is asked."""
        if not self.scene:
            return self._terms
        return [t for t in self._terms if not set(t.token.split("_")) <= self.scene]

    def _content_terms(self) -> list[Term]:
        """Folded content syllables and neighbouring pairs of the question, question frames dropped.

        Whether a word is a frame word is decided on its accented spelling when there is one
        (the restored one for a question typed without accents): "hạ tầng" is content,
        though it folds to the same letters as "Hà". An English question's terms are those of
        its Vietnamese wording.
        """
        source = syllables(self.vietnamese)
        words = [fold(w) for w in source]
        framed = _frame_positions(words, source)
        held = _held_positions(words, self.held)
        # what askers say of themselves ("…, e đang làm bài đăng fb") or of their situation in a
        # sentence before the question ("nhà tui chừ còn xài giếng khoan nước phèn lắm. …") is not what
        # they ask about, unless they ask whether it holds; such a clause needs a comma or a full stop
        # (no tagging without one)
        clauses = "yes_no" not in self.kinds and any(mark in self.vietnamese for mark in ",;:.!")
        aside = (self.words.own | self.words.told if clauses else frozenset()) | self.words.relay
        source_of = _hearsay_source(words) if "yes_no" in self.kinds and self.mode != "english" else 0
        skip = [
            i < source_of or i in framed or _is_frame_word(w) or i in held or words[i] in aside
            for i, w in enumerate(source)
        ]
        synonyms = self._synonym_alternatives(words)
        terms: list[Term] = []
        for i, word in enumerate(words):
            if skip[i]:
                continue
            full = _abbreviations().get(word)
            alternatives = synonyms.get(i, ())
            if full:
                # its full form, without the abbreviation itself ("OCOP" of "Chương trình Mỗi xã một sản phẩm OCOP")
                spelt = (fold(s) for s in syllables(full))
                alternatives += (tuple(w for w in spelt if w not in question_words() and w != word),)
            terms.append(Term(word, alternatives))
            if i + 1 < len(words) and not skip[i + 1]:
                pair_alternatives = synonyms.get(i, ()) if i + 1 in synonyms else ()
                terms.append(Term(f"{word}_{words[i + 1]}", pair_alternatives))
        return list(dict.fromkeys(terms))

    def _synonym_alternatives(self, words: list[str]) -> dict[int, tuple[tuple[str, ...], ...]]:
        """Word position → the folded wordings of a lexicon phrase covering it."""
        found: dict[int, tuple[tuple[str, ...], ...]] = {}
        accented = self.mode != "folded"  # a restored spelling is a guess: match what was typed
        source = syllables(self.vietnamese) if accented else words
        for start, end, alternatives in lexicon_matches(source, accented):
            options = tuple(tuple(fold(w) for w in syllables(a)) if a != "%" else ("%",) for a in alternatives)
            for j in range(start, end):
                found[j] = found.get(j, ()) + options
        return found


_RECIPIENTS = re.compile(
    r"\b(noi nhan|gui|recipients?|ky|distribution|distributed|copied|sent to|signed|signs|signatory|signature)\b"
)


def asks_about_recipients(query: Query) -> bool:
    """A question about who the document was sent to or who signed it."""
    return bool(_RECIPIENTS.search(fold(query.text)))


def content_words(query: Query) -> list[tuple[str, bool]]:
    """The question's content words as typed (question frames dropped), each with whether an
    abbreviation or a lexicon entry already maps it to the documents' wording."""
    source = syllables(query.text)
    words = [fold(w) for w in source]
    framed = _frame_positions(words, source)
    mapped = {j for start, end, _ in lexicon_matches(source, query.mode != "folded") for j in range(start, end)}
    # "KT-XH", "NN&PTNT": an abbreviation written with a hyphen or ampersand covers its pieces.
    pieces = {
        fold(p)
        for token in re.findall(r"[\w&-]+", query.text)
        if fold(token) in _abbreviations()
        for p in re.findall(r"\w+", token)
    }
    source_of = _hearsay_source(words) if query.asks("yes_no") and query.mode != "english" else 0
    return [
        (word, i in mapped or words[i] in _abbreviations() or words[i] in pieces)
        for i, word in enumerate(source)
        if i >= source_of and i not in framed and not _is_frame_word(word)
    ]


@lru_cache(maxsize=1)
def _chat_spellings() -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in load_yaml("chat_spellings.yaml").items()}


@lru_cache(maxsize=1)
def _unmarked_chat_spellings() -> dict[str, str]:
    """The chat spellings spelt out without diacritics ("dc" → "duoc"; names such as "Hà Tĩnh" kept)."""
    return {typed: fold(meant) if meant.islower() else meant for typed, meant in _chat_spellings().items()}


def normalise_spelling(text: str) -> str:
    """Phone spellings written out ("đc" → "được", "bn" → "bao nhiêu"), whole words only (not the
    letters of "i.e.", "e.g."); a letter held ("nàoo"); abbreviations said by their letters ("pê xê i"
    → "PCI") and numbers said in words put in digits ("năm mươi lăm phần trăm" → "55 phần trăm"): a
    question spoken to a phone. A question typed without diacritics gets them spelt out without
    theirs too ("dc" → "duoc"), so that it is still read as typed, and its marks restored whole."""
    text = _ASIDE_AFTER.sub("", text)  # "… như thế nào? (chị nhớ mang máng 3 vế)": said of oneself
    table, marked = _chat_spellings(), True
    if not any(has_diacritics(w) for w in syllables(text) if w.lower() not in table):
        table, marked = _unmarked_chat_spellings(), False
    several = _several_word_spellings()
    if several is not None:
        text = several.sub(lambda m: table[m.group(0).lower()], text)
    text = _STRETCHED.sub(r"\1", _STRETCHED_END.sub(r"\1\2", text))  # "nhiềuuu", "nàoo": a letter held
    text = letters_for_spoken_acronyms(text, lambda letters: _abbreviation_spellings().get(fold(letters)))

    def spelt(m: re.Match) -> str:
        word = m.group(0)
        if word.lower() in _UNITS_SPELT_LIKE_WORDS and _COUNTED_BEFORE.search(text, 0, m.start()):
            return word  # "500 kg", "bao nhiêu kg": a unit, not "không"
        if word.lower() == "bn" and _ADDRESSED.search(text, 0, m.start()) and _ENDS.match(text, m.end()):
            return "bạn" if marked else "ban"  # "… đúng ko bn?": the one asked
        return table.get(word.lower(), word)

    return digits_for_spoken_numbers(re.sub(r"(?<!\w\.)\b\w+\b(?!\.\w)", spelt, text))


# units that phones also use as words ("kg", "k": "không"), read as units after a number or "bao nhiêu"
_UNITS_SPELT_LIKE_WORDS = {"kg", "k"}
# a remark in brackets after the question, where askers speak of themselves
_ASIDE_AFTER = re.compile(
    r"(?<=[?.!])\s*\((?:chị|chi|em|e|mình|minh|mk|tôi|toi|tui|anh|i|we|my|our)\b[^()]*\)\s*$", re.IGNORECASE
)
# "bn" after the words that end a question ("đúng ko bn?", "vậy bn") is "bạn", not "bao nhiêu"
_ADDRESSED = re.compile(
    r"\b(?:ko|k|khong|không|hok|chưa|chua|vậy|vay|v|z|nhé|nhe|nha|ạ|a|hả|ha|nhỉ|nhi|đúng|dung)\s*$", re.IGNORECASE
)
_ENDS = re.compile(r"\s*(?:[?!.]|$)")
_COUNTED_BEFORE = re.compile(r"(?:\d|\b(?:bao nhiêu|bao nhieu|bn|mấy|may))\s*$", re.IGNORECASE)


_STRETCHED = re.compile(r"([a-zà-ỹđ])\1{2,}")  # lower case: "III" is a number
# a word's last vowel doubled after another vowel ("saoo", "nàoo"; English "too", "free" keep theirs)
_VOWELS = "aăâeêioôơuưyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"
_STRETCHED_END = re.compile(rf"([{_VOWELS}])([{_VOWELS}])\2+\b")  # lower case: "VIII" is a number


@lru_cache(maxsize=1)
def _several_word_spellings() -> re.Pattern | None:
    """One pattern for the spellings of several words ("ô cốp" → "OCOP", "bây chừ"), longest first."""
    phrases = sorted((k for k in _chat_spellings() if " " in k or "-" in k), key=len, reverse=True)
    if not phrases:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)", re.IGNORECASE)


def analyse(question: str, vocabulary=None, restore=None) -> Query:
    """Normalise a question and decide how to search for it.

    ``vocabulary`` answers whether a folded syllable occurs in the corpus; a question
    without diacritics whose words mostly do not is taken as English. ``restore`` puts
    the diacritics back on a Vietnamese question typed without them.
    """
    text = normalise_spelling(nfc(" ".join(question.split())))
    expansions = []
    for token in re.findall(r"[\w&-]+", text):
        full = _abbreviations().get(fold(token))
        if full and full not in expansions:
            expansions.append(full)
    for _, _, alternatives in lexicon_matches(syllables(text), has_diacritics(text)):
        expansions += [a for a in alternatives if a not in expansions]
    frame = time_frame(text, "question")
    every = syllables(text)
    marked = sum(1 for w in every if has_diacritics(w))
    # Vietnamese typed with its marks; an English question that quotes a Vietnamese name ("… the
    # advanced standard (NTM nâng cao)?") has a few marked words among many it would not hold.
    # English words of a Vietnamese question ("target thu nhập 2025?"), in the documents' wording
    mixed = [
        glossed
        for word in every
        if word.isascii() and len(word) >= 4 and not (vocabulary is not None and vocabulary(word.lower()))
        for glossed in [english_word(word)]
        if glossed is not None and glossed not in expansions
    ]
    if marked and marked >= MARKED_SHARE * len(every):
        return Query(text, "accented", expansions + mixed, frame=frame)
    words = [fold(w) for w in every if not w.isdigit() and fold(w) not in _abbreviations() and not has_diacritics(w)]
    known = sum(1 for w in words if vocabulary is not None and vocabulary(w))
    if words and vocabulary is not None and known / len(words) < 0.6:
        translated, understood = _translate(text, vocabulary, restore)
        abbreviations = [t for t in re.findall(r"[\w&-]+", text) if fold(t) in _abbreviations()]
        return Query(
            text,
            "english",
            expansions + translated,
            frame=frame,
            understood=understood,
            translated=tuple(translated),
            wording=" ".join(abbreviations + translated),
        )
    # typed without diacritics, but for a word or two ("bn" read as "bao nhiêu", a final "ạ")
    return Query(text, "folded", expansions + mixed, restored=restore(text) if restore else "", frame=frame)


# Below this share of syllables with diacritics, a question is read as typed without them (or as
# English when most of its other words are not the documents'): Vietnamese typed with its marks
# carries them on most syllables.
MARKED_SHARE = 0.25


def _translate(text: str, known=None, restore=None) -> tuple[list[str], float]:
    """The glossary's Vietnamese for an English question's domain words, and the share of its content
    words it knew (question frames and abbreviations are no content words)."""
    return translate(text, lambda word: word in question_words() or word in _abbreviations(), known, restore)
