"""English questions: the glossary's Vietnamese for their domain words, and how much of them it knew.

An English question is searched with the documents' own wording of its domain terms
(``english_terms.yaml``) beside the multilingual embedder, and judged on the share of its subject
words the glossary understood. English function words, everyday verbs and adverbs
(``question_words.yaml``) name no subject; a word is found under its plural or past form
("schemes", "targeted"), in the parts of a compound ("4-star", "provincial-level"), under a slip
of one letter ("helth", "progres"), and a Vietnamese phrase typed without its marks ("nang cao",
"long ghep") is the documents' own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from assistant.data import load_yaml
from assistant.vietnamese import fold, has_diacritics

ENDINGS = ("s", "es", "ed", "d", "ing", "ly")


@lru_cache(maxsize=1)
def english_terms() -> list[tuple[str, str]]:
    """(English phrase, Vietnamese wording), longest phrases first."""
    table = load_yaml("english_terms.yaml")
    return sorted(((k.lower(), v) for k, v in table.items()), key=lambda kv: -len(kv[0]))


@lru_cache(maxsize=1)
def _single_words() -> dict[str, str]:
    """The glossary's one-word entries ("income" → "thu nhập")."""
    return {english: vietnamese for english, vietnamese in english_terms() if " " not in english}


@lru_cache(maxsize=1)
def _phrases() -> frozenset[str]:
    return frozenset(english for english, _ in english_terms())


def english_term(phrase: str) -> bool:
    """Whether the glossary knows an English word or phrase ("nrd")."""
    return phrase in _phrases()


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(load_yaml("question_words.yaml")["english_function_words"])


def _stems(word: str) -> list[str]:
    """The word and what it may be inflected from ("becoming" → become, "putting" → put, "cities" → city)."""
    stems = [word]
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            stems += [stem, stem + "e"] + ([stem[:-1]] if stem[-2:-1] == stem[-1:] else [])
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    return stems


def english_function_word(word: str) -> bool:
    """A function word, everyday verb or adverb of English, as listed or inflected ("supposed", "puts", "roughly")."""
    return any(stem in _function_words() for stem in _stems(word))


def _one_slip(word: str, other: str) -> bool:
    """Whether two words differ by one letter added, dropped, changed or two swapped ("recieved")."""
    if abs(len(word) - len(other)) > 1 or word == other:
        return False
    if len(word) == len(other):
        differ = [i for i, (a, b) in enumerate(zip(word, other)) if a != b]
        return len(differ) == 1 or (
            len(differ) == 2 and differ[1] == differ[0] + 1 and word[differ[0]] == other[differ[1]]
        )
    short, long = sorted((word, other), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def english_word(word: str) -> str | None:
    """The documents' Vietnamese for one English word of a Vietnamese question ("target" → "chỉ tiêu")."""
    return _glossary_word(word.lower())


@lru_cache(maxsize=8192)
def _glossary_word(word: str) -> str | None:
    """The Vietnamese of one English word: as listed, inflected, or mistyped by one letter (long words)."""
    for stem in _stems(word):
        if stem in _single_words():
            return _single_words()[stem]
    if len(word) >= 5:
        return next((v for k, v in _single_words().items() if len(k) >= 5 and _one_slip(word, k)), None)
    return None


@lru_cache(maxsize=8192)
def _everyday(word: str) -> bool:
    """A function word, everyday verb or adverb, also mistyped by one letter ("supossed")."""
    if english_function_word(word):
        return True
    return len(word) >= 6 and any(len(w) >= 6 and _one_slip(word, w) for w in _function_words())


def translate(
    text: str,
    skip: Callable[[str], bool] = lambda word: False,
    known: Callable[[str], bool] | None = None,
    restore: Callable[[str], str] | None = None,
) -> tuple[list[str], float]:
    """Vietnamese wording of the domain terms an English question uses, and the share of its content
    words that the glossary knew (``skip``: question frames and abbreviations, no content word;
    ``known``: whether a folded syllable is the documents', ``restore``: its accented spelling).
    """
    # "commune's" is the commune: the possessive is no word of its own
    lowered = " " + re.sub(r"[^\w\s-]", " ", re.sub(r"(\w)['’]s\b", r"\1", text.lower())) + " "
    found = []
    for english, vietnamese in english_terms():
        needle = f" {english} "
        if needle in lowered:
            found.append(vietnamese)
            lowered = lowered.replace(needle, " # ")
    # Vietnamese words ("Hà Tĩnh") are the documents' own: the names among them are judged as names.
    words = []
    for word in lowered.split():
        # "4-star", "provincial-level": each part is judged
        for part in word.split("-") if "-" in word and not re.fullmatch(r"[\d./–-]+", word) else [word]:
            if has_diacritics(part):
                words.append("~")  # a Vietnamese word: plain syllables beside it are Vietnamese too
                continue
            if not part or skip(part) or re.fullmatch(r"[\d./–-]+", part):
                continue
            if part == "#" or _everyday(part):
                words.append(part if part == "#" else "")
                continue
            glossed = _glossary_word(part)
            if glossed is not None:
                found.append(glossed)
                continue
            words.append(part)
    found += _vietnamese_runs(words, known, restore)
    content = [w for w in words if w not in ("", "#", "~") and not w.startswith("=")] + ["#"] * len(found)
    return found, (len(found) / len(content)) if content else 0.0


def _vietnamese_runs(
    words: list[str], known: Callable[[str], bool] | None, restore: Callable[[str], str] | None
) -> list[str]:
    """Vietnamese phrases typed without marks among the words left ("do dau" → "đỡ đầu"): runs of two
    syllables or more that the documents write; their words are marked as understood (``=``)."""
    if known is None or restore is None:
        return []
    phrases, i = [], 0
    while i < len(words):
        end = i
        while end < len(words) and words[end] not in ("", "#") and (words[end] == "~" or known(words[end])):
            end += 1
        run = words[i:end]
        if len(run) >= 2 and any(w != "~" for w in run):
            if "~" not in run:  # typed without its marks: the documents' spelling of it is searched
                phrases.append(restore(" ".join(run)))
            words[i:end] = ["=" + w for w in run]
        i = max(end, i + 1)
    return phrases


def vietnamese_phrases(text: str, written: Callable[[str, str], bool]) -> list[str]:
    """The Vietnamese phrases an English question quotes ("(lao động qua đào tạo)", "NTM nâng cao"):
    runs of two words or more around a marked word, with the unmarked neighbours that the documents
    write beside it ("lao" before "động", "cao" after "nâng": ``written(left, right)``), as typed."""
    words = re.findall(r"[\w-]+", text)
    inside = [has_diacritics(w) for w in words]
    for i in [i for i, m in enumerate(inside) if m]:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(words) and not inside[j] and words[j].islower():
                left, right = (words[j], words[j - step]) if step < 0 else (words[j - step], words[j])
                if not written(fold(left), fold(right)):
                    break
                inside[j] = True
                j += step
    # one unmarked syllable between two quoted words is theirs too ("động qua đào")
    for i in range(1, len(words) - 1):
        if inside[i - 1] and inside[i + 1] and not inside[i] and re.fullmatch(r"[a-eg-iklm-vxy]{1,5}", words[i]):
            inside[i] = True
    phrases, run = [], []
    for word, kept in zip(words + [""], inside + [False]):
        if kept:
            run.append(word)
            continue
        if len(run) >= 2:
            phrases.append(" ".join(run))
        run = []
    return phrases
