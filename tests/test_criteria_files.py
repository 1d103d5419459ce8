"""Figures files as district offices produce them: YAML numbers, Excel cells (numeric, percentage,
formula, text), CSV in UTF-8/BOM/Windows-1258/1252 with ',' ';' or tab, Vietnamese headers,
structural mistakes, huge values, many units, and the template."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile

import pytest
from conftest import ROOT, ntm
from openpyxl import Workbook, load_workbook

from assistant import errors
from assistant.criteria.evaluate import evaluate
from assistant.criteria.export import export
from assistant.criteria.figures import read_value
from assistant.criteria.inputs import read_figures, read_file
from assistant.criteria.present import all_warnings, evaluate_file
from assistant.criteria.result import CriteriaResult, CriterionResult
from assistant.criteria.sets_loader import get_set
from assistant.criteria.template import template_bytes

NQ = "nq-ha-tinh-2025"
INCOME = "thu_nhap_binh_quan_nong_thon"
BHYT = "ty_le_bhyt"
BHYT_NAME = "Tỷ lệ người dân tham gia bảo hiểm y tế"
INCOME_NAME = "Thu nhập bình quân đầu người khu vực nông thôn"
PCI_NAME = "Xếp loại chỉ số năng lực cạnh tranh cấp tỉnh (PCI)"


def by_key(result: CriteriaResult) -> dict[str, CriterionResult]:
    return {r.key: r for r in result.results}


def cli(*args, cwd=ROOT):
    return ntm("criteria", *args, cwd=cwd)


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: base letters precomposed, tone marks as separate characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        out.append(
            unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            + "".join(p for p in parts if p in tones)
        )
    return "".join(out).encode("cp1258")


# -- plain numbers in the criterion's unit ------------------------------------------------------


def test_yaml_numbers_are_read_in_the_criterions_unit(tmp_path):
    path = tmp_path / "so-lieu.yaml"
    path.write_text(
        f"unit: Xã A\nfigures:\n  {INCOME}: 50000000\n  {BHYT}: 0.961\n"
        "  ty_le_xa_ntm_nang_cao: 45\n  so_san_pham_ocop: 215\n",
        encoding="utf-8",
    )
    result = evaluate_file(path, NQ)[0]
    income, bhyt = by_key(result)[INCOME], by_key(result)[BHYT]
    assert income.status == "chua_dat" and income.value == 50 and "đồng" in income.note
    assert bhyt.status == "dat" and bhyt.value == pytest.approx(96.1) and "96,1%" in bhyt.note
    assert by_key(result)["ty_le_xa_ntm_nang_cao"].value == 45
    assert by_key(result)["so_san_pham_ocop"].status == "dat"
    as_text = evaluate(get_set(NQ), {INCOME: "50000000", BHYT: "0,961"})
    assert by_key(as_text)[INCOME].status == "chua_dat" and by_key(as_text)[BHYT].status == "dat"


@pytest.mark.parametrize(
    "raw, kind, unit, expected",
    [
        ("1e2", "percent", "%", 100.0),
        ("6e1 triệu", "amount", "triệu đồng/người/năm", 60.0),
        ("1,5e3", "count", "sản phẩm", 1500.0),
        (62000000, "amount", "triệu đồng/người/năm", 62.0),
        (62, "amount", "triệu đồng/người/năm", 62.0),
        ("62triệu", "amount", "triệu đồng/người/năm", 62.0),
        ("1,2 tỷ đồng", "amount", "triệu đồng/người/năm", 1200.0),
        (0.5, "percent", "%", 50.0),
        ("0,5%", "percent", "%", 0.5),
        (1, "percent", "%", 1.0),
        (1, "boolean", "", True),
    ],
)
def test_plain_and_scientific_numbers(raw, kind, unit, expected):
    reading = read_value(raw, kind, unit)
    assert reading.error is None, reading
    assert reading.value == (pytest.approx(expected) if isinstance(expected, float) else expected)


@pytest.mark.parametrize("raw", ["1e309", "12abc", "1e", "0x10", "1e2e3", float("inf")])
def test_a_number_is_never_half_read(raw):
    reading = read_value(raw, "count", "sản phẩm")
    assert reading.value is None and reading.error


# -- XLSX cells ---------------------------------------------------------------------------------


def _set_cached_value(path, cell: str, value: str, sheet: str = "sheet1") -> None:
    """Store a formula's computed value as Excel does when it saves (openpyxl writes none)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = f"xl/worksheets/{sheet}.xml"
    sheet = parts[name].decode()
    sheet, n = re.subn(rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\1\2<v>{value}</v>", sheet)
    assert n == 1
    parts[name] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_xlsx_numeric_percentage_formula_and_text_cells(tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Đơn vị",
            INCOME_NAME,
            BHYT_NAME,
            "Tỷ lệ xã đạt chuẩn NTM nâng cao",
            "ty_le_ocop_4_sao",
            PCI_NAME,
            "Số sản phẩm, dịch vụ đạt chuẩn OCOP cấp tỉnh",
        ]
    )
    sheet.append(["Huyện A", 50_000_000, 0.961, "=40+5.5", "=0.1+0.08", "Khá", 215])
    sheet.append(["Huyện B", 62, "95,5%", 0.52, "=0.15+0.1", "khá", "1e2"])
    sheet["C2"].number_format = "0.0%"
    sheet["D3"].number_format = "0%"
    sheet["E2"].number_format = "0%"
    book.save(path)
    _set_cached_value(path, "D2", "45.5")
    _set_cached_value(path, "E2", "0.18")

    results = evaluate_file(path, NQ)
    a, b = by_key(results[0]), by_key(results[1])
    assert a[INCOME].status == "chua_dat" and a[INCOME].value == 50
    assert a[BHYT].status == "dat" and a[BHYT].value == pytest.approx(96.1) and a[BHYT].value_text == "96,1%"
    assert a["ty_le_xa_ntm_nang_cao"].value == pytest.approx(45.5)  # the formula's cached value
    assert a["ty_le_ocop_4_sao"].value == pytest.approx(18) and a["ty_le_ocop_4_sao"].status == "chua_dat"
    assert a["xep_loai_pci"].status == "dat" and a["so_san_pham_ocop"].status == "dat"
    assert b[INCOME].status == "dat" and b[BHYT].status == "dat"
    assert b["ty_le_xa_ntm_nang_cao"].value == pytest.approx(52) and b["so_san_pham_ocop"].value == 100
    # a formula saved without its value: said plainly, on the figure and in the file's warnings
    missing = b["ty_le_ocop_4_sao"]
    assert missing.status == "thieu_so_lieu" and "mở tệp bằng Excel và lưu lại" in missing.message
    assert any("E3" in w and "Excel" in w for w in all_warnings(results))


