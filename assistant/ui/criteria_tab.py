"""The "Đánh giá tiêu chí" tab: a form per criteria set grouped by area, or a figures file; coloured
status table, progress chart and downloads. Invalid figures are flagged under their field."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.criteria.export import export
from assistant.criteria.sets_loader import all_sets
from assistant.ui.render import criteria_html, strings


def build(assistant) -> None:
    s = strings()["criteria"]
    sets = all_sets(assistant.settings.corpus_dir)
    default = "nq-ha-tinh-2025" if "nq-ha-tinh-2025" in sets else next(iter(sets))
    chooser = gr.Dropdown([(f"{c.title} ({c.id})", c.id) for c in sets.values()], value=default,
                          label=s["set_label"], elem_id="ntm-criteria-set")
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
                            for criterion in items[row:row + 3]:
                                own_id = f"crit-{criterion.key}" if criteria_set.id == default else None
                                box = gr.Textbox(label=criterion.name, info=_rule(criterion), min_width=240,
                                                 elem_id=own_id)
                                fields.append((criteria_set.id, criterion.key, box))
        groups.append((criteria_set.id, group))
    upload = gr.File(label=s["upload_label"], file_types=[".yaml", ".yml", ".csv", ".xlsx", ".json"])
    run = gr.Button(s["run"], variant="primary", elem_id="ntm-criteria-run")
    table = gr.HTML(elem_id="ntm-criteria-table")
    chart = gr.Image(show_label=False, visible=False, type="filepath")
    downloads = gr.File(label=s["downloads"], file_count="multiple", visible=False)

    def switch(set_id: str):
        return [gr.update(visible=sid == set_id) for sid, _ in groups]

    def evaluate(set_id: str, unit_name: str, period_text: str, figures_file, *values):
        try:
            if figures_file:
                results = assistant.criteria_file(Path(figures_file), set_id)
            else:
                figures = {key: value for (sid, key, _), value in zip(fields, values)
                           if sid == set_id and value and value.strip()}
                results = [assistant.criteria(figures, set_id, unit_name.strip(), period_text.strip())]
        except errors.AssistantError as exc:
            raise gr.Error(exc.vi) from exc
        folder = Path(tempfile.mkdtemp(prefix="ntm-tieu-chi-"))
        files = []
        for suffix in (".xlsx", ".csv", ".md", ".png"):
            files.append(export(results, folder / f"ket-qua-tieu-chi{suffix}"))
        invalid = {r["key"]: r["message"] for r in results[0]["results"] if r["status"] == "khong_hop_le"}
        hints = []
        for sid, key, _ in fields:
            criterion = sets[sid].get(key)
            message = invalid.get(key) if sid == set_id and not figures_file else None
            hints.append(gr.update(info=s["invalid"].format(message=message) if message else _rule(criterion)))
        return [criteria_html(results), gr.update(value=str(files[-1]), visible=True),
                gr.update(value=[str(f) for f in files[:3]], visible=True)] + hints

    chooser.change(switch, chooser, [g for _, g in groups], api_name=False)
    run.click(evaluate, [chooser, unit, period, upload] + [f for *_, f in fields],
              [table, chart, downloads] + [f for *_, f in fields], api_name="criteria")


def _rule(criterion) -> str:
    return f"Yêu cầu: {criterion.rule_text} · Căn cứ: Mục {criterion.clause}" if criterion.clause else \
        f"Yêu cầu: {criterion.rule_text}"
