"""Targets and baseline figures read out of a document's sentences, each tied to its clause.

"Thu nhập bình quân đầu người khu vực nông thôn đạt tối thiểu 60 triệu đồng/người/năm"
gives indicator "Thu nhập bình quân đầu người khu vực nông thôn", operator ">=", value 60,
unit "triệu đồng/người/năm". The words used live in ``data/facts.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from assistant.criteria.figures import parse_number
from assistant.data import load_yaml
from assistant.facts.text import Span, sentence_pieces
from assistant.retrieve.query import time_frame

_NUMBER = re.compile(r"(?<![\w/.,])(\d+(?:[.,]\d+)*)(?:/(\d+))?(?![\w/])")
_RANGE = re.compile(r"từ\s+(\d+(?:,\d+)?)\s*[-–]\s*(\d+(?:,\d+)?)", re.IGNORECASE)
_RATING = re.compile(r"đạt\s+loại\s+(\w+(?:\s+\w+)?)", re.IGNORECASE)
_DEADLINE = re.compile(r"(?:đến|vào|trong)\s+năm\s+(\d{4})|đến\s+(\d{4})", re.IGNORECASE)


@dataclass
class Target:
    """A figure a clause sets (``kind`` "target") or reports as reached (``kind`` "baseline")."""

    indicator: str
    operator: str  # ">=", ">", "<=", "<", "=", "~", "between" (value..value_max) or "is" (a rating)
    value: float | str
    unit: str
    deadline: str | None
    scope: str
    doc_id: str
    clause: str
    quote: str
    kind: str = "target"
    value_max: float | None = None
    total: float | None = None  # "171/182 xã": value 171 of 182
    value_text: str = ""
    start: int = 0
    end: int = 0

    def to_json(self) -> dict:
        return asdict(self) | {"display": self.display()}

    def display(self) -> str:
        """The figure as a reader says it: "> 95 %", "≥ 60 triệu đồng/người/năm", "171/182 xã"."""
        from assistant.criteria.figures import format_number

        unit = f" {self.unit}" if self.unit else ""
        if self.operator == "is":
            return f"loại {self.value}"
        if self.operator == "between":
            return f"{format_number(self.value)} – {format_number(self.value_max)}{unit}"
        value = format_number(self.value)
        if self.total is not None:
            value = f"{value}/{format_number(self.total)}"
        sign = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "~": "khoảng ", "=": ""}.get(self.operator, "")
        if self.operator == ">=" and self.unit == "%" and self.value == 100:
            sign = ""  # a share cannot exceed 100 %: the text says "100%", so do we
        return f"{sign}{value}{unit}".replace(" %", "%")


@lru_cache(maxsize=1)
def _patterns() -> dict:
    data = load_yaml("facts.yaml")
    comparators = sorted(data["comparators"].items(), key=lambda kv: -len(kv[0]))
    return {
        "comparators": comparators,
        "units": sorted(data["units"], key=len, reverse=True),
        "count_units": sorted(data["count_units"], key=len, reverse=True),
        "not_figures": [re.compile(p) for p in data["not_figures"]],
        "heads": [h.lower() for h in data["indicator_heads"]],
        "fillers": sorted((f.lower() for f in data["indicator_fillers"]), key=len, reverse=True),
        "scopes": data["scopes"],
    }


@dataclass
class _Mention:
    start: int  # comparator included
    number_start: int
    end: int  # after the unit
    operator: str | None
    value: float | str
    unit: str
    count_unit: str
    value_text: str
    total: float | None = None
    value_max: float | None = None
    in_brackets: bool = False


def extract_targets(document) -> list[Target]:
    """Every target and baseline figure of a document, in reading order."""
    found: list[Target] = []
    for piece in sentence_pieces(document):
        # A target is set in its own phrase or under a targets heading; what has been reached is
        # often narrated a sentence earlier ("Trong những năm qua ..."), so the paragraph counts for it.
        kind = time_frame(piece.text) or time_frame(piece.context)
        if kind is None and time_frame(piece.paragraph) == "baseline":
            kind = "baseline"
        if kind is None:
            continue
        deadline = _deadline(piece.text) or _deadline(piece.context) if kind == "target" else None
        found.extend(_targets_in(piece, kind, deadline, document.doc_id))
    return found


def _targets_in(piece: Span, kind: str, deadline: str | None, doc_id: str) -> list[Target]:
    text = piece.text
    mentions = _mentions(text)
    targets: list[Target] = []
    consumed = 0
    outer_indicator = ""
    for i, m in enumerate(mentions):
        if m.in_brackets:
            indicator = _bracket_indicator(text, m, outer_indicator)
        else:
            following = next((n.start for n in mentions[i + 1 :] if not n.in_brackets), len(text))
            after = _drop_brackets(text[m.end : following])
            if len(_tidy(after).split()) >= 2 or (m.count_unit and not _tidy(text[consumed : m.start])):
                indicator = _tidy(m.count_unit + after)
                consumed = following
            else:
                indicator = _indicator_before(text[consumed : m.start])
                consumed = m.end
            outer_indicator = indicator
        if not indicator:
            continue
        operator = m.operator or ("=" if kind == "baseline" or m.total else ">=")
        if m.value_max is not None:
            operator = "between"
        targets.append(
            Target(
                indicator=indicator,
                operator=operator,
                value=m.value,
                unit=m.unit or m.count_unit,
                deadline=deadline,
                scope=_scope(indicator),
                doc_id=doc_id,
                clause=piece.clause,
                quote=text,
                kind=kind,
                value_max=m.value_max,
                total=m.total,
                value_text=m.value_text,
                start=piece.start,
                end=piece.end,
            )
        )
    return targets


def _mentions(text: str) -> list[_Mention]:
    p = _patterns()
    skipped = [span for pattern in p["not_figures"] for span in (m.span() for m in pattern.finditer(text))]
    mentions: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(text):
        unit, count_unit, end = _unit_after(text, m.end())
        mentions.append(
            _Mention(
                m.start(),
                m.start(),
                end,
                "between",
                parse_number(m.group(1)),
                unit,
                count_unit,
                text[m.start() : end],
                value_max=parse_number(m.group(2)),
            )
        )
        taken.append(m.span())
    for m in _RATING.finditer(text):
        mentions.append(_Mention(m.start(), m.start(1), m.end(), "is", m.group(1), "xếp loại", "", m.group(1)))
        taken.append(m.span())
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in skipped + taken):
            continue
        value = parse_number(m.group(1))
        if value is None:
            continue
        unit, count_unit, end = _unit_after(text, m.end())
        operator, start = _comparator_before(text, m.start())
        total = parse_number(m.group(2)) if m.group(2) else None
        mentions.append(
            _Mention(
                start,
                m.start(),
                end,
                operator,
                value,
                unit,
                count_unit,
                text[m.start() : end].strip(),
                total=total,
                in_brackets=_inside_brackets(text, m.start()),
            )
        )
    return sorted(mentions, key=lambda x: x.start)


def _unit_after(text: str, position: int) -> tuple[str, str, int]:
    rest = text[position:]
    stripped = rest.lstrip()
    gap = len(rest) - len(stripped)
    for unit in _patterns()["units"]:
        if stripped.startswith(unit) and (unit.endswith("%") or not stripped[len(unit) : len(unit) + 1].isalpha()):
            return unit, "", position + gap + len(unit)
    lowered = stripped.lower()
    for unit in _patterns()["count_units"]:
        if lowered.startswith(unit) and not lowered[len(unit) : len(unit) + 1].isalpha():
            return "", unit, position + gap + len(unit)
    return "", "", position


def _comparator_before(text: str, position: int) -> tuple[str | None, int]:
    before = text[:position].rstrip().lower()
    for words, operator in _patterns()["comparators"]:
        if before.endswith(words) and (len(before) == len(words) or not before[-len(words) - 1].isalpha()):
            return operator, len(before) - len(words)
    return None, position


def _inside_brackets(text: str, position: int) -> bool:
    return text.rfind("(", 0, position) > text.rfind(")", 0, position)


def _drop_brackets(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


def _bracket_indicator(text: str, m: _Mention, outer: str) -> str:
    """ "171/182 xã (tỷ lệ 94%) đạt chuẩn": the bracketed figure is the outer one's share."""
    opening = text.rfind("(", 0, m.number_start)
    label = _tidy(text[opening + 1 : m.number_start])
    return _tidy(f"{label} {outer}") if label else ""


