"""Options without bounds (issue #14): each bad value is one `error:` line naming it, exit 1 (2
for argparse's own usage errors), and nothing is created or run."""

from __future__ import annotations

import pytest

from qa.cli import main


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["stats", "--collection", "x!"], {}, "'x!' is not a collection name"),
        (["stats", "--collection=-lead"], {}, "is not a collection name"),
        (["stats", "--chroma-url", "http://[::1"], {}, "not a URL: 'http://[::1'"),
        (["stats", "--chroma-url", "ftp://host"], {}, "not an http(s) URL"),
        (["stats", "--store", ""], {}, "store: Value error, an empty path"),
        (["stats"], {"NEWSQA_STORE": " "}, "an empty path"),
        (["stats"], {"NEWSQA_CHUNK_CHARS": "0"}, "chunk_chars: Input should be greater than or equal to 100"),
        (["stats"], {"NEWSQA_CHUNK_CHARS": "-5"}, "chunk_chars"),
    ],
)
def test_a_bad_option_is_one_line(argv, env, expected, capsys, monkeypatch, user_dirs, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: bad setting: ") and err.count("\n") == 1 and expected in err
    assert not (tmp_path / "store").exists()


def test_an_empty_path_to_ingest_is_a_usage_error(capsys, user_dirs):
    with pytest.raises(SystemExit) as info:
        main(["ingest", ""])
    assert info.value.code == 2
    assert "an empty path" in capsys.readouterr().err


def test_a_mistyped_store_for_a_reader_is_not_created(capsys, user_dirs, tmp_path):
    missing = tmp_path / "stroe"
    for command in (["stats"], ["sources"], ["ask", "anything?"]):
        assert main([*command, "--store", str(missing)]) == 1
        err = capsys.readouterr().err
        assert err == f"error: no store at {missing}: run `newsqa ingest PATH` first, or check --store\n"
    assert not missing.exists()
