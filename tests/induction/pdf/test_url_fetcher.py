"""The PDF renderer's URL fetcher serves data: URLs and the site's own files, nothing else."""

import base64
import dataclasses
import json

import pytest

from induction.pdf.url_fetcher import FetcherConfig, LocalOnlyFetcher, RefusedURL, resolve_inside

SITE = "https://induction.example.nhs.uk/"


@pytest.fixture
def folders(tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "pdf.css").write_text("body { color: black }")
    media = tmp_path / "media"
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "trust.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (media / "logos" / "trust logo.png").write_bytes(b"\x89PNG\r\n\x1a\nspaced")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not disclose")
    # A symlink inside media pointing outside it must not be followed out.
    (media / "escape.txt").symlink_to(secret)
    # A folder beside static whose name starts the same: containment is by path, not text.
    (tmp_path / "static-other").mkdir()
    (tmp_path / "static-other" / "secret.txt").write_text("do not disclose either")
    return {"static": static, "media": media, "secret": secret}


@pytest.fixture
def fetcher(folders):
    return LocalOnlyFetcher(
        FetcherConfig(
            site_url=SITE,
            static_url="/static/",
            static_roots=(str(folders["static"]),),
            media_url="/media/",
            media_root=str(folders["media"]),
            max_file_bytes=1024,
        )
    )


def test_serves_a_static_file_by_its_site_url(fetcher):
    response = fetcher(SITE + "static/css/pdf.css")
    assert response.read() == b"body { color: black }"
    assert response.content_type == "text/css"


def test_serves_a_media_file_by_its_site_url(fetcher):
    response = fetcher(SITE + "media/logos/trust.png")
    assert response.read().startswith(b"\x89PNG")
    assert response.content_type == "image/png"


def test_serves_a_file_whose_name_is_percent_encoded(fetcher):
    response = fetcher(SITE + "media/logos/trust%20logo.png")
    assert response.read().endswith(b"spaced")


def test_stylesheets_are_read_as_utf_8(fetcher):
    assert fetcher(SITE + "static/css/pdf.css").charset == "utf-8"


def test_searches_every_static_folder_in_order(folders, tmp_path):
    second = tmp_path / "app-static"
    (second / "js").mkdir(parents=True)
    (second / "js" / "only-here.js").write_text("// found")
    (second / "css").mkdir()
    (second / "css" / "pdf.css").write_text("body { color: red }")
    fetcher = LocalOnlyFetcher(
        FetcherConfig(
            site_url=SITE,
            static_url="/static/",
            static_roots=(str(folders["static"]), str(second)),
            media_url="/media/",
            media_root=str(folders["media"]),
        )
    )
    assert fetcher(SITE + "static/js/only-here.js").read() == b"// found"
    assert fetcher(SITE + "static/css/pdf.css").read() == b"body { color: black }"


def test_a_static_folder_reached_through_a_symlink_is_served(folders, tmp_path):
    (tmp_path / "linked-static").symlink_to(folders["static"])
    fetcher = LocalOnlyFetcher(
        FetcherConfig(
            site_url=SITE,
            static_url="/static/",
            static_roots=(str(tmp_path / "linked-static"),),
            media_url="/media/",
            media_root=str(folders["media"]),
        )
    )
    assert fetcher(SITE + "static/css/pdf.css").read() == b"body { color: black }"


def test_the_site_s_own_configuration_serves_its_static_files_and_nothing_beside_them(settings):
    from induction.pdf.rendering import fetcher_config

    fetcher = LocalOnlyFetcher(fetcher_config())
    site = settings.PDF_SITE_URL
    assert fetcher(site + "static/css/pdf.css").read().strip()
    for url in ("static/manage.py", "static/mdportal/settings.py", "static/pyproject.toml"):
        with pytest.raises(RefusedURL):
            fetcher(site + url)


