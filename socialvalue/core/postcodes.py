"""Is a supplier local? From a postcode to the Lancashire-14 district it is mainly in.

``district_for_postcode("BB11 2DL")`` looks up the postcode's outward code (``BB11``) in the
postcode-district lookup shipped with the local-needs data
(``socialvalue/needs/data/postcode_district_to_lad_lancashire.csv``, see ``SOURCES.md``
there) and answers with the district the outward code mainly covers, the share of it that
district has, and whether that makes the postcode local.

The rule: a postcode is **local** when the district its outward code mainly covers (most of
its 2011 output areas) is one of the 14 Lancashire districts. PR1 is local (66% Preston);
PR8 is not (96% Sefton, although a few West Lancashire homes share it).

Limits of the lookup, to state wherever the answer is shown:

- It works on the outward code (the part before the space), not the full postcode. Outward
  codes that straddle a boundary are given to the district holding most of them, so a
  supplier just across a boundary can be counted on the wrong side.
- Shares are by number of 2011 output areas (about 125 households each), not by number of
  postcodes or businesses, and boundaries are those of 2011 to 2019.
- It lists only outward codes with at least one output area best-fitted to a Lancashire
  district, with every district they touch. PO-box-only and non-geographic districts (such
  as FY0 and PR0) are missing, and so are districts where Lancashire's part holds no whole
  output area: those come back as not found, and so not local.
- An exact answer needs a full postcode → district lookup (ONS NSPL or ONSPD, hundreds of
  MB), which is not shipped.
"""

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from socialvalue.core.geography import LANCASHIRE_DISTRICT_CODES
from socialvalue.core.money import round_half_up

LOOKUP_FILE = (
    Path(__file__).resolve().parent.parent
    / "needs"
    / "data"
    / "postcode_district_to_lad_lancashire.csv"
)

ERR_POSTCODE_EMPTY = "Enter a postcode."
ERR_POSTCODE_FORMAT = "Enter a real postcode, like PR1 2HE, or the first part of one, like PR1."

LOOKUP_LIMITS = (
    "Worked out from the first part of the postcode (the outward code), using the district "
    "that holds most of that outward code's homes in 2011 census output areas. Near a "
    "boundary the supplier may be on the other side. PO-box-only and non-geographic postcodes "
    "such as FY0 and PR0 are not found."
)

# Outward code: area letters, district digit, then an optional digit or letter (A9, A99,
# AA9, AA99, A9A, AA9A). Inward code: a digit and two letters.
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_INWARD = r"[0-9][A-Z]{2}"
FULL_POSTCODE = re.compile(rf"^({_OUTWARD})({_INWARD})$")
OUTWARD_ONLY = re.compile(rf"^({_OUTWARD})$")


def _whole_percent(share: Decimal) -> int:
    return int(round_half_up(share * 100, places=0))


class PostcodeError(ValueError):
    """The text is not a postcode; ``str(error)`` is a message to show."""


@dataclass(frozen=True)
class DistrictShare:
    """One district an outward code touches, and its share of the outward code."""

    code: str
    name: str
    share: Decimal  # of the outward code's 2011 output areas, 0 to 1
    in_lancashire14: bool
    is_main: bool = False  # the district holding most of the outward code

    @property
    def share_percent(self) -> int:
        return _whole_percent(self.share)


@dataclass(frozen=True)
class PostcodeDistrictResult:
    postcode: str  # normalised: "BB11 2DL", or just the outward code "PR1"
    outward_code: str
    found: bool  # the outward code is in the lookup
    main_district_code: str | None  # the district it mainly covers, in Lancashire or not
    main_district_name: str | None
    main_share: Decimal | None
    districts: tuple[DistrictShare, ...]  # every district it touches, largest share first

    @property
    def is_local(self) -> bool:
        return self.main_district_code in LANCASHIRE_DISTRICT_CODES

    @property
    def district_code(self) -> str | None:
        """The Lancashire district the postcode is in, when it is local."""
        return self.main_district_code if self.is_local else None

    @property
    def district_name(self) -> str | None:
        return self.main_district_name if self.is_local else None

    @property
    def share(self) -> Decimal | None:
        """That district's share of the outward code (0 to 1), when local."""
        return self.main_share if self.is_local else None

    @property
    def share_percent(self) -> int | None:
        """The main district's share as a whole percentage, e.g. 66 for PR1 in Preston."""
        if self.main_share is None:
            return None
        return _whole_percent(self.main_share)

    @property
    def lancashire_share(self) -> Decimal:
        """How much of the outward code lies in any Lancashire-14 district (0 to 1)."""
        return sum((d.share for d in self.districts if d.in_lancashire14), Decimal(0))

    @property
    def explanation(self) -> str:
        """One plain-English sentence about the answer."""
        if not self.found:
            return (
                f"{self.outward_code} is not in the Lancashire postcode lookup, so it does not "
                "count as local."
            )
        where = (
            f"{self.outward_code} is mainly in {self.main_district_name} ({self.share_percent}%)"
        )
        if self.is_local:
            return f"{where}, one of the 14 Lancashire districts, so it counts as local."
        return f"{where}, outside Lancashire, so it does not count as local."


def normalise_postcode(text: str) -> tuple[str, str]:
    """``(postcode, outward code)`` from free text: " bb11  2dl " → ("BB11 2DL", "BB11"),
    "pr1" → ("PR1", "PR1"). Raises ``PostcodeError`` for empty or impossible input."""
    compact = "".join(str(text or "").split()).upper()
    if not compact:
        raise PostcodeError(ERR_POSTCODE_EMPTY)
    full = FULL_POSTCODE.match(compact)
    if full:
        outward, inward = full.groups()
        return f"{outward} {inward}", outward
    if OUTWARD_ONLY.match(compact):
        return compact, compact
    raise PostcodeError(ERR_POSTCODE_FORMAT)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[DistrictShare, ...]]:
    found: dict[str, list[DistrictShare]] = {}
    with LOOKUP_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["postcode_district"].strip().upper(), []).append(
                DistrictShare(
                    code=row["lad_code"],
                    name=row["lad_name"],
                    share=Decimal(row["share_of_district"]),
                    in_lancashire14=row["in_lancashire14"] == "1",
                    is_main=row["is_main_lad"] == "1",
                )
            )
    return {
        outward: tuple(sorted(shares, key=lambda d: (not d.is_main, -d.share, d.name)))
        for outward, shares in found.items()
    }


def district_for_postcode(postcode: str) -> PostcodeDistrictResult:
    """The district a postcode (or outward code) is mainly in, and whether it is local.

    Raises ``PostcodeError`` (a ``ValueError``) with a message to show when the text is not
    a postcode. A well-formed postcode that is not in the lookup is not an error: the result
    has ``found=False`` and is not local. See the module docstring for the lookup's limits.
    """
    normalised, outward = normalise_postcode(postcode)
    shares = _lookup().get(outward, ())
    main = shares[0] if shares else None
    return PostcodeDistrictResult(
        postcode=normalised,
        outward_code=outward,
        found=bool(shares),
        main_district_code=main.code if main else None,
        main_district_name=main.name if main else None,
        main_share=main.share if main else None,
        districts=shares,
    )
