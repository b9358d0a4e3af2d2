"""Bad input: arbitrary values in every request field, and arbitrary whole request dicts.

Each call either succeeds and puts exactly the given body on the wire (as the fake, an
independent witness, recorded it), or raises RequestValidationError naming the field, in
which case nothing reached the server. Strategies are built here from the attrs classes in
realtime_sdk.models (hypothesis-jsonschema does not work with the installed hypothesis).
"""

import json
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, NamedTuple, get_args, get_origin

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realtime_sdk import (
    RequestValidationError,
    Secret,
    SyncRealtimeClient,
    models,
)
from realtime_sdk._unset import UNSET, Unset
from realtime_sdk.models import RealtimeFunctionTool
from realtime_sdk.testing import FakeRealtimeAPI
from realtime_sdk.testing._background import serve_in_thread
from tests.conftest import allows_legacy_calls
from tests.reliability._support import current_size

# Every operation is exercised, the legacy ones too (their warning is tested elsewhere).
pytestmark = [pytest.mark.reliability, allows_legacy_calls]

API_KEY = "sk-bad-input-0123456789abcdef"
EXAMPLES = current_size().hypothesis_examples
# Per field the draws are few; the whole-dict tests get the full count.
PER_FIELD = max(EXAMPLES // 8, 3)

ROOTS: dict[type[Any], str] = {
    models.RealtimeCreateClientSecretRequest: "create_realtime_client_secret",
    models.RealtimeSessionCreateRequest: "create_realtime_session",
    models.RealtimeTranscriptionSessionCreateRequest: "create_realtime_transcription_session",
    models.RealtimeTranslationClientSecretCreateRequest: "create_realtime_translation_client_secret",
    models.RealtimeCallReferRequest: "refer_realtime_call",
    models.RealtimeCallRejectRequest: "reject_realtime_call",
}
# The call changes take a call id first: each request goes to a fresh call in the state the
# change needs. (Accept's body is the GA session, reached through the client secret.)
_CALL_STATES: dict[str, str] = {"refer_realtime_call": "active", "reject_realtime_call": "ringing"}
# A WebRTC offer is a form, not a JSON body: its session part is the GA session (covered
# above) and its sdp any string; tests/test_calls.py and test_conformance.py cover it.
_NOT_JSON_BODIES = frozenset({models.RealtimeCallCreateRequest})
_NONE = type(None)


# -- minimal valid bodies, from the attrs classes -------------------------------------------


def _members(t: Any) -> list[Any]:
    if get_origin(t) in (typing.Union, types.UnionType):
        return [a for a in get_args(t) if a not in (_NONE, Unset, models.UnknownVariant)]
    return [t]


def minimal_value(t: Any) -> Any:  # noqa: PLR0911 - any annotation; one branch per form
    """The smallest valid wire value of a type."""
    first = _members(t)[0]
    origin = get_origin(first)
    if origin is Literal:
        return get_args(first)[0]
    if origin is list:
        return []
    if origin in (dict, Mapping):
        return {}
    if attrs.has(first):
        return minimal_body(first)
    if first is bool:
        return True
    if first is int:
        return 100
    if first is float:
        return 0.5
    return "x"  # str, Secret, Any


def minimal_body(cls: type[Any]) -> dict[str, Any]:
    """Required fields and always-sent defaults (tags) of a model, with minimal values."""
    body: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name == "extra_fields" or field.default is UNSET:
            continue
        body[field.name] = (
            minimal_value(field.type) if field.default is attrs.NOTHING else field.default
        )
    return body


# -- every field of every model reachable from the three request roots ---------------------


class Site(NamedTuple):
    """One field inside one request: the root, the nested objects on the way, the field."""

    root: type[Any]
    trail: tuple[tuple[str, str, type[Any]], ...]  # (key, "obj" | "list" | "dict", class)
    leaf: str

    @property
    def owner(self) -> type[Any]:
        """The model class the field belongs to."""
        return self.trail[-1][2] if self.trail else self.root

    @property
    def ident(self) -> str:
        return f"{self.root.__name__}:{self.path}({self.owner.__name__})"

    @property
    def path(self) -> str:
        text = ""
        for key, shape, _ in self.trail:
            text += f".{key}" if text else key
            text += {"obj": "", "list": "[0]", "dict": ".k"}[shape]
        return f"{text}.{self.leaf}" if text else self.leaf

    def body(self, value: object) -> dict[str, Any]:
        root = node = minimal_body(self.root)
        for key, shape, cls in self.trail:
            child = minimal_body(cls)
            node[key] = {"obj": child, "list": [child], "dict": {"k": child}}[shape]
            node = child
        node[self.leaf] = value
        return root

    def model(self, value: object) -> object:
        """The same request built from model instances, with `value` in the field as given."""
        levels = [self.root, *(cls for _, _, cls in self.trail)]
        inner = value
        for depth in reversed(range(len(levels))):
            kwargs = _required_kwargs(levels[depth])
            if depth == len(levels) - 1:
                kwargs[self.leaf] = value
            else:
                key, shape, _ = self.trail[depth]
                kwargs[key] = {"obj": inner, "list": [inner], "dict": {"k": inner}}[shape]
            inner = levels[depth](**kwargs)
        return inner


def _required_kwargs(cls: type[Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.default is attrs.NOTHING:
            member = _members(field.type)[0]
            if attrs.has(member):  # a required nested object (a translation's session)
                kwargs[field.name] = member(**_required_kwargs(member))
            else:
                kwargs[field.name] = Secret("x") if member is Secret else minimal_value(member)
    return kwargs


def _nested(t: Any) -> Iterator[tuple[str, type[Any]]]:
    for member in _members(t):
        origin = get_origin(member)
        if attrs.has(member):
            yield "obj", member
        elif origin is list:
            yield from (
                ("list", cls) for shape, cls in _nested(get_args(member)[0]) if shape == "obj"
            )
        elif origin in (dict, Mapping):
            yield from (
                ("dict", cls) for shape, cls in _nested(get_args(member)[1]) if shape == "obj"
            )
        elif get_origin(member) in (typing.Union, types.UnionType):
            yield from _nested(member)


def _sites(root: type[Any], cls: type[Any], trail: tuple[Any, ...]) -> Iterator[Site]:
    for field in attrs.fields(cls):
        if field.name == "extra_fields":
            continue
        yield Site(root, trail, field.name)
        for shape, member in _nested(field.type):
            yield from _sites(root, member, (*trail, (field.name, shape, member)))


SITES = [site for root in ROOTS for site in _sites(root, root, ())]


# -- values ---------------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0]),
    st.text(max_size=12),
)
# A long string (up to 24 kB of UTF-8), drawn only as a field's whole value: inside nested
# junk several of them would add up past the 30,000 characters at which Hypothesis warns
# that an example's repr is overly large (an error under warnings-as-errors).
_long_text = st.integers(min_value=2_000, max_value=12_000).map(lambda n: "\u00e9" * n)
# Non-empty keys without the characters error paths use as separators (a key "a.b", or ""
# nested in "", cannot be told apart in a dotted path; that ambiguity is the notation's).
_keys = st.text(alphabet=st.characters(exclude_characters=".[]"), min_size=1, max_size=8)
# Nested junk: lists and dicts of the above, a few levels deep (string keys only: see
# test_non_string_keys_are_rejected for the other kind).
junk = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=10,
)


def typed_value(t: Any) -> st.SearchStrategy[Any]:
    """Values of the field's own kind (often valid, sometimes out of range)."""
    options = _members(t)
    strategies: list[st.SearchStrategy[Any]] = []
    for member in options:
        origin = get_origin(member)
        if origin is Literal:
            strategies.append(st.sampled_from(get_args(member)))
        elif origin is list:
            strategies.append(st.lists(typed_value(get_args(member)[0]), max_size=2))
        elif attrs.has(member):
            strategies.append(st.just(minimal_body(member)))
        elif member is bool:
            strategies.append(st.booleans())
        elif member is int:
            strategies.append(st.integers(min_value=-10, max_value=10_000))
        elif member is float:
            strategies.append(st.floats(min_value=-2, max_value=5))
        elif member in (str, Secret):
            strategies.append(st.text(max_size=20))
        else:
            strategies.append(junk)
    return st.one_of(strategies) if strategies else junk


# -- the client, the fake and the oracle -----------------------------------------------------


class Harness(NamedTuple):
    fake: FakeRealtimeAPI
    client: SyncRealtimeClient
    outcomes: dict[str, int]


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    """A fake on a background thread (unknown keys accepted, as the SDK passes them on)."""
    with (
        serve_in_thread(reject_unknown_fields=False, max_records=16) as fake,
        SyncRealtimeClient(API_KEY, base_url=fake.base_url, max_retries=0, timeout=30) as client,
    ):
        outcomes = {"accepted": 0, "rejected": 0}
        yield Harness(fake, client, outcomes)


@pytest.fixture(scope="module", autouse=True)
def _report(harness: Harness, figures: Any) -> Iterator[None]:
    yield
    figures.record(
        "bad_input",
        request_model_fields=len(SITES),
        examples_per_field=PER_FIELD,
        whole_dict_examples=EXAMPLES,
        **{f"calls_{name}": count for name, count in harness.outcomes.items()},
    )


def _segments(path: str) -> list[str | int]:
    """Split ``a.b[0].c`` into keys and indices; an empty component is the key ``""``."""
    if not path:
        return []
    parts: list[str | int] = []
    for dotted in path.split("."):
        name, _, rest = dotted.partition("[")
        parts.append(name)
        parts.extend(int(index) for index in filter(None, rest.replace("]", "").split("[")))
    return parts


def _points_into(body: object, path: str) -> bool:
    """Whether an error path names a place in the body (its last step may be a missing field)."""
    node = body
    segments = _segments(path)
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if isinstance(node, dict) and isinstance(segment, str):
            if segment not in node:
                # "[0]" under a root key "" is written without the empty name.
                return last or (segment == "" and position == 0)
            node = node[segment]
        elif isinstance(node, list) and isinstance(segment, int) and segment < len(node):
            node = node[segment]
        else:
            return False
    return True


def send(harness: Harness, root: type[Any], body: object) -> object:
    """Send one request of the root's operation (to a ready call, for a call change)."""
    name = ROOTS[root]
    method = getattr(harness.client, name)
    if name not in _CALL_STATES:
        return method(body)
    call_id = harness.fake.add_incoming_call()
    harness.fake.calls[call_id].state = _CALL_STATES[name]
    return method(call_id, body)


def call(
    harness: Harness, root: type[Any], body: object, at: str | None, *, wire: object = None
) -> None:
    """Make one call and check it against the oracle.

    `at` is the path of the planted value; `wire` the expected body when `body` is a model.
    """
    fake = harness.fake
    before = fake.stats()["requests"]
    try:
        send(harness, root, body)
    except RequestValidationError as exc:
        harness.outcomes["rejected"] += 1
        assert fake.stats()["requests"] == before, "a rejected request reached the server"
        paths = [error.path for error in exc.errors]
        assert paths, str(exc)  # noqa: PT017 - the oracle classifies the outcome
        if at is not None:
            named = [p for p in paths if p == at or p.startswith((f"{at}.", f"{at}["))]
            assert named, f"{paths} does not name {at}"
        for path in paths:
            assert _points_into(body if wire is None else wire, path), f"{path} is not in the body"
    else:
        harness.outcomes["accepted"] += 1
        _assert_sent_exactly(harness, before, body if wire is None else wire)


def _assert_sent_exactly(harness: Harness, before: int, expected: object) -> None:
    assert harness.fake.stats()["requests"] == before + 1
    assert harness.fake.requests[-1].json == json.loads(json.dumps(expected))


def test_every_request_model_field_is_covered() -> None:
    """The field sites include every field of every request model class."""
    seen = {(site.owner, site.leaf) for site in SITES}
    expected = {
        (cls, field.name)
        for cls in models.REQUEST_MODELS - _NOT_JSON_BODIES
        for field in attrs.fields(cls)
        if field.name != "extra_fields"
    }
    assert expected <= seen, sorted((c.__name__, n) for c, n in expected - seen)


@pytest.mark.parametrize("site", SITES, ids=lambda site: site.ident)
def test_any_value_in_a_field_is_sent_exactly_or_rejected_at_that_field(harness, site) -> None:
    """A junk or typed value in one field is sent as given or rejected naming that field."""
    field = attrs.fields_dict(site.owner)[site.leaf]

    @settings(
        max_examples=PER_FIELD,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(value=junk | _long_text | typed_value(field.type))
    def check(value: object) -> None:
        call(harness, site.root, site.body(value), site.path)

    check()


@pytest.mark.parametrize("site", SITES, ids=lambda site: site.ident)
def test_any_value_in_a_model_field_is_sent_exactly_or_rejected_at_that_field(
    harness, site
) -> None:
    """A model instance holding a junk value is sent as its dict form or rejected naming the field."""
    field = attrs.fields_dict(site.owner)[site.leaf]

    @settings(
        max_examples=PER_FIELD,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(value=junk | _long_text | typed_value(field.type))
    def check(value: object) -> None:
        try:
            request = site.model(value)
        except RequestValidationError as exc:
            # A range check at construction, before any call: it names the field too.
            assert any(  # noqa: PT017 - construction-time rejection is an outcome too
                error.path.split(".")[0].split("[")[0] == site.leaf for error in exc.errors
            ), str(exc)
            return
        call(harness, site.root, request, site.path, wire=site.body(value))

    check()


_known_keys: Callable[[type[Any]], st.SearchStrategy[str]] = lambda root: st.sampled_from(  # noqa: E731 - a one-line strategy factory
    [field.name for field in attrs.fields(root) if field.name != "extra_fields"]
)


@pytest.mark.parametrize("root", list(ROOTS), ids=lambda root: root.__name__)
def test_any_whole_request_dict_is_sent_exactly_or_rejected_naming_a_field(harness, root) -> None:
    """A dict of known and unknown keys with junk values is sent as given or rejected with paths into it."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(body=st.dictionaries(_known_keys(root) | _keys, junk, max_size=6))
    def check(body: dict[str, Any]) -> None:
        call(harness, root, body, None)

    check()


@pytest.mark.parametrize("root", list(ROOTS), ids=lambda root: root.__name__)
def test_any_non_dict_request_is_rejected_at_the_root(harness, root) -> None:
    """A request that is not a dict or model at all is rejected before anything is sent."""

    # None asks reject for no request (the server's default status), so it is no junk there.
    optional = root is models.RealtimeCallRejectRequest

    @settings(max_examples=EXAMPLES, deadline=None)
    @given(body=junk.filter(lambda v: not isinstance(v, dict) and not (optional and v is None)))
    def check(body: object) -> None:
        before = harness.fake.stats()["requests"]
        with pytest.raises(RequestValidationError) as caught:
            send(harness, root, body)
        assert [error.path for error in caught.value.errors] == [""]
        assert harness.fake.stats()["requests"] == before

    check()


def test_non_string_keys_are_rejected(harness) -> None:
    """A dict key that is not a string is rejected with a path, before anything is sent."""
    body = {"session": {"type": "realtime", "future": {1: "a", "1": "b"}}}
    before = harness.fake.stats()["requests"]
    with pytest.raises(RequestValidationError) as caught:
        harness.client.create_realtime_client_secret(body)
    assert [error.path for error in caught.value.errors] == ["session.future"]
    assert harness.fake.stats()["requests"] == before


def test_a_session_with_a_custom_voice_reads_back(harness) -> None:
    """A client secret minted for a session with a custom voice is returned, not an error."""
    body = {"session": {"type": "realtime", "audio": {"output": {"voice": {"id": "voice_1"}}}}}
    result = harness.client.create_realtime_client_secret(body)
    assert result.value.reveal().startswith("ek_")


def test_a_beta_session_tool_without_type_reads_back(harness) -> None:
    """A tool sent to the beta sessions endpoint without its optional `type` comes back readable."""
    body = {"model": "gpt-realtime", "tools": [{"name": "lookup", "parameters": {}}]}
    result = harness.client.create_realtime_session(body)
    assert result.tools == [RealtimeFunctionTool(name="lookup", parameters={})]


def test_a_cache_breakpoint_without_mode_is_rejected_before_sending(harness) -> None:
    """A prompt variable's cache breakpoint without its required mode is a RequestValidationError."""
    variable = {"type": "input_text", "text": "hi", "prompt_cache_breakpoint": {}}
    body = {"session": {"type": "realtime", "prompt": {"id": "p", "variables": {"v": variable}}}}
    before = harness.fake.stats()["requests"]
    with pytest.raises(RequestValidationError) as caught:
        harness.client.create_realtime_client_secret(body)
    assert [error.path for error in caught.value.errors] == [
        "session.prompt.variables.v.prompt_cache_breakpoint.mode"
    ]
    assert harness.fake.stats()["requests"] == before


def test_any_beta_audio_format_name_is_sent_as_given(harness) -> None:
    """The beta endpoint's audio formats are any string (the names are prose): sent as given."""
    body = {"input_audio_format": "mp3", "output_audio_format": ""}
    harness.client.create_realtime_session(body)
    assert harness.fake.requests[-1].json == body
