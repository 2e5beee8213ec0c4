"""The deterministic plan of a scenario: per-day expected mixes and the account population.

Everything here depends only on (scenario, seed, scale), never on the generated date range, so a day
generated alone is identical to the same day generated within the full window.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .build_seeds import CATALOGUES

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "dbt" / "seeds"
PUBLIC = ROOT / "data" / "public"
AZURE = PUBLIC / "azure_llm_inference_2023"

SEGMENTS = ("proprietary", "open_china", "open_rest_of_world")
RCLASS = {"non_reasoning": 0, "hybrid": 1, "reasoning": 2}
CHINA = {"CN", "TW", "HK"}
BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def interp(series: dict, ords: np.ndarray) -> np.ndarray:
    xs = np.array([d.toordinal() for d in series], dtype=float)
    ys = np.array(list(series.values()), dtype=float)
    return np.interp(ords, xs, ys)


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def catalogue_cache_read_prices(attrs: dict) -> dict:
    """Cache-read $/token of the models whose seed prices come from a vendored catalogue snapshot
    (`prices=<tag>` in the seed's source); None where that snapshot lists no cache-read price."""
    out = {}
    for tag, path in CATALOGUES:
        wanted = {m for m, r in attrs.items() if f"prices={tag}" in r["source"]}
        for row in read_csv(path):
            if row["id"] in wanted:
                v = row["price_input_cache_read"]
                out[row["id"]] = float(v) if v else None
    return out


def random_strings(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """n random base62 strings of length k as a numpy 'S' array."""
    idx = rng.integers(0, 62, size=(n, k), dtype=np.uint8)
    return np.ascontiguousarray(BASE62[idx]).view(f"S{k}").ravel()


def size_class(params: float) -> str:
    if np.isnan(params):
        return "unknown"
    return "small" if params < 15 else ("medium" if params < 70 else "large")


@dataclass
class Plan:
    scenario: dict
    seed: int
    scale: float
    days: list = field(default_factory=list)

    # ------------------------------------------------------------------ build
    def build(self) -> Plan:
        s = self.scenario
        start, end = s["window"]["start"], s["window"]["end"]
        self.days = [start + dt.timedelta(days=i) for i in range(int((end - start).days) + 1)]
        self.ords = np.array([d.toordinal() for d in self.days])
        self.D = len(self.days)
        self._load_reference()
        self._models()
        self._mixes()
        self._volume()
        self._population()
        return self

    def day_index(self, day: dt.date) -> int:
        i = day.toordinal() - self.ords[0]
        if not 0 <= i < self.D:
            raise ValueError(f"{day} is outside the scenario window {self.days[0]} .. {self.days[-1]}")
        return int(i)

    # -------------------------------------------------------------- reference
    def _load_reference(self) -> None:
        s = self.scenario
        self.attrs = {r["model_slug"]: r for r in read_csv(SEEDS / "model_attributes.csv")}
        self.country_continent = {
            r["country_code"]: r["continent"] for r in read_csv(SEEDS / "countries.csv")
        }
        cmap = read_csv(SEEDS / "category_map.csv")
        self.label_category = {r["label_path"]: r["category"] for r in cmap}
        self.label_subcategory = {r["label_path"]: r["subcategory"] for r in cmap}
        cats = s["categories"]
        self.cats = cats
        self.C = len(cats)
        # label universe: the sub-tag paths of each category (validated against category_map.csv)
        self.labels: list[str] = []
        self.label_cat: list[int] = []
        self.sub_cum = []
        self.sub_offset = []
        for ci, c in enumerate(cats):
            shares = s["subcategory_shares"][c]
            self.sub_offset.append(len(self.labels))
            for lp in shares:
                if lp not in self.label_category:
                    raise ValueError(
                        f"subcategory_shares.{c}: label path {lp!r} is not in dbt/seeds/category_map.csv"
                    )
                if self.label_category[lp] != c:
                    raise ValueError(
                        f"subcategory_shares.{c}: {lp!r} maps to {self.label_category[lp]!r} "
                        "in category_map.csv"
                    )
                self.labels.append(lp)
                self.label_cat.append(ci)
            p = np.array(list(shares.values()))
            self.sub_cum.append(np.cumsum(p / p.sum()))
        self.label_cat = np.array(self.label_cat)
        self.langs = list(s["languages"])
        lp = np.array(list(s["languages"].values()))
        self.lang_cum = np.cumsum(lp / lp.sum())
        # Azure traces: length shapes as ratios to the trace mean
        self.traces = {}
        for name in ("code", "conv"):
            rows = np.loadtxt(
                AZURE / f"AzureLLMInferenceTrace_{name}.csv",
                delimiter=",",
                skiprows=1,
                usecols=(1, 2),
                dtype=float,
            )
            rows = rows[(rows[:, 0] > 0) & (rows[:, 1] > 0)]
            self.traces[name] = (rows[:, 0] / rows[:, 0].mean(), rows[:, 1] / rows[:, 1].mean())

    # ----------------------------------------------------------------- models
    def _models(self) -> None:
        s = self.scenario
        slugs = list(s["models"])
        for m in slugs:
            if m not in self.attrs:
                raise ValueError(f"models.{m}: not in dbt/seeds/model_attributes.csv")
        self.slugs = slugs
        self.M = M = len(slugs)
        a = [self.attrs[m] for m in slugs]
        self.author = [r["author"] for r in a]
        self.open = np.array([r["is_open_weights"] == "true" for r in a])
        self.origin = [r["origin_country"] for r in a]
        self.seg = np.array(
            [0 if not o else (1 if c in CHINA else 2) for o, c in zip(self.open, self.origin, strict=False)]
        )
        self.params = np.array([float(r["params_b"]) if r["params_b"] else np.nan for r in a])
        self.size = [size_class(p) if o else "n/a" for p, o in zip(self.params, self.open, strict=False)]
        self.rclass = np.array([RCLASS[r["reasoning_class"]] for r in a])
        self.release = np.array([dt.date.fromisoformat(r["release_date"]).toordinal() for r in a])
        self.pin = np.array([float(r["input_price_usd_per_mtok"]) for r in a]) / 1e6
        self.pout = np.array([float(r["output_price_usd_per_mtok"]) for r in a]) / 1e6
        # cache-read price: the catalogue's where the prices come from it (none listed = no caching
        # discount, as for openai/gpt-4); else the scenario's factor of the input price
        crf = s["cache_read_price_factor"]
        self.pcache = self.pin * np.array([crf.get(a, crf["default"]) for a in self.author])
        listed = catalogue_cache_read_prices(self.attrs)
        for i, m in enumerate(slugs):
            if m in listed:
                self.pcache[i] = self.pin[i] if listed[m] is None else listed[m]
        ms = s["models"]
        self.tool_factor = np.array([ms[m]["tool_factor"] for m in slugs])
        self.free_share = np.array([ms[m]["free_share"] for m in slugs])
        self.pmult = np.array([ms[m]["prompt_multiplier"] for m in slugs])
        self.cmult = np.array([ms[m]["completion_multiplier"] for m in slugs])
        # providers
        self.providers = []
        for i, m in enumerate(slugs):
            mix = ms[m]["providers"]
            if mix is None:
                key = self.author[i]
                if self.open[i] and f"open_{key}" in s["providers"]:
                    key = f"open_{key}"
                mix = s["providers"].get(key, s["providers"]["open_default"])
            names = list(mix)
            p = np.array([mix[n] for n in names])
            self.providers.append((names, np.cumsum(p / p.sum())))
        fr = s["providers"]["free"]
        self.free_providers = (list(fr), np.cumsum(np.array(list(fr.values())) / sum(fr.values())))
        # within-segment weights, zero before release, ramped in
        W = np.zeros((M, self.D))
        for i, m in enumerate(slugs):
            w = interp(ms[m]["weight"], self.ords)
            age = self.ords - self.release[i]
            ramp = ms[m]["ramp_days"]
            r = np.clip((age + 1) / ramp, 0, 1) if ramp > 0 else (age >= 0).astype(float)
            W[i] = w * r * (age >= 0)
        self.W = W

    # ------------------------------------------------------------------ mixes
    def _mixes(self) -> None:
        s = self.scenario
        M, C, D, ords = self.M, self.C, self.D, self.ords
        # category token mix per model (M, C, D)
        prof_cache = {}
        for name, knots in s["category_profiles"].items():
            arr = np.zeros((C, D))
            for ci, c in enumerate(self.cats):
                arr[ci] = interp({d: mix.get(c, 0.0) for d, mix in knots.items()}, ords)
            prof_cache[name] = arr / arr.sum(0, keepdims=True)
        self.PT = np.stack([prof_cache[s["models"][m]["profile"]] for m in self.slugs])
        # lengths
        ln = s["lengths"]

        def per_cat(block: dict) -> np.ndarray:
            return np.stack([interp(block.get(c, block["default"]), ords) for c in self.cats])

        self.Lp = per_cat(ln["prompt_mean"])
        self.Lc = per_cat(ln["completion_mean"])
        self.R = ln["reasoning_completion_multiplier"]
        self.p_think = interp(ln["hybrid_thinking_probability"], ords)
        rm = np.ones((M, D))
        rm[self.rclass == 2] = self.R
        rm[self.rclass == 1] = 1 + self.p_think * (self.R - 1)
        self.rmult = rm
        self.p_cache = per_cat(ln["cache"]["probability"])
        fr = ln["cache"]["fraction_range"]
        self.cache_range = np.array([fr.get(c, fr["default"]) for c in self.cats])  # (C, 2): low, high
        self.prompt_trace = [
            ln["prompt_shape_trace"].get(c, ln["prompt_shape_trace"].get("default", "conv"))
            for c in self.cats
        ]
        self.comp_trace = [
            ln["completion_shape_trace"].get(c, ln["completion_shape_trace"].get("default", "conv"))
            for c in self.cats
        ]
        # expected tokens per request by model x category x day
        E = self.Lp[None] * self.pmult[:, None, None] + self.Lc[None] * (rm * self.cmult[:, None])[:, None, :]
        q = self.PT / E
        self.tpr_m = 1.0 / q.sum(1)  # (M, D)
        self.PC = q / q.sum(1, keepdims=True)  # request-level category probs
        self.PC_cum = np.cumsum(self.PC, axis=1)
        self.E = E
        # segment and model token shares
        seg_share = np.zeros((3, D))
        seg_share[1] = interp(s["segments"]["open_china"], ords)
        seg_share[2] = interp(s["segments"]["open_rest_of_world"], ords)
        seg_share[0] = 1 - seg_share[1] - seg_share[2]
        if (seg_share[0] < 0).any():
            raise ValueError("segments: open_china + open_rest_of_world exceed 1 on some days")
        for k in range(3):
            avail = self.W[self.seg == k].sum(0) > 0
            if (~avail & (seg_share[k] > 0)).any():
                bad = self.days[int(np.argmax(~avail & (seg_share[k] > 0)))]
                raise ValueError(f"segments: no {SEGMENTS[k]} model is available on {bad}; add one to models")
        self.seg_share = seg_share
        wk = np.array([self.scenario["volume"]["weekday_factors"][d.weekday()] for d in self.days])
        wk = wk / np.mean(self.scenario["volume"]["weekday_factors"])
        self.day_tokens_tn = interp(self.scenario["volume"]["weekly_tokens_trillions"], ords) / 7 * wk
        self.mult = self._solve_author_multipliers()
        Wm = self.W * self.mult[:, None]
        share = np.zeros((M, D))
        for k in range(3):
            sel = self.seg == k
            tot = Wm[sel].sum(0)
            share[sel] = np.where(tot > 0, Wm[sel] / np.where(tot > 0, tot, 1), 0) * seg_share[k]
        self.share = share
        # request-level model probabilities
        qm = share / self.tpr_m
        self.tpr = 1.0 / qm.sum(0)
        self.PM = qm / qm.sum(0, keepdims=True)
        # tool-call probability: k(d) * propensity(category) * tool_factor(model)
        tc = s["tool_calls"]
        prop = np.array(
            [tc["category_propensity"].get(c, tc["category_propensity"]["default"]) for c in self.cats]
        )
        target = interp(tc["token_share"], ords)
        base = (share[:, None, :] * self.PT * prop[None, :, None] * self.tool_factor[:, None, None]).sum(
            (0, 1)
        )
        self.tool_k = target / np.where(base > 0, base, 1)
        self.tool_prop = prop

    def _solve_author_multipliers(self) -> np.ndarray:
        """Scale each open-weight author's models so window token totals follow the paper's author table."""
        mult = np.ones(self.M)
        ota = self.scenario["oss_author_targets"]
        if not ota:
            return mult
        T = self.day_tokens_tn
        keys = [(self.author[i], self.seg[i]) for i in range(self.M)]
        anchor = SEGMENTS.index(ota["anchor_segment"])
        targets = ota["trillions"]
        seg_total = (self.seg_share * T).sum(1)
        anchor_authors = {a for a, k in keys if k == anchor}
        anchor_target = sum(targets.get(a, 0.0) for a in anchor_authors)
        if anchor_target <= 0:
            raise ValueError("oss_author_targets: no target for any author of the anchor segment")
        to_sim = seg_total[anchor] / anchor_target
        self.author_residual = {}
        for _ in range(200):
            Wm = self.W * mult[:, None]
            realised = {}
            for k in (1, 2):
                sel = self.seg == k
                tot = Wm[sel].sum(0)
                sh = np.where(tot > 0, Wm / np.where(tot > 0, tot, 1), 0) * self.seg_share[k] * T
                for i in np.nonzero(sel)[0]:
                    realised[keys[i]] = realised.get(keys[i], 0.0) + sh[i].sum()
            for k in (1, 2):
                authors = {a for (a, kk) in realised if kk == k}
                tgt = {a: targets[a] * to_sim for a in authors if a in targets}
                residual = seg_total[k] - sum(tgt.values())
                untargeted = [a for a in authors if a not in tgt]
                if residual < 0 or (not untargeted and abs(residual) > 1e-9 * seg_total[k]):
                    f = seg_total[k] / max(sum(tgt.values()), 1e-12)
                    tgt = {a: x * f for a, x in tgt.items()}
                    residual = 0.0
                self.author_residual[SEGMENTS[k]] = residual
                un_real = sum(realised[(a, k)] for a in untargeted)
                for i in range(self.M):
                    if self.seg[i] != k:
                        continue
                    a = self.author[i]
                    if a in tgt and realised[(a, k)] > 0:
                        mult[i] *= tgt[a] / realised[(a, k)]
                    elif a not in tgt and un_real > 0 and residual > 0:
                        mult[i] *= residual / un_real
        self.author_to_sim = to_sim
        return mult

    # ----------------------------------------------------------------- volume
    def _volume(self) -> None:
        s = self.scenario
        raw = self.day_tokens_tn / self.tpr
        k = s["volume"]["requests_per_day_at_end"] * self.scale / raw[-7:].mean()
        self.N = np.maximum(np.rint(raw * k), 1).astype(np.int64)
        self.exp_req = self.N[None, :] * self.PM  # expected requests per model and day
        sp = s["tool_calls"]["spike"]
        self.spike = sp
        self.spike_model = None
        self.n_spike = np.zeros(self.D, dtype=np.int64)
        if sp is not None:
            if sp["model"] not in self.slugs:
                raise ValueError(f"tool_calls.spike.model: {sp['model']} is not in models")
            self.spike_model = self.slugs.index(sp["model"])
            on = (self.ords >= sp["start"].toordinal()) & (self.ords <= sp["end"].toordinal())
            per = sp["prompt_mean"] + sp["completion_mean"]
            self.n_spike = np.where(
                on, np.rint(sp["token_share_of_day"] * self.N * self.tpr / per), 0
            ).astype(np.int64)

    # ------------------------------------------------------------- population
    def _population(self) -> None:
        """Account x model relationships ("stints"), accounts, countries; drawn once from the seed."""
        s = self.scenario
        ac = s["accounts"]
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, 0xACC0]))
        phi = ac["new_stints_per_request"]
        d0 = int(self.ords[0])
        rd, lg = ac["retention_default"], ac["legacy"]
        overrides = {}
        for c in ac["cohorts"]:
            if c["model"] not in self.slugs:
                raise ValueError(f"accounts.cohorts: model {c['model']} is not in models")
            overrides[(self.slugs.index(c["model"]), c["month"])] = c

        def params_for(m: int, month: str) -> dict:
            base = dict(lg if month == "legacy" else rd)
            for key in ((m, "all"), (m, month)):
                if key in overrides:
                    base.update({k: v for k, v in overrides[key].items() if k not in ("model", "month")})
            return base

        month_of = np.array([f"{d.year:04d}-{d.month:02d}" for d in self.days])
        starts, models, ends, rets = [], [], [], []
        counts = rng.poisson(phi * self.exp_req)  # (M, D)
        for m in range(self.M):
            # legacy relationships alive at the window start
            if self.release[m] < d0 and self.exp_req[m, 0] > 0:
                p = params_for(m, "legacy")
                # pool size as if accumulated under default churn (capped), so legacy accounts stay active
                life = min(
                    90.0, p["long_share"] * p["long_mean_days"] + (1 - p["long_share"]) * p["short_mean_days"]
                )
                n = rng.poisson(phi * self.exp_req[m, :7].mean() * life)
                age = rng.integers(1, int(min(p.get("max_age_days", 240), d0 - self.release[m])) + 1, n)
                dur = self._durations(rng, n, p)
                starts.append(d0 - age)
                ends.append(d0 + dur)
                models.append(np.full(n, m))
                rets.append(np.zeros(n, dtype=bool))
            for mon in np.unique(month_of[counts[m] > 0]):
                sel = month_of == mon
                c = counts[m, sel]
                n = int(c.sum())
                st = np.repeat(self.ords[sel], c)
                p = params_for(m, str(mon))
                dur = self._durations(rng, n, p)
                starts.append(st)
                ends.append(st + dur)
                models.append(np.full(n, m))
                rets.append(np.zeros(n, dtype=bool))
                q = p.get("return_probability", 0.0)
                if q > 0:
                    back = rng.random(n) < q
                    nb = int(back.sum())
                    rs = (
                        st[back]
                        + int(round(p.get("return_after_months", 3) * 30.44))
                        + rng.integers(-6, 7, nb)
                    )
                    rdur = np.maximum(
                        1, np.ceil(rng.exponential(p.get("return_duration_days", 30), nb))
                    ).astype(int)
                    starts.append(rs)
                    ends.append(rs + rdur)
                    models.append(np.full(nb, m))
                    rets.append(np.ones(nb, dtype=bool))
                    # parents: remember which relationship returns (same account), matched below
                    self._pending = getattr(self, "_pending", [])
                    self._pending.append((len(starts) - 2, np.nonzero(back)[0]))
        # flatten with parent pointers for returns
        sizes = [len(x) for x in starts]
        offs = np.concatenate([[0], np.cumsum(sizes)])
        parent_ret = np.full(offs[-1], -1)
        for block, idx in getattr(self, "_pending", []):
            parent_ret[offs[block + 1] : offs[block + 1] + len(idx)] = offs[block] + idx
        self._pending = []
        st_start = np.concatenate(starts).astype(np.int64)
        st_end = np.concatenate(ends).astype(np.int64)
        st_model = np.concatenate(models).astype(np.int64)
        is_ret = np.concatenate(rets)
        S = len(st_start)
        st_weight = rng.lognormal(0.0, ac["weight_sigma"], S)
        # accounts: new account or an existing recent one (returns keep their parent's account)
        order = np.lexsort((st_model, st_start))
        rank = np.empty(S, dtype=np.int64)
        rank[order] = np.arange(S)
        parent = np.arange(S)
        reuse = (rng.random(S) >= ac["new_account_share"]) & ~is_ret
        recent = max(1, int(S / (self.D + 240) * 30))
        r_i = rank[reuse]
        back_k = 1 + np.floor(rng.random(len(r_i)) * np.minimum(r_i, recent)).astype(np.int64)
        ok = r_i > 0
        src_rank = r_i - back_k
        parent_idx = np.nonzero(reuse)[0]
        parent[parent_idx[ok]] = order[src_rank[ok]]
        parent[is_ret] = parent_ret[is_ret]
        acc = parent.copy()
        for _ in range(64):
            nxt = acc[acc]
            if np.array_equal(nxt, acc):
                break
            acc = nxt
        roots, st_acc = np.unique(acc, return_inverse=True)
        A = len(roots)
        self.S, self.A = S, A
        self.st_start, self.st_end, self.st_model, self.st_weight, self.st_acc = (
            st_start,
            st_end,
            st_model,
            st_weight,
            st_acc,
        )
        first = np.full(A, np.iinfo(np.int64).max)
        np.minimum.at(first, st_acc, st_start)
        last = np.zeros(A, dtype=np.int64)
        np.maximum.at(last, st_acc, st_end)
        # live counts and activity probability per model and day
        L = np.zeros((self.M, self.D + 1))
        a = np.clip(st_start - d0, 0, self.D)
        b = np.clip(st_end - d0, 0, self.D)
        np.add.at(L, (st_model, a), 1)
        np.add.at(L, (st_model, b), -1)
        self.L = np.cumsum(L, 1)[:, : self.D]
        act = ac["activity"]
        self.p_act = np.minimum(
            act["max_daily_active"], act["active_per_request"] * self.exp_req / np.maximum(self.L, 1)
        )
        # spike account (extra, last index)
        spike_acc = None
        if self.spike is not None:
            spike_acc = A
            A += 1
            first = np.append(first, self.spike["start"].toordinal() - 40)
            last = np.append(last, self.spike["end"].toordinal() + 1)
        self.spike_acc = spike_acc
        self.A = A
        # account ids and created_at
        ids = random_strings(rng, A, 20)
        self.acc_id = np.char.add(b"user_", ids).astype(str)
        if spike_acc is not None:
            self.acc_id[spike_acc] = f"user_{self.spike['account']}_{self.seed}"
        signup = first - rng.integers(0, 21, A)
        self.acc_created_us = (signup - dt.date(1970, 1, 1).toordinal()) * 86400 * 10**6 + rng.integers(
            0, 86400 * 10**6, A
        )
        self.acc_first, self.acc_last = first, last
        rm = s["request_mix"]
        self.acc_byok = rng.random(A) < rm["byok_account_share"]
        apps = np.array(
            [
                "app-janitorai",
                "app-sillytavern",
                "app-chub",
                "app-cline",
                "app-kilocode",
                "app-roocode",
                "app-openwebui",
                "app-librechat",
                "app-aider",
                "app-novelcrafter",
            ]
        )
        has_app = rng.random(A) < rm["app_account_share"]
        self.acc_app = np.where(has_app, apps[rng.integers(0, len(apps), A)], None).astype(object)
        if spike_acc is not None:
            self.acc_byok[spike_acc] = False
            self.acc_app[spike_acc] = "app-agentic-pipeline"
        self._countries(rng)
        # Arrow string dictionaries for fast column building
        import pyarrow as pa

        self.acc_id_pa = pa.array(self.acc_id.astype(object), type=pa.string())
        self.acc_rank = np.argsort(np.argsort(self.acc_id, kind="stable"), kind="stable")
        app_names = sorted({x for x in self.acc_app if x is not None})
        self.app_pa = pa.array(app_names + [None], type=pa.string())
        lookup = {a: k for k, a in enumerate(app_names)}
        self.acc_app_idx = np.array([lookup.get(x, len(app_names)) for x in self.acc_app])
        self.model_pa = pa.array(list(self.slugs) + [m + ":free" for m in self.slugs], type=pa.string())
        self.codes_pa = pa.array(self.codes, type=pa.string())

    def provider_universe(self):
        """All provider names as an Arrow array and, per model (and last: free), the index of its names."""
        if not hasattr(self, "_prov"):
            import pyarrow as pa

            names = sorted({n for ns, _ in self.providers for n in ns} | set(self.free_providers[0]))
            idx = [np.array([names.index(n) for n in ns]) for ns, _ in self.providers]
            idx.append(np.array([names.index(n) for n in self.free_providers[0]]))
            self._prov = (pa.array(names, type=pa.string()), idx)
        return self._prov

    @staticmethod
    def _durations(rng: np.random.Generator, n: int, p: dict) -> np.ndarray:
        long = rng.random(n) < p["long_share"]
        d = np.where(long, rng.exponential(p["long_mean_days"], n), rng.exponential(p["short_mean_days"], n))
        return np.maximum(1, np.ceil(d)).astype(np.int64)

    def _countries(self, rng: np.random.Generator) -> None:
        """Billing country per account, allocated on expected spend so window spend shares hit the targets."""
        g = self.scenario["geography"]
        codes, target = [], []
        for c, v in g["spend_shares"].items():
            if c != "other":
                codes.append(c)
                target.append(v)
        for cont, share in g["other_by_continent"].items():
            lst = g["other_countries"][cont]
            z = 1 / np.arange(1, len(lst) + 1) ** 0.8
            for c, w in zip(lst, z / z.sum(), strict=False):
                codes.append(c)
                target.append(share * w)
        for c in codes:
            if c not in self.country_continent:
                raise ValueError(f"geography: {c} is not an ISO code in dbt/seeds/countries.csv")
        self.codes = codes
        target = np.array(target) / np.sum(target)
        self.country_target = dict(zip(codes, target, strict=False))
        asia = np.array([self.country_continent[c] == "Asia" for c in codes])
        # expected spend per relationship ~ sum over its live days of requests/live x cost/request
        cpr = (
            self.PC
            * (
                self.Lp[None] * self.pmult[:, None, None] * self.pin[:, None, None]
                + self.Lc[None] * (self.rmult * self.cmult[:, None])[:, None, :] * self.pout[:, None, None]
            )
        ).sum(1)
        q = self.exp_req * cpr / np.maximum(self.L, 1)
        Q = np.concatenate([np.zeros((self.M, 1)), np.cumsum(q, 1)], 1)
        d0 = int(self.ords[0])
        a = np.clip(self.st_start - d0, 0, self.D)
        b = np.clip(self.st_end - d0, 0, self.D)
        wbar = np.ones(self.M)
        np.divide.at(wbar, 0, 1)  # keep dtype
        mean_w = np.bincount(self.st_model, self.st_weight, self.M) / np.maximum(
            np.bincount(self.st_model, None, self.M), 1
        )
        st_spend = (Q[self.st_model, b] - Q[self.st_model, a]) * (
            0.5 + 0.5 * self.st_weight / mean_w[self.st_model]
        )
        spend = np.bincount(self.st_acc, st_spend, self.A)
        if self.spike_acc is not None:
            spend[self.spike_acc] = 0.0
        # groups by signup week; Asia share of each group's spend follows the scenario path
        week = (np.clip(self.acc_first, d0, None) - d0) // 7
        a_g = interp(g["asia_share_of_new_accounts"], d0 + np.arange(week.max() + 1) * 7 + 3)
        base = target.copy()
        for _ in range(30):
            shares = np.zeros((len(a_g), len(codes)))
            for k in range(len(a_g)):
                b_ = base.copy()
                b_[asia] *= a_g[k] / b_[asia].sum()
                b_[~asia] *= (1 - a_g[k]) / b_[~asia].sum()
                shares[k] = b_
            gs = np.bincount(week, spend, len(a_g))
            realised = (gs[:, None] * shares).sum(0)
            realised /= realised.sum()
            base *= target / np.maximum(realised, 1e-12)
        self.group_country_shares = shares
        country = np.zeros(self.A, dtype=np.int64)
        perm = rng.permutation(self.A)
        for k in range(len(a_g)):
            members = perm[week[perm] == k]
            if not len(members):
                continue
            w = spend[members]
            tot = w.sum()
            if tot <= 0:
                country[members] = np.searchsorted(
                    np.cumsum(shares[k]), rng.random(len(members)) * shares[k].sum()
                )
                continue
            mid = (np.cumsum(w) - w / 2) / tot
            cum = np.cumsum(shares[k]) / shares[k].sum()
            country[members] = np.minimum(np.searchsorted(cum, mid), len(codes) - 1)
        if self.spike_acc is not None:
            country[self.spike_acc] = (
                codes.index(self.spike["billing_country"]) if self.spike["billing_country"] in codes else 0
            )
        self.acc_country = country
        # a few accounts change billing country during the year
        n_ch = self.scenario["accounts"]["country_changes"]
        span = self.acc_last - np.maximum(self.acc_first, d0)
        cand = np.nonzero(span > 90)[0]
        if self.spike_acc is not None:
            cand = cand[cand != self.spike_acc]
        pick = (
            np.sort(rng.choice(cand, min(n_ch, len(cand)), replace=False)) if len(cand) else np.array([], int)
        )
        self.change_acc = pick
        lo = np.maximum(self.acc_first[pick], d0) + 30
        hi = np.minimum(self.acc_last[pick], int(self.ords[-1])) - 10
        self.change_day = lo + (rng.random(len(pick)) * np.maximum(hi - lo, 1)).astype(np.int64)
        top = [codes.index(c) for c in ("US", "SG", "DE", "GB", "NL", "JP", "CA", "KR") if c in codes]
        newc = np.array(top)[rng.integers(0, len(top), len(pick))]
        clash = newc == country[pick]
        newc[clash] = (
            np.array(top)[(np.searchsorted(top, newc[clash]) + 1) % len(top)] if clash.any() else newc[clash]
        )
        self.change_new = newc
        self.codes_arr = np.array(codes)

    def country_on(self, acc: np.ndarray, ordinal: int) -> np.ndarray:
        c = self.acc_country[acc].copy()
        if len(self.change_acc):
            pos = np.searchsorted(self.change_acc, acc)
            pos = np.minimum(pos, len(self.change_acc) - 1)
            hit = (self.change_acc[pos] == acc) & (self.change_day[pos] <= ordinal)
            c[hit] = self.change_new[pos[hit]]
        return c
