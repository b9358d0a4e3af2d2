"""Our own words for the generated models, and the generator's marks on the spec.

The spec's prose never reaches models.py: class docstrings come from `CLASS_DOCS`, attribute
docstrings are built from schema facts plus `FIELD_NOTES`. Where the spec and the service
part ways is not decided here but in `realtime_sdk._spec.quirks`, which the fake API reads
too; this module only marks the fields that hold a key (`SECRETS`).
"""

from typing import Final

_S: Final = "#/components/schemas/"

# String properties holding an ephemeral key: typed `Secret`, never shown in a repr.
SECRETS: Final = (
    _S + "RealtimeCreateClientSecretResponse/properties/value",
    _S + "RealtimeSessionCreateRequest/properties/client_secret/properties/value",
    _S + "RealtimeSessionCreateResponse/properties/client_secret/anyOf/0/properties/value",
    _S + "RealtimeTranscriptionSessionCreateResponse/properties/client_secret/properties/value",
    _S + "RealtimeTranslationClientSecretCreateResponse/properties/value",
)

# One or two sentences per class, in our words.
CLASS_DOCS: Final[dict[str, str]] = {
    "AudioTranscription": "How the input audio is transcribed: model, language hints and a prompt.",
    "AudioTranscriptionResponse": "The transcription settings the server applied to a session.",
    "ClientSecretExpiration": "When the ephemeral key stops working, counted from its creation.",
    "CustomVoice": "A custom voice, referred to by its id.",
    "InputFileContent": "A file passed as a prompt variable, by id, URL or inline data.",
    "InputImageContent": "An image passed as a prompt variable, by URL or file id.",
    "InputTextContent": "Text passed as a prompt variable.",
    "LegacyAudioTranscription": "Transcription settings of the older sessions endpoint: just a model.",
    "LegacyFunctionTool": "A function the model may call, as the older sessions endpoint takes it.",
    "LegacySessionAudio": "Audio settings reported by the older sessions endpoint.",
    "LegacySessionAudioInput": "Input audio settings reported by the older sessions endpoint.",
    "LegacySessionAudioOutput": "Output audio settings reported by the older sessions endpoint.",
    "LegacyTranscriptionTurnDetection": "Voice activity detection for the older transcription sessions endpoint.",
    "LegacyTurnDetection": "Voice activity detection settings in the older, untagged form.",
    "MCPTool": "A remote MCP server (or a built-in connector) whose tools the model may call.",
    "MCPToolApprovalFilter": "Which MCP tools need approval before a call and which never do.",
    "MCPToolFilter": "Selects MCP tools by name or by their read-only hint.",
    "NoiseReduction": "Noise reduction applied to input audio before detection and transcription.",
    "PcmAudioFormat": "16-bit PCM audio at 24 kHz.",
    "PcmaAudioFormat": "G.711 A-law audio.",
    "PcmuAudioFormat": "G.711 mu-law audio.",
    "Prompt": "A stored prompt template, with its version and the values for its variables.",
    "PromptCacheBreakpointConfig": "Marks where a prompt cache breakpoint goes.",
    "RealtimeAudioConfig": "Input and output audio settings of a realtime session.",
    "RealtimeAudioConfigResponse": "The input and output audio settings a realtime session runs with.",
    "RealtimeAudioInput": "How input audio is encoded, cleaned, transcribed and segmented into turns.",
    "RealtimeAudioInputResponse": "The input audio settings a realtime session runs with.",
    "RealtimeAudioOutput": "How the model's audio is encoded, voiced and paced.",
    "RealtimeAudioOutputResponse": "The output audio settings a realtime session runs with.",
    "RealtimeCallCreateRequest": "A WebRTC call to create: the browser's SDP offer and, optionally, the session it opens.",
    "RealtimeCallIncomingData": "The incoming SIP call: its id and the SIP headers of its INVITE.",
    "RealtimeCallReferRequest": "Where to transfer a SIP call (a SIP or tel URI).",
    "RealtimeCallRejectRequest": "The SIP status sent to the caller of a declined call.",
    "RealtimeCreateClientSecretRequest": "Body of POST /realtime/client_secrets: the key's lifetime and the session it is for.",
    "RealtimeCreateClientSecretResponse": "An ephemeral key (`value`, a `Secret`), its expiry and the session it opens.",
    "RealtimeFunctionTool": "A function the model may call; the caller runs it and returns the result.",
    "RealtimeReasoning": "How much reasoning effort the model spends.",
    "RealtimeSessionCreateRequest": "Body of POST /realtime/sessions (the older sessions endpoint).",
    "RealtimeSessionCreateRequestGA": "Configuration of a speech-to-speech realtime session.",
    "RealtimeSessionCreateResponse": "The session created by POST /realtime/sessions, with its ephemeral key.",
    "RealtimeSessionCreateResponseGA": "The effective configuration of a realtime session.",
    "RealtimeTranscriptionSessionCreateRequest": "Body of POST /realtime/transcription_sessions (the older endpoint).",
    "RealtimeTranscriptionSessionCreateRequestGA": "Configuration of a transcription-only realtime session.",
    "RealtimeTranscriptionSessionCreateResponse": "The session created by POST /realtime/transcription_sessions, with its ephemeral key.",
    "RealtimeTranscriptionSessionCreateResponseGA": "The effective configuration of a transcription session.",
    "RealtimeTranslationClientSecretCreateRequest": "Body of POST /realtime/translations/client_secrets: the key's lifetime and its translation session.",
    "RealtimeTranslationClientSecretCreateResponse": "An ephemeral key for translation (`value`, a `Secret`), its expiry and its session.",
    "RealtimeTranslationSession": "The effective configuration of a translation session.",
    "RealtimeTranslationSessionCreateRequest": "Configuration of a translation session: the model and its audio.",
    "RetentionRatioTruncation": "Drops the oldest part of the conversation, keeping a share of the context.",
    "SemanticVad": "Turn detection that judges from the words whether the speaker has finished.",
    "ServerVad": "Turn detection based on silence in the audio.",
    "SessionClientSecret": "An ephemeral key (`value`, a `Secret`) and when it expires.",
    "SipHeader": "One SIP header of an incoming call, by name and value.",
    "ToolChoiceFunction": "Forces a call to one named function.",
    "ToolChoiceMCP": "Forces a call to a tool on one MCP server.",
    "TracingConfiguration": "Names the trace of a session: workflow, group and metadata.",
    "TranscriptionAudioConfig": "Input audio settings of a transcription session.",
    "TranscriptionAudioConfigResponse": "The input audio settings a transcription session runs with.",
    "TranscriptionAudioInputResponse": "The input audio settings a transcription session runs with.",
    "TranslationAudioConfig": "Input and output audio settings of a translation session.",
    "TranslationAudioInput": "How a translation session cleans and transcribes its input audio.",
    "TranslationAudioOutput": "The language a translation session speaks and writes.",
    "TranslationNoiseReduction": "Noise reduction of a translation session's input audio.",
    "TranslationTranscription": "Transcription of the source-language audio: just the model.",
    "TruncationTokenLimits": "Token limits that trigger truncation.",
    "WebhookLiveCallIncoming": "The ``live.call.incoming`` webhook event: the same waiting SIP call as a ``realtime.call.incoming``, offered to the Live API; its ``session_id`` is that event's ``call_id``.",
    "LiveCallIncomingData": "The waiting SIP call a ``live.call.incoming`` event announces.",
    "WebhookRealtimeCallIncoming": "The ``realtime.call.incoming`` webhook event: a SIP call is waiting to be accepted.",
}

