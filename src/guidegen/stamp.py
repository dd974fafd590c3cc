"""The one timestamp every output carries: reproducible builds date an output by its guideline, never the clock."""

from __future__ import annotations

import datetime
import os

from .model import Guideline


def source_date(guideline: Guideline) -> int:
    """SOURCE_DATE_EPOCH if set (reproducible-builds.org), else midnight UTC of the guideline's date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env.isdigit():
        return int(env)
    d = guideline.meta.date
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.UTC).timestamp())
