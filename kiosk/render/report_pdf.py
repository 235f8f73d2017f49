"""The one-page report as a PDF: the same page as the PNG (kiosk.render.report_page),
drawn at A4 and 200 dpi, and written by Pillow as one A4 page, the format an electronic
health record takes. Pillow (python3-pil on the Pi) does the PDF so we write none by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pygame

from kiosk import text
from kiosk.model import ReportData

DPI = 200  # the page's 1654 px at this resolution are 210 mm: A4


def save_report_pdf(data: ReportData, path, *, generated: datetime | None = None) -> dict[str, str]:
    """Draw the report and write it as a one-page A4 PDF to `path`; returns the printed figures."""
    from PIL import Image  # loaded only when a PDF is asked for

    from kiosk.render.report_page import DEFAULT_WIDTH, draw_report

    page = draw_report(data, DEFAULT_WIDTH, generated=generated)
    surface = page.surface
    image = Image.frombytes("RGB", surface.get_size(), pygame.image.tostring(surface, "RGB"))
    image.save(Path(path), "PDF", resolution=float(DPI), title=_title(data))
    return page.figures


def pdf_from_png(png, path, data: ReportData) -> None:
    """The report page already drawn as a PNG (the USB export draws it once), as a PDF."""
    from PIL import Image

    with Image.open(png) as picture:
        picture.convert("RGB").save(Path(path), "PDF", resolution=float(DPI), title=_title(data))


def _title(data: ReportData) -> str:
    """The PDF's own title (shown by viewers and record systems): the page's title and dates."""
    days = (data.last_day - data.first_day).days + 1
    return " ".join((text.REPORT_TITLE, text.date_range(data.first_day, data.last_day, days)))
