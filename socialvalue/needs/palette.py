"""The map's colours: one per decile, 1 (most deprived) darkest.

Ten steps of the viridis scale, which stays in order for the common forms of colour
blindness and in greyscale. Colour is never the only signal: every figure is also given as
a number in the legend, the pop-ups and the tables.
"""

from dataclasses import dataclass

DECILE_COLOURS = [
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
]
#: Deciles whose colour needs white text on top.
DARK_DECILES = frozenset(range(1, 6))


@dataclass(frozen=True)
class LegendRow:
    decile: int
    colour: str
    label: str
    share_label: str  # the same colour on the district view

    @property
    def text_colour(self) -> str:
        return "#ffffff" if self.decile in DARK_DECILES else "#0b0c0c"


def decile_label(decile: int) -> str:
    if decile == 1:
        return "1 – most deprived 10%"
    if decile == 10:
        return "10 – least deprived 10%"
    return str(decile)


def share_label(band: int) -> str:
    """Band 1 is 90% or more of LSOAs in deciles 1 to 3; band 10 is under 10%."""
    low = (10 - band) * 10
    if band == 1:
        return "90% or more"
    if band == 10:
        return "under 10%"
    return f"{low}% to under {low + 10}%"


def legend_rows() -> list[LegendRow]:
    return [
        LegendRow(
            decile=d,
            colour=DECILE_COLOURS[d - 1],
            label=decile_label(d),
            share_label=share_label(d),
        )
        for d in range(1, 11)
    ]
