"""Dirty mode: plant contract faults into a day's files and record each one.

Faulty rows are *extra* rows (copies of real rows with new ids) so the clean population, and hence
the truth, is unchanged once the pipeline has quarantined them. Exceptions, recorded as such: late
rows are real rows moved to a separate late file of their own day; duplicates repeat real rows;
unknown-model rows are valid rows that land (the coverage check reports them).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .plan import random_strings

REASONS = {
    "duplicate_rows": "duplicate_id",
    "duplicate_file": "duplicate_id",
    "late_rows": None,
    "negative_tokens": "negative_tokens",
    "cached_exceeds_prompt": "cached_exceeds_prompt",
    "reasoning_exceeds_completion": "reasoning_exceeds_completion",
    "negative_cost": "negative_cost",
    "timestamp_outside_day": "timestamp_outside_partition",
    "unknown_model": None,
    "invalid_finish_reason": "invalid_finish_reason",
    "invalid_country": "invalid_country",
    "low_confidence_label": "confidence_below_threshold",
    "category_before_start": "category_before_2025_05_01",
    "corrupt_file": None,
    "text_column_file": None,
}
EFFECTS = {
    "late_rows": "valid rows of that day delivered later in a separate file; "
    "must be ingested (not quarantined)",
    "unknown_model": "valid rows that land; model joins dim_models as unknown and the coverage check reports it",
    "corrupt_file": "truncated Parquet file: the day's partition fails with an error naming the file",
    "text_column_file": "file carries a forbidden text column 'prompt': rejected whole, the day fails naming "
    "file and column",
}
UNKNOWN_MODELS = ["acme/mystery-model-7b", "openai/gpt-6-preview", "newlab/frontier-x:free"]
BAD_COUNTRIES = ["UK", "XX", "EU", "ZZ", "A1"]


def new_record() -> dict:
    return {
        k: {
            "expected_reason": REASONS[k],
            **({"expected_effect": EFFECTS[k]} if k in EFFECTS else {}),
            "count": 0,
            "days": {},
            "files": [],
        }
        for k in REASONS
    }


def _note(rec: dict, fault: str, day: str, count: int, path: str | None) -> None:
    if count <= 0:
        return
    r = rec[fault]
    r["count"] += int(count)
    r["days"][day] = r["days"].get(day, 0) + int(count)
    if path and path not in r["files"]:
        r["files"].append(path)


def _set(t: pa.Table, name: str, values) -> pa.Table:
    i = t.schema.get_field_index(name)
    return t.set_column(i, name, pa.array(values, type=t.schema.field(name).type))


def _new_ids(rng, t: pa.Table) -> np.ndarray:
    secs = (np.asarray(t["created_at"].cast(pa.int64())) // 10**6).astype(str)
    return np.char.add(
        np.char.add(np.char.add("gen-", secs), "-"), random_strings(rng, t.num_rows, 16).astype(str)
    )


def inject(plan, day, files: dict, out_rel: callable, rec: dict, rng: np.random.Generator) -> dict:
    """files: {source: {file_name: table or bytes}} for one day; returns the modified mapping."""
    cfg = plan.scenario["dirty"]
    ds = day.isoformat()
    gen = files["generations"]["part-0.parquet"]
    n = gen.num_rows
    path0 = out_rel("generations", day, "part-0.parquet")

    def rate(fault):
        c = cfg.get(fault)
        if not c:
            return 0
        if "day_probability" in c and rng.random() >= c["day_probability"]:
            return 0
        if "days" in c and day not in c["days"]:
            return 0
        return int(rng.binomial(n, c.get("rate", 0.0))) if "rate" in c else int(c.get("rows", 0))

    # late rows: move some real rows of this day into late-0.parquet of this day's folder
    k = rate("late_rows")
    if k and n > k:
        idx = np.sort(rng.choice(n, k, replace=False))
        mask = np.ones(n, dtype=bool)
        mask[idx] = False
        files["generations"]["late-0.parquet"] = gen.take(pa.array(idx))
        gen = gen.filter(pa.array(mask))
        n = gen.num_rows
        _note(rec, "late_rows", ds, k, out_rel("generations", day, "late-0.parquet"))
    extras = []
    k = rate("duplicate_rows")
    if k:
        extras.append(gen.take(pa.array(rng.choice(n, k, replace=False))))
        _note(rec, "duplicate_rows", ds, k, path0)

    def copies(fault):
        k_ = rate(fault)
        if not k_:
            return None, 0
        t = gen.take(pa.array(rng.choice(n, k_, replace=False)))
        return _set(t, "id", _new_ids(rng, t)), k_

    t, k = copies("negative_tokens")
    if k:
        col = "tokens_prompt" if rng.random() < 0.5 else "tokens_completion"
        t = _set(t, col, -np.abs(np.asarray(t[col])) - 1)
        extras.append(t)
        _note(rec, "negative_tokens", ds, k, path0)
    t, k = copies("cached_exceeds_prompt")
    if k:
        extras.append(
            _set(t, "native_tokens_cached", np.asarray(t["tokens_prompt"]) + rng.integers(1, 500, k))
        )
        _note(rec, "cached_exceeds_prompt", ds, k, path0)
    t, k = copies("reasoning_exceeds_completion")
    if k:
        extras.append(
            _set(t, "native_tokens_reasoning", np.asarray(t["tokens_completion"]) + rng.integers(1, 300, k))
        )
        _note(rec, "reasoning_exceeds_completion", ds, k, path0)
    t, k = copies("negative_cost")
    if k:
        extras.append(_set(t, "total_cost", -np.abs(np.asarray(t["total_cost"])) - 1e-4))
        _note(rec, "negative_cost", ds, k, path0)
    t, k = copies("timestamp_outside_day")
    if k:
        ts = np.asarray(t["created_at"].cast(pa.int64()))
        shift = rng.integers(1, 30, k) * 3600 * 10**6 + 86400 * 10**6
        ts = np.where(rng.random(k) < 0.5, ts - shift, ts + shift)
        extras.append(_set(t, "created_at", pa.array(ts, type=pa.timestamp("us"))))
        _note(rec, "timestamp_outside_day", ds, k, path0)
    t, k = copies("unknown_model")
    if k:
        slugs = np.array(UNKNOWN_MODELS, dtype=object)[rng.integers(0, len(UNKNOWN_MODELS), k)]
        t = _set(t, "model", slugs)
        # A `:free` variant is never billed, unknown or not: only the slug is the fault here.
        free = np.array([s.endswith(":free") for s in slugs])
        for column in ("total_cost", "cache_discount"):
            t = _set(t, column, np.where(free, 0.0, np.asarray(t[column])))
        extras.append(t)
        rec["unknown_model"].setdefault("models", UNKNOWN_MODELS)
        rec["unknown_model"]["total_tokens"] = rec["unknown_model"].get("total_tokens", 0) + int(
            pc.sum(t["tokens_prompt"]).as_py() + pc.sum(t["tokens_completion"]).as_py()
        )
        rec["unknown_model"]["cost_usd"] = round(
            rec["unknown_model"].get("cost_usd", 0.0) + (pc.sum(t["total_cost"]).as_py() or 0.0), 6
        )
        _note(rec, "unknown_model", ds, k, path0)
    t, k = copies("invalid_finish_reason")
    if k:
        extras.append(
            _set(
                t,
                "finish_reason",
                np.array(["function_call", "unknown"], dtype=object)[rng.integers(0, 2, k)],
            )
        )
        _note(rec, "invalid_finish_reason", ds, k, path0)
    if extras:
        gen = pa.concat_tables([gen, *extras])
    files["generations"]["part-0.parquet"] = gen
    # a second file repeating rows of part-0
    k = rate("duplicate_file")
    if k:
        files["generations"]["part-1.parquet"] = gen.take(
            pa.array(np.sort(rng.choice(gen.num_rows, k, replace=False)))
        )
        _note(rec, "duplicate_file", ds, k, out_rel("generations", day, "part-1.parquet"))
    # accounts with invalid billing country (extra accounts that made no request)
    acc = files["accounts"]["part-0.parquet"]
    c = cfg.get("invalid_country")
    if c:
        k = int(rng.binomial(acc.num_rows, c.get("rate", 0.0)))
        if k:
            bad = pa.table(
                {
                    "account_id": pa.array(
                        np.char.add("user_dirty_", random_strings(rng, k, 14).astype(str))
                    ),
                    "billing_country": pa.array(
                        np.array(BAD_COUNTRIES, dtype=object)[rng.integers(0, len(BAD_COUNTRIES), k)]
                    ),
                    "created_at": acc["created_at"].take(pa.array(rng.integers(0, acc.num_rows, k))),
                },
                schema=acc.schema,
            )
            files["accounts"]["part-0.parquet"] = pa.concat_tables([acc, bad])
            _note(rec, "invalid_country", ds, k, out_rel("accounts", day, "part-0.parquet"))
    # classifications
    cstart = plan.scenario["classification"]["start"]
    cls = files.get("classifications", {}).get("part-0.parquet")
    if day < cstart:
        k = rate("category_before_start")
        if k:
            from .generator import SCHEMAS

            idx = rng.choice(n, min(k, n), replace=False)
            ids = gen["id"].take(pa.array(idx))
            lab = np.array(plan.labels, dtype=object)[rng.integers(0, len(plan.labels), len(idx))]
            t = pa.table(
                {
                    "id": ids,
                    "classified_at": gen["created_at"].take(pa.array(idx)),
                    "classifier_version": pa.array(
                        [plan.scenario["classification"]["classifier_version"]] * len(idx)
                    ),
                    "label_path": pa.array(lab),
                    "confidence": pa.array(np.round(rng.uniform(0.55, 0.95, len(idx)), 4)),
                    "language": pa.array(["en"] * len(idx)),
                    "language_confidence": pa.array([0.9] * len(idx)),
                },
                schema=SCHEMAS["classifications"],
            )
            files.setdefault("classifications", {})["part-0.parquet"] = t
            _note(
                rec, "category_before_start", ds, len(idx), out_rel("classifications", day, "part-0.parquet")
            )
    elif cls is not None and cls.num_rows:
        k = rate("low_confidence_label")
        if k:
            t = cls.take(pa.array(rng.choice(cls.num_rows, min(k, cls.num_rows), replace=False)))
            # a label path not otherwise used for that request: a rare one
            t = _set(t, "label_path", np.array(["/News"] * t.num_rows, dtype=object))
            t = _set(t, "confidence", np.round(rng.uniform(0.1, 0.49, t.num_rows), 4))
            files["classifications"]["part-0.parquet"] = pa.concat_tables([cls, t])
            _note(
                rec, "low_confidence_label", ds, t.num_rows, out_rel("classifications", day, "part-0.parquet")
            )
    # whole-file faults
    c = cfg.get("corrupt_file")
    if c and day in c.get("days", []):
        files["generations"]["part-2.parquet"] = "CORRUPT"
        _note(rec, "corrupt_file", ds, 1, out_rel("generations", day, "part-2.parquet"))
    c = cfg.get("text_column_file")
    if c and day in c.get("days", []):
        t = gen.slice(0, min(5, gen.num_rows))
        t = t.append_column(
            "prompt", pa.array(["[synthetic placeholder text, not a real prompt]"] * t.num_rows)
        )
        files["generations"]["part-3.parquet"] = t
        _note(rec, "text_column_file", ds, 1, out_rel("generations", day, "part-3.parquet"))
    return files
