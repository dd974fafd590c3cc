"""Hostile text gets nothing: no request leaves the machine, no byte outside the tree is read.

A loopback canary HTTP server counts every request; a secret file outside the
guideline holds a token that must appear in no output. The hostile text comes
both from the YAML and from a translation.
"""

from __future__ import annotations

import http.server
import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidegen.cli import main
from guidegen.render.pdf import SafeFetcher

from .conftest import CASES
from .test_catalogs import translate_all, update

TOKEN = "CANARY-7f3a9c1e-SECRET"


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    from html.parser import HTMLParser

    tags: list[tuple[str, dict[str, str | None]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, dict(attrs)))

    Collect().feed(html)
    return tags


@pytest.fixture
def canary() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(TOKEN.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def hostile(url: str, secret: Path) -> str:
    return "\n\n".join(
        [
            f'<img src="{url}/raw-img"> <script>fetch("{url}/script")</script> <iframe src="{url}/iframe"></iframe>',
            f'<link rel="stylesheet" href="{url}/css"> '
            f'<style>@import url("{url}/import"); body {{ background: url("file://{secret}") }}</style>',
            f"![image]({url}/md-image.png) ![local](file://{secret}) ![rel](../../../{secret.name})",
            f'[web link]({url}/link) [file link](file://{secret}) [js](javascript:alert(1)) <object data="file://{secret}"></object>',
            f'<svg><image href="{url}/svg"/></svg> <video src="{url}/video"></video>',
        ]
    )


def test_hostile_text_makes_no_request_and_reads_nothing_outside(tmp_path: Path, canary: tuple[str, list[str]]) -> None:
    url, hits = canary
    secret = tmp_path / "secret.txt"
    secret.write_text(TOKEN)
    root = tmp_path / "work" / "g"
    shutil.copytree(CASES / "base", root)
    meta = root / "guideline.yaml"
    meta.write_text(
        meta.read_text()
        .replace("languages: [en]", "languages: [ru, en]")
        .replace("evidence: evidence", "evidence: evidence\ntranslations: translations")
    )
    section = root / "sections" / "01-base.yaml"
    body = "\n".join("  " + line for line in hostile(url, secret).splitlines())
    section.write_text(
        section.read_text().replace(
            "text: |\n  Background with a citation [@smith2020].",
            "text: |\n  Background with a citation [@smith2020].\n\n" + body,
        )
    )
    update(root)
    # the translation carries its own attack, on top of the source's
    translate_all(root, "ru", lambda s: s + f' <img src="{url}/po-img"> ![p]({url}/po-md.png) [f](file://{secret})')
    out = tmp_path / "out"
    err = io.StringIO()
    code = main(["build", str(root), "--to", "pdf,docx,html", "--out", str(out), "--jobs", "1"], io.StringIO(), err)
    assert code == 0, err.getvalue()
    assert hits == [], f"requests reached the canary: {hits}"
    outputs = sorted(p for p in out.iterdir() if p.suffix in (".pdf", ".docx", ".html"))
    assert len(outputs) == 6
    for path in outputs:
        data = path.read_bytes()
        assert TOKEN.encode() not in data, path
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                assert not any(n.startswith("word/media/") for n in z.namelist()), "an image was embedded"
                for name in z.namelist():
                    assert TOKEN.encode() not in z.read(name), (path, name)
                rels = z.read("word/_rels/document.xml.rels").decode()
                assert "file:" not in rels and "javascript:" not in rels
        if path.suffix == ".pdf":
            reader = PdfReader(path)
            for obj_id in range(1, len(reader.xref_objStm) + 500):
                try:
                    obj = reader.get_object(obj_id)
                except Exception:
                    continue
                if hasattr(obj, "get_data"):
                    assert TOKEN.encode() not in obj.get_data()
            assert not any(
                "/XObject" in (page.get("/Resources") or {})
                and any(x.get_object().get("/Subtype") == "/Image" for x in page["/Resources"]["/XObject"].values())
                for page in reader.pages
            )
        if path.suffix == ".html":
            html = data.decode()
            assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<object" not in html
            tags = parse_tags(html)
            assert not [
                t for t in tags if t[0] in ("script", "img", "iframe", "object", "link", "video", "svg", "image")
            ]
            assert not [t for t in tags if "src" in t[1]]  # nothing for a reader to fetch
            assert not [t for t in tags if (t[1].get("href") or "").startswith(("file:", "javascript:", "data:"))]


def test_safe_fetcher_refuses_everything_outside(tmp_path: Path, canary: tuple[str, list[str]]) -> None:
    url, hits = canary
    inside = tmp_path / "inside"
    inside.mkdir()
    (inside / "ok.css").write_text("p {}")
    outside = tmp_path / "outside.txt"
    outside.write_text(TOKEN)
    (inside / "link.css").symlink_to(outside)
    fetcher = SafeFetcher([inside])
    assert fetcher.fetch((inside / "ok.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for bad in (
        outside.as_uri(),
        (inside / "link.css").as_uri(),
        (inside / ".." / "outside.txt").as_uri(),
        f"{url}/x",
        "https://example.org/",
        "ftp://x/",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(bad)
    assert hits == []
    assert len(fetcher.refused) == 6
