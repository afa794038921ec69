"""The tool registry: conf/tools/*.yaml checked as a whole, the tools in OpenAI's form, arguments checked.

    registry = Registry(cfg.tools)                   # cfg: a RunConfig; ToolsConfig already checked it
    registry.schemas()                               # [{"type": "function", "function": {name, description, ...}}]
    registry.tool_for("track_order")                 # the ToolSpec an intent needs, or None (no lookup)
    registry.argument_problems("track_order", {"order_number": 5})   # ["order_number must be a string"]

The intent -> tool mapping is data: each tool lists its intents, and an intent no tool lists needs no call.
`check_registry` runs at the typed boundary (ToolsConfig.__post_init__), before any model or data loads, and
names the file, the tool, the problem and the fix.

Arguments are checked against the JSON-schema subset the registry uses: `type: object` with `properties`
(each of type string, number, integer or boolean, optionally an `enum`), `required`, and `anyOf` of
`{required: [...]}` for "one of these" (get_invoice: an invoice number, an order number or a name). An argument
that is not a property is a problem too: the model made it up.
"""

from __future__ import annotations

import difflib
import re
import string
from typing import Any

from supportbot.config import ToolsConfig, ToolSpec
from supportbot.errors import ConfigError

JSON_TYPES = {"string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,)}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _problem(cfg: ToolsConfig, where: str, problem: str, fix: str) -> ConfigError:
    return ConfigError(f"conf/tools/{cfg.name}.yaml: {where}: {problem}. Fix it in that file: {fix}.")


def _suggest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def check_registry(cfg: ToolsConfig) -> None:
    """Every rule the rest of the code relies on; the first broken one raises ConfigError with its fix."""
    from supportbot.data.values import slot_role
    from supportbot.tools.store import HANDLERS

    if not cfg.intents:
        raise _problem(cfg, "intents", "the registry lists no intents", "list every intent of the data under "
                       "`intents:` (those no tool names need no lookup)")
    served: dict[str, str] = {}
    names: set[str] = set()
    for tool in cfg.tools:
        where = f"tool {tool.name!r}"
        if not NAME.fullmatch(tool.name):
            raise _problem(cfg, where, "a tool name is letters, digits and underscores (what the model calls)",
                           "rename it, e.g. track_order")
        if tool.name in names:
            raise _problem(cfg, where, "two tools have this name", "rename or remove one of them")
        names.add(tool.name)
        if not tool.intents:
            raise _problem(cfg, where, "it names no intent, so no conversation would ever call it",
                           "list the intents it serves under its `intents:`")
        for intent in tool.intents:
            if intent not in cfg.intents:
                raise _problem(cfg, where, f"it names the unknown intent {intent!r}",
                               f"{_suggest(intent, cfg.intents)}use one of `intents:` or add {intent!r} there")
            if intent in served:
                raise _problem(cfg, where, f"intent {intent!r} is already served by tool {served[intent]!r}",
                               "an intent needs one tool: remove it from one of the two")
            served[intent] = tool.name
        _check_parameters(cfg, tool, slot_role)
        handler = tool.handler or tool.name
        if handler not in HANDLERS:
            raise _problem(cfg, where, f"no handler {handler!r} in supportbot/tools/store.py runs it",
                           f"{_suggest(handler, list(HANDLERS))}set `handler:` to one of "
                           f"{', '.join(sorted(HANDLERS))}, or add a handler there")
        for status in HANDLERS[handler].statuses:
            if not tool.answers.get(status):
                raise _problem(cfg, where, f"no answer for the result status {status!r} (handler {handler!r} "
                               f"returns {', '.join(HANDLERS[handler].statuses)})",
                               f"add `answers: {{{status}: [\"...\"]}}` using the result's fields")
        for status, templates in tool.answers.items():
            for template in templates:
                try:
                    list(string.Formatter().parse(template))
                except ValueError as error:
                    raise _problem(cfg, f"{where}, answers.{status}", f"{template!r} is not a valid answer "
                                   f"template ({error})", "write fields as {field} and a brace as {{ or }}") from None


def _check_parameters(cfg: ToolsConfig, tool: ToolSpec, slot_role) -> None:
    where = f"tool {tool.name!r}, parameters"
    schema = tool.parameters
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict) or not schema["properties"]:
        raise _problem(cfg, where, "parameters must be a JSON schema `type: object` with `properties`",
                       "write `parameters: {type: object, properties: {order_number: {type: string}}, "
                       "required: [order_number]}`")
    properties = schema["properties"]
    for name, spec in properties.items():
        if not isinstance(spec, dict) or spec.get("type") not in JSON_TYPES:
            raise _problem(cfg, f"{where}.properties.{name}", f"its type must be one of {', '.join(JSON_TYPES)}",
                           f"write `{name}: {{type: string, description: ...}}`")
    groups = [("required", schema.get("required", []))]
    groups += [(f"anyOf[{index}].required", option.get("required", []))
               for index, option in enumerate(schema.get("anyOf", []))]
    for key, required in groups:
        for name in required:
            if name not in properties:
                raise _problem(cfg, f"{where}.{key}", f"the required parameter {name!r} is not in `properties`",
                               f"{_suggest(name, list(properties))}add {name!r} to `properties` with its type, or "
                               "remove it from the required list")
    for name, slot in tool.slots.items():
        if name not in properties:
            raise _problem(cfg, f"tool {tool.name!r}, slots", f"{name!r} is not one of its parameters",
                           f"{_suggest(name, list(properties))}map a parameter of `properties` to a slot")
        if slot_role(slot) != "customer":
            raise _problem(cfg, f"tool {tool.name!r}, slots.{name}", f"{slot!r} is a {slot_role(slot)} slot, not a "
                           "value the customer gives", "name a customer slot such as Order Number or Invoice Number")
    for name in schema.get("required", []):
        if name not in tool.slots and properties[name]["type"] != "string":
            raise _problem(cfg, f"tool {tool.name!r}, slots", f"the required parameter {name!r} has no slot, and only "
                           "a string can be filled with the customer's request itself",
                           f"add `slots: {{{name}: <the slot that holds it>}}`")