def test_fast_xlsx_reader_reads_what_openpyxl_reads(tmp_path):
    import datetime as dt

    from assistant.criteria.readers import _openpyxl_rows, is_percent_format, percent_text
    from assistant.criteria.xlsx_reader import read_sheet

    path = tmp_path / "hai-trang.xlsx"
    book = Workbook()
    book.active.append(["trang đầu"])
    sheet = book.create_sheet("Số liệu")
    sheet.append(["Đơn vị", "Ngày", BHYT, "so_san_pham_ocop", "nghi_xuan_ntm_kieu_mau", "x"])
    sheet.append(["Xã A", dt.date(2024, 12, 31), 0.961, 215, True, "=1+1"])
    sheet.append(["Xã B", None, "95,5%", 2.5e2, False, "=2+2"])
    sheet["C2"].number_format = "0.0%"
    sheet["F6"] = "xa"
    book.active = 1
    book.save(path)
    _set_cached_value(path, "F3", "4", sheet="sheet2")
    fast, missing = read_sheet(path, is_percent_format, percent_text)
    slow, slow_missing = _openpyxl_rows(path)
    trim = [(n, row[: max(i + 1 for i, v in enumerate(row) if v is not None)]) for n, row in slow if any(row)]
    assert [(n, [str(v) for v in row]) for n, row in fast] == [(n, [str(v) for v in row]) for n, row in trim]
    assert fast[1][1][1].startswith("2024-12-31") and fast[1][1][2] == "96,1%" and missing == slow_missing == ["F2"]


