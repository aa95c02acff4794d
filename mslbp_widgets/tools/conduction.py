"""A TEACHING SIMPLIFICATION of conduction through one demyelinated segment of a myelinated CNS axon.

What it is based on (qualitatively only):

* Myelin lets the impulse jump from node to node (saltatory conduction); demyelination first slows conduction and,
  when severe, blocks it (Smith & McDonald 1999).
* In experimentally demyelinated fibres a rise of about 0.5 °C can reversibly block conduction at severely
  affected internodes (Rasminsky 1973).
* In a theoretical model the temperature at which a demyelinated axon blocks falls steeply as demyelination
  increases, so a small rise in temperature can block many fibres (Schauf & Davis 1974).

What it is NOT: a biophysical model. Its constants (`HEALTHY_SAFETY_FACTOR`, `HEAT_SENSITIVITY_PER_C`, the shape of
the curves) were chosen by the course authors so that the curves behave like the sources describe; they are not
measurements and no number it prints should be quoted as data. The model also leaves out things real fibres do:
warming speeds conduction in healthy fibres, demyelinated axons can recover conduction by redistributing sodium
channels, and they conduct trains of impulses poorly. Only the *direction* of each effect is meant to be learnt.

The model, in three lines:

* safety factor  S(d, T) = S0 · (1 − d) · exp(−k · (T − 37))   (d = fraction demyelinated, T in °C)
* the impulse is blocked when S < 1 (the current reaching the next node no longer excites it)
* relative speed v(d) = √(1 − d) when not blocked, 0 when blocked (temperature is not modelled for speed)

No widgets here; `mslbp_widgets.ui.conduction` draws it.
"""

from __future__ import annotations

import math

from ..logic.errors import MslbpError
from ..logic.records import Record

#: Illustrative safety factor of a healthy segment at 37 °C (a wide margin above the block threshold of 1).
HEALTHY_SAFETY_FACTOR = 5.0
#: Illustrative fractional fall in safety factor per °C of warming.
HEAT_SENSITIVITY_PER_C = 0.25
#: Reference temperature of the model, °C.
REFERENCE_TEMPERATURE_C = 37.0
#: Conduction below this fraction of normal speed counts as "slowed".
SLOWED_BELOW = 0.9
#: Safety factor below this (but ≥ 1) is reported as "close to block".
NEAR_BLOCK_BELOW = 1.5
#: A block that lifts at or above this temperature (°C) is reported as heat-related (reversible on cooling).
HEAT_BLOCK_FROM_C = 36.5
#: Lowest temperature (°C) the explanations treat as within the body's range.
BODY_RANGE_LOW_C = 35.0
#: Temperatures the model accepts (°C). The explorer's slider covers 35–40.
MIN_TEMPERATURE_C = 30.0
MAX_TEMPERATURE_C = 42.0

#: Reference keys (data/references.yaml) the model is based on.
SOURCES = ("smith-mcdonald-1999", "rasminsky-1973", "schauf-davis-1974")

#: Temperature step (°C) of the explorer's slider; the explanations name temperatures on this grid, so a
#: temperature they name is one the learner can set, and on the side of the block they say it is.
TEMPERATURE_STEP_C = 0.1

#: The headline of the caveat shown above the explorer, and the rest of it (no repeated words when shown together).
SIMPLIFICATION_TITLE = "Teaching simplification, not a biophysical model."
SIMPLIFICATION_DETAIL = (
    "The curves follow the direction of the effects described by Smith & McDonald (1999), Rasminsky (1973) and "
    "Schauf & Davis (1974), but the numbers are illustrative choices of the course authors, not measurements."
)
SIMPLIFICATION_NOTE = f"{SIMPLIFICATION_TITLE} {SIMPLIFICATION_DETAIL}"
#: What the explorer leaves out (shown under the caveat), so that a learner does not read its omissions as facts.
MODEL_LEAVES_OUT = (
    "What it leaves out: it keeps conduction speed the same at every temperature, whereas in experiments on "
    "demyelinated fibres warming shortened the conduction time at normal and mildly affected internodes and "
    "blocked only the most severely affected ones (Rasminsky 1973). It also leaves out that demyelinated axons can "
    "recover conduction, for example by redistributing sodium channels, and that they conduct rapid trains of "
    "impulses poorly (Smith & McDonald 1999)."
)
#: Why warming narrows the safety margin, as far as the model's sources say (shown under the caveat).
WHY_HEAT = (
    "Why heat narrows the margin: the explorer simply builds in that warming lowers the safety factor. Schauf & "
    "Davis (1974) reached that result by calculation, solving the standard equations of conduction for a model "
    "axon with nothing wrong but the loss of myelin: the temperature at which it blocks falls steeply as "
    "demyelination increases, so a segment with little current to spare is the first to fail when warmed. The "
    "membrane and ion-channel details of that calculation are not shown here."
)


class ConductionInputError(MslbpError, ValueError):
    """A model parameter is outside the range the teaching model accepts."""


