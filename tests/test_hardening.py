"""Issue 27's hardening: CSV cells never run as formulas, questions have a length limit, document text
is escaped in Markdown and HTML, and terminal output carries no escape sequences (docs/security.md)."""

from __future__ import annotations

import csv
import io
import os
from argparse import Namespace

import pytest
from conftest import ntm

from assistant.safe_text import csv_cell
from assistant.service import Assistant
from assistant.settings import Settings

NQ = "nq-ha-tinh-2025"
ATTACK_HTML = "<img src=x onerror=alert(1)> <a href='http://evil.example'>bấm</a> <script>alert(2)</script>"
ESCAPES = "\x1b[2J\x1b[31m\x1b]0;tieu de\x07\x1bP+q\x1b\\\x9b6n\x07\x08\r"
DOCS = {
    "nuoc-sach.md": "# Nước sạch\n\nĐến năm 2025, 100% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh. "
    + ATTACK_HTML
    + ESCAPES
    + " Hết.\n",
    "bao-hiem.md": "# Bảo hiểm y tế\n\nTỷ lệ người dân tham gia bảo hiểm y tế đạt trên 95% dân số.\n",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A two-document corpus (one with HTML and terminal escapes in its text), indexed with the hash embedder."""
    folder = tmp_path_factory.mktemp("hardening")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = folder / "index"
    Assistant(Settings(index_dir=index, corpus_dir=corpus, embedder="hash")).index(progress=False)
    return corpus, index


def _assistant(tiny, **settings) -> Assistant:
    corpus, index = tiny
    return Assistant(Settings(index_dir=index, corpus_dir=corpus, embedder="hash", **settings))


def _env(tiny=None, **extra) -> dict:
    env = {**os.environ, "NTM_EMBEDDER": "hash", **extra}
    if tiny:
        env.update(NTM_CORPUS_DIR=str(tiny[0]), NTM_INDEX_DIR=str(tiny[1]))
    return env


# -- 1. CSV cells are never formulas ---------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_text_cell_that_a_spreadsheet_would_run_gets_a_leading_quote(cell):
    assert csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1,5", "+2.000", "-3 %", "-4,5%", "Huyện Can Lộc", "", "96,1%", 12, -1.5, None])
def test_figures_and_plain_text_stay_as_they_are(cell):
    assert csv_cell(cell) == cell


def _read_csv(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_criteria_exports_keep_a_formula_in_a_unit_name_as_text(tmp_path):
    from openpyxl import load_workbook

    from assistant.criteria.export import export

    unit = '=HYPERLINK("http://evil.example","Bấm")'
    result = Assistant(Settings()).criteria({"ty_le_bhyt": "96,1%"}, NQ, unit=unit, period="2024")
    rows = _read_csv(export([result], tmp_path / "ket-qua.csv"))
    assert {row[0] for row in rows[1:]} == {"'" + unit}
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    sheet = load_workbook(export([result], tmp_path / "ket-qua.xlsx")).active
    assert sheet["A2"].value == unit and sheet["A2"].data_type == "s"  # XLSX: a text cell, never a formula


def test_ntm_criteria_export_csv_neutralises_formulas(tmp_path):
    figures = tmp_path / "so-lieu.yaml"
    figures.write_text('unit: "@SUM(1+1)*cmd"\nfigures:\n  ty_le_bhyt: "96,1%"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    run = ntm("criteria", figures, "--export", out)
    assert run.returncode == 0, run.stderr
    assert {row[0] for row in _read_csv(out)[1:]} == {"'@SUM(1+1)*cmd"}


def test_facts_csv_neutralises_formulas_from_documents(capsys):
    from assistant.facts import Facts, present
    from assistant.facts.responsibilities import Responsibility

    class _Documents:  # the one method ``ntm facts`` calls
        def facts(self):
            duty = Responsibility("=1+1 Sở Y tế", "chủ trì", "-cmd|' /C calc'!A0", "nq", "I.3", "câu", ["@x"])
            return Facts(responsibilities=[duty])

    present.run(Namespace(kind="responsibilities", json=False, csv=True), _Documents())
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["agency"], row["task"], row["partners"]) == ("'=1+1 Sở Y tế", "'-cmd|' /C calc'!A0", "'@x")
