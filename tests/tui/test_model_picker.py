"""The chat's model picker lists what the server offers (GET /v1/models on a real server on
127.0.0.1), and says why when it cannot, leaving a name to be typed."""

from __future__ import annotations

from textual.widgets import Input, Label, OptionList

from tests.qa.chat_stub_server import ChatStubServer
from tests.tui.conftest import ready, wait_for
from tui.app import NewsQAChat
from tui.screens.forms import ModelScreen
from tui.widgets.status import StatusLine


def picker_ready(app) -> bool:
    return isinstance(app.screen, ModelScreen) and bool(app.screen.query("#models")) and bool(app.screen.query(Input))


async def open_picker(pilot) -> None:
    await ready(pilot)
    pilot.app.action_model()
    await wait_for(pilot, lambda: picker_ready(pilot.app), "the model picker")


def chat_on(srv: ChatStubServer, seed_settings, **update) -> NewsQAChat:
    return NewsQAChat(seed_settings.model_copy(update={"openai_base_url": srv.base_url, "engine": "openai", **update}))


async def test_the_model_picker_lists_the_server_models(seed_settings):
    with ChatStubServer() as srv:
        srv.models = ["stub-small", "stub-large", "stub-medium"]
        app = chat_on(srv, seed_settings, model="stub-medium")
        async with app.run_test(size=(80, 24)) as pilot:
            await open_picker(pilot)
            options = app.screen.query_one("#models", OptionList)
            await wait_for(pilot, lambda: options.option_count == 3, "the server's models")
            assert [options.get_option_at_index(i).id for i in range(3)] == ["stub-large", "stub-medium", "stub-small"]
            assert options.highlighted == 1  # the current model
            await wait_for(pilot, lambda: app.focused is options, "the list to take the focus")
            await pilot.press("up", "enter")
            await wait_for(pilot, lambda: app.screen is app.chat, "the chat")
            assert app.backend.settings.model == "stub-large"
            assert "model stub-large" in str(app.chat.query_one(StatusLine).render())


async def test_the_model_picker_says_why_it_has_no_list(seed_settings):
    with ChatStubServer() as srv:
        srv.models_status = 401
        app = chat_on(srv, seed_settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_picker(pilot)
            status = app.screen.query_one("#models-status", Label)
            await wait_for(pilot, lambda: "HTTP 401" in str(status.render()), "the reason")
            assert status.region.width and app.screen.region.contains_region(status.region)
            box = app.screen.query_one("#model-name", Input)
            assert app.focused is box
            box.value = "typed-model"
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen is app.chat, "the chat")
            assert app.backend.settings.model == "typed-model"
