"""Learner-facing notebook text: published sources only, prose budgets, and the clinical fixes of the accuracy review.

Each check reads the markdown cells (and the `show_references(...)` calls) of the committed notebooks; the helper
checks are also run on small counter-examples so that none of them can pass vacuously.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
CURIOUS = ROOT / "docs" / "for-the-curious.md"
INTERNAL = re.compile(
    r"(?<![\w-])seeds?(?![\w-])|fact base|evidence base|§|\bP\d{1,2}\b|\bsection \d+\.\d+", re.IGNORECASE
)
DOSE = re.compile(r"\d\s?(mg|mcg|µg|micrograms?)\b", re.IGNORECASE)
PROSE_BUDGET = {"02_pain_in_ms.ipynb": 2500, "03_how_ms_causes_back_pain.ipynb": 2500,
                "05_red_flags_and_other_causes.ipynb": 2500, "06_management.ipynb": 2500}
COURSE = sorted(p for p in NOTEBOOKS.glob("0[1-6]_*.ipynb"))


def _cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def _markdown(path: Path) -> str:
    return "\n".join(c.source for c in _cells(path) if c.cell_type == "markdown")


def _flat(text: str) -> str:
    """One line of prose: blockquote markers dropped, whitespace collapsed."""
    return " ".join(re.sub(r"(?m)^>\s?", "", text).split())


def _reference_keys(path: Path) -> list[str]:
    keys: list[str] = []
    for cell in _cells(path):
        if cell.cell_type == "code":
            for call in re.findall(r"show_references\(([^)]*)\)", cell.source):
                keys += re.findall(r"\"([^\"]+)\"", call)
    return keys


def _internal_words(text: str) -> list[str]:
    return [m.group(0) for m in INTERNAL.finditer(text)]


def test_the_internal_word_check_can_fail() -> None:
    assert _internal_words("as seed 004 says (fact base §1.6, P11; section 1.6)") == [
        "seed", "fact base", "§", "P11", "section 1.6"]
    assert _internal_words("see section 5 of this notebook; the verywell-ms-lbp key") == []
    assert DOSE.search("start 5 mg three times daily") and not DOSE.search("a residual of 200 mL")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_internal_words_or_doses_in_learner_text(path: Path) -> None:
    text = _markdown(path)
    assert _internal_words(text) == [], f"{path.name}: cite the published source, not the team's files"
    assert not DOSE.search(text), f"{path.name}: the course gives no drug doses"


def test_for_the_curious_is_learner_facing_too() -> None:
    text = CURIOUS.read_text(encoding="utf-8")
    assert _internal_words(text) == []
    assert not DOSE.search(text)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_show_references_cites_published_sources_only(path: Path) -> None:
    keys = _reference_keys(path)
    assert keys, f"{path.name} has no reference list"
    assert "clinical-evidence" not in keys, f"{path.name}: cite the published sources the fact base names"
    assert len(keys) == len(set(keys)), f"{path.name} lists a reference twice"


@pytest.mark.parametrize("name,budget", sorted(PROSE_BUDGET.items()))
def test_prose_budget(name: str, budget: int) -> None:
    words = len(_markdown(NOTEBOOKS / name).split())
    assert words <= budget, f"{name}: {words} words of markdown prose (budget {budget})"


@pytest.mark.parametrize("name", ["00_start_here.ipynb", "02_pain_in_ms.ipynb", "03_how_ms_causes_back_pain.ipynb",
                                  "04_telling_the_kinds_apart.ipynb", "05_red_flags_and_other_causes.ipynb",
                                  "06_management.ipynb"])
def test_for_the_curious_is_linked(name: str) -> None:
    assert "](../docs/for-the-curious.md)" in _markdown(NOTEBOOKS / name)
    assert CURIOUS.exists()


def test_start_opens_with_a_synthetic_patient_and_the_question() -> None:
    first = _cells(NOTEBOOKS / "00_start_here.ipynb")[0].source
    patient, question = first.find("synthetic patient"), first.find("The question this course answers")
    logistics = first.find("Who it is for")
    assert 0 <= patient < question < logistics, "hook, then the question, then the logistics"
    assert _markdown(NOTEBOOKS / "00_start_here.ipynb").count("It is not medical advice") == 1


@pytest.mark.parametrize("name", ["02_pain_in_ms.ipynb", "03_how_ms_causes_back_pain.ipynb"])
def test_a_new_band_or_level_is_a_red_flag(name: str) -> None:
    text = _flat(_markdown(NOTEBOOKS / name))
    start = text.index("**A new band or")
    box = text[start:text.index("(notebook 05)", start)]
    for cause in ("relapse", "spinal cord or thoracic nerve-root compression", "collapsed vertebra", "tumour",
                  "heart or aortic", "gut", "pleural", "shingles", "same-day medical assessment", "chest pain",
                  "fever or rigors", "someone who has had cancer", "emergency"):
        assert cause in box, f"{name}: the new-band red flag should name {cause!r}"


@pytest.mark.parametrize("name", ["03_how_ms_causes_back_pain.ipynb", "04_telling_the_kinds_apart.ipynb"])
def test_central_pain_is_not_driven_by_spinal_loading_yet_movement_can_worsen_it(name: str) -> None:
    text = _flat(_markdown(NOTEBOOKS / name)).lower()
    assert "does not change with position or activity" not in text
    assert re.search(r"not driven by (loading the spine|spinal loading)|loading the spine does not drive", text)
    assert re.search(r"touch[^.]{0,40}movement[^.]{0,20}heat[^.]{0,40}(worsen|worse)", text)


def test_conus_lesions_can_mimic_cauda_equina_syndrome() -> None:
    text = _flat(_markdown(NOTEBOOKS / "03_how_ms_causes_back_pain.ipynb"))
    assert "nothing in the lumbar canal for MS to attack" not in text
    assert "conus medullaris" in text and "L1–L2" in text
    assert "conus lesion can mimic cauda equina syndrome" in text


@pytest.mark.parametrize("name", ["01_ms_pathophysiology.ipynb", "05_red_flags_and_other_causes.ipynb"])
def test_relapse_is_defined_in_full(name: str) -> None:
    text = _flat(_markdown(NOTEBOOKS / name))
    start = text.index("at least 24 hours")
    sentence = text[start:start + 200]
    assert "at least 30 days" in sentence and "fever or infection" in sentence


def test_dn4_original_validation_comes_with_the_turkish_figures() -> None:
    text = _flat(_markdown(NOTEBOOKS / "04_telling_the_kinds_apart.ipynb"))
    original = text.index("original validation (Bouhassira et al. 2005)")
    assert "about 83%" in text[original:original + 250] and "about 90%" in text[original:original + 250]
    assert original < text.index("Unal-Cevik et al. 2010")


def test_management_cautions_of_the_accuracy_review() -> None:
    text = _flat(_markdown(NOTEBOOKS / "06_management.ipynb"))
    assert "Ciprofloxacin and fluvoxamine are contraindicated with it" in text
    assert "Sudden loss of intrathecal baclofen is an emergency" in text
    assert "lower the blood sodium" in text and "mimic a relapse" in text
    assert "not with the corticosteroids used for relapses" in text
    keys = _reference_keys(NOTEBOOKS / "06_management.ipynb")
    for key in ("fda-tizanidine-label", "fda-intrathecal-baclofen-label", "fda-carbamazepine-label",
                "van-amelsvoort-1994", "mscanada-paroxysmal"):
        assert key in keys


@pytest.mark.parametrize("name", ["01_ms_pathophysiology.ipynb", "02_pain_in_ms.ipynb"])
def test_painful_tonic_spasm_duration_is_the_same_with_both_sources(name):
    # 01 said "up to about two minutes" (Matthews 1975) and 02 "30 seconds to 3 minutes" (AAN e-Pearl): one
    # wording, naming both sources, in both notebooks.
    text = _flat(_markdown(NOTEBOOKS / name))
    entries = [text[m.start():m.start() + 450] for m in re.finditer(re.escape("**Painful tonic spasms**"), text)]
    entry = next((e for e in entries if "minutes" in e), "")
    assert "typically seconds to about two minutes" in entry
    assert "Matthews' criterion for paroxysmal symptoms is 2 minutes or less" in entry
    assert "the AAN e-Pearl describes 30 seconds to 3 minutes" in entry
    assert "Brief (about 30 seconds to 3 minutes)" not in text


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_no_arrow_keys_on_a_closed_list_or_radio(path):
    # In JupyterLab the arrow keys on a closed drop-down or a radio group move the notebook's cell selection
    # (ipywidgets issue #3912). Any advice to use the arrow keys on a list must first open it (Space or Alt+Down).
    # Arrow keys on a focused slider do work (checked in JupyterLab 4.6.6 with Chromium).
    for sentence in re.split(r"(?<=[.)])\s", _flat(_markdown(path))):
        if "arrow key" not in sentence.lower() or "cell selection" in sentence:
            continue  # (a warning that the arrow keys move the cell selection is the advice itself)
        if re.search(r"drop-down|dropdown|\blist\b|radio", sentence, re.IGNORECASE):
            before = sentence[:sentence.lower().index("arrow key")]
            assert "Space" in before or "Alt+Down" in before, f"{path.name}: {sentence!r}"


# --- second clinical review (a consultant neurologist verifying the first fixes) ------------------------------------


def _section(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i)]


def test_05_red_flags_are_weighed_as_the_evidence_allows() -> None:
    text = _flat(_markdown(NOTEBOOKS / "05_red_flags_and_other_causes.ipynb"))
    summary = text[text.index("## Summary"):]
    assert "Single red flags are weak" not in text and "Single flags are weak" not in text
    assert ("Most single red flags shift the probability only a little, but a history of cancer and prolonged "
            "steroid use carry more weight, combinations carry most, and some single findings (a new bladder, bowel, "
            "saddle or sexual change, or leg weakness that is getting worse over hours or days) are emergencies on "
            "their own.") in summary


def test_05_fever_sepsis_sciatica_and_cauda_equina_wording() -> None:
    path = NOTEBOOKS / "05_red_flags_and_other_causes.ipynb"
    text = _flat(_markdown(path))
    section6 = _section(text, "## 6.", "## 7.")
    assert ("Fever with loin pain in someone who catheterises needs a face-to-face medical assessment the same day "
            "with a full set of observations; rigors or any sign of sepsis (fast pulse or breathing, low blood "
            "pressure, new confusion) make it an emergency (NICE NG253; Tokuda et al. 2005).") in section6
    assert ("if the legs keep getting weaker, a new band or sensory level appears, or bladder, bowel or "
            "saddle") in section6
    notice = _section(text, "## 7.", "## Check your understanding")
    assert "urgent assessment for sepsis" not in text
    assert ("Fever with loin pain needs assessment the same day; rigors or signs of sepsis make it an "
            "emergency (NICE NG253; Tokuda et al. 2005)") in notice
    assert ("One-sided sciatica in someone who has never had cancer, without a marked or worsening motor deficit, is "
            "routine.") in notice
    assert "after cancer, nerve-root pain is an emergency (Casazza 2012; NICE NG234)" in notice
    assert "Todd" not in text and "Pulse" not in text and "52%" not in text
    assert ("one-sided sciatica and normal perianal sensation do not exclude cauda equina syndrome; no single symptom "
            "or sign is sensitive enough on its own (Long et al. 2020)") in text
    keys = _reference_keys(path)
    assert "long-2020-ces" in keys and "nice-ng234" in keys and "pulse-ces-myths" not in keys
    assert "tokuda-2005" in keys



def test_05_exercise_names_the_triage_findings_by_their_labels() -> None:
    from mslbp_widgets.tools.red_flags import default_rules

    text = _flat(_markdown(NOTEBOOKS / "05_red_flags_and_other_causes.ipynb"))
    label = default_rules().finding("prolonged-steroids").label
    assert f"Tick *{label}*" in text
    assert "Repeated or prolonged corticosteroid courses" not in text


def test_03_lhermitte_summary_is_not_specific_to_ms() -> None:
    text = _flat(_markdown(NOTEBOOKS / "03_how_ms_causes_back_pain.ipynb"))
    summary = text[text.index("## Summary"):]
    assert ("a seconds-long shock on neck flexion, usually from a cervical cord lesion but not specific to MS (cord "
            "compression and vitamin B12 deficiency cause it too); never a continuous low back pain") in summary


def test_06_physiotherapy_is_not_called_the_cornerstone() -> None:
    text = _flat(_markdown(NOTEBOOKS / "06_management.ipynb"))
    assert "cornerstone" not in text.lower()
    assert ("Strengthening the trunk and correcting compensatory walking reduce the strain behind gait-related back "
            "pain; spasticity pain, too, often improves with adequate physiotherapy (Pöllmann & Feneberg 2008)") in text
    assert "treat the cause" not in text and "at its cause" not in text
    summary = text[text.index("## Summary"):]
    assert "Physiotherapy reduces the strain behind gait-related back pain" in summary
    triggers = _section(text, "## 11.", "## 12.")
    assert "posture and pain (NICE NG220); a **full bladder**" in triggers and "(MSFocus 2022)" in triggers


def test_for_the_curious_second_review_wording() -> None:
    text = _flat(CURIOUS.read_text(encoding="utf-8"))
    assert "Todd" not in text and "Long et al. 2020" in text
    assert ("(lidocaine, high-concentration capsaicin and botulinum toxin for peripheral neuropathic pain only, so not "
            "for MS central pain)") in text


# --- third clinical review (a consultant neurologist's final check) ---------------------------------------------


def test_05_new_findings_weakness_over_hours_and_cauda_equina_roots_are_peripheral() -> None:
    text = _flat(_markdown(NOTEBOOKS / "05_red_flags_and_other_causes.ipynb"))
    summary = text[text.index("## Summary"):]
    # many people with MS have long-standing symptoms in both legs: what is new is the emergency
    assert "However the back pain began, such a change, or **new** symptoms in both legs, is an emergency" in summary
    # "progressive" reads as progressive MS
    assert "progressive weakness" not in text
    table = _section(text, "## 3.", "### Where MS comes in")
    assert "deficits in both legs; leg weakness that is getting worse over hours or days (section 5)" in table
    section5 = _section(text, "## 5.", "**Suspect it**")
    assert ("The cauda equina is the bundle of nerve roots below the end of the cord (about L1–L2). These roots are "
            "peripheral nerves, which MS does not damage, so cauda equina syndrome is never an MS lesion; a lesion "
            "of the conus, the cord's tip, can mimic it (notebook 03).") in section5
    assert "so its compression is never an MS lesion" not in text


@pytest.mark.parametrize("name", ["03_how_ms_causes_back_pain.ipynb", "06_management.ipynb"])
def test_spasticity_triggers_name_the_source_of_each(name: str) -> None:
    # MSFocus 2022 was verified for temperature extremes only; the full bladder, sudden changes of position and
    # tight clothing come from the Verywell lay article, and NICE NG220 keeps its own list
    text = _flat(_markdown(NOTEBOOKS / name)).replace("**", "")
    start = text.index("posture and pain")
    triggers = text[start:text.index("(MSFocus 2022)", start) + len("(MSFocus 2022)")]
    assert "NICE NG220" in triggers
    clothing = triggers.index("tight or irritating clothing (Verywell Health)")
    assert triggers.index("full bladder") < clothing < triggers.index("temperature extremes")
    assert triggers.index("sudden changes") < clothing
    assert "verywell-ms-lbp" in _reference_keys(NOTEBOOKS / name)
