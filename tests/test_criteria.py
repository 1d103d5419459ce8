"""Criteria sets, figure reading, statuses, multi-unit files and exports."""

from __future__ import annotations

import csv
import json

import pytest
import yaml
from conftest import CORPUS, DEV_CRITERIA, SHARED, needs_shared, ntm
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import errors
from assistant.criteria.evaluate import STATUSES, evaluate
from assistant.criteria.export import export
from assistant.criteria.figures import parse_number, read_value
from assistant.criteria.inputs import read_figures
from assistant.criteria.present import evaluate_file
from assistant.criteria.result import Source
from assistant.criteria.sets_loader import (
    ChoiceCriterion,
    LevelCriterion,
    NumberCriterion,
    YesCriterion,
    get_set,
    parse_set,
)
from assistant.ingest.document import read_document

NQ = "nq-ha-tinh-2025"
CONTRACT = SHARED / "spec" / "CONTRACT.md"


@needs_shared(DEV_CRITERIA)
def test_dev_criteria_cases():
    case = yaml.safe_load(DEV_CRITERIA.read_text(encoding="utf-8"))
    figures = case["figures_file"]
    result = evaluate(get_set(NQ), figures["figures"], figures["unit"], figures["period"])
    by_key = {r.key: r for r in result.results}
    for key, expected in case["expected_status"].items():
        assert by_key[key].status == expected, (key, by_key[key])
    assert [r.key for r in result.results] == [c.key for c in get_set(NQ).criteria]
    assert by_key["ty_le_xa_ntm_nang_cao"].gap == pytest.approx(4.5)
    assert by_key["chi_so_hai_long"].gap == pytest.approx(0.1)
    assert "130" in by_key["ty_le_ho_nha_tieu_tu_hoai"].message
    assert by_key["ty_le_bhyt"].rule == "> 95 %"
    assert by_key["ty_le_bhyt"].source.clause == "I.3"


def test_every_target_phrase_is_in_the_cleaned_resolution():
    text = read_document(CORPUS / "nghi-quyet-tinh-uy-ha-tinh-ntm-2021-2025.txt").text
    criteria = get_set(NQ).criteria
    assert len(criteria) == 27
    for c in criteria:
        assert c.quote and c.quote in text, c.key


@pytest.mark.parametrize(
    "raw, kind, unit, expected",
    [
        ("95,3%", "percent", "%", 95.3),
        ("95.3", "percent", "%", 95.3),
        ("171/182", "percent", "%", 93.96),
        ("60 triệu", "amount", "triệu đồng/người/năm", 60.0),
        ("58.500.000 đồng", "amount", "triệu đồng/người/năm", 58.5),
        ("7.244", "count", "vườn", 7244.0),
        ("1,5", "rate", "điểm %/năm", 1.5),
        ("51 phần trăm", "percent", "%", 51.0),
        (215, "count", "sản phẩm", 215.0),
        ("đạt", "boolean", "", True),
        ("chưa đạt", "boolean", "", False),
        ("có", "boolean", "", True),
        ("không", "boolean", "", False),
        (True, "boolean", "", True),
    ],
)
def test_values_as_people_write_them(raw, kind, unit, expected):
    reading = read_value(raw, kind, unit)
    assert reading.error is None
    assert reading.value == (pytest.approx(expected) if isinstance(expected, float) else expected)


@pytest.mark.parametrize(
    "raw, kind, reason",
    [
        ("130%", "percent", "ngoài khoảng 0–100%"),
        ("-3", "count", "không được âm"),
        ("190/182", "percent", "tử số lớn hơn mẫu số"),
        ("abc", "percent", "không phải một con số"),
        ("5/0", "percent", "mẫu số phải lớn hơn 0"),
        ("có lẽ", "boolean", "không phải đạt/chưa đạt"),
        ("1e309", "count", "số quá lớn"),
    ],
)
def test_impossible_values_are_invalid_with_a_reason(raw, kind, reason):
    reading = read_value(raw, kind, "%")
    assert reading.value is None and reason in reading.error


