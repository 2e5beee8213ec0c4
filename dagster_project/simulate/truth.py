"""Realised truth: per-day aggregates of the generated rows, assembled into the truth manifest."""

from __future__ import annotations

import datetime as dt

import numpy as np

from .plan import SEGMENTS, Plan


def day_aggregates(plan: Plan, r) -> dict:
    lat, g = r.lat, r.gen
    M, C = plan.M, plan.C
    m, cat = lat["model"], lat["cat"]
    p = g["tokens_prompt"].astype(float)
    c = g["tokens_completion"].astype(float)
    tok = p + c
    cost = g["total_cost"]
    nb = ~lat["byok"]
    paid = nb & ~lat["free"]  # a model id's price: `:free` variants are ids of their own, at $0
    tool = lat["tool"]
    sp = lat["spike"]

    def bc(idx, w, size):
        return np.bincount(idx, w, size) if len(idx) else np.zeros(size)

    a = {
        "requests": r.n,
        "m_req": bc(m, None, M),
        "m_prompt": bc(m, p, M),
        "m_comp": bc(m, c, M),
        "m_reason": bc(m, g["native_tokens_reasoning"].astype(float), M),
        "m_cached": bc(m, g["native_tokens_cached"].astype(float), M),
        "m_cost": bc(m, cost, M),
        "m_cost_nb": bc(m, cost * nb, M),
        "m_tok_paid": bc(m, tok * paid, M),
        "m_tool_tok": bc(m, tok * tool, M),
        "m_tool_req": bc(m, tool.astype(float), M),
        "m_spike_tok": bc(m, tok * sp, M),
        "m_spike_req": bc(m, sp.astype(float), M),
        "m_spike_tool_tok": bc(m, tok * (sp & tool), M),
        "m_spike_tool_req": bc(m, (sp & tool).astype(float), M),
        "m_free_req": bc(m, lat["free"].astype(float), M),
        "m_byok_req": bc(m, lat["byok"].astype(float), M),
        "mc_tok": bc(m * C + cat, tok, M * C).reshape(M, C),
        "mc_req": bc(m * C + cat, None, M * C).reshape(M, C),
        "mc_cost_nb": bc(m * C + cat, cost * nb, M * C).reshape(M, C),
        "mc_tok_nb": bc(m * C + cat, tok * nb, M * C).reshape(M, C),
        "sub_tok": bc(lat["sub"], tok, len(plan.labels)),
        "lang_tok": bc(lat["lang"], tok, len(plan.langs)),
        "lang_req": bc(lat["lang"], None, len(plan.langs)),
        "ctry_spend": bc(r.req_country, cost, len(plan.codes)),
        "ctry_tok": bc(r.req_country, tok, len(plan.codes)),
        "accounts_active": len(r.uacc),
    }
    # classified sample: label-weighted tokens per category / label, tokens per language
    k = len(r.cls_idx)
    a["cls_requests"] = k
    a["cls_labels"] = 0 if r.cls_labels is None else len(r.cls_labels)
    a["cls_cat"] = np.zeros(C)
    a["cls_sub"] = np.zeros(len(plan.labels))
    a["cls_lang"] = np.zeros(len(plan.langs))
    if k and r.cls_labels is not None and len(r.cls_labels):
        gi, lab = r.cls_labels[:, 0], r.cls_labels[:, 1]
        _, inv, cnt = np.unique(gi, return_inverse=True, return_counts=True)
        lw = 1.0 / cnt[inv]
        a["cls_cat"] = bc(plan.label_cat[lab], lw * tok[gi], C)
        a["cls_sub"] = bc(lab, lw * tok[gi], len(plan.labels))
        ug = np.unique(gi)
        a["cls_lang"] = bc(lat["lang"][ug], tok[ug], len(plan.langs))
    # cohort activity of the report models (plan account index)
    a["cohort"] = {}
    for slug in plan.scenario["accounts"]["report_cohorts"]:
        if slug in plan.slugs:
            j = plan.slugs.index(slug)
            a["cohort"][slug] = np.unique(lat["acc"][m == j])
    return a