def test_serves_data_urls(fetcher):
    payload = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    response = fetcher(f"data:image/svg+xml;base64,{payload}")
    assert response.read().startswith(b"<svg")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/static/css/pdf.css",
        "https://evil.example/static/css/pdf.css",
        "https://induction.example.nhs.uk.evil.example/static/css/pdf.css",
        "http://induction.example.nhs.uk/static/css/pdf.css",  # another origin: scheme differs
        "ftp://induction.example.nhs.uk/static/css/pdf.css",
        "file:///etc/passwd",
        "https://induction.example.nhs.uk/trusts/northshire/induction/",
        "https://induction.example.nhs.uk/static/../secret.txt",
        "https://induction.example.nhs.uk/static/%2e%2e/secret.txt",
        "https://induction.example.nhs.uk/media/..%2fsecret.txt",
        "https://induction.example.nhs.uk/media/escape.txt",
        "https://induction.example.nhs.uk/media/%00trust.png",
        "https://induction.example.nhs.uk/media/logos/missing.png",
        "https://induction.example.nhs.uk/static//etc/passwd",
        "https://induction.example.nhs.uk:8443/static/css/pdf.css",  # another origin: port
        "https://induction.example.nhs.uk/static/../static-other/secret.txt",
        "https://induction.example.nhs.uk/static/css",  # a folder, not a file
    ],
)
def test_refuses_everything_else(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher(url)
    assert fetcher.refused == [url]


def test_refuses_a_file_one_byte_over_the_size_limit(fetcher, folders):
    (folders["media"] / "big.png").write_bytes(b"x" * 1025)

    with pytest.raises(RefusedURL, match="too large"):
        fetcher(SITE + "media/big.png")
    assert fetcher.refused == [SITE + "media/big.png"]


@pytest.mark.parametrize("size", [1023, 1024])
def test_serves_a_file_just_under_or_at_the_size_limit(fetcher, folders, size):
    (folders["media"] / "big.png").write_bytes(b"x" * size)

    assert len(fetcher(SITE + "media/big.png").read()) == size
    assert fetcher.refused == []


def test_a_config_comes_back_from_its_dict_exactly(tmp_path):
    """The worker receives its FetcherConfig as JSON and rebuilds it with `from_dict`: every
    field must survive, the size limit (not the default) and the folders (no more, no fewer)."""
    config = FetcherConfig(
        site_url=SITE,
        static_url="/assets/",
        static_roots=(str(tmp_path / "static"), str(tmp_path / "app" / "static")),
        media_url="/uploads/",
        media_root=str(tmp_path / "media"),
        max_file_bytes=4096,
        pictures_url="/trusts/northshire/induction/pictures/",
        pictures_root=str(tmp_path / "pictures"),
    )

    rebuilt = FetcherConfig.from_dict(json.loads(json.dumps(config.to_dict())))

    assert set(config.to_dict()) == {field.name for field in dataclasses.fields(FetcherConfig)}
    assert rebuilt == config
    assert rebuilt.max_file_bytes == 4096
    assert rebuilt.static_roots == (str(tmp_path / "static"), str(tmp_path / "app" / "static"))
    assert rebuilt.pictures_url == "/trusts/northshire/induction/pictures/"
    assert rebuilt.pictures_root == str(tmp_path / "pictures")


@pytest.mark.parametrize("missing", [field.name for field in dataclasses.fields(FetcherConfig)])
def test_a_config_missing_a_field_is_refused_never_filled_with_a_default(tmp_path, missing):
    """A worker given no size limit must not fall back to the default one, nor to any
    other guess about where the site's files are."""
    data = FetcherConfig(
        site_url=SITE,
        static_url="/static/",
        static_roots=(str(tmp_path),),
        media_url="/media/",
        media_root=str(tmp_path),
        max_file_bytes=4096,
    ).to_dict()
    del data[missing]
    with pytest.raises(KeyError):
        FetcherConfig.from_dict(data)


def test_resolve_inside_keeps_to_its_folder(folders):
    assert resolve_inside(folders["static"], "css/pdf.css") == (
        folders["static"] / "css" / "pdf.css"
    ).resolve()
    assert resolve_inside(folders["static"], "../secret.txt") is None
    assert resolve_inside(folders["static"], "/etc/passwd") is None
    assert resolve_inside(folders["static"], "css") is None  # a folder, not a file