class ConductionState(Record):
    """The model's output for one segment at one temperature."""

    demyelination_pct: float
    temperature_c: float
    safety_factor: float  # illustrative units: 1 = block threshold
    relative_velocity: float  # fraction of normal speed, 0 when blocked
    state: str  # "normal" | "slowed" | "blocked"
    blocking_temperature_c: float | None  # °C at which this segment would block; None if it never conducts

    @property
    def blocked(self) -> bool:
        return self.state == "blocked"

    @property
    def near_block(self) -> bool:
        """Conducting, but with so little margin that a small rise in temperature would block it."""
        return not self.blocked and self.safety_factor < NEAR_BLOCK_BELOW


def _number(value: float, name: str, low: float, high: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ConductionInputError(f"{name} must be a number ({low:g}–{high:g} {unit}), got {value!r}")
    if not low <= value <= high:
        raise ConductionInputError(f"{name} must be between {low:g} and {high:g} {unit}, got {value:g}")
    return float(value)


def _check(demyelination_pct: float, temperature_c: float) -> tuple[float, float]:
    d = _number(demyelination_pct, "demyelination", 0.0, 100.0, "%")
    t = _number(temperature_c, "temperature", MIN_TEMPERATURE_C, MAX_TEMPERATURE_C, "°C")
    return d, t


def safety_factor(demyelination_pct: float, temperature_c: float = REFERENCE_TEMPERATURE_C) -> float:
    """Illustrative safety factor (1 = block threshold): falls with demyelination and with warming."""
    d, t = _check(demyelination_pct, temperature_c)
    return HEALTHY_SAFETY_FACTOR * (1 - d / 100) * math.exp(-HEAT_SENSITIVITY_PER_C * (t - REFERENCE_TEMPERATURE_C))


def relative_velocity(demyelination_pct: float, temperature_c: float = REFERENCE_TEMPERATURE_C) -> float:
    """Conduction speed as a fraction of normal: falls with demyelination; 0 when the segment blocks."""
    d, t = _check(demyelination_pct, temperature_c)
    if safety_factor(d, t) < 1:
        return 0.0
    return math.sqrt(1 - d / 100)


def blocking_temperature(demyelination_pct: float) -> float | None:
    """The temperature (°C) at which this segment would block in the model; None at 100% (never conducts).

    It falls steeply as demyelination increases (the qualitative result of Schauf & Davis 1974). Values outside
    the model's accepted temperature range are returned as computed: they show the trend, not a prediction.
    """
    d = _number(demyelination_pct, "demyelination", 0.0, 100.0, "%")
    margin = HEALTHY_SAFETY_FACTOR * (1 - d / 100)
    if margin <= 0:
        return None
    return REFERENCE_TEMPERATURE_C + math.log(margin) / HEAT_SENSITIVITY_PER_C


def demyelination_at_block(temperature_c: float) -> float:
    """The degree of demyelination (%) at which conduction blocks at this temperature (the block threshold)."""
    t = _number(temperature_c, "temperature", MIN_TEMPERATURE_C, MAX_TEMPERATURE_C, "°C")
    factor = HEALTHY_SAFETY_FACTOR * math.exp(-HEAT_SENSITIVITY_PER_C * (t - REFERENCE_TEMPERATURE_C))
    return max(0.0, min(100.0, 100 * (1 - 1 / factor)))


def conducts_up_to(demyelination_pct: float) -> float | None:
    """The warmest temperature on the slider's 0.1 °C grid at which this segment still conducts in the model.

    None at 100% demyelination (it never conducts). One grid step warmer (``+ TEMPERATURE_STEP_C``) it blocks.
    Computed from the same safety factor that decides the state, so the readout never names, as "conducts again
    below", a temperature at which the segment is still shown blocked. Values outside the accepted temperature
    range are returned as computed (they show the trend).
    """
    bt = blocking_temperature(demyelination_pct)
    if bt is None:
        return None
    margin = HEALTHY_SAFETY_FACTOR * (1 - demyelination_pct / 100)

    def conducts(t: float) -> bool:
        return margin * math.exp(-HEAT_SENSITIVITY_PER_C * (t - REFERENCE_TEMPERATURE_C)) >= 1

    steps = math.floor(bt / TEMPERATURE_STEP_C + 1e-9)
    t = round(steps * TEMPERATURE_STEP_C, 1)
    while not conducts(t):
        t = round(t - TEMPERATURE_STEP_C, 1)
    while conducts(round(t + TEMPERATURE_STEP_C, 1)):
        t = round(t + TEMPERATURE_STEP_C, 1)
    return t


def format_safety_factor(value: float) -> str:
    """The safety factor as shown to the learner, never on the wrong side of the block threshold of 1.

    Two decimals, or more when two would round a blocked value (just under 1) up to "1.00".
    """
    for places in (2, 3, 4):
        text = f"{value:.{places}f}"
        if (value < 1) == (float(text) < 1):
            return text
    return "just under 1" if value < 1 else f"{value:.4f}"


def conduction_state(demyelination_pct: float, temperature_c: float) -> ConductionState:
    """Run the model for one segment: safety factor, relative speed and state ("normal", "slowed", "blocked")."""
    d, t = _check(demyelination_pct, temperature_c)
    sf = safety_factor(d, t)
    v = relative_velocity(d, t)
    if sf < 1:
        state = "blocked"
    elif v < SLOWED_BELOW:
        state = "slowed"
    else:
        state = "normal"
    return ConductionState(d, t, sf, v, state, blocking_temperature(d))


def sweep(temperature_c: float, step_pct: float = 1.0) -> tuple[ConductionState, ...]:
    """The model across demyelination 0–100% at one temperature (for the chart)."""
    if not isinstance(step_pct, (int, float)) or not 0 < step_pct <= 50:
        raise ConductionInputError(f"step_pct must be a number in (0, 50], got {step_pct!r}")
    n = int(round(100 / step_pct))
    return tuple(conduction_state(min(100.0, i * step_pct), temperature_c) for i in range(n + 1))


def _fmt_t(value: float) -> str:
    return f"{value:.1f} °C"


def explain(state: ConductionState) -> str:
    """The readout sentence for the explorer: what happens and why, in plain words."""
    head = f"At {_fmt_t(state.temperature_c)} with {state.demyelination_pct:.0f}% demyelination: "
    if state.blocked:
        text = head + "conduction blocked. Why: "
        if state.demyelination_pct >= 100:
            return text + ("with the myelin of the segment gone, too little current reaches the next node to fire "
                           "it at any temperature in this model. When many fibres of a pathway block, the result is "
                           "a negative symptom such as weakness or numbness.")
        text += ("the damaged segment no longer delivers enough current to fire the next node (safety factor "
                 f"{format_safety_factor(state.safety_factor)}, below the threshold of 1). ")
        cool = state.blocking_temperature_c
        up_to = conducts_up_to(state.demyelination_pct)
        if cool is not None and up_to is not None and cool >= HEAT_BLOCK_FROM_C and (
                state.temperature_c <= REFERENCE_TEMPERATURE_C):
            text += (f"It blocks at normal body temperature and would conduct again only at {_fmt_t(up_to)} or "
                     "cooler; a segment this close to its limit is the kind that a small rise in temperature "
                     "pushes into block (the proposed basis of Uhthoff's phenomenon).")
        elif cool is not None and up_to is not None and cool >= HEAT_BLOCK_FROM_C:
            text += (f"This block is heat-related: in the model it would conduct again at {_fmt_t(up_to)} or "
                     "cooler. Heat-related block is reversible; it is the proposed reason why heat-induced "
                     "worsening settles once the body cools (Uhthoff's phenomenon).")
        elif cool is not None and up_to is not None and cool >= BODY_RANGE_LOW_C:
            text += (f"It would conduct only at {_fmt_t(up_to)} or cooler, under normal body temperature, so this "
                     "segment is blocked without any heat. When many fibres of a pathway block, the result is a "
                     "negative symptom such as weakness or numbness.")
        else:
            text += ("No temperature in the body's range restores conduction in this model. When many fibres of a "
                     "pathway block, the result is a negative symptom such as weakness or numbness.")
        return text
    pct = round(state.relative_velocity * 100)
    if state.state == "slowed":
        text = head + (f"conduction slowed to about {pct}% of normal speed. Why: with less myelin, more of the "
                       "current leaks away, so it takes longer to bring the next node to threshold.")
    else:
        text = head + (f"conduction normal (about {pct}% of normal speed). Why: the myelin still lets the impulse "
                       "jump from node to node with a wide safety margin.")
    up_to = conducts_up_to(state.demyelination_pct)
    if state.near_block and up_to is not None:
        blocks_at = round(max(up_to, state.temperature_c) + TEMPERATURE_STEP_C, 1)
        rise = blocks_at - state.temperature_c
        text += (f" Close to block: in this model it would stop conducting at {_fmt_t(blocks_at)}, a rise of "
                 f"{rise:.1f} °C. In experiments on demyelinated fibres, about 0.5 °C was enough at severely "
                 "affected internodes.")
    return text


def describe_sweep(temperature_c: float, demyelination_pct: float) -> str:
    """One-sentence text alternative for the explorer chart."""
    threshold = demyelination_at_block(temperature_c)
    point = conduction_state(demyelination_pct, temperature_c)
    return (
        f"Chart: in this teaching model at {_fmt_t(temperature_c)}, the safety factor falls in a straight line from "
        f"{safety_factor(0, temperature_c):.1f} at 0% demyelination and crosses the block threshold of 1 at about "
        f"{threshold:.0f}% demyelination; speed falls steadily with demyelination until conduction stops at that "
        f"point. The marked segment ({point.demyelination_pct:.0f}%) is {point.state}."
    )
