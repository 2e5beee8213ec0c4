"""The suite files themselves: valid GX JSON, thresholds documented and in sync with the contract."""

from __future__ import annotations

import datetime as dt
import json

import great_expectations as gx
import yaml

from dagster_project.defs.quality import load_suites, thresholds
from dagster_project.defs.quality.suites import _PLACEHOLDER, THRESHOLDS_FILE, render
from dagster_project.lib import contract


def test_suites_round_trip_into_gx():
    context = gx.get_context(mode="ephemeral")  # noqa: F841 (suites need a context)
    for spec in load_suites():
        rendered = render(spec, window_start="2025-05-01", window_end="2025-05-02", raw_files="['x']")
        assert not _PLACEHOLDER.search(json.dumps(rendered)), spec.name
        suite = gx.ExpectationSuite(name=rendered["name"], expectations=rendered["expectations"])
        assert len(suite.expectations) == len(spec.rules)
        assert len(set(spec.rules)) == len(spec.rules), f"duplicate rule ids in {spec.name}"


def test_every_rule_says_what_to_do():
    for spec in load_suites():
        for expectation in spec.raw["expectations"]:
            assert len(expectation["meta"]["what_to_do"]) > 40, (spec.name, expectation["meta"]["rule"])
        assert spec.meta["description"]


def test_thresholds_have_default_and_reason():
    for name, entry in yaml.safe_load(THRESHOLDS_FILE.read_text()).items():
        assert {"value", "default", "reason"} <= set(entry), name
    used = {m for spec in load_suites() for m in _PLACEHOLDER.findall(json.dumps(spec.raw))}
    assert used - {"window_start", "window_end", "raw_files"} <= set(thresholds())


def test_thresholds_agree_with_contract():
    values = thresholds()
    assert dt.date.fromisoformat(values["categories_start"]) == contract.CATEGORIES_START
    start = contract.CATEGORIES_START
    assert dt.date.fromisoformat(values["categories_start_week"]) == start - dt.timedelta(
        days=start.weekday()
    )
    assert values["min_label_confidence"] == contract.MIN_LABEL_CONFIDENCE
    assert values["suppression_k"] == 10


def test_raw_suites_spell_out_the_contract():
    for source, columns in contract.COLUMNS.items():
        spec = next(s for s in load_suites() if s.name == f"raw.{source}")
        text = json.dumps(spec.raw)
        for column, type_ in columns.items():
            assert f"('{column}', '{type_}')" in text, (source, column)
        for column in contract.FORBIDDEN_TEXT_COLUMNS:
            assert f"'{column}'" in text, (source, column)
