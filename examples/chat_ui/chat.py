"""A chat-style terminal bot driven only by helpflow's JSON API.

It imports nothing from helpflow: Step JSON and tokens are all a UI needs. Start a server
(`helpflow serve flows/`), then:

    python examples/chat_ui/chat.py --server http://127.0.0.1:8000 --flow account-login
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from typing import Any


def call(server: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        server + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            data: dict[str, Any] = json.load(response)
            return data
    except urllib.error.HTTPError as exc:
        error: dict[str, Any] = json.load(exc)
        return error


def say(text: str) -> None:
    for line in text.splitlines() or [""]:
        print(f"bot> {line}")


def show(step: dict[str, Any]) -> None:
    say(step["title"])
    if step["body"]["text"]:
        say(step["body"]["text"])
    for number, item in enumerate(step["steps"], 1):
        say(f"  {number}. {item['text']}")
    for link in step["links"]:
        say(f"  {link['label']}: {link['url']}")
    for contact in step["contacts"]:
        say(f"  {contact['name']}" + (f" - {contact['url']}" if contact["url"] else ""))
    for number, choice in enumerate(step["choices"], 1):
        say(f"  [{number}] {choice['label']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default="http://127.0.0.1:8000")
    parser.add_argument("--flow", default="account-login")
    args = parser.parse_args()
    api = f"/api/v1/flows/{args.flow}"
    reply = call(args.server, f"{api}/sessions", {})
    if "error" in reply:
        say(f"Sorry: {reply['error']['message']}")
        return 1
    show(reply["step"])
    for line in sys.stdin:
        text = line.strip().lower()
        step = reply["step"]
        if text in ("back", "b"):
            answer = call(args.server, f"{api}/back", {"token": reply["token"]})
        elif text.isdigit() and 1 <= int(text) <= len(step["choices"]):
            choice = step["choices"][int(text) - 1]["id"]
            print(f"you> {step['choices'][int(text) - 1]['label']}")
            answer = call(args.server, f"{api}/choose", {"token": reply["token"], "choice": choice})
        else:
            say("Type the number of an answer, or 'back'.")
            continue
        if "error" in answer:
            say(answer["error"]["message"])  # the previous token still works
            continue
        reply = answer
        show(reply["step"])
        if reply["step"]["finished"]:
            say("Anything else? Type 'back' to try another answer.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
