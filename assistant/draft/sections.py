"""A draft as sections of plain-text items, for people who do not write Markdown.

Each item (a key point, a figure, a duty, a question and its answer) is a few plain texts and the
numbers of the sources it stands on, so an edit never loses its citation. The Markdown, and from it
the DOCX, is written from the sections as edited: citations are renumbered in reading order and only
the sources still cited are listed. Every text in it (documents' and the reader's) is escaped: a
``<img>`` or ``**`` in a quote or a box is shown as typed, never read as HTML or Markdown.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field

from assistant.draft.compose import Draft, wording
from assistant.safe_text import markdown_text as esc

# The texts of one item of each section, in the order the editor shows them.
FIELDS = {
    "points": ("text",),
    "figures": ("indicator", "value", "deadline"),
    "roles": ("agency", "role", "task"),
    "faq": ("question", "answer"),
}
_MARK = re.compile(r"\s*\[\d+\]")


@dataclass
class Item:
    """One entry of a section: its plain texts (see ``FIELDS``) and the numbers of its sources."""

    fields: list[str]
    cites: list[int] = field(default_factory=list)
    group: str = ""  # a point's part of the document ("Nhiệm vụ, giải pháp chủ yếu"), shown as a sub-heading


@dataclass
class Section:
    key: str  # points, figures, roles, faq
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Note:
    """A source as the notes show it: where it is and the quote itself."""

    n: int
    doc_title: str
    label: str  # "Mục I.3"
    quote: str


@dataclass
class Sections:
    """An editable draft: a title, an introduction and sections of items, with the notes they cite."""

    title: str
    intro: str
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    empty: str = ""  # the message of a draft on a topic the documents do not cover
    open: str = ""  # the section the editor shows open (the one last added to, removed from or reordered)
    topic: str = ""  # what the draft was asked about, and for whom (the title slide names both)
    audience: str = ""
    documents: list[dict] = field(default_factory=list)  # the cited documents' metadata (``document_info``)

    def texts(self) -> list[str]:
        """Every editable text in reading order: title, introduction, then each item's fields."""
        return [self.title, self.intro] + [text for s in self.sections for item in s.items for text in item.fields]

    def with_texts(self, texts: list[str]) -> Sections:
        """A copy holding ``texts`` (as ``texts()`` orders them) in place of the current ones."""
        if len(texts) != len(self.texts()):
            raise ValueError(f"{len(texts)} texts for {len(self.texts())} fields")
        edited = deepcopy(self)
        values = iter(one_line(t) for t in texts)
        edited.title, edited.intro = next(values), next(values)
        for section in edited.sections:
            for item in section.items:
                item.fields = [next(values) for _ in item.fields]
        return edited

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def numbers(self) -> dict[int, int]:
        """Source number → number in the edited text: in order of first citation, cited sources only."""
        order: dict[int, int] = {}
        for section in self.sections:
            for item in section.items:
                for n in item.cites:
                    order.setdefault(n, len(order) + 1)
        return order

    def label(self, item: Item) -> str:
        """The item's sources as a reader names them: "Nguồn: Mục I.3" ("" when the item has none)."""
        by_n = {note.n: note.label for note in self.notes}
        labels = list(dict.fromkeys(by_n[n] for n in item.cites if n in by_n))
        return wording()["cited"].format(labels="; ".join(labels)) if labels else ""


def from_draft(draft: Draft) -> Sections:
    """The sections of a built draft, each statement keeping the numbers of its sources."""
    words = wording()
    if not draft.found:
        return Sections(
            draft.title, "", empty=words["empty"].format(topic=draft.topic), topic=draft.topic, audience=draft.audience
        )
    headings = words["sections"]
    sections = [Section("points", headings["points"], [Item([p.text], [p.n], p.group) for p in draft.points])]
    if draft.figures:
        sections.append(
            Section(
                "figures",
                headings["figures"],
                [Item([f["indicator"], f["value"], f["deadline"]], [f["n"]]) for f in draft.figures],
            )
        )
    if draft.roles:
        sections.append(
            Section(
                "roles", headings["roles"], [Item([r["agency"], r["role"], r["task"]], [r["n"]]) for r in draft.roles]
            )
        )
    if draft.faq:
        # The answer's [n] marks move to the end of the item: the reader edits words, not marks.
        sections.append(
            Section(
                "faq",
                headings["faq"],
                [
                    Item([q["question"], _MARK.sub("", q["answer"]).strip()], list(dict.fromkeys(q["n"])))
                    for q in draft.faq
                ],
            )
        )
    notes = [Note(s.n, s.doc_title, s.label, s.quote) for s in draft.sources]
    return Sections(
        draft.title,
        draft.intro,
        sections,
        notes,
        topic=draft.topic,
        audience=draft.audience,
        documents=list(draft.documents),
    )


