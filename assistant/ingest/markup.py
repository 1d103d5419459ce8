"""Plain text of saved web pages (.html) and Rich Text Format files (.rtf), paragraphs kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from assistant.ingest.encoding import decode

_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "title",
    "ul",
    "ol",
    "dd",
    "dt",
}
_HIDDEN = {"script", "style", "head", "noscript", "template"}
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
PARAGRAPH = "\n\f\n"  # what the cleaner takes as a hard paragraph break


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append(PARAGRAPH)
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append(PARAGRAPH)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(data: bytes) -> str:
    """The visible text of a saved web page (its declared charset, else detected)."""
    declared = _CHARSET.search(data[:4096])
    text = None
    if declared:
        try:
            text = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, _ = decode(data)
    parser = _Text()
    parser.feed(text)
    parser.close()
    blocks = "".join(parser.parts).split(PARAGRAPH)
    return PARAGRAPH.join(" ".join(b.split()) for b in blocks if b.strip())


_RTF_TOKEN = re.compile(r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}]+)", re.DOTALL)
_RTF_SKIPPED = {
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "header",
    "footer",
    "headerl",
    "headerr",
    "footerl",
    "footerr",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "fldinst",
}


def rtf_text(data: bytes) -> str:
    """The text of an RTF file: Unicode escapes, code-page bytes, paragraphs."""
    source = data.decode("latin-1")
    codepage = re.search(r"\\ansicpg(\d+)", source)
    charset = f"cp{codepage.group(1)}" if codepage else "cp1252"
    out: list[str] = []
    pending = bytearray()  # \'hh bytes, decoded together (a code page may use two per letter)
    stack: list[tuple[bool, int]] = []
    skip, uc, to_skip = False, 1, 0

    def flush():
        if pending:
            try:
                out.append(bytes(pending).decode(charset))
            except (LookupError, UnicodeDecodeError):
                out.append(bytes(pending).decode("cp1252", "replace"))
            pending.clear()

    for word, arg, hexbyte, symbol, brace, text in _RTF_TOKEN.findall(source):
        if hexbyte:
            if to_skip:
                to_skip -= 1
            elif not skip:
                pending.extend(bytes.fromhex(hexbyte))
            continue
        flush()
        if brace == "{":
            stack.append((skip, uc))
        elif brace == "}":
            skip, uc = stack.pop() if stack else (False, 1)
        elif symbol:
            if symbol == "*":
                skip = True
            elif not skip and symbol in "\\{}":
                out.append(symbol)
            elif not skip and symbol == "~":
                out.append("\u00a0")
        elif word:
            if word in _RTF_SKIPPED:
                skip = True
            elif word == "uc":
                uc = int(arg or 1)
            elif word == "u" and not skip:
                out.append(chr(int(arg) % 65536))
                to_skip = uc
            elif not skip and word in ("par", "sect", "page"):
                out.append(PARAGRAPH)
            elif not skip and word in ("line", "row"):
                out.append("\n")
            elif not skip and word in ("tab", "cell"):
                out.append(" | " if word == "cell" else "\t")
        elif text and not skip:
            text = text.replace("\r", "").replace("\n", "")
            if to_skip:
                dropped = min(to_skip, len(text))
                text, to_skip = text[dropped:], to_skip - dropped
            out.append(text)
    flush()
    blocks = "".join(out).split(PARAGRAPH)
    return PARAGRAPH.join(" ".join(b.split()) for b in blocks if b.strip())
