"""Cover art: the generated cover meets Apple's rules and is legible; bad artwork is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from pressaudio.errors import ConfigError
from pressaudio.publish.cover import BACKGROUND, FOREGROUND, SIZE, check_artwork, draw_cover


def _luminance(rgb: tuple[int, int, int]) -> float:
    def lin(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_box(png: bytes, top: int = 0, bottom: int = SIZE) -> tuple[int, int, int, int] | None:
    """Bounding box of the white (text) pixels between rows `top` and `bottom`."""
    im = Image.open(io.BytesIO(png)).convert("RGB").crop((0, top, SIZE, bottom))
    white = Image.eval(im, lambda v: 255 if v >= 250 else 0).convert("L")
    box = white.point(lambda v: 255 if v >= 250 else 0).getbbox()
    return None if box is None else (box[0], box[1] + top, box[2], box[3] + top)


def test_generated_cover_is_a_3000px_square_png(tmp_path: Path) -> None:
    png = draw_cover("Foreign Ministry Press Conferences", "Ministry of Foreign Affairs")
    im = Image.open(io.BytesIO(png))
    assert (im.format, im.size, im.mode) == ("PNG", (SIZE, SIZE), "RGB")
    p = tmp_path / "cover.png"
    p.write_bytes(png)
    assert check_artwork(p, source="podcast.toml", line=None) == "image/png"


def test_cover_contrast_beats_wcag_aaa() -> None:
    assert contrast(FOREGROUND, BACKGROUND) >= 7.0


@pytest.mark.parametrize(
    "title",
    ["Briefings", "Press Conferences by the Minister for Foreign Affairs of Japan, 2015–2024",
     "Supercalifragilisticexpialidociousbriefingsandmore"],
)
def test_title_is_large_and_inside_the_margins(title: str) -> None:
    png = draw_cover(title, "pressaudio")
    whole = text_box(png)
    assert whole is not None
    left, top, right, bottom = whole
    assert left >= 200 and right <= SIZE - 200 and top >= 200 and bottom <= SIZE - 200
    # Large: the title alone (above the rule over the subtitle) is wide and tall.
    title_box = text_box(png, 0, SIZE - 600)
    assert title_box is not None
    assert title_box[2] - title_box[0] > SIZE // 3
    assert title_box[3] - title_box[1] > 150


def test_same_title_same_bytes() -> None:
    assert draw_cover("A title", "B") == draw_cover("A title", "B")
    assert draw_cover("A title", "B") != draw_cover("Another title", "B")


def save(tmp_path: Path, name: str, im: Image.Image, fmt: str) -> Path:
    p = tmp_path / name
    im.save(p, format=fmt)
    return p


@pytest.mark.parametrize(
    ("name", "size", "mode", "fmt", "words"),
    [
        ("small.png", (1000, 1000), "RGB", "PNG", "square of 1400 to 3000"),
        ("big.png", (3200, 3200), "RGB", "PNG", "square of 1400 to 3000"),
        ("wide.jpg", (2000, 1500), "RGB", "JPEG", "2000x1500"),
        ("anim.png", (1400, 1400), "RGB", "GIF", "is GIF"),
        ("print.jpg", (1400, 1400), "CMYK", "JPEG", "CMYK"),
    ],
)
def test_bad_artwork_is_a_config_error_naming_the_setting(
    tmp_path: Path, name: str, size: tuple[int, int], mode: str, fmt: str, words: str
) -> None:
    p = save(tmp_path, name, Image.new(mode, size), fmt)
    with pytest.raises(ConfigError) as exc:
        check_artwork(p, source="feed/podcast.toml", line=7)
    assert str(exc.value).startswith("feed/podcast.toml:7: ")
    assert words in str(exc.value)


def test_unreadable_artwork(tmp_path: Path) -> None:
    p = tmp_path / "cover.png"
    p.write_bytes(b"not an image")
    with pytest.raises(ConfigError, match="not a readable image"):
        check_artwork(p, source="podcast.toml", line=3)