def add_item(sections: Sections, key: str) -> Sections:
    """A copy with an empty item (no source yet) at the end of section ``key``."""
    edited = deepcopy(sections)
    edited.section(key).items.append(Item([""] * len(FIELDS[key])))
    edited.open = key
    return edited


def remove_item(sections: Sections, key: str, index: int) -> Sections:
    edited = deepcopy(sections)
    del edited.section(key).items[index]
    edited.open = key
    return edited


def move_item(sections: Sections, key: str, index: int, step: int) -> Sections:
    """A copy with item ``index`` of section ``key`` moved up (-1) or down (+1); unchanged at an end."""
    edited = deepcopy(sections)
    items = edited.section(key).items
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    edited.open = key
    return edited


# -- Markdown ----------------------------------------------------------------------------------------


def to_markdown(sections: Sections) -> str:
    """The whole draft in Markdown (what the preview shows and the DOCX is made from)."""
    if sections.empty:
        return f"# {esc(sections.title)}\n\n{esc(sections.empty)}\n"
    numbers = sections.numbers()
    parts = [head_markdown(sections)]
    parts += [section_markdown(sections, s, numbers) for s in sections.sections if s.items]
    parts.append(notes_markdown(sections, numbers))
    return "\n\n".join(p.strip("\n") for p in parts) + "\n"


def head_markdown(sections: Sections) -> str:
    return f"# {esc(sections.title)}\n\n{esc(sections.empty or sections.intro)}"


def section_markdown(sections: Sections, section: Section, numbers: dict[int, int] | None = None) -> str:
    """One section: a list of points, a table, or questions and answers."""
    numbers = sections.numbers() if numbers is None else numbers
    columns = wording()["columns"]

    def marks(item: Item) -> str:
        return "".join(f"[{numbers[n]}]" for n in item.cites if n in numbers)

    lines = [f"## {section.heading}", ""]
    if section.key == "points":
        group = ""
        for item in section.items:  # a sub-heading where the part changes (an added point stays in the last)
            if item.group and item.group != group:
                lines += ([""] if group else []) + [f"### {esc(item.group)}", ""]
                group = item.group
            lines.append(f"- {_joined(esc(item.fields[0]), marks(item))}")
    elif section.key in ("figures", "roles"):
        lines += [_md_row(columns[section.key]), _md_row(["---"] * 4)]
        lines += [_md_row([esc(f) for f in item.fields] + [marks(item)]) for item in section.items]
    elif section.key == "faq":
        for item in section.items:
            question, answer = item.fields
            lines += [f"**Hỏi:** {esc(question)}", "", f"**Đáp:** {_joined(esc(answer), marks(item))}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def notes_markdown(sections: Sections, numbers: dict[int, int] | None = None) -> str:
    """ "Căn cứ" (each cited clause once) and "Chú thích" (each citation number: where it is, and the
    quote only when the body does not already show it)."""
    numbers = sections.numbers() if numbers is None else numbers
    headings = wording()["sections"]
    cited = sorted((note for note in sections.notes if note.n in numbers), key=lambda note: numbers[note.n])
    places = dict.fromkeys((note.doc_title, note.label) for note in cited)
    lines = [f"## {headings['sources']}", ""] + [f"- {esc(title)}, {esc(label)}" for title, label in places]
    lines += ["", f"## {headings['notes']}", ""]
    previous = None
    for note in cited:  # the document's title once, then only the clause while it stays the same
        where = note.label if note.doc_title == previous else f"{note.doc_title}, {note.label}"
        quote = "" if shown_above(sections, note) else f": “{esc(note.quote)}”"
        lines.append(f"{numbers[note.n]}. {esc(where)}{quote}")
        previous = note.doc_title
    return "\n".join(lines) + "\n"


def shown_above(sections: Sections, note: Note) -> bool:
    """Whether the body already states what a note's quote says: a row of a table drawn from it (the
    table holds its figure or duty) or an item that quotes it as written (an edited item does not)."""
    quote = _plain(note.quote)
    for section in sections.sections:
        for item in section.items:
            if note.n not in item.cites:
                continue
            if section.key in ("figures", "roles") or any(quote and quote in _plain(text) for text in item.fields):
                return True
    return False


def _plain(text: str) -> str:
    """A text compared as words: no list dash, case or closing stop."""
    return " ".join(text.split()).lstrip("-+• ").rstrip(" .;,:").casefold()


def one_line(text: str) -> str:
    """A field as one line of text: what a reader typed, line breaks and repeated spaces folded."""
    return " ".join((text or "").split())


def _joined(text: str, marks: str) -> str:
    return f"{text} {marks}" if text and marks else text or marks


def _md_row(cells: list[str]) -> str:
    """A table row of cells already escaped (``|`` included) or our own words."""
    return "| " + " | ".join(str(c).replace("\n", " ") for c in cells) + " |"
