"""Load and validate criteria sets: shipped ones and the user's YAML files in ``corpus/criteria/``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal, TypedDict

import yaml

from assistant import errors
from assistant.vietnamese import fold

OPERATORS = (">=", "<=", ">", "<", "=", "in", "yes")
KINDS = ("percent", "rate", "count", "amount", "boolean", "rank", "category")
_RULE = re.compile(r"^\s*(>=|<=|≥|≤|>|<|=|in)\s*(.+?)\s*$")
# How a rule's operator is shown wherever a target is (tables, exports, the form, the chat): one notation.
SIGNS = {">=": "≥", "<=": "≤"}
_ASCII = {"≥": ">=", "≤": "<="}


@dataclass
class BaseCriterion:
    """One target: what is measured, the rule it must meet, and where the document says so.

    The rule's shape decides the subclass, and so the type of its ``target`` (see ``Criterion``).
    """

    key: str
    name: str
    operator: str
    kind: str
    unit: str = ""
    clause: str | None = None
    quote: str | None = None
    area: str = ""
    scale: list[str] = field(default_factory=list)

    @cached_property
    def rule_text(self) -> str:
        """The rule as people read it: "> 95 %", "≥ khá", "đạt"."""
        return f"{SIGNS.get(self.operator, self.operator)} {self._target_text()} {self.unit}".strip()

    def _target_text(self) -> str:
        raise NotImplementedError


@dataclass(kw_only=True)
class NumberCriterion(BaseCriterion):
    """A figure compared with a number (percent, rate, count, amount): ``>= 95``, ``= 13``."""

    target: float

    def _target_text(self) -> str:
        return f"{self.target:g}".replace(".", ",")


@dataclass(kw_only=True)
class LevelCriterion(BaseCriterion):
    """A level compared with another on the criterion's ``scale`` (rank): ``>= khá``."""

    target: str

    def _target_text(self) -> str:
        return self.target


@dataclass(kw_only=True)
class ChoiceCriterion(BaseCriterion):
    """A figure that must be one of the listed values: ``in [tốt, khá]``."""

    target: list[str]

    @cached_property
    def rule_text(self) -> str:
        return "∈ {" + ", ".join(self.target) + "}"


@dataclass(kw_only=True)
class YesCriterion(BaseCriterion):
    """Met or not met (boolean): ``yes``."""

    target: Literal[True] = True

    @cached_property
    def rule_text(self) -> str:
        return "đạt"


# A criterion of a set: ``>= 95`` (number), ``>= khá`` (level), ``in [a, b]`` (choice) or ``yes``.
Criterion = NumberCriterion | LevelCriterion | ChoiceCriterion | YesCriterion


