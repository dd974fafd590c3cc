"""The web edition in a real browser (Debian's Chromium, headless, through selenium): offline from file://,
a phone's width, the language switcher, search in Russian and Uzbek, and axe-core's accessibility rules."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidegen.cli import main

from .conftest import ROOT, SAMPLE

AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE, DESK = 360, 1280


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    err = io.StringIO()
    assert main(["build", str(SAMPLE), "--to", "site", "--out", str(out), "--jobs", "1"], io.StringIO(), err) == 0, (
        err.getvalue()
    )
    return out / "site" / "trd-ketamine"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.fail("Chromium or chromedriver is not installed (`make test` installs them through `make deps`)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    # this machine's network is closed: no background connections, no first-run fetches
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        f"--window-size={DESK},900",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


def width(browser, pixels: int) -> None:  # type: ignore[no-untyped-def]
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": pixels, "height": 780, "deviceScaleFactor": 1, "mobile": pixels < 600},
    )


def open_page(browser, path: Path, fragment: str = "") -> None:  # type: ignore[no-untyped-def]
    browser.get(path.as_uri() + fragment)


@pytest.mark.parametrize("lang", ["uz", "ru", "en"])
def test_each_language_opens_offline_and_fits_a_phone(browser, site: Path, lang: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    width(browser, PHONE)
    open_page(browser, site / lang / "index.html")
    assert browser.find_element("tag name", "html").get_attribute("lang") == lang
    browser.execute_script(
        "document.querySelectorAll('details').forEach(d => d.open = true)"
    )  # everything unfolded: the widest case
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{lang}: {overflow} px of horizontal scrolling at {PHONE} px"
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = false)")
    browser.save_screenshot(str(shots / f"site-{lang}-{PHONE}.png"))


def test_the_language_switcher_keeps_the_reader_at_the_same_recommendation(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    width(browser, DESK)
    open_page(browser, site / "uz" / "index.html", "#rec-esk-continuation")
    browser.find_element("css selector", "nav.languages a[hreflang='ru']").click()
    assert browser.current_url.endswith("/ru/index.html#rec-esk-continuation")
    heading = browser.find_element("css selector", "#rec-esk-continuation .rec-heading")
    assert heading.text.startswith("Рекомендация")
    top = browser.execute_script("return document.getElementById('rec-esk-continuation').getBoundingClientRect().top")
    assert -2 <= top < 200, "the recommendation is in view"


def test_search_finds_russian_and_uzbek_words_however_the_apostrophe_is_typed(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    width(browser, DESK)

    def search(lang: str, words: str) -> list[str]:
        open_page(browser, site / lang / "index.html")
        box = browser.find_element("id", "q")
        box.clear()
        box.send_keys(words)
        return [a.get_attribute("href").split("#")[1] for a in browser.find_elements("css selector", "#q-results a")]

    found = search("ru", "ЭСКЕТАМИН")
    assert "rec-esk-add-on" in found
    # the uz text writes oʻz (U+02BB); readers type o'z, o‘z or o`z
    typed = [search("uz", f"o{mark}z joniga") for mark in ("ʻ", "'", "‘", "`")]
    assert typed[0] and all(t == typed[0] for t in typed)
    assert search("uz", "qwertyuiop") == []
    assert browser.find_element("id", "q-status").text


def test_no_serious_or_critical_accessibility_violations(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    if not AXE.is_file():
        pytest.fail("axe-core is not installed (`make test` installs it with npm)")
    for lang in ("uz", "ru", "en"):
        for pixels in (PHONE, DESK):
            width(browser, pixels)
            open_page(browser, site / lang / "index.html")
            browser.execute_script(AXE.read_text(encoding="utf-8"))
            result = browser.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
                ".then(r => done(JSON.stringify(r.violations)));"
            )
            bad = [
                (v["id"], v["impact"], len(v["nodes"]))
                for v in json.loads(result)
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == [], f"{lang} at {pixels} px: {bad}"


def test_no_request_leaves_the_folder(site: Path) -> None:
    for page in [site / "index.html", *site.glob("*/index.html")]:
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html
        for attribute in re.findall(r'(?:src|href)="([^"]*)"', html):
            # only relative files and fragments may load; https:// appears only as reference links the reader follows
            assert not attribute.startswith("//")
        for loaded in re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="([^"]*)"', html):
            assert not re.match(r"[a-z]+:", loaded), f"{page}: loads {loaded}"


def test_front_page_opens_the_readers_language(browser, site: Path) -> None:  # type: ignore[no-untyped-def]
    width(browser, DESK)
    open_page(browser, site / "index.html")
    # headless Chromium reports en-US: the English edition opens
    assert browser.current_url.endswith("/en/index.html")
