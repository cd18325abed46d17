SELECT 1 FROM "directus_fields" WHERE "collection" = $1 AND "field" = $2
-- params: ["articles","title"]

UPDATE "directus_fields" SET "note" = $3, "special" = $4 WHERE "collection" = $1 AND "field" = $2
-- params: ["articles","title","n",null]

DELETE FROM "directus_fields" WHERE "collection" = $1 AND "field" = $2
-- params: ["articles","title"]

DELETE FROM "directus_fields" WHERE "collection" = $1
-- params: ["articles"]

UPDATE "directus_fields" SET "group" = NULL WHERE "collection" = $1 AND "group" = $2
-- params: ["articles","group1"]

UPDATE "directus_fields" SET "special" = coalesce("special", $3) WHERE "collection" = $1 AND "field" = $2 RETURNING "id"
-- params: ["comments","article","m2o"]

INSERT INTO "directus_fields" ("collection", "field", "special") VALUES ($1, $2, $3)
-- params: ["comments","article","m2o"]
