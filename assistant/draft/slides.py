"""A draft as a 16:9 PowerPoint deck: a title slide, the key points, one slide per figure and per task
with its source in the footer, a bar chart of the figures, and the sources.

Built from the sections as edited (``Sections``), like the Markdown and the DOCX; every text is NFC.
Every run names the cards' font (DejaVu Sans, offline with matplotlib and in Debian's fonts-dejavu-core),
and type sizes are measured with that font, so LibreOffice draws each Vietnamese letter and no text
runs past its box; PowerPoint without it substitutes a narrower face, which fits too.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant.draft.cards import font_path
from assistant.draft.compose import wording
from assistant.draft.figures import Figure, chart_groups, figures, nfc, source_line
from assistant.draft.sections import Item, Sections

WIDTH_IN, HEIGHT_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.6
FOOTER = "Nguồn"  # the name of the footer shape on every slide that has one
ACCENT = (0x1B, 0x5E, 0x20)  # the web app's green
GREY = (0x55, 0x55, 0x55)
POINTS_PER_SLIDE = 3
CHART_LABEL_CHARS = 60
BARS_PER_SLIDE = 10
FONT = "DejaVu Sans"  # the family of font_path(): what the sizes are measured with
INSET_IN = 0.1  # a text box's inner margin left and right (python-pptx's default)
LINE_EM = 1.2  # line height, in ems, that LibreOffice and PowerPoint leave for DejaVu Sans


def to_pptx(sections: Sections, path: Path) -> Path:
    """Write the deck to ``path`` (.pptx)."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    words = wording()["deck"]
    _title_slide(deck, sections, words)
    if sections.empty:
        _body(_slide(deck, nfc(sections.title)), nfc(sections.empty), 28)
        deck.save(str(path))
        return path
    for section in sections.sections:
        if section.key == "points":
            _point_slides(deck, sections, section.heading, section.items, words)
        elif section.key == "roles":
            for item in section.items:
                _role_slide(deck, sections, section.heading, item)
    shown = figures(sections)
    heading = next((s.heading for s in sections.sections if s.key == "figures"), words["figure"])
    for figure in shown:
        _figure_slide(deck, nfc(heading), figure)
    for unit, group in chart_groups(shown):
        title = words["chart"].format(unit=unit) if unit else nfc(heading)
        for start in range(0, len(group), BARS_PER_SLIDE):  # bars stay readable: ten to a slide
            _chart_slide(deck, sections, title, group[start : start + BARS_PER_SLIDE])
    _sources_slide(deck, sections, words)
    deck.save(str(path))
    return path


# -- slides -----------------------------------------------------------------------------------------


def _title_slide(deck, sections: Sections, words: dict) -> None:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[0])
    title, subtitle = slide.placeholders[0], slide.placeholders[1]
    width = Inches(WIDTH_IN - 2 * MARGIN_IN)
    title.left, title.top, title.width, title.height = Inches(MARGIN_IN), Inches(1.3), width, Inches(2.4)
    _set(title.text_frame, nfc(sections.title), _fit(sections.title, 40, 28, WIDTH_IN - 2 * MARGIN_IN, 2.4, True), True)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Inches(MARGIN_IN), Inches(3.9), width, Inches(3)
    lines = []
    if sections.topic and nfc(sections.topic).casefold() not in nfc(sections.title).casefold():
        lines.append(f"Chủ đề: {nfc(sections.topic)}")
    if sections.audience in words["audiences"]:
        lines.append(words["audiences"][sections.audience])
    for document in sections.documents:
        lines.append(nfc(document.get("title", "")))
        when = [words["date"].format(date=document["date"])] if document.get("date") else []
        when += [words["period"].format(period=document["period"])] if document.get("period") else []
        if when:
            lines.append(" · ".join(when))
    frame = subtitle.text_frame
    frame.clear()
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(20)
        paragraph.font.name = FONT
        paragraph.font.bold = index == 0 and line in words["audiences"].values()


def _point_slides(deck, sections: Sections, heading: str, items: list[Item], words: dict) -> None:
    for start in range(0, len(items), POINTS_PER_SLIDE):
        chunk = [item for item in items[start : start + POINTS_PER_SLIDE] if item.fields[0].strip()]
        if not chunk:
            continue
        title = heading if start == 0 else words["points_more"].format(heading=heading)
        slide = _slide(deck, nfc(title))
        text = "\n".join(nfc(item.fields[0]) for item in chunk)
        _body(slide, text, _fit(_bulleted(text), 26, 16, WIDTH_IN - 2 * MARGIN_IN, 4.6), bullets=True)
        _footer(slide, source_line(sections, *chunk))


def _figure_slide(deck, heading: str, figure: Figure) -> None:
    slide = _slide(deck, heading)
    width = WIDTH_IN - 2 * MARGIN_IN
    size = _fit(figure.value, 72, 40, width, 1.8, bold=True)
    _box(slide, 1.5, 1.8, figure.value, size, bold=True, color=ACCENT, center=True)
    _box(slide, 3.4, 2.3, figure.indicator, _fit(figure.indicator, 30, 18, width, 2.3), center=True)
    if figure.deadline:
        _box(slide, 5.8, 0.6, figure.deadline, 22, color=GREY, center=True)
    _footer(slide, figure.source)


def _role_slide(deck, sections: Sections, heading: str, item: Item) -> None:
    agency, role, task = (nfc(t) for t in item.fields)
    slide = _slide(deck, nfc(heading))
    width = WIDTH_IN - 2 * MARGIN_IN
    _box(slide, 1.5, 1.2, agency, _fit(agency, 32, 20, width, 1.2, True), bold=True, color=ACCENT)
    _box(slide, 2.7, 0.6, role, 24, color=GREY)
    _box(slide, 3.4, 3.0, task, _fit(task, 26, 14, width, 3.0))
    _footer(slide, source_line(sections, item))


