"""Calibrated traffic simulator: writes landing files that follow the contract, plus truth.json."""

from .run import build_plan, simulate
from .scenario import DEFAULT_SCENARIO, ScenarioError, load_scenario

__all__ = ["simulate", "build_plan", "load_scenario", "ScenarioError", "DEFAULT_SCENARIO"]
