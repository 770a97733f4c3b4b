# ruff: noqa: E501 (a catalogue: one message per line)
"""Click's own words in French: help headings, defaults, usage errors.

Click translates its messages with gettext, through the module-level ``_`` and ``ngettext`` its
modules import from :mod:`gettext` (the default domain, chosen by the user's locale). The
interface is French whatever the locale, so :func:`install` points those names of click's
modules at this catalogue instead, and :func:`french_metavars` gives French placeholders
(``TEXTE``, ``ENTIER``…) to the options whose type only has an English name. ``install`` must
run before any command is declared (``click.Path`` names itself « fichier » when it is built).

``tests/test_cli_french.py`` reads every message of the installed click and checks that none
reaches a help page in English, so a click upgrade that adds a message shows up there.
"""

from __future__ import annotations

import gettext
import sys

import click

__all__ = ["FR", "FR_PLURAL", "french_metavars", "install"]

FR: dict[str, str] = {
    # help pages
    # (click writes a heading followed by ":"; the space gives « Options : »)
    "Usage:": "Utilisation :",
    "Options": "Options ",
    "Commands": "Commandes ",
    "Positional arguments": "Arguments ",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    "(dynamic)": "(calculé)",
    "deprecated": "obsolète",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "Attention : la commande {name!r} est obsolète.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "Attention : le paramètre {name!r} est obsolète.{extra_message}",
    "Confirm the action without prompting.": "Confirme l'action sans la demander.",
    "Do you want to continue?": "Voulez-vous continuer ?",
    # usage errors
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "No such option {name!r}.": "Option inconnue : {name}.",
    "No such option: {name}": "Option inconnue : {name}",
    "No such command {name!r}.": "Commande inconnue : {name}.",
    "No such command '{name}'.": "Commande inconnue : {name}.",
    "Missing command.": "Commande manquante.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Option {name!r} does not take a value.": "L'option {name} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name} prend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère de début invalide pour une option ({option})",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Aborted!": "Abandon.",
    "unknown error": "erreur inconnue",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    # values
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Choice({choices})": "Choix({choices})",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas accepté (attendu : {range}).",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} n'est pas une valeur oui/non valide. Valeurs reconnues : {states}",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas modifiable.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} n'est pas exécutable.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} n'existe pas.",
    # prompts and terminal
    "Repeat for confirmation": "Confirmez",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies sont différentes.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Unknown color {colour!r}": "Couleur inconnue {colour!r}",
    "{editor}: Editing failed": "{editor} : échec de l'édition",
    "{editor}: Editing failed: {e}": "{editor} : échec de l'édition : {e}",
    "Unknown standard stream '{name}'": "Flux standard inconnu « {name} »",
    "Windows error: {error}": "Erreur Windows : {error}",
    "Couldn't detect Bash version, shell completion is not supported.": "Version de Bash inconnue : la complétion n'est pas disponible.",
    "Shell completion is not supported for Bash versions older than 4.4.": "La complétion demande Bash 4.4 ou plus récent.",
    # messages for programmers (a declaration error in Watcher's own code)
    "Could not determine name for option with declarations {decls!r}": "Nom d'option introuvable dans les déclarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?": "Aucune option déclarée mais un nom est donné ({name}) : un argument, ou « --{name} » ?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "Un argument prend exactement une déclaration, {length} données : {decls}.",
    "Name '{name}' defined twice": "Nom « {name} » défini deux fois",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "L'option oui/non {decl!r} ne peut pas utiliser le même drapeau pour oui et non.",
    "d": "j",
}

FR_PLURAL: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
    "Option {name!r} requires an argument.": (
        "L'option {name} demande une valeur.",
        "L'option {name} demande {nargs} valeurs.",
    ),
    "Takes {nargs} values but 1 was given.": (
        "Prend {nargs} valeurs mais 1 a été donnée.",
        "Prend {nargs} valeurs mais {len} ont été données.",
    ),
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire : {possibilities} ?)",  # commands or options
    ),
    "{value!r} is not {choice}.": (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est aucun de : {choices}.",
    ),
    "{value!r} does not match the format {format}.": (
        "{value!r} ne suit pas le format {format}.",
        "{value!r} ne suit aucun des formats {formats}.",
    ),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} valeurs sont demandées, {len_value} a été donnée.",
        "{len_type} valeurs sont demandées, {len_value} ont été données.",
    ),
}

