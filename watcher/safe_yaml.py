"""The one way Watcher reads YAML written by a user (sources.yml, assessment grids…).

PyYAML's ``safe_load`` builds no arbitrary Python objects, but it still expands aliases: a few
hundred bytes of nested ``&a [*b, *b, …]`` become gigabytes of lists (a "billion laughs").
:func:`load_yaml` refuses any alias *while composing the document*, before a single object is
built, and also refuses a key given twice (PyYAML silently keeps the last one) and absurdly
deep nesting. Every failure is a :class:`YamlError` whose message is in French and says where
(line, column), what is wrong and what to do.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node

from watcher.errors import WatcherError

__all__ = ["MAX_DEPTH", "YamlError", "load_yaml"]

MAX_DEPTH = 64  # nested lists/dictionaries; sources.yml needs about 5

ALIAS_ADVICE = (
    "les ancres et alias YAML (&nom, *nom, <<: *nom) ne sont pas acceptés : écrivez chaque "
    "valeur en entier"
)


class YamlError(WatcherError, ValueError):
    """A YAML text Watcher cannot use; ``str()`` is a French sentence naming the file."""

    def __init__(
        self, source: str, problem: str, advice: str, line: int | None, column: int | None
    ) -> None:
        self.source = source
        self.problem = problem
        self.advice = advice
        self.line = line  # 1-based, None when the whole file is concerned
        self.column = column
        super().__init__(self.describe())

    @property
    def where(self) -> str:
        if self.line is None:
            return "(fichier)"
        return f"ligne {self.line}, colonne {self.column}"

    def describe(self, *, with_source: bool = True) -> str:
        head = f"{self.source}, {self.where}" if with_source else self.where
        return f"{head} : {self.problem} — {self.advice}."


class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, advice: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.advice = advice
        self.problem_mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases, without duplicate keys, with a nesting limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused("alias YAML refusé", ALIAS_ADVICE, event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(
                    f"plus de {MAX_DEPTH} niveaux de listes ou de dictionnaires imbriqués",
                    "simplifiez la structure du fichier",
                    self.peek_event().start_mark,
                )
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


def _unique_mapping(loader: _Loader, node: MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in seen
        except TypeError:  # a list or a dictionary as a key
            raise _Refused(
                "une clé ne peut pas être une liste ou un dictionnaire",
                "écrivez la clé comme un simple mot suivi de « : »",
                key_node.start_mark,
            ) from None
        if duplicate:
            raise _Refused(
                f"clé « {key} » en double",
                "gardez une seule fois cette clé dans ce bloc (PyYAML garderait la dernière "
                "sans rien dire)",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)

_INDENT_ADVICE = (
    "vérifiez l'indentation de cette ligne et de la précédente : des espaces (jamais de "
    "tabulation), le même nombre pour les éléments d'un même bloc"
)

# PyYAML's English problems (with their context, when it tells them apart) → French.
_PROBLEMS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), problem, advice)
    for pattern, problem, advice in (
        (
            r"found character '\\t' that cannot start any token|found a tab character",
            "tabulation dans l'indentation",
            "YAML n'accepte que des espaces pour indenter : remplacez chaque tabulation par "
            "des espaces (2 par niveau)",
        ),
        (
            r"found character '(.)' that cannot start any token",
            "caractère « {0} » impossible en début de valeur",
            'mettez la valeur entre guillemets, par exemple : "{0}…"',
        ),
        (
            r"mapping values are not allowed here",
            "deux-points « : » inattendu",
            "une valeur qui contient « : » doit être entre guillemets "
            '(title: "Note : suite") ; sinon, ' + _INDENT_ADVICE,
        ),
        (
            r"could not find expected ':'",
            "« : » attendu après une clé",
            "chaque ligne d'un bloc s'écrit « clé: valeur » ; vérifiez aussi qu'aucun "
            "guillemet n'est resté ouvert",
        ),
        (
            r"while scanning a quoted scalar.*found unexpected end of stream",
            "guillemet jamais refermé",
            "refermez la chaîne ouverte à cet endroit par le même guillemet",
        ),
        (
            r"found unknown escape character '(.)'",
            "séquence « \\{0} » inconnue entre guillemets doubles",
            "entre guillemets doubles, « \\ » commence un code spécial : écrivez « \\\\ », ou "
            "mettez la valeur entre guillemets simples ('…')",
        ),
        (
            r"expected ',' or '\]'",
            "liste entre crochets [ ] mal fermée",
            "séparez les éléments par des virgules, fermez la liste par « ] » avant la clé "
            "suivante, et mettez entre guillemets un élément qui contient « : »",
        ),
        (
            r"expected ',' or '\}'",
            "dictionnaire entre accolades { } mal fermé",
            "séparez les paires « clé: valeur » par des virgules, fermez par « } », et mettez "
            "entre guillemets une valeur qui contient « : »",
        ),
        (
            r"while scanning a block scalar",
            "bloc de texte (| ou >) mal écrit",
            "après « | » ou « > », passez à la ligne et indentez le texte",
        ),
        (
            r"could not determine a constructor for the tag '([^']*)'",
            "étiquette YAML « {0} » non acceptée",
            "retirez l'étiquette (ce qui commence par « ! ») : Watcher ne lit que des textes, "
            "des nombres, des listes et des dictionnaires",
        ),
        (
            r"found undefined alias|found duplicate anchor|while scanning an (alias|anchor)",
            "alias YAML refusé",
            ALIAS_ADVICE,
        ),
        (
            r"expected <block end>|did not find expected key|did not find expected '-'",
            "indentation incohérente",
            _INDENT_ADVICE,
        ),
        (
            r"expected the node content|expected a comment or a line break",
            "valeur mal formée",
            "une valeur qui commence par un caractère spécial ([ ] { } , # & * ! | > ' \" % "
            "@ `) ou qui continue après des guillemets doit être mise entre guillemets",
        ),
        (
            r"unacceptable character|special characters are not allowed",
            "caractère de contrôle interdit",
            "retirez ce caractère invisible (copié-collé d'un traitement de texte ?)",
        ),
    )
)


def _french(exc: yaml.YAMLError) -> tuple[str, str]:
    if isinstance(exc, _Refused):
        return exc.problem, exc.advice
    context = str(getattr(exc, "context", None) or "")
    problem = str(getattr(exc, "problem", None) or exc)
    text = f"{context}\n{problem}"
    for pattern, french, advice in _PROBLEMS:
        found = pattern.search(text)
        if found:
            if not pattern.groups:
                return french, advice
            groups = [g or "" for g in found.groups()]
            return french.format(*groups), advice.format(*groups)
    return (
        f"syntaxe YAML invalide (détail technique : {problem})",
        _INDENT_ADVICE + " ; et mettez entre guillemets les valeurs qui contiennent « : » ou « # »",
    )


_WORD_END = re.compile(r"""[^\s'",\]\}#]*""")


def _closed_too_early(text: str, exc: yaml.YAMLError) -> tuple[str, str, int] | None:
    """Text glued after a quote that closed a quoted value — in French, most often the
    apostrophe of « l'actualité » inside '…': the problem, the advice and the quote's column
    (0-based); None for any other error."""
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", None) or "")
    if mark is None or "'<scalar>'" not in problem:
        return None
    line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    quote = line[mark.column - 1] if 0 < mark.column <= len(line) else ""
    if quote not in ("'", '"'):
        return None
    before = re.search(r"""[^\s'"\[\{,]*$""", line[: mark.column - 1])
    after = _WORD_END.match(line, mark.column)
    word = (before.group(0) if before else "") + quote + (after.group(0) if after else "")
    if quote == "'":
        return (
            f"l'apostrophe de « {word} » ferme le texte ouvert par « ' »",
            f"dans un texte entre guillemets simples, doublez chaque apostrophe "
            f"('{word.replace(chr(39), chr(39) * 2)}') ou mettez le texte entre guillemets "
            f'doubles ("{word}")',
            mark.column - 1,
        )
    return (
        f'le guillemet de « {word} » ferme le texte ouvert par « " »',
        'dans un texte entre guillemets doubles, un guillemet ferme le texte : écrivez-le \\" '
        "ou mettez le texte entre guillemets simples ('…\"…'), ou utilisez « »",
        mark.column - 1,
    )


def load_yaml(text: str, source: str) -> Any:
    """The data of the YAML ``text``; ``source`` names it in errors (a path, « la grille »).

    Raises :class:`YamlError` (French, with line and column) for a syntax error, an alias or
    anchor, a duplicate key, a non-scalar key, an unknown tag or nesting deeper than
    :data:`MAX_DEPTH`."""
    try:
        loader = _Loader(text)  # reading the text refuses its control characters already
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        at_line, at_column = before.count("\n") + 1, exc.position - before.rfind("\n")
        problem, advice = _french(exc)
        raise YamlError(source, problem, advice, at_line, at_column) from None
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        problem, advice = _french(exc)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        quoted = _closed_too_early(text, exc)
        if quoted is not None:
            problem, advice, at = quoted
            column = at + 1
        raise YamlError(source, problem, advice, line, column) from None
    finally:
        loader.dispose()


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any, **options: Any) -> str:
    """YAML that :func:`load_yaml` reads back: an object met twice is written out twice, never
    as an anchor and an alias (which it refuses)."""
    return yaml.dump(data, Dumper=_NoAliasDumper, allow_unicode=True, **options)
