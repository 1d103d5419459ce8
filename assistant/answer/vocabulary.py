"""The words the indexed documents use, and the words of a question they never use.

A question about "Tỉnh Nghệ An", a reward or the year 2030 names something the documents do
not speak of: that is evidence the documents do not answer it, however close the wording of
the rest. Slips of typing ("trưc tuyến", "bao nhêu") are not counted as such words.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from assistant.data import load_yaml
from assistant.retrieve.english import english_function_word, english_term, english_word
from assistant.retrieve.query import Query, abbreviations, content_words, question_words
from assistant.retrieve.rerank import TermWeights
from assistant.retrieve.spoken_numbers import NUMBER_WORDS
from assistant.retrieve.words import WordRoles
from assistant.vietnamese import YEAR, canonical_syllable, fold, has_diacritics, syllables

# units of a length, area or weight, folded, longest first where one begins another
MEASURE_UNITS = "m2|km|cm|ha|kg|tan|m"
# a measure written with its unit ("3m", "2,5ha")
_MEASURE = re.compile(rf"\d+(?:[.,]\d+)?(?:{MEASURE_UNITS})")

# how people speak of a person (with accents: "ong" without them is also a pipe, a bee)
_KIN = frozenset({"ông", "bà", "anh", "chị", "em", "chú", "bác", "cô", "o", "dì", "cậu", "mợ", "thím", "dượng"})
_VOWEL = re.compile(r"[aeiouy]")  # every Vietnamese syllable has one; a typed abbreviation may not


def _chat_abbreviation(word: str, question: str) -> bool:
    """A word typed in lower case without a vowel ("bc", "gd", "mn"): a chat abbreviation no list
    has, not a name ("GRDP", typed in capitals, is one)."""
    if not (word.isascii() and word.isalpha()) or _VOWEL.search(word):
        return False
    return bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", question))


# the marks that end a run of capitalised words
_MARKS = frozenset(".!?:;,")


class Vocabulary:
    """The words the indexed documents use: tone-canonical syllables, folded syllables and pairs, years."""

    def __init__(self, texts: list[str], weights: TermWeights, titles: tuple[str, ...] = ()):
        words = {s for text in texts for s in syllables(text)}
        # the documents' own names ("Luật Chăn nuôi"): a question naming one names no unknown thing
        self.title_pairs: set[str] = set()
        for title in titles:
            folded = [fold(s) for s in syllables(title)]
            self.title_pairs.update(f"{a}_{b}" for a, b in zip(folded, folded[1:]))
        self.accented = {canonical_syllable(w) for w in words}
        # pairs the documents write with the first word capitalised ("Sở Nông", not the "sở y" of "cơ sở y
        # tế"): a name typed with accents is written only where its capitals are
        self.capital_pairs = {
            f"{fold(a).lower()}_{fold(b).lower()}"
            for text in texts
            for a, b in itertools.pairwise(re.findall(r"\w+", text))
            if a[:1].isupper()
        }
        self.by_fold: dict[str, list[str]] = {}
        for word in words:
            self.by_fold.setdefault(fold(word), []).append(word)
        self.weights = weights
        self.years = {m.group(0) for text in texts for m in YEAR.finditer(text)}

    def missing(self, query: Query) -> tuple[list[str], float]:
        """Naming words of the question the documents never use, and their idf-weighted share."""
        missing, share, _ = self.scan(query)
        return missing, share

    def scan(self, query: Query) -> tuple[list[str], float, float]:
        """The naming words (nouns, names, numbers) of the question the documents never use, their
        idf-weighted share of its content words, and the share of all its content words the documents
        never use, verbs included (what tells a question on another topic: "nấu phở bò")."""
        words = content_words(query)
        names = self.unknown_names(query.text, roles=query.words)
        if names:
            return names, 1.0, 1.0  # a name the documents never write: the question is about something else
        if not words:
            return [], 0.0, 0.0
        total = missing_weight = unknown_weight = 0.0
        missing = []
        typed = [w for w, _ in words]
        every = [fold(w) for w in syllables(query.text)]  # the neighbours of a word, frame words too ("nghi xoan")
        examples = _example_words(query.text)
        for i, (word, covered) in enumerate(words):
            folded = fold(word)
            weight = self.weights.idf(folded)
            total += weight
            if covered or self._known(word, folded, typed, i, query.mode, every):
                continue
            unknown_weight += weight
            # A word that names nothing (a verb, an adjective, a chat word) is no sign the documents
            # leave the question's subject out, whether they write it or not.
            if query.words.names_nothing(word):
                continue
            if word.lower() in NUMBER_WORDS:
                continue  # a number said in words ("chín mươi mấy phần trăm"), no subject
            if _MEASURE.fullmatch(folded):
                continue  # a measure the asker states ("mặt rộng 3m"): the figures check reads it
            if folded.isascii() and (english_function_word(folded) or english_word(folded) is not None):
                continue  # an English word in a Vietnamese question ("target", "list"): read by the glossary
            if word.lower() in _KIN:
                continue  # "ông bí thư chi bộ thôn tui nói …": a person spoken of, no subject of the documents
            if _chat_abbreviation(word, query.text):
                continue  # "bc", "gd": what it stands for is unknown, not absent
            # Nor is a noun of a clause that says why one asks ("Để viết bài phát thanh, …"), unless
            # the question asks whether what it says holds ("Có thông tin cho rằng …, đúng không?").
            if folded in query.words.aside and "yes_no" not in query.kinds:
                continue
            if folded in query.words.relay:
                continue  # "Anh Hùng ở xóm Hạ nhắn: …": who relays the question
            if folded in query.scene:
                continue  # "Tết vừa rồi có mấy thanh niên đốt pháo. Có đúng là luật cấm pháo nổ không?": the scene
            if folded in query.words.heads:
                continue  # "những mốc nào": the kind of thing asked, which the answer gives an instance of
            if folded in examples:
                continue  # "nước thải trong nhà như nước rửa chén tắm giặt đó": an example, not the subject
            if query.mode == "accented" and self.weights.known(folded):
                # "phạt" is not "phát": a word the documents never write weighs as a rare one, not as the
                # common word it folds onto
                rare = self.weights.unseen_idf()
                total += rare - weight
                weight = rare
            missing.append(word)
            missing_weight += weight
        # Named as the question's whole words ("đối tượng", not "tượng"), each once.
        missing = list(
            dict.fromkeys(query.words.word_of(word) if query.mode == "accented" else word for word in missing)
        )
        if not total:
            return missing, 0.0, 0.0
        return missing, missing_weight / total, unknown_weight / total

    def writes(self, phrase: str) -> bool:
        """Whether the documents write a phrase (``writes``)."""
        return writes(self.weights, phrase)

    def _known(self, word: str, folded: str, words: list[str], i: int, mode: str, every: list[str]) -> bool:
        if word.isdigit():
            return len(word) != 4 or not YEAR.fullmatch(word) or word in self.years
        if _near_question_word(folded):
            return True  # "bao nhêu": a question word, mistyped
        if _DOUBLED.search(folded):
            # A key pressed twice ("nhữnng"): no Vietnamese syllable doubles a letter, "oo" and "uu" aside.
            single = _DOUBLED.sub(r"\1", folded)
            return _near_question_word(single) or self.weights.known(single)
        if mode == "folded":
            return self.weights.known(folded)
        if canonical_syllable(word) in self.accented:
            return True
        if any(_fewer_marks(word, w) for w in self.by_fold.get(folded, ())):
            return True  # a mark left out while typing ("trưc tuyến" for "trực tuyến")
        # A slip of the tone mark ("thu nhâp"): the folded word makes a pair the documents write.
        # A slip of a letter ("hình thàng" for "hình thành"): a written syllable one letter away makes
        # a pair the documents write with a neighbour.
        spellings = [folded] + (
            sorted(w for w in self.by_fold if _one_letter_apart(folded, w)) if len(folded) >= 3 else []
        )
        pairs = [(j - i, fold(words[j])) for j in (i - 1, i + 1) if 0 <= j < len(words)]
        pairs += [
            (j - k, every[j]) for k, w in enumerate(every) if w == folded for j in (k - 1, k + 1) if 0 <= j < len(every)
        ]
        return any(self.weights.known(f"{n}_{w}" if side < 0 else f"{w}_{n}") for w in spellings for side, n in pairs)

    def unknown_names(self, text: str, english: bool = False, roles: WordRoles | None = None) -> list[str]:
        """Names the documents never write ("Tỉnh Nghệ An", "Sở Nông"), as typed: capitalised words,
        two or more in a row, whose pairs never occur in the documents (a question's first word
        counts only when the next one is capitalised too). With the question's word ``roles``, a
        run's leading and trailing words that name nothing are not part of it ("Theo Nghị quyết")."""
        # a mark ends a run: "… ở xã Thạch Kim. Tỉnh đặt …" names no "Thạch Kim Tỉnh"
        marked = re.findall(r"\w+|[.!?:;,]", text)
        tokens = [t for t in marked if t not in _MARKS]
        names: list[str] = []
        run: list[str] = []
        initial = False
        for i, token in enumerate(marked + [""]):
            if token in _MARKS:
                token = ""  # a mark: the run before it ends here
            # a sentence starts with a capital: its first word opens a name only beside another
            starts = i == 0 or marked[i - 1] in ".!?:"
            following = marked[i + 1] if i + 1 < len(marked) else ""
            opens_name = not starts or following[:1].isupper()
            if token and opens_name and token[:1].isupper() and not (token.isupper() and len(token) > 1):
                initial = initial if run else starts  # the run opens a sentence: its first capital says nothing
                run.append(token)
                continue
            while roles is not None and run and roles.names_nothing(run[0]):
                run, initial = run[1:], False
            while roles is not None and run and roles.names_nothing(run[-1]):
                run = run[:-1]
            if roles is not None and run and all(fold(w) in roles.relay for w in run):
                run = []  # "Chị Mai ở xóm Tây … hỏi: …": the caller's name, not a subject
            while english and run and english_function_word(run[0].lower()):
                run, initial = run[1:], False  # "Are Hà Tĩnh's products …": the first word is no part of a name
            accented = has_diacritics(" ".join(run))
            unknown = len(run) >= 2 and any(
                (
                    not self.weights.known(pair)
                    or (accented and not (j == 0 and initial) and pair not in self.capital_pairs)
                )
                and pair not in self.title_pairs
                for j, pair in enumerate(f"{fold(a)}_{fold(b)}" for a, b in zip(run, run[1:]))
            )
            if unknown and not (english and any(w.lower() in _english_words() for w in run)):
                names.append(" ".join(run))  # an English name of a body ("Party Committee") is no place
            run = []
        if english:
            # an abbreviation neither the documents nor the glossaries know ("GRDP", "USD")
            listed = abbreviations()
            names += [
                token
                for token in dict.fromkeys(tokens)
                if len(token) >= 2
                and token.isupper()
                and token.isalpha()
                and not self.weights.known(fold(token))
                and fold(token) not in listed
                and not english_term(token.lower())
                and not english_function_word(token.lower())  # "our partner NGO asks": who asks
            ]
        return names


