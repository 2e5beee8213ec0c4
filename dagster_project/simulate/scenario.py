"""Load and validate a scenario YAML file.

Every problem is reported as ``ScenarioError`` naming the file, the key path (``models.openai/gpt-4o.weight``)
and what is wrong, so users can write their own scenarios. Schema: ``simulate/README.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SCENARIO = Path(__file__).parent / "scenarios" / "default.yaml"
SHARE_TOLERANCE = 1e-3

TOP_KEYS = {
    "name": True,
    "description": False,
    "window": True,
    "volume": True,
    "segments": True,
    "oss_author_targets": False,
    "categories": True,
    "category_profiles": True,
    "subcategory_shares": True,
    "languages": True,
    "lengths": True,
    "tool_calls": True,
    "request_mix": True,
    "classification": True,
    "accounts": True,
    "geography": True,
    "models": True,
    "providers": True,
    "cache_read_price_factor": False,
    "dirty": False,
}
MODEL_KEYS = {
    "profile",
    "weight",
    "tool_factor",
    "free_share",
    "ramp_days",
    "prompt_multiplier",
    "completion_multiplier",
    "providers",
}
DIRTY_FAULTS = {
    "duplicate_rows",
    "duplicate_file",
    "late_rows",
    "negative_tokens",
    "cached_exceeds_prompt",
    "reasoning_exceeds_completion",
    "negative_cost",
    "timestamp_outside_day",
    "unknown_model",
    "invalid_finish_reason",
    "invalid_country",
    "low_confidence_label",
    "category_before_start",
    "corrupt_file",
    "text_column_file",
}
DIRTY_KEYS = {"rate", "day_probability", "rows", "days"}


class ScenarioError(ValueError):
    """A scenario file is invalid; the message names the key path and the problem."""


class _V:
    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str) -> None:
        raise ScenarioError(f"scenario {self.source}: {path or '<root>'}: {problem}")

    def mapping(self, v: Any, path: str) -> dict:
        if not isinstance(v, dict):
            self.fail(path, f"expected a mapping, got {type(v).__name__} {v!r}")
        return v

    def keys(self, d: dict, path: str, allowed: set | dict, required: set | None = None) -> None:
        for k in d:
            if k not in allowed:
                self.fail(
                    f"{path}.{k}" if path else str(k),
                    f"unknown key (allowed: {', '.join(sorted(map(str, allowed)))})",
                )
        for k in required or ():
            if k not in d:
                self.fail(f"{path}.{k}" if path else k, "missing required key")

    def get(self, d: dict, key: str, path: str) -> Any:
        if key not in d:
            self.fail(f"{path}.{key}" if path else key, "missing required key")
        return d[key]

    def number(self, v: Any, path: str, lo: float | None = None, hi: float | None = None) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(path, f"expected a number, got {type(v).__name__} {v!r}")
        if lo is not None and v < lo:
            self.fail(path, f"must be >= {lo}, got {v}")
        if hi is not None and v > hi:
            self.fail(path, f"must be <= {hi}, got {v}")
        return float(v)

    def integer(self, v: Any, path: str, lo: int | None = None) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(path, f"expected an integer, got {type(v).__name__} {v!r}")
        if lo is not None and v < lo:
            self.fail(path, f"must be >= {lo}, got {v}")
        return int(v)

    def string(self, v: Any, path: str) -> str:
        if not isinstance(v, str) or not v:
            self.fail(path, f"expected a non-empty string, got {type(v).__name__} {v!r}")
        return v

    def date(self, v: Any, path: str) -> dt.date:
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                pass
        self.fail(path, f"expected a date YYYY-MM-DD, got {v!r}")
        raise AssertionError

    def series(self, v: Any, path: str, lo: float | None = None, hi: float | None = None) -> dict:
        """A path: {date: number}, at least one knot."""
        d = self.mapping(v, path)
        if not d:
            self.fail(path, "a path needs at least one {date: value} knot")
        out = {}
        for k, x in d.items():
            out[self.date(k, f"{path}.{k}")] = self.number(x, f"{path}.{k}", lo, hi)
        return dict(sorted(out.items()))

    def shares(self, v: Any, path: str, allowed: list | None = None, allow_partial: bool = False) -> dict:
        d = self.mapping(v, path)
        if not d:
            self.fail(path, "needs at least one share")
        out = {}
        for k, x in d.items():
            if allowed is not None and k not in allowed:
                self.fail(f"{path}.{k}", f"unknown name (allowed: {', '.join(map(str, allowed))})")
            out[str(k)] = self.number(x, f"{path}.{k}", 0.0, 1.0)
        total = sum(out.values())
        if not allow_partial and abs(total - 1.0) > SHARE_TOLERANCE:
            self.fail(path, f"shares must sum to 1 (±{SHARE_TOLERANCE}), they sum to {total:.6f}")
        return out


def load_scenario(path: str | Path | None = None) -> dict:
    """Read and validate a scenario; returns the parsed dict with dates as ``datetime.date``."""
    p = Path(path) if path is not None else DEFAULT_SCENARIO
    if not p.exists():
        raise ScenarioError(f"scenario {p}: file not found")
    try:
        raw = yaml.safe_load(p.read_text())
    except yaml.YAMLError as exc:
        raise ScenarioError(f"scenario {p}: not valid YAML: {exc}") from exc
    return validate(raw, str(p))


def validate(raw: Any, source: str = "<dict>") -> dict:
    v = _V(source)
    s = v.mapping(raw, "")
    v.keys(s, "", TOP_KEYS, {k for k, req in TOP_KEYS.items() if req})
    out: dict = {"name": v.string(s["name"], "name"), "description": s.get("description", "")}

    w = v.mapping(s["window"], "window")
    v.keys(w, "window", {"start", "end"}, {"start", "end"})
    start, end = v.date(w["start"], "window.start"), v.date(w["end"], "window.end")
    if end < start:
        v.fail("window.end", f"{end} is before window.start {start}")
    out["window"] = {"start": start, "end": end}

    vol = v.mapping(s["volume"], "volume")
    v.keys(
        vol,
        "volume",
        {"requests_per_day_at_end", "weekly_tokens_trillions", "weekday_factors"},
        {"requests_per_day_at_end", "weekly_tokens_trillions"},
    )
    wf = vol.get("weekday_factors", [1.0] * 7)
    if not isinstance(wf, list) or len(wf) != 7:
        v.fail("volume.weekday_factors", "expected a list of 7 numbers (Monday..Sunday)")
    out["volume"] = {
        "requests_per_day_at_end": v.number(
            vol["requests_per_day_at_end"], "volume.requests_per_day_at_end", 1
        ),
        "weekly_tokens_trillions": v.series(
            vol["weekly_tokens_trillions"], "volume.weekly_tokens_trillions", 0
        ),
        "weekday_factors": [v.number(x, f"volume.weekday_factors[{i}]", 0) for i, x in enumerate(wf)],
    }

    seg = v.mapping(s["segments"], "segments")
    v.keys(seg, "segments", {"open_china", "open_rest_of_world"}, {"open_china", "open_rest_of_world"})
    out["segments"] = {
        k: v.series(seg[k], f"segments.{k}", 0, 1) for k in ("open_china", "open_rest_of_world")
    }

    cats = s["categories"]
    if not isinstance(cats, list) or not cats or not all(isinstance(c, str) for c in cats):
        v.fail("categories", "expected a non-empty list of category names")
    if len(set(cats)) != len(cats):
        v.fail("categories", "category names must be unique")
    out["categories"] = list(cats)

    profiles = v.mapping(s["category_profiles"], "category_profiles")
    out["category_profiles"] = {}
    for name, knots in profiles.items():
        kp = f"category_profiles.{name}"
        kd = v.mapping(knots, kp)
        if not kd:
            v.fail(kp, "needs at least one {date: shares} knot")
        out["category_profiles"][name] = dict(
            sorted((v.date(d, f"{kp}.{d}"), v.shares(mix, f"{kp}.{d}", cats)) for d, mix in kd.items())
        )
    if "default" not in out["category_profiles"]:
        v.fail("category_profiles.default", "missing required profile 'default'")

    sub = v.mapping(s["subcategory_shares"], "subcategory_shares")
    v.keys(sub, "subcategory_shares", set(cats), set(cats))
    out["subcategory_shares"] = {c: v.shares(sub[c], f"subcategory_shares.{c}") for c in cats}
    out["languages"] = v.shares(s["languages"], "languages")

    ln = v.mapping(s["lengths"], "lengths")
    v.keys(
        ln,
        "lengths",
        {
            "prompt_mean",
            "completion_mean",
            "reasoning_completion_multiplier",
            "hybrid_thinking_probability",
            "reasoning_fraction_beta",
            "prompt_shape_trace",
            "completion_shape_trace",
            "cache",
        },
        {"prompt_mean", "completion_mean", "reasoning_completion_multiplier", "hybrid_thinking_probability"},
    )
    lo: dict = {}
    for k in ("prompt_mean", "completion_mean"):
        m = v.mapping(ln[k], f"lengths.{k}")
        if "default" not in m:
            v.fail(f"lengths.{k}.default", "missing required key")
        for c in m:
            if c != "default" and c not in cats:
                v.fail(f"lengths.{k}.{c}", f"unknown category (allowed: default, {', '.join(cats)})")
        lo[k] = {c: v.series(x, f"lengths.{k}.{c}", 1) for c, x in m.items()}
    lo["reasoning_completion_multiplier"] = v.number(
        ln["reasoning_completion_multiplier"], "lengths.reasoning_completion_multiplier", 1
    )
    lo["hybrid_thinking_probability"] = v.series(
        ln["hybrid_thinking_probability"], "lengths.hybrid_thinking_probability", 0, 1
    )
    beta = ln.get("reasoning_fraction_beta", [4, 3])
    if not isinstance(beta, list) or len(beta) != 2:
        v.fail("lengths.reasoning_fraction_beta", "expected [a, b] (two positive numbers)")
    lo["reasoning_fraction_beta"] = [
        v.number(b, f"lengths.reasoning_fraction_beta[{i}]", 1e-6) for i, b in enumerate(beta)
    ]
    for k in ("prompt_shape_trace", "completion_shape_trace"):
        m = v.mapping(ln.get(k, {"programming": "code", "default": "conv"}), f"lengths.{k}")
        for c, t in m.items():
            if t not in ("code", "conv"):
                v.fail(f"lengths.{k}.{c}", f"trace must be 'code' or 'conv', got {t!r}")
        lo[k] = dict(m)
    cache = v.mapping(ln.get("cache", {"probability": {"default": {start: 0.0}}}), "lengths.cache")
    v.keys(cache, "lengths.cache", {"probability", "fraction_range"}, {"probability"})
    cp = v.mapping(cache["probability"], "lengths.cache.probability")
    if "default" not in cp:
        v.fail("lengths.cache.probability.default", "missing required key")
    # one [low, high] for every category, or {category or default: [low, high]}
    fr = cache.get("fraction_range", [0.3, 0.95])
    fr = dict(fr) if isinstance(fr, dict) else {"default": fr}
    if "default" not in fr:
        v.fail("lengths.cache.fraction_range.default", "missing required key")
    for c, r in fr.items():
        if c != "default" and c not in cats:
            v.fail(f"lengths.cache.fraction_range.{c}", f"unknown category (allowed: default, {', '.join(cats)})")
        if not isinstance(r, list) or len(r) != 2 or not 0 <= r[0] <= r[1] <= 1:
            v.fail(f"lengths.cache.fraction_range.{c}", "expected [low, high] with 0 <= low <= high <= 1")
    lo["cache"] = {
        "probability": {c: v.series(x, f"lengths.cache.probability.{c}", 0, 1) for c, x in cp.items()},
        "fraction_range": {c: [float(r[0]), float(r[1])] for c, r in fr.items()},
    }
    out["lengths"] = lo

    tc = v.mapping(s["tool_calls"], "tool_calls")
    v.keys(
        tc,
        "tool_calls",
        {"token_share", "category_propensity", "spike"},
        {"token_share", "category_propensity"},
    )
    prop = v.mapping(tc["category_propensity"], "tool_calls.category_propensity")
    if "default" not in prop:
        v.fail("tool_calls.category_propensity.default", "missing required key")
    out["tool_calls"] = {
        "token_share": v.series(tc["token_share"], "tool_calls.token_share", 0, 1),
        "category_propensity": {
            c: v.number(x, f"tool_calls.category_propensity.{c}", 0) for c, x in prop.items()
        },
        "spike": None,
    }
    if tc.get("spike") is not None:
        sp = v.mapping(tc["spike"], "tool_calls.spike")
        keys = {
            "account",
            "start",
            "end",
            "model",
            "token_share_of_day",
            "prompt_mean",
            "completion_mean",
            "billing_country",
        }
        v.keys(sp, "tool_calls.spike", keys, keys)
        out["tool_calls"]["spike"] = {
            "account": v.string(sp["account"], "tool_calls.spike.account"),
            "start": v.date(sp["start"], "tool_calls.spike.start"),
            "end": v.date(sp["end"], "tool_calls.spike.end"),
            "model": v.string(sp["model"], "tool_calls.spike.model"),
            "token_share_of_day": v.number(
                sp["token_share_of_day"], "tool_calls.spike.token_share_of_day", 0
            ),
            "prompt_mean": v.number(sp["prompt_mean"], "tool_calls.spike.prompt_mean", 1),
            "completion_mean": v.number(sp["completion_mean"], "tool_calls.spike.completion_mean", 1),
            "billing_country": v.string(sp["billing_country"], "tool_calls.spike.billing_country"),
        }

    rm = v.mapping(s["request_mix"], "request_mix")
    rkeys = {
        "streamed",
        "cancelled_if_streamed",
        "finish_reasons",
        "tools_offered_from",
        "tools_offered_probability",
        "byok_account_share",
        "byok_request_share_of_byok_accounts",
        "app_account_share",
    }
    v.keys(rm, "request_mix", rkeys, rkeys)
    tp = v.mapping(rm["tools_offered_probability"], "request_mix.tools_offered_probability")
    if "default" not in tp:
        v.fail("request_mix.tools_offered_probability.default", "missing required key")
    out["request_mix"] = {
        "streamed": v.number(rm["streamed"], "request_mix.streamed", 0, 1),
        "cancelled_if_streamed": v.number(
            rm["cancelled_if_streamed"], "request_mix.cancelled_if_streamed", 0, 1
        ),
        "finish_reasons": v.shares(
            rm["finish_reasons"], "request_mix.finish_reasons", ["stop", "length", "content_filter", "error"]
        ),
        "tools_offered_from": v.date(rm["tools_offered_from"], "request_mix.tools_offered_from"),
        "tools_offered_probability": {
            c: v.number(x, f"request_mix.tools_offered_probability.{c}", 0, 1) for c, x in tp.items()
        },
        "byok_account_share": v.number(rm["byok_account_share"], "request_mix.byok_account_share", 0, 1),
        "byok_request_share_of_byok_accounts": v.number(
            rm["byok_request_share_of_byok_accounts"], "request_mix.byok_request_share_of_byok_accounts", 0, 1
        ),
        "app_account_share": v.number(rm["app_account_share"], "request_mix.app_account_share", 0, 1),
    }

    cl = v.mapping(s["classification"], "classification")
    ckeys = {"start", "rate", "classifier_version", "extra_labels", "extra_label_same_category"}
    v.keys(cl, "classification", ckeys, {"start", "rate", "classifier_version"})
    extra = cl.get("extra_labels", [0.55, 0.30, 0.15])
    if not isinstance(extra, list) or not extra:
        v.fail("classification.extra_labels", "expected a list of probabilities for 0, 1, 2... extra labels")
    if (
        abs(sum(v.number(x, f"classification.extra_labels[{i}]", 0, 1) for i, x in enumerate(extra)) - 1)
        > SHARE_TOLERANCE
    ):
        v.fail("classification.extra_labels", f"probabilities must sum to 1, they sum to {sum(extra):.6f}")
    if len(extra) > 3:
        v.fail("classification.extra_labels", "at most 2 extra labels (3 labels per request)")
    out["classification"] = {
        "start": v.date(cl["start"], "classification.start"),
        "rate": v.number(cl["rate"], "classification.rate", 0, 1),
        "classifier_version": v.string(cl["classifier_version"], "classification.classifier_version"),
        "extra_labels": [float(x) for x in extra],
        "extra_label_same_category": v.number(
            cl.get("extra_label_same_category", 0.7), "classification.extra_label_same_category", 0, 1
        ),
    }

    ac = v.mapping(s["accounts"], "accounts")
    akeys = {
        "new_stints_per_request",
        "new_account_share",
        "activity",
        "weight_sigma",
        "retention_default",
        "legacy",
        "cohorts",
        "report_cohorts",
        "country_changes",
    }
    v.keys(ac, "accounts", akeys, akeys - {"cohorts", "country_changes"})
    act = v.mapping(ac["activity"], "accounts.activity")
    v.keys(
        act,
        "accounts.activity",
        {"max_daily_active", "active_per_request"},
        {"max_daily_active", "active_per_request"},
    )
    rkeys = {
        "long_share",
        "long_mean_days",
        "short_mean_days",
        "return_probability",
        "return_after_months",
        "return_duration_days",
        "max_age_days",
    }

    def retention(d: Any, path: str, required: bool) -> dict:
        dd = v.mapping(d, path)
        v.keys(dd, path, rkeys, {"long_share", "long_mean_days", "short_mean_days"} if required else set())
        r = {}
        for k, x in dd.items():
            if k in ("long_share", "return_probability"):
                r[k] = v.number(x, f"{path}.{k}", 0, 1)
            else:
                r[k] = v.number(x, f"{path}.{k}", 0)
        return r

    cohorts = []
    for i, c in enumerate(ac.get("cohorts") or []):
        p = f"accounts.cohorts[{i}]"
        cd = v.mapping(c, p)
        model = v.string(v.get(cd, "model", p), f"{p}.model")
        month = v.get(cd, "month", p)
        if month not in ("legacy", "all"):
            ms = str(month)
            try:
                dt.date.fromisoformat(ms + "-01")
            except ValueError:
                v.fail(f"{p}.month", f"expected YYYY-MM, 'legacy' or 'all', got {month!r}")
            month = ms
        cohorts.append(
            {
                "model": model,
                "month": month,
                **retention({k: x for k, x in cd.items() if k not in ("model", "month")}, p, False),
            }
        )
    rc = ac["report_cohorts"]
    if not isinstance(rc, list) or not all(isinstance(x, str) for x in rc):
        v.fail("accounts.report_cohorts", "expected a list of model slugs")
    out["accounts"] = {
        "new_stints_per_request": v.number(
            ac["new_stints_per_request"], "accounts.new_stints_per_request", 1e-6
        ),
        "new_account_share": v.number(ac["new_account_share"], "accounts.new_account_share", 0, 1),
        "activity": {k: v.number(act[k], f"accounts.activity.{k}", 1e-6, 1) for k in act},
        "weight_sigma": v.number(ac["weight_sigma"], "accounts.weight_sigma", 0),
        "retention_default": retention(ac["retention_default"], "accounts.retention_default", True),
        "legacy": retention(ac["legacy"], "accounts.legacy", True),
        "cohorts": cohorts,
        "report_cohorts": list(rc),
        "country_changes": v.integer(ac.get("country_changes", 0), "accounts.country_changes", 0),
    }

    geo = v.mapping(s["geography"], "geography")
    gkeys = {"spend_shares", "other_by_continent", "other_countries", "asia_share_of_new_accounts"}
    v.keys(geo, "geography", gkeys, gkeys)
    spend = v.shares(geo["spend_shares"], "geography.spend_shares")
    obc = v.shares(geo["other_by_continent"], "geography.other_by_continent", allow_partial=True)
    if abs(sum(obc.values()) - spend.get("other", 0.0)) > SHARE_TOLERANCE:
        v.fail(
            "geography.other_by_continent",
            f"must sum to geography.spend_shares.other ({spend.get('other', 0.0)}), "
            f"sums to {sum(obc.values()):.6f}",
        )
    oc = v.mapping(geo["other_countries"], "geography.other_countries")
    for cont in obc:
        if cont not in oc or not isinstance(oc[cont], list) or not oc[cont]:
            v.fail(f"geography.other_countries.{cont}", "expected a non-empty list of ISO country codes")
        for i, x in enumerate(oc[cont]):
            if not isinstance(x, str):
                v.fail(
                    f"geography.other_countries.{cont}[{i}]",
                    f'expected an ISO code string, got {x!r} (quote codes YAML reads as booleans, e.g. "NO")',
                )
    out["geography"] = {
        "spend_shares": spend,
        "other_by_continent": obc,
        "other_countries": {k: [str(x) for x in val] for k, val in oc.items()},
        "asia_share_of_new_accounts": v.series(
            geo["asia_share_of_new_accounts"], "geography.asia_share_of_new_accounts", 0, 1
        ),
    }

    models = v.mapping(s["models"], "models")
    if not models:
        v.fail("models", "needs at least one model")
    out["models"] = {}
    for slug, spec in models.items():
        p = f"models.{slug}"
        md = v.mapping(spec, p)
        v.keys(md, p, MODEL_KEYS, {"weight"})
        prof = md.get("profile", "default")
        if prof not in out["category_profiles"]:
            v.fail(
                f"{p}.profile",
                f"unknown category profile {prof!r} (defined: {', '.join(out['category_profiles'])})",
            )
        out["models"][str(slug)] = {
            "profile": prof,
            "weight": v.series(md["weight"], f"{p}.weight", 0),
            "tool_factor": v.number(md.get("tool_factor", 1.0), f"{p}.tool_factor", 0),
            "free_share": v.number(md.get("free_share", 0.0), f"{p}.free_share", 0, 1),
            "ramp_days": v.number(md.get("ramp_days", 14), f"{p}.ramp_days", 0),
            "prompt_multiplier": v.number(md.get("prompt_multiplier", 1.0), f"{p}.prompt_multiplier", 0),
            "completion_multiplier": v.number(
                md.get("completion_multiplier", 1.0), f"{p}.completion_multiplier", 0
            ),
            "providers": v.shares(md["providers"], f"{p}.providers") if "providers" in md else None,
        }

    prov = v.mapping(s["providers"], "providers")
    out["providers"] = {k: v.shares(x, f"providers.{k}") for k, x in prov.items()}
    for k in ("open_default", "free"):
        if k not in out["providers"]:
            v.fail(f"providers.{k}", "missing required key")
    crf = v.mapping(s.get("cache_read_price_factor", {"default": 0.25}), "cache_read_price_factor")
    if "default" not in crf:
        v.fail("cache_read_price_factor.default", "missing required key")
    out["cache_read_price_factor"] = {
        k: v.number(x, f"cache_read_price_factor.{k}", 0, 1) for k, x in crf.items()
    }

    ota = s.get("oss_author_targets")
    if ota is not None:
        od = v.mapping(ota, "oss_author_targets")
        v.keys(od, "oss_author_targets", {"anchor_segment", "trillions"}, {"anchor_segment", "trillions"})
        if od["anchor_segment"] not in ("open_china", "open_rest_of_world"):
            v.fail("oss_author_targets.anchor_segment", "must be open_china or open_rest_of_world")
        tr = v.mapping(od["trillions"], "oss_author_targets.trillions")
        out["oss_author_targets"] = {
            "anchor_segment": od["anchor_segment"],
            "trillions": {str(a): v.number(x, f"oss_author_targets.trillions.{a}", 0) for a, x in tr.items()},
        }
    else:
        out["oss_author_targets"] = None

    dirty = v.mapping(s.get("dirty") or {}, "dirty")
    out["dirty"] = {}
    for fault, spec in dirty.items():
        p = f"dirty.{fault}"
        if fault not in DIRTY_FAULTS:
            v.fail(p, f"unknown fault (allowed: {', '.join(sorted(DIRTY_FAULTS))})")
        fd = v.mapping(spec, p)
        v.keys(fd, p, DIRTY_KEYS)
        f: dict = {}
        if "rate" in fd:
            f["rate"] = v.number(fd["rate"], f"{p}.rate", 0, 1)
        if "day_probability" in fd:
            f["day_probability"] = v.number(fd["day_probability"], f"{p}.day_probability", 0, 1)
        if "rows" in fd:
            f["rows"] = v.integer(fd["rows"], f"{p}.rows", 0)
        if "days" in fd:
            if not isinstance(fd["days"], list):
                v.fail(f"{p}.days", "expected a list of dates")
            f["days"] = [v.date(x, f"{p}.days[{i}]") for i, x in enumerate(fd["days"])]
        out["dirty"][fault] = f
    return out
