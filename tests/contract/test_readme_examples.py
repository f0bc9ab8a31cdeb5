"""Every ```sh block of the README runs as written against a server started like `make run`.

The convention (README, "Development"): a ```sh block is an example that runs, in
order, in one shell, from a directory that has the repository's ``.venv``,
``fixtures`` and ``examples``; a block whose info string says ``sh no-run`` is only
shown. Every command must exit 0 and every curl must answer 2xx, unless the
command's line ends with a comment that says otherwise: ``# → 304`` (each curl of
the command answers 304) or ``# → exit 1``. The server listens on a free port:
``127.0.0.1:8000`` in the examples is rewritten to it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cms.config import PROJECT_ROOT
from tests.contract.live import LiveServer, live_server

README = PROJECT_ROOT / "README.md"
FENCE = re.compile(r"^```(\S*)(.*)$")
EXPECT_STATUS = re.compile(r"#.*→\s*([1-5][0-9]{2})\b")
EXPECT_EXIT = re.compile(r"#.*→\s*exit\s+([0-9]+)\b")


@dataclass(frozen=True)
class Example:
    line: int  # in README.md
    command: str
    status: int | None  # every curl of the command answers this; None: any 2xx
    exit_code: int


def readme_examples(text: str) -> list[Example]:
    """The commands of the runnable ```sh blocks, continuation lines joined."""
    examples: list[Example] = []
    runnable, in_block, pending, start = False, False, [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(line)
        if fence:
            in_block = not in_block
            runnable = in_block and fence.group(1) == "sh" and "no-run" not in fence.group(2)
            continue
        if not (in_block and runnable):
            continue
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = number
        pending.append(line)
        if line.rstrip().endswith("\\"):
            continue
        command = "\n".join(pending)
        status, exit_code = EXPECT_STATUS.search(line), EXPECT_EXIT.search(line)
        examples.append(
            Example(
                start,
                command,
                int(status.group(1)) if status else None,
                int(exit_code.group(1)) if exit_code else 0,
            )
        )
        pending = []
    return examples


def shell_script(examples: list[Example], port: int) -> str:
    """One bash script: each curl reports its status on stderr, each command its exit code."""
    lines = [
        "set -uo pipefail",
        # A curl's own output is untouched: the status goes to stderr, after a marker.
        "curl() { command curl --write-out '%{stderr}@@status %{http_code}\\n' \"$@\"; }",
    ]
    for index, example in enumerate(examples):
        command = example.command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        lines += [
            f"printf '@@command {index}\\n' >&2",
            command,
            f"printf '@@exit {index} %s\\n' \"$?\" >&2",
        ]
    return "\n".join(lines) + "\n"


def results(stderr: str) -> dict[int, tuple[list[int], int | None]]:
    """Per command: the HTTP statuses its curls got, and its exit code."""
    found: dict[int, tuple[list[int], int | None]] = {}
    current = None
    for line in stderr.splitlines():
        if line.startswith("@@command "):
            current = int(line.split()[1])
            found[current] = ([], None)
        elif line.startswith("@@status ") and current is not None:
            found[current][0].append(int(line.split()[1]))
        elif line.startswith("@@exit "):
            _, index, code = line.split()
            found[int(index)] = (found[int(index)][0], int(code))
    return found


def failures(examples: list[Example], server: LiveServer, workdir: Path) -> list[str]:
    """Run the examples in one shell from ``workdir``; what went differently from expected."""
    port = int(server.url.rsplit(":", 1)[1])
    done = subprocess.run(
        ["bash", "-c", shell_script(examples, port)],
        cwd=workdir,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    ran, found = results(done.stderr), []
    for index, example in enumerate(examples):
        where = f"README.md:{example.line}: {example.command}"
        statuses, exit_code = ran.get(index, ([], None))
        if exit_code != example.exit_code:
            found.append(f"{where}\n  exit {exit_code}, expected {example.exit_code}")
        if example.status is not None:
            if not statuses or any(status != example.status for status in statuses):
                found.append(f"{where}\n  HTTP {statuses}, expected {example.status}")
        elif not all(200 <= status < 300 for status in statuses):
            found.append(f"{where}\n  HTTP {statuses}, expected 2xx")
    if found:
        found.append(f"stderr:\n{done.stderr[-3000:]}")
    return found


def newcomer_directory(tmp_path: Path) -> Path:
    """Where a newcomer types the examples: the repository root, with its .venv."""
    workdir = tmp_path / "newcomer"
    workdir.mkdir()
    for name in (".venv", "fixtures", "examples"):
        (workdir / name).symlink_to(PROJECT_ROOT / name)
    return workdir


def test_readme_examples_are_found():
    examples = readme_examples(README.read_text("utf-8"))
    curls = [e for e in examples if "curl " in e.command]
    assert len(curls) >= 20, "the README's examples were not found"
    assert [e.status for e in curls if e.status] == [304, 400, 400, 404, 201, 412, 410]
    assert not any("make run" in e.command for e in examples)  # fenced as sh no-run


def test_the_runner_catches_an_example_that_answers_otherwise(tmp_path: Path):
    text = """
```sh
curl -s http://127.0.0.1:8000/healthz            # → 200
curl -s http://127.0.0.1:8000/api/v1/articles/x  # → 200
curl -s http://127.0.0.1:8000/api/v1/articles/x
false
.venv/bin/cms check --draft examples/article.json  # → exit 1
```
```sh no-run
false
```
"""
    with live_server(tmp_path) as server:
        found = failures(readme_examples(text), server, newcomer_directory(tmp_path))
    assert [failure.split("\n")[1].strip() for failure in found[:-1]] == [
        "HTTP [404], expected 200",
        "HTTP [404], expected 2xx",
        "exit 1, expected 0",
        "exit 0, expected 1",
    ]


def test_every_readme_example_runs_as_written(tmp_path: Path):
    examples = readme_examples(README.read_text("utf-8"))
    with live_server(tmp_path, publish_fixtures=True) as server:
        found = failures(examples, server, newcomer_directory(tmp_path))
    assert not found, "\n".join(found)