def test_xlsx_cli_shows_the_formula_warning(tmp_path):
    path = tmp_path / "cong-thuc.xlsx"
    book = Workbook()
    book.active.append(["unit", BHYT])
    book.active.append(["Xã A", "=95+1"])
    book.save(path)
    run = cli(path)
    assert run.returncode == 0, run.stderr
    assert "mở tệp bằng Excel và lưu lại" in run.stdout


# -- CSV as Excel writes it ---------------------------------------------------------------------


ROWS = [
    ["Đơn vị", BHYT_NAME, INCOME_NAME, PCI_NAME, "Ghi chú riêng"],
    ["Huyện Kỳ Anh", "96,1%", "58.500.000 đồng", "Khá", "x"],
    ["Thị xã Hồng Lĩnh", "94,2%", "62 triệu", "Trung bình", ""],
]


def _csv_text(rows, delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "encoding, delimiter",
    [
        ("utf-8", ","),
        ("utf-8", ";"),
        ("utf-8-sig", ";"),
        ("utf-8-sig", ","),
        ("cp1258", ";"),
        ("cp1258", ","),
        ("utf-8-sig", "\t"),
        ("utf-16", "\t"),
    ],
)
def test_csv_in_every_encoding_and_delimiter(tmp_path, encoding, delimiter):
    text = _csv_text(ROWS, delimiter)
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(data)
    read = read_file(path, get_set(NQ))
    assert read.delimiter == delimiter
    assert [u.unit for u in read.units] == ["Huyện Kỳ Anh", "Thị xã Hồng Lĩnh"]
    results = evaluate_file(path, NQ)
    first, second = by_key(results[0]), by_key(results[1])
    assert first[BHYT].status == "dat" and first[INCOME].status == "chua_dat"
    assert first[INCOME].value == pytest.approx(58.5) and first["xep_loai_pci"].status == "dat"
    assert second[BHYT].status == "chua_dat" and second[INCOME].status == "dat"
    assert any("Ghi chú riêng" in w for w in results[0].warnings)


def test_windows_1252_csv_with_lost_letters(tmp_path):
    # Excel on an English Windows writes Vietnamese letters it cannot encode as "?".
    rows = [
        ["Don vi", "T? l? ng??i dân tham gia b?o hi?m y t?", "ty_le_xa_ntm_nang_cao"],
        ["Xã Cẩm Bình".encode("cp1252", "replace").decode("cp1252"), "96,1", "52,5"],
    ]
    path = tmp_path / "so-lieu-1252.csv"
    path.write_bytes(_csv_text(rows, ";").encode("cp1252"))
    read = read_file(path, get_set(NQ))
    assert read.encoding == "cp1252"
    statuses = {r.key: r.status for r in evaluate_file(path, NQ)[0].results}
    assert statuses[BHYT] == "dat" and statuses["ty_le_xa_ntm_nang_cao"] == "dat"


def test_headers_without_diacritics_any_case_and_keys(tmp_path):
    path = tmp_path / "khong-dau.csv"
    path.write_text(
        "TEN XA,TY LE NGUOI DAN THAM GIA BAO HIEM Y TE (%),thu nhap binh quan dau nguoi khu vuc "
        'nong thon,TY_LE_XA_NTM_NANG_CAO,Cot la\nXa A,96,"62 trieu","45,5",1\n',
        encoding="utf-8",
    )
    results = evaluate_file(path, NQ)
    result = by_key(results[0])
    assert results[0].unit == "Xa A"
    assert result[BHYT].status == "dat" and result[INCOME].status == "dat"
    assert result["ty_le_xa_ntm_nang_cao"].status == "chua_dat"
    assert any("Cot la" in w for w in results[0].warnings)


