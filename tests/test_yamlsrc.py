"""The committee's YAML: positions, strict typing, refusal of what YAML should not do here."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidegen.model import Outcome, Section
from guidegen.typed import Converter, Invalid
from guidegen.yamlsrc import Limits, Mapping, load, parse


def convert(text: str, cls: type) -> tuple[object | None, list[str]]:
    node, problems = parse(text, "f.yaml")
    assert node is not None, problems
    c = Converter()
    try:
        value = c.record(node, cls)
    except Invalid:
        value = None
    return value, [f"{p.code} {p.position.line}:{p.position.column}" for p in problems + c.problems]


def test_yaml_1_1_booleans_and_octals_stay_text() -> None:
    section, problems = convert("id: no\ntitle: on\ntext: 010\n", Section)
    assert problems == []
    assert (section.id, section.title, section.text) == ("no", "on", "010")  # type: ignore[union-attr]


def test_ambiguous_number_is_refused_with_position() -> None:
    _, problems = convert("name: x\nimportance: critical\ncertainty: low\nparticipants: 010\n", Outcome)
    assert problems == ["S006 4:15"]


def test_quoted_number_is_not_a_number() -> None:
    _, problems = convert('name: x\nimportance: critical\ncertainty: low\nstudies: "3"\n', Outcome)
    assert problems == ["S006 4:10"]


def test_positions_of_block_scalar_lines() -> None:
    node, _ = parse("id: a\ntitle: t\ntext: |\n  first\n\n  second @x\n", "f.yaml")
    assert isinstance(node, Mapping)
    text = node.get("text")
    assert text is not None
    value = text.value  # type: ignore[union-attr]
    where = text.pos.within(value, value.index("@x"))
    assert (where.line, where.column) == (6, 10)


def test_crlf_and_bom_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: a\r\ntitle: T\r\n")
    node, problems = load(path, "s.yaml")
    assert problems == [] and isinstance(node, Mapping)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfei\x00d\x00", "S015"),
        (b"id: caf\xe9\n", "S015"),
        (b"id: a\x00b\n", "S015"),
        (b"a: &x [1]\nb: *x\n", "S003"),
        (b"a: !!python/object:os.system x\n", "S004"),
        (b"a: 1\na: 2\n", "S002"),
        (b"a: [\n", "S001"),
    ],
)
def test_refused_inputs(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    _, problems = load(path, "s.yaml")
    assert code in {p.code for p in problems}


def test_limits_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("text: " + "x" * 200 + "\n")
    _, problems = load(path, "s.yaml", Limits(max_bytes=100))
    assert [p.code for p in problems] == ["S014"]
    _, problems = load(path, "s.yaml", Limits(max_text=50))
    assert [p.code for p in problems] == ["S014"]
    _, problems = load(path, "s.yaml")
    assert problems == []


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    _node, problems = load(path, "bomb.yaml")
    assert {p.code for p in problems} == {"S003"}
