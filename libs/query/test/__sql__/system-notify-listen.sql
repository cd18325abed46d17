LISTEN "tessera_schema"
-- params: []

SELECT pg_notify($1, $2)
-- params: ["tessera_schema","42"]
