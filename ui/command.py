"""`rag serve`: registered with the `rag` command through the `rag.commands` entry point, so that `rag`
itself never imports the UI (and Gradio is imported only when the server starts)."""

from __future__ import annotations

import argparse

HELP = "start the web app (Gradio) on 127.0.0.1:7860"


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number from 1 to 65535, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a whole number from 1 to 65535, got {port}")
    return port


def _auth(value: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise argparse.ArgumentTypeError("--auth takes USER:PASSWORD (both non-empty), e.g. --auth ana:s3cret")
    return user, password


def is_loopback(host: str) -> bool:
    """
    >>> [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "192.168.1.5")]
    [True, True, True, False, False]
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_port, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help="also open a public Gradio share link (off by default)")
    parser.add_argument("--data-dir", type=Path, default=None, help="feedback log and exported chats (default: index/data/)")
    parser.add_argument(
        "--auth", type=_auth, default=None, metavar="USER:PASSWORD",
        help="require this login (Gradio auth); also read from RAG_AUTH, which keeps it out of the process list",
    )


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from rag.pipeline import default_data_dir
    from ui.app import serve

    auth = args.auth
    if auth is None and os.environ.get("RAG_AUTH"):
        try:
            auth = _auth(os.environ["RAG_AUTH"])
        except argparse.ArgumentTypeError as exc:
            print(f"rag: RAG_AUTH: {exc}", file=sys.stderr)
            return 2
    if (not is_loopback(args.host) or args.share) and auth is None:
        where = "a public share link" if args.share else f"{args.host}, which other machines can reach"
        print(
            f"rag: warning: serving on {where} without --auth: anyone who reaches it can use the app "
            "and its feedback button. Add --auth USER:PASSWORD (or RAG_AUTH).",
            file=sys.stderr,
        )
    serve(args.host, args.port, args.share, args.data_dir or default_data_dir(), args.index_dir, args.corpus, auth, args.generator)
    return 0
