"""The SHACL shapes: the bundled dataset conforms; a broken copy of it fails, each fault named.

A SHACL run costs seconds, so one copy holds all the faults and is validated once per module.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzgraph.resources import DATA_DIR
from kzgraph.validation import validate

THIRTY_WORDS = " ".join(f"word{i}" for i in range(30))

#: file → (text in the bundled data, its replacement): each edit plants one fault.
EDITS = {
    "record-presidency.ttl": [
        # Nazarbayev's first mandate ends before it starts
        ('kz:startDate "1990-04-24"^^xsd:date ;\n    kz:endDate "1991-12-10"^^xsd:date ;',
         'kz:startDate "1990-04-24"^^xsd:date ;\n    kz:endDate "1989-12-31"^^xsd:date ;'),
    ],
    "record-parties.ttl": [
        # not a fault: a tenure ending in the year it started, known only to the year
        ('kz:startDate "2022-01-28"^^xsd:date ;\n    kz:endDate "2022-04-26"^^xsd:date ;\n    kz:electedBy',
         'kz:startDate "2022-01-28"^^xsd:date ;\n    kz:endDate "2022"^^xsd:gYear ;\n    kz:electedBy'),
    ],
    "elections.ttl": [
        ("kz:voteShare 71.09 ;", "kz:voteShare 120.0 ;"),   # out of range; 2021 now sums over 100.5 too
        ("kz:voteShare 16.23 ;", "kz:voteShare 40.00 ;"),   # each share valid, the 2019 sum is not
    ],
    "events.ttl": [
        ("    kz:affected kzr:opposition-movements ;\n    kz:evidence kzr:evidence-thousands-of-arrests .",
         "    kz:affected kzr:opposition-movements ."),
        ('Inauguration of Tokayev after the 2019 election"@en ;\n    kz:date "2019-06-12"^^xsd:date ;\n',
         'Inauguration of Tokayev after the 2019 election"@en ;\n'),
    ],
    "assessments.ttl": [('kz:quote "Anyhow, this was no surprise to anyone." .', f'kz:quote "{THIRTY_WORDS}" .')],
    "people.ttl": [("    kz:document kzr:document-decree-838-2019 ;\n", "")],
    "parties.ttl": [('rdfs:label "Nur Otan"@en ;', 'rdfs:label "Nur Otan"@en, "Nur Otan Party"@en ;')],
}

#: (file, thing, words of the message) for every fault planted above, and nothing else.
FAULTS = [
    ("record-presidency.ttl", "kzr:tenure-nursultan-nazarbayev-president-1", "ends (1989-12-31) before it starts"),
    ("elections.ttl", "kzr:result-2021-majilis-nur-otan", "vote share must be one xsd:decimal percentage between 0 and 100"),
    ("elections.ttl", "kzr:election-2021-majilis", "vote shares of its results sum to 148.91%"),
    ("elections.ttl", "kzr:election-2019-presidential", "vote shares of its results sum to 110.96%"),
    ("events.ttl", "kzr:mass-arrests-2019", "has no evidence"),
    ("events.ttl", "kzr:inauguration-of-tokayev-2019", "an event needs a kz:date or a kz:startDate"),
    ("assessments.ttl", "kzr:evidence-no-surprise", "longer than 25 words"),
    ("people.ttl", "kzr:evidence-nazarbayev-elbasy-decree-838", "evidence needs exactly one document"),
    ("parties.ttl", "kzr:nur-otan", "needs exactly one English label"),
]


def broken_copy(directory: Path) -> Path:
    shutil.copytree(DATA_DIR, directory)
    for name, edits in EDITS.items():
        path = directory / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, (name, old)  # the bundled data changed: update the edit
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    return broken_copy(tmp_path_factory.mktemp("shapes") / "data")


@pytest.fixture(scope="module")
def report(broken):
    return validate([broken])


@pytest.mark.slow
def test_the_bundled_dataset_conforms():
    report = validate()
    assert report.conforms, "\n".join(map(str, report.violations))
    assert {p.name for p in report.files} >= {"kzgraph.ttl", "people.ttl", "elections.ttl", "events.ttl"}


@pytest.mark.parametrize("file,thing,words", FAULTS, ids=[f[1] for f in FAULTS])
def test_each_fault_is_named_with_its_file_and_thing(report, broken, file, thing, words):
    matches = [v for v in report.violations if v.focus == thing and words in v.message]
    assert matches, "\n".join(map(str, report.violations))
    assert all(v.file == str(broken / file) for v in matches)


def test_nothing_else_is_reported(report):
    # in particular a tenure from 2022-01-28 to "2022" is not "ending before it starts"
    assert sorted((Path(v.file).name, v.focus) for v in report.violations) == sorted((f, t) for f, t, _ in FAULTS)


@pytest.mark.slow
def test_cli_prints_file_thing_message_and_exits_1(cli, broken):
    result = cli("validate", str(broken))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(FAULTS)
    for file, thing, words in FAULTS:
        assert any(line.startswith(f"{broken / file}: {thing}: ") and words in line for line in lines), (thing, lines)
    assert result.stderr.strip() == f"{len(FAULTS)} violations in {len(list(broken.glob('*.ttl')))} files"


BROKEN_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kz: <https://w3id.org/kzgraph/ontology#> .
kz:S a sh:NodeShape ; sh:targetClass kz:Election ;
  sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . { SELECT ?x WHERE { ?x ?p ?o } } }" ] .
"""


def test_a_shape_pyshacl_cannot_run_is_a_user_error(tmp_path):
    from kzgraph.errors import KzError

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(BROKEN_SHAPE, encoding="utf-8")
    with pytest.raises(KzError, match=f"^{shapes}: the shapes could not be run: .*SELECT"):
        validate([DATA_DIR / "elections.ttl"], shapes=shapes)
