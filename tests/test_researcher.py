"""The researcher commands on the bundled data: show, who-held, timeline, stats, path.

Competency questions 1 (who held the presidency on a date), 2 (Nazarbayev's offices on
2021-01-10) and 7 (what happened from the handover to the 2021 election) are asserted here.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from kzgraph.dates import parse_date

PRESIDENT = "kzr:president-of-kazakhstan"
NAZARBAYEV, TOKAYEV = "Nursultan Nazarbayev", "Kassym-Jomart Tokayev"


def table(result) -> list[dict]:
    """The rows of a ``--format csv`` output as dicts."""
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout_bytes.decode())))


@pytest.mark.parametrize("on,holders", [
    ("2019-01-01", [NAZARBAYEV]),             # competency question 1
    ("2019-03-19", [NAZARBAYEV]),             # the day of the announced handover
    ("2019-03-20", [TOKAYEV]),                # the day it took effect: the successor's
    ("2019-03-21", [TOKAYEV]),
    ("2020-01-01", [TOKAYEV]),                # competency question 1
    ("2019", [NAZARBAYEV, TOKAYEV, TOKAYEV]),  # a year: every mandate held in some part of it
    ("2019-03", [NAZARBAYEV, TOKAYEV]),
])
def test_who_held_the_presidency_on_a_date(cli, on, holders):
    rows = table(cli("who-held", "President of Kazakhstan", "--on", on, "--format", "csv"))
    assert [r["holderLabel"] for r in rows] == holders


def test_who_held_lists_every_holder_in_order_with_dates(cli):
    rows = table(cli("who-held", PRESIDENT, "--format", "csv"))
    assert [r["holderLabel"] for r in rows] == [NAZARBAYEV] * 7 + [TOKAYEV] * 3   # one row per mandate
    assert all(a["end"] == b["start"] for a, b in zip(rows, rows[1:]))            # each handed to the next
    assert rows[6]["end"] == "2019-03-20" and rows[7]["acting"] == "true"
    assert rows[-1]["end"] == ""                       # still holding


def test_who_held_table_names_the_office_by_any_name(cli):
    out = cli("who-held", "president", "--on", "2020").stdout
    assert out.splitlines()[0].split() == ["holder", "holderLabel", "start", "end", "acting", "tenure"]
    assert TOKAYEV in out and NAZARBAYEV not in out and "(1 row)" in out


@pytest.mark.parametrize("on,said", [("1985", "in 1985"), ("1985-05", "in 1985-05"), ("1985-05-02", "on 1985-05-02")])
def test_a_date_with_no_holder_says_so(cli, on, said):
    result = cli("who-held", PRESIDENT, "--on", on)
    assert result.exit_code == 0 and not result.stderr
    assert result.stdout.strip() == f"Nobody held President of Kazakhstan {said}, as far as the data says."
    assert table(cli("who-held", PRESIDENT, "--on", on, "--format", "csv")) == []


def test_empty_answers_are_answers_said_on_stdout(cli):
    """No events, no path: exit 0, one sentence on stdout; csv/json give no rows, not an error."""
    for args, sentence in [
        (("timeline", "--from", "1900", "--to", "1901", "--type", "Election"),
         "No events of kind Election from 1900 to 1901, as far as the data says."),
        (("path", "Tokayev", "Ak Zhol", "--max", "1"),
         "No path between 'Tokayev' and 'Ak Zhol' within 1 step, as far as the data says."),
    ]:
        result = cli(*args)
        assert result.exit_code == 0 and not result.stderr
        assert result.stdout.strip() == sentence
        assert table(cli(*args, "--format", "csv")) == []
        assert json.loads(cli(*args, "--format", "json").stdout)["results"]["bindings"] == []


@pytest.mark.parametrize("date,holders", [("2019", [NAZARBAYEV, TOKAYEV, TOKAYEV]), ("2020-01-01", [TOKAYEV])])
def test_the_named_query_answers_through_kzgraph_query(cli, date, holders):
    """As `kzgraph query --help` shows: a plain --param date, of any precision."""
    rows = table(cli("query", "--name", "office-holder-on-date", "--param", f"office={PRESIDENT}",
                     "--param", f"date={date}", "--format", "csv"))
    assert [r["holderLabel"] for r in rows] == holders


def test_nazarbayevs_offices_on_2021_01_10(graph):
    """Competency question 2: he was no longer President but still chaired these three."""
    from kzgraph.research import offices_held

    result = offices_held(graph, "Nazarbayev", "2021-01-10")
    offices = sorted(str(row["officeLabel"]) for row in result.bindings)
    assert offices == ["Chair of Nur Otan", "Chair of the Assembly of the People of Kazakhstan",
                       "Chair of the Security Council of Kazakhstan"]


def test_timeline_from_the_handover_to_the_2021_election(cli):
    """Competency question 7: in date order, partial dates placed sensibly and marked."""
    rows = table(cli("timeline", "--from", "2019-03-19", "--to", "2021-01-10", "--format", "csv"))
    events = [r["event"].rsplit("/", 1)[-1] for r in rows]
    expected_order = ["handover-of-the-presidency-2019", "election-2019-presidential",
                      "founding-of-national-council-of-public-trust", "mass-arrests-2019",   # 12 June; "June"
                      "founding-of-supreme-council-for-reforms",
                      "ngo-observer-restriction", "abolition-of-the-death-penalty", "election-2021-majilis",
                      "arrests-of-boycott-demonstrators"]
    assert [e for e in events if e in expected_order] == expected_order
    assert events[0] == "handover-of-the-presidency-2019"
    dates = [parse_date(r["date"]) for r in rows]
    assert dates == sorted(dates)                      # the order of kzgraph.dates
    assert all(parse_date(r["date"]).precision == r["precision"] for r in rows)
    assert {r["precision"] for r in rows} >= {"day", "month", "year"}
    assert all(parse_date("2019-03-19").start <= d.end and d.start <= parse_date("2021-01-10").end for d in dates)
    handover = rows[0]
    assert set(handover["participants"].split("; ")) == {NAZARBAYEV, TOKAYEV}
    assert handover["quote"] and handover["class"].endswith("TransferOfPower")


def test_timeline_by_type_includes_subclasses(cli):
    rows = table(cli("timeline", "--type", "Election", "--format", "csv"))
    assert {r["event"].rsplit("/", 1)[-1] for r in rows} >= {"election-2019-presidential", "election-2021-majilis"}
    assert all("Election" in r["class"] for r in rows)


def test_show_a_name_given_in_cyrillic(cli):
    result = cli("show", "Токаев")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [TOKAYEV,
                         "  IRI:      https://w3id.org/kzgraph/id/kassym-jomart-tokayev  (kzr:kassym-jomart-tokayev)",
                         "  Class:    person (kz:Person)",
                         "  Wikidata: wd:Q200881  https://www.wikidata.org/wiki/Q200881"]
    assert "  ru: Касым-Жомарт Кемелевич Токаев; Касым-Жомарт Токаев" in lines
    assert "  President of Kazakhstan, 2019-03-20 – 2019-06-12" in lines
    assert "  President of Kazakhstan, 2022-11-26 – now" in lines      # an open tenure: held to this day


def test_show_table_is_a_readable_fact_sheet(cli):
    """Sections by kind; every statement's evidence indented under it; no wide table; the same every run."""
    out = cli("show", "Nazarbayev").stdout
    assert out == cli("show", "kzr:nursultan-nazarbayev").stdout
    lines = out.splitlines()
    assert max(map(len, lines)) <= 100
    headings = [line for line in lines[1:] if line and not line.startswith(" ")]
    assert headings == ["Names", "Facts", "Member of", "Offices held", "Events", "Assessments about it",
                        "Linked from", "Evidence"]
    tenures = lines[lines.index("Offices held") + 1:lines.index("Events") - 1]
    statements = [i for i, line in enumerate(tenures) if not line.startswith("     ")]
    assert [tenures[i] for i in statements][:4] == [   # in the order they began, each from – to
        "  President of Kazakhstan, 1990-04-24 – 1991-12-10",
        "  Chair of the Security Council of Kazakhstan, 1991-08-21 – 2022-01-05",
        "  President of Kazakhstan, 1991-12-10 – 1995-04-29",
        "  Chair of the Assembly of the People of Kazakhstan, 1995 – 2021-04-28"]
    assert len(statements) == 10 and tenures[statements[-1]] == "  President of Kazakhstan, 2015-04-29 – 2019-03-20"
    for i, j in zip(statements, statements[1:] + [len(tenures)]):
        evidence = tenures[i + 1:j]                      # the provenance rule, visible: quote — document
        assert evidence and evidence[0].startswith("      “") and " — " in " ".join(evidence)
    assert "  Nur Otan" in lines[lines.index("Member of") + 1]
    events = [line for line in lines[lines.index("Events") + 1:lines.index("Assessments about it")]
              if line.startswith("  ") and not line.startswith("   ")]
    assert [e.split()[0] for e in events] == sorted(e.split()[0] for e in events)   # in date order
    assert any(e.startswith("  2019-03-19  Handover of the presidency") and e.endswith("(predecessor)") for e in events)


