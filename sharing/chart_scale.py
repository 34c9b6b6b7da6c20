"""Axis steps for the inline SVG charts of advisories and of the oversight report."""


def nice_step(raw: float) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `raw` (and at least 1)."""
    scale = 1
    while True:
        for factor in (1, 2, 5):
            if factor * scale >= raw:
                return factor * scale
        scale *= 10
