"""A question in several parts ("BHYT bao nhiêu, còn nước sạch thì sao?") cut into its parts.

Where parts may meet is data (``data/question_kinds.yaml``): "?" and ";" always cut; "và",
", còn", a comma cut only when both sides ask something of their own ("ai … và khi nào …"),
or when the side after only names a new subject ("…, còn nước sạch thì sao?"). Such a
follow-up borrows the asking words of the part before it ("mục tiêu … là bao nhiêu"); a part
that asks but names almost nothing borrows the earlier part's subject words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.data import load_yaml
from assistant.vietnamese import fold


@dataclass(frozen=True)
class Part:
    """One part of a question: as the user typed it, and as it is asked (with borrowed words)."""

    typed: str
    asked: str


@dataclass(frozen=True)
class _Rules:
    strong: re.Pattern
    weak: re.Pattern
    asking: re.Pattern
    follow_up: re.Pattern
    carried: re.Pattern


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("question_kinds.yaml")

    def words(key: str) -> re.Pattern:
        return re.compile(r"\b(?:" + "|".join(data[key]) + r")\b")

    return _Rules(
        re.compile("|".join(f"(?:{b})" for b in data["strong_breaks"])),
        re.compile("|".join(f"(?:{b})" for b in data["weak_breaks"])),
        words("part_question_words"),
        words("follow_up_words"),
        words("carried_words"),
    )


def split_parts(question: str, max_parts: int = 3) -> list[Part]:
    """The parts of a question, each one a question of its own; one part when it is not split."""
    text = " ".join(question.split()).strip()
    folded = fold(text)  # same length as the text: cut positions carry over
    if len(folded) != len(text):
        return [Part(text, text)]
    rules = _rules()
    pieces: list[tuple[int, int]] = []
    for start, end in _cut(folded, rules.strong, 0, len(text)):
        pieces += _cut_weak(folded, start, end, rules)
    if len(pieces) >= 2 and not text.endswith("?"):
        # "…? I need the starting value for the indicator": a reason or a wish after the question,
        # asking nothing of its own, is said about it, not a part to answer
        from assistant.retrieve.query import question_kinds

        last = folded[pieces[-1][0] : pieces[-1][1]]
        asks = _asks(last, rules) or question_kinds(text[pieces[-1][0] : pieces[-1][1]])  # "kể tên …" asks too
        if not asks and not rules.follow_up.search(last) and not _NEW_SUBJECT.match(last):
            pieces[-2:] = [(pieces[-2][0], pieces[-1][1])]
    asked = {text[a:b].strip(" ,;?.") for a, b in pieces if text[a:b].rstrip().endswith("?")}
    parts = [(text[a:b].strip(" ,;?."), folded[a:b].strip(" ,;?.")) for a, b in pieces]
    parts = [(p, f) for p, f in parts if len(f.split()) >= 2]
    parts = _without_repeats(parts, asked)
    if len(parts) < 2:
        return [Part(text, text)]
    questions = [Part(parts[0][0], parts[0][0])]
    for part, part_folded in parts[1:]:
        previous = questions[-1].asked
        if rules.follow_up.search(part_folded) and not _asks(part_folded, rules):
            borrowed = [_as_written(previous, m.group(0)) for m in rules.carried.finditer(fold(previous))]
            questions.append(Part(part, " ".join(borrowed + [part])))
        elif _subject_words(part) < 2 or _REFERS_BACK.search(part_folded):
            questions.append(Part(part, f"{part} {_subject(previous)}".strip()))
        else:
            questions.append(Part(part, part))
    return [_with_time(q, questions[i - 1].asked) if i else q for i, q in enumerate(questions)][:max_parts]


# a part that names its subject by pointing back ("… and how often should they review progress?",
# "cơ quan đó phải làm gì"): the part before it says what
_REFERS_BACK = re.compile(r"\b(?:they|them|their|it|its|these|those|co quan do|don vi do|viec do|cac co quan nay)\b")
# "có đúng không", "phải ko ad": a yes/no question asking nothing but whether the claim before holds
_BARE_YES_NO = re.compile(
    r"(?:co )?(?:phai|dung|that|dung la)(?: (?:vay|the|ri|rua|nhu vay))? (?:khong|ko|k|hok|chua)"
    r"(?: (?:a|ad|ban|bn|anh|chi|em|ha|nhi|vay))?"
)
# "…? còn nước sạch", "…? and clean water": a new subject, asked as the part before it was
_NEW_SUBJECT = re.compile(r"\s*(?:con|va|and|what about|how about)\b")


def _without_repeats(parts: list[tuple[str, str]], asked: set[str]) -> list[tuple[str, str]]:
    """The parts less a piece that asks again what the piece before it asks, naming nothing new and
    no time ("Khi nào thì tỉnh tổng kết Nghị quyết, năm nào vậy?": one question, not two); a bare "có
    đúng không" after a claim is that claim's question, unless the piece before it is a question of
    its own, ended by "?" (``asked``): "mấy bên HTX nói … 30% sp phải đạt 4 sao, đúng k ad?" claims,
    "mấy" there asks nothing."""
    from assistant.retrieve.query import question_kinds, time_frames

    kept = parts[:1]
    for part, part_folded in parts[1:]:
        kinds = question_kinds(part)
        if _BARE_YES_NO.fullmatch(part_folded) and (kept[-1][0] not in asked or not question_kinds(kept[-1][0])):
            # "Nghe nói … không còn hộ nghèo nào nữa, có đúng không?": the claim before is what is asked
            kept[-1] = (f"{kept[-1][0]}, {part}", f"{kept[-1][1]}, {part_folded}")
            continue
        if (
            kinds
            and kinds <= question_kinds(kept[-1][0])
            and not time_frames(part)
            and not _NEW_SUBJECT.match(part_folded)
            and (_subject_words(part) == 0 or kinds == {"location"})  # "…, mục mấy?": the clause asked again
        ):
            continue
        kept.append((part, part_folded))
    return kept


def _with_time(part: Part, previous: str) -> Part:
    """A part asking a figure without saying when takes the time the part before it says ("hiện nay
    có bao nhiêu sản phẩm OCOP, bn sp 4 sao?": today's 4-star products, not the 2025 target)."""
    from assistant.retrieve.query import question_kinds, time_cue, time_frames

    if time_frames(part.asked) or "quantity" not in question_kinds(part.asked):
        return part
    cue = time_cue(previous)
    return Part(part.typed, f"{cue} {part.asked}") if cue else part


def _cut(folded: str, pattern: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for m in pattern.finditer(folded, start, end):
        pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, end))
    return pieces