def test_show_csv_and_json_keep_every_row(cli):
    rows = table(cli("show", "Nur Otan", "--format", "csv"))
    assert {"membership", "member"} & {r["section"] for r in rows} == {"member"}
    assert any(r["section"] == "member" and r["valueLabel"] == NAZARBAYEV for r in rows)
    results = [r for r in rows if r["section"] == "result"]
    assert len(results) >= 2 and all(r["quote"] and r["document"] and r["documentLabel"] for r in results)


def test_show_lists_tenures_with_their_evidence(cli):
    doc = json.loads(cli("show", "kzr:nursultan-nazarbayev", "--format", "json").stdout)
    rows = [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]
    tenures = [r for r in rows if r["section"] == "tenure"]
    assert {r["valueLabel"] for r in tenures} >= {"President of Kazakhstan", "Chair of Nur Otan"}
    assert all(r.get("quote") and r.get("document") for r in tenures)   # the provenance rule
    assert any(r["section"] == "name" and r.get("detail") == "ru" and "Назарбаев" in r["value"] for r in rows)


def test_path_between_tokayev_and_nur_otan(cli):
    result = cli("path", "Tokayev", "Nur Otan")
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert line.startswith(TOKAYEV) and line.endswith("Nur Otan") and "\n" not in line
    assert "→" in line
    steps = table(cli("path", "Tokayev", "Nur Otan", "--format", "csv"))
    assert steps[0]["fromLabel"] == TOKAYEV and steps[-1]["toLabel"] == "Nur Otan"
    assert all(a["to"] == b["from"] for a, b in zip(steps, steps[1:]))
    for step in steps:   # each arrow tells the relation's real direction in the network
        assert step["direction"] in ("→", "←")