def _indicator_before(text: str) -> str:
    """The indicator written before its figure: back to the last comma piece that starts like one."""
    pieces = text.split(",")
    heads = _patterns()["heads"]
    for i in range(len(pieces) - 1, -1, -1):
        candidate = ",".join(pieces[i:]).strip()
        if any(candidate.lower().startswith(h + " ") for h in heads):
            return _tidy(candidate)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Whitespace squeezed, punctuation and filler words trimmed from both ends."""
    text = " ".join(text.split()).strip(" ,;:.-–")
    fillers = _patterns()["fillers"]
    changed = True
    while changed and text:
        changed = False
        lowered = text.lower()
        for filler in fillers:
            if lowered.startswith(filler + " ") or lowered == filler:
                text, changed = text[len(filler) :].strip(" ,;:.-–"), True
                break
            if lowered.endswith(" " + filler):
                text, changed = text[: -len(filler)].strip(" ,;:.-–"), True
                break
    return text


def _deadline(text: str) -> str | None:
    m = _DEADLINE.search(text)
    return (m.group(1) or m.group(2)) if m else None


def _scope(indicator: str) -> str:
    lowered = f" {indicator.lower()} "
    for scope, words in _patterns()["scopes"].items():
        if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in words):
            return scope
    return "tỉnh"
