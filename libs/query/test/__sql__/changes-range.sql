SELECT "id"::text AS "id", "collection", "action", "keys", "before" FROM "tessera_changes" WHERE "id" BETWEEN $1::int8 AND $2::int8 ORDER BY "tessera_changes"."id"
-- params: ["5","9"]
