"""Checks a model-written sentence against the evidence it cites, before anyone sees it.

A sentence is shown only when it cites at least one evidence number that exists; every number,
percentage, date and year it states is in the cited evidence (after normalising "95 %"/"95%",
"03"/"3", "60 triệu"/"60.000.000"); every agency it names is named there; and its content words
are found there above a threshold. The same checks hold a plain-language rewrite to its source.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from assistant.data import load_yaml
from assistant.vietnamese import canonical_syllable, fold, has_diacritics, nfc, syllables

_MARK = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"(?<![\w])\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=\])\s+(?=[^\W\d_])|\n+")
_MARKS_ONLY = re.compile(r"(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+[.!?]?")
_LIST_MARK = re.compile(r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-*•+])[ \t]+")
_LEVELS = ("tỉnh", "huyện", "xã")

OK, NO_CITATION, UNKNOWN_CITATION, FIGURE, AGENCY, LANGUAGE, SUPPORT, REPEATED = (
    "",
    "no_citation",
    "unknown_citation",
    "figure",
    "agency",
    "language",
    "support",
    "repeated",
)


@dataclass
class Check:
    """The verdict on one sentence: ``reason`` is empty when it may be shown."""

    sentence: str
    reason: str = OK
    detail: str = ""  # what failed: the figure, the agency, the coverage

    @property
    def ok(self) -> bool:
        return not self.reason

    def to_json(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def _data() -> dict:
    data = load_yaml("grounding.yaml")
    return {
        "function": {canonical_syllable(w) for w in data["function_words"].split()},
        "english_agencies": re.compile(r"\b(?:" + "|".join(data["english_agencies"]) + r")\b"),
        "scales": {fold(k): float(v) for k, v in data["scales"].items()},
    }


def split_sentences(text: str) -> list[str]:
    """The sentences of a model's answer (list markers removed, a lone "[1]" kept with its sentence)."""
    sentences, rest = take_sentences(text)
    rest = _clean(rest)
    return sentences + ([rest] if rest else [])


def take_sentences(text: str) -> tuple[list[str], str]:
    """The complete sentences at the head of a text still being streamed, and the rest to wait for
    (a sentence is complete once something other than its citation marks follows it)."""
    merged: list[str] = []
    for piece in _SENTENCE_END.split(_LIST_MARK.sub("", nfc(text or ""))):
        if merged and _MARKS_ONLY.fullmatch(piece.strip()):
            merged[-1] += " " + piece.strip()  # "… 95%. [1]": the marks belong to the sentence before
        else:
            merged.append(piece)
    rest = merged.pop()
    if merged and (not rest.strip() or rest.lstrip().startswith("[")):
        rest = merged.pop() + " " + rest
    return [p for p in map(_clean, merged) if p], rest


def _clean(piece: str) -> str:
    return _LIST_MARK.sub("", piece).strip()


def cited(sentence: str) -> list[int]:
    """The evidence numbers a sentence cites, in order ("[1]", "[1][2]", "[1, 2]")."""
    numbers = [int(n) for m in _MARK.finditer(sentence) for n in re.split(r"\s*[,;]\s*", m.group(1))]
    return list(dict.fromkeys(numbers))


def strip_marks(sentence: str) -> str:
    """The sentence without its citation marks."""
    return re.sub(r"\s+([.,;!?])", r"\1", _MARK.sub("", sentence)).strip()


def numbers(text: str, lenient: bool = False) -> list[set[float]]:
    """Each number stated in the text, as the set of values it can be read as ("1.500" is 1500 in
    Vietnamese, 1.5 in English; "60 triệu" is 60 000 000). ``lenient`` also keeps the unscaled
    reading, as the evidence side does: "60" is supported by "60 triệu"."""
    scales = _data()["scales"]
    found = []
    text = strip_marks(text)
    for match in _NUMBER.finditer(text):
        values = _readings(match.group(0))
        after = re.match(r"\s*(\w+)", text[match.end() :])
        scale = scales.get(fold(after.group(1))) if after else None
        if scale:
            scaled = {round(v * scale, 6) for v in values}
            values = scaled | values if lenient else scaled
        found.append(values)
    return found


