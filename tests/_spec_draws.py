"""Bodies the published spec allows, drawn from its own schemas (not from the models).

`request_schema` and `response_schema` turn the vendored OpenAPI schemas into JSON Schema
(2020-12) documents: requests as published plus the documented nulls, answers made lenient
(every property nullable, every enum open, unions by `anyOf`). `draw` builds a Hypothesis
strategy for the keywords the spec uses, and every drawn body is checked against the same
document with `jsonschema`, so the strategy cannot drift from the schema it claims to draw.

hypothesis-jsonschema would be the tool for this, but its object strategy calls a
Hypothesis internal (``many.more``) that current Hypothesis no longer has, so every object
schema fails there; this module does the same job for the spec's keyword subset.

Sizes are bounded (short strings and lists, few extra keys) so no draw gets near the size
at which Hypothesis warns about a large repr.
"""

import copy
import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

import jsonschema
from hypothesis import strategies as st

from realtime_sdk._spec import load_spec, quirks

_REF: Final = "#/components/schemas/"
_DEFS: Final = "#/$defs/"
# Annotations only: `format` is not asserted (a `uri` is any string to the SDK and to the
# server's schema), the rest is documentation or vendor hints.
_ANNOTATIONS: Final = frozenset({"format", "title", "default", "discriminator", "description"})

# -- leaves ---------------------------------------------------------------------------------

# Any Unicode text (no lone surrogates: UTF-8 cannot carry them), with control characters,
# NUL and other awkward code points drawn often.
_AWKWARD: Final = '\x00\x01\x08\t\n\x1f\x7f\x85\u2028\u2029\ufeff\U0010ffff"\\/'
TEXT: Final = st.text(max_size=12) | st.text(alphabet=st.sampled_from(_AWKWARD), max_size=6)
# Keys of objects the schema leaves open: any text, and names that could clash with the
# SDK's own attributes.
EXTRA_KEYS: Final = TEXT | st.sampled_from(["extra_fields", "", "__class__", "self", "_", "o"])
_EXTREME_FLOATS: Final = (5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308)
_EXTREME_INTS: Final = (2**53 + 1, 2**63, -(2**63) - 1, 2**64, 10**30, -(10**30))


def _floats(low: float | None, high: float | None) -> st.SearchStrategy[float]:
    base = st.floats(low, high, allow_nan=False, allow_infinity=False)
    extremes = [
        sign * value
        for value in (*_EXTREME_FLOATS, 0.0)
        for sign in (1.0, -1.0)
        if (low is None or sign * value >= low) and (high is None or sign * value <= high)
    ]
    return base | st.sampled_from(extremes) if extremes else base


def _integers(low: int | None, high: int | None) -> st.SearchStrategy[int | float]:
    base = st.integers(low, high)
    extremes = [
        value
        for value in _EXTREME_INTS
        if (low is None or value >= low) and (high is None or value <= high)
    ]
    # JSON Schema 2020-12 (OpenAPI 3.1): a number without a fraction, 600.0, is an integer.
    integral = st.integers(
        max(low, -(2**60)) if low is not None else -(2**60),
        min(high, 2**60) if high is not None else 2**60,
    ).map(float)
    strategy: st.SearchStrategy[int | float] = base | integral
    return strategy | st.sampled_from(extremes) if extremes else strategy