# An example given in passing: "như nước rửa chén, tắm giặt đó", "như rau thừa cơm thừa ấy"
_EXAMPLE = re.compile(r"\bnh(?:ư|ứ)\s+((?:\w+[ ,]+){1,8}?)(?:đó|ấy|này|ni|kia|chẳng hạn)\b", re.IGNORECASE)


def _example_words(text: str) -> frozenset[str]:
    """The folded syllables of the examples a question gives in passing."""
    return frozenset(fold(s) for m in _EXAMPLE.finditer(text) for s in syllables(m.group(1)))


_DOUBLED = re.compile(r"([a-np-tv-z])\1")  # a letter twice in a row, but "oo" ("xoong") and "uu" ("ưu")


def _near_question_word(folded: str) -> bool:
    """A question word as typed, or with one letter left out ("nhieu" typed "nheu")."""
    words = question_words()
    return folded in words or (
        len(folded) >= 3
        and any(folded == w[:i] + w[i + 1 :] for w in words if len(w) == len(folded) + 1 for i in range(len(w)))
    )


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether two words differ by one letter changed, added or left out."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


def _fewer_marks(typed: str, written: str) -> bool:
    """Whether ``typed`` is ``written`` with some of its marks left out (never one added or changed)."""
    if len(typed) != len(written):
        return False
    for a, b in zip(typed.lower(), written.lower()):
        da, db = unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b)
        if a == b or (a == "d" and b == "đ"):
            continue
        if da[0] != db[0] or not set(da[1:]) <= set(db[1:]):
            return False
    return True


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    return frozenset(w for phrase in load_yaml("english_terms.yaml") for w in str(phrase).lower().split())


def writes(weights: TermWeights, phrase: str) -> bool:
    """Whether the passages ``weights`` counts write a phrase: its syllables, each pair of them side by side."""
    folded = [fold(s) for s in syllables(phrase)]
    if len(folded) == 1:
        return weights.known(folded[0])
    return all(weights.known(f"{a}_{b}") for a, b in zip(folded, folded[1:]))
