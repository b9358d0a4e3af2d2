"""Code generators for realtime_sdk; never imported at runtime.

Run ``python -m realtime_sdk._codegen`` to regenerate every generated file, or add
``--check`` to diff them against a fresh rendering (exit 1 on drift).
"""
