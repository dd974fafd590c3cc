"""The pipeline: load -> check -> localize -> document -> render -> write, one job per (language, output).

``plan`` checks and decides what is stale (plan.py, with the build cache in
cache.py); ``run`` renders the stale jobs in parallel processes and writes each
output atomically (run.py).  Outputs come from the registry (outputs/): this
module knows none of them by name.
"""

from __future__ import annotations

from .cache import CACHE, fingerprint
from .plan import Job, plan
from .run import JobResult, SchedulerUnreachable, default_jobs, localized_for, render, run, run_job
from .stamp import source_date

__all__ = [
    "CACHE",
    "Job",
    "JobResult",
    "SchedulerUnreachable",
    "default_jobs",
    "fingerprint",
    "localized_for",
    "plan",
    "render",
    "run",
    "run_job",
    "source_date",
]
