"""The CDN side of publishing: ``cms purge-relay`` turns signed ``cdn.purge`` webhooks
into Varnish xkey purges (Fastly and Cloudflare are purged by key through their APIs;
see docs/deploy.md)."""
