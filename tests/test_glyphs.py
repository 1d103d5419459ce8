"""Every character the web app writes is in the fonts it serves itself (offline there is no emoji font:
an emoji such as ✅ or ➕ would show as an empty box)."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from conftest import ROOT

FONTS = ("SourceSansPro/SourceSansPro-Regular.woff2", "SourceSansPro/SourceSansPro-Bold.woff2")


@lru_cache(maxsize=1)
def bundled_glyphs() -> frozenset[int]:
    """The code points both weights of the app's text font (Source Sans Pro, served by Gradio) draw."""
    import gradio
    from fontTools.ttLib import TTFont

    folder = Path(gradio.__file__).parent / "templates" / "frontend" / "static" / "fonts"
    maps = [set(TTFont(folder / name).getBestCmap()) for name in FONTS]
    return frozenset(set.intersection(*maps))


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` the bundled font cannot draw (white space aside)."""
    return {ch for ch in text if not ch.isspace() and ord(ch) not in bundled_glyphs()}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_ui_strings_use_only_glyphs_of_the_bundled_font():
    from assistant.ui.render import strings

    data = dict(strings())
    shown = [data, list(data.pop("gradio_symbols").values())]  # what replaces Gradio's symbols, not they
    found = {text[:60]: missing_glyphs(text) for text in _strings(shown) if missing_glyphs(text)}
    for path in sorted((ROOT / "assistant" / "ui").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        said = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # docstrings: never shown
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in said:
                if missing_glyphs(node.value):
                    found[f"{path.name}:{node.lineno}"] = missing_glyphs(node.value)
    assert not found, found
    assert not missing_glyphs("✓ ✗ × + ↑ ↓ … ≥ ≤ “ ” « » — Trợ lý Nông thôn mới")
    assert missing_glyphs("➕ Thêm") == {"➕"}
