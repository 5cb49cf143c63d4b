"""The soundscape part of a noise report (ISO/TS 12913-2 questionnaire), pure.

Eight perceived affective attributes — how much the surrounding sound environment is
pleasant, chaotic, vibrant, uneventful, calm, annoying, eventful, monotonous — on a 5-point
scale (1 strongly disagree … 5 strongly agree), plus perceived loudness (1 not at all … 5
extremely) and overall quality (1 very bad … 5 very good). The analysis of the answers is
:mod:`layers.soundscape`; the method is docs/acoustics.md §7.
"""

from __future__ import annotations

import math

# Order of ISO/TS 12913-2 (and of the ISD/SATP exports): PAQ1 … PAQ8.
PAQ_ATTRIBUTES = (
    "pleasant",
    "chaotic",
    "vibrant",
    "uneventful",
    "calm",
    "annoying",
    "eventful",
    "monotonous",
)
EXTRA_SCALES = ("loudness", "overall")
SCALES = PAQ_ATTRIBUTES + EXTRA_SCALES
SCALE = (1, 5)
MAX_SITE_NAME = 120


class SoundscapeInvalid(ValueError):
    """A soundscape answer breaks a rule; ``field`` names the offending key."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_scale(value: object, name: str) -> int:
    """An answer on the 1–5 scale as an int; :class:`SoundscapeInvalid` naming ``name``.

    >>> check_scale(3, "calm"), check_scale(4.0, "calm")
    (3, 4)
    """
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and value == int(value)
        and SCALE[0] <= value <= SCALE[1]
    )
    if not ok:
        msg = f"{name} must be a whole number from 1 to 5"
        raise SoundscapeInvalid(msg, name)
    return int(value)  # type: ignore[call-overload, no-any-return]


def clean_answer(raw: object) -> dict[str, object]:
    """A submitted soundscape object, checked: the eight attributes are required, loudness,
    overall quality and ``site`` (the name of one of the event's sites) optional.

    >>> clean_answer({k: 3 for k in PAQ_ATTRIBUTES} | {"loudness": 2})["loudness"]
    2
    """
    if not isinstance(raw, dict):
        msg = "soundscape must be an object of answers from 1 to 5"
        raise SoundscapeInvalid(msg, "soundscape")
    unknown = sorted(set(raw) - set(SCALES) - {"site"})
    if unknown:
        msg = f"unknown soundscape answer {unknown[0]!r}; known: {', '.join(SCALES)}, site"
        raise SoundscapeInvalid(msg, unknown[0])
    answer: dict[str, object] = {}
    for name in SCALES:
        value = raw.get(name)
        if value is None:
            if name in PAQ_ATTRIBUTES:
                msg = f"{name} is required (a whole number from 1 to 5)"
                raise SoundscapeInvalid(msg, name)
            answer[name] = None
        else:
            answer[name] = check_scale(value, name)
    site = raw.get("site")
    if site is not None and (
        not isinstance(site, str) or not site.strip() or len(site) > MAX_SITE_NAME
    ):
        msg = f"site must name one of the event's sites (at most {MAX_SITE_NAME} characters)"
        raise SoundscapeInvalid(msg, "site")
    answer["site"] = site.strip() if isinstance(site, str) else None
    return answer