def _share(num, den):
    return float(num / den) if den else None


def _round(x, nd=6):
    return None if x is None else round(float(x), nd)


def assemble(plan: Plan, days: list, aggs: list, meta: dict) -> dict:
    s = plan.scenario
    _M, _C = plan.M, plan.C
    cats, langs, labels, codes = plan.cats, plan.langs, plan.labels, plan.codes
    stack = {k: np.array([a[k] for a in aggs]) for k in aggs[0] if k != "cohort"}
    tok_m = stack["m_prompt"] + stack["m_comp"]  # (days, M)
    seg, open_ = plan.seg, plan.open
    size = np.array(plan.size)
    cont = np.array([plan.country_continent[c] for c in codes])
    continents = sorted(set(cont))
    cstart = s["classification"]["start"]
    week_of = np.array([(d - dt.timedelta(days=d.weekday())) for d in days])
    weeks = sorted(set(week_of))
    prog = cats.index("programming") if "programming" in cats else None
    anth = np.array([a == "Anthropic" for a in plan.author])

    def block(sel: np.ndarray) -> dict:
        t = tok_m[sel].sum(0)
        total = t.sum()
        req = stack["m_req"][sel].sum()
        pr, co = stack["m_prompt"][sel].sum(), stack["m_comp"][sel].sum()
        oss = t[open_].sum()
        ossm = np.where(open_, t, 0)
        top = int(np.argmax(ossm)) if oss else None
        tool_tok, tool_req = stack["m_tool_tok"][sel].sum(), stack["m_tool_req"][sel].sum()
        sp_tok, sp_req = stack["m_spike_tok"][sel].sum(), stack["m_spike_req"][sel].sum()
        sp_tt, sp_tr = stack["m_spike_tool_tok"][sel].sum(), stack["m_spike_tool_req"][sel].sum()
        mc = stack["mc_tok"][sel].sum(0)
        spend = stack["ctry_spend"][sel].sum(0)
        ctok = stack["ctry_tok"][sel].sum(0)
        out = {
            "days": int(sel.sum()),
            "requests": int(req),
            "input_tokens": int(pr),
            "output_tokens": int(co),
            "total_tokens": int(total),
            "reasoning_output_tokens": int(stack["m_reason"][sel].sum()),
            "cache_read_input_tokens": int(stack["m_cached"][sel].sum()),
            "cost_usd": _round(stack["m_cost"][sel].sum(), 4),
            "mean_input_tokens": _round(_share(pr, req), 2),
            "mean_output_tokens": _round(_share(co, req), 2),
            "mean_sequence_tokens": _round(_share(total, req), 2),
            "segment_token_shares": {SEGMENTS[k]: _round(_share(t[seg == k].sum(), total)) for k in range(3)},
            "oss_token_share": _round(_share(oss, total)),
            "top_oss_model": None
            if top is None
            else {"model_slug": plan.slugs[top], "oss_token_share": _round(_share(ossm[top], oss))},
            "oss_size_shares": {
                k: _round(_share(t[open_ & (size == k)].sum(), oss)) for k in ("small", "medium", "large")
            },
            "reasoning_model_token_share": _round(_share(t[plan.rclass > 0].sum(), total)),
            "reasoning_tokens_share_of_output": _round(_share(stack["m_reason"][sel].sum(), co)),
            "tool_call_tokens": int(tool_tok),
            "tool_call_requests": int(tool_req),
            "tool_call_token_share": _round(_share(tool_tok, total)),
            "tool_call_request_share": _round(_share(tool_req, req)),
            "tool_call_token_share_excl_spike_account": _round(_share(tool_tok - sp_tt, total - sp_tok)),
            "tool_call_request_share_excl_spike_account": _round(_share(tool_req - sp_tr, req - sp_req)),
            "spike_account_share_of_tool_call_tokens": _round(_share(sp_tt, tool_tok)),
            "programming_token_share": None if prog is None else _round(_share(mc[:, prog].sum(), total)),
            "anthropic_share_of_programming_tokens": None
            if prog is None
            else _round(_share(mc[anth, prog].sum(), mc[:, prog].sum())),
            "continent_spend_shares": {
                k: _round(_share(spend[cont == k].sum(), spend.sum())) for k in continents
            },
            "continent_token_shares": {
                k: _round(_share(ctok[cont == k].sum(), ctok.sum())) for k in continents
            },
            "classified_requests": int(stack["cls_requests"][sel].sum()),
        }
        return out

    weekly = []
    for w in weeks:
        sel = week_of == w
        b = {"week_start": w.isoformat(), **block(sel)}
        if w + dt.timedelta(days=6) >= cstart:
            mc = stack["mc_tok"][sel & (np.array(days) >= cstart)].sum(0).sum(0)
            b["category_token_shares"] = (
                {c: _round(_share(mc[j], mc.sum())) for j, c in enumerate(cats)} if mc.sum() else None
            )
        weekly.append(b)
    allsel = np.ones(len(days), dtype=bool)
    overall = block(allsel)

    # segments: mean of weekly shares and token-weighted
    seg_mean = {
        k: _round(np.mean([w["segment_token_shares"][k] for w in weekly if w["total_tokens"]]))
        for k in SEGMENTS
    }
    # open-weight authors
    t = tok_m.sum(0)
    oss_tot = t[open_].sum()
    targets = (s["oss_author_targets"] or {}).get("trillions", {})
    authors = {}
    for j in np.nonzero(open_)[0]:
        authors[plan.author[j]] = authors.get(plan.author[j], 0.0) + t[j]
    ranked = sorted(authors.items(), key=lambda kv: -kv[1])
    oss_authors = [
        {
            "author": a,
            "total_tokens": int(v),
            "oss_token_share": _round(_share(v, oss_tot)),
            "rank": r + 1,
            "paper_trillions": targets.get(a),
        }
        for r, (a, v) in enumerate(ranked)
    ]
    # models, prices, elasticity
    models = []
    eff = {}
    for j, slug in enumerate(plan.slugs):
        tnb = stack["m_tok_paid"][:, j].sum()
        cnb = stack["m_cost_nb"][:, j].sum()
        price = cnb / tnb * 1e6 if tnb else None
        if price:
            eff[slug] = (price, tnb)
        models.append(
            {
                "model_slug": slug,
                "author": plan.author[j],
                "segment": SEGMENTS[seg[j]],
                "size_class": plan.size[j],
                "requests": int(stack["m_req"][:, j].sum()),
                "total_tokens": int(t[j]),
                "token_share": _round(_share(t[j], t.sum())),
                "free_requests": int(stack["m_free_req"][:, j].sum()),
                "byok_requests": int(stack["m_byok_req"][:, j].sum()),
                "cost_usd_excl_byok": _round(cnb, 4),
                "effective_price_usd_per_mtok": _round(price, 9),
            }
        )
    prices = np.array([v[0] for v in eff.values()])
    vols = np.array([v[1] for v in eff.values()])
    elasticity = None
    if len(prices) > 2:
        x, y = np.log10(prices), np.log10(vols)
        slope, icpt = np.polyfit(x, y, 1)
        pred = slope * x + icpt
        r2 = 1 - ((y - pred) ** 2).sum() / ((y - y.mean()) ** 2).sum()
        elasticity = {
            "models": int(len(x)),
            "elasticity": _round(slope),
            "intercept": _round(icpt),
            "r_squared": _round(r2),
        }
    # categories (latent, population) from the classification start
    csel = np.array(days) >= cstart
    cat_block = None
    if csel.any():
        mc = stack["mc_tok"][csel].sum(0)  # (M, C)
        mcr = stack["mc_req"][csel].sum(0)
        mcc = stack["mc_cost_nb"][csel].sum(0)
        mct = stack["mc_tok_nb"][csel].sum(0)
        tot = mc.sum()

        def mix(rows):
            v = mc[rows].sum(0)
            return {c: _round(_share(v[j], v.sum())) for j, c in enumerate(cats)} if v.sum() else None

        by_author = {a: mix(np.array([x == a for x in plan.author])) for a in sorted(set(plan.author))}
        origin = np.where(
            seg == 1,
            "china",
            np.where(np.array([o in ("CN", "TW", "HK") for o in plan.origin]), "china", "rest_of_world"),
        )
        cat_block = {
            "from": cstart.isoformat(),
            "token_shares": {c: _round(_share(mc[:, j].sum(), tot)) for j, c in enumerate(cats)},
            "request_shares": {c: _round(_share(mcr[:, j].sum(), mcr.sum())) for j, c in enumerate(cats)},
            "mean_input_tokens_by_category": None,
            "by_author": by_author,
            "by_origin": {o: mix(origin == o) for o in ("china", "rest_of_world")},
            "by_segment": {SEGMENTS[k]: mix(seg == k) for k in range(3)},
            "by_openness": {"open": mix(open_), "proprietary": mix(~open_)},
            "segment_share_of_category": {
                c: {SEGMENTS[k]: _round(_share(mc[seg == k, j].sum(), mc[:, j].sum())) for k in range(3)}
                for j, c in enumerate(cats)
            },
            "author_share_of_programming": None
            if prog is None
            else {
                a: _round(_share(mc[np.array([x == a for x in plan.author]), prog].sum(), mc[:, prog].sum()))
                for a in sorted(set(plan.author))
            },
            "effective_price_usd_per_mtok": {
                c: _round(_share(mcc[:, j].sum(), mct[:, j].sum()) * 1e6 if mct[:, j].sum() else None)
                for j, c in enumerate(cats)
            },
        }
        sub = stack["sub_tok"][csel].sum(0)
        subs = {}
        for j, c in enumerate(cats):
            idx = np.nonzero(plan.label_cat == j)[0]
            den = sub[idx].sum()
            subs[c] = {plan.label_subcategory[labels[k]]: _round(_share(sub[k], den)) for k in idx}
        cat_block["subcategory_token_shares"] = subs
        lt = stack["lang_tok"][csel].sum(0)
        cat_block["language_token_shares"] = {
            l_: _round(_share(lt[j], lt.sum())) for j, l_ in enumerate(langs)
        }
    lt_all = stack["lang_tok"].sum(0)
    spend = stack["ctry_spend"].sum(0)
    ctok = stack["ctry_tok"].sum(0)
    geography = {
        "country_spend_shares": {c: _round(_share(spend[j], spend.sum())) for j, c in enumerate(codes)},
        "country_token_shares": {c: _round(_share(ctok[j], ctok.sum())) for j, c in enumerate(codes)},
        "continent_spend_shares": overall["continent_spend_shares"],
        "continent_token_shares": overall["continent_token_shares"],
        "target_country_spend_shares": {c: _round(v) for c, v in plan.country_target.items()},
    }
    # classification sample (per day sizes, and the sample-weighted estimates the marts compute)
    cls_days = {
        d.isoformat(): int(a["cls_requests"]) for d, a in zip(days, aggs, strict=False) if d >= cstart
    }
    sw = np.array([a["requests"] / a["cls_requests"] if a["cls_requests"] else 0.0 for a in aggs])
    est_cat = (stack["cls_cat"] * sw[:, None]).sum(0)
    est_lang = (stack["cls_lang"] * sw[:, None]).sum(0)
    est_sub = (stack["cls_sub"] * sw[:, None]).sum(0)
    classification = {
        "start": cstart.isoformat(),
        "rate": s["classification"]["rate"],
        "classifier_version": s["classification"]["classifier_version"],
        "classified_requests": int(stack["cls_requests"].sum()),
        "label_rows": int(stack["cls_labels"].sum()),
        "requests_in_classified_days": int(
            sum(a["requests"] for d, a in zip(days, aggs, strict=False) if d >= cstart)
        ),
        "classified_requests_per_day": cls_days,
        "sample_estimates": {
            "definition": "sum over days of (requests/classified requests) x sum over labels of "
            "(1/labels of the request) x total tokens; shares of the sum",
            "category_token_shares": {
                c: _round(_share(est_cat[j], est_cat.sum())) for j, c in enumerate(cats)
            },
            "subcategory_token_shares": {
                c: {
                    plan.label_subcategory[labels[k]]: _round(
                        _share(est_sub[k], est_sub[plan.label_cat == j].sum())
                    )
                    for k in np.nonzero(plan.label_cat == j)[0]
                }
                for j, c in enumerate(cats)
            },
            "language_token_shares": {
                l_: _round(_share(est_lang[j], est_lang.sum())) for j, l_ in enumerate(langs)
            },
        },
    }
    # cohorts (activity retention by calendar month, distinct accounts, first month in the generated range)
    cohorts = {}
    months = np.array([d.year * 12 + d.month - 1 for d in days])
    for slug in s["accounts"]["report_cohorts"]:
        if slug not in plan.slugs:
            continue
        acc = [a["cohort"][slug] for a in aggs]
        if not sum(len(x) for x in acc):
            cohorts[slug] = {}
            continue
        A = np.concatenate(acc)
        Mo = np.concatenate([np.full(len(x), months[k]) for k, x in enumerate(acc)])
        pairs = np.unique(A * 100000 + Mo)
        pa_, pm_ = pairs // 100000, pairs % 100000
        first = {}
        ua, inv = np.unique(pa_, return_inverse=True)
        fm = np.full(len(ua), 10**9)
        np.minimum.at(fm, inv, pm_)
        per = {}
        last_month = months.max()
        for cm in np.unique(fm):
            members = ua[fm == cm]
            size_c = len(members)
            ret = []
            for k in range(0, int(last_month - cm) + 1):
                active = pa_[pm_ == cm + k]
                ret.append(_round(np.isin(members, active).sum() / size_c, 4))
            first[f"{cm // 12:04d}-{cm % 12 + 1:02d}"] = {"cohort_accounts": int(size_c), "retention": ret}
            per[cm] = size_c
        cohorts[slug] = first
    spike = None
    if plan.spike is not None:
        on = [k for k, d in enumerate(days) if plan.spike["start"] <= d <= plan.spike["end"]]
        tt = stack["m_tool_tok"][on].sum() if on else 0
        st = stack["m_spike_tool_tok"][on].sum() if on else 0
        spike = {
            "account_id": str(plan.acc_id[plan.spike_acc]),
            "model": plan.spike["model"],
            "start": plan.spike["start"].isoformat(),
            "end": plan.spike["end"].isoformat(),
            "days_generated": len(on),
            "requests": int(stack["m_spike_req"].sum()),
            "tool_call_tokens": int(stack["m_spike_tool_tok"].sum()),
            "share_of_tool_call_tokens_during_spike": _round(_share(st, tt)),
        }
    changes = [
        {
            "account_id": str(plan.acc_id[a]),
            "day": dt.date.fromordinal(int(d)).isoformat(),
            "from": plan.codes[plan.acc_country[a]],
            "to": plan.codes[nc],
        }
        for a, d, nc in zip(plan.change_acc, plan.change_day, plan.change_new, strict=False)
    ]
    median_price = float(np.median(prices)) if len(prices) else None
    return {
        **meta,
        "totals": overall,
        "weekly": weekly,
        "segments": {
            "mean_of_weekly_shares": seg_mean,
            "token_weighted_shares": overall["segment_token_shares"],
        },
        "oss_authors": oss_authors,
        "models": models,
        "median_effective_price_usd_per_mtok": _round(median_price),
        "price_elasticity": elasticity,
        "categories": cat_block,
        "languages": {
            "token_shares_window": {l_: _round(_share(lt_all[j], lt_all.sum())) for j, l_ in enumerate(langs)}
        },
        "geography": geography,
        "cohort_retention": cohorts,
        "classification": classification,
        "tool_call_spike": spike,
        "accounts": {
            "population": int(plan.A),
            "account_model_relationships": int(plan.S),
            "active_account_days": int(stack["accounts_active"].sum()),
            "country_changes": changes,
        },
    }