def test_rank_and_missing():
    pci = get_set(NQ).get("xep_loai_pci")
    assert read_value("Khá", "rank", "", pci.scale).value == "khá"
    result = evaluate(get_set(NQ), {"xep_loai_pci": "Trung bình", "ty_le_bhyt": "", "khong_co": 1})
    by_key = {r.key: r for r in result.results}
    assert by_key["xep_loai_pci"].status == "chua_dat" and by_key["xep_loai_pci"].gap == 1
    assert by_key["ty_le_bhyt"].status == "thieu_so_lieu"
    assert any("khong_co" in w for w in result.warnings)


def test_a_number_where_a_level_is_asked_is_invalid_not_a_crash(tmp_path):
    pci = get_set(NQ).get("xep_loai_pci")
    reading = read_value(3, "rank", "", pci.scale)
    assert reading.value is None and "mức xếp loại" in reading.error and "khá" in reading.error
    by_key = {r.key: r for r in evaluate(get_set(NQ), {"xep_loai_pci": 3}).results}
    assert by_key["xep_loai_pci"].status == "khong_hop_le"
    assert read_value(2.0, "category", "", []).value == "2"  # a numeric cell holding a category's code
    figures = tmp_path / "so_lieu.yaml"
    figures.write_text("xep_loai_pci: 3\n", encoding="utf-8")
    done = ntm("criteria", str(figures), "--json")
    assert done.returncode == 0, done.stderr
    row = next(r for r in json.loads(done.stdout)["results"] if r["key"] == "xep_loai_pci")
    assert row["status"] == "khong_hop_le"


def test_a_met_or_not_rule_without_a_kind_reads_dat():
    criteria_set = parse_set(
        {"set": "t", "criteria": [{"key": "a", "rule": "đạt"}, {"key": "b", "rule": "có"}]}, "t.yaml"
    )
    assert [c.kind for c in criteria_set.criteria] == ["boolean", "boolean"]
    assert [r.status for r in evaluate(criteria_set, {"a": "đạt", "b": "chưa đạt"}).results] == ["dat", "chua_dat"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()),
    st.sampled_from(["percent", "rate", "count", "amount", "boolean", "rank"]),
)
def test_reader_never_raises(raw, kind):
    reading = read_value(raw, kind, "triệu đồng", ["khá", "tốt"])
    assert reading.error is None or reading.value is None
    # Every input is read by the rules, not rescued by the last-resort guard around them.
    assert not (reading.error or "").startswith("không đọc được giá trị (")
    if kind == "count" and type(raw) is int and 0 <= raw < 10**15:
        assert read_value(raw, "count", "xã").value == raw
    if raw is None or raw == "":
        assert reading.value is None and reading.error is None  # a missing figure, not an invalid one


def test_number_reading_rules():
    assert parse_number("1.234.567") == 1234567
    assert parse_number("1.5") == 1.5
    assert parse_number("12,345,678") == 12345678
    assert parse_number("abc") is None


def test_set_validation_names_the_problem():
    with pytest.raises(errors.BadInput, match="unknown rule"):
        parse_set({"set": "x", "criteria": [{"key": "a", "rule": "~ 5", "kind": "percent"}]}, "x.yaml")
    with pytest.raises(errors.BadInput, match="missing target|not a number"):
        parse_set({"set": "x", "criteria": [{"key": "a", "rule": ">= ", "kind": "percent"}]}, "x.yaml")


def test_user_set_and_qd321(tmp_path):
    (tmp_path / "criteria").mkdir()
    (tmp_path / "criteria" / "xa.yaml").write_text(
        "set: xa-thu\ncriteria:\n  - {key: ty_le_bhyt_xa, name: BHYT xã, rule: '>= 90', unit: '%'}\n", encoding="utf-8"
    )
    assert get_set("xa-thu", tmp_path).criteria[0].kind == "percent"
    qd = get_set("tinh-htnv-ntm-2021-2025")
    result = evaluate(qd, {"ty_le_huyen_ntm_nang_cao": "25%", "de_an_ntm_toan_tinh_duoc_hdnd_thong_qua": "có"})
    statuses = {r.key: r.status for r in result.results}
    assert (
        statuses["ty_le_huyen_ntm_nang_cao"] == "dat" and statuses["de_an_ntm_toan_tinh_duoc_hdnd_thong_qua"] == "dat"
    )
    assert result.results[0].source.title.startswith("Quyết định 321")


