"""A synthetic political graph in the kzgraph ontology, at any size, for benchmarks and scale tests.

Deterministic: the same ``n_triples`` and ``seed`` give the same triples in the same order.
Shapes are meant to look like the real thing: offices pass from holder to holder without overlap,
elections have results that add up to 100 %, every tenure, result and event carries evidence
quoting a document, and actors are picked by preferential attachment, so a few become very
central (many tenures, many events) while most appear once or twice.

    python -m kzgraph.synthetic --triples 100000 --seed 1 -o synth-100k.nt   # or .ttl

From Python (``kzgraph.synthetic``): ``generate(n, seed)`` → rdflib.Graph, ``write(path, n, seed)``, ``triples(n, seed)``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kzgraph.namespaces import KZ, KZR, PREFIXES, bind_prefixes

Triple = tuple[URIRef, URIRef, URIRef | Literal]

FIRST = ("Aigerim Aida Asel Dana Dinara Gulnara Kamila Madina Saule Zhanar Aliya Bota Nurlan Askar "
         "Bolat Daniyar Erlan Marat Nursultan Serik Timur Yerlan Kairat Arman Beibut Dauren Galym "
         "Kassym Mukhtar Rakhat Sauat Talgat Yermek Zhenis Amirzhan Bakhyt").split()
LAST = ("Abenov Akhmetov Baimukhanov Dzhaksybekov Esimov Ibraimov Kassymov Mamin Nazarbayev Omarov "
        "Sarsenbayev Smailov Suleimenov Tasmagambetov Tokayev Utemisov Zhakupov Zhumabekov Kuanyshev "
        "Bekturov Kenzhebekov Myrzakhmetov Nurpeisov Ospanov Sagintayev Tursunov Yesimov Zhanuzakov").split()
WORDS = ("national democratic people's civic green rural youth labour justice unity patriotic "
         "progressive social liberal agrarian Kazakhstan Alash Adal Zhol Ak Otan Auyl Ruhaniyat").split()
BODIES = ("Majilis Senate Constitutional Council Central Election Commission Supreme Court "
          "Security Council Accounts Committee National Bank Government Assembly of People "
          "Anti-Corruption Agency Prosecutor's Office Ministry Akimat").split(" ")
ROLES = ("Chair", "Deputy Chair", "Secretary", "Minister", "Akim", "Head", "Speaker", "Commissioner")
EVENT_KINDS = ("Protest", "LegalReform", "Founding", "Restriction", "Detention", "TransferOfPower", "Event")
CYRILLIC = str.maketrans("abdefgiklmnoprstuyzhkc", "абдефгиклмнопрстуызхкц")

START, END = dt.date(1991, 12, 16), dt.date(2025, 6, 30)
SPAN = (END - START).days


class _Generator:
    """Grows the graph one fact at a time; ``self.out`` collects the triples of the current step."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.out: list[Triple] = []
        self.counter = 0
        self.persons: list[URIRef] = []
        self.parties: list[URIRef] = []
        self.bodies: list[URIRef] = []
        self.offices: list[tuple[URIRef, dt.date]] = []  # open offices and when their last tenure ended
        self.documents: list[URIRef] = []
        self.events: list[tuple[URIRef, dt.date]] = []
        # preferential attachment: an actor appears here once per time it was picked (plus once on creation)
        self.actor_picks: list[URIRef] = []
        self.doc_picks: list[URIRef] = []
        self.person_set: set[URIRef] = set()
        self.labels: dict[URIRef, str] = {}  # to compose labels of later things without a graph

    # -- helpers ------------------------------------------------------------------------------------
    def iri(self, kind: str, name: str = "") -> URIRef:
        self.counter += 1
        slug = "-".join(name.lower().replace("'", "").split()) if name else ""
        return KZR[f"{kind}-{slug}-{self.counter}" if slug else f"{kind}-{self.counter}"]

    def emit(self, s, p, o) -> None:
        self.out.append((s, p, o))

    def thing(self, iri: URIRef, cls: str, label: str) -> URIRef:
        self.labels[iri] = label
        self.emit(iri, RDF.type, KZ[cls])
        self.emit(iri, RDFS.label, Literal(label, lang="en"))
        return iri

    def date(self, low: dt.date = START, high: dt.date = END) -> dt.date:
        return low + dt.timedelta(days=self.rng.randrange(max(1, (high - low).days)))

    @staticmethod
    def lit(day: dt.date) -> Literal:
        return Literal(day.isoformat(), datatype=XSD.date)

    def pick_actor(self, persons_only: bool = False) -> URIRef:
        """A person (or organisation), favouring those already picked often; sometimes a new person."""
        if persons_only or self.rng.random() < 0.8:
            roll = self.rng.random()
            if not self.persons or roll < 0.25:
                return self.new_person()
            if roll < 0.6:
                actor = self.rng.choice(self.persons)
                self.actor_picks.append(actor)
                return actor
            while True:
                actor = self.rng.choice(self.actor_picks)
                if not persons_only or actor in self.person_set:
                    break
        else:
            actor = self.rng.choice(self.parties + self.bodies)
        self.actor_picks.append(actor)
        return actor

    def evidence(self, statement: URIRef, about: str) -> None:
        if not self.documents or self.rng.random() < 0.08:
            self.new_document()
        document = self.rng.choice(self.doc_picks)
        self.doc_picks.append(document)
        node = self.iri("evidence")
        self.emit(statement, KZ.evidence, node)
        self.thing(node, "Evidence", f"Evidence from {self.name(document)}")
        self.emit(node, KZ.document, document)
        self.emit(node, KZ.quote, Literal(f"… {about} …"))

    # -- things -------------------------------------------------------------------------------------
    def new_person(self) -> URIRef:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        person = self.thing(self.iri("person", f"{first} {last}"), "Person", f"{first} {last}")
        self.emit(person, SKOS.altLabel, Literal(f"{last} {first}".lower().translate(CYRILLIC), lang="ru"))
        if self.parties and self.rng.random() < 0.6:
            self.emit(person, KZ.memberOf, self.rng.choice(self.actor_picks_parties()))
        self.persons.append(person)
        self.person_set.add(person)
        self.actor_picks.append(person)
        return person

    def actor_picks_parties(self) -> list[URIRef]:
        return self.parties[: 3] * 6 + self.parties  # a few dominant parties

    def new_party(self) -> URIRef:
        name = " ".join(self.rng.sample(WORDS, 2)).title() + " Party"
        party = self.thing(self.iri("party", name), "PoliticalParty", name)
        self.emit(party, SKOS.altLabel, Literal(name.upper(), lang="kk"))
        self.parties.append(party)
        self.founding(party)
        return party

    def new_body(self) -> URIRef:
        name = self.rng.choice(BODIES) + f" {len(self.bodies) + 1}"
        body = self.thing(self.iri("institution", name), "StateInstitution", name)
        self.bodies.append(body)
        self.founding(body)
        return body

    def new_office(self) -> None:
        if not self.bodies or self.rng.random() < 0.3:
            self.new_body()
        body = self.rng.choice(self.bodies)
        role = self.rng.choice(ROLES)
        label = f"{role} of the {self.labels[body]}"
        office = self.thing(self.iri("office", label), "Office", label)
        self.emit(office, KZ.officeOf, body)
        self.offices.append((office, START + dt.timedelta(days=self.rng.randrange(SPAN // 2))))

    def new_document(self) -> None:
        day = self.date()
        title = f"Report {len(self.documents) + 1} on {self.rng.choice(WORDS)} affairs"
        doc = self.thing(self.iri("document"), "Document", title)
        self.emit(doc, DCTERMS.title, Literal(title))
        self.emit(doc, DCTERMS.date, self.lit(day))
        self.documents.append(doc)
        self.doc_picks.append(doc)

    # -- facts --------------------------------------------------------------------------------------
    def tenure(self) -> None:
        """The next holder of an office: starts when the previous one ended; still holding if past END."""
        if len(self.offices) < 3 or self.rng.random() < 0.05:
            self.new_office()
        index = self.rng.randrange(len(self.offices))
        office, since = self.offices[index]
        holder = self.pick_actor(persons_only=True)
        end = since + dt.timedelta(days=self.rng.randrange(200, 3000))
        tenure = self.iri("tenure")
        self.thing(tenure, "Tenure", f"{self.name(holder)} as {self.labels[office]}")
        self.emit(tenure, KZ.holder, holder)
        self.emit(tenure, KZ.office, office)
        self.emit(tenure, KZ.startDate, self.lit(since))
        if end < END:
            self.emit(tenure, KZ.endDate, self.lit(end))
            self.offices[index] = (office, end)
        else:
            self.offices.pop(index)  # the current holder: the office takes no more tenures
        self.evidence(tenure, "was appointed")

    def election(self) -> None:
        day = self.date(dt.date(1994, 1, 1))
        presidential = self.rng.random() < 0.25
        if len(self.parties) < 4 or self.rng.random() < 0.1:
            self.new_party()
        if not self.bodies:
            self.new_body()
        kind = "PresidentialElection" if presidential else "LegislativeElection"
        election = self.thing(self.iri("election", f"{day.year} {kind[:-8].lower()}"), kind,
                              f"{day.year} {'presidential' if presidential else 'legislative'} election")
        self.emit(election, KZ.date, self.lit(day))
        self.evidence(election, "the election was held")
        self.events.append((election, day))
        if presidential:
            contestants = []
            for _ in range(self.rng.randrange(2, 7)):
                actor = self.pick_actor(persons_only=True)
                if actor not in contestants:
                    contestants.append(actor)
        else:
            self.emit(election, KZ.electedBody, self.rng.choice(self.bodies))
            weighted = self.actor_picks_parties()
            contestants = []
            for _ in range(self.rng.randrange(3, 9)):
                party = self.rng.choice(weighted)
                if party not in contestants:
                    contestants.append(party)
            self.emit(election, KZ.partyCount, Literal(len(contestants)))
        weights = sorted((self.rng.paretovariate(1.2) for _ in contestants), reverse=True)
        total, seats_left = sum(weights), 0 if presidential else 98
        for contestant, weight in zip(contestants, weights):
            result = self.iri("result")
            share = round(100 * weight / total, 2)
            self.thing(result, "ElectionResult", f"{self.name(contestant)} in {self.name(election)}")
            self.emit(result, KZ.election, election)
            self.emit(result, KZ.contestant, contestant)
            self.emit(result, KZ.voteShare, Literal(f"{share:.2f}", datatype=XSD.decimal))
            if not presidential:
                seats = min(seats_left, round(98 * weight / total)) if share >= 7 else 0
                seats_left -= seats
                self.emit(result, KZ.seats, Literal(seats, datatype=XSD.nonNegativeInteger))
            self.evidence(result, f"received {share:.2f} per cent")

    def founding(self, organisation: URIRef) -> None:
        day = self.date()
        event = self.thing(self.iri("founding"), "Founding", f"Founding of {self.name(organisation)}")
        self.emit(event, KZ.founded, organisation)
        self.emit(event, KZ.date, self.lit(day))
        self.evidence(event, "was established")
        self.events.append((event, day))

    def event(self) -> None:
        kind = self.rng.choice(EVENT_KINDS)
        if kind == "Founding":
            self.new_party() if self.rng.random() < 0.5 else self.new_body()
            return
        day = self.date()
        event = self.thing(self.iri(kind.lower()), kind, f"{kind} of {day:%B %Y}")
        self.emit(event, KZ.date, self.lit(day))
        if kind == "LegalReform":
            self.emit(event, KZ.status, KZ.Enacted if self.rng.random() < 0.7 else KZ.Announced)
        participants = []
        for _ in range(self.rng.choice((1, 1, 2, 2, 3, 4, 6))):
            actor = self.pick_actor()
            if actor not in participants:
                participants.append(actor)
                self.emit(event, KZ.participant, actor)
        if self.events and self.rng.random() < 0.15:
            cause, when = self.rng.choice(self.events)
            if when < day:
                self.emit(cause, KZ.ledTo, event)
        self.evidence(event, "took place")
        self.events.append((event, day))

    def name(self, iri: URIRef) -> str:
        return self.labels[iri]

    def steps(self) -> Iterator[list[Triple]]:
        """Each step adds one fact (and the things it needs); yields that step's triples."""
        for _ in range(3):
            self.new_party()
        while True:
            roll = self.rng.random()
            if roll < 0.55:
                self.tenure()
            elif roll < 0.62:
                self.election()
            else:
                self.event()
            out, self.out = self.out, []
            yield out


def triples(n_triples: int, seed: int = 0) -> Iterator[Triple]:
    """The first whole steps of the generator reaching ``n_triples`` triples (overshoot: one step)."""
    count = 0
    for step in _Generator(seed).steps():
        yield from step
        count += len(step)
        if count >= n_triples:
            return


def generate(n_triples: int, seed: int = 0) -> Graph:
    """A synthetic kzgraph graph of about ``n_triples`` triples (prefixes bound)."""
    graph = bind_prefixes(Graph())
    for triple in triples(n_triples, seed):
        graph.add(triple)
    return graph


def _turtle_term(term, prefixes: list[tuple[str, str]]) -> str:
    if isinstance(term, URIRef):
        for prefix, ns in prefixes:
            if term.startswith(ns):
                local = term[len(ns):]
                if local and all(c.isalnum() or c in "-_" for c in local) and local[0].isalnum():
                    return f"{prefix}:{local}"
    if isinstance(term, Literal) and term.datatype:
        return f"{Literal(str(term)).n3()}^^{_turtle_term(term.datatype, prefixes)}"
    return term.n3()


def write(path: str | Path, n_triples: int, seed: int = 0, fmt: str | None = None) -> int:
    """Write the graph to ``path`` as N-Triples (``.nt``) or Turtle (``.ttl``); returns the triple count.

    Written in generation order (already deterministic) rather than through rdflib's serialisers,
    which are slow at a million triples.
    """
    path = Path(path)
    fmt = fmt or ("nt" if path.suffix == ".nt" else "turtle")
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        if fmt == "nt":
            for s, p, o in triples(n_triples, seed):
                out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
                count += 1
            return count
        prefixes = sorted(((k, str(v)) for k, v in PREFIXES.items()), key=lambda kv: -len(kv[1]))
        for prefix, ns in sorted(prefixes):
            out.write(f"@prefix {prefix}: <{ns}> .\n")
        subject = None
        for s, p, o in triples(n_triples, seed):
            head = " ;\n    " if s == subject else (" .\n" if subject is not None else "\n")
            if s != subject:
                head += _turtle_term(s, prefixes) + " "
            out.write(f"{head}{_turtle_term(p, prefixes)} {_turtle_term(o, prefixes)}")
            subject = s
            count += 1
        out.write(" .\n" if subject is not None else "")
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kzgraph.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000, help="target size (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", required=True, help="FILE.nt (N-Triples) or FILE.ttl (Turtle)")
    args = parser.parse_args(argv)
    count = write(args.output, args.triples, args.seed)
    print(f"{args.output}: {count} triples (seed {args.seed})")


if __name__ == "__main__":
    main()
