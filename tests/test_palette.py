"""The theme's text colours keep WCAG AA contrast (4.5:1) on every background of the palette, in both colour
modes: the palette lives in one place (static/css/helpdesk.css), so this is where a change is caught."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "helpdesk.css").read_text()
TEXT = ["--hd-ink", "--hd-muted", "--hd-link", "--hd-accent-ink"]
BACKGROUNDS = ["--hd-bg", "--hd-surface", "--hd-surface-muted", "--hd-hover", "--hd-chip-bg"]


def palette(selector):
    block = re.search(re.escape(selector) + r" \{(.*?)\n\}", CSS, re.S)[1]
    return dict(re.findall(r"(--hd-[\w-]+): (#[0-9a-f]{6})", block))


def luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = palette(":root, [data-bs-theme=light]")
DARK = {**LIGHT, **palette("[data-bs-theme=dark]")}


@pytest.mark.parametrize("mode,colours", [("light", LIGHT), ("dark", DARK)])
@pytest.mark.parametrize("text", TEXT)
def test_text_is_readable_on_every_background(mode, colours, text):
    for background in BACKGROUNDS:
        ratio = contrast(colours[text], colours[background])
        assert ratio >= 4.5, f"{mode}: {text} on {background} is {ratio:.2f}:1"


def test_links_on_the_accent_background():
    for colours in (LIGHT, DARK):
        assert contrast(colours["--hd-accent-ink"], colours["--hd-accent-bg"]) >= 4.5
