SELECT "id"::text AS "id", "collection", "action", "keys", "before" FROM "tessera_changes" WHERE "id" > $1::int8 AND "id" <= $3::int8 ORDER BY "tessera_changes"."id" LIMIT $2
-- params: ["41",500,"57"]