def _readings(token: str) -> set[float]:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        readings = {float(token.replace(".", ""))}
        return readings | ({float(token)} if token.count(".") == 1 else set())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", token):
        readings = {float(token.replace(",", ""))}
        return readings | ({float(token.replace(",", "."))} if token.count(",") == 1 else set())
    if token.count(",") + token.count(".") == 1:
        return {float(token.replace(",", "."))}
    if re.fullmatch(r"\d+", token):
        return {float(token)}
    return {float(p) for p in re.split(r"[.,]", token) if p}  # "1.2.3": a clause number, part by part


def _expanded(text: str) -> str:
    """Folded text with abbreviations spelt out, so "UBND tỉnh" matches "Ủy ban nhân dân tỉnh"."""
    from assistant.retrieve.query import abbreviations

    table = abbreviations()
    words = re.findall(r"\w+(?:-\w+)?|\S", nfc(text))
    return " ".join(fold(table.get(fold(w), w)) if w.isupper() and len(w) > 1 else fold(w) for w in words)


@lru_cache(maxsize=1)
def _agency_pattern() -> re.Pattern:
    heads = sorted(load_yaml("facts.yaml")["agency_heads"], key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(h.strip())}(?!\w)" for h in heads))


def agencies(text: str) -> list[str]:
    """The agencies a sentence names: a head word ("Sở", "UBND", "Hội"), the first word of its name
    with the syllable after it ("Sở Y tế", "Hội Nông dân") or else its level ("UBND tỉnh"); a generic
    head opening no name ("Ban hành", "Trường hợp") is not one."""
    heads = set(load_yaml("facts.yaml")["agency_heads"])
    found = []
    for match in _agency_pattern().finditer(text):
        head = match.group(0)
        tokens = re.findall(r"\S+", text[match.end() :])[:2]
        words = []
        if tokens and tokens[0][:1].isupper():
            words.append(_bare(tokens[0]))
            if _bare(tokens[0]) == tokens[0] and len(tokens) > 1 and tokens[1][:1].islower():
                words.append(_bare(tokens[1]))
        elif tokens and _bare(tokens[0]) in _LEVELS:
            words.append(_bare(tokens[0]))
        if f"{head} " in heads and head not in heads and not (words and words[0][:1].isupper()):
            continue  # a head word that opens no name
        found.append(" ".join([head] + words))
    return found


def _bare(token: str) -> str:
    return re.sub(r"[^\w&-]+$", "", token)


def content_words(text: str) -> list[str]:
    """Tone-canonical syllables that carry meaning (numbers and glue words left out)."""
    function = _data()["function"]
    words = [canonical_syllable(s) for s in syllables(expanded_words(strip_marks(text)))]
    return [w for w in words if not w.isdigit() and w not in function]


def expanded_words(text: str, any_case: bool = False) -> str:
    """The text with the abbreviations it types in capitals ("UBND") spelt out as the documents write
    them, or typed in any case with ``any_case`` ("hđnd tỉnh" → "Hội đồng nhân dân tỉnh")."""
    from assistant.retrieve.query import abbreviations

    table = abbreviations()
    typed = r"\w+" if any_case else r"\b[A-ZĐ][A-ZĐ-]+\b"
    return re.sub(typed, lambda m: table.get(fold(m.group(0)), m.group(0)), text)


def support(sentence: str, source: str) -> float:
    """Share of the sentence's content words found in the source (1.0 for a sentence without any)."""
    words = content_words(sentence)
    if not words:
        return 1.0
    known = {canonical_syllable(s) for s in syllables(expanded_words(source))}
    return sum(1 for w in words if w in known) / len(words)


def _repeated(sentence: str, run: int = 5) -> str:
    """A run of words said twice in one sentence: a small model going round in circles."""
    words = syllables(strip_marks(sentence))
    seen = set()
    for i in range(len(words) - run + 1):
        piece = " ".join(words[i : i + run])
        if piece in seen:
            return piece
        seen.add(piece)
    return ""