# The names click's number types give themselves (in "… is not a valid {number_type}.")
TYPE_NAMES: dict[str, str] = {"integer": "entier", "float": "nombre"}

# Placeholders for the values of options whose type has only an English name
METAVARS: dict[type[click.ParamType], str] = {
    click.types.StringParamType: "TEXTE",
    click.types.IntParamType: "ENTIER",
    click.types.IntRange: "ENTIER",
    click.types.FloatParamType: "NOMBRE",
    click.types.FloatRange: "NOMBRE",
    click.types.BoolParamType: "OUI|NON",
    click.types.DateTime: "DATE",
    click.types.UUIDParameterType: "UUID",
    click.types.File: "FICHIER",
}


def range_fr(kind: click.types._NumberRangeBase) -> str:
    """A number type's bounds in words: « entre 0 et 4 », « au moins 1 », « plus de 0,1 »
    (click says « 0<=x<=4 », « x>=1 », in the help and in its error)."""
    if kind.min is not None and kind.max is not None and not (kind.min_open or kind.max_open):
        return f"entre {_number(kind.min)} et {_number(kind.max)}"
    bounds = []
    if kind.min is not None:
        bounds.append(f"{'plus de' if kind.min_open else 'au moins'} {_number(kind.min)}")
    if kind.max is not None:
        bounds.append(f"{'moins de' if kind.max_open else 'au plus'} {_number(kind.max)}")
    return " et ".join(bounds)


def _number(value: float) -> str:
    return str(value).replace(".", ",")


class FrenchIntRange(click.IntRange):
    def _describe_range(self) -> str:
        return range_fr(self)


class FrenchFloatRange(click.FloatRange):
    def _describe_range(self) -> str:
        return range_fr(self)


class French(gettext.NullTranslations):
    """Click's messages from :data:`FR` and :data:`FR_PLURAL` (English when one is missing)."""

    def gettext(self, message: str) -> str:
        return FR.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = FR_PLURAL.get(msgid1)
        if found is None:
            return msgid1 if n == 1 else msgid2
        return found[0] if n == 1 else found[1]


_FRENCH = French()
_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click._termui_impl",
    "click.utils",
    "click.shell_completion",
)


def install() -> None:
    """Make click's modules translate through the French catalogue (idempotent)."""
    import click.shell_completion  # noqa: F401  (not imported by `import click`)

    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        names = vars(module)
        if "_" in names:
            names["_"] = _FRENCH.gettext
        if "ngettext" in names:
            names["ngettext"] = _FRENCH.ngettext


def french_metavars(command: click.Command) -> None:
    """French value placeholders and usage words for ``command`` and its subcommands."""
    if isinstance(command, click.Group):
        if command.subcommand_metavar is None or command.subcommand_metavar.startswith("COMMAND"):
            command.subcommand_metavar = "COMMANDE [ARGUMENTS]..."
        for sub in command.commands.values():
            french_metavars(sub)
    for param in command.params:
        if type(param.type) is click.IntRange:  # its bounds in words (same attributes)
            param.type.__class__ = FrenchIntRange
        elif type(param.type) is click.FloatRange:
            param.type.__class__ = FrenchFloatRange
        if isinstance(param.type, click.types.IntParamType | click.types.FloatParamType):
            kind = "integer" if isinstance(param.type, click.types.IntParamType) else "float"
            param.type.name = TYPE_NAMES[kind]  # in « 'x' n'est pas un entier valide »
        if param.metavar is not None or isinstance(param, click.Argument):
            continue
        if isinstance(param, click.Option) and param.is_flag:
            continue
        metavar = METAVARS.get(type(param.type))
        if metavar is not None:
            param.metavar = metavar
