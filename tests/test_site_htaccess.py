"""The w3id .htaccess that policykb site writes, run by a real Apache (mod_rewrite) on
loopback: each IRI path answers 303 to the site's page, its Turtle or its JSON-LD by the
Accept header. Skipped when Debian's apache2 is not installed (.ci/run installs it)."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykb.site import build

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
SITE = "https://example.github.io/kb/"

pytestmark = pytest.mark.skipif(
    not APACHE.exists(), reason="no /usr/sbin/apache2: apt-get install apache2 to run these"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def apache() -> Iterator[int]:
    """Apache serving the .htaccess as w3id.org does (a policykb/ folder), on a free port."""
    from importlib import resources

    root = Path(tempfile.mkdtemp(prefix="policykb-w3id-"))
    root.chmod(0o755)  # read by the unprivileged user Apache switches to
    (root / "docs" / "policykb").mkdir(parents=True)
    for folder in (root / "docs", root / "docs" / "policykb"):
        folder.chmod(0o755)
    text = (resources.files("policykb.site") / "htaccess").read_text("utf-8")
    htaccess = root / "docs" / "policykb" / ".htaccess"
    htaccess.write_text(text.replace("{site}", SITE))
    htaccess.chmod(0o644)
    port = _free_port()
    modules = "\n".join(
        f"LoadModule {name}_module {MODULES}/mod_{name}.so"
        for name in ("mpm_event", "authz_core", "rewrite")
    )
    (root / "httpd.conf").write_text(
        f"""{modules}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
User nobody
Group nogroup
DocumentRoot {root}/docs
<Directory {root}/docs>
  AllowOverride All
  Require all granted
</Directory>
"""
    )
    process = subprocess.Popen(
        [str(APACHE), "-X", "-f", str(root / "httpd.conf")],
        env={**os.environ, "APACHE_RUN_DIR": str(root)},
    )
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _location(port: int, path: str, accept: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/policykb/" + path, headers={"Accept": accept})
    response = connection.getresponse()
    return response.status, response.getheader("Location") or ""


HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "accept", "target"),
    [
        ("report/chile-digital-identity", HTML, "report/chile-digital-identity/"),
        ("report/chile-digital-identity", "text/turtle", "report/chile-digital-identity/index.ttl"),
        (
            "report/chile-digital-identity/recommendation/chl-di-07",
            "application/ld+json",
            "report/chile-digital-identity/recommendation/chl-di-07/index.jsonld",
        ),
        ("framework/data-driven-public-sector/trust", HTML,
         "framework/data-driven-public-sector/trust/"),
        ("scores/dgi-2025/observation/3", "text/turtle", "scores/dgi-2025/index.ttl"),
        ("report/recommendation-on-digital-government-strategies/adherence/1", HTML,
         "report/recommendation-on-digital-government-strategies/"),
        ("dataset", "application/ld+json", "index.jsonld"),
        ("dataset", HTML, ""),
        ("", HTML, ""),
        ("ontology", "text/turtle", "ontology.ttl"),
    ],
)  # fmt: skip
def test_each_iri_redirects_to_its_page_or_rdf(
    apache: int, path: str, accept: str, target: str
) -> None:
    """``https://w3id.org/policykb/PATH`` with this Accept header answers 303 See Other to the
    site's page, Turtle or JSON-LD."""
    status, location = _location(apache, path, accept)
    assert (status, location) == (303, SITE + target)


def test_the_shipped_template_is_what_a_build_writes(tmp_path: Path) -> None:
    """The file tested above is the one ``policykb site --site-url`` writes (the URL filled in)."""
    from importlib import resources

    from sitebuild import shipped_kb

    out = tmp_path / "out"
    build.build_site(shipped_kb(), out, site_url=SITE, with_search=False)
    template = (resources.files("policykb.site") / "htaccess").read_text("utf-8")
    assert (out / "w3id" / ".htaccess").read_text() == template.replace("{site}", SITE)
