"""What slides and cards show of a draft's items: each figure's value as a number (for the chart),
the deadline as a reader says it, and where an item comes from ("Nguồn: Nghị quyết … — Mục I.3").

Everything is read from the sections as edited, so a slide or a card says what the boxes say.
Texts are NFC: a word typed with combining marks shows as the same letters the fonts draw.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.criteria.figures import parse_number
from assistant.draft.compose import wording
from assistant.draft.sections import Item, Sections

# "≥ 95%", "> 1,5%", "13/13 đơn vị", "khoảng 60 triệu đồng/người/năm": a sign, one number (a count
# "of" a total keeps its count), a unit. Ranges ("1 – 2") and categories ("loại khá") have no bar.
_VALUE = re.compile(
    r"^(?:[≥≤<>=]\s*|(?:khoảng|trên|dưới|tối thiểu|ít nhất|đạt)\s+)?(\d[\d.,]*)(?:/\d[\d.,]*)?\s*(\S.*)?$",
    re.IGNORECASE,
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


@dataclass
class Figure:
    """One key figure as a slide or a card shows it."""

    indicator: str
    value: str  # as written ("≥ 95%")
    deadline: str  # as a reader says it ("Thời hạn: năm 2025")
    by: str  # the deadline as the box has it ("2025", "đến nay")
    source: str  # "Nguồn: Nghị quyết … — Mục I.3" ("" for an item added by hand)
    clause: str  # "Mục I.3"
    document: str  # the document's short title
    number: float | None  # the value as a number, when it is one number with a unit
    unit: str
    item: Item  # the draft's item it shows


def figures(sections: Sections) -> list[Figure]:
    """The figures section's items, in the order the editor shows them."""
    found = [s for s in sections.sections if s.key == "figures"]
    result = []
    for item in found[0].items if found else []:
        indicator, value, deadline = (nfc(t) for t in item.fields)
        number, unit = numeric(value)
        places = places_of(sections, item)
        result.append(
            Figure(
                indicator=indicator,
                value=value,
                deadline=deadline_text(deadline),
                by=deadline.strip(),
                source=source_line(sections, item),
                clause="; ".join(dict.fromkeys(label for _, label in places)),
                document="; ".join(dict.fromkeys(document for document, _ in places)),
                number=number,
                unit=unit,
                item=item,
            )
        )
    return result


def numeric(value: str) -> tuple[float | None, str]:
    """(number, unit) of a value that is one number ("≥ 95%" → 95, "%"); (None, "") otherwise."""
    match = _VALUE.match(" ".join(value.split()))
    if not match:
        return None, ""
    number = parse_number(match.group(1))
    unit = (match.group(2) or "").strip()
    if number is None or re.search(r"\d", unit):  # "1 – 2 lần", "60 – 70%": a range, not one value
        return None, ""
    return number, unit


def chart_groups(items: list[Figure], limit: int = 3) -> list[tuple[str, list[Figure]]]:
    """The figures a bar chart can compare, by unit: units with two or more figures, largest first
    (at most ``limit``); a lone unit when nothing else has a number. Bars of different units never
    share an axis."""
    groups: dict[str, list[Figure]] = {}
    for figure in items:
        if figure.number is not None:
            groups.setdefault(figure.unit, []).append(figure)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    several = [(unit, group) for unit, group in ordered if len(group) >= 2]
    return (several or ordered[:1])[:limit]


def deadline_text(deadline: str) -> str:
    words = wording()["deck"]
    deadline = deadline.strip()
    if not deadline:
        return ""
    key = "deadline_year" if re.fullmatch(r"\d{4}", deadline) else "deadline"
    return words[key].format(deadline=deadline)


def places_of(sections: Sections, item: Item) -> list[tuple[str, str]]:
    """(document's short title, "Mục I.3") of each source the item cites, in its order, each once."""
    notes = {note.n: note for note in sections.notes}
    found = [(short_title(sections, notes[n].doc_title), notes[n].label) for n in item.cites if n in notes]
    return [(nfc(document), nfc(label)) for document, label in dict.fromkeys(found)]


def source_line(sections: Sections, *items: Item) -> str:
    """ "Nguồn: Nghị quyết … — Mục I.3" for what the items cite (the clauses of one document joined),
    "" when none has a source (items added by hand)."""
    by_document: dict[str, list[str]] = {}
    for item in items:
        for document, label in places_of(sections, item):
            labels = by_document.setdefault(document, [])
            if label not in labels:
                labels.append(label)
    if not by_document:
        return ""
    places = "; ".join(f"{document} — {', '.join(labels)}" for document, labels in by_document.items())
    return wording()["deck"]["cited"].format(places=places)


def short_title(sections: Sections, title: str) -> str:
    """A document's short title where its metadata gives one (footers have one line), else its title."""
    for document in sections.documents:
        if document.get("title") == title:
            return document.get("short_title") or title
    return title
