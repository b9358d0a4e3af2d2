"""Where each generated class, enum and union lives: the model modules, split by use.

The REST models are written into several modules under ``realtime_sdk/_models/`` so that a
program creates only the attrs classes it uses (creating a class is the largest start-up
cost): reading a client-secret answer loads `sessions` alone. Each module names its roots;
a class goes into the first module, in `MODULES` order, whose roots reach it, so a module
imports only from the modules before it. ``realtime_sdk.models`` re-exports every name.
See STYLE.md sections 3 and 9.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from realtime_sdk._codegen.ir import (
    IR,
    DictOf,
    ListOf,
    Lit,
    Mixed,
    OpenEnum,
    SpecError,
    Tagged,
    TypeExpr,
    class_names,
    reachable,
)

PACKAGE_NAME: Final = "realtime_sdk._models"


@dataclass(frozen=True)
class Module:
    """One generated models module: its name, what it holds, and the classes it starts from."""

    name: str
    doc: str
    roots: tuple[str, ...]

    @property
    def qualified(self) -> str:
        """The module's import name."""
        return f"{PACKAGE_NAME}.{self.name}"


MODULES: Final = (
    Module(
        "sessions",
        "The GA Realtime and transcription sessions as a client-secret answer gives them, and\n"
        "every shape they share with requests (audio formats, turn detection, tools, prompts).",
        ("RealtimeCreateClientSecretResponse",),
    ),
    Module(
        "session_requests",
        "The GA session settings a request sends: a client-secret request, a call's accept.",
        ("RealtimeCreateClientSecretRequest", "RealtimeSessionCreateRequestGA"),
    ),
    Module(
        "calls",
        "The requests of a call: its SDP offer's session, a refer and a reject.",
        ("RealtimeCallCreateRequest", "RealtimeCallReferRequest", "RealtimeCallRejectRequest"),
    ),
    Module(
        "translations",
        "Realtime translation sessions: the client-secret request and answer.",
        (
            "RealtimeTranslationClientSecretCreateRequest",
            "RealtimeTranslationClientSecretCreateResponse",
        ),
    ),
    Module(
        "beta_sessions",
        "The beta (legacy) session and transcription-session requests and answers.",
        (
            "RealtimeSessionCreateRequest",
            "RealtimeSessionCreateResponse",
            "RealtimeTranscriptionSessionCreateRequest",
            "RealtimeTranscriptionSessionCreateResponse",
        ),
    ),
    Module(
        "webhooks",
        "The payloads of the webhook events the SDK reads.",
        ("WebhookRealtimeCallIncoming", "WebhookLiveCallIncoming"),
    ),
)
"""The REST models modules, in dependency order."""


@dataclass
class Placement:
    """The module of every class, enum and named union of an IR."""

    modules: tuple[Module, ...]
    home: dict[str, str] = field(default_factory=dict)  # class, enum or union name: module name

    def names_in(self, module: Module, names: Iterable[str]) -> list[str]:
        """Those of `names` that live in `module`, in their given order."""
        return [name for name in names if self.home[name] == module.name]


def _index(modules: tuple[Module, ...], name: str) -> int:
    return next(i for i, m in enumerate(modules) if m.name == name)


def aliases(t: TypeExpr) -> Iterator[str]:
    """The enum and union aliases a type expression names, at any depth (members included)."""
    if isinstance(t, Lit | OpenEnum | Tagged | Mixed) and t.alias is not None:
        yield t.alias
    if isinstance(t, Tagged):
        for _, member in t.members:
            if isinstance(member, Tagged):
                yield from aliases(member)
    elif isinstance(t, Mixed):
        for _, part in t.members:
            yield from aliases(part)
    elif isinstance(t, ListOf):
        yield from aliases(t.item)
    elif isinstance(t, DictOf):
        yield from aliases(t.value)


def place(ir: IR, modules: tuple[Module, ...] = MODULES) -> Placement:
    """The module of each class (the first whose roots reach it), enum and union.

    An enum or union lives in the first module whose classes name it; a union's members are
    all in that module or before it (a class that names a union reaches its members).

    Raises:
        SpecError: a root is not a class of the spec, or a class is reached by no root.
    """
    placement = Placement(modules)
    for module in modules:
        for root in module.roots:
            if root not in ir.models:
                msg = f"placement: {module.name} names the root {root}, which the spec lacks"
                raise SpecError(msg)
            for name in sorted(reachable(ir, root)):
                placement.home.setdefault(name, module.name)
    lost = [name for name in ir.models if name not in placement.home]
    if lost:
        msg = f"placement: no module's roots reach {lost}; add a root to placement.MODULES"
        raise SpecError(msg)
    _place_aliases(ir, placement)
    _check_members(ir, placement)
    return placement


def _place_aliases(ir: IR, placement: Placement) -> None:
    """Enums and unions: the first module one of whose classes names them (via its fields)."""
    modules = placement.modules
    for name in sorted(ir.models, key=lambda n: _index(modules, placement.home[n])):
        for f in ir.models[name].fields:
            for alias in aliases(f.type):
                placement.home.setdefault(alias, placement.home[name])
                for inner in _union_aliases(ir, alias):
                    placement.home.setdefault(inner, placement.home[name])
    for name in [*ir.enums, *ir.unions]:
        placement.home.setdefault(name, modules[0].name)  # named by no class: the first module


def _union_aliases(ir: IR, alias: str) -> Iterator[str]:
    union = ir.unions.get(alias)
    if union is not None:
        for _, member in union.members:
            if not isinstance(member, str):
                yield from aliases(member)


def _check_members(ir: IR, placement: Placement) -> None:
    for name, union in ir.unions.items():
        at = _index(placement.modules, placement.home[name])
        for member in class_names(union):
            if _index(placement.modules, placement.home[member]) > at:
                msg = f"placement: union {name} comes before its member {member}"
                raise SpecError(msg)


__all__ = ["MODULES", "PACKAGE_NAME", "Module", "Placement", "aliases", "place"]
