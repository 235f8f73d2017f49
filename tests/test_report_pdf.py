"""The report as a PDF: one A4 page holding the same picture as the PNG."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, timezone

import pytest

pytest.importorskip("PIL")

from kiosk.model import DayStat, ReportData  # noqa: E402
from kiosk.render.report_pdf import save_report_pdf  # noqa: E402

A4_POINTS = (595.28, 841.89)


def sample() -> ReportData:
    days = tuple(DayStat(date(2024, 3, d), d % 5, 6.0, 4.5, (3,)) for d in range(1, 29))
    return ReportData(
        profile="sam", first_day=days[0].day, last_day=days[-1].day, target=4, days=days, adherence=0.25,
        sessions=56, completed=50, stopped_early=4, interrupted=2,
        minutes_by_technique=(("Towel rub", 120.0), ("Tapping", 80.0)), minutes_by_area=(("Left leg", 200.0),),
        change_by_technique=(("Towel rub", -1.5, 30),), pain_by_hour=((9, 5.0, 10),),
    )


def test_the_pdf_is_one_a4_page(tmp_path):
    out = tmp_path / "report.pdf"
    figures = save_report_pdf(sample(), out, generated=datetime(2024, 3, 29, 9, 0, tzinfo=timezone.utc))
    raw = out.read_bytes()
    assert raw.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", raw)) == 1  # one page object (not /Pages)
    [box] = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", raw)
    width, height = (float(v) for v in box)
    assert width == pytest.approx(A4_POINTS[0], abs=1.5) and height == pytest.approx(A4_POINTS[1], abs=1.5)
    assert figures  # the same figures the PNG prints


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_poppler_reads_it_as_one_a4_page(tmp_path):
    out = tmp_path / "report.pdf"
    save_report_pdf(sample(), out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "A4" in info