def test_path_is_the_same_on_every_run():
    """Several paths are equally short; the one printed must not depend on Python's hash seed."""
    import os
    import subprocess
    import sys

    def path(seed):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        return subprocess.run([sys.executable, "-m", "kzgraph", "path", "Tokayev", "Nur Otan"],
                              env=env, capture_output=True, text=True, timeout=120, check=True).stdout

    assert len({path(seed) for seed in (1, 2, 3)}) == 1


def test_path_arrows_follow_each_relations_real_direction(graph):
    from kzgraph.analyse import format_path, shortest_path
    from kzgraph.network import project

    net = project(graph)
    steps = shortest_path(graph, "Tokayev", "Nur Otan", net=net)
    for step in steps:
        data_way = (step.source, step.target) if step.forward else (step.target, step.source)
        assert step.relation in {d["label"] for d in (net.get_edge_data(*data_way) or {}).values()}
    text = format_path(net, steps)
    assert text.count("→") == sum(s.forward for s in steps)
    assert text.count("←") == sum(not s.forward for s in steps)
    assert shortest_path(graph, "Tokayev", "Nur Otan", max_steps=len(steps) - 1, net=net) is None


def test_stats_names_nazarbayev_among_the_most_central(cli):
    result = cli("stats")
    assert result.exit_code == 0, result.output
    assert "degree centrality:" in result.stdout and "betweenness centrality:" in result.stdout
    rows = table(cli("stats", "--format", "csv"))
    for measure in ("degree centrality", "betweenness centrality"):
        top = [r["label"] for r in rows if r["section"] == measure]
        assert len(top) == 10 and NAZARBAYEV in top[:3] and TOKAYEV in top[:3]
    sizes = {r["item"]: int(r["value"]) for r in rows if r["section"] in ("size", "provenance")}
    assert sizes["triples"] > 1000 and sizes["https://w3id.org/kzgraph/ontology#Evidence"] > 0
    classes = {r["item"].rsplit("#", 1)[-1]: int(r["value"]) for r in rows if r["section"] == "class"}
    assert classes["Person"] >= 3 and classes["Tenure"] >= 7


@pytest.mark.parametrize("args,needles", [
    (("who-held", PRESIDENT, "--on", "19 March 2019"), ["bad date '19 March 2019'", "YYYY-MM-DD"]),
    (("who-held", PRESIDENT, "--on", "2019-02-30"), ["bad date '2019-02-30'"]),
    (("timeline", "--from", "2019/03"), ["bad date '2019/03'"]),
    (("who-held", "Nazarbayev"), ["'Nazarbayev' is Nursultan Nazarbayev", "not a kz:Office"]),
    (("who-held", "Nur Otan"), ["not a kz:Office"]),
    (("timeline", "--type", "Person"), ["--type Person: not a kind of event"]),
    (("show", "Tokayevv"), ["unknown thing 'Tokayevv'", "did you mean"]),
    (("show", "kzr:nobody-at-all"), ["no such thing"]),
    (("path", "Tokayev", "kzr:tenure-kassym-jomart-tokayev-president-1"), ["not a node of the network"]),
    (("path", "Tokayev", "Токаев"), ["the same thing: Kassym-Jomart Tokayev"]),
    (("timeline", "--type", 'x" } DROP ALL #'), ["--type x\" } DROP ALL #: unknown class"]),
    (("who-held", PRESIDENT, "--on", '2019" } DROP ALL #'), ["bad date '2019\" } DROP ALL #'"]),
    (("show", "Majilis election"),
     ["'Majilis election' is ambiguous", "kzr:election-2021-majilis (2021 Majilis election)"]),
])
def test_bad_input_is_one_line(cli, user_error, args, needles):
    user_error(cli(*args), *needles)