# What null means, for attribute docstrings of nullable fields (by property name).
NULL_MEANINGS: Final[dict[str, str]] = {
    "turn_detection": "None turns voice activity detection off; the client then ends each turn.",
    "noise_reduction": "None turns noise reduction off.",
    "input_audio_noise_reduction": "None turns noise reduction off.",
    "transcription": "None turns input transcription off.",
    "input_audio_transcription": "None turns input transcription off.",
    "tracing": "None turns tracing off.",
    "prompt": "None means no stored prompt.",
    "idle_timeout_ms": "None means no idle timeout.",
}

# Extra facts for attribute docstrings, keyed by Class.property or by property name.
FIELD_NOTES: Final[dict[str, str]] = {
    "tracing": '"auto" traces with default names.',
    "expires_at": "Unix time in seconds.",
    "max_output_tokens": '"inf" means the model maximum.',
    "max_response_output_tokens": '"inf" means the model maximum.',
    "RealtimeSessionCreateRequest.client_secret": (
        "The spec lists it as required, but it is a response field: leave it out."
    ),
    "RealtimeSessionCreateRequest.model": (
        "Missing from the published schema; the endpoint's own example sends it."
    ),
    "RealtimeSessionCreateResponse.client_secret": (
        "Missing from the published schema; the endpoint returns it."
    ),
    "value": "Call `reveal()` to get the key itself.",
    "SipHeader.value": "As the caller's SIP side sent it.",
    "RealtimeCallRejectRequest.status_code": "A SIP status, e.g. 486 (busy); server default: 603.",
    "RealtimeCallReferRequest.target_uri": "A SIP or tel URI, e.g. tel:+14155550123.",
    "RealtimeCallCreateRequest.sdp": "The SDP offer, as the browser's RTCPeerConnection made it.",
}
