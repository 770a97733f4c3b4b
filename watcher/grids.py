"""The assessment grids (pure): the two built-in grids of block 1 of RNCP 32204 (the jury's, as
domain.md §4.3 proposes it, and the company tutor's) and the reading of a teacher's own grid
(YAML or the JSON the store keeps). The types are in `watcher.model`, the rules that use a grid
in `watcher.assess.rules`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from watcher.errors import AssessError
from watcher.model import BLOCK_ID, Competence, Grid, Level
from watcher.safe_yaml import YamlError, load_yaml

# The seven competences of block 1, as worded in the RNCP 32204 fiche.
BLOCK1_COMPETENCES: tuple[Competence, ...] = (
    Competence(
        "C1",
        "Organiser ou consulter une veille sur les marchés pour faire des propositions d'action",
    ),
    Competence(
        "C2", "Organiser ou consulter une veille sur l'environnement législatif et normatif"
    ),
    Competence(
        "C3",
        "Rechercher et actualiser des informations sur l'environnement économique, juridique, "
        "social et culturel de l'activité de l'entreprise",
    ),
    Competence(
        "C4",
        "Utiliser les outils bureautiques de traitement de textes, tableurs, internet pour une "
        "formalisation professionnelle des documents",
    ),
    Competence(
        "C5",
        "Recueillir et vérifier les informations nécessaires à la mise en œuvre des plans d'action",
    ),
    Competence(
        "C6",
        "Organiser la mise à disposition des informations pour contribuer à la performance de "
        "l'entreprise",
    ),
    Competence("C7", "Utiliser les logiciels en vigueur dans l'entreprise"),
)


# domain.md §4.3 — proposal, editable by the teacher.
DEFAULT_LEVELS: tuple[Level, ...] = (
    Level(0, "0 — non évaluable", "Aucune preuve exploitable.", "—"),
    Level(
        1,
        "1 — débutant",
        "Veille menée sans plan ; sources non qualifiées ; articles listés sans analyse.",
        "Liste brute d'articles",
    ),
    Level(
        2,
        "2 — en progrès",
        "Un plan de veille existe ; sources identifiées ; synthèses partielles ; "
        "peu d'actions proposées.",
        "Plan de veille + fiches sans « action proposée »",
    ),
    Level(
        3,
        "3 — maîtrisé",
        "Plan, grille des sources et synthèses régulières ; chaque article analysé (QQOQCP, "
        "impact) et recoupé ; références juridiques correctement citées et liées ; "
        "actions proposées.",
        "Synthèses, grille des sources, tableau des références, journal des actions",
    ),
    Level(
        4,
        "4 — expert",
        "En plus : le dispositif est évalué et amélioré (statistiques, sources mortes "
        "remplacées) ; anticipation (consultations, projets en enquête publique, signaux "
        "faibles) ; actions suivies ; documents professionnels.",
        "Tout ce qui précède + bilan + journal des modifications",
    ),
)


TUTOR_LEVELS: tuple[Level, ...] = (
    Level(0, "0 — non observé", "Pas d'occasion d'observer la compétence en entreprise."),
    Level(1, "1 — avec aide constante", "Réalise la tâche seulement avec un accompagnement."),
    Level(2, "2 — avec aide ponctuelle", "Réalise la tâche ; sollicite encore de l'aide."),
    Level(3, "3 — autonome", "Réalise la tâche seul(e), dans les délais attendus."),
    Level(
        4,
        "4 — autonome et force de proposition",
        "Réalise la tâche seul(e) et propose des améliorations utilisées par l'équipe.",
    ),
)


DEFAULT_GRID = Grid(
    id="bloc1-jury",
    name="Grille du jury — bloc 1 (par défaut)",
    kind="jury",
    competences=BLOCK1_COMPETENCES,
    levels=DEFAULT_LEVELS,
)


TUTOR_GRID = Grid(
    id="bloc1-tuteur",
    name="Grille du tuteur en entreprise — bloc 1",
    kind="tuteur",
    competences=BLOCK1_COMPETENCES,
    levels=TUTOR_LEVELS,
)


BUILTIN_GRIDS: tuple[Grid, ...] = (DEFAULT_GRID, TUTOR_GRID)


def grid_from_mapping(data: Mapping[str, Any]) -> Grid:
    """A teacher's grid (parsed YAML/JSON) → Grid; every problem raises AssessError.

    Levels must be exactly 0 … 4 (the fiche codes competences from 0 to 4); competences have
    unique codes.
    """
    try:
        grid_id = str(data["id"]).strip()
        name = str(data.get("name") or grid_id)
        kind = str(data.get("kind", "jury"))
        raw_competences = data.get("competences") or [
            {"code": c.code, "label": c.label} for c in BLOCK1_COMPETENCES
        ]
        raw_levels = data["levels"]
    except KeyError as exc:
        raise AssessError(f"grille : champ obligatoire manquant « {exc.args[0]} »") from exc
    if not grid_id:
        raise AssessError("grille : identifiant vide")
    if kind not in ("jury", "tuteur"):
        raise AssessError("grille : kind doit valoir jury ou tuteur")
    competences = tuple(
        Competence(str(c["code"]).strip(), str(c["label"]).strip()) for c in raw_competences
    )
    codes = [c.code for c in competences]
    if len(set(codes)) != len(codes) or not all(codes):
        raise AssessError("grille : codes de compétence vides ou en double")
    levels = tuple(
        Level(
            int(v["value"]),
            str(v.get("label") or v["value"]),
            str(v.get("descriptor", "")),
            str(v.get("evidence", "")),
        )
        for v in raw_levels
    )
    if sorted(v.value for v in levels) != [0, 1, 2, 3, 4]:
        raise AssessError("grille : les niveaux doivent être exactement 0, 1, 2, 3 et 4")
    levels = tuple(sorted(levels, key=lambda v: v.value))
    oral_levels = tuple(str(c).strip() for c in data.get("oral_levels") or ())
    unknown = [c for c in oral_levels if c not in codes]
    if unknown:
        raise AssessError(
            "grille : oral_levels nomme des compétences absentes de la grille "
            f"({', '.join(unknown)})"
        )
    return Grid(
        grid_id,
        name,
        "jury" if kind == "jury" else "tuteur",
        competences,
        levels,
        str(data.get("block", BLOCK_ID)),
        oral_levels,
    )


def grid_from_yaml(text: str, source: str) -> Grid:
    """A teacher's grid written in YAML (a file, or the web form) → Grid.

    The YAML is read by :func:`watcher.safe_yaml.load_yaml` (no aliases: a few hundred bytes
    cannot expand into gigabytes); every problem raises AssessError, in French."""
    try:
        data = load_yaml(text, source)
    except YamlError as exc:
        raise AssessError(f"grille illisible : {exc}") from None
    if not isinstance(data, Mapping):
        raise AssessError(
            f"{source} : la grille doit être un dictionnaire YAML (id, name, kind, competences, "
            "levels)"
        )
    try:
        return grid_from_mapping(data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise AssessError(f"{source} : grille mal formée ({exc})") from None
