"""The Gradio web app: five tabs over the same ``Assistant`` the command line uses."""

from __future__ import annotations

import os

QUEUE_CONCURRENCY = 8  # several officials at once; answers take tens of milliseconds
# Files sent to /gradio_api/upload (by anyone: the route asks no password) and never indexed are
# deleted an hour after they came, looked for every ten minutes; indexed ones as soon as they are.
UPLOAD_CACHE = (600, 3600)


def build_app(assistant):
    """The web app's Blocks, not yet launched."""
    import gradio as gr

    from assistant.ui import chat, criteria_tab, draft_tab, library_tab, study_tab
    from assistant.ui.render import strings

    s = strings()
    assistant.documents()  # fail early with a clear message when there is no index
    with gr.Blocks(title=s["title"], analytics_enabled=False, delete_cache=UPLOAD_CACHE) as app:
        gr.Markdown(f"# {s['title']}\n{s['subtitle']}", elem_id="ntm-header")
        with gr.Tabs(elem_id="ntm-tabs", overflow_behavior="wrap"):  # all five tabs on a phone
            with gr.Tab(s["tabs"]["chat"], id="chat"):
                refresh_scope = chat.build(assistant)
            with gr.Tab(s["tabs"]["criteria"], id="criteria"):
                criteria_tab.build(assistant)
            with gr.Tab(s["tabs"]["draft"], id="draft"):
                draft_tab.build(assistant)
            with gr.Tab(s["tabs"]["study"], id="study"):
                refresh_outline = study_tab.build(assistant)
            with gr.Tab(s["tabs"]["library"], id="library"):
                refresh_library = library_tab.build(assistant)
        # Every page load shows the index as it is now (documents added in another session included).
        for refresh in (refresh_library, refresh_outline, refresh_scope):
            app.load(refresh[0], None, refresh[1], api_name=False)
    app.queue(default_concurrency_limit=QUEUE_CONCURRENCY)
    return app


def theme():
    """Gradio's theme with fonts served by the app itself (no Google Fonts), in weights whose files
    carry every Vietnamese letter: the bundled Source Sans Pro semibold lacks them, so bold is 700."""
    import gradio as gr
    from gradio.themes.utils.fonts import LocalFont

    return gr.themes.Default(
        font=[LocalFont("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=[LocalFont("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "monospace"],
    )


def launch(assistant, host: str = "127.0.0.1", port: int = 7860, block: bool = True, give_way: int = 0):
    """Start the app (localhost by default); returns the Blocks when ``block`` is False. With
    ``give_way``, the threads that answer run at that nice value, below the one that indexes uploads."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant import priority
    from assistant.ui.render import CSS, head

    app = build_app(assistant)  # starts the upload thread at the caller's priority
    if give_way:
        priority.give_way(give_way)  # the server's threads, started below, inherit it
    app.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=not block,
        show_error=False,
        css=CSS,
        head=head(),
        theme=theme(),
        footer_links=[],
        quiet=not block,
        # Refused by Gradio while the request is read, before anything is stored (413), on every route
        # that takes files (/gradio_api/upload included), and by the page before it sends one.
        max_file_size=upload_limit(assistant.settings),
        # And how much one client, and all together, may send there, counted before it is stored.
        app_kwargs={"middleware": [upload_quota(assistant.settings)]},
    )
    return app


def upload_limit(settings) -> int:
    """The largest file the web app takes, in bytes (``max_upload_mb``)."""
    return settings.max_upload_mb * 1024 * 1024


def upload_quota(settings):
    """The middleware holding uploads to ``upload_quota`` (per client, and in the upload folder)."""
    from starlette.middleware import Middleware

    from assistant.ui.upload_quota import UploadQuotaMiddleware

    return Middleware(UploadQuotaMiddleware, quota=settings.upload_quota, trusted_proxies=settings.trusted_proxies)


def serve(assistant, host: str = "127.0.0.1", port: int = 7860) -> int:
    """``ntm serve``: run until interrupted."""
    print(f"Trợ lý Nông thôn mới: http://{host}:{port}  (Ctrl+C để dừng / to stop)")
    launch(assistant, host, port, block=True, give_way=assistant.settings.serve_nice)
    return 0
