"""Curated Python names for the inline object shapes and unions of the spec.

Keys are JSON pointers into the *effective* spec (`spec.effective_spec`, after the null
quirks of `realtime_sdk._spec.quirks`). Component schemas keep their own names and need no entry here. Several
pointers may share a name when their shapes are identical; the generator checks that, and
fails on a missing, unused or clashing entry. Titles in the spec guided the choices
("Server VAD" -> ServerVad).
"""

from typing import Final

_S: Final = "#/components/schemas/"
_GA_REQ: Final = _S + "RealtimeSessionCreateRequestGA/properties/"
_GA_RESP: Final = _S + "RealtimeSessionCreateResponseGA/properties/"
_TR_REQ: Final = _S + "RealtimeTranscriptionSessionCreateRequestGA/properties/"
_TR_RESP: Final = _S + "RealtimeTranscriptionSessionCreateResponseGA/properties/"
_OLD_REQ: Final = _S + "RealtimeSessionCreateRequest/properties/"
_OLD_RESP: Final = _S + "RealtimeSessionCreateResponse/properties/"
_OLD_TR_REQ: Final = _S + "RealtimeTranscriptionSessionCreateRequest/properties/"
_OLD_TR_RESP: Final = _S + "RealtimeTranscriptionSessionCreateResponse/properties/"
_TL_REQ: Final = _S + "RealtimeTranslationSessionCreateRequest/properties/"

INLINE_NAMES: Final[dict[str, str]] = {
    # client secrets endpoint
    _S + "RealtimeCreateClientSecretRequest/properties/expires_after": "ClientSecretExpiration",
    _S + "RealtimeCreateClientSecretRequest/properties/session": "ClientSecretSessionRequest",
    _S + "RealtimeCreateClientSecretResponse/properties/session": "ClientSecretSessionResponse",
    # translation client secrets endpoint
    _S + "RealtimeTranslationClientSecretCreateRequest/properties/expires_after": (
        "ClientSecretExpiration"
    ),
    _TL_REQ + "audio": "TranslationAudioConfig",
    _TL_REQ + "audio/properties/input": "TranslationAudioInput",
    _TL_REQ + "audio/properties/input/properties/transcription/anyOf/0": "TranslationTranscription",
    _TL_REQ + "audio/properties/input/properties/noise_reduction/anyOf/0": (
        "TranslationNoiseReduction"
    ),
    _TL_REQ + "audio/properties/output": "TranslationAudioOutput",
    # the same shape as the request's, so its inner objects are named there
    _S + "RealtimeTranslationSession/properties/audio": "TranslationAudioConfig",
    # the realtime.call.incoming webhook
    _S + "WebhookRealtimeCallIncoming/properties/data": "RealtimeCallIncomingData",
    _S + "WebhookRealtimeCallIncoming/properties/data/properties/sip_headers/items": "SipHeader",
    # shared components
    _S + "RealtimeAudioFormats/anyOf/0": "PcmAudioFormat",
    _S + "RealtimeAudioFormats/anyOf/1": "PcmuAudioFormat",
    _S + "RealtimeAudioFormats/anyOf/2": "PcmaAudioFormat",
    _S + "AudioTranscription/properties/model": "TranscriptionModel",
    _S + "AudioTranscriptionResponse/properties/model": "TranscriptionModel",
    _S + "RealtimeTurnDetection/anyOf/0/oneOf/0": "ServerVad",
    _S + "RealtimeTurnDetection/anyOf/0/oneOf/1": "SemanticVad",
    _S + "VoiceIdsOrCustomVoice/anyOf/1": "CustomVoice",
    _S + "MCPTool/properties/allowed_tools/anyOf/0": "MCPAllowedTools",
    _S + "MCPTool/properties/require_approval/anyOf/0": "MCPRequireApproval",
    _S + "MCPTool/properties/require_approval/anyOf/0/oneOf/0": "MCPToolApprovalFilter",
    _S + "RealtimeTruncation/oneOf/1": "RetentionRatioTruncation",
    _S + "RealtimeTruncation/oneOf/1/properties/token_limits": "TruncationTokenLimits",
    _S + "ResponsePromptVariables/anyOf/0/additionalProperties": "PromptVariable",
    # realtime session (GA) request
    _GA_REQ + "model": "RealtimeModel",
    _GA_REQ + "audio": "RealtimeAudioConfig",
    _GA_REQ + "audio/properties/input": "RealtimeAudioInput",
    _GA_REQ + "audio/properties/input/properties/noise_reduction/anyOf/0": "NoiseReduction",
    _GA_REQ + "audio/properties/output": "RealtimeAudioOutput",
    _GA_REQ + "tracing": "Tracing",
    _GA_REQ + "tracing/oneOf/1": "TracingConfiguration",
    _GA_REQ + "tools/items": "RealtimeTool",
    _GA_REQ + "tool_choice": "ToolChoice",
    _GA_REQ + "max_output_tokens": "MaxOutputTokens",
    # realtime session (GA) response
    _GA_RESP + "model": "RealtimeModel",
    _GA_RESP + "audio": "RealtimeAudioConfigResponse",
    _GA_RESP + "audio/properties/input": "RealtimeAudioInputResponse",
    _GA_RESP + "audio/properties/input/properties/noise_reduction/anyOf/0": "NoiseReduction",
    _GA_RESP + "audio/properties/output": "RealtimeAudioOutputResponse",
    _GA_RESP + "tracing/anyOf/0": "Tracing",
    _GA_RESP + "tracing/anyOf/0/oneOf/1": "TracingConfiguration",
    _GA_RESP + "tools/items": "RealtimeTool",
    _GA_RESP + "tool_choice": "ToolChoice",
    _GA_RESP + "max_output_tokens": "MaxOutputTokens",
    # transcription session (GA) request and response
    _TR_REQ + "audio": "TranscriptionAudioConfig",
    _TR_REQ + "audio/properties/input": "RealtimeAudioInput",
    _TR_RESP + "audio": "TranscriptionAudioConfigResponse",
    _TR_RESP + "audio/properties/input": "TranscriptionAudioInputResponse",
    _TR_RESP + "audio/properties/input/properties/noise_reduction/anyOf/0": "NoiseReduction",
    _TR_RESP + "audio/properties/input/properties/turn_detection/anyOf/0": "LegacyTurnDetection",
    # the older /realtime/sessions endpoint
    _OLD_REQ + "client_secret": "SessionClientSecret",
    _OLD_REQ + "input_audio_transcription/anyOf/0": "LegacyAudioTranscription",
    _OLD_REQ + "tracing/anyOf/0": "Tracing",
    _OLD_REQ + "tracing/anyOf/0/oneOf/1": "TracingConfiguration",
    _OLD_REQ + "turn_detection/anyOf/0": "LegacyTurnDetection",
    _OLD_REQ + "tools/items": "LegacyFunctionTool",
    _OLD_REQ + "max_response_output_tokens": "MaxOutputTokens",
    _OLD_RESP + "audio": "LegacySessionAudio",
    _OLD_RESP + "audio/properties/input": "LegacySessionAudioInput",
    _OLD_RESP + "audio/properties/input/properties/noise_reduction/anyOf/0": "NoiseReduction",
    _OLD_RESP + "audio/properties/input/properties/turn_detection/anyOf/0": "LegacyTurnDetection",
    _OLD_RESP + "audio/properties/output": "LegacySessionAudioOutput",
    _OLD_RESP + "tracing/anyOf/0": "Tracing",
    _OLD_RESP + "tracing/anyOf/0/oneOf/1": "TracingConfiguration",
    _OLD_RESP + "turn_detection/anyOf/0": "LegacyTurnDetection",
    _OLD_RESP + "max_output_tokens": "MaxOutputTokens",
    _OLD_RESP + "client_secret/anyOf/0": "SessionClientSecret",
    # the older /realtime/transcription_sessions endpoint
    _OLD_TR_REQ + "turn_detection/anyOf/0": "LegacyTranscriptionTurnDetection",
    _OLD_TR_REQ + "input_audio_noise_reduction/anyOf/0": "NoiseReduction",
    _OLD_TR_RESP + "client_secret": "SessionClientSecret",
    _OLD_TR_RESP + "turn_detection/anyOf/0": "LegacyTurnDetection",
}

