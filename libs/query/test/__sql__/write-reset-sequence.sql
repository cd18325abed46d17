SELECT setval(q.s, GREATEST((SELECT max("id")
  FROM "articles"), coalesce(pg_sequence_last_value(q.s::regclass), 0), 1))
  FROM (SELECT pg_get_serial_sequence($1, $2) AS s) q
  WHERE q.s IS NOT NULL
-- params: ["\"articles\"","id"]
