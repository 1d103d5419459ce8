"""Phone cards: one 1080×1350 PNG per key figure of a draft (the figure large, what it measures, the
deadline, and the clause and document it comes from at the bottom), and all of them as one .zip.

Drawn with Pillow in DejaVu Sans, the font matplotlib ships (it has every Vietnamese letter), so
nothing is downloaded and every machine draws the same card. Texts are NFC (one glyph per letter).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from assistant.draft.figures import Figure, figures, nfc
from assistant.draft.sections import Sections
from assistant.vietnamese import fold

SIZE = (1080, 1350)  # a portrait post on a phone (4:5)
PAD = 60
TOP, BOTTOM = 170, 250  # heights of the title band and of the source band
GREEN, DARK, GREY, PALE = (0x1B, 0x5E, 0x20), (0x21, 0x21, 0x21), (0x61, 0x61, 0x61), (0xEE, 0xF3, 0xEE)


def font_path(bold: bool = False) -> Path:
    """DejaVu Sans as matplotlib ships it (regular or bold)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


def missing_glyphs(text: str, bold: bool = False) -> list[str]:
    """The characters of ``text`` (NFC) the card font has no glyph for; [] when it draws them all."""
    cmap = _cmap(bold)
    return [c for c in dict.fromkeys(nfc(text)) if not c.isspace() and ord(c) not in cmap]


def write_cards(sections: Sections, folder: Path) -> list[Path]:
    """One PNG per key figure in ``folder`` (made if missing), named by number and indicator."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, image in _cards(sections):
        path = folder / name
        image.save(path, format="PNG", optimize=True)
        paths.append(path)
    return paths


def cards_zip(sections: Sections, path: Path) -> Path:
    """All the cards in one .zip (what the web app hands over)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for name, image in _cards(sections):
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            archive.writestr(name, buffer.getvalue())
    return path


def render_card(figure: Figure, heading: str):
    """One card as a Pillow image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    inner = width - 2 * PAD

    draw.rectangle((0, 0, width, TOP), fill=GREEN)
    size, lines = _fitted(draw, nfc(heading), inner, TOP - 50, 46, 30, bold=True)
    _lines(draw, lines, size, PAD, (TOP - _height(lines, size)) // 2, "white", bold=True)

    draw.rectangle((0, height - BOTTOM, width, height), fill=PALE)
    bottom_top = height - BOTTOM + 40
    clause_size = 44
    _lines(draw, [figure.clause], clause_size, PAD, bottom_top, GREEN, bold=True)
    size, lines = _fitted(draw, figure.document, inner, BOTTOM - 40 - 70 - 30, 32, 22)
    _lines(draw, lines, size, PAD, bottom_top + 70, GREY)

    # The figure, what it measures and its deadline, as one block centred between the bands.
    value, unit = _split_unit(figure)
    value_size, value_lines = _fitted(draw, value, inner, 440, 230, 80, bold=True, max_lines=2)
    blocks = [(value_size, value_lines, GREEN, True)]
    if unit:
        blocks.append(_fitted(draw, unit, inner, 160, 72, 40, bold=True, max_lines=2) + (GREEN, True))
    name_size, name_lines = _fitted(draw, figure.indicator, inner, 400, 60, 36, bold=True)
    blocks.append((name_size, name_lines, DARK, True))
    if figure.deadline:
        blocks.append((46, [figure.deadline], GREY, False))
    gap = 50
    total = sum(_height(lines, size) for size, lines, _, _ in blocks) + gap * (len(blocks) - 1)
    y = TOP + (height - BOTTOM - TOP - total) // 2
    for size, lines, colour, bold in blocks:
        _lines(draw, lines, size, None, y, colour, bold=bold)
        y += _height(lines, size) + gap
    return image


def _split_unit(figure: Figure) -> tuple[str, str]:
    """ "≥ 60" and "triệu đồng/người/năm": a unit in words goes on its own line under the number;
    "95%" and "3%/năm" stay whole."""
    value = " ".join(figure.value.split())
    unit = figure.unit
    if figure.number is None or not unit[:1].isalpha() or not value.endswith(unit):
        return value, ""
    return value[: -len(unit)].rstrip(), unit


def _cards(sections: Sections):
    heading = nfc(sections.title)
    for index, figure in enumerate(figures(sections), start=1):
        if not (figure.value.strip() or figure.indicator.strip()):
            continue  # an empty row added in the editor
        slug = re.sub(r"[^a-z0-9]+", "-", fold(figure.indicator))[:40].strip("-") or "chi-tieu"
        yield f"the-{index:02d}-{slug}.png", render_card(figure, heading)


# -- type -------------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _cmap(bold: bool) -> dict[int, str]:
    from fontTools.ttLib import TTFont

    return TTFont(str(font_path(bold)), lazy=True).getBestCmap()


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path(bold)), size)


def _fitted(draw, text: str, width: int, height: int, largest: int, smallest: int, bold=False, max_lines=6):
    """(size, lines): the largest size, down by 10 %, at which ``text`` wraps into the box;
    at the smallest size the lines past the box end in "…"."""
    size = largest
    while True:
        font = _font(size, bold)
        lines = _wrap(draw, text, width, font)
        fits = all(draw.textlength(line, font=font) <= width for line in lines)
        if (fits and len(lines) <= max_lines and _height(lines, size) <= height) or size <= smallest:
            break
        size = max(smallest, int(size * 0.9))
    fitting = max(1, min(max_lines, int(height // (size * LINE))))
    if len(lines) > fitting:
        lines = lines[:fitting]
        lines[-1] = lines[-1].rstrip(" ,;") + "…"
    return size, lines


def _wrap(draw, text: str, width: int, font) -> list[str]:
    """Words to lines no wider than ``width``; a word wider than a line is cut where it must be."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while draw.textlength(word, font=font) > width and len(word) > 1:
            cut = max(i for i in range(1, len(word) + 1) if draw.textlength(word[:i], font=font) <= width or i == 1)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


LINE = 1.25  # line height in ems


def _height(lines: list[str], size: int) -> int:
    return int(len(lines) * size * LINE)


def _lines(draw, lines: list[str], size: int, x: int | None, y: int, colour, bold: bool = False) -> None:
    """Draw lines from ``y`` down, at ``x`` or centred when ``x`` is None."""
    font = _font(size, bold)
    for line in lines:
        left = x if x is not None else (SIZE[0] - draw.textlength(line, font=font)) / 2
        draw.text((left, y), line, font=font, fill=colour)
        y += int(size * LINE)
