"""One browser session's conversation: the single state the chat, the sources, the download and the
feedback log are all derived from, so they cannot disagree. Plain data, no Gradio (tested alone)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from rag.types import Answer

PENDING = "…"


@dataclass(frozen=True)
class Exchange:
    """One question and what the chat shows for it. `answer` is None while it is being produced, or when
    the question was refused or failed (then `shown` holds the message)."""

    id: str
    question: str
    shown: str = PENDING  # the assistant's message as displayed (HTML-escaped text)
    answer: Answer | None = None

    @property
    def messages(self) -> int:
        """How many chat messages it shows: the question and the reply, or the reply alone for an empty
        question (no empty bubble)."""
        return 2 if self.question.strip() else 1


@dataclass(frozen=True)
class Conversation:
    session: str
    exchanges: tuple[Exchange, ...] = ()

    @staticmethod
    def new() -> Conversation:
        return Conversation(uuid.uuid4().hex)

    def ask(self, question: str) -> tuple[Conversation, str]:
        """The conversation with a new, pending exchange, and that exchange's id."""
        exchange = Exchange(uuid.uuid4().hex[:12], question)
        return replace(self, exchanges=(*self.exchanges, exchange)), exchange.id

    def update(self, exchange_id: str, **changes: object) -> Conversation:
        """The conversation with one exchange changed; an id no longer here (the chat was cleared
        meanwhile) changes nothing."""
        return replace(self, exchanges=tuple(replace(e, **changes) if e.id == exchange_id else e for e in self.exchanges))  # type: ignore[arg-type]

    def history(self) -> list[str]:
        """The earlier questions a follow-up may lean on: those that got an answer."""
        return [e.question for e in self.exchanges if e.answer is not None]

    def find(self, exchange_id: str) -> Exchange | None:
        return next((e for e in self.exchanges if e.id == exchange_id), None)

    def at_message(self, index: int) -> Exchange | None:
        """The exchange of the chat's message `index`."""
        shown = [e for e in self.exchanges for _ in range(e.messages)]
        return shown[index] if 0 <= index < len(shown) else None
