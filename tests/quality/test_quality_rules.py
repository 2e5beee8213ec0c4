"""Every rule of every GX suite, run through Dagster on real DuckDB: passes on clean data, fails with
the planted count on the bad warehouse. Real GX, real DuckDB, no mocks."""

from __future__ import annotations

import pytest

from dagster_project.defs.quality import load_suites

from .conftest import dumps, rules_of
from .warehouse_fixtures import EXPECTED_BAD

ALL_RULES = [(spec.name, rule) for spec in load_suites() for rule in spec.rules]


def test_every_rule_has_a_planted_defect():
    assert sorted(EXPECTED_BAD) == sorted(ALL_RULES)


@pytest.mark.parametrize(("suite", "rule"), ALL_RULES, ids=[f"{s}:{r}" for s, r in ALL_RULES])
def test_rule_passes_on_clean_data(clean_runs, suite, rule):
    rules = rules_of(clean_runs, suite)
    assert rules[rule]["passed"], dumps(rules[rule])
    assert rules[rule]["unexpected_count"] == 0
    assert rules[rule]["error"] is None


@pytest.mark.parametrize(("suite", "rule"), ALL_RULES, ids=[f"{s}:{r}" for s, r in ALL_RULES])
def test_rule_fails_on_planted_defect(bad_runs, suite, rule):
    rules = rules_of(bad_runs, suite)
    assert not rules[rule]["passed"], dumps(rules[rule])
    assert rules[rule]["error"] is None, rules[rule]["error"]
    assert rules[rule]["unexpected_count"] == EXPECTED_BAD[(suite, rule)], dumps(rules[rule])
