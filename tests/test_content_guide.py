"""The guide data file: schema, faithfulness to the guide text, and errors on a broken file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from content.guide import GUIDE_PATH, GuideError, get_guide, load_guide
from crm.guide import Phase, Theme

# A copy of the guide (DESIGN: guide/wegwijzer-gezinsaanpak.txt) kept with the tests.
GUIDE_TEXT = Path(__file__).resolve().parent / "data" / "wegwijzer-gezinsaanpak.txt"
HEADINGS = {
    "Gezinsaanpak algemeen": Theme.GENERAL,
    "Doelgroepgericht werken": Theme.TARGET_GROUPS,
    "Samenwerken intern en extern": Theme.COLLABORATION,
    "Programmering": Theme.PROGRAMMING,
    "Impactgericht werken": Theme.IMPACT,
    "Leren en ontwikkelen": Theme.LEARNING,
    "Proflering bij gemeentelijke gezinsaanpak": Theme.PROFILING,  # the guide's own spelling
    "Profilering bij gemeentelijke gezinsaanpak": Theme.PROFILING,
}
PHASE_HEADINGS = {"Oriëntatie": Phase.ORIENTATION, "Creatie": Phase.CREATION,
                  "Implementatie": Phase.IMPLEMENTATION, "Evaluatie": Phase.EVALUATION}


def _guide_text_path() -> Path:
    return GUIDE_TEXT


def parse_guide_text(text: str) -> dict[tuple[Theme, Phase], dict]:
    """Count, per theme and phase heading in the guide, its steps and samenvattende vragen."""
    lines = text.splitlines()
    found: dict[tuple[Theme, Phase], dict] = {}
    current = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped in HEADINGS:
            following = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
            if following in PHASE_HEADINGS:
                current = (HEADINGS[stripped], PHASE_HEADINGS[following])
                assert current not in found, f"phase {current} twice in the guide"
                found[current] = {"steps": [], "questions": 0}
                continue
        if current is None:
            continue
        match = re.fullmatch(r"Stap (\d+)", stripped)
        if match:
            found[current]["steps"].append(int(match.group(1)))
        if stripped.startswith("Samenvattende vraag"):
            found[current]["questions"] += 1
    return found


def test_guide_text_and_data_agree_on_phases_steps_and_questions():
    text = _guide_text_path().read_text(encoding="utf-8")
    counted = parse_guide_text(text)
    guide = get_guide()
    assert len(counted) == 28, "the guide text has 7 themes x 4 phases"
    assert sum(c["questions"] for c in counted.values()) == text.count("Samenvattende vraag") == 28
    problems = []
    for (theme, phase), count in counted.items():
        data = guide.phase(theme, phase)
        numbers = [s.number for s in data.steps]
        if numbers != count["steps"]:
            problems.append(f"{theme.value}/{phase.value}: guide has steps {count['steps']}, data {numbers}")
        if count["questions"] != 1 or not data.question:
            problems.append(f"{theme.value}/{phase.value}: samenvattende vraag missing")
    assert not problems, "\n".join(problems)
    assert guide.step_count == len(re.findall(r"^Stap \d+\s*$", text, flags=re.M)) == 124


def test_question_and_step_text_are_the_guides_own_words():
    text = _guide_text_path().read_text(encoding="utf-8")
    # links are reduced to their label in the data, emphasis marks dropped, Profilering fixed
    plain = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", " ".join(text.split())).replace("*", "")
    plain = plain.replace("roflering", "rofilering")
    guide = get_guide()
    for phase in guide:
        assert " ".join(phase.question.split()) in plain, (phase.theme, phase.phase)
        assert " ".join(phase.purpose.split()).replace("*", "") in plain, (phase.theme, phase.phase)
        for step in phase.steps:
            first_sentence = step.text.split(". ")[0][:80].replace("*", "")
            assert " ".join(first_sentence.split()) in plain, (phase.theme, phase.phase, step.number)


def test_schema_every_theme_and_phase_is_complete():
    raw = yaml.safe_load(GUIDE_PATH.read_text(encoding="utf-8"))
    assert set(raw) == {"instruments", "themes"}
    assert set(raw["themes"]) == {t.value for t in Theme}
    for theme in Theme:
        assert set(raw["themes"][theme.value]) == {p.value for p in Phase}
        for phase in Phase:
            entry = raw["themes"][theme.value][phase.value]
            assert set(entry) <= {"purpose", "intro", "steps", "question"}
            assert isinstance(entry["purpose"], str) and entry["purpose"].strip()
            assert isinstance(entry["question"], str) and entry["question"].strip().endswith(("?", "."))
            for index, step in enumerate(entry["steps"], start=1):
                assert set(step) == {"number", "title", "text", "instruments"}
                assert step["number"] == index
                assert 3 <= len(step["title"]) <= 80
                assert step["text"].strip()
                assert all(key in raw["instruments"] for key in step["instruments"])


def test_named_instruments_are_in_the_right_phases():
    guide = get_guide()
    keys = lambda t, p: guide.phase(t, p).instrument_keys  # noqa: E731
    assert {"woordweb", "stakeholdersanalyse", "aanhaakkalender", "afwegingstabel"} <= set(
        keys(Theme.COLLABORATION, Phase.ORIENTATION))
    assert {"krachtenanalyse", "samenwerkingsafspraken"} <= set(keys(Theme.COLLABORATION, Phase.CREATION))
    assert "samenwerkingsscan" in keys(Theme.COLLABORATION, Phase.EVALUATION)
    assert {"lobbyplan", "krachtenveld", "gesprek-voorbereiden", "fundament"} <= set(
        keys(Theme.PROFILING, Phase.ORIENTATION))
    assert {"elevator-pitch", "kerncijfers"} <= set(keys(Theme.PROFILING, Phase.CREATION))
    assert {"plan-van-aanpak", "bewijslast", "sociale-kaart", "contactmomenten"} <= set(
        keys(Theme.PROFILING, Phase.IMPLEMENTATION))
    assert "quickscan" in keys(Theme.GENERAL, Phase.EVALUATION)
    assert "registratiesysteem-verwijzingen" in keys(Theme.LEARNING, Phase.IMPLEMENTATION)


def test_product_spells_profilering_right():
    texts = [t for p in get_guide() for t in (p.purpose, p.intro, p.question, *(s.text for s in p.steps))]
    assert not any("roflering" in t for t in texts)


def _broken(tmp_path, mutate) -> Path:
    raw = yaml.safe_load(GUIDE_PATH.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "kapot.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("mutate", "entry"), [
    (lambda r: r["themes"]["samenwerken"].pop("creation"), "themes.samenwerken.creation"),
    (lambda r: r["themes"]["leren"]["evaluation"].pop("question"), "themes.leren.evaluation.question"),
    (lambda r: r["themes"]["impact"]["orientation"]["steps"][1].update(number=7),
     "themes.impact.orientation.steps[2].number"),
    (lambda r: r["themes"]["profilering"]["creation"]["steps"][0].update(instruments=["toverstaf"]),
     "themes.profilering.creation.steps[1].instruments"),
    (lambda r: r["themes"].update(onbekend={}), "themes.onbekend"),
    (lambda r: r["instruments"].update({"Plan van aanpak": "Plan van aanpak"}), "instruments.Plan van aanpak"),
    (lambda r: r["themes"]["algemeen"]["orientation"]["steps"][0].update(title=""),
     "themes.algemeen.orientation.steps[1].title"),
])
def test_broken_file_names_the_file_and_the_entry(tmp_path, mutate, entry):
    path = _broken(tmp_path, mutate)
    with pytest.raises(GuideError) as error:
        load_guide(path)
    message = str(error.value)
    assert str(path) in message
    assert entry in message


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "geen-yaml.yaml"
    path.write_text("themes: [unclosed", encoding="utf-8")
    with pytest.raises(GuideError, match="geen-yaml.yaml"):
        load_guide(path)


def test_start_up_fails_with_a_broken_guide(tmp_path, monkeypatch):
    """``content.register`` (called once per app by create_app/init_app) reads the file."""
    import content
    from content import guide as guide_module
    from crm.registry import Registry

    path = _broken(tmp_path, lambda r: r["themes"]["programmering"]["evaluation"].pop("steps"))
    monkeypatch.setattr(guide_module, "GUIDE_PATH", path)
    guide_module._cached.cache_clear()
    try:
        with pytest.raises(GuideError, match=r"kapot\.yaml.*themes\.programmering\.evaluation\.steps"):
            content.register(Registry())
    finally:
        guide_module._cached.cache_clear()