def test_district_and_commune_columns_name_the_unit(tmp_path):
    path = tmp_path / "xa.csv"
    path.write_text(
        _csv_text(
            [
                ["STT", "Huyện", "Xã", "Năm", "ty_le_bhyt"],
                ["1", "Kỳ Anh", "Kỳ Bắc", "2024", "96"],
                ["2", "Kỳ Anh", "Kỳ Phú", "2024", "94"],
            ],
            ",",
        ),
        encoding="utf-8",
    )
    results = evaluate_file(path, NQ)
    assert [(r.unit, r.period) for r in results] == [("Kỳ Anh / Kỳ Bắc", "2024"), ("Kỳ Anh / Kỳ Phú", "2024")]
    assert all_warnings(results) == []


def test_one_row_per_figure_with_names_and_unknown_rows(tmp_path):
    path = tmp_path / "doc.csv"
    path.write_text(
        _csv_text(
            [
                ["Đơn vị", "Chỉ tiêu", "Số liệu", "Người nhập"],
                ["Xã A", BHYT_NAME, "96,1%"],
                ["Xã A", "chỉ tiêu lạ", "5"],
                ["Xã B", "ty_le_bhyt", "90%"],
                ["Xã B", INCOME_NAME.upper(), "61 triệu"],
            ],
            ";",
        ),
        encoding="utf-8-sig",
    )
    results = evaluate_file(path, NQ)
    assert [r.unit for r in results] == ["Xã A", "Xã B"]
    assert by_key(results[0])[BHYT].status == "dat" and by_key(results[1])[BHYT].status == "chua_dat"
    assert by_key(results[1])[INCOME].status == "dat"
    assert any("chỉ tiêu lạ" in w and "dòng 3" in w for w in all_warnings(results))
    assert any("Người nhập" in w for w in all_warnings(results))


def test_one_column_per_unit(tmp_path):
    path = tmp_path / "cot.csv"
    path.write_text(
        _csv_text(
            [
                ["Chỉ tiêu", "Đơn vị tính", "Huyện A", "Huyện B"],
                [BHYT_NAME, "%", "96", "90"],
                ["thu_nhap_binh_quan_nong_thon", "triệu", "61", "59"],
            ],
            ",",
        ),
        encoding="utf-8",
    )
    results = evaluate_file(path, NQ)
    assert [r.unit for r in results] == ["Huyện A", "Huyện B"]
    assert by_key(results[0])[BHYT].status == "dat" and by_key(results[1])[INCOME].status == "chua_dat"


def test_criterion_value_pairs_without_header(tmp_path):
    path = tmp_path / "cap.csv"
    path.write_text(f"ty_le_bhyt;96,1%\n{INCOME_NAME};58 triệu\nkhông rõ;3\n", encoding="utf-8")
    result = evaluate_file(path, NQ)[0]
    assert by_key(result)[BHYT].status == "dat" and by_key(result)[INCOME].status == "chua_dat"
    assert any("không rõ" in w and "dòng 3" in w for w in result.warnings)


def test_our_own_csv_export_reads_back(tmp_path):
    results = [evaluate(get_set(NQ), {BHYT: "96,1%", INCOME: "58 triệu"}, "Xã A")]
    again = evaluate_file(export(results, tmp_path / "ket-qua.csv"), NQ)
    assert [r.status for r in again[0].results] == [r.status for r in results[0].results]


def test_yaml_figures_named_in_vietnamese(tmp_path):
    path = tmp_path / "ten.yaml"
    path.write_text(f'unit: Xã A\nfigures:\n  "{BHYT_NAME}": "96,1%"\n  "khong co chi tieu nay": 3\n', encoding="utf-8")
    result = evaluate_file(path, NQ)[0]
    assert by_key(result)[BHYT].status == "dat"
    assert any("khong co chi tieu nay" in w for w in result.warnings)


# -- structural mistakes, named with their line -------------------------------------------------


