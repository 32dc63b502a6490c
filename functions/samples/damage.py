"""The ways people keep certificates, applied to a clean render; the ground truth never changes.

Each damage writes one file and returns its name and the pixel size it decodes to:

* ``none``: the download as it is (JPEG quality 90);
* ``jpeg``: JPEG quality 60-95;
* ``small``: shrunk by a website build to 600x448 (slightly stretched, as real ones are);
* ``screenshot``: a PNG screenshot 720-900 px wide;
* ``rotate``: a scan or photo turned by up to 1 degree (white corners), JPEG;
* ``pdf``: an image-only PDF (no text layer), one point per pixel;
* ``large``: re-saved larger at 2222x1658.

``handle`` keeps a certificate in the further ways of ``HANDLINGS`` (margins, a browser's bar, a
phone's bars, a phone held upright, a desktop screenshot of the web page showing it, cut edges,
mid sizes, low JPEG quality), for robustness checks on real certificates.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

DAMAGES = ("none", "jpeg", "small", "screenshot", "rotate", "pdf", "large")
PDF_DATE = time.gmtime(1704067200)  # 2024-01-01
EXTENSIONS = {"screenshot": "png", "pdf": "pdf"}


def extension(damage: str) -> str:
    return EXTENSIONS.get(damage, "jpg")


def _resize_to_width(img: Image.Image, width: int) -> Image.Image:
    height = round(img.height * width / img.width)
    return img.resize((width, height), Image.Resampling.LANCZOS)


def apply(img: Image.Image, damage: str, rng: random.Random, path_stem: Path) -> tuple[Path, tuple[int, int]]:
    """Save ``img`` damaged as ``damage`` at ``path_stem`` + extension; return the path and decoded size."""
    if damage not in DAMAGES:
        raise ValueError(f"unknown damage {damage!r}: use one of {', '.join(DAMAGES)}")
    path = path_stem.with_name(f"{path_stem.name}.{extension(damage)}")
    if damage == "none":
        img.save(path, "JPEG", quality=90)
    elif damage == "jpeg":
        img.save(path, "JPEG", quality=rng.randint(60, 95))
    elif damage == "small":
        img = img.resize((600, 448), Image.Resampling.LANCZOS)
        img.save(path, "JPEG", quality=rng.randint(75, 92))
    elif damage == "screenshot":
        img = _resize_to_width(img, rng.randint(720, 900))
        img.save(path, "PNG", optimize=False, compress_level=6)
    elif damage == "rotate":
        angle = rng.uniform(0.3, 1.0) * rng.choice((-1, 1))
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
        img.save(path, "JPEG", quality=rng.randint(80, 92))
    elif damage == "pdf":
        # Fixed dates keep the file byte-for-byte deterministic (Pillow writes the time otherwise).
        img.save(path, "PDF", resolution=72.0, creationDate=PDF_DATE, modDate=PDF_DATE)
    else:  # large
        img = img.resize((2222, 1658), Image.Resampling.LANCZOS)
        img.save(path, "JPEG", quality=rng.randint(85, 95))
    return path, img.size


PHONE_WIDTH, PHONE_HEIGHT = 1080, 2340
WEB_WIDTH = 1300  # the certificate's width on the desktop page
HANDLINGS = (
    "white margins",
    "browser bar",
    "phone bars",
    "phone upright",
    "web page",
    "cropped 2 %",
    "1200 px wide",
    "1000 px wide",
    "JPEG quality 60",
)


def handle(img: Image.Image, how: str) -> tuple[Image.Image, int]:
    """``img`` as one of ``HANDLINGS`` leaves it, and the JPEG quality to save it at."""
    width, height = img.size
    if how == "white margins":  # saved with a white border around it
        return ImageOps.expand(img, border=(width // 25, height // 25), fill=(255, 255, 255)), 90
    if how == "browser bar":  # a screenshot with the browser's dark bar above the page
        return ImageOps.expand(img, border=(0, height // 12, 0, 0), fill=(40, 40, 45)), 90
    if how == "phone bars":  # a phone screenshot: the status bar above the page, the navigation bar below
        framed = ImageOps.expand(img, border=(0, height // 11, 0, height // 6), fill=(0, 0, 0))
        draw = ImageDraw.Draw(framed)
        bar = height // 11
        # The clock and the signal, wifi and battery icons: light marks on the dark bar
        draw.rectangle((width // 20, bar // 3, width // 20 + bar, bar * 2 // 3), fill=(235, 235, 235))
        for k in range(3):
            x = width - width // 20 - (k + 1) * bar * 2 // 3
            draw.rectangle((x, bar // 3, x + bar // 3, bar * 2 // 3), fill=(235, 235, 235))
        home, r = (width // 2, framed.height - height // 12), bar // 4  # the home button
        draw.ellipse((home[0] - r, home[1] - r, home[0] + r, home[1] + r), outline=(200, 200, 200))
        return framed, 90
    if how == "phone upright":  # a 1080x2340 screenshot: the browser above and below the certificate
        shown = _resize_to_width(img, PHONE_WIDTH)
        screen = Image.new("RGB", (PHONE_WIDTH, PHONE_HEIGHT), (255, 255, 255))
        screen.paste(shown, (0, (PHONE_HEIGHT - shown.height) // 2))
        draw = ImageDraw.Draw(screen)
        draw.rectangle((50, 30, 170, 70), fill=(20, 20, 20))  # the clock
        draw.rectangle((900, 30, 1030, 70), fill=(20, 20, 20))  # the icons
        draw.rounded_rectangle((40, 140, 1040, 220), radius=40, fill=(241, 243, 244))  # the address bar
        draw.rectangle((0, PHONE_HEIGHT - 160, PHONE_WIDTH, PHONE_HEIGHT), fill=(248, 249, 250))  # the tool bar
        return screen, 90
    if how == "web page":  # a 1920x1080 desktop screenshot: the site's bar above, panels beside
        shown = _resize_to_width(img, WEB_WIDTH)
        screen = Image.new("RGB", (1920, 1080), (255, 255, 255))
        screen.paste(shown, ((1920 - WEB_WIDTH) // 2, 100))
        draw = ImageDraw.Draw(screen)
        draw.rectangle((0, 0, 1920, 70), fill=(255, 255, 255), outline=(209, 215, 220))
        draw.text((30, 25), "udemy    Categories    Search for anything", fill=(45, 47, 49))
        draw.text((40, 150), "Certificate recipient:", fill=(45, 47, 49))
        draw.rectangle((1650, 140, 1860, 190), fill=(164, 53, 240))  # the site's purple button
        return screen, 90
    if how == "cropped 2 %":
        return img.crop((width // 50, height // 50, width - width // 50, height - height // 50)), 90
    if how.endswith(" px wide"):
        return _resize_to_width(img, int(how.split()[0])), 90
    if how.startswith("JPEG quality "):
        return img, int(how.split()[-1])
    raise ValueError(f"unknown handling {how!r}: use one of {', '.join(HANDLINGS)}")
