"""Token helpers on minted secrets (expires_in, is_expired, for_browser), from the fake's answers."""

import json

import pytest

from realtime_sdk import RealtimeClient, from_dict
from realtime_sdk.models import (
    RealtimeCreateClientSecretResponse,
    RealtimeSessionCreateResponse,
    RealtimeTranscriptionSessionCreateResponse,
)
from realtime_sdk.testing import FakeRealtimeAPI
from tests.conftest import warns_if_legacy

NOW = 1_800_000_000
KEY = "sk-test-0123456789abcdef"


pytestmark = pytest.mark.usefixtures("clean_openai_env")


async def _mint(**fake_options: object):
    async with (
        FakeRealtimeAPI(clock=lambda: NOW, **fake_options) as fake,  # type: ignore[arg-type]
        RealtimeClient(api_key=KEY, base_url=fake.base_url) as client,
    ):
        secret = await client.create_realtime_client_secret(
            {
                "expires_after": {"anchor": "created_at", "seconds": 600},
                "session": {"type": "realtime", "model": "gpt-realtime"},
            }
        )
        with warns_if_legacy("create_realtime_session"):
            session = await client.create_realtime_session({"model": "gpt-realtime"})
        with warns_if_legacy("create_realtime_transcription_session"):
            transcription = await client.create_realtime_transcription_session({})
    return secret, session, transcription, fake


async def test_expiry_helpers_on_every_minted_secret() -> None:
    """Each of the three answers tells the seconds left, never below 0, and expiry with a margin."""
    secret, session, transcription, _ = await _mint(session_ttl=60)
    assert secret.expires_in(now=NOW) == 600.0
    assert secret.expires_in(now=NOW + 599.5) == 0.5
    assert secret.expires_in(now=NOW + 10_000) == 0.0
    assert not secret.is_expired(now=NOW)
    assert secret.is_expired(margin=600, now=NOW)
    assert not secret.is_expired(margin=599, now=NOW)
    assert secret.is_expired(now=NOW + 600)
    for beta in (session, transcription):
        assert beta.expires_in(now=NOW) == 60.0
        assert beta.is_expired(margin=30, now=NOW + 31)
    assert secret.expires_in() >= 0.0  # against the real clock: long past, so 0


async def test_for_browser_is_exactly_the_token_json() -> None:
    """for_browser gives the revealed key, its expiry and the session's type and model, nothing else."""
    secret, session, transcription, fake = await _mint()
    minted = fake.minted_keys
    assert secret.for_browser() == {
        "value": minted[0],
        "expires_at": NOW + 600,
        "session": {"type": "realtime", "model": "gpt-realtime"},
    }
    assert session.for_browser() == {
        "value": minted[1],
        "expires_at": session.client_secret.expires_at,
        "session": {"type": "realtime", "model": "gpt-realtime"},
    }
    assert transcription.for_browser() == {
        "value": minted[2],
        "expires_at": transcription.client_secret.expires_at,
        "session": {"type": "transcription"},
    }
    assert json.loads(json.dumps(secret.for_browser())) == secret.for_browser()


def test_for_browser_leaves_out_a_model_the_answer_did_not_name() -> None:
    """Without a model in the session, for_browser carries its type only."""
    secret = from_dict(
        {
            "value": "ek_abcdef123456",
            "expires_at": NOW,
            "session": {"type": "transcription", "id": "sess_1", "object": "realtime.session"},
        },
        RealtimeCreateClientSecretResponse,
    )
    assert secret.for_browser() == {
        "value": "ek_abcdef123456",
        "expires_at": NOW,
        "session": {"type": "transcription"},
    }


def test_missing_expiry_or_key_is_a_clear_error() -> None:
    """An answer that carried null for the key or expiry cannot be handed on or timed."""
    no_expiry = from_dict(
        {"value": "ek_abcdef123456", "expires_at": None, "session": None},
        RealtimeCreateClientSecretResponse,
    )
    with pytest.raises(ValueError, match="no expires_at"):
        no_expiry.expires_in()
    with pytest.raises(ValueError, match="no expires_at"):
        no_expiry.for_browser()
    no_key = from_dict({}, RealtimeSessionCreateResponse)
    with pytest.raises(ValueError, match="no ephemeral key"):
        no_key.for_browser()
    with pytest.raises(ValueError, match="no expires_at"):
        no_key.is_expired()
    transcription = from_dict(
        {"client_secret": {"value": "ek_abcdef123456", "expires_at": NOW}},
        RealtimeTranscriptionSessionCreateResponse,
    )
    assert transcription.expires_in(now=NOW - 1) == 1.0


@pytest.mark.parametrize("margin", [-1, float("nan"), float("inf"), True, "5"])
def test_bad_margin_is_refused(margin) -> None:
    """is_expired's margin must be a finite number of seconds >= 0."""
    secret = from_dict(
        {"value": "ek_abcdef123456", "expires_at": NOW, "session": None},
        RealtimeCreateClientSecretResponse,
    )
    with pytest.raises(ValueError, match="margin"):
        secret.is_expired(margin=margin, now=NOW)


def test_helpers_keep_the_models_slotted_and_masked() -> None:
    """The mixin adds no per-instance state, and repr still masks the key."""
    secret = from_dict(
        {"value": "ek_abcdef123456", "expires_at": NOW, "session": None},
        RealtimeCreateClientSecretResponse,
    )
    assert not hasattr(secret, "__dict__")
    assert "abcdef123456" not in repr(secret)


async def test_translation_secrets_have_the_helpers_too() -> None:
    """A translation key's answer gives the same browser JSON, with its session's type and model."""
    async with (
        FakeRealtimeAPI(clock=lambda: NOW) as fake,
        RealtimeClient(api_key=KEY, base_url=fake.base_url) as client,
    ):
        secret = await client.create_realtime_translation_client_secret(
            {
                "expires_after": {"anchor": "created_at", "seconds": 300},
                "session": {
                    "model": "gpt-realtime-translate",
                    "audio": {"output": {"language": "es"}},
                },
            }
        )
    assert secret.expires_in(now=NOW) == 300.0
    assert secret.for_browser() == {
        "value": fake.minted_keys[0],
        "expires_at": NOW + 300,
        "session": {"type": "translation", "model": "gpt-realtime-translate"},
    }
