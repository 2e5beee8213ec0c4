"""The HTML report of the study's figures, rendered from the published marts."""

from .assets import report_html
from .render import render_report

report_assets = [report_html]

__all__ = ["render_report", "report_assets", "report_html"]
