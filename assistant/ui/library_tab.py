"""The "Văn bản" tab: the indexed documents; adding, removing (to a recoverable trash) and restoring
documents for administrators."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import gradio as gr

from assistant import errors
from assistant.index.builder import IndexReport
from assistant.ingest.header import short_date
from assistant.library import trashed
from assistant.priority import IndexThread
from assistant.ui.admin_door import AdminDoor
from assistant.ui.render import display_title, failed, library_html, md_escape, shorten, strings

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 1.0  # how often an open library tab looks at the indexing in progress


def build(assistant):
    """Build the tab; returns (function, outputs) that refresh it from the index on page load."""
    s = strings()["library"]
    table = gr.HTML(library_html(_rows(assistant)), elem_id="ntm-library")
    door = AdminDoor.from_settings(assistant.settings)  # one for the app: its counts span sessions
    enabled = door.enabled
    if not enabled:
        gr.Markdown(s["disabled"])
    password = gr.Textbox(label=s["admin_label"], type="password", interactive=enabled, elem_id="ntm-admin")
    files = gr.File(
        label=s["upload_label"].format(mb=assistant.settings.max_upload_mb),
        file_count="multiple",
        interactive=enabled,
        elem_id="ntm-upload",
    )
    upload = gr.Button(s["upload"], variant="primary", interactive=enabled)
    with gr.Row():
        chosen = gr.Dropdown(
            _choices(assistant), value=None, label=s["remove_label"], interactive=enabled, elem_id="ntm-remove-choice"
        )
        remove = gr.Button(s["remove"], variant="stop", interactive=enabled, elem_id="ntm-remove")
    with gr.Group(visible=False, elem_id="ntm-remove-confirm") as confirm_box:
        question = gr.Markdown(elem_id="ntm-remove-question")
        with gr.Row():
            confirm = gr.Button(s["confirm"], variant="stop", elem_id="ntm-remove-yes")
            cancel = gr.Button(s["cancel"], elem_id="ntm-remove-no")
    with gr.Row():
        binned = gr.Dropdown(
            _trash(assistant), value=None, label=s["trash_label"], interactive=enabled, elem_id="ntm-trash-choice"
        )
        restore = gr.Button(s["restore"], interactive=enabled, elem_id="ntm-restore")
    status = gr.Markdown(elem_id="ntm-library-status")
    indexer = IndexThread()  # started now: ahead of the answering threads once the app gives way

    def refreshed(message: str):
        return (
            library_html(_rows(assistant)),
            gr.update(choices=_choices(assistant), value=None),
            gr.update(choices=_trash(assistant), value=None),
            message,
        )

    def add(given, uploaded, request: gr.Request):
        who = _who(request, door)
        refused = door.refusal(given, request)
        if refused is not None:
            log.warning("upload by %s refused: %s", who, refused.en)
            discard([Path(f) for f in uploaded or []])
            return gr.update(), gr.update(), gr.update(), failed(refused.vi), False, gr.update()
        if not uploaded:
            return gr.update(), gr.update(), gr.update(), failed(s["choose_files"]), False, gr.update()
        upload = Upload(assistant, [Path(f) for f in uploaded], indexer, who)
        report = upload.searchable()  # back as soon as the words are searchable; vectors follow
        if upload.error is not None:  # the files stay in the box, to try again
            return gr.update(), gr.update(), gr.update(), failed(md_escape(upload.error.vi)), False, gr.update()
        staged = not upload.done.is_set()
        lines = [
            s["staged" if staged else "added"].format(
                added=len(report.added), updated=len(report.updated), chunks=report.chunks
            )
        ]
        lines += [s["failed"].format(message=md_escape(f.vi)) for f in report.failed]
        # staged: the timer says when it is done (and lists the documents again); the box is emptied
        return *refreshed("\n\n".join(lines)), staged, None

    def tick(shown: bool):
        """While documents are being processed: their progress in the table and the status line;
        once more when it ends, with the documents to remove as they are then."""
        status = assistant.indexing()
        if status.stage in ("vectors", "sentences"):
            if status.stage == "vectors":
                line = s["progress"].format(documents=len(status.documents), done=status.done, total=status.total)
            else:
                line = s["progress_sentences"].format(done=status.done, total=status.total)
            return library_html(_rows(assistant)), line, True, gr.update()
        if shown:
            error = Upload.last_error
            line = (
                s["upload_failed"].format(message=md_escape(error.vi))
                if error is not None
                else s["finished"].format(chunks=sum(r["passages"] for r in assistant.library()))
            )
            return library_html(_rows(assistant)), line, False, gr.update(choices=_choices(assistant))
        return gr.update(), gr.update(), False, gr.update()

    def ask(given, doc_id, request: gr.Request):
        """First click: name the document and ask to confirm (nothing is removed yet)."""
        refused = door.refusal(given, request)
        if refused is not None:
            log.warning("removal of %s by %s refused: %s", doc_id, _who(request, door), refused.en)
            return gr.update(visible=False), "", failed(refused.vi)
        document = next((d for d in assistant.documents() if d.doc_id == doc_id), None)
        if document is None:
            return gr.update(visible=False), "", failed(s["choose_document"])
        text = s["confirm_question"].format(title=md_escape(_named(document)), doc_id=doc_id)
        return gr.update(visible=True), text, ""

    def drop(given, doc_id, request: gr.Request):
        who = _who(request, door)
        refused = door.refusal(given, request)
        if refused is not None:
            log.warning("removal of %s by %s refused: %s", doc_id, who, refused.en)
            return (gr.update(visible=False),) + (gr.update(),) * 3 + (failed(refused.vi),)
        try:
            report = assistant.remove_document(doc_id)
        except errors.AssistantError as exc:
            log.warning("removal of %s by %s failed: %s", doc_id, who, exc.en)
            return (gr.update(visible=False),) + (gr.update(),) * 3 + (failed(md_escape(exc.vi)),)
        log.info("removed %s by %s; %d passages indexed", doc_id, who, report.chunks)
        Upload.last_error = None  # the index is whole again: an earlier failed upload is no news now
        return (gr.update(visible=False),) + refreshed(s["removed"].format(doc_id=doc_id, chunks=report.chunks))

    def bring_back(given, name, request: gr.Request):
        who = _who(request, door)
        refused = door.refusal(given, request)
        if refused is not None:
            log.warning("restore of %s by %s refused: %s", name, who, refused.en)
            return gr.update(), gr.update(), gr.update(), failed(refused.vi)
        if not name:
            return gr.update(), gr.update(), gr.update(), failed(s["choose_trash"])
        try:
            report = assistant.restore_document(name)
        except errors.AssistantError as exc:
            log.warning("restore of %s by %s failed: %s", name, who, exc.en)
            return gr.update(), gr.update(), gr.update(), failed(md_escape(exc.vi))
        log.info("restored %s by %s; %d passages indexed", name, who, report.chunks)
        Upload.last_error = None
        return refreshed(s["restored"].format(name=name, chunks=report.chunks))

    listing = [table, chosen, binned, status]
    shown = gr.State(False)  # this page shows an upload in progress
    upload.click(add, [password, files], listing + [shown, files], api_name=False)
    gr.Timer(PROGRESS_EVERY_S).tick(tick, shown, [table, status, shown, chosen], api_name=False, show_progress="hidden")
    remove.click(ask, [password, chosen], [confirm_box, question, status], api_name=False)
    confirm.click(drop, [password, chosen], [confirm_box] + listing, api_name=False)
    cancel.click(lambda: (gr.update(visible=False), ""), None, [confirm_box, status], api_name=False)
    restore.click(bring_back, [password, binned], listing, api_name=False)
    return (lambda: refreshed("")[:3]), [table, chosen, binned]


class Upload:
    """One upload, indexed on the app's indexing thread (after any upload before it): the page gets
    its answer as soon as the new documents are searchable by their words, while their vectors
    follow in the background."""

    last_error: errors.AssistantError | None = None  # how the latest upload ended, for the progress line

    def __init__(self, assistant, files: list[Path], indexer: IndexThread, who: str = "?"):
        self.assistant = assistant
        self.names = [f.name for f in files]
        self.who = who
        self.report: IndexReport | None = None
        self.error: errors.AssistantError | None = None
        self.done = threading.Event()
        self._before = assistant.indexing()  # the run before this one (its sentences may still be embedding)
        indexer.submit(self._run, files)

    def _run(self, files: list[Path]) -> None:
        Upload.last_error = None
        try:
            self.report = self.assistant.add_documents(files)
            log.info(
                "upload %s by %s: added %s, updated %s, unreadable %s; %d passages indexed",
                self.names,
                self.who,
                self.report.added,
                self.report.updated,
                [f.en for f in self.report.failed],
                self.report.chunks,
            )
        except errors.AssistantError as exc:
            log.warning("upload %s by %s failed: %s", self.names, self.who, exc.en)
            self.error = Upload.last_error = exc
        except Exception as exc:  # noqa: BLE001 - the page says it failed; the log has why
            log.exception("upload %s by %s failed", self.names, self.who)
            self.error = Upload.last_error = errors.AssistantError(strings()["errors"]["generic"], repr(exc))
        finally:
            discard(files)  # the corpus has its copy (or the file was refused)
            self.done.set()

    def searchable(self) -> IndexReport:
        """The report once the new documents are searchable by their words (or the upload ended)."""
        while not self.done.wait(0.05):
            status = self.assistant.indexing()
            if status is not self._before and status.searchable and status.report:
                report = status.report
                return IndexReport(added=list(report.added), updated=list(report.updated), failed=list(report.failed))
        return self.report or IndexReport()


def discard(files: list[Path]) -> None:
    """Delete uploaded files from Gradio's upload folder (and their folders, once empty); a path
    anywhere else is left alone."""
    folder = Path(gr.utils.get_upload_folder()).resolve()
    for path in files:
        path = Path(path).resolve()
        if folder not in path.parents:
            continue
        path.unlink(missing_ok=True)
        if path.parent != folder:
            try:
                path.parent.rmdir()  # Gradio puts each upload in a folder of its own
            except OSError:
                pass  # not empty: another file of the same name and content waits there


def _who(request: gr.Request | None, door: AdminDoor) -> str:
    """Who asked, for the log: the client's address (X-Forwarded-For only from a trusted proxy) and a
    short id of the page's session (the app has no accounts; the administrator password is shared)."""
    if request is None:
        return "?"
    session = (request.session_hash or "")[:8] or "?"
    return f"{door.client(request)} [phiên {session}]"


