"""Grading schemes: a scheme file (YAML data) -> ``model.Scheme``.

GRADE and Russian Order 103н ship beside this module; a guideline names one
(``grading: grade``) or points at its own file (``grading: my-scheme.yaml``).
A scheme may add the GRADE informative statements (``statements``) and the
Evidence-to-Decision criteria with their scales (``etd``); one without them
(Order 103н) simply does not ask for an EtD.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ..kept import once_per_state
from ..model import EtdCriterion, Judgement, Level, Scheme, Statement
from ..problems import Position, Problem, error
from ..typed import Converter, is_null, plain_data, suggest
from ..yamlsrc import Mapping, Node, Scalar, Sequence, kind_of, load

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


def load_scheme(
    name: str, base: Path, shown_base: str, position: Position, shared_folder: Path | None = None
) -> tuple[Scheme | None, list[Problem]]:
    """The scheme called ``name``: a built-in one, a library's shared one (``shared_folder/<name>.yaml``), or a file
    relative to ``base``."""
    if shared_folder is not None and name not in BUILTIN and (shared_folder / f"{name}.yaml").is_file():
        return load_scheme(f"{name}.yaml", shared_folder, str(shared_folder), position)
    if name in BUILTIN:
        path, shown = BUILTIN[name], f"<guidegen>/grading/{name}.yaml"
    elif name.endswith((".yaml", ".yml")):
        path = (base / name).resolve()
        if not path.is_relative_to(base.resolve()):
            return None, [error("S011", f"grading scheme '{name}' lies outside the guideline folder", position)]
        shown = f"{shown_base}/{name}" if shown_base else name
    else:
        return None, [
            error(
                "S007",
                f"unknown grading scheme '{name}'{suggest(name, BUILTIN)} "
                f"(built in: {', '.join(BUILTIN)}; or a .yaml file)",
                position,
            )
        ]
    scheme, problems = _read_once(path, shown)
    return scheme, list(problems)  # the caller's own list: the scheme is shared, read once per run


def _read(path: Path, shown: str) -> tuple[Scheme | None, list[Problem]]:
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
        problems.append(
            error("S007", f"profile_rule must be lowest-critical or none, not '{scheme.profile_rule}'", node.pos)
        )
    reader = _DecisionReader(tuple(level.id for level in scheme.certainty))
    statements = reader.statements(node.get("statements"))
    etd = reader.etd(node.get("etd"))
    if reader.problems:
        return None, [*problems, *reader.problems]
    return dataclasses.replace(scheme, statements=statements, etd=etd), problems


# The kinds of effect a GRADE informative statement words (GRADE guidance 26): an important
# reduction, an important increase, or little or no difference.
STATEMENT_EFFECTS = ("reduction", "increase", "little-or-no-difference")


def statement_for(scheme: Scheme, certainty: str, effect: str) -> Statement | None:
    """The informative statement for a certainty and a kind of effect, if the scheme has statements."""
    return next((s for s in scheme.statements if (s.certainty, s.effect) == (certainty, effect)), None)


class _DecisionReader:
    """Reads a scheme's ``statements`` and ``etd`` from the YAML nodes, so every problem keeps its position."""

    def __init__(self, certainties: tuple[str, ...]) -> None:
        self.certainties = certainties
        self.problems: list[Problem] = []

    def fail(self, code: str, message: str, node: Node) -> None:
        self.problems.append(error(code, message, node.pos))

    def text(self, node: Node, what: str) -> str | None:
        if isinstance(node, Scalar) and not is_null(node):
            return node.value
        self.fail("S006", f"{what} must be text, not {kind_of(node)}", node)
        return None

    def labels(self, node: Node | None, what: str, owner: Node) -> dict[str, str] | None:
        """A mapping of language code to text; ``owner`` is where a missing one is reported."""
        if node is None or is_null(node):
            self.fail("S008", f"missing {what}", owner)
            return None
        if not isinstance(node, Mapping) or not node.items:
            got = "an empty mapping" if isinstance(node, Mapping) else kind_of(node)
            self.fail("S006", f"{what} must be a mapping of language code to text, not {got}", node)
            return None
        out = {}
        for key, value in node.items:
            text = self.text(value, f"{what} in '{key.value}'")
            if text is not None:
                out[key.value] = text
        return out if len(out) == len(node.items) else None

    def not_a_certainty(self, value: str) -> str:
        choices = ", ".join(self.certainties)
        return f"'{value}' is not a certainty of this scheme{suggest(value, self.certainties)} (one of: {choices})"

    def known_keys(self, node: Mapping, allowed: tuple[str, ...]) -> None:
        for key, _ in node.items:
            if key.value not in allowed:
                self.fail("S005", f"unknown key '{key.value}'{suggest(key.value, allowed)}", key)

    def item_id(self, node: Mapping, what: str) -> str | None:
        value = node.get("id")
        if value is None or is_null(value):
            self.fail("S008", f"{what} needs an 'id'", node)
            return None
        return self.text(value, f"the id of {what}")

    def statements(self, node: Node | None) -> tuple[Statement, ...]:
        """``certainty -> effect -> {language: text}``; every certainty of the scheme needs every effect."""
        if node is None or is_null(node):
            return ()
        if not isinstance(node, Mapping):
            self.fail("S006", f"'statements' must be a mapping of certainty to effects, not {kind_of(node)}", node)
            return ()
        out = []
        for certainty_key, effects in node.items:
            certainty = certainty_key.value
            if certainty not in self.certainties:
                self.fail("S007", self.not_a_certainty(certainty), certainty_key)
                continue
            if not isinstance(effects, Mapping):
                message = f"statements for '{certainty}' must be a mapping of effect to text, not {kind_of(effects)}"
                self.fail("S006", message, effects)
                continue
            for effect_key, text_node in effects.items:
                effect = effect_key.value
                if effect not in STATEMENT_EFFECTS:
                    hint = suggest(effect, STATEMENT_EFFECTS)
                    message = f"'{effect}' is not a kind of effect{hint} (one of: {', '.join(STATEMENT_EFFECTS)})"
                    self.fail("S007", message, effect_key)
                    continue
                text = self.labels(text_node, f"the statement for {certainty} × {effect}", effect_key)
                if text is not None:
                    out.append(Statement(certainty=certainty, effect=effect, text=text))
            for effect in STATEMENT_EFFECTS:
                if effects.get(effect) is None:
                    self.fail("S008", f"no statement for certainty '{certainty}' and effect '{effect}'", certainty_key)
        for certainty in self.certainties:
            if node.get(certainty) is None:
                self.fail("S008", f"no statements for certainty '{certainty}'", node)
        return tuple(out)

    def etd(self, node: Node | None) -> tuple[EtdCriterion, ...]:
        """The list of EtD criteria, in the framework's order."""
        if node is None or is_null(node):
            return ()
        if not isinstance(node, Sequence):
            self.fail("S006", f"'etd' must be a list of criteria, not {kind_of(node)}", node)
            return ()
        out: list[EtdCriterion] = []
        for item in node.items:
            criterion = self.criterion(item)
            if criterion is None:
                continue
            if any(c.id == criterion.id for c in out):
                self.fail("S009", f"EtD criterion '{criterion.id}' is listed twice", item)
            out.append(criterion)
        return tuple(out)

    def criterion(self, node: Node) -> EtdCriterion | None:
        if not isinstance(node, Mapping):
            self.fail("S006", f"an EtD criterion is a mapping with id, label and scale, not {kind_of(node)}", node)
            return None
        self.known_keys(node, ("id", "label", "scale"))
        criterion_id = self.item_id(node, "an EtD criterion")
        what = f"EtD criterion '{criterion_id}'" if criterion_id else "an EtD criterion"
        label = self.labels(node.get("label"), f"the question ('label') of {what}", node)
        scale = self.scale(node.get("scale"), what, node)
        if criterion_id is None or label is None or scale is None:
            return None
        return EtdCriterion(id=criterion_id, label=label, scale=scale)

    def scale(self, node: Node | None, what: str, owner: Node) -> tuple[Judgement, ...] | None:
        if node is None or is_null(node):
            self.fail("S008", f"{what} has no 'scale'", owner)
            return None
        if not isinstance(node, Sequence) or not node.items:
            self.fail("S006", f"the scale of {what} must be a list of judgements, not {kind_of(node)}", node)
            return None
        out: list[Judgement] = []
        bad = False
        for item in node.items:
            judgement = self.judgement(item, what)
            if judgement is None:
                bad = True
            elif any(j.id == judgement.id for j in out):
                self.fail("S009", f"judgement '{judgement.id}' is listed twice in the scale of {what}", item)
                bad = True
            else:
                out.append(judgement)
        return None if bad else tuple(out)

    def judgement(self, node: Node, what: str) -> Judgement | None:
        if not isinstance(node, Mapping):
            self.fail("S006", f"a judgement of {what} is a mapping with id and label, not {kind_of(node)}", node)
            return None
        self.known_keys(node, ("id", "label", "certainty"))
        judgement_id = self.item_id(node, f"a judgement of {what}")
        label = self.labels(node.get("label"), f"the label of judgement '{judgement_id}' of {what}", node)
        certainty = ""
        certainty_node = node.get("certainty")
        if certainty_node is not None:
            certainty = self.text(certainty_node, "'certainty'") or ""
            if certainty and certainty not in self.certainties:
                self.fail("S007", self.not_a_certainty(certainty), certainty_node)
                return None
        if judgement_id is None or label is None:
            return None
        return Judgement(id=judgement_id, label=label, certainty=certainty)


_read_once = once_per_state(_read)
