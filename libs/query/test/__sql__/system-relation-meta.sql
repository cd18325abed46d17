UPDATE "directus_relations" SET "one_field" = $3, "one_deselect_action" = $4 WHERE "many_collection" = $1 AND "many_field" = $2
-- params: ["comments","article","comments","nullify"]

UPDATE "directus_relations" SET "one_allowed_collections" = $3 WHERE "many_collection" = $1 AND "many_field" = $2
-- params: ["blocks","item","headings,texts"]

DELETE FROM "directus_relations" WHERE "many_collection" = $1 AND "many_field" = $2
-- params: ["comments","article"]

DELETE FROM "directus_relations" WHERE "many_collection" = $1
-- params: ["articles"]

DELETE FROM "directus_relations" WHERE "one_collection" = $1
-- params: ["articles"]

UPDATE "directus_relations" SET "one_field" = NULL WHERE "one_collection" = $1 AND "one_field" = $2
-- params: ["articles","comments"]