def test_thirteen_districts_in_one_call(tmp_path):
    path = tmp_path / "huyen.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["unit", "ty_le_bhyt", "thu_nhap_binh_quan_nong_thon", "xep_loai_pci"])
        for i in range(13):
            writer.writerow([f"Huyện {i + 1}", f"{93 + i * 0.5:.1f}".replace(".", ","), f"{55 + i} triệu", "Khá"])
    units = read_figures(path)
    assert len(units) == 13
    results = [evaluate(get_set(NQ), u.figures, u.unit) for u in units]
    assert results[0].results[14].status == "chua_dat" and results[12].results[14].status == "dat"
    for suffix in ("md", "csv", "xlsx", "png"):
        out = export(results, tmp_path / f"ket-qua.{suffix}")
        assert out.stat().st_size > 0
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "ket-qua.xlsx").active
    assert sheet.max_row == 1 + 13 * 27


def test_cli_criteria(tmp_path):
    figures = tmp_path / "so-lieu.yaml"
    figures.write_text(
        'unit: "Tỉnh Hà Tĩnh"\nperiod: "2024"\nfigures:\n  ty_le_bhyt: "96,1%"\n'
        '  thu_nhap_binh_quan_nong_thon: "62 triệu đồng"\n',
        encoding="utf-8",
    )
    run = ntm("criteria", str(figures), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["set"] == NQ and data["summary"]["dat"] == 2 and data["summary"]["thieu_so_lieu"] == 25
    bad = ntm("criteria", str(tmp_path / "none.yaml"))
    assert bad.returncode == 2 and "not found" in bad.stderr


def _contract_example(title: str):
    """The JSON example the contract gives under ``title``."""
    text = CONTRACT.read_text(encoding="utf-8")
    return json.loads(text[text.index(title) :].split("\n\n")[1])


def _has_the_contracts_shape(example, actual, where="$"):
    """Every field of the example is there, in the example's order; a value the example spells out
    ("> 95 %", 96.1, null) is the value itself, "..." stands for any text."""
    if isinstance(example, dict):
        assert isinstance(actual, dict), where
        assert [k for k in actual if k in example] == list(example), where
        for key, value in example.items():
            _has_the_contracts_shape(value, actual[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(actual, list) and actual, where
        same = [a for a in actual if isinstance(a, dict) and a.get("key") == example[0].get("key")]
        _has_the_contracts_shape(example[0], (same or actual)[0], f"{where}[]")
    elif isinstance(example, str) and "..." in example:
        assert isinstance(actual, str) and actual.startswith(example.split("...")[0]), where
    else:
        assert actual == example, (where, actual)


@needs_shared(CONTRACT)
def test_criteria_json_has_the_contracts_shape(tmp_path):
    example = _contract_example("A criteria result (`criteria --json`):")
    figures = tmp_path / "so-lieu.yaml"
    figures.write_text(
        'unit: "Xã A"\nperiod: "2024"\nfigures:\n  ty_le_bhyt: "96,1%"\n  khong_co: 1\n', encoding="utf-8"
    )
    result = evaluate_file(figures, NQ)[0]
    data = result.to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data  # plain JSON types only
    example_summary = example.pop("summary")
    _has_the_contracts_shape(example, data)
    assert list(data["summary"]) == list(example_summary) == list(STATUSES)
    assert data["summary"] == {"dat": 1, "chua_dat": 0, "thieu_so_lieu": 26, "khong_hop_le": 0}
    assert [r["key"] for r in data["results"]] == [c.key for c in get_set(NQ).criteria]
    run = ntm("criteria", str(figures), "--json")
    assert run.returncode == 0 and json.loads(run.stdout) == data  # the CLI prints exactly to_json()


def test_each_rule_has_its_typed_target():
    criteria_set = parse_set(
        {
            "set": "t",
            "source": "Quyết định thử",
            "criteria": [
                {"key": "a", "rule": "> 95", "unit": "%"},
                {"key": "b", "rule": "<= 2,5", "kind": "rate", "unit": "%/năm"},
                {"key": "c", "rule": ">= khá", "kind": "rank", "scale": ["trung bình", "khá", "tốt"]},
                {"key": "d", "rule": "in [tốt, khá]", "kind": "category"},
                {"key": "e", "rule": "có", "kind": "boolean"},
            ],
        },
        "t.yaml",
    )
    a, b, c, d, e = criteria_set.criteria
    assert isinstance(a, NumberCriterion) and a.target == 95.0 and a.rule_text == "> 95 %"
    assert isinstance(b, NumberCriterion) and b.target == 2.5 and b.rule_text == "≤ 2,5 %/năm"
    assert isinstance(c, LevelCriterion) and c.target == "khá" and c.rule_text == "≥ khá"
    assert isinstance(d, ChoiceCriterion) and d.target == ["tốt", "khá"] and d.rule_text == "∈ {tốt, khá}"
    assert isinstance(e, YesCriterion) and e.target is True and e.operator == "yes" and e.rule_text == "đạt"
    result = evaluate(criteria_set, {"a": "95%", "b": "3", "c": "Tốt", "d": "Khá", "e": "chưa đạt"})
    assert [(r.status, r.gap) for r in result.results] == [
        ("chua_dat", 0.0),
        ("chua_dat", 0.5),
        ("dat", None),
        ("dat", None),
        ("chua_dat", None),
    ]
    assert result.results[0].source == Source(None, "Quyết định thử", None, None)
    assert result.results[0].source.label == "Quyết định thử"


def test_a_strict_target_says_it_must_be_exceeded():
    from assistant.criteria.evaluate import gap_text

    result = evaluate(get_set(NQ), {"ty_le_bhyt": "94%", "so_san_pham_ocop": 200})
    by_key = {r.key: r for r in result.results}
    assert "cần vượt 95%" in by_key["ty_le_bhyt"].message.lower()
    assert "hơn 1 điểm %" in by_key["ty_le_bhyt"].message and gap_text(by_key["ty_le_bhyt"]) == "> 1 điểm %"
    assert by_key["so_san_pham_ocop"].status == "chua_dat" and "Cần vượt 200" in by_key["so_san_pham_ocop"].message
    from assistant.criteria.export import rows

    bhyt = next(row for row in rows([result]) if row[1] == "ty_le_bhyt")
    assert bhyt[6] == "> 1 điểm %"


def test_targets_are_shown_in_one_notation(tmp_path):
    """≥ and ≤ wherever a target is shown (JSON rule, tables, exports, template); a set may be written either way."""
    from assistant.criteria.template import template_bytes

    result = evaluate(get_set(NQ), {"thu_nhap_binh_quan_nong_thon": "58 triệu"})
    income = next(r for r in result.results if r.key == "thu_nhap_binh_quan_nong_thon")
    assert income.rule == "≥ 60 triệu đồng/người/năm"
    shown = export([result], tmp_path / "ket-qua.md").read_text(encoding="utf-8")
    shown += template_bytes(get_set(NQ), ".csv").decode("utf-8-sig") + json.dumps(result.to_json())
    assert ">=" not in shown and "<=" not in shown and "≥ 60" in shown
    typed = parse_set({"set": "t", "criteria": [{"key": "a", "rule": "≥ 95", "unit": "%"}]}, "t.yaml")
    assert typed.criteria[0].operator == ">=" and typed.criteria[0].rule_text == "≥ 95 %"


@pytest.mark.parametrize("raw", ["chưa có", "Chưa báo cáo", "-", "—", "n/a", "N/A", "chưa có số liệu", "..."])
@pytest.mark.parametrize("key", ["ty_le_bhyt", "xep_loai_pci", "nguon_o_nhiem_duoc_quan_ly", "so_san_pham_ocop"])
def test_a_cell_saying_there_is_no_figure_is_missing_data(raw, key):
    """criteria_keys.md: "a key with no value, or an empty value, gets thieu_so_lieu" — these say "no value"."""
    result = next(r for r in evaluate(get_set(NQ), {key: raw}).results if r.key == key)
    assert result.status == "thieu_so_lieu", result
    assert result.value_text == raw and "chưa có số liệu" in result.message
