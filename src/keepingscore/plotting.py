"""Readable, colour-blind-safe charts, each shown with a real text alternative."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no screen is needed; figures are shown through show()
import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402

__all__ = ["PALETTE", "HATCHES", "MARKERS", "use_style", "show", "figure_markdown"]

# Okabe and Ito's palette: distinguishable with the common forms of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
# Patterns and markers so that no chart relies on colour alone.
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def use_style() -> None:
    """Set readable defaults: large text, the safe palette, light grid, no chart junk."""
    plt.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 12,
            "axes.titlesize": 14,
            "axes.titleweight": "bold",
            "axes.labelsize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": cycler(color=list(PALETTE.values())),
            "legend.frameon": False,
            "svg.hashsalt": "keepingscore",
        }
    )


def _clean_alt(alt: str) -> str:
    text = " ".join(str(alt).split())
    return text.replace("[", "(").replace("]", ")")


def figure_markdown(fig, alt: str) -> str:
    """Return the figure as a Markdown image (inline PNG) whose alt text is `alt`."""
    alt = _clean_alt(alt)
    if len(alt) < 20:
        raise ValueError(
            "Give the figure a real text alternative: one or two sentences that say what the "
            f"chart shows and its main pattern (got {alt!r})."
        )
    buffer = io.BytesIO()
    # No metadata, so the same figure gives the same bytes on every build.
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"![{alt}](data:image/png;base64,{data})"


def show(fig, alt: str) -> None:
    """Display a figure in the notebook and the book, with `alt` as its text alternative."""
    from IPython.display import display

    markdown = figure_markdown(fig, alt)
    plt.close(fig)
    display(
        {"text/markdown": markdown, "text/plain": f"[Figure: {_clean_alt(alt)}]"}, raw=True
    )