@pytest.mark.parametrize(
    "text, line",
    [
        ("units: [1, 2]\n", 1),
        ("period: 2024\nunits:\n  - unit: Xã A\n    figures: {ty_le_bhyt: 96}\n  - 7\n", 5),
        ("unit: Xã A\nfigures:\n  - ty_le_bhyt\n  - 96\n", 3),
        ("unit: Xã A\nfigures:\n  ty_le_bhyt: [96\n  x: 1\n", 4),
        ("unit: Xã A\nunits: 5\n", 2),
        ("- unit: Xã A\n- 2\n", 2),
        ("period: 2024\nunits: []\n", 2),
    ],
)
def test_yaml_mistakes_name_the_line(tmp_path, text, line):
    path = tmp_path / "sai.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(errors.BadInput) as caught:
        read_figures(path)
    assert f"dòng {line}" in caught.value.vi and f"line {line}" in caught.value.en
    run = cli(path)
    assert run.returncode == 2 and f"dòng {line}" in run.stderr and "Lỗi nội bộ" not in run.stderr


def test_json_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "sai.json"
    path.write_text('{"unit": "Xã A",\n "figures": {"ty_le_bhyt": 96,}\n}', encoding="utf-8")
    run = cli(path)
    assert run.returncode == 2 and "dòng 2" in run.stderr and "line 2" in run.stderr


def test_csv_without_any_known_column_explains_the_layouts(tmp_path):
    path = tmp_path / "la.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    run = cli(path)
    assert run.returncode == 2 and "--template" in run.stderr and "Lỗi nội bộ" not in run.stderr
    path.write_text("Đơn vị;ty_le_bhyt\n", encoding="utf-8")
    run = cli(path)
    assert run.returncode == 2 and "chỉ có dòng tiêu đề" in run.stderr