def _is_english(sentence: str) -> bool:
    words = re.findall(r"[^\W\d_]+", strip_marks(sentence))
    return len(words) >= 3 and not has_diacritics(" ".join(words))


def _unsupported_figure(sentence: str, source: str) -> str:
    available = set().union(*numbers(source, lenient=True)) if source else set()
    for values in numbers(sentence):
        if not values & available:
            return f"{min(values):g}"
    return ""


def _unsupported_agency(sentence: str, source: str) -> str:
    haystack = _expanded(source)
    for mention in agencies(strip_marks(sentence)):
        if f" {_expanded(mention)} " not in f" {haystack} ":
            return mention
    return ""


def check_sentence(sentence: str, evidence: dict[int, str], language: str = "vi", min_support: float = 0.8) -> Check:
    """Whether a generated sentence may be shown, given the numbered evidence it could cite."""
    numbers_cited = cited(sentence)
    if not numbers_cited:
        return Check(sentence, NO_CITATION)
    unknown = [n for n in numbers_cited if n not in evidence]
    if unknown:
        return Check(sentence, UNKNOWN_CITATION, f"[{unknown[0]}]")
    source = " ".join(evidence[n] for n in numbers_cited)
    english = _is_english(sentence)
    if english and language != "en":
        return Check(sentence, LANGUAGE, "en")
    figure = _unsupported_figure(sentence, source)
    if figure:
        return Check(sentence, FIGURE, figure)
    agency = _unsupported_agency(sentence, source)
    if agency:
        return Check(sentence, AGENCY, agency)
    if english:
        # An English sentence cannot be matched word for word with a Vietnamese source: only its
        # figures are checked, and it may name no agency (no translated name can be verified).
        named = _data()["english_agencies"].search(strip_marks(sentence))
        return Check(sentence, AGENCY, named.group(0)) if named else Check(sentence)
    share = support(sentence, source)
    if share < min_support:
        return Check(sentence, SUPPORT, f"{share:.2f}")
    repeated = _repeated(sentence)
    return Check(sentence, REPEATED, repeated) if repeated else Check(sentence)


def verify(
    text: str, evidence: dict[int, str], language: str = "vi", min_support: float = 0.8
) -> tuple[list[str], list[Check]]:
    """The sentences of a model's answer that may be shown, and the checks of those that may not."""
    kept: list[str] = []
    dropped: list[Check] = []
    for sentence in split_sentences(text):
        verdict = check_sentence(sentence, evidence, language, min_support)
        if verdict.ok:
            kept.append(sentence)
        else:
            dropped.append(verdict)
    return kept, dropped


def check_rewrite(original: str, rewritten: str, min_support: float = 0.8) -> Check:
    """Whether a plain-language rewrite may replace a draft's point: it states no figure the point
    does not, drops none of its figures, names every agency the point names and no other."""
    rewritten = strip_marks(rewritten)
    if not rewritten:
        return Check(rewritten, NO_CITATION)
    if _is_english(rewritten):
        return Check(rewritten, LANGUAGE, "en")
    figure = _unsupported_figure(rewritten, original)
    if figure:
        return Check(rewritten, FIGURE, figure)
    kept = set().union(*numbers(rewritten, lenient=True)) if numbers(rewritten) else set()
    for values in numbers(original):
        if not values & kept:
            return Check(rewritten, FIGURE, f"-{min(values):g}")  # a figure of the point left out
    agency = _unsupported_agency(rewritten, original)
    if agency:
        return Check(rewritten, AGENCY, agency)
    haystack = f" {_expanded(rewritten)} "
    for mention in agencies(original):
        if f" {_expanded(mention)} " not in haystack:
            return Check(rewritten, AGENCY, f"-{mention}")  # the agency of the point left out
    share = support(rewritten, original)
    if share < min_support:
        return Check(rewritten, SUPPORT, f"{share:.2f}")
    repeated = _repeated(rewritten)
    return Check(rewritten, REPEATED, repeated) if repeated else Check(rewritten)