class Registry:
    """The checked registry, as the data pipeline, the formats and the chat use it."""

    def __init__(self, cfg: ToolsConfig):
        self.cfg = cfg
        self.tools = {tool.name: tool for tool in cfg.tools}
        self._by_intent = {intent: tool for tool in cfg.tools for intent in tool.intents}

    def __bool__(self) -> bool:
        return bool(self.tools)

    def tool_for(self, intent: str | None) -> ToolSpec | None:
        return self._by_intent.get(intent or "")

    def handler(self, name: str) -> str:
        return self.tools[name].handler or name

    def schemas(self) -> list[dict[str, Any]]:
        """The tools as chat templates and OpenAI-style servers take them (`tools=`)."""
        return [{"type": "function", "function": {"name": tool.name, "description": tool.description,
                                                  "parameters": tool.parameters}} for tool in self.cfg.tools]

    def argument_problems(self, name: str, arguments: Any) -> list[str]:
        """What is wrong with a call's arguments under its tool's schema; [] when they fit."""
        if name not in self.tools:
            return [f"there is no tool {name!r}"]
        if not isinstance(arguments, dict):
            return ["the arguments are not a JSON object"]
        schema = self.tools[name].parameters
        properties = schema["properties"]
        problems = [f"{key} is not a parameter of {name}" for key in arguments if key not in properties]
        for key, value in arguments.items():
            spec = properties.get(key)
            if spec is None:
                continue
            types = JSON_TYPES[spec["type"]]
            if not isinstance(value, types) or (isinstance(value, bool) and spec["type"] != "boolean"):
                problems.append(f"{key} must be a {spec['type']}")
            elif "enum" in spec and value not in spec["enum"]:
                problems.append(f"{key} must be one of {', '.join(map(str, spec['enum']))}")
        present = {key for key, value in arguments.items() if value not in (None, "")}
        if not any(all(key in present for key in option) for option in self.alternatives(name)):
            problems.append("missing " + " or ".join(", ".join(key for key in option if key not in present)
                                                     for option in self.alternatives(name)))
        return problems

    def missing(self, name: str, present: set[str]) -> list[str]:
        """The parameters still needed for a call, given those present: every `required` one, and for `anyOf`
        the first option's when none is satisfied. [] when the call can be made."""
        schema = self.tools[name].parameters
        needed = [key for key in schema.get("required", []) if key not in present]
        options = [option.get("required", []) for option in schema.get("anyOf", [])]
        if options and not any(all(key in present for key in option) for option in options):
            needed += [key for key in options[0] if key not in present and key not in needed]
        return needed

    def alternatives(self, name: str) -> list[list[str]]:
        """The ways to satisfy the schema: [required] or each anyOf option (with `required` added)."""
        schema = self.tools[name].parameters
        required = list(schema.get("required", []))
        options = [option.get("required", []) for option in schema.get("anyOf", [])]
        return [required + [key for key in option if key not in required] for option in options] or [required]
