"""Secret and UNSET: the two small values every model leans on."""

import logging
import pickle

import pytest

from realtime_sdk import UNSET, Secret

KEY = "ek_68af296e8e408191a1120ab6383263c2"


def test_repr_and_str_mask_the_value() -> None:
    """Neither repr, str nor an f-string shows the value."""
    secret = Secret(KEY)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>40}"]
    assert all(KEY not in text for text in shown)
    assert all("ek_" in text for text in shown)


def test_reveal_gives_the_value() -> None:
    """reveal() is the one explicit way to read it."""
    assert Secret(KEY).reveal() == KEY


def test_unknown_prefix_is_fully_masked() -> None:
    """A value without a known prefix shows nothing of itself."""
    assert str(Secret("hunter2-password")) == "****"


def test_logging_does_not_leak(caplog: pytest.LogCaptureFixture) -> None:
    """A secret passed to a log call is masked in the record's text."""
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("t").debug("minted %s", Secret(KEY))
    assert KEY not in caplog.text


def test_equality_and_hash_follow_the_value() -> None:
    """Two secrets with one value are equal and hash alike; a str is not a secret."""
    assert Secret(KEY) == Secret(KEY)
    assert hash(Secret(KEY)) == hash(Secret(KEY))
    assert Secret(KEY) != Secret(KEY + "x")
    assert Secret(KEY) != KEY


def test_immutable_and_rejects_non_str() -> None:
    """A secret cannot be changed, and only wraps a str."""
    secret = Secret(KEY)
    with pytest.raises(AttributeError):
        secret._value = "x"  # type: ignore[misc]
    with pytest.raises(TypeError, match="must be a str, got int"):
        Secret(5)  # type: ignore[arg-type]


def test_pickle_round_trip_keeps_value() -> None:
    """Pickling keeps the value so caches and process pools work."""
    assert pickle.loads(pickle.dumps(Secret(KEY))).reveal() == KEY  # noqa: S301 - our own bytes


def test_unset_is_a_falsy_singleton() -> None:
    """UNSET is falsy, prints as UNSET and survives a pickle as the same object."""
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET  # noqa: S301 - our own bytes
