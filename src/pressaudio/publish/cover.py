"""Cover art: check a publisher's artwork, or draw a clean 3000x3000 cover from the title.

The only module that imports Pillow.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from pressaudio.errors import ConfigError

SIZE = 3000
BACKGROUND = (11, 37, 69)  # deep navy
FOREGROUND = (255, 255, 255)  # white on navy: contrast ratio about 14:1
ACCENT = (255, 196, 61)  # amber on navy: about 9:1
MIN_SIDE, MAX_SIDE = 1400, 3000  # Apple Podcasts


def check_artwork(path: Path, *, source: str, line: int | None) -> str:
    """Raise ConfigError unless `path` is a square RGB PNG/JPEG of 1400-3000 px.

    Returns the MIME type. `source`/`line` name the setting that points at the image.
    """
    try:
        with Image.open(path) as im:
            fmt, size, mode = im.format, im.size, im.mode
    except (OSError, UnidentifiedImageError):
        raise ConfigError(
            f"artwork {path} is not a readable image", source=source, line=line
        ) from None
    if fmt not in ("PNG", "JPEG"):
        raise ConfigError(
            f"artwork {path} is {fmt}; podcast apps need PNG or JPEG", source=source, line=line
        )
    w, h = size
    if w != h or not MIN_SIDE <= w <= MAX_SIDE:
        raise ConfigError(
            f"artwork {path} is {w}x{h}; Apple needs a square of {MIN_SIDE} to {MAX_SIDE} pixels",
            source=source,
            line=line,
        )
    if mode not in ("RGB", "RGBA", "P", "L"):
        raise ConfigError(
            f"artwork {path} uses the {mode} colour space; save it as RGB",
            source=source,
            line=line,
        )
    return "image/png" if fmt == "PNG" else "image/jpeg"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _fit_title(
    draw: ImageDraw.ImageDraw, title: str, max_w: int, max_h: int
) -> tuple[list[str], ImageFont.FreeTypeFont | ImageFont.ImageFont, int]:
    """The largest font size (and wrapping, whole words first) at which `title` fits."""
    # Whole words down to a size that is still large; only then split a too-long word.
    for break_words, smallest in ((False, 200), (True, 80)):
        for size in range(420, smallest - 1, -10):
            font = _font(size)
            line_h = int(size * 1.18)
            max_lines = max_h // line_h
            for width in range(len(title), 0, -1):
                lines = textwrap.wrap(title, width=width, break_long_words=break_words) or [title]
                if len(lines) > max_lines:
                    break  # narrower wrapping only adds lines
                if max(draw.textlength(line, font=font) for line in lines) <= max_w:
                    return lines, font, line_h
    font = _font(80)
    return textwrap.wrap(title, width=60)[:12] or [title], font, int(80 * 1.18)


def draw_cover(title: str, subtitle: str) -> bytes:
    """A 3000x3000 PNG: the title large and white on navy, a sound-wave motif, the subtitle."""
    im = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
    draw = ImageDraw.Draw(im)
    margin = 240

    # Sound-wave motif: rounded amber bars along the top.
    heights = (120, 260, 420, 300, 520, 360, 200, 440, 280, 160, 340, 220)
    bar_w, gap = 70, 50
    x = margin
    base_y = margin + 300
    for h in heights:
        draw.rounded_rectangle(
            (x, base_y - h // 2, x + bar_w, base_y + h // 2), radius=bar_w // 2, fill=ACCENT
        )
        x += bar_w + gap

    lines, font, line_h = _fit_title(draw, title.strip() or "Podcast", SIZE - 2 * margin, 1500)
    y = 900 + (1500 - line_h * len(lines)) // 2
    for line in lines:
        draw.text((margin, y), line, font=font, fill=FOREGROUND)
        y += line_h

    draw.rectangle((margin, SIZE - margin - 260, SIZE - margin, SIZE - margin - 244), fill=ACCENT)
    size = 130
    while size > 60 and draw.textlength(subtitle, font=_font(size)) > SIZE - 2 * margin:
        size -= 5
    draw.text((margin, SIZE - margin - 190), subtitle, font=_font(size), fill=FOREGROUND)

    out = io.BytesIO()
    im.save(out, format="PNG", optimize=True)
    return out.getvalue()