def _numbers(low: float | None, high: float | None) -> st.SearchStrategy[float | int]:
    int_low = None if low is None else int(-(-low // 1))
    int_high = None if high is None else int(high // 1)
    if int_low is not None and int_high is not None and int_low > int_high:
        return _floats(low, high)
    return _floats(low, high) | st.integers(int_low, int_high)


ANY_JSON: Final = st.recursive(
    st.none() | st.booleans() | _integers(None, None) | _floats(None, None) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(EXTRA_KEYS, inner, max_size=3),
    max_leaves=6,
)

# -- schemas --------------------------------------------------------------------------------


def _components(*, answers: bool) -> dict[str, Any]:
    """The published schemas, with the arrays the quirks table types (`UNTYPED_ARRAYS`).

    For answers, the rest of the quirks table too: the properties the service is known to
    send beyond the schema (the beta session's key, a custom voice read back). Requests get
    none of it: those entries widen what the SDK accepts, and the draws must not assume it.
    """
    if answers:
        doc = quirks.apply(load_spec())
    else:
        doc = copy.deepcopy(load_spec())
        for pointer in quirks.UNTYPED_ARRAYS:
            quirks.resolve(doc, pointer)["type"] = "array"
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def _convert(node: Any, convert_property: Callable[[str, Any], Any]) -> Any:
    """OpenAPI schema -> JSON Schema: refs into $defs, `nullable` as a null member."""
    if isinstance(node, list):
        return [_convert(item, convert_property) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or key.startswith("x-") or key == "nullable":
            continue
        if key == "$ref":
            out[key] = _DEFS + value.removeprefix(_REF)
        elif key == "properties":
            out[key] = {
                name: convert_property(name, _convert(sub, convert_property))
                for name, sub in value.items()
            }
        else:
            out[key] = _convert(value, convert_property)
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _tag_required(member: dict[str, Any], defs: Mapping[str, Any]) -> bool | None:
    """Whether an object member requires its single-valued `type` tag; None: no tag."""
    if "$ref" in member:
        member = defs[member["$ref"].removeprefix(_DEFS)]
    tag = member.get("properties", {}).get("type")
    if not isinstance(tag, dict) or not ("const" in tag or len(tag.get("enum", ())) == 1):
        return None
    return "type" in member.get("required", ())


def _require_ambiguous_tags(node: Any, defs: dict[str, Any]) -> None:
    # The one refusal the rule allows for unions: a member without its tag that cannot be
    # told apart from a sibling (two members or more whose tag is optional).
    if isinstance(node, list):
        for item in node:
            _require_ambiguous_tags(item, defs)
        return
    if not isinstance(node, dict):
        return
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword, ())
        untagged = [m for m in members if _tag_required(m, defs) is False]
        if len(untagged) > 1:
            for member in untagged:
                target = defs[member["$ref"].removeprefix(_DEFS)] if "$ref" in member else member
                target["required"] = ["type", *target.get("required", ())]
    for value in node.values():
        _require_ambiguous_tags(value, defs)


@cache
def request_schema(name: str) -> dict[str, Any]:
    """The published request schema `name`, with the nulls its documentation gives."""

    def prop(key: str, sub: Any) -> Any:
        return quirks.allow_null(sub) if key in quirks.DOCUMENTED_NULLS else sub

    defs = {key: _convert(value, prop) for key, value in _components(answers=False).items()}
    _require_ambiguous_tags(defs, defs)
    return {"$defs": defs, "$ref": _DEFS + name}


def _lenient(node: Any) -> Any:
    """Enums and constants opened to their JSON kind, `oneOf` read as `anyOf`."""
    if isinstance(node, list):
        return [_lenient(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _lenient(value) for key, value in node.items()}
    values = out.pop("enum", None)
    if "const" in out:
        values = [out.pop("const")]
    if values is not None:
        kinds = {"string" if isinstance(v, str) else "integer" for v in values}
        out.setdefault("type", kinds.pop() if len(kinds) == 1 else sorted(kinds))
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    return out


@cache
def response_schema(name: str) -> dict[str, Any]:
    """The published response schema `name`, as leniently as answers are read.

    Every property may be null, every enum and constant takes any value of its kind (a tag
    the SDK does not know included), and a union member may fit more than one branch.
    """

    def prop(_key: str, sub: Any) -> Any:
        return quirks.allow_null(sub)

    components = _components(answers=True)
    defs = {key: _lenient(_convert(value, prop)) for key, value in components.items()}
    return {"$defs": defs, "$ref": _DEFS + name}


@cache
def event_schema(name: str, *, answers: bool) -> dict[str, Any]:
    """The published event schema `name`: as a client sends it, or as leniently as answers are read."""
    path = Path(quirks.__file__).with_name("realtime-events.json")
    doc = quirks.documented_nulls(json.loads(path.read_text(encoding="utf-8")))
    components: dict[str, Any] = doc["components"]["schemas"]
    if answers:
        defs = {
            k: _lenient(_convert(v, lambda _k, sub: quirks.allow_null(sub)))
            for k, v in components.items()
        }
    else:
        # oneOf read as anyOf: open enums overlap their own known values in the event schemas.
        defs = {k: _any_of(_convert(v, lambda _k, sub: sub)) for k, v in components.items()}
        _require_ambiguous_tags(defs, defs)
    return {"$defs": defs, "$ref": _DEFS + name}


def _any_of(node: Any) -> Any:
    if isinstance(node, list):
        return [_any_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {("anyOf" if key == "oneOf" else key): _any_of(value) for key, value in node.items()}


# -- drawing --------------------------------------------------------------------------------


def draw(schema: dict[str, Any], *, open_objects: bool) -> st.SearchStrategy[Any]:
    """Bodies valid under `schema` (a document from this module), each checked by jsonschema.

    Args:
        schema: ``request_schema(...)`` or ``response_schema(...)``.
        open_objects: also draw keys the schema does not list, wherever it allows them.
    """
    validator = jsonschema.Draft202012Validator(schema)

    def checked(body: Any) -> Any:
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"drew a body the schema does not allow: {errors[0].message}"
        return body

    return _Drawer(schema["$defs"], open_objects=open_objects).node(schema).map(checked)


class _Drawer:
    """Strategies for the JSON Schema keywords the spec uses, one per schema node."""

    def __init__(self, defs: dict[str, Any], *, open_objects: bool) -> None:
        self.defs = defs
        self.open_objects = open_objects
        self.built: dict[str, st.SearchStrategy[Any]] = {}

    def ref(self, name: str) -> st.SearchStrategy[Any]:
        if name not in self.built:
            self.built[name] = st.deferred(lambda: self.node(self.defs[name]))
        return self.built[name]

    def node(self, s: dict[str, Any]) -> st.SearchStrategy[Any]:  # noqa: PLR0911 - one return per keyword
        if "$ref" in s:
            return self.ref(s["$ref"].removeprefix(_DEFS))
        for keyword in ("anyOf", "oneOf"):
            if keyword in s:
                return st.one_of([self.node(member) for member in s[keyword]])
        if "const" in s:
            return st.just(s["const"])
        if "enum" in s:
            return st.sampled_from(s["enum"])
        kind = s.get("type")
        if isinstance(kind, list):
            return st.one_of([self.node({**s, "type": k}) for k in kind])
        if kind == "array":
            items = self.node(s.get("items", {}))
            return st.lists(items, min_size=s.get("minItems", 0), max_size=3)
        if kind == "object" or "properties" in s or "additionalProperties" in s:
            return self.obj(s)
        return self.leaf(kind, s)

    @staticmethod
    def leaf(kind: object, s: dict[str, Any]) -> st.SearchStrategy[Any]:
        if kind == "null":
            return st.none()
        if kind == "boolean":
            return st.booleans()
        if kind == "integer":
            return _integers(s.get("minimum"), s.get("maximum"))
        if kind == "number":
            return _numbers(s.get("minimum"), s.get("maximum"))
        if kind == "string":
            return st.from_regex(s["pattern"], fullmatch=True) if "pattern" in s else TEXT
        return ANY_JSON

    def obj(self, s: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        props: dict[str, Any] = s.get("properties", {})
        required = set(s.get("required", ()))
        extra = s.get("additionalProperties", True)
        listed = st.fixed_dictionaries(
            {key: self.node(sub) for key, sub in props.items() if key in required},
            optional={key: self.node(sub) for key, sub in props.items() if key not in required},
        )
        if isinstance(extra, dict):
            values = self.node(extra)
        elif extra is True and self.open_objects:
            values = ANY_JSON
        else:
            return listed.flatmap(_shuffled)
        more = st.dictionaries(
            EXTRA_KEYS.filter(lambda key: key not in props),
            values,
            max_size=3 if props else 4,
        )
        return st.tuples(listed, more).flatmap(lambda pair: _shuffled({**pair[1], **pair[0]}))


def _shuffled(body: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    # Keys in any order: a dict body goes out in its own order.
    return st.permutations(list(body.items())).map(dict)


# -- comparing JSON exactly -----------------------------------------------------------------


class _Pairs(list[tuple[str, Any]]):
    """An object's members in wire order (duplicates kept)."""


def exact(value: Any, *, ordered: bool = True) -> Any:
    """A form of a JSON value in which equal means the same JSON text up to whitespace:
    1 and 1.0, 0.0 and -0.0, true and 1 all differ; object members compare in order when
    `ordered`, else as a set."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", repr(value))
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and not isinstance(value, _Pairs):
        return ("array", tuple(exact(item, ordered=ordered) for item in value))
    pairs = value if isinstance(value, _Pairs) else list(value.items())
    members = tuple((key, exact(item, ordered=ordered)) for key, item in pairs)
    return ("object", members if ordered else tuple(sorted(members, key=lambda kv: kv[0])))


def wire(raw: bytes) -> Any:
    """A request body as it went out: strict UTF-8 JSON, members in order."""
    return json.loads(raw.decode("utf-8"), object_pairs_hook=_Pairs)
