WITH "tc_d" AS (DELETE FROM "tessera_changes" WHERE "id" IN (SELECT "id" FROM "tessera_changes" WHERE "created_at" < $1::timestamptz ORDER BY "id" LIMIT $2::int) RETURNING 1) SELECT count(*)::int AS "n" FROM "tc_d"
-- params: ["2026-01-01T00:00:00.000Z",1000]
