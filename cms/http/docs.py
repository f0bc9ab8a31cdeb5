"""Interactive API docs (Swagger UI) at ``/docs``, served entirely by this app.

The Swagger UI files come from the ``flask-swagger-ui`` package (which tracks
Swagger UI's releases), not from a public CDN, so the docs work offline and on
networks that block CDNs. The page loads no inline script, which lets it carry a
Content-Security-Policy of its own that allows only this origin; a generic
after-request hook must leave that header alone.
"""

from __future__ import annotations

from importlib import resources
from importlib.metadata import version

from flask import Blueprint, Response, send_from_directory, url_for

SWAGGER_UI_VERSION = version("flask-swagger-ui")
SWAGGER_UI_DIR = resources.files("flask_swagger_ui") / "dist"

# Swagger UI needs inline styles (it positions elements with style attributes) and
# data: images (its icons); everything else comes from this origin only.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Health CMS API</title>
  <link rel="stylesheet" href="{css}">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi}"></div>
  <script src="{bundle}"></script>
  <script src="{init}"></script>
</body>
</html>
"""

INIT_SCRIPT = """\
// Starts Swagger UI on the OpenAPI document named by the page (no inline script: CSP).
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,  // the public validator would be a request to the internet
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
"""

blp = Blueprint("docs", __name__, url_prefix="/docs")


def _with_policy(response: Response, cache_control: str) -> Response:
    response.headers["Content-Security-Policy"] = DOCS_CSP
    response.headers["Cache-Control"] = cache_control
    return response


@blp.get("")
def page() -> Response:
    """The Swagger UI page for this API's OpenAPI document."""

    def asset(name: str) -> str:
        return url_for("docs.asset", filename=name, v=SWAGGER_UI_VERSION)

    html = PAGE.format(
        css=asset("swagger-ui.css"),
        bundle=asset("swagger-ui-bundle.js"),
        init=url_for("docs.init_script"),
        openapi=url_for("api-docs.openapi_json"),
    )
    return _with_policy(Response(html, mimetype="text/html"), "no-cache")


@blp.get("/init.js")
def init_script() -> Response:
    return _with_policy(Response(INIT_SCRIPT, mimetype="text/javascript"), "no-cache")


@blp.get("/assets/<path:filename>")
def asset(filename: str) -> Response:
    """Swagger UI's own files; versioned URLs, so caches may keep them for a day."""
    response = send_from_directory(str(SWAGGER_UI_DIR), filename, max_age=86400)
    return _with_policy(response, "public, max-age=86400")