def _cut_weak(folded: str, start: int, end: int, rules: _Rules) -> list[tuple[int, int]]:
    """Cuts at weak breaks whose two sides each ask something (or the second is a follow-up)."""
    pieces, cursor = [], start
    for m in rules.weak.finditer(folded, start, end):
        left, right = folded[cursor : m.start()], folded[m.end() : end]
        if _asks(left, rules) and (_asks(right, rules) or rules.follow_up.search(right)):
            pieces.append((cursor, m.start()))
            cursor = m.end()
    pieces.append((cursor, end))
    return pieces


def _asks(folded: str, rules: _Rules) -> bool:
    return bool(rules.asking.search(folded))


def asks_something(folded: str) -> bool:
    """Whether a folded piece of a question holds a question word of its own ("bao nhiêu", "ai", "what")."""
    return _asks(folded, _rules())


def _subject_words(part: str) -> int:
    """How many words of a part name a subject: question frames, "mục tiêu", numbers and the kind
    a question word asks for ("thuộc huyện nào": a district, of the communes asked before) aside;
    an abbreviation counts as the words it stands for ("BHYT": bảo hiểm y tế)."""
    from assistant.retrieve.query import abbreviations, analyse

    query = analyse(part)
    roles = query.words
    carried = " ".join(m.group(0) for m in _rules().carried.finditer(fold(part))).split()
    full = abbreviations()  # folded abbreviation -> its full form
    return sum(
        len(full[t.token].split()) if t.token in full else 1
        for t in query.terms()
        if "_" not in t.token and not t.token.isdigit() and t.token not in carried and t.token not in roles.heads
    )


def _subject(text: str) -> str:
    """The words of a part that name its subject (question words left out), as written."""
    from assistant.retrieve.query import question_words

    return " ".join(w for w in re.findall(r"\w+", text) if fold(w) not in question_words() and not w.isdigit())


def _as_written(text: str, folded_phrase: str) -> str:
    """The words of ``text`` that fold to ``folded_phrase``, as written."""
    at = fold(text).find(folded_phrase)
    return text[at : at + len(folded_phrase)] if at >= 0 else folded_phrase
