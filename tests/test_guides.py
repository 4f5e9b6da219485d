"""The install, deployment and admin guides stay true to the repository: every Slack scope and
event the manifest asks for is explained in the Slack guide's tables (and nothing the manifest does
not ask for), every link between documents leads to a file and a heading that exist, the README
lists the guides, and no document points outside the repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDES = ("install-slack.md", "install-discord.md", "deploy.md", "admin-guide.md")


def _table_keys(markdown: str, header: str) -> set[str]:
    """The first column (`code`) of the table whose header row starts with `| header |`."""
    keys: set[str] = set()
    inside = False
    for line in markdown.splitlines():
        if line.startswith(f"| {header} |"):
            inside = True
            continue
        if inside:
            if not line.startswith("|"):
                break
            cell = line.split("|")[1].strip()
            if cell.startswith("`"):
                keys.add(cell.strip("`"))
    return keys


def _manifest() -> dict[str, object]:
    loaded = json.loads((ROOT / "slack-manifest.json").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_every_slack_scope_and_event_is_explained() -> None:
    manifest = _manifest()
    guide = (ROOT / "docs/install-slack.md").read_text()
    scopes = manifest["oauth_config"]["scopes"]  # type: ignore[index]
    assert _table_keys(guide, "scope") == set(scopes.get("bot", [])) | set(scopes.get("user", []))
    events = manifest["settings"]["event_subscriptions"]  # type: ignore[index]
    assert _table_keys(guide, "event") == set(events.get("bot_events", [])) | set(events.get("user_events", []))


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("name", [*GUIDES, "../README.md"])
def test_links_lead_to_files_and_headings_that_exist(name: str) -> None:
    page = (ROOT / "docs" / name).resolve()
    text = page.read_text()
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        assert "shared" not in Path(path).parts, f"{name} points outside the repository: {target}"
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_relative_to(ROOT) and linked.exists(), f"{name}: {target} does not exist"
        if anchor:
            headings = {_anchor(h) for h in re.findall(r"^#+ (.+)$", linked.read_text(), re.MULTILINE)}
            assert anchor in headings, f"{name}: no heading #{anchor} in {path or name}"


def test_the_readme_lists_every_guide() -> None:
    readme = (ROOT / "README.md").read_text()
    for guide in GUIDES:
        assert f"(docs/{guide})" in readme, guide
