"""Simulate colour blindness on a PNG, and measure whether chart colours stay apart.

Usage: python tools/colourblind.py chart.png [more.png ...] [--out DIR]
           writes chart-protanopia.png, chart-deuteranopia.png and chart-tritanopia.png (next to each
           input, or in DIR)
       python tools/colourblind.py --codes
           prints how far apart the health codes' three colours stay under each simulation

The simulation uses the severity-1.0 matrices of Machado, Oliveira and Fernandes (2009), "A
Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE Transactions on
Visualization and Computer Graphics 15(6), applied to linear RGB. Distances are CIE76 Delta-E in
CIELAB (D65 white); a difference of about 2.3 is just noticeable, and MIN_DELTA_E below is the
(illustrative) bar we set for colours that must be told apart at a glance in a chart.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

MACHADO_2009 = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("typical", *MACHADO_2009)
MIN_DELTA_E = 20.0

_RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def to_linear(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, vision: str) -> np.ndarray:
    """sRGB values in 0..1 (any shape ending in 3) as they appear with `vision`."""
    if vision == "typical":
        return np.asarray(rgb, dtype=float)
    if vision not in MACHADO_2009:
        raise ValueError(f"vision must be one of {', '.join(VISIONS)}, not {vision!r}.")
    return to_srgb(to_linear(rgb) @ MACHADO_2009[vision].T)


def hex_to_rgb(colour: str) -> np.ndarray:
    colour = colour.lstrip("#")
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB values in 0..1."""
    xyz = to_linear(rgb) @ _RGB_TO_XYZ.T / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def distances(colours: dict[str, str]) -> list[dict]:
    """For each vision and each pair of colours: CIE76 Delta-E and the difference in lightness L*."""
    rows = []
    for vision in VISIONS:
        lab = {name: to_lab(simulate(hex_to_rgb(hex_), vision)) for name, hex_ in colours.items()}
        for a, b in itertools.combinations(colours, 2):
            rows.append({"vision": vision, "pair": f"{a}-{b}",
                         "delta_e": float(np.linalg.norm(lab[a] - lab[b])),
                         "lightness_difference": float(abs(lab[a][0] - lab[b][0]))})
    return rows


def simulate_png(path: Path, out: Path | None = None) -> list[Path]:
    """Write one simulated copy of a PNG per kind of colour blindness; returns the new files."""
    import matplotlib.image as mpimg

    path = Path(path)
    image = mpimg.imread(path)  # floats in 0..1, RGB or RGBA
    if image.dtype.kind != "f":
        image = image.astype(float) / 255
    if image.ndim == 2:  # a greyscale PNG looks the same to everyone
        image = np.stack([image] * 3, axis=-1)
    out = Path(out) if out is not None else path.parent
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for vision in MACHADO_2009:
        result = image.copy()
        result[..., :3] = simulate(image[..., :3], vision)
        target = out / f"{path.stem}-{vision}.png"
        mpimg.imsave(target, np.clip(result, 0, 1))
        written.append(target)
    return written


def code_colours() -> dict[str, str]:
    from keepingscore.healthcodes import CODE_STYLE

    return {code: style["color"] for code, style in CODE_STYLE.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("png", nargs="*", type=Path, help="PNG files to simulate")
    parser.add_argument("--out", type=Path, help="folder for the simulated PNGs (default: next to each input)")
    parser.add_argument("--codes", action="store_true", help="report on the health codes' colours")
    args = parser.parse_args(argv)
    if not args.png and not args.codes:
        parser.error("give at least one PNG, or --codes")
    for png in args.png:
        for written in simulate_png(png, args.out):
            print(written)
    if args.codes:
        rows = distances(code_colours())
        print(f"{'vision':<13} {'pair':<13} {'Delta-E':>8} {'L* diff':>8}")
        for row in rows:
            print(f"{row['vision']:<13} {row['pair']:<13} {row['delta_e']:8.1f} {row['lightness_difference']:8.1f}")
        worst = min(rows, key=lambda r: r["delta_e"])
        print(f"Smallest Delta-E: {worst['delta_e']:.1f} ({worst['pair']}, {worst['vision']}); "
              f"{'meets' if worst['delta_e'] >= MIN_DELTA_E else 'MISSES'} the bar of {MIN_DELTA_E:.0f}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
