"""Understand a question: language (accented, unaccented, English), abbreviations, content terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.data import load_yaml
from assistant.vietnamese import fold, has_diacritics, nfc, syllables


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    table = load_yaml("abbreviations.yaml")
    return {fold(k): v for k, v in table.items()}


@lru_cache(maxsize=1)
def _english_terms() -> list[tuple[str, str]]:
    """(English phrase, Vietnamese wording), longest phrases first."""
    table = load_yaml("english_terms.yaml")
    return sorted(((k.lower(), v) for k, v in table.items()), key=lambda kv: -len(kv[0]))


@lru_cache(maxsize=1)
def _synonyms() -> list[tuple[str, str]]:
    return [(fold(k), v) for k, v in load_yaml("synonyms.yaml").items()]


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    return frozenset(load_yaml("question_words.yaml")["words"])


@lru_cache(maxsize=1)
def _question_phrases() -> re.Pattern:
    phrases = load_yaml("question_words.yaml")["phrases"]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


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

    @property
    def expanded(self) -> str:
        """The question with the full forms of its abbreviations (or English terms) appended."""
        return " ".join([self.text] + self.expansions)

    def terms(self) -> list[Term]:
        """Folded content syllables and neighbouring pairs of the question, question frames dropped."""
        stop = question_words()
        folded_text = _question_phrases().sub(" | ", fold(self.text))
        words = re.findall(r"\w+|\|", folded_text)
        terms: list[Term] = []
        for i, word in enumerate(words):
            if word == "|" or word in stop:
                continue
            full = _abbreviations().get(word)
            alternatives = ()
            if full:
                alternatives = (tuple(w for w in (fold(s) for s in syllables(full)) if w not in stop),)
            terms.append(Term(word, alternatives))
            if i + 1 < len(words) and words[i + 1] != "|" and words[i + 1] not in stop:
                terms.append(Term(f"{word}_{words[i + 1]}"))
        return list(dict.fromkeys(terms))


def analyse(question: str, vocabulary=None) -> Query:
    """Normalise a question and decide how to search for it.

    ``vocabulary`` answers whether a folded syllable occurs in the corpus; a question
    without diacritics whose words mostly do not is taken as English.
    """
    text = nfc(" ".join(question.split()))
    expansions = []
    for token in re.findall(r"[\w&-]+", text):
        full = _abbreviations().get(fold(token))
        if full and full not in expansions:
            expansions.append(full)
    folded = f" {fold(text)} "
    expansions += [v for k, v in _synonyms() if f" {k} " in folded and v not in expansions]
    if has_diacritics(text):
        return Query(text, "accented", expansions)
    words = [fold(w) for w in syllables(text) if not w.isdigit() and fold(w) not in _abbreviations()]
    known = sum(1 for w in words if vocabulary is not None and vocabulary(w))
    if words and vocabulary is not None and known / len(words) < 0.6:
        return Query(text, "english", expansions + _translate(text))
    return Query(text, "folded", expansions)


def _translate(text: str) -> list[str]:
    """Vietnamese wording of the domain terms an English question uses."""
    lowered = " " + re.sub(r"[^\w\s-]", " ", text.lower()) + " "
    found = []
    for english, vietnamese in _english_terms():
        needle = f" {english} "
        if needle in lowered:
            found.append(vietnamese)
            lowered = lowered.replace(needle, " ")
    return found