@dataclass
class CriteriaSet:
    """A named list of criteria from one source document."""

    id: str
    title: str
    source_doc: str | None
    source_title: str
    criteria: list[Criterion]

    def get(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    def key_for(self, label) -> str | None:
        """The key a column header or row label names: the key itself or the criterion's Vietnamese
        name, with or without diacritics, any case, with a trailing "(%)"-style unit; None if none."""
        label = str(label).strip()
        index = self.__dict__.get("_labels")
        if index is None:
            index = self.__dict__["_labels"] = _label_index(self.criteria)
        if label in index:
            return index[label]
        found = index.get(normalise_label(label))
        if found is None and label.endswith(")") and "(" in label:
            found = index.get(normalise_label(label[: label.rfind("(")]))
        if found is None and "?" in label:  # Windows-1252 files lose Vietnamese letters to "?"
            pattern = re.compile(re.escape(normalise_label(label, keep="?")).replace(r"\?", "."))
            matches = {key for text, key in index.items() if key and pattern.fullmatch(text)}
            found = matches.pop() if len(matches) == 1 else None
        index[label] = found
        return found


def normalise_label(label, keep: str = "") -> str:
    """A header or label as compared: folded (no diacritics, lowercase), "_" and punctuation as spaces."""
    folded = fold(str(label))
    return " ".join(re.sub(rf"[^\w{re.escape(keep)}]|_", " ", folded).split())


def _label_index(criteria: list[Criterion]) -> dict[str, str | None]:
    index: dict[str, str | None] = {}
    for c in criteria:
        names = {c.key, normalise_label(c.key), normalise_label(c.name)}
        if c.name.endswith(")") and "(" in c.name:
            names.add(normalise_label(c.name[: c.name.rfind("(")]))
        for name in names:
            index[name] = c.key if index.get(name, c.key) == c.key else None  # a name two criteria share
    for c in criteria:
        index[c.key] = c.key
    return index


def _invalid(where: str, vi: str, en: str) -> errors.BadInput:
    return errors.BadInput(f"Bộ tiêu chí {where}: {vi}", f"criteria set {where}: {en}")


def parse_set(data: dict, where: str) -> CriteriaSet:
    """Validate a set's YAML data; every problem is named with the criterion it concerns."""
    if not isinstance(data, dict) or not data.get("set") or not isinstance(data.get("criteria"), list):
        raise _invalid(where, "cần các trường 'set' và 'criteria' (danh sách).", "needs 'set' and a 'criteria' list.")
    source = data.get("source") or {}
    if isinstance(source, str):
        source = {"title": source}
    criteria = []
    seen = set()
    for i, raw in enumerate(data["criteria"], start=1):
        if not isinstance(raw, dict) or not raw.get("key"):
            raise _invalid(where, f"tiêu chí thứ {i} thiếu 'key'.", f"criterion {i} has no 'key'.")
        key = str(raw["key"])
        if key in seen:
            raise _invalid(where, f"khóa '{key}' bị trùng.", f"duplicate key '{key}'.")
        seen.add(key)
        criteria.append(_criterion(raw, key, where))
    return CriteriaSet(
        str(data["set"]),
        str(data.get("title", data["set"])),
        source.get("doc_id"),
        str(source.get("title", "")),
        criteria,
    )


class _Common(TypedDict):
    """What every kind of criterion has, as read from the set's YAML."""

    key: str
    name: str
    kind: str
    unit: str
    clause: str | None
    quote: str | None
    area: str
    scale: list[str]


_YES_RULES = ("yes", "có", "đạt")  # a criterion met or not, however the set writes it


def _criterion(raw: dict, key: str, where: str) -> Criterion:
    rule = str(raw.get("rule", "")).strip()
    kind = raw.get("kind") or _kind_from_unit(str(raw.get("unit", "")), rule)
    if kind not in KINDS:
        raise _invalid(where, f"'{key}': loại '{kind}' không hợp lệ.", f"'{key}': unknown kind '{kind}'.")
    scale = [str(s) for s in raw.get("scale") or []]
    common: _Common = {
        "key": key,
        "name": str(raw.get("name", key)),
        "kind": kind,
        "unit": str(raw.get("unit") or ""),
        "clause": raw.get("clause"),
        "quote": raw.get("quote"),
        "area": str(raw.get("area") or ""),
        "scale": scale,
    }
    if rule.lower() in _YES_RULES:
        return YesCriterion(operator="yes", **common)
    m = _RULE.match(rule)
    if not m:
        raise _invalid(
            where,
            f"'{key}': quy tắc '{rule}' không hợp lệ (dùng >=, >, <=, <, =, in, yes).",
            f"'{key}': unknown rule '{rule}' (use >=, >, <=, <, =, in, yes).",
        )
    operator, raw_target = m.groups()
    operator = _ASCII.get(operator, operator)  # "≥ 95" as the tables show it is ">= 95"
    if not raw_target:
        raise _invalid(where, f"'{key}': thiếu chỉ tiêu.", f"'{key}': missing target.")
    if operator == "in":
        choices = [t.strip() for t in raw_target.strip("[]{}").split(",") if t.strip()]
        return ChoiceCriterion(operator=operator, target=choices, **common)
    if kind == "rank":
        if fold(raw_target) not in [fold(s) for s in scale]:
            raise _invalid(
                where,
                f"'{key}': mức '{raw_target}' không có trong thang xếp loại.",
                f"'{key}': level '{raw_target}' is not on its scale.",
            )
        return LevelCriterion(operator=operator, target=raw_target, **common)
    try:
        number = float(raw_target.replace(",", "."))
    except ValueError as exc:
        raise _invalid(
            where,
            f"'{key}': chỉ tiêu '{raw_target}' không phải số.",
            f"'{key}': target '{raw_target}' is not a number.",
        ) from exc
    return NumberCriterion(operator=operator, target=number, **common)


def _kind_from_unit(unit: str, rule: str) -> str:
    if rule.lower() in _YES_RULES:
        return "boolean"
    if unit.strip() == "%":
        return "percent"
    if "%" in unit:
        return "rate"
    return "amount"


def shipped_sets() -> dict[str, CriteriaSet]:
    sets = {}
    folder = resources.files("assistant.criteria.sets")
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            parsed = parse_set(data, entry.name)
            sets[parsed.id] = parsed
    return sets


def all_sets(corpus_dir: Path | None = None) -> dict[str, CriteriaSet]:
    """Shipped sets plus the user's own from ``<corpus>/criteria/*.yaml`` (which may override)."""
    sets = shipped_sets()
    user = Path(corpus_dir or "corpus") / "criteria"
    if user.is_dir():
        for path in sorted(user.glob("*.y*ml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise _invalid(str(path), "không đọc được YAML.", "is not valid YAML.") from exc
            parsed = parse_set(data, str(path))
            sets[parsed.id] = parsed
    return sets


def get_set(set_id: str, corpus_dir: Path | None = None) -> CriteriaSet:
    sets = all_sets(corpus_dir)
    if set_id not in sets:
        raise errors.BadInput(
            f"Không có bộ tiêu chí '{set_id}'. Có: {', '.join(sorted(sets))}.",
            f"no criteria set '{set_id}'; available: {', '.join(sorted(sets))}.",
        )
    return sets[set_id]