def test_corrupt_and_old_excel_files_are_refused_plainly(tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    for path, words in ((broken, "bị hỏng"), (old, ".xlsx")):
        run = cli(path)
        assert run.returncode == 2 and words in run.stderr and "Lỗi nội bộ" not in run.stderr


def test_huge_values_are_cut_in_messages(tmp_path):
    path = tmp_path / "dai.yaml"
    path.write_text(f'unit: Xã A\nfigures:\n  ty_le_bhyt: "{"9" * 100_000}x"\n  {"k" * 500}: 1\n', encoding="utf-8")
    run = cli(path, "--json")
    assert run.returncode == 0, run.stderr
    assert len(run.stdout) < 40_000
    data = json.loads(run.stdout)
    bhyt = {r["key"]: r for r in data["results"]}[BHYT]  # the JSON the CLI prints
    assert bhyt["status"] == "khong_hop_le" and "…" in bhyt["message"] and len(bhyt["value_text"]) <= 81
    assert all(len(w) < 300 for w in data["warnings"])


# -- many units, exports and the template -------------------------------------------------------


def test_many_units_summary_and_exports(tmp_path):
    path = tmp_path / "xa.csv"
    rows = [["Xã", "Kỳ báo cáo", BHYT_NAME, INCOME_NAME]]
    rows += [[f"Xã {i}", "2024", f"{90 + i % 10},5%", f"{55 + i % 10} triệu"] for i in range(60)]
    path.write_text(_csv_text(rows, ";"), encoding="utf-8-sig")
    out = [tmp_path / f"ket-qua.{s}" for s in ("xlsx", "csv", "md", "png")]
    run = cli(path, *[a for p in out for a in ("--export", p)])
    assert run.returncode == 0, run.stderr
    assert "60 đơn vị" in run.stdout and "Xã 59 2024" in run.stdout
    sheet = load_workbook(out[0]).active
    assert sheet.max_row == 1 + 60 * 27 and sheet["A1"].font.b and sheet.freeze_panes == "A2"
    statuses = {sheet.cell(row, 6).value: sheet.cell(row, 6).fill.fgColor.rgb for row in range(2, 400)}
    assert statuses["Đạt"] == "FF2E7D32" and statuses["Thiếu số liệu"] == "FF9E9E9E"
    with out[1].open(encoding="utf-8-sig") as fh:
        assert sum(1 for _ in csv.reader(fh)) == 1 + 60 * 27
    assert out[2].read_text(encoding="utf-8").count("## Xã ") == 60 and out[3].stat().st_size > 0
    as_json = json.loads(cli(path, "--json").stdout)
    assert len(as_json) == 60 and as_json[59]["period"] == "2024"


def test_template_round_trip_xlsx(tmp_path):
    path = tmp_path / "mau.xlsx"
    run = cli("--template", "--units", 3, "-o", path)
    assert run.returncode == 0, run.stderr
    sheet = load_workbook(path).active
    criteria = get_set(NQ).criteria
    assert [c.value for c in sheet[1]][:3] == ["Đơn vị", "Kỳ báo cáo", criteria[0].name]
    assert [c.value for c in sheet[2]][2] == criteria[0].key and "Mục I.3" in sheet[4][2].value
    assert sheet.max_row == 5 + 3
    sheet.cell(6, 1, "Xã Thạch Hà")
    sheet.cell(6, 2 + [c.key for c in criteria].index(BHYT) + 1, 0.961).number_format = "0.0%"
    sheet.parent.save(path)
    results = evaluate_file(path, NQ)
    assert [r.unit for r in results] == ["Xã Thạch Hà", "Đơn vị 2", "Đơn vị 3"]
    assert by_key(results[0])[BHYT].status == "dat" and results[1].summary["thieu_so_lieu"] == 27
    assert any("ví dụ" in w for w in results[0].warnings)
    # the example row itself meets every target
    example = evaluate(get_set(NQ), {c.key: v for c, v in zip(criteria, [c.value for c in sheet[5]][2:])})
    assert example.summary["dat"] == 27


def test_template_csv_to_stdout_and_file(tmp_path):
    run = cli("--template", "--set", "tinh-htnv-ntm-2021-2025")
    assert run.returncode == 0 and run.stdout.startswith("Đơn vị,Kỳ báo cáo,")
    path = tmp_path / "mau.csv"
    assert cli("--template", "-o", path).returncode == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert template_bytes(get_set(NQ), ".csv") == path.read_bytes()
    results = evaluate_file(path, NQ)
    assert len(results) == 1 and results[0].summary["thieu_so_lieu"] == 27
    bad = cli("--template", "-o", tmp_path / "mau.pdf")
    assert bad.returncode == 2 and ".pdf" in bad.stderr


def test_docs_criteria_examples_say_what_happens(tmp_path):
    section = (ROOT / "docs" / "criteria.md").read_text(encoding="utf-8")
    csv_text = section.split("```csv\n")[1].split("```")[0]
    yaml_text = section.split("```yaml\n")[1].split("```")[0]
    (tmp_path / "huyen.csv").write_text(csv_text, encoding="utf-8")
    (tmp_path / "so-lieu.yaml").write_text(yaml_text, encoding="utf-8")
    ky_anh, hong_linh = (by_key(r) for r in evaluate_file(tmp_path / "huyen.csv", NQ))
    assert ky_anh[BHYT].status == "dat" and ky_anh[INCOME].message == "Còn thiếu 1,5 triệu đồng/người/năm."
    assert hong_linh[BHYT].value == pytest.approx(94.2) and "94,2%" in hong_linh[BHYT].note
    province = by_key(evaluate_file(tmp_path / "so-lieu.yaml", NQ)[0])
    assert province[INCOME].status == "dat" and province["ty_le_ho_nha_tieu_tu_hoai"].status == "khong_hop_le"
    run = cli("--template", "--units", 13, "-o", tmp_path / "mau.xlsx")
    assert run.returncode == 0 and len(evaluate_file(tmp_path / "mau.xlsx", NQ)) == 13


# -- the web form's figures with a file, charts and matrices ---------------------------------------


def _communes(tmp_path, with_pci: bool = False):
    """A 3-commune XLSX whose BHYT column is blank in every row."""
    path = tmp_path / "ba-xa.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Đơn vị", BHYT_NAME, INCOME_NAME] + ([PCI_NAME] if with_pci else []))
    for name, income in (("Xã A", "62"), ("Xã B", "58"), ("Xã C", "61")):
        sheet.append([name, None, income] + (["Khá"] if with_pci else []))
    book.save(path)
    return read_file(path, get_set(NQ))


