"""Numbers said in words, as speech-to-text writes them, put in digits: "năm mươi lăm phần trăm" →
"55 phần trăm", "hai không hai lăm" → "2025", "một phẩy năm" → "1,5", "mười ba huyện" → "13 huyện"; a year said
by its last two digits after a word of time, "tới hai lăm" → "tới 2025".

Only a run that is surely a number is rewritten: one with a tens, hundreds or thousands word
("mươi", "mười", "trăm", "nghìn") or a decimal comma ("phẩy"), or four digits or more read one by one
(a year), or a lone digit word before a unit ("bốn sao", "năm phần trăm") or after what it numbers
("quân khu bốn", "mức độ ba"). Any other lone "một", "ba" or "năm" stays as written: "một số sản
phẩm", "năm nay".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.vietnamese import nfc

DIGITS = {
    "không": 0,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "bẩy": 7,
    "tám": 8,
    "chín": 9,
}
# Spoken forms of a digit only after "mươi" / "mười" ("hai mươi mốt", "hai mươi tư", "mười lăm")
AFTER_TENS = {"mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5}
# What a lone digit word before it is a figure of ("năm phần trăm", "ô cốp bốn sao")
UNITS = ("phần trăm", "sao", "triệu", "tỷ", "%")
# What a number said with "nghìn" counts, then no year ("hai nghìn con gà", "ba nghìn hộ")
COUNTED = ("con ", "hộ", "người", "cây ", "ha ", "héc", "tấn", "mét", "km", "cái ", "khẩu", "đồng", "học sinh")
# What a lone digit word after it is the number of ("quân khu bốn", "mức độ bốn", "tiêu chí số năm")
NUMBERED = ("khu", "mức độ", "số", "tiêu chí", "mục", "điều", "khoản", "chương", "loại", "hạng")
# What a year said by its last two digits follows ("tới hai lăm", "năm hai mốt", "giai đoạn hai mốt")
YEAR_BEFORE = ("năm", "tới", "đến", "hết", "cuối", "giai đoạn", "từ", "trước", "sau", "vào")
SCALES = {"mươi", "mười", "trăm", "nghìn", "ngàn", "phẩy", "linh", "lẻ"}
# Every word a number is said in ("chín", "mươi", "lăm"), as written with its marks
NUMBER_WORDS = frozenset(DIGITS) | SCALES | frozenset(AFTER_TENS)
_WORD = re.compile(r"\w+", re.UNICODE)


# "bảy chục" (seventy, as said in the countryside) is "bảy mươi"
_TENS_SAID = re.compile(r"\b(hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín)\s+chục\b", re.IGNORECASE)


def digits_for_spoken_numbers(text: str) -> str:
    """The text with every number said in words written in digits (see the module's docstring)."""
    text = _TENS_SAID.sub(r"\1 mươi", nfc(text))
    tokens = list(_WORD.finditer(text))
    out: list[str] = []
    last = 0
    i = 0
    while i < len(tokens):
        end = _run_end(tokens, i, text)
        if end > i:
            words = [t.group(0).lower() for t in tokens[i:end]]
            vague = end < len(tokens) and nfc(tokens[end].group(0)).lower() == "mấy"
            number = None if vague else _value(words)  # "chín mươi mấy phần trăm": ninety-odd, no figure
            if number is None and words[0] in DIGITS and words[0] != "không":
                end = i + 1  # a lone digit word, whatever follows it ("quân khu bốn không em")
                after = text[tokens[i].end() :].lower().lstrip()
                before = text[: tokens[i].start()].lower().rstrip()
                if after.startswith(UNITS) or before.endswith(NUMBERED):
                    number = str(DIGITS[words[0]])  # "năm phần trăm", "bốn sao", "quân khu bốn"
            if number is not None and len(number) == 2 and 21 <= int(number) <= 40:
                before = ("".join(out) + text[last : tokens[i].start()]).lower().rstrip()
                after = text[tokens[end - 1].end() :].lower().lstrip()
                if (before.endswith(YEAR_BEFORE) or re.search(r"20\d\d\s*(?:-|–|đến|tới)?$", before)) and not (
                    after.startswith(UNITS)
                ):
                    number = f"20{number}"  # "tới hai lăm": the year 2025, said by its last two digits
            if number is not None and {"nghìn", "ngàn"} & set(words) and number.isdigit():
                after = text[tokens[end - 1].end() :].lower().lstrip()
                if after.startswith(COUNTED):  # "hai nghìn con gà": 2.000 hens, as the documents write it, no year
                    number = f"{int(number):,}".replace(",", ".")
            if number is not None:
                out.append(text[last : tokens[i].start()])
                out.append(number)
                last = tokens[end - 1].end()
                i = end
                continue
        i += 1
    out.append(text[last:])
    return "".join(out)


def _run_end(tokens: list[re.Match], start: int, text: str) -> int:
    """The end of the run of number words from ``start`` (``start`` when none begins there); a run
    holds no punctuation between its words."""
    end = start
    while end < len(tokens):
        word = nfc(tokens[end].group(0)).lower()
        previous = tokens[end - 1].group(0).lower() if end > start else ""
        if end > start and text[tokens[end - 1].end() : tokens[end].start()].strip():
            break
        if end == start and word not in DIGITS and word != "mười":
            break  # "phần trăm": a scale word opens no number
        if word == "năm" and previous in ("mươi", "mười"):
            break  # "mười năm" is ten years; fifteen is "mười lăm"
        if previous in AFTER_TENS and end - start >= 2 and tokens[end - 2].group(0).lower() in DIGITS:
            break  # "hai mốt hai lăm" is two numbers said short (21, 25), not four digits
        if (
            word in DIGITS
            or word in SCALES
            or (word in AFTER_TENS and (previous in DIGITS or previous in ("mươi", "mười")))
        ):
            end += 1
            continue
        break
    if end - start >= 2 and nfc(tokens[start].group(0)).lower() == "năm":
        following = nfc(tokens[start + 1].group(0)).lower()
        if following in DIGITS:  # "năm hai không hai lăm", "năm hai nghìn …": the year, then its number
            return start
    return end


def _value(words: list[str]) -> str | None:
    """The digits a run of number words says, or None when it is not surely a number."""
    while words and words[-1] in ("linh", "lẻ", "phẩy"):
        words = words[:-1]
    if not words or words[0] in ("linh", "lẻ", "phẩy", "mươi"):
        return None
    if len(words) > 2 and words[:2] == ["hai", "không"]:
        # a year read as "hai không" and its last two digits said as a number: "hai không ba mươi"
        rest = _value(words[2:]) if len(words) > 3 or words[2] in SCALES else None
        if rest is not None and rest.isdigit() and 10 <= int(rest) <= 99:
            return f"20{rest}"
    if len(words) == 2 and words[0] in DIGITS and DIGITS[words[0]] >= 2 and words[1] in AFTER_TENS:
        return str(DIGITS[words[0]] * 10 + AFTER_TENS[words[1]])  # "hai lăm" is 25, said short
    if not SCALES & set(words):
        # digits read one by one: a year ("hai không hai lăm"), four of them or more
        if len(words) >= 4 and all(w in DIGITS or w in AFTER_TENS for w in words):
            return "".join(str(DIGITS.get(w, AFTER_TENS.get(w))) for w in words)
        return None
    if "phẩy" in words:
        cut = words.index("phẩy")
        whole, decimals = _whole(words[:cut]), words[cut + 1 :]
        if whole is None or not decimals or not all(w in DIGITS or w in AFTER_TENS for w in decimals):
            return None
        return f"{whole},{''.join(str(DIGITS.get(w, AFTER_TENS.get(w))) for w in decimals)}"
    whole = _whole(words)
    return None if whole is None else str(whole)


def _whole(words: list[str]) -> int | None:
    """A whole number said in words ("hai nghìn không trăm hai mươi lăm" → 2025), or None."""
    if not words:
        return None
    total = current = 0
    for word in words:
        if word in DIGITS:
            current += DIGITS[word]
        elif word in AFTER_TENS:
            current += AFTER_TENS[word]
        elif word == "mười":
            current += 10
        elif word == "mươi":
            if current % 10 == 0 or current % 100 > 9:
                return None
            current = current - current % 10 + (current % 10) * 10
        elif word == "trăm":
            current = (current % 10) * 100 + (current - current % 10)
        elif word in ("nghìn", "ngàn"):
            total += (current or 1) * 1000
            current = 0
    return total + current  # "linh", "lẻ" (a zero in "hai trăm linh năm") add nothing


# How a phone's speech-to-text writes a letter said by its Vietnamese name ("pê xê i" is PCI)
LETTER_NAMES = {
    "a": "A", "bê": "B", "bờ": "B", "xê": "C", "cờ": "C", "dê": "D", "đê": "Đ", "e": "E", "ép": "F", "phờ": "F",
    "gờ": "G", "giê": "G", "hát": "H", "hắt": "H", "i": "I", "y": "Y", "ca": "K", "ka": "K", "lờ": "L",
    "mờ": "M", "em": "M", "nờ": "N", "en": "N", "o": "O", "ô": "O", "pê": "P", "pờ": "P", "qui": "Q",
    "quy": "Q", "rờ": "R", "ét": "S", "tê": "T", "tờ": "T", "u": "U", "vê": "V", "vờ": "V", "ích": "X",
    "dét": "Z", "zét": "Z",
}  # fmt: skip


def letters_for_spoken_acronyms(text: str, spelled: Callable[[str], str | None]) -> str:
    """The text with an abbreviation said letter by letter written as one ("pê xê i" → "PCI", "en tê
    em" → "NTM"): a run of two letter names or more, rewritten only where ``spelled`` gives the
    abbreviation those letters spell (the longest such run from each word), so that "em" or "a" alone
    stay words."""
    tokens = list(_WORD.finditer(text))
    out: list[str] = []
    last = i = 0
    while i < len(tokens):
        end = i
        while end < len(tokens) and nfc(tokens[end].group(0)).lower() in LETTER_NAMES:
            if end > i and text[tokens[end - 1].end() : tokens[end].start()].strip(" -"):
                break
            end += 1
        for stop in range(end, i + 1, -1):
            abbreviation = spelled("".join(LETTER_NAMES[nfc(t.group(0)).lower()] for t in tokens[i:stop]))
            if abbreviation is not None:
                out += [text[last : tokens[i].start()], abbreviation]
                last, i = tokens[stop - 1].end(), stop
                break
        else:
            i += 1
    out.append(text[last:])
    return "".join(out)