# Inline shapes of the Realtime event schemas that the REST models do not have.
EVENT_INLINE_NAMES: Final[dict[str, str]] = {
    _S + "RealtimeConversationItemMessageSystem/properties/content/items": "SystemMessageContent",
    _S + "RealtimeConversationItemMessageUser/properties/content/items": "UserMessageContent",
    _S
    + "RealtimeConversationItemMessageAssistant/properties/content/items": "AssistantMessageContent",
    _S + "RealtimeMCPToolCall/properties/error/anyOf/0": "RealtimeMCPError",
    _S + "RealtimeResponseCreateParams/properties/audio": "ResponseAudioConfig",
    _S + "RealtimeResponseCreateParams/properties/audio/properties/output": "ResponseAudioOutput",
    _S + "RealtimeResponseCreateParams/properties/tools/items": "RealtimeTool",
    _S + "RealtimeResponseCreateParams/properties/tool_choice": "ResponseToolChoice",
    _S + "RealtimeResponseCreateParams/properties/max_output_tokens": "MaxOutputTokens",
    _S + "RealtimeClientEventSessionUpdate/properties/session": "SessionUpdateSession",
    _S + "RealtimeResponse/properties/status_details": "ResponseStatusDetails",
    _S + "RealtimeResponse/properties/status_details/properties/error": "ResponseStatusError",
    _S + "RealtimeResponse/properties/audio": "RealtimeResponseAudio",
    _S + "RealtimeResponse/properties/audio/properties/output": "RealtimeResponseAudioOutput",
    _S + "RealtimeResponse/properties/usage": "ResponseUsage",
    _S + "RealtimeResponse/properties/usage/properties/input_token_details": "InputTokenDetails",
    _S
    + "RealtimeResponse/properties/usage/properties/input_token_details/properties/cached_tokens_details": "CachedTokenDetails",
    _S + "RealtimeResponse/properties/usage/properties/output_token_details": "OutputTokenDetails",
    _S + "RealtimeResponse/properties/max_output_tokens": "MaxOutputTokens",
    _S + "RealtimeServerEventConversationCreated/properties/conversation": "Conversation",
    _S + "TranscriptTextUsageTokens/properties/input_token_details": "TranscriptInputTokenDetails",
    _S
    + "RealtimeServerEventConversationItemInputAudioTranscriptionCompleted/properties/usage": "TranscriptionUsage",
    _S
    + "RealtimeServerEventConversationItemInputAudioTranscriptionFailed/properties/error": "TranscriptionError",
    _S + "RealtimeServerEventError/properties/error": "RealtimeError",
    _S + "RealtimeServerEventRateLimitsUpdated/properties/rate_limits/items": "RateLimit",
    _S + "RealtimeServerEventResponseContentPartAdded/properties/part": "ResponseContentPart",
    _S + "RealtimeServerEventResponseContentPartDone/properties/part": "ResponseContentPart",
    _S + "RealtimeServerEventSessionCreated/properties/session": "ServerSession",
    _S + "RealtimeServerEventSessionUpdated/properties/session": "ServerSession",
}
