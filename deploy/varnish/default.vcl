#
# Varnish in front of the Health CMS (Varnish 7.1+, vmod xkey from varnish-modules).
#
# - Caches the public API for as long as the app says (Cache-Control s-maxage,
#   else max-age); stores nothing the app calls private or no-store.
# - Never caches the management API, nor a request with Authorization or a cookie.
# - Indexes every stored response under the keys of its Surrogate-Key header, and
#   drops them on `PURGE` with `xkey-purge: <keys>` (space-separated) from an
#   address in `acl purgers`: that is what `cms purge-relay` sends for each
#   cdn.purge event. The answer is 200 with the number of objects dropped in
#   `xkey-purged`.
# - Tells readers X-Cache: HIT or MISS.
#
# See docs/deploy.md ("A CDN in front").

vcl 4.1;

import xkey;

# The app. Varnish resolves this name once, when it loads the VCL, and refuses a
# name with several addresses: for several app nodes, declare one backend per node
# and spread requests with vmod directors (round_robin) in vcl_init, or point this
# at your load balancer.
backend app {
    .host = "app";
    .port = "8000";
    .connect_timeout = 3s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/readyz";
        .timeout = 3s;
        .interval = 5s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: this machine, and the purge relay (compose's service name; a name in
# parentheses is skipped when it does not resolve). Add your relay's address or network.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    ("purge-relay");
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # xkey-purge is what the relay sends; xkey is the vmod's customary header.
        if (!req.http.xkey-purge && req.http.xkey) {
            set req.http.xkey-purge = req.http.xkey;
        }
        if (req.http.xkey-purge !~ "[^\s,]") {
            return (synth(400, "PURGE needs an xkey-purge header naming surrogate keys"));
        }
        # A hard purge, not xkey.softpurge: a withdrawn or corrected article must not
        # reach even one more reader from the cache (a soft purge would serve it once
        # more while it refetches, within grace). Request coalescing keeps the refetch
        # of a popular page to one backend request.
        set req.http.xkey-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Drafts, revisions and tokens: never from the cache, whatever the app says.
    if (req.url ~ "^/api/v1/manage(/|\?|$)") {
        return (pass);
    }
    # Someone's own view (the app answers private anyway): never stored, never shared.
    if (req.http.Authorization || req.http.Cookie) {
        return (pass);
    }
    return (hash);
}

sub vcl_backend_response {
    # The vmod indexes only the xkey header (not Surrogate-Key: without this copy a
    # purge finds nothing); the app names the keys in Surrogate-Key, space-separated
    # as xkey reads them.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (bereq.url ~ "^/api/v1/manage(/|\?|$)") {
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Everything else: the built-in rules, which take the TTL from s-maxage or
    # max-age and never store no-store, private, no-cache or Set-Cookie responses.
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "application/json";
        set resp.http.Cache-Control = "no-store";
        if (resp.status == 200) {
            set resp.http.xkey-purged = req.http.xkey-purged;
            set resp.body = {"{"purged": "} + req.http.xkey-purged + {"}"};
        } else {
            set resp.body = {"{"status": "} + resp.status + {", "detail": ""} + resp.reason + {"""} + "}";
        }
        return (deliver);
    }
}