@pytest.mark.parametrize("command", [("show",), ("who-held",), ("path", "Tokayev")])
def test_a_name_that_injects_sparql_changes_nothing(cli, user_error, monkeypatch, command):
    from kzgraph.sparql import named_query

    from kzgraph.stores.memory import MemoryStore

    attack = 'x" } DROP ALL #'
    ran, real_execute = [], MemoryStore.execute
    monkeypatch.setattr(MemoryStore, "execute", lambda self, q, bindings=None, **k:
                        ran.append((q, dict(bindings or {}))) or real_execute(self, q, bindings, **k))
    monkeypatch.setattr(MemoryStore, "update", lambda *a, **k: pytest.fail("an update ran"))
    user_error(cli(*command, attack), f"unknown thing {attack!r}")
    # only named queries ran, the label index among them, with nothing bound: the name reached no query
    named = {named_query(n).text for n in ("label-index", "network")}
    assert ran and all(text in named and bindings == {} for text, bindings in ran), ran
    assert named_query("label-index").text in {text for text, _ in ran}


@pytest.mark.parametrize("args,echoes", [
    (("timeline", "--from", "2019", "--to", "2020", "--type", "Election"), {"from", "to", "type"}),
    (("who-held", PRESIDENT, "--on", "2019"), {"office", "date"}),
    (("show", "Tokayev"), {"thing"}),
])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_commands_print_no_column_that_only_echoes_a_parameter(cli, args, echoes, fmt):
    out = cli(*args, "--format", fmt)
    assert out.exit_code == 0, out.output
    names = (next(csv.reader(io.StringIO(out.stdout))) if fmt == "csv"
             else json.loads(out.stdout)["head"]["vars"])
    assert names and not echoes & set(names)
    assert json.loads(out.stdout)["results"]["bindings"] if fmt == "json" else len(out.stdout.splitlines()) > 1


def test_kzgraph_query_still_prints_the_raw_result(cli):
    rows = table(cli("query", "--name", "timeline", "--param", "type=kz:Election", "--format", "csv"))
    assert rows and {"from", "to", "type"} <= set(rows[0]) and rows[0]["type"].endswith("#Election")


def test_timeline_type_names_classes_as_view_does(cli):
    """--type reads class names with kzgraph.network.kinds_named: label or local name, any case."""
    for name in ("kz:TransferOfPower", "transfer of power", "TRANSFER-OF-POWER"):
        rows = table(cli("timeline", "--type", name, "--format", "csv"))
        assert rows and all(r["class"].endswith("#TransferOfPower") for r in rows)


def test_tables_on_a_terminal_cut_long_cells_and_say_so(cli, monkeypatch):
    import kzgraph.cli

    whole = cli("timeline", "--type", "Restriction").stdout       # to a pipe: every text whole
    assert "…" not in whole and "many NGOs were disqualified as election observers." in whole
    monkeypatch.setattr(kzgraph.cli, "to_terminal", lambda: True)
    cut = cli("timeline", "--type", "Restriction").stdout.splitlines()
    assert cut[-1] == f"(text cut at {kzgraph.cli.TERMINAL_CELL} characters; --format csv or json gives it in full)"
    assert max(map(len, cut)) < max(map(len, whole.splitlines())) and any("…" in line for line in cut)
    assert len(cut) == len(whole.splitlines()) + 1
    assert "…" not in cli("timeline", "--type", "Restriction", "--format", "csv").stdout   # csv never cut


def test_to_table_cuts_only_cells_longer_than_max_cell():
    from kzgraph.results import from_rows, to_table

    lines = to_table(from_rows(["a", "b"], [["x" * 10, "y" * 11]]), max_cell=10)
    assert lines[2] == "x" * 10 + "  " + "y" * 9 + "…"
    assert to_table(from_rows(["a"], [["x" * 10]]), max_cell=10)[-1] == "(1 row)"
