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


def can_listen(host: str, port: int) -> str:
    """"" when this process could listen on host:port now, else why not (one line).

    >>> can_listen("no-such-host.invalid", 7860).startswith("cannot resolve")
    True
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve host {host!r} ({exc})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            return f"cannot listen on {host}:{port} ({exc.strerror or exc})"
    return ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from pathlib import Path

    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_port, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help=argparse.SUPPRESS)  # kept only to explain its removal
    parser.add_argument("--data-dir", type=Path, default=None, help="feedback log and exported chats (default: index/data/)")
    parser.add_argument(
        "--auth", type=_auth, default=None, metavar="USER:PASSWORD",
        help="require this login (Gradio auth); also read from RAG_AUTH, which keeps it out of the process list",
    )


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from rag.pipeline import default_data_dir

    auth = args.auth
    if auth is None and os.environ.get("RAG_AUTH"):
        try:
            auth = _auth(os.environ["RAG_AUTH"])
        except argparse.ArgumentTypeError as exc:
            print(f"rag: RAG_AUTH: {exc}", file=sys.stderr)
            return 2
    if args.share:
        print(
            "rag: --share is not offered: a Gradio share link needs the internet and a tunnel binary downloaded "
            "at run time, and this app runs offline. To reach it from another machine use --host 0.0.0.0 with "
            "--auth USER:PASSWORD, or an SSH tunnel.",
            file=sys.stderr,
        )
        return 2
    problem = can_listen(args.host, args.port)
    if problem:
        print(f"rag: {problem}; choose another --port or --host", file=sys.stderr)
        return 2
    if not is_loopback(args.host) and auth is None:
        print(
            f"rag: warning: serving on {args.host}, which other machines can reach without --auth: anyone who reaches it can use the app "
            "and its feedback button. Add --auth USER:PASSWORD (or RAG_AUTH).",
            file=sys.stderr,
        )
    from ui.app import serve  # imports Gradio (~6 s): only once the address is known to be usable

    try:
        serve(args.host, args.port, args.data_dir or default_data_dir(), args.index_dir, args.corpus, auth, args.generator)
    except OSError as exc:  # the port taken between the check and the start
        print(f"rag: cannot serve on {args.host}:{args.port} ({exc})", file=sys.stderr)
        return 2
    return 0
