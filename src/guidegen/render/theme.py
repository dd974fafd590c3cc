"""Where the theme's files are: the guideline's own theme/ folder, else the package's default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def theme_dir(custom: Path | None = None) -> Path:
    if custom is not None and (custom / "print.css").is_file():
        return custom
    return Path(str(resources.files("guidegen") / "themes" / "default"))
