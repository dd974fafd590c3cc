"""Grading schemes: a scheme file (YAML data) -> ``model.Scheme``.

GRADE and Russian Order 103н ship beside this module; a guideline names one
(``grading: grade``) or points at its own file (``grading: my-scheme.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Level, Scheme
from ..problems import Position, Problem, error
from ..typed import Converter, plain_data, suggest
from ..yamlsrc import Mapping, load

HERE = Path(__file__).parent
BUILTIN = {p.stem: p for p in sorted(HERE.glob("*.yaml"))}


def _labels(value: Any) -> dict[str, str]:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    raise ValueError("expected a mapping of language code to text")


def _levels(value: Any, what: str) -> tuple[Level, ...]:
    if not isinstance(value, list):
        raise ValueError(f"'{what}' must be a list")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ValueError(f"each entry of '{what}' needs an 'id'")
        out.append(
            Level(
                id=item["id"],
                label=_labels(item.get("label", {})),
                symbol=str(item.get("symbol", "")),
                wording=_labels(item.get("wording", {})),
                description=_labels(item.get("description", {})),
            )
        )
    return tuple(out)


def load_scheme(name: str, base: Path, shown_base: str, position: Position) -> tuple[Scheme | None, list[Problem]]:
    """The scheme called ``name``: a built-in one, or a file relative to ``base``."""
    if name in BUILTIN:
        path, shown = BUILTIN[name], f"<guidegen>/grading/{name}.yaml"
    elif name.endswith((".yaml", ".yml")):
        path = (base / name).resolve()
        if not path.is_relative_to(base.resolve()):
            return None, [error("S011", f"grading scheme '{name}' lies outside the guideline folder", position)]
        shown = f"{shown_base}/{name}" if shown_base else name
    else:
        return None, [error("S007", f"unknown grading scheme '{name}'{suggest(name, BUILTIN)} (built in: {', '.join(BUILTIN)}; or a .yaml file)", position)]
    node, problems = load(path, shown)
    if node is None:
        return None, problems or [error("S006", "grading scheme file is empty", Position(shown, 1, 1))]
    if not isinstance(node, Mapping):
        return None, [*problems, error("S006", "a grading scheme is a mapping", node.pos)]
    data = plain_data(node, Converter())
    try:
        just = data.get("justification") or {}
        when = just.get("when") or {}
        scheme = Scheme(
            id=str(data["id"]),
            name=_labels(data.get("name", {})),
            strength=_levels(data["strength"], "strength"),
            direction=_levels(data["direction"], "direction"),
            certainty=_levels(data["certainty"], "certainty"),
            justification=_levels(just.get("options") or [], "justification.options"),
            justify_strength=tuple(when.get("strength") or ()),
            justify_certainty=tuple(when.get("certainty") or ()),
            profile_rule=str(data.get("profile_rule", "none")),
            strength_label=_labels(data.get("strength_label", {})),
            certainty_label=_labels(data.get("certainty_label", {})),
            methodology=_labels(data.get("methodology", {})),
        )
    except (KeyError, ValueError, AttributeError, TypeError) as exc:
        detail = f"missing '{exc.args[0]}'" if isinstance(exc, KeyError) else str(exc)
        return None, [*problems, error("S006", f"invalid grading scheme: {detail}", node.pos)]
    if scheme.profile_rule not in ("lowest-critical", "none"):
        problems.append(error("S007", f"profile_rule must be lowest-critical or none, not '{scheme.profile_rule}'", node.pos))
    return scheme, problems
