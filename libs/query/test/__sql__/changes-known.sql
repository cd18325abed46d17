SELECT EXISTS (SELECT 1 FROM "tessera_changes" WHERE "id" = $1::int8) AS "known", (SELECT max("id")::text FROM "tessera_changes") AS "last"
-- params: ["41"]