def _chart_slide(deck, sections: Sections, title: str, group: list[Figure]) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Inches, Pt

    slide = _slide(deck, nfc(title))
    data = CategoryChartData(number_format="General")
    data.categories = [_short(f"{f.indicator} ({f.by})" if f.by else f.indicator) for f in group]
    data.add_series(nfc(title), [f.number for f in group])
    height = HEIGHT_IN - 1.5 - 1.0
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED,
        Inches(MARGIN_IN),
        Inches(1.5),
        Inches(WIDTH_IN - 2 * MARGIN_IN),
        Inches(height),
        data,
    ).chart
    chart.has_legend = False
    chart.has_title = False  # the slide title says what the bars are
    chart.font.size = Pt(16 if len(group) <= 6 else 14)
    chart.font.name = FONT
    chart.category_axis.reverse_order = True  # the first figure at the top, as the draft lists them
    chart.value_axis.has_major_gridlines = False
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.bold = True
    series = plot.series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = _rgb(ACCENT)
    _footer(slide, source_line(sections, *(f.item for f in group)))


def _sources_slide(deck, sections: Sections, words: dict) -> None:
    numbers = sections.numbers()
    cited = sorted((n for n in sections.notes if n.n in numbers), key=lambda note: numbers[note.n])
    places = dict.fromkeys(f"{nfc(note.doc_title)}, {nfc(note.label)}" for note in cited)
    if not places:
        return
    slide = _slide(deck, words["sources"])
    text = "\n".join(places)
    _body(slide, text, _fit(_bulleted(text), 22, 12, WIDTH_IN - 2 * MARGIN_IN, 5.4), bullets=True)


# -- shapes -----------------------------------------------------------------------------------------


def _slide(deck, title: str):
    """A "Title Only" slide with its title across the 16:9 width."""
    from pptx.util import Inches

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    shape = slide.shapes.title
    shape.left, shape.top = Inches(MARGIN_IN), Inches(0.3)
    shape.width, shape.height = Inches(WIDTH_IN - 2 * MARGIN_IN), Inches(1.1)
    _set(shape.text_frame, title, _fit(title, 34, 24, WIDTH_IN - 2 * MARGIN_IN, 1.1, True), True, color=ACCENT)
    return slide


def _box(slide, top: float, height: float, text: str, size: int, bold=False, color=None, center=False):
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(Inches(MARGIN_IN), Inches(top), Inches(WIDTH_IN - 2 * MARGIN_IN), Inches(height))
    shape.text_frame.word_wrap = True
    _set(shape.text_frame, text, size, bold, color=color)
    if center:
        shape.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    return shape


def _body(slide, text: str, size: int, bullets: bool = False) -> None:
    """The slide's body: one paragraph per line, "•" before each when ``bullets``."""
    from pptx.util import Pt

    shape = _box(slide, 1.5, HEIGHT_IN - 1.5 - 1.0, "", size)
    frame = shape.text_frame
    for index, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = _bulleted(line) if bullets else line
        paragraph.font.size = Pt(size)
        paragraph.font.name = FONT
        paragraph.space_after = Pt(size // 2)


def _bulleted(text: str) -> str:
    return "\n".join(f"• {line}" for line in text.split("\n"))


def _footer(slide, text: str) -> None:
    """The source of what the slide says, in one line at the bottom (none for an item added by hand)."""
    if not text:
        return
    shape = _box(slide, HEIGHT_IN - 0.85, 0.6, text, _fit(text, 16, 11, WIDTH_IN - 2 * MARGIN_IN, 0.6), color=GREY)
    shape.name = FOOTER


def _set(frame, text: str, size: int, bold: bool = False, color=None) -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        paragraph.font.size = Pt(size)
        paragraph.font.name = FONT
        paragraph.font.bold = bold
        if color:
            paragraph.font.color.rgb = _rgb(color)


def _rgb(color: tuple[int, int, int]):
    from pptx.dml.color import RGBColor

    return RGBColor(*color)


def _fit(text: str, largest: int, smallest: int, width_in: float, height_in: float, bold: bool = False) -> int:
    """The largest type size (in steps of 2 pt) at which ``text``, wrapped word by word as measured
    with the slide font, fits the box (its paragraphs half a line apart); ``smallest`` when none does."""
    paragraphs = nfc(text).split("\n")
    for size in range(largest, smallest - 1, -2):
        width = (width_in - 2 * INSET_IN) * 72 / size  # in ems
        lines = sum(_lines(paragraph, width, bold) for paragraph in paragraphs)
        if (lines * LINE_EM + (len(paragraphs) - 1) * 0.5) * size <= height_in * 72:
            return size
    return smallest


def _lines(paragraph: str, width_em: float, bold: bool) -> int:
    """How many lines ``paragraph`` takes at ``width_em`` ems a line, wrapped between words."""
    lines, used = 1, 0.0
    for word in paragraph.split():
        length = _ems(word, bold)
        if used and used + _ems(" " + word, bold) > width_em:
            lines, used = lines + 1, length
        else:
            used += _ems(" " + word, bold) if used else length
    return lines


@lru_cache(maxsize=4096)
def _ems(text: str, bold: bool) -> float:
    """The advance width of ``text`` in the slide font, in ems."""
    return _measure(bold).getlength(text) / 100


@lru_cache(maxsize=2)
def _measure(bold: bool):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path(bold)), 100)


def _short(text: str, limit: int = CHART_LABEL_CHARS) -> str:
    text = nfc(text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