def test_typed_figures_go_to_one_unit_or_only_to_units_without_the_criterion(tmp_path):
    from assistant.criteria.form import merge_typed

    typed = {BHYT: "97%", "xep_loai_pci": "Tốt"}
    merged = merge_typed(_communes(tmp_path), get_set(NQ), typed, "Tỉnh Hà Tĩnh", "2024")
    # The file has a BHYT column: its blank cells stay missing; PCI is not in the file: every commune takes it.
    assert [by_key(r)[BHYT].status for r in merged.results] == ["thieu_so_lieu"] * 3
    assert [by_key(r)["xep_loai_pci"].status for r in merged.results] == ["dat"] * 3
    assert merged.filled == {"Xã A": [PCI_NAME], "Xã B": [PCI_NAME], "Xã C": [PCI_NAME]}
    assert merged.ignored == [BHYT_NAME]
    # The form names one commune: the typed figures fill that commune's gaps, and no other's.
    merged = merge_typed(_communes(tmp_path, with_pci=True), get_set(NQ), typed, "xã b", "2024")
    assert [by_key(r)[BHYT].status for r in merged.results] == ["thieu_so_lieu", "dat", "thieu_so_lieu"]
    assert [by_key(r)["xep_loai_pci"].value for r in merged.results] == ["khá"] * 3  # the file wins
    assert merged.filled == {"Xã B": [BHYT_NAME]} and merged.ignored == [PCI_NAME]
    assert [r.period for r in merged.results] == ["2024"] * 3


def test_the_note_names_each_unit_and_never_lists_a_criterion_twice(tmp_path):
    from assistant.criteria.form import merge_typed
    from assistant.ui.criteria_tab import _notes
    from assistant.ui.render import strings

    typed = {BHYT: "97%", "xep_loai_pci": "Tốt"}
    merged = merge_typed(_communes(tmp_path), get_set(NQ), typed, "Tỉnh Hà Tĩnh", "")
    notes = _notes(merged, "ba-xa.xlsx", strings()["criteria"])
    used = next(n for n in notes if n.startswith("Dùng số liệu nhập tay"))
    ignored = next(n for n in notes if n.startswith("Không dùng số liệu nhập tay"))
    assert all(name in used for name in ("Xã A", "Xã B", "Xã C")) and PCI_NAME in used and BHYT_NAME not in used
    assert BHYT_NAME in ignored and PCI_NAME not in ignored and "ô “Đơn vị”" in ignored
    assert "Đã đọc 1 chỉ tiêu cho 3 đơn vị." in notes  # the file's income, not the typed PCI


def _png_colours(path) -> set[tuple[int, int, int]]:
    from matplotlib.image import imread

    pixels = imread(str(path))[:, :, :3].reshape(-1, 3)
    return {tuple(int(round(c * 255)) for c in p) for p in pixels[:: max(1, len(pixels) // 200_000)]}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


@pytest.mark.parametrize("units", [1, 5])
def test_every_status_has_its_colour_and_empty_criteria_are_folded(tmp_path, units):
    from assistant.criteria.export import COLOURS
    from assistant.ui.render import criteria_html

    figures = {"nguon_o_nhiem_duoc_quan_ly": "chưa đạt", "xep_loai_pci": "Trung bình", BHYT: "130%", INCOME: "61"}
    results = [
        evaluate(get_set(NQ), dict(figures, **({} if i else {"chi_so_hai_long": ""})), f"Xã {i}") for i in range(units)
    ]
    assert {r.status for r in results[0].results} >= {"chua_dat", "khong_hop_le", "dat"}
    path = export(results, tmp_path / "bieu-do.png")
    colours = _png_colours(path)
    for status in ("dat", "chua_dat", "khong_hop_le"):
        assert _rgb(COLOURS[status]) in colours, status
    if units > 1:
        page = criteria_html(results)
        matrix = page.split("<div class='ntm-matrix'>")[1].split("</table>")[0]
        assert matrix.count("<th title=") == 4  # the file's 4 criteria, not the set's 27
        assert matrix.count("class='ntm-cell'") == 4 * units
        assert "23 chỉ tiêu chưa có số liệu" in page
