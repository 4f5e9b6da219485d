"""A local fake of the Slack Web API (and of Socket Mode's WebSocket), on 127.0.0.1 only.

It records every call, answers like Slack (ok, channel ids, message ts, view ids), rejects what
Slack rejects (Block Kit limits, missing required arguments) with Slack's error JSON, and answers
429 with Retry-After when a test asks it to. Message state is kept per channel, so a test can see
what the user sees (chat.update and response_url replacements included).
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, BlockElement

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
URL_CHARS = 3000
MODAL_TITLE = 24
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BLOCK_ID = 255
ACTION_ID = 255
PLACEHOLDER = 150
INPUT_LABEL = 2000
PRIVATE_METADATA = 3000
MESSAGE_TEXT = 40_000
RESPONSE_URL_USES = 5
RESPONSE_URL_SECONDS = 30 * 60


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    history: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None


def _text_obj(obj: Any, where: str, limit: int, problems: list[str], plain_only: bool = False) -> None:
    if not isinstance(obj, dict):
        problems.append(f"{where}: must be a text object")
        return
    kind = obj.get("type")
    if kind not in ("plain_text", "mrkdwn") or (plain_only and kind != "plain_text"):
        problems.append(f"{where}: wrong text type {kind!r}")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        problems.append(f"{where}: text is required")
    elif len(text) > limit:
        problems.append(f"{where}: must be less than {limit + 1} characters")


def _element(el: Any, where: str, problems: list[str]) -> None:
    if not isinstance(el, dict):
        problems.append(f"{where}: not an object")
        return
    kind = el.get("type")
    if kind == "button":
        _text_obj(el.get("text"), f"{where}.text", BUTTON_TEXT, problems, plain_only=True)
        if "action_id" in el and len(str(el["action_id"])) > ACTION_ID:
            problems.append(f"{where}.action_id too long")
        if "value" in el and len(str(el["value"])) > BUTTON_VALUE:
            problems.append(f"{where}.value too long")
        if "url" in el and len(str(el["url"])) > URL_CHARS:
            problems.append(f"{where}.url too long")
        if el.get("style") not in (None, "primary", "danger"):
            problems.append(f"{where}.style invalid")
        if "accessibility_label" in el and not 0 < len(str(el["accessibility_label"])) <= BUTTON_TEXT:
            problems.append(f"{where}.accessibility_label must be 1 to {BUTTON_TEXT} characters")
    elif kind == "datetimepicker":
        if "initial_date_time" in el and not isinstance(el["initial_date_time"], int):
            problems.append(f"{where}.initial_date_time must be a UNIX timestamp")
    elif kind == "datepicker":
        if "initial_date" in el and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(el["initial_date"])):
            problems.append(f"{where}.initial_date must be YYYY-MM-DD")
    elif kind == "plain_text_input":
        if "placeholder" in el:
            _text_obj(el["placeholder"], f"{where}.placeholder", PLACEHOLDER, problems, plain_only=True)
        if len(str(el.get("initial_value", ""))) > 3000:
            problems.append(f"{where}.initial_value too long")
    elif kind in ("overflow", "static_select", "users_select"):
        pass
    else:
        problems.append(f"{where}: unknown element type {kind!r}")


def _sdk_problems(obj: JsonObject, where: str, problems: list[str]) -> None:
    """slack-sdk's Block Kit models' own checks, on the object and everything in it."""
    try:
        obj.validate_json()
    except SlackObjectFormationError as error:
        problems.append(f"{where}: {error}")
    for name, value in vars(obj).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, JsonObject):
                _sdk_problems(item, f"{where}/{name}", problems)


def sdk_block_problems(blocks: list[Any]) -> list[str]:
    """What slack-sdk's Block Kit models say about these blocks: each parsed (an unknown type is
    a problem) and validated with its elements."""
    problems: list[str] = []
    for i, raw in enumerate(blocks):
        parsed = Block.parse(raw) if isinstance(raw, dict) else None
        if parsed is None:
            problems.append(f"/blocks/{i}: not a block slack-sdk knows")
            continue
        _sdk_problems(parsed, f"/blocks/{i}", problems)
        for key in ("accessory", "element"):
            if isinstance(raw.get(key), dict):
                element = BlockElement.parse(raw[key])
                if element is None:
                    problems.append(f"/blocks/{i}/{key}: not an element slack-sdk knows")
                else:
                    _sdk_problems(element, f"/blocks/{i}/{key}", problems)
        if raw.get("type") == "image" and not str(raw.get("alt_text") or "").strip():
            problems.append(f"/blocks/{i}/alt_text: an image needs alt text")
    return problems


def validate_blocks(blocks: Any, limit: int) -> list[str]:
    """What Slack would say is wrong with these blocks (an empty list: nothing): its limits, and
    slack-sdk's Block Kit models' checks."""
    problems: list[str] = []
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [json-pointer:/blocks]")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"/blocks/{i}"
        if not isinstance(block, dict):
            problems.append(f"{where}: not an object")
            continue
        bid = block.get("block_id")
        if bid is not None:
            if len(str(bid)) > BLOCK_ID:
                problems.append(f"{where}/block_id too long")
            if bid in block_ids:
                problems.append(f"{where}/block_id duplicated")
            block_ids.add(str(bid))
        kind = block.get("type")
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append(f"{where}: text or fields required")
            if "text" in block:
                _text_obj(block["text"], f"{where}/text", SECTION_TEXT, problems)
            if "accessory" in block:
                _element(block["accessory"], f"{where}/accessory", problems)
        elif kind == "header":
            _text_obj(block.get("text"), f"{where}/text", HEADER_TEXT, problems, plain_only=True)
        elif kind == "divider":
            pass
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements or len(elements) > CONTEXT_ELEMENTS:
                problems.append(f"{where}/elements: 1 to {CONTEXT_ELEMENTS} required")
            else:
                for j, el in enumerate(elements):
                    _text_obj(el, f"{where}/elements/{j}", SECTION_TEXT, problems)
        elif kind == "actions":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements or len(elements) > ACTIONS_ELEMENTS:
                problems.append(f"{where}/elements: 1 to {ACTIONS_ELEMENTS} required")
            else:
                ids: set[str] = set()
                for j, el in enumerate(elements):
                    _element(el, f"{where}/elements/{j}", problems)
                    aid = el.get("action_id") if isinstance(el, dict) else None
                    if aid is not None:
                        if aid in ids:
                            problems.append(f"{where}/elements/{j}/action_id duplicated")
                        ids.add(aid)
        elif kind == "input":
            _text_obj(block.get("label"), f"{where}/label", INPUT_LABEL, problems, plain_only=True)
            if "element" not in block:
                problems.append(f"{where}/element required")
            else:
                _element(block["element"], f"{where}/element", problems)
        elif kind == "image":
            if not str(block.get("alt_text") or "").strip():
                problems.append(f"{where}/alt_text required")
        else:
            problems.append(f"{where}: unknown block type {kind!r}")
    if not problems:
        problems.extend(sdk_block_problems(blocks))
    return problems


def validate_view(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["view must be an object"]
    problems: list[str] = []
    kind = view.get("type")
    if kind == "modal":
        _text_obj(view.get("title"), "/view/title", MODAL_TITLE, problems, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                _text_obj(view[key], f"/view/{key}", MODAL_TITLE, problems, plain_only=True)
        inputs = any(b.get("type") == "input" for b in view.get("blocks", []) if isinstance(b, dict))
        if inputs and "submit" not in view:
            problems.append("/view/submit required with inputs")
    elif kind != "home":
        problems.append(f"/view/type invalid {kind!r}")
    if len(str(view.get("private_metadata", ""))) > PRIVATE_METADATA:
        problems.append("/view/private_metadata too long")
    problems.extend(validate_blocks(view.get("blocks", []), VIEW_BLOCKS))
    return problems


def _valid_metadata(meta: Any) -> bool:
    """Slack's message metadata: an event_type of letters, digits and underscores, and an
    event_payload object."""
    return (isinstance(meta, dict) and isinstance(meta.get("event_type"), str)
            and re.fullmatch(r"[A-Za-z0-9_]{1,255}", meta["event_type"]) is not None
            and isinstance(meta.get("event_payload"), dict))


def _json_field(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeSlack:
    """The fake server. `url` is the Web API base (for SLACK_API_URL / base_url)."""

    def __init__(self, team: str = "T0001", bot_user: str = "UBOT") -> None:
        self.team = team
        self.bot_user = bot_user
        # Enterprise Grid: the org the app installs into org-wide (None: a plain workspace), the
        # workspaces granted to it, and which workspaces each installed token reaches.
        self.enterprise: str | None = None
        self.org_teams: list[str] = []
        self.token_teams: dict[str, set[str]] = {}
        self.usergroups: dict[str, dict[str, Any]] = {}
        self._alt_texts: dict[str, str | None] = {}  # id -> {"id", "handle", "users"}
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # posts to response_url, with their key
        self._response_urls_issued: dict[str, float] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[Message]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home: dict[str, dict[str, Any]] = {}  # user -> published home view
        self.uploads: dict[str, bytes] = {}
        self.files: list[dict[str, Any]] = []
        self._rate_limits: dict[str, list[float]] = {}
        self._failures: dict[str, list[str]] = {}
        self._delays: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_connected = asyncio.Event()
        self.socket_replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.socket_opens = 0

    # ---- test controls --------------------------------------------------------------------
    def add_user(self, user: str, tz: str = "America/New_York", *, admin: bool = False, name: str = "Sam Lee",
                 deleted: bool = False, team: str | None = None) -> None:
        self.users[user] = {
            "id": user, "team_id": team or self.team, "name": name.lower().replace(" ", "."), "real_name": name,
            "tz": tz, "is_admin": admin, "is_owner": False, "deleted": deleted,
            "profile": {"real_name": name, "display_name": name.split()[0]},
        }

    def rate_limit(self, method: str, times: int = 1, retry_after: float = 2, after: int = 0) -> None:
        """The next `times` calls of `method` (after `after` more that succeed) get 429 with
        Retry-After."""
        self._rate_limits.setdefault(method, []).extend([0.0] * after + [retry_after] * times)

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """The next `times` calls of `method` get {"ok": false, "error": error}."""
        self._failures.setdefault(method, []).extend([error] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Every call of `method` answers `seconds` late (0: on time again)."""
        self._delays[method] = seconds

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def dm_channel(self, user: str) -> str:
        return f"D{user}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str) -> str:
        self._response_urls_issued.setdefault(key, time.monotonic())
        return f"http://127.0.0.1:{self.port}/response/{key}"

    def responses_to(self, key: str) -> list[dict[str, Any]]:
        return [r for r in self.responses if r["key"] == key]

    # ---- server ----------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlack:
        """`async with FakeSlack(...) as fake:` serves on a free port until the block ends."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            raw = await request.read()
            ctype = request.content_type
            if ctype == "application/json":
                args.update(json.loads(raw or b"{}"))
            elif ctype == "application/x-www-form-urlencoded":
                args.update(dict(parse_qsl(raw.decode())))
            elif ctype.startswith("multipart/"):
                pass
        for key in ("blocks", "view", "files", "attachments", "metadata"):
            if key in args:
                args[key] = _json_field(args[key])
        return args

    @staticmethod
    def _error(error: str, status: int = 200, messages: list[str] | None = None,
               headers: dict[str, str] | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error": error}
        if messages:
            body["errors"] = messages
            body["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}
        return web.json_response(body, status=status, headers=headers)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else args.get("token")
        self.calls.append(Call(method, args, token))
        if self._delays.get(method):
            await asyncio.sleep(self._delays[method])
        if self._rate_limits.get(method):
            retry_after = self._rate_limits[method].pop(0)
            if retry_after:
                return self._error("ratelimited", 429, headers={"Retry-After": str(int(retry_after))})
        if self._failures.get(method):
            return self._error(self._failures[method].pop(0))
        if method not in ("oauth.v2.access",) and not token:
            return self._error("not_authed")
        if method == "apps.connections.open":
            if not str(token).startswith("xapp-"):
                return self._error("invalid_auth")
        elif method != "oauth.v2.access" and not str(token).startswith("xoxb-"):
            return self._error("invalid_auth")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return self._error("unknown_method")
        if token in self.token_teams and not self._reaches(str(token), args):
            return self._error("user_not_found")
        if "token" in inspect.signature(handler).parameters:
            return await handler(args, token=token)  # type: ignore[no-any-return]
        result: web.Response = await handler(args)
        return result

    def _reaches(self, token: str, args: dict[str, Any]) -> bool:
        """An org-wide token reaches the users of the workspaces granted to it, no others."""
        user = self.users.get(str(args.get("users") or args.get("user") or ""))
        return user is None or user["team_id"] in self.token_teams[token]

    # ---- methods ------------------------------------------------------------------------------
    def add_usergroup(self, group_id: str, handle: str, users: list[str]) -> None:
        self.usergroups[group_id] = {"id": group_id, "team_id": self.team, "handle": handle,
                                     "name": handle.replace("-", " ").title(), "date_delete": 0, "users": list(users)}

    def dm_event(self, user: str, text: str, *, subtype: str | None = None, bot: bool = False,
                 thread_ts: str | None = None) -> dict[str, Any]:
        """What the Events API sends the app for a message in `user`'s DM with it (`message.im`)."""
        n = next(self._ids)
        ts = f"1700000100.{n:06d}"
        event: dict[str, Any] = {"type": "message", "channel": self.dm_channel(user), "channel_type": "im",
                                 "user": self.bot_user if bot else user, "text": text, "ts": ts, "event_ts": ts,
                                 "team": self.team}
        if bot:
            event["bot_id"] = "B0001"
        if subtype is not None:
            event["subtype"] = subtype
            if subtype == "message_changed":
                event = {"type": "message", "subtype": subtype, "channel": self.dm_channel(user),
                         "channel_type": "im", "hidden": True, "ts": ts, "event_ts": ts,
                         "message": {"type": "message", "user": user, "text": text, "ts": ts,
                                     "edited": {"user": user, "ts": ts}}}
        if thread_ts is not None:
            event["thread_ts"] = thread_ts
        return {"token": "legacy-unused", "team_id": self.team, "api_app_id": "A0001", "type": "event_callback",
                "event_id": f"Ev{n:08d}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": self.team, "user_id": self.bot_user, "is_bot": True}]}

    def view_submission(self, view: dict[str, Any], user: str, answers: dict[str, Any]) -> dict[str, Any]:
        """The `view_submission` payload Slack sends when `user` fills in the modal `view` (as
        Slack holds it) with `answers` (block id -> typed text, a UNIX time for a date-time
        picker, `YYYY-MM-DD` for a date picker) and presses its submit button. Slack itself
        refuses to submit a required input left empty: so does this."""
        # the view as Slack holds it: by its id, else the newest one opened with the same metadata
        stored = self.views.get(str(view.get("id"))) or next(
            (v for v in reversed(list(self.views.values())) if v.get("private_metadata") == view.get("private_metadata")
             and v.get("callback_id") == view.get("callback_id")), None)
        stored = stored or view
        state: dict[str, Any] = {}
        for block in stored.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block["element"]
            answer = answers.get(block["block_id"], element.get("initial_value"))
            if answer in (None, "") and not block.get("optional"):
                raise ValueError(f"Slack keeps the form open: {block['block_id']} is required")
            if element["type"] == "datetimepicker":
                value: dict[str, Any] = {"type": "datetimepicker", "selected_date_time": answer}
            elif element["type"] == "datepicker":
                value = {"type": "datepicker", "selected_date": answer}
            else:
                value = {"type": element["type"], "value": answer if answer not in ("", None) else None}
            state[block["block_id"]] = {element["action_id"]: value}
        n = next(self._ids)
        return {"type": "view_submission", "team": {"id": self.team, "domain": "careers"},
                "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team},
                "api_app_id": "A0001", "token": "legacy-unused", "trigger_id": f"trigger.view.{n}.{user}",
                "view": {**stored, "state": {"values": state}}, "response_urls": [],
                "is_enterprise_install": False, "enterprise": None}

    def install_org_wide(self, enterprise: str, teams: list[str]) -> None:
        """The next OAuth install is an org-wide install on Enterprise Grid `enterprise`, granted
        to `teams`."""
        self.enterprise, self.org_teams = enterprise, list(teams)

    async def _m_auth_test(self, args: dict[str, Any], token: str | None = None) -> web.Response:
        if token in self.token_teams and self.enterprise is not None:
            return web.json_response({"ok": True, "url": "https://org.enterprise.fake.slack.example/",
                                      "team": "Career Center Org", "user": "followthrough", "team_id": self.enterprise,
                                      "user_id": self.bot_user, "bot_id": "B0001", "enterprise_id": self.enterprise,
                                      "is_enterprise_install": True})
        return web.json_response({"ok": True, "url": "https://fake.slack.example/", "team": "Career Center",
                                  "user": "followthrough", "team_id": self.team, "user_id": self.bot_user,
                                  "bot_id": "B0001", "is_enterprise_install": False})

    async def _m_auth_teams_list(self, args: dict[str, Any], token: str | None = None) -> web.Response:
        if token not in self.token_teams:
            return web.json_response({"ok": True, "teams": [], "response_metadata": {"next_cursor": ""}})
        teams = sorted(self.token_teams[str(token)])
        limit = int(args.get("limit") or 100)
        start = int(args.get("cursor") or 0)
        page = teams[start:start + limit]
        more = str(start + limit) if start + limit < len(teams) else ""
        return web.json_response({"ok": True, "teams": [{"id": t, "name": f"Workspace {t}"} for t in page],
                                  "response_metadata": {"next_cursor": more}})

    async def _m_users_info(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(str(args.get("user", "")))
        if user is None:
            return self._error("user_not_found")
        if str(args.get("include_locale", "")).lower() in ("1", "true"):
            user = {**user, "locale": user.get("locale", "en-US")}
        else:
            user = {k: v for k, v in user.items() if k != "locale"}
        return web.json_response({"ok": True, "user": user})

    async def _m_usergroups_list(self, args: dict[str, Any]) -> web.Response:
        groups = [{k: v for k, v in g.items() if k != "users"} for g in self.usergroups.values()]
        return web.json_response({"ok": True, "usergroups": groups})

    async def _m_usergroups_users_list(self, args: dict[str, Any]) -> web.Response:
        group = self.usergroups.get(str(args.get("usergroup") or ""))
        if not args.get("usergroup"):
            return self._error("invalid_arguments", messages=["usergroup is required"])
        if group is None:
            return self._error("no_such_subteam")
        return web.json_response({"ok": True, "users": list(group["users"])})

    async def _m_conversations_open(self, args: dict[str, Any]) -> web.Response:
        users = str(args.get("users") or "")
        if not users:
            return self._error("invalid_arguments", messages=["users is required"])
        if users == self.bot_user:
            return self._error("cannot_dm_bot")
        known = self.users.get(users)
        if known is None:
            return self._error("user_not_found")
        if known.get("deleted"):
            return self._error("account_inactive")
        return web.json_response({"ok": True, "channel": {"id": self.dm_channel(users)}})

    def _check_message(self, args: dict[str, Any]) -> web.Response | None:
        if "blocks" in args:
            problems = validate_blocks(args["blocks"], MESSAGE_BLOCKS)
            if problems:
                return self._error("invalid_blocks", messages=problems)
        elif not args.get("text"):
            return self._error("no_text")
        if len(str(args.get("text", ""))) > MESSAGE_TEXT:
            return self._error("msg_too_long")
        return None

    async def _m_chat_postMessage(self, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel") or "")
        if not channel:
            return self._error("channel_not_found")
        refused = self._check_message(args)
        if refused is not None:
            return refused
        ts = f"1700000000.{next(self._ts):06d}"
        meta = _json_field(args["metadata"]) if "metadata" in args else None
        if meta is not None and not _valid_metadata(meta):
            return self._error("invalid_metadata_format")
        message = Message(channel, ts, str(args.get("text", "")), list(args.get("blocks") or []), metadata=meta)
        self.messages.setdefault(channel, []).append(message)
        return web.json_response({"ok": True, "channel": channel, "ts": ts,
                                  "message": {"type": "message", "ts": ts, "text": message.text,
                                              "blocks": message.blocks, "bot_id": "B0001"}})

    async def _m_conversations_history(self, args: dict[str, Any]) -> web.Response:
        """Newest first; metadata only with include_all_metadata, as Slack does."""
        channel = str(args.get("channel") or "")
        if channel not in self.messages and not channel.startswith("D"):
            return self._error("channel_not_found")
        limit = min(int(args.get("limit") or 100), 999)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        out = []
        for m in reversed(self.messages.get(channel, [])):
            item: dict[str, Any] = {"type": "message", "ts": m.ts, "text": m.text, "blocks": m.blocks,
                                    "user": self.bot_user, "bot_id": "B0001", "app_id": "A0001"}
            if with_metadata and m.metadata is not None:
                item["metadata"] = m.metadata
            out.append(item)
        return web.json_response({"ok": True, "messages": out[:limit], "has_more": len(out) > limit})

    async def _m_chat_update(self, args: dict[str, Any]) -> web.Response:
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        if not channel or not ts:
            return self._error("invalid_arguments", messages=["channel and ts are required"])
        refused = self._check_message(args)
        if refused is not None:
            return refused
        for message in self.messages.get(channel, []):
            if message.ts == ts:
                message.history.append({"text": message.text, "blocks": message.blocks})
                message.text, message.blocks = str(args.get("text", "")), list(args.get("blocks") or [])
                return web.json_response({"ok": True, "channel": channel, "ts": ts})
        return self._error("message_not_found")

    async def _m_chat_postEphemeral(self, args: dict[str, Any]) -> web.Response:
        if not args.get("channel") or not args.get("user"):
            return self._error("invalid_arguments", messages=["channel and user are required"])
        refused = self._check_message(args)
        return refused or web.json_response({"ok": True, "message_ts": f"1700000001.{next(self._ts):06d}"})

    def _new_view(self, view: dict[str, Any]) -> dict[str, Any]:
        view_id = f"V{next(self._ids):05d}"
        stored = {**view, "id": view_id, "hash": f"h{view_id}"}
        self.views[view_id] = stored
        return stored

    async def _m_views_open(self, args: dict[str, Any]) -> web.Response:
        if not args.get("trigger_id"):
            return self._error("invalid_arguments", messages=["trigger_id is required"])
        problems = validate_view(args.get("view"))
        if problems:
            return self._error("invalid_arguments", messages=problems)
        return web.json_response({"ok": True, "view": self._new_view(args["view"])})

    async def _m_views_push(self, args: dict[str, Any]) -> web.Response:
        return await self._m_views_open(args)

    async def _m_views_update(self, args: dict[str, Any]) -> web.Response:
        view_id = str(args.get("view_id") or "")
        if view_id not in self.views:
            return self._error("not_found")
        problems = validate_view(args.get("view"))
        if problems:
            return self._error("invalid_arguments", messages=problems)
        self.views[view_id] = {**args["view"], "id": view_id}
        return web.json_response({"ok": True, "view": self.views[view_id]})

    async def _m_views_publish(self, args: dict[str, Any]) -> web.Response:
        user = str(args.get("user_id") or "")
        if not user:
            return self._error("invalid_arguments", messages=["user_id is required"])
        problems = validate_view(args.get("view"))
        if problems:
            return self._error("invalid_arguments", messages=problems)
        stored = self._new_view(args["view"])
        self.home[user] = stored
        return web.json_response({"ok": True, "view": stored})

    async def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> web.Response:
        if not args.get("filename") or not args.get("length"):
            return self._error("invalid_arguments", messages=["filename and length are required"])
        file_id = f"F{next(self._ids):05d}"
        if len(str(args.get("alt_txt") or "")) > 1000:
            return self._error("invalid_arguments", messages=["alt_txt must be at most 1000 characters"])
        self._alt_texts[file_id] = str(args["alt_txt"]) if args.get("alt_txt") else None
        return web.json_response({"ok": True, "file_id": file_id,
                                  "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"})

    async def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> web.Response:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            return self._error("invalid_arguments", messages=["files is required"])
        out = []
        for f in files:
            if f.get("id") not in self.uploads:
                return self._error("file_not_found")
            record = {"id": f["id"], "title": f.get("title"), "channel": args.get("channel_id"),
                      "content": self.uploads[f["id"]], "alt_txt": self._alt_texts.get(f["id"])}
            self.files.append(record)
            out.append({"id": f["id"], "title": f.get("title")})
        return web.json_response({"ok": True, "files": out})

    async def _m_apps_connections_open(self, args: dict[str, Any]) -> web.Response:
        self.socket_opens += 1
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})

    async def _m_oauth_v2_access(self, args: dict[str, Any]) -> web.Response:
        if not args.get("code"):
            return self._error("invalid_code")
        if self.enterprise is not None:  # an org-wide install: no team, the org instead
            token = f"xoxb-org-{self.enterprise.lower()}"
            self.token_teams[token] = set(self.org_teams)
            return web.json_response({
                "ok": True, "app_id": "A0001", "authed_user": {"id": "U0INSTALLER"},
                "scope": "commands,chat:write,im:write,users:read,files:write", "token_type": "bot",
                "access_token": token, "bot_user_id": self.bot_user, "team": None,
                "enterprise": {"id": self.enterprise, "name": "Career Center Org"}, "is_enterprise_install": True,
            })
        return web.json_response({
            "ok": True, "app_id": "A0001", "authed_user": {"id": "U0INSTALLER"},
            "scope": "commands,chat:write,im:write,users:read,files:write", "token_type": "bot",
            "access_token": "xoxb-installed-token", "bot_user_id": self.bot_user,
            "team": {"id": self.team, "name": "Career Center"}, "enterprise": None,
            "is_enterprise_install": False,
        })

    # ---- response_url, uploads, Socket Mode ---------------------------------------------------
    async def _response_url(self, request: web.Request) -> web.Response:
        """Like Slack's response URLs: JSON only, at most 5 posts, within 30 minutes of issue."""
        key = request.match_info["key"]
        if request.content_type != "application/json":
            return web.Response(status=400, text="invalid_payload")
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        issued = self._response_urls_issued.setdefault(key, time.monotonic())
        if time.monotonic() - issued > RESPONSE_URL_SECONDS:
            return web.Response(status=404, text="expired_url")
        if len(self.responses_to(key)) >= RESPONSE_URL_USES:
            return web.Response(status=404, text="used_url")
        problems = validate_blocks(body["blocks"], MESSAGE_BLOCKS) if "blocks" in body else []
        self.responses.append({"key": key, **body, "rejected": problems, "at": time.monotonic()})
        if problems:
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - 1")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A0001"}, "debug_info": {"host": "fake"}})
        self.socket_connected.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                future = self.socket_replies.get(data.get("envelope_id", ""))
                if future is not None and not future.done():
                    future.set_result(data)
        self.sockets.remove(ws)
        return ws

    async def socket_send(self, envelope: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Send an envelope to the connected app; return its acknowledgement."""
        await asyncio.wait_for(self.socket_connected.wait(), timeout)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.socket_replies[envelope["envelope_id"]] = future
        await self.sockets[-1].send_json(envelope)
        return await asyncio.wait_for(future, timeout)
