"""The "Đánh giá tiêu chí" tab: a form per criteria set grouped by area, or a figures file; coloured
status table, progress chart and downloads. Invalid figures are flagged under their field."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.criteria.export import export
from assistant.criteria.form import Merged, merge_typed
from assistant.criteria.inputs import read_file
from assistant.criteria.sets_loader import all_sets
from assistant.ui.render import criteria_html, md_escape, strings

log = logging.getLogger(__name__)

FIGURE_FILES = (".yaml", ".yml", ".csv", ".xlsx", ".json")
NAMED_UNITS = 12  # units named one by one in a note; beyond, "và N đơn vị khác"


def build(assistant) -> None:
    s = strings()["criteria"]
    sets = all_sets(assistant.settings.corpus_dir)
    default = "nq-ha-tinh-2025" if "nq-ha-tinh-2025" in sets else next(iter(sets))
    chooser = gr.Dropdown(
        [(f"{c.title} ({c.id})", c.id) for c in sets.values()],
        value=default,
        label=s["set_label"],
        elem_id="ntm-criteria-set",
    )
    with gr.Row():
        unit = gr.Textbox(label=s["unit_label"], value="Tỉnh Hà Tĩnh", scale=2)
        period = gr.Textbox(label=s["period_label"], scale=1)
    fields: list[tuple[str, str, gr.Textbox]] = []  # (set id, key, field)
    groups = []
    for criteria_set in sets.values():
        with gr.Group(visible=criteria_set.id == default) as group:
            areas: dict[str, list] = {}
            for criterion in criteria_set.criteria:
                areas.setdefault(criterion.area or "Chung", []).append(criterion)
            for area, items in areas.items():
                with gr.Accordion(area, open=True):
                    for row in range(0, len(items), 3):
                        with gr.Row(equal_height=True):
                            for criterion in items[row : row + 3]:
                                own_id = f"crit-{criterion.key}" if criteria_set.id == default else None
                                box = gr.Textbox(
                                    label=criterion.name, info=_rule(criterion), min_width=240, elem_id=own_id
                                )
                                fields.append((criteria_set.id, criterion.key, box))
        groups.append((criteria_set.id, group))
    # No file_types here: a wrong file gets our Vietnamese message, not Gradio's English one.
    upload = gr.File(label=s["upload_label"], elem_id="ntm-criteria-file")
    run = gr.Button(s["run"], variant="primary", elem_id="ntm-criteria-run")
    note = gr.Markdown(elem_id="ntm-criteria-note")
    table = gr.HTML(elem_id="ntm-criteria-table")
    chart = gr.Image(
        show_label=False,
        visible=False,
        type="filepath",
        elem_id="ntm-criteria-chart",
        buttons=["download", "fullscreen"],
    )
    downloads = gr.File(label=s["downloads"], file_count="multiple", visible=False)

    def switch(set_id: str):
        return [gr.update(visible=sid == set_id) for sid, _ in groups]

    def evaluate(set_id: str, unit_name: str, period_text: str, figures_file, *values):
        typed = {
            key: value for (sid, key, _), value in zip(fields, values) if sid == set_id and value and value.strip()
        }
        notes = []
        try:
            if figures_file:
                name = Path(figures_file).name
                if Path(figures_file).suffix.lower() not in FIGURE_FILES:
                    raise errors.BadInput(s["bad_type"].format(name=name), f"{name}: not a figures file")
                read = read_file(Path(figures_file), sets[set_id])
                merged = merge_typed(read, sets[set_id], typed, unit_name.strip(), period_text.strip())
                results, notes = merged.results, _notes(merged, name, s)
            else:
                results = [assistant.criteria(typed, set_id, unit_name.strip(), period_text.strip())]
        except errors.AssistantError as exc:
            log.warning("criteria (%s, file %s): %s", set_id, figures_file or "-", exc.en)
            raise gr.Error(exc.vi) from exc
        folder = Path(tempfile.mkdtemp(prefix="ntm-tieu-chi-"))
        files = []
        for suffix in (".xlsx", ".csv", ".md", ".png"):
            files.append(export(results, folder / f"ket-qua-tieu-chi{suffix}"))
        invalid = {r.key: r.message for r in results[0].results if r.status == "khong_hop_le"}
        hints = []
        for sid, key, _ in fields:
            criterion = sets[sid].get(key)
            message = invalid.get(key) if sid == set_id and key in typed else None
            hints.append(gr.update(info=s["invalid"].format(message=message) if message else _rule(criterion)))
        return [
            criteria_html(results),
            "\n\n".join(md_escape(n) for n in notes),
            gr.update(value=str(files[-1]), visible=True),
            gr.update(value=[str(f) for f in files[:3]], visible=True),
        ] + hints

    chooser.change(switch, chooser, [g for _, g in groups], api_name=False)
    run.click(
        evaluate,
        [chooser, unit, period, upload] + [f for *_, f in fields],
        [table, note, chart, downloads] + [f for *_, f in fields],
        api_name="criteria",
    )


def _notes(merged: Merged, name: str, s: dict) -> list[str]:
    """What was read from the file, which unit received which typed figure, and what was not used."""
    results = merged.results
    notes = [s["merged"].format(file=name), s["read"].format(n=len(merged.from_file), units=len(results))]
    by_names: dict[tuple[str, ...], list[str]] = {}
    for unit, names in merged.filled.items():
        by_names.setdefault(tuple(names), []).append(unit)
    for names, units in by_names.items():
        shown = ", ".join(units[:NAMED_UNITS]) + (
            s["more_units"].format(n=len(units) - NAMED_UNITS) if len(units) > NAMED_UNITS else ""
        )
        notes.append(s["merged_form"].format(units=shown, names="; ".join(names)))
    if merged.ignored:
        hint = s["merged_hint_unit"] if len(results) > 1 and merged.named_unit is None else ""
        notes.append(s["merged_overridden"].format(names="; ".join(merged.ignored)) + hint)
    unread = sorted({w for result in results for w in result.warnings})
    if unread:
        notes.append(s["unread"].format(items="; ".join(unread)))
    return notes


def _rule(criterion) -> str:
    return (
        f"Yêu cầu: {criterion.rule_text} · Căn cứ: Mục {criterion.clause}"
        if criterion.clause
        else f"Yêu cầu: {criterion.rule_text}"
    )
