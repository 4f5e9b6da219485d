"""What a community's template may reach: only the documented variables.

Jinja2's sandbox is what keeps a template from escaping at run time; this reads the template first,
so that an admin who tries (or stumbles on) an attribute trick, an import or a method call gets a
clear reason, and the template is refused before it is ever rendered for a member.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from bot.domain import Tone
from bot.drafts.render import environment, template_variables
from bot.drafts.samples import sample_candidate, sample_interview

# Functions a template may call (Jinja2's own); every other call is refused.
CALLABLE_GLOBALS = frozenset({"range", "namespace"})
# Jinja2 globals that are no variable of ours.
FORBIDDEN_GLOBALS = frozenset({"cycler", "joiner", "lipsum", "dict", "self", "caller", "varargs", "kwargs"})
FORBIDDEN_FILTERS = frozenset({"attr"})


@lru_cache(maxsize=1)
def offered() -> dict[str, frozenset[str]]:
    """Each variable a template sees, with its fields (an empty set: a plain value)."""
    interview = sample_interview()
    variables = template_variables(interview, sample_candidate(), Tone.FORMAL, interview.interviewers[0],
                                   late=False, tz="UTC")
    return {name: frozenset(value) if isinstance(value, dict) else frozenset()
            for name, value in variables.items()}


def _attribute_name(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _offered_root(node: nodes.Node) -> str | None:
    """`interview.company` (a field of an offered variable) -> "interview.company"; else None."""
    name = _attribute_name(node)
    if name is None:
        return None
    target: Any = getattr(node, "node", None)
    if isinstance(target, nodes.Name) and target.ctx == "load" and target.name in offered():
        return f"{target.name}.{name}"
    return None


def _fields_hint(name: str) -> str:
    return ", ".join(f"{name}.{field}" for field in sorted(offered()[name]))


def reach_problems(source: str) -> list[str]:
    """Why the template reaches beyond the variables offered; empty when it does not. A syntax
    error is left to the full check, which names its line."""
    try:
        tree = environment().parse(source)
    except TemplateSyntaxError:
        return []
    except Exception:  # pragma: no cover - the parser raises only syntax errors
        return []
    problems: list[str] = []

    def add(problem: str) -> None:
        if problem not in problems:
            problems.append(problem)

    variables = offered()
    for stmt in tree.find_all((nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends)):
        what = {nodes.Import: "import", nodes.FromImport: "import", nodes.Include: "include",
                nodes.Extends: "extend"}[type(stmt)]
        add(f"Line {stmt.lineno}: a template cannot {what} other templates or modules; "
            "use only the variables offered.")
    for access in tree.find_all((nodes.Getattr, nodes.Getitem)):
        node: Any = access
        name = _attribute_name(node)
        if name is not None and name.startswith("_"):
            add(f'Line {node.lineno}: "{name}" is not allowed: a template sees only the variables offered '
                "(candidate, interview, interviewer, tone, others, late, variant) and their fields.")
            continue
        target: Any = node.node
        root = _offered_root(target)
        if name is not None and root is not None:
            add(f'Line {node.lineno}: "{name}" is not allowed on {root}: a template may print the variables '
                "offered and their fields, not reach into them.")
            continue
        if name is not None and isinstance(target, nodes.Name) and target.ctx == "load" \
                and target.name in variables and not variables[target.name]:
            add(f'Line {node.lineno}: {target.name} is a plain value with no field "{name}".')
            continue
        if name is not None and isinstance(target, nodes.Name) and target.ctx == "load" \
                and target.name in variables and variables[target.name] and name not in variables[target.name]:
            add(f'Line {node.lineno}: {target.name} has no field "{name}". Its fields: {_fields_hint(target.name)}.')
    for call in tree.find_all(nodes.Call):
        node = call
        callee: Any = node.node
        if isinstance(callee, nodes.Name) and callee.name in CALLABLE_GLOBALS:
            continue
        if isinstance(callee, nodes.Getattr) and isinstance(callee.node, nodes.Name) and callee.node.name == "loop":
            continue
        add(f"Line {node.lineno}: a template cannot call functions or methods; use a filter instead, "
            "e.g. {{ interview.company | upper }}.")
    for name_node in tree.find_all(nodes.Name):
        node = name_node
        if node.ctx == "load" and node.name in FORBIDDEN_GLOBALS:
            add(f'Line {node.lineno}: "{node.name}" is not one of the variables offered '
                "(candidate, interview, interviewer, tone, others, late, variant).")
    for filter_or_test in tree.find_all((nodes.Filter, nodes.Test)):
        node = filter_or_test
        if isinstance(node, nodes.Filter) and node.name in FORBIDDEN_FILTERS:
            add(f'Line {node.lineno}: the "{node.name}" filter is not allowed; write interview.company and the like.')
        for kwarg in node.kwargs:
            if isinstance(kwarg.value, nodes.Const) and isinstance(kwarg.value.value, str) \
                    and kwarg.value.value.startswith("_"):
                add(f'Line {node.lineno}: "{kwarg.value.value}" is not allowed in a template.')
    return problems


__all__ = ["offered", "reach_problems"]
