DELETE FROM "directus_collections" WHERE "collection" = $1
-- params: ["articles"]

UPDATE "directus_collections" SET "group" = NULL WHERE "group" = $1
-- params: ["articles"]

UPDATE "directus_collections" SET "sort_field" = NULL WHERE "collection" = $1 AND "sort_field" = $2
-- params: ["articles","sort"]

UPDATE "directus_collections" SET "archive_field" = NULL WHERE "collection" = $1 AND "archive_field" = $2
-- params: ["articles","status"]
