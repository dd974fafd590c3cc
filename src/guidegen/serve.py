"""Live preview: the web edition of one language, re-checked and re-rendered on every save, served on 127.0.0.1.

The guideline, its catalogs and its theme are watched (watchfiles); a save
re-runs the checks and renders the site page again (never the PDF), with the
check's problems shown at the top of the page itself, and the open page
reloads.  Only the loopback address is bound: a preview is for the person at
the machine, not the network.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .checks import check_guideline
from .outputs.site import render as render_site
from .problems import Problem, Severity, sort_problems
from .render.document import build_document
from .run import localized_for

HOST = "127.0.0.1"


class Preview:
    """The folder being served and its version, bumped after each rebuild."""

    def __init__(self, directory: Path, lang: str | None, folder: Path) -> None:
        self.directory, self.lang, self.folder = directory, lang, folder
        self.version = 0
        self.problems: list[Problem] = []
        self.seconds = 0.0
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        """Check and render again; a renderer's failure becomes the page, never a dead preview."""
        start = time.perf_counter()
        try:
            self._rebuild()
        except Exception as exc:
            self._problem_page(
                "The page could not be rendered", f"<p>{escape(type(exc).__name__)}: {escape(str(exc))}</p>"
            )
            with self.lock:
                self.version += 1
        self.seconds = time.perf_counter() - start

    def _problem_page(self, title: str, body: str) -> None:
        """The front page when no guideline page can be shown: what went wrong, reloading on the next save."""
        html = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>guidegen preview</title>'
            f'<script src="/assets/reload.js" defer></script></head><body><h1>{title}</h1>{body}</body></html>'
        )
        write_atomic(self.folder / "index.html", html.encode())
        write_atomic(self.folder / "assets" / "reload.js", _reload_js())

    def _rebuild(self) -> None:
        guideline, problems = check_guideline(self.directory)
        lang = self.lang or (guideline.meta.languages[0] if guideline else "en")
        page = None
        if guideline is not None and lang in guideline.meta.languages:
            localized, more = localized_for(guideline, lang)
            problems = sort_problems([*problems, *more])
            if localized is not None:
                document = build_document(localized, guideline.theme)
                document.context["preview"] = {
                    "problems": [str(p) for p in problems if p.severity is not Severity.INFO]
                }
                files, _ = render_site(document)
                for relative, data in files.items():
                    write_atomic(self.folder / relative, data)
                page = f"{lang}/index.html"
        if page is None:  # nothing could be rendered: the problems are the page
            items = (
                "".join(f"<li>{escape(str(p))}</li>" for p in problems)
                or f"<li>no language '{escape(lang)}' in this guideline</li>"
            )
            self._problem_page("The guideline cannot be shown", f'<ol class="preview-problems">{items}</ol>')
        with self.lock:
            self.problems = problems
            self.version += 1


def _reload_js() -> bytes:
    from importlib import resources

    return (resources.files("guidegen") / "themes" / "default" / "site" / "reload.js").read_bytes()


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/__version":
            with self.preview.lock:
                body = json.dumps({"version": self.preview.version}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # the terminal shows rebuilds, not requests
        pass


def watched(directory: Path) -> list[Path]:
    """The guideline folder and its catalogs folder (translations), which may lie beside it."""
    paths = [directory.resolve()]
    translations = (directory / ".." / "translations").resolve()
    from .load import load_guideline

    guideline, _ = load_guideline(directory)
    if guideline is not None:
        translations = (directory / guideline.meta.translations).resolve()
    if translations.is_dir() and not translations.is_relative_to(paths[0]):
        paths.append(translations)
    return paths


def serve(
    directory: Path,
    lang: str | None,
    port: int,
    report: Callable[[str], None],
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> int:
    """Serve until ``stop`` is set (or Ctrl-C); ``ready`` gets the URL once the first page is there."""
    from watchfiles import watch

    stop = stop or threading.Event()
    with tempfile.TemporaryDirectory(prefix="guidegen-preview-") as tmp:
        preview = Preview(directory, lang, Path(tmp))
        preview.rebuild()
        handler = type("Handler", (_Handler,), {"preview": preview})
        server = ThreadingHTTPServer((HOST, port), partial(handler, directory=tmp))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        page = f"{preview.lang}/index.html" if (Path(tmp) / (preview.lang or "x") / "index.html").is_file() else ""
        if not page:
            first = next(iter(sorted(Path(tmp).glob("*/index.html"))), None)
            page = f"{first.parent.name}/index.html" if first else "index.html"
        url = f"http://{HOST}:{server.server_address[1]}/{page}"
        report(f"previewing {url} (Ctrl-C to stop)\n")
        _summary(preview, report)
        try:
            # a short debounce: one save is one change, and the page should follow within half a second;
            # the watcher yields nothing after each quiet interval, so its first yield says it is watching
            for changes in watch(
                *watched(directory), stop_event=stop, debounce=50, step=10, rust_timeout=200, yield_on_timeout=True
            ):
                if ready is not None:
                    ready(url)
                    ready = None
                if changes:
                    preview.rebuild()
                    _summary(preview, report)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            server.server_close()
    return 0


def _summary(preview: Preview, report: Callable[[str], None]) -> None:
    errors = sum(p.severity is Severity.ERROR for p in preview.problems)
    warnings = sum(p.severity is Severity.WARNING for p in preview.problems)
    report(f"rendered in {preview.seconds:.2f} s: {errors} error(s), {warnings} warning(s)\n")