def _rows(assistant) -> list[list]:
    titles = {d.doc_id: display_title(d) for d in assistant.documents()}
    status = assistant.indexing()
    busy = {}
    if status.stage in ("vectors", "sentences"):
        note = strings()["library"]["processing" if status.stage == "vectors" else "preparing"]
        busy = dict.fromkeys(status.documents, note.format(done=status.done, total=status.total))
    return [
        [
            titles.get(r["doc_id"], r["title"]),
            r["doc_id"],
            r["type"],
            r["number"],
            short_date(r["date"]),
            r["passages"],
            "; ".join(x for x in (r["note"], busy.get(r["doc_id"], "")) if x),
        ]
        for r in assistant.library()
    ]


def _named(document) -> str:
    """A document as the removal question names it: its number and date, then its title
    ("Quyết định số 123/QĐ-UBND ngày 12/3/2022 của UBND huyện Can Lộc — Quyết định về việc …")."""
    title = display_title(document)
    cited = document.cited_as
    return title if cited in ("", title) else f"{cited} — {title}"


def _choices(assistant) -> list[tuple[str, str]]:
    return [(f"{shorten(display_title(d), 80)} ({d.doc_id})", d.doc_id) for d in assistant.documents()]


def _trash(assistant) -> list[str]:
    return [str(p) for p in trashed(assistant.settings)]
