"""Rebuild ``dbt/seeds/model_attributes.csv`` from the facts below plus the vendored catalogue.

Run ``python -m dagster_project.simulate.build_seeds``. Facts (author, weights, origin, size, reasoning
class, release date) come from the study's model timeline (paper §3, tag ``paper§3``) or are widely
reported (``widely_reported``). Prices come from the vendored OpenRouter catalogue snapshot when the
model is there (``catalogue_2026-08-21``/``catalogue_2026-07-11``), else from widely reported list prices.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ("catalogue_2026-08-21", ROOT / "data/public/openrouter_models_catalog/openrouter_models_2026-08-21.csv"),
    ("catalogue_2026-07-11", ROOT / "data/public/openrouter_models_catalog/openrouter_models_2026-07-11.csv"),
]
OUT = ROOT / "dbt/seeds/model_attributes.csv"

AUTHOR_COUNTRY = {
    "OpenAI": "US",
    "Anthropic": "US",
    "Google": "US",
    "xAI": "US",
    "Meta": "US",
    "IBM": "US",
    "Microsoft": "US",
    "NousResearch": "US",
    "Cohere": "CA",
    "Mistral AI": "FR",
    "TNG Tech": "DE",
    "DeepSeek": "CN",
    "Qwen": "CN",
    "MiniMax": "CN",
    "Z.AI": "CN",
    "Moonshot AI": "CN",
}

# slug, name, author, open, params_b, reasoning_class, release_date, fact source,
# fallback prices (in, out $/Mtok)
P3, WR = "paper§3", "widely_reported"
MODELS = [
    ("openai/gpt-4", "GPT-4", "OpenAI", False, None, "non_reasoning", "2023-03-14", P3, None),
    ("openai/gpt-4o", "GPT-4o", "OpenAI", False, None, "non_reasoning", "2024-05-13", WR, None),
    ("openai/gpt-4o-mini", "GPT-4o mini", "OpenAI", False, None, "non_reasoning", "2024-07-18", P3, None),
    ("openai/o1", "o1", "OpenAI", False, None, "reasoning", "2024-12-05", P3, None),
    ("openai/o3-mini", "o3-mini", "OpenAI", False, None, "reasoning", "2025-01-31", WR, None),
    ("openai/gpt-4.1", "GPT-4.1", "OpenAI", False, None, "non_reasoning", "2025-04-14", WR, None),
    ("openai/gpt-4.1-mini", "GPT-4.1 mini", "OpenAI", False, None, "non_reasoning", "2025-04-14", WR, None),
    ("openai/gpt-5", "GPT-5", "OpenAI", False, None, "reasoning", "2025-08-07", P3, None),
    ("openai/gpt-5-mini", "GPT-5 mini", "OpenAI", False, None, "reasoning", "2025-08-07", WR, None),
    ("openai/gpt-5-pro", "GPT-5 Pro", "OpenAI", False, None, "reasoning", "2025-10-06", P3, None),
    ("openai/gpt-5.1", "GPT-5.1", "OpenAI", False, None, "reasoning", "2025-11-13", P3, None),
    (
        "anthropic/claude-3.5-sonnet",
        "Claude 3.5 Sonnet",
        "Anthropic",
        False,
        None,
        "non_reasoning",
        "2024-06-20",
        P3,
        (3.0, 15.0),
    ),
    (
        "anthropic/claude-3.5-haiku",
        "Claude 3.5 Haiku",
        "Anthropic",
        False,
        None,
        "non_reasoning",
        "2024-11-04",
        WR,
        (0.8, 4.0),
    ),
    (
        "anthropic/claude-3.7-sonnet",
        "Claude 3.7 Sonnet",
        "Anthropic",
        False,
        None,
        "hybrid",
        "2025-02-24",
        P3,
        (3.0, 15.0),
    ),
    (
        "anthropic/claude-sonnet-4",
        "Claude Sonnet 4",
        "Anthropic",
        False,
        None,
        "hybrid",
        "2025-05-22",
        P3,
        None,
    ),
    ("anthropic/claude-opus-4", "Claude Opus 4", "Anthropic", False, None, "hybrid", "2025-05-22", WR, None),
    (
        "anthropic/claude-sonnet-4.5",
        "Claude Sonnet 4.5",
        "Anthropic",
        False,
        None,
        "hybrid",
        "2025-09-29",
        P3,
        None,
    ),
    (
        "anthropic/claude-haiku-4.5",
        "Claude Haiku 4.5",
        "Anthropic",
        False,
        None,
        "hybrid",
        "2025-10-15",
        WR,
        None,
    ),
    (
        "anthropic/claude-opus-4.5",
        "Claude Opus 4.5",
        "Anthropic",
        False,
        None,
        "hybrid",
        "2025-11-24",
        P3,
        None,
    ),
    (
        "google/gemini-flash-1.5",
        "Gemini 1.5 Flash",
        "Google",
        False,
        None,
        "non_reasoning",
        "2024-05-14",
        WR,
        (0.075, 0.3),
    ),
    (
        "google/gemini-2.0-flash-001",
        "Gemini 2.0 Flash",
        "Google",
        False,
        None,
        "non_reasoning",
        "2024-12-11",
        P3,
        (0.1, 0.4),
    ),
    ("google/gemini-2.5-pro", "Gemini 2.5 Pro", "Google", False, None, "reasoning", "2025-03-25", P3, None),
    ("google/gemini-2.5-flash", "Gemini 2.5 Flash", "Google", False, None, "hybrid", "2025-04-17", P3, None),
    (
        "google/gemini-3-pro-preview",
        "Gemini 3 Pro Preview",
        "Google",
        False,
        None,
        "reasoning",
        "2025-11-18",
        P3,
        (2.0, 12.0),
    ),
    ("x-ai/grok-3", "Grok 3", "xAI", False, None, "non_reasoning", "2025-04-09", WR, (3.0, 15.0)),
    ("x-ai/grok-4", "Grok 4", "xAI", False, None, "reasoning", "2025-07-09", WR, (3.0, 15.0)),
    (
        "x-ai/grok-code-fast-1",
        "Grok Code Fast 1",
        "xAI",
        False,
        None,
        "reasoning",
        "2025-08-26",
        P3,
        (0.2, 1.5),
    ),
    ("x-ai/grok-4.1-fast", "Grok 4.1 Fast", "xAI", False, None, "hybrid", "2025-11-19", P3, (0.2, 0.5)),
    ("qwen/qwen-max", "Qwen2.5 Max", "Qwen", False, None, "non_reasoning", "2025-01-28", WR, (1.6, 6.4)),
    ("deepseek/deepseek-chat", "DeepSeek V3", "DeepSeek", True, 671, "non_reasoning", "2024-12-26", P3, None),
    ("deepseek/deepseek-r1", "DeepSeek R1", "DeepSeek", True, 671, "reasoning", "2025-01-20", P3, None),
    (
        "deepseek/deepseek-chat-v3-0324",
        "DeepSeek V3 0324",
        "DeepSeek",
        True,
        671,
        "non_reasoning",
        "2025-03-24",
        P3,
        None,
    ),
    (
        "deepseek/deepseek-r1-0528",
        "DeepSeek R1 0528",
        "DeepSeek",
        True,
        671,
        "reasoning",
        "2025-05-28",
        P3,
        None,
    ),
    ("deepseek/deepseek-chat-v3.1", "DeepSeek V3.1", "DeepSeek", True, 671, "hybrid", "2025-08-21", P3, None),
    (
        "deepseek/deepseek-v3.2-exp",
        "DeepSeek V3.2 Exp",
        "DeepSeek",
        True,
        671,
        "hybrid",
        "2025-09-29",
        WR,
        None,
    ),
    (
        "qwen/qwen-2-7b-instruct",
        "Qwen2 7B Instruct",
        "Qwen",
        True,
        7.6,
        "non_reasoning",
        "2024-06-07",
        P3,
        (0.054, 0.054),
    ),
    (
        "qwen/qwen-2.5-72b-instruct",
        "Qwen2.5 72B Instruct",
        "Qwen",
        True,
        72.7,
        "non_reasoning",
        "2024-09-19",
        WR,
        None,
    ),
    (
        "qwen/qwen-2.5-coder-32b-instruct",
        "Qwen2.5 Coder 32B Instruct",
        "Qwen",
        True,
        32.5,
        "non_reasoning",
        "2024-11-12",
        P3,
        None,
    ),
    ("qwen/qwen3-235b-a22b", "Qwen3 235B A22B", "Qwen", True, 235, "hybrid", "2025-04-29", P3, None),
    ("qwen/qwen3-32b", "Qwen3 32B", "Qwen", True, 32.8, "hybrid", "2025-04-29", P3, None),
    ("qwen/qwen3-30b-a3b", "Qwen3 30B A3B", "Qwen", True, 30.5, "hybrid", "2025-04-29", P3, None),
    ("qwen/qwen3-8b", "Qwen3 8B", "Qwen", True, 8.2, "hybrid", "2025-04-29", P3, None),
    (
        "qwen/qwen3-235b-a22b-2507",
        "Qwen3 235B A22B Instruct 2507",
        "Qwen",
        True,
        235,
        "non_reasoning",
        "2025-07-21",
        P3,
        None,
    ),
    ("qwen/qwen3-coder", "Qwen3 Coder 480B A35B", "Qwen", True, 480, "non_reasoning", "2025-07-22", P3, None),
    ("minimax/minimax-m1", "MiniMax M1", "MiniMax", True, 456, "reasoning", "2025-06-16", P3, None),
    ("minimax/minimax-m2", "MiniMax M2", "MiniMax", True, 230, "reasoning", "2025-10-27", P3, None),
    ("z-ai/glm-4.5", "GLM 4.5", "Z.AI", True, 355, "hybrid", "2025-07-28", P3, None),
    ("z-ai/glm-4.5-air", "GLM 4.5 Air", "Z.AI", True, 106, "hybrid", "2025-07-28", P3, None),
    ("z-ai/glm-4.6", "GLM 4.6", "Z.AI", True, 355, "hybrid", "2025-09-30", P3, None),
    ("moonshotai/kimi-k2", "Kimi K2", "Moonshot AI", True, 1000, "non_reasoning", "2025-07-11", P3, None),
    (
        "moonshotai/kimi-k2-0905",
        "Kimi K2 0905",
        "Moonshot AI",
        True,
        1000,
        "non_reasoning",
        "2025-09-05",
        P3,
        None,
    ),
    (
        "moonshotai/kimi-k2-thinking",
        "Kimi K2 Thinking",
        "Moonshot AI",
        True,
        1000,
        "reasoning",
        "2025-11-06",
        P3,
        None,
    ),
    (
        "meta-llama/llama-3.1-8b-instruct",
        "Llama 3.1 8B Instruct",
        "Meta",
        True,
        8,
        "non_reasoning",
        "2024-07-23",
        WR,
        None,
    ),
    (
        "meta-llama/llama-3.3-70b-instruct",
        "Llama 3.3 70B Instruct",
        "Meta",
        True,
        70,
        "non_reasoning",
        "2024-12-06",
        P3,
        None,
    ),
    (
        "meta-llama/llama-4-maverick",
        "Llama 4 Maverick",
        "Meta",
        True,
        400,
        "non_reasoning",
        "2025-04-05",
        P3,
        None,
    ),
    (
        "mistralai/mistral-nemo",
        "Mistral Nemo",
        "Mistral AI",
        True,
        12.2,
        "non_reasoning",
        "2024-07-18",
        WR,
        None,
    ),
    (
        "mistralai/mistral-small-24b-instruct-2501",
        "Mistral Small 3",
        "Mistral AI",
        True,
        24,
        "non_reasoning",
        "2025-01-30",
        P3,
        None,
    ),
    (
        "mistralai/mistral-small-3.2-24b-instruct",
        "Mistral Small 3.2 24B",
        "Mistral AI",
        True,
        24,
        "non_reasoning",
        "2025-06-20",
        WR,
        None,
    ),
    (
        "mistralai/devstral-small",
        "Devstral Small",
        "Mistral AI",
        True,
        24,
        "non_reasoning",
        "2025-05-21",
        WR,
        (0.07, 0.28),
    ),
    ("openai/gpt-oss-120b", "gpt-oss-120b", "OpenAI", True, 117, "reasoning", "2025-08-05", P3, None),
    ("openai/gpt-oss-20b", "gpt-oss-20b", "OpenAI", True, 21, "reasoning", "2025-08-05", P3, None),
    (
        "tngtech/deepseek-r1t-chimera",
        "DeepSeek R1T Chimera",
        "TNG Tech",
        True,
        671,
        "reasoning",
        "2025-04-27",
        P3,
        (0.3, 1.2),
    ),
    (
        "tngtech/deepseek-r1t2-chimera",
        "DeepSeek R1T2 Chimera",
        "TNG Tech",
        True,
        671,
        "reasoning",
        "2025-07-08",
        P3,
        (0.3, 1.2),
    ),
    ("google/gemma-3-27b-it", "Gemma 3 27B", "Google", True, 27, "non_reasoning", "2025-03-12", WR, None),
    ("google/gemma-3-12b-it", "Gemma 3 12B", "Google", True, 12, "non_reasoning", "2025-03-12", WR, None),
    (
        "ibm/granite-4.0-micro",
        "Granite 4.0 Micro",
        "IBM",
        True,
        3,
        "non_reasoning",
        "2025-10-02",
        P3,
        (0.017, 0.11),
    ),
    ("microsoft/phi-4", "Phi 4", "Microsoft", True, 14.7, "non_reasoning", "2024-12-12", WR, None),
    (
        "nousresearch/hermes-3-llama-3.1-70b",
        "Hermes 3 70B",
        "NousResearch",
        True,
        70,
        "non_reasoning",
        "2024-08-15",
        WR,
        None,
    ),
    (
        "cohere/command-r-08-2024",
        "Command R (08-2024)",
        "Cohere",
        True,
        35,
        "non_reasoning",
        "2024-08-30",
        P3,
        None,
    ),
]


def _catalogue() -> dict[str, tuple[str, dict]]:
    out: dict[str, tuple[str, dict]] = {}
    for tag, path in CATALOGUES:  # newest first wins
        with open(path, newline="") as fh:
            for row in csv.DictReader(fh):
                out.setdefault(row["id"], (tag, row))
    return out


def build() -> list[dict]:
    cat = _catalogue()
    rows = []
    for slug, name, author, open_w, params, rclass, release, fsrc, fallback in MODELS:
        if slug in cat and cat[slug][1]["price_prompt"]:
            tag, r = cat[slug]
            pin, pout = float(r["price_prompt"]) * 1e6, float(r["price_completion"]) * 1e6
            psrc = tag
        else:
            assert fallback is not None, slug
            pin, pout = fallback
            psrc = WR
        rows.append(
            {
                "model_slug": slug,
                "model_name": name,
                "author": author,
                "is_open_weights": "true" if open_w else "false",
                "origin_country": AUTHOR_COUNTRY[author],
                "params_b": "" if params is None else f"{params:g}",
                "reasoning_class": rclass,
                "release_date": release,
                "input_price_usd_per_mtok": f"{pin:.6g}",
                "output_price_usd_per_mtok": f"{pout:.6g}",
                "source": f"facts={fsrc}; origin=author_hq_{AUTHOR_COUNTRY[author]}; prices={psrc}",
            }
        )
    return rows


def main() -> None:
    rows = build()
    with open(OUT, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} models to {OUT}")


if __name__ == "__main__":
    main()
