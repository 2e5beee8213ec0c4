"""The raw data contract: the columns each landing source must carry, with their types.

One place for the contract: the simulator writes it, the raw assets enforce it, the GX landing
suite and the docs (docs/architecture.md) describe it.
"""

from __future__ import annotations

import datetime as dt

SOURCES = ("generations", "classifications", "accounts")

# DuckDB type names; every engine we target has an equivalent.
GENERATIONS = {
    "id": "VARCHAR",
    "created_at": "TIMESTAMP",
    "account_id": "VARCHAR",
    "app_id": "VARCHAR",
    "model": "VARCHAR",
    "provider_name": "VARCHAR",
    "is_byok": "BOOLEAN",
    "streamed": "BOOLEAN",
    "cancelled": "BOOLEAN",
    "finish_reason": "VARCHAR",
    "native_finish_reason": "VARCHAR",
    "tools_offered": "INTEGER",
    "tokens_prompt": "BIGINT",
    "tokens_completion": "BIGINT",
    "native_tokens_reasoning": "BIGINT",
    "native_tokens_cached": "BIGINT",
    "total_cost": "DOUBLE",
    "cache_discount": "DOUBLE",
    "latency": "DOUBLE",
    "generation_time": "DOUBLE",
}

CLASSIFICATIONS = {
    "id": "VARCHAR",
    "classified_at": "TIMESTAMP",
    "classifier_version": "VARCHAR",
    "label_path": "VARCHAR",
    "confidence": "DOUBLE",
    "language": "VARCHAR",
    "language_confidence": "DOUBLE",
}

ACCOUNTS = {
    "account_id": "VARCHAR",
    "billing_country": "VARCHAR",
    "created_at": "TIMESTAMP",
}

COLUMNS = {"generations": GENERATIONS, "classifications": CLASSIFICATIONS, "accounts": ACCOUNTS}

# Columns a row cannot do without; the rest may be null.
REQUIRED = {
    "generations": ("id", "created_at", "account_id", "model", "tokens_prompt", "tokens_completion"),
    "classifications": ("id", "label_path", "confidence"),
    "accounts": ("account_id",),
}

# The key a row is unique on within its day.
UNIQUE_KEY = {
    "generations": ("id",),
    "classifications": ("id", "label_path"),
    "accounts": ("account_id",),
}

FINISH_REASONS = ("stop", "length", "tool_calls", "content_filter", "error")

# No prompt or completion text is ever accepted: a file carrying one of these columns is rejected.
FORBIDDEN_TEXT_COLUMNS = (
    "prompt",
    "prompt_text",
    "completion",
    "completion_text",
    "messages",
    "message",
    "content",
    "input",
    "output",
    "text",
    "response",
    "response_text",
    "system_prompt",
)

# Task categories exist only from this day on (the study's classifier start).
CATEGORIES_START = dt.date(2025, 5, 1)
MIN_LABEL_CONFIDENCE = 0.5

# The study window and the first daily partition.
PARTITIONS_START = dt.date(2024, 11, 3)
STUDY_END = dt.date(2025, 11, 30)
