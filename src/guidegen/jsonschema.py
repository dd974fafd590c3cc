"""Model dataclasses -> JSON Schema (draft 2020-12), so editors validate while committees type.

One schema per kind of file; ``guidegen schema KIND`` prints it and the sample
files point at the copies in docs/schema/ with a ``yaml-language-server`` line.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import typing
from decimal import Decimal
from typing import Any, Union

from . import model
from .typed import CSL_TYPES, CSL_VARIABLES, specs

KINDS: dict[str, Any] = {
    "guideline": model.Metadata,
    "section": model.Section,
    "evidence": model.EvidenceProfile,
    "references": None,  # CSL YAML
    "library": model.LibraryMeta,
    "consultation": model.Consultation,
}


def _type(hint: Any, meta: typing.Mapping[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (Union, __import__("types").UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        schemas = [_type(a, meta, defs) for a in options]
        if len(options) < len(typing.get_args(hint)):
            schemas.append({"type": "null"})
        return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _type(args[0], meta, defs)}
        return {
            "type": "array",
            "prefixItems": [_type(a, meta, defs) for a in args],
            "minItems": len(args),
            "maxItems": len(args),
        }
    if dataclasses.is_dataclass(hint):
        name = str(getattr(hint, "__name__", hint))
        if name not in defs:
            defs[name] = {}  # recursion guard (sections nest)
            defs[name] = _record(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    if hint is datetime.date:
        return {"type": "string", "format": "date"}
    if hint is int:
        return {"type": "integer"}
    if hint is float or hint is Decimal:
        return {"type": "number"}
    out: dict[str, Any] = {"type": "string"}
    if meta.get("choices"):
        out["enum"] = list(meta["choices"])
    if meta.get("pattern"):
        out["pattern"] = meta["pattern"]
    return out


def _record(cls: Any, defs: dict[str, Any]) -> dict[str, Any]:
    properties = {}
    for key, spec in specs(cls).items():
        prop = _type(spec.hint, spec.meta, defs)
        prop["description"] = spec.meta["doc"] + (" (translatable)" if spec.meta.get("translatable") else "")
        properties[key] = prop
    required = [key for key, spec in specs(cls).items() if spec.required]
    out: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def schema(kind: str) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    if KINDS[kind] is None:
        item = {
            "type": "object",
            "required": ["id", "type"],
            "properties": {name: {} for name in sorted(CSL_VARIABLES)}
            | {"id": {"type": "string"}, "type": {"enum": sorted(CSL_TYPES)}},
            "additionalProperties": False,
        }
        body: dict[str, Any] = {
            "type": "object",
            "required": ["references"],
            "properties": {"references": {"type": "array", "items": item}},
            "additionalProperties": False,
        }
    else:
        body = _record(KINDS[kind], defs)
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://guidegen.invalid/schema/{kind}.schema.json",
        "title": f"guidegen {kind} file",
        **body,
    }
    if defs:
        out["$defs"] = defs
    return out


def dumps(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"
