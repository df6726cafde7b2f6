"""ui/conversation.py: the one state the chat, sources, download and feedback are derived from."""

from rag.types import Answer
from ui.conversation import PENDING, Conversation
from ui.render import chat_messages, conversation_markdown

ANSWER = Answer("q", "Tokayev said: “It started in 1996.” [1]", False, (), ())


def _answered(conversation, question):
    conversation, exchange_id = conversation.ask(question)
    return conversation.update(exchange_id, shown="Tokayev said: …", answer=ANSWER), exchange_id


def test_a_question_shows_at_once_and_only_answered_ones_are_history():
    conversation, first = _answered(Conversation.new(), "Tell me about the SCO")
    conversation, second = conversation.ask("And when did it start?")
    assert [m["content"] for m in chat_messages(conversation)] == ["Tell me about the SCO", "Tokayev said: …", "And when did it start?", PENDING]
    assert conversation.history() == ["Tell me about the SCO"]
    assert [conversation.at_message(i).id for i in range(4)] == [first, first, second, second]
    assert conversation.at_message(4) is None
    # An empty question shows no bubble of its own: the messages after it still find their exchange.
    conversation, empty = conversation.ask("")
    conversation, third = conversation.ask("Tell me about Taiwan")
    assert len(chat_messages(conversation)) == 7
    assert [conversation.at_message(i).id for i in range(4, 7)] == [empty, third, third]


def test_an_update_for_a_cleared_exchange_changes_nothing():
    conversation, exchange_id = Conversation.new().ask("Taiwan?")
    fresh = Conversation.new()
    assert fresh.update(exchange_id, shown="late reply") == fresh


def test_the_download_holds_exactly_the_exchanges_shown():
    conversation, _ = _answered(Conversation.new(), "Tell me about the SCO")
    conversation, refused = conversation.ask("")
    conversation = conversation.update(refused, shown="Please type a question first, for example: What did Tokayev say about Taiwan?")
    text = conversation_markdown(conversation.exchanges, "Chat")
    users = [m for m in chat_messages(conversation) if m["role"] == "user"]
    assert text.count("**You:**") == len(users) == 1 and text.count("**Bot:**") == 2
    assert "**Bot:** Please type a question first, for example: What did Tokayev say about Taiwan?" in text
