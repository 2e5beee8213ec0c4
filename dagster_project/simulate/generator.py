"""Generate landing files day by day from a Plan, plus the realised truth aggregates."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dagster_project.lib import contract

from .plan import Plan, random_strings

ARROW = {
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    "BOOLEAN": pa.bool_(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
}
SCHEMAS = {src: pa.schema([(c, ARROW[t]) for c, t in cols.items()]) for src, cols in contract.COLUMNS.items()}
EPOCH = dt.date(1970, 1, 1).toordinal()
DICT_COLUMNS = (
    "app_id",
    "model",
    "provider_name",
    "finish_reason",
    "native_finish_reason",
    "account_id",
    "billing_country",
    "classifier_version",
    "label_path",
    "language",
)
DAY_US = 86400 * 10**6
FINISH = np.array(["stop", "length", "tool_calls", "content_filter", "error"])
FINISH_PA = pa.array(list(FINISH))
# native finish reason by provider family (anthropic, google, openai-compatible)
# x normalised reason; 15 = aborted
NATIVE_PA = pa.array(
    [
        "end_turn",
        "max_tokens",
        "tool_use",
        "refusal",
        "error",
        "STOP",
        "MAX_TOKENS",
        "STOP",
        "SAFETY",
        "OTHER",
        "stop",
        "length",
        "tool_calls",
        "content_filter",
        "error",
        "aborted",
    ]
)


def arrow_table(source: str, cols: dict) -> pa.Table:
    schema = SCHEMAS[source]
    arrays = []
    for f in schema:
        v = cols[f.name]
        arrays.append(v if isinstance(v, (pa.Array, pa.ChunkedArray)) else pa.array(v, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    dict_cols = [c for c in DICT_COLUMNS if c in table.column_names]
    pq.write_table(table, tmp, compression="zstd", use_dictionary=dict_cols, write_statistics=True)
    os.replace(tmp, path)


def _cat_pick(rng: np.random.Generator, cum: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cum, rng.random(n) * cum[-1], side="right"), len(cum) - 1)


class DayResult:
    """One generated day: the three tables, the truth aggregates and helper arrays for dirty mode."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def generate_day(plan: Plan, day: dt.date) -> DayResult:
    i = plan.day_index(day)
    o = day.toordinal()
    s = plan.scenario
    rng = np.random.default_rng(np.random.SeedSequence([plan.seed, o, 1]))
    M, C = plan.M, plan.C

    # ---- requests per model, assigned to live account-model relationships
    N = int(plan.N[i])
    counts = rng.multinomial(N, plan.PM[:, i])
    live = np.nonzero((plan.st_start <= o) & (plan.st_end > o))[0]
    lm = plan.st_model[live]
    active = rng.random(len(live)) < plan.p_act[lm, i]
    order = np.argsort(lm, kind="stable")
    live, lm, active = live[order], lm[order], active[order]
    bounds = np.searchsorted(lm, np.arange(M + 1))
    any_active = live[active]
    req_model = np.repeat(np.arange(M), counts)
    req_stint = np.empty(N, dtype=np.int64)
    pos = 0
    for m in np.nonzero(counts)[0]:
        c = int(counts[m])
        grp = live[bounds[m] : bounds[m + 1]]
        cand = grp[active[bounds[m] : bounds[m + 1]]]
        if not len(cand):
            cand = grp if len(grp) else (any_active if len(any_active) else live)
        if not len(cand):
            cand = np.arange(plan.S)
        w = plan.st_weight[cand]
        if c >= len(cand):
            extra = rng.choice(cand, c - len(cand), p=w / w.sum()) if c > len(cand) else cand[:0]
            pick = np.concatenate([cand, extra])
        else:
            pick = rng.choice(cand, c, p=w / w.sum())
        req_stint[pos : pos + c] = pick
        pos += c
    req_acc = plan.st_acc[req_stint]
    ns = int(plan.n_spike[i])
    spike = np.zeros(N + ns, dtype=bool)
    if ns:
        req_model = np.concatenate([req_model, np.full(ns, plan.spike_model)])
        req_acc = np.concatenate([req_acc, np.full(ns, plan.spike_acc)])
        spike[N:] = True
    n = N + ns

    # ---- latent category, sub-tag, language
    u = rng.random(n)
    cat = (u[:, None] > plan.PC_cum[req_model, :, i]).sum(1)
    cat = np.minimum(cat, C - 1)
    if ns:
        cat[N:] = np.where(
            rng.random(ns) < 0.8,
            plan.cats.index("programming") if "programming" in plan.cats else 0,
            plan.cats.index("technology") if "technology" in plan.cats else 0,
        )
    sub = np.empty(n, dtype=np.int64)
    for c in range(C):
        sel = np.nonzero(cat == c)[0]
        if len(sel):
            sub[sel] = plan.sub_offset[c] + _cat_pick(rng, plan.sub_cum[c], len(sel))
    lang = _cat_pick(rng, plan.lang_cum, n)

    # ---- lengths (Azure trace shapes around the target means)
    prompt_mean = plan.Lp[cat, i] * plan.pmult[req_model]
    comp_mean = plan.Lc[cat, i] * plan.cmult[req_model]
    rc = plan.rclass[req_model]
    thinking = (rc == 2) | ((rc == 1) & (rng.random(n) < plan.p_think[i]))
    comp_mean = np.where(thinking, comp_mean * plan.R, comp_mean)
    if ns:
        prompt_mean[N:] = plan.spike["prompt_mean"]
        comp_mean[N:] = plan.spike["completion_mean"]
    pr = np.empty(n)
    cr = np.empty(n)
    code_p = np.array([t == "code" for t in plan.prompt_trace])[cat]
    code_c = np.array([t == "code" for t in plan.comp_trace])[cat]
    for name, mask_p, mask_c in (("code", code_p, code_c), ("conv", ~code_p, ~code_c)):
        tp, tc = plan.traces[name]
        k = int(mask_p.sum())
        pr[mask_p] = tp[rng.integers(0, len(tp), k)]
        k = int(mask_c.sum())
        cr[mask_c] = tc[rng.integers(0, len(tc), k)]
    jit = np.exp(rng.normal(0, 0.2, (2, n)) - 0.02)
    tokens_prompt = np.maximum(1, np.rint(prompt_mean * pr * jit[0])).astype(np.int64)
    tokens_completion = np.maximum(1, np.rint(comp_mean * cr * jit[1])).astype(np.int64)
    a, b = s["lengths"]["reasoning_fraction_beta"]
    reasoning = np.where(thinking, np.floor(tokens_completion * rng.beta(a, b, n)), 0).astype(np.int64)
    lo, hi = plan.cache_range[cat, 0], plan.cache_range[cat, 1]
    cached = np.where(
        rng.random(n) < plan.p_cache[cat, i], np.floor(tokens_prompt * rng.uniform(lo, hi)), 0
    ).astype(np.int64)

    # ---- finish reason, streaming, tools
    rm = s["request_mix"]
    p_tool = np.minimum(0.95, plan.tool_k[i] * plan.tool_prop[cat] * plan.tool_factor[req_model])
    tool = rng.random(n) < p_tool
    tool[spike] = True
    fr = s["request_mix"]["finish_reasons"]
    fr_names = list(fr)
    fr_cum = np.cumsum(np.array([fr[k] for k in fr_names]))
    other = np.array([list(FINISH).index(k) for k in fr_names])[_cat_pick(rng, fr_cum, n)]
    finish_idx = np.where(tool, 2, other)
    streamed = rng.random(n) < rm["streamed"]
    cancelled = streamed & (rng.random(n) < rm["cancelled_if_streamed"]) & ~tool
    cut = np.where(cancelled, rng.uniform(0.05, 0.9, n), 1.0)
    tokens_completion = np.maximum(1, np.floor(tokens_completion * cut)).astype(np.int64)
    reasoning = np.minimum(reasoning, tokens_completion)
    if day >= rm["tools_offered_from"]:
        p_off = np.array(
            [
                rm["tools_offered_probability"].get(c, rm["tools_offered_probability"]["default"])
                for c in plan.cats
            ]
        )[cat]
        offered = np.where(
            tool, rng.integers(1, 33, n), np.where(rng.random(n) < p_off, rng.integers(1, 25, n), 0)
        )
        tools_offered = pa.array(offered.astype(np.int32), type=pa.int32())
    else:
        tools_offered = pa.nulls(n, type=pa.int32())

    # ---- variants, BYOK, provider, cost
    is_free = (rng.random(n) < plan.free_share[req_model]) & ~spike
    is_byok = plan.acc_byok[req_acc] & (rng.random(n) < rm["byok_request_share_of_byok_accounts"]) & ~is_free
    prov_names, prov_index = plan.provider_universe()
    provider = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    for m in np.unique(req_model):
        sel = req_model == m
        names, cum = plan.providers[m]
        provider[sel] = prov_index[m][np.minimum(np.searchsorted(cum, u[sel], side="right"), len(names) - 1)]
    if is_free.any():
        names, cum = plan.free_providers
        provider[is_free] = prov_index[-1][
            np.minimum(np.searchsorted(cum, u[is_free], side="right"), len(names) - 1)
        ]
    pin, pout, pcache = plan.pin[req_model], plan.pout[req_model], plan.pcache[req_model]
    paid = ~(is_free | is_byok)
    discount = np.where(paid, cached * (pin - pcache), 0.0)
    cost = np.where(paid, tokens_prompt * pin + tokens_completion * pout, 0.0) - discount
    fam_code = np.array([0 if a_ == "Anthropic" else (1 if a_ == "Google" else 2) for a_ in plan.author])[
        req_model
    ]
    native = fam_code * 5 + finish_idx
    native[cancelled] = 15
    model_code = req_model + np.where(is_free, plan.M, 0)

    # ---- timing
    tps = np.where(plan.open, 90.0, 70.0)[req_model] * np.exp(rng.normal(0, 0.3, n))
    latency = (
        np.exp(rng.normal(np.log(300 + 0.02 * tokens_prompt), 0.35))
        + np.where(streamed, 0.0, 0.0)
        + reasoning / tps * 1000 * 0.3
    )
    gen_time = latency + tokens_completion / tps * 1000
    hour_mu = np.array([4.0, 11.0, 18.5])
    hour_sd = np.array([2.5, 2.5, 3.0])
    comp = _cat_pick(rng, np.cumsum([0.25, 0.3, 0.45]), n)
    sec = np.mod(rng.normal(hour_mu[comp], hour_sd[comp]) * 3600, 86400)
    day_us = (o - EPOCH) * DAY_US
    created_us = day_us + np.floor(sec * 1e6).astype(np.int64)
    srt = np.argsort(created_us, kind="stable")

    # ---- ids
    secs = pa.array(created_us // 10**6).cast(pa.string())
    rnd = pa.array(random_strings(rng, n, 16), type=pa.binary(16)).cast(pa.string())
    ids = pc.binary_join_element_wise("gen-", secs, "-", rnd, "")

    def S(x):  # sort helper
        return x[srt]

    def T(names: pa.Array, idx):  # strings by index, sorted
        return names.take(pa.array(idx[srt]))

    gen = {
        "id": ids.take(pa.array(srt)),
        "created_at": S(created_us),
        "account_id": T(plan.acc_id_pa, req_acc),
        "app_id": T(plan.app_pa, plan.acc_app_idx[req_acc]),
        "model": T(plan.model_pa, model_code),
        "provider_name": T(prov_names, provider),
        "is_byok": S(is_byok),
        "streamed": S(streamed),
        "cancelled": S(cancelled),
        "finish_reason": T(FINISH_PA, finish_idx),
        "native_finish_reason": T(NATIVE_PA, native),
        "tools_offered": tools_offered.take(pa.array(srt)),
        "tokens_prompt": S(tokens_prompt),
        "tokens_completion": S(tokens_completion),
        "native_tokens_reasoning": S(reasoning),
        "native_tokens_cached": S(cached),
        "total_cost": S(cost),
        "cache_discount": S(discount),
        "latency": S(np.round(latency, 3)),
        "generation_time": S(np.round(gen_time, 3)),
    }
    gen["created_at"] = pa.array(gen["created_at"], type=pa.timestamp("us"))
    # keep request-level latent arrays in the same (sorted) order
    lat = {
        "model": S(req_model),
        "acc": S(req_acc),
        "cat": S(cat),
        "sub": S(sub),
        "lang": S(lang),
        "spike": S(spike),
        "tool": S(tool),
        "byok": S(is_byok),
        "free": S(is_free),
    }

    # ---- accounts active today
    uacc = np.unique(req_acc)
    uacc = uacc[np.argsort(plan.acc_rank[uacc], kind="stable")]
    acc_country = plan.country_on(uacc, o)
    accounts = {
        "account_id": plan.acc_id_pa.take(pa.array(uacc)),
        "billing_country": plan.codes_pa.take(pa.array(acc_country)),
        "created_at": pa.array(plan.acc_created_us[uacc], type=pa.timestamp("us")),
    }
    req_country = plan.country_on(lat["acc"], o)

    # ---- classification sample
    cl = s["classification"]
    cls_rows = None
    cls_idx = np.array([], dtype=np.int64)
    cls_labels = None
    if day >= cl["start"]:
        cls_idx = np.nonzero(rng.random(n) < cl["rate"])[0]
        cls_rows, cls_labels = _classify(plan, rng, cls_idx, lat, gen)

    return DayResult(
        day=day,
        index=i,
        n=n,
        gen=gen,
        lat=lat,
        accounts=accounts,
        classifications=cls_rows,
        cls_idx=cls_idx,
        cls_labels=cls_labels,
        req_country=req_country,
        uacc=uacc,
    )


def _classify(plan: Plan, rng: np.random.Generator, idx: np.ndarray, lat: dict, gen: dict):
    cl = plan.scenario["classification"]
    k = len(idx)
    if not k:
        empty = {c: [] for c in contract.CLASSIFICATIONS}
        return empty, np.zeros((0, 2), dtype=np.int64)
    n_extra = _cat_pick(rng, np.cumsum(cl["extra_labels"]), k)
    rows_req, rows_label, rows_conf = [], [], []
    main_conf = 0.5 + 0.49 * rng.beta(3, 1.5, k)
    rows_req.append(np.arange(k))
    rows_label.append(lat["sub"][idx])
    rows_conf.append(main_conf)
    nl = len(plan.labels)
    for j in (1, 2):
        sel = np.nonzero(n_extra >= j)[0]
        if not len(sel):
            continue
        same = rng.random(len(sel)) < cl["extra_label_same_category"]
        main = lat["sub"][idx[sel]]
        c = plan.label_cat[main]
        # extra labels follow the sub-tag shares (uniform draws would pull every category's
        # measured sub-tag mix towards equal shares): same category = drawn from its shares,
        # any category = the main label of another request of the day's sample
        cand_same = np.empty(len(sel), dtype=np.int64)
        for ci in np.unique(c):
            w = np.nonzero(c == ci)[0]
            cand_same[w] = plan.sub_offset[ci] + _cat_pick(rng, plan.sub_cum[ci], len(w))
        cand_any = lat["sub"][idx[rng.integers(0, k, len(sel))]]
        lab = np.where(same, cand_same, cand_any)
        conf = rng.uniform(0.2, 0.9, len(sel))
        rows_req.append(sel)
        rows_label.append(lab)
        rows_conf.append(conf)
    r = np.concatenate(rows_req)
    lab = np.concatenate(rows_label)
    conf = np.concatenate(rows_conf)
    keep = conf >= 0.5
    r, lab, conf = r[keep], lab[keep], conf[keep]
    # drop repeated label paths of the same request (keep the first = main label)
    key = r * (nl + 1) + lab
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    r, lab, conf = r[first], lab[first], conf[first]
    o = np.lexsort((-conf, r))
    r, lab, conf = r[o], lab[o], conf[o]
    gi = idx[r]
    created = np.asarray(gen["created_at"].cast(pa.int64()))[gi]
    delay = (rng.uniform(30, 6 * 3600, len(gi)) * 1e6).astype(np.int64)
    lang_conf = np.round(
        np.where(lat["lang"][gi] == 0, rng.uniform(0.85, 1.0, len(gi)), rng.uniform(0.6, 1.0, len(gi))), 4
    )
    # one delay / language confidence per request
    first_of_req = np.concatenate([[True], r[1:] != r[:-1]])
    rid = np.cumsum(first_of_req) - 1
    delay = delay[first_of_req][rid]
    lang_conf = lang_conf[first_of_req][rid]
    rows = {
        "id": gen["id"].take(pa.array(gi)),
        "classified_at": pa.array(created + delay, type=pa.timestamp("us")),
        "classifier_version": np.full(len(gi), cl["classifier_version"], dtype=object),
        "label_path": np.array(plan.labels, dtype=object)[lab],
        "confidence": np.round(conf, 4),
        "language": np.array(plan.langs, dtype=object)[lat["lang"][gi]],
        "language_confidence": lang_conf,
    }
    return rows, np.stack([gi, lab], 1)
